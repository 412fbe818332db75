"""A bind query line the native walker counts is an event with the walk's host name at its
key's time, a DNS query (the walk marks it); any other line is the parser's.  (The generic
contract, on the simulated lines mutated, is ``test_usual_profiles.py``'s; both engines store
the same rows: ``test_engines_agree.py``.)
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.bind import BindFormat
from sentinelle.scan import fast
from tests.perf._addresses import clients
from tests.perf._walks import needs_walker, walk_everywhere

_PROFILE = BindFormat.usual
assert _PROFILE is not None


def _line(time: str, client: str, name: str, view: str = "", name1: str | None = None) -> str:
    return (
        f"{time} queries: info: client @0x7f64500020ef {client}#51514 "
        f"({name if name1 is None else name1}): {view}query: {name} IN A +E(0)K (10.20.0.53)"
    )


def test_key_time_is_the_parsers_time() -> None:
    line = (
        "2026-02-28T23:59:59.999Z queries: info: client @0x7f00004f6000 10.17.32.5#62521 "
        "(www.google.com): view internal: query: www.google.com. IN AAAA +E(0)K (10.20.0.53)"
    )
    event = get_format("bind").new_parser(ParseContext(path="t.log")).parse(line)
    assert event is not None and event.destination_domain == "www.google.com"
    assert _PROFILE.key_time(line.encode()[: _PROFILE.key_len]) == event.timestamp
    assert event.timestamp == datetime(2026, 2, 28, 23, 59, 59, 999000, tzinfo=UTC)


def test_the_native_walker_reads_it() -> None:
    assert _PROFILE.walked and _PROFILE.native_only and _PROFILE.dns_element is not None
    assert not _PROFILE.dns  # (the portable engine's: the walker counts by the DNS element)


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
_NAMES = st.one_of(
    st.sampled_from(["www.google.com", "chatgpt.com.", "1.2.3.4", "_dmarc.example.fr", "."]),
    st.text("a0.-_:A", min_size=1, max_size=8),
)


@needs_walker
@settings(max_examples=2000, deadline=None)
@given(
    time=st.one_of(_TIMES, st.just("2026-08-03T07:00:05.123Z")),
    client=st.one_of(clients(), st.sampled_from(["10.20.3.14", "2001:db8:5e::a1", "10.1.2.03"])),
    name=_NAMES,
    view=st.sampled_from(["", "view internal: ", "view a-b_1: ", "view : "]),
    name1=st.sampled_from([None, "", "x y"]),
)
@example(time="2026-08-03T07:00:60.123Z", client="10.1.2.3", name="a.fr", view="", name1=None)
@example(time="2026-02-29T07:00:05.123Z", client="10.1.2.3", name="a.fr", view="", name1=None)
def test_a_counted_query_line_is_a_dns_event_with_the_walks_host_at_its_time(
    time: str, client: str, name: str, view: str, name1: str | None
) -> None:
    raw = _line(time, client, name, view, name1).encode()
    block, w = walk_everywhere(fast.program(_PROFILE), [raw])
    if w.rows.size:
        return  # for the parser
    try:
        event = get_format("bind").new_parser(ParseContext(path="t.log")).parse(raw.decode())
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None and event.destination_domain, raw
    assert event.network_protocol == "dns" and w.marked == 1, raw
    names = w.entries.decode().rstrip("\n")[1:-1].split(". .")
    assert event.destination_domain.lower() in [n.lower().rstrip(".") for n in names], raw
    key = block[w.earliest : w.earliest + _PROFILE.key_len]
    assert _PROFILE.key_time(key) == event.timestamp, raw
    assert int(time[17:19]) < 60, raw  # the text orders the times


@needs_walker
def test_common_lines() -> None:
    said = {
        (time, client): walk_everywhere(
            fast.program(_PROFILE), [_line(time, client, "chatgpt.com").encode()]
        )[1].rows.size
        == 0
        for time, client in [
            ("2026-08-03T07:00:05.123Z", "10.20.3.14"),
            ("2026-08-03T07:00:05.123Z", "2001:db8::1"),
            ("2026-08-03T07:00:60.123Z", "10.20.3.14"),  # read as :59 by the parser
            ("2026-02-30T07:00:05.123Z", "10.20.3.14"),
            ("2026-08-03T07:00:05.123Z", "10.20.3.256"),
            ("2026-08-03T07:00:05.123Z", "10.20.3"),
        ]
    }
    assert list(said.values()) == [True, True, False, False, False, False]
