"""Hosts the catalog does not know but that look like generative AI: candidates to review.

The rule is deliberately simple and explainable.  A host is a candidate when, after removing the
hosts the catalog already covers (any evidence) or lists as ``not_ai``:

* its top-level domain is ``.ai``; or
* a label contains a *strong* marker anywhere (``gpt``, ``llm``, ``openai``, ``chatbot``,
  ``copilot``…), since those strings rarely occur by chance; or
* a label, split into words on ``-`` and digits, has a *weak* marker as a whole word (``chat``,
  ``bot``, ``ai``, ``ia``, ``agent``, ``prompt``…) or as a prefix/suffix glued to another marker
  (``chatai``, ``aichat``, ``askbot``).  So ``chatham.gov.uk`` or ``talbot.fr`` are not
  candidates, while ``chat.example.com`` and ``my-ai-notes.io`` are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .matcher import Catalog, normalize_host

STRONG = (
    "gpt",
    "llm",
    "openai",
    "chatbot",
    "copilot",
    "genai",
    "llama",
    "mistral",
    "claude",
    "gemini",
    "deepseek",
    "qwen",
    "stablediffusion",
    "midjourney",
    "whisper",
    "chatgpt",
)
WEAK = frozenset(
    {
        "chat",
        "bot",
        "ai",
        "ia",
        "agent",
        "agents",
        "prompt",
        "prompts",
        "assistant",
        "scribe",
        "transcribe",
        "transcript",
        "summarize",
        "summarizer",
        "rag",
        "ml",
        "neural",
        "diffusion",
        "inference",
        "model",
        "models",
    }
)
GLUE = ("chat", "ai", "bot", "gpt", "ask")
_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Candidate:
    """A host to review, with the counts that rank it and why it was picked."""

    host: str
    workstations: int
    requests: int
    reason: str


def ai_marker(host: str) -> str | None:
    """Why ``host`` looks AI-related (``"label 'gpt'"``, ``".ai TLD"``), or None."""
    labels = host.split(".")
    if labels[-1] == "ai":
        return ".ai top-level domain"
    for label in labels[:-1]:
        for s in STRONG:
            if s in label:
                return f"{s!r} in label {label!r}"
        for word in _WORDS.findall(label):
            if word in WEAK:
                return f"word {word!r} in label {label!r}"
            glued = _glued(word)
            if glued:
                return f"{glued!r} in label {label!r}"
    return None


def _glued(word: str) -> str | None:
    # "chatai", "aichat", "askbot": a marker glued to another marker, not to any word.
    for a in GLUE:
        if word.startswith(a) and word[len(a) :] in GLUE:
            return word
    return None


def candidate_hosts(
    hosts_with_counts: Iterable[tuple[str, int, int]],
    catalog: Catalog | None = None,
    *,
    limit: int | None = None,
) -> list[Candidate]:
    """Filter (host, workstations, requests) rows to AI-looking unknown hosts, most used first.

    Rows naming the same host after normalization are merged: requests are added, workstations
    take the largest count (a lower bound: the rows may share workstations).  ``catalog``
    defaults to the bundled one.  Ranked by workstations, then requests, then host name.
    """
    if catalog is None:
        from .loader import load_catalog

        catalog = load_catalog()
    totals: dict[str, list[int]] = {}
    for raw, workstations, requests in hosts_with_counts:
        host = normalize_host(raw)
        if host is None:
            continue
        t = totals.setdefault(host, [0, 0])
        t[0] = max(t[0], workstations)
        t[1] += requests
    out = []
    for host, (ws, req) in totals.items():
        if catalog.match(host) is not None or _not_ai(catalog, host):
            continue
        reason = ai_marker(host)
        if reason:
            out.append(Candidate(host, ws, req, reason))
    out.sort(key=lambda c: (-c.workstations, -c.requests, c.host))
    return out[:limit] if limit is not None else out


def _not_ai(catalog: Catalog, host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in catalog.not_ai)
