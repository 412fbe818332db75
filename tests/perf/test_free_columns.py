"""The native walker's free columns (``native.FreeColumns``, ``free_columns`` in ``_lines.c``):
the rest of a line as CSV columns, with a rule for some of them (a URL column's host, digits)
and the line's time key and UTC offset in the first column from ``time_from`` whose 11th byte
is ``T`` (PAN-OS' trailing columns, whose number varies with its version).  Each line is
walked alone in every variant (its zone is pinned by the walk), against a model written from
the rules' text."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.formats._structure import Element, chars
from sentinelle.formats._usual import FreeColumns, FreePairs
from sentinelle.scan import native
from tests.perf._walks import mostly, needs_walker, walk_everywhere

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))

#: ``t`` then free columns from the comma: column 0 digits, column 1 the URL, the time from 2
_CHAIN = (
    Element("t", chars("t")),
    Element("rest", frozenset(range(256)) - {10, 13}, 1, None, first=chars(",")),
)
_RULES = FreeColumns("rest", time_from=2, host=1, digits=frozenset({0}))
_PROGRAM = (
    native.compile_chain(
        _CHAIN, frozenset(), hosts=frozenset(), key_len=23, columns=_RULES, reserved=()
    )
    if native.available()
    else None
)

# -- the model ---------------------------------------------------------------------------------
_CONTROL = rb"\x00-\x08\x0a-\x1f\x7f"
_COLUMN = re.compile(rb'"([^"' + _CONTROL + rb']*)"|([^,"' + _CONTROL + rb"]*)")
_URL = re.compile(rb"[A-Za-z][A-Za-z0-9._\-]*(?::[0-9]{1,5})?(?:/[^:]*)?")
_TIME = re.compile(
    rb"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.[0-9]{3}"
    rb"(Z|[+-]([0-9]{2}):([0-9]{2}))"
)


def _model(text: bytes) -> tuple[str, bytes, bytes] | None:
    """What the walker makes of a line ``t`` + ``text``: None (the parser's), or (its host, or
    "" without one; its key; its zone)."""
    if not text.startswith(b","):
        return None
    columns: list[tuple[bytes, bool]] = []
    at = 1
    while True:
        m = _COLUMN.match(text, at)
        assert m is not None  # (the bare alternative matches the empty text)
        quoted = m.group(1) is not None
        columns.append((m.group(1) if quoted else m.group(2), quoted))
        at = m.end()
        if at == len(text):
            break
        if text[at : at + 1] != b",":
            return None
        at += 1
    if len(columns) < 3 or any(len(v) > 131_072 for v, _ in columns):
        return None
    digits, digits_quoted = columns[0]
    url, url_quoted = columns[1]
    if digits_quoted or not re.fullmatch(rb"[0-9]{0,18}", digits):
        return None
    m = _URL.fullmatch(url) if url_quoted else None
    if m is None:
        return None
    host = re.match(rb"[A-Za-z0-9._\-]*", url).group()  # type: ignore[union-attr]
    for value, _ in columns[2:]:
        if re.search(rb"[\x80-\xff]", value) and b"T" in value:
            return None
        if len(value) > 10 and value[10:11] == b"T":
            return _timed(host, value)
    return None


def _timed(host: bytes, value: bytes) -> tuple[str, bytes, bytes] | None:
    m = _TIME.fullmatch(value)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if not 1000 <= year <= 9998 or (m.group(8) and (int(m.group(8)) > 23 or int(m.group(9)) > 59)):
        return None
    name = host.rstrip(b".")
    if b".." in name or name.endswith(b"-") or len(host) > 253:
        return None
    return host.decode(), value[:23], value[23:]


_VALUES = st.sampled_from(
    [
        "",
        "12",
        "x",
        "a b",
        '"q"',
        '""',
        '"a,b"',
        '"chat.example.fr/"',
        '"chat.example.fr"',
        '"chat.example.fr:443/"',
        '"chat.example.fr:443"',
        '"Chat.FR./a?b=c"',
        '"chat.example.fr/x?u=https://y.fr"',
        '"a..b.fr/"',
        '"x-.fr/"',
        '"1a.fr/"',
        '"chat.example.fr:123456/"',
        '"chat.example.fr:x/"',
        "chat.example.fr/",
        "2026-03-29T01:59:59.999+01:00",
        "2026-03-29T03:00:00.000+02:00",
        "2026-10-25T02:30:00.123Z",
        "2026-02-29T10:00:00.000Z",
        "2028-02-29T10:00:00.000-05:30",
        "2026-13-01T10:00:00.000Z",
        "2026-01-01T24:00:00.000Z",
        "2026-01-01T10:00:60.000Z",
        "2026-01-01T10:00:00.000+24:00",
        "2026-01-01T10:00:00.000+01:60",
        "2026-01-01T10:00:00.000+0100",
        "2026-01-01T10:00:00Z",
        "2026-01-01T10:00:00.123456Z",
        '"2026-01-01T10:00:00.000Z"',
        "0999-01-01T10:00:00.000Z",
        "abcdefghijTx",
        "é23456789T0",
        "Téléphone",
        "NT 10.0",
    ]
)


_ALL = list(_VALUES.elements)  # type: ignore[attr-defined]


_DIGITS = mostly(["", "12", "0"], _ALL)
_URLS = mostly(['"chat.example.fr/"', '"Chat.FR./a?b=c"', '"chat.example.fr:443"'], _ALL)
_TIMES = mostly(["2026-10-25T02:30:00.123Z", "2028-02-29T10:00:00.000-05:30"], _ALL)
_OTHERS = mostly(["", "x", "a b", '"q"', '""', '"a,b"', "NT 10.0", "téléphone"], _ALL)


@st.composite
def _columns_text(draw: st.DrawFn) -> bytes:
    """Columns shaped as the rules want most of the time (a digits column, a URL, some
    columns, a time, some more), then maybe an edit anywhere."""
    values = [draw(_DIGITS), draw(_URLS), *draw(st.lists(_OTHERS, max_size=3))]
    values += [draw(_TIMES), *draw(st.lists(_OTHERS, max_size=2))]
    text = "," + ",".join(values)
    if draw(st.integers(0, 3)) == 0:  # an edit anywhere
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from([",", '"', "\x01", "\t", "T", "é"])) + text[i:]
    return text.encode("utf-8")


def _walk_one(text: bytes) -> tuple[str, bytes, bytes] | None:
    assert _PROGRAM is not None
    block, w = walk_everywhere(_PROGRAM, [b"t" + text])
    if w.rows.size:
        return None
    assert w.earliest == w.latest and w.zone is not None
    key = block[w.earliest : w.earliest + 23]
    if w.no_host:
        return "", key, w.zone
    assert w.entries.endswith(b".\n") and w.entries.startswith(b".")
    return w.entries[1:-2].decode(), key, w.zone


@needs_walker
@SETTINGS
@given(text=_columns_text())
def test_free_columns_are_usual_exactly_as_the_model_says(text: bytes) -> None:
    """A line whose rest is free columns is usual exactly when the model says so (in every
    variant); usual, its entry is the URL column's host, its key and zone its time column's."""
    assert _walk_one(text) == _model(text), text


@needs_walker
def test_free_columns_explicit() -> None:
    """The rules one by one: the rules' columns must be there, the time from ``time_from``
    on, the first column that looks like one."""
    url, when = '"chat.example.fr/a"', "2026-10-25T02:30:00.123+02:00"
    key = when[:23].encode()
    cases = {
        f",1,{url},{when}": ("chat.example.fr", key, b"+02:00"),
        f",,{url},x,,{when},2027-01-01T00:00:00.000Z": ("chat.example.fr", key, b"+02:00"),
        f",1,{url}": None,  # no time
        f",1,{url},2026-10-25T02:30:00Z,{when}": None,  # the first is not the usual shape
        f",{when},{url},{when}": None,  # column 0 must be digits
        f",1,chat.example.fr/a,{when}": None,  # the URL quoted
        f",1,{url},{when},": ("chat.example.fr", key, b"+02:00"),  # an empty last column
        f",1,{url},{when}\t": None,  # a time column with a tab is not the shape
        f',1,{url},"x"y,{when}': None,  # text after a closing quote
        f",1,{url},{when[:-6]}Z": ("chat.example.fr", key, b"Z"),
        f'1,{url},"{when}"': None,  # no comma first
        f',1,{url},"{when}"': ("chat.example.fr", key, b"+02:00"),  # quoted: the same
        f",1,{url},a{'b' * 131_072},{when}": None,  # longer than csv reads
    }
    for text, said in cases.items():
        assert _model(text.encode()) == said, text
        assert _walk_one(text.encode()) == said, text


@needs_walker
def test_free_columns_without_a_host_rule_are_events_without_one() -> None:
    rules = FreeColumns("rest", time_from=0, digits=frozenset({1}))
    program = native.compile_chain(
        _CHAIN, frozenset(), hosts=frozenset(), key_len=23, columns=rules
    )
    lines = [b"t,2026-10-25T02:30:00.123Z,12", b"t,2026-10-25T02:30:00.123Z,x", b"t,x,1"]
    _, w = walk_everywhere(program, lines)
    assert w.rows[:, 0].tolist() == [1, 2] and w.no_host == 1 and w.entries == b""


def test_free_columns_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="two rules"):
        FreeColumns("rest", time_from=2, host=1, digits=frozenset({1}))
    with pytest.raises(ValueError, match="0 to 63"):
        FreeColumns("rest", time_from=64)
    assert _RULES.rules() == b"#0\n*2\n@1\n"
    with pytest.raises(ValueError, match="key and the zone"):
        native.compile_chain(
            _CHAIN, frozenset(), hosts=frozenset(), key_len=23, columns=_RULES, zone="t"
        )
    pairs = [FreePairs(f"p{i}", frozenset({"x"})) for i in range(4)]
    with pytest.raises(ValueError, match="at most 4"):
        native.compile_chain(
            _CHAIN, frozenset(), hosts=frozenset(), key_len=23, columns=_RULES, pairs=tuple(pairs)
        )
    with pytest.raises(ValueError, match="no element 'nope' for the free columns"):
        native.compile_chain(
            _CHAIN,
            frozenset(),
            hosts=frozenset(),
            key_len=23,
            columns=FreeColumns("nope", time_from=0),
        )


@needs_walker
def test_a_name_column_is_a_host_name_alone() -> None:
    """``name``: a bare host name, the line's (PAN-OS' Server Name Indication); empty, an
    address, with a port, quoted, or no host name: for the parser."""
    rules = FreeColumns("rest", time_from=1, name=0)
    program = native.compile_chain(
        _CHAIN, frozenset(), hosts=frozenset(), key_len=23, columns=rules
    )
    when = "2026-10-25T02:30:00.123Z"
    said = {
        f",chat.example.fr,{when}": "chat.example.fr",
        f",Chat.FR.,{when}": "Chat.FR.",
        f",,{when}": None,
        f",10.0.0.1,{when}": None,
        f",chat.example.fr:443,{when}": None,
        f',"chat.example.fr",{when}': None,
        f",chat.example.fr/,{when}": None,
        f",a..b.fr,{when}": None,
    }
    for text, host in said.items():
        _, w = walk_everywhere(program, [b"t" + text.encode()])
        assert (w.entries[1:-2].decode() if not w.rows.size else None) == host, text
    assert rules.rules() == b"*1\n=0\n"
    with pytest.raises(ValueError, match="two rules"):
        FreeColumns("rest", time_from=1, name=0, host=2)
