"""W3C Extended / ELFF logs with a ``#Fields:`` header (generic; Blue Coat builds on it).

The ``#Fields:`` directive names the columns; values are separated by blanks (runs of them),
double-quoted when they contain blanks, ``-`` when empty.  The header may be repeated mid-file
(log rotation, appliance restart) and then replaces the layout.  Data lines with *more* columns
than the header are accepted (appliances append fields the header does not list), fewer are
rejected.  The field names understood are the W3C/ELFF ones used by Blue Coat, Microsoft IIS/TMG
and Cisco WSA W3C logs (``cs-host``, ``cs(Host)``, ``cs-uri``, ``cs-url``, ``cs-uri-stem``...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._kv import host_or_ip, ip, number, port, text
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, parse_clf, parse_epoch, parse_iso
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Action, Event

_TOKEN = re.compile(r'"((?:[^"]|"")*)"|(\S+)')
_FIELDS = re.compile(r"^#\s*Fields:\s*(.+)$", re.IGNORECASE)
_RESULT_STATUS = re.compile(r"^([A-Z_]+)/(\d{3})$")
_URL_KEYS = ("cs-uri", "cs-url", "x-cs-url", "cs-uri-stem")
_HOST_KEYS = ("cs-host", "cs(host)", "r-host", "x-cs-sni", "cs-uri-address")
_ACTION_KEYS = (
    "s-action",
    "sc-filter-result",
    "x-acltag",
    "x-result-code",
    "x-resultcode-httpstatus",
)


def tokenize(line: str) -> list[str]:
    """Split an ELFF data line: blank-separated, ``"quoted values"`` kept whole (``""`` escapes)."""
    if '"' not in line:
        return line.split()  # str.split's blanks are the ones of \s
    if '""' not in line:  # no escape to undo: the matched alternative is the non-empty group
        return [q or b for q, b in _TOKEN.findall(line)]
    return [q.replace('""', '"') if b == "" else b for q, b in _TOKEN.findall(line)]


def fields_header(line: str) -> list[str] | None:
    """The lower-cased column names of a ``#Fields:`` line; None for any other line."""
    m = _FIELDS.match(line.strip())
    return m.group(1).lower().split() if m else None


class ElffParser(LineParser):
    """Reads ELFF lines by the layout of the last ``#Fields:`` header seen."""

    product = "w3c"

    def __init__(self, ctx: ParseContext, default: Sequence[str] | None = None) -> None:
        self.ctx = ctx
        self.clock = LocalClock(ctx.tz)
        self.fields: list[str] | None = list(default) if default else None

    def parse(self, line: str) -> Event | None:
        line = syslog_message(line.rstrip("\r\n"))
        if not line.strip():
            return None
        if line.lstrip().startswith("#"):
            header = fields_header(line)
            if header is not None:
                self.fields = header
            return None
        if self.fields is None:
            raise MalformedLine("data line before any #Fields: header (layout unknown)")
        values = tokenize(line)
        if len(values) < len(self.fields):
            raise MalformedLine(f"{len(values)} values, the layout has {len(self.fields)} columns")
        return self.event(dict(zip(self.fields, values, strict=False)))

    def event(self, rec: Mapping[str, str]) -> Event:
        """The normalized event of one record keyed by lower-cased ELFF field names."""
        method = _method(rec)
        host, dest_ip, dest_port, path = _destination(rec, method)
        return Event(
            timestamp=self.timestamp(rec),
            source_ip=_client(rec),
            user_name=_user(rec),
            destination_domain=host,
            destination_ip=dest_ip or ip(rec, "s-supplier-ip") or ip(rec, "r-ip"),
            destination_port=dest_port,
            http_request_method=method,
            http_response_status_code=_status(rec),
            event_action=_action(rec),
            source_bytes=number(rec, "cs-bytes"),
            destination_bytes=number(rec, "sc-bytes"),
            observer_product=self.product,
            network_protocol="http",
            url_path=path,
        )

    def timestamp(self, rec: Mapping[str, str]) -> datetime:
        """``date``+``time`` (GMT per W3C), ``gmttime``/``localtime`` (CLF) or an epoch."""
        date, time = text(rec, "date"), text(rec, "time")
        if date and time:
            return parse_iso(f"{date}T{time}Z", self.clock)
        for key in ("gmttime", "localtime"):
            value = text(rec, key)
            if value:
                return parse_clf(value)
        value = text(rec, "timestamp", "x-timestamp", "x-cs-timestamp")
        if value:
            return parse_epoch(value)
        raise MalformedLine("no date/time, gmttime, localtime or timestamp column")


def _method(rec: Mapping[str, str]) -> str | None:
    value = text(rec, "cs-method")
    if value is None or not value.replace("_", "").replace("-", "").isalpha():
        return None  # Blue Coat writes "unknown" for non-HTTP tunnels
    return value.upper()


def _destination(
    rec: Mapping[str, str], method: str | None
) -> tuple[str | None, str | None, int | None, str | None]:
    """Host, IP, port and path from the host columns, else from a full URL column."""
    url = text(rec, *_URL_KEYS)
    # Full URLs keep their authority even for CONNECT (Cisco: tunnel://host:443/).
    target = split_url(url, None if "://" in url else method) if url else None
    host_value = text(rec, *_HOST_KEYS)
    domain, address = host_or_ip(host_value) if host_value else (None, None)
    if domain is None and address is None and target is not None and target.host:
        address = canonical_ip(target.host)
        domain = None if address else target.host
    dest_port = port(rec, "cs-uri-port") or port(rec, "r-port")
    if dest_port is None and target is not None:
        dest_port = target.port
    path = text(rec, "cs-uri-path")
    if path is None and target is not None:
        path = target.path
    return domain, address, dest_port, path


def _client(rec: Mapping[str, str]) -> str | None:
    value = text(rec, "c-ip", "x-cs-userip")
    address = canonical_ip(value) if value else None
    if value and address is None:
        raise MalformedLine(f"client address c-ip={value!r} is not an IP address")
    return address


def _user(rec: Mapping[str, str]) -> str | None:
    value = text(rec, "cs-username", "cs-userdn", "cs-user", "x-cs-username")
    if value is None or value.lower() == "anonymous":  # TMG's word for "not authenticated"
        return None
    return user_or_none(value)


def _status(rec: Mapping[str, str]) -> int | None:
    combined = text(rec, "x-resultcode-httpstatus")
    if combined:
        m = _RESULT_STATUS.match(combined)
        if m is None:
            raise MalformedLine(f"x-resultcode-httpstatus {combined!r} is not RESULT/STATUS")
        return int(m.group(2))
    return number(rec, "sc-status")


def _action(rec: Mapping[str, str]) -> Action:
    """Blocked when the proxy says so: s-action/result code DENIED, filter result or ACL tag."""
    for key in _ACTION_KEYS:
        value = rec.get(key)
        if value and ("DENIED" in value.upper() or value.upper().startswith(("BLOCK", "DROP"))):
            return "blocked"
    return "allowed"


class W3cFormat(LogFormat):
    name = "w3c"
    description = (
        "Any W3C Extended / ELFF log with a `#Fields:` header (Microsoft IIS/TMG, Cisco WSA "
        "W3C logs, other proxies): the columns are read by the header's names. Generic "
        "fallback tried after the vendor formats."
    )
    kind = "generic"
    host_field = "cs-host / cs(Host) / r-host, else the host of cs-uri / cs-url"
    host_evidence = "host-header"
    example = (
        "#Fields: date time c-ip cs-username cs-method cs-host cs-uri-port cs-uri-stem "
        "sc-status sc-bytes cs-bytes"
    )
    vendor_setup = (
        "Any W3C extended log. Keep the `#Fields:` header in each file (it is written at the "
        "top of every file and after each restart); include at least `date time c-ip` and a "
        "host column (`cs-host`, `cs(Host)` or a full-URL `cs-uri`/`cs-url`)."
    )
    fields_used = (
        "`date`+`time` (GMT, as W3C specifies) or `gmttime`/`localtime` or epoch `timestamp` "
        "→ @timestamp; `c-ip` → source.ip; `cs-username` → user.name; `cs-host`/`cs(Host)`/"
        "`r-host`, else the URL host of `cs-uri`/`cs-url` → destination.domain (IP literal → "
        "destination.ip); `s-supplier-ip`/`r-ip` → destination.ip; `cs-uri-port` → "
        "destination.port; `cs-method` → http.request.method; `sc-status` (or Cisco's "
        "`x-resultcode-httpstatus`) → http.response.status_code; `cs-bytes` → source.bytes; "
        "`sc-bytes` → destination.bytes; `s-action`/`sc-filter-result`/`x-acltag` containing "
        "DENIED/BLOCK/DROP → event.action blocked."
    )
    limits = (
        "Only what the header lists: without a host column the records are counted as events "
        "but cannot match a catalog service. Web-server logs (IIS) describe the server itself, "
        "not outbound traffic. date/time are read as GMT (the W3C rule); a log written in local "
        "time without offset is shifted."
    )
    priority = 85
    handles_syslog = False

    def sniff(self, line: str) -> bool:
        return fields_header(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return ElffParser(ctx)


FORMAT = W3cFormat()
