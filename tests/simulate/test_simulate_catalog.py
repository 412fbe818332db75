"""The simulator's idea of which host is AI agrees with the shipped catalog.

The end-to-end tests compare the scanner (which uses the catalog) with the simulator's truth
(which uses ``data/profile.yaml``); this test pins the two together host by host.
"""

from __future__ import annotations

import numpy as np
import pytest

from sentinelle.simulate import HospitalConfig
from sentinelle.simulate.hospital import build_hospital
from sentinelle.simulate.traffic import build_tables

catalog = pytest.importorskip("sentinelle.catalog")


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    config = HospitalConfig(workstations=300, lines=600_000)
    rng = np.random.default_rng(config.seed)
    return build_tables(build_hospital(config, rng), config, rng)


def expected(tables, i: int) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    s = int(tables.host_service[i])
    if s < 0:
        return None
    return tables.services[s], "auxiliary" if tables.host_aux[i] else "primary"


def found(match) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    if match is None or match.evidence == "shared":
        return None
    return match.service_id, match.evidence


def test_every_simulated_host_matches_the_catalog_as_the_truth_says(tables) -> None:  # type: ignore[no-untyped-def]
    cat = catalog.load_catalog()
    wrong = [
        (host, expected(tables, i), found(cat.match(host + ":443")))
        for i, host in enumerate(tables.hosts)
        if host and expected(tables, i) != found(cat.match(host + ":443"))
    ]
    assert wrong == []


def test_background_paths_never_hit_a_catalog_path_rule(tables) -> None:  # type: ignore[no-untyped-def]
    cat = catalog.load_catalog()
    paths = [p for p in tables.paths if p.startswith("/")]
    wrong = [
        (host, path)
        for i, host in enumerate(tables.hosts)
        if host and expected(tables, i) is None
        for path in paths
        if found(cat.match(host, path)) is not None
    ]
    assert wrong == []
