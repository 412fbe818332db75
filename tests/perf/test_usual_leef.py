"""LEEF's usual line: a secure web gateway's tab-separated record, its ``devTime`` in UTC.

The key (``YYYY-MM-DDTHH:MM:SS.fff``, then ``Z``) moves with the four header fields before it:
the walker finds it where the chain's key element starts, counts the line only when the key is
a possible time with a ``T`` in its place, and the earliest and latest keys it gives are the
parser's first and last times (read by the record's ``devTimeFormat``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format, leef

from ._walks import UsualLines, mostly, needs_walker

pytestmark = needs_walker

LEEF = get_format("leef")
_LINES = UsualLines("leef")
RECORD = (
    "LEEF:1.0|{vendor}|SecureWebGateway|{version}|{event}|devTime={time}Z\t"
    "devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX\tsrc=10.16.12.14\tusrName={user}\t"
    "dst=104.18.32.47\tdstPort=443\tsrcBytes=2310\tdstBytes=18211\taction={action}\t"
    "url={url}\tmethod=POST\trespcode=200"
)


def record(
    time: str = "2026-08-25T22:00:22.414",
    vendor: str = "Example",
    version: str = "4.2",
    event: str = "Allowed",
    user: str = "wdumont",
    action: str = "allowed",
    url: str = "https://chat.example.fr/backend-api/conversation",
) -> bytes:
    return RECORD.format(
        time=time, vendor=vendor, version=version, event=event, user=user, action=action, url=url
    ).encode()


def _event(raw: bytes) -> object:
    return LEEF.new_parser(ParseContext(path="t.log")).parse(raw.decode())


@pytest.mark.parametrize(
    ("raw", "usual"),
    [
        (record(), True),
        (record(event="Blocked", action="blocked"), True),
        (record().replace(b"\tusrName=wdumont", b""), True),
        (record(url="https://chat.example.fr:8443/"), True),
        (record(url="http://chat.example.fr"), True),
        (record(url="HTTPS://Chat.Example.FR/a?b=c&d=%20"), True),
        (record(time="2028-02-29T23:59:59.999"), True),  # a leap day
        (record(vendor="Ex ample", version="1.0 (build 7)"), True),
        # the key: impossible times, or another shape, are the parser's to judge
        (record(time="2026-02-29T10:00:00.000"), False),
        (record(time="2026-13-01T10:00:00.000"), False),
        (record(time="2026-08-25T24:00:00.000"), False),
        (record(time="2026-08-25T22:60:00.000"), False),
        (record(time="0999-08-25T22:00:00.000"), False),
        (record(time="2026-08-25:::::22:00:22"), False),  # a time where the walker could see one
        (record(time="2026-08-2512345:00:22.41"), False),
        (record().replace(b"22.414Z", b"22.414+02:00"), False),
        (record().replace(b".414Z", b"Z").replace(b".SSSX", b"X"), False),  # no fraction
        (record().replace(b"SSSX", b"SSSXXX"), False),  # another devTimeFormat
        # the header and the attributes
        (record(vendor="Ex\\|ample"), False),  # an escape in the header
        (record().replace(b"LEEF:1.0|", b"LEEF:2.0|"), False),
        (b"<13>Aug 25 22:00:22 swg " + record(), True),  # a syslog header (and others:
        # test_usual_syslog_headers.py)
        (record().replace(b"\t", b" "), False),  # tabs lost to a relay
        (record().replace(b"\t", b"\\t"), False),
        (record(user="w dumont"), False),  # a blank in a value
        (record().replace(b"\tmethod=POST", b"\tdhost=other.example.fr\tmethod=POST"), False),
        (record() + b"\turl=https://other.example.fr/", False),  # a second URL
        # the URL's host
        (record(url="https://none/"), False),
        (record(url="https://104.18.32.47/"), False),
        (record(url="https://example-/"), False),
        (record(url="https://chat.example.fr?q=1"), False),
        (record(url="chat.example.fr/a"), False),  # no scheme
        (record(url="https://user@chat.example.fr/"), False),
    ],
)
def test_a_gateway_record(raw: bytes, usual: bool) -> None:
    block, w = _LINES.walk([raw])
    assert (w.rows.size == 0) == usual, raw
    if usual:
        event = _event(raw)
        assert event is not None
        assert event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        key = block[w.earliest : w.earliest + leef.USUAL.key_len]
        assert leef.USUAL.key_time(key) == event.timestamp  # type: ignore[attr-defined]


_START = datetime(2026, 1, 1, tzinfo=UTC)
_TIMES = st.integers(0, 3 * 365 * 86400 * 1000).map(
    lambda ms: (_START + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
)
#: times that read, and others of the key's length that may look like one
_KEYS = st.one_of(
    _TIMES,
    st.text("0123456789T:.-", min_size=23, max_size=23),
    _TIMES.map(lambda t: t[:10] + "-" + t[11:]),
    _TIMES.map(lambda t: t.replace("-0", "-3", 1)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records=st.lists(
        st.tuples(
            _KEYS,
            st.text("abcXYZ-_. ", min_size=1, max_size=30),
            mostly(["Allowed", "Blocked"], ["", "a|b", "x\\y", "Allowed\t"]),
        ),
        min_size=1,
        max_size=8,
    )
)
@example(records=[("2026-08-25:::::22:00:22", "a", "Allowed")])
def test_the_leef_key_is_found_wherever_the_header_puts_it(
    records: list[tuple[str, str, str]],
) -> None:
    """The header fields before ``devTime`` vary in length (and may hold what makes a line
    unusual): each line the walker counts is the parser's event with its host, and the earliest
    and latest keys it gives are the parser's first and last times."""
    lines = [record(time, vendor=vendor, event=event) for time, vendor, event in records]
    block, w = _LINES.walk(lines)
    parsed = set(w.rows[:, 0].tolist())
    times = []
    for k, raw in enumerate(lines):
        if k in parsed:
            continue
        try:
            event = _event(raw)
        except MalformedLine as e:
            raise AssertionError(f"counted, yet rejected: {e.reason}: {raw!r}") from None
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        times.append(event.timestamp)  # type: ignore[attr-defined]
    if not times:
        assert w.earliest == w.latest == -1
        return
    n = leef.USUAL.key_len
    assert leef.USUAL.key_time(block[w.earliest : w.earliest + n]) == min(times)
    assert leef.USUAL.key_time(block[w.latest : w.latest + n]) == max(times)


def test_a_utc_key_is_nineteen_or_twenty_three_bytes() -> None:
    """A UTC key is W3C's ``YYYY-MM-DD HH:MM:SS`` or LEEF's ``YYYY-MM-DDTHH:MM:SS.fff``."""
    from dataclasses import replace

    with pytest.raises(ValueError, match="UTC key"):
        replace(leef.USUAL, key_len=24)
