"""DHCP leases: which host name held an address *at a given time*.

Three sources, detected from their first lines:

* ISC dhcpd ``dhcpd.leases`` — ``lease ADDR { starts …; ends …; binding state …;
  client-hostname "…"; }`` blocks, a journal in time order (UTC times, or ``epoch N``);
* Windows DHCP server audit logs ``DhcpSrvLog-*.log`` — CSV after a header
  ``ID,Date,Time,Description,IP Address,Host Name,MAC Address,…``; event 10 (new lease) and 11
  (renewal) open a lease, 12 (release), 16 (deleted), 17 and 18 (expired) close it.  Dates
  are the server's local time (``tz``); a lease without a close lasts ``lease_time`` after its
  last assignment or renewal (8 days, the Windows default);
* dnsmasq ``dnsmasq.leases`` — ``expiry mac addr hostname clientid`` lines, a snapshot of the
  current leases: each lasts ``lease_time`` (1 hour, the dnsmasq default) up to its expiry.

Every source becomes *opens* (address, start, end, host) and *closes* (address, time).  Per
address they are swept in time order: a newer open ends the previous lease (an address serves
one client at a time), a close ends the current one.  The result is, per address, sorted
non-overlapping intervals, and :meth:`LeaseTable.hostname_at` is a binary search.
"""

from __future__ import annotations

import csv
import ipaddress
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from sentinelle.errors import InventoryError
from sentinelle.inventory import normalize_host

__all__ = ["FORMATS", "LeaseTable", "Problem", "detect", "load_leases", "normalize_ip"]

FORMATS = ("isc-dhcpd", "windows-dhcp", "dnsmasq")
WINDOWS_LEASE = timedelta(days=8)
DNSMASQ_LEASE = timedelta(hours=1)
_FOREVER = float("inf")
_OPEN_IDS = {"10", "11"}
_CLOSE_IDS = {"12", "16", "17", "18"}
_CLOSED_STATES = {"free", "released", "expired", "abandoned", "reset", "backup"}


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad line or row of an attribution source: skipped, counted, shown with its place."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Open:
    ip: str
    start: float
    end: float
    host: str | None


@dataclass(frozen=True, slots=True)
class _Close:
    ip: str
    at: float


@dataclass
class LeaseTable:
    """Per address, sorted intervals ``[start, end)`` (epoch seconds) and the host holding it."""

    starts: dict[str, list[float]] = field(default_factory=dict)
    ends: dict[str, list[float]] = field(default_factory=dict)
    hosts: dict[str, list[str | None]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def hostname_at(self, ip: str, when: datetime) -> str | None:
        """The host name that held ``ip`` at ``when`` (aware datetime), or None."""
        key = normalize_ip(ip)
        starts = self.starts.get(key) if key else None
        if not starts:
            return None
        t = when.timestamp()
        i = bisect_right(starts, t) - 1
        if i >= 0 and t < self.ends[key][i]:  # type: ignore[index]
            return self.hosts[key][i]  # type: ignore[index]
        return None

    def __len__(self) -> int:
        return sum(len(v) for v in self.starts.values())

    @classmethod
    def build(cls, records: Iterable[_Open | _Close]) -> LeaseTable:
        """Sweep opens and closes per address in time order (a close before an open at a tie)."""
        per_ip: dict[str, list[tuple[float, int, int, _Open | _Close]]] = {}
        for n, rec in enumerate(records):
            at, kind = (rec.start, 1) if isinstance(rec, _Open) else (rec.at, 0)
            per_ip.setdefault(rec.ip, []).append((at, kind, n, rec))
        table = cls()
        for ip, recs in per_ip.items():
            recs.sort(key=lambda r: r[:3])
            starts, ends, hosts = _sweep([r[3] for r in recs])
            if starts:
                table.starts[ip], table.ends[ip], table.hosts[ip] = starts, ends, hosts
        return table


def _sweep(recs: list[_Open | _Close]) -> tuple[list[float], list[float], list[str | None]]:
    starts: list[float] = []
    ends: list[float] = []
    hosts: list[str | None] = []
    for rec in recs:
        if isinstance(rec, _Close):
            if ends and starts[-1] <= rec.at < ends[-1]:
                ends[-1] = rec.at
            continue
        if ends and ends[-1] > rec.start:  # a newer lease ends the previous one
            ends[-1] = rec.start
        if starts and starts[-1] == ends[-1]:  # drop what became empty
            starts.pop(), ends.pop(), hosts.pop()
        starts.append(rec.start)
        ends.append(rec.end)
        hosts.append(rec.host)
    return starts, ends, hosts


@lru_cache(maxsize=1 << 16)
def normalize_ip(text: str) -> str | None:
    """The canonical text of an address (IPv4-mapped IPv6 as IPv4), or None when not one."""
    try:
        addr = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.compressed


# -- loading ----------------------------------------------------------------------------------
def load_leases(
    paths: Iterable[Path],
    tz: str = "Europe/Paris",
    windows_lease: timedelta = WINDOWS_LEASE,
    dnsmasq_lease: timedelta = DNSMASQ_LEASE,
) -> LeaseTable:
    """Read every DHCP file (format detected per file) into one time-aware table."""
    records: list[_Open | _Close] = []
    problems: list[Problem] = []
    paths = list(paths)
    for path in paths:
        lines = _read_lines(path)
        fmt = detect(lines[:50], str(path))
        parser: Callable[..., Iterator[_Open | _Close | Problem]] = _PARSERS[fmt]
        for item in parser(lines, str(path), ZoneInfo(tz), windows_lease, dnsmasq_lease):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                records.append(item)
    table = LeaseTable.build(records)
    table.problems, table.files = problems, len(paths)
    return table


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InventoryError(f"{path}: cannot read the DHCP file ({e.strerror})") from None
    for enc in ("utf-8-sig", "utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return raw.decode(enc).splitlines()
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1").splitlines()


_DNSMASQ = re.compile(r"^\d+ \S+ \S+ \S+ \S+$")


def detect(lines: list[str], name: str = "<dhcp>") -> str:
    """The DHCP format of a file from its first lines; InventoryError when none fits."""
    text = "\n".join(lines)
    if (
        re.search(r"^\s*lease\s+\S+\s*\{", text, re.M)
        or "authoring-byte-order" in text
        or "dhcp-ISC" in text
        or "isc-dhcp" in text
    ):
        return "isc-dhcpd"
    if "Microsoft DHCP Service Activity Log" in text or re.search(r"^ID,Date,Time,", text, re.M):
        return "windows-dhcp"
    body = [ln for ln in lines if ln.strip() and not ln.startswith("duid ")]
    fits = sum(bool(_DNSMASQ.match(ln.strip())) for ln in body[:20])
    if fits and fits >= 0.5 * len(body[:20]):
        return "dnsmasq"
    raise InventoryError(
        f"{name}: not a DHCP leases file this version can read",
        hint=f"formats tried: {', '.join(FORMATS)} (ISC dhcpd.leases, Windows DhcpSrvLog-*.log, "
        "dnsmasq.leases)",
    )


# -- ISC dhcpd --------------------------------------------------------------------------------
_LEASE_START = re.compile(r"^\s*lease\s+(\S+)\s*\{")
_TIME = re.compile(
    r"^(starts|ends)\s+(?:\d\s+(\d{4}/\d{1,2}/\d{1,2}\s+\d{1,2}:\d{2}:\d{2})"
    r"|epoch\s+(\d+)|(never))"
)


def _isc(lines: list[str], name: str, *_: object) -> Iterator[_Open | _Close | Problem]:
    block: list[tuple[int, str]] | None = None
    ip, first = "", 0
    depth = 0
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if block is None:
            m = _LEASE_START.match(stripped)
            if m and depth == 0:
                block, ip, first, depth = [], m.group(1), n, 1
                continue
            depth += stripped.count("{") - stripped.count("}")
            depth = max(depth, 0)
            continue
        depth += stripped.count("{") - stripped.count("}")
        if depth <= 0:
            yield from _isc_block(ip, block, name, first)
            block, depth = None, 0
            continue
        block.append((n, stripped))
    if block is not None:
        yield Problem(name, first, f"lease {ip} is not closed by '}}' (truncated file?)")


def _isc_block(
    ip_text: str, block: list[tuple[int, str]], name: str, first: int
) -> Iterator[_Open | _Close | Problem]:
    ip = normalize_ip(ip_text)
    if ip is None:
        yield Problem(name, first, f"{ip_text!r} is not an IP address")
        return
    times: dict[str, float] = {}
    state, host = "active", None
    for n, stmt in block:
        stmt = stmt.rstrip(";").strip()
        if stmt.startswith(("starts", "ends")):
            parsed = _isc_time(stmt)
            if parsed is None:
                yield Problem(name, n, f"cannot read the time in {stmt!r}")
                return
            times[stmt.split()[0]] = parsed
        elif stmt.startswith("binding state"):
            state = stmt.split()[-1]
        elif stmt.startswith("client-hostname"):
            host = _unquote(stmt[len("client-hostname") :].strip())
    if "starts" not in times and "ends" not in times:
        yield Problem(name, first, f"lease {ip_text} has neither starts nor ends")
        return
    start, end = times.get("starts", -_FOREVER), times.get("ends", _FOREVER)
    if state in _CLOSED_STATES:
        yield _Close(ip, end)
    elif end > start:
        yield _Open(ip, start, end, normalize_host(host) if host else None)


def _isc_time(stmt: str) -> float | None:
    m = _TIME.match(stmt)
    if m is None:
        return None
    if m.group(4):
        return _FOREVER if m.group(1) == "ends" else -_FOREVER
    if m.group(3):
        return float(m.group(3))
    try:
        when = datetime.strptime(m.group(2), "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return when.timestamp()


def _unquote(text: str) -> str:
    text = text.strip().rstrip(";").strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


# -- Windows DHCP server audit log ------------------------------------------------------------
def _windows(
    lines: list[str], name: str, zone: ZoneInfo, lease: timedelta, _dnsmasq: timedelta
) -> Iterator[_Open | _Close | Problem]:
    header_at = next((n for n, ln in enumerate(lines) if ln.startswith("ID,Date,Time")), None)
    if header_at is None:
        yield Problem(name, 1, "no 'ID,Date,Time,…' header line: nothing read")
        return
    span = lease.total_seconds()
    for n, row in enumerate(csv.reader(lines[header_at + 1 :]), start=header_at + 2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 6:
            yield Problem(name, n, f"{len(row)} fields, expected at least 6")
            continue
        event = row[0].strip()
        if event not in _OPEN_IDS and event not in _CLOSE_IDS:
            continue
        at = _windows_time(row[1].strip(), row[2].strip(), zone)
        ip = normalize_ip(row[4])
        if at is None or ip is None:
            what = "date/time" if at is None else "IP address"
            yield Problem(
                name, n, f"event {event}: cannot read the {what} ({row[1]} {row[2]} / {row[4]!r})"
            )
            continue
        if event in _OPEN_IDS:
            host = row[5].strip()
            yield _Open(ip, at, at + span, normalize_host(host) if host else None)
        else:
            yield _Close(ip, at)


def _windows_time(date: str, time: str, zone: ZoneInfo) -> float | None:
    for fmt in ("%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M:%S"):
        try:
            return datetime.strptime(f"{date} {time}", fmt).replace(tzinfo=zone).timestamp()
        except ValueError:
            continue
    return None


# -- dnsmasq ----------------------------------------------------------------------------------
def _dnsmasq(
    lines: list[str], name: str, _zone: ZoneInfo, _windows_lease: timedelta, lease: timedelta
) -> Iterator[_Open | _Close | Problem]:
    span = lease.total_seconds()
    for n, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts or parts[0] == "duid":
            continue
        if len(parts) < 4 or not parts[0].isdigit():
            yield Problem(
                name, n, f"expected 'expiry mac address hostname clientid', read {line[:60]!r}"
            )
            continue
        ip = normalize_ip(parts[2])
        if ip is None:
            yield Problem(name, n, f"{parts[2]!r} is not an IP address")
            continue
        expiry = int(parts[0])
        host = None if parts[3] == "*" else normalize_host(parts[3])
        if expiry == 0:  # an infinite lease
            yield _Open(ip, -_FOREVER, _FOREVER, host)
        else:
            yield _Open(ip, expiry - span, float(expiry), host)


_PARSERS: dict[str, Callable[..., Iterator[_Open | _Close | Problem]]] = {
    "isc-dhcpd": _isc,
    "windows-dhcp": _windows,
    "dnsmasq": _dnsmasq,
}
