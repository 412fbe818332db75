"""Raking (iterative proportional fitting) to population margins, with optional trimming."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from sentinelle.errors import ConvergenceError, SurveyError
from sentinelle.survey.table import Table, parse_csv

SHARE_TOLERANCE = 1e-6  # margin shares of one variable must sum to 1 within this
RAKE_TOLERANCE = 1e-10  # largest |achieved share - target share| at convergence
MAX_ITERATIONS = 1000
MAX_TRIM_CYCLES = 500
BUNDLED = {"drees": "margins-drees.csv"}


@dataclass(frozen=True)
class Margin:
    """The population shares of the categories of one variable (a response column)."""

    variable: str
    shares: dict[str, float]


@dataclass(frozen=True)
class Margins:
    """Raking margins, in file order (the order also fixes the variance sweep order)."""

    margins: tuple[Margin, ...]
    source: str = ""

    @property
    def variables(self) -> list[str]:
        """The raking variables in order."""
        return [m.variable for m in self.margins]


def load_margins(spec: str | Path) -> Margins:
    """Margins from a ``variable,category,share`` CSV, or a bundled set by name (``drees``)."""
    name = str(spec)
    if name in BUNDLED:
        ref = resources.files("sentinelle.survey").joinpath("data").joinpath(BUNDLED[name])
        return parse_margins(ref.read_text("utf-8"), f"bundled margins {name!r}")
    path = Path(spec)
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise SurveyError(
            f"cannot read margins {path}: {exc.strerror}",
            hint="give a CSV variable,category,share, or --margins drees (bundled DREES margins)",
        ) from exc
    return parse_margins(text, str(path))


def parse_margins(text: str, source: str) -> Margins:
    """Parse and check margins text; '#' lines are provenance comments."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    table, bad = parse_csv(body, source)
    if bad:
        raise SurveyError(f"{source}: malformed margins line ({bad[0][1]})")
    if not {"variable", "category", "share"} <= set(table.columns):
        raise SurveyError(f"{source}: margins need the columns variable,category,share")
    shares: dict[str, dict[str, float]] = {}
    for i in range(len(table)):
        var, cat, share = (table.data[k][i] for k in ("variable", "category", "share"))
        shares.setdefault(var, {})
        if cat in shares[var]:
            raise SurveyError(f"{source}: row {i + 2}: category {var}={cat} appears twice")
        shares[var][cat] = _share(share, source, i + 2)
    for var, cats in shares.items():
        total = sum(cats.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            raise SurveyError(
                f"{source}: the shares of margin {var!r} sum to {total:.6f}, not 1",
                hint="fix the shares so that each variable sums to 1",
            )
    return Margins(tuple(Margin(v, c) for v, c in shares.items()), source)


def _share(text: str, source: str, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SurveyError(f"{source}: row {row}: share {text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise SurveyError(f"{source}: row {row}: share {value} is not between 0 and 1")
    return value


def write_margins(margins: Margins, path: Path) -> None:
    """Write margins as ``variable,category,share`` (exact floats)."""
    lines = [f"# margins used for weighting: {margins.source}", "variable,category,share"]
    lines += [f"{m.variable},{c},{s!r}" for m in margins.margins for c, s in m.shares.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Cells:
    """One margin coded for the sample: category index per row and the target totals."""

    variable: str
    categories: list[str]
    index: np.ndarray
    targets: np.ndarray


def code_cells(table: Table, margins: Margins) -> list[Cells]:
    """Code every raking variable; unknown or empty categories are errors naming their rows."""
    return [_code_margin(table, m) for m in margins.margins]


def _code_margin(table: Table, margin: Margin) -> Cells:
    values = table.column(margin.variable)
    categories = list(margin.shares)
    position = {c: i for i, c in enumerate(categories)}
    unknown = [(row, v) for v, row in zip(values, table.rows, strict=True) if v not in position]
    if unknown:
        shown = ", ".join(f"row {r}: {v!r}" for r, v in unknown[:10])
        raise SurveyError(
            f"{table.source}: {len(unknown)} rows have a {margin.variable} category absent "
            f"from the margins ({shown})",
            hint=f"margin categories are: {', '.join(categories)}; fix the rows or add it",
        )
    index = np.array([position[v] for v in values], dtype=np.intp)
    counts = np.bincount(index, minlength=len(categories))
    shares = np.array([margin.shares[c] for c in categories])
    for cat, count, share in zip(categories, counts, shares, strict=True):
        if count == 0 and share > 0:
            raise ConvergenceError(
                f"margin {margin.variable}: category {cat!r} has a population share of {share:.4f} "
                f"but no respondent, so raking cannot reach it",
                hint="collapse the category with a neighbour in the margins file",
            )
        if count > 0 and share == 0:
            raise ConvergenceError(
                f"margin {margin.variable}: category {cat!r} has {count} respondents "
                "but a share of 0",
                hint="remove those rows or give the category its population share",
            )
    return Cells(margin.variable, categories, index, shares * len(values))


@dataclass
class Raked:
    """Raked weights (summing to n), the last pass's per-margin weights and how it went."""

    weights: np.ndarray
    pass_weights: list[np.ndarray]
    iterations: int
    max_error: float


def rake(cells: list[Cells], start: np.ndarray, tolerance: float = RAKE_TOLERANCE) -> Raked:
    """Iterative proportional fitting; a ConvergenceError names the margin still off."""
    w = start.astype(float).copy()
    n = len(w)
    error = np.inf
    for iteration in range(1, MAX_ITERATIONS + 1):
        pass_weights = []
        for c in cells:
            sums = np.bincount(c.index, weights=w, minlength=len(c.targets))
            ratio = np.divide(c.targets, sums, out=np.zeros_like(sums), where=sums > 0)
            w = w * ratio[c.index]
            pass_weights.append(w)
        errors = [margin_error(c, w, n) for c in cells]
        error = max(errors)
        if error < tolerance:
            return Raked(w, pass_weights, iteration, error)
    worst = cells[int(np.argmax(errors))].variable
    raise ConvergenceError(
        f"raking did not converge after {MAX_ITERATIONS} iterations: margin {worst!r} is still off "
        f"by {error:.2e} (share)",
        hint="the margins may be inconsistent with the sample (empty cells, structural zeros); "
        "collapse sparse categories or drop a margin",
    )


def margin_error(cells: Cells, w: np.ndarray, n: int) -> float:
    """Largest |achieved share - target share| of one margin."""
    sums = np.bincount(cells.index, weights=w, minlength=len(cells.targets))
    return float(np.max(np.abs(sums / w.sum() - cells.targets / n)))


@dataclass
class WeightingReport:
    """What the weighting did: the numbers to publish beside the estimates."""

    n: int
    iterations: int
    trim_cycles: int
    trim: tuple[float, float] | None
    weight_min: float
    weight_max: float
    deff_kish: float
    n_effective: float
    max_margin_error: float
    margins: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def kish(w: np.ndarray) -> tuple[float, float]:
    """Kish design effect n·Σw²/(Σw)² and effective sample size n/deff."""
    deff = len(w) * float(np.sum(w**2)) / float(np.sum(w)) ** 2
    return deff, len(w) / deff


def weight(
    table: Table,
    margins: Margins,
    trim: tuple[float, float] | None = None,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, WeightingReport]:
    """Rake a table to margins (then trim and re-rake); weights sum to the number of rows."""
    if len(table) == 0:
        raise SurveyError(f"{table.source}: no respondent to weight")
    cells = code_cells(table, margins)
    base = np.ones(len(table)) if start is None else start
    raked = rake(cells, base)
    iterations, cycles = raked.iterations, 0
    if trim is not None:
        raked, cycles = _trim(cells, raked, trim)
    deff, n_eff = kish(raked.weights)
    report = WeightingReport(
        n=len(table),
        iterations=iterations,
        trim_cycles=cycles,
        trim=trim,
        weight_min=float(raked.weights.min()),
        weight_max=float(raked.weights.max()),
        deff_kish=deff,
        n_effective=n_eff,
        max_margin_error=raked.max_error,
        margins=_achieved(cells, raked.weights),
    )
    return raked.weights, report


def _trim(cells: list[Cells], raked: Raked, bounds: tuple[float, float]) -> tuple[Raked, int]:
    """Clip to [low, high] × mean weight and re-rake until both hold, or fail loudly."""
    low, high = bounds
    if not 0 <= low < 1 < high:
        raise SurveyError(
            f"--trim {low},{high}: need 0 <= LOW < 1 < HIGH (multiples of the mean weight)"
        )
    for cycle in range(1, MAX_TRIM_CYCLES + 1):
        mean = raked.weights.mean()
        clipped = np.clip(raked.weights, low * mean, high * mean)
        raked = rake(cells, clipped)
        mean = raked.weights.mean()
        slack = 1e-6 * mean
        if raked.weights.min() >= low * mean - slack and raked.weights.max() <= high * mean + slack:
            return raked, cycle
    raise ConvergenceError(
        f"trimming to [{low}, {high}] × mean weight and the margins cannot both hold "
        f"(after {MAX_TRIM_CYCLES} clip/re-rake cycles, weights span "
        f"{raked.weights.min():.3f}–{raked.weights.max():.3f})",
        hint="widen --trim, or collapse the margin categories with very few respondents",
    )


def _achieved(cells: list[Cells], w: np.ndarray) -> list[dict[str, object]]:
    n = len(w)
    rows: list[dict[str, object]] = []
    for c in cells:
        counts = np.bincount(c.index, minlength=len(c.targets))
        sums = np.bincount(c.index, weights=w, minlength=len(c.targets))
        rows += [
            {
                "variable": c.variable,
                "category": cat,
                "respondents": int(counts[i]),
                "sample_share": float(counts[i] / n),
                "target_share": float(c.targets[i] / n),
                "weighted_share": float(sums[i] / w.sum()),
            }
            for i, cat in enumerate(c.categories)
        ]
    return rows


def sidecar(path: Path) -> Path:
    """Where ``survey weight`` records the margins it used beside its output."""
    return path.with_name(path.name + ".margins.csv")


def report_path(path: Path) -> Path:
    """Where ``survey weight`` writes its weighting report (JSON) beside its output."""
    return path.with_name(path.name + ".weighting.json")
