"""Check Point Log Exporter (``format syslog``, ``splunk``) and legacy ``Fields@`` exports.

* ``syslog``: RFC 5424 header, then one pseudo structured-data element holding the record:
  ``<134>1 2026-03-02T08:14:05Z gw-chu CheckPoint 15871 - [action:"Accept"; src:"10.20.3.14";
  dst:"104.18.32.47"; service:"443"; resource:"https://chatgpt.com/..."; time:"1772439245"]``
  (``\\"``, ``\\]`` and ``\\\\`` escaped inside values; duplicate keys happen).
* legacy SD-params: ``[Fields@1.3.6.1.4.1.2620 src="..." dst="..." service_id="https" ...]``
  (the header offset may be malformed: ``2023-01-13T10:10:16--5:00``).
* ``splunk``: ``key=value|key=value|...`` (``\\|`` escaped), with or without a syslog header.

Records with a destination (``dst``, ``resource``, ``http_host``) are events; others (Log
Update accounting without addresses, audit and management records) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._structure import Element, Item, chars
from sentinelle.formats._syslog import SyslogHeader, header_time_utc, strip_syslog
from sentinelle.formats._time import LocalClock, in_utc, parse_epoch, parse_offset, read_iso
from sentinelle.formats._url import split_url
from sentinelle.formats._usual import DIGIT, NO_VALUE_WORDS, FreePairs, Profile, literal
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

_COLON_START = re.compile(r'^\[[A-Za-z_][\w.-]*:"')
# possessive runs: the same pairs (a "\" always starts an escape pair, so giving characters
# back can never reach a closing quote), a value read run by run
_COLON_PAIR = re.compile(r'([A-Za-z_][\w.-]*+):"((?:[^"\\]++|\\.)*+)"')
_COLON_ESCAPE = re.compile(r"\\(.)")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_PIPE_KEY = re.compile(r"^[A-Za-z_][\w.-]{0,63}$")
# A splunk-format record always has some of these; other '|'-and-'=' text is not one.
_PIPE_MARKERS = frozenset({"time", "action", "product", "src", "dst", "origin"})
_RAW_5424_TS = re.compile(r"^(?:<\d{1,3}>)?1 (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(\S*) ")
_BAD_OFFSET = re.compile(r"^-?([+-])(\d{1,2}):?(\d{2})$")
_SNIFF = re.compile(r'(?:\[[a-z_]+:"|Fields@1\.3\.6\.1\.4\.1\.2620|\bproduct=[^|]*\|)')
_BLOCKED = frozenset({"drop", "reject", "block", "prevent", "deny"})


class CheckpointParser(LineParser):
    product = "checkpoint"

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        header, rest = strip_syslog(line, timed=False)  # (read again if its time is needed)
        fields = _fields(header, rest)
        if not fields:
            raise MalformedLine('no Check Point record ([key:"value"; ...], Fields@, key=value|)')
        if not (_kv.text(fields, "dst", "resource", "http_host")):
            return None  # accounting updates, audit, management records: no destination
        return _event(fields, self._time(fields, line))

    def _time(self, fields: dict[str, str], line: str) -> datetime:
        """``time`` (event epoch), else the syslog header (export time), malformed offsets too."""
        epoch = _kv.text(fields, "time")
        if _kv.digits(epoch):
            return parse_epoch(epoch)
        header = strip_syslog(line)[0]
        if header is not None and header.timestamp is not None:
            found = header_time_utc(header, self.ctx, self.clock)
            if found is not None:
                return found
        repaired = _repaired_header_time(line)
        if repaired is not None:
            return repaired
        raise MalformedLine("no time field and no readable syslog timestamp")


def _fields(header: SyslogHeader | None, rest: str) -> dict[str, str]:
    """The record's pairs, whichever of the three layouts carries them."""
    sd = (header.sd if header is not None else None) or ""
    text = sd or rest.strip()
    if _COLON_START.match(text):
        return _colon_pairs(text)
    if text.startswith("[") and " " in text:  # [SD-ID key="value" ...]: drop the SD-ID
        return _kv.parse_kv(text.split(" ", 1)[1])
    if "|" in text and "=" in text:
        return _pipe_pairs(text)
    return {}


def _colon_pairs(text: str) -> dict[str, str]:
    """``[key:"value"; key:"value"]`` → dict (a later duplicate key wins)."""
    out = dict(_COLON_PAIR.findall(text))
    if "\\" in text:
        for key, value in out.items():
            if "\\" in value:
                out[key] = _COLON_ESCAPE.sub(r"\1", value)
    return out


def _pipe_pairs(text: str) -> dict[str, str]:
    """``key=value|key=value`` (splunk format; ``\\|`` is a literal bar); {} if not one."""
    out = {}
    for part in _PIPE_SPLIT.split(text):
        key, sep, value = part.partition("=")
        key = key.strip()
        if sep and _PIPE_KEY.match(key):
            value = value.replace("\\|", "|").strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            out[key] = value
    return out if _PIPE_MARKERS & out.keys() else {}


def _repaired_header_time(line: str) -> datetime | None:
    """RFC 5424 time with an offset written ``--5:00`` (seen in Log Exporter output)."""
    m = _RAW_5424_TS.match(line)
    if m is None:
        return None
    off = _BAD_OFFSET.match(m.group(2))
    if off is None:
        return None
    naive = read_iso(m.group(1))
    zone = parse_offset(f"{off.group(1)}{int(off.group(2)):02d}{off.group(3)}")
    return in_utc(naive.replace(tzinfo=zone))


def _event(fields: dict[str, str], ts: datetime) -> Event:
    resource = _kv.text(fields, "resource")
    target = _split_url(resource) if resource and "://" in resource else None
    domain, literal = _kv.host_or_ip(target.host if target else _kv.text(fields, "http_host"))
    if domain is None and target is not None:
        domain, _ = _kv.host_or_ip(_kv.text(fields, "http_host"))
    web = target is not None or _kv.text(fields, "http_host") is not None
    method = (_kv.text(fields, "method") or "").upper()
    return Event(
        timestamp=ts,
        source_ip=_kv.ip(fields, "src"),
        user_name=_kv.text(fields, "src_user_name", "user"),
        destination_domain=domain,
        destination_ip=_kv.ip(fields, "dst") or literal,
        destination_port=_port(fields, target.port if target else None),
        http_request_method=_kv.http_method(method) if web else None,
        event_action="blocked" if _blocked(fields) else "allowed",
        source_bytes=_kv.number(fields, "client_inbound_bytes"),
        destination_bytes=_kv.number(fields, "client_outbound_bytes"),
        observer_product=CheckpointParser.product,
        network_protocol="http" if web else "network",
        url_path=target.path if target else None,
    )


#: ``split_url``, remembered: a month names the same URLs on many lines (a MalformedLine is
#: raised again, never remembered)
_split_url = lru_cache(maxsize=1 << 14)(split_url)


def _port(fields: dict[str, str], url_port: int | None) -> int | None:
    """``service`` (new exporter) or ``svc`` (legacy) when numeric, else the URL's port."""
    for key in ("service", "svc"):
        if _kv.digits(fields.get(key)):
            return _kv.port(fields, key)
    return url_port


def _blocked(fields: dict[str, str]) -> bool:
    return (fields.get("action") or "").strip().lower() in _BLOCKED


# -- the usual line (see formats/_usual.py), read by the native walker -------------------------
#: an RFC 5424 header's field as ``_syslog`` reads it untimed (``\\S+``): visible ASCII here
_VISIBLE = chars("!-~")


def _header() -> tuple[Item, ...]:
    """``<PRI>1`` and the RFC 5424 header's time, host, app, procid and msgid (none read: the
    record's ``time`` is), each followed by a blank."""
    fields: list[Item] = [
        Element("pri_open", chars("<")),
        Element("pri", DIGIT, 1, 3),
        *literal("v1", ">1 "),
    ]
    for name in ("ts5424", "host5424", "app5424", "procid", "msgid"):
        fields += [Element(name, _VISIBLE, 1, None), Element(f"{name}_sp", chars(" "))]
    return tuple(fields)


#: What the parser reads of a record's pairs beside its time (``time``, epoch seconds: the
#: line's key), its URL (``resource``, whose host is the line's) and its destination (``dst``,
#: an address: every usual record is an event): ``http_host`` only beside ``resource`` (whose
#: host it then reads instead), the byte counts digits.  The other keys it reads (``src``,
#: ``src_user_name``, ``user``, ``service``, ``svc``, ``method``, ``action``) never refuse a
#: line.
_PAIRS = FreePairs(
    "cp_pairs",
    forbidden=frozenset(),
    beside_url=frozenset({"http_host"}),
    digits=frozenset({"client_inbound_bytes", "client_outbound_bytes"}),
    colon=True,
    time="time",
    url="resource",
    needed="dst",
)


def _key_time(key: bytes) -> datetime:
    """The time of a usual line's ``time`` (epoch seconds), as the parser reads it."""
    return parse_epoch(key.decode("ascii"))


#: A Log Exporter record in its ``syslog`` format: the RFC 5424 header, then the record as one
#: structured-data element, ``[key:"value"; ...]``, free pairs of the colon grammar (their keys,
#: number and order vary with the blades and the version: ``colon_pairs`` in
#: ``scan/_lines.c``; the policy tag's ``\\]`` escaped).  A URL Filtering or Application
#: Control record with ``resource`` names its host; a firewall record without it is an event
#: without a host name.  Read by the native walker only.
USUAL = Profile(
    usual=(*_header(), Element("cp_pairs", chars("^\x00"), 1, None, first=chars("["))),
    tail=frozenset(),
    reserved=NO_VALUE_WORDS,
    in_order=True,  # records without a time take their syslog header's (a year-less date's year)
    free_pairs=_PAIRS,
    key_len=10,
    key_time=_key_time,
    host_start=b"/.",
    host_end=b'.:/?#"',
    about=(
        'a Log Exporter record in its syslog format: the RFC 5424 header, then `[key:"value"; '
        "...]`, with `time` in epoch seconds and `dst` an address; with `resource` a URL whose "
        "host it names, without it (nor `http_host`) an event without a host name."
    ),
)


class CheckpointFormat(LogFormat):
    name = "checkpoint"
    description = (
        'Check Point Log Exporter records (syslog RFC 5424 with [key:"value"; ...], the '
        "legacy Fields@1.3.6.1.4.1.2620 SD-params, or the key=value|... splunk layout): "
        "firewall connections (addresses, service), URL Filtering / Application Control / "
        "Threat Prevention records with `resource` URL or `http_host`."
    )
    kind = "firewall"
    host_field = "resource (full URL), http_host; none in plain firewall records"
    host_evidence = "url"
    example = (
        '<134>1 2026-03-02T08:14:05Z gw-chu CheckPoint 15871 - [action:"Accept"; '
        'ifdir:"outbound"; origin:"10.1.1.1"; time:"1772439245"; product:"URL Filtering"; '
        'src:"10.20.3.14"; dst:"104.18.32.47"; proto:"6"; service:"443"; s_port:"51544"; '
        'resource:"https://chatgpt.com/backend-api/conversation"; '
        'src_user_name:"Jean Dupont (jdupont)"; app_category:"Generative AI"]'
    )
    vendor_setup = (
        "Configure Log Exporter on the management server (`cp_log_export add ... --format "
        "syslog` or `splunk`, see sk122323), exporting the Firewall, URL Filtering and "
        "Application Control blades. Enable URL Filtering / Application Control logging "
        "('Log' track) on the access rules for outgoing web traffic, with HTTPS inspection "
        "or at least 'categorize HTTPS sites' so that the host is known."
    )
    fields_used = (
        "`time` (epoch) → @timestamp (else the syslog header time); `src` → source.ip; "
        "`src_user_name`/`user` → user.name; `resource` (URL) → destination.domain/port + "
        "path for URL rules, else `http_host`; `dst` → destination.ip; `service`/`svc` "
        "(numeric) → destination.port; `method` → http.request.method; "
        "`client_inbound_bytes`/`client_outbound_bytes` → source.bytes/destination.bytes; "
        "`action` Drop/Reject/Block/Prevent → blocked."
    )
    limits = (
        "Plain firewall records carry addresses and service only: counted as events "
        "(network.protocol `network`) but cannot match a catalog service. Without HTTPS "
        "inspection URL Filtering logs the host only when 'categorize HTTPS sites' is on. "
        "Byte counts appear only in accounting (Log Update) records, which usually lack "
        "addresses and are skipped. CEF and LEEF exporter formats are read by `cef`/`leef`."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return _SNIFF.search(line) is not None

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        return _kv.detect_records(self, head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return CheckpointParser(ctx)


FORMAT = CheckpointFormat()
