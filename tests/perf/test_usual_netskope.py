"""The usual line of each Netskope CSV layout (``formats/netskope.py``: ``netskope_usual``),
checked on the parser after that layout's header line: a line the native walker counts is an
event with the host name of its walk, at its key's time, and never a header line itself; and
``layout_of`` against the parser's reading of a header.  (The scanner that switches layouts
mid-file is ``test_engines_agree``'s.)"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.netskope import layout_of, netskope_usual
from sentinelle.scan import fast
from tests.perf._netskope import LAYOUTS, NO_USUAL, header, line
from tests.perf._walks import check_layout_line, mostly, needs_walker, walk_everywhere
from tests.perf.test_usual_profiles import field_mutated, mutated

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))


def _lines(name: str) -> tuple[bytes, ...]:
    return tuple(line(LAYOUTS[name], k).encode() for k in range(40))


def _parser(layout: tuple[str, ...]) -> object:
    parser = get_format("netskope").new_parser(ParseContext(path="t.log"))
    assert parser.parse(header(layout)) is None
    return parser


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_with_the_timestamp_and_a_host_has_a_usual_line(name: str) -> None:
    usual = netskope_usual(LAYOUTS[name])
    assert usual is not None and usual.in_order and usual.native_only and usual.walked
    assert usual.about.endswith(".")


@pytest.mark.parametrize("name", sorted(NO_USUAL))
def test_a_layout_without_has_none(name: str) -> None:
    assert netskope_usual(NO_USUAL[name]) is None


@needs_walker
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_built_lines_are_usual(name: str) -> None:
    usual = netskope_usual(LAYOUTS[name])
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), list(_lines(name)))
    assert w.rows.size == 0 and w.lines == 40


def _check(layout: tuple[str, ...], raw: bytes) -> None:
    usual, layouts = netskope_usual(layout), get_format("netskope").layouts
    assert usual is not None and layouts is not None
    check_layout_line(usual, layouts, _parser(layout), raw)


@needs_walker
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@SETTINGS
@given(data=st.data())
def test_a_usual_line_of_a_layout_is_an_event_with_the_walks_host_at_its_keys_time(
    name: str, data: st.DataObject
) -> None:
    lines = _lines(name)
    _check(LAYOUTS[name], data.draw(st.one_of(mutated(name, lines), field_mutated(name, lines))))


_WORDS = ["date", "Date ", "x-cs-sni", " x-cs-url", "X-CS-TIMESTAMP", '"x-cs-sni"', "notchecked"]
_WORDS += ["NotChecked", "none.example", "-", '""', "{", "a,b", "é"]
_WORDS += ["xrousseau@chu.fr", "X", "xcs-sni", "x-", "X-", '"x-cs-sni"', '"xcs"']


@needs_walker
@SETTINGS
@given(data=st.data())
def test_a_line_whose_values_look_like_a_header_is_never_counted_as_an_event(
    data: st.DataObject,
) -> None:
    """A header line is any CSV line with a value ``date`` and one of the markers: a usual
    line's values never start with ``x-``, so it is never one (the walker counts no header);
    ``xrousseau@…`` is a value like any other."""
    layout = LAYOUTS["the simulator's"]
    values = line(layout, 3).split(",")
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(values)))  # (len(values): one more value, at the end)
        word = data.draw(mostly(["x-cs-sni", "date"], _WORDS))
        values[i : i + 1] = [word]
    _check(layout, ",".join(values).encode())


_USER = LAYOUTS["the simulator's"].index("cs-username")


@needs_walker
@pytest.mark.parametrize(
    ("user", "usual"),
    [
        ("jdupont@chu.fr", True),
        ("élodie.müller@chu.fr", False),  # (a byte beyond ASCII first: maybe a Unicode blank)
        ("e.lodie.müller@chu.fr", True),  # accents further on: the walker counts the line
        ('"Élodie Müller, Cardiologie"', False),
        ('"Elodie Müller, Cardiologie"', True),
        ("a" * 120_000, True),  # (csv reads values of 131,072 characters)
        ("a" * 140_000, False),  # the line longer than csv's field limit: the parser's
        ("é" * 70_000, False),  # (140,000 bytes)
        ("a\u00a0b", True),  # a Unicode blank inside a value: kept by the parser's strip
        ("a\u00a0", True),  # at its end: stripped, no matter
        ("\u00a0a", False),
        ("a\x1cb", False),  # a control character
        ("xxavier@chu.fr", True),  # (until the twenty-second session: the parser's)
        ("XxX", True),
        ("xx-y", False),  # (no header's marker, but x then - is the parser's to judge)
        ("x-cs-sni", False),
    ],
    ids=lambda v: repr(v)[:24] if isinstance(v, str) else str(v),
)
def test_a_value(user: str, usual: bool) -> None:
    """Values may hold accents and other text beyond ASCII (a French user's name, a category),
    the line within csv's field limit; not as their first byte (a Unicode blank there would be
    stripped by the parser: ``\u00a0x-cs-sni`` would be a header's marker).  A value may start
    with any number of ``x`` not followed by ``-``."""
    layout = LAYOUTS["the simulator's"]
    values = line(layout, 3).split(",")
    values[_USER] = user
    raw = ",".join(values).encode()
    usual_line = netskope_usual(layout)
    assert usual_line is not None
    _, w = walk_everywhere(fast.program(usual_line), [raw])
    assert (w.rows.size == 0) == usual, raw[:80]
    _check(layout, raw)


_HEADERS = [header(layout) for layout in LAYOUTS.values()]
_HEADERS += ["DATE,Time,X-CS-SNI,cs-host", '"date","x-cs-userip","cs-host"', " date , x-cs-url\r"]
_OTHERS = [line(LAYOUTS["the simulator's"], 1), "date,time,cs-host", '{"date":"x"}', "", '"a']


@pytest.mark.parametrize("text", _HEADERS + _OTHERS)
def test_layout_of_is_what_the_parser_reads(text: str) -> None:
    parser = _parser(("date", "x-cs-timestamp", "cs-host"))
    before = list(parser.columns)  # type: ignore[attr-defined]
    with contextlib.suppress(MalformedLine):
        parser.parse(text)  # type: ignore[attr-defined]
    layout = layout_of(text)
    if text in _HEADERS:
        assert layout is not None
    assert parser.columns == (before if layout is None else list(layout))  # type: ignore[attr-defined]
