"""The bundled catalog: coverage, the ids others depend on, and validity of every entry."""

from __future__ import annotations

from collections import Counter

import pytest

from sentinelle.catalog import CATEGORIES, Catalog
from sentinelle.catalog.check import check_file, overbroad

# id -> hosts that must match it with primary evidence (the spine and the simulator use these).
REQUIRED = {
    "chatgpt": ["chatgpt.com", "chat.openai.com", "chat.com"],
    "claude": ["claude.ai", "claude.com"],
    "gemini": ["gemini.google.com", "bard.google.com"],
    "copilot": ["copilot.microsoft.com", "copilot.com"],
    "copilot-m365": ["copilot.cloud.microsoft"],
    "le-chat": ["chat.mistral.ai"],
    "perplexity": ["perplexity.ai", "www.perplexity.ai", "perplexity.com", "pplx.ai"],
    "deepseek": ["chat.deepseek.com", "deepseek.com"],
    "openai-api": ["api.openai.com"],
    "anthropic-api": ["api.anthropic.com"],
    "mistral-api": ["api.mistral.ai"],
    "grok": ["grok.com"],
    "meta-ai": ["meta.ai", "www.meta.ai"],
    "qwen": ["chat.qwen.ai"],
    "kimi": ["kimi.com"],
    "doubao": ["www.doubao.com"],
    "poe": ["poe.com"],
    "character-ai": ["character.ai"],
    "you": ["you.com"],
    "phind": ["www.phind.com"],
    "deepl": ["www.deepl.com", "api-free.deepl.com"],
    "grammarly": ["app.grammarly.com"],
    "quillbot": ["quillbot.com"],
    "reverso": ["context.reverso.net"],
    "otter": ["otter.ai"],
    "fireflies": ["app.fireflies.ai"],
    "tldv": ["tldv.io"],
    "github-copilot": ["api.githubcopilot.com"],
    "cursor": ["cursor.com", "api2.cursor.sh"],
    "midjourney": ["www.midjourney.com"],
    "notebooklm": ["notebooklm.google.com"],
    "nabla": ["nabla.com"],
    "glass-health": ["glass.health"],
    "openevidence": ["www.openevidence.com"],
    "abridge": ["abridge.com"],
    "suki": ["suki.ai"],
    "huggingface": ["huggingface.co"],
    "openrouter": ["openrouter.ai"],
    "groq": ["api.groq.com"],
    "together": ["api.together.xyz"],
}
PATH_REQUIRED = {
    "copilot-m365": ("m365.cloud.microsoft", "/chat"),
    "huggingchat": ("huggingface.co", "/chat/conversation/1"),
    "deepl-write": ("www.deepl.com", "/write"),
}


def test_size_and_categories(bundled: Catalog) -> None:
    assert len(bundled.services) >= 200
    counts = Counter(s.category for s in bundled)
    assert set(counts) <= set(CATEGORIES)
    assert all(counts[c] >= 5 for c in CATEGORIES), counts
    assert bundled.version == "2026.11.28"


@pytest.mark.parametrize(("service_id", "hosts"), REQUIRED.items())
def test_required_ids_and_primary_hosts(
    bundled: Catalog, service_id: str, hosts: list[str]
) -> None:
    assert service_id in bundled.services
    for host in hosts:
        m = bundled.match(host)
        assert m is not None and m.service_id == service_id and m.evidence == "primary", host


@pytest.mark.parametrize(("service_id", "host_path"), PATH_REQUIRED.items())
def test_required_path_rules(bundled: Catalog, service_id: str, host_path: tuple[str, str]) -> None:
    m = bundled.match(*host_path)
    assert m is not None and m.service_id == service_id and m.evidence == "primary"


@pytest.mark.parametrize(
    "host",
    [
        "gemini.com",
        "www.gemini.com",
        "copilot.ai",
        "api.ai",
        "max.ai",
        "notchatgpt.com",
        "chatgpt.com.example.net",
        "chatgpt.com.login-verify.net",
        "google.com",
        "www.google.com",
        "mail.google.com",
        "www.microsoft.com",
        "www.bing.com",
        "outlook.office.com",
        "github.com",
        "s3.amazonaws.com",
        "res.cloudinary.com",
        "m365.cloud.microsoft",
        "lovable.app",
        "browser-intake-datadoghq.com",
        "o33249.ingest.sentry.io",
        "js.stripe.com",
        "www.gstatic.com",
        "fonts.googleapis.com",
        "teams.microsoft.com",
        "chatham.gov.uk",
    ],
)
def test_lookalikes_and_everyday_hosts_do_not_count(bundled: Catalog, host: str) -> None:
    m = bundled.match(host)
    assert m is None or m.evidence == "shared", (host, m)


@pytest.mark.parametrize(
    ("host", "service_id", "evidence"),
    [
        ("cdn.oaistatic.com", "chatgpt", "auxiliary"),
        ("files.oaiusercontent.com", "chatgpt", "auxiliary"),
        ("ab.chatgpt.com", "chatgpt", "auxiliary"),
        ("ppl-ai-file-upload.s3.amazonaws.com", "perplexity", "auxiliary"),
        ("openai.com", "openai-api", "shared"),
        ("x.ai", "grok", "shared"),
        ("api.x.ai", "xai-api", "primary"),
        ("sora.chatgpt.com", "sora", "primary"),
        ("platform.openai.com", "openai-api", "primary"),
    ],
)
def test_evidence_levels(bundled: Catalog, host: str, service_id: str, evidence: str) -> None:
    m = bundled.match(host)
    assert m is not None and (m.service_id, m.evidence) == (service_id, evidence)


def test_bundled_file_passes_check() -> None:
    problems = check_file()
    assert [p for p in problems if p.level == "error"] == []


def test_every_entry_is_complete(bundled: Catalog) -> None:
    public, broad = overbroad()
    for s in bundled:
        assert s.name and s.vendor and s.vendor_country and s.last_reviewed, s.id
        assert any(r.evidence == "primary" for r in s.domains), s.id
        assert "domains" in s.sources, s.id
        for r in s.domains:
            assert r.domain not in public, (s.id, r)
            assert r.domain not in broad or r.evidence == "shared" or r.match == "path", (s.id, r)


def test_general_purpose_assistants_explained(bundled: Catalog) -> None:
    for s in bundled:
        if s.category == "assistant" and s.general_purpose:
            for r in s.domains:
                if r.evidence == "primary" and r.match != "path":
                    ex = bundled.explain(r.domain)
                    assert ex.match is not None and ex.match.service_id == s.id, r
