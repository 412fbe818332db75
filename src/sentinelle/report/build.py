"""Build a :class:`ReportData` for one month from the store, the catalog and the policy.

Only additive metrics (requests, blocked, visits, bytes) are ever summed across rows;
workstations and users are distinct counts, so they are always read from the store for the
exact grouping shown, never added up.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sentinelle import __version__
from sentinelle.errors import ConfigError, StoreError
from sentinelle.report.model import (
    STATUSES,
    Coverage,
    DayPoint,
    DiscoveryHost,
    DnsSummary,
    Headline,
    HeatCell,
    Metrics,
    MonthRow,
    PolicyGroup,
    ReportData,
    Row,
)

MONTHS_SHOWN = 13
DISCOVERY_LIMIT = 30
# Logs rotated at midnight may start a few minutes late: not a partial month for that.
PARTIAL_SLACK = timedelta(hours=1)
UNATTRIBUTED = frozenset({"", "unknown", "inconnu", "-"})
# A role whose name starts like this is the one the headline highlights by default.
_SECRETARY = re.compile(r"^secretari(at|ats)? medic|^secretaires? medic")


class StoreLike(Protocol):
    """The part of ``sentinelle.store.Store`` a report reads."""

    @property
    def tz(self) -> str: ...
    @property
    def catalog_version(self) -> str | None: ...

    def periods(self) -> list[str]: ...
    def metrics(
        self,
        by: Sequence[str],
        period: str | None = ...,
        protocol: str = ...,
        services: Sequence[str] | None = ...,
    ) -> list[dict[str, Any]]: ...
    def scan_summary(self, period: str | None = ...) -> dict[str, Any]: ...
    def discovery(self, period: str | None = ..., limit: int = ...) -> list[dict[str, Any]]: ...


def build_report_data(
    store: StoreLike,
    period: str | None,
    *,
    catalog: Any,
    policy: Any = None,
    highlight_role: str | None = None,
) -> ReportData:
    """Read one month (``None``: the latest stored) and return everything the report shows.

    ``catalog`` needs ``services[id]`` with ``name``, ``category``, ``general_purpose``;
    ``policy`` needs ``status(service_id, category)``; without one every service is
    ``unsanctioned``, the policy file's own default.
    """
    period = _resolve_period(store, period)
    services = _service_rows(store, period, catalog, policy)
    gp_ids = [r.key for r in services if r.general_purpose and r.key is not None]
    totals = _one(store.metrics([], period=period))
    general = _general_purpose(store, period, services, gp_ids)
    coverage = _coverage(store.scan_summary(period))
    return ReportData(
        period=period,
        tz=store.tz,
        catalog_version=store.catalog_version,
        sentinelle_version=__version__,
        generated_at=datetime.now(UTC),
        headline=_headline(store, period, services, general, highlight_role),
        totals=totals,
        general_purpose=general,
        by_service=services,
        by_category=_rows(store.metrics(["category"], period=period), "category"),
        by_role=_rows(store.metrics(["role"], period=period), "role"),
        by_department=_rows(store.metrics(["department"], period=period), "department"),
        by_site=_rows(store.metrics(["site"], period=period), "site"),
        daily=_daily(store, period),
        heatmap=_heatmap(store, period),
        months=_months(store, period, coverage),
        policy=_policy_groups(services),
        policy_source=_policy_source(policy),
        discovery=_discovery(store, period),
        dns=_dns(store, period, catalog),
        coverage=coverage,
    )


def _resolve_period(store: StoreLike, period: str | None) -> str:
    periods = store.periods()
    if not periods:
        raise StoreError(
            "the store holds no scanned events yet",
            hint="run `sentinelle scan PATH...` with the same --store first",
        )
    if period is None:
        return periods[-1]
    if period not in periods:
        raise ConfigError(
            f"no data for period {period!r} in the store",
            hint=f"stored periods: {', '.join(periods)}",
        )
    return period


def _key(value: object) -> str | None:
    """The stored dimension value, or ``None`` for events not attributed to one."""
    if value is None:
        return None
    text = str(value)
    return None if text.strip().lower() in UNATTRIBUTED else text


def _order(rows: Iterable[Row]) -> tuple[Row, ...]:
    return tuple(sorted(rows, key=lambda r: (r.unattributed, -r.metrics.requests, r.label)))


def _shares(rows: list[tuple[str | None, Metrics]]) -> list[tuple[str | None, Metrics, float]]:
    total = sum(m.requests for _, m in rows)
    return [(k, m, m.requests / total if total else 0.0) for k, m in rows]


def _rows(records: list[dict[str, Any]], dim: str) -> tuple[Row, ...]:
    pairs = [(_key(r.get(dim)), Metrics.from_row(r)) for r in records]
    return _order(Row(key=k, label=k or "", metrics=m, share=s) for k, m, s in _shares(pairs))


def _service_info(catalog: Any, service_id: str) -> tuple[str, str | None, bool]:
    """Name, category and general-purpose flag; unknown ids (local services) keep their id."""
    entry = getattr(catalog, "services", {}).get(service_id)
    if entry is None:
        return service_id, None, False
    category = getattr(entry, "category", None)
    general = getattr(entry, "general_purpose", category == "assistant")
    return entry.name, category, bool(general)


def _service_rows(store: StoreLike, period: str, catalog: Any, policy: Any) -> tuple[Row, ...]:
    records = store.metrics(["service", "category"], period=period)
    pairs = [(_key(r.get("service")), Metrics.from_row(r)) for r in records]
    categories = {_key(r.get("service")): _key(r.get("category")) for r in records}
    rows = []
    for key, metrics, share in _shares(pairs):
        name, category, general = _service_info(catalog, key) if key else ("", None, False)
        category = category or categories.get(key)
        status = policy.status(key, category) if policy is not None and key else "unsanctioned"
        rows.append(Row(key, name, metrics, share, category, status, general))
    return _order(rows)


def _one(records: list[dict[str, Any]]) -> Metrics:
    return Metrics.from_row(records[0]) if records else Metrics()


def _sum_bytes(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _general_purpose(
    store: StoreLike, period: str, services: Sequence[Row], gp_ids: list[str]
) -> Metrics:
    """Summed additive metrics of general-purpose services, with their distinct counts."""
    gp = [r.metrics for r in services if r.general_purpose]
    scoped = _one(store.metrics([], period=period, services=gp_ids))
    distinct = (scoped.workstations, scoped.users)
    return Metrics(
        requests=sum(m.requests for m in gp),
        blocked=sum(m.blocked for m in gp),
        visits=sum(m.visits for m in gp),
        workstations=distinct[0] if gp else 0,
        users=distinct[1] if gp else 0,
        bytes_out=_sum_bytes(m.bytes_out for m in gp),
        bytes_in=_sum_bytes(m.bytes_in for m in gp),
    )


def _fold(text: str) -> str:
    """Lower-case without accents, to compare role names."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_secretary_role(role: str) -> bool:
    """True for "Secrétariat médical…" / "Secrétaire médicale…" whatever the case and accents."""
    return bool(_SECRETARY.match(_fold(role)))


def _role_requests(store: StoreLike, period: str, gp: set[str]) -> dict[str, int]:
    """Requests to general-purpose services per attributed role."""
    counts: dict[str, int] = defaultdict(int)
    for record in store.metrics(["role", "service"], period=period):
        role = _key(record.get("role"))
        if role is not None and record.get("service") in gp:
            counts[role] += int(record.get("requests") or 0)
    return dict(counts)


def _pick_role(counts: Mapping[str, int], wanted: str | None) -> str | None:
    if wanted is not None:
        match = [r for r in counts if _fold(r) == _fold(wanted)]
        if not match:
            raise ConfigError(
                f"highlight role {wanted!r} has no general-purpose AI requests this period",
                hint=f"roles seen: {', '.join(sorted(counts)) or 'none'}",
            )
        return match[0]
    ranked = sorted(counts, key=lambda r: (-counts[r], r))
    secretaries = [r for r in ranked if is_secretary_role(r)]
    chosen = secretaries or ranked
    return chosen[0] if chosen else None


def _headline(
    store: StoreLike,
    period: str,
    services: Sequence[Row],
    general: Metrics,
    highlight_role: str | None,
) -> Headline:
    gp = [r for r in services if r.general_purpose]
    top = gp[0] if gp and gp[0].metrics.requests else None
    counts = _role_requests(store, period, {r.key for r in gp if r.key})
    role = _pick_role(counts, highlight_role)
    return Headline(
        period=period,
        requests=general.requests,
        workstations=general.workstations,
        top_service=top.label if top else None,
        top_share=top.metrics.requests / general.requests if top else None,
        role=role,
        role_requests=counts.get(role) if role else None,
        role_is_secretary=bool(role and is_secretary_role(role)),
    )


def _daily(store: StoreLike, period: str) -> tuple[DayPoint, ...]:
    year, month = (int(p) for p in period.split("-"))
    found = {str(r.get("day")): r for r in store.metrics(["day"], period=period)}
    points = []
    for d in range(1, calendar.monthrange(year, month)[1] + 1):
        day = date(year, month, d)
        m = Metrics.from_row(found.get(day.isoformat(), {}))
        points.append(DayPoint(day, m.requests, m.blocked, m.workstations))
    return tuple(points)


def _heatmap(store: StoreLike, period: str) -> tuple[HeatCell, ...]:
    found = {
        (int(r["weekday"]), int(r["hour"])): int(r.get("requests") or 0)
        for r in store.metrics(["weekday", "hour"], period=period)
    }
    return tuple(HeatCell(wd, h, found.get((wd, h), 0)) for wd in range(1, 8) for h in range(24))


def _partial(period: str, tz: str, coverage: Coverage) -> bool:
    """True when the scanned logs start after the month begins or end before it ends."""
    if coverage.first_ts is None or coverage.last_ts is None:
        return False
    year, month = (int(p) for p in period.split("-"))
    zone = ZoneInfo(tz)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return coverage.first_ts > start + PARTIAL_SLACK or coverage.last_ts < end - PARTIAL_SLACK


def _change(before: Sequence[MonthRow], m: Metrics, partial: bool) -> float | None:
    """Requests relative to the previous month; None when either month is partial."""
    if not before or partial or before[-1].partial or not before[-1].metrics.requests:
        return None
    base = before[-1].metrics.requests
    return (m.requests - base) / base


def _months(store: StoreLike, period: str, coverage: Coverage) -> tuple[MonthRow, ...]:
    records = sorted(
        (r for r in store.metrics(["period"]) if str(r["period"]) <= period),
        key=lambda r: str(r["period"]),
    )[-MONTHS_SHOWN:]
    rows: list[MonthRow] = []
    for record in records:
        m = Metrics.from_row(record)
        partial = _partial(str(record["period"]), store.tz, coverage)
        rows.append(MonthRow(str(record["period"]), m, _change(rows, m, partial), partial))
    return tuple(rows)


def _policy_groups(services: Sequence[Row]) -> tuple[PolicyGroup, ...]:
    total = sum(r.metrics.requests for r in services)
    groups = []
    for status in STATUSES:
        members = [r for r in services if r.status == status]
        requests = sum(r.metrics.requests for r in members)
        groups.append(
            PolicyGroup(
                status=status,
                requests=requests,
                blocked=sum(r.metrics.blocked for r in members),
                visits=sum(r.metrics.visits for r in members),
                share=requests / total if total else 0.0,
                services=tuple(r.label for r in members),
            )
        )
    return tuple(groups)


def _policy_source(policy: Any) -> str | None:
    if policy is None:
        return None
    source = getattr(policy, "path", None) or getattr(policy, "source", None)
    return Path(str(source)).name if source else type(policy).__name__


def _discovery(store: StoreLike, period: str) -> tuple[DiscoveryHost, ...]:
    hosts = (
        DiscoveryHost(str(r["host"]), int(r.get("workstations") or 0), int(r.get("requests") or 0))
        for r in store.discovery(period, limit=DISCOVERY_LIMIT)
    )
    return tuple(sorted(hosts, key=lambda h: (-h.workstations, -h.requests, h.host)))


def _dns(store: StoreLike, period: str, catalog: Any) -> DnsSummary:
    records = store.metrics(["service"], period=period, protocol="dns")
    pairs = [(_key(r.get("service")), Metrics.from_row(r)) for r in records]
    rows = []
    for key, metrics, share in _shares(pairs):
        name, category, general = _service_info(catalog, key) if key else ("", None, False)
        rows.append(Row(key, name, metrics, share, category, None, general))
    return DnsSummary(_one(store.metrics([], period=period, protocol="dns")), _order(rows))


def _coverage(summary: Mapping[str, Any]) -> Coverage:
    def count(name: str) -> int:
        return int(summary.get(name) or 0)

    return Coverage(
        files=count("files"),
        lines=count("lines"),
        events=count("events"),
        rejected=count("rejected"),
        skipped=count("skipped"),
        ai_events=count("ai_events"),
        no_host_events=count("no_host_events"),
        unattributed_events=count("unattributed_events"),
        dns_events=count("dns_events"),
        formats=tuple(summary.get("formats") or ()),
        first_ts=summary.get("first_ts"),
        last_ts=summary.get("last_ts"),
    )
