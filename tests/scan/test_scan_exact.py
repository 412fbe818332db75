"""A hand-written Squid log scans to exactly the hand-computed metrics."""

from __future__ import annotations

from pathlib import Path

from sentinelle.scan import ScanOptions, scan
from sentinelle.store import Store
from tests.scan.conftest import (
    AI_EVENTS,
    EXPECTED_AUGUST_BY_DEPARTMENT_ROLE,
    EXPECTED_BY_PERIOD_SERVICE,
    LINE_COUNT,
    REJECTED,
    SKIPPED,
)


def _scan(log: Path, inventory: Path, store: Path):  # type: ignore[no-untyped-def]
    return scan([str(log)], store, ScanOptions(inventory=inventory))


def test_line_accounting(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    report = _scan(log, inventory, tmp_path / "store").to_json()
    assert report["lines"] == LINE_COUNT
    assert report["rejected"] == REJECTED
    assert report["skipped"] == SKIPPED
    assert report["events"] == LINE_COUNT - REJECTED - SKIPPED
    assert report["ai_events"] == AI_EVENTS
    assert report["no_host_events"] == 1
    first = report["per_file"][0]["first_rejects"]
    assert [r["line"] for r in first] == [5, 20, 23]
    assert "timestamp" in first[1]["reason"]


def test_metrics_by_period_and_service(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    _scan(log, inventory, tmp_path / "store")
    with Store.open(tmp_path / "store") as store:
        assert store.metrics(["period", "service"]) == EXPECTED_BY_PERIOD_SERVICE
        assert store.periods() == ["2026-07", "2026-08"]


def test_attribution_most_specific_network_wins(
    squid_month: tuple[Path, Path], tmp_path: Path
) -> None:
    log, inventory = squid_month
    _scan(log, inventory, tmp_path / "store")
    with Store.open(tmp_path / "store") as store:
        rows = store.metrics(["department", "role"], period="2026-08")
    keep = ("department", "role", "requests", "visits", "workstations")
    assert [{k: r[k] for k in keep} for r in rows] == EXPECTED_AUGUST_BY_DEPARTMENT_ROLE


def test_totals_equal_sum_of_periods(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    _scan(log, inventory, tmp_path / "store")
    with Store.open(tmp_path / "store") as store:
        (total,) = store.metrics([])
        by_period = store.metrics(["period"])
    for metric in ("requests", "blocked", "visits", "bytes_in"):
        assert total[metric] == sum(r[metric] for r in by_period)


def test_no_clear_identity_or_path_in_store(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    _scan(log, inventory, tmp_path / "store")
    with Store.open(tmp_path / "store") as store:
        blob = repr(store.con.execute("SELECT * FROM hits").fetchall())
        blob += repr(store.con.execute("SELECT * FROM discovery").fetchall())
    for secret in (
        "jdupont",
        "adurand",
        "mmartin",
        "pbernard",
        "PC-SEC-01",
        "pc-sec-01",
        "10.1.0.10",
        "2001:db8:1::42",
        "utm_source",
        "/new",
        "x=1",
    ):
        assert secret not in blob
