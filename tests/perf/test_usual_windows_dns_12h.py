"""Windows DNS's usual line in a 12-hour locale: en-US's ``M/D/YYYY h:MM:SS AM`` (the month,
the day and the hour of one or two digits), a local time without an offset read in ``--tz``.

The parser reads 12-hour slash dates month first until a 12-hour query whose first number is
above 12 teaches it day first (and back), whatever the 24-hour dates taught.  A 12-hour query
sets the 12-hour layout of that order (``WindowsDnsParser.layout_of``: ``("mdy12",)`` or
``("dmy12",)``), whose usual line's key is a window of 22 bytes (the longest such time) read
no further than the time (``NAIVE_MDY12``, ``NAIVE_DMY12`` in ``scan/_lines.c``).  A line the
native walker counts is the parser's event, with the walk's host name at its key's time read in
the parser's zone.  (Both engines store the same rows on files of 12-hour lines, across DST
changes and date orders taught mid-file: ``test_engines_agree``.)
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._usual import day_first_12h_key, month_first_12h_key
from sentinelle.formats.windows_dns import windows_dns_usual
from tests.perf._walks import check_layout_line, needs_walker
from tests.perf._windows_dns import record
from tests.perf.test_usual_profiles import field_mutated, mutated
from tests.perf.test_usual_windows_dns import walker_says

WINDOWS_DNS = get_format("windows-dns")
LAYOUTS = WINDOWS_DNS.layouts
MDY12, DMY12 = ("mdy12",), ("dmy12",)
_LOCAL = datetime(2026, 8, 4, 19, 40, 24)


def us(local: datetime = _LOCAL, host: str = "chatgpt.com", **change: str) -> str:
    """A query as a server in the en-US locale writes it: ``M/D/YYYY h:MM:SS PM``."""
    return record(local, host, mdy=True, twelve=True, **change)


def _parser(layout: tuple[str, ...] = MDY12, **options: str) -> Any:
    """A parser that has read a 12-hour query teaching ``layout``'s order (none for month
    first, its default)."""
    parser = WINDOWS_DNS.new_parser(ParseContext(path="dns.log", options=options))
    if layout == DMY12:
        assert parser.parse(record(datetime(2026, 1, 13, 15), twelve=True)) is not None
    return parser


def _walker_says(raw: str, layout: tuple[str, ...] = MDY12) -> str | None:
    return walker_says(raw, layout)


def _check(raw: str, layout: tuple[str, ...] = MDY12) -> None:
    usual = windows_dns_usual(layout)
    assert usual is not None and LAYOUTS is not None
    check_layout_line(usual, LAYOUTS, _parser(layout), raw.encode())


def test_the_usual_lines_of_12_hour_dates() -> None:
    mdy, dmy = windows_dns_usual(MDY12), windows_dns_usual(DMY12)
    assert mdy is not None and dmy is not None
    assert (mdy.naive_key, dmy.naive_key) == ("mdy12", "dmy12")
    assert mdy.key_len == dmy.key_len == len("12/31/2026 12:59:59 PM")
    assert (mdy.key_time, dmy.key_time) == (month_first_12h_key, day_first_12h_key)
    assert mdy.native_only and mdy.in_order and mdy.labels == frozenset({"qname"})
    assert windows_dns_usual(("ymd12",)) is None
    # the key's window: the time at its start, the rest unread
    assert month_first_12h_key(b"8/4/2026 7:40:24 PM 0A") == datetime(2026, 8, 4, 19, 40, 24)
    assert month_first_12h_key(b"12/31/2026 12:05:00 AM") == datetime(2026, 12, 31, 0, 5)
    assert day_first_12h_key(b"4/8/2026 12:40:24 PM 0A") == datetime(2026, 8, 4, 12, 40, 24)


@pytest.mark.parametrize(
    ("before", "raw", "layout"),
    [
        (MDY12, us(), MDY12),  # nothing to learn: the order read (month first by default)
        (DMY12, us(datetime(2026, 8, 4)), DMY12),  # ... or the order the file taught
        (MDY12, us(datetime(2026, 8, 14)), MDY12),  # the second number above 12
        (DMY12, us(datetime(2026, 8, 14)), MDY12),  # (teaches it back)
        (MDY12, record(datetime(2026, 8, 14), twelve=True), DMY12),  # the first above 12
        (MDY12, us(date="2026/8/14"), None),  # the year first
        (MDY12, us(date="8.4.2026"), None),  # another shape's
        (MDY12, us(direction="Snd"), None),  # no time read
        (MDY12, us(resp="R"), None),
        (MDY12, us(ip="10.1.2"), None),  # rejected before its time
        (MDY12, record(datetime(2026, 8, 14)), ("dmy",)),  # a 24-hour query's
        (DMY12, record(datetime(2026, 8, 4)), None),  # (nothing to learn)
        (MDY12, "Message logging key (for packets - other items use a subset of these", None),
    ],
)
def test_the_layout_a_line_sets(
    before: tuple[str, ...], raw: str, layout: tuple[str, ...] | None
) -> None:
    """What the parser reads the 12-hour dates that do not show their order in, after the
    line; the same asked before the parser reads it and after."""
    parser = _parser(before)
    asked = parser.layout_of(LAYOUTS, raw)
    with contextlib.suppress(MalformedLine):
        parser.parse(raw)
    assert asked == parser.layout_of(LAYOUTS, raw) == layout, raw
    if layout is not None and layout[0].endswith("12"):
        assert parser.order.learnt.get(("/", True), "mdy") == layout[0][:3]


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (us(), "chatgpt.com"),
        (us(datetime(2026, 8, 4, 0, 5)), "chatgpt.com"),  # 12:05:00 AM
        (us(datetime(2026, 8, 4, 12, 5)), "chatgpt.com"),  # 12:05:00 PM
        (us(datetime(2026, 12, 31, 23, 59, 59)), "chatgpt.com"),  # the longest: 22 bytes
        (us(datetime(2028, 2, 29, 1)), "chatgpt.com"),  # a leap day
        (us(date="08/04/2026", time="07:40:24 PM"), "chatgpt.com"),  # leading zeros
        (us(proto="TCP", ip="2001:db8::14", qtype="AAAA"), "chatgpt.com"),
        (us(direction="Snd", ip="8.8.8.8"), "skipped"),
        (us(resp="R", letters="DR"), "skipped"),
        # the parser's
        (us(time="0:05:00 AM"), None),  # rejected: hour 0 on a 12-hour clock
        (us(time="13:05:00 PM"), None),  # rejected
        (us(time="7:40:24 pm"), None),
        (us(time="7:40:24PM"), None),
        (us(time="7:40:24  PM"), None),
        (us(time="7:40:24 P.M."), None),
        (us(time="7:40:60 PM"), None),  # (a leap second)
        (us(time="7:4:24 PM"), None),
        (us(time="007:40:24 PM"), None),
        (us(date="2/29/2026"), None),  # rejected
        (us(date="13/4/2026"), None),  # day first: the other layout's
        (us(date="8/4/26"), None),  # a two-digit year
        (us(date="008/4/2026"), None),
        (us(date="8/4/2026", time="19:40:24"), None),  # a 24-hour time
        (us(qname=".chatgpt.com."), None),
    ],
)
def test_a_line(raw: str, host: str | None) -> None:
    assert _walker_says(raw) == host, raw
    _check(raw)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    a=st.integers(0, 39),
    b=st.integers(0, 39),
    year=st.integers(990, 10_000),
    hour=st.integers(0, 19),
    minute=st.integers(0, 69),
    pm=st.booleans(),
    pad=st.booleans(),
    layout=st.sampled_from([MDY12, DMY12]),
)
@example(a=2, b=29, year=2028, hour=12, minute=0, pm=False, pad=False, layout=MDY12)
@example(a=29, b=2, year=2100, hour=12, minute=0, pm=True, pad=True, layout=DMY12)
def test_the_key_is_counted_when_it_is_a_possible_time(
    a: int, b: int, year: int, hour: int, minute: int, pm: bool, pad: bool, layout: tuple[str, ...]
) -> None:
    """Any ``A/B/YYYY h:MM:SS AM`` of one or two digits (two with ``pad``): counted when it is a
    possible time in the layout's order (years 1000 to 9998, the hour 1 to 12), at the time the
    parser reads; any other is the parser's."""
    form = "{:02d}" if pad else "{}"
    date = f"{form.format(a)}/{form.format(b)}/{year:04d}"
    time = f"{form.format(hour)}:{minute:02d}:{minute:02d} {'PM' if pm else 'AM'}"
    month, day = (a, b) if layout == MDY12 else (b, a)
    try:
        datetime(year, month, day, hour % 12, minute, minute)
    except ValueError:
        possible = False
    else:
        possible = 1000 <= year <= 9998 and 1 <= hour <= 12
    raw = us(date=date, time=time)
    assert (_walker_says(raw, layout) == "chatgpt.com") == possible, raw
    _check(raw, layout)


_LINES = tuple(
    us(datetime(2026, 8, 1 + k % 28, k % 24, k % 60, k % 59), f"site{k}.example.fr").encode()
    for k in range(30)
)


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), layout=st.sampled_from([MDY12, DMY12]))
def test_a_usual_line_is_an_event_with_the_walks_host_at_its_keys_time(
    data: st.DataObject, layout: tuple[str, ...]
) -> None:
    raw = data.draw(st.one_of(mutated("windows-dns", _LINES), field_mutated("windows-dns", _LINES)))
    _check(raw.decode("utf-8", "surrogateescape"), layout)
