"""DHCP leases: the address a workstation had *at the time of the event* decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import InventoryError
from sentinelle.inventory.dhcp import LeaseTable, _Close, _Open, load_leases


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


ISC = """\
# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;

server-duid "\\000\\001";

lease 10.40.0.7 {
  starts 3 2026/08/05 06:00:00;
  ends 4 2026/08/06 06:00:00;
  binding state active;
  hardware ethernet 00:16:3e:00:00:01;
  client-hostname "PC-CAR-0001";
}
lease 10.40.0.7 {
  starts 3 2026/08/05 06:00:00;
  ends 3 2026/08/05 10:00:00;
  binding state free;
  hardware ethernet 00:16:3e:00:00:01;
}
lease 10.40.0.7 {
  starts epoch 1785924000; # Wed Aug 05 10:00:00 2026
  ends epoch 1786010400;
  binding state active;
  client-hostname "PC-SEC-0002";
}
lease 10.40.0.8 {
  starts 3 2026/08/05 bad;
  ends 3 2026/08/05 10:00:00;
}
lease not-an-ip {
  starts 3 2026/08/05 06:00:00;
}
lease 10.40.0.9 {
  starts 3 2026/08/05 06:00:00;
"""


def test_isc_address_reused_by_two_workstations_in_one_day(tmp_path: Path) -> None:
    (tmp_path / "dhcpd.leases").write_text(ISC)
    table = load_leases([tmp_path / "dhcpd.leases"])
    assert table.hostname_at("10.40.0.7", at("2026-08-05T05:59:59")) is None
    assert table.hostname_at("10.40.0.7", at("2026-08-05T09:59:59")) == "pc-car-0001"
    assert table.hostname_at("10.40.0.7", at("2026-08-05T10:00:00")) == "pc-sec-0002"
    assert table.hostname_at("::ffff:10.40.0.7", at("2026-08-05T15:00:00")) == "pc-sec-0002"
    assert table.hostname_at("10.40.0.7", at("2026-08-06T10:00:00")) is None  # expired
    lines = sorted(p.line for p in table.problems)
    assert lines == [26, 29, 32], table.problems  # bad time, bad address, unclosed block


WINDOWS = """\t\tMicrosoft DHCP Service Activity Log

Event ID  Meaning
10\tA new IP address was leased to a client.

ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID
00,08/05/26,00:00:00,Started,,,,,0
10,08/05/26,08:00:00,Assign,10.40.0.7,PC-CAR-0001.chu.local,00163E000001,,1
12,08/05/26,12:00:00,Release,10.40.0.7,PC-CAR-0001.chu.local,00163E000001,,2
10,08/05/26,12:00:00,Assign,10.40.0.7,PC-SEC-0002.chu.local,00163E000002,,3
10,13/45/26,12:00:00,Assign,10.40.0.9,PC-X,00163E000003,,4
10,08/05/26
11,08/06/26,09:00:00,Renew,10.40.0.7,PC-SEC-0002.chu.local,00163E000002,,5
"""


def test_windows_audit_log_in_local_time(tmp_path: Path) -> None:
    (tmp_path / "DhcpSrvLog-Wed.log").write_text(WINDOWS)
    table = load_leases([tmp_path / "DhcpSrvLog-Wed.log"], tz="Europe/Paris")
    # 08:00 in Paris is 06:00 UTC
    assert table.hostname_at("10.40.0.7", at("2026-08-05T05:59:00")) is None
    assert table.hostname_at("10.40.0.7", at("2026-08-05T06:30:00")) == "pc-car-0001.chu.local"
    assert table.hostname_at("10.40.0.7", at("2026-08-05T10:00:00")) == "pc-sec-0002.chu.local"
    # renewed on the 6th: the 8-day lease runs from the renewal
    assert table.hostname_at("10.40.0.7", at("2026-08-13T06:00:00")) == "pc-sec-0002.chu.local"
    assert table.hostname_at("10.40.0.7", at("2026-08-14T08:00:00")) is None
    assert sorted(p.line for p in table.problems) == [11, 12]


def test_dnsmasq_leases(tmp_path: Path) -> None:
    expiry = int(at("2026-08-05T12:00:00").timestamp())
    (tmp_path / "dnsmasq.leases").write_text(
        f"{expiry} 00:16:3e:00:00:01 10.40.0.7 pc-car-0001 01:00:16:3e:00:00:01\n"
        f"0 00:16:3e:00:00:02 10.40.0.8 * *\n"
        "garbage line\n"
    )
    table = load_leases([tmp_path / "dnsmasq.leases"])
    assert table.hostname_at("10.40.0.7", at("2026-08-05T11:30:00")) == "pc-car-0001"
    assert table.hostname_at("10.40.0.7", at("2026-08-05T10:30:00")) is None  # 1 h lease
    assert table.hostname_at("10.40.0.8", at("2030-01-01T00:00:00")) is None  # no host name
    assert [p.line for p in table.problems] == [3]


def test_unknown_dhcp_file_names_the_formats_tried(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello world\n")
    with pytest.raises(InventoryError, match=r"x\.txt") as e:
        load_leases([tmp_path / "x.txt"])
    assert "isc-dhcpd" in (e.value.hint or "")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["10.0.0.1", "10.0.0.2"]),
            st.integers(0, 1000),
            st.integers(1, 300),
            st.sampled_from(["a", "b", "c"]),
        ),
        max_size=25,
    ),
    st.lists(st.integers(-10, 1400), min_size=1, max_size=30),
)
def test_lookup_equals_a_brute_force_sweep(leases: list, probes: list[int]) -> None:  # type: ignore[type-arg]
    """Newest lease wins on overlap; lookups agree with a naive scan of the leases."""
    records = [_Open(ip, float(s), float(s + d), h) for ip, s, d, h in leases]
    table = LeaseTable.build(records)
    base = datetime(1970, 1, 1, tzinfo=UTC)
    for ip in ("10.0.0.1", "10.0.0.2"):
        for t in probes:
            # (start, position in the file): the later of two leases starting together wins;
            # positions, not records.index(), since identical leases may repeat
            mine = [(r.start, i, r) for i, r in enumerate(records) if r.ip == ip and r.start <= t]
            expected = None
            if mine:
                last = max(mine, key=lambda m: (m[0], m[1]))[2]
                expected = last.host if t < last.end else None
            assert table.hostname_at(ip, base + timedelta(seconds=t)) == expected


def test_close_before_open_at_the_same_instant() -> None:
    table = LeaseTable.build(
        [_Open("10.0.0.1", 0, 100, "a"), _Open("10.0.0.1", 50, 150, "b"), _Close("10.0.0.1", 50)]
    )
    base = datetime(1970, 1, 1, tzinfo=UTC)
    assert table.hostname_at("10.0.0.1", base + timedelta(seconds=49)) == "a"
    assert table.hostname_at("10.0.0.1", base + timedelta(seconds=50)) == "b"
