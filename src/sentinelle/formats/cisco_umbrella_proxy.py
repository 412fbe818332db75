"""Cisco Umbrella proxy logs (Secure Web Gateway), as exported to S3: quoted CSV, no header.

Columns by position (schema versions add columns at the end: 32 in v8, 35 in v9+, both are read):
0 Timestamp (UTC), 1 Identity, 2 Internal IP, 3 External IP, 4 Destination IP, 5 Content Type,
6 Verdict, 7 URL, 8 Referer, 9 User-Agent, 10 Status Code, 11 Request Size, 12 Response Size,
13 Response Body Size, 14 SHA-256, 15 Categories, …, 21 Identity Type, 22 Blocked Categories,
23 Identities, 24 Identity Types, 25 Request Method.  Some exports put a blank after the comma
(``"1.1.1.91", "3.4.5.6"``): values are read with leading blanks skipped and stripped.  An
optional header line (the "include headers" toggle) is skipped.
"""

from __future__ import annotations

import re

from sentinelle.errors import MalformedLine
from sentinelle.formats._csv import csv_values
from sentinelle.formats._kv import host_or_ip, ip, number, text
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._time import LocalClock, parse_iso
from sentinelle.formats._url import split_url
from sentinelle.formats._usual import (
    CSV_FIELD_LIMIT,
    DIGIT,
    HOSTC,
    LETTER,
    MAX_DIGITS,
    NO_VALUE_WORDS,
    QUOTED,
    UTC_KEY_LEN,
    Profile,
    comma,
    datetime_digits,
    literal,
    optional,
    utc_key,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

COLUMNS = (
    "timestamp", "identity", "internal_ip", "external_ip", "destination_ip", "content_type",
    "verdict", "url", "referer", "user_agent", "status", "request_size", "response_size",
    "response_body_size", "sha256", "categories", "av_detections", "puas", "amp_disposition",
    "amp_malware_name", "amp_score", "identity_type", "blocked_categories", "identities",
    "identity_types", "request_method",
)  # fmt: skip
_MIN_COLUMNS = 13  # up to Response Size: what the oldest schema versions have
_SNIFF = re.compile(
    r'^"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",(?:\s*"[^"]*",){5}\s*"(?:ALLOWED|BLOCKED|[A-Z_]+)",'
    r'\s*"[a-zA-Z][a-zA-Z0-9+.-]*://'
)
_VERDICTS = {"ALLOWED", "BLOCKED", "WARNED", "ISOLATED", "PROCEED"}


class UmbrellaProxyParser(LineParser):
    product = "cisco-umbrella-proxy"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip():
            return None
        values = _values(line)
        if values[0].lower() == "timestamp":
            return None  # optional header line
        if len(values) < _MIN_COLUMNS:
            raise MalformedLine(f"{len(values)} columns; Umbrella proxy logs have at least 13")
        rec = dict(zip(COLUMNS, values, strict=False))
        verdict = rec["verdict"].upper()
        if verdict not in _VERDICTS:
            raise MalformedLine(f"verdict {rec['verdict']!r} is not ALLOWED/BLOCKED/…")
        method = (text(rec, "request_method") or "").upper() or None
        url = text(rec, "url")
        target = split_url(url, None if "://" in url else method) if url else None
        domain, url_ip = host_or_ip(target.host if target else None)
        return Event(
            timestamp=parse_iso(rec["timestamp"] + "Z", self.clock),
            source_ip=ip(rec, "internal_ip"),
            destination_domain=domain,
            destination_ip=url_ip or ip(rec, "destination_ip"),
            destination_port=target.port if target else None,
            http_request_method=method,
            http_response_status_code=number(rec, "status"),
            event_action="blocked" if verdict == "BLOCKED" else "allowed",
            source_bytes=number(rec, "request_size"),
            destination_bytes=number(rec, "response_size"),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path if target else None,
        )


def _values(line: str) -> list[str]:
    return [v.strip() for v in csv_values(line, skip_initial_space=True)]


# -- the usual line (see formats/_usual.py), read by the native walker ------------------------


def _fixed(n: int, *content: Item) -> tuple[Item, ...]:
    """Column ``n``, never empty (``"content"``), and the comma after it."""
    return (
        Element(f"open{n}", chars('"')),
        *content,
        Element(f"close{n}", chars('"')),
        comma(n + 1),
    )


def _column(n: int, text: frozenset[int] = QUOTED, most: int | None = None) -> tuple[Item, ...]:
    """Column ``n``, maybe empty, and the comma after it: the opening quote and maybe text of
    ``text`` (at most ``most`` bytes; one run: two runs of quotes in a row would be one), the
    closing quote."""
    return (
        Element(f"c{n}", text, 1, None if most is None else most + 1, first=chars('"')),
        Element(f"close{n}", chars('"')),
        comma(n + 1),
    )


#: the status and the sizes (``number``): digits, at most 18 (Python refuses ints of over 4300)
_NUMBER = 18

_VERDICT = Branch(
    tuple(literal(v.lower(), v) for v in ("ALLOWED", "BLOCKED", "WARNED", "ISOLATED", "PROCEED"))
)  # (they all end with "D")
#: ``scheme://host``, maybe a port (digits, maybe none), then the column's end, or ``/?#`` and
#: anything
_URL = (
    Element("scheme", HOSTC, 1, None, first=LETTER),
    Element("colon", chars(":")),
    Element("slashes", chars("/"), 2, 2),
    Element("host", HOSTC, 1, None, first=LETTER),
    optional(Element("port", DIGIT, 1, MAX_DIGITS + 1, first=chars(":"))),
    optional(Element("after", QUOTED, 1, None, first=chars("/?#"))),
    Element("close7", chars('"')),
    comma(8),
)

#: The first 13 columns of a usual line, quoted, without quotes inside: a time, maybe empty
#: columns, a verdict, a URL with a host name, maybe empty columns, the status and sizes digits
#: or nothing; then the line ends, or a comma and any text without a line break in it (the
#: reader refuses a CR out of quotes) nor a NUL.
COLUMNS_CHAIN: tuple[Item, ...] = (
    *_fixed(0, *datetime_digits("time")),
    *(item for n in range(1, 6) for item in _column(n)),
    *_fixed(6, _VERDICT),
    Element("open7", chars('"')),
    *_URL,
    *_column(8),
    *_column(9),
    *_column(10, DIGIT, _NUMBER),
    *_column(11, DIGIT, _NUMBER),
    Element("c12", DIGIT, 1, _NUMBER + 1, first=chars('"')),
    Element("close12", chars('"')),
    optional(Element("rest", chars("^\x00"), 1, None, first=chars(","))),
)


#: The usual record: the columns of :data:`COLUMNS_CHAIN`, its time a possible UTC time
#: (``utc_key``), the URL's host a name (not ``none``, ``null`` or ``unknown``, which the
#: parser reads as no value).
USUAL = Profile(
    usual=COLUMNS_CHAIN,
    tail=frozenset(),
    hosts=frozenset({"host"}),
    reserved=NO_VALUE_WORDS,
    key_at=1,  # (after the column's opening quote)
    key_len=UTC_KEY_LEN,
    key_time=utc_key,
    utc_key=True,
    host_start=b"/.",  # https://chatgpt.com./
    host_end=b'.:/?#"',
    max_line=CSV_FIELD_LIMIT,
    about=(
        "13 columns or more, the first 13 quoted without quotes inside (most may be empty): a"
        " UTC time, a verdict, a URL with a scheme and a host name, and the status and sizes"
        " as digits or nothing."
    ),
)


class UmbrellaProxyFormat(LogFormat):
    name = "cisco-umbrella-proxy"
    description = (
        "Cisco Umbrella Secure Web Gateway (proxy) logs as exported to S3: quoted CSV, one "
        "request per line, schema v8 and later. The host is the full URL's."
    )
    kind = "proxy"
    host_field = "URL (column 8, full URL with scheme)"
    host_evidence = "url"
    example = (
        '"2024-03-09 09:00:00","PC-CARDIO-12","10.20.3.14","203.0.113.7","104.18.32.47",'
        '"application/json","ALLOWED","https://chatgpt.com/backend-api/conversation","",'
        '"Mozilla/5.0","200","2048","5321","5000","","Generative AI","","","","","",'
        '"Roaming Computer","","PC-CARDIO-12","Roaming Computer","POST"'
    )
    vendor_setup = (
        "Umbrella → Admin → Log Management: log to an Amazon S3 bucket (Cisco-managed or "
        "your own) and download the `proxylogs` files (decompress the .csv.gz). Identity "
        "columns need the roaming client / AD connector."
    )
    fields_used = (
        "Timestamp (UTC) → @timestamp; Internal IP → source.ip; URL → destination.domain/port "
        "(path for URL rules, then dropped); Destination IP → destination.ip; Request Method → "
        "http.request.method; Status Code → http.response.status_code; Request Size → "
        "source.bytes; Response Size → destination.bytes; Verdict BLOCKED → event.action "
        "blocked. Identities are not read as user names (they name devices or networks)."
    )
    limits = (
        "No user name column (identities are devices, networks or AD users mixed). Internal "
        "IP is empty for network identities: those records are not attributable to a "
        "workstation (External IP is the hospital's egress). The DNS and firewall logs of the "
        "same export are other formats (`cisco-umbrella-dns`)."
    )
    priority = 35
    usual = USUAL
    handles_syslog = False

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return UmbrellaProxyParser(ctx)


FORMAT = UmbrellaProxyFormat()
