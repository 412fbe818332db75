"""``sentinelle survey …``: thin commands over the survey library.

Library errors are SurveyError (exit 8); ``handle_errors`` prints them with their hint.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from sentinelle.console import handle_errors
from sentinelle.errors import SurveyError
from sentinelle.survey import estimation
from sentinelle.survey.compare import compare as compare_editions
from sentinelle.survey.demo import run_demo
from sentinelle.survey.estimation import Estimate
from sentinelle.survey.importers import read_limesurvey_api, read_responses
from sentinelle.survey.indicators import estimate_column, load_weighted
from sentinelle.survey.simulate import simulate as simulate_table
from sentinelle.survey.table import write_csv
from sentinelle.survey.validation import Validated
from sentinelle.survey.validation import validate as validate_responses
from sentinelle.survey.weighting import (
    WeightingReport,
    load_margins,
    report_path,
    sidecar,
    write_margins,
)
from sentinelle.survey.weighting import (
    weight as rake_weights,
)

_MAPPING = click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Column mapping (YAML 'source: COLUMN' or CSV source,column) for non-LimeSurvey files.",
)
_EDITION = click.option("--edition", type=int, help="Questionnaire edition (default: detected).")


@click.group(name="survey")
def survey() -> None:
    """The annual barometer: validate, weight, estimate, compare, report.

    \b
    Example:
      sentinelle survey demo
    """


def _read(path: Path, edition: int | None, mapping: Path | None) -> Validated:
    return validate_responses(read_responses(path, mapping), edition)


def _echo_problems(checked: Validated, err: bool) -> None:
    for problem in checked.problems:
        click.echo(f"{checked.table.source}: {problem}", err=err)


@survey.command()
@handle_errors
@click.argument("responses", type=click.Path(dir_okay=False, path_type=Path))
@_EDITION
@_MAPPING
def validate(responses: Path, edition: int | None, mapping: Path | None) -> None:
    """Check a response file: every bad row is listed with its number and reason.

    Reads LimeSurvey CSV/XLSX exports (answer codes or full labels), SPSS .sav and any CSV/XLSX
    with --mapping. Fails (exit 8) when a row is bad, after listing them all.

    \b
    Example:
      sentinelle survey validate export-limesurvey.csv --edition 2025
    """
    checked = _read(responses, edition, mapping)
    _echo_problems(checked, err=False)
    edition_text = checked.edition if checked.edition else "none recognized (structure only)"
    click.echo(
        f"{responses}: {checked.rows_read} rows read, {len(checked.table)} valid, "
        f"{len(checked.bad_rows)} set aside; questionnaire edition: {edition_text}"
    )
    if checked.problems:
        raise SurveyError(
            f"{responses}: {len(checked.bad_rows)} bad rows (listed above)",
            hint="fix them in the source, or run `survey weight`, which imports the valid rows",
        )


def _parse_trim(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        low, high = (float(x) for x in text.split(","))
    except ValueError:
        raise SurveyError(f"--trim {text!r}: expected LOW,HIGH, e.g. 0.3,3") from None
    return low, high


@survey.command()
@handle_errors
@click.argument("responses", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--margins", "margins_spec", required=True, help="CSV variable,category,share, or 'drees'."
)
@click.option("--trim", help="Bounds LOW,HIGH as multiples of the mean weight, then re-rake.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_EDITION
@_MAPPING
def weight(
    responses: Path,
    margins_spec: str,
    trim: str | None,
    out: Path,
    edition: int | None,
    mapping: Path | None,
) -> None:
    """Rake the valid rows to population margins and write them with a weight column.

    Bad rows are listed on stderr and left out; weights sum to the number of rows written. The
    margins used are recorded beside the output (OUT.margins.csv) for `survey estimate`, and the
    weighting report in OUT.weighting.json.

    \b
    Example:
      sentinelle survey weight responses.csv --margins drees --trim 0.3,3 --out weighted.csv
    """
    checked = _read(responses, edition, mapping)
    _echo_problems(checked, err=True)
    margins = load_margins(margins_spec)
    weights, report = rake_weights(checked.table, margins, _parse_trim(trim))
    table = checked.table.with_column("weight", (repr(float(w)) for w in weights))
    write_csv(table, out)
    write_margins(margins, sidecar(out))
    report_path(out).write_text(report.to_json() + "\n", encoding="utf-8")
    click.echo(_weighting_summary(report, len(checked.bad_rows), out))


def _weighting_summary(report: WeightingReport, bad: int, out: Path) -> str:
    trim = f", trimmed in {report.trim_cycles} cycles to {report.trim}" if report.trim else ""
    return (
        f"{out}: {report.n} respondents weighted ({bad} bad rows left out); raking converged in "
        f"{report.iterations} iterations (max margin error {report.max_margin_error:.1e}){trim}; "
        f"weights {report.weight_min:.3f}–{report.weight_max:.3f}; "
        f"Kish deff {report.deff_kish:.3f}, "
        f"effective n {report.n_effective:.0f}"
    )


@survey.command()
@handle_errors
@click.argument("weighted", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--question", required=True, help="Any categorical column, or an indicator id.")
@click.option("--by", help="Subgroup column (e.g. GROUPE_PRO, ETAB_TYPE).")
@click.option(
    "--margins", "margins_spec", help="Raking margins (default: recorded by `survey weight`)."
)
@click.option(
    "--ci", "method", type=click.Choice(estimation.CI_METHODS), default="logit", show_default=True
)
@click.option(
    "--variance",
    type=click.Choice(estimation.VARIANCES),
    default="linearization",
    show_default=True,
)
@click.option(
    "--cluster",
    default=None,
    help="Establishment column for --variance jackknife (default ETAB_ID).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of rows.")
def estimate(
    weighted: Path,
    question: str,
    by: str | None,
    margins_spec: str | None,
    method: str,
    variance: str,
    cluster: str | None,
    as_json: bool,
) -> None:
    """Weighted share of each answer, overall and by subgroup, with SE and 95 % interval.

    The variance credits the raking like R's survey package (rake + svymean); intervals are
    svyciprop's logit by default. Rows under 30 respondents are flagged.

    \b
    Example:
      sentinelle survey estimate weighted.csv --question PERCEPTION --by GROUPE_PRO --json
    """
    if variance == "jackknife":
        cluster = cluster or "ETAB_ID"
    w = load_weighted(weighted, margins_spec, cluster)
    rows = estimate_column(w, question, by, method, variance)
    if as_json:
        click.echo(json.dumps([r.public() for r in rows], indent=2, ensure_ascii=False))
        return
    if not w.weighted:
        click.echo("note: no weight column — unweighted estimates (simple random sampling)")
    click.echo(_estimate_table(rows))


def _estimate_table(rows: list[Estimate]) -> str:
    lines = [f"{'group':<18} {'answer':<18} {'n':>6} {'share':>7} {'se':>7}  95 % CI"]
    for r in rows:
        flag = "  (n < 30: imprecise)" if r.small else ""
        lines.append(
            f"{r.group:<18} {r.answer:<18} {r.n:>6} {r.estimate:>7.1%} {r.se:>7.2%}  "
            f"[{r.ci_low:.1%}, {r.ci_high:.1%}]{flag}"
        )
    return "\n".join(lines)


@survey.command()
@handle_errors
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of differences.")
def compare(old: Path, new: Path, as_json: bool) -> None:
    """Differences between two weighted editions for their comparable indicators.

    Editions are independent samples: the variance of a difference is the sum of the variances;
    p-values are two-sided t tests, adjusted with Holm over the indicators.

    \b
    Example:
      sentinelle survey compare weighted-2025.csv weighted-2026.csv
    """
    diffs = compare_editions(load_weighted(old), load_weighted(new))
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in diffs], indent=2, ensure_ascii=False))
        return
    click.echo(f"{'indicator':<28} {'old':>7} {'new':>7} {'diff':>7}  95 % CI            p (Holm)")
    for d in diffs:
        star = " *" if d.significant else ""
        click.echo(
            f"{d.indicator:<28} {d.old:>7.1%} {d.new:>7.1%} {d.difference:>+7.1%}  "
            f"[{d.ci_low:+.1%}, {d.ci_high:+.1%}]  {d.p_holm:.3f}{star}"
        )


@survey.command()
@handle_errors
@click.argument("weighted", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report(weighted: tuple[Path, ...], lang: str, out: Path) -> None:
    """Write the barometer report: one self-contained HTML file (no network needed).

    Give one weighted file per edition (oldest first); without files, the report is built on
    simulated 2025 and 2026 editions and says so.

    \b
    Example:
      sentinelle survey report weighted-2025.csv weighted-2026.csv --out barometre.html
    """
    from sentinelle.survey.report import build_report

    out.write_text(build_report(list(weighted), lang), encoding="utf-8")
    click.echo(f"{out}: report written ({lang})")


@survey.command()
@handle_errors
@click.option("--url", required=True, help="LimeSurvey RemoteControl URL (…/admin/remotecontrol).")
@click.option("--user", required=True, help="LimeSurvey account.")
@click.option("--survey-id", required=True, type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def fetch(url: str, user: str, survey_id: int, out: Path) -> None:
    """Download the completed responses of a LimeSurvey survey (RemoteControl 2 API) as CSV.

    The password is read from the LIMESURVEY_PASSWORD environment variable, never from the
    command line. Answer codes and code headings are requested; validate the file afterwards.

    \b
    Example:
      export LIMESURVEY_PASSWORD=…
      sentinelle survey fetch --url https://enquetes.chu.fr/index.php/admin/remotecontrol \\
          --user dsi --survey-id 123456 --out export.csv
    """
    password = os.environ.get("LIMESURVEY_PASSWORD")
    if not password:
        raise SurveyError("LIMESURVEY_PASSWORD is not set", hint="export LIMESURVEY_PASSWORD=…")
    imported = read_limesurvey_api(url, user, password, survey_id)
    if imported.unreadable:
        line, why = imported.unreadable[0]
        raise SurveyError(f"LimeSurvey export of survey {survey_id}: line {line}: {why}")
    write_csv(imported.table, out)
    click.echo(f"{out}: {len(imported.table)} completed responses of survey {survey_id}")


@survey.command()
@handle_errors
@click.option("--edition", type=int, default=2025, show_default=True)
@click.option("--n", "size", type=int, help="Number of respondents (default: the edition's).")
@click.option("--seed", type=int, default=2025, show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def simulate(edition: int, size: int | None, seed: int, out: Path) -> None:
    """Write a simulated respondent file calibrated on the published 2025 figures.

    Like the 2025 sample, it over-represents non-care staff (44 % against about 28 %).

    \b
    Example:
      sentinelle survey simulate --edition 2025 --out simulated-2025.csv
    """
    table = simulate_table(edition, size, seed)
    write_csv(table, out)
    click.echo(f"{out}: {len(table)} simulated respondents (edition {edition}, seed {seed})")


@survey.command()
@handle_errors
@click.option("--seed", type=int, default=2025, show_default=True)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def demo(seed: int, lang: str) -> None:
    """Simulate 2025, weight it to the DREES staff structure and show how indicators move.

    \b
    Example:
      sentinelle survey demo --lang en
    """
    rows, rep, _ = run_demo(seed, lang)
    click.echo(
        f"Simulated 2025 barometer: {rep.n} respondents raked to the DREES margins "
        f"(GROUPE_PRO, ETAB_TYPE); Kish deff {rep.deff_kish:.2f}, effective n {rep.n_effective:.0f}"
    )
    click.echo(
        f"{'indicator':<26} {'published':>9} {'raw':>7} {'weighted':>9}  "
        f"95 % CI          {'shift':>6}"
    )
    for r in rows:
        pub = f"{r.published:.0%}" if r.published is not None else "–"
        click.echo(
            f"{r.indicator:<26} {pub:>9} {r.raw.estimate:>7.1%} {r.weighted.estimate:>9.1%}  "
            f"[{r.weighted.ci_low:.1%}, {r.weighted.ci_high:.1%}]  {r.shift * 100:>+5.1f} pt"
        )
