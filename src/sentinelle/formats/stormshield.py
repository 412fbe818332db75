"""Stormshield Network Security (SNS) audit logs: WELF ``key=value`` lines, files or syslog.

``id=firewall time="YYYY-MM-DD HH:MM:SS" fw="..." tz=+HHMM startime="..." ... logtype="web"``.
Local files are one per family (``l_web``, ``l_connection``, ``l_filter``...); over syslog
the family is the trailing ``logtype`` field.  Web proxy (``web``), connection, filter and SSL
proxy records are events; statistics and system families (``filterstat``, ``monitor``,
``count``, ``authstat``, ``system``, ``auth``, ``vpn``, ``alarm``, ``plugin``...) are skipped.

``dstname`` is the firewall's *object name* for the destination: an FQDN when the object was
created from a host name (or resolved by the proxy), otherwise an administrator's label
(``Firewall_out``, ``srv_messagerie``).  It is taken as a host only when it looks like a DNS
name with a dot and a last label holding a letter; object labels have no dot by convention.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Element, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import (
    LocalClock,
    build,
    in_utc,
    parse_offset,
    read_iso,
    utc_written,
)
from sentinelle.formats._usual import (
    RELAY_IPS,
    TAG_FIRST,
    ZONE,
    FreePairs,
    Profile,
    datetime_digits,
    kv_pair,
    literal,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, count

_SNIFF = re.compile(r'(?:^|\s)id=firewall\s+time="?\d')
_US_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$")
_BLOCKED = frozenset({"block", "blocked", "deny", "denied", "drop", "reset", "reject"})
_EVENTS = frozenset({"web", "connection", "filter", "ssl"})


class StormshieldParser(LineParser):
    product = "stormshield"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)
        self.file_family = _family_from_path(ctx.path)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        rest = syslog_message(line)  # the record's own time wins over the relay's
        fields = _kv.parse_kv(rest)
        if fields.get("id") != "firewall" or "time" not in fields:
            raise MalformedLine("not a Stormshield audit record (no id=firewall time=...)")
        family = self._family(fields)
        if family not in _EVENTS:
            return None  # statistics, system, VPN, authentication...: no traffic
        return _event(fields, family, self._time(fields))

    def _family(self, fields: dict[str, str]) -> str:
        """The log family: ``logtype`` (syslog), the file name (``l_web``), or the fields."""
        logtype = fields.get("logtype") or self.file_family
        if logtype:
            return logtype.lower()
        if "op" in fields or "arg" in fields or "cat_site" in fields:
            return "web"
        if "alarmid" in fields or "dst" not in fields:
            return "other"
        return "connection"

    def _time(self, fields: dict[str, str]) -> datetime:
        """``time`` (firewall local time) with ``tz`` when given, else read in ``ctx.tz``."""
        tz = fields.get("tz")
        if tz:
            written = utc_written(fields["time"], tz)
            if written is not None:
                return written
        naive = _local_time(fields["time"])
        if tz:
            return in_utc(naive.replace(tzinfo=parse_offset(tz)))
        return self.clock.to_utc(naive)


def _family_from_path(path: str) -> str | None:
    """``l_web`` / ``l_connection.log`` → ``web`` / ``connection`` (local log files)."""
    name = os.path.basename(path).lower()
    if name.startswith("l_"):
        return name[2:].split(".", 1)[0] or None
    return None


def _local_time(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` (documented) or ``M/D/YYYY HH:MM:SS`` (an older doc example)."""
    m = _US_TIME.match(value)
    if m is not None:
        mo, d, y, h, mi, s = (int(g) for g in m.groups())
        return build(y, mo, d, h, mi, s)
    naive = read_iso(value)
    if naive.tzinfo is not None:
        raise MalformedLine(f"time={value!r} should be local time without an offset")
    return naive


def _event(fields: dict[str, str], family: str, ts: datetime) -> Event:
    domain, dest_ip = _destination(fields)
    web = family == "web"
    status = _kv.text(fields, "result")
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(fields, "src"),
        user_name=_kv.text(fields, "user"),
        destination_domain=domain,
        destination_ip=dest_ip,
        destination_port=_kv.port(fields, "dstport"),
        http_request_method=_kv.http_method(fields.get("op")) if web else None,
        http_response_status_code=count(status) if web and _kv.digits(status) else None,
        event_action="blocked" if _blocked(fields) else "allowed",
        source_bytes=_kv.number(fields, "sent"),
        destination_bytes=_kv.number(fields, "rcvd"),
        observer_product=StormshieldParser.product,
        network_protocol="http" if web else "tls" if family == "ssl" and domain else "network",
        url_path=_path(fields.get("arg")) if web else None,
    )


def _destination(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """Host from ``dstname`` when it is an FQDN rather than an object label; IP from ``dst``."""
    name = _kv.text(fields, "dstname")
    domain = None
    if name and "." in name:
        host, literal = _kv.host_or_ip(name)
        if host and any(c.isalpha() for c in host.rsplit(".", 1)[-1]):
            domain = host
        elif literal:
            return None, literal
    return domain, _kv.ip(fields, "dst")


def _blocked(fields: dict[str, str]) -> bool:
    return (fields.get("action") or "").strip().lower() in _BLOCKED


def _path(arg: str | None) -> str | None:
    """``arg`` (the requested path and arguments) without its query string."""
    if _kv.blank(arg):
        return None
    path = arg.split("?", 1)[0]  # type: ignore[union-attr]
    return path if path.startswith("/") else None


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
def _key_time(key: bytes) -> datetime:
    """The UTC time of a usual line's ``YYYY-MM-DD HH:MM:SS`` followed by its ``tz``, as the
    parser reads it (:func:`utc_written`)."""
    text = key.decode("ascii")
    written = utc_written(text[:19], text[19:])
    if written is None:
        raise ValueError(f"not a usual line's time key: {key!r}")
    return written


#: What the parser reads of a record's fields after ``startime``, whatever their order and
#: number (they vary with the family, the version and the options): none of the keys of its
#: time (read by the chain: a later duplicate wins); ``dstport``, ``sent`` and ``rcvd`` digits
#: (read as numbers); ``dstname``, bare or quoted, the host name (a dot and a letter in its last
#: label: ``dotted_hosts``; an object's name such as ``Firewall_out`` is the parser's); and
#: ``logtype`` one of the families the parser makes events of (the others it skips, and without
#: ``logtype`` it reads the family from the file's name: those go to the parser).  A connection
#: record without ``dstname`` is an event without a host.
_PAIRS = FreePairs(
    "rest",
    forbidden=frozenset({"id", "time", "fw", "tz", "startime"}),
    digits=frozenset({"dstport", "sent", "rcvd"}),
    host="dstname",
    bare_host=True,
    kind_key="logtype",
    kinds=_EVENTS,
)

#: A web proxy, connection, filter or SSL record as the firewall writes it in its files or sends
#: it over syslog (``syslog_prefix``: ``<PRI>``, its RFC 3164 header and tag, or a syslog
#: server's header instead): ``id=firewall``,
#: ``time`` with ``tz`` (its UTC offset), ``fw`` and ``startime`` first, then the family's
#: fields as free pairs (:data:`_PAIRS`).  Read by the native walker only, like FortiGate's
#: (its zone, dotted host names and free pairs).
USUAL = Profile(
    usual=(
        # over syslog (<PRI>, the header of the firewall's syslog profile with its tag, asqd),
        # as a syslog server writes it (without the <PRI>), or as the firewall's files hold it
        # (a tag that starts with "i", as the record does, is the parser's)
        *syslog_prefix(tag=TAG_FIRST - chars("i")),
        *literal("id_k", 'id=firewall time="'),
        *datetime_digits("t", sep=" "),
        *literal("time_q", '" '),
        *kv_pair("fw"),
        *kv_pair("tz", Element("tz_v", ZONE, 5, 5), quoted=False),
        *kv_pair("startime"),
        Element("rest", frozenset(range(256)) - {10, 13}, 1, None),
    ),
    tail=frozenset(),
    free_pairs=_PAIRS,
    dotted_hosts=True,
    key_element="t_year",  # (after a syslog header, if any)
    ips=RELAY_IPS,  # (a syslog header's sender, its address)
    key_len=19,  # YYYY-MM-DD HH:MM:SS
    key_time=_key_time,
    zone="tz_v",
    in_order=True,  # lines without an offset are local times (the parser's clock)
    host_start=b'=."',  # dstname=chat.example.fr or dstname="chat.example.fr"
    host_end=b'. "',
    about=(
        "`id=firewall` (bare, behind `<PRI>` and maybe an RFC 3164 header `Mmm dd HH:MM:SS host "
        "asqd:`, or behind a syslog server's header: RFC 3164, or RFC 3339 as rsyslog's default "
        "file format writes it; the tag maybe with its `[pid]`, a lowercase letter first but "
        "`i`), `time` and `tz`, `fw` and `startime`, then a web proxy, connection, "
        'filter or SSL record\'s fields in any order (`logtype="web"`, `"connection"`... among '
        "them), an FQDN as `dstname` (or none), the port and byte counts digits."
    ),
)


class StormshieldFormat(LogFormat):
    name = "stormshield"
    description = (
        "Stormshield Network Security (SNS) audit logs (WELF key=value), as local l_* files or "
        "over syslog: web proxy records (host + path), connection and filter records (IPs, "
        "ports, bytes; a host only when the destination object is an FQDN). Statistics and "
        "system families are skipped."
    )
    kind = "firewall"
    host_field = "dstname (FQDN of the destination object; object labels without a dot ignored)"
    host_evidence = "firewall-object"
    example = (
        'id=firewall time="2026-03-02 09:14:05" fw="SN510A0000001" tz=+0100 '
        'startime="2026-03-02 09:14:04" pri=5 confid=01 ruleid=12 proto=https '
        "src=10.20.3.14 srcport=51544 dst=104.18.32.47 dstport=443 dstname=chatgpt.com "
        'op=CONNECT result=200 arg="" user="jdupont" sent=2310 rcvd=18211 action=pass '
        'logtype="web"'
    )
    vendor_setup = (
        "Enable the HTTP proxy (or SSL proxy) on the filter rules that carry web traffic and "
        "log them (Configuration > Notifications > Logs - Syslog: send the `Web`/`l_web` and "
        "`Connections`/`l_connection` families; `Filter` adds per-rule records). Keep the "
        "default `logtype` field in syslog output. Either read the exported l_* files or the "
        "syslog stream (RFC 3164 or 5424 profile)."
    )
    fields_used = (
        "`time` + `tz` → @timestamp (local time and its offset; `tz` absent → --tz); `src` → "
        "source.ip; `user` → user.name; `dstname` → destination.domain (only when an FQDN); "
        "`dst` → destination.ip; `dstport` → destination.port; `op` → http.request.method; "
        "`result` → http.response.status_code (web); `sent`/`rcvd` → source.bytes/"
        "destination.bytes; `action` block/deny/reset → event.action blocked; `arg` → path "
        "for URL rules (query dropped); `logtype` or the l_* file name → family."
    )
    limits = (
        "No full URL and no scheme: web records give the host and the path. Connection and "
        "filter records carry a host only when the destination is an FQDN object; otherwise "
        "they are counted as events (network.protocol `network`) but cannot match a catalog "
        "service. If both `connection` and `filter` families are sent, one connection may "
        "appear in both. GDPR anonymisation hides user/source fields."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        return _kv.detect_records(self, head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return StormshieldParser(ctx)


FORMAT = StormshieldFormat()
