"""The key=value firewalls' usual lines (FortiGate, Stormshield): a local time whose UTC offset
is another field (the walker's zone).

The native walker counts a usual line without its parser only when its key is a possible time
and its offset the one the walk pinned; the file's first and last times it then gives are the
parser's.  Quoted values end where the tokenizer ends them, so no pair hides another.
Stormshield's ``dstname`` is a host only when it is an FQDN (the walker's dotted host names).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, cef, get_format, sophos, stormshield
from sentinelle.scan import fast, native

from ._fortigate import (
    DNS_SHAPES,
    SHAPES,
    TRAFFIC_SHAPES,
    UTM_7_SHAPES,
    app_ctrl,
    dns_filter,
    dns_query_7,
    dns_response_7,
    traffic,
    utm_7,
)
from ._walks import VARIANTS, UsualLines, needs_walker, walk_everywhere
from .test_usual_profiles import edited

pytestmark = pytest.mark.skipif(not native.available(), reason="the C extension is not built")

SAMPLE = Path(__file__).parents[3] / "shared" / "samples" / "fortigate" / "test-fortinet.log"

LINE = (
    '<189>date={date} time={time} devname="FGT-CHU" devid="FG100FTK00000001" '
    'logid="0317013312" type="utm" subtype="webfilter" eventtype="ftgd_allow" level="notice" '
    'vd="root" eventtime=1787695233736000000 tz="{tz}" policyid=12 sessionid=100001 '
    "srcip=10.16.0.121 srcport=64200 dstip=185.188.253.139 dstport=80 proto=6 "
    'service="HTTP" user="{user}" hostname="{host}" profile="default" action="passthrough" '
    'reqtype="direct" url="{url}" sentbyte=2122 rcvdbyte=490 direction="outgoing" '
    'httpmethod="GET"'
)


def line(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "+0200",
    user: str = "wdumont",
    host: str = "chat.example.fr",
    url: str = "/a",
) -> bytes:
    return LINE.format(date=date, time=time, tz=tz, user=user, host=host, url=url).encode()


_LINES = UsualLines("fortigate")
_parse, _walk, _key_time = _LINES.parse, _LINES.walk, _LINES.key_time


def _key_at(raw: bytes) -> int:
    """Where a FortiGate record's key starts: its ``date``'s value (after ``<PRI>``, or a
    syslog server's header: ``USUAL.key_element``)."""
    return raw.index(b"date=") + len(b"date=")


def test_the_simulated_and_vendor_shapes_are_usual() -> None:
    _, w = _walk([line(), line(user="", url="")])
    assert w.rows.size == 0 and w.zone == b"+0200"


_DATES = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.one_of(st.integers(0, 9999), st.sampled_from([999, 1000, 1900, 2000, 2024, 9998, 9999])),
    st.integers(0, 13),
    st.integers(0, 32),
)
_TIMES = st.builds(
    "{:02d}:{:02d}:{:02d}".format, st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)
)
_ZONES = st.one_of(
    st.sampled_from(["+0100", "+0200", "-0500", "+0000", "+0530"]),
    st.builds(
        "{}{:02d}{:02d}".format, st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 61)
    ),
)


@pytest.mark.parametrize(
    "build",
    [line, app_ctrl, dns_filter, traffic, functools.partial(traffic, version=7)],
    ids=["webfilter", "app-ctrl", "dns", "traffic", "traffic-7"],
)
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    stamps=st.lists(st.tuples(_DATES, _TIMES, _ZONES), min_size=1, max_size=8),
)
def test_counted_lines_give_the_parsers_first_and_last_times(
    build: Callable[[str, str, str], bytes], stamps: list[tuple[str, str, str]]
) -> None:
    """A line the walker counts is one the parser takes, at the time its key and the pinned
    offset say; the earliest and latest keys are the earliest and latest of those times.  Lines
    of another offset, or with a time the walker leaves alone, go to the parser."""
    lines = [build(d, t, z) for d, t, z in stamps]
    block, w = _walk(lines)
    parsed = {int(k) for k in w.rows[:, 0].tolist()}
    counted = [k for k in range(len(lines)) if k not in parsed]
    times = []
    for k in counted:
        event = _parse(lines[k])
        assert event is not None
        assert stamps[k][2].encode() == w.zone
        assert _key_time(lines[k], _key_at(lines[k]), w.zone) == event.timestamp  # type: ignore[attr-defined]
        times.append(event.timestamp)  # type: ignore[attr-defined]
    if not counted:
        assert w.earliest == w.latest == -1
        return
    assert _key_time(block, w.earliest, w.zone) == min(times)
    assert _key_time(block, w.latest, w.zone) == max(times)
    # the walker pins the first counted line's offset; it counts every possible time of it
    first = stamps[counted[0]][2]
    for k in parsed:
        d, t, z = stamps[k]
        if z == first and 1000 <= int(d[:4]) <= 9998 and int(t[6:]) <= 59:
            with pytest.raises(MalformedLine):  # (else the walker would have counted it)
                _parse(lines[k])


def test_a_month_across_the_change_of_time_keeps_exact_bounds() -> None:
    """In October the offset changes from +0200 to +0100: 02:30+0100 is after 02:45+0200."""
    summer = [line("2026-10-25", "02:45:00", "+0200"), line("2026-10-25", "01:10:00", "+0200")]
    winter = [line("2026-10-25", "02:30:00", "+0100"), line("2026-10-25", "02:05:00", "+0100")]
    block, w = _walk(summer + winter)
    assert w.zone == b"+0200" and sorted(w.rows[:, 0].tolist()) == [2, 3]
    assert _key_time(block, w.earliest, w.zone) == datetime.fromisoformat("2026-10-24T23:10Z")
    assert _key_time(block, w.latest, w.zone) == datetime.fromisoformat("2026-10-25T00:45Z")
    _, w2 = _walk(winter)
    assert w2.zone == b"+0100" and w2.rows.size == 0


@pytest.mark.parametrize(
    ("edit", "usual"),
    [
        # a quote with no text: the tokenizer reads up to the next quote, hiding the next pair
        (lambda s: s.replace('service="HTTP"', 'service="'), False),
        (lambda s: s.replace('user="wdumont"', 'user="'), False),
        # "" then text: the text is a stray word to the tokenizer, the walker stops
        (lambda s: s.replace('user="wdumont"', 'user=""wdumont"'), False),
        (lambda s: s.replace('devname="FGT-CHU"', 'devname="a date=2020-01-01"'), True),
        (lambda s: s.replace('devname="FGT-CHU"', 'devname="a\\"b"'), False),
        (lambda s: s.replace('url="/a"', 'url=""/x"'), True),  # "" and a stray word
        (lambda s: s.replace('url="/a"', 'url="x.example.fr/a"'), False),
        # a lone quote: the tokenizer's url is " sentbyte=… direction=", no host nor path in
        # it, and the line is the same event (its byte counts lost, as the parser loses them)
        (lambda s: s.replace('url="/a"', 'url="'), True),
        (lambda s: s.replace("sentbyte=2122", "sentbyte=21x"), False),
        (lambda s: s.replace('hostname="chat.example.fr"', 'hostname="none"'), False),
        (lambda s: s.replace('hostname="chat.example.fr"', 'hostname="NuLl"'), False),
        (lambda s: s.replace('hostname="chat.example.fr"', 'hostname="a..b.fr"'), False),
        (lambda s: s.replace('hostname="chat.example.fr"', 'hostname="example-."'), False),
        (lambda s: s.replace("<189>", "<13>"), False),
        (lambda s: s + ' hostname="other.example.fr"', False),
        (lambda s: s.replace(' httpmethod="GET"', ""), True),
    ],
)
def test_values_end_where_the_tokenizer_ends_them(edit: object, usual: bool) -> None:
    raw = edit(line().decode()).encode()  # type: ignore[operator]
    _, w = _walk([raw])
    assert (w.rows.size == 0) == usual, raw
    if usual:
        event = _parse(raw)
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        assert w.entries == b".chat.example.fr.\n"


@settings(max_examples=400, deadline=None)
@given(st.text("ab1.-", min_size=1, max_size=40), st.text("abc", min_size=1, max_size=30))
def test_a_host_holding_two_dots_in_a_row_is_for_the_parser_wherever_they_are(
    middle: str, start: str
) -> None:
    """The walker's ".." look (eight bytes at a time) agrees with the parser, which refuses such
    a host, at every position and host length; a counted line is the parser's host."""
    host = start + middle
    raw = line(host=host)
    _, w = _walk([raw])
    if ".." in host.rstrip("."):
        assert len(w.rows) == 1, host
    if len(w.rows) == 0:
        event = _parse(raw)
        assert event is not None
        assert event.destination_domain == host.rstrip(".")  # type: ignore[attr-defined]
        assert w.entries == b"." + host.encode() + b".\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abz019", min_size=1, max_size=12), min_size=1, max_size=12))
def test_a_host_of_labels_with_single_dots_is_counted_whatever_its_length(
    labels: list[str],
) -> None:
    host = "h" + ".".join(labels)
    _, w = _walk([line(host=host)])
    assert len(w.rows) == 0, host
    assert w.entries == b"." + host.encode() + b".\n"


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/samples is not beside the checkout")
def test_the_vendors_web_filter_application_control_dns_and_traffic_records_are_usual() -> None:
    """Elastic's FortiGate fixture: its web filter records (user, group, interfaces, message and
    category), its application control records written with ``devname`` and ``tz``, its DNS
    filter responses and queries and its traffic records with ``eventtime`` and ``tz`` are
    usual lines, counted at the parser's time when of the offset the walk pinned, the DNS
    responses as DNS queries, the traffic ones as events without a host name, the DNS filter
    queries as skipped (the parser skips them); its other records are parsed (a traffic record
    without ``tz``, an application control record without ``tz``, FortiAnalyzer's relayed
    one)."""
    lines = [ln for ln in SAMPLE.read_bytes().splitlines() if ln.strip()]
    block, w = _walk(lines)
    parsed = set(w.rows[:, 0].tolist())
    counted = [k for k in range(len(lines)) if k not in parsed]
    assert w.zone is not None
    zoned = [k for k, ln in enumerate(lines) if b' tz="' + w.zone + b'"' in ln]
    web = [
        k
        for k in zoned
        if re.match(rb'<\d{3}>date=\S+ time=\S+ devname="', lines[k])
        and re.search(rb'type="utm" subtype="(?:webfilter|app-ctrl|dns)"', lines[k])
        and (b' hostname="' in lines[k] or b' qname="' in lines[k])
        and b'eventtype="dns-query"' not in lines[k]
    ]
    queries = [
        k
        for k in zoned
        if re.match(rb'<\d{3}>date=\S+ time=\S+ devname="', lines[k])
        and b'type="utm" subtype="dns" eventtype="dns-query"' in lines[k]
    ]
    traffic = [
        k
        for k in zoned
        if re.match(
            rb'<\d{3}>date=\S+ time=\S+ devname="[^"]*" devid="[^"]*" (?:logid="\d{10}" '
            rb'type="traffic" subtype="[a-z]+" level="[a-z]+" vd="[^"]*" eventtime=\d+ tz=|'
            rb'eventtime=\d+ tz="[^"]*" logid="\d{10}" type="traffic")',
            lines[k],
        )
    ]
    assert len(traffic) == 5  # of the fixture's 9 traffic records
    assert len(queries) == 1
    assert counted == sorted(web + traffic + queries)
    kinds = [re.search(rb'subtype="([a-z-]+)"', lines[k]).group(1) for k in web]  # type: ignore[union-attr]
    assert set(kinds) == {b"webfilter", b"app-ctrl", b"dns"}
    assert w.marked == kinds.count(b"dns")
    assert w.no_host == len(traffic) and w.skipped == len(queries)
    assert [_parse(lines[k]) for k in queries] == [None]
    events = [_parse(lines[k]) for k in counted if k not in queries]
    named = [k for k in counted if k not in queries]
    assert [e.destination_domain is None for e in events] == [k in traffic for k in named]  # type: ignore[attr-defined]
    assert _key_time(block, w.earliest, w.zone) == min(e.timestamp for e in events)  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw", [*SHAPES, *DNS_SHAPES])
def test_application_control_and_dns_filter_records_are_usual(raw: bytes) -> None:
    """The optional parts of an application control record (user and group, interfaces, the
    server certificate's names) or of a DNS filter response (interfaces, the addresses it
    resolved to, the category) in their places; the host is ``hostname`` or ``qname``, as the
    parser's.  A DNS filter response is marked: its event is a DNS query, which the scan then
    counts without the parser."""
    _, w = _walk([raw])
    dns = b'subtype="dns"' in raw
    assert w.rows.size == 0 and w.zone == b"+0200" and w.marked == dns
    event = _parse(raw)
    assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
    assert (event.network_protocol == "dns") == dns  # type: ignore[attr-defined]
    assert w.entries == b".chat.example.fr.\n"
    assert _key_time(raw, _key_at(raw), w.zone) == event.timestamp  # type: ignore[attr-defined]


A, D, T, U, Q, R = app_ctrl, dns_filter, traffic, utm_7, dns_query_7, dns_response_7
CERT = ' scertissuer="Example CA"'  # the end of app_ctrl()'s line
CATEGORY = ' catdesc="Information Technology"'  # the end of dns_filter()'s


@pytest.mark.parametrize(
    ("build", "old", "new", "usual"),
    [
        (A, 'hostname="chat.example.fr"', 'hostname="none"', False),
        (A, 'hostname="chat.example.fr"', 'hostname="a..b.fr"', False),
        (A, CERT, CERT + ' hostname="other.example.fr"', False),  # the parser takes the last
        # the fields a record may end with are free pairs: FortiOS' threat weight, an extended
        # log's raw data, any other; not its host name, URL, time or kind again
        (A, CERT, CERT + ' extra="x"', True),
        (A, CERT, CERT + ' crscore=30 craction=8 crlevel="high" rawdata="Method=GET|A=b"', True),
        (A, CERT, CERT + ' url="/x"', False),
        (A, CERT, CERT + " sentbyte=x", False),
        (A, CERT, CERT + ' type="traffic"', False),
        (A, CERT, CERT + " extra=", True),
        (A, CERT, CERT + "  extra=1", False),
        (A, 'subtype="app-ctrl"', 'subtype="app-ctrlx"', False),
        (A, 'subtype="app-ctrl"', 'subtype="dns"', False),
        (A, 'tz="+0200" ', "", False),  # a local time: the parser's clock
        (A, ' authserver="ldap"', "", True),
        # a user without a group, or after it: FortiOS writes both, in that order (parsed)
        (A, ' group="staff" authserver="ldap"', "", False),
        (A, 'user="wdumont" group="staff"', 'group="staff" user="x"', False),
        (A, 'msg="Web.Client: HTTPS.BROWSER,"', 'msg="', False),
        (A, 'msg="Web.Client: HTTPS.BROWSER,"', 'msg=""', True),
        (A, 'scertcname="*.example.fr"', 'scertcname=""', True),
        (A, CERT, "", True),
        (A, 'url="/"', 'url="x.example.fr/a"', False),
        (A, "appid=40568", "appid=4056x", False),
        (A, "dstip=185.188.253.139 srcport", "srcport", False),
        # a query record: the parser skips it (the response is the event)
        (D, 'eventtype="dns-response"', 'eventtype="dns-query"', True),  # skipped
        (D, CATEGORY, CATEGORY + ' eventtype="dns-response"', False),  # the last one wins
        (D, CATEGORY, CATEGORY + ' eventtype="dns-query"', False),
        (D, 'eventtype="dns-response"', 'eventtype="dns-responses"', False),
        (D, 'qname="chat.example.fr"', 'qname="none"', False),
        (D, 'qname="chat.example.fr"', 'qname="a..b.fr"', False),
        (D, 'qname="chat.example.fr"', 'qname="1.2.0.10.in-addr.arpa"', False),
        (D, CATEGORY, CATEGORY + ' qname="other.example.fr"', False),
        (D, 'tz="+0200" ', "", False),
        (D, ' ipaddr="104.18.32.47, 172.64.155.209"', "", True),
        (D, " cat=52" + CATEGORY, "", True),
        (D, CATEGORY, CATEGORY + ' crscore=5 crlevel="low"', True),
        (D, CATEGORY, CATEGORY + ' hostname="other.example.fr"', False),
        (D, "xid=2234", "xid=22x", False),
        (D, 'msg="Domain is monitored"', 'msg="', False),
        # a traffic record's free pairs: none the parser reads for its time, kind or host, its
        # numbers digits, each pair as the tokenizer reads it
        (T, 'subtype="forward"', 'subtype="local"', True),
        (T, " srcserver=0", ' srcserver=0 extra="x y=z" empty="" bare=', True),
        (T, 'policyname="Internet sortant"', 'policyname="Règle sortante"', True),
        # a host name among them is the line's, as a host element's
        (T, " srcserver=0", ' srcserver=0 hostname="chat.example.fr"', True),
        (T, " srcserver=0", ' srcserver=0 hostname="Chat.Example.fr" url="/a?b"', True),
        (T, " srcserver=0", ' srcserver=0 hostname="a.fr" hostname="b.fr"', False),  # the last
        (T, " srcserver=0", " srcserver=0 hostname=chat.example.fr", False),  # unquoted
        (T, " srcserver=0", ' srcserver=0 hostname=""', False),
        (T, " srcserver=0", ' srcserver=0 hostname="none"', False),
        (T, " srcserver=0", ' srcserver=0 hostname="10.0.0.1"', False),
        (T, " srcserver=0", ' srcserver=0 hostname="chat example.fr"', False),
        (T, " srcserver=0", ' srcserver=0 hostname="-chat.example.fr"', False),
        (T, " srcserver=0", ' srcserver=0 hostname="a..b.fr"', False),
        (T, " srcserver=0", ' srcserver=0 url=""', True),
        (T, " srcserver=0", " srcserver=0 url=/a", True),
        (T, " srcserver=0", ' srcserver=0 url="https://x.fr:99999/"', False),  # its host, port
        (T, " srcserver=0", ' srcserver=0 url="x.fr/a"', False),
        (T, " srcserver=0", ' srcserver=0 url="-"', False),
        (T, " srcserver=0", ' srcserver=0 tz="+0100"', False),  # the parser takes the last
        (T, " srcserver=0", ' srcserver=0 type="utm"', False),
        (T, " srcserver=0", " srcserver=0 date=2026-10-26", False),
        (T, "sentbyte=1402", "sentbyte=1.5", False),  # a number, for the parser
        (T, "sentbyte=1402", "sentbyte=x", False),  # which it rejects
        (T, "dstport=443", "dstport=", False),
        (T, " srcserver=0", " srcserver=0 Extra=1", False),  # a key the walker does not read
        (T, " srcserver=0", " srcserver=0 ", False),
        (T, 'policyname="Internet sortant"', 'policyname="Internet \\"sortant\\""', False),
        (T, 'policyname="Internet sortant"', 'policyname="Internet', False),
        (T, 'tz="+0200" ', "", False),  # a local time: the parser's clock
        # FortiOS 7's web filter and application control records: the same free pairs, whose
        # host name is the line's
        (U, 'url="/"', 'url="/chat?q=1"', True),
        (U, 'url="/"', 'url="https://chat.example.fr/"', False),
        (U, ' hostname="chat.example.fr"', "", True),  # no host: an event without one
        (U, 'hostname="chat.example.fr"', 'hostname="chat.example.fr."', True),
        (U, 'eventtype="ftgd_allow"', 'eventtype="ftgd_allow" eventtype="x"', False),
        (U, 'subtype="webfilter"', 'subtype="ssl"', False),  # its host may be its SNI
        (U, 'subtype="webfilter"', 'subtype="dns"', False),  # its host is qname
        (U, 'subtype="webfilter"', 'subtype="app-ctrl"', True),
        (U, 'type="utm"', 'type="event"', False),
        (U, 'httpmethod="GET"', 'httpmethod="get"', True),
        (U, "dstport=443", "dstport=70000", True),  # out of range: no port, for both
        (U, "rcvdbyte=3122", "rcvdbyte=-1", False),
        (U, 'tz="+0200" ', "", False),
        # FortiOS 7's DNS filter query: skipped, its fields free pairs (its response is parsed)
        (Q, 'qclass="IN"', 'qclass="IN" extra="x"', True),
        (Q, 'qclass="IN"', 'qclass="IN" hostname="chat.example.fr"', True),
        (Q, 'qclass="IN"', 'qclass="IN" eventtype="dns-response"', False),  # the last wins
        (Q, 'eventtype="dns-query"', 'eventtype="dns-response"', True),  # a response
        (Q, "dstport=53", "dstport=x", False),
        # FortiOS 7's DNS filter response: free pairs of their own, whose host name is qname
        (R, 'qclass="IN"', 'qclass="IN" hostname="other.example.fr" sentbyte=x', True),
        (R, 'qname="chat.example.fr"', 'qname="Chat.Example.FR"', True),
        (R, 'qname="chat.example.fr"', 'qname="1.2.0.10.in-addr.arpa"', False),
        (R, 'qname="chat.example.fr"', 'qname="none"', False),
        (R, ' qname="chat.example.fr"', "", True),  # no host: an event without one
        (R, 'qclass="IN"', 'qclass="IN" qname="other.example.fr"', False),  # the last wins
        (R, 'qclass="IN"', 'qclass="IN" eventtype="dns-query"', False),
        (R, "dstport=53", "dstport=x", False),
        (R, "xid=2234", "xid=22x", True),  # not read
        (R, 'eventtype="dns-response"', 'eventtype="dns-responses"', False),
    ],
)
def test_application_control_dns_and_traffic_values_end_where_the_tokenizer_ends_them(
    build: Callable[[], bytes], old: str, new: str, usual: bool
) -> None:
    text = build().decode()
    assert text.count(old) == 1
    raw = text.replace(old, new).encode()
    _, w = _walk([raw])
    assert (w.rows.size == 0) == usual, raw
    query = b'eventtype="dns-query"' in raw
    dns = b'subtype="dns"' in raw
    assert w.marked == (usual and dns and not query)
    assert w.skipped == (usual and query)
    if usual and query:  # a DNS filter query: the parser skips it, as the walker counts it
        assert _parse(raw) is None and w.no_host == 0
    elif usual:  # the event's host name is the line's entry, or it has none
        event = _parse(raw)
        assert event is not None
        host = event.destination_domain  # type: ignore[attr-defined]
        assert w.no_host == (host is None)
        # (the entry as the line writes it: its case and trailing dots are the decision's)
        entry = w.entries.lower().rstrip(b"\n").strip(b".")
        assert entry == (b"" if host is None else host.encode())
        assert (event.network_protocol == "dns") == dns  # type: ignore[attr-defined]


def test_only_the_dns_records_of_a_block_are_marked() -> None:
    """Web filter, application control and DNS filter records in one block: the walk counts
    the usual DNS responses apart, and only those; a DNS filter query is counted as skipped."""
    lines = [line(), dns_filter(), app_ctrl(), dns_filter(host="b.example.fr"), line(url="")]
    lines += [dns_filter(event="dns-query"), dns_filter(host="none"), *DNS_SHAPES]
    _, w = _walk(lines)
    assert w.rows[:, 0].tolist() == [6]
    assert w.marked == 2 + len(DNS_SHAPES) and w.skipped == 1


# -- Stormshield -------------------------------------------------------------------------------
STORMSHIELD = get_format("stormshield")
SNS = fast.program(stormshield.USUAL)
SNS_LINE = (
    'id=firewall time="{time}" fw="SN510A0000001" tz={tz} startime="2026-10-25 02:29:58" '
    "pri=5 confid=01 ruleid=12 proto=https src=10.16.0.121 srcport=64200 dst=185.188.253.139 "
    'dstport=443 dstname={host} op=CONNECT result=200 arg="/x" user="wdumont" sent=2122 '
    'rcvd=490 duration=0.26 action=pass logtype="web"'
)


def sns(
    time: str = "2026-10-25 02:30:00", tz: str = "+0200", host: str = "chat.example.fr"
) -> bytes:
    return SNS_LINE.format(time=time, tz=tz, host=host).encode()


@pytest.mark.parametrize(
    ("host", "usual"),
    [
        ("chat.example.fr", True),
        ("chat.example.fr.", True),
        ("Firewall_out", False),  # an object's name, not a host: parsed (no destination.domain)
        ("srv.example.123", False),  # no letter in the last label
        ("a..example.fr", False),
        ("example-.fr", True),
        ("example.fr-", False),
    ],
)
def test_a_stormshield_destination_is_counted_only_as_an_fqdn(host: str, usual: bool) -> None:
    raw = sns(host=host)
    w = native.walk(SNS, raw + b"\n")
    assert (w.rows.size == 0) == usual, raw
    event = STORMSHIELD.new_parser(ParseContext(path="t.log")).parse(raw.decode())
    assert event is not None
    if usual:
        assert event.destination_domain == host.lower().rstrip(".")
        assert w.entries == b"." + host.encode() + b".\n"


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(stamps=st.lists(st.tuples(_DATES, _TIMES, _ZONES), min_size=1, max_size=6))
def test_stormshield_counted_lines_give_the_parsers_times(
    stamps: list[tuple[str, str, str]],
) -> None:
    lines = [sns(f"{d} {t}", z) for d, t, z in stamps]
    block = b"\n".join(lines) + b"\n"
    w = native.walk(SNS, block)
    parsed = set(w.rows[:, 0].tolist())
    times = []
    for k in range(len(lines)):
        if k in parsed:
            continue
        event = STORMSHIELD.new_parser(ParseContext(path="t.log")).parse(lines[k].decode())
        assert event is not None and stamps[k][2].encode() == w.zone
        times.append(event.timestamp)
    if times:
        key, n = stormshield.USUAL.key_time, stormshield.USUAL.key_len
        assert w.zone is not None
        assert key(block[w.earliest : w.earliest + n] + w.zone) == min(times)
        assert key(block[w.latest : w.latest + n] + w.zone) == max(times)


#: A connection record as SNS 4 writes it to syslog (the vendor sample's fields)
SNS_CONNECTION = (
    'id=firewall time="2026-10-25 02:30:00" fw="SN510A0000001" tz=+0200 '
    'startime="2026-10-25 02:29:58" pri=5 confid=01 slotlevel=2 ruleid=7 ipproto=tcp '
    'dstif="Ethernet0" dstifname="out" proto=https src=10.16.0.121 srcport=64200 '
    "srcportname=ephemeral_fw_tcp srcname=PC-CARDIO-12 dst=185.188.253.139 dstport=443 "
    'dstportname=https dstname=chat.example.fr dstcontinent="eu" dstcountry="fr" '
    "modsrc=192.0.2.1 modsrcport=64200 origdst=185.188.253.139 origdstport=443 ipv=4 "
    'sent=2122 rcvd=490 duration=0.26 action=pass logtype="connection"'
)


def _sns_check(raw: bytes) -> native.Walked:
    """Counted, a line is the parser's event with the walk's host name, or none (an event
    without a host), at its key's time; else the parser's."""
    block, w = walk_everywhere(SNS, [raw])
    if w.rows.size:
        return w
    try:
        event = STORMSHIELD.new_parser(ParseContext(path="t.log")).parse(raw.decode())
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None, raw
    if w.no_host:
        assert event.destination_domain is None and not w.entries, raw
    else:
        host = w.entries.decode().rstrip("\n")[1:-1].lower().rstrip(".")
        assert event.destination_domain == host, raw
    key, n = stormshield.USUAL.key_time, stormshield.USUAL.key_len
    assert w.zone is not None
    assert key(block[w.earliest : w.earliest + n] + w.zone) == event.timestamp, raw
    return w


@needs_walker
@pytest.mark.parametrize(
    ("edit", "counted"),
    [
        ((), "host"),
        ((" dstname=chat.example.fr", ""), "no host"),  # an event without a host
        (("dstname=chat.example.fr", 'dstname="chat.example.fr"'), "host"),
        (("dstname=chat.example.fr", "dstname=PC-SRV-01"), None),  # an object's name
        (("dstname=chat.example.fr", "dstname=192.0.2.7"), None),
        (("dstname=chat.example.fr", 'dstname=""'), None),
        (('logtype="connection"', 'logtype="filter"'), "host"),
        (('logtype="connection"', "logtype=ssl"), "host"),
        (('logtype="connection"', 'logtype="Connection"'), None),  # (lowered by the parser)
        (('logtype="connection"', 'logtype="monitor"'), None),  # skipped by the parser
        ((' logtype="connection"', ""), None),  # the family from the file's name
        (("ipv=4", 'ipv=4 logtype="connection"'), "host"),  # twice, both events
        (("ipv=4", 'ipv=4 logtype="alarm"'), None),
        (("sent=2122", "sent=2k"), None),
        (("dstport=443", "dstport=-"), None),
        (("srcport=64200", "srcport=-"), "host"),  # (not read by the parser)
        ((" ipv=4", " tz=+0100"), None),  # the time's keys again: a later one wins
        ((" ipv=4", " startime=x"), None),
        ((" ipv=4", " Pkts=4"), None),  # a key the tokenizer reads, not the walker
        ((" ipv=4", " ipv=4  x=1"), None),
    ],
)
def test_stormshield_connection_records(edit: tuple[str, str], counted: str | None) -> None:
    raw = (SNS_CONNECTION.replace(*edit) if edit else SNS_CONNECTION).encode()
    w = _sns_check(raw)
    assert (None if w.rows.size else "no host" if w.no_host else "host") == counted, raw


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("stormshield", (SNS_CONNECTION.encode(), sns())))
def test_an_edited_stormshield_record_is_counted_only_as_the_parsers_event(raw: bytes) -> None:
    _sns_check(raw)


# -- Sophos XG: a zone written by name ---------------------------------------------------------
SOPHOS = get_format("sophos")
XG = fast.program(sophos.USUAL)
XG_LINE = (
    'device="SFW" date={date} time={time} timezone="{tz}" device_name="XG230" '
    'device_id=C01001K234RXPA1 log_id=050901616001 log_type="Content Filtering" '
    'log_component="HTTP" log_subtype="Allowed" priority=Information fw_rule_id=2 user_name="" '
    'user_gp="" iap=13 category="IT" category_type="Acceptable" url="{url}" contenttype="" '
    'override_token="" src_ip=10.16.12.14 dst_ip=104.9.89.72 protocol="TCP" src_port=52878 '
    "dst_port=443 sent_bytes=926 recv_bytes=8312 domain=www.example.fr exceptions= "
    'activityname="" reason=""'
)
XG_SAMPLE = SAMPLE.parents[1] / "sophos" / "test-sophos-18-5-content-filtering-http.log"


def xg(
    date: str = "2026-10-25",
    time: str = "02:30:00",
    tz: str = "CEST",
    url: str = "https://chat.example.fr:443/",
) -> bytes:
    return XG_LINE.format(date=date, time=time, tz=tz, url=url).encode()


def _xg_event(raw: bytes) -> object:
    return SOPHOS.new_parser(ParseContext(path="t.log")).parse(raw.decode())


@pytest.mark.parametrize(
    ("tz", "url", "usual"),
    [
        ("CEST", "https://chat.example.fr:443/", True),
        ("CET", "http://chat.example.fr/a?b=c", True),
        ("GMT", "https://chat.example.fr", True),
        ("cest", "https://chat.example.fr/", False),  # the parser reads it too: left to it
        ("XYZ", "https://chat.example.fr/", False),  # unknown: a local time in --tz
        ("Europe/Paris", "https://chat.example.fr/", False),  # shifts in the repeated hour
        ("CEST", "https://10.1.2.3/", False),  # an address
        ("CEST", "https://none/", False),  # a blank word: the parser takes `domain`
        ("CEST", "https://a..example.fr/", False),
        ("CEST", "chat.example.fr/", False),  # no scheme
    ],
)
def test_a_sophos_zone_by_name_and_a_url_with_its_host(tz: str, url: str, usual: bool) -> None:
    raw = xg(tz=tz, url=url)
    w = native.walk(XG, raw + b"\n")
    assert (w.rows.size == 0) == usual, raw
    if usual:
        event = _xg_event(raw)
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        assert w.zone == tz.encode()
        key = raw[w.earliest : w.earliest + sophos.USUAL.key_len]  # (the line's only key)
        assert sophos.USUAL.key_time(key + w.zone) == event.timestamp  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    stamps=st.lists(
        st.tuples(_DATES, _TIMES, st.sampled_from(["CET", "CEST", "GMT", "UTC", "EEST", "Z"])),
        min_size=1,
        max_size=6,
    )
)
def test_sophos_counted_lines_give_the_parsers_times(stamps: list[tuple[str, str, str]]) -> None:
    lines = [xg(d, t, z) for d, t, z in stamps]
    block = b"\n".join(lines) + b"\n"
    w = native.walk(XG, block)
    parsed = set(w.rows[:, 0].tolist())
    times = []
    for k in range(len(lines)):
        if k not in parsed:
            event = _xg_event(lines[k])
            assert event is not None and stamps[k][2].encode() == w.zone
            times.append(event.timestamp)  # type: ignore[attr-defined]
    if times:
        n = sophos.USUAL.key_len
        assert w.zone is not None
        assert sophos.USUAL.key_time(block[w.earliest : w.earliest + n] + w.zone) == min(times)
        assert sophos.USUAL.key_time(block[w.latest : w.latest + n] + w.zone) == max(times)


@pytest.mark.skipif(not XG_SAMPLE.exists(), reason="../shared/samples is not beside the checkout")
def test_the_vendors_xg_records_are_usual_but_a_stray_word() -> None:
    """Elastic's SFOS fixture: every record is usual but the one whose ``domain`` holds a stray
    word after a blank (``domain=www. google.ca``), which its parser reads."""
    lines = [ln for ln in XG_SAMPLE.read_bytes().splitlines() if ln.strip()]
    w = native.walk(XG, b"\n".join(lines) + b"\n")
    parsed = set(w.rows[:, 0].tolist())
    assert [b"domain=www. " in ln for ln in lines] == [k in parsed for k in range(len(lines))]
    for k in set(range(len(lines))) - parsed:
        event = _xg_event(lines[k])
        assert event is not None and event.destination_domain is not None  # type: ignore[attr-defined]
        assert event.destination_domain.encode() in w.entries  # type: ignore[attr-defined]


# -- CEF: a time key that moves with the header before it -------------------------------------
CEF = get_format("cef")
GATEWAY = fast.program(cef.USUAL)
CEF_LINE = (
    "<134>1 2026-08-25T22:00:22.414Z {origin} swg - - - CEF:0|{vendor}|Gateway|1.0|200|"
    "{name}|3|rt={rt} src=10.16.12.14 suser=wdumont dhost={host} dst=104.9.89.72 dpt=443 "
    "act=allowed in=926 out=8312 requestMethod=GET request=https://{host}/a?b=c"
)


def gateway(
    rt: int = 1787695222414,
    origin: str = "swg-chu",
    vendor: str = "Example",
    name: str = "Web request",
    host: str = "chat.example.fr",
) -> bytes:
    return CEF_LINE.format(rt=rt, origin=origin, vendor=vendor, name=name, host=host).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records=st.lists(
        st.tuples(
            st.integers(10**12, 10**13 - 1),
            st.text("abcXYZ-_.", min_size=1, max_size=30),
            st.text("ab c|\\=", min_size=0, max_size=30),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_cef_key_is_found_wherever_the_header_puts_it(
    records: list[tuple[int, str, str]],
) -> None:
    """The header fields before ``rt`` vary in length (and may hold what makes a line unusual):
    the earliest and latest keys the walker gives are the parser's first and last times."""
    lines = [gateway(rt, origin=o, name=n) for rt, o, n in records]
    block = b"\n".join(lines) + b"\n"
    walks = [native.walk(GATEWAY, block, None, simd, generic) for simd, generic in VARIANTS]
    w = walks[0]
    assert all(
        (v.earliest, v.latest, v.rows.tolist()) == (w.earliest, w.latest, w.rows.tolist())
        for v in walks
    )
    parsed = set(w.rows[:, 0].tolist())
    times = []
    for k in range(len(lines)):
        if k in parsed:
            continue
        event = CEF.new_parser(ParseContext(path="t.log")).parse(lines[k].decode())
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        times.append(event.timestamp)  # type: ignore[attr-defined]
    if not times:
        assert w.earliest == w.latest == -1
        return
    n = cef.USUAL.key_len
    assert cef.USUAL.key_time(block[w.earliest : w.earliest + n]) == min(times)
    assert cef.USUAL.key_time(block[w.latest : w.latest + n]) == max(times)


@pytest.mark.parametrize(
    ("line", "usual"),
    [
        (gateway(), True),
        (gateway(name="Web request blocked"), True),
        (gateway(origin="a|CEF:0|X"), False),  # a "CEF:0|" before the record's
        (gateway(vendor="Ex\\|ample"), False),  # an escape in the header
        (gateway(rt=1787695222), False),  # seconds: ten digits
        (gateway().replace(b" suser=wdumont", b""), True),
        (gateway().replace(b"suser=wdumont", b"suser=w dumont"), False),  # a blank in a value
        (gateway(host="none"), False),
        (gateway(host="example-"), False),
    ],
)
def test_a_cef_gateway_record(line: bytes, usual: bool) -> None:
    w = native.walk(GATEWAY, line + b"\n")
    assert (w.rows.size == 0) == usual, line
    if usual:
        event = CEF.new_parser(ParseContext(path="t.log")).parse(line.decode())
        assert event is not None and event.destination_domain == "chat.example.fr"  # type: ignore[attr-defined]
        key = line[w.earliest : w.earliest + cef.USUAL.key_len]
        assert cef.USUAL.key_time(key) == event.timestamp  # type: ignore[attr-defined]


def test_a_zone_profile_whose_parser_keeps_a_clock_is_read_in_order() -> None:
    """Its lines without an offset are local times, the repeated autumn hour resolved by the
    lines before: such a file is never cut into ranges nor fed (``fast.divisible``).  A CLF
    line always has its offset: its files are cut (its parser keeps no clock)."""
    for name, profile in fast.profiles().items():
        if profile.zone is None:
            continue
        parser = get_format(name).new_parser(ParseContext(path="t.log"))
        keeps_clock = hasattr(parser, "clock")
        assert profile.in_order == keeps_clock, name
        assert fast.divisible(get_format(name)) == (not keeps_clock), name


@pytest.mark.parametrize("raw", UTM_7_SHAPES)
def test_fortios_7_web_filter_and_application_control_records_are_usual(raw: bytes) -> None:
    """A web filter or application control record in FortiOS 7's header (``eventtime`` and
    ``tz`` before ``logid``), whatever its fields after ``vd``, is usual: its ``hostname`` is
    its entry (an application control record without one is an event without a host name, as
    the parser's), at its key's time."""
    _, w = _walk([raw])
    assert w.rows.size == 0 and w.zone == b"+0200" and w.marked == 0
    event = _parse(raw)
    assert event is not None
    host = event.destination_domain  # type: ignore[attr-defined]
    assert (host is None) == (b"hostname=" not in raw) and w.no_host == (host is None)
    assert w.entries == (b"" if host is None else f".{host}.\n".encode())
    assert _key_time(raw, _key_at(raw), w.zone) == event.timestamp  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw", TRAFFIC_SHAPES)
def test_traffic_records_are_events_without_a_host_name(raw: bytes) -> None:
    """A traffic record of any version's fields is usual and counted as an event without a host
    name (the parser's), at its key's time; none goes to the host entries."""
    _, w = _walk([raw])
    assert w.rows.size == 0 and w.no_host == 1 and w.entries == b"" and w.zone == b"+0200"
    event = _parse(raw)
    assert event is not None and event.destination_domain is None  # type: ignore[attr-defined]
    assert _key_time(raw, _key_at(raw), w.zone) == event.timestamp  # type: ignore[attr-defined]


def test_free_pairs_of_a_bare_host_and_a_kind() -> None:
    """The rules as the walker reads them, and what the plain grammar alone may name."""
    from sentinelle.formats._usual import FreePairs

    pairs = stormshield._PAIRS
    rules = pairs.rules().decode().split("\n")
    assert "$dstname" in rules and "@dstname" not in rules
    assert "&logtype=connection|filter|ssl|web|" in rules
    with pytest.raises(ValueError, match="bare host, kinds"):
        FreePairs("r", frozenset(), json=True, epoch="ts", host="h", bare_host=True)
    with pytest.raises(ValueError, match="needs the host key"):
        FreePairs("r", frozenset(), bare_host=True)
    with pytest.raises(ValueError, match="lowercase words"):
        FreePairs("r", frozenset(), kind_key="logtype", kinds=frozenset({"Web"}))
    with pytest.raises(ValueError, match="lowercase words"):
        FreePairs("r", frozenset(), kind_key="logtype")
    with pytest.raises(ValueError, match="two rules"):
        FreePairs("r", frozenset({"logtype"}), kind_key="logtype", kinds=frozenset({"web"}))


#: the header a syslog server writes before a record it received without one (``Mmm dd
#: HH:MM:SS host``), and whether the walker counts the record behind it
_RELAYED = [
    ("", True),  # bare (a disk log download, a collector's without the <PRI>)
    ("Aug  2 00:00:10 10.0.0.1 ", True),
    ("Aug 12 23:59:59 fw-01.chu.local ", True),
    ("Aug 2 07:00:00 fw01 ", True),
    ("Aug 02 07:00:00 fw01 ", True),
    ("Feb 29 07:00:00 FW_01 ", True),  # (a year-less date: built in a leap year)
    ("Dec 31 07:00:00 f ", True),
    ("<189>Aug  2 07:00:10 fw01 ", True),  # (as a device writes it over syslog)
    ("2026-08-02T07:00:10.123456+02:00 fw01 ", True),  # (rsyslog's default file format)
    # the parser's
    ("Feb 30 07:00:00 fw01 ", False),
    ("Apr 31 07:00:00 fw01 ", False),
    ("Aug  2 24:00:10 fw01 ", False),
    ("Aug  2 07:60:10 fw01 ", False),
    ("Aug  2 7:00:10 fw01 ", False),
    ("aug  2 07:00:10 fw01 ", False),
    ("Aug  2 07:00:10 -fw01 ", False),
    ("Aug  2 07:00:10 .fw01 ", False),
    ("Aug  2 07:00:10 _fw01 ", False),  # (no letter first)
    ("Aug  2 07:00:10 2026 ", False),  # (a number: no host to _syslog, it stays in the message)
    ("Aug  2 07:00:10 10.0.0.256 ", False),
    ("Aug  2 07:00:10 10.0.0.01 ", False),
    ("Aug  2 07:00:10 2001:db8::1 ", False),  # (an address of IPv6: the parser's)
    ("Aug  2 07:00:10  fw01 ", False),
    ("Aug  2 07:00:10 ", False),  # no host
    ("Aug  2 07:00:10 fw01 fw01 ", False),
    ("Aug  2 07:00:10 fw01 app: ", False),  # a tag
]


@pytest.mark.parametrize(("header", "counted"), _RELAYED)
@pytest.mark.parametrize(
    "build",
    [line, app_ctrl, dns_filter, traffic, functools.partial(traffic, version=7)],
    ids=["webfilter", "app-ctrl", "dns", "traffic", "traffic-7"],
)
def test_a_record_written_by_a_syslog_server(
    build: Callable[[], bytes], header: str, counted: bool
) -> None:
    """A syslog server writes its own header before a record FortiGate sends without one
    (``<PRI>date=...``, the ``<PRI>`` then dropped): the walker counts the record behind a
    header ``_syslog`` strips (a real day, a time it builds, a host name), or bare, at the
    record's time; any other header is the parser's line."""
    raw = header.encode() + build().split(b">", 1)[1]
    _, w = _walk([raw])
    assert (w.rows.size == 0) == counted, raw
    if counted:
        event = _parse(raw)
        assert event is not None and _parse(build()) == event
        assert _key_time(raw, _key_at(raw), w.zone) == event.timestamp  # type: ignore[attr-defined]


_MONTHS = st.sampled_from(["Jan", "Feb", "Apr", "Aug", "Dec", "Sep", "aug", "Ago", "Au"])


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    month=_MONTHS,
    day=st.integers(0, 33),
    blank=st.sampled_from([" ", "  "]),
    clock=st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    host=st.one_of(
        st.text("aZ09_.-:=[]", min_size=0, max_size=12),
        st.builds("{}.{}.{}.{}".format, *[st.integers(0, 300)] * 4),
    ),
)
@example(month="Feb", day=29, blank=" ", clock=(23, 59, 59), host="fw01")
def test_any_header_of_a_syslog_server(
    month: str, day: int, blank: str, clock: tuple[int, int, int], host: str
) -> None:
    """Whatever the header: a record the walker counts behind it is the parser's event, at
    its time; a header ``_syslog`` strips (a real day of 2000, a time it builds, a host name of
    its ``_HOST`` with a letter first, or an IPv4 address) always is."""
    from sentinelle.formats._syslog import strip_syslog

    stamp = "{:02d}:{:02d}:{:02d}".format(*clock)
    raw = f"{month}{blank}{day} {stamp} {host} "
    raw_line = raw.encode() + line().split(b">", 1)[1]
    _, w = _walk([raw_line])
    header, _rest = strip_syslog(raw_line.decode())
    if w.rows.size == 0:
        event = _parse(raw_line)
        assert event is not None and header is not None and header.host == host.lower(), raw_line
        assert _key_time(raw_line, _key_at(raw_line), w.zone) == event.timestamp  # type: ignore[attr-defined]
    possible = (
        month in ("Jan", "Feb", "Apr", "Aug", "Dec", "Sep")
        and 1 <= day <= {"Feb": 29, "Apr": 30, "Sep": 30}.get(month, 31)
        and clock[0] <= 23
        and clock[1] <= 59
        and clock[2] <= 59
        and bool(
            re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]*", host)
            or re.fullmatch(
                r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)",
                host,
            )
        )
    )
    if possible:
        assert w.rows.size == 0, raw_line
