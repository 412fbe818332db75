"""ISC BIND 9 query log (``category queries`` / ``querylog yes``).

``[dd-Mon-yyyy HH:MM:SS.mmm ][queries: ][info: ]client [@0x<addr> ]<ip>#<port> [(<qname>)]:
[view <v>: ]query: <qname> <class> <type> <flags> (<server-ip>)`` — the ``@0x…`` client object
address appears from BIND 9.11 on, the parenthesized name from 9.10; ``print-time``,
``print-category`` and ``print-severity`` toggle the prefix (``print-time iso8601`` and
``iso8601-utc`` in BIND ≥ 9.16 write ISO dates).  The line may arrive behind a syslog header,
which then gives the time when BIND's own prefix is absent.  Times without an offset are local
(``ctx.tz``).

Other ``named`` messages (zone loads, ``query (cache) … denied``, RPZ rewrites, ``query-errors``)
are skipped: they are not client queries.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Element, Item, chars
from sentinelle.formats._syslog import SyslogHeader, header_time_utc, strip_syslog
from sentinelle.formats._time import MONTHS, LocalClock, build, parse_iso
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    ISO_MICROS_KEY_LEN,
    ISO_MILLIS_KEY_LEN,
    NAIVE_KEY_LEN,
    RFC3339_ZONE,
    Profile,
    StartLayout,
    datetime_digits,
    iso_offset_key,
    iso_utc_key,
    layouts_by_start,
    literal,
    optional,
    rfc3339_syslog,
    syslog_daemon_layouts,
    syslog_key,
    yearless_syslog,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, normalize_host

_OWN_TIME = re.compile(
    r"^(?:(?P<d>\d{2})-(?P<mon>[A-Za-z]{3})-(?P<y>\d{4}) (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<ms>\d{1,6}))?|(?P<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)) "
)
# print-category and print-severity prefixes, both optional.
_PREFIX = re.compile(
    r"^(?:(?P<cat>[a-z][a-z0-9-]*): (?=\S))?"
    r"(?:(?:info|notice|warning|error|critical|dynamic|debug \d+): )?"
)
_CLIENT = re.compile(
    r"^client (?:@0x[0-9A-Fa-f]+ )?(?P<ip>[0-9A-Fa-f.:%a-z]+)#(?P<port>\d{1,5})"
    r"(?: \((?P<name1>[^)]*)\))?: "
)
_QUERY = re.compile(
    r"^(?:view (?P<view>[^:]+): )?query: (?P<qname>[^\s:]+) (?P<cls>[A-Z][A-Z0-9]*) "
    r"(?P<qtype>[A-Z][A-Z0-9-]*) (?P<flags>[+-][A-Z0-9()]*) \((?P<server>[^)\s]+)\)"
)


#: an RFC 3339 time, a host and named's tag (``named[812]: ``, ``named-pkcs11: ``): rsyslog's
#: file header before one of BIND's messages (never BIND's own line: its messages do not start
#: with named's tag)
_RSYSLOG_NAMED = re.compile(
    r"\d{4}-\d\d-\d\dT\S+ (?:\S+ )?named[^\s\[\]:]{0,58}(?:\[\d{1,32}\])?: "
)


class BindParser(LineParser):
    product = "bind"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        line = line.rstrip("\r\n")
        # BIND's own print-time prefix first: an ISO one would pass for a syslog header.
        if _OWN_TIME.match(line) is None:
            return self._message(*strip_syslog(line))
        event = self._message(None, line)
        if event is None and _RSYSLOG_NAMED.match(line):
            # the RFC 3339 time of rsyslog's default file format (Debian's since 12), the host
            # and named's tag: a syslog header that passes for BIND's own ISO print-time
            return self._message(*strip_syslog(line))
        return event

    def _message(self, header: SyslogHeader | None, message: str) -> Event | None:
        """The event of ``message``, behind ``header`` (None: BIND's own line)."""
        own = _OWN_TIME.match(message)
        if own is not None:
            message = message[own.end() :]
        prefix = _PREFIX.match(message)  # always matches (everything in it is optional)
        category = prefix["cat"] if prefix else None
        rest = message[prefix.end() :] if prefix else message
        if rest.startswith("client "):
            return self._client(rest, category, own, header)
        if category == "queries" or "client ".startswith(rest):
            raise MalformedLine("truncated query line (no 'client <ip>#<port>')")
        if header is None and own is None:
            raise MalformedLine("not a BIND log line (no date, syslog header or 'client ')")
        return None  # another named message (zone, general, resolver...)

    def _client(
        self,
        rest: str,
        category: str | None,
        own: re.Match[str] | None,
        header: SyslogHeader | None,
    ) -> Event | None:
        client = _CLIENT.match(rest)
        if client is None:
            raise MalformedLine("'client' not followed by <ip>#<port>: as in BIND's query log")
        query = _QUERY.match(rest[client.end() :])
        if query is not None:
            return self._event(client, query, self._time(own, header))
        if "query:" in rest or category == "queries":
            raise MalformedLine("query line without '<name> <class> <type> <flags> (<ip>)'")
        return None  # client message that is not a query (denied, notify, query failed...)

    def _event(self, client: re.Match[str], query: re.Match[str], ts: datetime) -> Event:
        source_ip = canonical_ip(client["ip"].split("%", 1)[0])
        if source_ip is None:
            raise MalformedLine(f"client {client['ip']!r} is not an address")
        return Event(
            timestamp=ts,
            source_ip=source_ip,
            destination_domain=normalize_host(query["qname"]),
            observer_product=self.product,
            network_protocol="dns",
        )

    def _time(self, own: re.Match[str] | None, header: SyslogHeader | None) -> datetime:
        if own is not None and own["iso"]:
            return parse_iso(own["iso"], self.clock)
        if own is not None:
            month = MONTHS.get(own["mon"].lower())
            if month is None:
                raise MalformedLine(f"unknown month {own['mon']!r}")
            micro = int((own["ms"] or "0").ljust(6, "0"))
            naive = build(
                int(own["y"]),
                month,
                int(own["d"]),
                int(own["h"]),
                int(own["mi"]),
                int(own["s"]),
                micro,
            )
            return self.clock.to_utc(naive)
        ts = header_time_utc(header, self.ctx, self.clock) if header is not None else None
        if ts is None:
            raise MalformedLine("no time: BIND's print-time is off and there is no syslog header")
        return ts


#: a query line after ``client @0x``: the client object, an IPv4 or IPv6 client (an address: the
#: parser rejects the line otherwise) and its port, the name in parentheses, an optional view,
#: then ``query:`` with a name that does not start with a dot (the root ``.`` has no host),
#: class, type, flags and the server address, and nothing after: a DNS query (the walker marks
#: it)
_CLIENT_QUERY: tuple[Item, ...] = (
    Element("handle", chars("0-9A-Fa-f"), 1, None),
    Element("handle_sp", chars(" ")),
    Element("client", chars("0-9a-f.:"), 1, None),
    Element("hash", chars("#")),
    Element("port", DIGIT, 1, 5),
    *literal("open", " ("),
    Element("name1", HOSTC, 1, None),
    *literal("close", "): "),
    optional(
        *literal("view", "view "),
        Element("view_name", chars("A-Za-z0-9_\\-"), 1, None),
        *literal("view_end", ": "),
    ),
    *literal("query", "query: "),
    Element("qname", HOSTC, 1, None, first=HOSTC - chars(".")),
    Element("qname_sp", chars(" ")),
    Element("qclass", chars("A-Z0-9"), 1, None, first=chars("A-Z")),
    Element("qclass_sp", chars(" ")),
    Element("qtype", chars("A-Z0-9\\-"), 1, None, first=chars("A-Z")),
    Element("qtype_sp", chars(" ")),
    Element("flags", chars("A-Z0-9()"), 1, None, first=chars("+\\-")),
    *literal("server_open", " ("),
    Element("server", chars("!-~") - chars("()"), 1, None),
    Element("server_close", chars(")")),
)

#: a usual query line of either layout (its time first, then :data:`_CLIENT_QUERY`): a DNS
#: query, its client an address, read in order (a year-less syslog date's year, the repeated
#: hour of a local time: by the lines before)
_query_line = functools.partial(
    Profile,
    tail=frozenset(),
    hosts=frozenset({"qname"}),
    dns_element="hash",  # (every usual line: a DNS query)
    ips=frozenset({"client"}),
    in_order=True,
    host_start=b" .",  # "query: chatgpt.com. IN"
    host_end=b". ",
)

#: The usual query line (see formats/_usual.py) of BIND's own file (the layout ``ISO``):
#: BIND >= 9.16's ``print-time iso8601-utc`` with milliseconds (a possible date, seconds below
#: 60: ``utc_key``), category ``queries`` and severity ``info``, then ``client @0x`` and the
#: query (:data:`_CLIENT_QUERY`).  Read by the native walker.
USUAL = _query_line(
    usual=(
        *datetime_digits("time", sep="T"),
        Element("time_dot", chars(".")),
        Element("time_ms", DIGIT, 3, 3),
        *literal("prefix", "Z queries: info: client @0x"),
        *_CLIENT_QUERY,
    ),
    key_len=ISO_MILLIS_KEY_LEN,  # YYYY-MM-DDTHH:MM:SS.mmm, its Z after it
    key_time=iso_utc_key,  # YYYY-MM-DDTHH:MM:SS.mmm, then its Z
    utc_key=True,
    about=(
        "BIND's ISO time in UTC with milliseconds, category queries and severity info, an IPv4 "
        "or IPv6 client, an optional view, then the query name, class, type, flags and server."
    ),
)


#: The usual query line of BIND's ``default_syslog`` channel (the layout ``SYSLOG``: where
#: ``querylog`` goes without a file channel), as the local syslog daemon writes it in its files
#: (rsyslog's and syslog-ng's traditional format): ``Mmm dd HH:MM:SS`` (no year: a local time
#: read in ``--tz``, the year the file's, as dnsmasq's: a possible date of the leap year 2000,
#: checked by the walker), the host (a name with a letter first), ``named[pid]: ``, then
#: ``client @0x`` and the query (:data:`_CLIENT_QUERY`).  Read by the native walker.
SYSLOG_USUAL = _query_line(
    usual=(
        *yearless_syslog("named"),
        Element("pid", DIGIT, 1, 32),
        *literal("tag_end", "]: client @0x"),
        *_CLIENT_QUERY,
    ),
    key_len=NAIVE_KEY_LEN["syslog"],
    key_time=syslog_key,
    naive_key="syslog",
    about="",
)

#: The usual query line of BIND's ``default_syslog`` channel in the files of rsyslog's default
#: format (the layout ``RFC3339``: Debian's since 12): an RFC 3339 time with microseconds and
#: its offset (:func:`rfc3339_syslog`), the host, ``named[pid]: ``, then ``client @0x`` and the
#: query (:data:`_CLIENT_QUERY`).  Read by the native walker.
RFC3339_USUAL = _query_line(
    usual=(
        *rfc3339_syslog("named"),
        Element("pid", DIGIT, 1, 32),
        *literal("tag_end", "]: client @0x"),
        *_CLIENT_QUERY,
    ),
    key_len=ISO_MICROS_KEY_LEN,
    key_time=iso_offset_key,
    zone=RFC3339_ZONE,
    about="",
)

#: BIND's own file (ISO print-time) and its ``default_syslog`` channel (a syslog header with
#: ``named[``: a year-less date, or rsyslog's RFC 3339 time, which an ISO print-time is not
#: followed by).  BIND's ``dd-Mon-yyyy`` print-time and other programs' lines in a syslog file
#: set no layout.
ISO: tuple[str, ...] = ("iso",)
SYSLOG: tuple[str, ...] = ("syslog",)
RFC3339: tuple[str, ...] = ("rfc3339",)
LAYOUTS = layouts_by_start(
    StartLayout(
        ISO,
        re.compile(r"\d{4}-\d\d-\d\dT(?!\S+ \S+ named\[)"),
        USUAL,
        "2026-01-01T00:00:00.000Z general: info: running",
    ),
    *syslog_daemon_layouts(
        "named",
        yearless=(SYSLOG, SYSLOG_USUAL),
        rfc3339=(RFC3339, RFC3339_USUAL),
        host="ns1",
        message="running",
    ),
    about=(
        "The same query through BIND's `default_syslog` channel, as the local syslog daemon "
        "writes it (`Mmm dd HH:MM:SS host named[pid]: client @0x…`, a year-less local time, "
        "its year the file's; or rsyslog's default file format, Debian's since 12: "
        "`2026-08-01T10:23:00.123456+02:00 host named[pid]: client @0x…`, an RFC 3339 time "
        "with microseconds), from the first such line on; and back at an ISO line."
    ),
)


class BindFormat(LogFormat):
    name = "bind"
    description = (
        "ISC BIND 9 query log (9.10 and ≥ 9.11 forms, own timestamp or syslog header): every "
        "query a client sent, with its address and the query name. DNS queries, not requests."
    )
    kind = "dns"
    host_field = "query name (`query: <name> IN <type>`)"
    host_evidence = "dns"
    example = (
        "01-Aug-2026 10:23:00.123 queries: info: client @0x7f64500020ef 10.20.3.14#51514 "
        "(chatgpt.com): query: chatgpt.com IN A +E(0)K (10.20.0.53)"
    )
    vendor_setup = (
        'In named.conf: `logging { channel querylog { file "/var/log/named/query.log" '
        "versions 10 size 100m; print-time yes; print-category yes; print-severity yes; }; "
        "category queries { querylog; }; };` (or `rndc querylog on`; syslog channels work "
        "too). Give `--tz` the server's zone unless `print-time iso8601-utc` is used."
    )
    fields_used = (
        "print-time prefix (or the syslog header) → @timestamp; client `<ip>#<port>` → "
        "source.ip; query name → destination.domain. Class, type, flags and the server "
        "address are not used."
    )
    limits = (
        "Queries, not requests (caches hide repeats); no user, no bytes, no URL. No block "
        "decision: refusals (`query (cache) … denied`) and RPZ rewrites are separate lines, "
        "skipped and not linked back, so every query is `allowed`. Queries forwarded by another "
        "resolver show that resolver as the client. Lines with neither print-time nor a syslog "
        "header are rejected (no time)."
    )
    priority = 35
    layouts = LAYOUTS
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return "client " in line and " query: " in line

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return BindParser(ctx)


FORMAT = BindFormat()
