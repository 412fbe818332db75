"""Zeek (ex-Bro) ``dns.log``, ``ssl.log``, ``http.log`` and ``conn.log``, TSV or JSON lines.

TSV files start with a header block (``#separator \\x09``, ``#set_separator``, ``#empty_field``,
``#unset_field``, ``#path``, ``#fields``, ``#types``) and end with ``#close``; columns are read
by the ``#fields`` header, never by position, since packages add columns.  Values escape
non-printables as ``\\xHH``; ``-`` is unset and ``(empty)`` an empty set.  JSON files
(``LogAscii::use_json=T``) hold one object per line with dotted keys (``id.orig_h``); which log a
line belongs to is told by ``#path`` (TSV) or by its keys (JSON).  ``ts`` is epoch seconds, UTC
(JSON may carry ISO 8601 strings instead).  Splunk search exports that wrap each record as
``{"result": {"_raw": "<zeek json>"}}`` are unwrapped.

Other Zeek logs (``files``, ``x509``, ``weird``, ...) in TSV are recognized by their ``#path`` and
skipped: they carry no destination of their own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Element, chars
from sentinelle.formats._time import LocalClock, parse_epoch, parse_iso
from sentinelle.formats._url import canonical_ip, split_authority, split_url, user_or_none
from sentinelle.formats._usual import FreePairs, Profile
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

Record = dict[str, Any]

_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})")
_KINDS = ("dns", "ssl", "http", "conn")
# Keys that only one of the four logs has, tried in this order (dns.log has "proto" too).
_KEYS_OF: tuple[tuple[str, frozenset[str]], ...] = (
    ("dns", frozenset({"query", "qtype", "qtype_name", "trans_id", "rcode"})),
    ("http", frozenset({"trans_depth", "method", "uri", "status_code", "request_body_len"})),
    ("ssl", frozenset({"server_name", "cipher", "established", "resumed"})),
    ("conn", frozenset({"conn_state", "orig_bytes", "history", "missed_bytes"})),
)


def unescape(value: str) -> str:
    """Zeek's ``\\xHH`` escapes (separator, backslash, non-printables) decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "\\x" in value else value


def kind_of(keys: Sequence[str] | set[str]) -> str | None:
    """Which of dns/http/ssl/conn a record with these fields comes from, None if none."""
    present = set(keys)
    for kind, marks in _KEYS_OF:
        if present & marks:
            return kind
    return None


def _text(value: Any) -> str | None:
    """A string field; unset, empty and non-string values → None."""
    if not isinstance(value, str) or value in ("", "-", "(empty)"):
        return None
    return value


def _int(value: Any, name: str) -> int | None:
    """A count/port field (JSON number or TSV text); unset → None."""
    if value is None or value in ("-", ""):
        return None
    if isinstance(value, bool):
        raise MalformedLine(f"{name} {value!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise MalformedLine(f"{name} {value!r} is not a number")


def _timestamp(value: Any, clock: LocalClock) -> datetime:
    if isinstance(value, bool) or value is None:
        raise MalformedLine(f"ts {value!r} is not a time")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as e:
            raise MalformedLine(f"ts {value!r} is out of range") from e
    if isinstance(value, str) and "-" in value[1:]:
        return parse_iso(value, clock)  # LogAscii::json_timestamps=JSON::TS_ISO8601
    if isinstance(value, str):
        return parse_epoch(value)
    raise MalformedLine(f"ts {value!r} is not a time")


def _endpoints(rec: Record) -> dict[str, Any]:
    """source.ip from ``id.orig_h`` (required), destination.ip/port from ``id.resp_h/_p``."""
    source_ip = canonical_ip(_text(rec.get("id.orig_h")) or "")
    if source_ip is None:
        raise MalformedLine(f"id.orig_h {rec.get('id.orig_h')!r} is not an address")
    return {
        "source_ip": source_ip,
        "destination_ip": canonical_ip(_text(rec.get("id.resp_h")) or ""),
        "destination_port": _int(rec.get("id.resp_p"), "id.resp_p"),
    }


def _dns(rec: Record) -> dict[str, Any]:
    ends = _endpoints(rec)
    # id.resp_h is the resolver asked, not where the client is going: not a destination.
    return {
        "source_ip": ends["source_ip"],
        "destination_domain": _name(_text(rec.get("query"))),
        "network_protocol": "dns",
    }


def _name(value: str | None) -> str | None:
    """A host name from a query, SNI or Host header (port dropped); IP literals → None."""
    host = split_authority(value)[0] if value else None
    if host is None or ":" in host or canonical_ip(host) is not None:
        return None  # an IP literal or something that is no host name
    return host


def _ssl(rec: Record) -> dict[str, Any]:
    # QUIC's SNI may carry ":443"; an IP literal in the SNI adds nothing to id.resp_h.
    sni = _name(_text(rec.get("server_name")))
    return {**_endpoints(rec), "destination_domain": sni, "network_protocol": "tls"}


def _http(rec: Record) -> dict[str, Any]:
    uri = _text(rec.get("uri"))
    method = _text(rec.get("method"))
    target = split_url(uri, method) if uri and "://" in uri else None  # proxied: absolute URI
    host = _name(_text(rec.get("host"))) or (_name(target.host) if target else None)
    path = target.path if target else (uri or "").split("?")[0]
    return {
        **_endpoints(rec),
        "destination_domain": host,
        "http_request_method": method.upper() if method else None,
        "http_response_status_code": _int(rec.get("status_code"), "status_code"),
        "source_bytes": _int(rec.get("request_body_len"), "request_body_len"),
        "destination_bytes": _int(rec.get("response_body_len"), "response_body_len"),
        "user_name": user_or_none(_text(rec.get("username")) or ""),
        "url_path": path or None,
        "network_protocol": "http",
    }


def _conn(rec: Record) -> dict[str, Any]:
    return {
        **_endpoints(rec),
        "source_bytes": _int(rec.get("orig_bytes"), "orig_bytes"),
        "destination_bytes": _int(rec.get("resp_bytes"), "resp_bytes"),
        "network_protocol": "network",
    }


_BUILDERS: dict[str, Callable[[Record], dict[str, Any]]] = {
    "dns": _dns,
    "ssl": _ssl,
    "http": _http,
    "conn": _conn,
}


class ZeekParser(LineParser):
    product = "zeek"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)
        self.sep = "\t"
        self.unset = "-"
        self.empty = "(empty)"
        self.path: str | None = None
        self.fields: list[str] | None = None
        self.kind: str | None = None  # of the TSV records, None = an unsupported log

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip():
            return None
        if line.startswith("#"):
            self._header(line)
            return None
        kind: str | None
        if line.lstrip().startswith("{"):
            record, kind = self._json(line)
        else:
            record, kind = self._tsv(line)
            if kind is None:
                return None  # a record of another Zeek log (files, x509...): no destination
        return self._event(record, kind)

    def _header(self, line: str) -> None:
        if line.startswith("#separator "):
            self.sep = unescape(line[len("#separator ") :]) or "\t"
            return
        key, _, value = line.partition(self.sep)
        if key == "#unset_field":
            self.unset = value
        elif key == "#empty_field":
            self.empty = value
        elif key == "#path":
            self.path = value
        elif key == "#fields":
            self.fields = value.split(self.sep)
            known = self.path if self.path in _KINDS else None
            self.kind = known or kind_of(self.fields)

    def _tsv(self, line: str) -> tuple[Record, str | None]:
        if self.fields is None:
            raise MalformedLine("Zeek TSV record before any #fields header")
        values = line.split(self.sep)
        if len(values) != len(self.fields):
            raise MalformedLine(f"{len(values)} columns where #fields names {len(self.fields)}")
        record = {
            f: None if v == self.unset else "" if v == self.empty else unescape(v)
            for f, v in zip(self.fields, values, strict=True)
        }
        return record, self.kind

    def _json(self, line: str) -> tuple[Record, str]:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as e:
            raise MalformedLine(f"not a JSON object ({e})") from None
        record = _unwrap_splunk(record)
        kind = kind_of(set(record))
        if kind is None:
            raise MalformedLine("JSON object is not a Zeek dns, ssl, http or conn record")
        return record, kind

    def _event(self, record: Record, kind: str) -> Event:
        fields = _BUILDERS[kind](record)
        return Event(
            timestamp=_timestamp(record.get("ts"), self.clock),
            observer_product=self.product,
            **fields,
        )


def _unwrap_splunk(record: Any) -> Record:
    """The Zeek record of a Splunk export line (``result._raw``), or the record itself."""
    if not isinstance(record, dict):
        raise MalformedLine("JSON value is not an object")
    inner = record.get("result")
    if isinstance(inner, dict) and isinstance(inner.get("_raw"), str):
        try:
            raw = json.loads(inner["_raw"])
        except (ValueError, RecursionError):
            raise MalformedLine("Splunk export whose _raw is not Zeek JSON") from None
        if not isinstance(raw, dict):
            raise MalformedLine("Splunk export whose _raw is not a JSON object")
        return raw
    return record


# -- the usual line (see formats/_usual.py), read by the native walker -------------------------
#: An ssl.log record as Zeek's JSON writer puts it (``LogAscii::use_json=T``), its keys those
#: of the Zeek version and scripts: what the parser reads of it beside its time (``ts``, epoch
#: seconds with six decimals: the line's key) and its SNI (``server_name``, the line's host)
#: is the client's address (``id.orig_h``, an address) and the responder's port (digits, or
#: nothing).  The marks of dns.log and http.log, which come before ssl.log's in ``kind_of``,
#: are kept out; ``server_name`` is ssl.log's.  The other keys (``id.resp_h``, ``version``,
#: ``established``, ``cert_chain_fps``...) never refuse a record.
_SSL_PAIRS = FreePairs(
    "record",
    forbidden=frozenset(_KEYS_OF[0][1] | _KEYS_OF[1][1]),
    digits=frozenset({"id.resp_p"}),
    json=True,
    exact=True,
    epoch="ts",
    host="server_name",
    needed="id.orig_h",
)
#: Else an http.log record (``trans_depth``, which every one has, is http.log's mark; no key of
#: dns.log's): its host the ``Host`` header's (``host``); its ``uri`` a path (an absolute URI,
#: a proxy's, is the parser's: it may name the host); the status and the body lengths digits.
#: ``method`` and ``username`` never refuse a record.
_HTTP_PAIRS = replace(
    _SSL_PAIRS,
    forbidden=frozenset(_KEYS_OF[0][1]),
    digits=frozenset({"id.resp_p", "status_code", "request_body_len", "response_body_len"}),
    paths=frozenset({"uri"}),
    host="host",
    required="trans_depth",
)

#: Else a dns.log record (``query``, its host, is dns.log's mark, read before any other): a DNS
#: query.  The parser reads its ``id.resp_p`` too (a number, or nothing), not its answers.
_DNS_PAIRS = replace(_SSL_PAIRS, forbidden=frozenset(), host="query", dns=True)


def _key_time(key: bytes) -> datetime:
    """The time of a usual line's ``ts``, as ``json.loads`` and the parser read it."""
    return datetime.fromtimestamp(float(key), UTC)


USUAL = Profile(
    usual=(Element("record", chars("^\x00"), 1, None, first=chars("{")),),
    tail=frozenset(),
    fields=None,
    free_pairs=(_SSL_PAIRS, _HTTP_PAIRS, _DNS_PAIRS),  # (alternatives: see FreePairs)
    # a TSV record is read by the header lines before it (#separator, #path, #fields...), an
    # ISO time without an offset by the parser's clock: a file is read whole, in order (in
    # parts, a part's parser had not read the header: its records were rejected)
    in_order=True,
    key_len=17,  # D{10}.D{6}
    key_time=_key_time,
    host_start=b'".',  # "server_name":"chat.openai.com."
    host_end=b'."',
    about=(
        "an ssl.log, http.log or dns.log record in JSON (`LogAscii::use_json=T`), its keys in "
        "any order, as Zeek writes them: `ts` as epoch seconds with six decimals, `id.orig_h` "
        "an IPv4 or IPv6 address, `id.resp_p` digits; an ssl.log record's `server_name` a "
        "host name (the SNI), no key of dns.log or http.log; an http.log record's "
        "`trans_depth`, its `host` a host name, its `uri` a path, its status and body lengths "
        "digits, no key of dns.log; a dns.log record's `query` a host name (a DNS query); the "
        "other values strings, numbers, `true`, `false`, `null` or arrays of them. conn.log "
        "records, TSV files and ISO times go to the parser."
    ),
)


class ZeekFormat(LogFormat):
    name = "zeek"
    description = (
        "Zeek sensor logs, TSV with #fields headers or JSON lines: dns.log (queries), ssl.log "
        "(TLS SNI), http.log (Host header), conn.log (connections without a host: counted as "
        "events but cannot match a catalog service)."
    )
    kind = "sensor"
    host_field = "dns.log `query`, ssl.log `server_name` (SNI), http.log `host`; conn.log none"
    host_evidence = "sni"
    example = (
        '{"ts":1785536580.123456,"uid":"CAcJw21BbVedgFnYH3","id.orig_h":"10.20.3.14",'
        '"id.orig_p":51514,"id.resp_h":"104.18.32.47","id.resp_p":443,"version":"TLSv13",'
        '"server_name":"chatgpt.com","established":true}'
    )
    vendor_setup = (
        "Zeek's default policy writes dns.log, ssl.log, http.log and conn.log; give sentinelle "
        "those files (TSV as written, or JSON with `redef LogAscii::use_json = T;`), current "
        "or rotated (`dns.2026-03-01-10-00-00.log.gz`). The sensor must see the workstations' "
        "traffic before any NAT or proxy (a SPAN/TAP on the core switch)."
    )
    fields_used = (
        "`ts` → @timestamp (UTC epoch or ISO); `id.orig_h` → source.ip; `id.resp_h`/"
        "`id.resp_p` → destination.ip/port (not for dns.log, where they are the resolver); "
        "dns `query` → destination.domain (network.protocol dns); ssl `server_name` → "
        "destination.domain (tls); http `host` → destination.domain, `method`, `status_code`, "
        "`request_body_len`/`response_body_len` → source/destination.bytes, `username` → "
        "user.name, `uri` path for URL rules (http); conn `orig_bytes`/`resp_bytes` → "
        "source/destination.bytes (network)."
    )
    limits = (
        "A passive sensor: no block decision (every record is `allowed`; a firewall's "
        "resets show as conn_state REJ/RSTO, not read). No user except HTTP basic auth. "
        "HTTPS is seen through the SNI only (with ECH, the outer public name); DNS records are "
        "queries, not requests. conn.log records have no host: counted as events but cannot "
        "match a catalog service; a connection also appears in ssl/http/dns.log, so reading "
        "conn.log beside them counts it twice (once with a host, once without)."
    )
    priority = 25
    handles_syslog = False
    usual = USUAL

    def sniff(self, line: str) -> bool:
        return "id.orig_h" in line or line.startswith("#separator ")

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """Any TSV file with Zeek's header block, or JSON lines that parse as Zeek records."""
        if any(ln.startswith("#separator ") for ln in head[:5]) and any(
            ln.startswith("#fields") for ln in head[:20]
        ):
            return True
        return super().detect(head, ctx)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return ZeekParser(ctx)


FORMAT = ZeekFormat()
