"""No input, however malformed, makes a parser raise anything but MalformedLine."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import LogFormat, ParseContext, all_formats
from sentinelle.schema import Event

GOLDEN = Path(__file__).parent / "golden"
FORMATS = list(all_formats().values())


def _valid_lines(fmt: LogFormat) -> list[str]:
    lines = [fmt.example]
    for path in sorted((GOLDEN / fmt.name).glob("*.log")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()][:30]
    return lines


def _feed(fmt: LogFormat, lines: list[str]) -> None:
    parser = fmt.new_parser(ParseContext(options={}))
    for line in lines:
        try:
            result = parser.parse(line)
        except MalformedLine as e:
            assert e.reason
            continue
        assert result is None or isinstance(result, Event)
        if isinstance(result, Event):
            assert result.timestamp.tzinfo is not None
            d = result.destination_domain
            assert d is None or (d == d.lower() and not d.endswith(".") and ":" not in d)
            assert result.event_action in ("allowed", "blocked")


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_text_never_raises(fmt: LogFormat, data: st.DataObject) -> None:
    junk = data.draw(st.lists(st.text(max_size=300), max_size=5))
    raw = data.draw(st.binary(max_size=300)).decode("utf-8", "replace")
    _feed(fmt, [*junk, raw])


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_valid_lines_never_raise(fmt: LogFormat, data: st.DataObject) -> None:
    lines = _valid_lines(fmt)
    line = data.draw(st.sampled_from(lines))
    ops = data.draw(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.text(max_size=8)),
            min_size=1,
            max_size=4,
        )
    )
    for op, pos, text in ops:
        i = pos % (len(line) + 1)
        if op == 0:  # insert
            line = line[:i] + text + line[i:]
        elif op == 1:  # delete a span
            line = line[:i] + line[i + len(text) + 1 :]
        elif op == 2:  # truncate (UDP syslog cuts long messages)
            line = line[:i]
        else:  # replace a character
            line = line[:i] + text[:1] + line[i + 1 :]
    _feed(fmt, [*lines[:3], line])
