"""Compute, with sentinelle, the rows that tests/survey/r/rake_estimates.R computes with R."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from sentinelle.survey import estimation, weighting
from sentinelle.survey.table import Table, read_csv

HERE = Path(__file__).parent / "r"
DATA = HERE / "respondents.csv"
MARGINS = HERE / "margins.csv"
EXPECTED = HERE / "expected_rake_estimates.json"
SCRIPT = HERE / "rake_estimates.R"
QUESTIONS = ("PERCEPTION", "USAGE", "OUTILS_perso", "BENEF_TEMPS", "FORMATION")
BYS = ("GROUPE_PRO", "ETAB_TYPE")


def weighted() -> tuple[Table, weighting.Margins, np.ndarray]:
    """The test respondents raked to the test margins."""
    table, _ = read_csv(DATA)
    margins = weighting.load_margins(MARGINS)
    weights, _ = weighting.weight(table, margins)
    return table.with_column("weight", [repr(float(w)) for w in weights]), margins, weights


@cache
def python_rows(variance: str) -> dict[tuple[str, str, str, str], dict[str, float]]:
    """(question, answer, by, group) → estimate, se, logit and beta bounds, n, df."""
    table, margins, _ = weighted()
    design = estimation.prepare(table, margins, cluster="ETAB_ID")
    out = {}
    for question in QUESTIONS:
        values = table.array(question)
        for by in ("", *BYS):
            groups = table.array(by) if by else None
            for method, tag in (("logit", "logit"), ("korn-graubard", "beta")):
                for e in estimation.estimate(
                    values, design, question, groups, by, method, variance
                ):
                    key = (e.question, e.answer, e.by if e.group != "all" else "", e.group)
                    row = out.setdefault(
                        key, {"estimate": e.estimate, "se": e.se, "n": e.n, "df": e.df}
                    )
                    row[f"{tag}_low"], row[f"{tag}_high"] = e.ci_low, e.ci_high
    return out
