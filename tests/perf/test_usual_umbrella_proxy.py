"""The cisco-umbrella-proxy profile: its columns trap is the complement of its chain, and a
record built column by column (empty, odd, quoted or not) that the profile leaves unflagged is
an event with its host and time.

The generic test that the short complement flags what the expanded one does cannot expand this
chain (megabytes, see ``COLUMNS_CHAIN``), so here its complement is checked against the regular
expression of the same columns, in Python.
"""

from __future__ import annotations

import re

import hyperscan
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._structure import complement_pattern
from sentinelle.formats.cisco_umbrella_proxy import COLUMNS_CHAIN, COLUMNS_TAIL
from sentinelle.inputs import decode
from sentinelle.scan import fast
from sentinelle.scan.prefilter import EXACT, PatternSet, compile_patterns
from tests.perf.test_usual_profiles import field_mutated, mutated

NAME = "cisco-umbrella-proxy"
_PROFILE = get_format(NAME).usual
assert _PROFILE is not None


def _database(patterns: list[bytes]) -> hyperscan.Database:
    n = len(patterns)
    return compile_patterns(PatternSet(tuple(patterns), (EXACT,) * n, ("x",) * n))


_COLUMNS = _database([complement_pattern(COLUMNS_CHAIN, COLUMNS_TAIL)])
_UNUSUAL = _database(_PROFILE.flags_unusual())


def _long(raw: bytes) -> np.ndarray:
    """The scanner's check of long lines (a host name too long, a line over ``max_line``)."""
    ends = np.array([len(raw)], np.int64)
    return fast._BlockScanner._long_hosts(raw + b"\n", ends, _PROFILE.max_line)


def _flagged(db: hyperscan.Database, raw: bytes) -> bool:
    hits: list[int] = []
    db.scan(raw + b"\n", match_event_handler=lambda *a: hits.append(1))
    return bool(hits)


# The columns of COLUMNS_CHAIN, written as a regular expression (runs of quotes are greedy: a
# maybe-empty column never takes a third quote, the next element never starts with one)
_TEXT = rb'[^",\x00\r\n][^"\x00\r\n]*'
_MAYBE = rb'"{1,2}(?:,|' + _TEXT + rb'",)'
_NUMBER = rb'"{1,2}(?:,|[0-9]{1,18}",)'
_NAME = rb"[A-Za-z][A-Za-z0-9._\-]*"
_LINE = re.compile(
    rb'"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",'
    + _MAYBE * 5
    + rb'"(?:ALLOWED|BLOCKED|WARNED|ISOLATED|PROCEED)",'
    + rb'"' + _NAME + rb"://" + _NAME + rb'(?:[:/?#][^"\x00\r\n]*)?",'
    + _MAYBE * 2
    + _NUMBER * 2
    + rb'"{1,2}(?:[0-9]{1,18}")?(?:,[^\n]*|\r*)',
    re.DOTALL,
)  # fmt: skip

# -- records built column by column ------------------------------------------------------------
_TEXT_OK = st.one_of(st.just(""), st.text("ab1 é-:/@.,", max_size=5))
_ODD = st.text('ab1",\x00\r é\u00a0-:/@.', max_size=5)
_TIME = st.one_of(
    st.datetimes().map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S")),
    st.builds(
        "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format,
        st.sampled_from([0, 2024, 2026, 2100]),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
    ),
)
_VERDICT = st.sampled_from(["ALLOWED", "BLOCKED", "WARNED", "ISOLATED", "PROCEED"])
_GOOD_LABEL = st.sampled_from(["chatgpt", "com", "a", "b0", "x_y", "a-b", "A"])
_LABEL = st.one_of(  # good labels two times in three
    _GOOD_LABEL,
    _GOOD_LABEL,
    st.sampled_from(["none", "NULL", "unknown", "", "-", "a-", "1", "_"]),
)
_HOST = st.lists(_LABEL, min_size=1, max_size=4).map(".".join)
_PORT = st.sampled_from(
    ["", "", "", ":443", ":443", ":", ":x", ":8@b.com", ":99999999999999", "::1"]
)
_PATH = st.sampled_from(["", "/", "/a?b=c", "?q", "#f", "/x://y", "/é", "/a,b", " ", "/a b"])
_URL = st.builds(
    "{}://{}{}{}".format, st.sampled_from(["https", "http", "h", "1x"]), _HOST, _PORT, _PATH
)
_NUMBER = st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=20))
_RECORD = st.tuples(
    _TIME, *[_TEXT_OK] * 5, _VERDICT, _URL, *[_TEXT_OK] * 2, *[_NUMBER] * 3, _TEXT_OK
)
#: what may replace a column
_ODDS = st.one_of(
    _ODD,
    st.sampled_from(["allowed", "DENIED", "", "a.com:443", "1.5", " 1", "x", "-", '"', '""']),
    st.text("0123456789", min_size=19, max_size=22),
    _URL,
)


@st.composite
def records(draw: st.DrawFn) -> bytes:
    """A record with the columns of a usual one, then a few edits: a column replaced, left
    unquoted, with a quote more or less, a blank after a comma, columns cut or added."""
    columns = [f'"{c}"' for c in draw(_RECORD)]
    seps = [","] * (len(columns) - 1)
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(columns) - 1))
        edit = draw(st.integers(0, 5))
        if edit == 0:
            columns[i] = f'"{draw(_ODDS)}"'
        elif edit == 1:
            columns[i] = columns[i].strip('"') if draw(st.booleans()) else draw(_ODD)
        elif edit == 5:  # a quote more or less at either end
            column = columns[i]
            columns[i] = draw(
                st.sampled_from([f'"{column}', f'{column}"', column[1:], column[:-1]])
            )
        elif edit == 2 and i:
            seps[i - 1] = draw(st.sampled_from([", ", "", ",,", '"']))
        elif edit == 3:
            columns, seps = columns[: i + 1], seps[:i]
        else:
            columns.append(f'"{draw(_ODD)}"')
            seps.append(",")
    line = columns[0] + "".join(s + c for s, c in zip(seps, columns[1:], strict=True))
    return line.encode("utf-8")


def _lines() -> st.SearchStrategy[bytes]:
    return st.one_of(records(), mutated(NAME), field_mutated(NAME))


SETTINGS = settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(raw=_lines())
def test_the_columns_trap_is_the_complement_of_the_columns(raw: bytes) -> None:
    assert _flagged(_COLUMNS, raw) == (_LINE.fullmatch(raw) is None), raw


@SETTINGS
@given(raw=_lines())
def test_an_unflagged_record_is_an_event_with_its_host_and_time(raw: bytes) -> None:
    if _flagged(_UNUSUAL, raw) or _long(raw).size:
        return
    parser = get_format(NAME).new_parser(ParseContext(path="t.log"))
    try:
        event = parser.parse(decode(raw))
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None and event.destination_domain is not None, raw
    assert event.destination_domain.rstrip(".") in raw.decode("utf-8", "replace").lower(), raw
    assert _PROFILE.key_time(raw[: _PROFILE.key_len]) == event.timestamp, raw


def test_some_records_are_usual() -> None:
    """The simulated record and a few variants are unflagged; broken ones are flagged."""
    head = '"2026-07-31 22:00:14","CHU","10.17.32.5","203.0.113.5","142.78.10.209","",'
    tail = ',"","Mozilla/5.0 (X, Y)","200","887","1071965","964768","","Business Services"'
    usual = [
        '"ALLOWED","https://www.google.com:443/"',
        '"BLOCKED","http://chatgpt.com./backend-api?x=1"',
        '"ALLOWED","https://a.b#frag"',
        '"ALLOWED","https://a.b:/x"',
    ]
    unusual = [
        '"ALLOWED","https://none/"',
        '"ALLOWED","https://a..b/"',
        '"ALLOWED","https://a-:443/"',
        '"ALLOWED","https://a:x/"',
        '"ALLOWED","https://a:1@b.com/"',
        '"ALLOWED","a.com:443"',
        '"DENIED","https://a.com/"',
        '"ALLOWED",""',
    ]
    for middle in usual:
        assert not _flagged(_UNUSUAL, (head + middle + tail).encode()), middle
    for middle in unusual:
        assert _flagged(_UNUSUAL, (head + middle + tail).encode()), middle
    assert not _flagged(_UNUSUAL, (head + usual[0] + ',"","","","",""').encode())
    assert _flagged(_UNUSUAL, (head + usual[0] + ',"","","","",').encode())
    assert _flagged(_UNUSUAL, (head + usual[0] + ',"","","",""abc"').encode())
    assert _flagged(_UNUSUAL, (head + usual[0] + ',"","",""200","1","2"').encode())
    assert _flagged(_UNUSUAL, (head + usual[0] + ',"",",","200","1","2"').encode())
    assert _flagged(_UNUSUAL, (head + usual[0] + tail + ',"a\rb"').encode())
    long = (head + usual[0] + tail + ',"' + "x " * 70_000 + '"').encode()  # over csv's limit
    assert _long(long).size and not _long(long[:-140_000]).size
