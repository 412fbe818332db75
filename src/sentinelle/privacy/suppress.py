"""Small-cell suppression for everything that leaves the hospital (``export --share``).

**What a shared table publishes.**  For dimensions ``D`` (e.g. ``service,department``):

* the cells: one row per combination of ``D`` present in the store;
* when ``D`` has two dimensions or more, the *one-dimensional margins*: for each dimension
  ``d`` and each of its values, the total over every other dimension (a row whose other
  dimensions read ``*``) — the row and column totals of a two-way table, the per-category
  subtotal when ``D`` holds ``category`` and ``service``, the per-month total when it holds
  ``period`` and ``day``;
* the grand total (every dimension ``*``).

No other margin (e.g. ``service × department`` totals of a three-way table) is published; share
it as its own table if needed, and share one table per release (see ``docs/privacy.md``).

**Primary suppression.**  A row (cell or margin) with fewer than ``k`` distinct workstations, or
with users recorded and fewer than ``k`` distinct users, is suppressed (``k = 5`` by default).

**Complementary suppression.**  The additive metrics (requests, blocked, visits, bytes) of a
margin are sums of its cells, so a suppressed row could be recomputed from published rows by sums
and differences.  The table is treated as a linear system: the unknowns are the suppressed cells,
each published margin is an equation.  A suppressed row is *recomputable* when its indicator
vector lies in the row space of those equations (e.g. the only suppressed cell of a published
total, or a cell pinned by a chain of totals).  While some suppressed row is recomputable, the
cheapest published cell (fewest requests) of a total that pins it is suppressed too — a published
total when no cell is left; at worst everything is suppressed.  When the loop ends no suppressed
row is a linear combination of published rows, whatever the metric.  Distinct counts
(workstations, users) do not add up and only give bounds.

Suppressed rows keep their dimension values; their metrics are empty and ``suppressed`` is true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["DEFAULT_K", "TOTAL", "SharedTable", "is_small", "protect", "shared_metrics"]

DEFAULT_K = 5
TOTAL = "*"
METRICS = ("requests", "blocked", "visits", "workstations", "users", "bytes_out", "bytes_in")
_TOL = 1e-8


def is_small(row: dict[str, Any], k: int) -> bool:
    """Fewer than k workstations, or users recorded and fewer than k of them."""
    users = row.get("users") or 0
    return (row.get("workstations") or 0) < k or 0 < users < k


@dataclass
class _Item:
    row: dict[str, Any]
    members: list[int]  # the cells it sums (a cell: itself)
    margin: bool
    suppressed: bool = False
    primary: bool = False

    @property
    def cost(self) -> tuple[int, int, int]:
        return (int(self.margin), self.row.get("requests") or 0, self.row.get("workstations") or 0)


@dataclass
class SharedTable:
    """The rows to share (cells, margins, total), with the suppression applied and marked."""

    dims: list[str]
    k: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    primary: int = 0
    complementary: int = 0

    @property
    def columns(self) -> list[str]:
        return [*self.dims, *METRICS, "suppressed"]


def protect(
    cells: Sequence[dict[str, Any]],
    margins: dict[str, Sequence[dict[str, Any]]],
    total: dict[str, Any] | None,
    dims: Sequence[str],
    k: int = DEFAULT_K,
) -> SharedTable:
    """Suppress small rows and their complements; ``margins[d]`` are the per-value totals of d."""
    dims = list(dims)
    items = _items(cells, margins, total, dims)
    for it in items:
        it.primary = it.suppressed = is_small(it.row, k)
    complementary = _complement(items, len(cells))
    table = SharedTable(
        dims, k, primary=sum(it.primary for it in items), complementary=complementary
    )
    for it in items:
        out: dict[str, Any] = {d: TOTAL if it.row.get(d) is None else str(it.row[d]) for d in dims}
        out |= {m: (None if it.suppressed else it.row.get(m)) for m in METRICS}
        table.rows.append(out | {"suppressed": it.suppressed})
    return table


def _items(
    cells: Sequence[dict[str, Any]],
    margins: dict[str, Sequence[dict[str, Any]]],
    total: dict[str, Any] | None,
    dims: list[str],
) -> list[_Item]:
    items = [_Item(dict(c), [i], False) for i, c in enumerate(cells)]
    if len(dims) >= 2:
        for d in dims:
            members: dict[Any, list[int]] = {}
            for i, c in enumerate(cells):
                members.setdefault(c[d], []).append(i)
            for m in margins.get(d, ()):
                row = {x: (m[d] if x == d else None) for x in dims} | {k: m.get(k) for k in METRICS}
                items.append(_Item(row, members.get(m[d], []), True))
    if total is not None and cells:
        row = dict.fromkeys(dims) | {k: total.get(k) for k in METRICS}
        items.append(_Item(row, list(range(len(cells))), True))
    return items


def _complement(items: list[_Item], n_cells: int) -> int:
    """Suppress more rows until no suppressed row is recomputable; return how many were added."""
    added = 0
    while True:
        pinned = _recomputable(items, n_cells)
        if pinned is None:
            return added
        extra = _cheapest_complement(items, pinned)
        extra.suppressed = True
        added += 1


def _recomputable(items: list[_Item], n_cells: int) -> _Item | None:
    """A suppressed row whose value the published rows determine, or None."""
    hidden = [i for i in range(n_cells) if items[i].suppressed]
    if not any(it.suppressed for it in items):
        return None
    col = {c: j for j, c in enumerate(hidden)}
    equations = [_vector(it, col) for it in items if it.margin and not it.suppressed]
    equations = [e for e in equations if e.any()]
    basis = _row_space(np.array(equations)) if equations else np.zeros((0, len(hidden)))
    for it in sorted((it for it in items if it.suppressed), key=lambda it: -it.cost[1]):
        v = _vector(it, col)
        if not v.any() or np.linalg.norm(v - basis.T @ (basis @ v)) < _TOL * max(1, len(v)):
            return it
    return None


def _vector(it: _Item, col: dict[int, int]) -> np.ndarray:
    v = np.zeros(len(col))
    for c in it.members:
        if c in col:
            v[col[c]] = 1.0
    return v


def _row_space(a: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the row space of ``a`` (as rows)."""
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((s > _TOL * max(a.shape) * (s[0] if len(s) else 0)).sum())
    return vt[:rank]


def _cheapest_complement(items: list[_Item], pinned: _Item) -> _Item:
    """The cheapest published row whose suppression loosens what pins ``pinned``."""
    hidden = {c for c in pinned.members if items[c].suppressed}
    if not hidden:  # a suppressed total whose cells are all published: hide one of them
        candidates = [items[c] for c in pinned.members]
    else:  # hide one more cell of a published total that involves the pinned cells
        totals = [
            it
            for it in items
            if it.margin and not it.suppressed and hidden.intersection(it.members)
        ]
        candidates = [items[c] for t in totals for c in t.members if not items[c].suppressed]
        candidates = candidates or totals
    candidates = candidates or [it for it in items if not it.suppressed]
    return min(candidates, key=lambda it: it.cost)


def shared_metrics(
    store: Any,
    dims: Sequence[str],
    period: str | None = None,
    protocol: str = "web",
    k: int = DEFAULT_K,
) -> SharedTable:
    """The protected table of ``dims`` from a :class:`~sentinelle.store.Store`."""
    dims = list(dict.fromkeys(dims))
    cells = store.metrics(dims, period, protocol=protocol)
    margins = (
        {d: store.metrics([d], period, protocol=protocol) for d in dims} if len(dims) >= 2 else {}
    )
    totals = store.metrics([], period, protocol=protocol)
    total = totals[0] if totals and totals[0].get("requests") else None
    return protect(cells, margins, total, dims, k)


def shared_export(
    store: Any, dims: Sequence[str], period: str | None, protocol: str, k: int | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and columns for ``export --share`` (k: the store's setting when not given)."""
    from sentinelle.errors import ConfigError
    from sentinelle.privacy.retention import read_settings

    k = k if k is not None else read_settings(store).k
    if k < 2:
        raise ConfigError(f"--k {k}: a threshold below 2 protects nothing", hint="use 5 or more")
    table = shared_metrics(store, dims, period, protocol, k)
    return table.rows, table.columns
