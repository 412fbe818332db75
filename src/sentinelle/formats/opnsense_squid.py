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
from sentinelle.formats._kv import host_or_ip, ip
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, parse_iso
from sentinelle.formats._url import split_url, user_or_none
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event


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
    try:
        return int(value)
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

    def sniff(self, line: str) -> bool:
        body = syslog_message(line)
        return body.startswith("{") and '"@timestamp"' in body and "squid" in line

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return OpnsenseSquidParser(ctx)


FORMAT = OpnsenseSquidFormat()
