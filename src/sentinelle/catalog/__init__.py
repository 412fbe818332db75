"""The AI-services catalog: which host belongs to which generative-AI tool, and what a DPO needs.

::

    from sentinelle.catalog import load_catalog

    cat = load_catalog()                      # the bundled data/catalog.yaml
    cat.match("chatgpt.com:443")              # Match(service_id='chatgpt', evidence='primary', …)
    cat.match("m365.cloud.microsoft", "/chat")  # the enterprise Copilot path rule

See ``docs/catalog.md`` for the model, the evidence levels and the policy file.
"""

from __future__ import annotations

from .discovery import Candidate, candidate_hosts
from .loader import bundled_path, load_catalog, parse_file
from .matcher import Catalog, Explanation, normalize_host
from .model import CATEGORIES, DomainRule, Match, Service, Source
from .policy import STATUSES, Policy

__all__ = [
    "CATEGORIES",
    "STATUSES",
    "Candidate",
    "Catalog",
    "DomainRule",
    "Explanation",
    "Match",
    "Policy",
    "Service",
    "Source",
    "bundled_path",
    "candidate_hosts",
    "load_catalog",
    "normalize_host",
    "parse_file",
]
