"""Weighted files and the questionnaire's indicators estimated on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sentinelle.errors import SurveyError
from sentinelle.survey import estimation
from sentinelle.survey import questionnaire as qb
from sentinelle.survey.estimation import Design, Estimate
from sentinelle.survey.questionnaire import Indicator, Questionnaire
from sentinelle.survey.table import Table, read_csv
from sentinelle.survey.validation import detect_edition
from sentinelle.survey.weighting import Margins, load_margins, sidecar

HIT, MISS = "oui", "non"


@dataclass
class Weighted:
    """A weighted response file ready for estimation."""

    table: Table
    design: Design
    margins: Margins | None
    questionnaire: Questionnaire | None
    path: Path

    @property
    def weighted(self) -> bool:
        """False when the file had no weight column (equal weights, no raking credited)."""
        return self.margins is not None


def load_weighted(path: Path, margins: str | None = None, cluster: str | None = None) -> Weighted:
    """Read a file written by ``survey weight`` with the margins it was raked to."""
    table, bad = read_csv(path)
    if bad:
        line, why = bad[0]
        raise SurveyError(f"{path}: line {line}: {why}", hint="re-export or re-weight the file")
    questionnaire = _questionnaire(table)
    if "weight" not in table.data:
        if margins:
            raise SurveyError(
                f"{path} has no weight column, so --margins cannot apply",
                hint="weight it first: sentinelle survey weight FILE --margins M.csv --out W.csv",
            )
        ones = np.ones(len(table))
        clusters = table.array(cluster) if cluster else None
        return Weighted(table, Design(ones, [], clusters), None, questionnaire, path)
    spec = margins or _sidecar_or_fail(path)
    used = load_margins(spec)
    return Weighted(
        table, estimation.prepare(table, used, cluster=cluster), used, questionnaire, path
    )


def _sidecar_or_fail(path: Path) -> str:
    recorded = sidecar(path)
    if not recorded.exists():
        raise SurveyError(
            f"{path} has weights but no record of the margins they were raked to ({recorded.name} "
            "is missing), and the variance needs them",
            hint="pass --margins MARGINS.csv (the margins given to `survey weight`)",
        )
    return str(recorded)


def _questionnaire(table: Table) -> Questionnaire | None:
    if "edition" in table.data and (years := set(table.data["edition"])) and len(years) == 1:
        year = years.pop()
        if year.isdigit() and int(year) in qb.editions():
            return qb.load(int(year))
    year_found = detect_edition(table.columns)
    return qb.load(year_found) if year_found else None


def indicator_values(table: Table, q: Questionnaire, indicator: Indicator) -> np.ndarray:
    """``oui``/``non`` for rows of the indicator's base that answered, empty elsewhere."""
    base = q.bases[indicator.base]
    values = table.array(indicator.question)
    inside = (
        np.ones(len(table), bool)
        if base.question is None
        else np.isin(table.array(base.question), base.answers)
    )
    out = np.where(np.isin(values, indicator.answers), HIT, MISS).astype(object)
    out[~inside | (values == "")] = ""
    return out.astype(str)


def estimate_indicator(
    w: Weighted,
    indicator: Indicator,
    by: str | None = None,
    method: str = "logit",
    variance: str = "linearization",
) -> list[Estimate]:
    """The share of an indicator (answer ``oui``), overall and by a column."""
    if w.questionnaire is None:
        raise SurveyError(f"{w.path}: no questionnaire edition recognized for indicators")
    values = indicator_values(w.table, w.questionnaire, indicator)
    groups = w.table.array(by) if by else None
    rows = estimation.estimate(
        values, w.design, indicator.id, groups, by or "", method, variance, answers=[HIT]
    )
    return [r for r in rows if r.answer == HIT]


def estimate_column(
    w: Weighted,
    column: str,
    by: str | None = None,
    method: str = "logit",
    variance: str = "linearization",
) -> list[Estimate]:
    """Estimate a column of the file, or an indicator of its questionnaire when no such column."""
    if column not in w.table.data and w.questionnaire and column in w.questionnaire.indicators:
        return estimate_indicator(w, w.questionnaire.indicators[column], by, method, variance)
    values = w.table.array(column)
    groups = w.table.array(by) if by else None
    answers = _answer_order(w, column, values)
    return estimation.estimate(
        values, w.design, column, groups, by or "", method, variance, answers
    )


def _answer_order(w: Weighted, column: str, values: np.ndarray) -> list[str] | None:
    if w.questionnaire is None or column not in w.questionnaire.column_map():
        return None
    codes = w.questionnaire.column_map()[column].codes()
    seen = set(values.tolist()) - {""}
    return [c for c in codes if c in seen] + sorted(seen - set(codes)) or None
