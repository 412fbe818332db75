"""IBM QRadar Log Event Extended Format (LEEF 1.0 and 2.0), from any vendor.

``LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>key=value...`` — LEEF 2.0 adds a
delimiter field after EventID, written as a character (``^``) or in hex (``x5E``, ``0x09``;
empty = tab): ``LEEF:2.0|Vendor|Product|Version|EventID|^|src=...^dst=...`` (IBM "LEEF event
components").  Relays sometimes turn tabs into spaces or a literal ``\\t``: both are accepted
(values then run to the next `` key=``, as in CEF).

Keys: predefined ``src``, ``dst``, ``srcPort``, ``dstPort``, ``usrName``, ``srcBytes``,
``dstBytes``, ``devTime`` + ``devTimeFormat`` (Java SimpleDateFormat; default ``MMM dd yyyy
HH:mm:ss`` or epoch milliseconds).  LEEF has no predefined URL or host key: the keys vendors
use (``url``, ``dhost``, ``hostname``, ``domain``...) are read in a fixed order.  Records
without a destination are skipped; without ``devTime`` the syslog header time is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Element, chars
from sentinelle.formats._syslog import header_time_utc, strip_syslog, syslog_message
from sentinelle.formats._time import MONTHS, LocalClock, build, in_utc, parse_offset
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    ISO_MILLIS_KEY_LEN,
    KV_BARE,
    KV_IP,
    LETTER,
    MAX_DIGITS,
    NO_VALUE_WORDS,
    RELAY_IPS,
    TAG_FIRST,
    Profile,
    bar_fields,
    literal,
    optional,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext, detect_by_shape
from sentinelle.formats.cef import parse_extension, read_time
from sentinelle.schema import Event

_START = re.compile(r"LEEF: ?(1\.0|2\.0|1|2)\|")
_HEADER_FIELD = re.compile(r"((?:[^|\\]|\\.)*)\|")
# Vendor, product, version, event id in one match: a field can only end at its unescaped "|"
_HEADER_FIELDS = re.compile(r"((?:[^|\\]++|\\.)*+)\|" * 4)
_DELIMITER = re.compile(r"^(?:0?[xX]([0-9A-Fa-f]{2,4})|\\t|.)?$")
_URL_KEYS = ("url", "URL", "request", "requestURL", "uri", "eurl")
_HOST_KEYS = (
    "dhost",
    "dstHost",
    "destinationHostName",
    "hostname",
    "host",
    "domain",
    "serverName",
    "sni",
)
_DESTINATION_KEYS = ("dst", *_URL_KEYS, *_HOST_KEYS)
_USER_KEYS = ("usrName", "usrname", "suser", "user", "login")
_METHOD_KEYS = ("method", "requestMethod", "reqMethod", "reqmethod", "httpMethod")
_STATUS_KEYS = ("respcode", "responseCode", "statusCode", "httpStatus")
_BLOCKED = frozenset(
    {
        "block",
        "blocked",
        "deny",
        "denied",
        "drop",
        "dropped",
        "reject",
        "rejected",
        "reset",
        "prevent",
        "prevented",
    }
)
# Java SimpleDateFormat letters → (regex, field).  Unknown letters are refused.
_JAVA = {
    "y": (r"\d{2,4}", "year"),
    "M": (r"\d{1,2}|[A-Za-z]{3,9}", "month"),
    "d": (r"\d{1,2}", "day"),
    "H": (r"\d{1,2}", "hour"),
    "k": (r"\d{1,2}", "hour"),
    "h": (r"\d{1,2}", "hour12"),
    "m": (r"\d{1,2}", "minute"),
    "s": (r"\d{1,2}", "second"),
    "S": (r"\d{1,9}", "fraction"),
    "a": (r"[AaPp][Mm]", "ampm"),
    "E": (r"[A-Za-z]+", None),
    "z": (r"[A-Za-z][A-Za-z0-9/_+-]*", "zone"),
    "Z": (r"[+-]\d{4}", "offset"),
    "X": (r"Z|[+-]\d{2}(?::?\d{2})?", "offset"),
}
_JAVA_TOKEN = re.compile(r"'([^']*)'|([A-Za-z])\2*|(\s+)|(.)")


class LeefRecord:
    """A parsed LEEF line: version, vendor, product, event id, attributes."""

    __slots__ = ("attrs", "event_id", "product", "vendor", "version")

    def __init__(self, header: list[str], attrs: dict[str, str]) -> None:
        self.version, self.vendor, self.product, self.event_id = (
            header[0],
            header[1],
            header[2],
            header[4],
        )
        self.attrs = attrs


def parse_record(text: str) -> LeefRecord:
    """The LEEF record in ``text`` (anything before ``LEEF:`` ignored); MalformedLine if none."""
    m = _START.search(text)
    if m is None:
        raise MalformedLine("no 'LEEF:<version>|' header")
    fields = _HEADER_FIELDS.match(text, m.end())
    if fields is None:
        found = 1 + _count_fields(text, m.end())
        raise MalformedLine(f"LEEF header has {found} of 5 '|'-separated fields")
    header = [m.group(1), *fields.groups()]
    pos = fields.end()
    delimiter = "\t"
    if header[0].startswith("2"):
        field = _HEADER_FIELD.match(text, pos)
        if field is not None and "=" not in field.group(1):
            delimiter = _delimiter(field.group(1))
            pos = field.end()
    return LeefRecord(header, _attributes(text[pos:], delimiter))


def _count_fields(text: str, pos: int) -> int:
    """How many '|'-ended header fields follow ``pos`` (fewer than the 4 expected)."""
    count = 0
    while (field := _HEADER_FIELD.match(text, pos)) is not None and count < 4:
        count += 1
        pos = field.end()
    return count


def _delimiter(spec: str) -> str:
    """LEEF 2.0 delimiter field: a character, ``x5E``/``0x09`` hex, ``\\t``, or empty (tab)."""
    m = _DELIMITER.match(spec)
    if m is None:
        raise MalformedLine(f"LEEF 2.0 delimiter {spec!r} is not a character or hex code")
    if m.group(1):
        return chr(int(m.group(1), 16))
    return "\t" if spec in ("", "\\t") else spec


def _attributes(text: str, delimiter: str) -> dict[str, str]:
    """Split on the delimiter; tabs lost to a relay fall back on CEF-like `` key=`` splitting."""
    if delimiter not in text and delimiter == "\t":
        if "\\t" in text:
            delimiter = "\\t"
        else:
            return parse_extension(text)
    out: dict[str, str] = {}
    for part in text.split(delimiter):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def java_time(
    value: str, pattern: str, clock: LocalClock, cache: dict[str, re.Pattern[str]]
) -> datetime:
    """``value`` read with a Java SimpleDateFormat ``pattern`` (devTimeFormat) → UTC."""
    regex = cache.get(pattern)
    if regex is None:
        regex = cache[pattern] = _java_regex(pattern)
    m = regex.match(value.strip())
    if m is None:
        raise MalformedLine(f"devTime {value!r} does not match devTimeFormat {pattern!r}")
    g = m.groupdict()
    hour = int(g.get("hour") or g.get("hour12") or 0)
    if g.get("ampm"):
        hour = hour % 12 + (12 if g["ampm"].lower() == "pm" else 0)
    year = int(g["year"]) if g.get("year") else 0
    naive = build(
        year + 2000 if 0 < year < 100 else year,
        _month(g.get("month") or "1"),
        int(g.get("day") or 1),
        hour,
        int(g.get("minute") or 0),
        int(g.get("second") or 0),
        int((g.get("fraction") or "0")[:6].ljust(6, "0")),
    )
    if g.get("offset"):
        return in_utc(naive.replace(tzinfo=parse_offset(g["offset"])))
    zone = _kv.named_zone(g.get("zone"))
    return in_utc(naive.replace(tzinfo=zone)) if zone else clock.to_utc(naive)


def _java_regex(pattern: str) -> re.Pattern[str]:
    parts, seen = [], set()
    for text, letter, blank, other in _JAVA_TOKEN.findall(pattern):
        if letter:
            regex, field = _JAVA.get(letter, (None, None))
            if regex is None:
                raise MalformedLine(f"devTimeFormat letter {letter!r} is not supported")
            if field and field not in seen:
                seen.add(field)
                parts.append(f"(?P<{field}>{regex})")
            else:
                parts.append(f"(?:{regex})")
        elif blank:
            parts.append(r"\s+")
        else:
            parts.append(re.escape(text or other or "'"))
    return re.compile("^" + "".join(parts) + "$")


def _month(text: str) -> int:
    if _kv.digits(text):
        return int(text)
    month = MONTHS.get(text[:3].lower())
    if month is None:
        raise MalformedLine(f"unknown month {text!r}")
    return month


class LeefParser(LineParser):
    product = "leef"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)
        self.patterns: dict[str, re.Pattern[str]] = {}

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        _, rest = strip_syslog(line, timed=False)  # its time: only if the record has none
        record = parse_record(rest)
        attrs = record.attrs
        if not _kv.text(attrs, *_DESTINATION_KEYS):
            return None  # no destination: authentication, system, audit...
        ts = self._time(attrs)
        header = strip_syslog(line)[0] if ts is None else None
        if header is not None:
            ts = header_time_utc(header, self.ctx, self.clock)
        if ts is None:
            raise MalformedLine("no devTime and no syslog header time")
        return _event(record, ts)

    def _time(self, attrs: dict[str, str]) -> datetime | None:
        value = _kv.text(attrs, "devTime")
        if value is None:
            return None
        pattern = _kv.text(attrs, "devTimeFormat")
        if pattern:
            return java_time(value, pattern, self.clock, self.patterns)
        return read_time(value, self.clock, self.ctx.year)


def _event(record: LeefRecord, ts: datetime) -> Event:
    attrs = record.attrs
    url = _kv.text(attrs, *_URL_KEYS)
    target = _kv.split_loose_url(url) if url else None
    domain, literal = _kv.host_or_ip(_kv.text(attrs, *_HOST_KEYS))
    if domain is None and literal is None and target is not None:
        domain, literal = _kv.host_or_ip(target.host)
    method = (_kv.text(attrs, *_METHOD_KEYS) or "").upper()
    status = _kv.text(attrs, *_STATUS_KEYS)
    web = target is not None or bool(method)
    action = _kv.text(attrs, "action", "act") or record.event_id
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(attrs, "src"),
        user_name=_kv.text(attrs, *_USER_KEYS),
        destination_domain=domain,
        destination_ip=_kv.ip(attrs, "dst") or literal,
        destination_port=_kv.port(attrs, "dstPort") or (target.port if target else None),
        http_request_method=_kv.http_method(method),
        http_response_status_code=int(status) if _kv.digits(status) and len(status) == 3 else None,
        event_action="blocked" if action.strip().lower() in _BLOCKED else "allowed",
        source_bytes=_kv.number(attrs, "srcBytes"),
        destination_bytes=_kv.number(attrs, "dstBytes"),
        observer_product=LeefParser.product,
        network_protocol="http" if web else "network",
        url_path=target.path if target is not None else None,
    )


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
#: ``devTime``'s pattern in a usual line: ISO 8601 in UTC, milliseconds
ISO_UTC_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSSX"


def _attr(key: str, value: Element, last: bool = False) -> tuple[Element, ...]:
    """``key=value`` then the tab that ends it (none after the last): no blank in the value."""
    tab = () if last else (Element(f"{key}_tab", chars("\t"), 1, 1),)
    return (*literal(f"{key}_k", f"{key}="), value, *tab)


def _key_time(key: bytes) -> datetime:
    """The time of a usual line's ``devTime`` (``YYYY-MM-DDTHH:MM:SS.fff``, then ``Z``), as the
    parser reads it by its ``devTimeFormat``."""
    return java_time(key.decode("ascii") + "Z", ISO_UTC_MILLIS, _UTC_CLOCK, _PATTERNS)


_UTC_CLOCK = LocalClock(UTC)  # (never asked: the key's time has its offset, Z)
_PATTERNS: dict[str, re.Pattern[str]] = {}

#: A secure web gateway's LEEF 1.0 record, tab-separated, without a syslog header (as the
#: simulated gateway writes it) or behind one (``syslog_prefix``: ``<PRI>``, a device's RFC 3164
#: header with its tag, a syslog server's): ``LEEF:1.0|`` and its four fields without escapes, then
#: ``devTime`` in UTC with milliseconds and its ``devTimeFormat``, the source, an optional
#: user, the destination, its port, the byte counts, the action, a URL with a host name, the
#: method and the status.  ``devTime`` moves with the header fields before it: the walker finds
#: it (the profile's key element).
USUAL = Profile(
    usual=(
        # bare, or over syslog (<PRI>, an RFC 3164 header), or as a syslog server writes it
        *syslog_prefix(tag=TAG_FIRST),
        *literal("leef", "LEEF:1.0|"),
        *bar_fields("vendor", "product", "version", "event_id"),
        *literal("devtime_k", "devTime="),
        Element("devtime_v", chars("0-9T:.\\-"), ISO_MILLIS_KEY_LEN, ISO_MILLIS_KEY_LEN),
        *literal("devtime_z", f"Z\tdevTimeFormat={ISO_UTC_MILLIS}\t"),
        *_attr("src", Element("src_v", KV_IP, 1, None)),
        optional(*_attr("usrName", Element("user_v", KV_BARE, 1, None))),
        *_attr("dst", Element("dst_v", KV_IP, 1, None)),
        *_attr("dstPort", Element("port_v", DIGIT, 1, MAX_DIGITS)),
        *_attr("srcBytes", Element("out_v", DIGIT, 1, MAX_DIGITS)),
        *_attr("dstBytes", Element("in_v", DIGIT, 1, MAX_DIGITS)),
        *_attr("action", Element("action_v", KV_BARE, 1, None)),
        *literal("url_k", "url="),
        Element("scheme", chars("A-Za-z"), 1, None),
        *literal("url_sep", "://"),
        Element("host", HOSTC, 1, None, first=LETTER),
        optional(Element("url_colon", chars(":")), Element("url_port", DIGIT, 1, MAX_DIGITS)),
        optional(Element("url_path", chars("!-~"), 1, None, first=chars("/"))),
        Element("url_tab", chars("\t"), 1, 1),
        *_attr("method", Element("method_v", KV_BARE, 1, None)),
        *_attr("respcode", Element("status_v", DIGIT, 1, MAX_DIGITS), last=True),
    ),
    tail=frozenset(),
    hosts=frozenset({"host"}),
    reserved=NO_VALUE_WORDS,
    in_order=True,  # records without devTime's offset take --tz, or a syslog header's year
    key_element="devtime_v",
    ips=RELAY_IPS,  # (an RFC 3164 header's sender, its address)
    key_len=ISO_MILLIS_KEY_LEN,
    key_time=_key_time,
    utc_key=True,
    host_start=b"/.",
    host_end=b".:/\t",
    about=(
        "a secure web gateway's tab-separated LEEF 1.0 record (bare, behind `<PRI>` and maybe "
        "an RFC 3164 header `Mmm dd HH:MM:SS host app:`, or behind a syslog server's header: "
        "RFC 3164, or RFC 3339 as rsyslog's default file format writes it; the tag maybe with "
        "its `[pid]`, a lowercase letter first): its header fields, `devTime` "
        "in UTC with milliseconds (`devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX`), the "
        "addresses, user, port, bytes and action, a URL with a host name, the method and "
        "the status."
    ),
)


class LeefFormat(LogFormat):
    name = "leef"
    description = (
        "IBM QRadar LEEF 1.0 / 2.0 from any device (Zscaler QRadar feed, Forcepoint, PAN-OS "
        "LEEF profiles...), with or without a syslog header: destination host from the URL "
        "or host keys, addresses, user, action and bytes. Records without a destination are "
        "skipped."
    )
    kind = "generic"
    host_field = "url/request (host of the URL), else dhost/hostname/host/domain"
    host_evidence = "url"
    example = (
        "<13>Mar  2 09:14:05 swg-chu LEEF:1.0|Example|SecureWebGateway|4.2|Allowed|"
        "devTime=Mar 02 2026 09:14:05 CET\tdevTimeFormat=MMM dd yyyy HH:mm:ss z\t"
        "src=10.20.3.14\tusrName=jdupont\tdst=104.18.32.47\tdstPort=443\t"
        "url=https://chatgpt.com/backend-api/conversation\treqmethod=POST\tsrcBytes=2310\t"
        "dstBytes=18211\taction=allowed"
    )
    vendor_setup = (
        "Choose LEEF (QRadar) as the syslog output format on the device or cloud feed "
        "(Zscaler NSS 'QRadar' feed, Forcepoint LEEF, PAN-OS custom LEEF profile) and "
        "include devTime with devTimeFormat, src, usrName and the URL or host."
    )
    fields_used = (
        "`devTime` (+ `devTimeFormat`, Java pattern; default `MMM dd yyyy HH:mm:ss` or epoch "
        "ms; no zone → --tz) → @timestamp, else the syslog header; `src` → source.ip; "
        "`usrName` (`suser`, `user`, `login`) → user.name; `url`/`request`/`uri` → "
        "destination.domain/port + path for URL rules; `dhost`/`hostname`/`host`/`domain` "
        "→ destination.domain; `dst`/`dstPort` → destination.ip/port; `method`/`reqmethod` → "
        "http.request.method; `respcode`/`responseCode` → http.response.status_code; "
        "`srcBytes`/`dstBytes` → source.bytes/destination.bytes; `action`/`act` (else the "
        "EventID, e.g. Zscaler's Blocked) block/deny/drop… → blocked."
    )
    limits = (
        "LEEF has no standard URL or host key: vendor keys outside the list above are not "
        "read. Records with only `dst` are counted as events (network.protocol `network`) "
        "but cannot match a catalog service. devTimeFormat zone names other than UTC/GMT/"
        "CET/CEST/WET/EET… are read in --tz."
    )
    priority = 80
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _START.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """LEEF lines whose header parses count, even when their time is missing."""
        return detect_by_shape(self, head, lambda ln: parse_record(syslog_message(ln)))

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return LeefParser(ctx)


FORMAT = LeefFormat()
