"""Small-cell suppression: nothing published below k, nothing suppressed recomputable."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.cli import main
from sentinelle.privacy.suppress import METRICS, TOTAL, protect
from tests.inventory.conftest import DhcpHospital


def _aggregate(hits: list[tuple[Any, ...]], dims: list[str], keep: list[str]) -> list[dict]:  # type: ignore[type-arg]
    groups: dict[tuple, dict] = defaultdict(lambda: {"requests": 0, "ws": set(), "users": set()})  # type: ignore[type-arg]
    for h in hits:
        values = dict(zip(dims, h[: len(dims)], strict=True))
        g = groups[tuple(values[d] for d in keep)]
        g["requests"] += 1
        g["ws"].add(h[len(dims)])
        if h[len(dims) + 1]:
            g["users"].add(h[len(dims) + 1])
    return [
        dict(zip(keep, k, strict=True))
        | {
            "requests": g["requests"],
            "blocked": 0,
            "visits": g["requests"],
            "workstations": len(g["ws"]),
            "users": len(g["users"]),
            "bytes_out": None,
            "bytes_in": g["requests"] * 10,
        }
        for k, g in sorted(groups.items())
    ]


def _check(hits: list[tuple[Any, ...]], dims: list[str], k: int) -> None:
    cells = _aggregate(hits, dims, dims)
    margins = {d: _aggregate(hits, dims, [d]) for d in dims} if len(dims) > 1 else {}
    total = _aggregate(hits, dims, [])[0]
    table = protect(cells, margins, total, dims, k)
    # 1. nothing published below k
    for row in table.rows:
        assert row["suppressed"] in (True, False)
        if not row["suppressed"]:
            assert row["workstations"] >= k and not 0 < row["users"] < k
        else:
            assert all(row[m] is None for m in METRICS)
    # 2. no suppressed row is a linear combination of the published ones (over all cells)
    index = {tuple(c[d] for d in dims): i for i, c in enumerate(cells)}

    def vector(row: dict) -> np.ndarray:  # type: ignore[type-arg]
        v = np.zeros(len(cells))
        for key, i in index.items():
            if all(row[d] == TOTAL or row[d] == str(key[j]) for j, d in enumerate(dims)):
                v[i] = 1
        return v

    published = [vector(r) for r in table.rows if not r["suppressed"]]
    a = np.array(published) if published else np.zeros((0, len(cells)))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    for row in table.rows:
        if row["suppressed"]:
            both = np.vstack([a, vector(row)])
            assert np.linalg.matrix_rank(both) == rank + 1, ("recomputable", row)


hit = st.tuples(
    st.sampled_from("abcd"),
    st.sampled_from("wxyz"),
    st.sampled_from("pq"),
    st.integers(0, 14),
    st.sampled_from(["", "u1", "u2", "u3", "u4", "u5", "u6"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(hit, min_size=1, max_size=120), st.integers(2, 6), st.integers(1, 3))
def test_no_small_or_recomputable_cell(hits: list[tuple], k: int, ndims: int) -> None:  # type: ignore[type-arg]
    dims = ["service", "department", "role"][:ndims]
    rows = [(*h[:ndims], f"ws{h[3]}", h[4]) for h in hits]
    _check(rows, dims, k)


def test_hierarchical_margins_category_service() -> None:
    """A per-category subtotal is published: a lone small service in it is protected."""
    hits = [("gp", "chatgpt", f"w{i}", "") for i in range(30)]
    hits += [("gp", "claude", f"w{i}", "") for i in range(2)]
    hits += [("tr", "deepl", f"w{i}", "") for i in range(8)]
    hits += [("tr", "reverso", f"w{i}", "") for i in range(9)]
    _check(hits, ["category", "service"], 5)


def test_a_single_small_cell_takes_a_partner() -> None:
    cells = [
        {
            "service": s,
            "requests": r,
            "blocked": 0,
            "visits": r,
            "workstations": w,
            "users": 0,
            "bytes_out": None,
            "bytes_in": None,
        }
        for s, r, w in (("a", 50, 20), ("b", 3, 2), ("c", 40, 9), ("d", 30, 8))
    ]
    total = {"requests": 123, "blocked": 0, "visits": 123, "workstations": 30, "users": 0}
    table = protect(cells, {}, total, ["service"], 5)
    hidden = [r["service"] for r in table.rows if r["suppressed"]]
    assert hidden == ["b", "d"]  # the small one and the cheapest partner
    assert table.primary == 1 and table.complementary == 1


def test_export_share_on_the_simulated_hospital(dhcp_hospital: DhcpHospital) -> None:
    h = dhcp_hospital
    out = h.root / "shared.csv"
    r = CliRunner().invoke(
        main,
        [
            "export",
            "--by",
            "service,department",
            "--share",
            "--store",
            str(h.store),
            "--out",
            str(out),
            "--period",
            h.config.month,
        ],
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and set(rows[0]) == {"service", "department", *METRICS, "suppressed"}
    assert any(r["suppressed"] == "true" for r in rows)
    assert any(r["service"] == "*" and r["department"] == "*" for r in rows)
    for row in rows:
        if row["suppressed"] == "true":
            assert all(row[m] == "" for m in METRICS) and row["service"] and row["department"]
        else:
            assert int(row["workstations"]) >= 5
            assert row["users"] in ("", "0") or int(row["users"]) >= 5
    r = CliRunner().invoke(
        main, ["export", "--by", "role", "--share", "--k", "11", "--store", str(h.store)]
    )
    assert r.exit_code == 0
    for row in csv.DictReader(io.StringIO(r.output[r.output.index("role,") :])):
        assert row["suppressed"] == "true" or int(row["workstations"]) >= 11
