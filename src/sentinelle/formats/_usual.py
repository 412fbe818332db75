"""A format's *usual* line: what the scanner's fast path may account for without its parser.

A format module that declares ``usual`` (a :class:`Profile`) says what most of its lines look
like, where the host name is in them, and where their time is.  The scanner's prefilter
(``sentinelle.scan.fast``) then sends to the parser only the lines that are not usual or that
name a catalog domain (or look AI-related); every other line is known to be a valid event whose
host matches nothing, and is counted without being parsed.

The contract a profile keeps (``tests/perf`` checks it for every profile, on mutated lines and on
the simulated hospital of its format):

* a line that ``usual`` accepts and the traps leave alone is one the parser turns into an event
  with a destination host name, the same on any line around it (no parser state); or, for a
  line whose rest the native walker reads as free pairs (:class:`FreePairs`, FortiGate's traffic
  records) or free columns (:class:`FreeColumns`, PAN-OS' traffic records) and that names no
  host, an event without one;
* that host name appears in the line as written (no escapes), so a catalog domain in it is seen
  by the catalog's patterns run over the line;
* the line holds its time at a fixed place, ``key_at`` bytes after its start (0: it starts with
  it): ``key_len`` bytes that order usual lines in time as text, and that
  :attr:`Profile.key_time` reads as the parser does.  A local time whose UTC offset is written
  in another field (FortiGate's ``date``, ``time`` and ``tz``) names that field's element as the
  profile's ``zone``: the native walker then orders as text only the lines of one offset, counts
  only the lines whose key is a possible time (see ``local_key`` in ``scan/_lines.c``), and
  ``key_time`` reads the key followed by the offset.  A CLF key (``31/Jul/2026:21:00:05``,
  Squid's ``[%tl]``: :attr:`Profile.clf_key`) orders lines by its date, not as text.  A key that
  moves along the line (CEF's ``rt``, after header fields of any length) is found by the walker
  where the profile's ``key_element`` starts.  A time in a column that moves with the version
  (PAN-OS' High Resolution Timestamp) is found by the walker among its free columns, with its
  offset (``+HH:MM`` or ``Z``).  A local time without an offset anywhere (Zscaler's ``time``,
  read in ``--tz``: :attr:`Profile.naive_key`) is ordered by its date, and the scanner reads
  by the parser the blocks whose keys span a DST change of ``--tz`` (``_NaiveScanner`` in
  ``scan/fast.py``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sentinelle.formats._structure import Branch, Element, Item, chars, complement_pattern
from sentinelle.formats._time import (
    MONTHS,
    LocalClock,
    build,
    in_utc,
    parse_epoch,
    parse_iso,
    read_iso,
)
from sentinelle.schema import count

SEP, FIELD = chars(" \t"), chars("^ \t")
#: a number's digits in a usual line, at most: a signed 64-bit integer's (FortiGate's
#: ``eventtime`` in nanoseconds has 19); a longer run is no count, and the parser reads it its own
#: way (int() refuses runs of over 4,300 digits)
MAX_DIGITS = 19
HOSTC, LETTER, DIGIT = chars("A-Za-z0-9._\\-"), chars("A-Za-z"), chars("0-9")


def optional(*items: Item) -> Branch:
    return Branch((items,), optional=True)


def sep(n: int) -> Element:
    """The n-th run of spaces and tabs between two fields."""
    return Element(f"sep{n}", SEP, 1, None)


#: a JSON string's text as ``json.loads`` reads it unchanged: no quote, no backslash (so no
#: escape), no control character (which it refuses)
JSON_TEXT = chars('^"\\') - frozenset(range(0x20))

#: a quoted CSV column's text: no quote, and no NUL (csv readers before Python 3.11 refuse it)
QUOTED = chars('^"\x00')


def comma(n: int) -> Element:
    """The comma before the n-th CSV column."""
    return Element(f"comma{n}", chars(","))


def url_with_host(field: frozenset[int] = FIELD) -> tuple[Item, ...]:
    """A URL or CONNECT authority that :func:`~sentinelle.formats._url.split_url` always turns
    into a host name (never an IP, never none): ``host:port[/path]`` or
    ``scheme://host[:port][/?#…]``, the host starting with a letter; its path of ``field`` bytes.
    (Hosts ending with '-' or longer than 253 characters are flagged by :data:`HOST_TRAPS`.)
    """
    return (
        Element("u0", HOSTC, 1, None, first=LETTER),
        Element("colon", chars(":")),
        Branch(
            (
                (
                    Element("port", DIGIT, 1, MAX_DIGITS),
                    optional(Element("path", field - chars(":"), 1, None, first=chars("/"))),
                ),
                (
                    Element("slashes", chars("/"), 2, 2),
                    Element("host", HOSTC, 1, None, first=LETTER),
                    optional(Element("colon2", chars(":")), Element("port2", DIGIT, 1, MAX_DIGITS)),
                    optional(Element("rest", field, 1, None, first=chars("/?#"))),
                ),
            )
        ),
    )


URL_WITH_HOST = url_with_host()


def squid_fields(
    elapsed: Element, client: Element, result: Element, url: tuple[Item, ...]
) -> tuple[Item, ...]:
    """Squid's native ``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru`` and the separator after
    each, which the WSA's access log shares: a ``D{10}.D{3}`` time, then ``elapsed``,
    ``client``, ``result``/status, size, method and ``url`` as each format has them."""
    return (
        Element("seconds", DIGIT, 10, 10),
        Element("dot", chars(".")),
        Element("millis", DIGIT, 3, 3),
        sep(1),
        elapsed,
        sep(2),
        client,
        sep(3),
        result,
        Element("slash", chars("/")),
        Element("status", DIGIT, 3, 3),
        sep(4),
        Element("size", DIGIT, 1, MAX_DIGITS),
        sep(5),
        Element("method", chars("A-Za-z_\\-"), 1, None),
        sep(6),
        *url,
        sep(7),
    )


# (hosts longer than 253 characters are found by the block scanner among long lines)
HOST_TRAPS = (rb"[A-Za-z0-9._\-]-\.*[:/?#\t ]", rb"[ \t]error:")

#: An IPv4 or IPv6 address as :func:`~sentinelle.formats._url.canonical_ip` takes it: the usual
#: structure lets a run of this class through and :func:`ip_traps` flags every other such run
IP_RUN = chars("0-9a-f.:")


def literal(name: str, text: str) -> tuple[Element, ...]:
    """The elements of a fixed text (a repeated character is one run of that length)."""
    out: list[Element] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        out.append(Element(f"{name}{i}", frozenset(text[i].encode()), j - i, j - i))
        i = j
    return tuple(out)


#: ``DD/Mon/YYYY:HH:MM:SS``
CLF_KEY_LEN = 20


#: A ``YYYY-MM-DD HH:MM:SS`` time as digit runs: :func:`datetime_traps` flags the impossible ones
def datetime_digits(name: str, sep: str = " ") -> tuple[Element, ...]:
    """``YYYY-MM-DD``, ``sep`` (a space or ``T``; or a text, FortiGate's `` time=``),
    ``HH:MM:SS``."""
    between = (
        literal(f"{name}_sep", sep)
        if len(sep) > 1
        else (Element(f"{name}_sep", frozenset(sep.encode())),)
    )
    return (
        Element(f"{name}_year", DIGIT, 4, 4),
        Element(f"{name}_dash1", chars("-")),
        Element(f"{name}_month", DIGIT, 2, 2),
        Element(f"{name}_dash2", chars("-")),
        Element(f"{name}_day", DIGIT, 2, 2),
        *between,
        Element(f"{name}_hour", DIGIT, 2, 2),
        Element(f"{name}_colon1", chars(":")),
        Element(f"{name}_minute", DIGIT, 2, 2),
        Element(f"{name}_colon2", chars(":")),
        Element(f"{name}_second", DIGIT, 2, 2),
    )


_NOT_LEAP = rb"(?:[02468][1235679]|[13579][01345789])"  # two digits not divisible by 4


def datetime_traps(before: bytes, sep: bytes = b" ") -> tuple[bytes, ...]:
    """Patterns that flag a ``YYYY-MM-DD HH:MM:SS`` (``sep`` between the date and the time)
    right after ``before`` (anchored at the
    line start) that :func:`~sentinelle.formats._time.build` refuses: year 0, month or day out
    of range, a day the month does not have (29 February out of leap years), hour 24 or more,
    minute 60 or more.  (Seconds 60 to 99 are read as 59: not flagged.)"""
    ymd = rb"[0-9]{4}-[0-9]{2}-[0-9]{2}" + re.escape(sep)
    return _merged(
        before,
        (
            before + rb"0000-",
            before + rb"[0-9]{4}-(?:00|1[3-9]|[2-9][0-9])-",
            before + rb"[0-9]{4}-[0-9]{2}-(?:00|3[2-9]|[4-9][0-9])",
            before + rb"[0-9]{4}-(?:0[2469]|11)-31",
            before + rb"[0-9]{4}-02-30",
            before + rb"(?:[0-9]{2}" + _NOT_LEAP + rb"|" + _NOT_LEAP + rb"00)-02-29",
            before + ymd + rb"(?:2[4-9]|[3-9][0-9])",
            before + ymd + rb"[0-9]{2}:[6-9][0-9]",
        ),
    )


def ip_traps(before: bytes, end: bytes) -> tuple[bytes, ...]:
    """Patterns that flag a line whose ``[0-9a-f.:]`` run right after ``before`` (followed by a
    byte of the class ``end`` in a usual line) is not an address
    :func:`~sentinelle.formats._url.canonical_ip` takes: a dotted IPv4 address (``[0-9.]``
    only) or an IPv6 one in lower-case hexadecimal groups (``:``, no dot: the IPv4-in-IPv6
    forms are flagged too, as logs seldom write them).

    (Each IPv4 rule ends with ``.`` or ``end``, so that an IPv6 group of four digits, as in
    ``2001:``, is not taken for a fifth IPv4 group.)
    """
    stop = rb"(?:\.|" + end + rb")"
    run, hexa = rb"[0-9a-f.:]*", rb"[0-9a-f]+"
    # eight groups and a "::" after the (k+1)-th: no group left for it to stand for
    doubled = [
        _repeat(hexa + b":", k) + hexa + b"::" + _repeat(hexa + b":+", 6 - k) + b"[0-9a-f]"
        for k in range(7)
    ]
    return _merged(
        before,
        (
            # both a dot and a colon, or a dot and a letter: neither form
            before + run + rb"(?::" + run + rb"\.|\." + run + rb":)",
            before + run + rb"(?:[a-f]" + run + rb"\.|\." + run + rb"[a-f])",
            # IPv4 ([0-9.] with a dot): fewer than four groups (a run of digits alone too), more
            # than four, an empty group, a leading zero, a group above 255
            before + rb"(?:[0-9]*\.){0,2}[0-9]*" + end,
            before + rb"(?:[0-9]*\.){4}",
            before + rb"(?:\.|" + run + rb"\.\.|" + run + rb"\.[^0-9.])",
            before + rb"(?:[0-9.]*\.)?0[0-9]+" + stop,
            before + rb"(?:[0-9.]*\.)?(?:[3-9][0-9]{2}|2[6-9][0-9]|25[6-9]|[0-9]{4})[0-9]*" + stop,
            # IPv6 (with a colon, no dot): a group of five digits or more, ":::", two "::", a
            # single colon at the start or the end, fewer than eight groups without "::" (a run
            # without colon too), nine groups or more, eight and a colon at the start or the end
            # or a "::"
            before + rb"[0-9a-f:]*[0-9a-f]{5}",
            before + run + rb":::",
            before + run + rb"::" + run + rb"::",
            before + rb":[^:]",
            before + run + rb"[0-9a-f.]:" + end,
            before + hexa + rb"(?::" + hexa + rb"){0,6}" + end,
            before + rb":*(?:" + hexa + rb":+){7}" + hexa + rb":",
            before + rb":+(?:" + hexa + rb":+){7}[0-9a-f]",
            *(before + d for d in doubled),
        ),
    )


def _repeat(pattern: bytes, n: int) -> bytes:
    """``pattern`` ``n`` times (hyperscan refuses ``{0}``)."""
    return b"(?:%s){%d}" % (pattern, n) if n else b""


def _merged(before: bytes, patterns: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """``patterns`` (each ``before`` then a condition) as one: ``before`` then any condition.
    Hyperscan follows one pattern from each line start instead of one per condition (BIND's
    whole prefilter: 167 -> 265 MB/s)."""
    assert all(p.startswith(before) for p in patterns)
    rest = b"|".join(p[len(before) :] for p in patterns)
    return (before + b"(?:" + rest + b")",)


# -- syslog headers (RFC 3164's year-less date, as ``_syslog`` reads it) ----------------------
#: the days of each month of the year-less header, which ``_syslog`` builds in leap year 2000
MONTH_DAYS = {
    "Jan": 31, "Feb": 29, "Mar": 31, "Apr": 30, "May": 31, "Jun": 30,
    "Jul": 31, "Aug": 31, "Sep": 30, "Oct": 31, "Nov": 30, "Dec": 31,
}  # fmt: skip


def month_day(most: int, name: str) -> tuple[Item, ...]:
    """`` {1,2}`` then a day of the month from 1 to ``most`` (29, 30 or 31), one digit or two
    as ``\\d{1,2}`` reads them (``01`` and ``1`` alike), then a blank."""
    thirty = {31: "01", 30: "0"}.get(most)
    days = [
        Element(f"{name}_0", chars("1-9"), 2, 2, first=chars("0")),
        Element(f"{name}_12", DIGIT, 1, 2, first=chars("12")),
        Element(f"{name}_3", chars(thirty), 1, 2, first=chars("3"))
        if thirty
        else Element(f"{name}_3", chars("3")),
        Element(f"{name}_4", chars("4-9")),
    ]
    return (
        Element(f"{name}_sp", chars(" "), 1, 2),
        Branch(tuple((d,) for d in days)),
        Element(f"{name}_end", chars(" ")),
    )


def bsd_months(
    rest: Callable[[str], tuple[Item, ...]], names: tuple[str, ...] = tuple(MONTH_DAYS), at: int = 0
) -> list[tuple[Item, ...]]:
    """The alternatives of an RFC 3164 header's month names (three letters), told apart letter
    by letter, each followed by its days (:func:`month_day`) and ``rest(month)``, the rest of
    the header (each month has its copy: the branch of the months cannot rejoin before the
    header's end)."""
    alternatives: list[tuple[Item, ...]] = []
    for letter in sorted({n[at] for n in names}):
        group = tuple(n for n in names if n[at] == letter)
        head = Element(f"mon_{group[0][: at + 1]}", chars(letter))
        if len(group) == 1:  # the month's other letters, its days, the rest of the header
            month = group[0]
            more = literal(f"mon_{month}", month[at + 1 :]) if at < 2 else ()
            days = month_day(MONTH_DAYS[month], f"day_{month}")
            alternatives.append((head, *more, *days, *rest(month)))
        else:
            alternatives.append((head, Branch(tuple(bsd_months(rest, group, at + 1)))))
    return alternatives


def yearless_key() -> tuple[Element, ...]:
    """An RFC 3164 date without a year that starts a line, the key of a profile whose
    ``naive_key`` is ``"syslog"`` (dnsmasq's, BIND's through syslog): 15 bytes, ``Aug  1
    10:23:00`` or ``Aug 01 10:23:00``, which the walker checks as a possible date of the leap
    year 2000 (a month's name, a day, a time), then a blank."""
    blank = chars(" ")
    return (
        Element("month", LETTER, 3, 3),  # (the key: a month's name, checked by the walker)
        Element("month_sp", blank, 1, 2),  # (the key's 15 bytes: `Aug  1` or `Aug 01`)
        Element("day", DIGIT, 1, 2),
        Element("day_sp", blank),
        Element("time", chars("0-9:"), 8, 8),
        Element("time_sp", blank),
    )


#: a year-less RFC 3164 date as :func:`yearless_key` reads one, and its blank (a regular
#: expression: the layout a line sets, BIND's and dnsmasq's)
YEARLESS_DATE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d\d:\d\d:\d\d "


def yearless_syslog(app: str) -> tuple[Item, ...]:
    """The header of a program's message as the local syslog daemon writes it in its files
    (rsyslog's and syslog-ng's traditional format): the year-less key (:func:`yearless_key`),
    the host (a name, a letter first), then `` app[`` (BIND's ``named``, ``dnsmasq``)."""
    return (*yearless_key(), *_sender_and_app(app))


#: the UTC offset of an RFC 3339 time (``+HH:MM`` or ``Z``): the element a profile names as
#: its ``zone`` (the walker checks its form, ``offset`` in ``scan/_lines.c``)
RFC3339_ZONE = "zone"
#: an RFC 3339 time of rsyslog's default file format, its offset after it, as the layout a
#: line sets reads one (a regular expression)
RFC3339_DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(?:Z|[+-]\d\d:\d\d) "


def rfc3339_syslog(app: str) -> tuple[Item, ...]:
    """The header of a program's message as rsyslog's default file format writes it in the
    local files (``RSYSLOG_FileFormat``, Debian's since 12): an RFC 3339 time with
    microseconds, ``2026-08-01T10:23:00.123456+02:00`` (the key, ``YYYY-MM-DDTHH:MM:SS.ffffff``
    of :data:`ISO_MICROS_KEY_LEN` bytes, a possible time, then its offset: the element
    :data:`RFC3339_ZONE`, ``+HH:MM`` or ``Z``; :func:`iso_offset_key` reads both), a blank,
    then the host and `` app[`` as :func:`yearless_syslog`'s."""
    return (
        *datetime_digits("r", sep="T"),
        Element("r_dot", chars(".")),
        Element("r_fraction", DIGIT, 6, 6),
        Element(RFC3339_ZONE, chars("+\\-0-9:Z"), 1, 6),
        Element("r_sp", chars(" ")),
        *_sender_and_app(app),
    )


def _sender_and_app(app: str) -> tuple[Item, ...]:
    """The host of a syslog daemon's header (a name, a letter first) and `` app[``."""
    return (
        Element("sender", chars("A-Za-z0-9_.\\-"), 1, 254, first=LETTER),
        *literal("app", f" {app}["),
    )


def bsd_time(month: str) -> tuple[Item, ...]:
    """An RFC 3164 header's ``HH:MM:SS`` that ``_syslog`` builds (hours 00-23, minutes 00-59)
    and the blank after it (the names end with the month's, see :func:`bsd_months`)."""
    return (
        Branch(
            (
                (Element(f"hour_01_{month}", DIGIT, 2, 2, first=chars("01")),),
                (Element(f"hour_2_{month}", chars("0-3"), 2, 2, first=chars("2")),),
            )
        ),
        Element(f"colon_m_{month}", chars(":")),
        Element(f"minute_{month}", DIGIT, 2, 2, first=chars("0-5")),
        Element(f"colon_s_{month}", chars(":")),
        Element(f"second_{month}", DIGIT, 2, 2),
        Element(f"time_sp_{month}", chars(" ")),
    )


#: a tag's characters in a usual header (``_syslog``'s ``_TAG`` reads more: the others go to the
#: parser)
TAG = chars("A-Za-z0-9_.\\-/")
#: the first character of a usual header's tag: a lowercase letter, as daemons name themselves
#: (``asqd``, ``squid``, ``named``).  So no tag is ``CEF`` or ``LEEF``, which ``_syslog`` leaves in
#: the message.  A format whose record starts with a lowercase letter leaves that letter out of
#: this class (Stormshield's ``id=firewall``: a tag that starts with ``i`` is the parser's)
TAG_FIRST = chars("a-z")


def _sender(name: str, tag: frozenset[int] | None) -> tuple[Item, ...]:
    """A syslog header after its time: the sender as ``_syslog``'s ``_looks_like_host`` takes
    one (a name as its ``_HOST`` reads one, here a letter first; or an IPv4 address, the
    walker's ``strict_address``: :data:`RELAY_IPS`) and a blank, then, with ``tag`` (the class
    of its first character), maybe a tag as its ``_TAG`` reads one: ``app: `` or
    ``app[pid]: `` (the names end with ``name``).  (A number is no host to ``_syslog``: it
    stays in the message.)"""
    sender: tuple[Item, ...] = (
        Branch(
            (
                (Element(f"relay_{name}", chars("A-Za-z0-9_.\\-"), 1, 254, first=LETTER),),
                (Element(f"relay_ip_{name}", chars("0-9."), 7, 15),),
            )
        ),
        Element(f"relay_sp_{name}", chars(" ")),
    )
    if tag is None:
        return sender
    return (
        *sender,
        optional(
            Element(f"tag_{name}", TAG, 1, 64, first=tag),
            optional(
                Element(f"pid_open_{name}", chars("[")),
                Element(f"pid_{name}", DIGIT, 1, 10),
                Element(f"pid_close_{name}", chars("]")),
            ),
            Element(f"tag_colon_{name}", chars(":")),
            Element(f"tag_sp_{name}", chars(" ")),
        ),
    )


def _iso_header(tag: frozenset[int] | None) -> tuple[Item, ...]:
    """The header rsyslog's default file format writes (``RSYSLOG_FileFormat``, Debian's since
    12): an RFC 3339 time, ``2026-08-01T22:00:10.123456+02:00`` (a year of this millennium,
    maybe a fraction, ``Z`` or an offset with its colon), a blank and the sender
    (:func:`_sender`).  ``_syslog`` strips it whatever the digits (a time it cannot read is
    no time, and the header still goes)."""
    two = functools.partial(Element, chars=DIGIT, min=2, max=2)
    return (
        Element("iso_year", DIGIT, 4, 4, first=chars("2")),
        Element("iso_dash1", chars("-")),
        two("iso_month"),
        Element("iso_dash2", chars("-")),
        two("iso_day"),
        Element("iso_t", chars("T")),
        two("iso_hour"),
        Element("iso_colon1", chars(":")),
        two("iso_minute"),
        Element("iso_colon2", chars(":")),
        two("iso_second"),
        optional(Element("iso_dot", chars(".")), Element("iso_fraction", DIGIT, 1, 9)),
        Branch(
            (
                (Element("iso_z", chars("Z")),),
                (
                    Element("iso_sign", chars("+\\-")),
                    two("iso_zone_hour"),
                    Element("iso_zone_colon", chars(":")),
                    two("iso_zone_minute"),
                ),
            )
        ),
        Element("iso_sp", chars(" ")),
        *_sender("iso", tag),
    )


#: the elements of :func:`relay_headers` that hold the sender's IPv4 address: a profile's
#: ``ips`` (the walker checks them as addresses)
RELAY_IPS = frozenset(f"relay_ip_{name}" for name in (*MONTH_DAYS, "iso"))


def relay_headers(tag: frozenset[int] | None = None) -> list[tuple[Item, ...]]:
    """The alternatives of the header a syslog server writes before a message it received
    without one, FortiGate's ``<PRI>date=...``, as ``_syslog`` strips them: rsyslog's and
    syslog-ng's traditional file format, RFC 3164's ``Mmm dd HH:MM:SS host`` and a blank (the
    date one ``_syslog`` builds: a real day of the month, a time it builds), or rsyslog's
    default file format, an RFC 3339 time, the host and a blank (:func:`_iso_header`); the host
    the sender's.  With ``tag`` (its first character's class), maybe a tag after the host: the
    header a device writes itself, which a syslog server keeps (without the ``<PRI>``), see
    :func:`_sender`."""
    return [
        *bsd_months(lambda month: (*bsd_time(month), *_sender(month, tag))),
        _iso_header(tag),
    ]


def syslog_prefix(
    *,
    pri: tuple[int, int] = (1, 3),
    tag: frozenset[int] | None = None,
    after_pri: Item | None = None,
) -> tuple[Item, Item]:
    """What may come before a device's record as the device sends it over syslog and as a
    syslog server writes it in its files: maybe ``<PRI>`` (``pri``: its digits, fewest and
    most; then maybe ``after_pri``, CEF's RFC 5424 header), then maybe a header
    (:func:`relay_headers`, with ``tag``).  So the record may be bare (a file the device writes,
    a collector's), behind ``<PRI>`` alone (FortiGate's), behind ``<PRI>`` and the device's
    RFC 3164 header, or behind a syslog server's header (which drops the ``<PRI>``).  The
    record's first character must be none of the headers' (a month's capital, ``2``, ``<``).
    A profile that starts with it finds its key by its element (``key_element``) and names
    :data:`RELAY_IPS` among its ``ips``."""
    return (
        optional(
            Element("pri_open", chars("<")),
            Element("pri", DIGIT, *pri),
            Element("pri_close", chars(">")),
            *(() if after_pri is None else (after_pri,)),
        ),
        Branch(tuple(relay_headers(tag)), optional=True),
    )


# -- key=value formats (FortiGate, Stormshield, Sophos): each value where ``_kv`` reads it ----
#: a quoted value's text: no quote and no backslash (then every tokenizer reads it the same way)
KV_QUOTED = chars('^"\\')
#: an address written bare (``_kv.ip`` reads it, or finds none: never an error)
KV_IP = chars("0-9A-Fa-f.:")
#: a URL path in quotes: no blank, so that ``""/x"`` (an empty value, then a stray word to the
#: tokenizer) holds no other pair's key
URL_PATH = chars('^"\\ ')
#: a ``+HHMM`` or ``-HHMM`` UTC offset, the profile's zone (checked by the walker)
ZONE = chars("+\\-0-9")
#: the words the key=value helpers read as no value (``_kv.text``), in any case: not host names
NO_VALUE_WORDS = tuple(
    "".join(c.upper() if bit & (1 << i) else c for i, c in enumerate(word)).encode()
    for word in ("none", "null", "unknown")
    for bit in range(1 << len(word))
)


#: a ``|``-separated header field's text (CEF's, LEEF's): no ``|`` and no backslash (no escape)
BAR_FIELD = chars("^|\\")


def bar_fields(*names: str) -> tuple[Element, ...]:
    """Header fields of these names, each without escapes and ended by its ``|`` (``bar1``...)."""
    out: list[Element] = []
    for i, name in enumerate(names, 1):
        out += [Element(name, BAR_FIELD, 1, None), Element(f"bar{i}", chars("|"))]
    return tuple(out)


def kv_pair(
    key: str, value: Item | None = None, quoted: bool = True, last: bool = False, name: str = ""
) -> tuple[Item, ...]:
    """``key="value"`` then a blank (none after the line's last pair); ``name``: the prefix of
    its elements' names (the key's by default).  ``value`` None: any quoted text, maybe empty,
    read as one run that starts with the opening quote (``""`` then ends at once, where two runs
    of quotes in a row would be one), so the walker ends it exactly where the tokenizer does;
    else ``value`` between the quotes (or bare, without ``quoted``)."""
    name = name or key
    blank = () if last else (Element(f"{name}_sp", chars(" ")),)
    if value is None:
        text = Element(f"{name}_v", KV_QUOTED, 1, None, first=chars('"'))
        close = Element(f"{name}_q", chars('"'))
        return (*literal(f"{name}_k", f"{key}="), text, close, *blank)
    closing = (Element(f"{name}_q", chars('"')),) if quoted else ()
    opening = f'{key}="' if quoted else f"{key}="
    return (*literal(f"{name}_k", opening), value, *closing, *blank)


#: a bare value: printable ASCII without blanks, quotes or backslashes (as the tokenizer reads it)
KV_BARE = chars("!-~") - chars('"\\')


def kv_bare(key: str, last: bool = False) -> tuple[Item, ...]:
    """``key=value`` then a blank, the value bare and maybe empty (Stormshield's ``action=``)."""
    blank = () if last else (Element(f"{key}_sp", chars(" ")),)
    value = optional(Element(f"{key}_v", KV_BARE, 1, None))
    return (*literal(f"{key}_k", f"{key}="), value, *blank)


def kv_number(key: str, last: bool = False, name: str = "") -> tuple[Item, ...]:
    """``key=digits`` then a blank (``_kv.number`` reads any run of digits); ``name`` as
    :func:`kv_pair`'s."""
    name = name or key
    return kv_pair(
        key, Element(f"{name}_n", DIGIT, 1, MAX_DIGITS), quoted=False, last=last, name=name
    )


#: csv refuses a field longer than ``csv.field_size_limit()`` (131,072 characters): a line that
#: long may hold one (the bound is on the line's bytes, so it is safe for any text)
CSV_FIELD_LIMIT = 131_072


#: ``YYYY-MM-DD HH:MM:SS``
UTC_KEY_LEN = 19
#: ``YYYY-MM-DDTHH:MM:SS.fff``
ISO_MILLIS_KEY_LEN = 23
#: ``YYYY-MM-DDTHH:MM:SS.ffffff``
ISO_MICROS_KEY_LEN = 26
#: ``Www Mmm DD HH:MM:SS YYYY``
ASCTIME_KEY_LEN = 24
#: the naive local keys' forms (``native.NAIVE_FORMS``) and lengths: C's asctime,
#: Forcepoint's quoted date and time columns, ``DD/MM/YYYY","HH:MM:SS`` or month first,
#: Windows DNS's ``DD/MM/YYYY HH:MM:SS`` or month first, an RFC 3164 date without a year,
#: ``Mmm DD HH:MM:SS`` (dnsmasq's), and Windows DNS's 12-hour ``D/M/YYYY h:MM:SS AM`` or month
#: first (en-US's), its numbers of one or two digits: a window of 22 bytes, the longest
#: (:func:`day_first_12h_key` reads the time at its start)
NAIVE_KEY_LEN = {
    "asctime": ASCTIME_KEY_LEN,
    "dmy_csv": 21,
    "mdy_csv": 21,
    "dmy": 19,
    "mdy": 19,
    "syslog": 15,
    "dmy12": 22,
    "mdy12": 22,
}


def syslog_key(key: bytes) -> datetime:
    """The naive time of an RFC 3164 ``Mmm DD HH:MM:SS`` key (the day's tens maybe a space) in
    the leap year 2000 (a date without a year, as ``_syslog`` keeps it; the scanner gives each
    block its year)."""
    text = key.decode("ascii")
    month, day = MONTHS[text[:3].lower()], int(text[4:6])
    return build(2000, month, day, int(text[7:9]), int(text[10:12]), int(text[13:15]))


def utc_key(key: bytes) -> datetime:
    """The time of a ``YYYY-MM-DD HH:MM:SS`` key in UTC (W3C's ``date time``), as
    :func:`~sentinelle.formats._time.parse_iso` reads ``{date}T{time}Z``."""
    return in_utc(read_iso(key[:10].decode("ascii") + "T" + key[11:19].decode("ascii") + "Z"))


_UTC_CLOCK = LocalClock(UTC)  # (the key's time has its Z: the clock only converts it)


def iso_offset_key(key: bytes) -> datetime:
    """The UTC time of a ``YYYY-MM-DDTHH:MM:SS.f…`` key followed by its offset (``+HH:MM``,
    ``+HHMM`` or ``Z``: a profile's ``zone``), as ``parse_iso`` reads them."""
    return parse_iso(key.decode("ascii"), _UTC_CLOCK)


def iso_utc_key(key: bytes) -> datetime:
    """The time of a ``YYYY-MM-DDTHH:MM:SS.f…`` key whose offset, ``Z``, follows it in the line
    (BIND's ``print-time iso8601-utc``, Zeek's ISO 8601 ``ts``), as ``parse_iso`` reads
    ``{key}Z``."""
    return parse_iso(key.decode("ascii") + "Z", _UTC_CLOCK)


def day_first_key(key: bytes) -> datetime:
    """The naive time of a ``DD/MM/YYYY`` key that ends with ``HH:MM:SS`` (Forcepoint's
    ``DD/MM/YYYY","HH:MM:SS``, Windows DNS's ``DD/MM/YYYY HH:MM:SS``), as their parsers read
    it (:func:`~sentinelle.formats._time.build`)."""
    return _slash_key(key, int(key[0:2]), int(key[3:5]))


def month_first_key(key: bytes) -> datetime:
    """The same, ``MM/DD/YYYY`` first (the ``date_order=mdy`` option, or a date order learnt)."""
    return _slash_key(key, int(key[3:5]), int(key[0:2]))


def _slash_key(key: bytes, day: int, month: int) -> datetime:
    hour, minute, second = key[-8:-6], key[-5:-3], key[-2:]  # HH:MM:SS
    return build(int(key[6:10]), month, day, int(hour), int(minute), int(second))


_TWELVE_HOUR = re.compile(rb"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d):(\d\d) ([AP])M")


def day_first_12h_key(key: bytes) -> datetime:
    """The naive time of a 12-hour key's window, ``D/M/YYYY h:MM:SS AM`` at its start, as
    Windows DNS's parser reads it."""
    return _twelve_hour(key, day_first=True)


def month_first_12h_key(key: bytes) -> datetime:
    """The same, ``M/D/YYYY h:MM:SS PM`` (en-US's)."""
    return _twelve_hour(key, day_first=False)


def _twelve_hour(key: bytes, day_first: bool) -> datetime:
    m = _TWELVE_HOUR.match(key)
    if m is None:
        raise ValueError(f"not a 12-hour key: {key!r}")
    a, b, year, hour, minute, second = (int(x) for x in m.groups()[:6])
    day, month = (a, b) if day_first else (b, a)
    return build(year, month, day, hour % 12 + (12 if m[7] == b"P" else 0), minute, second)


def epoch_key(key: bytes) -> datetime:
    """The time of a line that starts with epoch seconds and a fraction (``D{10}.D{3}``)."""
    return parse_epoch(key.decode("ascii"))


@dataclass(frozen=True)
class Values:
    """Where a usual line's time and byte counts are, as field numbers (fields split at runs of
    spaces and tabs; None: the format has no such count).  The time field is epoch seconds and
    milliseconds, ``D{10}.D{3}``, which the usual line must guarantee.  Declared rather than
    computed so that the C loop of the enrichment by parts (``scan/_parts.c``) reads them
    exactly as :meth:`__call__` does."""

    time: int
    bytes_out: int | None = None
    bytes_in: int | None = None

    def __call__(self, f: list[bytes]) -> tuple[int, int | None, int | None]:
        """(time in microseconds since 1970 UTC, bytes out, bytes in) of a line's fields."""
        t = f[self.time]
        out, into = self.bytes_out, self.bytes_in
        return (
            int(t[:10] + t[11:14]) * 1000,
            None if out is None else count(f[out]),
            None if into is None else count(f[into]),
        )


@dataclass(frozen=True)
class FreePairs:
    """The element of a chain that holds the rest of a line as ``key=value`` pairs, none of
    whose keys the parser reads but as the rules say (``free_pairs`` in ``scan/_lines.c``; the
    native walker only): the line is usual when none of its keys is in ``forbidden``, those in
    ``digits`` have a bare run of digits, those in ``paths`` an empty value or one that starts
    with ``/`` (a URL the parser reads no host or port from), ``host``, when named, comes
    once at most, quoted (or bare too, with ``bare_host``): its value is then the line's host
    name, checked as a host element's (a letter, then letters, digits, ``.``, ``_`` and ``-``;
    anything else is for the parser), and ``kind_key``, when named, is there with one of
    ``kinds`` (the record's kind: Stormshield's ``logtype``).  What the parser reads of a
    FortiGate or Stormshield record's time is in its first fields, where a chain can check it;
    the fields after them vary with the kind, the version and the settings.  A usual line
    without a host name that passes it is an event without one (``Walked.no_host``).
    """

    element: str
    forbidden: frozenset[str]
    digits: frozenset[str] = frozenset()
    host: str | None = None
    paths: frozenset[str] = frozenset()
    #: the pairs are ``[key:"value"; key:"value"]`` (Check Point's Log Exporter; ``colon_pairs``
    #: in ``scan/_lines.c``): keys of a letter or ``_`` then letters, digits, ``_``, ``.`` and
    #: ``-``, every value quoted (a backslash escapes the byte after it, in the values of the
    #: keys without a rule only); then ``time``, ``url``, ``needed`` and ``beside_url`` may be
    #: named (``host`` and ``paths`` not)
    colon: bool = False
    #: the pairs are a JSON object's, then ``closes`` more ``}`` and the line's end (Zscaler's
    #: NSS feed, Zeek's JSON logs; ``json_pairs`` in ``scan/_lines.c``): keys of printable
    #: ASCII without escapes, their rule their lowercase's (the parser lowers them) or, with
    #: ``exact``, their own; each value a string (escapes only in the values of keys without a
    #: rule) or an integer, or, with ``exact``, a number, ``true``, ``false``, ``null`` or, for
    #: a key without a rule, an array of them; ``time`` (its string ``key_len`` bytes, the
    #: line's key; with :attr:`Profile.utc_key`, then a ``Z``: Zeek's ISO 8601 ``ts``) or
    #: ``epoch`` must be there, once, and ``url`` (``host[:port][/path]``
    #: without a scheme, its host the line's) or ``host`` (a string: the line's host name), and
    #: ``needed`` when named (a string: an address, ``strict_address``), each once; a
    #: ``digits`` key's value is digits, maybe none (a blank for ``_kv.number``), or an
    #: integer; a ``paths`` key's a string, nothing or a path without a ``:``;
    #: ``beside_url`` is not named.  Several free pairs of one element, one after the other
    #: in :attr:`Profile.free_pairs`, are alternatives, tried in order: the first that reads
    #: the line gives its key and host (``pairs_of`` in ``scan/_lines.c``)
    json: bool = False
    closes: int = 0
    #: (JSON) the rules are the keys as written: the parser reads them so (Zeek's)
    exact: bool = False
    #: (JSON) the key whose number, ``D{10}.D{n}`` of ``key_len`` bytes (epoch seconds and a
    #: fraction, Zeek's ``ts``), is the line's time key (once)
    epoch: str | None = None
    #: (JSON) the ``epoch`` key's number is an integer of 13 digits, ``key_len``: milliseconds
    #: since 1970 (Zeek's ``ts`` with ``JSON::TS_MILLIS``)
    millis: bool = False
    #: (JSON) a key that must be there, whatever its value (it tells the record's kind: Zeek's
    #: ``trans_depth``, which only http.log has)
    required: str | None = None
    #: the lines these pairs read are DNS queries (counted as such without the parser, as a
    #: :attr:`Profile.dns_element`'s: Zeek's dns.log records)
    dns: bool = False
    #: the key whose value, ten digits (epoch seconds), is the line's time key (once)
    time: str | None = None
    #: the key whose value, a URL with a scheme and a host name, names the line's host (once)
    url: str | None = None
    #: the key a usual line must have, its value an address (a hexadecimal digit or ``:`` first)
    needed: str | None = None
    #: keys a usual line may have only beside the ``url`` key (which the parser then reads
    #: instead: Check Point's ``http_host``)
    beside_url: frozenset[str] = frozenset()
    #: (the plain grammar) the ``host`` key's value may be bare too (Stormshield's
    #: ``dstname=host``), not only quoted
    bare_host: bool = False
    #: (the plain grammar) a key a usual line must have, its value (bare or quoted, each time
    #: it comes) one of ``kinds``: the record's kind, as the parser reads it (Stormshield's
    #: trailing ``logtype``, lowered by the parser: the words are lowercase)
    kind_key: str | None = None
    kinds: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        named = [self.host, self.time, self.url, self.needed, self.epoch, self.required]
        named += [self.kind_key]
        keys = [*self.forbidden, *self.digits, *self.paths, *self.beside_url]
        keys += [k for k in named if k]
        if len(set(keys)) != len(keys):
            raise ValueError(f"free pairs {self.element!r}: a key has two rules")
        key = (
            r"[A-Za-z_][A-Za-z0-9_.\-]{0,30}"
            if self.colon
            else r"[ -~]{1,31}"  # (printable, lowercase: see below)
            if self.json
            else r"[a-z0-9_]{1,31}"
        )
        bad = [
            k
            for k in keys
            if not re.fullmatch(key, k)
            or (self.json and ((k != k.lower() and not self.exact) or '"' in k or "\\" in k))
        ]
        if bad:
            raise ValueError(f"free pairs {self.element!r}: not a key the walker reads: {bad}")
        if self.colon and self.json:
            raise ValueError(f"free pairs {self.element!r}: one grammar")
        if self.colon and (self.host or self.paths):
            raise ValueError(f"free pairs {self.element!r}: this grammar's host is a URL's")
        if not (self.colon or self.json) and (
            self.time or self.url or self.needed or self.beside_url
        ):
            raise ValueError(f"free pairs {self.element!r}: time, url...: the colon grammar's")
        if self.millis and self.epoch is None:
            raise ValueError(f"free pairs {self.element!r}: milliseconds are an epoch's")
        if (self.exact or self.epoch or self.required) and not self.json:
            raise ValueError(f"free pairs {self.element!r}: exact keys, epoch, required: JSON's")
        if (self.colon or self.json) and (self.bare_host or self.kind_key):
            raise ValueError(f"free pairs {self.element!r}: bare host, kinds: key=value's")
        if self.bare_host and not self.host:
            raise ValueError(f"free pairs {self.element!r}: a bare host needs the host key")
        if (self.kind_key is None) != (not self.kinds) or not all(
            re.fullmatch(r"[a-z0-9_\-]{1,31}", w) for w in self.kinds
        ):
            raise ValueError(f"free pairs {self.element!r}: a kind's key and its lowercase words")
        if self.json and (
            self.beside_url
            or (self.time is None) == (self.epoch is None)
            or (self.url is None) == (self.host is None)
        ):
            raise ValueError(
                f"free pairs {self.element!r}: JSON pairs name a time or an epoch, and a URL "
                "or a host"
            )
        if not 0 <= self.closes <= (9 if self.json else 0):
            raise ValueError(f"free pairs {self.element!r}: JSON pairs close 0 to 9 objects")
        if self.beside_url and not self.url:
            raise ValueError(f"free pairs {self.element!r}: keys beside no url")

    def rules(self) -> bytes:
        """The rules as the walker reads them (``native.Program.pairs``)."""
        exact = "=" if self.exact else ""
        words = ["?"] if self.dns else []
        words += [":"] if self.colon else [f"{{{self.closes}{exact}"] if self.json else []
        words += sorted(self.forbidden) + [f"#{k}" for k in sorted(self.digits)]
        host = "$" if self.bare_host else "@"
        words += [f"/{k}" for k in sorted(self.paths)]
        words += [f"{host}{self.host}"] if self.host else []
        if self.kind_key is not None:
            words.append(f"&{self.kind_key}=" + "".join(f"{w}|" for w in sorted(self.kinds)))
        for mark, k in (
            ("*", self.time),
            ("^", self.url),
            ("!", self.needed),
            (";" if self.millis else "%", self.epoch),
            ("+", self.required),
        ):
            words += [f"{mark}{k}"] if k else []
        words += [f"~{k}" for k in sorted(self.beside_url)]
        return b"".join(w.encode("ascii") + b"\n" for w in words)


@dataclass(frozen=True)
class FreeColumns:
    """The element of a chain that holds the rest of a line as CSV columns, from the comma
    before its first (column 0 here), whose number and order vary with the version (PAN-OS'
    trailing columns): the line is usual when each column is bare (no comma, quote or control
    byte) or quoted (no quote or control byte inside), ``host`` (when named) is quoted and
    ``host[:port][/path]`` (no colon in the path), its host the line's host name (or ``name``,
    when named, is bare and a host name alone, the line's), those of ``digits`` are empty or
    digits, there are at least as many columns as these rules need, and
    from ``time_from`` on, the first column whose 11th byte is ``T`` (the parser's test) is a
    time ``YYYY-MM-DDTHH:MM:SS.fff`` then ``Z`` or ``±HH:MM``: the line's key (23 bytes) and its
    zone (``free_columns`` in ``scan/_lines.c``).  A usual line without a host name that passes
    it is an event without one, as with :class:`FreePairs`.
    """

    element: str
    time_from: int
    host: int | None = None
    digits: frozenset[int] = frozenset()
    #: a column that is a host name alone, bare (PAN-OS' Server Name Indication): the line's
    #: host name (then not ``host``)
    name: int | None = None

    def __post_init__(self) -> None:
        hosts = [c for c in (self.host, self.name) if c is not None]
        ruled = [*self.digits, *hosts]
        if len(set(ruled)) != len(ruled) or len(hosts) > 1:
            raise ValueError(f"free columns {self.element!r}: a column has two rules")
        if not all(0 <= c < 64 for c in (*ruled, self.time_from)):  # native.MAX_COLUMN_RULES
            raise ValueError(f"free columns {self.element!r}: columns 0 to 63 have rules")

    def rules(self) -> bytes:
        """The rules as the walker reads them (a set of ``native.Program.pairs``)."""
        words = [f"#{c}" for c in sorted(self.digits)] + [f"*{self.time_from}"]
        words += [f"@{self.host}"] if self.host is not None else []
        words += [f"={self.name}"] if self.name is not None else []
        return b"".join(w.encode("ascii") + b"\n" for w in words)


@dataclass(frozen=True)
class Profile:
    """The *usual* line of a format: a structure stricter than the parser's, and extra traps.

    ``usual`` must accept only lines that the parser turns into events with a host name, or
    without one through ``free_pairs`` (see the module's contract); ``traps`` flag lines that
    ``usual`` accepts but that are not usual after all (a regular condition a chain of runs
    cannot say, such as a valid IPv4 address).
    """

    usual: tuple[Item, ...]
    tail: frozenset[int]
    traps: tuple[bytes, ...] = ()
    #: the method's and the URL's field in a usual line (fields split at runs of spaces and
    #: tabs; counted from ``record_start`` when set): a line whose host may match (the portable
    #: engine's candidates, the native engine's entries decided "yes" that are parsed line by
    #: line) is decided once per (method, URL); None (the default): each such line is parsed.
    #: Wrong numbers would decide a line by another one's words: a format names its own
    fields: tuple[int, int] | None = None
    #: every event of a usual line is a DNS query (counted as such without the parser)
    dns: bool = False
    #: the element that makes a usual line's event a DNS query: the usual lines that pass it
    #: (those of its branch) are counted as such without the parser (FortiGate's DNS filter
    #: records beside its web records); the native walker only, without ``values``
    dns_element: str | None = None
    #: the elements that hold the rest of a usual line as free ``key=value`` pairs, each with
    #: its rules (at most four; the native walker only, without ``values``)
    free_pairs: FreePairs | tuple[FreePairs, ...] | None = None
    #: the elements that hold the rest of a usual line as CSV columns (PAN-OS' trailing ones,
    #: whose number and order vary with the version), each with its rules, among them the
    #: line's time key (``key_len`` 23) and zone (:class:`FreeColumns`; the native walker only,
    #: without ``zone``, ``key_element`` nor ``values``; with the free pairs, four at most)
    free_columns: FreeColumns | tuple[FreeColumns, ...] | None = None
    #: the element whose usual lines the parser skips, not events (FortiGate's DNS filter
    #: queries, which it logs again as responses; Windows DNS's packets sent and responses):
    #: counted as skipped without the parser, their times unread but with :attr:`skip_timed`
    #: (the native walker only; the chain may have several elements of that name, one in each
    #: branch of such lines)
    skip_element: str | None = None
    #: the parser reads the time of the lines it skips (the time of a syslog header, without
    #: which a line has none and is rejected: dnsmasq's): the walker checks a skipped line's
    #: key as a counted line's, sending a line with an impossible time (or another offset) to
    #: the parser
    skip_timed: bool = False
    #: Enrichment by parts (see ``_NativeScanner._grouped``), with ``values``: the client's and
    #: the user's field in a usual line (all that a timeless attribution of the line's source
    #: depends on: the client alone for its address and name), and the field its action
    #: (allowed or blocked) depends on
    source: tuple[int, int] | None = None
    action: int | None = None
    #: (time in microseconds since 1970 UTC, bytes out, bytes in) of a usual line from its
    #: fields (``bytes.split``): what the parser reads on every line (``tests/perf`` checks
    #: that they agree)
    values: Values | None = None
    #: what the parser makes of a usual line's client field, (source.ip, source.domain), and of
    #: its user field, user.name (each decoded as the line is): the enrichment by parts then
    #: settles a new source or user without parsing the line (``tests/perf`` checks that they
    #: agree with the parser); None: it parses the line
    source_of: Callable[[str], tuple[str | None, str | None]] | None = None
    user_of: Callable[[str], str | None] | None = None
    #: (``fullmatch`` on a line without its newline) the lines that are not usual but are
    #: events without a destination host, their timestamp ``D{10}.D{3}`` first: counted so
    #: without the parser (``tests/perf`` checks that the parser agrees)
    no_host: re.Pattern[bytes] | None = None
    #: the elements of ``usual`` that hold the host name (the last one met on a line is it);
    #: with them, the native line walker reads the format (otherwise hyperscan alone does)
    hosts: frozenset[str] = frozenset()
    #: its usual lines name no host: events without one, or lines the parser skips (with
    #: ``skip_element``), which the native walker counts so (a layout's: Zeek's conn.log, and
    #: its logs without a destination); no ``hosts``
    hostless: bool = False
    #: the elements of ``usual`` that hold a DNS name written as length-prefixed labels
    #: (Windows DNS's ``(7)chatgpt(3)com(0)``): its decoded name (each ``(n)`` a dot) is the
    #: line's host name, when the name is of the plain form (``put_labels`` in
    #: ``scan/_lines.c``; the catalog's patterns run on the decoded name); the native walker
    #: only
    labels: frozenset[str] = frozenset()
    #: host names that are not (the native walker's version of the traps on them)
    reserved: tuple[bytes, ...] = ()
    #: its parser reads some lines by the lines before (a ``LocalClock``: the repeated autumn
    #: hour, the year of a year-less syslog date; the firewalls' lines without an offset, local
    #: times): a file is read whole, by one worker, in order
    in_order: bool = False
    #: a host name must hold a dot and its last label a letter (the native walker sends the
    #: other lines to the parser): Stormshield's ``dstname`` is otherwise an object's name
    dotted_hosts: bool = False
    #: the line's time key, ordered as text, ``key_at`` bytes after the line's start, and its
    #: time as the parser reads it (with ``zone``, of the key followed by the zone's bytes)
    key_len: int = 14
    key_time: Callable[[bytes], datetime] = epoch_key
    key_at: int = 0
    #: where ``fields`` are counted from in a usual line that may start with a header (the
    #: WSA's syslog push): the pattern's first match in the line (None: the line's start; a
    #: line without a match goes to the parser)
    record_start: re.Pattern[bytes] | None = None
    #: the element the key starts with, wherever it is in a usual line (then not ``key_at``):
    #: the native walker only
    key_element: str | None = None
    #: the element that holds a usual line's UTC offset (``+HHMM``, or one of ``zone_words``),
    #: when the key is a local ``YYYY-MM-DD…HH:MM:SS`` time: the native walker only (see the
    #: module's contract)
    zone: str | None = None
    #: the names the zone may be written as (``CEST``; none: ``+HHMM``): each a fixed offset
    #: for the parser, which ``key_time`` reads after the key
    zone_words: tuple[str, ...] = ()
    #: the local key is a CLF time, ``DD/Mon/YYYY:HH:MM:SS`` (Apache's and Squid's ``%tl``),
    #: which orders lines by its date, not as text (``key_order`` in ``scan/_lines.c``): the native
    #: walker only
    clf_key: bool = False
    #: elements that hold a client's address, which the parser reads as an address or else as a
    #: host name, rejecting what is neither: the walker counts a span without a colon (the
    #: element's class must make it one or the other) and a whole IPv6 address
    #: (``client_address`` in ``scan/_lines.c``); the native walker only
    addresses: frozenset[str] = frozenset()
    #: elements that hold an address the parser requires, rejecting the line otherwise (ELFF's
    #: ``c-ip``), or reads as one where it reads a number otherwise (a syslog server's sender:
    #: :data:`RELAY_IPS`): the walker counts a dotted IPv4 address, four groups 0-255 without
    #: a leading zero, and a whole IPv6 address (``strict_address`` in ``scan/_lines.c``); the
    #: native walker only
    ips: frozenset[str] = frozenset()
    #: the key is a ``YYYY-MM-DD HH:MM:SS`` time in UTC without an offset written (W3C's ``date
    #: time``, GMT by the standard; :func:`utc_key` reads it), or a ``YYYY-MM-DDTHH:MM:SS.fff``
    #: one whose offset, ``Z``, the chain holds after it (LEEF's ``devTime``), or a JSON time
    #: string's ``YYYY-MM-DDTHH:MM:SS.ffffff`` before its ``Z`` (Zeek's ISO 8601 ``ts``,
    #: :attr:`FreePairs.time`): the walker counts
    #: only the lines whose key is a possible time (``key_order`` in ``scan/_lines.c``); the
    #: native walker only
    utc_key: bool = False
    #: the key is a local time without an offset anywhere (read in ``--tz`` by the parser's
    #: clock), in a form of ``native.NAIVE_FORMS`` (``"asctime"``: ``Www Mmm DD HH:MM:SS
    #: YYYY``, Zscaler's ``time``; ``"dmy_csv"``, ``"mdy_csv"``: Forcepoint's date and time
    #: columns; ``"dmy"``, ``"mdy"``: Windows DNS's date and time; ``"syslog"``: ``Mmm DD
    #: HH:MM:SS`` without a year, which :attr:`key_time` reads in the leap year 2000 and the
    #: scanner gives each block's year as the parser's clock does, :data:`NAIVE_KEY_LEN`): the
    #: walker counts only possible times, and the scanner
    #: sends to the parser every line of a block whose hours are not all regular in ``--tz``
    #: (a DST change: the parser's clock reads them by the file's order; see ``_NaiveScanner``
    #: in ``scan/fast.py``); :attr:`key_time` reads the key as a naive time; the native walker
    #: only, read in order
    naive_key: str | None = None
    #: the bytes that may come right before and right after the host name in a usual line
    #: (the catalog's patterns look for a domain between them; '.' for subdomains and the
    #: trailing dot): by default, as in a URL or a ``host:port`` field
    host_start: bytes = b" \t/."
    host_end: bytes = b".:/?# \t"
    #: what a usual line is, in a sentence (``docs/formats.md``)
    about: str = ""
    #: lines longer than this many bytes are not usual (a reader's limit: see
    #: :data:`CSV_FIELD_LIMIT`): the portable engine finds them from the line ends it has
    #: anyway, not by a pattern; the native walker from each line's end (so a value of a class
    #: beyond ASCII, which has no length the walker bounds, stays within the reader's limit)
    max_line: int | None = None

    def __post_init__(self) -> None:
        if self.values is not None and (self.source is None or self.action is None):
            raise ValueError("enrichment by parts (values) needs the source and action fields")
        if self.values is not None and self.fields is None:
            raise ValueError("enrichment by parts (values) needs the method and URL fields")
        if self.native_only and (not self.walked or self.no_host is not None):
            raise ValueError("the native walker's checks need hosts, and no no_host lines")
        if self.dns_element is not None and (
            not self.native_only or self.values is not None or self.dns
        ):
            raise ValueError("a DNS element is the native walker's, without values nor dns")
        if self.hostless and (self.hosts or self.labels):  # (native_only: the walker's)
            raise ValueError("a hostless usual line names no host: no hosts, no labels")
        if self.dns and self.walked:
            raise ValueError("the native walker counts DNS queries by a DNS element, not dns")
        if self.free_pairs is not None and self.values is not None:
            raise ValueError("free pairs are the native walker's, without values")
        pair_sets = self.free_pairs if isinstance(self.free_pairs, tuple) else (self.free_pairs,)
        if any(p is not None and p.millis for p in pair_sets) and self.key_len != 13:
            raise ValueError("a key of milliseconds is 13 digits (key_len 13)")
        if self.free_columns is not None and (
            self.zone is not None
            or self.key_element is not None
            or self.values is not None
            or self.key_len != 23  # YYYY-MM-DDTHH:MM:SS.fff
        ):
            raise ValueError("free columns hold the key (23 bytes) and the zone, without values")
        if self.skip_element is not None and not self.native_only:
            raise ValueError("a skipped element is the native walker's")
        if self.skip_timed and self.skip_element is None:
            raise ValueError("skip_timed: the time of the lines of a skipped element")
        if self.fields is not None and self.key_element is not None and self.record_start is None:
            # (a key found by its element moves: what comes before the record varies)
            raise ValueError("fields after a header of any length are counted from record_start")
        if self.utc_key and (
            self.zone is not None
            or self.key_len not in (UTC_KEY_LEN, ISO_MILLIS_KEY_LEN, ISO_MICROS_KEY_LEN)
        ):
            raise ValueError(
                "a UTC key is YYYY-MM-DD HH:MM:SS (19 bytes), YYYY-MM-DDTHH:MM:SS.fff (23) or "
                "YYYY-MM-DDTHH:MM:SS.ffffff (26), without a zone"
            )
        if self.naive_key is not None and (
            self.key_len != NAIVE_KEY_LEN.get(self.naive_key)
            or self.zone is not None
            or self.utc_key
            or self.clf_key
            or self.free_columns is not None
            or not self.in_order
        ):
            raise ValueError(
                f"a naive local key is one of {NAIVE_KEY_LEN} (form: bytes), without a zone, "
                "read in order"
            )
        if self.clf_key and (self.zone is None or self.key_len != CLF_KEY_LEN):
            raise ValueError("a CLF key is a local time of 20 bytes, with the zone's element")
        if (self.source_of is None) != (self.user_of is None) or (
            self.source_of is not None and self.values is None
        ):
            raise ValueError("source_of and user_of go together, with values")

    @property
    def walked(self) -> bool:
        """Read by the native line walker (where it is built): the profile names where the host
        name is, as elements of its chain or among its free pairs' or columns' values."""
        pairs = self.free_pairs if isinstance(self.free_pairs, tuple) else (self.free_pairs,)
        columns = (
            self.free_columns if isinstance(self.free_columns, tuple) else (self.free_columns,)
        )
        return (
            self.hostless
            or bool(self.hosts)
            or bool(self.labels)
            or any(p is not None and (p.url or p.host) for p in pairs)
            or any(c is not None and (c.host is not None or c.name is not None) for c in columns)
        )

    @property
    def native_only(self) -> bool:
        """Read by the native walker only: it checks what the portable engine's patterns do
        not (a local time's offset, a dotted host name, a key that moves along the line, a
        client's IPv6 address)."""
        return (
            self.hostless
            or self.zone is not None
            or self.dotted_hosts
            or self.key_element is not None
            or bool(self.addresses)
            or bool(self.ips)
            or self.utc_key
            or self.naive_key is not None
            or self.free_pairs is not None
            or self.free_columns is not None
            or bool(self.labels)
        )

    def flags_unusual(self) -> list[bytes]:
        """The hyperscan patterns of the lines that are not usual: the complement, the traps."""
        return [complement_pattern(self.usual, self.tail), *self.traps]


@dataclass(frozen=True)
class Layouts:
    """A format whose columns a directive line names, and may name again mid-file (ELFF's
    ``#Fields:``): a usual line for each layout.

    The scanner's fast path reads a file by the profile of its current layout (see
    ``_LayoutScanner`` in ``scan/fast.py``): a line that sets another layout ends the walk of
    its block there, the parser reads it, and the rest of the block is read by the new
    layout's profile, or by the parser line by line when that layout has none.  The format's
    ``usual`` is the profile of its ``typical`` layout (its walk generated as straight C code;
    the tests read it).  The scanner asks the file's parser for a layout's usual line
    (``LineParser.usual_for``): the format's :attr:`usual_for`, unless the parser's options
    change it (Forcepoint's and Windows DNS's ``date_order``: the key read month first); and
    for the layout a line sets (``LineParser.layout_of``): the format's :attr:`layout_of`,
    unless the header lines the parser read before matter (Zeek's TSV header, several lines).
    """

    #: the layout before any directive (Blue Coat's ``main``); None: the parser knows none
    initial: tuple[str, ...] | None
    #: the layout of the format's usual lines: what its simulated logs write
    typical: tuple[str, ...]
    #: the layout a line sets, as the parser reads it (None: the line sets none); a file's
    #: parser may read it after the lines before (``LineParser.layout_of``)
    layout_of: Callable[[str], tuple[str, ...] | None]
    #: the usual line of a layout (remembered, a bounded number of them); None: its lines all
    #: go to the parser
    usual_for: Callable[[tuple[str, ...]], Profile | None]
    #: the directive line that sets a layout
    directive: Callable[[tuple[str, ...]], str]
    #: which layouts have a usual line, in a sentence (``docs/formats.md``)
    about: str = ""


@dataclass(frozen=True)
class StartLayout:
    """A layout a line sets by how it starts (BIND's ISO print-time, a syslog daemon's
    header): the expression its start matches, its usual line, and a line of it that the
    parser skips (its directive)."""

    layout: tuple[str, ...]
    start: re.Pattern[str]
    usual: Profile
    directive: str


def layouts_by_start(first: StartLayout, *others: StartLayout, about: str) -> Layouts:
    """The :class:`Layouts` of a format whose lines each say their layout by their start, the
    ``first`` one's the initial and typical layout: a line sets the first layout whose
    expression its start matches, none if none does (another program's line in a syslog
    file)."""
    every = (first, *others)
    usual = {each.layout: each.usual for each in every}
    directives = {each.layout: each.directive for each in every}

    def layout_of(line: str) -> tuple[str, ...] | None:
        for each in every:
            if each.start.match(line):
                return each.layout
        return None

    return Layouts(
        initial=first.layout,
        typical=first.layout,
        layout_of=layout_of,
        usual_for=usual.get,
        directive=lambda layout: directives.get(layout, first.directive),
        about=about,
    )


def syslog_daemon_layouts(
    app: str,
    *,
    yearless: tuple[tuple[str, ...], Profile],
    rfc3339: tuple[tuple[str, ...], Profile],
    host: str,
    message: str,
) -> tuple[StartLayout, StartLayout]:
    """The layouts of ``app``'s messages in the local syslog daemon's files, each with its
    usual line: behind a year-less date (``yearless``: rsyslog's and syslog-ng's traditional
    format, :func:`yearless_syslog`) or rsyslog's RFC 3339 time (``rfc3339``: its default
    format, :func:`rfc3339_syslog`), then a host and ``app[``; their directives, a line of each
    from ``host`` with ``message`` (one the parser skips)."""
    tag = rf"\S+ {re.escape(app)}\["
    return (
        StartLayout(
            yearless[0],
            re.compile(YEARLESS_DATE + tag),
            yearless[1],
            f"Jan  1 00:00:00 {host} {app}[1]: {message}",
        ),
        StartLayout(
            rfc3339[0],
            re.compile(RFC3339_DATE + tag),
            rfc3339[1],
            f"2026-01-01T00:00:00.000000+01:00 {host} {app}[1]: {message}",
        ),
    )
