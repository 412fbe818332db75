"""The inventory CSV: addresses, CIDR networks (IPv4 and IPv6), host names, and its errors.

The loader reads plain IPv4 addresses without ``ipaddress`` objects; these tests pin it to what
``ipaddress.ip_network(strict=False)`` and a ``csv.DictReader`` give.
"""

from __future__ import annotations

import csv
import ipaddress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentinelle.errors import InventoryError
from sentinelle.inventory import Inventory, _ip_value, _parse_network, network_key

HEADER = "ip,hostname,site,department,role\n"
MANY = [f"10.20.{i}.1,pc-{i:04},Nord,urgences,Médecin" for i in range(40)]
ROWS = [
    "10.1.0.0/16,,Nord,cardiologie,Infirmier·e",
    "10.1.2.0/24,,Nord,urgences,Médecin",
    "10.1.2.7,PC-URG-0007,Nord,urgences,Secrétaire médicale",
    "10.9.8.7/8,,Sud,,",  # host bits set: the network 10.0.0.0/8
    "2001:db8:5e::/48,,Sud,pharmacie,Pharmacien·ne",
    "2001:db8:5e:100::13,PC-PHA-0013,Sud,pharmacie,Préparateur·rice",
    ",pc-adm-0001.chu.local.,Central,administration,Secrétaire médicale",
    "0.0.0.0/0,,Ailleurs,,",
]


def _write(tmp_path: Path, text: str, name: str = "inventory.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _dict_reader_load(path: Path) -> Inventory:
    """The inventory as :meth:`Inventory.from_rows` reads it from a ``csv.DictReader``."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        return Inventory.from_rows(csv.DictReader(fh, dialect=dialect), str(path))


def _state(load: object, path: Path) -> tuple[object, ...]:
    try:
        inv = load(path)  # type: ignore[operator]
    except Exception as e:  # the same error, or the same crash
        return type(e), str(e)
    return list(inv._networks.items()), list(inv._hosts.items()), inv._by_len


def test_addresses_networks_and_host_names(tmp_path: Path) -> None:
    inv = Inventory.load(_write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))

    def where(ip: str) -> tuple[str | None, str, str, str] | None:
        row = inv.row_for_address(ip)
        return None if row is None else (row.hostname, row.site, row.department, row.role)

    assert where("10.1.2.7") == ("pc-urg-0007", "Nord", "urgences", "Secrétaire médicale")
    assert where("10.1.2.8") == (None, "Nord", "urgences", "Médecin")  # the /24 beats the /16
    assert where("10.1.200.1") == (None, "Nord", "cardiologie", "Infirmier·e")
    assert where("10.200.0.1") == (None, "Sud", "unknown", "unknown")  # 10.9.8.7/8 is 10/8
    assert where("192.0.2.1") == (None, "Ailleurs", "unknown", "unknown")  # 0.0.0.0/0
    assert where("2001:db8:5e:100::13") == ("pc-pha-0013", "Sud", "pharmacie", "Préparateur·rice")
    assert where("2001:db8:5e:ffff::1") == (None, "Sud", "pharmacie", "Pharmacien·ne")
    assert where("2001:db8:5f::1") is None  # no IPv6 default route in the inventory
    assert where("not an address") is None
    adm = inv.row_for_host("PC-ADM-0001.chu.local")
    assert adm is not None and adm.department == "administration"
    who = inv.attribute("10.1.2.7")
    assert (who.identity, who.known) == ("pc-urg-0007", True)
    assert len(inv) == 7 + 3  # networks and host names


def test_networks_are_keyed_as_ipaddress_reads_them(tmp_path: Path) -> None:
    inv = Inventory.load(_write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))
    cells = [r.split(",")[0] for r in ROWS if r.split(",")[0]]
    assert list(inv._networks) == [
        network_key(ipaddress.ip_network(c, strict=False)) for c in cells
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ip,hostname,site,department,role\n" + "\n".join(ROWS) + "\n",
        # semicolons, a BOM, header names in capitals and with spaces, blank lines
        "\ufeffIP ; Hostname;Site;Department;Role\n\n"
        + "\n".join(r.replace(",", ";") for r in ROWS)
        + "\n\n",
        # a short row (missing cells read as empty), quoted cells with spaces
        HEADER + "\n".join(ROWS + MANY) + '\n" 10.7.0.1 ","  PC-X  ",Sud\n',
        # the same column twice (the last one counts, as in a DictReader), once lowered
        "ip,hostname,site,department,role,Role\n" + "\n".join(f"{r},Cadre" for r in ROWS) + "\n",
        "ip,site,department,role\n10.0.0.1,a,b,c\n10.0.0.2,a,b,c\n10.0.0.3,a,b,c\n",
        "hostname,site,department,role\npc1,a,b,c\npc2,a,b,c\npc3,a,b,c\n",
        "",
        # a row longer than the header: an error naming the row
        HEADER + "\n".join(MANY) + "\n10.7.0.1,pc-x,Sud,a,b,extra\n",
        HEADER + "\n".join(ROWS) + "\n10.1.0.0/16,,Nord,autre,Infirmier·e\n",
    ],
    ids=[
        "plain",
        "semicolons",
        "short-row",
        "same-column-twice",
        "ip-only",
        "host-only",
        "empty",
        "long-row",
        "mapped-twice",
    ],
)
def test_same_inventory_as_from_dict_rows(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    assert _state(Inventory.load, path) == _state(_dict_reader_load, path)


def _load_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(InventoryError) as e:
        Inventory.load(_write(tmp_path, text))
    return e.value.message


@pytest.mark.parametrize(
    "bad",
    [
        "10.0.0.256",
        "010.0.0.1",  # leading zeros are refused by ipaddress (ambiguous: octal?)
        "10.0.0",
        "10.0.0.1.2",
        "10.0.0.1/33",
        "10.0.0.1/x",
        "10.0.0.1/",
        "10.0.0.1/24/8",
        "١٠.0.0.1",  # not ASCII digits
        "10.0.0.1/255.0.255.0",
        "2001:db8::1::2",
        "pc-001",
    ],
)
def test_a_bad_address_names_its_row(tmp_path: Path, bad: str) -> None:
    rows = ["10.0.0.1,pc1,s,d,r", "10.0.0.2,pc2,s,d,r", f"{bad},pc3,s,d,r", "10.0.0.4,pc4,s,d,r"]
    path = f"{tmp_path / 'inventory.csv'}"
    assert _load_error(tmp_path, HEADER + "\n".join(rows) + "\n") == (
        f"{path}, row 4: {bad!r} is not an IP address or CIDR network"
    )


@pytest.mark.parametrize(
    "good", ["10.0.0.1/255.255.0.0", "10.0.0.1/0.0.255.255", "10.0.0.1/024", "::ffff:10.0.0.1"]
)
def test_other_spellings_ipaddress_accepts(tmp_path: Path, good: str) -> None:
    rows = ["10.9.0.1,pc1,s,d,r", "10.9.0.2,pc2,s,d,r", f"{good},pc3,s,d,r"]
    inv = Inventory.load(_write(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert network_key(ipaddress.ip_network(good, strict=False)) in inv._networks


def test_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    same_network_twice = ["10.0.0.0/24,,a,b,c", "10.0.0.1,pc1,a,b,c", "10.0.0.7/24,,a,b,x"]
    assert _load_error(tmp_path, HEADER + "\n".join(same_network_twice) + "\n") == (
        f"{path}, row 4: 10.0.0.7/24 is already mapped differently"
    )
    same_row_twice = HEADER + "10.0.0.0/24,,a,b,c\n10.0.0.1,pc1,a,b,c\n10.0.0.0/24,,a,b,c\n"
    assert len(Inventory.load(_write(tmp_path, same_row_twice))) == 3
    nothing = HEADER + "10.0.0.1,pc1,a,b,c\n10.0.0.2,pc2,a,b,c\n\n , ,a,b,c\n"
    assert _load_error(tmp_path, nothing) == f"{path}, row 4: neither ip nor hostname is given"
    too_long = HEADER + "\n".join(MANY) + "\n10.0.0.2,pc2,a,b,c,Dr. X, y\n"
    assert _load_error(tmp_path, too_long) == (
        f"{path}, row {len(MANY) + 2}: 7 cells, but the header names 5 columns "
        "(extra: 'Dr. X', ' y')"
    )


def test_header_errors(tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    no_key = "site,department,role\na,b,c\nd,e,f\n"
    assert _load_error(tmp_path, no_key) == (
        f"{path}: the header has neither an 'ip' nor a 'hostname' column "
        "(found: ['department', 'role', 'site'])"
    )
    no_role = "ip,site,department\n10.0.0.1,a,b\n10.0.0.2,c,d\n"
    assert _load_error(tmp_path, no_role) == (
        f"{path}: the header lacks role (found: ['department', 'ip', 'site'])"
    )
    blank_first_line = "\n\n" + HEADER + "10.0.0.1,pc1,a,b,c\n"
    assert "neither an 'ip' nor a 'hostname' column" in _load_error(tmp_path, blank_first_line)


_OCTET = st.one_of(
    st.integers(0, 300).map(str), st.sampled_from(["", "00", "01", "007", "0x1", "+1", "1 "])
)
_IPV4ISH = st.builds(
    lambda octets, dots, prefix: ".".join(octets[:dots]) + prefix,
    st.lists(_OCTET, min_size=5, max_size=5),
    st.integers(1, 5),
    st.one_of(
        st.just(""),
        st.integers(0, 40).map(lambda p: f"/{p}"),
        st.sampled_from(["/", "/032", "/-1", "/3.0", "/255.255.255.0", "/1/2"]),
    ),
)


@given(_IPV4ISH)
def test_fast_ipv4_reading_is_ipaddress(text: str) -> None:
    try:
        expected: object = network_key(ipaddress.ip_network(text, strict=False))
    except ValueError:
        expected = ValueError
    try:
        got: object = _parse_network(text)
    except ValueError:
        got = ValueError
    assert got == expected


_ADDRESSISH = st.one_of(
    _IPV4ISH.filter(lambda t: "/" not in t),
    st.ip_addresses().map(str),
    st.ip_addresses(v=6).map(lambda a: f"{a}%eth0"),
    st.text(alphabet="0123456789.:abcdefABCDEF%\x00 ", max_size=20),
    st.text(max_size=8),
)


@given(_ADDRESSISH)
def test_source_addresses_read_as_ipaddress_reads_them(text: str) -> None:
    """The lookup's fast reading of dotted quads takes exactly the addresses ipaddress takes."""
    try:
        addr = ipaddress.ip_address(text)
        expected: object = (int(addr), addr.version)
    except ValueError:
        expected = None
    assert _ip_value(text) == expected
