"""Every format the simulator writes, scanned with ``--format auto``, equals its ground truth.

One small hospital month is simulated once in every registered writer's format (the same
records, the same junk lines); each format's files are scanned into their own store, and for
each format: detection names it on every file, every line is accounted for, and the export
equals ``Truth.metrics(format=...)`` exactly — for what that format can show (its optional
fields, its time precision, its protocol: DNS formats are compared as queries).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sentinelle.scan import ScanOptions, ScanReport, scan
from sentinelle.simulate import HospitalConfig, SimulationResult, simulate, writers
from sentinelle.simulate.truth import Truth
from sentinelle.store import METRICS, Store

CONFIG = HospitalConfig(
    seed=11, workstations=100, lines=20_000, ai_share=0.04, garbage_share=0.003, blank_share=0.001
)
FORMATS = sorted(writers.WRITERS)
GROUPINGS = [
    [],
    ["period", "service"],
    ["period", "category", "site"],
    ["period", "department", "role"],
    ["day"],
    ["hour", "weekday"],
]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(tmp_path_factory.mktemp("formats") / "sim", CONFIG, formats=FORMATS)


@pytest.fixture(scope="module")
def truth(simulated: SimulationResult) -> Truth:
    return Truth.load(simulated.truth)


@pytest.fixture(scope="module", params=FORMATS)
def scanned(
    request: pytest.FixtureRequest,
    simulated: SimulationResult,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[ModuleType, ScanReport, Path]:
    """One format's files scanned with format detection into a store of their own."""
    writer = writers.get(request.param)
    store = tmp_path_factory.mktemp("store")
    files = [str(p) for p in simulated.logs[writer.NAME]]
    report = scan(
        files, store, ScanOptions(format="auto", inventory=simulated.inventory, tz=CONFIG.tz)
    )
    return writer, report, store


def test_detection_names_the_format_of_every_file(
    scanned: tuple[ModuleType, ScanReport, Path],
) -> None:
    writer, report, _ = scanned
    assert {f.name: f.format for f in report.files} == {f.name: writer.NAME for f in report.files}


def test_every_line_is_accounted_for(
    scanned: tuple[ModuleType, ScanReport, Path], simulated: SimulationResult
) -> None:
    writer, report, _ = scanned
    headers = len(getattr(writer, "HEADER", ())) * len(simulated.logs[writer.NAME])
    totals = report.to_json()
    assert totals["lines"] == simulated.lines + headers
    assert totals["rejected"] == simulated.garbage
    assert totals["events"] == simulated.events
    assert totals["skipped"] == simulated.blank + headers


@pytest.mark.parametrize("dims", GROUPINGS, ids=lambda d: ",".join(d) or "total")
def test_export_equals_truth(
    scanned: tuple[ModuleType, ScanReport, Path], truth: Truth, dims: list[str]
) -> None:
    writer, _, store = scanned
    protocol = getattr(writer, "PROTOCOL", "web")
    for period in (None, CONFIG.month):
        expected = truth.metrics(dims, period=period, tz=CONFIG.tz, format=writer.NAME)
        with Store.open(store) as st:
            got = st.metrics(dims, period, protocol=protocol)
        assert _table(got, dims) == _table(expected, dims), (writer.NAME, dims, period)


def test_the_month_has_ai_traffic(truth: Truth) -> None:
    month = {r["service"]: r["requests"] for r in truth.metrics(["service"], CONFIG.month)}
    assert month.get("chatgpt", 0) > 0 and len(month) >= 5


def _table(rows: list[dict[str, Any]], dims: list[str]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(str(r[d]) for d in dims): {m: r[m] for m in METRICS} for r in rows}
