"""The usual line of each ``#Fields:`` layout of an ELFF log (``formats/w3c.py``:
``elff_usual``), checked on the parser after that layout's directive: a line the native walker
counts is an event with the host name of its walk, at its key's time.  Also the walker's two
checks these lines brought: an address the parser requires (``strict_address``) and a UTC
``date time`` key (``key_order``), and ``layout_of`` against the parser's reading of a
directive.  (The scanner that switches layouts mid-file is ``test_engines_agree``'s.)"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._time import build
from sentinelle.formats._url import canonical_ip
from sentinelle.formats.w3c import elff_usual, layout_of
from sentinelle.scan import fast, native
from tests.perf._elff import LAYOUTS, NO_USUAL, directive, line
from tests.perf._walks import check_layout_line, mostly, needs_walker, walk_everywhere
from tests.perf.test_usual_profiles import field_mutated, mutated

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))


def _product(name: str) -> str:
    return "bluecoat" if name == "ProxySG main" else "w3c"


def _lines(name: str) -> tuple[bytes, ...]:
    return tuple(line(LAYOUTS[name], k).encode() for k in range(40))


def _event(product: str, layout: tuple[str, ...], raw: bytes) -> object:
    """The parser's event of ``raw`` after ``layout``'s directive."""
    parser = get_format(product).new_parser(ParseContext(path="t.log"))
    assert parser.parse(directive(layout)) is None
    return parser.parse(raw.decode())


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_with_a_client_a_host_and_the_time_first_has_a_usual_line(name: str) -> None:
    usual = elff_usual(LAYOUTS[name], _product(name))
    assert usual is not None and usual.in_order and usual.native_only and usual.walked
    assert usual.about.endswith(".")
    # remembered, or built again equal (the scanners' memo and programs are keyed by value)
    assert elff_usual(LAYOUTS[name], _product(name)) == usual


@pytest.mark.parametrize("name", sorted(NO_USUAL))
def test_a_layout_without_has_none(name: str) -> None:
    assert elff_usual(NO_USUAL[name], "w3c") is None


def test_the_formats_typical_layouts_are_what_their_simulators_write() -> None:
    from sentinelle.simulate.writers import bluecoat, w3c

    for name, writer in (("w3c", w3c), ("bluecoat", bluecoat)):
        layouts = get_format(name).layouts
        assert layouts is not None
        assert layouts.typical == tuple(writer.FIELDS.lower().split())
        assert get_format(name).usual == layouts.usual_for(layouts.typical)
    assert get_format("bluecoat").layouts.initial == get_format("bluecoat").layouts.typical  # type: ignore[union-attr]
    assert get_format("w3c").layouts.initial is None  # type: ignore[union-attr]


@needs_walker
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_built_lines_are_usual(name: str) -> None:
    """The lines the mutation tests start from are usual (else they would test nothing); but
    a full URL beside a host's column, whose host the parser checks too, with the scheme
    three host names, more than a walk's entry holds: for the parser."""
    usual = elff_usual(LAYOUTS[name], _product(name))
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), list(_lines(name)))
    assert w.lines == 40
    layout = LAYOUTS[name]
    beside = "cs(host)" in layout and "cs-uri" in layout
    assert len(w.rows) == (40 if beside else 0), name
    if beside:  # (a `host:port` URL there is walked, its host checked: see below)
        fields = _lines(name)[0].decode().split(" ")
        fields[layout.index("cs-uri")] = "site1.example.fr:443"
        _, w = walk_everywhere(fast.program(usual), [" ".join(fields).encode()])
        assert w.rows.size == 0 and w.entries.count(b". .") == 1
        fields[layout.index("cs-uri")] = "site1.example-:443"
        _, w = walk_everywhere(fast.program(usual), [" ".join(fields).encode()])
        assert len(w.rows) == 1


@needs_walker
def test_a_url_beside_the_host_column_is_checked() -> None:
    """A URL whose host name the parser rejects, beside a host's column: for the parser (a
    line hypothesis found counted, yet rejected)."""
    raw = (
        b"2026-08-20 19:19:13 119 10.1.5.20 jdupont TCP_DENIED 403 POST site1.example.fr 443 "
        b'https://site1.example-/backend-api/c?k=19 119 119 "Mozilla/5.0 (Windows NT 10.0; '
        b'Win64; x64)" -'
    )
    _check("ProxySG custom: cs(host), a full URL, x-cs-userip", raw)


@needs_walker
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@SETTINGS
@given(data=st.data())
def test_a_usual_line_of_a_layout_is_an_event_with_the_walks_host_at_its_keys_time(
    name: str, data: st.DataObject
) -> None:
    lines = _lines(name)
    raw = data.draw(st.one_of(mutated(name, lines), field_mutated(name, lines)))
    _check(name, raw)


def _check(name: str, raw: bytes) -> None:
    layout, product = LAYOUTS[name], _product(name)
    usual, layouts = elff_usual(layout, product), get_format(product).layouts
    assert usual is not None and layouts is not None
    parser = get_format(product).new_parser(ParseContext(path="t.log"))
    assert parser.parse(directive(layout)) is None
    check_layout_line(usual, layouts, parser, raw)


# -- an address the parser requires (ELFF's c-ip: strict_address) --------------------------------
_DOTTED = st.text("0123456789.", min_size=1, max_size=17)
_NEAR_V4 = [f"{a}.{b}.{c}.{d}" for a, b, c, d in [(10, 1, 2, 3), (255, 0, 0, 1), (0, 0, 0, 0)]]
_HEX = st.text("0123456789abcdefABCDEF:.", min_size=1, max_size=41)
_LAYOUT = LAYOUTS["TMG-like: r-host, r-port and a path"]


def _with_client(client: str) -> bytes:
    fields = line(_LAYOUT, 2).split(" ")
    fields[_LAYOUT.index("c-ip")] = client
    return " ".join(fields).encode()


def _walked_usual(layout: tuple[str, ...], raw: bytes) -> bool:
    usual = elff_usual(layout, "w3c")
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), [raw])
    return w.rows.size == 0


@needs_walker
@SETTINGS
@given(client=st.one_of(_DOTTED, mostly(_NEAR_V4, ["1.2.3", "01.2.3.4", "256.1.1.1"])))
def test_a_dotted_client_is_counted_exactly_when_it_is_an_address(client: str) -> None:
    """A client of digits and dots is an IPv4 address to the parser or the line is rejected:
    the walker counts it exactly when it is one."""
    assert _walked_usual(_LAYOUT, _with_client(client)) == (canonical_ip(client) is not None)


@needs_walker
@SETTINGS
@given(client=st.one_of(_HEX, mostly(["2001:db8::1", "::1", "fe80::a:b"], ["1:2", ":::"])))
def test_a_counted_client_is_an_address(client: str) -> None:
    """(IPv6 addresses with an IPv4 tail are left to the parser, which reads them.)"""
    if _walked_usual(_LAYOUT, _with_client(client)):
        assert canonical_ip(client) is not None, client


def test_strict_addresses_on_common_clients() -> None:
    if not native.available():
        pytest.skip("the C extension is not built")
    said = {
        c: _walked_usual(_LAYOUT, _with_client(c))
        for c in ("10.1.2.3", "10.1.2.03", "10.1.2", "10.1.2.3.4", "1.2.3.256", "2001:db8::1")
    }
    assert said == {
        "10.1.2.3": True,
        "10.1.2.03": False,
        "10.1.2": False,
        "10.1.2.3.4": False,
        "1.2.3.256": False,
        "2001:db8::1": True,
    }


# -- a UTC date time key --------------------------------------------------------------------------
_MAIN = LAYOUTS["ProxySG main"]


def _stamped(date: str, time: str) -> bytes:
    fields = line(_MAIN, 3).split(" ")
    fields[0], fields[1] = date, time
    return " ".join(fields).encode()


def _possible(y: int, mo: int, d: int, h: int, mi: int, s: int) -> bool:
    try:
        build(y, mo, d, h, mi, s)
    except MalformedLine:
        return False
    return 1000 <= y <= 9998 and s <= 59


@needs_walker
@SETTINGS
@given(
    y=mostly(["2026", "2024", "2100", "2000"], ["0000", "0999", "9999"]),
    mo=mostly(["02", "04", "12"], ["00", "13"]),
    d=mostly(["28", "29", "30", "31", "01"], ["00", "32"]),
    h=mostly(["00", "23"], ["24"]),
    mi=mostly(["00", "59"], ["60"]),
    s=mostly(["00", "59"], ["60", "99"]),
)
def test_a_date_time_key_is_counted_exactly_when_it_is_a_possible_time(
    y: str, mo: str, d: str, h: str, mi: str, s: str
) -> None:
    """The parser reads ``date time`` as GMT and rejects an impossible date (it reads seconds
    60-99 as 59: those lines are left to it); the walker counts a possible time, at the
    parser's time."""
    raw = _stamped(f"{y}-{mo}-{d}", f"{h}:{mi}:{s}")
    usual = elff_usual(_MAIN, "bluecoat")
    assert usual is not None
    block, w = walk_everywhere(fast.program(usual), [raw])
    possible = _possible(int(y), int(mo), int(d), int(h), int(mi), int(s))
    assert (w.rows.size == 0) == possible, raw
    if possible:
        when = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=UTC)
        assert usual.key_time(block[: usual.key_len]) == when
        assert _event("bluecoat", _MAIN, raw).timestamp == when  # type: ignore[attr-defined]


# -- the layout a line sets ------------------------------------------------------------------------
_DIRECTIVES = [
    "#Fields: date time c-ip cs-host",
    "#fields: date time c-ip cs-host",
    "  #Fields:\tdate\ttime c-ip  cs-host\r",
    "<13>Aug  1 12:00:00 proxy sgos: #Fields: date time c-ip cs-host",
    "#Fields: TIMESTAMP C-IP CS-URL",
]
_OTHERS = ["#Software: SGOS 7.3", "#Remark: x", "# Fields: a", "#Field: a", line(_MAIN, 1), ""]


@pytest.mark.parametrize("text", _DIRECTIVES + _OTHERS)
def test_layout_of_is_what_the_parser_reads(text: str) -> None:
    parser = get_format("w3c").new_parser(ParseContext(path="t.log"))
    parser.parse("#Fields: date time s-ip")
    before = list(parser.fields)  # type: ignore[attr-defined]
    with contextlib.suppress(MalformedLine):
        parser.parse(text)
    layout = layout_of(text)
    if text in _DIRECTIVES:
        assert layout is not None
    expected = before if layout is None else list(layout)
    assert parser.fields == expected  # type: ignore[attr-defined]
