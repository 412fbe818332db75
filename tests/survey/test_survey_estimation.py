"""Estimation details that R does not cover: SRS case, intervals, degenerate shares, flags."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sentinelle.errors import SurveyError
from sentinelle.survey.estimation import Design, estimate, interval
from sentinelle.survey.table import Table
from sentinelle.survey.weighting import code_cells, parse_margins


def _srs(values: list[str]) -> list:
    design = Design(np.ones(len(values)), [])
    return estimate(np.array(values), design, "Q")


def test_unweighted_equals_textbook_srs() -> None:
    values = ["a"] * 30 + ["b"] * 70
    row = next(r for r in _srs(values) if r.answer == "a")
    assert row.estimate == pytest.approx(0.3)
    assert row.se == pytest.approx(np.sqrt(0.3 * 0.7 / 99))  # with-replacement, n - 1
    t = stats.t.ppf(0.975, 99)
    logit = np.log(0.3 / 0.7)
    half = t * row.se / (0.3 * 0.7)
    assert row.ci_low == pytest.approx(1 / (1 + np.exp(-(logit - half))))
    assert row.ci_high == pytest.approx(1 / (1 + np.exp(-(logit + half))))


def test_wilson_matches_formula_on_effective_size() -> None:
    p, var, df = 0.06, 0.06 * 0.94 / 60, 59
    low, high = interval(p, var, df, "wilson", 60)
    t = stats.t.ppf(0.975, df)
    centre = (p + t**2 / 120) / (1 + t**2 / 60)
    assert (low + high) / 2 == pytest.approx(centre)
    assert 0 < low < p < high < 1


def test_intervals_bracket_the_estimate_for_every_method() -> None:
    for method in ("logit", "korn-graubard", "wilson"):
        low, high = interval(0.2, 0.0004, 500, method, 501)
        assert low < 0.2 < high


def test_share_of_zero_or_one_gets_a_one_sided_interval() -> None:
    low, high = interval(0.0, 0.0, 19, "logit", 20)
    assert low == 0 and high == pytest.approx(1 - 0.025 ** (1 / 20))
    low, high = interval(1.0, 0.0, 19, "logit", 20)
    assert high == 1 and low == pytest.approx(0.025 ** (1 / 20))


def test_subgroups_flagged_and_have_own_df() -> None:
    values = np.array(["y", "n"] * 50)
    groups = np.array(["big"] * 80 + ["small"] * 20)
    rows = estimate(values, Design(np.ones(100), []), "Q", groups, "G")
    small = [r for r in rows if r.group == "small"]
    assert all(r.small and r.df == 19 and r.n == 20 for r in small)
    assert all(not r.small and r.df == 99 for r in rows if r.group == "all")
    assert [r.group for r in rows].count("all") == 2


def test_calibrated_variable_has_zero_variance() -> None:
    # Estimating a raking variable itself: the calibration makes it exact.
    a = ["x"] * 30 + ["z"] * 70
    table = Table(["A"], {"A": a})
    cells = code_cells(table, parse_margins("variable,category,share\nA,x,0.5\nA,z,0.5\n", "m"))
    w = np.where(np.array(a) == "x", 50 / 30, 50 / 70)
    rows = estimate(np.array(a), Design(w, cells), "A")
    assert rows[0].estimate == pytest.approx(0.5)
    assert rows[0].se == pytest.approx(0, abs=1e-12)


def test_bad_options_raise() -> None:
    design = Design(np.ones(3), [])
    with pytest.raises(SurveyError, match="unknown interval method"):
        estimate(np.array(["a", "b", "a"]), design, "Q", method="wald")
    with pytest.raises(SurveyError, match="no answer"):
        estimate(np.array(["", "", ""]), design, "Q")
    with pytest.raises(SurveyError, match="establishment column"):
        estimate(np.array(["a", "b", "a"]), design, "Q", variance="jackknife")
