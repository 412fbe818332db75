"""The cisco-umbrella-proxy profile, read by the native walker (since the twenty-eighth session;
the hyperscan prefilter's before, its traps regular expressions): the records it counts are
exactly those of its columns, written here as a regular expression in Python, whose time is a
possible one and whose URL's host is a name; each is an event with its host and time.
"""

from __future__ import annotations

import re
from datetime import datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._usual import CSV_FIELD_LIMIT, NO_VALUE_WORDS
from sentinelle.inputs import decode
from tests.perf._walks import needs_walker, walk_everywhere
from tests.perf.test_usual_profiles import field_mutated, mutated

pytestmark = needs_walker

NAME = "cisco-umbrella-proxy"
_PROFILE = get_format(NAME).usual
assert _PROFILE is not None


def _walker_says(raw: bytes) -> list[str] | None:
    """The names of the walk's entry of ``raw`` (None: the parser's line)."""
    from sentinelle.scan import fast

    _, w = walk_everywhere(fast.program(_PROFILE), [raw])
    if w.rows.size:
        return None
    return w.entries.decode()[1:-2].split(". .")


# The columns of COLUMNS_CHAIN, written as a regular expression
_TEXT = rb'"[^"\x00\r\n]*",'
_NUMBER = rb'"[0-9]{0,18}"'
_NAME = rb"[A-Za-z][A-Za-z0-9._\-]*"
_LINE = re.compile(
    rb'"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})",'
    + _TEXT * 5
    + rb'"(?:ALLOWED|BLOCKED|WARNED|ISOLATED|PROCEED)",'
    + rb'"' + _NAME + rb"://(" + _NAME + rb')(?::[0-9]{0,19})?(?:[/?#][^"\x00\r\n]*)?",'
    + _TEXT * 2
    + (_NUMBER + b",") * 2
    + _NUMBER + rb"(?:,[^\x00\r\n]*)?\r*",
)  # fmt: skip
_NO_VALUE = {w.decode() for w in NO_VALUE_WORDS}


def _counted(raw: bytes) -> bool:
    """Whether the walker must count ``raw``: the columns, a possible time (a year from 1000 to
    9998, ``key_order`` in ``scan/_lines.c``), a host name (not ``none``, ``null`` or
    ``unknown``: no value to the parser; no ``..``, no ``-`` at its end, at most 253 bytes), a
    line the CSV reader takes whole."""
    m = _LINE.fullmatch(raw)
    if m is None or len(raw) > CSV_FIELD_LIMIT:
        return False
    try:
        when = datetime(*(int(g) for g in m.groups()[:6]))
    except ValueError:
        return False
    host = m.group(7).decode().rstrip(".")
    bad = ".." in host or host.endswith("-") or len(m.group(7)) > 253
    return 1000 <= when.year <= 9998 and host not in _NO_VALUE and not bad


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
_HEAD = '"2026-07-31 22:00:14","CHU","10.17.32.5","203.0.113.5","142.78.10.209","",'
_TAIL = ',"","Mozilla/5.0 (X, Y)","200","887","1071965","964768","","Business Services"'


@SETTINGS
@given(raw=_lines())
@example(raw=(_HEAD + '"ALLOWED","https://None./"' + _TAIL).encode())
@example(raw=(_HEAD + '"ALLOWED","https://a.b"' + _TAIL + ',"a\rb"').encode())
def test_the_walker_counts_exactly_the_usual_records(raw: bytes) -> None:
    names = _walker_says(raw)
    assert (names is not None) == _counted(raw), raw
    if names is None:
        return
    parser = get_format(NAME).new_parser(ParseContext(path="t.log"))
    try:
        event = parser.parse(decode(raw))
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None and event.destination_domain is not None, raw
    assert event.destination_domain in [n.lower().rstrip(".") for n in names], raw
    assert _PROFILE.key_time(raw[1 : 1 + _PROFILE.key_len]) == event.timestamp, raw


def test_some_records_are_usual() -> None:
    """The simulated record and a few variants are counted; broken ones go to the parser."""
    usual = [
        '"ALLOWED","https://www.google.com:443/"',
        '"BLOCKED","http://chatgpt.com./backend-api?x=1"',
        '"ALLOWED","https://a.b#frag"',
        '"ALLOWED","https://a.b:/x"',
    ]
    unusual = [
        '"ALLOWED","https://none/"',
        '"ALLOWED","https://UNKNOWN./"',
        '"ALLOWED","https://a..b/"',
        '"ALLOWED","https://a-:443/"',
        '"ALLOWED","https://a:x/"',
        '"ALLOWED","https://a:1@b.com/"',
        '"ALLOWED","a.com:443"',
        '"DENIED","https://a.com/"',
        '"ALLOWED",""',
    ]
    for middle in usual:
        assert _walker_says((_HEAD + middle + _TAIL).encode()) is not None, middle
    for middle in unusual:
        assert _walker_says((_HEAD + middle + _TAIL).encode()) is None, middle
    good = _HEAD + usual[0]
    assert _walker_says((good + ',"","","","",""').encode()) is not None
    assert _walker_says((good + ',"","","","",').encode()) is None
    assert _walker_says((good + ',"","","",""abc"').encode()) is None
    assert _walker_says((good + ',"","",""200","1","2"').encode()) is None
    assert _walker_says((good + _TAIL + ',"a\rb"').encode()) is None
    assert _walker_says((good + _TAIL + "\r").encode()) is not None
    long = (good + _TAIL + ',"' + "x " * 70_000 + '"').encode()  # over csv's limit
    assert _walker_says(long) is None and _walker_says(long[:-140_000]) is not None
