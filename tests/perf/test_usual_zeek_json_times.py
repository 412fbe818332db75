"""Zeek's JSON records whose ``ts`` is not epoch seconds, as ``LogAscii::json_timestamps``
writes it: an ISO 8601 string (``JSON::TS_ISO8601``, Corelight's and Security Onion's
setting) or an integer of milliseconds (``JSON::TS_MILLIS``).  Each has its own layout
(:data:`~sentinelle.formats.zeek.JSON_ISO`, :data:`~sentinelle.formats.zeek.JSON_MILLIS`),
set by the first such record of a JSON file, and its usual line, the epoch records' but for
``ts``: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, a possible UTC time (the walker's key, its ``Z`` in the
string), or 13 digits (``json_pairs`` in ``scan/_lines.c``).

A line the native walker counts is the parser's event, with the walk's host name at its key's
time, and sets the layout it is counted by; any other line is the parser's.  (Both engines
store the same rows on a file of every kind of ``ts``:
``test_engines_agree.test_zeek_json_files_of_each_time_format``.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._usual import FreePairs, Profile
from sentinelle.formats.zeek import (
    JSON,
    JSON_ISO,
    JSON_MILLIS,
    LAYOUTS,
    USUAL,
    USUAL_ISO,
    USUAL_MILLIS,
    directive,
    layout_of,
)
from tests.perf._walks import needs_walker
from tests.perf.test_usual_profiles import edited
from tests.perf.test_usual_zeek import DNS, HTTP, RECORD, check_record, line, walker_says
from tests.perf.test_usual_zeek_tsv import FIELDS, layout

ZEEK = get_format("zeek")

#: a ``ts`` as Zeek's ISO 8601 writer puts it
TS = "2026-08-01T08:20:19.033100Z"


def iso(changes: dict[str, Any] | None = None, base: dict[str, Any] = RECORD, **kw: Any) -> str:
    """``base`` as Zeek writes it with ISO times (see ``test_usual_zeek.line``)."""
    return line({"ts": TS, **(changes or {})}, base=base, **kw)


def _walker_says(text: str, usual: Profile = USUAL_ISO) -> str | None:
    return walker_says(text, usual)


def _check(raw: bytes, usual: Profile = USUAL_ISO) -> None:
    """Counted, a line is the parser's event with the walk's host at its key's time, and a
    line that sets the layout it is counted by."""
    if check_record(raw, usual):
        layout = JSON_ISO if usual is USUAL_ISO else JSON_MILLIS
        assert layout_of(raw.decode("utf-8", "surrogateescape")) == layout, raw


def test_the_layouts_of_json_records() -> None:
    """A JSON record's ``ts`` tells its layout: epoch seconds, an ISO string or milliseconds.
    Each has its usual line, the same but for ``ts``; none has header lines.  A record
    without such a ``ts`` (cut short, or with blanks the walker does not read) sets none."""
    assert layout_of(iso()) == JSON_ISO and layout_of(iso(base=DNS)) == JSON_ISO
    assert layout_of(line()) == JSON and layout_of(line({"ts": 1785524419.5})) == JSON
    assert layout_of(line({"ts": 1785524419033})) == JSON_MILLIS
    assert layout_of(line(drop=("ts",), k_ts='"2026-08-01T08:20:19Z"')) == JSON_ISO
    for no_layout in (
        line()[:16],  # cut short
        line({"ts": 1785524419}),
        line({"ts": 17855244190}),
        line({"ts": "x"}),
        line(drop=("ts",)),
        line().replace('"ts":', '"ts":\t', 1),
    ):
        assert layout_of(no_layout) is None, no_layout
    for blanks in ('"ts" : ', '"ts": '):  # (blanks where the walker reads JSON's)
        assert layout_of(line().replace('"ts":', blanks, 1)) == JSON
        assert layout_of(line({"ts": 1785524419033}).replace(",", " ,", 1)) == JSON_MILLIS
    assert LAYOUTS.usual_for(JSON) is USUAL
    assert LAYOUTS.usual_for(JSON_ISO) is USUAL_ISO
    assert LAYOUTS.usual_for(JSON_MILLIS) is USUAL_MILLIS
    assert directive(JSON_ISO) == directive(JSON_MILLIS) == directive(JSON) == ""
    assert USUAL_ISO.utc_key and USUAL_ISO.native_only and USUAL_ISO.key_len == 26
    assert USUAL_MILLIS.native_only and USUAL_MILLIS.key_len == 13
    pairs: tuple[FreePairs, ...] = USUAL.free_pairs  # type: ignore[assignment]
    assert USUAL_ISO.free_pairs == tuple(replace(p, epoch=None, time="ts") for p in pairs)
    assert USUAL_MILLIS.free_pairs == tuple(replace(p, millis=True) for p in pairs)
    assert all(b"\n;ts\n" in p.rules() for p in USUAL_MILLIS.free_pairs)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="milliseconds are an epoch's"):
        replace(pairs[0], epoch=None, time="ts", millis=True)
    with pytest.raises(ValueError, match="13 digits"):  # (else no line would ever be usual)
        replace(USUAL_MILLIS, key_len=17)


def test_a_json_record_sets_no_layout_after_a_tsv_header() -> None:
    """In a TSV file (its header read), a stray JSON record sets no layout: the TSV records
    after it stay walked by the header's usual line."""
    parser = ZEEK.new_parser(ParseContext(path="ssl.log"))
    assert parser.layout_of(LAYOUTS, iso()) == JSON_ISO  # (no header yet)
    ssl = layout("ssl", FIELDS["ssl"])
    for header_line in directive(ssl).split("\n"):
        parser.parse(header_line)
    assert parser.layout_of(LAYOUTS, "#fields\t" + "\t".join(FIELDS["ssl"])) == ssl
    assert parser.layout_of(LAYOUTS, iso()) is None
    assert parser.layout_of(LAYOUTS, line()) is None


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (iso(), "chatgpt.com"),
        (iso({"ts": "2028-02-29T23:59:59.999999Z"}), "chatgpt.com"),  # (a leap day)
        (iso({"ts": "1970-01-01T00:00:00.000000Z"}), "chatgpt.com"),
        (iso({"server_name": "API.OpenAI.com"}), "API.OpenAI.com"),
        (iso(base=HTTP), "chatgpt.com"),
        (iso(base=DNS), "chatgpt.com"),  # (a DNS query: counted apart)
        (iso({"id.orig_h": "2001:db8::7"}, base=HTTP), "chatgpt.com"),
        (line(drop=("ts",), k_ts=f'"{TS}"'), "chatgpt.com"),  # (ts last)
        # the parser's
        (iso({"ts": "2026-08-01T08:20:19.033100"}), None),  # no Z: a local time, the clock's
        (iso({"ts": "2026-08-01T08:20:19.033100+00:00"}), None),
        (iso({"ts": "2026-08-01T08:20:19.033100z"}), None),
        (iso({"ts": "2026-08-01T08:20:19.033Z"}), None),  # milliseconds
        (iso({"ts": "2026-08-01T08:20:19Z"}), None),
        (iso({"ts": "2026-08-01T08:20:19.1000000Z"}), None),  # Zeek's rounding: 7 digits
        (iso({"ts": "2026-08-01 08:20:19.033100Z"}), None),
        (iso({"ts": "2026-08-01t08:20:19.033100Z"}), None),
        (iso({"ts": "2026-02-29T08:20:19.033100Z"}), None),  # rejected: not a leap year
        (iso({"ts": "2026-08-01T24:00:00.000000Z"}), None),  # rejected
        (iso({"ts": "2026-08-01T08:20:60.000000Z"}), None),  # (a leap second)
        (iso({"ts": "2026-13-01T08:20:19.033100Z"}), None),  # rejected
        (iso({"ts": "+2026-08-01T08:20:19.03310Z"}), None),
        (iso({"ts": "2026-08-01T08:20:19.03310xZ"}), None),  # rejected
        (iso({"ts": 1785524419.0331}), None),  # a number: the other layout's
        (iso({"ts": 1785524419033}), None),  # JSON::TS_MILLIS: the parser's
        (iso(k_ts=f'"{TS}"'), None),  # twice
        (line(drop=("ts",), k_ts='"2026\\u002d08-01T08:20:19.033100Z"'), None),  # an escape
        (iso(drop=("server_name",)), None),
        (iso({"method": "GET"}), None),
        (iso({"id.orig_h": "10.17.8.256"}), None),  # rejected
        (iso({"uri": "http://chatgpt.com/"}, base=HTTP), None),
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_a_line(raw: str, host: str | None) -> None:
    assert _walker_says(raw) == host, raw
    _check(raw.encode())


_LINES = tuple(
    iso(
        {
            "ts": (datetime(2026, 8, 1, tzinfo=UTC) + timedelta(seconds=97.25 * k)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "server_name": f"site{k}.example.fr",
            "host": f"www{k}.example.fr",
            "query": f"q{k}.example.fr",
        },
        base=(RECORD, HTTP, DNS)[k % 3],
    ).encode()
    for k in range(12)
)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("zeek", _LINES))
def test_a_usual_line_is_an_event_with_the_walks_host_at_its_keys_time(raw: bytes) -> None:
    _check(raw)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    parts=st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 19),
        st.integers(0, 39),
        st.integers(0, 29),
        st.integers(0, 69),
        st.integers(0, 69),
        st.integers(0, 999_999),
    )
)
@example(parts=(2024, 2, 29, 23, 59, 59, 999_999))
@example(parts=(2100, 2, 29, 0, 0, 0, 0))
@example(parts=(9998, 12, 31, 23, 59, 59, 0))
def test_the_time_is_the_parsers(parts: tuple[int, ...]) -> None:
    """Any ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` of digits: counted when it is a possible time
    (years 1000 to 9998, a real day, hour, minute and second), at the time the parser reads."""
    year, month, day, hour, minute, second, micros = parts
    ts = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{micros:06d}Z"
    raw = iso({"ts": ts})
    try:
        moment = datetime(year, month, day, hour, minute, second, micros, UTC)
    except ValueError:
        possible = False
    else:
        possible = 1000 <= year <= 9998
    assert (_walker_says(raw) == "chatgpt.com") == possible, raw
    _check(raw.encode())
    if possible:
        assert USUAL_ISO.key_time(ts[:-1].encode()) == moment


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        *((line({"ts": 1785524419033}, base=base), "chatgpt.com") for base in (HTTP, DNS)),
        (line({"ts": 1785524419033}), "chatgpt.com"),
        (line({"ts": 1000000000000}), "chatgpt.com"),
        (line({"ts": 9999999999999}), "chatgpt.com"),
        (line(drop=("ts",), k_ts="1785524419033"), "chatgpt.com"),  # (ts last)
        # the parser's
        (line({"ts": 178552441903}), None),  # 12 digits
        (line({"ts": 17855244190330}), None),  # 14
        (line({"ts": 1785524419.033}), None),  # seconds: the other layout's
        (line({"ts": "1785524419033"}), None),  # a string
        (line({"ts": -1785524419033}), None),
        (line(drop=("ts",), k_ts="1785524419e03"), None),
        (line(drop=("ts",), k_ts="17855244190x3"), None),  # rejected: not JSON
        (line({"ts": 1785524419033}, k_ts="1785524419033"), None),  # twice
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_milliseconds(raw: str, host: str | None) -> None:
    assert _walker_says(raw, USUAL_MILLIS) == host, raw
    _check(raw.encode(), USUAL_MILLIS)


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(ts=st.integers(0, 10**14), base=st.sampled_from([RECORD, HTTP, DNS]))
@example(ts=10**12, base=RECORD)
@example(ts=10**13 - 1, base=DNS)
def test_the_milliseconds_are_the_parsers(ts: int, base: dict[str, Any]) -> None:
    """Any integer ``ts``: counted when it has 13 digits, at the time the parser reads."""
    raw = line({"ts": ts}, base=base)
    assert (_walker_says(raw, USUAL_MILLIS) is not None) == (10**12 <= ts < 10**13), raw
    _check(raw.encode(), USUAL_MILLIS)


_MILLIS_LINES = tuple(
    line(
        {"ts": 1785524419033 + 97_250 * k, "server_name": f"site{k}.example.fr"},
        base=(RECORD, HTTP, DNS)[k % 3],
    ).encode()
    for k in range(12)
)


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("zeek", _MILLIS_LINES))
@example(raw=_MILLIS_LINES[0].replace(b",", b" ,", 1))  # (a blank: found by a CI run)
def test_a_usual_millisecond_line_is_an_event_with_the_walks_host_at_its_keys_time(
    raw: bytes,
) -> None:
    _check(raw, USUAL_MILLIS)
