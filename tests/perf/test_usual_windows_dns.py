"""Windows DNS's usual line: a query a client sent, its date and time a local time without an
offset (``DD/MM/YYYY HH:MM:SS``, read in ``--tz``), its question name length-prefixed
(``(7)chatgpt(3)com(0)``: the walker decodes it into the line's host entry).

The date order is the server locale's: the parser reads slash dates of a 24-hour clock day
first until a query whose second number is above 12 teaches it month first (and back).  The
scanner follows what the lines teach as a layout (``layout_of``), or the ``date_order`` option
(the parser's ``usual_for``).  A line the native walker counts is the parser's event, with the
walk's host name at its key's time read in the parser's zone.  (The scanner that follows the
order mid-file, and reads DST changes, is ``test_engines_agree``'s.)
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.windows_dns import decode_qname, layout_of, windows_dns_usual
from sentinelle.scan import fast
from tests.perf._walks import (
    SLASH_KEYS,
    SlashKey,
    check_layout_line,
    needs_walker,
    walk_everywhere,
)
from tests.perf._windows_dns import record
from tests.perf.test_usual_profiles import field_mutated, mutated

WINDOWS_DNS = get_format("windows-dns")
DMY, MDY = ("dmy",), ("mdy",)


def _parser(layout: tuple[str, ...] = DMY, **options: str) -> object:
    """A parser that has read a query teaching ``layout``'s date order (none for day first,
    its default)."""
    parser = WINDOWS_DNS.new_parser(ParseContext(path="dns.log", options=options))
    if layout == MDY:
        assert parser.parse(record(datetime(2026, 1, 13), mdy=True)) is not None  # type: ignore[attr-defined]
    return parser


def walker_says(raw: str, layout: tuple[str, ...] = DMY) -> str | None:
    """The host name the walker counts ``raw`` with (its entry's), "skipped" (a line the
    parser skips), None: the parser's line."""
    usual = windows_dns_usual(layout)
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), [raw.encode()])
    if w.rows.size:
        return None
    return "skipped" if w.skipped else w.entries.decode()[1:-2]


def _check(raw: str, layout: tuple[str, ...] = DMY, **options: str) -> None:
    usual = windows_dns_usual(layout if not options else (options["date_order"],))
    assert usual is not None and WINDOWS_DNS.layouts is not None
    check_layout_line(usual, WINDOWS_DNS.layouts, _parser(layout, **options), raw.encode())


def test_the_usual_line_of_each_date_order() -> None:
    dmy, mdy = windows_dns_usual(DMY), windows_dns_usual(MDY)
    assert dmy is not None and mdy is not None and dmy is WINDOWS_DNS.usual
    assert (dmy.naive_key, mdy.naive_key) == ("dmy", "mdy") and dmy.key_len == 19
    assert dmy.native_only and dmy.in_order and dmy.labels == frozenset({"qname"})
    assert windows_dns_usual(("ymd",)) is None and windows_dns_usual(()) is None
    layouts = WINDOWS_DNS.layouts
    assert layouts is not None and layouts.initial == layouts.typical == DMY
    for layout in (DMY, MDY):  # the line that teaches it does
        assert layout_of(layouts.directive(layout)) == layout


@pytest.mark.parametrize(
    ("option", "layout", "usual"),
    [
        (None, DMY, DMY),
        (None, MDY, MDY),
        ("dmy", MDY, DMY),  # the option, whatever the lines teach
        ("mdy", DMY, MDY),
        ("ymd", DMY, None),  # the year first: no usual line (its date has the year last)
        (None, ("mdy12",), ("mdy12",)),  # a 12-hour clock's (test_usual_windows_dns_12h)
        ("dmy", ("mdy12",), ("dmy12",)),
        ("mdy", ("dmy12",), ("mdy12",)),
        ("ymd", ("mdy12",), None),
    ],
)
def test_the_parser_says_the_usual_line_of_its_order(
    option: str | None, layout: tuple[str, ...], usual: tuple[str, ...] | None
) -> None:
    parser = WINDOWS_DNS.new_parser(
        ParseContext(path="dns.log", options={"date_order": option} if option else {})
    )
    got = parser.usual_for(WINDOWS_DNS.layouts, layout)
    assert got == (windows_dns_usual(usual) if usual else None)


_LOCAL = datetime(2026, 8, 14, 7, 40, 24)


@pytest.mark.parametrize(
    ("change", "host"),
    [
        ({}, "chatgpt.com"),
        ({"proto": "TCP"}, "chatgpt.com"),
        ({"ip": "2001:db8::14"}, "chatgpt.com"),
        ({"ip": "FE80::1"}, "chatgpt.com"),
        ({"qtype": "AAAA"}, "chatgpt.com"),
        ({"qtype": "HTTPS"}, "chatgpt.com"),
        ({"qname": "(3)WWW(7)ChatGPT(3)com(0)"}, "WWW.ChatGPT.com"),
        ({"qname": "(3)www(0)com(0)"}, "www.com"),  # each (n) a dot, whatever n says
        ({"qname": "(1)a(1)b(0)"}, "a.b"),
        ({"qname": "(5)_ldap(4)_tcp(2)dc(4)_msdcs(3)chu(2)fr(0)"}, "_ldap._tcp.dc._msdcs.chu.fr"),
        ({"qname": "(4)wpad(0)"}, "wpad"),
        ({"qname": "(3)123(1)4(0)"}, "123.4"),
        ({"letters": "DR"}, "chatgpt.com"),
        ({"rcode": "SERVFAIL"}, "chatgpt.com"),
        ({"flags": "01aF", "thread": "ABCDEF01", "xid": "f"}, "chatgpt.com"),
        ({"context": "0"}, "chatgpt.com"),
        ({"date": "29/02/2028"}, "chatgpt.com"),  # a leap day
        ({"time": "23:59:59"}, "chatgpt.com"),
        # for the parser
        ({"qname": "(0)"}, None),  # the root: no host name
        ({"qname": "(3)www(0)(3)com(0)"}, None),  # an empty label: rejected
        ({"qname": "(3)www(10)(0)"}, None),  # "www" to the parser: not the plain form
        ({"qname": "(3)abc(0)(0)"}, None),
        ({"qname": "(3)abc(00)"}, None),  # does not end with (0): rejected
        ({"qname": "(3)abc"}, None),
        ({"qname": "(1234)abc(0)"}, None),
        ({"qname": "(3)a*b(0)"}, None),
        ({"qname": "(3)a)b(0)"}, None),
        ({"qname": "(4)abc-(0)"}, None),  # a host name ending with '-'
        ({"qname": "".join(f"(63){c * 63}" for c in "abcd") + "(1)e(0)"}, None),  # 257 bytes
        ({"qname": "".join(f"(63){c * 63}" for c in "abc") + "(61)" + "d" * 61 + "(0)"}, "253"),
        ({"qname": ".www.example.com."}, None),  # the dotted form: read by the parser
        ({"qname": "(3)www(7)example(3)com(0) "}, None),  # a trailing blank
        # lines the parser skips: a packet sent (to a forwarder), a response (received from
        # a forwarder, or sent to the client), a notify, an update; their time unread
        ({"direction": "Snd"}, "skipped"),
        ({"resp": "R"}, "skipped"),
        ({"resp": "R", "direction": "Snd", "letters": "DR"}, "skipped"),
        ({"resp": "R", "op": "N"}, "skipped"),
        ({"op": "U"}, "skipped"),
        ({"op": "?", "direction": "Snd"}, "skipped"),
        ({"resp": "R", "date": "13/13/2026"}, "skipped"),  # (its date unread)
        ({"direction": "Snd", "time": "99:99:99"}, "skipped"),
        ({"direction": "Snd", "ip": "8.8.8.8", "qname": "(3)www(0)(3)com(0)"}, None),
        ({"direction": "Snd", "ip": "010.1.2.3"}, None),  # (the walker's address check)
        ({"resp": "R", "letters": " "}, None),
        ({"resp": "R", "op": "X"}, None),  # rejected
        ({"resp": "X"}, None),
        ({"direction": "Snx"}, None),
        ({"resp": "R", "date": "1/08/2026"}, None),
        # for the parser (below) too
        ({"letters": " "}, None),  # no flag letters (recursion not desired)
        ({"letters": "DX"}, None),
        ({"proto": "UUU"}, None),
        ({"ip": "010.1.2.3"}, None),  # no address to the parser: rejected
        ({"ip": "10.1.2"}, None),
        ({"ip": "1::2::3"}, None),
        ({"thread": "0A6C0A6C0"}, None),
        ({"xid": "12345"}, None),
        ({"date": "14/08/2026 "}, None),  # two blanks between the date and the time
        ({"date": "30/02/2026"}, None),
        ({"date": "14/13/2026"}, None),  # (month first: the parser learns it)
        ({"date": "14/08/26"}, None),  # a two-digit year
        ({"date": "4/08/2026"}, None),
        ({"date": "14.08.2026"}, None),  # de-DE
        ({"date": "2026/08/14"}, None),  # ja-JP
        ({"date": "14/08-2026"}, None),  # two separators: rejected
        ({"time": "7:40:24"}, None),
        ({"time": "24:00:00"}, None),
        ({"time": "07:40:24 AM"}, None),  # a 12-hour clock (en-US)
    ],
)
def test_a_record(change: dict[str, str], host: str | None) -> None:
    raw = record(_LOCAL, **change)
    if host == "253":  # (the longest host name)
        host = ".".join(c * 63 for c in "abc") + "." + "d" * 61
    assert walker_says(raw) == host, raw
    _check(raw)
    if host is not None and host != "skipped":  # the parser's host
        event = _parser().parse(raw)  # type: ignore[attr-defined]
        assert event.destination_domain == host.lower()
        assert decode_qname(change.get("qname", "(7)chatgpt(3)com(0)")) == host.lower()
        assert event.network_protocol == "dns"


def test_a_date_of_two_separators_is_a_malformed_line() -> None:
    """(the parser split it at its first separator and stopped with a ValueError)"""
    with pytest.raises(MalformedLine, match="16 debug-log columns"):
        _parser().parse(record(_LOCAL, date="14/08-2026"))  # type: ignore[attr-defined]


def test_the_simulated_lines_are_usual() -> None:
    from sentinelle.simulate.writers import windows_dns

    line = record(_LOCAL, "chatgpt.com")
    assert walker_says(line) == "chatgpt.com"
    assert windows_dns.DATE_FORMAT == "%d/%m/%Y %H:%M:%S"


@pytest.mark.parametrize(
    ("raw", "layout"),
    [
        (record(datetime(2026, 8, 14)), DMY),  # the day above 12
        (record(datetime(2026, 8, 14), mdy=True), MDY),  # the month second above 12
        (record(datetime(2026, 8, 12)), None),  # both 12 or less: nothing to learn
        (record(datetime(2026, 8, 14), date="14/08/26"), DMY),  # a two-digit year too
        (record(datetime(2026, 8, 14), date="2026/08/14"), None),  # the year first
        (record(datetime(2026, 8, 14), date="14.08.2026"), None),  # another shape's order
        (record(datetime(2026, 8, 14), time="07:40:24 PM"), None),  # a 12-hour clock's
        (record(datetime(2026, 8, 14), direction="Snd"), None),  # no time read
        (record(datetime(2026, 8, 14), resp="R"), None),
        (record(datetime(2026, 8, 14), ip="10.1.2"), None),  # rejected before the time
        (record(datetime(2026, 8, 14), date="14/13/2026"), DMY),  # (then rejected)
        ("Message logging key (for packets - other items use a subset of these fields):", None),
        ("", None),
    ],
)
def test_the_order_a_line_teaches(raw: str, layout: tuple[str, ...] | None) -> None:
    """``layout_of`` is what the parser learns of a line, for the usual lines' shape."""
    assert layout_of(raw) == layout
    for before in (DMY, MDY):
        assert _learnt(before, raw) == (layout or before)[0], (raw, before)


def _learnt(before: tuple[str, ...], raw: str) -> str:
    """The order a parser that had learnt ``before`` reads slash dates of a 24-hour clock in
    after reading ``raw`` (accepted or not)."""
    parser = _parser(before)
    with contextlib.suppress(MalformedLine):
        parser.parse(raw)  # type: ignore[attr-defined]
    return parser.order.learnt.get(("/", False), "dmy")  # type: ignore[attr-defined,no-any-return]


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.data(),
    local=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31)),
    layout=st.sampled_from([DMY, MDY]),
)
def test_a_line_teaches_what_the_parser_learns(
    data: st.DataObject, local: datetime, layout: tuple[str, ...]
) -> None:
    lines = (record(local, "chatgpt.com", mdy=layout == MDY).encode(),)
    raw = data.draw(st.one_of(mutated("windows-dns", lines), field_mutated("windows-dns", lines)))
    line = raw.decode("utf-8", "surrogateescape")
    assert _learnt(layout, line) == (layout_of(line) or layout)[0], line


_LINES = tuple(
    record(datetime(2026, 8, 1 + k % 28, k % 24, k % 60, k % 59), f"site{k}.example.fr").encode()
    for k in range(30)
)


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), layout=st.sampled_from([DMY, MDY]), option=st.booleans())
def test_a_usual_line_is_an_event_with_the_walks_host_at_its_keys_time(
    data: st.DataObject, layout: tuple[str, ...], option: bool
) -> None:
    raw = data.draw(st.one_of(mutated("windows-dns", _LINES), field_mutated("windows-dns", _LINES)))
    line = raw.decode("utf-8", "surrogateescape")
    if option:
        _check(line, DMY, date_order=layout[0])
    else:
        _check(line, layout)


_NAME = st.text("(0123)abZ_-.*", max_size=24)
_LABELS = st.lists(st.text("abcXYZ019_-", min_size=1, max_size=8), min_size=1, max_size=5)


@needs_walker
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.one_of(_NAME, _LABELS.map(lambda labels: ".".join(labels))), form=st.booleans())
@example(name="(3)www(0)(3)com(0)", form=False)
@example(name="a.b-", form=True)
def test_a_question_name_is_the_parsers_host_when_the_walker_counts_it(
    name: str, form: bool
) -> None:
    """Any name (length-prefixed from labels, or any text): the walker counts its line with
    the parser's host name, or leaves it to the parser."""
    from sentinelle.simulate.writers.windows_dns import qname

    written = qname(name) if form else name
    raw = record(_LOCAL, qname=written) if written else record(_LOCAL)
    host = walker_says(raw)
    if host is None:
        return
    event = _parser().parse(raw)  # type: ignore[attr-defined]
    assert event is not None and event.destination_domain == host.lower(), raw


@needs_walker
def test_names_of_plain_labels_are_counted() -> None:
    """(else the property above would test little)"""
    from sentinelle.simulate.writers.windows_dns import qname

    for name in ("chatgpt.com", "a.b", "x_y.z-1.fr", "1.2.3.4"):
        assert walker_says(record(_LOCAL, qname=qname(name))) == name


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=SLASH_KEYS)
def test_the_key_is_counted_when_it_is_a_possible_time(key: SlashKey) -> None:
    """``DD/MM/YYYY HH:MM:SS`` (``MM/DD`` once learnt) is counted when it is a possible time,
    years 1000 to 9998 (the walker's ``NAIVE_DMY`` and ``NAIVE_MDY`` with a blank); any other is
    the parser's."""
    raw, possible, year = record(date=key.date, time=key.time), key.possible, key.year
    layout = MDY if key.mdy else DMY
    assert (walker_says(raw, layout) is not None) == possible, raw
    if possible:
        _check(raw, layout)
        event = _parser(layout).parse(raw)  # type: ignore[attr-defined]
        assert event.timestamp.astimezone(UTC).year in (year - 1, year)
