"""Walking usual lines with every instruction set of the native walker (the tests of the walker's
local-time keys share it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._time import LocalClock
from sentinelle.formats._usual import Layouts, Profile
from sentinelle.scan import fast, native

#: the tests of the walker itself, skipped where sentinelle was installed without a C compiler
needs_walker = pytest.mark.skipif(
    not native.available(), reason="the C extension is not built (no C compiler at install)"
)

#: (simd, generic): none, AVX2 and AVX-512, each interpreted and straight (where generated)
VARIANTS = [(simd, generic) for simd in (0, 1, 2) for generic in (False, True)]


def walk_everywhere(program: native.Program, lines: list[bytes]) -> tuple[bytes, native.Walked]:
    """The block of ``lines`` and its walk, checked to be the same with every variant."""
    block = b"\n".join(lines) + b"\n"
    walks = [native.walk(program, block, None, simd, generic) for simd, generic in VARIANTS]
    for w in walks[1:]:
        assert (w.lines, w.earliest, w.latest, w.zone, w.entries) == (
            walks[0].lines,
            walks[0].earliest,
            walks[0].latest,
            walks[0].zone,
            walks[0].entries,
        )
        assert (w.marked, w.no_host, w.skipped) == (
            walks[0].marked,
            walks[0].no_host,
            walks[0].skipped,
        )
        assert w.rows.tolist() == walks[0].rows.tolist()
    return block, walks[0]


@dataclass(frozen=True)
class SlashKey:
    """A ``DD/MM/YYYY`` date and a ``HH:MM:SS`` time (``MM/DD`` with ``mdy``), a possible time
    or not, as a walker's naive key of Forcepoint or Windows DNS may hold."""

    day: int
    month: int
    year: int
    hour: int
    seconds: int  # (the minutes too)
    mdy: bool

    @property
    def date(self) -> str:
        first, second = (self.month, self.day) if self.mdy else (self.day, self.month)
        return f"{first:02d}/{second:02d}/{self.year:04d}"

    @property
    def time(self) -> str:
        return f"{self.hour:02d}:{self.seconds:02d}:{self.seconds:02d}"

    @property
    def possible(self) -> bool:
        """A time the walker counts: years 1000 to 9998, a real day, hour, minute, second."""
        try:
            datetime(self.year, self.month, self.day, self.hour, self.seconds, self.seconds)
        except ValueError:
            return False
        return 1000 <= self.year <= 9998


#: the keys of the tests of the naive slash keys: many impossible, about half possible
SLASH_KEYS = st.builds(
    SlashKey,
    st.integers(0, 39),
    st.integers(0, 19),
    st.integers(990, 10_000),
    st.integers(0, 29),
    st.integers(0, 69),
    st.booleans(),
)


def is_offset(zone: str) -> bool:
    """Whether ``zone`` is an RFC 3339 offset the walker counts: ``Z``, or ``+HH:MM`` or
    ``-HH:MM`` with hours below 24 and minutes below 60 (``offset`` in ``scan/_lines.c``)."""
    return zone == "Z" or (
        len(zone) == 6
        and zone[0] in "+-"
        and zone[1:3].isdigit()
        and zone[3] == ":"
        and zone[4:].isdigit()
        and int(zone[1:3]) <= 23
        and int(zone[4:]) <= 59
    )


#: (year, month, day, hour, minute, second) for the tests of RFC 3339 times, each field a
#: little beyond its range
TIMES = st.tuples(
    st.integers(0, 10000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
)


def possible_time(when: tuple[int, ...]) -> bool:
    """Whether ``when`` (of :data:`TIMES`) is a time the walker counts: a date that exists, a
    year from 1000 to 9998 (``key_order`` in ``scan/_lines.c``)."""
    try:
        datetime(*when)
    except ValueError:
        return False
    return 1000 <= when[0] <= 9998


#: offsets for the tests of RFC 3339 times: written ones, and any text of their characters
OFFSETS = st.one_of(
    st.sampled_from(["Z", "+02:00", "-00:00", "+14:00", "-09:30"]),
    st.text("+-0123456789:Zz", max_size=7),
)


def mostly(good: list[str], anything: list[str]) -> st.SearchStrategy[str]:
    """One of ``good`` four times in five, else one of ``anything``: a random line's parts
    shaped as a walker's rules want them often enough that its usual lines get tested."""
    return st.sampled_from(good * max(1, 4 * len(anything) // len(good)) + anything)


class UsualLines:
    """A format's usual lines under test: its parser, its walk, its key's time."""

    def __init__(self, name: str) -> None:
        self.format = get_format(name)
        assert self.format.usual is not None
        self.profile = self.format.usual
        self.program = fast.program(self.profile)

    def parse(self, raw: bytes) -> object:
        """The parser's event of ``raw`` (a fresh parser: no state from other lines)."""
        return self.format.new_parser(ParseContext(path="t.log")).parse(raw.decode())

    def walk(self, lines: list[bytes]) -> tuple[bytes, native.Walked]:
        return walk_everywhere(self.program, lines)

    def key_time(self, block: bytes, at: int, zone: bytes | None) -> datetime:
        """The time of the key at ``at`` in ``block`` with the walk's pinned ``zone``."""
        assert zone is not None
        return self.profile.key_time(block[at : at + self.profile.key_len] + zone)


def check_layout_line(usual: Profile, layouts: Layouts, parser: Any, raw: bytes) -> None:
    """The contract on one line of a layout (of the format's ``layouts``) whose usual line is
    ``usual``, ``parser`` having read the layout's header: a line the walker counts is an
    event, not a line that sets another layout, with the walk's host name at its key's time;
    or, counted as skipped, a line the parser skips."""
    block, w = walk_everywhere(fast.program(usual), [raw])
    if w.rows.size:
        return  # for the parser
    try:
        event = parser.parse(raw.decode())
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    if w.skipped:  # counted as a line the parser skips (Windows DNS's packets sent, responses)
        assert event is None, raw
        assert layouts.layout_of(raw.decode()) is None, raw  # (it teaches nothing)
        return
    assert event is not None, raw
    layout = layouts.layout_of(raw.decode())  # (Windows DNS: a date order the line shows)
    assert layout is None or layouts.usual_for(layout) == usual, raw
    host = event.destination_domain
    if w.no_host:  # counted as an event without a host (Profile.hostless: Zeek's conn.log)
        assert host is None and usual.hostless, raw
    else:
        assert host is not None, raw
        names = w.entries.decode().rstrip("\n")[1:-1].split(". .")
        assert host.lower().rstrip(".") in [n.lower().rstrip(".") for n in names], raw
    moment = usual.key_time(block[w.earliest : w.earliest + usual.key_len])
    if usual.naive_key is not None:  # a local time, read in the parser's zone
        moment = LocalClock(parser.clock.tz).to_utc(moment)
    assert moment == event.timestamp, raw
