"""The barometer report: intervals and bases everywhere, small cells withheld, both languages."""

from __future__ import annotations

import re

import pytest

from sentinelle.survey.estimation import Estimate
from sentinelle.survey.report import Cell, build_report, protect


@pytest.fixture(scope="module")
def html_fr() -> str:
    return build_report([], "fr")


def test_simulated_report_says_so_and_is_french(html_fr: str) -> None:
    assert "Données simulées" in html_fr
    assert (
        "Indicateurs clés" in html_fr
        and "Évolution d'une édition à l'autre".replace("'", "&#39;") in html_fr
    )


def test_every_headline_figure_has_interval_and_base(html_fr: str) -> None:
    table = html_fr.split("<h2>Indicateurs clés</h2>")[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>.*?</tr>", table, flags=re.S)
    assert len(rows) == 17
    for row in rows:
        assert re.search(r"\[\d+,\d ; \d+,\d\]", row), row
        assert "(n = " in row, row


def test_charts_are_inline_svg_with_whiskers(html_fr: str) -> None:
    assert html_fr.count("<svg") >= 9
    assert "intervalle de confiance à 95 %" in html_fr


def test_english_report() -> None:
    html = build_report([], "en")
    assert '<html lang="en">' in html and "Key indicators" in html and "Sample limits" in html


def _cell(label: str, n: int) -> Cell:
    return Cell(label, Estimate("q", "oui", label, n, 0.5, 0.1, 0.3, 0.7, n - 1))


def test_small_cells_withheld_with_secondary_suppression() -> None:
    cells = protect([_cell("a", 200), _cell("b", 8), _cell("c", 40), _cell("d", 25)], "fr")
    withheld = {c.label: c.withheld for c in cells}
    assert "moins de 11" in withheld["b"]
    assert "secondaire" in withheld["d"]  # the smallest published cell goes too
    assert withheld["a"] == withheld["c"] == ""
    two = protect([_cell("a", 200), _cell("b", 8), _cell("c", 5)], "fr")
    assert [bool(c.withheld) for c in two] == [False, True, True]
