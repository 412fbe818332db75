"""The bind profile's client traps flag exactly the runs that are not an address, and a query
line with any time, client or name that the profile leaves unflagged is an event with its host
and time (the generic contract, on the simulated lines mutated, is ``test_usual_profiles.py``'s).
"""

from __future__ import annotations

import ipaddress

import hyperscan
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import ip_traps
from sentinelle.formats.bind import BindFormat
from sentinelle.scan.prefilter import EXACT, PatternSet, compile_patterns

_PROFILE = BindFormat.usual


def _database(patterns: tuple[bytes, ...]) -> hyperscan.Database:
    n = len(patterns)
    return compile_patterns(PatternSet(patterns, (EXACT,) * n, ("x",) * n))


_UNUSUAL = _database(tuple(_PROFILE.flags_unusual()))
_TRAPS = _database(ip_traps(rb"^x ", rb"#"))
_SPACED = _database(ip_traps(rb"^x ", rb"[ \t]"))  # as the WSA's client, a field


def _flagged(text: str, db: hyperscan.Database = _TRAPS, after: bytes = b"#53 y") -> bool:
    hits: list[int] = []
    db.scan(b"x " + text.encode() + after + b"\n", match_event_handler=lambda *a: hits.append(1))
    return bool(hits)


def _v6(value: int, exploded: bool) -> str:
    address = ipaddress.IPv6Address(value)
    return address.exploded if exploded else address.compressed


def _clients() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text("0123456789abcdef.:", min_size=1, max_size=24),
        st.text("0123456789.:", min_size=1, max_size=24),
        st.text("0:1f.", min_size=1, max_size=20),
        _GROUPS.map(":".join),
        st.lists(st.integers(0, 300), min_size=3, max_size=5).map(lambda v: ".".join(map(str, v))),
        st.builds(
            _v6,
            st.one_of(
                st.integers(0, 2**128 - 1),
                st.integers(0, 2**16 - 1).map(lambda v: v << 112),
                st.integers(0, 2**32 - 1),
                st.integers(0, 2**48 - 1).map(lambda v: (0x20010DB8 << 96) | v),
            ),
            st.booleans(),
        ),
    )


_GROUPS = st.lists(
    st.one_of(st.just(""), st.text("0123456789abcdef", min_size=1, max_size=5)),
    min_size=1,
    max_size=10,
)


@settings(max_examples=4000, deadline=None)
@given(text=_clients())
def test_client_traps_flag_exactly_what_is_not_an_address(text: str) -> None:
    assert _flagged(text) == (canonical_ip(text) is None), text
    assert _flagged(text, _SPACED, b"\t200 y") == (canonical_ip(text) is None), text


def test_common_clients() -> None:
    good = ["10.16.0.126", "0.0.0.0", "255.255.255.255", "::", "::1", "1::", "2001:db8:5e::a1"]
    good += ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3::5:6:7:8"]
    bad = ["1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4a", "::ffff:1.2.3.4", "1:2"]
    bad += ["1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1::", "1::2:", "12345::", "a", "123"]
    bad += ["1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3::4:5:6:7:8", "1:2:3:4:5:6:7"]
    assert [t for t in good if _flagged(t)] == []
    assert [t for t in bad if not _flagged(t)] == []


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
    client=st.one_of(_clients(), st.just("10.20.3.14"), st.just("2001:db8:5e::a1")),
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
