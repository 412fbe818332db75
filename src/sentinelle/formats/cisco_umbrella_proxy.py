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
from sentinelle.formats._time import LocalClock, parse_iso
from sentinelle.formats._url import split_url
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
    handles_syslog = False

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return UmbrellaProxyParser(ctx)


FORMAT = UmbrellaProxyFormat()
