"""Purge to monthly aggregates; Store.metrics keeps answering; scan warns past the limit."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from sentinelle.cli import main
from sentinelle.errors import ConfigError, StoreError
from sentinelle.privacy.retention import cutoff_period, parse_months, purge, retention_warning
from sentinelle.store import Store
from tests.inventory.conftest import DhcpHospital


@pytest.mark.parametrize("text,months", [("12m", 12), ("6", 6), ("1y", 12), ("18 mois", 18)])
def test_parse_months(text: str, months: int) -> None:
    assert parse_months(text) == months


@pytest.mark.parametrize("text", ["12d", "0m", "abc", "200m"])
def test_parse_months_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_months(text)


def test_cutoff_is_the_month_holding_the_limit() -> None:
    now = datetime(2027, 9, 15, 10, tzinfo=UTC)
    assert cutoff_period(12, "Europe/Paris", now) == "2026-09"
    assert cutoff_period(1, "Europe/Paris", datetime(2027, 1, 1, 0, 30, tzinfo=UTC)) == "2026-12"


def test_purge_keeps_metrics_answering(dhcp_hospital: DhcpHospital, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    shutil.copytree(dhcp_hospital.store, store)
    month = dhcp_hospital.config.month  # 2026-08; the lead-in evening is 2026-07
    groupings = [
        [],
        ["service"],
        ["department", "role"],
        ["service", "category", "department", "role", "site"],
        ["category", "site"],
    ]
    with Store.open(store) as st:
        before = {tuple(g): st.metrics(g, "2026-07") for g in groupings}
        live_month = st.metrics(["role"], month)
        by_period = st.metrics(["period", "service"])
    assert retention_warning(store, now=datetime(2027, 8, 2, tzinfo=UTC)) is not None
    assert retention_warning(store, now=datetime(2026, 9, 2, tzinfo=UTC)) is None
    res = purge(store, 12, now=datetime(2027, 8, 2, tzinfo=UTC))  # cutoff 2026-08 → both
    assert res.periods == ["2026-07", "2026-08"] and res.hits > 0
    with Store.open(store) as st:
        assert st.con.execute("SELECT count(*) FROM hits").fetchone() == (0,)
        for g in groupings:
            assert st.metrics(g, "2026-07") == before[tuple(g)], g
        assert st.metrics(["role"], month) == live_month
        assert st.metrics(["period", "service"]) == by_period
        with pytest.raises(StoreError, match="purged"):
            st.metrics(["day"], month)
    assert retention_warning(store, now=datetime(2027, 8, 2, tzinfo=UTC)) is None
    again = purge(store, 12, now=datetime(2027, 8, 2, tzinfo=UTC))
    assert again.periods == [] and again.aggregate_rows == 0


def test_settings_and_purge_commands(dhcp_hospital: DhcpHospital, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    shutil.copytree(dhcp_hospital.store, store)
    r = CliRunner().invoke(
        main, ["privacy", "settings", "--retention", "6m", "--k", "11", "--store", str(store)]
    )
    assert r.exit_code == 0 and "retention: 6 months · k: 11" in r.output
    r = CliRunner().invoke(
        main, ["privacy", "settings", "--retention", "3d", "--store", str(store)]
    )
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["purge", "--store", str(store), "--json"])
    assert r.exit_code == 0, r.output  # 6 months before today: the simulated August stays
    # the scan command warns when the store holds data past the limit
    r = CliRunner().invoke(
        main, ["privacy", "settings", "--retention", "1m", "--store", str(store)]
    )
    log = dhcp_hospital.sim.logs["squid"][0]
    r = CliRunner().invoke(main, ["scan", str(log), "--store", str(store)])
    assert r.exit_code == 0 and "retention" in r.output and "sentinelle purge" in r.output


def test_scan_warns_when_the_store_holds_data_past_the_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The scan looks while its store is open, and the CLI prints what it found."""
    from tests.scan.conftest import line

    old, recent = tmp_path / "old.log", tmp_path / "recent.log"
    now = datetime.now(UTC)
    old.write_text(
        line("2020-03-02T10:00:00", "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT", "chatgpt.com:443")
        + "\n"
    )
    recent.write_text(
        line(
            now.strftime("%Y-%m-%dT%H:%M:%S"),
            "10.1.0.10",
            "TCP_TUNNEL/200",
            10,
            "CONNECT",
            "chatgpt.com:443",
        )
        + "\n"
    )
    store, secret = tmp_path / "store", tmp_path / "secret.key"
    from sentinelle.scan import ScanOptions, scan

    assert scan([str(recent)], store, ScanOptions(secret=secret)).retention_warning is None
    runner = CliRunner()
    out = runner.invoke(main, ["scan", str(old), "--store", str(store), "--secret", str(secret)])
    assert out.exit_code == 0, out.output
    assert "retention" in out.output and "2020-03" in out.output
