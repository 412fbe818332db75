"""ArcSight Common Event Format (CEF), from any vendor, with or without a syslog header.

``CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value key=value ...`` — ``\\|``
and ``\\\\`` are escaped in the header; the extension is space-separated ``key=value`` where a
value runs until the next `` key=`` (so it may contain spaces) and escapes ``\\=``, ``\\\\``,
``\\n``, ``\\r`` (ArcSight "CEF Implementation Standard").

Records with a destination (``dhost``, ``request``, ``dst``) are events; records without one
(authentication, system...) are skipped.  Time: ``rt`` (epoch ms or ``MMM dd yyyy HH:mm:ss``
with optional ``.SSS`` and zone), else ``end``/``start``, else the syslog header; a record with
no time at all is rejected.  ``in``/``out`` are read as the standard says (``in`` = bytes from
source to destination), except for Fortinet which writes them the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import NoReturn

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Element, chars
from sentinelle.formats._syslog import header_time_utc, strip_syslog, syslog_message
from sentinelle.formats._time import (
    MONTHS,
    LocalClock,
    build,
    in_utc,
    parse_epoch,
    parse_offset,
)
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    KV_BARE,
    KV_IP,
    LETTER,
    MAX_DIGITS,
    NO_VALUE_WORDS,
    RELAY_IPS,
    TAG_FIRST,
    URL_PATH,
    Profile,
    bar_fields,
    literal,
    optional,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext, detect_by_shape
from sentinelle.schema import Event

_START = re.compile(r"CEF: ?(\d{1,2})\|")
_HEADER_FIELD = re.compile(r"((?:[^|\\]|\\.)*)\|")
# the six fields after the version at once (possessive: a "\" always starts an escape pair, so
# giving back characters can never reach a "|"); a line it does not fit is read field by field
# for the error message
_HEADER_FIELDS = re.compile(r"((?:[^|\\]++|\\.)*+)\|" * 6)
_HEADER_ESCAPE = re.compile(r"\\([|\\])")
# A key starts after a blank; an escaped "\=" never ends a key because "\" is not a key char.
# ("(?<!\S)": at the start or after a blank, as "(?:^|(?<=\s))" but faster to scan for)
_EXT_KEY = re.compile(r"(?<!\S)([A-Za-z0-9_.\[\]-]{1,100})=")
_EXT_ESCAPES = {"=": "=", "\\": "\\", "n": "\n", "r": "\r", "|": "|"}
_EXT_ESCAPE = re.compile(r"\\([=\\nr|])")
_TEXT_TIME = re.compile(
    r"^([A-Za-z]{3}) (\d{1,2})(?: (\d{4}))? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?"
    r"(?: ([A-Za-z][\w/+-]*|[+-]\d{2}:?\d{2}))?$"
)
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
        "quarantine",
        "quarantined",
    }
)


class CefRecord:
    """A parsed CEF line: the seven header fields and the extension dictionary."""

    __slots__ = ("ext", "name", "product", "vendor", "version")

    def __init__(self, header: list[str], ext: dict[str, str]) -> None:
        self.version, self.vendor, self.product = header[0], header[1], header[2]
        self.name = header[5]
        self.ext = ext


def parse_record(text: str) -> CefRecord:
    """The CEF record in ``text`` (anything before ``CEF:`` ignored); MalformedLine if none."""
    m = _START.search(text)
    if m is None:
        raise MalformedLine("no 'CEF:<version>|' header")
    fields = _HEADER_FIELDS.match(text, m.end())
    if fields is None:
        _missing_field(text, m.end())
    header = [m.group(1)]
    for value in fields.groups():
        header.append(_HEADER_ESCAPE.sub(r"\1", value) if "\\" in value else value)
    return CefRecord(header, parse_extension(text[fields.end() :]))


def _missing_field(text: str, pos: int) -> NoReturn:
    """Raise MalformedLine telling how many of the 7 header fields ``text`` has."""
    count = 1
    while count < 7 and (field := _HEADER_FIELD.match(text, pos)) is not None:
        count += 1
        pos = field.end()
    raise MalformedLine(f"CEF header has {count} of 7 '|'-separated fields")


def parse_extension(text: str) -> dict[str, str]:
    """``key=value`` pairs whose values run to the next `` key=`` (later duplicates win)."""
    parts = _EXT_KEY.split(text)  # [before the first key, key, value, key, value, ...]
    out = dict(zip(parts[1::2], map(str.strip, parts[2::2]), strict=True))
    if "\\" in text:
        for key, value in out.items():
            if "\\" in value:
                out[key] = _EXT_ESCAPE.sub(_unescape, value)
    return out


def _unescape(m: re.Match[str]) -> str:
    return _EXT_ESCAPES[m.group(1)]


def parse_text_time(value: str, clock: LocalClock, year: int | None = None) -> datetime:
    """``MMM dd [yyyy] HH:mm:ss[.SSS] [zone]`` (CEF ``rt``, LEEF ``devTime`` default) → UTC."""
    m = _TEXT_TIME.match(value.strip())
    if m is None:
        raise MalformedLine(
            f"time {value!r} is neither epoch milliseconds nor MMM dd yyyy HH:mm:ss"
        )
    month = MONTHS.get(m.group(1).lower())
    if month is None:
        raise MalformedLine(f"unknown month in {value!r}")
    if m.group(3) is not None:
        year = int(m.group(3))
    elif year is None:
        raise MalformedLine(f"time {value!r} has no year")
    micro = int((m.group(7) or "0").ljust(3, "0")) * 1000
    naive = build(
        year,
        month,
        int(m.group(2)),
        int(m.group(4)),
        int(m.group(5)),
        int(m.group(6)),
        micro,
    )
    zone_text = m.group(8)
    if zone_text and zone_text[0] in "+-":
        return in_utc(naive.replace(tzinfo=parse_offset(zone_text)))
    zone = _kv.named_zone(zone_text)
    return in_utc(naive.replace(tzinfo=zone)) if zone else clock.to_utc(naive)


def read_time(value: str, clock: LocalClock, year: int | None = None) -> datetime:
    """Epoch (s/ms/µs/ns told by digit count) or the text form of :func:`parse_text_time`."""
    value = value.strip()
    if _kv.digits(value):
        return parse_epoch(value)
    return parse_text_time(value, clock, year)


class CefParser(LineParser):
    product = "cef"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        _, rest = strip_syslog(line, timed=False)  # its time: only if the record has none
        record = parse_record(rest)
        ext = record.ext
        if not _kv.text(
            ext, "dhost", "destinationHostName", "request", "dst", "destinationAddress"
        ):
            return None  # authentication, system or policy events: no destination
        ts = self._time(ext)
        header = strip_syslog(line)[0] if ts is None else None
        if header is not None:
            ts = header_time_utc(header, self.ctx, self.clock)
        if ts is None:
            raise MalformedLine("no event time (rt, end, start) and no syslog header time")
        return _event(record, ts)

    def _time(self, ext: dict[str, str]) -> datetime | None:
        for key in ("rt", "deviceReceiptTime", "end", "endTime", "start", "startTime"):
            value = _kv.text(ext, key)
            if value:
                return read_time(value, self.clock, self.ctx.year)
        return None


def _event(record: CefRecord, ts: datetime) -> Event:
    ext = record.ext
    fortinet = record.vendor.strip().lower() == "fortinet"
    request = _kv.text(ext, "request", "requestURL")
    target = _kv.split_loose_url(request) if request else None
    domain, literal = _kv.host_or_ip(_kv.text(ext, "dhost", "destinationHostName"))
    if domain is None and literal is None and target is not None:
        domain, literal = _kv.host_or_ip(target.host)
    method = (_kv.text(ext, "requestMethod") or "").upper()
    bytes_in, bytes_out = _kv.number(ext, "in"), _kv.number(ext, "out")
    if fortinet:  # FortiOS maps sentbyte→out and rcvdbyte→in, against the standard
        bytes_in, bytes_out = bytes_out, bytes_in
    user_keys = ("suser", "sourceUserName", "duser") if fortinet else ("suser", "sourceUserName")
    web = target is not None or bool(method)
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(ext, "src") or _kv.ip(ext, "sourceAddress"),
        source_domain=(_kv.text(ext, "shost") or "").lower() or None,
        user_name=_kv.text(ext, *user_keys),
        destination_domain=domain,
        destination_ip=_kv.ip(ext, "dst") or _kv.ip(ext, "destinationAddress") or literal,
        destination_port=_kv.port(ext, "dpt") or (target.port if target else None),
        http_request_method=_kv.http_method(method),
        event_action="blocked" if _blocked(ext) else "allowed",
        source_bytes=bytes_in,
        destination_bytes=bytes_out,
        observer_product=CefParser.product,
        network_protocol="http" if web else "network",
        url_path=target.path if target is not None else None,
    )


def _blocked(ext: dict[str, str]) -> bool:
    return (ext.get("act") or ext.get("deviceAction") or "").strip().lower() in _BLOCKED


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
#: a syslog header's word (host, app): printable, no blank, no "|" (so the line's first "CEF:0|"
#: is the record's), no backslash
_WORD = KV_BARE - chars("|")


def _ext(key: str, value: Element, last: bool = False) -> tuple[Element, ...]:
    """``key=value`` in the extension, then a blank unless it is the last: no blank in the value,
    so no other key hides in it (a key starts after a blank)."""
    blank = () if last else (Element(f"{key}_sp", chars(" ")),)
    return (*literal(f"{key}_k", f"{key}="), value, *blank)


def _key_time(key: bytes) -> datetime:
    """The time of a usual line's ``rt`` (epoch milliseconds), as the parser reads it."""
    return parse_epoch(key.decode("ascii"))


#: an RFC 5424 header after its ``<PRI>`` (as the simulated gateway writes it), its words
#: without "|" and no structured data
_RFC5424 = (
    *literal("v1", "1 "),
    Element("stamp", chars("0-9TZ:.+\\-"), 1, None),
    Element("sp1", chars(" ")),
    Element("origin", _WORD, 1, None),
    Element("sp2", chars(" ")),
    Element("app", _WORD, 1, None),
    *literal("nil", " - - - "),
)

#: A web gateway's record: over syslog (an RFC 5424 header, as the simulated gateway writes it,
#: or an RFC 3164 one), as a syslog server writes it in its files (an RFC 3164 header, maybe with
#: a tag, without the ``<PRI>``) or bare;
#: ``CEF:0|`` and its six fields without escapes, then ``rt`` in epoch
#: milliseconds, the source, an optional user, ``dhost`` (a host name), the destination, its port,
#: the action, the byte counts, the method and a URL with a host name.  ``rt`` moves with the
#: header fields before it: the walker finds it (the profile's key element).
USUAL = Profile(
    usual=(
        *syslog_prefix(tag=TAG_FIRST, after_pri=optional(*_RFC5424)),
        *literal("cef", "CEF:0|"),
        *bar_fields("vendor", "product", "version", "signature", "name", "severity"),
        *_ext("rt", Element("rt_v", DIGIT, 13, 13)),
        *_ext("src", Element("src_v", KV_IP, 1, None)),
        optional(*_ext("suser", Element("suser_v", KV_BARE, 1, None))),
        *_ext("dhost", Element("host", HOSTC, 1, None, first=LETTER)),
        *_ext("dst", Element("dst_v", KV_IP, 1, None)),
        *_ext("dpt", Element("dpt_v", DIGIT, 1, MAX_DIGITS)),
        *_ext("act", Element("act_v", KV_BARE, 1, None)),
        *_ext("in", Element("in_v", DIGIT, 1, MAX_DIGITS)),
        *_ext("out", Element("out_v", DIGIT, 1, MAX_DIGITS)),
        *_ext("requestMethod", Element("method_v", KV_BARE, 1, None)),
        *literal("request_k", "request="),
        Element("scheme", chars("A-Za-z"), 1, None),
        *literal("url_sep", "://"),
        Element("host2", HOSTC, 1, None, first=LETTER),
        optional(Element("url_colon", chars(":")), Element("url_port", DIGIT, 1, MAX_DIGITS)),
        optional(Element("url_path", URL_PATH, 1, None, first=chars("/"))),
    ),
    tail=frozenset(),
    hosts=frozenset({"host", "host2"}),
    reserved=NO_VALUE_WORDS,
    in_order=True,  # records without a time take their syslog header's (a year-less date's year)
    key_element="rt_v",
    ips=RELAY_IPS,  # (an RFC 3164 header's sender, its address)
    key_len=13,
    key_time=_key_time,
    host_start=b"=/.",
    host_end=b". :/",
    about=(
        "a web gateway's record, bare or over syslog (`<PRI>` and maybe an RFC 5424 header "
        "without structured data or an RFC 3164 one, `Mmm dd HH:MM:SS host app:`; or a syslog "
        "server's header without the `<PRI>`: RFC 3164, or RFC 3339 as rsyslog's default file "
        "format writes it; the tag maybe with its `[pid]`, a lowercase letter first): "
        "`CEF:0`, its header fields, `rt` in epoch "
        "milliseconds, a host name as `dhost`, the addresses, port, action, bytes, method and "
        "a URL with a host name."
    ),
)


class CefFormat(LogFormat):
    name = "cef"
    description = (
        "ArcSight CEF from any device (proxies, firewalls, secure web gateways), with or "
        "without a syslog header: the destination host from dhost or the request URL, "
        "addresses, user, action and bytes. Records without a destination are skipped."
    )
    kind = "generic"
    host_field = "dhost (destinationHostName), else the host of request (URL)"
    host_evidence = "url"
    example = (
        "<134>Mar  2 09:14:05 swg-chu CEF:0|Example|SecureWebGateway|4.2|200|Web "
        "request|3|rt=1772439245123 src=10.20.3.14 suser=jdupont dhost=chatgpt.com "
        "dst=104.18.32.47 dpt=443 requestMethod=POST "
        "request=https://chatgpt.com/backend-api/conversation act=allowed in=2310 out=18211"
    )
    vendor_setup = (
        "Choose CEF as the syslog output format on the device (FortiGate `set format cef`, "
        "Check Point Log Exporter `--format cef`, Forcepoint/Zscaler/Menlo CEF feeds) and "
        "include the receipt time (`rt`), the destination host (`dhost`) and URL (`request`)."
    )
    fields_used = (
        "`rt` (or `end`, `start`; epoch ms or `MMM dd yyyy HH:mm:ss[.SSS] [zone]`, naive → "
        "--tz) → @timestamp, else the syslog header; `src` → source.ip; `shost` → "
        "source.domain; `suser` (Fortinet: `duser`) → user.name; `dhost` → "
        "destination.domain, else the host of `request`; `dst` → destination.ip; `dpt` → "
        "destination.port; `requestMethod` → http.request.method; `request` → path for URL "
        "rules; `in`/`out` → source.bytes/destination.bytes (swapped for Fortinet); `act` "
        "block/deny/drop/reject/reset… → blocked."
    )
    limits = (
        "Vendors fill CEF unevenly: records with only `dst` are counted as events "
        "(network.protocol `network`) but cannot match a catalog service; vendor-specific "
        "keys (`cs1`…`cs6`, `FTNTFGT*`) are not read; no HTTP status. Lines without `rt`/"
        "`start`/`end` need a syslog header for their time, otherwise they are rejected."
    )
    priority = 80
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _START.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """CEF lines whose header parses count, even when their time is missing."""
        return detect_by_shape(self, head, lambda ln: parse_record(syslog_message(ln)))

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return CefParser(ctx)


FORMAT = CefFormat()
