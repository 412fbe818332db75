"""Raking: margins hold, weights sum to n, failures name the margin, trimming bounds hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import ConvergenceError, SurveyError
from sentinelle.survey.table import Table
from sentinelle.survey.weighting import code_cells, kish, load_margins, parse_margins, weight


def _table(a: list[str], b: list[str]) -> Table:
    return Table(["A", "B"], {"A": a, "B": b})


def _margins(a: dict[str, float], b: dict[str, float]) -> str:
    rows = [f"A,{k},{v!r}" for k, v in a.items()] + [f"B,{k},{v!r}" for k, v in b.items()]
    return "variable,category,share\n" + "\n".join(rows)


@st.composite
def samples(draw: st.DrawFn) -> tuple[Table, str]:
    """A sample where every A×B cell is filled, and margins with positive shares."""
    ka, kb = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    extra = draw(st.lists(st.tuples(st.integers(0, ka - 1), st.integers(0, kb - 1)), max_size=60))
    cells = [(i, j) for i in range(ka) for j in range(kb)] + extra
    a = [f"a{i}" for i, _ in cells]
    b = [f"b{j}" for _, j in cells]
    wa = draw(st.lists(st.floats(0.05, 1), min_size=ka, max_size=ka))
    wb = draw(st.lists(st.floats(0.05, 1), min_size=kb, max_size=kb))
    sa = {f"a{i}": x / sum(wa) for i, x in enumerate(wa)}
    sb = {f"b{j}": x / sum(wb) for j, x in enumerate(wb)}
    return _table(a, b), _margins(sa, sb)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples())
def test_raking_reaches_every_margin_and_sums_to_n(sample: tuple[Table, str]) -> None:
    table, text = sample
    margins = parse_margins(text, "hypothesis")
    weights, report = weight(table, margins)
    assert weights.sum() == pytest.approx(len(table), rel=1e-12)
    assert np.all(weights > 0)
    for cells in code_cells(table, margins):
        achieved = np.bincount(cells.index, weights=weights) / weights.sum()
        assert np.allclose(achieved, cells.targets / len(table), atol=1e-9)
    assert report.max_margin_error < 1e-9
    assert report.deff_kish >= 1 - 1e-12
    assert report.n_effective <= len(table) + 1e-9


@settings(max_examples=30, deadline=None)
@given(samples(), st.permutations(range(8)))
def test_row_order_does_not_change_weights(sample: tuple[Table, str], order: list[int]) -> None:
    table, text = sample
    margins = parse_margins(text, "hypothesis")
    weights, _ = weight(table, margins)
    perm = [i for i in order if i < len(table)] + list(range(8, len(table)))
    shuffled, _ = weight(table.take(perm), margins)
    assert np.allclose(shuffled, weights[perm], rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(samples())
def test_trimming_respects_bounds_and_margins(sample: tuple[Table, str]) -> None:
    table, text = sample
    margins = parse_margins(text, "hypothesis")
    try:
        weights, report = weight(table, margins, trim=(0.2, 5.0))
    except ConvergenceError as exc:  # infeasible bounds must say so, never return silently
        assert "widen --trim" in str(exc)
        return
    mean = weights.mean()
    assert weights.min() >= 0.2 * mean - 1e-5 and weights.max() <= 5.0 * mean + 1e-5
    assert report.max_margin_error < 1e-9
    assert report.trim_cycles >= 1


def test_kish_worked_example() -> None:
    # 56/44 reweighted to 70/30 (research note §2.4): deff ≈ 1.08, n_eff ≈ 974 of 1,051
    w = np.r_[np.full(589, 0.70 / 0.5604), np.full(462, 0.30 / 0.4396)]
    deff, n_eff = kish(w)
    assert deff == pytest.approx(1.08, abs=0.005)
    assert n_eff == pytest.approx(974, abs=5)


def test_inconsistent_margins_fail_naming_the_margin() -> None:
    table = _table(["a0", "a0", "a1", "a1"], ["b0", "b1", "b0", "b0"])
    # a0 rows: b0 once, b1 once; a1 rows: only b0. A says a1 = 0.9, B says b1 = 0.5:
    # b1 respondents are all in a0 (≤ 0.1 of the weight): no solution.
    margins = parse_margins(_margins({"a0": 0.1, "a1": 0.9}, {"b0": 0.5, "b1": 0.5}), "m")
    with pytest.raises(ConvergenceError, match=r"margin '(A|B)'"):
        weight(table, margins)


def test_empty_cell_and_unknown_category_errors() -> None:
    table = _table(["a0", "a0"], ["b0", "b1"])
    with pytest.raises(ConvergenceError, match=r"category 'a1'.*no respondent"):
        weight(table, parse_margins(_margins({"a0": 0.5, "a1": 0.5}, {"b0": 0.5, "b1": 0.5}), "m"))
    with pytest.raises(SurveyError, match="row 3: 'b1'"):
        weight(table, parse_margins(_margins({"a0": 1.0}, {"b0": 1.0}), "m"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("variable,category,share\nA,a0,0.5\nA,a1,0.4\n", "sum to 0.900000"),
        ("variable,category,share\nA,a0,x\n", "not a number"),
        ("variable,category,share\nA,a0,1.5\n", "not between 0 and 1"),
        ("variable,category,share\nA,a0,0.5\nA,a0,0.5\n", "appears twice"),
        ("var,cat\nA,a0\n", "variable,category,share"),
    ],
)
def test_bad_margins_files(text: str, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        parse_margins(text, "m.csv")


def test_bundled_drees_margins() -> None:
    margins = load_margins("drees")
    assert margins.variables == ["GROUPE_PRO", "ETAB_TYPE"]
    care = sum(
        margins.margins[0].shares[k] for k in ("medical", "interne", "sage_femme", "soignant")
    )
    assert care == pytest.approx(0.72)
    with pytest.raises(SurveyError, match="cannot read margins"):
        load_margins(Path("/nonexistent/margins.csv"))


def test_trim_argument_checked() -> None:
    table = _table(["a0", "a1"], ["b0", "b1"])
    margins = parse_margins(_margins({"a0": 0.5, "a1": 0.5}, {"b0": 0.5, "b1": 0.5}), "m")
    with pytest.raises(SurveyError, match="LOW < 1 < HIGH"):
        weight(table, margins, trim=(2.0, 3.0))
