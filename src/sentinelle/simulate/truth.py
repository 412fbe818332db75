"""Ground truth of the AI hits, and the spine's metrics computed from it in plain Python.

The simulator writes every AI hit it generated (primary and auxiliary) to a CSV file.
:meth:`Truth.metrics` implements the metric definitions of issue 2 independently of the
scanner's SQL, so that the two can be compared:

* hits of one (workstation identity, service) are grouped by time: a hit more than 30 minutes
  after the previous one starts a new *visit*; a visit is counted only if it contains a primary
  hit, and auxiliary-only visits count for nothing;
* ``requests`` = counted hits, ``blocked`` = those the proxy denied, ``visits`` = counted
  visits, each in the period/day/hour/weekday/department/role/site of its *first* hit;
* ``workstations`` = distinct identities (inventory hostname when mapped, else the source
  address), ``users`` = distinct authenticated user names;
* ``bytes_out`` / ``bytes_in`` = sums over the hits that record them, ``None`` when none does;
* time dimensions are local to ``tz``;
* a format that writes whole seconds (``RESOLUTION_MS`` of its writer) shows hit times floored
  to the second, so visits are split on those times (30 min + 1 ms apart may become exactly
  30 min, one visit): the truth is what the log can show; a format that cannot see the deny
  decision (``SEES_BLOCKED = False``, e.g. a passive sensor) counts no ``blocked``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sentinelle.errors import ConfigError

DIMENSIONS = (
    "period",
    "day",
    "hour",
    "weekday",
    "service",
    "category",
    "department",
    "role",
    "site",
)
METRICS = ("requests", "blocked", "visits", "workstations", "users", "bytes_out", "bytes_in")
VISIT_GAP_MS = 30 * 60 * 1000
FILE_NAME = "ai_hits.csv"
COLUMNS = (
    "timestamp_ms",
    "time_utc",
    "source_ip",
    "identity",
    "user",
    "service",
    "category",
    "evidence",
    "blocked",
    "status",
    "bytes_out",
    "bytes_in",
    "site",
    "department",
    "role",
    "host",
)
_RECORDED = {"squid": frozenset({"user", "bytes_in"})}


@dataclass(frozen=True)
class Hit:
    """One AI hit as the scanner should see it (``user`` is "" when the line has none)."""

    ts_ms: int
    identity: str
    service: str
    category: str
    primary: bool
    blocked: bool
    user: str = ""
    bytes_out: int | None = None
    bytes_in: int | None = None
    site: str = "unknown"
    department: str = "unknown"
    role: str = "unknown"
    source_ip: str = ""


class Truth:
    """The AI hits of a simulation; :meth:`metrics` aggregates them like ``sentinelle export``."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        self.hits = sorted(hits, key=lambda h: h.ts_ms)
        self._counted = _counted(self.hits)
        self._by_resolution = {1: self._counted}

    @classmethod
    def load(cls, path: Path | str) -> Truth:
        """Read ``ai_hits.csv`` (or the directory holding it)."""
        path = Path(path)
        if path.is_dir():
            path = path / FILE_NAME
        with path.open(newline="", encoding="utf-8") as fh:
            return cls(_hit(row) for row in csv.DictReader(fh))

    def counted(self) -> list[tuple[Hit, bool]]:
        """The counted hits, each with whether it starts a counted visit."""
        return list(self._counted)

    def metrics(
        self,
        by: Sequence[str] = (),
        period: str | None = None,
        tz: str = "Europe/Paris",
        format: str = "squid",
    ) -> list[dict[str, Any]]:
        """One row per combination of ``by`` with the seven metrics, sorted by the dimensions.

        ``format`` says which optional fields the log records (Squid native: users and
        ``bytes_in`` but not ``bytes_out``); the others come out as 0 users / ``None`` bytes.
        It also gives the precision of the logged times (visits are split on those).
        """
        bad = [d for d in by if d not in DIMENSIONS]
        if bad:
            raise ConfigError(
                f"unknown dimension {bad[0]!r}", hint=f"use some of: {', '.join(DIMENSIONS)}"
            )
        recorded = _RECORDED.get(format) or _recorded(format)
        zone = ZoneInfo(tz)
        groups: dict[tuple[Any, ...], _Acc] = {}
        blocked = _sees_blocked(format)
        for hit, starts in self._at_resolution(_resolution(format)):
            dims = _dims(hit, zone)
            if period is not None and dims["period"] != period:
                continue
            key = tuple(dims[d] for d in by)
            groups.setdefault(key, _Acc()).add(hit, starts, recorded, blocked)
        rows = [dict(zip(by, key, strict=True)) | acc.row() for key, acc in groups.items()]
        rows.sort(key=lambda r: tuple(r[d] for d in by))
        return rows

    def _at_resolution(self, resolution_ms: int) -> list[tuple[Hit, bool]]:
        """The counted hits with visits split on times floored to ``resolution_ms``."""
        if resolution_ms not in self._by_resolution:
            self._by_resolution[resolution_ms] = _counted(self.hits, resolution_ms)
        return self._by_resolution[resolution_ms]


class _Acc:
    def __init__(self) -> None:
        self.requests = self.blocked = self.visits = 0
        self.idents: set[str] = set()
        self.users: set[str] = set()
        self.bytes_out: int | None = None
        self.bytes_in: int | None = None

    def add(self, hit: Hit, starts: bool, recorded: frozenset[str], blocked: bool = True) -> None:
        self.requests += 1
        self.blocked += hit.blocked and blocked
        self.visits += starts
        self.idents.add(hit.identity)
        if hit.user and "user" in recorded:
            self.users.add(hit.user)
        if hit.bytes_out is not None and "bytes_out" in recorded:
            self.bytes_out = (self.bytes_out or 0) + hit.bytes_out
        if hit.bytes_in is not None and "bytes_in" in recorded:
            self.bytes_in = (self.bytes_in or 0) + hit.bytes_in

    def row(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "blocked": self.blocked,
            "visits": self.visits,
            "workstations": len(self.idents),
            "users": len(self.users),
            "bytes_out": self.bytes_out,
            "bytes_in": self.bytes_in,
        }


def _counted(hits: list[Hit], resolution_ms: int = 1) -> list[tuple[Hit, bool]]:
    """Split each (identity, service) stream into visits; keep those with a primary hit."""
    streams: dict[tuple[str, str], list[Hit]] = {}
    for h in hits:  # already in time order
        streams.setdefault((h.identity, h.service), []).append(h)
    out: list[tuple[Hit, bool]] = []
    for stream in streams.values():
        visit: list[Hit] = []
        for h in stream:
            gap = h.ts_ms // resolution_ms - visit[-1].ts_ms // resolution_ms if visit else 0
            if visit and gap * resolution_ms > VISIT_GAP_MS:
                out.extend(_close(visit))
                visit = []
            visit.append(h)
        out.extend(_close(visit))
    out.sort(key=lambda pair: pair[0].ts_ms)
    return out


def _close(visit: list[Hit]) -> list[tuple[Hit, bool]]:
    if not any(h.primary for h in visit):
        return []
    return [(h, k == 0) for k, h in enumerate(visit)]


def _dims(hit: Hit, zone: ZoneInfo) -> dict[str, Any]:
    local = dt.datetime.fromtimestamp(hit.ts_ms / 1000, zone)
    return {
        "period": f"{local.year:04d}-{local.month:02d}",
        "day": local.date().isoformat(),
        "hour": local.hour,
        "weekday": local.isoweekday(),
        "service": hit.service,
        "category": hit.category,
        "department": hit.department,
        "role": hit.role,
        "site": hit.site,
    }


def _recorded(format: str) -> frozenset[str]:
    from sentinelle.simulate import writers

    return frozenset(writers.get(format).RECORDS)


def _resolution(format: str) -> int:
    """The precision of the format's timestamps in ms (1 for Squid native)."""
    return int(_writer_attr(format, "RESOLUTION_MS", 1))


def _sees_blocked(format: str) -> bool:
    """Whether the format records the deny decision (a passive sensor does not)."""
    return bool(_writer_attr(format, "SEES_BLOCKED", True))


def _writer_attr(format: str, name: str, default: Any) -> Any:
    if format == "squid":
        return default
    from sentinelle.simulate import writers

    return getattr(writers.get(format), name, default)


def _int(text: str) -> int | None:
    return int(text) if text != "" else None


def _hit(row: dict[str, str]) -> Hit:
    return Hit(
        ts_ms=int(row["timestamp_ms"]),
        identity=row["identity"],
        service=row["service"],
        category=row["category"],
        primary=row["evidence"] == "primary",
        blocked=row["blocked"] == "1",
        user=row["user"],
        bytes_out=_int(row["bytes_out"]),
        bytes_in=_int(row["bytes_in"]),
        site=row["site"],
        department=row["department"],
        role=row["role"],
        source_ip=row["source_ip"],
    )


def write_truth(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """Write hit rows in :data:`COLUMNS` order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path
