"""Squid ``common`` and ``combined`` logformats (Apache-style lines with Squid's result codes).

``common``: ``%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh``; ``combined`` adds
``"%{Referer}>h" "%{User-Agent}>h"`` before ``%Ss:%Sh``.  ``%tl`` is local time *with* its offset
(``09/Mar/2024:10:00:00 +0100``), so no time zone is needed.  The trailing ``%Ss:%Sh`` is what
tells a Squid line from an Apache web-server line (which is not accepted).  A syslog header in
front (pfSense, rsyslog) is stripped.
"""

from __future__ import annotations

import re
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Branch, Element, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import parse_clf
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats._usual import (
    CLF_KEY_LEN,
    DIGIT,
    LETTER,
    MAX_DIGITS,
    ZONE,
    Profile,
    literal,
    optional,
    url_with_host,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, count

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
            destination_bytes=None if size == "-" else count(size),
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


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
#: what ``\S`` takes whatever the line's decoding: printable ASCII but the blank
_WORD = chars("!-~")
#: a request's URL: the same, without the quote and the backslash that would end the request
_URL = _WORD - {ord('"'), ord("\\")}
#: a quoted referer or user agent, without the quote and the backslash (no escapes)
_TEXT = frozenset(range(1, 256)) - {ord('"'), ord("\\"), ord("\r"), ord("\n")}


def _sp(n: int) -> Element:
    """The n-th single space between two fields (the parser's pattern has one)."""
    return Element(f"sp{n}", chars(" "), 1, 1)


def _key_time(key: bytes) -> datetime:
    """The UTC time of a usual line's ``DD/Mon/YYYY:HH:MM:SS`` key followed by its offset, as
    the parser reads it (:func:`parse_clf`)."""
    return parse_clf(f"{key[:CLF_KEY_LEN].decode('ascii')} {key[CLF_KEY_LEN:].decode('ascii')}")


#: A ``combined`` line as Squid writes it: a client of hex digits, dots and colons (to the
#: parser an address, or a host name when it has no colon; the walker checks an IPv6 address
#: whole), ident and user, ``[%tl]`` with its offset, a request whose URL has a
#: host name (``CONNECT host:port`` or ``scheme://host/…``), status, size, the quoted referer and
#: user agent without escapes (or neither: ``common``), ``%Ss:%Sh``.  Fields are one space apart,
#: as the parser's pattern wants them.  The time is ordered by its date (a CLF key), the offset
#: pinned by the walker: read by the native walker only.
USUAL = Profile(
    usual=(
        Element("client", chars("0-9A-Fa-f.:"), 1, None, first=chars("0-9A-Fa-f:")),
        _sp(1),
        Element("ident", _WORD, 1, None),
        _sp(2),
        Element("user", _WORD, 1, None),
        *literal("open", " ["),
        Element("day", DIGIT, 2, 2),
        *literal("s1", "/"),
        Element("month", LETTER, 3, 3),
        *literal("s2", "/"),
        Element("year", DIGIT, 4, 4),
        *literal("s3", ":"),
        Element("hh", DIGIT, 2, 2),
        *literal("s4", ":"),
        Element("mm", DIGIT, 2, 2),
        *literal("s5", ":"),
        Element("ss", DIGIT, 2, 2),
        _sp(3),
        Element("tz_v", ZONE, 5, 5),
        *literal("close", '] "'),
        Element("method", chars("A-Za-z_\\-"), 1, None, first=LETTER),
        _sp(4),
        *url_with_host(_URL),
        *literal("proto", " HTTP/"),
        Element("major", DIGIT, 1, 1),
        *literal("dot", "."),
        Element("minor", DIGIT, 1, 1),
        *literal("end_req", '" '),
        Element("status", DIGIT, 3, 3),
        _sp(5),
        Branch(  # digits, or one "-" (the parser's ``\d++|-``: not "-34", nor "1-2")
            ((Element("size", DIGIT, 1, MAX_DIGITS),), (Element("no_size", chars("-"), 1, 1),))
        ),
        _sp(6),
        optional(
            *literal("ref_open", '"'),
            optional(Element("referer", _TEXT, 1, None)),
            *literal("ref_ua", '" "'),
            optional(Element("agent", _TEXT, 1, None)),
            *literal("ua_close", '" '),
        ),
        Element("result", chars("A-Z_"), 1, None),
        *literal("colon", ":"),
        Element("hier", chars("A-Z_"), 1, None),
    ),
    tail=chars(" \t"),
    hosts=frozenset({"u0", "host"}),
    reserved=(b"error",),  # Squid's "error:…" pseudo-URLs have no host
    addresses=frozenset({"client"}),
    key_element="day",
    key_len=CLF_KEY_LEN,
    key_time=_key_time,
    zone="tz_v",
    clf_key=True,
    about=(
        "an IPv4 or IPv6 client, `[%tl]` with its offset, a request whose URL has a host name, the "
        "quoted referer and user agent without escapes (or neither), and `%Ss:%Sh`."
    ),
)


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
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(syslog_message(line)) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return SquidCombinedParser()


FORMAT = SquidCombinedFormat()
