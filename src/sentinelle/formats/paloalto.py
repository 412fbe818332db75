"""Palo Alto Networks PAN-OS syslog, default CSV format: TRAFFIC, THREAT (url), DECRYPTION.

``FUTURE_USE, Receive Time, Serial Number, Type, Subtype, ..., Generated Time, Source Address,
Destination Address, ...`` — one positional layout per log type (PAN-OS "Syslog Field
Descriptions").  Columns are added at the end with each PAN-OS version, so fields are read by
their documented position and trailing columns are tolerated; quoted fields may hold commas.

* TRAFFIC: no host name at all (addresses, ports, application, bytes sent/received).
* THREAT subtype ``url`` (URL Filtering log): ``URL/Filename`` = ``host/path`` without scheme.
  Other THREAT subtypes (virus, spyware, vulnerability, file, wildfire...) are skipped.
* DECRYPTION: ``Server Name Indication`` (else the certificate's Subject Common Name).
* SYSTEM, CONFIG, HIP-MATCH, USERID, GLOBALPROTECT, AUTH... are skipped.

Time: ``Generated Time`` is the firewall's local time without offset (read in ``ctx.tz``); the
``High Resolution Timestamp`` that PAN-OS ≥ 9.1/10.0 append (ISO 8601 with offset, at a
version-dependent position among the trailing columns) wins when present.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, build, parse_iso
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import (
    DIGIT,
    NO_VALUE_WORDS,
    RELAY_IPS,
    FreeColumns,
    Profile,
    literal,
    optional,
    relay_headers,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, count

_SNIFF = re.compile(
    r"(?:^|[\s,])\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2},\w*,(?:TRAFFIC|THREAT|DECRYPTION),"
)
_PAN_TIME = re.compile(r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
_HIRES = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$")

# Documented positions (0-based; column 0 is FUTURE_USE) shared by the three log types.
TYPE, SUBTYPE, GENERATED = 3, 4, 6
SRC, DST, SRC_USER, APP = 7, 8, 12, 14
DST_PORT, ACTION = 25, 30
# TRAFFIC: Bytes Sent (client→server) and Bytes Received (server→client).
T_BYTES_SENT, T_BYTES_RECEIVED = 32, 33
# THREAT: URL/Filename, and the HTTP Method column that PAN-OS ≥ 8.0 writes.
U_URL, U_METHOD = 31, 63
# DECRYPTION: Subject Common Name and Server Name Indication.
D_SUBJECT_CN, D_SNI = 60, 63
MIN_COLUMNS = {"TRAFFIC": 34, "THREAT": 32, "DECRYPTION": 64}
_FIRST_TRAILING = 46  # the high-resolution timestamp is never before this column
_CSV_LIMIT = csv.field_size_limit()  # a longer field is an error to the csv module

_TRAFFIC_BLOCKED = frozenset(
    {"deny", "drop", "drop-icmp", "reset-both", "reset-client", "reset-server", "block"}
)
_URL_BLOCKED = frozenset(
    {
        "block-url",
        "block-continue",
        "block-override",
        "override-lockout",
        "drop",
        "deny",
        "reset-both",
        "reset-client",
        "reset-server",
        "block",
    }
)
_SKIPPED_TYPES = frozenset(
    {
        "SYSTEM",
        "CONFIG",
        "HIP-MATCH",
        "HIPMATCH",
        "USERID",
        "GLOBALPROTECT",
        "AUTH",
        "CORRELATION",
        "IPTAG",
        "GTP",
        "SCTP",
        "TUNNEL",
    }
)


class PaloAltoParser(LineParser):
    product = "paloalto"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        rest = syslog_message(line)
        cols = _split(rest)
        if len(cols) < 7 or not _PAN_TIME.match(cols[1]):
            raise MalformedLine("not a PAN-OS CSV record (no Receive Time in column 2)")
        log_type = cols[TYPE].upper()
        if log_type in _SKIPPED_TYPES:
            return None
        if log_type not in MIN_COLUMNS:
            raise MalformedLine(f"unknown PAN-OS log type {cols[TYPE]!r}")
        if log_type == "THREAT" and cols[SUBTYPE].lower() != "url":
            return None  # virus, spyware, vulnerability...: not a request record
        if len(cols) < MIN_COLUMNS[log_type]:
            raise MalformedLine(
                f"{log_type} record has {len(cols)} columns, expected at least "
                f"{MIN_COLUMNS[log_type]} (truncated?)"
            )
        return _EVENT[log_type](cols, self._time(cols))

    def _time(self, cols: list[str]) -> datetime:
        """High Resolution Timestamp when present, else Generated Time read in ``ctx.tz``."""
        # most of the ~60 trailing columns are empty: filter() skips them in C; value[10] is
        # the 'T' of any match: most of the others end here, unmatched
        for value in filter(None, cols[_FIRST_TRAILING:]):
            if value[10:11] == "T" and _HIRES.match(value):
                return _hires_utc(value, self.clock)
        m = _PAN_TIME.match(cols[GENERATED])
        if m is None:
            raise MalformedLine(f"Generated Time {cols[GENERATED]!r} is not YYYY/MM/DD HH:MM:SS")
        return self.clock.to_utc(build(*(int(g) for g in m.groups())))


def _hires_utc(value: str, clock: LocalClock) -> datetime:
    """``parse_iso`` of a High Resolution Timestamp (``_HIRES``'s shape), in one C call for
    the shapes PAN-OS writes: milli- or microseconds or none, then ``Z`` or ``±HH:MM``
    (``parse_iso`` read them the same way, after checks that took ~2.5 µs a line)."""
    n = len(value)
    if (
        n in (20, 24, 27)
        if value[-1] == "Z"
        else n in (25, 29, 32) and value[-3] == ":" and value[-2] <= "5"
    ):
        try:
            return datetime.fromisoformat(value).astimezone(UTC)
        except (ValueError, OverflowError):
            pass  # an impossible date or offset, or no such day in UTC: parse_iso says which
    return parse_iso(value, clock)


def _split(text: str) -> list[str]:
    """CSV columns (double-quoted fields may hold commas and doubled quotes)."""
    quote = text.find('"')
    if quote < 0:
        return text.split(",")
    # One quoted field (the URL, in most records), between commas: what the csv module reads,
    # without it (~2 µs of a ~20 µs line).  A line break, a NUL or an overlong line: the
    # csv module says what it makes of them.
    end = text.find('"', quote + 1)
    if (
        end > 0
        and text.find('"', end + 1) < 0
        and (quote == 0 or text[quote - 1] == ",")
        and (end + 1 == len(text) or text[end + 1] == ",")
        and len(text) <= _CSV_LIMIT
        and "\r" not in text
        and "\n" not in text
        and "\0" not in text
    ):
        cols = text[:quote].split(",")
        cols[-1] = text[quote + 1 : end]
        if end + 1 < len(text):
            cols += text[end + 2 :].split(",")
        return cols
    try:
        return next(csv.reader([text]))
    except (csv.Error, StopIteration):
        raise MalformedLine("unreadable CSV quoting") from None


def _common(cols: list[str], ts: datetime) -> Event:
    return Event(
        timestamp=ts,
        source_ip=canonical_ip(cols[SRC]),
        user_name=None if _kv.blank(cols[SRC_USER]) else cols[SRC_USER],
        destination_ip=canonical_ip(cols[DST]),
        destination_port=_port(cols[DST_PORT]),
        observer_product=PaloAltoParser.product,
        network_protocol="network",
    )


def _traffic(cols: list[str], ts: datetime) -> Event:
    event = _common(cols, ts)
    blocked = cols[ACTION].lower() in _TRAFFIC_BLOCKED or cols[SUBTYPE].lower() in ("deny", "drop")
    event.event_action = "blocked" if blocked else "allowed"
    event.source_bytes = _count(cols[T_BYTES_SENT], "Bytes Sent")
    event.destination_bytes = _count(cols[T_BYTES_RECEIVED], "Bytes Received")
    return event


def _url(cols: list[str], ts: datetime) -> Event:
    event = _common(cols, ts)
    event.event_action = "blocked" if cols[ACTION].lower() in _URL_BLOCKED else "allowed"
    domain, literal, event.url_path = _target(cols[U_URL])
    event.destination_domain = domain
    event.destination_ip = event.destination_ip or literal
    event.http_request_method = _kv.http_method(cols[U_METHOD] if len(cols) > U_METHOD else None)
    event.network_protocol = "http"
    return event


def _decryption(cols: list[str], ts: datetime) -> Event:
    event = _common(cols, ts)
    event.event_action = "blocked" if cols[ACTION].lower() in _TRAFFIC_BLOCKED else "allowed"
    domain, _literal = _kv.host_or_ip(cols[D_SNI])
    if domain is None:
        domain, _literal = _kv.host_or_ip(cols[D_SUBJECT_CN].lstrip("*."))
    event.destination_domain = domain
    event.network_protocol = "tls" if domain else "network"
    return event


@lru_cache(maxsize=1 << 14)  # a month names the same URLs on many lines (CONNECT's host:443/)
def _target(url: str) -> tuple[str | None, str | None, str | None]:
    """(domain, IP literal, path) of a URL/Filename value (a MalformedLine is never
    remembered: raised again)."""
    target = _kv.split_loose_url(url)
    domain, literal = _kv.host_or_ip(target.host)
    return domain, literal, target.path if domain or literal else None


_EVENT = {"TRAFFIC": _traffic, "THREAT": _url, "DECRYPTION": _decryption}


def _port(value: str) -> int | None:
    port = count(value) if _kv.digits(value) else None
    return port if port is not None and 0 < port < 65536 else None


def _count(value: str, name: str) -> int | None:
    if not value:
        return None
    if not _kv.digits(value):
        raise MalformedLine(f"{name} {value!r} is not a number")
    return count(value)


# -- the usual line (see formats/_usual.py), read by the native walker -------------------------
#: a bare CSV column as the parser splits it: no comma, no quote (then ``str.split`` and the csv
#: module read it alike), no NUL (which csv readers before Python 3.11 refuse)
_BARE = chars('^,"\x00')
#: a serial number (printable ASCII: bounded, so never longer than csv reads a column)
_SERIAL = chars("!-~") - chars(',"')
#: an RFC 5424 header's field as ``_syslog`` reads it (``\\S+``): visible ASCII without a comma
_HEADER_WORD = chars("!-~") - chars(",")


def _rfc5424() -> tuple[Item, ...]:
    """An RFC 5424 header after its ``<PRI>`` (PAN-OS' IETF format): version 1, time, host,
    app, procid and msgid, no structured data (``-``), and a blank."""
    fields: list[Item] = [Element("v1", chars("1")), Element("v1_sp", chars(" "))]
    for name in ("ts5424", "host5424", "app5424", "procid", "msgid"):
        fields += [Element(name, _HEADER_WORD, 1, None), Element(f"{name}_sp", chars(" "))]
    return (*fields, Element("sd_nil", chars("-")), Element("sd_sp", chars(" ")))


def _receive_time() -> tuple[Element, ...]:
    """``YYYY/MM/DD HH:MM:SS`` and the comma after it: the Receive Time as the parser checks
    it (its shape; its numbers unread)."""
    shape = ((4, "/"), (2, "/"), (2, " "), (2, ":"), (2, ":"), (2, ","))
    return tuple(
        element
        for i, (digits, after) in enumerate(shape)
        for element in (Element(f"r{i}", DIGIT, digits, digits), Element(f"r{i}_end", chars(after)))
    )


def _rest(name: str) -> Element:
    """The rest of a record from the comma after its subtype (or its type): free columns."""
    return Element(name, chars("^\x00"), 1, None, first=chars(","))


#: A URL Filtering record's columns from the 6th (``THREAT,url,`` before them): the 32nd,
#: ``URL/Filename``, quoted, a host name, maybe a port, and a path; the first of the 47th and
#: after that looks like a time, the High Resolution Timestamp (PAN-OS 10 and later)
_URL_COLUMNS = FreeColumns("u_cols", time_from=_FIRST_TRAILING - 5, host=U_URL - 5)
#: A traffic record's columns from the 5th (``TRAFFIC,`` before them): Bytes Sent and Bytes
#: Received digits or empty, the High Resolution Timestamp as a URL record's
_TRAFFIC_COLUMNS = FreeColumns(
    "t_cols",
    time_from=_FIRST_TRAILING - 4,
    digits=frozenset({T_BYTES_SENT - 4, T_BYTES_RECEIVED - 4}),
)

#: A decryption record's columns from the 5th (``DECRYPTION,`` before them): its Server Name
#: Indication a host name (without it, or with an address, the parser reads the certificate's
#: Subject Common Name: parsed), the High Resolution Timestamp as a URL record's
_DECRYPTION_COLUMNS = FreeColumns("d_cols", time_from=_FIRST_TRAILING - 4, name=D_SNI - 4)

#: The record after ``T`` (its type's first letter): a URL Filtering record (``THREAT,url``),
#: another threat (virus, spyware...: the parser skips it; its subtype, the next column and maybe
#: more, no quote), or a traffic record.  A ``url`` or a traffic record goes on as free columns
#: (their number varies with PAN-OS' version; the first that may be empty is the 5th, a traffic
#: record's subtype: a run of commas is one element to the walker, so the columns are its to read)
_RECORD = Branch(
    (
        (
            *literal("threat", "HREAT,"),
            Branch(
                (
                    (*literal("url", "url"), _rest("u_cols")),
                    (
                        Element("other", _BARE, 1, None, first=_BARE - chars("uU")),
                        Element("comma4", chars(",")),
                        Element("c5", _BARE, 1, None),
                        Element("comma5", chars(",")),
                        optional(Element("skipped", chars('^"\x00'), 1, None)),
                    ),
                )
            ),
        ),
        (*literal("traffic", "RAFFIC"), _rest("t_cols")),
    )
)


def _key_time(key: bytes) -> datetime:
    """The UTC time of a usual line's High Resolution Timestamp (its key, then its offset), as
    the parser reads it."""
    return _hires_utc(key.decode("ascii"), _UTC_CLOCK)


_UTC_CLOCK = LocalClock(UTC)

#: PAN-OS' URL Filtering, other threat and traffic records in the default CSV format, behind
#: PAN-OS' BSD syslog header (with ``<PRI>``, or without as a syslog server writes it; its host
#: a name or an IPv4 address), a syslog server's RFC 3339 one (``relay_headers``) or PAN-OS'
#: IETF one: ``1``, the Receive
#: Time, the serial number, the type, then the columns the parser reads, each as it reads them
#: without refusing the line, and the trailing columns, whose number varies with PAN-OS' version:
#: the first of them (from the 47th) that looks like a time must be the High Resolution
#: Timestamp (PAN-OS 10 and later, with milliseconds and an offset), the record's time.  A
#: record without it (PAN-OS 9 and before), whose Generated Time is local, goes to the parser.
#: Read by the native walker only.
USUAL = Profile(
    usual=(
        Branch(
            (
                (
                    Element("pri_open", chars("<")),
                    Element("pri", DIGIT, 1, 3),
                    Element("pri_close", chars(">")),
                    Branch((*relay_headers(), _rfc5424())),
                ),
                *relay_headers(),  # (a syslog server drops the <PRI>)
            )
        ),
        *literal("future", "1,"),
        *_receive_time(),
        Element("serial", _SERIAL, 1, 64),
        Element("comma2", chars(",")),
        Branch(
            (
                (Element("type_t", chars("T")), _RECORD),
                (*literal("decryption", "DECRYPTION"), _rest("d_cols")),
            )
        ),
    ),
    tail=frozenset(),
    reserved=NO_VALUE_WORDS,
    in_order=True,  # the records without a High Resolution Timestamp: local times
    ips=RELAY_IPS,  # (a syslog header's sender, its address)
    free_columns=(_URL_COLUMNS, _TRAFFIC_COLUMNS, _DECRYPTION_COLUMNS),
    skip_element="other",
    key_len=23,
    key_time=_key_time,
    host_start=b'",.',  # the URL's host after its quote, the name's after its comma
    host_end=b'.:/",',
    about=(
        "a URL Filtering, decryption or traffic record of PAN-OS 10 or later in the default CSV "
        "format (BSD or IETF syslog header, the BSD one maybe without its `<PRI>` as a syslog "
        "server writes it, or a syslog server's RFC 3339 one; the host a name or an IPv4 "
        "address): the URL a host name, maybe a port, and a path; the "
        "Server Name Indication a host name; the byte counts digits; the first trailing column "
        "that looks like a time the High Resolution Timestamp, with milliseconds and an offset. "
        "Other threat records are counted as skipped."
    ),
)


class PaloAltoFormat(LogFormat):
    name = "paloalto"
    description = (
        "Palo Alto Networks PAN-OS syslog in the default CSV format: URL Filtering (THREAT/url: "
        "host/path), Decryption (SNI) and Traffic records (addresses, application, bytes; no "
        "host name). Other log types and threat subtypes are skipped."
    )
    kind = "firewall"
    host_field = "URL/Filename (THREAT/url), Server Name Indication (DECRYPTION); none in TRAFFIC"
    host_evidence = "url"
    example = (
        "<14>Mar  2 09:14:05 PA-3220 1,2026/03/02 09:14:05,012801096514,THREAT,url,2561,"
        "2026/03/02 09:14:05,10.20.3.14,104.18.32.47,192.0.2.10,104.18.32.47,web-out,"
        "chu\\jdupont,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,syslog,"
        "2026/03/02 09:14:05,28191,1,51544,443,37679,443,0x403000,tcp,alert,"
        '"chatgpt.com/backend-api/conversation",(9999),artificial-intelligence,'
        "informational,client-to-server,7726,0x2000000000000000,10.0.0.0-10.255.255.255,"
        "United States,0,,0,,,0,,,,,,,,0,0,0,0,0,,PA-3220,,,,,0,,0,,N/A,unknown,"
        "AppThreat-0-0,0x0,0,4294967295,"
    )
    vendor_setup = (
        "Device > Server Profiles > Syslog (format BSD or IETF, default 'Custom Log Format' "
        "left empty so the default CSV is sent); Objects > Log Forwarding: forward Traffic, "
        "URL (Threat) and Decryption logs. In URL Filtering profiles set the categories to "
        "`alert` (not `allow`, which is not logged) so allowed URLs are logged; enable "
        "'Log Successful TLS Handshakes' in the Decryption profile for SNI records."
    )
    fields_used = (
        "High Resolution Timestamp (ISO 8601 with offset) or Generated Time (local, --tz) → "
        "@timestamp; Source Address → source.ip; Source User → user.name; Destination "
        "Address/Port → destination.ip/port; URL/Filename → destination.domain + path for URL "
        "rules (THREAT/url); Server Name Indication, else Subject Common Name → "
        "destination.domain (DECRYPTION; a wildcard `*.example.com` CN gives example.com); "
        "Bytes Sent/Bytes Received → source.bytes/"
        "destination.bytes (TRAFFIC); HTTP Method → http.request.method; Action (block-url, "
        "deny, drop, reset-*) or Subtype deny/drop → blocked."
    )
    limits = (
        "TRAFFIC records have no host name: they are counted as events (network.protocol "
        "`network`) but cannot match a catalog service. URL records have no byte counts and "
        "no HTTP status; URL categories set to `allow` are not logged at all. QUIC to AI "
        "services appears only as TRAFFIC with application `quic`. Custom log formats (CEF, "
        "LEEF) are read by the `cef`/`leef` formats instead."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        return _kv.detect_records(self, head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return PaloAltoParser(ctx)


FORMAT = PaloAltoFormat()
