"""A generic CSV / JSON-lines reader driven by a small YAML mapping file.

For a log that no format module knows, describe it in a mapping file and pass its path as the
``mapping`` option (``ctx.options["mapping"]``)::

    format: csv              # csv (any delimiter) or jsonl (one JSON object per line)
    delimiter: ";"           # csv only; default ","; "\\t" for tab-separated files
    header: true             # csv only: the first line names the columns (default true)
    comment: "#"             # optional: lines starting with this are skipped
    protocol: http           # network.protocol of every event: http, tls, dns or network
    columns:                 # ECS field: column name (header or JSON key, dotted paths
      source.ip: client      #   reach into nested JSON) or 0-based column index
      user.name: login
      url.original: url      # a full URL or host:port: fills destination.domain/port
      destination.domain: host
      destination.port: port
      http.request.method: method
      http.response.status_code: status
      source.bytes: sent
      destination.bytes: received
    timestamp:
      column: time
      format: "%d/%m/%Y %H:%M:%S"   # strptime, or epoch, epoch_ms, iso
      tz: Europe/Paris              # for times without offset (default: --tz)
    blocked_when:            # optional: event.action = blocked when the column's value is one
      column: action         #   of these (compared case-insensitively); allowed otherwise
      values: [DENY, BLOCKED]

ECS targets are the fields of :mod:`sentinelle.schema` (except ``@timestamp``, ``event.action``,
``observer.product`` = ``mapped``, ``network.protocol``, set as above) plus ``url.original``.
Empty values (``""``, ``-``, ``N/A``, ``(null)``, ``null``) are absent.  Without a mapping the
format never detects, and its parser rejects every line saying so.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sentinelle.errors import ConfigError, MalformedLine
from sentinelle.formats import _kv
from sentinelle.formats._time import LocalClock, parse_epoch, parse_iso
from sentinelle.formats._url import canonical_ip, split_url
from sentinelle.formats.base import FormatOption, LineParser, LogFormat, ParseContext
from sentinelle.schema import FIELD_BY_NAME, Event, count, normalize_host, within_count

Column = str | int
_FIXED = {"@timestamp", "event.action", "observer.product", "network.protocol", "url.path"}
TARGETS = tuple(sorted({f for f in FIELD_BY_NAME if f not in _FIXED} | {"url.original"}))
PROTOCOLS = ("http", "tls", "dns", "network")
TIME_FORMATS = ("epoch", "epoch_ms", "iso")
_EMPTY = {"", "-", "n/a", "(null)", "null", "none"}


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file."""

    format: str
    columns: dict[str, Column]
    time_column: Column
    time_format: str
    tz: ZoneInfo | None = None
    delimiter: str = ","
    header: bool = True
    comment: str | None = None
    protocol: str = "http"
    blocked_column: Column | None = None
    blocked_values: frozenset[str] = field(default_factory=frozenset)


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; ConfigError naming the file and the bad entry."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read the mapping file {p}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"mapping file {p} is not valid YAML: {e}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"mapping file {p} is not a YAML mapping", hint=_HINT)
    try:
        return _build(raw)
    except ConfigError as e:
        raise ConfigError(f"mapping file {p}: {e.message}", hint=e.hint or _HINT) from None


_HINT = "see the `mapped` section of docs/formats.md for the mapping file's keys"


def _build(raw: dict[str, Any]) -> Mapping:
    fmt = raw.get("format")
    if fmt not in ("csv", "jsonl"):
        raise ConfigError(f"format {fmt!r} must be csv or jsonl")
    header = bool(raw.get("header", True)) if fmt == "csv" else True
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise ConfigError("`columns` must map ECS fields to columns")
    for target, col in columns.items():
        if target not in TARGETS:
            raise ConfigError(
                f"unknown ECS field {target!r} in columns", hint=f"use one of: {', '.join(TARGETS)}"
            )
        _check_column(col, f"columns.{target}", fmt, header)
    ts = raw.get("timestamp")
    if not isinstance(ts, dict) or "column" not in ts:
        raise ConfigError("`timestamp` must give at least `column` (and `format`)")
    _check_column(ts["column"], "timestamp.column", fmt, header)
    return Mapping(
        format=fmt,
        columns=dict(columns),
        time_column=ts["column"],
        time_format=str(ts.get("format", "iso")),
        tz=_zone(ts.get("tz")),
        delimiter=_delimiter(raw.get("delimiter", ",")),
        header=header,
        comment=str(raw["comment"]) if raw.get("comment") else None,
        protocol=_protocol(raw.get("protocol", "http")),
        **_blocked(raw.get("blocked_when"), fmt, header),
    )


def _check_column(col: Any, where: str, fmt: str, header: bool) -> None:
    if isinstance(col, bool) or not isinstance(col, str | int):
        raise ConfigError(f"{where}: {col!r} is neither a column name nor an index")
    if isinstance(col, int) and (fmt == "jsonl" or col < 0):
        raise ConfigError(f"{where}: index {col} needs a csv file and a value ≥ 0")
    if isinstance(col, str) and fmt == "csv" and not header:
        raise ConfigError(f"{where}: a file without header needs column indexes, not {col!r}")


def _zone(name: Any) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"timestamp.tz {name!r} is not a time zone name",
            hint="use an IANA name such as Europe/Paris or UTC",
        ) from None


def _delimiter(value: Any) -> str:
    text = str(value).replace("\\t", "\t")
    if len(text) != 1:
        raise ConfigError(f"delimiter {value!r} must be one character")
    return text


def _protocol(value: Any) -> str:
    if value not in PROTOCOLS:
        raise ConfigError(f"protocol {value!r} must be one of {', '.join(PROTOCOLS)}")
    return str(value)


def _blocked(raw: Any, fmt: str, header: bool) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or "column" not in raw or not raw.get("values"):
        raise ConfigError("`blocked_when` needs `column` and a list of `values`")
    _check_column(raw["column"], "blocked_when.column", fmt, header)
    values = raw["values"] if isinstance(raw["values"], list) else [raw["values"]]
    return {
        "blocked_column": raw["column"],
        "blocked_values": frozenset(str(v).lower() for v in values),
    }


class MappedParser(LineParser):
    product = "mapped"

    def __init__(self, mapping: Mapping, ctx: ParseContext) -> None:
        self.m = mapping
        self.clock = LocalClock(mapping.tz or ctx.tz)
        self.names: dict[str, int] | None = None  # csv header: column name → index
        self.width = 1 + max(  # csv without header: the highest column index read
            [c for c in (*mapping.columns.values(), mapping.time_column) if isinstance(c, int)],
            default=-1,
        )

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip() or (self.m.comment and line.startswith(self.m.comment)):
            return None
        row = self._row(line)
        if row is None:
            return None
        return self._event(row)

    def _row(self, line: str) -> dict[Column, Any] | None:
        """The record as column → value (csv: by index and by header name), None for a header."""
        if self.m.format == "jsonl":
            return _json_row(line)
        try:
            cells = next(csv.reader([line], delimiter=self.m.delimiter, strict=True))
        except (csv.Error, StopIteration) as e:
            raise MalformedLine(f"not a CSV record ({e})") from None
        stripped = [c.strip() for c in cells]
        if self.m.header and self.names is None:
            self.names = {name: i for i, name in enumerate(stripped)}
            return None
        if self.names is not None and stripped == list(self.names):
            return None  # the header repeated (files concatenated)
        needed = len(self.names) if self.names is not None else self.width
        if len(cells) < needed:
            raise MalformedLine(f"{len(cells)} columns where the mapping reads {needed}")
        row: dict[Column, Any] = dict(enumerate(cells))
        for name, i in (self.names or {}).items():
            row[name] = cells[i]
        return row

    def _event(self, row: dict[Column, Any]) -> Event:
        values = {t: _clean(_lookup(row, c)) for t, c in self.m.columns.items()}
        event = Event(
            timestamp=self._time(_lookup(row, self.m.time_column)),
            observer_product=self.product,
            network_protocol=self.m.protocol,
            event_action="blocked" if self._blocked(row) else "allowed",
        )
        # url.original last: it only fills what explicit host/port/method columns left empty.
        for target in sorted(values, key=lambda t: t == "url.original"):
            value = values[target]
            if value is not None:
                _assign(event, target, value)
        return event

    def _blocked(self, row: dict[Column, Any]) -> bool:
        if self.m.blocked_column is None:
            return False
        value = _lookup(row, self.m.blocked_column)
        return value is not None and str(value).strip().lower() in self.m.blocked_values

    def _time(self, value: Any) -> datetime:
        text = _clean(value)
        if text is None:
            raise MalformedLine(f"no timestamp in column {self.m.time_column!r}")
        fmt = self.m.time_format
        if fmt == "epoch":
            return parse_epoch(text)
        if fmt == "epoch_ms":
            return _epoch_ms(text)
        if fmt == "iso":
            return parse_iso(text, self.clock)
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            raise MalformedLine(f"timestamp {text!r} does not match {fmt!r}") from None
        return self.clock.to_utc(parsed)


def _epoch_ms(text: str) -> datetime:
    """Epoch milliseconds, whatever their number of digits."""
    try:
        return datetime.fromtimestamp(float(text) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        raise MalformedLine(f"timestamp {text!r} is not epoch milliseconds") from None


def _json_row(line: str) -> dict[Column, Any]:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as e:
        raise MalformedLine(f"not a JSON object ({e})") from None
    if not isinstance(obj, dict):
        raise MalformedLine("JSON value is not an object")
    return obj


def _lookup(row: dict[Column, Any], col: Column) -> Any:
    """A column's value; dotted names reach into nested JSON objects."""
    if col in row:
        return row[col]
    if isinstance(col, str) and "." in col:
        node: Any = row
        for part in col.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node
    return None


def _clean(value: Any) -> str | None:
    """A cell as text; missing and conventional empty markers → None."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return None if text.lower() in _EMPTY else text


def _assign(event: Event, target: str, value: str) -> None:
    """Put one mapped value on the event, converted to the field's type."""
    if target == "url.original":
        _assign_url(event, value)
        return
    spec = FIELD_BY_NAME[target]
    if spec.type == "long":
        setattr(event, spec.attr, _integer(value, target))
    elif target == "source.ip":
        ip = canonical_ip(value)
        if ip is None:
            raise MalformedLine(f"source.ip {value!r} is not an address")
        event.source_ip = ip
    elif target in ("destination.domain", "destination.ip"):
        _assign_host(event, value)
    elif target == "http.request.method":
        event.http_request_method = value.upper()
    elif target == "source.domain":
        event.source_domain = value.lower()
    else:
        setattr(event, spec.attr, value)


def _assign_host(event: Event, value: str) -> None:
    ip = canonical_ip(value)
    if ip is not None:
        event.destination_ip = ip
    else:
        host = normalize_host(value)
        if host is not None and (":" in host or " " in host):
            raise MalformedLine(f"destination {value!r} is neither a host name nor an address")
        event.destination_domain = host


def _assign_url(event: Event, value: str) -> None:
    target = split_url(value, event.http_request_method)
    if target.host and event.destination_domain is None and event.destination_ip is None:
        _assign_host(event, target.host)
    if target.port is not None and event.destination_port is None:
        event.destination_port = target.port
    event.url_path = target.path


def _integer(value: str, target: str) -> int | None:
    """A mapped number (None beyond what the store keeps: see ``_kv.count``)."""
    try:
        if _kv.digits(value):
            return count(value)
        return within_count(int(float(value)) if "." in value else int(value))
    except (ValueError, OverflowError):
        raise MalformedLine(f"{target} {value!r} is not a number") from None


class _NoMappingParser(LineParser):
    def parse(self, line: str) -> Event | None:
        raise MalformedLine("the mapped format needs a mapping file (option mapping=PATH)")


class MappedFormat(LogFormat):
    name = "mapped"
    description = (
        "Any CSV or JSON-lines log, described by a YAML mapping file (column → ECS field, "
        "timestamp format and time zone, block values). Never detected without a mapping."
    )
    kind = "generic"
    host_field = "the column mapped to destination.domain or url.original"
    host_evidence = "url"
    example = "2026-08-01 10:23:00;10.20.3.14;jdupont;https://chatgpt.com/backend-api;ALLOW"
    vendor_setup = (
        "Export the log as CSV (any delimiter, with or without a header line) or JSON lines and "
        "write a mapping file: `format` (csv|jsonl), `delimiter`, `header`, `comment`, "
        "`protocol` (http|tls|dns|network), `columns` ({ECS field: column name or "
        "0-based index}; targets: source.ip, source.domain, user.name, destination.domain, "
        "destination.ip, destination.port, url.original, http.request.method, "
        "http.response.status_code, source.bytes, destination.bytes), `timestamp` ({column, "
        "format: strptime pattern | epoch | epoch_ms | iso, tz}), `blocked_when` ({column, "
        "values}). A commented example ships as `sentinelle/formats/data/mapping.example.yaml`; "
        "pass it with `--format mapped --format-option mapping=FILE`."
    )
    fields_used = "Whatever the mapping file names (see above); nothing else is read."
    limits = (
        "Only what the mapped columns carry. One record per line: CSV fields with embedded "
        "line breaks are not supported. Records without a host column are counted as events "
        "but cannot match a catalog service. Every event gets the one `protocol` of the "
        "mapping (a file mixing DNS queries and proxy requests needs two mappings)."
    )
    priority = 95
    handles_syslog = False
    options = (
        FormatOption(
            "mapping",
            "the YAML mapping file that describes the log (see "
            "sentinelle/formats/data/mapping.example.yaml)",
            path=True,
        ),
    )

    def sniff(self, line: str) -> bool:
        return True

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """Only with a mapping: never guess a generic layout."""
        if ctx is None or not ctx.options.get("mapping"):
            return False
        return super().detect(head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        path = ctx.options.get("mapping")
        if not path:
            return _NoMappingParser()
        return MappedParser(load_mapping(path), ctx)


FORMAT = MappedFormat()
