"""Monthly aggregates: what stays of a month once its event-level data is purged.

Before ``sentinelle purge`` deletes a month's hits, the pinned metrics of that month are computed
with the very SQL of :meth:`Store.metrics <sentinelle.store.Store.metrics>` for *every* grouping
of ``service, category, department, role, site`` (32 grouping sets, so that distinct counts —
workstations, users — stay exact for any grouping: they cannot be added up from finer rows) and
stored in ``monthly_aggregates``.  :func:`merge` lets ``Store.metrics`` answer for purged months
from them.  Day, hour and weekday are not kept: a purged month can be grouped by the dimensions
above only.  Totals over all time without ``period`` cover the event-level data only.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from sentinelle.errors import StoreError

__all__ = ["AGG_DIMS", "build", "ensure_table", "merge", "purged_periods"]

AGG_DIMS = ("service", "category", "department", "role", "site")
METRICS = ("requests", "blocked", "visits", "workstations", "users", "bytes_out", "bytes_in")
_DDL = """
CREATE TABLE IF NOT EXISTS monthly_aggregates (
    protocol VARCHAR, period VARCHAR, grouping VARCHAR,
    service VARCHAR, category VARCHAR, department VARCHAR, role VARCHAR, site VARCHAR,
    requests BIGINT, blocked BIGINT, visits BIGINT, workstations BIGINT, users BIGINT,
    bytes_out BIGINT, bytes_in BIGINT
)"""


def ensure_table(store: Any) -> None:
    store.con.execute(_DDL)


def _exists(store: Any) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'monthly_aggregates'"
    ).fetchone()
    return bool(row and row[0])


def purged_periods(store: Any, protocol: str | None = None) -> list[str]:
    """Months answered from the aggregates (their event-level data was purged)."""
    if not _exists(store):
        return []
    where, params = ("WHERE protocol = ?", [protocol]) if protocol else ("", [])
    rows = store.con.execute(
        f"SELECT DISTINCT period FROM monthly_aggregates {where} ORDER BY period", params
    ).fetchall()
    return [r[0] for r in rows]


def build(store: Any, periods: Sequence[str]) -> int:
    """Compute and insert the aggregates of ``periods`` (web and DNS); return the rows added."""
    from sentinelle.store import _sql

    ensure_table(store)
    sets = [c for n in range(len(AGG_DIMS) + 1) for c in combinations(AGG_DIMS, n)]
    grouping_sets = ", ".join("(" + ", ".join(("period", *s)) + ")" for s in sets)
    dims = "period AS period, " + "".join(f"{d} AS {d}, " for d in AGG_DIMS)
    dims += f"grouping({', '.join(AGG_DIMS)}) AS gid, "
    added = 0
    for protocol in ("web", "dns"):
        sql = _sql("metrics.sql").format(
            dims=dims,
            where="AND list_contains($periods, period)",
            group_by=f"GROUP BY GROUPING SETS ({grouping_sets})",
            order_by="",
        )
        cur = store.con.execute(sql, {"protocol": protocol, "periods": list(periods)})
        names = [c[0] for c in cur.description]
        for rec in cur.fetchall():
            row = dict(zip(names, rec, strict=True))
            kept = [d for i, d in enumerate(AGG_DIMS) if not row["gid"] >> (4 - i) & 1]
            store.insert_row(
                "monthly_aggregates",
                {
                    "protocol": protocol,
                    "period": row["period"],
                    "grouping": ",".join(kept),
                    **{d: row[d] for d in AGG_DIMS},
                    **{m: row[m] for m in METRICS},
                },
            )
            added += 1
    return added


def merge(
    store: Any, rows: list[dict[str, Any]], dims: Sequence[str], period: str | None, protocol: str
) -> list[dict[str, Any]]:
    """``Store.metrics`` rows completed with the purged months' aggregates."""
    purged = set(purged_periods(store, protocol))
    if not purged or (period is None and "period" not in dims):
        return rows
    if period is not None and period not in purged:
        return rows
    wanted = [p for p in purged if period is None or p == period]
    agg = _from_aggregates(store, dims, wanted, protocol, strict=period is not None)
    if period is not None:
        return agg
    live = [r for r in rows if r.get("period") not in purged]
    return sorted(live + agg, key=lambda r: tuple(_sortable(r[d]) for d in dims))


def _from_aggregates(
    store: Any, dims: Sequence[str], periods: list[str], protocol: str, strict: bool
) -> list[dict[str, Any]]:
    other = [d for d in dims if d != "period"]
    finer = [d for d in other if d not in AGG_DIMS]
    if finer:
        if strict:
            raise StoreError(
                f"{', '.join(periods)}: this month was purged; only monthly "
                f"aggregates remain, without {', '.join(finer)}",
                hint=f"group it by {', '.join(('period', *AGG_DIMS))} only",
            )
        return []
    grouping = ",".join(d for d in AGG_DIMS if d in other)
    cols = ", ".join([*dims, *METRICS])
    cur = store.con.execute(
        f"SELECT {cols} FROM monthly_aggregates WHERE protocol = ? AND grouping = ? "
        f"AND list_contains(?, period) ORDER BY {', '.join(dims) or 'period'}",
        [protocol, grouping, periods],
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _sortable(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, str(value) if not isinstance(value, int) else value)
