"""The barometer report: one self-contained HTML file, inline SVG charts, no network."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from sentinelle import __version__
from sentinelle.errors import SurveyError
from sentinelle.survey.compare import Difference, compare
from sentinelle.survey.demo import weighted_simulation
from sentinelle.survey.estimation import SMALL_N, Estimate
from sentinelle.survey.indicators import Weighted, estimate_indicator, load_weighted
from sentinelle.survey.weighting import kish

PUBLISH_MIN = 11  # no published figure under 11 respondents (CASD rule, docs/survey.md)
BREAKDOWNS = (("GROUPE_PRO", "by_group"), ("ETAB_TYPE", "by_etab"))
BREAKDOWN_INDICATORS = ("perception_positive", "utilisateurs", "outils_personnels", "formes")


@dataclass(frozen=True)
class Cell:
    """One published figure: an estimate, or the reason it is withheld."""

    label: str
    estimate: Estimate
    withheld: str = ""


@cache
def strings(lang: str) -> dict[str, str]:
    """The report wording in one language."""
    text = (
        resources.files("sentinelle.survey")
        .joinpath("data")
        .joinpath("i18n.yaml")
        .read_text("utf-8")
    )
    table = yaml.safe_load(text)
    if lang not in table:
        raise SurveyError(
            f"no report wording for language {lang!r}", hint="use --lang fr or --lang en"
        )
    wording: dict[str, str] = table[lang]
    return wording


def build_report(paths: list[Path], lang: str = "fr") -> str:
    """The HTML report of one or more weighted editions (simulated ones when no path)."""
    simulated = not paths
    editions = [load_weighted(p) for p in paths] if paths else _simulated()
    for w in editions:
        if w.questionnaire is None:
            raise SurveyError(
                f"{w.path}: no questionnaire edition recognized; the report needs one"
            )
    editions.sort(key=lambda w: w.questionnaire.edition if w.questionnaire else 0)
    context = _context(editions, lang, simulated)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sentinelle.survey", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2").render(**context)


def _simulated() -> list[Weighted]:
    return [weighted_simulation(year, seed=year)[1] for year in (2025, 2026)]


def _context(editions: list[Weighted], lang: str, simulated: bool) -> dict[str, Any]:
    t = strings(lang)
    latest = editions[-1]
    q = latest.questionnaire
    assert q is not None
    headline = [_headline_row(latest, ind_id, lang) for ind_id in q.indicators]
    diffs: list[Difference] = compare(editions[-2], latest) if len(editions) > 1 else []
    labels = {k: v.label[lang] for k, v in q.indicators.items()}
    return {
        "t": t,
        "lang": lang,
        "version": __version__,
        "simulated": simulated,
        "title": q.title[lang],
        "source": q.source.get(lang, ""),
        "edition": q.edition,
        "n": len(latest.table),
        "method": _method_text(latest, t, lang),
        "headline": headline,
        "headline_chart": _bars([(r["label"], r["estimate"]) for r in headline]),
        "breakdowns": _breakdowns(latest, lang),
        "diffs": diffs,
        "labels": labels,
        "fmt": (lambda x, signed=False: _pct(x, signed, lang)),
    }


def _headline_row(w: Weighted, indicator_id: str, lang: str) -> dict[str, Any]:
    assert w.questionnaire is not None
    ind = w.questionnaire.indicators[indicator_id]
    est = estimate_indicator(w, ind)[0]
    base = w.questionnaire.bases[ind.base].label[lang]
    return {
        "label": ind.label[lang],
        "estimate": est,
        "base": f"{base} (n = {est.n})",
        "published": ind.published,
    }


def _method_text(w: Weighted, t: dict[str, str], lang: str) -> str:
    if w.margins is None:
        return t["method_unweighted"]
    deff, n_eff = kish(w.design.weights)
    return t["method_text"].format(
        margins=", ".join(w.margins.variables),
        deff=f"{deff:.2f}".replace(".", "," if lang == "fr" else "."),
        neff=f"{n_eff:.0f}",
    )


def _breakdowns(w: Weighted, lang: str) -> list[dict[str, Any]]:
    assert w.questionnaire is not None
    q = w.questionnaire
    out = []
    for column, key in BREAKDOWNS:
        if column not in w.table.data:
            continue
        labels = {a.code: a.label[lang] for a in q.questions[column].answers}
        for ind_id in BREAKDOWN_INDICATORS:
            if ind_id not in q.indicators:
                continue
            rows = estimate_indicator(w, q.indicators[ind_id], by=column)[1:]
            cells = protect([Cell(labels.get(r.group, r.group), r) for r in rows], lang)
            out.append(
                {
                    "title_key": key,
                    "indicator": q.indicators[ind_id].label[lang],
                    "cells": cells,
                    "chart": _bars([(c.label, c.estimate) for c in cells if not c.withheld]),
                }
            )
    return out


def protect(cells: list[Cell], lang: str) -> list[Cell]:
    """Withhold cells under 11 respondents, plus one more if a lone withheld cell is rebuildable."""
    t = strings(lang)
    out = [
        Cell(c.label, c.estimate, t["suppressed"]) if c.estimate.n < PUBLISH_MIN else c
        for c in cells
    ]
    withheld = [c for c in out if c.withheld]
    shown = sorted((c for c in out if not c.withheld), key=lambda c: c.estimate.n)
    if len(withheld) == 1 and shown:
        smallest = shown[0]
        out = [
            Cell(c.label, c.estimate, t["suppressed_secondary"]) if c is smallest else c
            for c in out
        ]
    return out


def _pct(x: float, signed: bool = False, lang: str = "fr") -> str:
    text = f"{x * 100:+.1f}" if signed else f"{x * 100:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


def _short(label: str, size: int = 52) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _bars(items: list[tuple[str, Estimate]]) -> Markup:
    """A horizontal bar chart with 95 % interval whiskers, as inline SVG."""
    row_h, left, width, right = 22, 330, 300, 120
    height = row_h * len(items) + 24
    parts = [
        f'<svg role="img" width="{left + width + right}" '
        f'height="{height}" viewBox="0 0 {left + width + right} {height}" font-size="12">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = left + tick * width
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" fill="#555">{tick:.0%}</text>'
        )
    for i, (label, e) in enumerate(items):
        y = i * row_h + 4
        mid = y + row_h / 2 - 2
        parts.append(
            f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{e.estimate * width:.1f}" '
            f'height="{row_h - 10}" fill="#4a78b5">'
            f"<title>{e.estimate:.1%} [{e.ci_low:.1%} ; {e.ci_high:.1%}] n = {e.n}</title></rect>"
        )
        x0, x1 = left + e.ci_low * width, left + e.ci_high * width
        parts.append(
            f'<line x1="{x0:.1f}" y1="{mid:.1f}" x2="{x1:.1f}" y2="{mid:.1f}" '
            'stroke="#222" stroke-width="1.5"/>'
        )
        for x in (x0, x1):
            parts.append(
                f'<line x1="{x:.1f}" y1="{mid - 4:.1f}" x2="{x:.1f}" '
                f'y2="{mid + 4:.1f}" stroke="#222"/>'
            )
        parts.append(
            f'<text x="{left + width + 6}" y="{mid + 4:.1f}">{e.estimate:.0%} (n={e.n})</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["PUBLISH_MIN", "SMALL_N", "build_report", "protect"]
