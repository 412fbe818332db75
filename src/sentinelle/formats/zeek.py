"""Zeek (ex-Bro) ``dns.log``, ``ssl.log``, ``http.log`` and ``conn.log``, TSV or JSON lines.

TSV files start with a header block (``#separator \\x09``, ``#set_separator``, ``#empty_field``,
``#unset_field``, ``#path``, ``#fields``, ``#types``) and end with ``#close``; columns are read
by the ``#fields`` header, never by position, since packages add columns.  Values escape
non-printables as ``\\xHH``; ``-`` is unset and ``(empty)`` an empty set.  JSON files
(``LogAscii::use_json=T``) hold one object per line with dotted keys (``id.orig_h``); which log a
line belongs to is told by ``#path`` (TSV) or by its keys (JSON).  ``ts`` is epoch seconds, UTC
(JSON may carry ISO 8601 strings or integer milliseconds instead: ``LogAscii::json_timestamps``
set to ``JSON::TS_ISO8601`` or ``JSON::TS_MILLIS``).  Splunk search exports that wrap each record as
``{"result": {"_raw": "<zeek json>"}}`` are unwrapped.

Other Zeek logs (``files``, ``x509``, ``weird``, ...) in TSV are recognized by their ``#path`` and
skipped: they carry no destination of their own.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._time import LocalClock, parse_epoch, parse_iso
from sentinelle.formats._url import canonical_ip, split_authority, split_url, user_or_none
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    ISO_MICROS_KEY_LEN,
    LETTER,
    MAX_DIGITS,
    FreePairs,
    Layouts,
    Profile,
    epoch_key,
    iso_utc_key,
)
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
    if isinstance(value, int):  # epoch seconds, or JSON::TS_MILLIS's milliseconds (13 digits)
        return parse_epoch(str(value))
    if isinstance(value, float):
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


@dataclass(frozen=True)
class _Header:
    """What a TSV file's header lines set: how its records are read."""

    sep: str = "\t"
    unset: str = "-"
    empty: str = "(empty)"
    path: str | None = None
    fields: tuple[str, ...] | None = None
    kind: str | None = None  # of the records, None = an unsupported log

    def after(self, line: str) -> _Header:
        """The header after the line ``line`` (a ``#`` line, its newline removed)."""
        if line.startswith("#separator "):
            return replace(self, sep=unescape(line[len("#separator ") :]) or "\t")
        key, _, value = line.partition(self.sep)
        if key == "#unset_field":
            return replace(self, unset=value)
        if key == "#empty_field":
            return replace(self, empty=value)
        if key == "#path":
            return replace(self, path=value)
        if key == "#fields":
            fields = tuple(value.split(self.sep))
            known = self.path if self.path in _KINDS else None
            return replace(self, fields=fields, kind=known or kind_of(fields))
        return self

    @property
    def layout(self) -> tuple[str, ...]:
        """The layout of its records (see :data:`LAYOUTS`)."""
        return (TSV, self.sep, self.unset, self.empty, self.kind or "", *(self.fields or ()))


#: the header lines that set how the records are read (the others: ``#open``, ``#types``...)
_DIRECTIVES = ("#separator ", "#unset_field", "#empty_field", "#path", "#fields")


class ZeekParser(LineParser):
    product = "zeek"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)
        self.header = _Header()

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip():
            return None
        if line.startswith("#"):
            self.header = self.header.after(line)
            return None
        kind: str | None
        if line.lstrip().startswith("{"):
            record, kind = self._json(line)
        else:
            record, kind = self._tsv(line)
            if kind is None:
                return None  # a record of another Zeek log (files, x509...): no destination
        return self._event(record, kind)

    def layout_of(self, layouts: Layouts, line: str) -> tuple[str, ...] | None:
        """The layout ``line`` sets, read after the header lines this parser has read (a TSV
        file's layout is set by several: its separator, its unset and empty values, its path
        and its fields); a JSON record's (:func:`layout_of`) in a file without a header (in a
        TSV file, a stray JSON record sets none: the TSV records after it stay walked); None
        for a line that sets none."""
        line = line.rstrip("\r\n")
        if line.startswith("{"):  # (read alone: the layout of the JSON records after it)
            return None if self.header.fields is not None else layout_of(line)
        if not line.startswith(_DIRECTIVES):
            return None
        return self.header.after(line).layout

    def _tsv(self, line: str) -> tuple[Record, str | None]:
        header = self.header
        if header.fields is None:
            raise MalformedLine("Zeek TSV record before any #fields header")
        values = line.split(header.sep)
        if len(values) != len(header.fields):
            raise MalformedLine(f"{len(values)} columns where #fields names {len(header.fields)}")
        unset, empty = header.unset, header.empty
        record = {
            f: None if v == unset else "" if v == empty else unescape(v)
            for f, v in zip(header.fields, values, strict=True)
        }
        return record, header.kind

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
        "records go to the parser."
    ),
)


#: The usual line of JSON records whose ``ts`` is an ISO 8601 string
#: (``LogAscii::json_timestamps=JSON::TS_ISO8601``: Corelight's and Security Onion's setting),
#: as Zeek writes it: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC (a possible time: ``utc_key``)
USUAL_ISO = replace(
    USUAL,
    free_pairs=tuple(
        replace(p, epoch=None, time="ts") for p in (_SSL_PAIRS, _HTTP_PAIRS, _DNS_PAIRS)
    ),
    key_len=ISO_MICROS_KEY_LEN,  # its Z after it, in the string (FreePairs.time)
    key_time=iso_utc_key,
    utc_key=True,
    about=USUAL.about.replace(
        "`ts` as epoch seconds with six decimals",
        "`ts` an ISO 8601 string, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (`JSON::TS_ISO8601`) of a "
        "possible UTC time",
    ),
)


#: The usual line of JSON records whose ``ts`` is an integer of milliseconds
#: (``LogAscii::json_timestamps=JSON::TS_MILLIS``): 13 digits (which ``parse_epoch`` reads as
#: milliseconds, as the parser does)
USUAL_MILLIS = replace(
    USUAL,
    free_pairs=tuple(replace(p, millis=True) for p in (_SSL_PAIRS, _HTTP_PAIRS, _DNS_PAIRS)),
    key_len=13,
    key_time=epoch_key,
    about=USUAL.about.replace(
        "`ts` as epoch seconds with six decimals",
        "`ts` an integer of 13 digits, milliseconds since 1970 (`JSON::TS_MILLIS`)",
    ),
)


# -- layouts: JSON records' three, and a TSV file's, one for each header -----------------------
#: the layout of JSON records, which need no header (their keys tell their log): ``ts`` epoch
#: seconds (Zeek's default, ``JSON::TS_EPOCH``)
JSON = ("json",)
#: the layout of JSON records whose ``ts`` is an ISO 8601 string (``JSON::TS_ISO8601``)
JSON_ISO = ("json", "iso8601")
#: the layout of JSON records whose ``ts`` is an integer of milliseconds (``JSON::TS_MILLIS``)
JSON_MILLIS = ("json", "millis")
#: a JSON record's ``ts`` (blanks around its colon and before the comma after it, as the
#: walker reads JSON): an ISO 8601 string (group 1), an integer of 13 digits (group 2), or
#: epoch seconds with a fraction (a record without such a ``ts``, cut short or written
#: otherwise, sets no layout: the records after it keep theirs)
_TS = re.compile(r'"ts" *: *(?:("\d{4}-)|(\d{13} *[,}])|\d+\.\d+ *[,}])')
#: the first word of a TSV file's layout: (TSV, separator, unset value, empty value, the log
#: read, *fields), as its header lines set them (``_Header.layout``)
TSV = "tsv"
#: the host's column of each log's records, as the parser reads it
_HOST_COLUMNS = {"ssl": "server_name", "http": "host", "dns": "query"}
#: the columns the parser reads as numbers (``_int``): digits, or the unset value
_NUMBERS = {
    "ssl": frozenset({"id.resp_p"}),
    "dns": frozenset({"id.resp_p"}),
    "http": frozenset({"id.resp_p", "status_code", "request_body_len", "response_body_len"}),
    "conn": frozenset({"id.resp_p", "orig_bytes", "resp_bytes"}),
}
#: a column the parser reads no further than counting it: any text without the separator
#: (Zeek writes an empty string as its empty value, never an empty column)
_ANY = chars("^\t\n\r\x00")
#: http.log's ``uri``: a path, printable ASCII after its ``/`` (an absolute URI may name a host
#: the parser reads; a path names none, whatever follows)
_PATH = chars(" -~")
_ADDRESS = chars("0-9A-Fa-f.:")


def _unset_or(element: Element) -> Branch:
    """``element``, or the unset value ``-`` alone (the parser reads None)."""
    return Branch(((element,), (Element(f"{element.name}_unset", chars("-")),)))


@functools.lru_cache(maxsize=64)  # a log may name any number of layouts: a handful in practice
def tsv_usual(layout: tuple[str, ...]) -> Profile | None:
    """The usual line of a TSV layout (see :data:`TSV`), or None when it has none: a separator
    other than a tab, an unset or empty value other than Zeek's, no ``ts`` first, no
    ``id.orig_h`` or host column, or a column named twice (the parser keeps the last).

    Each column is one run between tabs: ``ts`` epoch seconds with six decimals (the key),
    ``id.orig_h`` an address, the host's column a host name, the numbers the parser reads digits
    (or ``-``), http.log's ``uri`` a path (or ``-``), any other column any text.  conn.log's
    records name no host (:attr:`Profile.hostless`: events without one); a log the parser
    skips (no kind: files.log...) has :func:`_skipped`'s.
    """
    if len(layout) < 6 or layout[0] != TSV or layout[1:4] != ("\t", "-", "(empty)"):
        return None
    kind, fields = layout[4], layout[5:]
    if not kind:
        return _skipped(len(fields))
    if kind not in _NUMBERS or fields[0] != "ts" or len(set(fields)) != len(fields):
        return None
    if "id.orig_h" not in fields or (kind != "conn" and _HOST_COLUMNS[kind] not in fields):
        return None
    items: list[Item] = [
        Element("ts", DIGIT, 10, 10),
        Element("ts_dot", chars(".")),
        Element("ts_micros", DIGIT, 6, 6),
    ]
    client = fields.index("id.orig_h")
    host = fields.index(_HOST_COLUMNS[kind]) if kind != "conn" else -1  # (no host)
    for i, name in enumerate(fields[1:], start=1):
        items.append(Element(f"sep{i}", chars("\t")))
        if i == client:
            items.append(Element(f"c{i}", _ADDRESS, 1, None))
        elif i == host:
            items.append(Element(f"c{i}", HOSTC, 1, None, first=LETTER))
        elif name in _NUMBERS[kind]:
            items.append(_unset_or(Element(f"c{i}", DIGIT, 1, MAX_DIGITS)))
        elif kind == "http" and name == "uri":
            items.append(_unset_or(Element(f"c{i}", _PATH, 1, None, first=chars("/"))))
        else:
            items.append(Element(f"c{i}", _ANY, 1, None))
    return Profile(
        usual=tuple(items),
        tail=frozenset(),
        dns_element="ts" if kind == "dns" else None,  # (every line: a DNS query)
        hosts=frozenset({f"c{host}"}) if kind != "conn" else frozenset(),
        hostless=kind == "conn",  # (its records: events without a host)
        ips=frozenset({f"c{client}"}),
        in_order=True,
        key_len=17,  # D{10}.D{6}
        key_time=epoch_key,
        host_start=b"\t.",
        host_end=b".\t",
        about=(
            f"the {len(fields)} columns of its `#fields` header, tab-separated: `ts` epoch "
            "seconds with six decimals, `id.orig_h` an IPv4 or IPv6 address, "
            + (f"`{_HOST_COLUMNS[kind]}` a host name, " if kind != "conn" else "")
            + "digits (or `-`) where the parser reads a number, "
            + ("`uri` a path (or `-`), " if kind == "http" else "")
            + "any other column any text."
        ),
    )


@functools.lru_cache(maxsize=64)
def _skipped(columns: int) -> Profile:
    """The usual line of a log the parser skips (files.log, x509.log, weird.log...: no
    destination): its ``columns`` columns of any text, the first starting with a digit (not a
    header line, nor a JSON record); counted as skipped, its time unread."""
    items: list[Item] = [Element("c0", _ANY, 1, None, first=DIGIT)]
    for i in range(1, columns):
        items += [Element(f"sep{i}", chars("\t")), Element(f"c{i}", _ANY, 1, None)]
    return Profile(
        usual=tuple(items),
        tail=frozenset(),
        skip_element="c0",
        hostless=True,
        in_order=True,
        key_len=17,  # (a skipped line's time is unread)
        key_time=epoch_key,
        about=f"the {columns} columns of its `#fields` header, tab-separated: skipped.",
    )


#: the usual line of each layout of JSON records, by its ``ts``
_JSON_USUAL = {JSON: USUAL, JSON_ISO: USUAL_ISO, JSON_MILLIS: USUAL_MILLIS}


def zeek_usual(layout: tuple[str, ...]) -> Profile | None:
    """The usual line of a layout: JSON records' (:data:`USUAL`, :data:`USUAL_ISO`,
    :data:`USUAL_MILLIS`), or a TSV header's."""
    return _JSON_USUAL.get(layout) or tsv_usual(layout)


def layout_of(line: str) -> tuple[str, ...] | None:
    """The layout a line sets: a header line's after Zeek's default header (a tab, ``-``,
    ``(empty)``, no ``#path``), a JSON record's by its ``ts`` (:data:`JSON` for epoch seconds,
    :data:`JSON_ISO` for an ISO string, :data:`JSON_MILLIS` for milliseconds); None for a
    line that sets none.
    A file's parser reads a header line after the header lines before it
    (:meth:`ZeekParser.layout_of`); a JSON record, which is read alone, needs none (its layout
    only picks the usual line the records after it are walked by)."""
    line = line.rstrip("\r\n")
    if line.startswith("{"):
        m = _TS.search(line)
        return None if m is None else JSON_ISO if m[1] else JSON_MILLIS if m[2] else JSON
    return _Header().after(line).layout if line.startswith(_DIRECTIVES) else None


def directive(layout: tuple[str, ...]) -> str:
    """The header lines of a layout (nothing for JSON records)."""
    if layout in (JSON, JSON_ISO, JSON_MILLIS):
        return ""
    sep, unset, empty, kind = layout[1:5]
    escaped = "".join(f"\\x{ord(c):02x}" for c in sep)
    return "\n".join(
        (
            f"#separator {escaped}",
            f"#set_separator{sep},",
            f"#empty_field{sep}{empty}",
            f"#unset_field{sep}{unset}",
            f"#path{sep}{kind}",
            f"#fields{sep}" + sep.join(layout[5:]),
        )
    )


LAYOUTS = Layouts(
    initial=JSON,
    typical=JSON,
    layout_of=layout_of,
    usual_for=zeek_usual,
    directive=directive,
    about=(
        "That is the usual line of JSON records whose `ts` is epoch seconds; those whose `ts` "
        "is an ISO 8601 string (`JSON::TS_ISO8601`) or milliseconds (`JSON::TS_MILLIS`) have "
        "the same one but for `ts`: an ISO 8601 string `YYYY-MM-DDTHH:MM:SS.ffffffZ` of a "
        "possible UTC time, or an integer of 13 digits (the first such record of a JSON file "
        "sets it); a TSV file's header (`#separator`, "
        "`#unset_field`, `#empty_field`, `#path`, `#fields`) sets a layout that has its own when "
        "it is Zeek's default header (a tab, `-`, `(empty)`) of ssl.log, http.log, dns.log or "
        "conn.log with `ts` first and `id.orig_h`: its columns tab-separated, `ts` epoch "
        "seconds with six decimals, `id.orig_h` an address, the log's host column a host name "
        "(conn.log has none: an event without a host), digits (or `-`) where the parser reads "
        "a number, http.log's `uri` a path (or `-`), any other column any text. The records "
        "of the other logs (files.log, x509.log, weird.log...), which the parser skips, are "
        "counted as skipped when they have their header's columns, the first starting with a "
        "digit. Other headers' records go through the parser."
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
        "`ts` → @timestamp (UTC epoch seconds, or as `LogAscii::json_timestamps` writes it: "
        "ISO 8601, milliseconds); `id.orig_h` → source.ip; `id.resp_h`/"
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
    layouts = LAYOUTS
    usual = USUAL  # (LAYOUTS' typical layout's)

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
