"""dnsmasq query log (``log-queries``), as written by dnsmasq and by Pi-hole (``pihole.log``).

``Mmm dd HH:MM:SS dnsmasq[pid]: query[A] <name> from <client>`` — the syslog-like prefix has no
year and no zone (year from ``ctx.year`` or the current year, local time in ``ctx.tz``); a relay
may add its host or a second header.  ``log-queries=extra`` inserts ``<serial> <client>/<port>``
before the message.  Only ``query[TYPE]`` lines are events; ``forwarded``, ``reply``, ``cached``,
``config``, ``/etc/hosts``, Pi-hole's ``gravity blocked`` / ``regex blacklisted`` / ``special
domain`` and dnsmasq's own start-up messages are skipped — a block answer is *not* linked back
to its query (that needs the query serial of ``log-queries=extra``, see ``limits``).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import header_time_utc, strip_syslog
from sentinelle.formats._time import LocalClock
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    ISO_MICROS_KEY_LEN,
    NAIVE_KEY_LEN,
    RFC3339_ZONE,
    YEARLESS_DATE,
    Profile,
    StartLayout,
    iso_offset_key,
    layouts_by_start,
    literal,
    optional,
    rfc3339_syslog,
    syslog_daemon_layouts,
    syslog_key,
    yearless_key,
    yearless_syslog,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, normalize_host

_APPS = ("dnsmasq", "pihole-ftl")
_EXTRA = re.compile(r"^\d+ [0-9A-Fa-f.:]+/\d+ ")
_QUERY = re.compile(r"^query\[(?P<qtype>[A-Za-z0-9=]+)\] (?P<name>[^\s:]+) from (?P<client>\S+)$")


class DnsmasqParser(LineParser):
    product = "dnsmasq"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        header, message = strip_syslog(line.rstrip("\r\n"))
        if header is None or header.timestamp is None or header.app is None:
            raise MalformedLine("no 'Mmm dd HH:MM:SS dnsmasq[pid]:' prefix")
        if header.app.lower() not in _APPS:
            return None  # another program's line in a shared syslog file
        extra = _EXTRA.match(message)
        if extra is not None:
            message = message[extra.end() :]
        m = _QUERY.match(message)
        if m is None:
            if message.startswith("query[") or "query[".startswith(message):
                raise MalformedLine("query line without 'query[TYPE] <name> from <client>'")
            return None  # forwarded/reply/cached/config/gravity blocked...: not a query
        source_ip = canonical_ip(m["client"])
        if source_ip is None:
            raise MalformedLine(f"client {m['client']!r} is not an address")
        return Event(
            timestamp=header_time_utc(header, self.ctx, self.clock) or _never(),
            source_ip=source_ip,
            destination_domain=normalize_host(m["name"]),
            observer_product=self.product,
            network_protocol="dns",
        )


def _never() -> datetime:
    raise MalformedLine("no time in the prefix")  # unreachable: the header time was checked


_SP = chars(" ")

#: a usual line after dnsmasq's tag (``dnsmasq[``): its pid, the ``log-queries=extra`` serial
#: and client if there, then a query or a message the parser skips
_AFTER_TAG: tuple[Item, ...] = (
    Element("pid", DIGIT, 1, 32),
    *literal("tag_end", "]: "),
    optional(  # log-queries=extra: the query's serial, the client's address and port
        Element("serial", DIGIT, 1, None),
        Element("serial_sp", _SP),
        Element("peer", chars("0-9A-Fa-f.:"), 1, None),
        Element("peer_slash", chars("/")),
        Element("peer_port", DIGIT, 1, None),
        Element("peer_sp", _SP),
    ),
    Branch(
        (
            (
                *literal("query", "query["),
                Element("qtype", chars("A-Za-z0-9="), 1, None),
                *literal("qtype_end", "] "),
                Element("name", HOSTC, 1, None, first=HOSTC - chars(".")),
                *literal("from", " from "),
                Element("client", chars("0-9A-Fa-f.:"), 1, None),
            ),
            (  # forwarded, reply, cached, config...: a message the parser skips (no
                # capital first: a second syslog header could start there)
                Element("skip", chars("a-pr-z/"), 1, None),
                Element("message", chars(" -~"), 1, None),
            ),
        )
    ),
)

#: a usual line of any layout (its header first, then :data:`_AFTER_TAG`): a DNS query or a
#: message the parser skips, read in order (a year-less date's year: by the lines before)
_usual_line = functools.partial(
    Profile,
    tail=frozenset(),
    hosts=frozenset({"name"}),
    ips=frozenset({"client"}),
    dns_element="qtype",  # (every usual line's event is a DNS query)
    skip_element="skip",
    skip_timed=True,  # (the parser rejects a line without its header's time, skipped or not)
    in_order=True,
)
#: a usual line whose key is a year-less date (the layouts OWN and SYSLOG)
_yearless_line = functools.partial(
    _usual_line, key_len=NAIVE_KEY_LEN["syslog"], key_time=syslog_key, naive_key="syslog"
)

#: the usual line (the scanner's fast path: see formats/_usual.py) of dnsmasq's own file and
#: Pi-hole's (the layout ``OWN``): the date, then dnsmasq's tag, no host
USUAL = _yearless_line(
    usual=(*yearless_key(), *literal("app", "dnsmasq["), *_AFTER_TAG),
    about=(
        "dnsmasq's own line: `Mmm DD HH:MM:SS` (no year, a local time read in `--tz`, the "
        "year the file's as the parser gives it), `dnsmasq[pid]: `, the `log-queries=extra` "
        "serial and client if there, then `query[TYPE] <name> from <client>` with an IPv4 "
        "or IPv6 client; or another message of dnsmasq's starting with a small letter other "
        "than `q` or a `/` (forwarded, reply, cached, config...), which the parser skips "
        "(counted as skipped)."
    ),
)

#: the usual line of dnsmasq's messages in the local syslog daemon's files (the layout
#: ``SYSLOG``: dnsmasq logs to syslog without ``log-facility``; ``/var/log/syslog``), the host
#: between the date and the tag (:func:`yearless_syslog`)
SYSLOG_USUAL = _yearless_line(usual=(*yearless_syslog("dnsmasq"), *_AFTER_TAG), about="")

#: the usual line of dnsmasq's messages in the files of rsyslog's default format (the layout
#: ``RFC3339``: Debian's since 12), an RFC 3339 time with microseconds and its offset before
#: the host (:func:`rfc3339_syslog`): the time has its year and offset, the parser's clock
#: is not needed
RFC3339_USUAL = _usual_line(
    usual=(*rfc3339_syslog("dnsmasq"), *_AFTER_TAG),
    key_len=ISO_MICROS_KEY_LEN,
    key_time=iso_offset_key,
    zone=RFC3339_ZONE,
    about="",
)

#: dnsmasq's own file (or Pi-hole's): its tag right after the date; the local syslog daemon's
#: files: after a host, behind a year-less date or rsyslog's RFC 3339 time.  A line of another
#: program (or Pi-hole's ``pihole-FTL``, a relay's second header) sets no layout.
OWN: tuple[str, ...] = ("own",)
SYSLOG: tuple[str, ...] = ("syslog",)
RFC3339: tuple[str, ...] = ("rfc3339",)
LAYOUTS = layouts_by_start(
    StartLayout(
        OWN,
        re.compile(YEARLESS_DATE + r"dnsmasq\["),
        USUAL,
        "Jan  1 00:00:00 dnsmasq[1]: started, version 2.90 cachesize 150",
    ),
    *syslog_daemon_layouts(
        "dnsmasq",
        yearless=(SYSLOG, SYSLOG_USUAL),
        rfc3339=(RFC3339, RFC3339_USUAL),
        host="dns",
        message="started, version 2.90 cachesize 150",
    ),
    about=(
        "dnsmasq's lines in the local syslog daemon's files (`Mmm dd HH:MM:SS host "
        "dnsmasq[pid]: …`, dnsmasq's default without `log-facility`; or rsyslog's default "
        "file format, Debian's since 12: `2026-08-01T10:23:00.123456+02:00 host "
        "dnsmasq[pid]: …`, an RFC 3339 time with microseconds), from the first such line on; "
        "and back at a line without a host."
    ),
)


class DnsmasqFormat(LogFormat):
    name = "dnsmasq"
    description = (
        "dnsmasq / Pi-hole query log (log-queries): every query[TYPE] line, with the client "
        "address and the query name. DNS queries, not requests."
    )
    kind = "dns"
    host_field = "the name after `query[TYPE]`"
    host_evidence = "dns"
    example = "Aug  1 10:23:00 dnsmasq[973]: query[A] chatgpt.com from 10.20.3.14"
    vendor_setup = (
        "dnsmasq: `log-queries` (or `log-queries=extra`) and `log-facility=/var/log/dnsmasq.log` "
        "in dnsmasq.conf (or syslog). Pi-hole: query logging on (the default), file "
        "`/var/log/pihole/pihole.log` (`/var/log/pihole.log` before v6). The prefix has no year: "
        "give the year of the file if it is not this year's, and `--tz` the server's zone."
    )
    fields_used = (
        "syslog-like date → @timestamp (local, year from the file); `from <client>` → "
        "source.ip; `query[TYPE] <name>` → destination.domain."
    )
    limits = (
        "Queries, not requests (caches hide repeats); no user, no bytes, no URL. Blocking is "
        "not linked back: Pi-hole's `gravity blocked` / `blacklisted` / `regex` answers and "
        "dnsmasq's `config … is NXDOMAIN` are separate lines, skipped, so every query is "
        "`allowed`. Queries relayed by another resolver show that resolver as the client "
        "(often 127.0.0.1 behind unbound or a local forwarder)."
    )
    priority = 40
    layouts = LAYOUTS
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return "query[" in line and " from " in line

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return DnsmasqParser(ctx)


FORMAT = DnsmasqFormat()
