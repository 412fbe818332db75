"""Windows Server DNS debug log (``dns.log``, "Log packets for debugging"), packet lines.

``date time thread PACKET context UDP|TCP Snd|Rcv remote-ip xid [R] opcode [flags chars rcode]
qtype qname`` — fixed-width columns padded with spaces (``UDP  Rcv``, a blank ``R`` column),
the question name length-prefixed (``(5)login(4)live(3)com(0)``; some builds print
``.login.live.com.``).  Only queries *received* (``Rcv``, no ``R``) from clients are events;
responses, packets sent to forwarders, the legend header, ``EVENT`` lines and the multi-line
"Details" dumps are skipped.

Dates follow the server's locale and carry no zone: ``ctx.options["date_order"]`` (``dmy``,
``mdy`` or ``ymd``) fixes the order; otherwise a line whose first or second number is above 12
(or whose first is a 4-digit year) decides for itself and teaches the order to the following
ambiguous lines of the same shape (separator, 12-hour clock or not); with nothing learnt yet,
12-hour ``AM/PM`` lines are read month first (en-US) and 24-hour ones day first (fr-FR, en-GB,
de-DE).  Times are local, read in ``ctx.tz``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import datetime

from sentinelle.errors import ConfigError, MalformedLine
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._time import LocalClock, build
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import (
    DIGIT,
    NAIVE_KEY_LEN,
    Layouts,
    Profile,
    day_first_12h_key,
    day_first_key,
    literal,
    month_first_12h_key,
    month_first_key,
    sep,
)
from sentinelle.formats.base import FormatOption, LineParser, LogFormat, ParseContext
from sentinelle.schema import Event, normalize_host

_PACKET = re.compile(
    r"^(?P<date>\d{1,4}(?P<sep>[/.-])\d{1,2}(?P=sep)\d{1,4})\s+"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?\s+"
    r"[0-9A-Fa-f]{1,8}\s+PACKET\s+[0-9A-Fa-f]{1,16}\s+(?P<proto>UDP|TCP)\s+(?P<dir>Snd|Rcv)\s+"
    r"(?P<ip>\S+)\s+[0-9A-Fa-f]{1,4}\s+(?P<resp>R\s+)?(?P<op>[QNU?])\s+"
    r"\[[0-9A-Fa-f]{4}\s+(?:[ATDR]+\s+)?[A-Z]+\]\s+(?P<qtype>[A-Za-z0-9-]+)\s+(?P<qname>\S+)\s*$"
)
# Non-packet lines that the server writes into the same file: skipped, not rejected.
_OTHER_DATED = re.compile(
    r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+\d{1,2}:\d{2}:\d{2}.*?\s+[0-9A-Fa-f]{4}\s+"
    r"(?P<w>[A-Z][A-Za-z]+)\b"
)
_HEADER_PREFIXES = (
    "DNS Server log file creation at",
    "Log file wrap at",
    "Message logging key",
    "UDP question info at",
    "UDP response info at",
    "TCP question info at",
    "TCP response info at",
)
_LABEL = re.compile(r"\((\d{1,3})\)")
_NAME = re.compile(r"^[A-Za-z0-9_*-]+(?:\.[A-Za-z0-9_*-]+)*$")
_ORDERS = ("dmy", "mdy", "ymd")


def decode_qname(raw: str) -> str | None:
    """``(3)www(6)google(3)com(0)`` or ``.www.google.com.`` → ``www.google.com`` (root → None)."""
    if raw.startswith("("):
        if not raw.endswith("(0)"):
            raise MalformedLine(f"question name {raw!r} does not end with (0)")
        name = _LABEL.sub(".", raw).strip(".")
    else:
        name = raw.strip(".")
    if name and not _NAME.match(name):
        raise MalformedLine(f"question name {raw!r} is not a DNS name")
    return normalize_host(name)


class DateOrder:
    """Day/month order of one file: configured, self-evident per line, or learnt from the file."""

    def __init__(self, fixed: str | None) -> None:
        if fixed is not None and fixed not in _ORDERS:
            raise ConfigError(
                f"date_order {fixed!r} is not one of {', '.join(_ORDERS)}",
                hint="use dmy (fr-FR, en-GB), mdy (en-US) or ymd (ja-JP, sv-SE)",
            )
        self.fixed = fixed
        self.learnt: dict[tuple[str, bool], str] = {}

    def ymd(self, date: str, sep: str, twelve_hour: bool) -> tuple[int, int, int]:
        """Year, month, day of a date written in the server's locale."""
        a_txt, b_txt, c_txt = date.split(sep)
        a, b, c = int(a_txt), int(b_txt), int(c_txt)
        order = self.fixed or self._guess(len(a_txt), a, b, (sep, twelve_hour))
        if order == "ymd":
            return a, b, c
        year = c + 2000 if len(c_txt) == 2 else c
        return (year, b, a) if order == "dmy" else (year, a, b)

    def _guess(self, a_len: int, a: int, b: int, shape: tuple[str, bool]) -> str:
        if a_len == 4:
            return "ymd"
        if a > 12 or b > 12:
            self.learnt[shape] = "dmy" if a > 12 else "mdy"
            return self.learnt[shape]
        if shape in self.learnt:
            return self.learnt[shape]
        # Nothing learnt yet: en-US writes 12-hour times month first; 24-hour locales with
        # slashes or dots (fr-FR, en-GB, de-DE) put the day first.
        return "mdy" if shape[1] and shape[0] == "/" else "dmy"


class WindowsDnsParser(LineParser):
    product = "windows-dns"

    def __init__(self, ctx: ParseContext) -> None:
        self.clock = LocalClock(ctx.tz)
        self.order = DateOrder(ctx.options.get("date_order"))
        self.packets = 0  # well-formed packet lines, events or not (used by detect)

    def parse(self, line: str) -> Event | None:
        if not line.strip() or line[:1] in " \t" or line.startswith(_HEADER_PREFIXES):
            return None
        m = _PACKET.match(line)
        if m is None:
            self._not_packet(line)  # raises, unless the line is a server message
            return None
        self.packets += 1
        if not _is_query(m):
            return None  # a response, a packet sent to a forwarder, a notify or update
        source_ip = canonical_ip(m["ip"])
        if source_ip is None:
            raise MalformedLine(f"remote IP {m['ip']!r} is not an address")
        return Event(
            timestamp=self._time(m),
            source_ip=source_ip,
            destination_domain=decode_qname(m["qname"]),
            observer_product=self.product,
            network_protocol="dns",
        )

    def usual_for(self, layouts: Layouts, layout: tuple[str, ...]) -> Profile | None:
        """The usual line of ``layout`` (the date order the lines taught, of 24-hour or 12-hour
        times) as this parser reads its dates: with the ``date_order`` option, that order's,
        whatever the lines teach (the scanner's fast path; none for ``ymd``: the usual line's
        date has the year last)."""
        fixed = self.order.fixed
        if fixed is not None:
            layout = (fixed + ("12" if layout[0].endswith("12") else ""),)
        return layouts.usual_for(layout)

    def layout_of(self, layouts: Layouts, line: str) -> tuple[str, ...] | None:
        """The layout ``line`` sets: a 24-hour query's, as :func:`layout_of` reads it; a
        12-hour query's (``M/D/YYYY h:MM:SS AM``), ``("dmy12",)`` or ``("mdy12",)``: the
        order this parser reads the 12-hour dates that do not show theirs in, after this line
        (its own when it shows it; else the one the file's lines taught; else month first, as
        en-US writes them).  None for any other line."""
        taught = layouts.layout_of(line)
        if taught is not None:
            return taught
        numbers = _query_date(line, twelve_hour=True)
        if numbers is None:
            return None
        first, second = numbers
        order = "dmy" if first > 12 else "mdy" if second > 12 else None
        return ((order or self.order.learnt.get(("/", True), "mdy")) + "12",)

    def _not_packet(self, line: str) -> None:
        other = _OTHER_DATED.match(line)
        if other is not None and not "PACKET".startswith(other["w"]):
            return None  # EVENT, NOTE... lines: server messages, not packets
        if "PACK" in line:
            raise MalformedLine("PACKET line does not have the 16 debug-log columns")
        raise MalformedLine("not a Windows DNS debug log line (no date, thread and PACKET)")

    def _time(self, m: re.Match[str]) -> datetime:
        year, month, day = self.order.ymd(m["date"], m["sep"], m["ampm"] is not None)
        hour = int(m["h"])
        if m["ampm"] is not None:
            if not 1 <= hour <= 12:
                raise MalformedLine(f"12-hour time with hour {hour}")
            hour = hour % 12 + (12 if m["ampm"] in "Pp" else 0)
        return self.clock.to_utc(build(year, month, day, hour, int(m["mi"]), int(m["s"])))


def _is_query(m: re.Match[str]) -> bool:
    """A packet line of a query a client sent (received, not a response, opcode Q)."""
    return m["dir"] == "Rcv" and not m["resp"] and m["op"] == "Q"


def layout_of(line: str) -> tuple[str, ...] | None:
    """The date order that a line teaches the parser for the dates of the usual lines' shape
    (slashes, a 24-hour clock: :class:`DateOrder`'s ``("/", False)``), as ``("dmy",)`` or
    ``("mdy",)``: a query's whose first or second number is above 12 (its year last); None
    for any other line.  (The scanner's fast path follows it as a layout: see
    :func:`windows_dns_usual`.)"""
    numbers = _query_date(line, twelve_hour=False)
    if numbers is None:
        return None
    first, second = numbers
    return ("dmy",) if first > 12 else ("mdy",) if second > 12 else None


def _query_date(line: str, *, twelve_hour: bool) -> tuple[int, int] | None:
    """The first two numbers of a query's slash date whose year is last, on a 12-hour clock or
    a 24-hour one (what the parser learns a date order from); None for any other line."""
    m = _PACKET.match(line)
    if m is None or m["sep"] != "/" or (m["ampm"] is not None) != twelve_hour:
        return None
    if not _is_query(m) or canonical_ip(m["ip"]) is None:  # (rejected before its time)
        return None
    first, second, _ = m["date"].split("/")
    return None if len(first) == 4 else (int(first), int(second))


def directive(layout: tuple[str, ...]) -> str:
    """A query line that teaches ``layout``'s date order (13 January 2026, day or month
    first)."""
    date = "13/01/2026" if layout == ("dmy",) else "01/13/2026"
    return (
        f"{date} 00:00:00 0A6C PACKET  000001D5A1A01230 UDP Rcv 127.0.0.1       0001   Q "
        "[0001   D   NOERROR] A      (9)localhost(0)"
    )


# -- the usual line (the scanner's fast path: see formats/_usual.py) -------------------------
_HEX = chars("0-9A-Fa-f")


def _digits(name: str, n: int, then: str) -> tuple[Element, Element]:
    return Element(name, DIGIT, n, n), Element(f"{name}_end", chars(then))


@functools.lru_cache(maxsize=4)
def windows_dns_usual(layout: tuple[str, ...]) -> Profile | None:
    """The usual line of a date order (``("dmy",)`` or ``("mdy",)``; None for any other): a
    query a client sent, as the debug log writes it with the recommended settings; or a packet
    line of the same shape that the parser skips (a packet sent, a response, a notify or an
    update: the default settings log them too), its time unread.

    ``DD/MM/YYYY HH:MM:SS`` (month first for ``mdy``; a local time, read in ``--tz``: the key),
    the thread, ``PACKET``, the context, ``UDP`` or ``TCP``, ``Rcv``, an IPv4 or IPv6 address,
    the xid, ``Q`` (no ``R``: not a response), the flags in hexadecimal, their letters and the
    response code in brackets, the question type, the question name length-prefixed
    (``(7)chatgpt(3)com(0)``: its decoded name is the host), the columns between runs of
    blanks.
    """
    if layout not in (("dmy",), ("mdy",), ("dmy12",), ("mdy12",)):
        return None
    order = layout[0]
    twelve = order.endswith("12")
    when: tuple[Item, ...] = (
        *_digits("day", 2, "/"),  # (the shape the parser's pattern wants of a skipped line's
        *_digits("month", 2, "/"),  # date and time, which it reads no further)
        Element("year", DIGIT, 4, 4),
        sep(1),
        *_digits("hour", 2, ":"),
        *_digits("minute", 2, ":"),
        Element("second", DIGIT, 2, 2),
    )
    if twelve:  # D/M/YYYY h:MM:SS AM (or month first), the day, month and hour 1 or 2 digits
        when = (
            Element("day", DIGIT, 1, 2),
            Element("day_end", chars("/")),
            Element("month", DIGIT, 1, 2),
            Element("month_end", chars("/")),
            Element("year", DIGIT, 4, 4),
            sep(1),
            Element("hour", DIGIT, 1, 2),
            Element("hour_end", chars(":")),
            *_digits("minute", 2, ":"),
            Element("second", DIGIT, 2, 2),
            Element("blank", chars(" ")),
            Branch((literal("am", "AM"), literal("pm", "PM"))),
        )
    usual: tuple[Item, ...] = (
        *when,
        sep(2),
        Element("thread", _HEX, 1, 8),
        sep(3),
        *literal("packet", "PACKET"),
        sep(4),
        Element("context", _HEX, 1, 16),
        sep(5),
        Branch((literal("udp", "UDP"), literal("tcp", "TCP"))),
        sep(6),
        Branch((literal("rcv", "Rcv"), (Element("skip", chars("S")), *literal("snd", "nd")))),
        sep(7),
        Element("ip", chars("0-9A-Fa-f.:"), 1, None),
        sep(8),
        Element("xid", _HEX, 1, 4),
        sep(9),
        Branch(
            (
                literal("query", "Q"),  # (a query received, or sent: see "Snd")
                (Element("skip", chars("R")), sep(15), Element("op", chars("QNU?"))),
                (Element("skip", chars("NU?")),),  # a notify, an update, an unknown opcode
            )
        ),
        sep(10),
        *literal("open", "["),
        Element("flags", _HEX, 4, 4),
        sep(11),
        Element("letters", chars("ADRT"), 1, None),
        sep(12),
        Element("rcode", chars("A-Z"), 1, None),
        *literal("close", "]"),
        sep(13),
        Element("qtype", chars("A-Za-z0-9-"), 1, None),
        sep(14),
        Element("qname", chars("A-Za-z0-9_()-"), 1, None, first=chars("(")),
    )
    return Profile(
        usual=usual,
        tail=frozenset(),
        labels=frozenset({"qname"}),
        ips=frozenset({"ip"}),
        dns_element="qtype",  # (every usual line's event is a DNS query)
        skip_element="skip",
        in_order=True,
        key_len=NAIVE_KEY_LEN[order],
        key_time={
            "dmy": day_first_key,
            "mdy": month_first_key,
            "dmy12": day_first_12h_key,
            "mdy12": month_first_12h_key,
        }[order],
        naive_key=order,
        about=(
            "a packet line as the debug log writes it, its columns between runs of blanks: "
            "a query a client sent (`Rcv`, opcode `Q`, not a response), the date as "
            + (
                "`M/D/YYYY` (month first, as en-US writes it, or day first once the file "
                "shows it or with `date_order=dmy`), a space and a 12-hour `h:MM:SS AM` or "
                "`PM`, the month, day and hour of one or two digits"
                if twelve
                else "`DD/MM/YYYY` (day first, or month first once the file shows it or with "
                "`date_order=mdy`), a space and a 24-hour `HH:MM:SS`"
            )
            + " (a local time, read in `--tz`), an IPv4 or IPv6 address, the flags' letters "
            "and the response code in brackets, the question name length-prefixed "
            "(`(7)chatgpt(3)com(0)`), labels of letters, digits, `_` and `-`; or, of the same "
            "shape, a packet sent, a response or another opcode's, which the parser skips "
            "(counted as skipped)."
        ),
    )


class WindowsDnsFormat(LogFormat):
    name = "windows-dns"
    description = (
        "Windows Server DNS debug log (dns.log, packet lines): every query a client sent to "
        "the server, with the client address and the question name. DNS queries, not requests."
    )
    kind = "dns"
    host_field = "Question Name (field 16, `(5)login(4)live(3)com(0)` decoded)"
    host_evidence = "dns"
    example = (
        "22/12/2021 21:46:04 0E1C PACKET  0000017DEDFE28D0 UDP Rcv 10.20.3.14      966f   Q "
        "[0001   D   NOERROR] A      (7)chatgpt(3)com(0)"
    )
    vendor_setup = (
        "DNS Manager → server Properties → Debug Logging: tick *Log packets for debugging*, "
        "direction *Incoming* (outgoing is not needed), content *Queries/Transfers*, "
        "transport UDP and TCP, type *Request* (responses are skipped anyway); leave *Details* "
        "off (its multi-line dumps are skipped but make the file ten times bigger); set a file "
        "path and a size large enough for the collection interval (the file wraps). Give "
        "`--tz` the server's time zone and, for locales that are neither en-US 12-hour nor "
        "day-first 24-hour, the date order (`--format-option date_order=dmy|mdy|ymd`)."
    )
    fields_used = (
        "Date + Time (server locale, local time) → @timestamp; Remote IP of `Rcv` query "
        "packets → source.ip; Question Name → destination.domain. Send/Receive, Query/Response "
        "and Opcode select the lines; other fields are ignored."
    )
    limits = (
        "Queries, not requests: a name resolved once may be used for hours; caches (browser, "
        "OS) hide repeated use. No user, no bytes, no URL, no block decision (every query is "
        "`allowed`, DNS policies' refusals are not linked back). Queries forwarded by another "
        "resolver show that resolver as the client. With *Details* on, only the PACKET line "
        "of each dump is read. Ambiguous dates (both numbers ≤ 12) before the file reveals its "
        "order are read with the default order of their shape; set `--format-option date_order` "
        "to be sure."
    )
    priority = 30
    handles_syslog = False
    options = (
        FormatOption(
            "date_order",
            "the server locale's date order: dmy, mdy or ymd (default: what the lines teach; "
            "see the limits)",
            choices=_ORDERS,
        ),
    )

    layouts = Layouts(
        initial=("dmy",),
        typical=("dmy",),
        layout_of=layout_of,
        usual_for=windows_dns_usual,
        directive=directive,
        about=(
            "Day first until the file shows its dates are month first (a query whose second "
            "number is above 12, as the parser learns it; and back), or as "
            "`--format-option date_order` says. A 12-hour query (en-US's `M/D/YYYY h:MM:SS "
            "AM`) sets the 12-hour usual line, month first unless the file's 12-hour dates "
            "showed day first (or the option says so). The other lines (other separators, the "
            "dotted names some builds write) go through the parser."
        ),
    )
    usual = layouts.usual_for(layouts.typical)  # (equal to the scanner's: keyed by value)

    def sniff(self, line: str) -> bool:
        return " PACKET " in line or line.startswith("Message logging key")

    def detect(self, head: Sequence[str], ctx: ParseContext | None = None) -> bool:
        """Accept when most dated lines are well-formed packets (queries or not)."""
        lines = [ln for ln in head if ln.strip()]
        if not any(self.sniff(ln) for ln in lines[:50]):
            return False
        parser = WindowsDnsParser(ctx or ParseContext())
        rejected = 0
        for ln in lines:
            try:
                parser.parse(ln)
            except MalformedLine:
                rejected += 1
        good = parser.packets
        return good > 0 and good >= self.min_parsed_share * (good + rejected)

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return WindowsDnsParser(ctx)


FORMAT = WindowsDnsFormat()
