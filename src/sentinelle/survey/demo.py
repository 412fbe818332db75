"""The demo: simulate the 2025 barometer, weight it to the DREES structure, show what moves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sentinelle.survey import questionnaire as qb
from sentinelle.survey.estimation import Design, Estimate, prepare
from sentinelle.survey.indicators import Weighted, estimate_indicator
from sentinelle.survey.simulate import simulate
from sentinelle.survey.table import Table
from sentinelle.survey.weighting import WeightingReport, load_margins, weight


@dataclass(frozen=True)
class DemoRow:
    """One indicator: the published figure, the raw and the weighted estimates."""

    indicator: str
    label: str
    published: float | None
    raw: Estimate
    weighted: Estimate

    @property
    def shift(self) -> float:
        """Weighted minus raw, in share points."""
        return self.weighted.estimate - self.raw.estimate


def weighted_simulation(
    edition: int, seed: int, n: int | None = None
) -> tuple[Weighted, Weighted, WeightingReport]:
    """A simulated edition, unweighted and raked to the bundled DREES margins."""
    table = simulate(edition, n=n, seed=seed)
    margins = load_margins("drees")
    weights, report = weight(table, margins)
    q = qb.load(edition)
    raw = Weighted(table, Design(np.ones(len(table)), []), None, q, Path(f"simulated-{edition}"))
    table_w = table.with_column("weight", [repr(float(x)) for x in weights])
    raked = Weighted(table_w, prepare(table_w, margins), margins, q, Path(f"simulated-{edition}"))
    return raw, raked, report


def run_demo(seed: int = 2025, lang: str = "fr") -> tuple[list[DemoRow], WeightingReport, Table]:
    """Indicators of the simulated 2025 edition before and after weighting."""
    raw, raked, report = weighted_simulation(2025, seed)
    q = qb.load(2025)
    rows = [
        DemoRow(
            ind.id,
            ind.label[lang],
            ind.published,
            estimate_indicator(raw, ind)[0],
            estimate_indicator(raked, ind)[0],
        )
        for ind in q.indicators.values()
    ]
    return rows, report, raked.table
