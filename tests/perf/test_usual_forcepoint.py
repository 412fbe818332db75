"""Forcepoint's usual lines: a CSV export whose header names its columns, its date and time a
local time without an offset (``DD/MM/YYYY``, read in ``--tz``).

Each layout a header line names has its own usual line (``forcepoint_usual``), and so does the
standard export's 17-column order before any header.  A line the native walker counts is the
parser's event (after the layout's header), with the walk's host name, at its key's time read
in the parser's zone.  A line that holds a date is never a header line, whatever its other
values say.  (The scanner that switches layouts, and reads DST changes, is
``test_engines_agree``'s.)
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.forcepoint import forcepoint_usual, layout_of
from sentinelle.scan import fast, native
from tests.perf._forcepoint import DEFAULT_COLUMNS, OTHER, TYPICAL, header, record
from tests.perf._walks import (
    SLASH_KEYS,
    SlashKey,
    check_layout_line,
    needs_walker,
    walk_everywhere,
)
from tests.perf.test_usual_profiles import field_mutated, mutated

FORCEPOINT = get_format("forcepoint")
LAYOUTS = {"typical": TYPICAL, "standard (no header)": DEFAULT_COLUMNS, "other order": OTHER}


def _parser(layout: tuple[str, ...], **options: str) -> object:
    """A parser that has read ``layout``'s header (none for the standard export's)."""
    parser = FORCEPOINT.new_parser(ParseContext(path="t.csv", options=options))
    if layout != DEFAULT_COLUMNS:
        assert parser.parse(header(layout)) is None
    return parser


def _usual(layout: tuple[str, ...], raw: str, mdy: bool = False) -> bool:
    usual = forcepoint_usual(layout, mdy)
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), [raw.encode()])
    return w.rows.size == 0


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_with_a_date_a_time_and_a_url_has_a_usual_line(name: str) -> None:
    usual = forcepoint_usual(LAYOUTS[name])
    assert usual is not None and usual.in_order and usual.native_only
    assert usual.naive_key == "dmy_csv" and usual.about.endswith(".")
    assert forcepoint_usual(LAYOUTS[name]) == usual  # (keyed by value: the scanners' memo)
    assert FORCEPOINT.layouts.usual_for(TYPICAL) == FORCEPOINT.usual  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "layout",
    [
        ("date", "url"),  # no time
        ("time", "date", "url"),  # the time before the date
        ("date", "user", "time", "url"),  # not side by side
        ("date", "time", "user"),  # no URL
        ("date", "time", "url", "user", "user"),  # a column named twice
    ],
)
def test_a_layout_without_has_none(layout: tuple[str, ...]) -> None:
    assert forcepoint_usual(layout) is None


def test_the_typical_layout_is_what_the_simulator_writes() -> None:
    from sentinelle.simulate.writers import forcepoint

    assert layout_of(forcepoint.HEADER[0]) == TYPICAL
    assert FORCEPOINT.layouts.initial == DEFAULT_COLUMNS  # type: ignore[union-attr]
    for layout in LAYOUTS.values():
        assert layout_of(header(layout)) == layout


_AUTUMN = datetime(2026, 10, 25, 1, 30, 0)  # a repeated hour's time in Paris


@pytest.mark.parametrize("name", sorted(LAYOUTS))
@pytest.mark.parametrize(
    ("change", "usual"),
    [
        ({}, True),
        ({"local": datetime(2028, 2, 29, 23, 59, 59)}, True),  # a leap day
        ({"local": _AUTUMN}, True),  # (the scanner reads its block by the parser)
        ({"url": "chatgpt.com:443/"}, True),  # a CONNECT's authority
        ({"url": "HTTP://chatgpt.com"}, True),
        ({"url": "https://chatgpt.com:8443/a?b=c&d=%20#f"}, True),
        ({"user": "Not available", "source_ip": "Not available"}, True),
        ({"user": "Date", "category": "URL"}, True),  # a header's names: data all the same
        ({"user": "a, b\tc"}, True),
        ({"user": "élodie.müller@chu.fr", "category": "Intelligence artificielle"}, True),
        ({"user": "x" * 120_000}, True),  # (csv reads fields of 131,072 characters)
        ({"user": "x" * 140_000}, False),  # a line longer than csv's field limit: the parser's
        ({"bytes_sent": "9" * 19}, True),  # beyond 64 bits: no count, an event all the same
        # for the parser
        ({"date": "1/08/2026"}, False),
        ({"date": "2026/08/01"}, False),
        ({"date": "30/02/2026"}, False),
        ({"date": "31/04/2026"}, False),
        ({"date": "01/13/2026"}, False),
        ({"date": "01-08-2026"}, False),
        ({"time": "24:00:00"}, False),
        ({"time": "9:00:00"}, False),
        ({"time": "10:60:00"}, False),
        ({"url": "-"}, False),  # no host
        ({"url": "HTTPS://104.18.32.47/"}, False),
        ({"url": "chatgpt.com/a"}, False),
        ({"url": "chatgpt.com:443/r?u=http://other.example.fr/"}, False),
        ({"url": "none:443/"}, False),
        ({"url": "HTTPS://chat gpt.com/"}, False),
        ({"url": " HTTPS://chatgpt.com/"}, False),
        ({"url": "HTTPS://chatgpt.com/a b"}, False),
        ({"http_status": "abc"}, False),  # not a number: rejected
        ({"bytes_sent": "9" * 20}, False),
        ({"user": 'j""dupont'}, False),  # an escaped quote
        ({"user": ""}, False),  # (a run of two quotes to the walker)
        ({"http_status": ""}, False),
        ({"bytes_sent": ""}, False),
    ],
)
def test_a_record(name: str, change: dict[str, object], usual: bool) -> None:
    layout = LAYOUTS[name]
    if not any(k.replace("_", " ") in layout or k == "local" for k in change):
        return  # (a column the layout has not)
    raw = record(layout, **change)  # type: ignore[arg-type]
    assert _usual(layout, raw) == usual, raw
    _check(layout, raw)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: r + ',"extra"',  # an extra column
        lambda r: r[: r.rindex(",")],  # one column less
        lambda r: r.replace('","', '", "', 1),  # a blank after a comma
        lambda r: r.replace('"', "", 2),  # a value unquoted
        lambda r: r + "\r",
    ],
)
def test_a_record_of_another_shape_is_for_the_parser(spoil: object) -> None:
    raw = spoil(record())  # type: ignore[operator]
    if raw.endswith("\r"):  # (the line's end: the walker's as the parser's)
        assert _usual(TYPICAL, raw)
    else:
        assert not _usual(TYPICAL, raw), raw
    _check(TYPICAL, raw)


def test_a_line_with_a_date_is_never_a_header() -> None:
    """A header names ``date`` and ``url`` columns: a data line whose values are those names
    is no header when it holds a date (the usual line always does)."""
    names = header(("date", "time", "url"))
    assert layout_of(names) == ("date", "time", "url")
    data = '"01/08/2026","Date","URL"'
    assert layout_of(data) is None
    parser = _parser(TYPICAL)
    with pytest.raises(MalformedLine):  # a data line of too few columns, not a header
        parser.parse(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mdy", [False, True])
def test_the_date_order_option_gives_its_own_usual_line(mdy: bool) -> None:
    """With ``date_order=mdy`` the parser reads the month first: so does its usual line (the
    scanner asks the parser for it), and a day above 12 is the parser's to judge."""
    parser = _parser(TYPICAL, **({"date_order": "mdy"} if mdy else {}))
    usual = parser.usual_for(FORCEPOINT.layouts, TYPICAL)  # type: ignore[attr-defined]
    assert usual == forcepoint_usual(TYPICAL, mdy)
    assert usual.naive_key == ("mdy_csv" if mdy else "dmy_csv")
    for local in (datetime(2026, 8, 1, 10, 0, 14), datetime(2026, 8, 25, 10, 0, 14)):
        raw = record(TYPICAL, local, mdy=mdy)
        assert _usual(TYPICAL, raw, mdy)
        event = parser.parse(raw)  # type: ignore[attr-defined]
        assert event.timestamp == datetime(local.year, 8, local.day, 8, 0, 14, tzinfo=UTC)
    assert _usual(TYPICAL, record(TYPICAL, datetime(2026, 8, 25, 10), mdy=not mdy), mdy) is False


def _check(layout: tuple[str, ...], raw: str) -> None:
    usual, layouts = forcepoint_usual(layout), FORCEPOINT.layouts
    assert usual is not None and layouts is not None
    check_layout_line(usual, layouts, _parser(layout), raw.encode())


_LINES = {
    name: tuple(
        record(layout, datetime(2026, 8, 1 + k % 28, k % 24, k % 60, k % 59)).encode()
        for k in range(30)
    )
    for name, layout in LAYOUTS.items()
}


@needs_walker
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_usual_line_of_a_layout_is_an_event_with_the_walks_host_at_its_keys_time(
    name: str, data: st.DataObject
) -> None:
    lines = _LINES[name]
    raw = data.draw(st.one_of(mutated("forcepoint", lines), field_mutated("forcepoint", lines)))
    _check(LAYOUTS[name], raw.decode("utf-8", "surrogateescape"))


@needs_walker
def test_the_built_lines_are_usual() -> None:
    """The lines the mutation tests start from are usual (else they would test nothing)."""
    for name, layout in LAYOUTS.items():
        usual = forcepoint_usual(layout)
        assert usual is not None
        _, w = walk_everywhere(fast.program(usual), list(_LINES[name]))
        assert w.rows.size == 0 and w.lines == 30 and native.available()


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=SLASH_KEYS)
def test_the_key_is_counted_when_it_is_a_possible_time(key: SlashKey) -> None:
    """``DD/MM/YYYY","HH:MM:SS`` (``MM/DD`` with ``mdy``) is counted when it is a possible
    time, years 1000 to 9998 (the walker's ``NAIVE_DMY`` and ``NAIVE_MDY``), at the time the
    parser reads; any other is the parser's."""
    raw, possible, mdy = record(TYPICAL, date=key.date, time=key.time), key.possible, key.mdy
    assert _usual(TYPICAL, raw, mdy) == possible, raw
    if possible:
        usual = forcepoint_usual(TYPICAL, mdy)
        assert usual is not None
        check_layout_line(
            usual,
            FORCEPOINT.layouts,  # type: ignore[arg-type]
            _parser(TYPICAL, **({"date_order": "mdy"} if mdy else {})),
            raw.encode(),
        )
