"""Sophos firewalls: UTM 9 web proxy, XG / SFOS ≤ 18.0 and SFOS ≥ 18.5 web filter logs.

* UTM 9: ``2026:03:02-09:14:05 utm httpproxy[6267]: id="0001" severity="info"
  sys="SecureWeb" sub="http" name="http access" action="pass" method="GET" srcip="..."
  dstip="..." user="..." statuscode="200" size="311" url="https://host/path" ...`` — local time
  without zone; packet filter records (``sys="SecureNet" sub="packetfilter"``) are connection
  events; records without a URL or addresses (``id="0003"`` errors...) are skipped.
* XG / SFOS ≤ 18.0: ``device="SFW" date=2026-03-02 time=09:14:05 timezone="CET" ...
  log_type="Content Filtering" log_component="HTTP" log_subtype="Allowed" url=... domain=...``
* SFOS ≥ 18.5: a syslog header, then ``device_name="SFW" timestamp="2026-03-02T09:14:05+0100"
  log_type="Content Filtering" log_component="Web Filter" ...`` (all values quoted).

``Content Filtering`` records are web requests; ``Firewall`` records are connections; other log
types (events, IPS, anti-virus, VPN...) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Element, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, build, in_utc, parse_iso, read_iso
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    KV_IP,
    LETTER,
    MAX_DIGITS,
    NO_VALUE_WORDS,
    RELAY_IPS,
    URL_PATH,
    Profile,
    datetime_digits,
    kv_bare,
    kv_number,
    kv_pair,
    literal,
    optional,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

_UTM_PREFIX = re.compile(
    r"^(\d{4}):(\d{2}):(\d{2})-(\d{2}):(\d{2}):(\d{2})\s+\S+\s+[\w.-]+(?:\[\d+\])?:\s"
)
_SNIFF = re.compile(r'(?:\bsys="Secure(?:Web|Net)"|\blog_type="?[A-Z]|\bdevice="SFW")')
_BLOCKED = frozenset({"block", "blocked", "deny", "denied", "drop", "reject", "warn", "warned"})


class SophosParser(LineParser):
    product = "sophos"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        rest = syslog_message(line)
        utm = _UTM_PREFIX.match(rest)
        fields = _kv.parse_kv(rest[utm.end() :] if utm else rest)
        if utm is not None and "sys" in fields:
            ts = self.clock.to_utc(build(*(int(g) for g in utm.groups())))
            return _utm_event(fields, ts)
        if "log_type" in fields and ("log_id" in fields or "device" in fields):
            return self._xg_event(fields)
        raise MalformedLine("not a Sophos record (no UTM prefix with sys=, no log_type)")

    def _xg_event(self, fields: dict[str, str]) -> Event | None:
        log_type = fields["log_type"].strip().lower()
        if log_type not in ("content filtering", "firewall"):
            return None
        web = log_type == "content filtering"
        if web and not _kv.text(fields, "url", "domain"):
            return None  # e.g. "HTTPS deny" summaries without a request
        ts = self._xg_time(fields)
        return _xg_event(fields, web, ts)

    def _xg_time(self, fields: dict[str, str]) -> datetime:
        """``timestamp`` (ISO with offset, ≥ 18.5) or ``date`` + ``time`` + ``timezone``."""
        stamp = _kv.text(fields, "timestamp")
        if stamp:
            return parse_iso(stamp, self.clock)
        date, clock = _kv.text(fields, "date"), _kv.text(fields, "time")
        if not (date and clock):
            raise MalformedLine("no timestamp and no date/time")
        naive = read_iso(f"{date} {clock}")
        zone = _kv.named_zone(_kv.text(fields, "timezone"))
        if zone is None or naive.tzinfo is not None:
            return self.clock.to_utc(naive)
        return in_utc(naive.replace(tzinfo=zone))


def _utm_event(fields: dict[str, str], ts: datetime) -> Event | None:
    """UTM 9 ``httpproxy`` request or ``packetfilter`` connection; None for other records."""
    url = _kv.text(fields, "url")
    if url:
        event = _web(fields, url, ts)
        event.http_request_method = _kv.http_method(fields.get("method"))
        event.http_response_status_code = _status(_kv.text(fields, "statuscode"))
        event.destination_bytes = _kv.number(fields, "size")
        return event
    if (fields.get("sub") or "").lower() == "packetfilter" and "dstip" in fields:
        return _connection(fields, ts, "srcip", "dstip", "dstport")
    return None


def _web(fields: dict[str, str], url: str, ts: datetime) -> Event:
    target = _kv.split_loose_url(url)
    domain, literal = _kv.host_or_ip(target.host)
    if domain is None and literal is None:  # the URL is unusable: fall back on `domain`
        domain, literal = _kv.host_or_ip(_kv.text(fields, "domain"))
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(fields, "srcip") or _kv.ip(fields, "src_ip"),
        user_name=_kv.text(fields, "user", "user_name"),
        destination_domain=domain,
        destination_ip=_kv.ip(fields, "dstip") or _kv.ip(fields, "dst_ip") or literal,
        destination_port=_kv.port(fields, "dst_port") or target.port,
        event_action="blocked" if _blocked(fields) else "allowed",
        observer_product=SophosParser.product,
        network_protocol="http",
        url_path=target.path,
    )


def _xg_event(fields: dict[str, str], web: bool, ts: datetime) -> Event:
    if not web:
        return _connection(fields, ts, "src_ip", "dst_ip", "dst_port")
    url = _kv.text(fields, "url") or _kv.text(fields, "domain") or ""
    event = _web(fields, url, ts)
    event.source_bytes = _first_number(fields, "sent_bytes", "bytes_sent")
    event.destination_bytes = _first_number(fields, "recv_bytes", "bytes_received")
    event.http_response_status_code = _status(
        _kv.text(fields, "status_code", "http_status", "httpresponsecode")
    )
    event.http_request_method = _kv.http_method(_kv.text(fields, "http_method", "method"))
    return event


def _connection(fields: dict[str, str], ts: datetime, src: str, dst: str, dport: str) -> Event:
    """A firewall (packet filter / firewall rule) record: addresses, ports, bytes, no host."""
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(fields, src),
        user_name=_kv.text(fields, "user", "user_name"),
        destination_ip=_kv.ip(fields, dst),
        destination_port=_kv.port(fields, dport),
        event_action="blocked" if _blocked(fields) else "allowed",
        source_bytes=_first_number(fields, "sent_bytes", "bytes_sent"),
        destination_bytes=_first_number(fields, "recv_bytes", "bytes_received"),
        observer_product=SophosParser.product,
        network_protocol="network",
    )


def _first_number(fields: dict[str, str], *keys: str) -> int | None:
    for key in keys:
        value = _kv.number(fields, key)
        if value is not None:
            return value
    return None


def _status(value: str | None) -> int | None:
    return int(value) if _kv.digits(value) and len(value) == 3 else None


def _blocked(fields: dict[str, str]) -> bool:
    """UTM ``action`` block/drop/reject/warn, XG ``log_subtype`` Denied/Warned or ``status``."""
    for key in ("action", "log_subtype", "status"):
        if (fields.get(key) or "").strip().lower() in _BLOCKED:
            return True
    return False


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
def _key_time(key: bytes) -> datetime:
    """The UTC time of a usual line's ``YYYY-MM-DD time=HH:MM:SS`` followed by its zone's name,
    as the parser reads it (:func:`_kv.named_zone`: a fixed offset)."""
    text = key.decode("ascii")
    zone = _kv.named_zone(text[24:])
    if zone is None:
        raise ValueError(f"not a usual line's time key: {key!r}")
    return read_iso(f"{text[:10]} {text[16:24]}").replace(tzinfo=zone).astimezone(UTC)


#: An XG / SFOS ≤ 18.0 web filter record (``Content Filtering``), bare or behind a syslog header
#: (``syslog_prefix``: SFOS sends ``<PRI>device="SFW" ...``, a syslog server writes its own
#: header instead), its fields in SFOS' order:
#: ``date`` and ``time`` with a ``timezone`` named as a fixed offset (``CET``, ``CEST``, ``GMT``:
#: a zone by IANA name shifts in the repeated hour, and is left to the parser), a URL with a
#: scheme and a host name, bare and quoted values where the tokenizer reads them.  Read by the
#: native walker only (its zone).
USUAL = Profile(
    usual=(
        # as SFOS sends it (<PRI>), as a syslog server writes it (its own header), or bare
        *syslog_prefix(),
        *literal("device", 'device="SFW" date='),
        *datetime_digits("t", sep=" time="),
        Element("time_sp", chars(" ")),
        *kv_pair("timezone", Element("tz_v", chars("A-Z"), 1, 4)),
        *kv_pair("device_name"),
        *kv_bare("device_id"),
        *kv_number("log_id"),
        *literal("kind", 'log_type="Content Filtering" '),
        *kv_pair("log_component"),
        *kv_pair("log_subtype"),
        *kv_bare("priority"),
        *kv_bare("fw_rule_id"),
        *kv_pair("user_name"),
        *kv_pair("user_gp"),
        *kv_bare("iap"),
        *kv_pair("category"),
        *kv_pair("category_type"),
        *literal("url_k", 'url="'),
        Element("scheme", chars("A-Za-z"), 1, None),
        *literal("url_sep", "://"),
        Element("host", HOSTC, 1, None, first=LETTER),
        optional(Element("url_colon", chars(":")), Element("url_port", DIGIT, 1, MAX_DIGITS)),
        optional(Element("url_path", URL_PATH, 1, None, first=chars("/"))),
        *literal("url_end", '" '),
        *kv_pair("contenttype"),
        *kv_pair("override_token"),
        *kv_pair("src_ip", Element("src_ip_v", KV_IP, 1, None), quoted=False),
        *kv_pair("dst_ip", Element("dst_ip_v", KV_IP, 1, None), quoted=False),
        *kv_pair("protocol"),
        *kv_number("src_port"),
        *kv_number("dst_port"),
        *kv_number("sent_bytes"),
        *kv_number("recv_bytes"),
        *kv_bare("domain"),
        *kv_bare("exceptions"),
        *kv_pair("activityname"),
        *kv_pair("reason", last=True),
    ),
    tail=frozenset(),
    hosts=frozenset({"host"}),
    reserved=NO_VALUE_WORDS,
    key_element="t_year",  # (after <PRI> or a syslog server's header)
    ips=RELAY_IPS,  # (a syslog server's header: the sender's address)
    key_len=24,  # YYYY-MM-DD time=HH:MM:SS
    key_time=_key_time,
    zone="tz_v",
    in_order=True,  # lines without an offset are local times (the parser's clock)
    zone_words=_kv.ZONE_NAMES,
    host_start=b"/.",
    host_end=b'.:/"',
    about=(
        "an XG web filter record (`Content Filtering`; bare, behind `<PRI>` and maybe an RFC "
        "3164 header `Mmm dd HH:MM:SS host` without a tag, or behind a syslog server's header: "
        "RFC 3164, or RFC 3339 as rsyslog's default file format writes it) "
        "with `date`, `time` and a `timezone` "
        "named as a fixed offset, a URL with a host name, and its fields in SFOS' order."
    ),
)


class SophosFormat(LogFormat):
    name = "sophos"
    description = (
        "Sophos UTM 9 web proxy (httpproxy) and packet filter logs, Sophos XG / SFOS web "
        "filter (Content Filtering) and firewall records, key=value with or without a syslog "
        "header. Web records give the full URL; firewall records give addresses only."
    )
    kind = "firewall"
    host_field = "url (full URL; `domain` when the URL is unusable)"
    host_evidence = "url"
    example = (
        '2026:03:02-09:14:05 utm-chu httpproxy[6267]: id="0001" severity="info" '
        'sys="SecureWeb" sub="http" name="http access" action="pass" method="POST" '
        'srcip="10.20.3.14" dstip="104.18.32.47" user="jdupont" statuscode="200" cached="0" '
        'size="18211" url="https://chatgpt.com/backend-api/conversation" exceptions="" '
        'category="105" categoryname="Business"'
    )
    vendor_setup = (
        "UTM 9: Logging & Reporting > Log Settings > Remote Syslog Server, enable the `Web "
        "Filtering` (and `Firewall`) logs. XG / SFOS: System services > Log settings, add a "
        "syslog server and tick `Web filter` (Content Filtering) and `Firewall` logs; set the "
        "appliance time zone (XG ≤ 18.0 writes its abbreviation)."
    )
    fields_used = (
        "UTM prefix time (local, --tz), XG `date` + `time` + `timezone` (GMT/UTC/CET/CEST/"
        "WET/EET…; other abbreviations → --tz) or SFOS `timestamp` (ISO with offset) → "
        "@timestamp; `srcip`/`src_ip` → source.ip; `user`/`user_name` → user.name; `url` → "
        "destination.domain/port + path for URL rules (`domain` if the URL is unusable); "
        "`dstip`/`dst_ip`, `dst_port` → destination.ip/port; `method` → http.request.method; "
        "`statuscode`/`status_code` → http.response.status_code; UTM `size` → "
        "destination.bytes; XG `sent_bytes`/`recv_bytes` → source.bytes/destination.bytes; "
        "`action` block/drop/warn or `log_subtype` Denied/Warned → blocked."
    )
    limits = (
        "Firewall / packet filter records have no host: counted as events (network.protocol "
        "`network`) but cannot match a catalog service. UTM records give no request size. A "
        "`warn` (Warned) record is counted as blocked: the user got the warning page; the "
        "`proceeded` record that may follow is a separate allowed request. Ambiguous XG "
        "time zone abbreviations (IST, CST...) are read in --tz."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        return _kv.detect_records(self, head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return SophosParser(ctx)


FORMAT = SophosFormat()
