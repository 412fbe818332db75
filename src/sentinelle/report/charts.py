"""Charts drawn on the server as inline SVG: no script, no network, readable when printed.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; every mark
carries a ``<title>`` tooltip with its exact figures, and values are written next to the marks
so colour is never the only carrier of meaning.  Colours come from the Okabe–Ito palette and,
for the heat-map, ColorBrewer's YlGnBu ramp, both safe for colour-blind readers.  The functions
take already translated and formatted strings: they know geometry, not languages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 760
FONT = 12
CHAR_WIDTH = 6.6  # average glyph advance at FONT px, to truncate labels before they overflow
TONES: dict[str, str] = {
    "primary": "#0072B2",  # Okabe–Ito blue
    "secondary": "#56B4E9",  # sky blue
    "muted": "#8C8C8C",
    "sanctioned": "#009E73",  # bluish green
    "tolerated": "#56B4E9",
    "unsanctioned": "#E69F00",  # orange
    "blocked": "#D55E00",  # vermillion
}
HEAT_RAMP: tuple[str, ...] = (
    "#ffffcc",
    "#c7e9b4",
    "#7fcdbb",
    "#41b6c4",
    "#1d91c0",
    "#225ea8",
    "#0c2c84",
)
HEAT_ZERO = "#f2f2f2"
INK = "#1f2328"
GRID = "#d0d7de"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, length, the value written at its end and a tooltip."""

    label: str
    value: float
    text: str
    tooltip: str
    tone: str = "primary"


@dataclass(frozen=True)
class Column:
    """One vertical bar of a time series; ``label`` may be empty to thin the axis."""

    label: str
    value: float
    tooltip: str
    tone: str = "primary"
    text: str = ""


@dataclass(frozen=True)
class Segment:
    """One part of a 100 % stacked bar."""

    label: str
    share: float
    text: str
    tooltip: str
    tone: str


def _f(x: float) -> str:
    """Coordinates with at most one decimal, so snapshots stay stable and files small."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{_f(x)}" y="{_f(y)}"{extra}>{escape(content)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(w, 0))}" height="{_f(h)}" '
        f'fill="{fill}"{extra}/>'
    )


def _svg(chart_id: str, height: float, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-size="{FONT}" fill="{INK}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def truncate(label: str, width: float) -> str:
    """Shorten ``label`` with an ellipsis so it fits ``width`` pixels at the chart font."""
    room = max(int(width / CHAR_WIDTH), 4)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def nice_step(top: float, ticks: int = 4) -> float:
    """A round axis step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` gridlines up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step if step >= 1 else 1.0


def _legend(items: Sequence[tuple[str, str]], y: float, x: float = 0) -> list[str]:
    out = []
    for label, tone in items:
        out.append(_rect(x, y - 10, 12, 12, TONES.get(tone, tone)))
        out.append(_text(x + 18, y, label))
        x += 18 + len(label) * CHAR_WIDTH + 24
    return out


def hbar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    legend: Sequence[tuple[str, str]] = (),
) -> Markup:
    """Horizontal bars, longest first as given, label on the left and value on the right."""
    label_w, value_w, row_h, top = 210.0, 150.0, 26.0, 6.0
    area = WIDTH - label_w - value_w
    biggest = max((b.value for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = area * bar.value / biggest
        body.append(
            f'<g class="bar"><title>{escape(bar.tooltip)}</title>'
            + _text(label_w - 8, y + 16, truncate(bar.label, label_w - 12), text_anchor="end")
            + _rect(label_w, y + 4, max(length, 1.5), row_h - 8, TONES[bar.tone])
            + _text(label_w + length + 6, y + 16, bar.text)
            + "</g>"
        )
    height = top + len(bars) * row_h + (28 if legend else 6)
    if legend:
        body += _legend(legend, height - 8, label_w)
    return _svg(chart_id, height, title, desc, body)


def column_chart(
    columns: Sequence[Column],
    *,
    chart_id: str,
    title: str,
    desc: str,
    y_format: Callable[[float], str],
    legend: Sequence[tuple[str, str]] = (),
    height: float = 260,
) -> Markup:
    """Vertical bars over a category axis with round gridlines (a daily or monthly series)."""
    left, right, top, bottom = 64.0, 12.0, 18.0, 34.0 + (22 if legend else 0)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = nice_step(max((c.value for c in columns), default=0))
    ceiling = step * max(math.ceil(max((c.value for c in columns), default=0) / step), 1)
    body = []
    for k in range(round(ceiling / step) + 1):
        y = top + plot_h - plot_h * (k * step) / ceiling
        body.append(
            f'<line x1="{_f(left)}" x2="{_f(WIDTH - right)}" y1="{_f(y)}" y2="{_f(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y + 4, y_format(k * step), text_anchor="end"))
    slot = plot_w / max(len(columns), 1)
    bar_w = min(slot * 0.72, 56)
    for i, col in enumerate(columns):
        h = plot_h * col.value / ceiling
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        mark = _rect(x, y, bar_w, h, TONES[col.tone])
        value = _text(x + bar_w / 2, y - 4, col.text, text_anchor="middle") if col.text else ""
        label = (
            _text(x + bar_w / 2, top + plot_h + 16, col.label, text_anchor="middle")
            if col.label
            else ""
        )
        body.append(f'<g class="col"><title>{escape(col.tooltip)}</title>{mark}{value}{label}</g>')
    if legend:
        body += _legend(legend, height - 6, left)
    return _svg(chart_id, height, title, desc, body)


def heat_tone(value: int, top: int) -> str:
    """The ramp colour for ``value`` out of ``top``; zero keeps a neutral grey."""
    if value <= 0 or top <= 0:
        return HEAT_ZERO
    index = math.ceil(len(HEAT_RAMP) * value / top) - 1
    return HEAT_RAMP[min(max(index, 0), len(HEAT_RAMP) - 1)]


def heatmap_chart(
    grid: Sequence[Sequence[int]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    tooltip: Callable[[int, int, int], str],
    legend_title: str,
    value_format: Callable[[float], str],
) -> Markup:
    """Rows × columns of shaded cells (weekday × hour) with a stepped colour legend."""
    left, top, cell_h = 60.0, 22.0, 24.0
    cell_w = (WIDTH - left - 8) / max(len(col_labels), 1)
    peak = max((v for row in grid for v in row), default=0)
    body = []
    for c, label in enumerate(col_labels):
        if label:
            body.append(_text(left + (c + 0.5) * cell_w, top - 7, label, text_anchor="middle"))
    for r, row in enumerate(grid):
        y = top + r * cell_h
        body.append(_text(left - 8, y + cell_h / 2 + 4, row_labels[r], text_anchor="end"))
        for c, value in enumerate(row):
            cell = _rect(left + c * cell_w, y, cell_w - 1, cell_h - 1, heat_tone(value, peak))
            body.append(f'<g class="cell"><title>{escape(tooltip(r, c, value))}</title>{cell}</g>')
    y = top + len(grid) * cell_h + 26
    body.append(_text(left, y, legend_title))
    x = left + len(legend_title) * CHAR_WIDTH + 14
    steps = len(HEAT_RAMP)
    for i, colour in enumerate(HEAT_RAMP):
        low, high = peak * i / steps, peak * (i + 1) / steps
        body.append(f"<g><title>{escape(value_format(low))} – {escape(value_format(high))}</title>")
        body.append(_rect(x + i * 34, y - 11, 33, 14, colour) + "</g>")
    body.append(_text(x, y + 18, value_format(0)))
    body.append(_text(x + steps * 34 - 1, y + 18, value_format(peak), text_anchor="end"))
    return _svg(chart_id, y + 26, title, desc, body)


def stacked_bar(segments: Sequence[Segment], *, chart_id: str, title: str, desc: str) -> Markup:
    """One 100 % bar split into parts, with a legend line per part giving its share."""
    left, bar_h, top = 0.0, 34.0, 4.0
    body, x = [], left
    for seg in segments:
        w = (WIDTH - left) * seg.share
        if w > 0:
            body.append(
                f'<g class="seg"><title>{escape(seg.tooltip)}</title>'
                + _rect(x, top, w, bar_h, TONES[seg.tone], stroke="#ffffff", stroke_width="1")
                + "</g>"
            )
        x += w
    y = top + bar_h + 24
    for i, seg in enumerate(segments):
        row_y = y + i * 22
        body.append(_rect(left, row_y - 11, 14, 14, TONES[seg.tone]))
        body.append(_text(left + 22, row_y, seg.label))
        body.append(_text(left + 300, row_y, seg.text))
    return _svg(chart_id, y + len(segments) * 22, title, desc, body)
