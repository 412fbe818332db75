"""The hyperscan database of the fast path: which lines must be parsed, found in one pass.

A line is *flagged* (and then parsed by the format's own parser) when any pattern matches it:

* **candidates** — every catalog rule's domain, on host boundaries, case-insensitive, and the
  discovery markers of :mod:`sentinelle.catalog.discovery` (a superset of what
  :func:`~sentinelle.catalog.discovery.ai_marker` accepts on the line's host);
* **not usual** — one pattern, the complement of the format's *usual* line (a structure stricter
  than the one its parser validates with, see :mod:`sentinelle.scan.fast`): so malformed lines,
  blank lines, and valid lines the fast path cannot account for without parsing them (a
  destination that may give no host name, a timestamp of an unusual width) are all flagged.

Every line that no pattern matches is therefore valid, has a host name, matches no catalog rule and
no discovery marker: the reference path would count it as one event and nothing else.  Flagging
too much only costs time; flagging too little would lose a hit, which ``tests/perf`` guards against.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import hyperscan

from sentinelle.catalog import Catalog
from sentinelle.catalog import discovery as _discovery

# Where a host sits in a *usual* line (the only lines these patterns must be right about: every
# other line is flagged anyway), by default (a format's profile may say otherwise, see
# formats/_usual.py): after a separator (``host:port``) or after ``//`` (a URL), and it ends
# with ':', '/', '?', '#' or a separator; '.' on either side for subdomains and trailing dots.
# Inside a host, words are separated by digits, '.', '-' and '_'.
HOST_START = b" \t/."
HOST_END = b".:/?# \t"
_WORD = b"-_0123456789"

CASELESS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_MULTILINE
EXACT = hyperscan.HS_FLAG_MULTILINE


def _cls(chars: bytes) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % c for c in chars) + b"]"


def domain_patterns(
    domains: Sequence[str], start: bytes = HOST_START, end: bytes = HOST_END
) -> list[bytes]:
    """One pattern per rule domain: the domain on host boundaries (suffix, exact and path
    rules), a byte of ``start`` before it and one of ``end`` after it."""
    return [
        _cls(start) + re.escape(d.lower().encode("ascii", "replace")) + _cls(end)
        for d in sorted(set(domains))
    ]


def marker_patterns(start: bytes = HOST_START, end: bytes = HOST_END) -> list[bytes]:
    """A superset of :func:`ai_marker` on the host of a usual line (between a byte of ``start``
    and one of ``end``), from the discovery constants.

    Whole words are spelled out as literals with each boundary character (thousands of short
    literals scan much faster than one alternation between character classes).
    """
    glue = [a + b for a in _discovery.GLUE for b in _discovery.GLUE]
    words = sorted({*_discovery.WEAK, *glue})
    # re.escape escapes each byte alone: escaped once, the pieces are joined (~14,000 patterns)
    left = [re.escape(bytes([c])) for c in start + _WORD]
    right = [re.escape(bytes([c])) for c in end + _WORD]
    return [
        _cls(start) + b"ai" + _cls(end),  # the .ai top-level domain (or a bare "ai")
        *[re.escape(s.encode()) for s in _discovery.STRONG],  # anywhere in a label
        *[  # a whole word of a label, or two markers glued together
            a + word + b
            for word in (re.escape(w.encode()) for w in words)
            for a in left
            for b in right
        ],
    ]


@dataclass(frozen=True)
class PatternSet:
    """Patterns and their flags; ``kinds[i]`` says why pattern ``i`` flags a line."""

    patterns: tuple[bytes, ...]
    flags: tuple[int, ...]
    kinds: tuple[str, ...]

    def key(self) -> str:
        h = hashlib.sha256(
            hyperscan.__version__.encode() if hasattr(hyperscan, "__version__") else b"hs"
        )
        for p, f in zip(self.patterns, self.flags, strict=True):
            h.update(b"%d:" % f + p + b"\0")
        return h.hexdigest()[:32]


def host_pattern_set(catalog: Catalog) -> PatternSet:
    """The candidates of ``catalog`` for the native walker's ``.host.\\n`` entries.

    A rule's domain between dots (a label-aligned part of the host: every suffix and exact
    match, and look-alikes such as ``chatgpt.com.example.net`` that the parser then turns down),
    as pure literals; the discovery markers as in :func:`marker_patterns`.
    """
    domains = sorted({r.domain.lower() for r, _ in catalog.rules()})
    cands = [rb"\." + re.escape(d.encode("ascii", "replace")) + rb"\." for d in domains]
    cands += marker_patterns()
    return PatternSet(tuple(cands), (CASELESS,) * len(cands), ("candidate",) * len(cands))


def pattern_set(
    catalog: Catalog,
    unusual: Sequence[bytes],
    start: bytes = HOST_START,
    end: bytes = HOST_END,
) -> PatternSet:
    """The candidates of ``catalog`` (hosts between a byte of ``start`` and one of ``end``),
    then the format's patterns for lines that are not usual."""
    domains = [r.domain for r, _ in catalog.rules()]
    cands = domain_patterns(domains, start, end) + marker_patterns(start, end)
    pats = [*cands, *unusual]
    flags = [CASELESS] * len(cands) + [EXACT] * len(unusual)
    kinds = ["candidate"] * len(cands) + ["unusual"] * len(unusual)
    return PatternSet(tuple(pats), tuple(flags), tuple(kinds))


@lru_cache(maxsize=8)
def compile_set(ps: PatternSet) -> hyperscan.Database:
    """The block-mode database of ``ps``; compiled once, then cached on disk (it takes ~1 s)."""
    cache = _cache_dir() / f"hs-{ps.key()}.db"
    try:
        db = hyperscan.loadb(cache.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
        return db
    except (OSError, hyperscan.HyperscanError):
        pass
    db = compile_patterns(ps)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        tmp.replace(cache)
    except OSError:  # a read-only home: compile every time
        pass
    return db


def compile_patterns(ps: PatternSet) -> hyperscan.Database:
    """The block-mode database of ``ps``, compiled now."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=list(ps.patterns),
        ids=list(range(len(ps.patterns))),
        elements=len(ps.patterns),
        flags=list(ps.flags),
    )
    return db


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sentinelle"
