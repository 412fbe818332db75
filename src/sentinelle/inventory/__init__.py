"""Attribution: a log's source (address or host name) → a workstation, its site, department, role.

The inventory is a CSV with a header: ``ip`` (an address or a CIDR network, IPv4 or IPv6) and/or
``hostname``, plus ``site``, ``department``, ``role``.  The most specific network wins.  A source
that no row covers is attributed to ``unknown`` — never dropped.

A workstation's identity is the inventory host name when one is mapped, else the source address.
"""

from __future__ import annotations

import csv
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from sentinelle.errors import InventoryError

__all__ = ["UNKNOWN", "Attribution", "Attributor", "Inventory", "Row", "normalize_host"]

UNKNOWN = "unknown"
_Net = ipaddress.IPv4Network | ipaddress.IPv6Network


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

    def __init__(self, networks: dict[_Net, _Row], hosts: dict[str, _Row]) -> None:
        self._networks = networks
        self._hosts = hosts
        self._by_len: dict[int, list[tuple[int, dict[int, _Row]]]] = {4: [], 6: []}
        grouped: dict[tuple[int, int], dict[int, _Row]] = {}
        for net, row in networks.items():
            grouped.setdefault((net.version, net.prefixlen), {})[int(net.network_address)] = row
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
                return cls.from_rows(csv.DictReader(fh, dialect=dialect), str(path))
        except OSError as e:
            raise InventoryError(f"{path}: cannot read the inventory ({e.strerror})") from None
        except csv.Error as e:
            raise InventoryError(f"{path}: not a CSV file ({e})") from None

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]], name: str = "<inventory>") -> Inventory:
        networks: dict[_Net, _Row] = {}
        hosts: dict[str, _Row] = {}
        reader_fields: list[str] | None = getattr(rows, "fieldnames", None)
        if reader_fields is not None:
            _check_header(reader_fields, name)
        for n, rec in enumerate(rows, start=2):
            rec = {(k or "").strip().lower(): (v or "").strip() for k, v in rec.items()}
            ip, host = rec.get("ip", ""), rec.get("hostname", "").lower().rstrip(".") or None
            if not ip and not host:
                raise InventoryError(f"{name}, row {n}: neither ip nor hostname is given")
            row = _Row(
                host,
                rec.get("site") or UNKNOWN,
                rec.get("department") or UNKNOWN,
                rec.get("role") or UNKNOWN,
            )
            if ip:
                try:
                    net = ipaddress.ip_network(ip, strict=False)
                except ValueError:
                    raise InventoryError(
                        f"{name}, row {n}: {ip!r} is not an IP address or CIDR network",
                        hint="write addresses like 10.1.2.3 or 2001:db8::5, networks like "
                        "10.1.0.0/16",
                    ) from None
                if net in networks and networks[net] != row:
                    raise InventoryError(f"{name}, row {n}: {ip} is already mapped differently")
                networks[net] = row
            if host:
                hosts[host] = row
        return cls(networks, hosts)

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
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        value, bits = int(addr), addr.max_prefixlen
        for plen, table in self._by_len[addr.version]:
            key = value & (((1 << plen) - 1) << (bits - plen)) if plen else 0
            row = table.get(key)
            if row is not None:
                return row
        return None

    def __len__(self) -> int:
        return sum(len(t) for v in self._by_len.values() for _, t in v) + len(self._hosts)


Row = _Row


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
