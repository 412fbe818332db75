"""The simulated 2025 file reproduces the published figures, and weighting moves them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sentinelle.survey import questionnaire as qb
from sentinelle.survey.demo import run_demo
from sentinelle.survey.estimation import Design
from sentinelle.survey.indicators import Weighted, estimate_indicator
from sentinelle.survey.simulate import simulate
from sentinelle.survey.table import Table


def test_sample_structure_matches_2025(simulated_2025: Table) -> None:
    assert len(simulated_2025) == 1051
    groups = np.array(simulated_2025.data["GROUPE_PRO"])
    care = np.isin(groups, ["medical", "interne", "sage_femme", "soignant"]).mean()
    assert care == pytest.approx(0.56, abs=0.005)
    assert len(set(simulated_2025.data["token"])) == 1051


def test_raw_estimates_equal_published_figures(simulated_2025: Table) -> None:
    q = qb.load(2025)
    raw = Weighted(simulated_2025, Design(np.ones(1051), []), None, q, Path("sim"))
    checked = 0
    for ind in q.indicators.values():
        if ind.published is None:
            continue
        row = estimate_indicator(raw, ind)[0]
        assert row.estimate == pytest.approx(ind.published, abs=0.005), ind.id
        assert row.ci_low < ind.published < row.ci_high
        checked += 1
    assert checked == 13


def test_weighted_estimates_cover_published_figures_and_move() -> None:
    rows, report, table = run_demo()
    assert report.n == 1051 and report.max_margin_error < 1e-9
    weights = table.floats("weight")
    care = np.isin(table.array("GROUPE_PRO"), ["medical", "interne", "sage_femme", "soignant"])
    assert weights[care].sum() / weights.sum() == pytest.approx(0.72)
    published = [r for r in rows if r.published is not None]
    for r in published:
        assert r.weighted.ci_low <= r.published <= r.weighted.ci_high, r.indicator
    assert max(abs(r.shift) for r in published) > 0.01


def test_simulation_is_reproducible_and_validates() -> None:
    from sentinelle.survey.importers import ImportedTable
    from sentinelle.survey.validation import validate

    a, b = simulate(2026, n=200, seed=3), simulate(2026, n=200, seed=3)
    assert a.data == b.data
    checked = validate(ImportedTable(a, []))
    assert checked.edition == 2026 and checked.problems == []
