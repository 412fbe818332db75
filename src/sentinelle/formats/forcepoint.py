"""Forcepoint (Websense) Web Security Cloud CSV export of web transactions.

The report export is quoted CSV.  With a header line the columns are found by name; without one
the 17-column order of the standard export is assumed: Date (``DD/MM/YYYY``), Time, User,
(user id), Category, Action, Risk Class, Policy Name, URL (``HTTPS://host/path``; CONNECT
``host:443/``), Connection IP (public egress), Destination IP, Source IP, two unused columns,
User Agent, HTTP Status, HTTP Method (title case: ``Get``, ``Connect``).  Date and time are the
report's local time without zone, read in ``--tz``; the day/month order is DD/MM unless
``ParseContext.options["date_order"] == "mdy"``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._csv import csv_values
from sentinelle.formats._kv import host_or_ip, ip, number, text
from sentinelle.formats._structure import Element, Item, chars
from sentinelle.formats._time import LocalClock, build
from sentinelle.formats._url import split_url, user_or_none
from sentinelle.formats._usual import (
    CSV_FIELD_LIMIT,
    DIGIT,
    MAX_DIGITS,
    NAIVE_KEY_LEN,
    NO_VALUE_WORDS,
    Layouts,
    Profile,
    day_first_key,
    literal,
    month_first_key,
    url_with_host,
)
from sentinelle.formats.base import FormatOption, LineParser, LogFormat, ParseContext
from sentinelle.schema import Event

DEFAULT_COLUMNS = (
    "date", "time", "user", "user id", "category", "action", "risk class", "policy name", "url",
    "connection ip", "destination ip", "source ip", "unused 1", "unused 2", "user agent",
    "http status", "http method",
)  # fmt: skip
# Header names as the report builder writes them → the names used here.
_ALIASES = {"status": "http status", "method": "http method", "full url": "url",
            "client ip": "source ip", "user name": "user", "server ip": "destination ip",
            "bytes sent": "bytes sent", "bytes received": "bytes received"}  # fmt: skip
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
_SNIFF = re.compile(r'^"\d{1,2}/\d{1,2}/\d{4}","\d{1,2}:\d{2}:\d{2}",')
_NO_USER = {"not available", "none", "-", "", "unknown"}


class ForcepointParser(LineParser):
    product = "forcepoint"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)
        self.mdy = ctx.options.get("date_order", "dmy").strip().lower() == "mdy"
        self.columns: tuple[str, ...] = DEFAULT_COLUMNS

    def parse(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line.strip():
            return None
        values = csv_values(line, skip_initial_space=True)
        names = _header_names(values)
        if names is not None:
            self.columns = names
            return None
        if len(values) < len(self.columns):
            raise MalformedLine(f"{len(values)} columns, expected {len(self.columns)}")
        return self.event(dict(zip(self.columns, values, strict=False)))

    def event(self, rec: Mapping[str, str]) -> Event:
        """The normalized event of one exported transaction."""
        method = (text(rec, "http method") or "").upper() or None
        url = text(rec, "url")
        target = split_url(url, None if "://" in url else method) if url else None
        domain, url_ip = host_or_ip(target.host if target else None)
        action = (text(rec, "action") or "").lower()
        user = (rec.get("user") or "").strip()
        return Event(
            timestamp=self.timestamp(rec),
            source_ip=ip(rec, "source ip"),
            user_name=None if user.lower() in _NO_USER else user_or_none(user),
            destination_domain=domain,
            destination_ip=url_ip or ip(rec, "destination ip"),
            destination_port=target.port if target else None,
            http_request_method=method,
            http_response_status_code=number(rec, "http status"),
            event_action="blocked" if action.startswith(("block", "deny", "denied")) else "allowed",
            source_bytes=number(rec, "bytes sent"),
            destination_bytes=number(rec, "bytes received"),
            observer_product=self.product,
            network_protocol="http",
            url_path=target.path if target else None,
        )

    def usual_for(self, layouts: Layouts, layout: tuple[str, ...]) -> Profile | None:
        """The usual line of ``layout`` as this parser reads its dates (the scanner's fast path:
        day first, or month first with the ``mdy`` option)."""
        return forcepoint_usual(layout, self.mdy)

    def timestamp(self, rec: Mapping[str, str]) -> datetime:
        """Local ``DD/MM/YYYY`` + ``HH:MM:SS`` (MM/DD with the ``mdy`` option) → UTC."""
        d = _DATE.match((rec.get("date") or "").strip())
        t = _TIME.match((rec.get("time") or "").strip())
        if d is None or t is None:
            raise MalformedLine(f"date/time {rec.get('date')!r} {rec.get('time')!r} unreadable")
        first, second, year = int(d.group(1)), int(d.group(2)), int(d.group(3))
        day, month = (second, first) if self.mdy else (first, second)
        naive = build(year, month, day, int(t.group(1)), int(t.group(2)), int(t.group(3)))
        return self.clock.to_utc(naive)


def _header_names(values: list[str]) -> tuple[str, ...] | None:
    """The column names of a header line (with "date" and "url" columns, and no date: a line
    that holds one is data, whatever its other values say); None for data."""
    joined = "".join(values).lower()  # without "date" or "url" in it: a data line
    if "date" not in joined or "url" not in joined:
        return None
    names = [_ALIASES.get(v.strip().lower(), v.strip().lower()) for v in values]
    if "date" not in names or "url" not in names:
        return None
    return None if any(_DATE.match(v.strip()) for v in values) else tuple(names)


def layout_of(line: str) -> tuple[str, ...] | None:
    """The layout a line sets, as :class:`ForcepointParser` reads it: the column names of a
    header line; None for any other line."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    try:
        return _header_names(csv_values(line, skip_initial_space=True))
    except MalformedLine:
        return None


def directive(layout: tuple[str, ...]) -> str:
    """The header line of a layout, quoted as the export writes it."""
    return ",".join(f'"{name}"' for name in layout)


# -- the usual line of a layout (the scanner's fast path: see formats/_usual.py) --------------
#: a quoted value's text: any byte but a quote (``""`` is an escaped one) and a control
#: character other than a tab (a French policy name, a user's accented name); the line, and so
#: each of its values, at most csv's field limit (:attr:`Profile.max_line`)
_TEXT = frozenset(range(0x20, 0x100)) - {ord('"'), 0x7F} | {ord("\t")}
#: the URL's path: printable ASCII without a quote (a path with a blank is the parser's)
_PATH = chars("!-~") - chars('"')
#: the columns the parser reads as numbers (:func:`~sentinelle.formats._kv.number`)
_NUMBERS = frozenset({"http status", "bytes sent", "bytes received"})
#: a usual line's date and time columns: ``DD/MM/YYYY","HH:MM:SS`` (the key)
_KEY_LEN = NAIVE_KEY_LEN["dmy_csv"]


@functools.lru_cache(maxsize=64)  # a log may name any number of layouts: a handful in practice
def forcepoint_usual(layout: tuple[str, ...], mdy: bool = False) -> Profile | None:
    """The usual line of a layout (see formats/_usual.py), or None when the layout has none: no
    ``date``, ``time`` (right after it) or ``url`` column, or a column named twice (the parser
    then keeps the last).

    Every column is quoted, not empty, without quotes inside: the date and time as
    ``DD/MM/YYYY`` and ``HH:MM:SS`` (month first with ``mdy``; the key, a local time: a
    possible one, read in ``--tz``), the URL with a host name (``HTTPS://host/path``, or a
    CONNECT's ``host:port``), digits where the parser reads a number, any other text; no extra
    column.  A line with a date is never a header line (:func:`_header_names`).
    """
    if len(set(layout)) != len(layout) or not {"date", "time", "url"} <= set(layout):
        return None
    date = layout.index("date")
    if layout.index("time") != date + 1:
        return None
    items: list[Item] = []
    for i, name in enumerate(layout):
        items += literal(f"c{i}_open", '"' if i == 0 else '","') if name != "time" else ()
        if name == "date":
            items += [
                Element(f"c{i}", chars("0-9/"), 10, 10),
                *literal(f"c{i}_between", '","'),
                Element(f"c{i}_time", chars("0-9:"), 8, 8),
            ]
        elif name == "time":
            continue
        elif name == "url":
            items += url_with_host(_PATH)
        elif name in _NUMBERS:
            items.append(Element(f"c{i}", DIGIT, 1, MAX_DIGITS))
        else:  # (never empty: the walker reads runs, and `""` is one of two quotes)
            items.append(Element(f"c{i}", _TEXT, 1, None))
    items += literal("close", '"')
    return Profile(
        usual=tuple(items),
        tail=frozenset(),  # (an extra column is the parser's)
        hosts=frozenset({"u0", "host"}),
        reserved=NO_VALUE_WORDS,
        in_order=True,
        key_element=f"c{date}",
        key_len=_KEY_LEN,
        key_time=month_first_key if mdy else day_first_key,
        naive_key="mdy_csv" if mdy else "dmy_csv",
        host_start=b'"/.',
        host_end=b'.:/?#"',
        max_line=CSV_FIELD_LIMIT,
        about=(
            f"the {len(layout)} quoted CSV columns of its header line (or of the standard "
            "export's order), none empty, without quotes inside, the line within csv's field "
            "limit: the date and time as "
            "`DD/MM/YYYY` and `HH:MM:SS` (a local time, read in `--tz`), the URL with a host "
            "name (`HTTPS://host/path`, or a CONNECT's `host:port/`), digits where the parser "
            "reads a number, any other text."
        ),
    )


#: The layout of the usual lines: the simulator's export, with its header line
TYPICAL = (
    "date",
    "time",
    "user",
    "category",
    "action",
    "url",
    "source ip",
    "destination ip",
    "http status",
    "http method",
    "bytes sent",
    "bytes received",
)


class ForcepointFormat(LogFormat):
    name = "forcepoint"
    description = (
        "Forcepoint (Websense) Web Security Cloud CSV export: quoted columns, with or without "
        "a header line (standard 17-column order). The host is the URL's."
    )
    kind = "proxy"
    host_field = "URL (HTTPS://host/path; CONNECT host:443/)"
    host_evidence = "url"
    example = (
        '"09/03/2024","10:00:00","jdupont@chu.fr","u123456","Generative AI","Allowed",'
        '"Business Usage","Default","HTTPS://chatgpt.com/backend-api/conversation",'
        '"203.0.113.7","104.18.32.47","10.20.3.14","None","None","Mozilla/5.0","200","Post"'
    )
    vendor_setup = (
        "Reporting → Report Catalogue → a detailed transaction report exported as CSV (all "
        "columns of the standard web activity report: date, time, user, action, URL, source "
        "and destination IP, status, method). Note the report's time zone and pass it as "
        "`--tz`; DD/MM is assumed (otherwise `--format-option date_order=mdy`)."
    )
    fields_used = (
        "Date+Time (local) → @timestamp; Source IP → source.ip; User → user.name; URL → "
        "destination.domain/port (path for URL rules, then dropped); Destination IP → "
        "destination.ip; HTTP Method → http.request.method; HTTP Status → "
        "http.response.status_code; Action Blocked → event.action blocked; Bytes Sent/"
        "Received when the report has them → source.bytes/destination.bytes."
    )
    limits = (
        "The standard export has no byte counts. Source IP is `Not available` for some "
        "roaming clients (Connection IP is the public egress, not used). Date order and "
        "time zone cannot be read from the file. On-premises Forcepoint/Websense SIEM "
        "output (CEF/LEEF) is read by the `cef`/`leef` formats."
    )
    priority = 40
    handles_syslog = False
    options = (
        FormatOption(
            "date_order",
            "the export's date order: dmy (DD/MM/YYYY, the default) or mdy (MM/DD/YYYY)",
            choices=("dmy", "mdy"),
        ),
    )
    layouts = Layouts(
        initial=DEFAULT_COLUMNS,
        typical=TYPICAL,
        layout_of=layout_of,
        usual_for=forcepoint_usual,
        directive=directive,
        about=(
            "That is the usual line of the format's typical layout (its simulated exports'): "
            "each header line names a layout that has its own, built from its column names, "
            "when it names `date`, then `time`, and `url`; so does the standard export's "
            "17-column order, before any header. The lines of other layouts go through the "
            "parser."
        ),
    )
    usual = layouts.usual_for(layouts.typical)  # (equal to the scanner's: keyed by value)

    def sniff(self, line: str) -> bool:
        return _SNIFF.match(line) is not None or (
            line.lower().startswith('"date","time"') and "url" in line.lower()
        )

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return ForcepointParser(ctx)


FORMAT = ForcepointFormat()
