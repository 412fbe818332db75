"""Attribution: a log's source (address or host name) → a workstation, its site, department, role.

The inventory is a CSV with a header: ``ip`` (an address or a CIDR network, IPv4 or IPv6) and/or
``hostname``, plus ``site``, ``department``, ``role``.  The most specific network wins.  A source
that no row covers is attributed to ``unknown`` — never dropped.

A workstation's identity is the inventory host name when one is mapped, else the source address.
"""

from __future__ import annotations

import csv
import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from sentinelle.errors import InventoryError

__all__ = [
    "UNKNOWN",
    "Attribution",
    "Attributor",
    "Inventory",
    "NetKey",
    "Row",
    "network_key",
    "normalize_host",
]

UNKNOWN = "unknown"
_Net = ipaddress.IPv4Network | ipaddress.IPv6Network
#: a network as (IP version, prefix length, network address as an integer)
NetKey = tuple[int, int, int]
# What ipaddress accepts as an IPv4 address (no leading zeros), with an optional prefix length:
# read without building ipaddress objects, which cost most of a large inventory's loading.
_IPV4 = re.compile(r"((?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3})(?:/([0-9]+))?")
_MASK4 = [(0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF for plen in range(33)]


@dataclass(frozen=True, slots=True)
class Attribution:
    identity: str | None  # clear identity: pseudonymized before anything is stored
    site: str
    department: str
    role: str
    known: bool


class Attributor(Protocol):
    """Anything that attributes a log source (at a time, with a user name) to a workstation."""

    def attribute(
        self,
        ip: str | None,
        hostname: str | None = None,
        when: datetime | None = None,
        user: str | None = None,
    ) -> Attribution: ...


@dataclass(frozen=True, slots=True)
class _Row:
    hostname: str | None
    site: str
    department: str
    role: str


class Inventory:
    """Longest-prefix lookup of addresses, exact lookup of host names."""

    def __init__(self, networks: dict[NetKey, _Row], hosts: dict[str, _Row]) -> None:
        self._networks = networks
        self._hosts = hosts
        self._by_len: dict[int, list[tuple[int, dict[int, _Row]]]] = {4: [], 6: []}
        grouped: dict[tuple[int, int], dict[int, _Row]] = {}
        for (version, plen, value), row in networks.items():
            grouped.setdefault((version, plen), {})[value] = row
        for (version, plen), table in sorted(grouped.items(), key=lambda kv: -kv[0][1]):
            self._by_len[version].append((plen, table))
        self._cached = lru_cache(maxsize=1 << 16)(self._attribute)

    def attribute(
        self,
        ip: str | None,
        hostname: str | None = None,
        when: datetime | None = None,
        user: str | None = None,
    ) -> Attribution:
        """The workstation behind ``ip``/``hostname`` (static: ``when`` and ``user`` unused)."""
        return self._cached(ip, hostname)

    @classmethod
    def empty(cls) -> Inventory:
        return cls({}, {})

    def merged(self, other: Inventory) -> Inventory:
        """Both inventories in one; ``self`` wins where both map the same network or host name."""
        return Inventory(other._networks | self._networks, other._hosts | self._hosts)

    def row_for_host(self, hostname: str) -> _Row | None:
        """The row of a host name (full name first, then its first label), or None."""
        name = normalize_host(hostname)
        return self._hosts.get(name) or self._hosts.get(name.split(".", 1)[0])

    def row_for_address(self, ip: str) -> _Row | None:
        """The row of the most specific network holding ``ip``, or None."""
        return self._lookup_ip(ip)

    @classmethod
    def load(cls, path: Path | None) -> Inventory:
        """Read the inventory CSV; InventoryError with the row number for any bad row."""
        if path is None:
            return cls.empty()
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                sample = fh.read(4096)
                fh.seek(0)
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
                return cls._from_csv(csv.reader(fh, dialect=dialect), str(path))
        except OSError as e:
            raise InventoryError(f"{path}: cannot read the inventory ({e.strerror})") from None
        except csv.Error as e:
            raise InventoryError(f"{path}: not a CSV file ({e})") from None

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]], name: str = "<inventory>") -> Inventory:
        """The inventory of CSV records (a ``csv.DictReader``: its header is checked first)."""
        reader_fields: list[str] | None = getattr(rows, "fieldnames", None)
        if reader_fields is not None:
            _check_header(reader_fields, name)
        builder = _Builder(name)
        for n, rec in enumerate(rows, start=2):
            builder.add_record(n, rec)
        return cls(builder.networks, builder.hosts)

    @classmethod
    def _from_csv(cls, reader: Iterable[list[str]], name: str) -> Inventory:
        """What :meth:`from_rows` makes of a ``csv.DictReader`` on this file, without the dicts."""
        reader = iter(reader)
        fields = next(reader, None)
        if fields is None:
            return cls.empty()
        _check_header(fields, name)
        width = len(fields)
        # the column each key is read from, as the DictReader (the last of equal names) and the
        # lowering of add_record (the last of names equal once lowered) settle it
        last = {k: i for i, k in enumerate(fields)}
        cols = {k.strip().lower(): i for k, i in last.items()}
        i_ip, i_host = cols.get("ip"), cols.get("hostname")
        i_site, i_dep, i_role = cols["site"], cols["department"], cols["role"]
        builder = _Builder(name)
        n = 1
        for cells in reader:
            if not cells:  # the DictReader skips blank lines: they are not counted
                continue
            n += 1
            if len(cells) != width:
                builder.add_record(n, _as_record(fields, cells))
                continue
            builder.add(
                n,
                cells[i_ip].strip() if i_ip is not None else "",
                cells[i_host].strip() if i_host is not None else "",
                cells[i_site].strip(),
                cells[i_dep].strip(),
                cells[i_role].strip(),
            )
        return cls(builder.networks, builder.hosts)

    def _attribute(self, ip: str | None, hostname: str | None = None) -> Attribution:
        row = self._lookup_ip(ip) if ip else None
        if row is None and hostname:
            row = self._hosts.get(hostname.lower().rstrip("."))
            if row is not None:
                return Attribution(
                    row.hostname or hostname.lower(), row.site, row.department, row.role, True
                )
        if row is None:
            return Attribution(
                ip or (hostname.lower() if hostname else None), UNKNOWN, UNKNOWN, UNKNOWN, False
            )
        return Attribution(row.hostname or ip, row.site, row.department, row.role, True)

    def _lookup_ip(self, ip: str) -> _Row | None:
        found = _ip_value(ip)
        if found is None:
            return None
        value, version = found
        bits = 32 if version == 4 else 128
        for plen, table in self._by_len[version]:
            key = value & (((1 << plen) - 1) << (bits - plen)) if plen else 0
            row = table.get(key)
            if row is not None:
                return row
        return None

    def __len__(self) -> int:
        return sum(len(t) for v in self._by_len.values() for _, t in v) + len(self._hosts)


Row = _Row


def _ip_value(ip: str) -> tuple[int, int] | None:
    """(integer value, version) of the address ``ip``, or None when it is not one.

    A dotted quad (nearly every source) is read by ``inet_pton``, about ten times faster than
    :func:`ipaddress.ip_address`, which reads the rest; both take exactly the same quads
    (``tests/inventory`` checks it).
    """
    try:
        return int.from_bytes(socket.inet_pton(socket.AF_INET, ip), "big"), 4
    except (OSError, ValueError):
        pass
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return int(addr), addr.version


class _Builder:
    """Inventory rows → networks and host names, checked row by row."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.networks: dict[NetKey, _Row] = {}
        self.hosts: dict[str, _Row] = {}

    def add_record(self, n: int, rec: Mapping[Any, Any]) -> None:
        """Add record ``rec`` of row ``n``, as a ``csv.DictReader`` gives it (column -> cell)."""
        extra = rec.get(None)
        if extra:  # a DictReader files the cells beyond the header under None
            raise InventoryError(
                f"{self.name}, row {n}: {len(rec) - 1 + len(extra)} cells, but the header names "
                f"{len(rec) - 1} columns (extra: {', '.join(map(repr, extra[:3]))})",
                hint="quote the cells that contain the delimiter, or name every column in the "
                "header",
            )
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in rec.items()}
        self.add(
            n,
            rec.get("ip") or "",
            rec.get("hostname") or "",
            rec.get("site"),
            rec.get("department"),
            rec.get("role"),
        )

    def add(
        self,
        n: int,
        ip: str,
        hostname: str,
        site: str | None,
        department: str | None,
        role: str | None,
    ) -> None:
        """Add row ``n`` (stripped cells; None for an absent column)."""
        host = hostname.lower().rstrip(".") or None
        if not ip and not host:
            raise InventoryError(f"{self.name}, row {n}: neither ip nor hostname is given")
        row = _Row(host, site or UNKNOWN, department or UNKNOWN, role or UNKNOWN)
        if ip:
            try:
                key = _parse_network(ip)
            except ValueError:
                raise InventoryError(
                    f"{self.name}, row {n}: {ip!r} is not an IP address or CIDR network",
                    hint="write addresses like 10.1.2.3 or 2001:db8::5, networks like 10.1.0.0/16",
                ) from None
            known = self.networks.get(key)
            if known is not None and known != row:
                raise InventoryError(f"{self.name}, row {n}: {ip} is already mapped differently")
            self.networks[key] = row
        if host:
            self.hosts[host] = row


def _as_record(fields: list[str], cells: list[str]) -> dict[str | None, Any]:
    """``cells`` as ``csv.DictReader`` gives them: padded with None, extra cells under None."""
    rec: dict[str | None, Any] = dict(zip(fields, cells, strict=False))
    if len(cells) > len(fields):
        rec[None] = cells[len(fields) :]
    for key in fields[len(cells) :]:
        rec[key] = None
    return rec


def _parse_network(text: str) -> NetKey:
    """The network of an address or CIDR (host bits cleared), as ``ip_network(strict=False)``."""
    m = _IPV4.fullmatch(text)
    if m is not None:
        plen = 32 if m[2] is None else int(m[2])
        try:
            value = int.from_bytes(socket.inet_pton(socket.AF_INET, m[1]), "big")
        except OSError:  # an octet above 255: ipaddress says why
            pass
        else:
            if plen <= 32:
                return 4, plen, value & _MASK4[plen]
    return network_key(ipaddress.ip_network(text, strict=False))


def network_key(net: _Net) -> NetKey:
    """The key of ``net`` in an :class:`Inventory`'s networks."""
    return net.version, net.prefixlen, int(net.network_address)


def normalize_host(name: str) -> str:
    """Host names compare lower-case, without a trailing dot."""
    return name.strip().lower().rstrip(".")


def _check_header(fields: list[str], name: str) -> None:
    cols = {f.strip().lower() for f in fields if f}
    if not cols & {"ip", "hostname"}:
        raise InventoryError(
            f"{name}: the header has neither an 'ip' nor a 'hostname' column "
            f"(found: {sorted(cols)})",
            hint="the inventory CSV needs a header such as: ip,hostname,site,department,role",
        )
    missing = {"site", "department", "role"} - cols
    if missing:
        raise InventoryError(
            f"{name}: the header lacks {', '.join(sorted(missing))} (found: {sorted(cols)})",
            hint="the inventory CSV needs a header such as: ip,hostname,site,department,role",
        )
