"""OPNsense Squid access log in its JSON (ECS-like) logformat, usually behind a syslog header.

OPNsense's web proxy can log one JSON object per request (``"@timestamp"`` with offset,
``http.request.method``, ``http.response.body.status_code``, ``http.response.bytes``,
``source.ip``, ``user.name``, ``url.original``, ``labels.request_status`` = Squid's ``%Ss``), sent
through syslog as ``<PRI>Mmm dd HH:MM:SS host (squid-1)[pid]: {...}``.  The JSON time wins over
the header's.
"""

from __future__ import annotations

import json
from typing import Any

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._kv import host_or_ip, ip
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, parse_iso
from sentinelle.formats._url import split_url, user_or_none
from sentinelle.formats._usual import (
    DIGIT,
    JSON_TEXT,
    MAX_DIGITS,
    ZONE,
    Profile,
    bsd_months,
    bsd_time,
    datetime_digits,
    iso_offset_key,
    literal,
    url_with_host,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, count, within_count


def _get(obj: Any, path: str) -> Any:
    """``obj["a"]["b"]`` for ``"a.b"`` (also a flat ``"a.b"`` key); None when missing."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    parts = _PARTS.get(path)
    if parts is None:
        parts = _PARTS[path] = tuple(path.split("."))
    for part in parts:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


_PARTS: dict[str, tuple[str, ...]] = {}  # the parser asks for the same dozen paths


def _str(obj: Any, path: str) -> str | None:
    value = _get(obj, path)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return None if text in ("", "-") else text


def _int(obj: Any, path: str) -> int | None:
    value = _str(obj, path)
    if value is None:
        return None
    if _kv.digits(value):
        return count(value)
    try:
        return within_count(int(value))
    except ValueError:
        raise MalformedLine(f"{path}={value!r} is not a number") from None


class OpnsenseSquidParser(LineParser):
    product = "opnsense-squid"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)

    def parse(self, line: str) -> Event | None:
        body = syslog_message(line.rstrip("\r\n"))
        if not body.strip():
            return None
        try:
            obj = json.loads(body)
        except ValueError as e:
            raise MalformedLine(f"invalid JSON: {e}") from None
        if not isinstance(obj, dict) or _str(obj, "@timestamp") is None:
            raise MalformedLine("JSON record without @timestamp")
        method = (_str(obj, "http.request.method") or "").upper() or None
        url = _str(obj, "url.original")
        target = split_url(url, None if "://" in url else method) if url else None
        domain, dest_ip = host_or_ip(target.host if target else None)
        status = _str(obj, "labels.request_status") or ""
        return Event(
            timestamp=parse_iso(_str(obj, "@timestamp") or "", self.clock),
            source_ip=ip({"ip": _str(obj, "source.ip") or ""}, "ip"),
            user_name=user_or_none(_str(obj, "user.name") or ""),
            destination_domain=domain,
            destination_ip=dest_ip,
            destination_port=target.port if target else None,
            http_request_method=None if method == "NONE" else method,
            http_response_status_code=_int(obj, "http.response.status_code")
            or _int(obj, "http.response.body.status_code"),
            event_action="blocked" if "DENIED" in status.upper() else "allowed",
            destination_bytes=_int(obj, "http.response.bytes"),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path if target else None,
        )


# -- the usual line (see formats/_usual.py) ----------------------------------------------------
#: the syslog tag's name, as ``_syslog``'s ``_TAG`` reads it (ASCII: a bounded run)
_APP = chars("!-~") - chars("[]:")


def _bsd_rest(month: str) -> tuple[Item, ...]:
    """An RFC 3164 header after its day: a time ``_syslog`` builds, the device, a
    ``(name)[pid]:`` tag and its blank (the names end with the month's: each month has its
    copy, the branch of the months cannot rejoin before the header's end)."""
    return (
        *bsd_time(month),
        # a host name as ``_syslog``'s ``_HOST`` reads one: not "-" first (then no host, no
        # tag: the header stays before the record)
        Element(f"device_{month}", chars("A-Za-z0-9_.\\-"), 1, 254, first=chars("A-Za-z0-9_")),
        Element(f"device_sp_{month}", chars(" ")),
        # "(squid-1)": never CEF nor LEEF, which ``_syslog`` takes for a payload, not a tag
        Element(f"app_{month}", _APP, 1, 64, first=chars("(")),
        Element(f"pid_open_{month}", chars("[")),
        Element(f"pid_{month}", DIGIT, 1, 32),
        *literal(f"tag_end_{month}", "]: "),
    )


#: an RFC 5424 header's fields as ``_syslog`` reads them untimed (``\\S+`` each, the time
#: not read): visible ASCII here
_VISIBLE = chars("!-~")


def _rfc5424() -> tuple[Item, ...]:
    """An RFC 5424 header after its ``<PRI>`` (OPNsense's own log files): version 1, time,
    host, app, procid and msgid, then no structured data (``-``) or OPNsense's
    ``[meta sequenceId="N"]``, and a blank."""
    fields: list[Item] = [Element("v1", chars("1")), Element("v1_sp", chars(" "))]
    for name in ("ts5424", "host5424", "app5424", "procid", "msgid"):
        fields += [Element(name, _VISIBLE, 1, None), Element(f"{name}_sp", chars(" "))]
    sd = Branch(
        (
            (Element("sd_nil", chars("-")),),
            (
                *literal("sd_k", '[meta sequenceId="'),
                Element("sd_n", DIGIT, 1, MAX_DIGITS),
                *literal("sd_end", '"]'),
            ),
        )
    )
    return (*fields, sd, Element("sd_sp", chars(" ")))


def _number(name: str) -> Branch:
    """A JSON integer that ``int`` reads: ``0``, or digits without a leading zero."""
    return Branch(
        (
            (Element(f"{name}_0", chars("0")),),
            (Element(f"{name}_n", DIGIT, 1, MAX_DIGITS, first=chars("1-9")),),
        )
    )


def _text(name: str) -> Element:
    return Element(name, JSON_TEXT, 1, None)


def _object(key: str, name: str = "") -> Branch:
    """The rest of an object after its ``{``: ``}`` (empty), or ``"key":"text"}``."""
    name = name or key
    return Branch(
        (
            (Element(f"{name}_none", chars("}")),),
            (*literal(f"{name}_k", f'"{key}":"'), _text(name), *literal(f"{name}_end", '"}')),
        )
    )


#: OPNsense's JSON record as its Squid logformat writes it (the keys in its order, no blank; the
#: vendor's ``host``, ``event``, ``message`` and ``user_agent`` objects or not, ``source``,
#: ``user`` and ``user_agent`` empty or not), behind a year-less syslog header with a
#: ``(name)[pid]:`` tag or an RFC 5424 one (OPNsense's own files): each string value without
#: escapes, each number an integer, the URL one with a host name (``u0`` for ``host:port``,
#: ``host`` after ``scheme://``).  Every RFC 3164 date the chain takes is one ``_syslog``
#: builds (so it strips the header), and the record's ``@timestamp`` a time with its ``+HHMM``
#: offset (checked by the walker: ``local_key`` in ``scan/_lines.c``).  JSON keys all start
#: alike: where an object may be left out, the chain reads on to the first letter that tells the
#: two keys apart.  Read by the native walker only.
USUAL = Profile(
    usual=(
        Branch(
            (
                (  # as OPNsense sends it, or writes it in its own files (RFC 5424)
                    Element("pri_open", chars("<")),
                    Element("pri", DIGIT, 1, 3),
                    Element("pri_close", chars(">")),
                    Branch((*bsd_months(_bsd_rest), _rfc5424())),
                ),
                *bsd_months(_bsd_rest),  # as a syslog server writes it (without the <PRI>)
            )
        ),
        *literal("ts_k", '{"@timestamp":"'),
        *datetime_digits("t", sep="T"),
        Element("tz", ZONE, 5, 5),
        *literal("ecs_k", '","ecs":{"version":"'),
        _text("ecs"),
        *literal("service_k", '"},"service":{"name":"'),
        _text("service"),
        *literal("type_k", '","type":"'),
        _text("type"),
        # "host" (the vendor's) or straight on to "http": told apart at their second letter
        *literal("host_or_http", '"},"h'),
        Branch(
            (
                (
                    *literal("host_k", 'ost":{"hostname":"'),
                    _text("hostname"),
                    *literal("host_end", '"},"htt'),
                ),
                (Element("http_tt", chars("t"), 2, 2),),
            )
        ),
        *literal("method_k", 'p":{"request":{"method":"'),
        Element("method", chars("A-Za-z_\\-"), 1, None),
        *literal("bytes_k", '"},"response":{"bytes":'),
        _number("bytes"),
        *literal("status_k", ',"body":{"status_code":'),
        _number("status"),
        *literal("version_k", '}},"version":"'),
        _text("version"),
        *literal("source_k", '"},"source":{'),
        _object("ip"),  # the vendor writes "source":{} without a client address
        # "event" and "message" (the vendor's) or straight on to "user"
        *literal("event_or_user", ',"'),
        Branch(
            (
                (
                    *literal("event_k", 'event":{"duration":"'),
                    _text("duration"),
                    *literal("dataset_k", '","dataset":"'),
                    _text("dataset"),
                    *literal("message_k", '"},"message":"'),
                    _text("message"),
                    *literal("message_end", '","u'),
                ),
                (Element("user_u", chars("u")),),
            )
        ),
        *literal("user_k", 'ser":{'),
        _object("name", "user"),
        *literal("url_k", ',"url":{"original":"'),
        *url_with_host(JSON_TEXT - chars(" ")),
        # "user_agent" (the vendor's) or straight on to "labels"
        *literal("agent_or_labels", '"},"'),
        Branch(
            (
                (
                    *literal("agent_k", 'user_agent":{'),
                    _object("original", "agent"),
                    *literal("agent_end", ',"l'),
                ),
                (Element("labels_l", chars("l")),),
            )
        ),
        *literal("labels_k", 'abels":{"request_status":"'),
        _text("result"),
        *literal("hier_k", '","hierarchy_status":"'),
        _text("hier"),
        *literal("end", '"}}'),
    ),
    tail=frozenset(),
    hosts=frozenset({"u0", "host"}),
    reserved=(b"error",),  # Squid's "error:…" pseudo-URLs have no host
    key_len=19,  # YYYY-MM-DDTHH:MM:SS
    key_time=iso_offset_key,  # (its @timestamp, then the offset: as the parser reads it)
    key_element="t_year",
    zone="tz",
    in_order=True,  # a @timestamp without an offset is a local time (the parser's clock)
    host_start=b'"/.',
    host_end=b'.:/?#"',
    about=(
        "a syslog header (RFC 3164 with a possible date and a `(name)[pid]:` tag, maybe without "
        "its `<PRI>` as a syslog server writes it; or RFC "
        "5424 without structured data or with OPNsense's `[meta sequenceId]`), then OPNsense's "
        "JSON record with its keys in their order (its optional objects there or not), string "
        "values without escapes, integer numbers, a `@timestamp` with its `+HHMM` offset and a "
        "URL or `host:port` with a host name."
    ),
)


class OpnsenseSquidFormat(LogFormat):
    name = "opnsense-squid"
    description = (
        "OPNsense web proxy (Squid) access log in its JSON logformat, usually behind a syslog "
        "header. The host is the URL's (`url.original`; CONNECT host:port)."
    )
    kind = "proxy"
    host_field = "url.original (URL; CONNECT host:port)"
    host_evidence = "url"
    example = (
        "<166>Mar  9 10:00:00 fw.chu.fr (squid-1)[6802]: "
        '{"@timestamp":"2024-03-09T09:00:00+0000","http":{"request":{"method":"CONNECT"},'
        '"response":{"bytes":5321,"body":{"status_code":200}}},"source":{"ip":"10.20.3.14"},'
        '"user":{"name":"jdupont"},"url":{"original":"chatgpt.com:443"},'
        '"labels":{"request_status":"TCP_TUNNEL","hierarchy_status":"HIER_DIRECT"}}'
    )
    vendor_setup = (
        "Services → Web Proxy → Administration → Logging: enable access logging with the "
        'JSON format ("log target" file or syslog), and export the proxy log from '
        "System → Log Files or a remote syslog server."
    )
    fields_used = (
        "`@timestamp` (with offset) → @timestamp; `source.ip` → source.ip; `user.name` → "
        "user.name; `url.original` → destination.domain/port (path for URL rules, then "
        "dropped); `http.request.method` → http.request.method; "
        "`http.response.body.status_code` (or `http.response.status_code`) → "
        "http.response.status_code; `http.response.bytes` → destination.bytes; "
        "`labels.request_status` containing DENIED → event.action blocked."
    )
    limits = (
        "No request size. HTTPS without SSL inspection shows only CONNECT host:port. The "
        "default (non-JSON) OPNsense/pfSense Squid log is the native Squid format, read by "
        "`squid`."
    )
    priority = 20
    usual = USUAL

    def sniff(self, line: str) -> bool:
        body = syslog_message(line)
        return body.startswith("{") and '"@timestamp"' in body and "squid" in line

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return OpnsenseSquidParser(ctx)


FORMAT = OpnsenseSquidFormat()
