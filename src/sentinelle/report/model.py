"""What a monthly report shows, as plain values: built from the store, rendered to HTML.

Nothing here knows about HTML or languages; labels that need translating (an unattributed
department, a category, a policy status) are kept as keys and translated at render time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

METRICS: tuple[str, ...] = (
    "requests",
    "blocked",
    "visits",
    "workstations",
    "users",
    "bytes_out",
    "bytes_in",
)
DIMENSIONS: tuple[str, ...] = ("service", "category", "role", "department", "site")
STATUSES: tuple[str, ...] = ("sanctioned", "tolerated", "unsanctioned", "blocked")
SHADOW_STATUSES: frozenset[str] = frozenset({"unsanctioned", "blocked"})
SMALL_CELL_K = 5


@dataclass(frozen=True)
class Metrics:
    """The seven pinned metrics for one cell (see ``docs/report.md`` for the definitions)."""

    requests: int = 0
    blocked: int = 0
    visits: int = 0
    workstations: int = 0
    users: int = 0
    bytes_out: int | None = None
    bytes_in: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> Metrics:
        """Read the metric columns of a store row; missing counts are 0, missing bytes None."""

        def count(name: str) -> int:
            value = row.get(name)
            return int(value) if value is not None else 0  # type: ignore[call-overload]

        def size(name: str) -> int | None:
            value = row.get(name)
            return int(value) if value is not None else None  # type: ignore[call-overload]

        return cls(
            requests=count("requests"),
            blocked=count("blocked"),
            visits=count("visits"),
            workstations=count("workstations"),
            users=count("users"),
            bytes_out=size("bytes_out"),
            bytes_in=size("bytes_in"),
        )

    @property
    def small(self) -> bool:
        """True when fewer than k workstations make this cell (not to leave the hospital)."""
        return 0 < self.workstations < SMALL_CELL_K


@dataclass(frozen=True)
class Row:
    """One value of a dimension (a service, a role, a department…) and its metrics.

    ``key`` is the stored value (``None`` when the event could not be attributed); ``label``
    the name shown; ``share`` its part of the dimension's requests.  ``category`` and
    ``status`` are set for services only; ``general_purpose`` tells the headline's services.
    """

    key: str | None
    label: str
    metrics: Metrics
    share: float
    category: str | None = None
    status: str | None = None
    general_purpose: bool = False

    @property
    def unattributed(self) -> bool:
        return self.key is None


@dataclass(frozen=True)
class Headline:
    """The figures of the opening sentence (general-purpose services only)."""

    period: str
    requests: int
    workstations: int
    top_service: str | None
    top_share: float | None
    role: str | None
    role_requests: int | None
    role_is_secretary: bool = False


@dataclass(frozen=True)
class DayPoint:
    day: date
    requests: int
    blocked: int
    workstations: int


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # ISO: 1 = Monday … 7 = Sunday
    hour: int  # 0-23, establishment time
    requests: int


@dataclass(frozen=True)
class MonthRow:
    """One stored month; ``partial`` when the scanned logs do not cover all of it."""

    period: str
    metrics: Metrics
    change: float | None  # requests vs the previous month; None if either is partial
    partial: bool = False


@dataclass(frozen=True)
class PolicyGroup:
    """Requests of the services one policy status covers (workstations do not add up)."""

    status: str
    requests: int
    blocked: int
    visits: int
    share: float
    services: tuple[str, ...]


@dataclass(frozen=True)
class DiscoveryHost:
    host: str
    workstations: int
    requests: int


@dataclass(frozen=True)
class DnsSummary:
    """DNS queries (never requests): totals and by service, kept apart from proxy figures."""

    totals: Metrics = field(default_factory=Metrics)
    by_service: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """What the scans of the period read, and what they could not use."""

    files: int = 0
    lines: int = 0
    events: int = 0
    rejected: int = 0
    skipped: int = 0
    ai_events: int = 0
    no_host_events: int = 0
    unattributed_events: int = 0
    dns_events: int = 0
    formats: tuple[str, ...] = ()
    first_ts: datetime | None = None
    last_ts: datetime | None = None


@dataclass(frozen=True)
class ReportData:
    """Everything one monthly report shows, in the order it shows it."""

    period: str
    tz: str
    catalog_version: str | None
    sentinelle_version: str
    generated_at: datetime
    headline: Headline
    totals: Metrics
    general_purpose: Metrics
    by_service: tuple[Row, ...]
    by_category: tuple[Row, ...]
    by_role: tuple[Row, ...]
    by_department: tuple[Row, ...]
    by_site: tuple[Row, ...]
    daily: tuple[DayPoint, ...]
    heatmap: tuple[HeatCell, ...]
    months: tuple[MonthRow, ...]
    policy: tuple[PolicyGroup, ...]
    policy_source: str | None
    discovery: tuple[DiscoveryHost, ...]
    dns: DnsSummary
    coverage: Coverage
    small_cell_k: int = SMALL_CELL_K

    def dimension(self, name: str) -> tuple[Row, ...]:
        """The rows of one of :data:`DIMENSIONS`."""
        return {
            "service": self.by_service,
            "category": self.by_category,
            "role": self.by_role,
            "department": self.by_department,
            "site": self.by_site,
        }[name]

    @property
    def shadow_share(self) -> float:
        """Part of requests going to services the policy leaves unsanctioned or blocks."""
        return sum(g.share for g in self.policy if g.status in SHADOW_STATUSES)
