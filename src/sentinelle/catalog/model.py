"""The catalog's value types: services, their domain rules, and what a lookup returns.

The vocabularies (categories, evidence levels, match types, yes/no/unknown facts) are defined
once here; the loader validates against them and ``docs/catalog.md`` describes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Evidence = Literal["primary", "auxiliary", "shared"]
MatchType = Literal["suffix", "exact", "path"]
Trains = Literal["yes", "no", "opt-out", "unknown"]

CATEGORIES: dict[str, str] = {
    "assistant": "general conversational assistant (chatbot)",
    "writing": "writing, rewriting, grammar and paraphrasing",
    "translation": "machine translation",
    "transcription": "speech-to-text, meeting notes and summaries",
    "coding": "coding assistants and AI code editors",
    "image": "image generation and editing",
    "video": "video generation, avatars and editing",
    "voice": "voice synthesis, cloning and music",
    "search": "AI answer engines and research assistants",
    "medical": "clinical AI: ambient scribes, clinical assistants, medical answers",
    "api": "LLM APIs, model hubs and inference platforms",
    "agent": "browser agents, autonomous agents and AI browsers",
    "productivity": "documents, slides, mind maps and office tools built on generative AI",
}
EVIDENCE: tuple[str, ...] = ("primary", "auxiliary", "shared")
MATCH_TYPES: tuple[MatchType, ...] = ("suffix", "exact", "path")
TRAINS: tuple[str, ...] = ("yes", "no", "opt-out", "unknown")
YES_NO: tuple[str, ...] = ("yes", "no", "unknown")
# Facts a source may be given for; ``domains`` covers the service's domain rules.
FACTS: tuple[str, ...] = (
    "vendor",
    "vendor_country",
    "category",
    "data_location",
    "trains_on_inputs",
    "enterprise_offer",
    "hds_certified",
    "domains",
)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from (a URL or a page name) and when it was read (ISO date)."""

    source: str
    date: str


@dataclass(frozen=True)
class DomainRule:
    """One way a host (and, for ``path`` rules, a URL path) points at a service.

    ``suffix`` matches the domain and every host under it on a label boundary, ``exact`` only
    that host, ``path`` only that host when the URL path starts with ``path`` on a segment
    boundary (for hosts that also serve other things, such as ``m365.cloud.microsoft``).
    """

    domain: str
    match: MatchType = "suffix"
    path: str | None = None
    evidence: Evidence = "primary"
    note: str = ""

    @property
    def label(self) -> str:
        """The rule as shown in matches and messages: ``suffix:chatgpt.com``."""
        if self.match == "path":
            return f"path:{self.domain}{self.path}"
        return f"{self.match}:{self.domain}"


@dataclass(frozen=True)
class Service:
    """A generative-AI tool with the facts a data-protection officer needs."""

    id: str
    name: str
    vendor: str
    vendor_country: str
    category: str
    general_purpose: bool
    data_location: str = "unknown"
    trains_on_inputs: Trains = "unknown"
    enterprise_offer: str = "unknown"
    hds_certified: str = "unknown"
    sources: dict[str, Source] = field(default_factory=dict)
    last_reviewed: str = ""
    domains: tuple[DomainRule, ...] = ()
    notes: str = ""

    # ``sources`` is a dict, so hash on the id (ids are unique within a catalog).
    def __hash__(self) -> int:
        return hash(self.id)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (the shape of ``catalog list --json``)."""
        return {
            "id": self.id,
            "name": self.name,
            "vendor": self.vendor,
            "vendor_country": self.vendor_country,
            "category": self.category,
            "general_purpose": self.general_purpose,
            "data_location": self.data_location,
            "trains_on_inputs": self.trains_on_inputs,
            "enterprise_offer": self.enterprise_offer,
            "hds_certified": self.hds_certified,
            "last_reviewed": self.last_reviewed,
            "notes": self.notes,
            "domains": [
                {
                    "domain": r.domain,
                    "match": r.match,
                    "path": r.path,
                    "evidence": r.evidence,
                    "rule": r.label,
                    **({"note": r.note} if r.note else {}),
                }
                for r in self.domains
            ],
            "sources": {k: {"source": s.source, "date": s.date} for k, s in self.sources.items()},
        }


@dataclass(frozen=True)
class Match:
    """What :meth:`Catalog.match` returns for a host that a rule covers."""

    service_id: str
    category: str
    evidence: Evidence
    rule: str
    general_purpose: bool
