"""Cisco Secure Web Appliance (WSA / IronPort) access logs, Squid-style with ACL decision tags.

``%t %e %a %w/%h %s %2r %A %H/%d %c %D %Xr …``: epoch.millis (UTC), elapsed ms, client, result
code/HTTP status, size, method (``TCP_CONNECT`` for transparent HTTPS), URL, user (quoted when it
holds ``DOMAIN\\user@realm``), hierarchy/host (``DIRECT/www.example.com``: often the only host
name when the URL is ``IP:port``), MIME type, ACL decision tag (``BLOCK_…``, ``PASSTHRU_…``,
``DEFAULT_CASE_…``), then the ``<…>`` verdict list (grows with AsyncOS versions) and trailing
columns.  The W3C-log subscription of the WSA is read by the ``w3c`` format.
"""

from __future__ import annotations

import re

from sentinelle.errors import MalformedLine
from sentinelle.formats._kv import digits, host_or_ip
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import parse_epoch
from sentinelle.formats._url import Target, canonical_ip, split_url, user_or_none
from sentinelle.formats._usual import (
    DIGIT,
    HOST_TRAPS,
    IP_RUN,
    MAX_DIGITS,
    RELAY_IPS,
    SEP,
    TAG_FIRST,
    Profile,
    literal,
    optional,
    sep,
    squid_fields,
    syslog_prefix,
    url_with_host,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Action, Event, count

_TOKEN = re.compile(r'"[^"]*"|<[^>]*>|\S+')
_CODE = re.compile(r"^([A-Z][A-Z_]*)/(\d{3})$")
_TS = re.compile(r"^\d{9,11}\.\d{1,6}$")
_ACL = re.compile(r"^[A-Z]+(?:_[A-Z0-9]+)*-")
_SNIFF = re.compile(r"\d{9,11}\.\d{3}\s+\d+\s+\S+\s+[A-Z_]+/\d{3}\s.*\s[A-Z_]+(?:_\w+)?-\S*\s+<")
_LEVEL = re.compile(r"^(?:Info|Warning|Debug|Critical|Trace):\s+")
_BLOCKING = ("BLOCK", "DROP")
#: where a usual line's record starts, after its syslog header: its time and elapsed time, ten
#: digits, a dot, three digits, blanks, digits and a blank.  (A header's host may end like a
#: time, ``h1234567890.123``, but is followed by a tag or by the record's time, never by digits
#: and a blank; its RFC 3339 time and its tag hold no such run.)
_RECORD = re.compile(rb"(?<![0-9.])[0-9]{10}\.[0-9]{3}[ \t]+[0-9]+[ \t]")


#: The fields a usual line's first eleven tokens may hold: printable ASCII (``\S`` of the
#: parser's tokens is Unicode-aware: a non-ASCII space would split a field there)
_PRINTABLE = chars("!-~")
_QUOTE = chars('"')
_PLAIN = _PRINTABLE - chars('"<')  # a token that starts so is one whitespace-delimited field


def _acl_segments(n: int) -> Branch:
    """Up to ``n`` ``_[A-Z0-9]+`` segments of an ACL decision tag, each optional after the
    one before (a chain has no repetition)."""
    inner: tuple[Item, ...] = ()
    for k in range(n, 0, -1):
        inner = (
            Element(f"acl_under{k}", chars("_")),
            Element(f"acl_segment{k}", chars("A-Z0-9"), 1, None),
            *((optional(*inner),) if inner else ()),
        )
    return optional(*inner)


#: the first character of a usual header's tag (the log subscription's name, which the
#: administrator chooses): a letter, capital or not, but C or L, so that no tag is ``CEF`` or
#: ``LEEF``, which ``_syslog`` leaves in the message (such a tag's lines go to the parser).
#: The WSA's record starts with its time's digits, which no tag can be taken for.
_TAG_FIRST = TAG_FIRST | chars("A-Z") - chars("CL")


#: The usual WSA line (see formats/_usual.py): maybe a syslog header (``syslog_prefix``: the
#: WSA's "Syslog Push" retrieval sends ``<PRI>Mmm dd HH:MM:SS host subscription: Info: record``,
#: a syslog server writes it without the ``<PRI>`` or with rsyslog's RFC 3339 time; the tag is
#: the log subscription's name, a letter first: ``accesslogs``, ``Proxy_Access``, see
#: _TAG_FIRST), maybe the level
#: ``Info: ``, then the record: ``D{10}.D{3}`` time (the key, found by its element), an IPv4
#: or IPv6 client (``strict_address`` in ``scan/_lines.c``), a URL with a host name (``u0``
#: for ``host:port``, ``host`` after ``scheme://``; an address there is not usual: the parser
#: takes the hierarchy's ``DIRECT/<host>`` then), then the user (one ``"…"`` token without a
#: quote or a blank inside, or a bare one), hierarchy and MIME type, each one
#: whitespace-delimited token, and the ACL decision tag ``[A-Z]+(_[A-Z0-9]+)*-`` with at most
#: four ``_`` segments (more go to the parser), then anything.  Read by the native line walker.
USUAL = Profile(
    usual=(
        *syslog_prefix(tag=_TAG_FIRST),
        optional(*literal("level", "Info: ")),
        *squid_fields(
            Element("elapsed", DIGIT, 1, MAX_DIGITS),
            Element("client", IP_RUN, 1, None),
            Element("result", chars("A-Z_"), 1, None, first=chars("A-Z")),
            url_with_host(_PRINTABLE),
        ),
        Branch(
            (
                (  # (the opening quote, then the text: one run)
                    Element("user_quoted", _PRINTABLE - _QUOTE, 1, None, first=_QUOTE),
                    Element("user_close", _QUOTE),
                ),
                (Element("user", _PRINTABLE, 1, None, first=_PLAIN),),
            )
        ),
        sep(8),
        Element("hier", _PRINTABLE, 1, None, first=_PLAIN),
        sep(9),
        Element("mime", _PRINTABLE, 1, None, first=_PLAIN),
        sep(10),
        Element("acl", chars("A-Z"), 1, None),
        _acl_segments(4),
        Element("acl_dash", chars("-"), 1, None),
        optional(Element("acl_rest", _PRINTABLE, 1, None, first=_PRINTABLE - chars("-"))),
    ),
    tail=SEP,
    fields=(5, 6),  # the method and the URL (after record_start)
    traps=HOST_TRAPS,
    hosts=frozenset({"u0", "host"}),
    ips=frozenset({"client"}) | RELAY_IPS,  # (and a syslog header's sender, its address)
    key_element="seconds",  # (after a syslog header, maybe)
    record_start=_RECORD,
    reserved=(b"error",),  # (Squid's "error:…" pseudo-URLs have no host)
    about=(
        "maybe a syslog header (Syslog Push: the subscription's name as its tag, a letter first"
        " but `C` or `L`, then `Info:`),"
        " an epoch time with milliseconds, an IPv4 or IPv6 client, a URL with a host name, the"
        " user, hierarchy and MIME type as one token each, and an ACL tag of at most four `_`"
        " segments."
    ),
)


class CiscoWsaParser(LineParser):
    product = "cisco-wsa"

    def parse(self, line: str) -> Event | None:
        line = syslog_message(line.rstrip("\r\n"))
        line = _LEVEL.sub("", line, count=1)  # syslog push: "accesslogs: Info: <record>"
        parts = _TOKEN.findall(line)
        if not parts:
            return None
        if len(parts) < 11:
            raise MalformedLine(f"expected at least 11 fields, found {len(parts)}")
        ts, elapsed, client, code, size, method, url, user, hier, _mime, acl = parts[:11]
        m = _CODE.match(code)
        if not _TS.match(ts) or not digits(elapsed) or m is None or not digits(size):
            raise MalformedLine("not a WSA access line (epoch elapsed client RESULT/STATUS size …)")
        if not _ACL.match(acl):
            raise MalformedLine(f"ACL decision tag {acl!r} is not TAG-POLICY-…")
        method = "CONNECT" if method == "TCP_CONNECT" else method.upper()
        target = split_url(url, None if "://" in url else method)  # tunnel://host:443/
        domain, dest_ip = _destination(target, hier)
        return Event(
            timestamp=parse_epoch(ts),
            source_ip=_client(client),
            user_name=user_or_none(user.strip('"')),
            destination_domain=domain,
            destination_ip=dest_ip,
            destination_port=target.port,
            http_request_method=method,
            http_response_status_code=int(m.group(2)),
            event_action=_action(m.group(1), acl),
            destination_bytes=count(size),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path,
        )


def _destination(target: Target, hier: str) -> tuple[str | None, str | None]:
    """URL host, or the ``DIRECT/<host>`` name when the URL only has an address."""
    url_ip = canonical_ip(target.host) if target.host else None
    if target.host and url_ip is None:
        return target.host, None
    hier_domain, hier_ip = host_or_ip(hier.split("/", 1)[1] if "/" in hier else None)
    return hier_domain, url_ip or hier_ip


def _client(client: str) -> str:
    address = canonical_ip(client)
    if address is None:
        raise MalformedLine(f"client {client!r} is not an IP address")
    return address


def _action(result: str, acl: str) -> Action:
    """Blocked when the ACL decision tag is BLOCK_…/DROP_… or the result code is TCP_DENIED."""
    return "blocked" if acl.startswith(_BLOCKING) or "DENIED" in result else "allowed"


class CiscoWsaFormat(LogFormat):
    name = "cisco-wsa"
    description = (
        "Cisco Secure Web Appliance (IronPort WSA) access log, Squid-style with the ACL "
        "decision tag and the `<…>` verdict list. The host is the URL's, or the `DIRECT/<host>` "
        "hierarchy column when the URL is only an address (transparent HTTPS)."
    )
    kind = "proxy"
    host_field = "URL (%A), else hierarchy DIRECT/<host> (%H/%d)"
    host_evidence = "url"
    example = (
        "1709974800.123 412 10.20.3.14 TCP_MISS/200 5321 TCP_CONNECT 104.18.32.47:443 "
        '"CHU\\jdupont@realm" DIRECT/chatgpt.com - PASSTHRU_CUSTOMCAT_1-Default-Id-NONE-NONE-'
        'NONE-DefaultGroup-NONE <C_AI,-,-,"-",0,0,0,-,"-",-,-,-,"-",-,-,"-","-",-,-> - -'
    )
    vendor_setup = (
        "Log Subscriptions → Access Logs (the default Squid-style format; custom fields may "
        "be appended after the verdict list), retrieved by FTP/SCP or pushed by syslog. The "
        "W3C Logs subscription works too (read by the `w3c` format)."
    )
    fields_used = (
        "`%t` → @timestamp (UTC epoch); `%a` → source.ip; `%h` → http.response.status_code; "
        "`%s` → destination.bytes; `%2r` method → http.request.method (`TCP_CONNECT` → "
        "CONNECT); `%A` URL → destination.domain/port (path for URL rules, then dropped), "
        "else `DIRECT/<host>` → destination.domain; `%u` → user.name; ACL decision tag "
        "`BLOCK_…`/`DROP_…` or result `TCP_DENIED` → event.action blocked."
    )
    limits = (
        "No request size. The `<…>` verdict list (categories, reputation, AMP) is not read. "
        "HTTPS passed through without decryption shows only host:443 (or an address and the "
        "hierarchy host)."
    )
    priority = 5  # a stricter Squid: must come before `squid`, which also parses these lines
    usual = USUAL

    def sniff(self, line: str) -> bool:
        # (the pattern ends with "<": a line without one, a Squid line, is no WSA record,
        # found without the pattern's search, ~6 us a line)
        return "<" in line and _SNIFF.search(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return CiscoWsaParser()


FORMAT = CiscoWsaFormat()
