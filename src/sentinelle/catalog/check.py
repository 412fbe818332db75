"""``sentinelle catalog check``: validate a catalog file before anyone counts with it.

Checks, in order: the schema (every entry, every field), domains claimed by two services, rules
on public suffixes or over-broad domains (``data/overbroad.yaml``), facts stated without a source,
and — for a full catalog (one with a ``version``) — that no published id disappeared
(``data/ids.yaml``).  An extension file (no ``version``) is checked together with the bundled
catalog it extends: overriding an id or taking a domain over is reported, not refused.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from sentinelle.errors import CatalogError

from .loader import CatalogFile, _bundled, bundled_path, parse_file, read_data_text
from .model import Service

Level = Literal["error", "warning", "info"]
_FACTS_NEEDING_SOURCE = ("data_location", "trains_on_inputs", "enterprise_offer", "hds_certified")


@dataclass(frozen=True)
class Problem:
    """One finding: how bad, where (file and entry), what, and what to do."""

    level: Level
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.file}: {self.entry}: {self.message}"


@functools.lru_cache(maxsize=1)
def overbroad() -> tuple[frozenset[str], frozenset[str]]:
    """(public suffixes, over-broad apexes) from ``data/overbroad.yaml``."""
    doc = yaml.safe_load(read_data_text("overbroad.yaml"))
    return frozenset(doc["public"]), frozenset(doc["broad"])


def published_ids() -> frozenset[str]:
    """Every id the bundled catalog has ever published (``data/ids.yaml``)."""
    return frozenset(yaml.safe_load(read_data_text("ids.yaml"))["ids"])


def check_file(path: Path | str | None = None) -> list[Problem]:
    """All findings for ``path`` (default: the bundled catalog); schema errors raise."""
    f = _bundled() if path is None else parse_file(Path(path))
    problems = _duplicates(f) + _broad(f) + _unsourced(f)
    if f.version is not None:
        problems += _ids(f)
    else:
        problems += _extension(f)
    return problems


def check_or_raise(path: Path | str | None = None) -> list[Problem]:
    """Like :func:`check_file`, but raise :class:`CatalogError` when there is an error."""
    problems = check_file(path)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        where = str(path) if path is not None else str(bundled_path())
        listing = "\n  ".join(str(p) for p in errors[:30])
        raise CatalogError(
            f"{where}: {len(errors)} problem(s) in the catalog:\n  {listing}",
            hint="fix the entries named above; docs/catalog.md explains each rule",
        )
    return problems


def _entry(s: Service) -> str:
    return f"service {s.id!r}"


def _duplicates(f: CatalogFile) -> list[Problem]:
    seen: dict[tuple[str, str | None], tuple[Service, str]] = {}
    out = []
    for s in f.services:
        for r in s.domains:
            key = (r.domain, r.path)
            if key in seen and seen[key][0].id != s.id:
                other, ev = seen[key]
                if ev == "shared" and r.evidence == "shared":
                    continue
                out.append(
                    Problem(
                        "error",
                        f.path,
                        _entry(s),
                        f"domain {r.label} is also claimed by {other.id!r}; a domain "
                        "belongs to one service (or mark both `evidence: shared`)",
                    )
                )
            seen.setdefault(key, (s, r.evidence))
    return out


def _broad(f: CatalogFile) -> list[Problem]:
    public, broad = overbroad()
    out = []
    for s in f.services:
        for r in s.domains:
            if r.match == "path":
                continue
            if r.domain in public:
                out.append(
                    Problem(
                        "error",
                        f.path,
                        _entry(s),
                        f"{r.label}: {r.domain} is a public suffix or hosting platform; "
                        "list the exact host of the tool instead",
                    )
                )
            elif r.domain in broad and r.evidence != "shared":
                out.append(
                    Problem(
                        "error",
                        f.path,
                        _entry(s),
                        f"{r.label}: {r.domain} is too broad (it would count ordinary "
                        "use as AI); use an exact host, a path rule, or `evidence: "
                        "shared`",
                    )
                )
    return out


def _unsourced(f: CatalogFile) -> list[Problem]:
    out = []
    for s in f.services:
        for fact in _FACTS_NEEDING_SOURCE:
            if getattr(s, fact) != "unknown" and fact not in s.sources:
                out.append(
                    Problem(
                        "error",
                        f.path,
                        _entry(s),
                        f"{fact} is {getattr(s, fact)!r} but has no source; add "
                        f"`sources: {{{fact}: [page or URL, date]}}` or say unknown",
                    )
                )
        if "domains" not in s.sources:
            out.append(Problem("warning", f.path, _entry(s), "no source for the domains"))
        if not s.last_reviewed:
            out.append(Problem("warning", f.path, _entry(s), "no last_reviewed date"))
    return out


def _ids(f: CatalogFile) -> list[Problem]:
    known = published_ids()
    ids = {s.id for s in f.services}
    out = [
        Problem(
            "error",
            f.path,
            f"id {i!r}",
            "published id missing; ids are permanent: restore it or map it under "
            "`retired:` (old id -> what replaced it)",
        )
        for i in sorted(known - ids - set(f.retired))
    ]
    if Path(f.path) == bundled_path():
        out += [
            Problem(
                "error",
                f.path,
                f"id {i!r}",
                "new id not in data/ids.yaml; add it there (ids are permanent once published)",
            )
            for i in sorted(ids - known)
        ]
    return out


def _extension(f: CatalogFile) -> list[Problem]:
    base = {s.id: s for s in _bundled().services}
    owner = {(r.domain, r.path): s.id for s in base.values() for r in s.domains}
    out = [
        Problem("info", f.path, _entry(s), "replaces the bundled service of the same id")
        for s in f.services
        if s.id in base
    ]
    for s in f.services:
        for r in s.domains:
            other = owner.get((r.domain, r.path))
            if other is not None and other != s.id:
                out.append(
                    Problem(
                        "info",
                        f.path,
                        _entry(s),
                        f"takes {r.label} over from bundled service {other!r}",
                    )
                )
    out += [
        Problem("warning", f.path, f"remove {i!r}", "no bundled service has this id")
        for i in f.remove
        if i not in base
    ]
    return out
