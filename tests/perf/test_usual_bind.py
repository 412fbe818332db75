"""A bind query line with any time, client or name that the profile leaves unflagged is an
event with its host and time (the generic contract, on the simulated lines mutated, and the
client traps alone, are ``test_usual_profiles.py``'s).
"""

from __future__ import annotations

import hyperscan
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.bind import BindFormat
from sentinelle.scan.prefilter import EXACT, PatternSet, compile_patterns
from tests.perf._addresses import clients

_PROFILE = BindFormat.usual


def _database(patterns: tuple[bytes, ...]) -> hyperscan.Database:
    n = len(patterns)
    return compile_patterns(PatternSet(patterns, (EXACT,) * n, ("x",) * n))


_UNUSUAL = _database(tuple(_PROFILE.flags_unusual()))


def test_key_time_is_the_parsers_time() -> None:
    usual = _PROFILE
    line = (
        "2026-02-28T23:59:59.999Z queries: info: client @0x7f00004f6000 10.17.32.5#62521 "
        "(www.google.com): view internal: query: www.google.com. IN AAAA +E(0)K (10.20.0.53)"
    )
    event = get_format("bind").new_parser(ParseContext(path="t.log")).parse(line)
    assert event is not None and event.destination_domain == "www.google.com"
    assert usual.key_time(line.encode()[: usual.key_len]) == event.timestamp


_TIMES = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z".format,
    st.one_of(st.integers(0, 9999), st.sampled_from([1900, 2000, 2024, 2100, 2400])),
    st.integers(0, 99),
    st.one_of(st.integers(0, 99), st.integers(28, 31)),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 999),
)
_NAMES = st.one_of(st.just("www.google.com"), st.text("a0.-_", min_size=1, max_size=8))


@settings(max_examples=3000, deadline=None)
@given(
    time=st.one_of(_TIMES, st.just("2026-08-03T07:00:05.123Z")),
    client=st.one_of(clients(), st.just("10.20.3.14"), st.just("2001:db8:5e::a1")),
    name=_NAMES,
    view=st.sampled_from(["", "view internal: ", "view a-b_1: "]),
)
def test_an_unflagged_query_line_is_an_event_at_its_time(
    time: str, client: str, name: str, view: str
) -> None:
    line = (
        f"{time} queries: info: client @0x7f64500020ef {client}#51514 ({name}): {view}"
        f"query: {name} IN A +E(0)K (10.20.0.53)"
    )
    hits: list[int] = []
    _UNUSUAL.scan(line.encode() + b"\n", match_event_handler=lambda *a: hits.append(1))
    if hits:
        return
    try:
        event = get_format("bind").new_parser(ParseContext(path="t.log")).parse(line)
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {line!r}") from None
    assert event is not None and event.destination_domain, line
    assert _PROFILE.key_time(line.encode()[: _PROFILE.key_len]) == event.timestamp, line
    assert int(time[17:19]) < 60, line  # the text orders the times
