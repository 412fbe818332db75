"""Retention: event-level data is kept for a limited time, monthly aggregates stay.

The limit is a setting of the store (``sentinelle privacy settings --retention 12m``, default 12
months, the upper end of the CNIL's six-months-to-one-year recommendation for logs).
``sentinelle purge --older-than 12m`` deletes, month by month, the hits and discovery candidates
of every month that *began* more than the limit ago — so no event-level row is ever older than
the limit — after storing that month's aggregates (``store/aggregates.py``).  ``scan`` warns when
the store holds event-level data past the limit (:func:`retention_warning`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sentinelle.errors import ConfigError

__all__ = [
    "PrivacySettings",
    "PurgeResult",
    "cutoff_period",
    "parse_months",
    "purge",
    "read_settings",
    "retention_warning",
    "write_settings",
]

DEFAULT_RETENTION = 12
RETENTION_KEY = "privacy.retention_months"
K_KEY = "privacy.k"


@dataclass(frozen=True)
class PrivacySettings:
    retention_months: int = DEFAULT_RETENTION
    k: int = 5
    explicit: bool = False  # set with `privacy settings` rather than the defaults


def parse_months(text: str) -> int:
    """``12m``, ``12``, ``1y``, ``18 months`` → a number of months (1–120)."""
    m = re.fullmatch(r"\s*(\d+)\s*(m|mo|month|months|mois|y|yr|year|years|an|ans)?\s*", text, re.I)
    if m is None:
        raise ConfigError(
            f"{text!r} is not a duration in months or years", hint="write it like 12m, 6m or 1y"
        )
    n = int(m.group(1)) * (
        12 if (m.group(2) or "m").lower() in ("y", "yr", "year", "years", "an", "ans") else 1
    )
    if not 1 <= n <= 120:
        raise ConfigError(
            f"{text!r}: a retention of {n} months is out of range",
            hint="use 1 to 120 months (the CNIL recommends 6 to 12)",
        )
    return n


def read_settings(store: Any) -> PrivacySettings:
    r, k = store.meta(RETENTION_KEY), store.meta(K_KEY)
    return PrivacySettings(int(r) if r else DEFAULT_RETENTION, int(k) if k else 5, bool(r or k))


def write_settings(store: Any, retention_months: int | None = None, k: int | None = None) -> None:
    if k is not None and not 2 <= k <= 1000:
        raise ConfigError(f"--k {k}: out of range", hint="use a threshold of 2 or more (5, 10, 11)")
    if retention_months is not None:
        store.set_meta(RETENTION_KEY, str(retention_months))
    if k is not None:
        store.set_meta(K_KEY, str(k))


def cutoff_period(months: int, tz: str, now: datetime | None = None) -> str:
    """The latest month to purge: the month that holds the instant ``months`` before now."""
    local = (now or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz))
    index = local.year * 12 + local.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class PurgeResult:
    periods: list[str]
    hits: int
    discovery: int
    aggregate_rows: int
    cutoff: str


def purge(store_path: Path, months: int, *, now: datetime | None = None) -> PurgeResult:
    """Aggregate, then delete the event-level data of every month up to the cutoff (atomically)."""
    from sentinelle.store import Store, aggregates

    with Store.open(store_path, read_only=False) as st, st.transaction():
        cutoff = cutoff_period(months, st.tz, now)
        periods = [
            r[0]
            for r in st.con.execute(
                "SELECT DISTINCT period FROM (SELECT period FROM hits UNION ALL "
                "SELECT period FROM discovery) WHERE period <= ? ORDER BY period",
                [cutoff],
            ).fetchall()
        ]
        done = set(aggregates.purged_periods(st))
        fresh = [p for p in periods if p not in done]  # a re-scanned purged month is not re-added
        rows = aggregates.build(st, fresh) if fresh else 0
        hits = _delete(st, "hits", periods)
        disc = _delete(st, "discovery", periods)
        st.set_meta(
            "privacy.last_purge", f"{datetime.now().isoformat(timespec='seconds')} <= {cutoff}"
        )
    return PurgeResult(periods, hits, disc, rows, cutoff)


def _delete(store: Any, table: str, periods: list[str]) -> int:
    row = store.con.execute(
        f"SELECT count(*) FROM {table} WHERE list_contains(?, period)", [periods]
    ).fetchone()
    store.con.execute(f"DELETE FROM {table} WHERE list_contains(?, period)", [periods])
    return int(row[0]) if row else 0


def retention_warning(store: Any, now: datetime | None = None) -> str | None:
    """A warning when the store (a Store or its directory) holds hits past the retention limit."""
    from sentinelle.store import Store

    if not isinstance(store, Store):
        if not (Path(store) / "sentinelle.duckdb").exists():
            return None
        with Store.open(store) as st:
            return retention_warning(st, now)
    settings = read_settings(store)
    cutoff = cutoff_period(settings.retention_months, store.tz, now)
    row = store.con.execute(
        "SELECT min(period), count(DISTINCT period) FROM hits WHERE period <= ?", [cutoff]
    ).fetchone()
    if not row or row[0] is None:
        return None
    n = settings.retention_months
    return (
        f"the store holds event-level data of {row[1]} month(s) from {row[0]} on that began "
        f"more than {n} months ago (retention limit); run `sentinelle purge --older-than "
        f"{n}m` to keep only their monthly aggregates"
    )
