"""The native walker's free pairs in the colon grammar (``FreePairs(colon=True)``,
``colon_pairs`` in ``_lines.c``): Check Point's ``[key:"value"; key:"value"]``, with the line's
time key in a pair (epoch seconds), its host in a URL pair's, a pair it must have, keys kept
out and digits.  Each line is walked alone in every variant, against a model written from the
rules' text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.formats._structure import Element, chars
from sentinelle.formats._usual import NO_VALUE_WORDS, FreePairs
from sentinelle.scan import native
from tests.perf._walks import mostly, needs_walker, walk_everywhere

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))

_CHAIN = (
    Element("t", chars("t")),
    Element("rest", frozenset(range(256)) - {10, 13}, 1, None, first=chars("[")),
)
_RULES = FreePairs(
    "rest",
    frozenset({"app_x"}),
    beside_url=frozenset({"http_host"}),
    digits=frozenset({"bytes"}),
    colon=True,
    time="time",
    url="resource",
    needed="dst",
)
_PROGRAM = (
    native.compile_chain(
        _CHAIN, frozenset(), hosts=frozenset(), key_len=10, pairs=_RULES, reserved=NO_VALUE_WORDS
    )
    if native.available()
    else None
)

# -- the model ---------------------------------------------------------------------------------
_PAIR = re.compile(
    rb'([A-Za-z_][A-Za-z0-9_.\-]*):"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[^\x00-\x08\x0a-\x1f\x7f])*)"'
)
_URL = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]*://([A-Za-z][A-Za-z0-9._\-]*)(?::[0-9]{1,5})?")
_RESERVED = {w.lower() for w in NO_VALUE_WORDS}


def _model(text: bytes) -> tuple[str, bytes] | None:
    """What the walker makes of a line ``t`` + ``text``: None (the parser's), or (its host, ""
    without one; its key)."""
    if not text.startswith(b"["):
        return None
    at, pairs = 1, []
    while True:
        m = _PAIR.match(text, at)
        if m is None:
            return None
        pairs.append((m.group(1).decode(), m.group(2)))
        at = m.end()
        if text[at : at + 1] == b"]":
            if at + 1 != len(text):
                return None
            break
        if text[at : at + 2] != b"; ":
            return None
        at += 2
    return _ruled(pairs)


def _ruled(pairs: list[tuple[str, bytes]]) -> tuple[str, bytes] | None:
    key = host = None
    urls = needed = beside = 0
    for name, value in pairs:
        ruled = name in ("app_x", "http_host", "bytes", "time", "resource", "dst")
        if len(value) > 4000 or name == "app_x" or (ruled and b"\\" in value):
            return None
        beside |= name == "http_host"
        if name == "bytes" and not re.fullmatch(rb"[0-9]{1,18}", value):
            return None
        if name == "time":
            if key is not None or not re.fullmatch(rb"[0-9]{10}", value):
                return None
            key = value
        if name == "resource":
            m = _URL.match(value)
            rest = value[m.end() :] if m else b""
            if urls or m is None or (rest and rest[:1] not in (b"/", b"?", b"#")):
                return None
            urls, host = 1, m.group(1)
        if name == "dst":
            if not re.match(rb"[0-9a-fA-F:]", value):
                return None
            needed = 1
    if key is None or not needed or (beside and not urls):
        return None
    if host is None:
        return "", key
    name = host.rstrip(b".")
    if b".." in name or name.endswith(b"-") or len(host) > 253 or host.lower() in _RESERVED:
        return None
    return host.decode(), key


_PAIRS = st.sampled_from(
    [
        'time:"1772439245"',
        'time:"177243924"',
        'time:"17724392450"',
        'time:"x772439245"',
        'dst:"104.18.32.47"',
        'dst:"2606:4700::6a0e"',
        'dst:"-"',
        'dst:""',
        'dst:"none"',
        'resource:"https://chatgpt.com/backend-api"',
        'resource:"http://Chat.Example.FR:8080"',
        'resource:"https://chat.example.fr?q=1"',
        'resource:"https://a..b.fr/"',
        'resource:"https://x-.fr/"',
        'resource:"https://10.0.0.1/"',
        'resource:"https://none/"',
        'resource:"chatgpt.com/"',
        'resource:"https://chat.example.fr:443443/"',
        'resource:"https://user@chat.example.fr/"',
        'http_host:"chatgpt.com"',
        'http_host:"a\\b"',
        'app_x:""',
        'bytes:"1234"',
        'bytes:"12a"',
        'bytes:""',
        'action:"Accept"',
        'src_user_name:"Jean Dupont (jdupont)"',
        'Product.Name-x:"URL Filtering"',
        '__policy_id_tag:"product=VPN-1 & FireWall-1[db_tag={2A2F};mgmt=CP\\]"',
        'dst:"10.0.0.\\1"',
        'k:"\\\\"',
        'app:"a;b] c"',
        'é:"x"',
        '9key:"x"',
        'k:"é"',
        'k:"\t"',
    ]
)


_ALL = list(_PAIRS.elements)  # type: ignore[attr-defined]


_TIMES = mostly(['time:"1772439245"'], _ALL)
_DSTS = mostly(['dst:"104.18.32.47"', 'dst:"2606:4700::6a0e"'], _ALL)
_OTHERS = mostly(
    [
        'resource:"https://chatgpt.com/backend-api"',
        'resource:"http://Chat.Example.FR:8080"',
        'bytes:"1234"',
        'action:"Accept"',
        'src_user_name:"Jean Dupont (jdupont)"',
        'Product.Name-x:"URL Filtering"',
        'app:"a;b] c"',
        'k:"é"',
    ],
    _ALL,
)


@st.composite
def _pairs_text(draw: st.DrawFn) -> bytes:
    """Pairs shaped as the rules want most of the time (a time, a destination, some others,
    in any order), then maybe an edit anywhere."""
    pairs = [draw(_TIMES), draw(_DSTS), *draw(st.lists(_OTHERS, max_size=3))]
    pairs = draw(st.permutations(pairs))
    text = "[" + "; ".join(pairs) + "]"
    if draw(st.integers(0, 3)) == 0:  # an edit anywhere
        i = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from([";", " ", '"', "]", "[", "\\", "\x01", ":"]))
        text = text[:i] + edit + text[i:]
    return text.encode("utf-8")


def _walk_one(text: bytes) -> tuple[str, bytes] | None:
    assert _PROGRAM is not None
    block, w = walk_everywhere(_PROGRAM, [b"t" + text])
    if w.rows.size:
        return None
    assert w.earliest == w.latest
    key = block[w.earliest : w.earliest + 10]
    if w.no_host:
        return "", key
    assert w.entries.startswith(b".") and w.entries.endswith(b".\n")
    return w.entries[1:-2].decode(), key


@needs_walker
@SETTINGS
@given(text=_pairs_text())
def test_colon_pairs_are_usual_exactly_as_the_model_says(text: bytes) -> None:
    assert _walk_one(text) == _model(text), text


@needs_walker
def test_colon_pairs_explicit() -> None:
    """The rules one by one."""
    when, dst = 'time:"1772439245"', 'dst:"104.18.32.47"'
    url = 'resource:"https://chatgpt.com/c/1"'
    cases = {
        f"[{when}; {dst}; {url}]": ("chatgpt.com", b"1772439245"),
        f"[{url}; {dst}; {when}]": ("chatgpt.com", b"1772439245"),
        f"[{when}; {dst}]": ("", b"1772439245"),  # a firewall record: no host
        f"[{when}; {url}]": None,  # no destination address
        f"[{dst}; {url}]": None,  # no time
        f"[{when}; {dst}; {url}; {url}]": None,  # the URL twice (a later one would win)
        f"[{when}; {when}; {dst}]": None,
        f'[{when}; {dst}; http_host:"chatgpt.com"]': None,  # the parser's host then
        f'[{when}; {dst}; http_host:"x.fr"; {url}]': ("chatgpt.com", b"1772439245"),
        f'[{when}; {dst}; app_x:""]': None,
        f"[{when}; {dst}] ": None,
        f"[{when};{dst}]": None,
        f'[{when}; {dst}; k:"a\\"b"]': ("", b"1772439245"),  # an escape, read as the parser does
        f'[{when}; {dst}; k:"a\\]\\\\"]': ("", b"1772439245"),
        f'[{when}; {dst}; k:"a\\"]': None,  # the closing quote escaped
        f'[{when}; dst:"104.18.32.4\\7"]': None,  # a ruled value with an escape
        f'[{when}; {dst}; k:"{"9" * 4001}"]': None,  # a value too long
        f'[{when}; {dst}; k:"{"9" * 4000}"]': ("", b"1772439245"),
    }
    for text, said in cases.items():
        assert _model(text.encode()) == said, text
        assert _walk_one(text.encode()) == said, text


def test_colon_pairs_rules_are_checked() -> None:
    assert _RULES.rules() == b":\napp_x\n#bytes\n*time\n^resource\n!dst\n~http_host\n"
    with pytest.raises(ValueError, match="grammar's host is a URL's"):
        FreePairs("rest", frozenset(), colon=True, host="h")
    with pytest.raises(ValueError, match="the colon grammar's"):
        FreePairs("rest", frozenset(), time="time")
    with pytest.raises(ValueError, match="not a key"):
        FreePairs("rest", frozenset({"a b"}), colon=True)
    with pytest.raises(ValueError, match="two rules"):
        FreePairs("rest", frozenset(), colon=True, time="t", url="t")
    with pytest.raises(ValueError, match="hold the key"):
        native.compile_chain(
            _CHAIN, frozenset(), hosts=frozenset(), key_len=10, pairs=_RULES, key="t"
        )
