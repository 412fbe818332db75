"""The report on a real store: a hand-written Squid log scanned, then reported."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinelle.report import build_report_data, render_report, write_report
from tests.report._html import check_html

INVENTORY = """\
ip,hostname,site,department,role
10.1.0.10,PC-SEC-01,Nord,Cardiologie,Secrétariat médical
10.1.0.11,PC-SEC-02,Nord,Cardiologie,Secrétariat médical
10.2.0.0/16,,Sud,Urgences,Interne
"""


def _line(when: str, client: str, code: str, method: str, url: str) -> str:
    ts = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()
    return f"{ts:.3f}    120 {client} {code} 1500 {method} {url} - HIER_DIRECT/192.0.2.1 -"


# Hand count for August 2026 (Europe/Paris): general-purpose requests ChatGPT 6, Claude 1,
# Gemini 1 = 8 (ChatGPT 75 %); secretaries 4; workstations PC-SEC-01, PC-SEC-02, 10.2.0.5 and
# 10.9.9.9 = 4; DeepL (translation) is an AI tool but not a general-purpose one.
LINES = [
    _line("2026-07-15T08:00:00", "10.1.0.10", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-03T08:00:00", "10.1.0.10", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-03T08:10:00", "10.1.0.10", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-04T08:00:00", "10.1.0.10", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-05T12:00:00", "10.1.0.11", "TCP_TUNNEL/200", "CONNECT", "claude.ai:443"),
    _line("2026-08-06T20:00:00", "10.2.0.5", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-06T21:00:00", "10.2.0.5", "TCP_TUNNEL/200", "CONNECT", "chatgpt.com:443"),
    _line("2026-08-07T09:00:00", "10.2.0.5", "TCP_TUNNEL/200", "CONNECT", "gemini.google.com:443"),
    _line("2026-08-07T09:30:00", "10.2.0.5", "TCP_TUNNEL/200", "CONNECT", "www.deepl.com:443"),
    _line("2026-08-08T10:00:00", "10.9.9.9", "TCP_DENIED/403", "CONNECT", "chatgpt.com:443"),
    _line(
        "2026-08-09T10:00:00", "10.2.0.5", "TCP_TUNNEL/200", "CONNECT", "chat.some-new-llm.ai:443"
    ),
    "this line is garbage",
]
HEADLINE_FR = (
    "En août 2026, 8 connexions vers des outils d'IA générative depuis 4 postes, "
    "dont 75\u202f% vers ChatGPT\u202f; 4 depuis des postes de secrétariat médical."
)


@pytest.fixture
def real_store(tmp_path: Path) -> Path:
    from sentinelle.scan import ScanOptions, scan

    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    store = tmp_path / "store"
    scan([str(log)], store, ScanOptions(inventory=inventory, tz="Europe/Paris"))
    return store


def test_report_on_real_store(real_store: Path, tmp_path: Path) -> None:
    from sentinelle.catalog import load_catalog
    from sentinelle.store import Store

    with Store.open(real_store, read_only=True) as store:
        data = build_report_data(store, None, catalog=load_catalog())
    assert data.period == "2026-08"
    h = data.headline
    assert (h.requests, h.workstations, h.top_service) == (8, 4, "ChatGPT")
    assert (h.role, h.role_requests) == ("Secrétariat médical", 4)
    assert data.totals.requests == 9 and data.totals.blocked == 1
    assert [m.period for m in data.months] == ["2026-07", "2026-08"]
    assert {r.key for r in data.by_service} == {"chatgpt", "claude", "gemini", "deepl"}
    assert data.coverage.rejected == 1
    assert sum(c.requests for c in data.heatmap) == 9
    html = render_report(data, "fr")
    assert check_html(html).problems == []

    out, headline = write_report(real_store, tmp_path / "out" / "rapport.html", None, "fr")
    assert headline == HEADLINE_FR
    assert out.read_text(encoding="utf-8").count("<svg") >= 7
