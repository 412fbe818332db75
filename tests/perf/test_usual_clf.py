"""Squid's ``combined`` and ``common`` lines on the native walker: a CLF time (``[%tl]``), which
orders lines by its date, not as text, with its offset pinned as the firewalls' zones are.

A counted line is the parser's event at ``key_time(key + zone)``; the walk's earliest and latest
keys are the parser's first and last times, across months and years; anything the walker does
not count goes to the parser (which may take it or reject it).
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.scan import native

from ._addresses import clients
from ._walks import UsualLines

pytestmark = pytest.mark.skipif(not native.available(), reason="the C extension is not built")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: squid.conf.documented's ``combined`` logformat, as Apache's documentation shows its lines
DOC_LINE = (
    '192.168.1.10 - - [10/Oct/2000:13:55:36 -0700] "GET http://www.example.com/start.html '
    'HTTP/1.1" 200 2326 "http://www.example.com/" "Mozilla/4.08 [en] (Win98; I ;Nav)" '
    "TCP_MISS:HIER_DIRECT"
)


def line(
    when: str = "31/Jul/2026:21:00:05",
    zone: str = "+0200",
    client: str = "10.16.28.103",
    user: str = "klambert",
    request: str = "CONNECT chat.example.fr:443 HTTP/1.1",
    tail: str = ' "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" TCP_TUNNEL:HIER_DIRECT',
) -> bytes:
    return f'{client} - {user} [{when} {zone}] "{request}" 200 392{tail}'.encode()


_LINES = UsualLines("squid-combined")
_parse, _walk, _key_time = _LINES.parse, _LINES.walk, _LINES.key_time


def test_the_documented_and_simulated_shapes_are_usual() -> None:
    lines = [
        DOC_LINE.encode(),
        line(),
        line(tail=" TCP_TUNNEL:HIER_DIRECT"),  # common: neither referer nor user agent
        line(tail=' "-" "-" TCP_MISS:HIER_NONE trailing words'),
        line(request="GET http://chat.example.fr/a?b HTTP/1.0"),
    ]
    for raw in lines:
        _, w = _walk([raw])
        assert len(w.rows) == 0, raw
        assert _parse(raw) is not None
    _, w = _walk(lines)  # the first line's offset is pinned: the others' is for the parser
    assert w.zone == b"-0700" and [int(r[0]) for r in w.rows] == [1, 2, 3, 4]
    _, w = _walk(lines[1:])
    assert len(w.rows) == 0 and w.zone == b"+0200"


@pytest.mark.parametrize(
    ("raw", "usual"),
    [
        (line(client="2001:db8::1"), True),  # a whole IPv6 address
        (line(client="2001:db8:::1"), False),  # not one: the parser rejects the line
        (line(client="1.2.3"), True),  # a host name to the parser
        (line(client="[::1]"), False),
        (line(client="1::2:3:4:5:6:7:8"), False),  # "::" stands for one group at least
        (line(client="1:2:3:4:5:6:7::"), True),
        (line(client="::"), True),
        (line(client="1:2:3:4:5:6:7:8:9"), False),
        (line(client="12345::1"), False),
        (line(client="1:2:3:4:5:6:7:"), False),
        (line(client=":1:2:3:4:5:6:7"), False),
        (line(client="::ffff:10.1.2.3"), False),  # an IPv4 tail: the parser's to read
        (line(client="1" * 254), False),  # longer than a host name
        (line(user="jérôme"), False),  # non-ASCII: the parser's \S is Unicode
        (line(when="31/jul/2026:21:00:05"), False),  # the parser takes any case; the walker not
        (line(when="31/Jux/2026:21:00:05"), False),
        (line(when="31/Jun/2026:21:00:05"), False),  # no such day
        (line(when="29/Feb/2027:21:00:05"), False),
        (line(when="29/Feb/2028:21:00:05"), True),
        (line(when="31/Jul/2026:21:00:60"), False),  # the parser reads :59; the walker leaves it
        (line(when="1/Jul/2026:21:00:05"), False),
        (line(zone="+2400"), False),
        (line(zone="+0060"), False),
        (line(zone="0200"), False),
        (line(request="- - HTTP/1.1"), False),  # no request: no host
        (line(request="NONE error:invalid-request HTTP/1.1"), False),
        (line(request="CONNECT error:443 HTTP/1.1"), False),  # Squid's pseudo-URL: a reserved word
        (line(request="CONNECT 10.1.2.3:443 HTTP/1.1"), False),  # an address is no host name
        (line(request="CONNECT chat..example.fr:443 HTTP/1.1"), False),
        (line(request="GET http://chat.example.fr/a b HTTP/1.1"), False),  # a fourth word
        (line(tail=' "-" "a \\"quoted\\" agent" TCP_MISS:HIER_DIRECT'), False),  # escapes
        (line(tail=' "" "" TCP_MISS:HIER_DIRECT'), False),  # empty quotes: two runs of '"'
        (line(tail=' "-" TCP_MISS:HIER_DIRECT'), False),  # a referer without user agent
        (line(tail=' "-" "ua" TCP_MISS/200:HIER_DIRECT'), False),
        (line(tail=' "-" "ua"  TCP_MISS:HIER_DIRECT'), False),  # two blanks
        (line(tail=' "-" "ua" TCP_MISS:HIER_DIRECT\tnote'), True),
    ],
)
def test_what_the_walker_counts(raw: bytes, usual: bool) -> None:
    _, w = _walk([raw])
    assert (len(w.rows) == 0) == usual, raw
    if usual:
        event = _parse(raw)
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]


day = st.integers(1, 31)
when = st.tuples(
    st.integers(1000, 9998), st.integers(0, 11), day, st.integers(0, 23), st.integers(0, 59)
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(when, st.integers(0, 61)), min_size=1, max_size=12),
    st.sampled_from(["+0200", "-0530", "+0000", "-1200", "+1400", "+2359", "-2400", "+0160"]),
)
def test_counted_lines_give_the_parsers_times_and_bounds(
    stamps: list[tuple[tuple[int, int, int, int, int], int]], zone: str
) -> None:
    """Keys of any date (impossible ones too): a counted line is the parser's event at the key's
    time, an uncounted one is the parser's to take or reject; the walk's earliest and latest
    keys are the counted lines' first and last times, whatever their order as text."""
    lines = [
        line(when=f"{d:02}/{MONTHS[m]}/{y}:{h:02}:{mi:02}:{s:02}", zone=zone)
        for (y, m, d, h, mi), s in stamps
    ]
    block, w = _walk(lines)
    flagged = {int(r[0]) for r in w.rows}
    counted = []
    for i, raw in enumerate(lines):
        try:
            event = _parse(raw)
        except MalformedLine:
            assert i in flagged, raw  # the walker never counts what the parser rejects
            continue
        if i in flagged:
            continue
        assert event is not None
        at = block.index(raw) + raw.index(b"[") + 1
        assert event.timestamp == _key_time(block, at, w.zone), raw  # type: ignore[attr-defined]
        counted.append(event.timestamp)  # type: ignore[attr-defined]
    if not counted:
        assert (w.earliest, w.latest) == (-1, -1)
        return
    assert _key_time(block, w.earliest, w.zone) == min(counted)
    assert _key_time(block, w.latest, w.zone) == max(counted)


def test_the_bounds_follow_the_date_not_the_text() -> None:
    """``31/Jul`` sorts after ``01/Aug`` as text; as times it is before."""
    lines = [
        line(when="01/Aug/2026:00:00:01"),
        line(when="31/Jul/2026:23:59:59"),
        line(when="15/Jan/2027:08:00:00"),
        line(when="02/Dec/2026:08:00:00"),
    ]
    block, w = _walk(lines)
    assert len(w.rows) == 0
    assert block[w.earliest : w.earliest + 20] == b"31/Jul/2026:23:59:59"
    assert block[w.latest : w.latest + 20] == b"15/Jan/2027:08:00:00"


@settings(max_examples=500, deadline=None)
@given(st.one_of(clients(), st.text("0123456789abcdefABCDEF.:", min_size=1, max_size=50)))
def test_a_client_is_counted_only_as_the_parser_reads_it(client: str) -> None:
    """The walker's client check (``client_address``) against the parser: a counted line is
    the parser's event, with the client as its address or host name; a colon-free client is
    always counted (the parser reads it as a host name at worst); one with a colon exactly when
    it is an IPv6 address."""
    raw = line(client=client)
    _, w = _walk([raw])
    counted = len(w.rows) == 0
    try:
        event = _parse(raw)
    except MalformedLine:
        assert not counted, client
        return
    assert event is not None
    if ":" not in client:  # taken by the parser: an address, or a host name
        assert counted, client
    elif "." not in client:
        try:
            ipaddress.IPv6Address(client)
            valid = True
        except ValueError:
            valid = False
        assert counted == valid, client
    if counted:
        assert (event.source_ip or event.source_domain) is not None  # type: ignore[attr-defined]
