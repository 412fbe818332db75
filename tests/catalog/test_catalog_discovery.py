"""Candidate hosts: unknown to the catalog, AI-looking, ranked by workstations."""

from __future__ import annotations

import pytest

from sentinelle.catalog import Catalog, candidate_hosts
from sentinelle.catalog.discovery import ai_marker


@pytest.mark.parametrize(
    "host",
    [
        "newtool.ai",
        "www.freegpt4.net",
        "my-llm-box.io",
        "chat.example.com",
        "aichat.example.org",
        "ask-ai.example.com",
        "copilotx.io",
        "bot.example.fr",
        "ia.example.fr",
        "llama-hosting.net",
    ],
)
def test_ai_looking_hosts(host: str) -> None:
    assert ai_marker(host) is not None


@pytest.mark.parametrize(
    "host",
    [
        "chatham.gov.uk",
        "www.chateau-versailles.fr",
        "chatellerault.fr",
        "talbot.fr",
        "robot.example",
        "mail.example.com",
        "www.aide-sociale.fr",
        "maintenance.example",
        "www.abbott.com",
        "html.spec.whatwg.org",
        "domain.com",
    ],
)
def test_non_ai_hosts(host: str) -> None:
    assert ai_marker(host) is None


def test_candidates_exclude_catalog_and_rank(bundled: Catalog) -> None:
    rows = [
        ("chatgpt.com", 900, 10_000),  # known
        ("gemini.com", 50, 60),  # listed as not AI
        ("newtool.ai", 12, 40),
        ("NEWTOOL.AI:443", 3, 5),  # same host, added
        ("freegpt.example.net", 15, 20),
        ("chatham.gov.uk", 80, 200),
        ("10.0.0.1", 99, 99),
        ("other.ai", 15, 30),
    ]
    cands = candidate_hosts(rows, bundled)
    assert [(c.host, c.workstations, c.requests) for c in cands] == [
        ("other.ai", 15, 30),
        ("freegpt.example.net", 15, 20),
        ("newtool.ai", 12, 45),
    ]
    assert cands[0].reason == ".ai top-level domain"
    assert "'gpt'" in cands[1].reason
    assert candidate_hosts(rows, bundled, limit=1)[0].host == "other.ai"
    assert candidate_hosts(iter(rows))[0].host == "other.ai"  # default: the bundled catalog
