"""Properties of the prefilter: it never loses a line the exact path would count or reject.

* the complement of the Squid structure flags a line exactly when ``V`` rejects it, once;
* a line the *usual* structure leaves unflagged is valid, has a host name and a usual timestamp;
* random catalogs and hostnames: a line left unflagged yields no catalog match and no discovery
  candidate on the exact path.
"""

from __future__ import annotations

import hyperscan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.catalog import Catalog, load_catalog
from sentinelle.catalog.discovery import ai_marker
from sentinelle.catalog.model import DomainRule, Service
from sentinelle.errors import MalformedLine
from sentinelle.formats import get_format
from sentinelle.formats.squid import STRUCTURE, USUAL
from sentinelle.inputs import decode
from sentinelle.scan import fast
from sentinelle.scan.prefilter import EXACT, PatternSet, compile_patterns
from tests.perf.conftest import HOSTS, URLS

SQUID = get_format("squid")
PROFILE = USUAL
VALID = STRUCTURE.regex()
GOOD = (
    "1785536580.123    412 10.20.3.14 TCP_TUNNEL/200 5321 CONNECT chatgpt.com:443 jdupont "
    "HIER_DIRECT/104.18.32.47 -"
)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def _db(patterns: list[bytes], flags: int = EXACT) -> hyperscan.Database:
    n = len(patterns)
    return compile_patterns(PatternSet(tuple(patterns), (flags,) * n, ("x",) * n))


COMPLEMENT = _db([STRUCTURE.complement()])
UNUSUAL = _db(PROFILE.flags_unusual())
BUNDLED = compile_patterns(fast.patterns(SQUID, load_catalog()))


def _matches(db: hyperscan.Database, raw: bytes) -> int:
    hits: list[int] = []
    db.scan(raw + b"\n", match_event_handler=lambda *a: hits.append(a[2]))
    return len(hits)


_piece = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\r",
        ".",
        ":",
        "/",
        "-",
        "_",
        "x",
        "X",
        "0",
        "9",
        "é",
        "\x00",
        "[",
        "@",
        "?",
        "://",
        "TCP_",
        "CONNECT",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid line (of any shape the tests know) with a few random edits, as raw bytes."""
    line = draw(st.sampled_from([GOOD, *_sample_lines()]))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(line)))
        cut = draw(st.integers(0, 3))
        line = line[:i] + draw(_piece) + line[i + cut :]
    raw = line.encode("utf-8")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw.replace(b"\n", b"")


def _sample_lines() -> list[str]:
    import random

    from tests.perf.conftest import line

    rng = random.Random(3)
    return [line(rng, 1785536580.0 + i) for i in range(40)]


@SETTINGS
@given(raw=mutated())
def test_complement_flags_exactly_the_invalid_lines_once(raw: bytes) -> None:
    valid = VALID.match(decode(raw)) is not None
    assert _matches(COMPLEMENT, raw) == (0 if valid else 1)


@SETTINGS
@given(raw=mutated())
def test_the_parser_rejects_exactly_what_v_rejects(raw: bytes) -> None:
    text = decode(raw)
    parser = SQUID.new_parser(None)  # type: ignore[arg-type]
    try:
        event = parser.parse(text)
    except MalformedLine:
        assert VALID.match(text) is None
        return
    if event is None:
        assert text.strip(" \t\r") == ""
    elif text[:1].isdigit():  # (syslog-prefixed lines are always flagged)
        assert VALID.match(text) is not None


@SETTINGS
@given(raw=mutated())
def test_an_unflagged_line_is_a_usual_event(raw: bytes) -> None:
    if _matches(UNUSUAL, raw):
        return
    text = decode(raw)
    event = SQUID.new_parser(None).parse(text)  # type: ignore[arg-type]
    assert event is not None
    assert event.destination_domain is not None
    assert len(text.split(None, 1)[0]) == 14 and text[10] == "."


# -- random catalogs and hosts --------------------------------------------------------------------
_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-") and not s.endswith("-")
)
_domain = st.lists(_label, min_size=2, max_size=4).map(".".join)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    rules = []
    for d in draw(st.lists(_domain, min_size=1, max_size=6, unique=True)):
        kind = draw(st.sampled_from(["suffix", "exact", "path"]))
        rules.append(DomainRule(d, kind, "/chat" if kind == "path" else None))
    return Catalog([Service("svc", "Svc", "V", "FR", "assistant", True, domains=tuple(rules))])


def _case(draw: st.DrawFn, s: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in s)


@st.composite
def hosts_for(draw: st.DrawFn, cat: Catalog) -> str:
    base = draw(st.sampled_from([r.domain for r, _ in cat.rules()] + HOSTS))
    shape = draw(st.sampled_from(["same", "sub", "prefix", "suffix", "inner", "other"]))
    host = {
        "same": base,
        "sub": f"{draw(_label)}.{base}",
        "prefix": f"{draw(_label)}{base}",
        "suffix": f"{base}.{draw(_domain)}",
        "inner": f"{draw(_label)}-{base}",
        "other": draw(_domain),
    }[shape]
    host = _case(draw, host) + ("." if draw(st.booleans()) else "")
    return host


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_catalogs_never_lose_a_match(data: st.DataObject) -> None:
    cat = data.draw(catalogs())
    db = compile_patterns(fast.patterns(SQUID, cat))
    parser = SQUID.new_parser(None)  # type: ignore[arg-type]
    for _ in range(8):
        host = data.draw(hosts_for(cat))
        url = data.draw(st.sampled_from(URLS)).format(h=host)
        method = data.draw(st.sampled_from(["CONNECT", "GET", "post"]))
        text = GOOD.replace("CONNECT chatgpt.com:443", f"{method} {url}")
        raw = text.encode()
        if _matches(db, raw):
            continue
        event = parser.parse(text)
        assert event is not None and event.destination_domain is not None, text
        assert cat.match(event.destination_domain, event.url_path) is None, text
        assert ai_marker(event.destination_domain) is None, text


@settings(max_examples=300, deadline=None)
@given(host=st.text("abcdefghijklmnopqrstuvwxyzAI0123456789.-_", min_size=1, max_size=30))
def test_discovery_markers_are_always_flagged(host: str) -> None:
    text = GOOD.replace("chatgpt.com:443", f"{host}:443")
    event = SQUID.new_parser(None).parse(text)  # type: ignore[arg-type]
    if event is None or event.destination_domain is None:
        return
    if ai_marker(event.destination_domain) is not None:
        assert _matches(BUNDLED, text.encode()), host


def test_marker_patterns_are_each_word_escaped_whole() -> None:
    """The markers are joined from pieces escaped once; they are what escaping each whole
    pattern gives (re.escape works byte by byte), so the on-disk cache key is unchanged too."""
    import re

    from sentinelle.catalog import discovery
    from sentinelle.scan import prefilter

    glue = [a + b for a in discovery.GLUE for b in discovery.GLUE]
    words = sorted({*discovery.WEAK, *glue})
    whole = [
        re.escape(bytes([left]) + w.encode() + bytes([right]))
        for w in words
        for left in prefilter.HOST_START + b"-_0123456789"
        for right in prefilter.HOST_END + b"-_0123456789"
    ]
    got = prefilter.marker_patterns()
    assert got[1 + len(discovery.STRONG) :] == whole and len(whole) > 10_000
