"""Squid ``common`` and ``combined`` logformats (Apache-style lines with Squid's result codes).

``common``: ``%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh``; ``combined`` adds
``"%{Referer}>h" "%{User-Agent}>h"`` before ``%Ss:%Sh``.  ``%tl`` is local time *with* its offset
(``09/Mar/2024:10:00:00 +0100``), so no time zone is needed.  The trailing ``%Ss:%Sh`` is what
tells a Squid line from an Apache web-server line (which is not accepted).  A syslog header in
front (pfSense, rsyslog) is stripped.
"""

from __future__ import annotations

import re

from sentinelle.errors import MalformedLine
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import parse_clf
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

# Possessive runs: each run ends where the next token begins (a blank, a quote, "]", ":"), so
# giving characters back never helped a match; the same matches, without the backtracking.
_QUOTED = r'"(?:[^"\\]++|\\.)*+"'
_LINE = re.compile(
    r"^(?P<client>\S++) (?P<ident>\S++) (?P<user>\S++) \[(?P<time>[^\]]++)\] "
    r'"(?P<request>(?:[^"\\]++|\\.)*+)" (?P<status>\d{1,3}+) (?P<size>\d++|-)'
    rf"(?: (?P<referer>{_QUOTED}) (?P<ua>{_QUOTED}))? (?P<result>[A-Z_]++):(?P<hier>[A-Z_]++)"
    r"(?:\s.*)?$"
)
_SNIFF = re.compile(
    r'^\S+ \S+ \S+ \[\d{1,2}/\w{3}/\d{4}:[\d:]+ [+-]\d{4}\] ".*" \d{3} .* [A-Z_]+:[A-Z_]+'
)
_METHOD = re.compile(r"^[A-Za-z_-]{1,20}$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")


class SquidCombinedParser(LineParser):
    product = "squid-combined"

    def parse(self, line: str) -> Event | None:
        line = syslog_message(line.rstrip("\r\n"))
        if not line.strip():
            return None
        m = _LINE.match(line)
        if m is None:
            raise MalformedLine(
                'not a Squid common/combined line (… [time] "request" status size … Ss:Sh)'
            )
        method, url = _request(m.group("request"))
        target = split_url(url, method) if url else None
        host = target.host if target else None
        dest_ip = canonical_ip(host) if host else None
        size = m.group("size")
        return Event(
            timestamp=parse_clf(m.group("time")),
            source_ip=(source_ip := _client(m.group("client"))),
            source_domain=None if source_ip else m.group("client").lower(),
            user_name=user_or_none(m.group("user")),
            destination_domain=None if dest_ip else host,
            destination_ip=dest_ip,
            destination_port=target.port if target else None,
            http_request_method=method,
            http_response_status_code=int(m.group("status")),
            event_action="blocked" if "DENIED" in m.group("result") else "allowed",
            destination_bytes=None if size == "-" else int(size),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path if target else None,
        )


def _request(request: str) -> tuple[str | None, str | None]:
    """Method and URL of ``METHOD URL HTTP/x.y`` (``-`` or a bare method when Squid had none)."""
    parts = request.split()
    if not parts or parts[0] == "-":
        return None, None
    if not _METHOD.match(parts[0]):
        raise MalformedLine(f"request method {parts[0]!r} is not an HTTP method")
    method = parts[0].upper()
    return (None if method == "NONE" else method), (parts[1] if len(parts) > 1 else None)


def _client(client: str) -> str | None:
    address = canonical_ip(client)
    if address is None and not _HOSTNAME.match(client):
        raise MalformedLine(f"client {client!r} is neither an address nor a host name")
    return address


class SquidCombinedFormat(LogFormat):
    name = "squid-combined"
    description = (
        "Squid access.log in the `common` or `combined` logformat (Apache-like, local time "
        "with offset, ending with Squid's `%Ss:%Sh` result and hierarchy codes). The host is "
        "the request URL's (CONNECT host:port for HTTPS tunnels)."
    )
    kind = "proxy"
    host_field = "%ru in the request line (URL; CONNECT host:port)"
    host_evidence = "url"
    example = (
        '10.20.3.14 - jdupont [09/Mar/2024:10:00:00 +0100] "CONNECT chatgpt.com:443 HTTP/1.1" '
        '200 5321 "-" "Mozilla/5.0" TCP_TUNNEL:HIER_DIRECT'
    )
    vendor_setup = (
        "`access_log /var/log/squid/access.log common` or `... combined` in squid.conf. Keep "
        "`strip_query_terms on` (the default). Proxy authentication fills the user column."
    )
    fields_used = (
        "`%tl` → @timestamp (offset honoured); `%>a` → source.ip (a host name when "
        "`log_fqdn on` → source.domain); `%[un` → user.name; `%rm` → http.request.method; "
        "`%ru` → destination.domain/port (path for URL rules, then dropped); `%>Hs` → "
        "http.response.status_code; `%<st` → destination.bytes; `%Ss` containing DENIED → "
        "event.action blocked."
    )
    limits = (
        "No request size (source.bytes empty). HTTPS without SSL-bump shows only CONNECT "
        "host:port. Each NTLM/Kerberos handshake writes a TCP_DENIED/407 line, counted as "
        "blocked. Apache lines without the trailing `%Ss:%Sh` are not accepted."
    )
    priority = 15

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(syslog_message(line)) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return SquidCombinedParser()


FORMAT = SquidCombinedFormat()
