"""Edition over edition: differences of comparable indicators, independent samples."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from sentinelle.errors import SurveyError
from sentinelle.survey.indicators import Weighted, estimate_indicator


@dataclass(frozen=True)
class Difference:
    """New minus old share of one indicator, its 95 % interval and a two-sided test."""

    indicator: str
    old_edition: int
    new_edition: int
    old: float
    new: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    p_value: float
    p_holm: float
    n_old: int
    n_new: int

    @property
    def significant(self) -> bool:
        """Significant at 5 % after Holm's correction over the indicators compared."""
        return self.p_holm < 0.05

    def as_dict(self) -> dict[str, object]:
        """The fields as a plain dict (for --json)."""
        return {**asdict(self), "significant": self.significant}


def compare(old: Weighted, new: Weighted, method: str = "logit") -> list[Difference]:
    """Compare every indicator the newer questionnaire declares comparable with the older one."""
    if old.questionnaire is None or new.questionnaire is None:
        raise SurveyError("compare needs two files whose questionnaire edition is recognized")
    if old.questionnaire.edition > new.questionnaire.edition:
        old, new = new, old
    mapping = _mapping(old, new)
    rows = [_difference(old, new, new_id, old_id, method) for new_id, old_id in mapping.items()]
    return _holm(rows)


def _mapping(old: Weighted, new: Weighted) -> dict[str, str]:
    assert old.questionnaire is not None and new.questionnaire is not None
    year_old, year_new = old.questionnaire.edition, new.questionnaire.edition
    if year_old == year_new:
        return {k: k for k in new.questionnaire.indicators}
    mapping = new.questionnaire.comparable_with.get(year_old)
    if not mapping:
        raise SurveyError(
            f"the {year_new} questionnaire declares no indicator comparable with {year_old}",
            hint=f"add a comparable_with: {{{year_old}: …}} map to questionnaire-{year_new}.yaml",
        )
    return mapping


def _difference(old: Weighted, new: Weighted, new_id: str, old_id: str, method: str) -> Difference:
    assert old.questionnaire is not None and new.questionnaire is not None
    a = estimate_indicator(old, old.questionnaire.indicator(old_id), method=method)[0]
    b = estimate_indicator(new, new.questionnaire.indicator(new_id), method=method)[0]
    diff = b.estimate - a.estimate
    se = float(np.hypot(a.se, b.se))
    df = min(a.df, b.df)
    from scipy import stats  # here: SciPy takes ~0.5 s to import, and only estimates need it

    t = float(stats.t.ppf(0.975, df))
    p = float(2 * stats.t.sf(abs(diff) / se, df)) if se > 0 else (1.0 if diff == 0 else 0.0)
    return Difference(
        new_id,
        old.questionnaire.edition,
        new.questionnaire.edition,
        a.estimate,
        b.estimate,
        diff,
        se,
        diff - t * se,
        diff + t * se,
        df,
        p,
        p,
        a.n,
        b.n,
    )


def _holm(rows: list[Difference]) -> list[Difference]:
    """Holm step-down adjusted p-values (monotone, capped at 1)."""
    order = sorted(range(len(rows)), key=lambda i: rows[i].p_value)
    adjusted = [0.0] * len(rows)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(rows) - rank) * rows[i].p_value))
        adjusted[i] = running
    return [_with_holm(r, a) for r, a in zip(rows, adjusted, strict=True)]


def _with_holm(row: Difference, p_holm: float) -> Difference:
    values = asdict(row)
    values["p_holm"] = p_holm
    return Difference(**values)
