"""OPNsense's Squid JSON records behind a syslog header: the fast path's JSON format.

The native walker counts a line without the parser only when the parser would make of it an
event with the walker's host and the time of its ``@timestamp`` key: the year-less header must be
a date ``_syslog`` builds (else the header is not stripped and the record is no JSON to it), the
values JSON that ``json.loads`` reads as written (no escape, no control character, integers
without a leading zero), the ``@timestamp`` a possible time with a ``+HHMM`` offset.  The
vendor's optional objects (``host``, ``event`` and ``message``, ``user_agent``) and its empty
``source`` and ``user`` are usual too.  The generic contract on mutated simulated lines is
``test_usual_profiles``'s; both engines' stored rows, ``test_engines_agree``'s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.scan import native

from ._walks import UsualLines

pytestmark = pytest.mark.skipif(not native.available(), reason="the C extension is not built")

SAMPLE = (
    Path(__file__).parents[3]
    / "shared"
    / "samples"
    / "pfsense_opnsense"
    / "test-opnsense-squid.log"
)
HEADER = "<166>{month} {day} {time} {device} {app}[6802]: "
#: the simulator's record (the optional objects left out, source and user given)
RECORD = (
    '{{"@timestamp":"{ts}{tz}","ecs":{{"version":"1.6.0"}},"service":{{"name":"proxy",'
    '"type":"squid"}},"http":{{"request":{{"method":"{method}"}},"response":{{"bytes":{size},'
    '"body":{{"status_code":{status}}}}},"version":"1.1"}},"source":{{"ip":"10.20.3.14"}},'
    '"user":{{"name":"{user}"}},"url":{{"original":"{url}"}},"labels":{{"request_status":'
    '"TCP_TUNNEL","hierarchy_status":"HIER_DIRECT"}}}}'
)

_LINES = UsualLines("opnsense-squid")
_parse, _walk, _key_time = _LINES.parse, _LINES.walk, _LINES.key_time


def line(
    month: str = "Mar",
    day: str = " 9",
    time: str = "10:00:00",
    device: str = "fw.chu.fr",
    app: str = "(squid-1)",
    ts: str = "2026-03-09T10:00:00",
    tz: str = "+0100",
    method: str = "CONNECT",
    size: str = "5321",
    status: str = "200",
    user: str = "jdupont",
    url: str = "chatgpt.com:443",
) -> bytes:
    header = HEADER.format(month=month, day=day, time=time, device=device, app=app)
    record = RECORD.format(
        ts=ts, tz=tz, method=method, size=size, status=status, user=user, url=url
    )
    return (header + record).encode()


def _counted(lines: list[bytes]) -> list[bool]:
    """Whether the walker counts each line without the parser (the same with every variant)."""
    _, w = _walk(lines)
    parsed = {int(k) for k in w.rows[:, 0].tolist()}
    return [k not in parsed for k in range(len(lines))]


def _assert_the_parsers(raw: bytes) -> None:
    """A counted line: the parser's event, with the walker's host and the key's time."""
    block, w = _walk([raw])
    assert w.rows.size == 0 and len(w.pending) == 1, raw
    event = _parse(raw)
    assert event is not None, raw
    names = [n.decode().lower().rstrip(".") for n in w.entry(0)[1:-1].split(b". .")]
    assert event.destination_domain in names, (raw, names)  # type: ignore[attr-defined]
    assert _key_time(block, w.earliest, w.zone) == event.timestamp  # type: ignore[attr-defined]


def test_the_simulated_shape_is_usual() -> None:
    for raw in (line(), line(url="https://chatgpt.com/backend-api/x?y=1", method="POST")):
        _assert_the_parsers(raw)


#: OPNsense's own log files: an RFC 5424 header, without structured data or with its sequence
RFC5424 = [
    '<13>1 2026-03-09T10:00:00+01:00 OPNsense.localdomain squid 6802 - [meta sequenceId="12"] ',
    "<166>1 2026-03-09T10:00:00.123456+01:00 fw squid - - - ",
    "<13>1 - - - - - - ",
]


@pytest.mark.parametrize("header", RFC5424)
def test_an_rfc5424_header_is_usual(header: str) -> None:
    raw = line()
    _assert_the_parsers(header.encode() + raw[raw.index(b"{") :])


_TOKEN = st.text(
    st.sampled_from(["a", "1", "-", ":", "[", "]", '"', "=", "\\", "é", "\t"]), max_size=4
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    pri=st.sampled_from(["<13>", "<1>", "<1666>", "", "<13> "]),
    version=st.sampled_from(["1", "2", "11"]),
    tokens=st.lists(_TOKEN, min_size=5, max_size=5),
    sd=st.one_of(
        st.sampled_from(["-", '[meta sequenceId="7"]', '[meta sequenceId=""]', "", "[x]"]),
        _TOKEN,
    ),
    blanks=st.sampled_from([" ", "  "]),
)
def test_an_rfc5424_header_is_counted_only_as_syslog_strips_it(
    pri: str, version: str, tokens: list[str], sd: str, blanks: str
) -> None:
    """A counted line's RFC 5424 header is one ``_syslog`` strips, leaving the record."""
    header = pri + version + " " + " ".join(tokens) + " " + sd + blanks
    raw = line()
    raw = header.encode() + raw[raw.index(b"{") :]
    if _counted([raw])[0]:
        _assert_the_parsers(raw)


@pytest.mark.parametrize("host", [False, True])
@pytest.mark.parametrize("event", [False, True])
@pytest.mark.parametrize("agent", [None, "", "Mozilla/5.0 (X11)"])
@pytest.mark.parametrize("source", ["", '"ip":"192.168.2.2"'])
@pytest.mark.parametrize("user", ["", '"name":"jdupont"'])
def test_the_vendors_optional_objects_are_usual(
    host: bool, event: bool, agent: str | None, source: str, user: str
) -> None:
    """Every mix of the objects the vendor's records hold that the simulator's do not."""
    record = RECORD.format(
        ts="2026-08-08T19:42:51",
        tz="+0000",
        method="GET",
        size="3162",
        status="403",
        user="x",
        url="http://www.microsoft.com/pki/certs/a.crt",
    )
    record = record.replace('"source":{"ip":"10.20.3.14"}', '"source":{' + source + "}")
    record = record.replace('"user":{"name":"x"}', '"user":{' + user + "}")
    if host:
        record = record.replace(',"http":', ',"host":{"hostname":"-"},"http":')
    if event:
        extra = '"event":{"duration":"40","dataset":"squid.access"},"message":"GET http://x/ H",'
        record = record.replace('"user":', extra + '"user":')
    if agent is not None:
        value = '"original":"' + agent + '"' if agent else ""
        record = record.replace('"labels":', '"user_agent":{' + value + '},"labels":')
    header = HEADER.format(month="Aug", day="21", time="22:08:13", device="fw", app="(squid-1)")
    _assert_the_parsers((header + record).encode())


def test_the_vendors_records_are_usual() -> None:
    if not SAMPLE.exists():
        pytest.skip("../shared/samples is not beside the repository")
    for raw in SAMPLE.read_bytes().splitlines():
        _assert_the_parsers(raw)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    month=st.sampled_from([*_MONTHS, "Mai", "Jux", "JAN"]),
    spaces=st.integers(0, 3),
    day=st.one_of(st.integers(0, 40).map(str), st.integers(0, 9).map("0{}".format)),
    hour=st.integers(0, 25),
    minute=st.integers(0, 61),
    second=st.integers(0, 99),
)
def test_the_header_is_counted_exactly_when_syslog_strips_it(
    month: str, spaces: int, day: str, hour: int, minute: int, second: int
) -> None:
    """A header the walker counts is one ``_syslog`` reads (29 February is one: it builds
    year-less dates in a leap year), and a header it leaves to the parser one the parser refuses
    (the record is sound: it is no JSON when the header stays in front of it)."""
    raw = line(
        month=month,
        day=" " * spaces + day,
        time=f"{hour:02d}:{minute:02d}:{second:02d}",
    )
    if _counted([raw])[0]:
        _assert_the_parsers(raw)
    else:
        with pytest.raises(MalformedLine):
            _parse(raw)


@pytest.mark.parametrize(
    ("edit", "usual"),
    [
        ({"device": "myfirewall.my-domain.tld"}, True),
        ({"device": "-fw"}, False),  # no host to _syslog: the header stays before the record
        ({"device": "10.0.0.1"}, True),
        ({"app": "(squid-1)x"}, True),
        ({"app": "CEF"}, False),  # a payload to _syslog, not a tag
        ({"app": "LEEF"}, False),
        ({"app": "squid"}, False),  # (a tag all the same: left to the parser)
        ({"size": "0"}, True),
        ({"size": "1049136"}, True),
        ({"size": "007"}, False),  # not JSON: json.loads refuses a leading zero
        ({"size": "-1"}, False),
        ({"status": "2e2"}, False),
        ({"status": "200.0"}, False),
        ({"user": 'a\\"b'}, False),  # an escape: json.loads reads another text
        ({"user": "a\\u00e9"}, False),
        ({"user": "a\tb"}, False),  # a control character: json.loads refuses it
        ({"user": "Émilie Noël"}, True),
        ({"user": ""}, False),
        ({"method": "connect"}, True),
        ({"url": "https://chatgpt.com:8443/c/1#x"}, True),
        ({"url": "chatgpt.com"}, False),  # no port: the parser's, not the walker's
        ({"url": "error:443"}, False),  # Squid's pseudo-URLs have no host
        ({"url": "https:\\/\\/chatgpt.com\\/"}, False),
        ({"url": "https://chat gpt.com/"}, False),
        ({"tz": "Z"}, False),
        ({"tz": "+01:00"}, False),
        ({"tz": "+2460"}, False),
        ({"ts": "2026-02-29T10:00:00"}, False),  # 2026 is no leap year
        ({"ts": "2026-03-09 10:00:00"}, False),
    ],
)
def test_values_are_counted_only_as_json_reads_them_unchanged(
    edit: dict[str, str], usual: bool
) -> None:
    raw = line(**edit)
    assert _counted([raw]) == [usual]
    if usual:
        _assert_the_parsers(raw)


def test_lines_of_another_offset_go_to_the_parser_and_bounds_stay_exact() -> None:
    """The walker pins the first line's offset: in October the +0200 lines are counted, the
    +0100 ones (after the change) parsed; the bounds it gives are the counted lines'."""
    summer = [
        line(ts="2026-10-25T02:45:00", tz="+0200"),
        line(ts="2026-10-25T01:10:00", tz="+0200"),
    ]
    winter = [line(ts="2026-10-25T02:30:00", tz="+0100")]
    block, w = _walk(summer + winter)
    assert w.zone == b"+0200" and w.rows[:, 0].tolist() == [2]
    times = sorted(_parse(raw).timestamp for raw in summer)  # type: ignore[attr-defined]
    assert _key_time(block, w.earliest, w.zone) == times[0]
    assert _key_time(block, w.latest, w.zone) == times[-1]
