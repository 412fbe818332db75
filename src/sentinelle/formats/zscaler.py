"""Zscaler Internet Access (ZIA) NSS web logs: a JSON feed template, or the default CSV/tab feed.

NSS feeds are customer-defined (``%s{field}`` tokens).  Two shapes are read:

* JSON objects, flat or wrapped as ``{"sourcetype": "zscalernss-web", "event": {...}}`` (the
  template SIEM vendors publish), read by key names;
* the default web feed (the sample in Zscaler's field reference), comma-separated quoted values or
  tab-separated as Zscaler recommends: ``time, login, proto, eurl, action, appname, appclass,
  reqsize, respsize, stime, ctime, urlclass, urlsupercat, urlcat, malwarecat, threatname,
  riskscore, dlpeng, dlpdict, location, dept, cip, sip, reqmethod, respcode, ua, ereferer,
  ruletype, rulelabel, contenttype, unscannabletype, deviceowner, devicehostname`` (extra columns
  after these are ignored).

``%s{time}`` (``Mon Jun 20 15:29:11 2022``) has no zone: it is in the feed's time zone, read in
``--tz`` (use ``--tz UTC`` for a feed left on GMT) unless a ``tz`` key or ``epochtime`` says more.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sentinelle.errors import MalformedLine
from sentinelle.formats._kv import host_or_ip, ip, number, text
from sentinelle.formats._structure import Branch, Element, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import MONTHS, LocalClock, build, parse_epoch, parse_offset
from sentinelle.formats._url import split_url, user_or_none
from sentinelle.formats._usual import (
    ASCTIME_KEY_LEN,
    JSON_TEXT,
    NO_VALUE_WORDS,
    RELAY_IPS,
    TAG_FIRST,
    FreePairs,
    Profile,
    literal,
    optional,
    syslog_prefix,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

#: The default NSS web feed, in order.
DEFAULT_COLUMNS = (
    "time",
    "login",
    "proto",
    "eurl",
    "action",
    "appname",
    "appclass",
    "reqsize",
    "respsize",
    "stime",
    "ctime",
    "urlclass",
    "urlsupercat",
    "urlcat",
    "malwarecat",
    "threatname",
    "riskscore",
    "dlpeng",
    "dlpdict",
    "location",
    "dept",
    "cip",
    "sip",
    "reqmethod",
    "respcode",
    "ua",
    "ereferer",
    "ruletype",
    "rulelabel",
    "contenttype",
    "unscannabletype",
    "deviceowner",
    "devicehostname",
)
_MIN_COLUMNS = DEFAULT_COLUMNS.index("respcode") + 1
_TIME = re.compile(r"^(?:\w{3} )?(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$")
_SNIFF_JSON = re.compile(r'"(?:eurl|url)"\s*:.*"(?:reqmethod|respcode|cip)"\s*:')
_SNIFF_CSV = re.compile(r'^"?\w{3} \w{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}"?[,\t]')


class ZscalerParser(LineParser):
    product = "zscaler"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        line = syslog_message(line.rstrip("\r\n"))
        if not line.strip():
            return None
        rec = _json_record(line) if line.lstrip().startswith("{") else _feed_record(line)
        return self.event(rec)

    def event(self, rec: Mapping[str, str]) -> Event:
        """The normalized event of one NSS web record (keys = NSS field names)."""
        method = (text(rec, "reqmethod") or "").upper() or None
        url = text(rec, "eurl", "url")
        proto = (text(rec, "proto") or "").upper()
        target = split_url(_with_scheme(url, method, proto), method) if url else None
        domain, dest_ip = host_or_ip(text(rec, "ehost", "host") or (target and target.host))
        action = (text(rec, "action") or "").lower()
        return Event(
            timestamp=self.timestamp(rec),
            source_ip=ip(rec, "cintip") or ip(rec, "cip"),
            user_name=user_or_none(text(rec, "login") or ""),
            destination_domain=domain,
            destination_ip=dest_ip or ip(rec, "sip"),
            destination_port=target.port if target else None,
            http_request_method=method,
            http_response_status_code=number(rec, "respcode"),
            event_action="blocked" if action.startswith("block") else "allowed",
            source_bytes=number(rec, "reqsize"),
            destination_bytes=number(rec, "respsize"),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path if target else None,
        )

    def timestamp(self, rec: Mapping[str, str]) -> datetime:
        """``epochtime`` when logged, else ``time`` in the feed's ``tz`` or ``--tz``."""
        epoch = text(rec, "epochtime")
        if epoch:
            return parse_epoch(epoch)
        naive = read_time(text(rec, "time"))
        zone = text(rec, "tz")
        if zone and (zone.upper() in ("GMT", "UTC") or zone[0] in "+-"):
            return self.clock.to_utc(naive.replace(tzinfo=parse_offset(zone)))
        return self.clock.to_utc(naive)


def read_time(value: str | None) -> datetime:
    """``%s{time}`` (``Mon Jun 20 15:29:11 2022``, the weekday optional) as a naive time."""
    m = _TIME.match(value or "")
    if m is None or m.group(1).lower() not in MONTHS:
        raise MalformedLine(f"time {value!r} is not like 'Mon Jun 20 15:29:11 2022'")
    return build(
        int(m.group(6)),
        MONTHS[m.group(1).lower()],
        int(m.group(2)),
        int(m.group(3)),
        int(m.group(4)),
        int(m.group(5)),
    )


def _with_scheme(url: str, method: str | None, proto: str) -> str:
    """NSS URLs have no scheme (``host[:port]/path``, scheme in ``proto``); CONNECT: host:port."""
    if method == "CONNECT" or "://" in url:
        return url
    return ("https://" if proto in ("HTTPS", "SSL") else "http://") + url


def _json_record(line: str) -> dict[str, str]:
    try:
        obj: Any = json.loads(line)
    except ValueError as e:
        raise MalformedLine(f"invalid JSON: {e}") from None
    if isinstance(obj, dict) and isinstance(obj.get("event"), dict):
        obj = obj["event"]
    if not isinstance(obj, dict):
        raise MalformedLine("JSON record is not an object")
    values = obj.values()
    if set(map(type, values)) == _STR_ONLY:  # the usual feed: one call instead of a loop
        return dict(zip(map(str.lower, obj), values, strict=True))
    return {str(k).lower(): str(v) for k, v in obj.items() if not isinstance(v, dict | list)}


_STR_ONLY = {str}


def _feed_record(line: str) -> dict[str, str]:
    """A default-feed line, tab-separated or comma-separated with quotes."""
    if "\t" in line:
        values = [v.strip().strip('"') for v in line.split("\t")]
    else:
        try:
            values = next(csv.reader([line], skipinitialspace=True))
        except (csv.Error, StopIteration) as e:
            raise MalformedLine(f"unreadable CSV: {e}") from None
    if len(values) < _MIN_COLUMNS:
        raise MalformedLine(
            f"{len(values)} columns; the default NSS web feed has at least {_MIN_COLUMNS}"
        )
    return dict(zip(DEFAULT_COLUMNS, values, strict=False))


# -- the usual line (see formats/_usual.py), read by the native walker -------------------------
#: What the parser reads of a record beside its time (``time``, read in ``--tz``: the line's
#: key) and its URL (``eurl``, ``host[:port][/path]`` without a scheme, whose host is the
#: line's): no ``epochtime`` nor ``tz`` (they would set the time), no ``host`` nor ``ehost``
#: (the destination's name), the byte counts and the status digits (or nothing).  The other
#: keys it reads (``login``, ``proto``, ``action``, ``reqmethod``, ``cip``, ``cintip``,
#: ``sip``, ``url`` after ``eurl``) never refuse a record.
_PAIRS = FreePairs(
    "zs_event",
    forbidden=frozenset({"epochtime", "tz", "host", "ehost"}),
    digits=frozenset({"reqsize", "respsize", "respcode"}),
    json=True,
    closes=1,
    time="time",
    url="eurl",
)


def _blanks(after: str) -> Branch:
    """Blanks where JSON allows them (the Elastic integration's template writes
    ``{ "sourcetype" : "zscalernss-web", "event" :{…}}``)."""
    return optional(Element(f"{after}_sp", chars(" "), 1, None))


def _key_time(key: bytes) -> datetime:
    """The naive time of a usual line's ``time``, as the parser reads it (its clock then reads
    it in ``--tz``)."""
    return read_time(key.decode("ascii"))


#: The JSON template SIEM vendors publish for NSS web feeds, ``{"sourcetype":"…","event":{…}}``
#: on one line (blanks where JSON allows them), the record's pairs free (their keys, number and
#: order are the feed's template: ``json_pairs`` in ``scan/_lines.c``), each value a string or
#: an integer.  Its ``time`` has no zone: lines in a DST change of ``--tz`` go to the parser
#: (see ``_NaiveScanner`` in ``scan/fast.py``).  Read by the native walker only.
USUAL = Profile(
    usual=(
        # as the NSS feed writes it, or behind a syslog header (an NSS feed to a SIEM's
        # syslog server, which writes its own header in its files)
        *syslog_prefix(tag=TAG_FIRST),
        *literal("open", "{"),
        _blanks("open"),
        *literal("st_k", '"sourcetype"'),
        _blanks("st_k"),
        *literal("st_colon", ":"),
        _blanks("st_colon"),
        *literal("st_q", '"'),
        Element("sourcetype", JSON_TEXT, 1, None),
        *literal("st_end", '"'),
        _blanks("st_end"),
        *literal("comma", ","),
        _blanks("comma"),
        *literal("event_k", '"event"'),
        _blanks("event_k"),
        *literal("event_colon", ":"),
        _blanks("event_colon"),
        Element("zs_event", chars("^\x00"), 1, None, first=chars("{")),
    ),
    tail=frozenset(),
    reserved=NO_VALUE_WORDS,
    dotted_hosts=True,  # "localhost/…", "n/a" (a blank to the parser): for the parser
    in_order=True,  # a local time: the parser's clock reads DST changes by the file's order
    free_pairs=_PAIRS,
    key_len=ASCTIME_KEY_LEN,
    key_time=_key_time,
    naive_key="asctime",
    ips=RELAY_IPS,  # (a syslog header's sender, its address)
    host_start=b'"/.',
    host_end=b'.:/?#"',
    about=(
        'the JSON template of an NSS web feed, `{"sourcetype":"…","event":{…}}` (bare, or behind '
        "a syslog header: `<PRI>`, an RFC 3164 one with its tag, a syslog server's, RFC 3164 "
        "or rsyslog's RFC 3339), its record's "
        "keys in any order, each value a string or an integer: `time` (`Sat Aug 01 00:00:14 "
        "2026`, read in `--tz`) and `eurl` (`host[:port][/path]`, a host name with a dot) "
        "there, no `epochtime`, `tz`, `host` nor `ehost`, the sizes and the status digits. "
        "The lines of a block that holds a DST change of `--tz` go to the parser."
    ),
)


class ZscalerFormat(LogFormat):
    name = "zscaler"
    description = (
        "Zscaler Internet Access NSS web log: a JSON feed template (flat or "
        '`{"sourcetype":"zscalernss-web","event":{…}}`) or the default CSV/tab web feed. The '
        "host is the URL's (`eurl`/`url`, written without scheme)."
    )
    kind = "proxy"
    host_field = "eurl / url (host[:port]/path, no scheme), or host/ehost when in the feed"
    host_evidence = "url"
    example = (
        '{"sourcetype":"zscalernss-web","event":{"time":"Sat Mar 09 10:00:00 2024",'
        '"login":"jdupont@chu.fr","proto":"HTTPS","eurl":"chatgpt.com/backend-api/conversation",'
        '"action":"Allowed","reqsize":"2048","respsize":"5321","cip":"10.20.3.14",'
        '"sip":"104.18.32.47","reqmethod":"POST","respcode":"200"}}'
    )
    vendor_setup = (
        "An NSS feed for Web Logs (NSS VM or Cloud NSS), either the default feed output "
        "format (tab delimiter recommended) or a JSON template with the keys `time` (or "
        "`epochtime`), `login`, `eurl`, `action`, `reqmethod`, `respcode`, `reqsize`, "
        "`respsize`, `cip` (better: `cintip`), `sip`. Set the feed time zone and scan with "
        "the same `--tz` (`--tz UTC` for the default GMT)."
    )
    fields_used = (
        "`epochtime`, else `time` (+ `tz`) → @timestamp; `cintip`, else `cip` → source.ip; "
        "`login` → user.name; `eurl`/`url` (or `host`/`ehost`) → destination.domain/port "
        "(path for URL rules, then dropped); `sip` → destination.ip; `reqmethod` → "
        "http.request.method; `respcode` → http.response.status_code; `reqsize` → "
        "source.bytes; `respsize` → destination.bytes; `action` Blocked → event.action blocked."
    )
    limits = (
        "`cip` is the address Zscaler sees: for GRE/IPsec tunnels it is the hospital's public "
        "egress address, not the workstation (add `cintip` to the feed). `time` carries no "
        "zone: a feed on GMT read with the default --tz is shifted. Other custom feed layouts "
        "(key=value, LEEF, CEF) are read by the generic formats or a mapping."
    )
    priority = 30
    usual = USUAL

    def sniff(self, line: str) -> bool:
        body = syslog_message(line)
        return _SNIFF_JSON.search(body) is not None or _SNIFF_CSV.match(body) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return ZscalerParser(ctx)


FORMAT = ZscalerFormat()
