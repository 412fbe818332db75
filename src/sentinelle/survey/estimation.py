"""Weighted shares with standard errors and confidence intervals, as R's ``survey`` computes them.

Linearization (the default) credits the raking the way R's ``svyrecvar`` does for a design raked
with ``rake()``: the influence values are projected on each raking margin in turn, ten passes over
the margins, each projection removing the within-category mean of ``x / w`` (weights of that
margin's last raking step), then the variance is the with-replacement variance of one-stage
``ids = ~1`` sampling, ``n / (n - 1) · Σ (x - x̄)²`` over all ``n`` respondents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from sentinelle.errors import SurveyError
from sentinelle.survey.table import Table
from sentinelle.survey.weighting import Cells, Margins, code_cells, rake

SWEEP_PASSES = 10  # fixed in R's svyrecvar for "raking" post-strata
SMALL_N = 30  # subgroups under this are flagged as imprecise
CI_METHODS = ("logit", "korn-graubard", "wilson")
VARIANCES = ("linearization", "jackknife")
MARGIN_CHECK = 1e-6


@dataclass(frozen=True)
class Estimate:
    """One answer's weighted share in one group, with its uncertainty."""

    question: str
    answer: str
    group: str
    n: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    by: str = ""

    @property
    def small(self) -> bool:
        """Fewer than 30 respondents in the base of this row."""
        return self.n < SMALL_N

    def public(self) -> dict[str, object]:
        """The pinned JSON shape: question, answer, group, n, estimate, se, ci_low, ci_high."""
        keys = ("question", "answer", "group", "n", "estimate", "se", "ci_low", "ci_high")
        return {k: asdict(self)[k] for k in keys}


@dataclass
class Design:
    """Raked weights and the coded raking margins (the calibration the variance credits)."""

    weights: np.ndarray
    cells: list[Cells]
    clusters: np.ndarray | None = None
    _replicates: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.weights)


def design_from(
    table_weights: np.ndarray, cells: list[Cells], clusters: np.ndarray | None
) -> Design:
    """A design whose weights must reproduce the margins; otherwise the variance would lie."""
    w = table_weights
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise SurveyError(
            "weights must be positive numbers", hint="re-run `sentinelle survey weight`"
        )
    for c in cells:
        sums = np.bincount(c.index, weights=w, minlength=len(c.targets)) / w.sum()
        off = np.abs(sums - c.targets / len(w))
        if off.max() > MARGIN_CHECK:
            cat = c.categories[int(np.argmax(off))]
            raise SurveyError(
                f"the weights do not reproduce margin {c.variable!r} (category {cat!r} off by "
                f"{off.max():.2e}): they were not raked to these margins",
                hint="pass the --margins used by `survey weight`, or weight the file again",
            )
    return Design(w, cells, clusters)


def sweep(design: Design, x: np.ndarray) -> np.ndarray:
    """Project influence values on the raking margins as R's svyrecvar does."""
    w = design.weights
    for _ in range(SWEEP_PASSES):
        for c in design.cells:
            k = len(c.targets)
            means = np.bincount(c.index, weights=x / w, minlength=k) / np.maximum(
                np.bincount(c.index, minlength=k), 1
            )
            x = x - w * means[c.index]
    return x


def linearized(design: Design, y: np.ndarray, domain: np.ndarray) -> tuple[float, float]:
    """Share of ``y`` in ``domain`` and its variance crediting the raking."""
    wd = design.weights * domain
    total = wd.sum()
    p = float(np.dot(wd, y) / total)
    x = sweep(design, (y - p) * wd / total)
    n = design.n
    var = float(n / (n - 1) * np.sum((x - x.mean()) ** 2))
    return p, var


def replicate_weights(design: Design) -> np.ndarray:
    """Delete-one-establishment jackknife (JK1) weights, each replicate raked again (cached)."""
    if design._replicates is None:
        design._replicates = _replicates(design)
    return design._replicates


def _replicates(design: Design) -> np.ndarray:
    if design.clusters is None:
        raise SurveyError(
            "jackknife variance needs an establishment column", hint="use --cluster COLUMN"
        )
    labels, index = np.unique(design.clusters, return_inverse=True)
    k = len(labels)
    if k < 2:
        raise SurveyError("jackknife variance needs at least 2 establishments")
    reps = np.empty((design.n, k))
    for r, label in enumerate(labels):
        start = np.where(index == r, 0.0, k / (k - 1))
        try:
            reps[:, r] = rake(design.cells, start).weights
        except SurveyError as exc:
            raise SurveyError(
                f"jackknife replicate without establishment {label!r} cannot be raked: "
                f"{exc.message}",
                hint="collapse margin categories or group small establishments",
            ) from exc
    return reps


def jackknife(
    reps: np.ndarray, y: np.ndarray, domain: np.ndarray, p: float
) -> tuple[float, float, int]:
    """JK1 variance of the share and of its logit (R centres on the replicate mean), and df."""
    k = reps.shape[1]
    wd = reps * domain[:, None]
    sums = wd.sum(axis=0)
    shares = np.divide(wd.T @ y, sums, out=np.full(k, p), where=sums > 0)
    var = float((k - 1) / k * np.sum((shares - shares.mean()) ** 2))
    if np.all((shares > 0) & (shares < 1)):
        logits = np.log(shares / (1 - shares))
        var_logit = float((k - 1) / k * np.sum((logits - logits.mean()) ** 2))
    else:  # a replicate share of 0 or 1 has no logit: fall back on the delta method
        var_logit = var / (p * (1 - p)) ** 2 if 0 < p < 1 else 0.0
    df = int(np.linalg.matrix_rank(reps[domain.astype(bool)], tol=1e-5)) - 1
    return var, var_logit, df


def interval(
    p: float, var: float, df: int, method: str, n_rows: int, var_logit: float | None = None
) -> tuple[float, float]:
    """95 % interval for a proportion (svyciprop logit / beta; Wilson on the effective size)."""
    if p <= 0 or p >= 1 or var <= 0:
        return _degenerate(p, df + 1)
    from scipy import stats  # here: SciPy takes ~0.5 s to import, and only estimates need it

    alpha = 0.05
    t = float(stats.t.ppf(1 - alpha / 2, df))
    if method == "logit":
        se = np.sqrt(var_logit) if var_logit is not None else np.sqrt(var) / (p * (1 - p))
        centre = np.log(p / (1 - p))
        return float(_expit(centre - t * se)), float(_expit(centre + t * se))
    n_eff = p * (1 - p) / var
    if method == "korn-graubard":
        n_eff *= (stats.t.ppf(alpha / 2, n_rows - 1) / stats.t.ppf(alpha / 2, df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        return float(low), float(high)
    if method == "wilson":
        denom = 1 + t**2 / n_eff
        centre = (p + t**2 / (2 * n_eff)) / denom
        half = t / denom * np.sqrt(p * (1 - p) / n_eff + t**2 / (4 * n_eff**2))
        return float(centre - half), float(centre + half)
    raise SurveyError(
        f"unknown interval method {method!r}", hint=f"use one of {', '.join(CI_METHODS)}"
    )


def _degenerate(p: float, n: int) -> tuple[float, float]:
    # A share of exactly 0 or 1 has no logit interval; use Clopper–Pearson on the base count.
    if p <= 0:
        return 0.0, float(1 - 0.025 ** (1 / max(n, 1)))
    if p >= 1:
        return float(0.025 ** (1 / max(n, 1))), 1.0
    return p, p


def _expit(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))


def estimate(
    values: np.ndarray,
    design: Design,
    question: str,
    groups: np.ndarray | None = None,
    by: str = "",
    method: str = "logit",
    variance: str = "linearization",
    answers: Sequence[str] | None = None,
) -> list[Estimate]:
    """Shares of every answer among non-empty values, overall and per group."""
    if method not in CI_METHODS:
        raise SurveyError(
            f"unknown interval method {method!r}", hint=f"use one of {', '.join(CI_METHODS)}"
        )
    if variance not in VARIANCES:
        raise SurveyError(
            f"unknown variance {variance!r}", hint=f"use one of {', '.join(VARIANCES)}"
        )
    answered = values != ""
    if not answered.any():
        raise SurveyError(f"column {question!r} has no answer to estimate")
    codes = list(answers) if answers else sorted(set(values[answered].tolist()))
    reps = replicate_weights(design) if variance == "jackknife" else None
    domains = [("all", answered)]
    if groups is not None:
        domains += [(g, answered & (groups == g)) for g in _group_order(groups)]
    out = []
    for label, domain in domains:
        if domain.any():
            out += [
                _one(values == a, domain, design, reps, question, a, label, by, method)
                for a in codes
            ]
    return out


def _group_order(groups: np.ndarray) -> list[str]:
    return sorted(g for g in set(groups.tolist()) if g != "")


def _one(
    hit: np.ndarray,
    domain: np.ndarray,
    design: Design,
    reps: np.ndarray | None,
    question: str,
    answer: str,
    group: str,
    by: str,
    method: str,
) -> Estimate:
    y = hit.astype(float)
    d = domain.astype(float)
    p, var = linearized(design, y, d)
    n = int(domain.sum())
    df, var_logit, n_rows = n - 1, None, design.n
    if reps is not None:  # R drops the rows outside a domain of a replicate design
        var, var_logit, df = jackknife(reps, y, d, p)
        n_rows = n
    low, high = interval(p, var, df, method, n_rows, var_logit)
    return Estimate(question, answer, group, n, p, float(np.sqrt(max(var, 0.0))), low, high, df, by)


def prepare(
    table: Table, margins: Margins, weight: str = "weight", cluster: str | None = None
) -> Design:
    """The design of a weighted table: its weights, coded margins and optional establishments."""
    clusters = table.array(cluster) if cluster else None
    return design_from(table.floats(weight), code_cells(table, margins), clusters)
