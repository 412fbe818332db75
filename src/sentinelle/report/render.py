"""Render a :class:`ReportData` to one self-contained HTML file (Jinja2, inline CSS and SVG)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from sentinelle.report import charts
from sentinelle.report.format import Formatter, check_lang
from sentinelle.report.model import DIMENSIONS, METRICS, STATUSES, ReportData, Row

_PACKAGE = "sentinelle.report"
BAR_LIMITS = {"service": 15, "role": 12, "department": 15}


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def load_strings(lang: str) -> dict[str, str]:
    """Every visible string for ``lang``, keyed by dotted path (``"chart.daily.title"``)."""
    text = resources.files(_PACKAGE).joinpath("i18n", f"{check_lang(lang)}.yaml").read_text("utf-8")
    return _flatten(yaml.safe_load(text))


class Translator:
    """``t("key", name=value)``: the string for ``key`` with its placeholders filled."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.strings = load_strings(lang)

    def __call__(self, key: str, **values: object) -> str:
        return self.strings[key].format(**values) if values else self.strings[key]

    def get(self, key: str, default: str) -> str:
        return self.strings.get(key, default)

    def plural(self, key: str, count: int) -> str:
        """The ``.one`` form for 0 and 1 in French, 1 in English; ``.other`` otherwise."""
        one = count in (0, 1) if self.lang == "fr" else count == 1
        return self(f"{key}.{'one' if one else 'other'}")


def headline_text(data: ReportData, lang: str = "fr") -> str:
    """The report's opening sentence, as plain text."""
    t, fmt, h = Translator(lang), Formatter(lang), data.headline
    month = fmt.month(h.period)
    if h.requests == 0:
        return t("headline.empty", month=month)
    top = ""
    if h.top_service and h.top_share is not None:
        top = t("headline.top", share=fmt.percent(h.top_share), service=h.top_service)
    role = ""
    if h.role and h.role_requests:
        key = "headline.role_secretary" if h.role_is_secretary else "headline.role_other"
        role = t(key, requests=fmt.integer(h.role_requests), role=h.role)
    return t(
        "headline.main",
        month=month,
        requests=fmt.integer(h.requests),
        connections=t.plural("headline.connections", h.requests),
        workstations=fmt.integer(h.workstations),
        workstation_word=t.plural("headline.workstations", h.workstations),
        top=top,
        role=role,
    )


def row_label(row: Row, dim: str, t: Translator) -> str:
    """The name shown for a row: translated for categories and unattributed values."""
    if row.key is None:
        return t("label.unattributed")
    if dim == "category":
        return t.get(f"category.{row.key}", row.key)
    return row.label


def _bar_chart(data: ReportData, dim: str, t: Translator, fmt: Formatter) -> Markup:
    rows = data.dimension(dim)
    named = [r for r in rows if not r.unattributed]
    limit = BAR_LIMITS[dim] if len(named) > BAR_LIMITS[dim] + 1 else len(named)
    shown, rest = named[:limit], named[limit:]
    bars = [_bar(row_label(r, dim, t), r, t, fmt, _tone(r, dim)) for r in shown]
    if rest:
        label = t("label.others", count=fmt.integer(len(rest)))
        requests = sum(r.metrics.requests for r in rest)
        share = sum(r.share for r in rest)
        text = t("chart.bar_text", requests=fmt.integer(requests), share=fmt.percent(share))
        bars.append(charts.Bar(label, requests, text, f"{label} — {text}", "muted"))
    bars += [_bar(row_label(r, dim, t), r, t, fmt, "muted") for r in rows if r.unattributed]
    legend: list[tuple[str, str]] = []
    if dim == "service":
        legend = [
            (t("chart.services.legend_general"), "primary"),
            (t("chart.services.legend_other"), "secondary"),
        ]
    key = {"service": "services", "role": "roles", "department": "departments"}[dim]
    return charts.hbar_chart(
        bars,
        chart_id=f"chart-{key}",
        title=t(f"chart.{key}.title", month=fmt.month(data.period)),
        desc=t(f"chart.{key}.caption", month=fmt.month(data.period), tz=data.tz),
        legend=legend,
    )


def _tone(row: Row, dim: str) -> str:
    if row.unattributed:
        return "muted"
    if dim == "service" and not row.general_purpose:
        return "secondary"
    return "primary"


def _bar(label: str, row: Row, t: Translator, fmt: Formatter, tone: str) -> charts.Bar:
    m = row.metrics
    share = fmt.percent(row.share)
    tooltip = t(
        "chart.bar_tooltip",
        label=label,
        requests=fmt.integer(m.requests),
        share=fmt.percent(row.share, 1),
        workstations=fmt.integer(m.workstations),
        blocked=fmt.integer(m.blocked),
    )
    text = t("chart.bar_text", requests=fmt.integer(m.requests), share=share)
    return charts.Bar(label, m.requests, text, tooltip, tone)


def _daily_chart(data: ReportData, t: Translator, fmt: Formatter) -> Markup:
    columns = [
        charts.Column(
            label=str(p.day.day),
            value=p.requests,
            tooltip=t(
                "chart.daily.tooltip",
                day=fmt.day(p.day),
                requests=fmt.integer(p.requests),
                workstations=fmt.integer(p.workstations),
                blocked=fmt.integer(p.blocked),
            ),
            tone="secondary" if p.day.isoweekday() >= 6 else "primary",
        )
        for p in data.daily
    ]
    return charts.column_chart(
        columns,
        chart_id="chart-daily",
        title=t("chart.daily.title", month=fmt.month(data.period)),
        desc=t("chart.daily.caption", tz=data.tz),
        y_format=lambda v: fmt.integer(int(v)),
        legend=[
            (t("chart.daily.legend_weekday"), "primary"),
            (t("chart.daily.legend_weekend"), "secondary"),
        ],
    )


def _heatmap_chart(data: ReportData, t: Translator, fmt: Formatter) -> Markup:
    grid = [[0] * 24 for _ in range(7)]
    for cell in data.heatmap:
        grid[cell.weekday - 1][cell.hour] = cell.requests
    hours = [t("chart.heatmap.hour", hour=h) for h in range(24)]

    def tooltip(r: int, c: int, value: int) -> str:
        return t(
            "chart.heatmap.tooltip",
            weekday=fmt.weekday(r + 1),
            hour=hours[c],
            requests=fmt.integer(value),
        )

    return charts.heatmap_chart(
        grid,
        chart_id="chart-heatmap",
        title=t("chart.heatmap.title", month=fmt.month(data.period)),
        desc=t("chart.heatmap.caption", tz=data.tz),
        row_labels=[fmt.weekday(d, short=True) for d in range(1, 8)],
        col_labels=[h if i % 3 == 0 else "" for i, h in enumerate(hours)],
        tooltip=tooltip,
        legend_title=t("chart.heatmap.legend"),
        value_format=lambda v: fmt.integer(round(v)),
    )


def _months_chart(data: ReportData, t: Translator, fmt: Formatter) -> Markup:
    columns = [
        charts.Column(
            label=fmt.month_short(m.period),
            value=m.metrics.requests,
            text=fmt.integer(m.metrics.requests),
            tooltip=t(
                "chart.months.tooltip",
                month=fmt.month(m.period),
                requests=fmt.integer(m.metrics.requests),
                workstations=fmt.integer(m.metrics.workstations),
                change=fmt.change(m.change),
            ),
            tone="muted" if m.partial else "primary" if m.period == data.period else "secondary",
        )
        for m in data.months
    ]
    return charts.column_chart(
        columns,
        chart_id="chart-months",
        title=t("chart.months.title"),
        desc=t("chart.months.caption"),
        y_format=lambda v: fmt.integer(int(v)),
        height=240,
    )


def _policy_chart(data: ReportData, t: Translator, fmt: Formatter) -> Markup:
    segments = []
    for group in data.policy:
        status = t(f"status.{group.status}")
        values = {"requests": fmt.integer(group.requests), "share": fmt.percent(group.share, 1)}
        segments.append(
            charts.Segment(
                label=status,
                share=group.share,
                text=t("chart.policy.text", **values),
                tooltip=t("chart.policy.tooltip", status=status, **values),
                tone=group.status,
            )
        )
    return charts.stacked_bar(
        segments,
        chart_id="chart-policy",
        title=t("chart.policy.title", month=fmt.month(data.period)),
        desc=t("chart.policy.caption"),
    )


def build_charts(data: ReportData, lang: str) -> dict[str, Markup]:
    """Every chart of the report as inline SVG, keyed by section."""
    t, fmt = Translator(lang), Formatter(lang)
    out = {dim: _bar_chart(data, dim, t, fmt) for dim in BAR_LIMITS}
    out["daily"] = _daily_chart(data, t, fmt)
    out["heatmap"] = _heatmap_chart(data, t, fmt)
    out["policy"] = _policy_chart(data, t, fmt)
    if len(data.months) > 1:
        out["months"] = _months_chart(data, t, fmt)
    return out


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _css() -> Markup:
    css = resources.files(_PACKAGE).joinpath("static", "report.css").read_text("utf-8")
    return Markup(css.replace("</", "<\\/"))  # a stylesheet can never close its <style> early


def render_report(data: ReportData, lang: str = "fr") -> str:
    """The complete HTML document for ``data`` in ``lang`` ("fr" or "en")."""
    t, fmt = Translator(check_lang(lang)), Formatter(lang)
    template = _environment().get_template("report.html.j2")
    return template.render(
        data=data,
        lang=lang,
        t=t,
        fmt=fmt,
        headline=headline_text(data, lang),
        charts=build_charts(data, lang),
        css=_css(),
        label=lambda row, dim: row_label(row, dim, t),
        metrics=METRICS,
        dimensions=DIMENSIONS,
        statuses=STATUSES,
        sections=_sections(data),
    )


def _sections(data: ReportData) -> Sequence[tuple[str, str]]:
    """(anchor, i18n key) of each section, in order, for the table of contents."""
    names = ["overview", "services", "categories", "roles", "departments", "sites"]
    names += ["daily", "heatmap", "months", "policy", "discovery", "dns", "coverage"]
    names += ["definitions", "limits"]
    return [(name, f"section.{name}") for name in names]
