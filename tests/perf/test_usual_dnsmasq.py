"""dnsmasq's usual line: a query as ``log-queries`` writes it, its date an RFC 3164 one without
a year (``Mmm DD HH:MM:SS``, a local time read in ``--tz``, the year the file's); or another
message of dnsmasq's, which the parser skips; in its own file, in the local syslog daemon's
(a host before the tag), or in rsyslog's default file format (an RFC 3339 time with its year
and offset, then the host).

A line the native walker counts is the parser's event, with the walk's host name at its key's
time (the key read in the leap year 2000, given the file's year as the scanner does); a line
it counts as skipped is one the parser skips.  (The scanner that gives each block its year
across a December-to-January wrap, and reads DST changes, is ``test_engines_agree``'s.)
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._time import LocalClock
from sentinelle.formats._usual import Profile
from sentinelle.formats.dnsmasq import (
    LAYOUTS,
    OWN,
    RFC3339,
    RFC3339_USUAL,
    SYSLOG,
    SYSLOG_USUAL,
    USUAL,
)
from sentinelle.scan import fast
from tests.perf._dnsmasq import MONTHS, record
from tests.perf._walks import (
    OFFSETS,
    TIMES,
    is_offset,
    needs_walker,
    possible_time,
    walk_everywhere,
)
from tests.perf.test_usual_profiles import edited

DNSMASQ = get_format("dnsmasq")
#: the year of the file (a leap year: 29 February is a day of it)
YEAR = 2028
_LOCAL = datetime(2026, 8, 14, 7, 40, 24)


def _parser(year: int = YEAR) -> object:
    return DNSMASQ.new_parser(ParseContext(path="pihole.log", year=year))


def _walker_says(raw: str, profile: Profile = USUAL) -> str | None:
    """The host name the walker counts ``raw`` with (its entry's) by ``profile`` (a layout's
    usual line), "skipped" (a line the parser skips), None: the parser's line."""
    _, w = walk_everywhere(fast.program(profile), [raw.encode("utf-8", "surrogateescape")])
    if w.rows.size:
        return None
    return "skipped" if w.skipped else w.entries.decode()[1:-2]


def _check(raw: bytes, year: int = YEAR, profile: Profile = USUAL) -> None:
    """The contract on one line (walked by ``profile``): counted, it is the parser's event with
    the walk's host at its key's time in ``year``; counted as skipped, the parser skips it."""
    block, w = walk_everywhere(fast.program(profile), [raw])
    if w.rows.size:
        return  # for the parser
    parser = _parser(year)
    try:
        event = parser.parse(raw.decode())  # type: ignore[attr-defined]
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    if w.skipped:
        assert event is None, raw
        return
    assert event is not None and event.destination_domain is not None, raw
    assert event.network_protocol == "dns" and w.marked == 1
    assert event.destination_domain == w.entries.decode()[1:-2].lower().rstrip("."), raw
    key = block[w.earliest : w.earliest + profile.key_len]
    if profile.zone is not None:  # (an RFC 3339 time: its year and offset written)
        assert w.zone is not None and profile.key_time(key + w.zone) == event.timestamp, raw
        return
    t = profile.key_time(key).replace(year=year)
    assert LocalClock(parser.clock.tz).to_utc(t) == event.timestamp, raw  # type: ignore[attr-defined]


def test_the_usual_line() -> None:
    assert DNSMASQ.usual is USUAL and USUAL.naive_key == "syslog" and USUAL.key_len == 15
    assert USUAL.native_only and USUAL.in_order and USUAL.skip_element == "skip"
    assert not fast.divisible(DNSMASQ)  # (a file is read whole, in order: its years)


_EXTRA = "1234 10.20.3.14/51514"


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (record(_LOCAL), "chatgpt.com"),
        (record(datetime(2026, 8, 1, 9, 5, 7)), "chatgpt.com"),  # `Aug  1`
        (record(_LOCAL, "Api.OpenAI.com", qtype="AAAA"), "Api.OpenAI.com"),
        (record(_LOCAL, qtype="TYPE65"), "chatgpt.com"),
        (record(_LOCAL, client="2001:db8::7"), "chatgpt.com"),
        (record(_LOCAL, extra=_EXTRA), "chatgpt.com"),  # log-queries=extra
        (record(_LOCAL, extra="7 ::1/5353"), "chatgpt.com"),
        (record(_LOCAL, message="forwarded chatgpt.com to 127.0.0.1#5335"), "skipped"),
        (record(_LOCAL, message="reply chatgpt.com is 104.18.32.47"), "skipped"),
        (record(_LOCAL, message="cached chatgpt.com is <CNAME>"), "skipped"),
        (record(_LOCAL, message="config chatgpt.com is NXDOMAIN"), "skipped"),
        (record(_LOCAL, message="gravity blocked chatgpt.com is 0.0.0.0"), "skipped"),
        (record(_LOCAL, message="/etc/hosts chatgpt.com is 10.0.0.1"), "skipped"),
        (record(_LOCAL, message="reply x is y", extra=_EXTRA), "skipped"),
        (record(_LOCAL, message="requery[A] x from y"), "skipped"),
        # the parser's
        (record(_LOCAL, message="query[A] chatgpt.com from 10.20.3.14:53"), None),  # rejected
        (record(_LOCAL, client="10.20.3.256"), None),  # rejected
        (record(_LOCAL, client="010.20.3.14"), None),
        (record(_LOCAL, message="query[A] chatgpt.com from 10.20.3.14 "), None),
        (record(_LOCAL, message="query[A] chatgpt.com"), None),  # rejected
        (record(_LOCAL, message="que"), None),  # rejected: a query's start
        (record(_LOCAL, message="Reply x"), None),  # (a capital: a second header could start)
        (record(_LOCAL, message="Aug 14 07:40:24 dnsmasq[1]: query[A] a.fr from 10.0.0.1"), None),
        (record(_LOCAL, message="reply caf\u00e9.fr is 1.2.3.4"), None),
        (record(_LOCAL, "caf\u00e9.fr"), None),
        (record(_LOCAL, "chatgpt.com:443"), None),  # rejected
        (record(_LOCAL, ".chatgpt.com"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 pihole dnsmasq[973]:"), None),  # a host
        (record(_LOCAL, head="Aug 14 07:40:24 pihole-FTL[973]:"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 named[973]:"), None),  # another program's
        (record(_LOCAL, head="<30>Aug 14 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 14 2026 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 14 07:40:24.250 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 4 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug  04 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 14 7:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="AUG 14 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 dnsmasq:"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 dnsmasq[]:"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 dnsmasq[973]: "), None),  # a blank more
        (record(_LOCAL, head="2026-08-14T07:40:24+02:00 host dnsmasq[973]:"), None),
        # dates that do not exist: no header, rejected (a message skipped too)
        (record(_LOCAL, head="Feb 30 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Feb 30 07:40:24 dnsmasq[973]:", message="reply x is y"), None),
        (record(_LOCAL, head="Aug 14 24:00:00 dnsmasq[973]:", message="reply x is y"), None),
        (record(_LOCAL, head="Aug 14 07:60:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 14 07:40:60 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug 32 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Aug  0 07:40:24 dnsmasq[973]:"), None),
        (record(_LOCAL, head="Abc 14 07:40:24 dnsmasq[973]:"), None),
        # 29 February: a day of the leap year 2000, in which a year-less date is kept
        (record(_LOCAL, head="Feb 29 07:40:24 dnsmasq[973]:"), "chatgpt.com"),
        (record(_LOCAL, head="Feb 29 07:40:24 dnsmasq[973]:", message="reply x is y"), "skipped"),
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_a_line(raw: str, host: str | None) -> None:
    assert _walker_says(raw) == host, raw
    _check(raw.encode())
    if host is None:
        return
    event = _parser().parse(raw)  # type: ignore[attr-defined]
    assert (event is None) == (host == "skipped")


def test_the_simulated_and_sample_lines_are_usual() -> None:
    from sentinelle.simulate.writers import WRITERS

    assert WRITERS["dnsmasq"] is not None
    for raw in (
        "Jul 31 21:00:19 dnsmasq[973]: query[AAAA] api.repromed.org from 10.17.8.55",
        "Nov 24 11:57:47 dnsmasq[973]: query[A] en.wikipedia.org from 127.0.0.1",
    ):
        assert _walker_says(raw) not in (None, "skipped"), raw
    for raw in (
        "Nov 24 11:57:47 dnsmasq[973]: forwarded en.wikipedia.org to 127.0.0.1#5335",
        "Nov 24 11:57:47 dnsmasq[973]: reply en.wikipedia.org is <CNAME>",
    ):
        assert _walker_says(raw) == "skipped", raw


def test_29_february_of_another_year_is_rejected() -> None:
    """(the walker counts the key: the scanner gives its block to the parser in such a year)"""
    raw = record(datetime(2028, 2, 29, 7, 40, 24))
    assert _walker_says(raw) == "chatgpt.com"
    with pytest.raises(MalformedLine, match="Feb 29"):
        _parser(2027).parse(raw)  # type: ignore[attr-defined]


_LINES = (
    *(
        record(datetime(2026, 1 + k % 12, 1 + k % 28, k % 24, k % 60, k % 59), f"site{k}.fr")
        for k in range(24)
    ),
    record(_LOCAL, message="forwarded chatgpt.com to 127.0.0.1#5335"),
    record(_LOCAL, extra=_EXTRA),
)
_RAW = tuple(line.encode() for line in _LINES)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("dnsmasq", _RAW))
def test_a_usual_line_is_an_event_with_the_walks_host_at_its_keys_time(raw: bytes) -> None:
    _check(raw)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    month=st.one_of(st.sampled_from(MONTHS), st.text("AbcDJFjanu", min_size=3, max_size=3)),
    day=st.integers(0, 39),
    pad=st.booleans(),
    hms=st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    skipped=st.booleans(),
)
@example(month="Feb", day=29, pad=False, hms=(23, 59, 59), skipped=False)
@example(month="Feb", day=30, pad=False, hms=(0, 0, 0), skipped=True)
def test_the_key_is_counted_when_it_is_a_possible_time(
    month: str, day: int, pad: bool, hms: tuple[int, int, int], skipped: bool
) -> None:
    """``Mmm DD HH:MM:SS`` (the day's tens a space, or a zero with ``pad``) is counted when it
    is a possible time of the leap year 2000, the date of a skipped message too (the parser
    rejects a line whose date does not exist: it has no header); any other is the parser's."""
    written = f"{day:02d}" if pad else f"{day:2d}"
    head = f"{month} {written} {hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d} dnsmasq[973]:"
    raw = record(head=head, message="reply x is y" if skipped else None)
    try:
        datetime(2000, MONTHS.index(month) + 1, day, *hms)
        possible = len(written) == 2
    except ValueError:
        possible = False
    assert (_walker_says(raw) is not None) == possible, raw
    _check(raw.encode())


# -- dnsmasq's lines in the local syslog daemon's files (the layout SYSLOG) ----------------------


def _syslog(raw: str, host: str = "dns") -> str:
    """``raw`` (dnsmasq's own line) as the syslog daemon writes it: ``host`` before the tag."""
    return raw.replace(" dnsmasq[", f" {host} dnsmasq[", 1)


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (record(_LOCAL), OWN),
        (record(_LOCAL, message="reply chatgpt.com is 104.18.32.47"), OWN),
        (record(datetime(2026, 8, 1, 9, 5, 7)), OWN),  # `Aug  1`
        (_syslog(record(_LOCAL)), SYSLOG),
        (_syslog(record(_LOCAL), "10.0.0.53"), SYSLOG),  # (an address: the parser reads it)
        (_syslog(record(_LOCAL, message="started, version 2.90 cachesize 150")), SYSLOG),
        (record(_LOCAL, head="Aug 14 07:40:24 dns CRON[812]:", message="(root) CMD (true)"), None),
        (record(_LOCAL, head="Aug 14 07:40:24 pihole-FTL[973]:"), None),
        (record(_LOCAL, head="<30>Aug 14 07:40:24 dnsmasq[973]:"), None),  # (a relay's header)
        (record(_LOCAL, head="2026-08-14T07:40:24.123456+02:00 dns dnsmasq[973]:"), RFC3339),
        (record(_LOCAL, head="2026-08-14T07:40:24.000000Z dns dnsmasq[973]:"), RFC3339),
        (record(_LOCAL, head="2026-08-14T07:40:24+02:00 dns dnsmasq[973]:"), None),  # (syslog-ng)
        (record(_LOCAL, head="2026-08-14T07:40:24.123+02:00 dns dnsmasq[973]:"), None),
        (record(_LOCAL, head="2026-08-14T07:40:24.123456+02:00 dnsmasq[973]:"), None),
        (record(_LOCAL, head="2026-08-14T07:40:24.123456+02:00 dns CRON[1]:"), None),
        ("query[A] chatgpt.com from 10.20.3.14", None),
    ],
)
def test_the_layout_a_line_sets(text: str, layout: tuple[str, ...] | None) -> None:
    assert LAYOUTS.layout_of(text) == layout, text
    layouts = DNSMASQ.layouts
    assert layouts is not None and layouts.initial == layouts.typical == OWN
    assert layouts.usual_for(OWN) is USUAL and layouts.usual_for(SYSLOG) is SYSLOG_USUAL
    assert layouts.usual_for(RFC3339) is RFC3339_USUAL
    for each in (OWN, SYSLOG, RFC3339):  # (a line of each layout that is no query: skipped)
        assert LAYOUTS.layout_of(layouts.directive(each)) == each
        assert _parser().parse(layouts.directive(each)) is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (_syslog(record(_LOCAL)), "chatgpt.com"),
        (_syslog(record(datetime(2026, 8, 1, 9, 5, 7))), "chatgpt.com"),
        (_syslog(record(_LOCAL), "dns-01.chu.local"), "chatgpt.com"),
        (_syslog(record(_LOCAL), "Z"), "chatgpt.com"),
        (
            _syslog(record(_LOCAL, "Api.OpenAI.com", qtype="AAAA", client="2001:db8::7")),
            "Api.OpenAI.com",
        ),
        (_syslog(record(_LOCAL, extra=_EXTRA)), "chatgpt.com"),
        (_syslog(record(_LOCAL, message="reply chatgpt.com is 104.18.32.47")), "skipped"),
        (_syslog(record(_LOCAL, message="started, version 2.90 cachesize 150")), "skipped"),
        (_syslog(record(_LOCAL, head="Feb 29 07:40:24 dnsmasq[973]:")), "chatgpt.com"),
        # the parser's
        (record(_LOCAL), None),  # (no host: the other layout's)
        (_syslog(record(_LOCAL), "10.0.0.53"), None),  # (a sender of digits first)
        (_syslog(record(_LOCAL), "relay dns"), None),
        (_syslog(record(_LOCAL), "dns:"), None),
        (_syslog(record(_LOCAL), "dns "), None),
        (_syslog(record(_LOCAL), "x" * 255), None),
        (_syslog(record(_LOCAL, client="10.20.3.256")), None),  # rejected
        (_syslog(record(_LOCAL, message="query[A] chatgpt.com")), None),  # rejected
        (_syslog(record(_LOCAL, message="Reply x")), None),
        (_syslog(record(_LOCAL, head="Aug 14 07:40:24 dnsmasq:")), None),
        (_syslog(record(_LOCAL, head="Aug 14 07:40:24 dnsmasq[973]: ")), None),
        (_syslog(record(_LOCAL, head="<30>Aug 14 07:40:24 dnsmasq[973]:")), None),
        (_syslog(record(_LOCAL, head="Aug 14 2026 07:40:24 dnsmasq[973]:")), None),
        (_syslog(record(_LOCAL, head="Feb 30 07:40:24 dnsmasq[973]:")), None),  # rejected
        (_syslog(record(_LOCAL, head="Aug 14 24:00:00 dnsmasq[973]:")), None),  # rejected
        (_syslog(record(_LOCAL, head="2026-08-14T07:40:24+02:00 dnsmasq[973]:")), None),
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_a_line_of_the_syslog_daemon(raw: str, host: str | None) -> None:
    """A line the syslog layout's walk counts is the parser's query (or a message it skips) at
    the key's time in the file's year; any other is the parser's."""
    assert _walker_says(raw, SYSLOG_USUAL) == host, raw
    _check(raw.encode(), profile=SYSLOG_USUAL)
    if host is not None:
        event = _parser().parse(raw)  # type: ignore[attr-defined]
        assert (event is None) == (host == "skipped")


_SYSLOG_RAW = tuple(_syslog(line).encode() for line in _LINES)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("dnsmasq", _SYSLOG_RAW))
def test_a_usual_syslog_line_is_an_event_with_the_walks_host_at_its_keys_time(raw: bytes) -> None:
    _check(raw, profile=SYSLOG_USUAL)


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    sender=st.text("aZ09_.-:[]/ ", min_size=0, max_size=12),
    pid=st.text("0123456789x", min_size=0, max_size=6),
    skipped=st.booleans(),
)
@example(sender="dns", pid="973", skipped=False)
@example(sender="a" * 254, pid="1", skipped=True)
def test_any_host_and_pid(sender: str, pid: str, skipped: bool) -> None:
    """Whatever the host and the pid: a line the walker counts is the parser's (:func:`_check`);
    a host name (a letter first, then letters, digits, ``_.-``, at most 254) and a pid are
    always counted."""
    head = f"Aug 14 07:40:24 {sender} dnsmasq[{pid}]:"
    raw = record(_LOCAL, head=head, message="reply x is y" if skipped else None)
    _check(raw.encode(), profile=SYSLOG_USUAL)
    named = sender[:1].isalpha() and all(c.isalnum() or c in "_.-" for c in sender)
    if named and len(sender) <= 254 and pid.isdigit():
        assert _walker_says(raw, SYSLOG_USUAL) == ("skipped" if skipped else "chatgpt.com"), raw


# -- dnsmasq's lines in the files of rsyslog's default format (the layout RFC3339) -------------


def _rfc3339(
    local: datetime = _LOCAL, message: str | None = None, *, host: str = "dns", **kw: str
) -> str:
    """A line of dnsmasq's as rsyslog's default file format writes it: ``local`` as an RFC 3339
    time with microseconds and its offset (``zone``, ``+02:00`` unless given), ``host``."""
    zone = kw.pop("zone", "+02:00")
    head = f"{local:%Y-%m-%dT%H:%M:%S}.{kw.pop('micro', '123456')}{zone} {host} dnsmasq[973]:"
    return record(local, head=head, message=message, **kw)


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (_rfc3339(), "chatgpt.com"),
        (_rfc3339(datetime(2026, 8, 1, 9, 5, 7)), "chatgpt.com"),
        (_rfc3339(zone="Z"), "chatgpt.com"),
        (_rfc3339(zone="-05:00", micro="000000"), "chatgpt.com"),
        (_rfc3339(zone="+0200"), "chatgpt.com"),  # (no colon: the parser reads it too)
        (_rfc3339(zone="+23:59"), "chatgpt.com"),
        (_rfc3339(host="dns-01.chu.local", client="2001:db8::7", qtype="AAAA"), "chatgpt.com"),
        (_rfc3339(extra=_EXTRA), "chatgpt.com"),
        (_rfc3339(datetime(2028, 2, 29, 7, 40, 24)), "chatgpt.com"),
        (_rfc3339(message="reply chatgpt.com is 104.18.32.47"), "skipped"),
        (_rfc3339(message="started, version 2.90 cachesize 150", zone="Z"), "skipped"),
        # the parser's
        (_syslog(record(_LOCAL)), None),  # (the year-less layout's)
        (_rfc3339(micro="123"), None),  # (three digits: not rsyslog's)
        (_rfc3339(micro="1234567"), None),
        (_rfc3339(zone=""), None),  # (no offset: a local time)
        (_rfc3339(zone="+02"), None),
        (_rfc3339(zone="+24:00"), None),  # rejected (the header's time unreadable)
        (_rfc3339(zone="+02:60", message="reply x is y"), None),  # rejected, though skipped
        (_rfc3339(zone="z"), None),
        (_rfc3339(host="10.0.0.53"), None),
        (_rfc3339(host="relay dns"), None),
        (_rfc3339(client="10.20.3.256"), None),  # rejected
        (_rfc3339(message="query[A] chatgpt.com"), None),  # rejected
        (_rfc3339(message="Reply x"), None),
        (_rfc3339().replace("2026-08-14", "2026-02-30"), None),  # rejected
        (_rfc3339(message="reply x is y").replace("2026-08-14", "2026-02-30"), None),  # rejected
        (_rfc3339().replace("T07:", "T24:"), None),  # rejected
        (_rfc3339().replace("T07:40:24", "T07:40:60"), None),  # rejected
        (_rfc3339().replace("2026-", "0000-"), None),  # rejected
        (_rfc3339().replace("T07", " 07"), None),
        ("<30>" + _rfc3339(), None),
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_a_line_of_rsyslogs_default_format(raw: str, host: str | None) -> None:
    """A line the RFC 3339 layout's walk counts is the parser's query (or a message it skips)
    at the key's time, its offset the line's; any other is the parser's."""
    assert _walker_says(raw, RFC3339_USUAL) == host, raw
    _check(raw.encode(), profile=RFC3339_USUAL)
    if host is not None:
        event = _parser().parse(raw)  # type: ignore[attr-defined]
        assert (event is None) == (host == "skipped")


_RFC3339_RAW = (
    *(
        _rfc3339(datetime(2026, 1 + k % 12, 1 + k % 28, k % 24, k % 60, k % 59), zone=z).encode()
        for k, z in enumerate(("+02:00", "+01:00", "Z", "-04:00") * 6)
    ),
    _rfc3339(message="forwarded chatgpt.com to 127.0.0.1#5335").encode(),
)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("dnsmasq", _RFC3339_RAW))
def test_a_usual_rfc3339_line_is_an_event_with_the_walks_host_at_its_keys_time(
    raw: bytes,
) -> None:
    _check(raw, profile=RFC3339_USUAL)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    when=TIMES,
    zone=OFFSETS,
    skipped=st.booleans(),
)
@example(when=(2026, 8, 14, 7, 40, 24), zone="+02:00", skipped=False)
@example(when=(2026, 2, 30, 7, 40, 24), zone="+02:00", skipped=True)
def test_the_time_and_offset_are_counted_when_possible(
    when: tuple[int, int, int, int, int, int], zone: str, skipped: bool
) -> None:
    """An RFC 3339 time is counted when it is a possible one and its offset is ``Z`` or
    ``+HH:MM`` (hours below 24, minutes below 60), a skipped message's too (the parser rejects
    a line whose header's time it cannot read); any other is the parser's."""
    year, month, day, hour, minute, second = when
    head = (
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.250000{zone} "
        "dns dnsmasq[973]:"
    )
    raw = record(head=head, message="reply x is y" if skipped else None)
    possible, offset = possible_time(when), is_offset(zone)
    if possible and offset:
        assert _walker_says(raw, RFC3339_USUAL) == ("skipped" if skipped else "chatgpt.com"), raw
    _check(raw.encode(), profile=RFC3339_USUAL)
