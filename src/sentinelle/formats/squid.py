"""Squid native ``access.log`` (``logformat squid``).

``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`` — epoch seconds with
milliseconds (UTC), elapsed ms (right-aligned, so several spaces may separate fields), client
address, cache result/HTTP status, reply size, method, URL (``host:port`` for CONNECT), user,
hierarchy/peer, MIME type.  Extra trailing columns appended by administrators are tolerated, and
so is a syslog header in front (pfSense ``(squid-1)[pid]:``, rsyslog relays).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._syslog import strip_syslog
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

_SNIFF = re.compile(r"^\s*\d{9,10}\.\d{3}\s+-?\d+\s+\S+\s+[A-Z_]+/\d{3}\s")
_TS = re.compile(r"^\d{1,12}\.\d{1,6}$")
_CODE = re.compile(r"^([A-Z][A-Z_]*)/(\d{3})$")
_METHOD = re.compile(r"^[A-Za-z_-]{1,20}$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")


class SquidParser(LineParser):
    product = "squid"

    def parse(self, line: str) -> Event | None:
        if line[:1].isalpha() or line[:1] == "<":  # pfSense and relays prepend a syslog header
            line = strip_syslog(line)[1]
        parts = line.split()
        if not parts:
            return None
        if len(parts) < 10:
            raise MalformedLine(f"expected at least 10 fields, found {len(parts)}")
        ts, _elapsed, client, code, size, method, url, user, _hier = parts[:9]
        if not _TS.match(ts):
            raise MalformedLine(f"timestamp {ts!r} is not epoch seconds.millis")
        if not _elapsed.lstrip("-").isdigit():
            raise MalformedLine(f"elapsed time {_elapsed!r} is not a number")
        m = _CODE.match(code)
        if m is None:
            raise MalformedLine(f"result code {code!r} is not RESULT/STATUS")
        if not size.isdigit():
            raise MalformedLine(f"reply size {size!r} is not a number")
        if not _METHOD.match(method):
            raise MalformedLine(f"method {method!r} is not an HTTP method")
        source_ip = canonical_ip(client)
        if source_ip is None and not _HOSTNAME.match(client):
            raise MalformedLine(f"client {client!r} is neither an address nor a host name")
        method = method.upper()
        target = split_url(url, method)
        dest_ip = canonical_ip(target.host) if target.host else None
        return Event(
            timestamp=datetime.fromtimestamp(float(ts), UTC),
            source_ip=source_ip,
            source_domain=None if source_ip else client.lower(),
            user_name=user_or_none(user),
            destination_domain=None if dest_ip else target.host,
            destination_ip=dest_ip,
            destination_port=target.port,
            http_request_method=method,
            http_response_status_code=int(m.group(2)),
            event_action="blocked" if m.group(1).startswith("TCP_DENIED") else "allowed",
            destination_bytes=int(size),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path,
        )


class SquidFormat(LogFormat):
    name = "squid"
    description = (
        "Squid native access.log (logformat squid): epoch time, client, result/status, reply "
        "size, method, URL, user. The host is the URL's (CONNECT host:port for HTTPS tunnels). "
        "Records request bytes not at all (bytes_out empty)."
    )
    kind = "proxy"
    host_field = "%ru (URL; CONNECT host:port)"
    host_evidence = "url"
    example = (
        "1785536580.123    412 10.20.3.14 TCP_TUNNEL/200 5321 CONNECT chatgpt.com:443 "
        "jdupont HIER_DIRECT/104.18.32.47 -"
    )
    vendor_setup = (
        "The default `access_log /var/log/squid/access.log squid` (native format). Keep "
        "`strip_query_terms on` (the default): sentinelle never needs queries. Proxy "
        "authentication (`auth_param`) fills the user column."
    )
    fields_used = (
        "`%ts.%03tu` → @timestamp (UTC epoch); `%>a` → source.ip; `%Ss` → event.action "
        "(TCP_DENIED… = blocked); `%>Hs` → http.response.status_code; `%<st` → "
        "destination.bytes; `%rm` → http.request.method; `%ru` → destination.domain/port "
        "(path used for URL rules, then dropped); `%[un` → user.name."
    )
    limits = (
        "No request size (bytes_out stays empty). HTTPS without SSL-bump shows only "
        "CONNECT host:port. Each NTLM/Kerberos handshake writes a TCP_DENIED/407 line, "
        "counted as a blocked request. Transparent interception without SNI peeking logs "
        "addresses only."
    )
    priority = 10

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(strip_syslog(line)[1]) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return SquidParser()


FORMAT = SquidFormat()
