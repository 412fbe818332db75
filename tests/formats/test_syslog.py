"""Syslog headers stripped by pattern: none, one or two, every header family."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.formats import _syslog
from sentinelle.formats._syslog import header_time_utc, strip_syslog
from sentinelle.formats._time import LocalClock
from sentinelle.formats.base import ParseContext

MSG = "1710000000.123    412 10.20.3.14 TCP_TUNNEL/200 5321 CONNECT chatgpt.com:443 - HIER_NONE/- -"


@pytest.mark.parametrize(
    ("prefix", "host", "app", "pid"),
    [
        ("", None, None, None),
        ("<13>", None, None, None),
        ("Mar  9 10:00:00 pfsense (squid-1)[6802]: ", "pfsense", "(squid-1)", "6802"),
        ("<166>Mar 19 10:00:00 proxy squid[12]: ", "proxy", "squid", "12"),
        ("Mar  9 10:00:00 squid: ", None, "squid", None),
        ("Mar  9 10:00:00 10.0.0.5 ", "10.0.0.5", None, None),
        ("Mar  9 2024 10:00:00 proxy.chu.fr ", "proxy.chu.fr", None, None),
        ("<165>1 2024-03-09T10:00:00.003+01:00 proxy squid 42 - - ", "proxy", "squid", "42"),
        ('<165>1 2024-03-09T10:00:00Z proxy squid - ID1 [x@1 a="]"] ', "proxy", "squid", None),
        ("2024-03-09T10:00:00+01:00 relay squid[3]: ", "relay", "squid", "3"),
        ("<30>Oct  4 10:18:07 relay 10.1.2.3 named[9]: ", "10.1.2.3", "named", "9"),
        ("2024-03-09T10:00:00Z relay <13>Mar  9 10:00:00 proxy squid[1]: ", "proxy", "squid", "1"),
    ],
)
def test_headers_are_stripped(prefix: str, host: str | None, app: str | None, pid: str | None):
    header, rest = strip_syslog(prefix + MSG)
    assert rest == MSG
    if not prefix:
        assert header is None
        return
    assert header is not None
    assert (header.host, header.app, header.pid) == (host, app, pid)


@pytest.mark.parametrize(
    "payload",
    [
        "2024-03-09 10:00:00 15 10.0.0.1 - - OBSERVED",  # ELFF date time, not a header
        '{"time":"2024-03-09T10:00:00Z"}',
        '"2017-10-02 23:52:53","host"',
        'id=firewall time="2024-03-09 10:00:00"',
    ],
)
def test_records_that_are_not_headers(payload: str) -> None:
    assert strip_syslog(payload) == (None, payload)


def test_cef_payload_is_not_a_tag() -> None:
    header, rest = strip_syslog("<13>Jan 18 11:07:53 fw CEF:0|Vendor|Product|1|2|n|3|a=b")
    assert header is not None and header.host == "fw"
    assert rest.startswith("CEF:0|")


def test_structured_data_is_kept() -> None:
    header, rest = strip_syslog('<134>1 2023-01-13T10:10:16Z gw CheckPoint 2 - [a:"1"; b:"x\\]"] m')
    assert header is not None and header.sd == '[a:"1"; b:"x\\]"]' and rest == "m"


def test_malformed_5424_offset_gives_no_time() -> None:
    header, _ = strip_syslog("<134>1 2023-01-13T10:10:16--5:00 gw CheckPoint 2 - - m")
    assert header is not None and header.timestamp is None


def test_header_time_year_zone_and_rollover() -> None:
    ctx = ParseContext(year=2023)
    clock = LocalClock(ctx.tz)
    times = []
    for line in ("Dec 31 23:59:59 h a: x", "Jan  1 00:00:01 h a: x"):
        header, _ = strip_syslog(line)
        assert header is not None and not header.has_year
        times.append(header_time_utc(header, ctx, clock))
    assert times == [
        datetime(2023, 12, 31, 22, 59, 59, tzinfo=UTC),
        datetime(2023, 12, 31, 23, 0, 1, tzinfo=UTC),
    ]


def test_header_time_aware_and_naive_iso() -> None:
    ctx = ParseContext()
    clock = LocalClock(ctx.tz)
    header, _ = strip_syslog("<13>1 2024-03-09T10:00:00+01:00 h a - - - m")
    assert header is not None
    assert header_time_utc(header, ctx, clock) == datetime(2024, 3, 9, 9, tzinfo=UTC)
    header, _ = strip_syslog("2024-03-09T10:00:00 relay app: m")
    assert header is not None
    assert header_time_utc(header, ctx, clock) == datetime(2024, 3, 9, 9, tzinfo=UTC)


def test_header_time_without_year_is_never_far_in_the_future() -> None:
    header, _ = strip_syslog("Dec 31 23:59:59 h a: x")
    assert header is not None
    got = header_time_utc(header, ParseContext(), LocalClock(ParseContext().tz))
    assert got is not None and got <= datetime.now(UTC) + __import__("datetime").timedelta(days=2)


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    header, rest = strip_syslog(text)
    assert isinstance(rest, str)
    if header is None:
        assert rest == text


_SD_PIECES = ["[", "]", '"', "\\", "a", " ", "=", "x", "-", '\\"', "\\]", "id@1"]
_R5424_PLAIN = re.compile(  # the header as first written, without possessive runs
    r"1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<pid>\S+) (?P<msgid>\S+)"
    r'(?: (?P<sd>-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+))?(?: |$)'
)


@settings(max_examples=2000, deadline=None)
@given(
    sd=st.lists(st.sampled_from(_SD_PIECES), max_size=16).map("".join),
    tail=st.sampled_from(["", " msg", " [x] y", "  z"]),
)
def test_structured_data_is_read_as_before(sd: str, tail: str) -> None:
    """The possessive structured-data pattern matches exactly what the plain one did."""
    text = f"1 2026-01-01T00:00:00Z h app - - {sd}{tail}"
    old, new = _R5424_PLAIN.match(text), _syslog._R5424.match(text)
    assert (old and (old.groupdict(), old.end())) == (new and (new.groupdict(), new.end()))


_STARTS = st.sampled_from(
    ["", "<189>", "<13> ", "<1>  ", "<999>", "<>", "<x>", "\ufeff", "\ufeff<34>", "<34>\ufeff"]
)
_HEADS = st.sampled_from(
    [
        "",
        "1 2026-08-01T00:00:01Z fw app - - - ",
        "Aug  1 00:00:01 fw app: ",
        "Aug 31 2026 00:00:01 fw app[12]: ",
        "2026-08-01T00:00:01Z fw app: ",
        "2026-08-01T00:00:01Z ",
        "<34>Aug  1 00:00:01 relay fw: ",
        "aug  1 00:00:01 fw app: ",
        "Jx ",
        "\u0661 ",  # an Arabic-Indic digit: a decimal for \\d
    ]
)
_BODIES = st.one_of(
    st.sampled_from(["date=2026-08-01 time=00:00:01 srcip=1.2.3.4", "id=firewall", "CEF:0|x", ""]),
    st.text(max_size=12),
)


@settings(max_examples=1500, deadline=None)
@given(start=_STARTS, head=_HEADS, body=_BODIES)
def test_the_message_is_the_stripped_lines_whatever_starts_it(
    start: str, head: str, body: str
) -> None:
    """``syslog_message`` answers some lines at once: always what stripping them gives."""
    line = start + head + body
    assert _syslog.syslog_message(line) == _syslog._strip(line, timed=False)[1]
