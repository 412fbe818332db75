"""Rendering a hand-built month: the headline, the charts, offline-safety, HTML, snapshots."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sentinelle.report import headline_text, render_report
from sentinelle.report.model import Headline, MonthRow, ReportData
from tests.report._html import assert_snapshot, check_html

HEADLINE_FR = (
    "En août 2026, 400\u202f000 connexions vers des outils d'IA générative depuis 6\u202f500 "
    "postes, dont 60\u202f% vers ChatGPT\u202f; 15\u202f000 depuis des postes de secrétariat "
    "médical."
)
HEADLINE_EN = (
    "In August 2026, 400,000 connections to generative-AI tools from 6,500 workstations, "
    "60% of them to ChatGPT; 15,000 from medical-secretary workstations."
)
FIGURES = ("service", "role", "department", "daily", "heatmap", "months", "policy")


def _figure(html: str, key: str) -> str:
    match = re.search(rf'<figure class="chart-figure" id="figure-{key}">(.*?)</figure>', html, re.S)
    assert match, f"figure-{key} is missing"
    return match.group(1)


def test_headline_exact_in_french(report_data: ReportData) -> None:
    assert headline_text(report_data, "fr") == HEADLINE_FR


def test_headline_exact_in_english(report_data: ReportData) -> None:
    assert headline_text(report_data, "en") == HEADLINE_EN


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_headline_opens_the_report(report_data: ReportData, lang: str) -> None:
    html = render_report(report_data, lang)
    expected = (HEADLINE_FR if lang == "fr" else HEADLINE_EN).replace("'", "&#39;")
    assert f'<p class="lede" id="headline">{expected}</p>' in html
    assert f'<html lang="{lang}">' in html


def test_headline_names_another_role_and_no_top_service() -> None:
    h = Headline("2026-03", 1, 1, None, None, "Interne", 1, False)
    data = dataclasses.replace(_minimal(), headline=h)
    assert headline_text(data, "fr") == (
        "En mars 2026, 1 connexion vers des outils d'IA générative depuis 1 poste"
        "\u202f; 1 depuis des postes du rôle «\u00a0Interne\u00a0»."
    )
    assert headline_text(data, "en") == (
        "In March 2026, 1 connection to generative-AI tools from 1 workstation"
        "; 1 from workstations with the role “Interne”."
    )


def test_headline_when_nothing_was_seen() -> None:
    data = _minimal()
    assert headline_text(data, "fr") == (
        "En août 2026, aucune connexion vers des outils d'IA générative n'a été relevée."
    )
    assert "no connection" in headline_text(data, "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_is_present_with_a_caption(report_data: ReportData, lang: str) -> None:
    html = render_report(report_data, lang)
    for key in FIGURES:
        figure = _figure(html, key)
        assert re.search(r'<svg class="chart"[^>]* role="img" aria-labelledby="', figure)
        assert re.search(r"<title id=\"[^\"]+-title\">[^<]+</title>", figure)
        assert re.search(r"<desc id=\"[^\"]+-desc\">[^<]{40,}</desc>", figure)
        caption = re.search(r"<figcaption>([^<]{40,})</figcaption>", figure)
        assert caption, f"figure-{key} has no caption saying what it counts"
        assert figure.count("<title>") >= 2, f"figure-{key} marks carry no tooltip"


def test_month_over_month_needs_several_months(report_data: ReportData) -> None:
    one = dataclasses.replace(report_data, months=(MonthRow("2026-08", report_data.totals, None),))
    html = render_report(one, "fr")
    assert 'id="figure-months"' not in html
    assert "Un seul mois est stocké" in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_external_reference(report_data: ReportData, lang: str) -> None:
    html = render_report(report_data, lang)
    checker = check_html(html)
    assert checker.references == []
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html
    assert "default-src 'none'" in html  # the browser refuses any slip


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_is_well_formed(report_data: ReportData, lang: str) -> None:
    checker = check_html(render_report(report_data, lang))
    assert checker.doctype
    assert checker.problems == []
    duplicated = {i for i in checker.ids if checker.ids.count(i) > 1}
    assert duplicated == set()


def test_every_metric_is_defined_and_limits_are_stated(report_data: ReportData) -> None:
    html = render_report(report_data, "fr")
    definitions = html[html.index('id="definitions"') : html.index('id="limits"')]
    for label in ("Connexions", "Bloquées", "Visites", "Postes", "Utilisateurs", "Octets"):
        assert f"<dt>{label}" in definitions
    limits = html[html.index('id="limits"') :]
    for needle in ("Teams", "4G/5G", "QUIC", "DoH", "comptes personnels", "407", "poste partagé",
                   "CDN"):  # fmt: skip
        assert needle in limits, needle


def test_dns_queries_are_labelled_and_never_added(report_data: ReportData) -> None:
    html = render_report(report_data, "fr")
    dns = html[html.index('<section id="dns">') : html.index('<section id="coverage">')]
    assert "Requêtes DNS vers des outils d'IA" in dns.replace("&#39;", "'")
    assert "1\u202f250\u202f000" in dns
    overview = html[html.index('<section id="overview">') : html.index('<section id="services">')]
    assert "1\u202f250\u202f000" not in overview
    assert "437\u202f000" in overview  # proxy connections, without the DNS queries


def test_small_cells_are_marked(report_data: ReportData) -> None:
    html = render_report(report_data, "en")
    assert html.count('class="small-cell"') == 2  # Perplexity (3) and Pharmacien (4)
    assert "fewer than 5 workstations" in html.lower()


def test_footer_names_versions_time_and_zone(report_data: ReportData) -> None:
    html = render_report(report_data, "fr")
    footer = html[html.index('<footer class="footer">') :]
    assert "version 2026.08.1" in footer
    assert "sentinelle 0.1.0" in footer
    assert "1 septembre 2026 à 08:30" in footer  # 06:30 UTC in Paris
    assert "Europe/Paris" in footer


def test_policy_split(report_data: ReportData) -> None:
    html = render_report(report_data, "en")
    assert "Shadow use: 72% of connections to AI tools." in html
    assert "Policy applied: politique-chu.yaml." in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_snapshot(report_data: ReportData, lang: str) -> None:
    assert_snapshot(f"report.{lang}.html", render_report(report_data, lang))


def _minimal() -> ReportData:
    from tests.report.conftest import sample_report_data

    data = sample_report_data()
    empty = Headline("2026-08", 0, 0, "general_purpose", None, None, None, None)
    return dataclasses.replace(data, headline=empty)


def test_unattributed_bar_is_never_folded_into_others(report_data: ReportData) -> None:
    many = tuple(
        dataclasses.replace(report_data.by_role[0], key=f"Rôle {i:02}", label=f"Rôle {i:02}")
        for i in range(20)
    )
    data = dataclasses.replace(report_data, by_role=(*many, report_data.by_role[-1]))
    figure = _figure(render_report(data, "fr"), "role")
    assert "Autres (8)" in figure
    assert figure.index(">Autres (8)</text>") < figure.index(">Non attribué</text>")
    assert "Rôle 11" in figure and "Rôle 12" not in figure
