"""The syslog headers before a device's record (``syslog_prefix`` and ``relay_headers`` in
``formats/_usual.py``): as the device sends it (``<PRI>``, maybe its RFC 3164 header), as a
syslog server writes it in its files (rsyslog's and syslog-ng's traditional format, RFC 3164
without the ``<PRI>``; rsyslog's default, an RFC 3339 time), or bare.  The native walker counts
a record behind a header exactly when ``_syslog`` strips that header, and the parser's event is
then the bare record's, at the walker's key's time.  Every other header sends the line to the
parser."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._syslog import strip_syslog
from tests.perf._walks import UsualLines, needs_walker
from tests.perf.test_usual_profiles import _key_utc, _lines

pytestmark = needs_walker

#: the formats whose usual line starts with ``syslog_prefix``
PREFIXED = ("fortigate", "sophos", "stormshield", "cef", "leef", "zscaler", "cisco-wsa")
#: those whose device writes a tag in its header (``syslog_prefix(tag=...)``), and its first
#: letters the walker leaves to the parser (Stormshield's record starts with ``i``)
TAGGED = {"stormshield": "i", "cef": "", "leef": "", "zscaler": "", "cisco-wsa": ""}
#: those whose tag may start with a capital too (the WSA's log subscription, named by the
#: administrator), and the capitals the walker leaves to the parser (no tag is CEF or LEEF)
CAPITAL_TAGS = {"cisco-wsa": "CL"}
#: a device's header in front of the simulated record (CEF's RFC 5424 one)
_DEVICE_HEADER = re.compile(rb"^(?:<\d+>)?(?:1 \S+ \S+ \S+ - - - )?")
_ALL = frozenset(PREFIXED)
_TAGS = frozenset(TAGGED)


@cache
def _usual(name: str) -> UsualLines:
    return UsualLines(name)


@cache
def record(name: str) -> bytes:
    """A simulated record of ``name`` that the walker counts with a host name, bare."""
    for raw in _lines(name):
        bare = _DEVICE_HEADER.sub(b"", raw, count=1)
        _, w = _usual(name).walk([bare])
        if w.rows.size == 0 and w.entries and not (w.no_host or w.skipped):
            return bare
    raise AssertionError(f"no usual record of {name} with a host")


def _event(name: str, raw: bytes) -> object:
    return get_format(name).new_parser(ParseContext(path="t.log")).parse(raw.decode())


def _check_counted(name: str, raw: bytes) -> bool:
    """Whether the walker counts ``raw``; if so, it is the bare record's event, at the time of
    the key where the walker found it (a local one read in the parser's zone)."""
    _, w = _usual(name).walk([raw])
    if w.rows.size:
        return False
    event = _event(name, raw)
    assert event is not None and event == _event(name, record(name)), raw
    assert _key_utc(name, raw) == event.timestamp, raw  # type: ignore[attr-defined]
    return True


#: headers, and the formats whose record the walker counts behind them (the others': none)
_HEADERS = [
    ("", _ALL),  # bare: a file the device writes, a collector's
    ("<134>", _ALL),  # as the device sends it over syslog
    ("<14>", _ALL - {"fortigate"}),  # (FortiGate's <PRI> has three digits)
    ("Aug  2 00:00:10 10.0.0.1 ", _ALL),  # a syslog server's traditional file format
    ("Aug 12 23:59:59 fw-01.chu.local ", _ALL),
    ("Feb 29 07:00:00 FW_01 ", _ALL),  # (a year-less date: built in a leap year)
    ("<134>Aug  2 07:00:00 fw01 ", _ALL),  # the device's own header
    ("2026-08-02T07:00:10.123456+02:00 fw01 ", _ALL),  # rsyslog's default file format
    ("2026-08-02T07:00:10Z 10.0.0.1 ", _ALL),
    ("2026-08-02T07:00:10.1-05:00 fw01 ", _ALL),
    ("<134>2026-08-02T07:00:10+02:00 fw01 ", _ALL),
    ("2026-13-45T99:99:99Z fw01 ", _ALL),  # (_syslog strips it: a time it cannot read is none)
    ("Aug  2 07:00:00 fw01 asqd: ", _TAGS),  # a tag: the device's header, kept by the server
    ("Aug  2 07:00:00 fw01 asqd[1234]: ", _TAGS),
    ("<13>Aug  2 07:00:00 10.0.0.1 a/b.c-d_e: ", _TAGS),
    ("2026-08-02T07:00:10+02:00 fw01 asqd[7]: ", _TAGS),
    ("Aug  2 07:00:00 fw01 ids: ", _TAGS - {"stormshield"}),  # (Stormshield's: the parser's)
    ("<134>1 2026-08-02T07:00:10Z fw01 app - - - ", {"cef"}),  # CEF's RFC 5424 header
    # the parser's
    ("<1234>", set()),
    ("< 13>", set()),
    ("Feb 30 07:00:00 fw01 ", set()),
    ("Aug  2 24:00:10 fw01 ", set()),
    ("Aug  2 7:00:10 fw01 ", set()),
    ("Aug  2 07:00:10 2026 ", set()),  # (a number: no host to _syslog)
    ("Aug  2 07:00:10 10.0.0.256 ", set()),
    ("Aug  2 07:00:10 2001:db8::1 ", set()),
    ("Aug  2 07:00:10 ", set()),  # no host
    ("Aug  2 07:00:10 fw01 App: ", {"cisco-wsa"}),  # (a tag with a capital first)
    ("<134>Aug  2 07:00:10 wsa01 Proxy_Access: Info: ", {"cisco-wsa"}),
    ("Aug  2 07:00:10 wsa01 Info: ", {"cisco-wsa"}),  # (the level read as the tag)
    ("Aug  2 07:00:10 fw01 CEF: ", set()),
    ("Aug  2 07:00:10 fw01 LEEF: ", set()),
    ("Aug  2 07:00:10 wsa01 CiscoWSA_Access: ", set()),  # (C or L first: the parser's)
    ("Aug  2 07:00:10 fw01 app[]: ", set()),
    ("Aug  2 07:00:10 fw01 app[x]: ", set()),
    ("Aug  2 07:00:10 fw01 app:", set()),  # (no blank after the tag: no tag to _syslog)
    ("Aug  2 07:00:10 relay Aug  2 07:00:10 fw01 ", set()),  # stacked headers
    ("2026-08-02T07:00:10+0200 fw01 ", set()),  # (an offset without its colon)
    ("2026-08-02T07:00:10 fw01 ", set()),  # (no offset)
    ("2026-08-02 07:00:10 fw01 ", set()),
    ("1999-08-02T07:00:10Z fw01 ", set()),
    ("2026-08-02T07:00:10Z ", set()),  # no host
    ("1 2026-08-02T07:00:10Z fw01 app - - - ", set()),  # (RFC 5424 without its <PRI>)
]


@pytest.mark.parametrize("name", PREFIXED)
@pytest.mark.parametrize(("header", "counted"), _HEADERS)
def test_a_record_behind_a_header(name: str, header: str, counted: frozenset[str]) -> None:
    raw = header.encode() + record(name)
    assert _check_counted(name, raw) == (name in counted), raw


_SENDERS = st.one_of(
    st.text("aZ09_.-:=[]", min_size=0, max_size=12),
    st.builds("{}.{}.{}.{}".format, *[st.integers(0, 300)] * 4),
    # (a host that ends like the WSA's time: its record is still found after it)
    st.builds("h{}.{}".format, st.integers(10**9, 10**10 - 1), st.integers(100, 999)),
)
_TAG_TEXTS = st.one_of(
    st.just(""),
    st.builds(
        "{}{}: ".format,
        st.text("asqdiCEFLA9_/-.: ", min_size=0, max_size=8),
        st.sampled_from(["", "[1234]", "[]", "[x]"]),
    ),
)


def _possible_sender(sender: str) -> bool:
    octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    return bool(
        re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]*", sender)
        or re.fullmatch(rf"(?:{octet}\.){{3}}{octet}", sender)
    )


def _possible_tag(name: str, tag: str) -> bool:
    if not tag:
        return True
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_./\-]*)(\[\d+\])?: ", tag)
    if name not in TAGGED or m is None:
        return False
    if tag[0].isupper():
        return name in CAPITAL_TAGS and tag[0] not in CAPITAL_TAGS[name]
    return tag[0] not in TAGGED[name]


def _check_header(name: str, header: str, sender: str, tag: str, possible: bool) -> None:
    """The record behind ``header`` (``sender`` and ``tag`` last in it): counted, it is the
    bare record's event and ``_syslog`` finds that sender; ``possible``, it is counted."""
    raw = header.encode() + record(name)
    if _check_counted(name, raw):
        start = _usual(name).profile.record_start  # (where its method and URL are counted)
        if start is not None:
            m = start.search(raw)
            assert m is not None and raw[m.start() :] == record(name), raw
        found, _ = strip_syslog(raw.decode())
        assert found is not None and found.host == sender.lower(), raw
        assert found.app == (tag.split("[")[0].rstrip(": ") or None), raw
    elif possible:
        raise AssertionError(f"not counted: {raw!r}")


_MONTHS = st.sampled_from(["Jan", "Feb", "Apr", "Aug", "Dec", "Sep", "aug", "Ago"])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(PREFIXED),
    pri=st.sampled_from(["", "<134>", "<14>", "<1>"]),
    month=_MONTHS,
    day=st.integers(0, 33),
    blank=st.sampled_from([" ", "  "]),
    clock=st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    sender=_SENDERS,
    tag=_TAG_TEXTS,
)
@example(
    name="stormshield",
    pri="",
    month="Feb",
    day=29,
    blank=" ",
    clock=(23, 59, 59),
    sender="fw01",
    tag="asqd[1]: ",
)
def test_any_rfc_3164_header(
    name: str,
    pri: str,
    month: str,
    day: int,
    blank: str,
    clock: tuple[int, int, int],
    sender: str,
    tag: str,
) -> None:
    """Whatever the RFC 3164 header: a record the walker counts behind it is the parser's
    event; a header ``_syslog`` strips (a real day of 2000, a time it builds, a host name with
    a letter first or an IPv4 address, a tag of a lowercase letter first for a device that
    writes one, or a capital one but C or L for the WSA) always lets it count."""
    stamp = "{:02d}:{:02d}:{:02d}".format(*clock)
    header = f"{pri}{month}{blank}{day} {stamp} {sender} {tag}"
    possible = (
        (pri in ("", "<134>") or name != "fortigate")
        and month in ("Jan", "Feb", "Apr", "Aug", "Dec", "Sep")
        and 1 <= day <= {"Feb": 29, "Apr": 30, "Sep": 30}.get(month, 31)
        and clock[0] <= 23
        and clock[1] <= 59
        and clock[2] <= 59
        and _possible_sender(sender)
        and _possible_tag(name, tag)
    )
    _check_header(name, header, sender, tag, possible)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(PREFIXED),
    pri=st.sampled_from(["", "<134>"]),
    year=st.sampled_from(["2026", "1999", "226"]),
    numbers=st.tuples(*[st.integers(0, 99)] * 5),
    fraction=st.text("0123456789", max_size=11).map(lambda d: f".{d}" if d else ""),
    zone=st.sampled_from(["Z", "+02:00", "-05:30", "+0200", "", "+2:00", "z"]),
    sender=_SENDERS,
    tag=_TAG_TEXTS,
)
@example(
    name="cef",
    pri="",
    year="2026",
    numbers=(8, 2, 7, 0, 10),
    fraction=".123456789",
    zone="+02:00",
    sender="10.0.0.1",
    tag="",
)
def test_any_rfc_3339_header(
    name: str,
    pri: str,
    year: str,
    numbers: tuple[int, int, int, int, int],
    fraction: str,
    zone: str,
    sender: str,
    tag: str,
) -> None:
    """Whatever rsyslog's RFC 3339 header: a record the walker counts behind it is the
    parser's event; a header of the shape the walker reads (a year of this millennium, two
    digits each, up to nine of fraction, ``Z`` or ``+HH:MM``) with a sender ``_syslog`` takes
    always lets it count."""
    stamp = "{}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format(year, *numbers)
    header = f"{pri}{stamp}{fraction}{zone} {sender} {tag}"
    possible = (
        year == "2026"
        and len(fraction) <= 10
        and zone in ("Z", "+02:00", "-05:30")
        and _possible_sender(sender)
        and _possible_tag(name, tag)
    )
    _check_header(name, header, sender, tag, possible)


#: PAN-OS' record behind the headers it sends and a syslog server writes (``relay_headers``)
_PANOS_HEADERS = [
    ("<14>Jul 31 22:00:40 PA-3220 ", True),
    ("Jul 31 22:00:40 PA-3220 ", True),  # (a syslog server drops the <PRI>)
    ("<14>Jul 31 22:00:40 10.0.0.1 ", True),  # (PAN-OS' hostname format: its address)
    ("Jul 31 22:00:40 10.0.0.1 ", True),
    ("2026-07-31T22:00:40.123456+02:00 PA-3220 ", True),  # rsyslog's default file format
    ("<14>1 2026-07-31T22:00:40.532Z PA-3220 - - - - ", True),  # PAN-OS' IETF format
    ("", False),  # (no header: a record PAN-OS never writes)
    ("Jul 31 22:00:40 PA-3220 panos: ", False),
    ("Jul 31 22:00:40 2001:db8::1 ", False),
    ("1 2026-07-31T22:00:40.532Z PA-3220 - - - - ", False),
]


@pytest.mark.parametrize(("header", "counted"), _PANOS_HEADERS)
def test_a_panos_record_behind_a_header(header: str, counted: bool) -> None:
    lines = _usual("paloalto")
    bare = next(
        raw[raw.index(b" 1,") + 1 :]
        for raw in _lines("paloalto")
        if b",THREAT,url," in raw and lines.walk([raw])[1].rows.size == 0
    )
    raw = header.encode() + bare
    _, w = lines.walk([raw])
    assert (w.rows.size == 0) == counted, raw
    if counted:
        reference = b"<14>Jul 31 22:00:40 PA-3220 " + bare
        assert _event("paloalto", raw) == _event("paloalto", reference), raw
