"""The simulated hospital, scanned, equals the simulator's ground truth exactly (every metric)."""

from __future__ import annotations

import pytest

from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate import HospitalConfig, simulate
from sentinelle.simulate.truth import Truth
from sentinelle.store import METRICS, Store

GROUPINGS = [
    [],
    ["period"],
    ["period", "service"],
    ["period", "category"],
    ["period", "department", "role"],
    ["site"],
    ["day"],
    ["hour", "weekday"],
    ["period", "service", "department", "role", "site"],
]


@pytest.fixture(scope="module")
def hospital(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("hospital")
    config = HospitalConfig(seed=7)
    sim = simulate(out / "sim", config)
    store = out / "store"
    report = scan(
        [str(p) for p in sim.logs["squid"]],
        store,
        ScanOptions(inventory=sim.inventory, tz=config.tz),
    )
    return sim, config, store, report


def _key(row: dict, dims: list[str]) -> tuple:  # type: ignore[type-arg]
    return tuple(str(row[d]) for d in dims)


@pytest.mark.parametrize("dims", GROUPINGS, ids=lambda d: ",".join(d) or "total")
def test_export_equals_truth(hospital, dims: list[str]) -> None:  # type: ignore[no-untyped-def]
    sim, config, store, _ = hospital
    truth = Truth.load(sim.truth)
    for period in (None, config.month):
        expected = truth.metrics(dims, period=period, tz=config.tz)
        with Store.open(store) as st:
            got = st.metrics(dims, period)
        assert len(got) == len(expected)
        exp = {_key(r, dims): {m: r[m] for m in METRICS} for r in expected}
        for row in got:
            assert {m: row[m] for m in METRICS} == exp[_key(row, dims)], (dims, row)


def test_line_accounting_equals_truth(hospital) -> None:  # type: ignore[no-untyped-def]
    sim, _, _, report = hospital
    totals = report.to_json()
    assert totals["lines"] == sim.lines
    assert totals["rejected"] == sim.garbage
    assert totals["events"] + totals["skipped"] + totals["rejected"] == totals["lines"]


def test_the_month_has_real_traffic(hospital) -> None:  # type: ignore[no-untyped-def]
    _, config, store, _ = hospital
    with Store.open(store) as st:
        by_service = {r["service"]: r["requests"] for r in st.metrics(["service"], config.month)}
    assert by_service.get("chatgpt", 0) > 0
    assert len(by_service) >= 5
