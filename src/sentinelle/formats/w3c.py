"""W3C Extended / ELFF logs with a ``#Fields:`` header (generic; Blue Coat builds on it).

The ``#Fields:`` directive names the columns; values are separated by blanks (runs of them),
double-quoted when they contain blanks, ``-`` when empty.  The header may be repeated mid-file
(log rotation, appliance restart) and then replaces the layout.  Data lines with *more* columns
than the header are accepted (appliances append fields the header does not list), fewer are
rejected.  The field names understood are the W3C/ELFF ones used by Blue Coat, Microsoft IIS/TMG
and Cisco WSA W3C logs (``cs-host``, ``cs(Host)``, ``cs-uri``, ``cs-url``, ``cs-uri-stem``...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._kv import host_or_ip, ip, number, port, text
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._syslog import syslog_message
from sentinelle.formats._time import LocalClock, parse_clf, parse_epoch, parse_iso
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats._usual import (
    DIGIT,
    HOSTC,
    LETTER,
    MAX_DIGITS,
    NO_VALUE_WORDS,
    SEP,
    UTC_KEY_LEN,
    Layouts,
    Profile,
    datetime_digits,
    epoch_key,
    sep,
    url_with_host,
    utc_key,
)
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


def layout_of(line: str) -> tuple[str, ...] | None:
    """The layout a log line sets, as :class:`ElffParser` reads it: the column names of a
    ``#Fields:`` directive (after a syslog header, if any); None for any other line."""
    header = fields_header(syslog_message(line.rstrip("\r\n")))
    return None if header is None else tuple(header)


def directive(layout: Sequence[str]) -> str:
    """The ``#Fields:`` line of a layout."""
    return "#Fields: " + " ".join(layout)


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
            header = fields_header(line)  # (what layout_of reads)
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


# -- the usual line of a layout (the scanner's fast path: see formats/_usual.py) --------------
#: a bare value: printable ASCII (the parser splits at any Unicode blank), not opening a quote
_PRINTABLE = chars("!-~")
_BARE = _PRINTABLE - chars('"')
#: a quoted value, without quotes inside (``""`` is an escaped one, read otherwise)
_IN_QUOTES = chars('^"\x00')
_ADDRESS = chars("0-9A-Fa-f.:")
#: the columns the parser reads as numbers (``number``, ``port``), rejecting other text
_NUMBERS = frozenset({"cs-bytes", "sc-bytes", "sc-status", "cs-uri-port", "r-port"})
_CLIENT_KEYS = ("c-ip", "x-cs-userip")
#: the columns of a time other than ``date time`` (the parser reads them when those are blank)
_OTHER_TIMES = ("date", "time", "gmttime", "localtime")

#: What :attr:`Layouts.about` says of the ELFF formats
LAYOUTS_ABOUT = (
    "That is the usual line of the format's typical layout (its simulated logs'): each "
    "`#Fields:` layout has its own, built from its column names, for a layout that "
    "starts with `date time` (or an epoch `timestamp`) and names a client address (`c-ip`) and "
    "a host name (`cs-host`, `cs(Host)`, `r-host`...) or a URL with one (`cs-url`, `cs-uri`); "
    "the lines of other layouts (or of one naming a column twice) go through the parser."
)


def _first(layout: tuple[str, ...], keys: Sequence[str]) -> int | None:
    """The column the parser reads among ``keys`` (``text`` takes the first it has)."""
    for key in keys:
        if key in layout:
            return layout.index(key)
    return None


@functools.lru_cache(maxsize=64)  # a log may name any number of layouts: a handful in practice
def elff_usual(layout: tuple[str, ...], product: str) -> Profile | None:
    """The usual line of a ``#Fields:`` layout, as ``product``'s parser reads it (see
    formats/_usual.py), or None when the layout has none: its time is not ``date time`` nor an
    epoch ``timestamp`` first, it names no client address, or no host name nor URL, or a
    column twice (the parser then keeps the last).

    Each column is one token: the time's, the client's address (``c-ip``), the host name or
    the URL with one (beside a host's column, a URL the parser reads may also be a path), the
    result code and status, the numbers the parser reads (digits), any other a bare value of
    printable ASCII or a quoted one without quotes inside; extra columns after the layout's
    are free (the parser ignores them).
    """
    if len(set(layout)) != len(layout) or not layout:
        return None
    if layout[:2] == ("date", "time"):
        items: list[Item] = list(datetime_digits("dt"))
        time = {"key_len": UTC_KEY_LEN, "key_time": utc_key, "utc_key": True}
        said = "`date time` (GMT)"
        done = 2
    elif layout[0] == "timestamp" and not any(k in layout for k in _OTHER_TIMES):
        items = [
            Element("seconds", DIGIT, 10, 10),
            Element("dot", chars(".")),
            Element("millis", DIGIT, 3, 3),
        ]
        time = {"key_len": 14, "key_time": epoch_key}
        said = "an epoch `timestamp` with milliseconds"
        done = 1
    else:
        return None
    client, host = _first(layout, _CLIENT_KEYS), _first(layout, _HOST_KEYS)
    url = _first(layout, _URL_KEYS)
    if client is None or (host is None and (url is None or layout[url] == "cs-uri-stem")):
        return None  # (a URL stem is a path: web servers' logs, IIS's)
    hosts: set[str] = set()
    for i in range(done, len(layout)):
        name = layout[i]
        items.append(sep(i))
        if i == client:
            items.append(Element(f"c{i}", _ADDRESS, 1, None))
        elif i == host:
            items.append(Element(f"c{i}", HOSTC, 1, None, first=LETTER))
            hosts.add(f"c{i}")
        elif i == url and host is None:
            items.extend(url_with_host(_PRINTABLE))
            hosts.update({"u0", "host"})
        elif i == url:  # beside the host's column: a path, or a URL with a host name
            path = Element(f"c{i}", _PRINTABLE, 1, None, first=chars("/"))
            items.append(Branch(((path,), url_with_host(_PRINTABLE))))
            # (the parser checks the URL's host name too, `site.example-` rejected: a host of
            # the line's, which the walker checks as the column's.  A `scheme://host` URL then
            # names three hosts with the scheme, more than a walk's entry holds: such a line
            # goes to the parser; a `host:port` one is walked)
            hosts.update({"u0", "host"})
        elif name == "x-resultcode-httpstatus":
            items += [
                Element(f"c{i}", chars("A-Z_"), 1, None),
                Element(f"c{i}_slash", chars("/")),
                Element(f"c{i}_status", DIGIT, 3, 3),
            ]
        elif name in _NUMBERS:
            items.append(Element(f"c{i}", DIGIT, 1, MAX_DIGITS))
        else:
            items.append(
                Branch(
                    (
                        (
                            Element(f"c{i}_open", chars('"')),
                            Element(f"c{i}_quoted", _IN_QUOTES, 1, None),
                            Element(f"c{i}_close", chars('"')),
                        ),
                        (Element(f"c{i}", _PRINTABLE, 1, None, first=_BARE),),
                    )
                )
            )
    if host is not None:
        where = f"a host name as `{layout[host]}`"
    else:
        assert url is not None
        where = f"a URL with a host name as `{layout[url]}`"
    return Profile(
        usual=tuple(items),
        tail=SEP,
        hosts=frozenset(hosts),
        reserved=NO_VALUE_WORDS,
        ips=frozenset({f"c{client}"}),
        in_order=True,
        about=(
            f"the {len(layout)} columns of its `#Fields:` layout, as `{product}` reads them, "
            "each one token: "
            f"{said} first, an IPv4 or IPv6 address as `{layout[client]}`, {where}, digits "
            "where the parser reads a number, any other a bare value of printable ASCII or a "
            "quoted one."
        ),
        **time,  # type: ignore[arg-type]
    )


def elff_layouts(
    product: str, initial: tuple[str, ...] | None, typical: tuple[str, ...]
) -> Layouts:
    """The layouts of an ELFF format read by ``product``'s parser (``initial``: the layout
    before any ``#Fields:`` line; ``typical``: its simulated logs')."""
    return Layouts(
        initial=initial,
        typical=typical,
        layout_of=layout_of,
        usual_for=functools.partial(elff_usual, product=product),
        directive=directive,
        about=LAYOUTS_ABOUT,
    )


#: The layout of the usual lines: a Cisco WSA "W3C Logs" subscription, the simulator's
TYPICAL = (
    "timestamp",
    "c-ip",
    "cs-username",
    "cs-method",
    "cs-url",
    "x-resultcode-httpstatus",
    "sc-bytes",
    "x-elapsed-time",
    "x-acltag",
    "x-result-code",
    "cs-mime-type",
    "x-hierarchy-origin",
)


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
    layouts = elff_layouts("w3c", None, TYPICAL)
    usual = layouts.usual_for(layouts.typical)  # (equal to the scanner's: keyed by value)

    def sniff(self, line: str) -> bool:
        return fields_header(line) is not None

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return ElffParser(ctx)


FORMAT = W3cFormat()
