"""BIND's queries through its ``default_syslog`` channel, as the local syslog daemon writes them
(``Mmm dd HH:MM:SS host named[pid]: client @0x…``, or rsyslog's default file format's RFC 3339
time with microseconds and its offset instead of the date): the layout a line sets, and the
usual lines of those layouts (``SYSLOG_USUAL`` and ``RFC3339_USUAL`` in ``formats/bind.py``)
checked against the parser.  A counted line is the parser's event, at its key's time in the
file's year (the scanner's ``_YearlessScanner`` gives each block its year:
``test_engines_agree.py``), or at its RFC 3339 time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._time import LocalClock
from sentinelle.formats._usual import Profile
from sentinelle.formats.bind import (
    ISO,
    LAYOUTS,
    RFC3339,
    RFC3339_USUAL,
    SYSLOG,
    SYSLOG_USUAL,
    USUAL,
)
from sentinelle.scan import fast
from tests.perf._walks import (
    OFFSETS,
    TIMES,
    is_offset,
    needs_walker,
    possible_time,
    walk_everywhere,
)

pytestmark = needs_walker

BIND = get_format("bind")
PROGRAM = fast.program(SYSLOG_USUAL)
QUERY = (
    "client @0x7f64500020ef 10.20.3.14#51514 (chatgpt.com): query: chatgpt.com IN A +E(0)K "
    "(10.20.0.53)"
)
YEAR, ZONE = 2028, "Europe/Paris"  # (a leap year: 29 February is a date of the file's)


def line(header: str = "Aug  1 10:23:00 ns1 named[812]: ", query: str = QUERY) -> bytes:
    return (header + query).encode()


def _parse(raw: bytes) -> object:
    ctx = ParseContext(path="syslog", tz=ZoneInfo(ZONE), year=YEAR)
    return BIND.new_parser(ctx).parse(raw.decode())


def _counted(raw: bytes, profile: Profile = SYSLOG_USUAL) -> bool:
    """Whether the walker counts ``raw`` by ``profile`` (a layout's usual line); if so, it is
    the parser's DNS query, at the key's time in the file's year and zone (or at the key's
    RFC 3339 time, its offset the walk's)."""
    block, w = walk_everywhere(PROGRAM if profile is SYSLOG_USUAL else fast.program(profile), [raw])
    if w.rows.size:
        return False
    assert w.marked == 1, raw  # (a DNS query)
    event = _parse(raw)
    assert event is not None, raw
    assert event.destination_domain == w.entries.decode()[1:-2]  # type: ignore[attr-defined]
    key = block[w.earliest : w.earliest + profile.key_len]
    if profile.zone is not None:
        assert w.zone is not None and profile.key_time(key + w.zone) == event.timestamp, raw  # type: ignore[attr-defined]
        return True
    local = profile.key_time(key).replace(year=YEAR)
    assert LocalClock(ZoneInfo(ZONE)).to_utc(local) == event.timestamp, raw  # type: ignore[attr-defined]
    return True


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ("Aug  1 10:23:00 ns1 named[812]: " + QUERY, SYSLOG),
        ("Aug 12 10:23:00 10.0.0.1 named[812]: zone example.fr/IN: loaded", SYSLOG),
        ("2026-08-01T10:23:00.123Z queries: info: " + QUERY, ISO),
        ("2026-08-01T10:23:00.123+02:00 " + QUERY, ISO),
        ("2026-08-01T10:23:00.123456+02:00 ns1 named[812]: " + QUERY, RFC3339),
        ("2026-08-01T10:23:00.123456Z 10.0.0.1 named[812]: zone example.fr/IN: loaded", RFC3339),
        ("2026-08-01T10:23:00+02:00 ns1 named[812]: " + QUERY, None),  # (no fraction: syslog-ng)
        ("2026-08-01T10:23:00.123456+02:00 named[812]: " + QUERY, ISO),  # (no host: BIND's own)
        ("01-Aug-2026 10:23:00.123 queries: info: " + QUERY, None),  # (print-time yes)
        ("Aug  1 10:23:00 ns1 CRON[812]: (root) CMD (true)", None),  # another program's
        ("Aug  1 10:23:00 named[812]: " + QUERY, None),  # (no host: a tag alone)
        (QUERY, None),
    ],
)
def test_the_layout_a_line_sets(text: str, layout: tuple[str, ...] | None) -> None:
    assert LAYOUTS.layout_of(text) == layout
    assert BIND.layouts is not None and BIND.layouts.usual_for(ISO) is USUAL
    assert BIND.layouts.usual_for(SYSLOG) is SYSLOG_USUAL
    assert BIND.layouts.usual_for(RFC3339) is RFC3339_USUAL
    for each in (ISO, SYSLOG, RFC3339):  # (a line of each layout that is no query: skipped)
        assert LAYOUTS.layout_of(BIND.layouts.directive(each)) == each
        assert _parse(BIND.layouts.directive(each).encode()) is None


@pytest.mark.parametrize(
    ("raw", "counted"),
    [
        (line(), True),
        (line("Aug 01 10:23:00 ns1 named[812]: "), True),
        (line("Feb 29 23:59:59 dns-01.chu.local named[1]: "), True),  # (2028's)
        (line("Dec 31 00:00:00 N named[4294967295]: "), True),
        (line(query=QUERY.replace("10.20.3.14", "2001:db8::14")), True),
        (line(query=QUERY.replace("(chatgpt.com): ", "(chatgpt.com): view internal: ")), True),
        # the parser's
        (line("Feb 30 10:23:00 ns1 named[812]: "), False),
        (line("Aug  1 24:23:00 ns1 named[812]: "), False),
        (line("Aug  1 10:23:00 10.0.0.1 named[812]: "), False),  # (a sender of digits first)
        (line("Aug  1 10:23:00 ns1 named: "), False),
        (line("Aug  1 10:23:00 ns1 named[812]:  "), False),
        (line("Aug  1 10:23:00 named[812]: "), False),
        (line("Aug  1 10:23:00 relay ns1 named[812]: "), False),
        (line("<30>Aug  1 10:23:00 ns1 named[812]: "), False),
        (line("Aug  1 10:23:00 ns1 named[812]: queries: info: "), False),
        (line("Aug  1 2026 10:23:00 ns1 named[812]: "), False),
        (line(query=QUERY.replace("10.20.3.14", "10.20.3.256")), False),
        (line(query=QUERY.replace("query: chatgpt.com", "query: .")), False),
        (line(query=QUERY + " extra"), False),
    ],
)
def test_a_line(raw: bytes, counted: bool) -> None:
    assert _counted(raw) == counted, raw


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    month=st.sampled_from(["Jan", "Feb", "Apr", "Aug", "Dec", "aug", "Ago"]),
    day=st.integers(0, 33),
    blank=st.sampled_from([" ", "  "]),
    clock=st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    sender=st.text("aZ09_.-:[]", min_size=0, max_size=10),
    pid=st.text("0123456789x", min_size=0, max_size=6),
)
@example(month="Feb", day=29, blank=" ", clock=(23, 59, 59), sender="ns1", pid="1")
@example(month="Jan", day=1, blank=" ", clock=(0, 0, 0), sender="Z", pid="0")  # (14 bytes)
def test_any_header(
    month: str, day: int, blank: str, clock: tuple[int, int, int], sender: str, pid: str
) -> None:
    """Whatever the header: a line the walker counts is the parser's query at the key's time
    (:func:`_counted`); a possible date of the file's year in 15 bytes (as dnsmasq's key), with
    a host name and a pid, is always counted."""
    stamp = "{:02d}:{:02d}:{:02d}".format(*clock)
    raw = line(f"{month}{blank}{day} {stamp} {sender} named[{pid}]: ")
    counted = _counted(raw)
    possible = (
        month in ("Jan", "Feb", "Apr", "Aug", "Dec")
        and len(f"{month}{blank}{day}") == 6  # (the key's 15 bytes: `Aug  1`, `Aug 12`)
        and 1 <= day <= {"Feb": 29, "Apr": 30}.get(month, 31)
        and clock[0] <= 23
        and clock[1] <= 59
        and clock[2] <= 59
        and sender[:1].isalpha()
        and all(c.isalnum() or c in "_.-" for c in sender)
        and pid.isdigit()
    )
    assert counted or not possible, raw


def test_the_years_day_is_the_parsers() -> None:
    """29 February is a date of the walk's leap year (2000): of the file's year when it has
    one (counted above, 2028's); the parser rejects it in another, and the scanner then reads
    the block by the parser (``_YearlessScanner``)."""
    raw = line("Feb 29 10:00:00 ns1 named[1]: ")
    ctx = ParseContext(path="syslog", tz=ZoneInfo(ZONE), year=2027)
    with pytest.raises(Exception, match="Feb 29"):
        BIND.new_parser(ctx).parse(raw.decode())
    assert SYSLOG_USUAL.key_time(raw[:15]) == datetime(2000, 2, 29, 10)


# -- rsyslog's default file format (the layout RFC3339) -------------------------------------------


def rfc3339(when: str = "2026-08-01T10:23:00.123456+02:00", sender: str = "ns1") -> str:
    """The header of rsyslog's default file format (an RFC 3339 time, then the host)."""
    return f"{when} {sender} named[812]: "


@pytest.mark.parametrize(
    ("raw", "counted"),
    [
        (line(rfc3339()), True),
        (line(rfc3339("2028-02-29T23:59:59.999999Z")), True),
        (line(rfc3339("2026-12-31T00:00:00.000000-05:00", "dns-01.chu.local")), True),
        (line(rfc3339(), QUERY.replace("10.20.3.14", "2001:db8::14")), True),
        # the parser's
        (line(rfc3339("2026-08-01T10:23:00.123+02:00")), False),
        (line(rfc3339("2026-08-01T10:23:00+02:00")), False),
        (line(rfc3339("2026-08-01T10:23:00.123456")), False),  # (a local time)
        (line(rfc3339("2026-08-01T10:23:00.123456+24:00")), False),
        (line(rfc3339("2027-02-29T10:23:00.123456+01:00")), False),
        (line(rfc3339("2026-08-01T10:23:60.123456+02:00")), False),
        (line(rfc3339(sender="10.0.0.1")), False),
        (line("2026-08-01T10:23:00.123456+02:00 named[812]: "), False),
        (line(rfc3339() + "queries: info: "), False),
        (line(rfc3339(), QUERY.replace("10.20.3.14", "10.20.3.256")), False),
    ],
)
def test_a_line_of_rsyslogs_default_format(raw: bytes, counted: bool) -> None:
    assert _counted(raw, RFC3339_USUAL) == counted, raw


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    when=TIMES,
    fraction=st.text("0123456789", min_size=0, max_size=8),
    zone=OFFSETS,
)
@example(when=(2028, 2, 29, 23, 59, 59), fraction="999999", zone="Z")
def test_any_rfc3339_time(when: tuple[int, ...], fraction: str, zone: str) -> None:
    """Whatever the time: a line the walker counts is the parser's query at the key's time
    (:func:`_counted`); a possible time with six digits of fraction and an offset (``Z``, or
    ``+HH:MM`` with hours below 24 and minutes below 60) is always counted."""
    year, month, day, hour, minute, second = when
    stamp = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
    raw = line(rfc3339(f"{stamp}.{fraction}{zone}"))
    counted = _counted(raw, RFC3339_USUAL)
    possible, offset = possible_time(when), is_offset(zone)
    assert counted or not (possible and offset and len(fraction) == 6), raw
