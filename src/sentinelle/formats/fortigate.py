"""Fortinet FortiGate (FortiOS) logs: ``key=value`` syslog or disk/FortiAnalyzer exports.

``date=2026-03-02 time=09:14:05 devname="FGT" devid="FG100F..." logid="0317013312"
type="utm" subtype="webfilter" eventtime=... tz="+0100" srcip=... hostname="chatgpt.com"
url="/backend-api/conversation" action="passthrough" sentbyte=... rcvdbyte=...``

Events come from ``type=traffic`` (connection records), ``utm/webfilter`` (web requests:
``hostname`` + path-only ``url``), ``utm/dns`` responses (DNS queries rated by the DNS
filter), ``utm/app-ctrl`` and ``utm/ssl``.  System/VPN/user events, other UTM families (virus,
IPS, VoIP...) and ``dns-query`` records (the same query is logged again, with the filter's
verdict, as a ``dns-response``) are skipped.

Time: ``date`` + ``time`` in device local time with ``tz`` (``-0500``) when present, else read in
``ctx.tz``; records without ``date`` use ``eventtime`` (epoch in s, ms, µs or ns).  A
FortiAnalyzer relay prepends ``timestamp=`` and a second ``tz="UTC-5:00"``: the device's own
``tz`` (the later key) wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import (
    LocalClock,
    in_utc,
    parse_epoch,
    parse_offset,
    read_iso,
    utc_written,
)
from sentinelle.formats._url import split_url
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    KV_IP,
    LETTER,
    NO_VALUE_WORDS,
    RELAY_IPS,
    URL_PATH,
    ZONE,
    FreePairs,
    Profile,
    datetime_digits,
    kv_number,
    kv_pair,
    literal,
    optional,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

_SNIFF = re.compile(r'(?:^|[\s>])(?:logid|log_id)="?\d{10}"?\s')
_UTC_OFFSET = re.compile(r"^(?:UTC|GMT)([+-])(\d{1,2})(?::(\d{2}))?$", re.IGNORECASE)
_BLOCKED = frozenset({"deny", "block", "blocked", "drop", "dropped", "reject", "reset", "redirect"})
_UTM = frozenset({"webfilter", "dns", "app-ctrl", "ssl"})
# Where each family writes the destination name (ssl: SNI, then the server certificate's CN).
_HOST_KEYS = {"dns": ("qname",), "ssl": ("hostname", "sni", "scertcname")}


class FortigateParser(LineParser):
    product = "fortigate"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        rest = syslog_message(line)
        fields = _kv.parse_kv(rest)
        if not (fields.get("logid") or fields.get("log_id")):
            raise MalformedLine("not a FortiGate record (no logid)")
        kind = _kind(fields)
        if kind is None:
            return None  # system/VPN/user events, other UTM families, DNS query duplicates
        return _event(fields, kind, self._time(fields))

    def _time(self, fields: dict[str, str]) -> datetime:
        """``date`` + ``time`` (+ ``tz``), else ``eventtime``."""
        date, clock = _kv.text(fields, "date"), _kv.text(fields, "time")
        if date and clock:
            tz = _kv.text(fields, "tz")
            if tz:
                written = utc_written(f"{date} {clock}", tz)
                if written is not None:
                    return written
            naive = read_iso(f"{date} {clock}")
            if naive.tzinfo is not None:
                raise MalformedLine(f"time {clock!r} should have no offset")
            if tz:
                return in_utc(naive.replace(tzinfo=_offset(tz)))
            return self.clock.to_utc(naive)
        epoch = _kv.text(fields, "eventtime") or _kv.text(fields, "timestamp")
        if epoch:
            return parse_epoch(epoch)
        raise MalformedLine("no date/time and no eventtime")


@lru_cache(maxsize=256)
def _offset(text: str) -> timezone:
    """``-0500`` / ``+01:00`` as FortiOS writes it, or FortiAnalyzer's ``UTC-5:00``."""
    m = _UTC_OFFSET.match(text)
    if m is None:
        return parse_offset(text)
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    if delta >= timedelta(hours=24):
        raise MalformedLine(f"time zone {text!r} is out of range")
    return timezone(-delta if m.group(1) == "-" else delta)


def _kind(fields: dict[str, str]) -> str | None:
    """``traffic``, ``webfilter``, ``dns``, ``app-ctrl``, ``ssl``; None for records skipped."""
    logtype = (fields.get("type") or "").lower()
    subtype = (fields.get("subtype") or "").lower()
    if logtype == "traffic":
        return "traffic"
    if logtype == "dns" or (logtype == "utm" and subtype == "dns"):
        query_only = (fields.get("eventtype") or "").lower() == "dns-query"
        return None if query_only else "dns"
    if logtype == "utm" and subtype in _UTM:
        return subtype
    return None


def _event(fields: dict[str, str], kind: str, ts: datetime) -> Event:
    domain, literal = _kv.host_or_ip(_kv.text(fields, *_HOST_KEYS.get(kind, ("hostname",))))
    url = _kv.text(fields, "url")
    target = split_url(url) if url and kind in ("webfilter", "app-ctrl") else None
    if domain is None and target is not None and target.host:
        domain, literal = _kv.host_or_ip(target.host)
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(fields, "srcip"),
        source_domain=(_kv.text(fields, "srcname") or "").lower() or None,
        user_name=_kv.text(fields, "user", "unauthuser"),
        destination_domain=domain,
        destination_ip=_kv.ip(fields, "dstip") or literal,
        destination_port=_kv.port(fields, "dstport"),
        http_request_method=_method(fields) if kind == "webfilter" else None,
        event_action="blocked" if _blocked(fields) else "allowed",
        source_bytes=None if kind == "dns" else _kv.number(fields, "sentbyte"),
        destination_bytes=None if kind == "dns" else _kv.number(fields, "rcvdbyte"),
        observer_product=FortigateParser.product,
        network_protocol=_protocol(kind, domain, url),
        url_path=target.path if target is not None else None,
    )


def _protocol(kind: str, domain: str | None, url: str | None) -> str:
    if kind == "dns":
        return "dns"
    if kind == "webfilter" or (kind == "app-ctrl" and domain and url):
        return "http"
    if kind in ("app-ctrl", "ssl") and domain:
        return "tls"
    return "network"


def _method(fields: dict[str, str]) -> str | None:
    """``httpmethod`` (FortiOS ≥ 7); the webfilter ``method`` field is the rating method."""
    value = (_kv.text(fields, "httpmethod") or "").upper()
    return value or None


def _blocked(fields: dict[str, str]) -> bool:
    action = (fields.get("action") or "").strip().lower()
    utm = (fields.get("utmaction") or "").strip().lower()
    return action in _BLOCKED or utm in _BLOCKED


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
_SRCIP = kv_pair("srcip", Element("srcip_v", KV_IP, 1, None), quoted=False)
_DSTIP = kv_pair("dstip", Element("dstip_v", KV_IP, 1, None), quoted=False)


def _key_time(key: bytes) -> datetime:
    """The UTC time of a usual line's ``YYYY-MM-DD time=HH:MM:SS`` key followed by its
    ``tz``, as the parser reads it (:func:`utc_written`)."""
    text = key.decode("ascii")
    written = utc_written(f"{text[:10]} {text[16:24]}", text[24:])
    if written is None:
        raise ValueError(f"not a usual line's time key: {key!r}")
    return written


def _url(name: str) -> tuple[Item, ...]:
    """``url=`` and its path: one or two quotes, then a path and its closing quote after one
    (``""/x"`` is ``""`` and a stray word to the tokenizer: a blank-free path cannot hold
    another pair's key), then a blank."""
    return (
        *literal(f"{name}_k", "url="),
        Element(f"{name}_quotes", chars('"'), 1, 2),
        optional(
            Element(f"{name}_path", URL_PATH, 1, None, first=chars("/")),
            Element(f"{name}_q", chars('"')),
        ),
        Element(f"{name}_sp", chars(" ")),
    )


def _tail(name: str) -> tuple[Item, ...]:
    """The fields a record of FortiOS 6's fixed layout may end with, as free pairs (see
    ``_TAIL_PAIRS``): the web filter's HTTP method or message, rating method and category,
    the application's server certificate, the DNS filter's category, the threat weight
    (``crscore``, ``craction``, ``crlevel``), the extended log's ``rawdata``…"""
    return (
        optional(
            Element(f"{name}_tail_sp", chars(" ")),
            Element("tail_pairs", frozenset(range(256)) - {10, 13}, 1, None),
        ),
    )


#: The rest of a web filter record after ``subtype="``, its fields in FortiOS' order, the
#: optional ones (user and group, interfaces, the trailing message and category) in their
#: places.
_WEBFILTER = (
    *literal("webfilter", 'webfilter" '),
    *kv_pair("eventtype"),
    *kv_pair("level"),
    *kv_pair("vd"),
    *kv_number("eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5)),
    *kv_number("policyid"),
    *kv_number("sessionid"),
    optional(*kv_pair("user"), *kv_pair("group"), optional(*kv_pair("authserver"))),
    *_SRCIP,
    *kv_number("srcport"),
    optional(*kv_pair("srcintf"), *kv_pair("srcintfrole")),
    *_DSTIP,
    *kv_number("dstport"),
    optional(*kv_pair("dstintf"), *kv_pair("dstintfrole")),
    *kv_number("proto"),
    *kv_pair("service"),
    optional(*kv_pair("user", name="user2")),
    *kv_pair("hostname", Element("host", HOSTC, 1, None, first=LETTER)),
    *kv_pair("profile"),
    *kv_pair("action"),
    *kv_pair("reqtype"),
    *_url("url"),
    *kv_number("sentbyte"),
    *kv_number("rcvdbyte"),
    *kv_pair("direction", last=True),
    *_tail("w"),
)

#: The rest of an application control record after ``subtype="``, as FortiOS 6 writes it
#: (the vendor sample's records, ``tests/perf/test_usual_vendor_samples.py``, and FortiOS'
#: documented example, whose action comes after the application): its addresses before its
#: ports, the application and its host name, the trailing risk and the server certificate's
#: names.  (Its element names start with ``a_``, but for the host and the zone.)
_APP_CTRL = (
    *literal("app_ctrl", 'app-ctrl" '),
    *kv_pair("eventtype", name="a_eventtype"),
    *kv_pair("level", name="a_level"),
    *kv_pair("vd", name="a_vd"),
    *kv_number("eventtime", name="a_eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5), name="a_tz"),
    *kv_number("appid", name="a_appid"),
    optional(
        *kv_pair("user", name="a_user"),
        *kv_pair("group", name="a_group"),
        optional(*kv_pair("authserver", name="a_authserver")),
    ),
    *kv_pair("srcip", Element("a_srcip_v", KV_IP, 1, None), quoted=False, name="a_srcip"),
    *kv_pair("dstip", Element("a_dstip_v", KV_IP, 1, None), quoted=False, name="a_dstip"),
    *kv_number("srcport", name="a_srcport"),
    *kv_number("dstport", name="a_dstport"),
    optional(*kv_pair("srcintf", name="a_srcintf"), *kv_pair("srcintfrole", name="a_srcrole")),
    optional(*kv_pair("dstintf", name="a_dstintf"), *kv_pair("dstintfrole", name="a_dstrole")),
    *kv_number("proto", name="a_proto"),
    *kv_pair("service", name="a_service"),
    *kv_pair("direction", name="a_direction"),
    *kv_number("policyid", name="a_policyid"),
    *kv_number("sessionid", name="a_sessionid"),
    *kv_pair("applist", name="a_applist"),
    # ``action`` before ``appcat`` and ``app`` (the vendor fixture) or after them (FortiOS'
    # documented example): both start with an "a", so the branch reads the letter after it
    Element("a_order", chars("a")),
    Branch(
        (
            (
                *kv_pair("ction", name="a_action"),  # action=
                *kv_pair("appcat", name="a_appcat"),
                *kv_pair("app", name="a_app"),
            ),
            (
                *kv_pair("ppcat", name="a_appcat2"),  # appcat=
                *kv_pair("app", name="a_app2"),
                *kv_pair("action", name="a_action2"),
            ),
        )
    ),
    *kv_pair("hostname", Element("host", HOSTC, 1, None, first=LETTER), name="a_hostname"),
    *kv_number("incidentserialno", name="a_serial"),
    *_url("a_url"),
    *kv_pair("msg", name="a_msg"),
    *kv_pair("apprisk", last=True, name="a_apprisk"),
    *_tail("a"),
)

#: The rest of a DNS filter response after ``eventtype="dns-``, as FortiOS 6 writes it (the
#: vendor sample's records, with the user and group and the source's MAC address of FortiOS'
#: documented example): the query name and its type and class, the optional addresses it
#: resolved to, the message and action, the optional category.  Its event is a DNS query (the
#: profile's ``dns_element``, its first element).
_DNS_RESPONSE: tuple[Item, ...] = (
    *literal("dns_response", 'response" '),
    *kv_pair("level", name="d_level"),
    *kv_pair("vd", name="d_vd"),
    *kv_number("eventtime", name="d_eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5), name="d_tz"),
    *kv_number("policyid", name="d_policyid"),
    *kv_number("sessionid", name="d_sessionid"),
    optional(*kv_pair("user", name="d_user"), optional(*kv_pair("group", name="d_group"))),
    *kv_pair("srcip", Element("d_srcip_v", KV_IP, 1, None), quoted=False, name="d_srcip"),
    *kv_number("srcport", name="d_srcport"),
    optional(*kv_pair("srcintf", name="d_srcintf"), *kv_pair("srcintfrole", name="d_srcrole")),
    *kv_pair("dstip", Element("d_dstip_v", KV_IP, 1, None), quoted=False, name="d_dstip"),
    *kv_number("dstport", name="d_dstport"),
    optional(*kv_pair("dstintf", name="d_dstintf"), *kv_pair("dstintfrole", name="d_dstrole")),
    *kv_number("proto", name="d_proto"),
    *kv_pair("profile", name="d_profile"),
    optional(*kv_pair("srcmac", name="d_srcmac")),
    *kv_number("xid", name="d_xid"),
    *kv_pair("qname", Element("host", HOSTC, 1, None, first=LETTER), name="d_qname"),
    *kv_pair("qtype", name="d_qtype"),
    *kv_number("qtypeval", name="d_qtypeval"),
    *kv_pair("qclass", name="d_qclass"),
    optional(*kv_pair("ipaddr", name="d_ipaddr")),
    *kv_pair("msg", name="d_msg"),
    *kv_pair("action", last=True, name="d_action"),
    *_tail("d"),
)
#: A DNS filter query record after ``eventtype="dns-``: the parser skips it (the same query is
#: logged again, with the filter's verdict, as a response), reading nothing of it but its kind,
#: so after its level, virtual domain, event time and offset its fields are free pairs; the
#: walker counts it as skipped (the profile's ``skip_element``, its first element).
_DNS_QUERY: tuple[Item, ...] = (
    *literal("dns_query", 'query" '),
    *kv_pair("level", name="q_level"),
    *kv_pair("vd", name="q_vd"),
    *kv_number("eventtime", name="q_eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5), name="q_tz"),
    Element("t_pairs", frozenset(range(256)) - {10, 13}, 1, None),
)
#: A DNS filter record after ``subtype="``: a response, or a query
_DNS: tuple[Item, ...] = (
    *literal("dns_kind", 'dns" '),
    *literal("dns_event", 'eventtype="dns-'),
    Branch((_DNS_RESPONSE, _DNS_QUERY)),
)

#: The rest of a traffic record after ``type="``: its subtype, level, virtual domain, event time
#: and offset, then whatever fields the version and the settings write (they vary: interfaces,
#: countries, policy names, translations, applications, counters), as free pairs that hold
#: none of the keys the parser reads for the record's time or kind, and the ports and byte
#: counts it reads as numbers only as digits (see ``_PAIRS``).  Such a record names no host
#: (its event is one without a destination name), or a ``hostname`` (written with a web filter
#: or application control profile), which is then its host name.
_TRAFFIC = (
    *literal("traffic", 'traffic" '),
    *kv_pair("subtype", name="t_subtype"),
    *kv_pair("level", name="t_level"),
    *kv_pair("vd", name="t_vd"),
    *kv_number("eventtime", name="t_eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5), name="t_tz"),
    Element("t_pairs", frozenset(range(256)) - {10, 13}, 1, None),
)
#: A traffic record after the header of :data:`_FORTIOS_7` and ``type="``: as
#: :data:`_TRAFFIC`, without ``eventtime`` and ``tz`` (they came before ``logid``)
_TRAFFIC_7 = (
    *literal("t7_traffic", 'traffic" '),
    *kv_pair("subtype", name="t7_subtype"),
    *kv_pair("level", name="t7_level"),
    *kv_pair("vd", name="t7_vd"),
    Element("t_pairs", frozenset(range(256)) - {10, 13}, 1, None),
)


def _utm_7(subtype: str, name: str) -> tuple[Item, ...]:
    """A web filter or application control record after the header of :data:`_FORTIOS_7` and
    ``type="utm" subtype="``: its event type, level and virtual domain, then its fields as free
    pairs (see ``_PAIRS``), whose ``hostname`` is the host name."""
    return (
        *literal(name, f'{subtype}" '),
        *kv_pair("eventtype", name=f"{name}_eventtype"),
        *kv_pair("level", name=f"{name}_level"),
        *kv_pair("vd", name=f"{name}_vd"),
        Element("t_pairs", frozenset(range(256)) - {10, 13}, 1, None),
    )


#: A DNS filter record after the header of :data:`_FORTIOS_7` and ``type="utm" subtype="``: a
#: query, as :data:`_DNS_QUERY` (skipped), or a response (a DNS query, marked as
#: :data:`_DNS_RESPONSE`), without ``eventtime`` and ``tz``; their fields after ``vd`` are free
#: pairs, a response's with its own rules (``_DNS_PAIRS``: its host name is ``qname``)
_DNS_7: tuple[Item, ...] = (
    *literal("dns7", 'dns" eventtype="dns-'),
    Branch(
        (
            (
                *literal("dns_query", 'query" '),
                *kv_pair("level", name="q7_level"),
                *kv_pair("vd", name="q7_vd"),
                Element("t_pairs", frozenset(range(256)) - {10, 13}, 1, None),
            ),
            (
                *literal("dns_response", 'response" '),
                *kv_pair("level", name="r7_level"),
                *kv_pair("vd", name="r7_vd"),
                Element("d_pairs", frozenset(range(256)) - {10, 13}, 1, None),
            ),
        )
    ),
)

#: A record as FortiOS 7 writes it: ``eventtime`` and ``tz`` right after the header (the
#: vendor fixture's record of 2023; FortiOS' log reference since 7.0), then ``logid``, the kind,
#: and a traffic, web filter, application control or DNS filter record whose fields after
#: ``vd`` are free pairs (FortiOS 7 adds fields between and after those of FortiOS 6,
#: with the version and the settings: policy UUIDs, countries, HTTP method and agent, referral
#: URL, rating method…)
_FORTIOS_7 = (
    *kv_number("eventtime", name="t7_eventtime"),
    *kv_pair("tz", Element("tz_v", ZONE, 5, 5), name="t7_tz"),
    *kv_pair("logid", Element("t7_logid_n", DIGIT, 10, 10), name="t7_logid"),
    *literal("t7_kind", 'type="'),
    Branch(
        (
            _TRAFFIC_7,
            (
                *literal("u7", 'utm" subtype="'),
                Branch((_utm_7("webfilter", "w7"), _utm_7("app-ctrl", "a7"), _DNS_7)),
            ),
        )
    ),
)

#: What the parser reads of a record beside what the chain checks, where free pairs hold its
#: fields: the keys of its time and kind may not come again among them (a later duplicate
#: wins); those it reads as numbers must be digits (anything else may make it reject the
#: line); ``url``, whose host and port it would read, must be a path (FortiOS writes one) or
#: empty; ``hostname`` is the host name.  (The same rules serve a DNS filter query, of which
#: the parser reads the kind only.)
_PAIRS = FreePairs(
    "t_pairs",
    forbidden=frozenset(
        {"date", "time", "tz", "eventtime", "timestamp", "type", "subtype", "eventtype", "logid"}
        | {"log_id"}
    ),
    digits=frozenset({"dstport", "sentbyte", "rcvdbyte"}),
    host="hostname",
    paths=frozenset({"url"}),
)
#: What the parser reads of a record of FortiOS 6's fixed layout among the fields it may end
#: with: none of the keys of its time and kind, nor its host name or URL, which the chain read
#: (a later duplicate wins), and the numbers it reads as digits
_TAIL_PAIRS = FreePairs(
    "tail_pairs",
    forbidden=_PAIRS.forbidden | {"hostname", "qname", "url"},
    digits=_PAIRS.digits,
)
#: What the parser reads of a DNS filter response in FortiOS 7's header beside what the chain
#: checks: the keys of its time and kind may not come again; its destination port must be
#: digits; ``qname`` is the host name (it reads no ``url``, ``hostname`` nor byte counts)
_DNS_PAIRS = FreePairs(
    "d_pairs",
    forbidden=_PAIRS.forbidden,
    digits=frozenset({"dstport"}),
    host="qname",
)

#: A web filter, application control, DNS filter or traffic record as FortiOS writes it to
#: syslog: a three-digit ``<PRI>``, ``date`` and ``time`` with ``tz``, the header fields, then
#: the record's fields in FortiOS' order (a traffic record's as free pairs).  Every value is read
#: where the tokenizer reads it (quoted text without quotes or backslashes, digits, addresses),
#: so no pair hides another.  Read by the
#: native walker only, which checks the time and the offset itself (``local_key`` in
#: ``scan/_lines.c``): no traps, and the complement, too long for hyperscan, is never compiled.
USUAL = Profile(
    usual=(
        # as FortiGate sends it (<PRI>), as a syslog server writes it in its files (its own
        # header), or bare (a disk log download, a collector's without the <PRI>)
        *syslog_prefix(pri=(3, 3)),
        *literal("date_k", "date="),
        *datetime_digits("t", sep=" time="),
        Element("date_sp", chars(" ")),
        *kv_pair("devname"),
        *kv_pair("devid"),
        Branch(
            (
                (
                    *kv_pair("logid", Element("logid_n", DIGIT, 10, 10)),
                    *literal("kind", 'type="'),
                    Branch(
                        (
                            (
                                *literal("utm", 'utm" subtype="'),
                                Branch((_WEBFILTER, _APP_CTRL, _DNS)),
                            ),
                            _TRAFFIC,
                        )
                    ),
                ),
                _FORTIOS_7,
            )
        ),
    ),
    tail=frozenset(),
    hosts=frozenset({"host"}),
    dns_element="dns_response0",
    skip_element="dns_query0",
    free_pairs=(_PAIRS, _DNS_PAIRS, _TAIL_PAIRS),
    reserved=NO_VALUE_WORDS,
    key_element="t_year",  # (after <PRI> or a syslog server's header)
    ips=RELAY_IPS,  # (a syslog server's header: the sender's address)
    key_len=24,  # YYYY-MM-DD time=HH:MM:SS
    key_time=_key_time,
    zone="tz_v",
    in_order=True,  # lines without an offset are local times (the parser's clock)
    host_start=b'".',
    host_end=b'."',
    about=(
        "a web filter, application control or DNS filter record (bare, behind a three-digit "
        "`<PRI>`, maybe with an RFC 3164 header `Mmm dd HH:MM:SS host` without a tag, or "
        "behind a syslog server's header without the `<PRI>`: RFC 3164, or RFC 3339 as "
        "rsyslog's default file format writes it), "
        "`date`, `time` and `tz`, its header fields, a host name (a path too, but for DNS), "
        "and its other fields in FortiOS 6's order, the last ones (category, certificate, "
        "threat weight…) any but the time's, the kind's, the host's and the URL's; or a "
        "traffic record with the same header, "
        "`eventtime` and `tz` (after `vd`, or before `logid` as FortiOS 7 writes them), then "
        "any fields but the time's and the kind's (ports and byte counts as digits, `url` a "
        "path), its `hostname` (quoted, once) the host name, an event without one otherwise; "
        "or a web filter or application control record in FortiOS 7's header, its fields after "
        "`vd` free the same way, or a DNS filter response (its `qname` the host name); or a "
        "DNS filter query, which the parser skips (its response is the event), its fields "
        "after `tz` (FortiOS 7: `vd`) free the same way."
    ),
)


class FortigateFormat(LogFormat):
    name = "fortigate"
    description = (
        "Fortinet FortiGate (FortiOS) key=value logs, syslog or exported: web filter records "
        "(host + path), DNS filter responses (query names), application control and SSL "
        "inspection records (host / SNI), and traffic records (IPs, ports, bytes). System, "
        "VPN and user events are skipped."
    )
    kind = "firewall"
    host_field = "hostname (web filter, app-ctrl, ssl; traffic when known), qname (DNS filter)"
    host_evidence = "host-header"
    example = (
        '<189>date=2026-03-02 time=09:14:05 devname="FGT-CHU" devid="FG100FTK00000001" '
        'logid="0317013312" type="utm" subtype="webfilter" eventtype="ftgd_allow" '
        'level="notice" vd="root" eventtime=1772439245123456789 tz="+0100" policyid=12 '
        'user="jdupont" srcip=10.20.3.14 srcport=51544 dstip=104.18.32.47 dstport=443 '
        'service="HTTPS" hostname="chatgpt.com" action="passthrough" '
        'url="/backend-api/conversation" sentbyte=2310 rcvdbyte=18211 cat=52 '
        'catdesc="Information Technology"'
    )
    vendor_setup = (
        "Log Settings: send to syslog (or FortiAnalyzer export) with `Log Allowed Traffic: "
        "All Sessions`; enable logging in the Web Filter profile (`log-all-url` for allowed "
        "URLs), DNS Filter profile (`log-all-domain`), Application Control and SSL/SSH "
        "inspection profiles on the outgoing policies. Keep the default (non-CEF, non-JSON) "
        "syslog format; set the device time zone so that `tz` is written."
    )
    fields_used = (
        "`date` + `time` + `tz` → @timestamp (`eventtime` when no date; no `tz` → --tz); "
        "`srcip` → source.ip; `srcname` → source.domain; `user`/`unauthuser` → user.name; "
        "`hostname` (or `qname` for DNS, `sni`/`scertcname` for ssl) → destination.domain; "
        "`dstip` → destination.ip; `dstport` → destination.port; `url` → path for URL rules "
        "(query dropped); `sentbyte`/`rcvdbyte` → source.bytes/destination.bytes; `action` "
        "deny/block/blocked/drop/reject/reset/redirect (or `utmaction` block) → blocked; "
        "`type`/`subtype`/`eventtype` → family."
    )
    limits = (
        "Traffic records without `hostname` (older FortiOS, no web filter or app control on "
        "the policy) are counted as events (network.protocol `network`) but cannot match a "
        "catalog service. Web filter `url` is a path: no scheme. DNS filter records are "
        "queries, not requests; `dns-query` duplicates of `dns-response` records are "
        "skipped. When traffic and UTM logs are both sent, one visit appears in several "
        "records. No HTTP method or status in web filter records."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.search(line) is not None and "type=" in line

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        return _kv.detect_records(self, head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return FortigateParser(ctx)


FORMAT = FortigateFormat()
