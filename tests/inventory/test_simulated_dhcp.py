"""The simulated hospital with DHCP addresses is attributed exactly as its truth says."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from click.testing import CliRunner

from sentinelle.cli import main
from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate.truth import Truth
from sentinelle.store import METRICS, Store
from tests.inventory.conftest import DhcpHospital

GROUPINGS = [
    [],
    ["department", "role"],
    ["period", "service", "department", "role", "site"],
    ["day", "role"],
]


def _compare(store, truth: Truth, tz: str, dims: list[str]) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    expected = {
        tuple(str(r[d]) for d in dims): {m: r[m] for m in METRICS}
        for r in truth.metrics(dims, tz=tz)
    }
    with Store.open(store) as st:
        got = {tuple(str(r[d]) for d in dims): {m: r[m] for m in METRICS} for r in st.metrics(dims)}
    return [
        (k, expected.get(k), got.get(k))
        for k in set(expected) | set(got)
        if expected.get(k) != got.get(k)
    ]


@pytest.mark.parametrize("dims", GROUPINGS, ids=lambda d: ",".join(d) or "total")
def test_isc_leases_attribute_exactly(dhcp_hospital: DhcpHospital, dims: list[str]) -> None:
    h = dhcp_hospital
    assert _compare(h.store, Truth.load(h.sim.truth), h.config.tz, dims) == []


def test_windows_audit_logs_attribute_exactly(dhcp_hospital: DhcpHospital) -> None:
    h = dhcp_hospital
    store = h.root / "store-windows"
    scan(
        [str(p) for p in h.sim.logs["squid"]],
        store,
        ScanOptions(
            inventory=h.sim.inventory, tz=h.config.tz, dhcp=tuple(h.sim.dhcp["windows-dhcp"])
        ),
    )
    truth = Truth.load(h.sim.truth)
    for dims in GROUPINGS:
        assert _compare(store, truth, h.config.tz, dims) == [], dims


def test_an_address_reused_by_two_workstations_in_one_day(dhcp_hospital: DhcpHospital) -> None:
    """The truth has AI hits of two workstations from one address on one day."""
    with dhcp_hospital.sim.truth.open() as fh:
        rows = [r for r in csv.DictReader(fh) if r["source_ip"].startswith("10.40.")]
    per = defaultdict(set)
    for r in rows:
        per[(r["source_ip"], r["time_utc"][:10])].add(r["identity"])
    assert any(len(v) >= 2 for v in per.values())


def test_without_the_leases_attribution_is_wrong(dhcp_hospital: DhcpHospital) -> None:
    h = dhcp_hospital
    store = h.root / "store-no-dhcp"
    scan(
        [str(p) for p in h.sim.logs["squid"]],
        store,
        ScanOptions(inventory=h.sim.inventory, tz=h.config.tz),
    )
    assert _compare(store, Truth.load(h.sim.truth), h.config.tz, ["department", "role"])


def test_attribution_check_on_logs_and_store(dhcp_hospital: DhcpHospital) -> None:
    h = dhcp_hospital
    logs = [str(p) for p in h.sim.logs["squid"]][:3]
    r = CliRunner().invoke(
        main, ["attribution", "check", *logs, "--inventory", str(h.sim.inventory), "--json"]
    )
    assert r.exit_code == 0, r.output
    import json

    data = json.loads(r.output[r.output.index("{") :])
    assert 0 < data["event_share"] < 1  # the DHCP pool is unknown without the leases
    assert any(n["network"].startswith("10.40.") for n in data["unattributed_networks"])
    r = CliRunner().invoke(
        main,
        [
            "attribution",
            "check",
            *logs,
            "--inventory",
            str(h.sim.inventory),
            "--dhcp",
            str(h.sim.dhcp["isc-dhcpd"][0]),
            "--json",
        ],
    )
    with_leases = json.loads(r.output[r.output.index("{") :])
    assert with_leases["event_share"] > data["event_share"]
    assert not any(n["network"].startswith("10.40.") for n in with_leases["unattributed_networks"])
    r = CliRunner().invoke(main, ["attribution", "check", "--store", str(h.store)])
    assert r.exit_code == 0 and "workstations attributed" in r.output
