"""Netskope Log Streaming transaction (web) logs: JSON lines, or CSV with a header line.

Keys are W3C-style (``date``, ``time``, ``c-ip``, ``cs-host``, ``cs-method``, ``x-cs-sni``,
``x-cs-url``, ``x-policy-action``, ``x-cs-userip``…; about 150 of them, every value a string,
``-``/``NotChecked``/``N/A`` for none).  The CSV export starts with the header naming the columns,
repeated at the top of each file; the parser learns the layout from it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sentinelle.errors import MalformedLine
from sentinelle.formats._csv import csv_values
from sentinelle.formats._kv import host_or_ip, ip, number, port, text
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._time import LocalClock, parse_epoch, parse_iso
from sentinelle.formats._url import split_url, user_or_none
from sentinelle.formats._usual import (
    CSV_FIELD_LIMIT,
    DIGIT,
    HOSTC,
    LETTER,
    MAX_DIGITS,
    Layouts,
    Profile,
    comma,
    optional,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Action, Event

_MARKERS = ("x-cs-sni", "x-policy-action", "x-cs-url", "x-cs-userip", "x-cs-timestamp")
_NONE = {"notchecked", "notavailable", "not available"}


class NetskopeParser(LineParser):
    product = "netskope"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)
        self.columns: list[str] | None = None

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip():
            return None
        if line.lstrip().startswith("{"):
            return self.event(_json_record(line))
        values = csv_values(line)
        if _is_header(values):
            self.columns = [v.strip().lower() for v in values]  # (what layout_of reads)
            return None
        if self.columns is None:
            raise MalformedLine("CSV line before the header line (layout unknown)")
        if len(values) < len(self.columns):
            raise MalformedLine(f"{len(values)} values for the {len(self.columns)} header columns")
        return self.event(dict(zip(self.columns, values, strict=False)))

    def event(self, rec: Mapping[str, str]) -> Event:
        """The normalized event of one transaction (keys = Netskope field names)."""
        rec = _known(rec)
        raw_method = text(rec, "cs-method")
        # "PRI" is the HTTP/2 connection preface, not a request method.
        method = raw_method.upper() if raw_method and raw_method.isalpha() else None
        method = None if method == "PRI" else method
        url = text(rec, "x-cs-url")
        target = split_url(url, method) if url and "://" in url else None
        host = text(rec, "cs-host", "x-cs-sni", "x-policy-dst-host") or (target and target.host)
        domain, dest_ip = host_or_ip(host)
        return Event(
            timestamp=self.timestamp(rec),
            source_ip=ip(rec, "x-cs-userip") or ip(rec, "c-ip"),
            user_name=user_or_none(text(rec, "cs-username") or ""),
            destination_domain=domain,
            destination_ip=dest_ip or ip(rec, "x-cs-dst-ip"),
            destination_port=port(rec, "cs-uri-port") or port(rec, "x-cs-dst-port"),
            http_request_method=method,
            http_response_status_code=number(rec, "sc-status"),
            event_action=_action(rec),
            source_bytes=number(rec, "cs-bytes"),
            destination_bytes=number(rec, "sc-bytes"),
            observer_product=self.product,
            network_protocol="http" if raw_method else "tls",
            url_path=text(rec, "x-cs-uri-path") or (target.path if target else None),
        )

    def timestamp(self, rec: Mapping[str, str]) -> datetime:
        """``x-cs-timestamp`` (epoch), else ``date`` + ``time`` (UTC)."""
        epoch = text(rec, "x-cs-timestamp")
        if epoch:
            return parse_epoch(epoch)
        date, time = text(rec, "date"), text(rec, "time")
        if not (date and time):
            raise MalformedLine("no x-cs-timestamp and no date/time")
        return parse_iso(f"{date}T{time}Z", self.clock)


def _known(rec: Mapping[str, str]) -> Mapping[str, str]:
    """``rec`` without its ``NotChecked``/``N/A``-like values."""
    if "not" not in "".join(rec.values()).lower():  # every _NONE word starts with "not"
        return rec
    return {k: v for k, v in rec.items() if v.strip().lower() not in _NONE}


def _action(rec: Mapping[str, str]) -> Action:
    """Blocked by policy (``x-policy-action`` block…) or by the SSL engine (connection reset)."""
    policy = (text(rec, "x-policy-action") or "").lower()
    ssl = (text(rec, "x-cs-ssl-engine-action") or "").lower()
    return "blocked" if policy.startswith("block") or ssl == "block" else "allowed"


def _json_record(line: str) -> dict[str, str]:
    try:
        obj: Any = json.loads(line)
    except ValueError as e:
        raise MalformedLine(f"invalid JSON: {e}") from None
    if not isinstance(obj, dict):
        raise MalformedLine("JSON record is not an object")
    return {str(k).lower(): str(v) for k, v in obj.items() if not isinstance(v, dict | list)}


def layout_of(line: str) -> tuple[str, ...] | None:
    """The layout a line sets, as :class:`NetskopeParser` reads it: the lower-cased column
    names of a CSV header line; None for any other line."""
    line = line.rstrip("\r\n")
    if not line.strip() or line.lstrip().startswith("{"):
        return None
    try:
        values = csv_values(line)
    except MalformedLine:
        return None
    return tuple(v.strip().lower() for v in values) if _is_header(values) else None


def directive(layout: tuple[str, ...]) -> str:
    """The CSV header line of a layout."""
    return ",".join(layout)


# -- the usual line of a layout (the scanner's fast path: see formats/_usual.py) --------------
#: a CSV value's first byte: printable ASCII, not a quote or a comma, nor what would make the
#: line something else to the parser: a blank (values are stripped: so no byte beyond ASCII,
#: which may start a Unicode blank), ``{`` (a JSON line); an ``x`` only when no ``-`` follows it
#: (every header marker starts with ``x-``: a usual line is never a header line; see
#: :func:`_value`)
_FIRST = chars("!-~") - chars('",{xX')
#: any byte beyond ASCII (an accented user name, a French category): the line, and so each of
#: its values, at most csv's field limit (:attr:`Profile.max_line`)
_BEYOND_ASCII = frozenset(range(0x80, 0x100))
#: the rest of a bare value: no quote, no comma, no control character
_BARE = chars(" -~") - chars('",') | _BEYOND_ASCII
#: a quoted value, without quotes inside (``""`` is an escaped one)
_QUOTED = chars("\t -~") - chars('"') | _BEYOND_ASCII
_HOST_KEYS = ("cs-host", "x-cs-sni", "x-policy-dst-host")
_NUMBERS = frozenset({"sc-status", "cs-bytes", "sc-bytes", "cs-uri-port", "x-cs-dst-port"})


def _value(name: str, cls: frozenset[int]) -> list[tuple[Item, ...]]:
    """The alternatives of a value of ``cls`` bytes that starts with :data:`_FIRST`, or with
    ``x`` (any number of them: a run) not followed by ``-`` (``xrousseau@…``, ``xxavier``:
    never a header's marker)."""
    return [
        (Element(name, cls, 1, None, first=_FIRST),),
        (
            Element(f"{name}_x", chars("xX"), 1, None),
            optional(Element(f"{name}_xr", cls, 1, None, first=cls - chars("-xX"))),
        ),
    ]


@functools.lru_cache(maxsize=64)  # a log may name any number of layouts: a handful in practice
def netskope_usual(layout: tuple[str, ...]) -> Profile | None:
    """The usual line of a CSV layout (see formats/_usual.py), or None when the layout has none:
    no ``x-cs-timestamp`` (the time the parser reads first), no host column, or a column named
    twice (the parser then keeps the last).

    Each column is one CSV value: the epoch ``x-cs-timestamp`` (ten digits: the key, wherever
    it is), the host name (``cs-host``, else ``x-cs-sni``, else ``x-policy-dst-host``: dotted,
    so never ``NotChecked`` nor ``none``), ``x-cs-url`` a path or ``-``, digits where the
    parser reads a number, any other a bare value or a quoted one (of any text beyond ASCII
    too) that starts with an ASCII byte, none of a blank, ``{`` and ``x-``; the line no longer
    than csv reads a value (:attr:`Profile.max_line`); no extra column (which could make the line
    a header: the parser reads such lines).
    """
    if len(set(layout)) != len(layout) or "x-cs-timestamp" not in layout:
        return None
    host = next((layout.index(k) for k in _HOST_KEYS if k in layout), None)
    if host is None:
        return None
    items: list[Item] = []
    for i, name in enumerate(layout):
        if i:
            items.append(comma(i))
        if i == host:
            items.append(Element(f"c{i}", HOSTC, 1, None, first=LETTER))
        elif name == "x-cs-timestamp":
            items.append(Element(f"c{i}", DIGIT, 10, 10))
        elif name in _NUMBERS:
            items.append(Element(f"c{i}", DIGIT, 1, MAX_DIGITS))
        elif name == "x-cs-url":  # a path (the parser splits a URL with "://"), or none
            path = Element(f"c{i}", _BARE, 1, None, first=chars("/"))
            items.append(Branch(((path,), (Element(f"c{i}_dash", chars("-")),))))
        else:
            quoted = (
                Element(f"c{i}_open", chars('"')),
                Branch(tuple(_value(f"c{i}_quoted", _QUOTED))),
                Element(f"c{i}_close", chars('"')),
            )
            items.append(Branch((*_value(f"c{i}", _BARE), quoted)))
    return Profile(
        usual=tuple(items),
        tail=frozenset(),  # (extra columns could make it a header line: the parser's)
        hosts=frozenset({f"c{host}"}),
        dotted_hosts=True,
        key_element=f"c{layout.index('x-cs-timestamp')}",
        key_len=10,
        key_time=_epoch_seconds,
        in_order=True,
        host_start=b',".',
        host_end=b'.:,"',
        max_line=CSV_FIELD_LIMIT,
        about=(
            f"the {len(layout)} CSV columns of its header line, each one value, the line within "
            "csv's field limit: the epoch "
            f"`x-cs-timestamp`, a dotted host name as `{layout[host]}`, digits where the parser "
            "reads a number, any other a bare or quoted value (accents and other text beyond "
            "ASCII too) that starts with an ASCII byte, none of a blank, `{` and `x-` (so that "
            "it is never a header line)."
        ),
    )


def _epoch_seconds(key: bytes) -> datetime:
    """The time of a ten-digit ``x-cs-timestamp``, as the parser reads it."""
    return parse_epoch(key.decode("ascii"))


def _is_header(values: list[str]) -> bool:
    if "date" not in "".join(values).lower():  # no value can be "date": a data line
        return False
    names = {v.strip().lower() for v in values}
    return "date" in names and any(m in names for m in _MARKERS)


#: The layout of the usual lines: the simulator's Log Streaming CSV columns
TYPICAL = (
    "date",
    "time",
    "x-cs-timestamp",
    "c-ip",
    "x-cs-userip",
    "cs-username",
    "cs-host",
    "cs-method",
    "cs-uri-port",
    "x-cs-uri-path",
    "sc-status",
    "cs-bytes",
    "sc-bytes",
    "x-cs-sni",
    "x-cs-dst-ip",
    "x-policy-action",
    "x-type",
)


class NetskopeFormat(LogFormat):
    name = "netskope"
    description = (
        "Netskope Log Streaming web transaction logs (JSON lines, or CSV with its header "
        "line). The host is `cs-host` (Host header), else the TLS SNI `x-cs-sni`, else "
        "`x-policy-dst-host`; records without HTTP method are TLS-only (SNI)."
    )
    kind = "proxy"
    host_field = "cs-host, else x-cs-sni, else x-policy-dst-host / x-cs-url"
    host_evidence = "host-header"
    example = (
        '{"date":"2024-03-09","time":"09:00:00","x-cs-timestamp":"1709974800",'
        '"x-cs-userip":"10.20.3.14","cs-username":"jdupont@chu.fr","cs-host":"chatgpt.com",'
        '"cs-method":"POST","sc-status":"200","cs-bytes":"2048","sc-bytes":"5321",'
        '"x-policy-action":"allow","x-type":"http_transaction"}'
    )
    vendor_setup = (
        "Log Streaming → a stream of Transaction Events to your storage (S3, Azure Blob, GCS) "
        "as JSON or CSV; decompress the files before the scan. Keep the default field set "
        "(it includes `x-cs-userip`, `cs-host`, `x-cs-sni`, `x-policy-action`)."
    )
    fields_used = (
        "`x-cs-timestamp` (epoch), else `date`+`time` (UTC) → @timestamp; `x-cs-userip`, else "
        "`c-ip` → source.ip; `cs-username` → user.name; `cs-host`/`x-cs-sni`/"
        "`x-policy-dst-host` → destination.domain; `x-cs-dst-ip` → destination.ip; "
        "`cs-uri-port`/`x-cs-dst-port` → destination.port; `cs-method` → http.request.method; "
        "`sc-status` → http.response.status_code; `cs-bytes` → source.bytes; `sc-bytes` → "
        "destination.bytes; `x-cs-uri-path` → URL rules (then dropped); `x-policy-action` "
        "block… or `x-cs-ssl-engine-action` Block → event.action blocked."
    )
    limits = (
        "`c-ip` is the client's public/egress address: without `x-cs-userip` the workstation "
        "cannot be attributed. Traffic steered around the Netskope client is absent. "
        "Compressed (.gz) exports must be decompressed first."
    )
    priority = 30
    handles_syslog = False
    layouts = Layouts(
        initial=None,
        typical=TYPICAL,
        layout_of=layout_of,
        usual_for=netskope_usual,
        directive=directive,
        about=(
            "That is the usual line of the format's typical layout (its simulated logs'): each "
            "CSV header line names a layout that has its own, built from its column names, "
            "when it names `x-cs-timestamp` and a host column; the lines of other layouts, "
            "and JSON lines, go through the parser."
        ),
    )
    usual = layouts.usual_for(layouts.typical)  # (equal to the scanner's: keyed by value)

    def sniff(self, line: str) -> bool:
        low = line.lower()
        return any(f'"{m}"' in low or m in low.split(",") for m in _MARKERS)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return NetskopeParser(ctx)


FORMAT = NetskopeFormat()
