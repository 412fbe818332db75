"""Squid native ``access.log`` (``logformat squid``).

``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`` — epoch seconds with
milliseconds (UTC), elapsed ms (right-aligned, so several spaces may separate fields), client
address, cache result/HTTP status, reply size, method, URL (``host:port`` for CONNECT), user,
hierarchy/peer, MIME type.  Extra trailing columns appended by administrators are tolerated, and
so is a syslog header in front (pfSense ``(squid-1)[pid]:``, rsyslog relays).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import unquote

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Element, LineStructure, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._url import Target, canonical_ip, split_url
from sentinelle.formats._usual import (
    HOST_TRAPS,
    URL_WITH_HOST,
    Profile,
    Values,
    sep,
    squid_fields,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, count

_SNIFF = re.compile(r"^\s*\d{9,10}\.\d{3}\s+-?\d+\s+\S+\s+[A-Z_]+/\d{3}\s")
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")
_NO_TARGET = Target(None, None, None)

_SEP, _FIELD = chars(" \t"), chars("^ \t")


def _field(name: str) -> Element:
    return Element(name, _FIELD, 1, None)


def _sep(n: int) -> Element:
    return Element(f"sep{n}", _SEP, 1, None)


#: A valid line, element by element (the scanner's fast path validates every line with it).
STRUCTURE = LineStructure(
    (
        Element("seconds", chars("0-9"), 1, 11),
        Element("dot", chars(".")),
        Element("millis", chars("0-9"), 1, 6),
        _sep(1),
        Element("elapsed", chars("0-9\\-"), 1, None),
        _sep(2),
        _field("client"),
        _sep(3),
        Element("result", chars("A-Z_"), 1, None),
        Element("slash", chars("/")),
        Element("status", chars("0-9"), 3, 3),
        _sep(4),
        Element("size", chars("0-9"), 1, None),
        _sep(5),
        Element("method", chars("A-Za-z_\\-"), 1, None),
        _sep(6),
        _field("url"),
        _sep(7),
        _field("user"),
        _sep(8),
        _field("hier"),
        _sep(9),
        _field("mime"),
    ),
    tail=_SEP,
)
_VALID = STRUCTURE.regex()
#: the fields :meth:`SquidParser.parse` reads, in the order it unpacks them
_READ = ("seconds", "millis", "client", "result", "status", "size", "method", "url", "user")
#: :data:`_VALID` capturing only the fields read: the same lines, a faster match
_PARSE = re.compile(
    re.sub(rf"\(\?P<(?!(?:{'|'.join(_READ)})>)\w+>", "(?:", _VALID.pattern), _VALID.flags
)


@lru_cache(maxsize=1 << 14)
def _source(client: str) -> tuple[str | None, str | None]:
    """(source.ip, source.domain) of a client field: clients repeat, so it is cached."""
    ip = canonical_ip(client)
    return ip, client.lower() if ip is None and _HOSTNAME.match(client) else None


def _user(user: str) -> str | None:
    """user.name of a user field (never empty in a valid line): ``-`` is none."""
    if user == "-":
        return None
    return unquote(user) if "%" in user else user


#: The usual line (see formats/_usual.py): read by the native line walker, the host name in the
#: URL (``u0`` for ``host:port``, ``host`` after ``scheme://``)
USUAL = Profile(
    usual=(
        *squid_fields(
            Element("elapsed", chars("0-9\\-"), 1, None),
            Element("client", _FIELD, 1, None),
            Element("result", chars("A-Z_"), 1, None),
            URL_WITH_HOST,
        ),
        Element("user", _FIELD, 1, None),
        sep(8),
        Element("hier", _FIELD, 1, None),
        sep(9),
        Element("mime", _FIELD, 1, None),
    ),
    tail=_SEP,
    traps=HOST_TRAPS,
    fields=(5, 6),  # %rm %ru
    hosts=frozenset({"u0", "host"}),
    reserved=(b"error",),  # Squid's "error:…" pseudo-URLs have no host
    source=(2, 7),
    action=3,
    values=Values(time=0, bytes_in=4),
    source_of=_source,
    user_of=_user,
    # Squid's "error:…" pseudo-URLs (without "/", which could make them URLs with a host)
    no_host=STRUCTURE.raw_regex(
        {"seconds": rb"[0-9]{10}", "millis": rb"[0-9]{3}", "url": rb"error:[^\t\n\r /]*"}
    ),
    about=(
        "an epoch time with milliseconds, a URL or `host:port` with a host name, and the "
        "ten native fields."
    ),
)
_BLANK = re.compile(r"[ \t\r]*\Z")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TS = ("timestamp", "is not epoch seconds.millis")
_CODE = ("result code", "is not RESULT/STATUS")
_WHAT = {  # the element a rejected line fails at → (what it is, what is wrong)
    "seconds": _TS,
    "dot": _TS,
    "millis": _TS,
    "elapsed": ("elapsed time", "is not a number"),
    "result": _CODE,
    "slash": _CODE,
    "status": _CODE,
    "size": ("reply size", "is not a number"),
    "method": ("method", "is not an HTTP method"),
}


class SquidParser(LineParser):
    product = "squid"

    def parse(self, line: str) -> Event | None:
        if line[:1].isalpha() or line[:1] == "<":  # pfSense and relays prepend a syslog header
            line = syslog_message(line)
        m = _PARSE.match(line)
        if m is None:
            if _BLANK.match(line):
                return None
            raise MalformedLine(_reason(line))
        seconds, millis, client, result, status, size, method, url, user = m.groups()
        source_ip, source_domain = _source(client)
        method, domain, dest_ip, port, path = _destination(url, method)
        return Event(  # positional (the order of Event's fields): measurably faster
            # exact: through a float, times after 2242 would lose a microsecond
            _EPOCH + timedelta(seconds=int(seconds), microseconds=int(millis.ljust(6, "0"))),
            source_ip,
            source_domain,
            _user(user),
            domain,
            dest_ip,
            port,
            method,
            int(status),
            "blocked" if result.startswith("TCP_DENIED") else "allowed",
            None,
            count(size),
            self.product,
            "http",
            path,
        )


@lru_cache(maxsize=1 << 14)
def _destination(
    url: str, method: str
) -> tuple[str, str | None, str | None, int | None, str | None]:
    """(method, destination.domain, destination.ip, destination.port, url.path), cached."""
    method = method.upper()
    try:
        target = split_url(url, method)
    except MalformedLine:  # a destination that is not a host name: an event without host
        target = _NO_TARGET
    dest_ip = canonical_ip(target.host) if target.host else None
    return method, None if dest_ip else target.host, dest_ip, target.port, target.path


def _reason(line: str) -> str:
    """Why ``line`` does not follow :data:`STRUCTURE`: the first element it fails at."""
    fields = len(line.split())
    if fields < 10:
        return f"expected at least 10 fields, found {fields}"
    name, value = STRUCTURE.failure(line)
    if name.startswith("sep") or name == "tail":  # the field before it did not end right
        names = [e.name for e in STRUCTURE.elements]
        name = names[names.index(name) - 1] if name != "tail" else names[-1]
    what, wrong = _WHAT.get(name, (f"field {name}", "is malformed"))
    return f"{what} {value[:60]!r} {wrong}"


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
    structure = STRUCTURE
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(syslog_message(line)) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """Squid never writes ``#`` directives: a ``#Fields:`` file is W3C/ELFF, not native."""
        if any(line.startswith("#Fields:") for line in head):
            return False
        return super().detect(head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return SquidParser()


FORMAT = SquidFormat()
