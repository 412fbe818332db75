"""No input, however malformed, makes a parser raise anything but MalformedLine."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import LogFormat, ParseContext, all_formats
from sentinelle.schema import Event

GOLDEN = Path(__file__).parent / "golden"
FORMATS = list(all_formats().values())


def _valid_lines(fmt: LogFormat) -> list[str]:
    lines = [fmt.example]
    for path in sorted((GOLDEN / fmt.name).glob("*.log")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()][:30]
    return lines


def _feed(fmt: LogFormat, lines: list[str]) -> None:
    parser = fmt.new_parser(ParseContext(options={}))
    for line in lines:
        try:
            result = parser.parse(line)
        except MalformedLine as e:
            assert e.reason
            continue
        assert result is None or isinstance(result, Event)
        if isinstance(result, Event):
            assert result.timestamp.tzinfo is not None
            d = result.destination_domain
            assert d is None or (d == d.lower() and not d.endswith(".") and ":" not in d)
            assert result.event_action in ("allowed", "blocked")


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_text_never_raises(fmt: LogFormat, data: st.DataObject) -> None:
    junk = data.draw(st.lists(st.text(max_size=300), max_size=5))
    raw = data.draw(st.binary(max_size=300)).decode("utf-8", "replace")
    _feed(fmt, [*junk, raw])


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_valid_lines_never_raise(fmt: LogFormat, data: st.DataObject) -> None:
    lines = _valid_lines(fmt)
    line = data.draw(st.sampled_from(lines))
    ops = data.draw(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.text(max_size=8)),
            min_size=1,
            max_size=4,
        )
    )
    for op, pos, text in ops:
        i = pos % (len(line) + 1)
        if op == 0:  # insert
            line = line[:i] + text + line[i:]
        elif op == 1:  # delete a span
            line = line[:i] + line[i + len(text) + 1 :]
        elif op == 2:  # truncate (UDP syslog cuts long messages)
            line = line[:i]
        else:  # replace a character
            line = line[:i] + text[:1] + line[i + 1 :]
    _feed(fmt, [*lines[:3], line])


# A time that UTC has no day for: the first hours of year 1 read at a positive offset, the last
# of year 9999 at a negative one.  ``astimezone`` raises OverflowError for them, which a scan
# showed as "parser error (OverflowError: date value out of range)"; each edit below gave that
# error before ``_time.in_utc``.  (format, what to replace in its example, by what, --tz)
PAST_THE_CALENDAR = [
    ("squid-combined", "09/Mar/2024:10:00:00 +0100", "01/Jan/0001:00:00:01 +0100", "UTC"),
    ("opnsense-squid", "2024-03-09T09:00:00+0000", "0001-01-01T09:00:00+1400", "UTC"),
    (  # the header's time, when the record has no ``time`` field
        "checkpoint",
        '2026-03-02T08:14:05Z gw-chu CheckPoint 15871 - [action:"Accept"; ifdir:"outbound"; '
        'origin:"10.1.1.1"; time:"1772439245"; ',
        '0001-01-01T09:17:30+1400 gw-chu CheckPoint 15871 - [action:"Accept"; ifdir:"outbound"; '
        'origin:"10.1.1.1"; ',
        "UTC",
    ),
    ("fortigate", "date=2026-03-02 time=09:14:05", "date=0001-01-01 time=00:14:05", "UTC"),
    ("paloalto", "2026/03/02 09:14:05", "0001/01/01 00:00:01", "Europe/Paris"),
    ("sophos", "2026:03:02-09:14:05", "0001:01:01-00:00:01", "Europe/Paris"),
    ("stormshield", 'time="2026-03-02 09:14:05"', 'time="0001-01-01 00:00:01"', "UTC"),
    ("cef", "rt=1772439245123", "rt=Jan 01 0001 00:00:01", "Europe/Paris"),
    (  # a local time (--tz)
        "leef",
        "devTime=Mar 02 2026 09:14:05 CET\tdevTimeFormat=MMM dd yyyy HH:mm:ss z",
        "devTime=Dec 31 9999 23:59:59\tdevTimeFormat=MMM dd yyyy HH:mm:ss",
        "America/New_York",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "tz"), PAST_THE_CALENDAR)
def test_time_past_the_calendar_is_a_malformed_line(name: str, old: str, new: str, tz: str) -> None:
    fmt = all_formats()[name]
    assert old in fmt.example
    parser = fmt.new_parser(ParseContext(tz=ZoneInfo(tz)))
    with pytest.raises(MalformedLine, match="out of range"):
        parser.parse(fmt.example.replace(old, new))
