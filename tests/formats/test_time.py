"""Local clocks across DST changes, offsets and the vendor timestamp shapes of ``_time``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import _time
from sentinelle.formats._time import (
    LocalClock,
    parse_clf,
    parse_epoch,
    parse_iso,
    parse_offset,
    read_iso,
    utc_written,
)

PARIS = ZoneInfo("Europe/Paris")
# 2024-10-27: 03:00 CEST → 02:00 CET, so 02:00–02:59 happens twice (00:00–01:59 UTC).
FALL_BACK_UTC = datetime(2024, 10, 27, 1, 0, tzinfo=UTC)


def _local(instant: datetime) -> datetime:
    return instant.astimezone(PARIS).replace(tzinfo=None)


def test_plain_local_time() -> None:
    clock = LocalClock(PARIS)
    assert clock.to_utc(datetime(2024, 7, 1, 12, 0)) == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)
    assert clock.to_utc(datetime(2024, 1, 1, 12, 0)) == datetime(2024, 1, 1, 11, 0, tzinfo=UTC)
    assert clock.nonexistent == clock.ambiguous == 0


def test_spring_gap_is_shifted_forward_and_counted() -> None:
    clock = LocalClock(PARIS)
    got = clock.to_utc(datetime(2024, 3, 31, 2, 30))
    assert got == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # = 03:30 CEST
    assert clock.nonexistent == 1


def test_repeated_hour_resolved_by_order() -> None:
    clock = LocalClock(PARIS)
    walls = [(1, 50), (2, 10), (2, 50), (2, 5), (2, 40), (3, 5)]
    got = [clock.to_utc(datetime(2024, 10, 27, h, m)) for h, m in walls]
    expected = [(23, 50, 26), (0, 10, 27), (0, 50, 27), (1, 5, 27), (1, 40, 27), (2, 5, 27)]
    assert got == [datetime(2024, 10, d, h, m, tzinfo=UTC) for h, m, d in expected]
    assert clock.ambiguous == 0


def test_repeated_hour_without_evidence_is_first_and_flagged() -> None:
    clock = LocalClock(PARIS)
    assert clock.to_utc(datetime(2024, 10, 27, 2, 30)) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert clock.ambiguous == 1


def test_small_disorder_stays_in_first_occurrence() -> None:
    clock = LocalClock(PARIS)
    clock.to_utc(datetime(2024, 10, 27, 1, 59))
    a = clock.to_utc(datetime(2024, 10, 27, 2, 30, 10))
    b = clock.to_utc(datetime(2024, 10, 27, 2, 30, 5))  # written 5 s out of order
    assert b - a == timedelta(seconds=-5)


def test_aware_input_is_converted() -> None:
    aware = datetime(2024, 10, 27, 2, 30, tzinfo=timezone(timedelta(hours=2)))
    assert LocalClock(PARIS).to_utc(aware) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)))
def test_round_trip_of_unambiguous_local_times(naive: datetime) -> None:
    first = naive.replace(tzinfo=PARIS, fold=0).utcoffset()
    second = naive.replace(tzinfo=PARIS, fold=1).utcoffset()
    clock = LocalClock(PARIS)
    utc = clock.to_utc(naive)
    if first == second:
        assert _local(utc) == naive
        assert clock.nonexistent == clock.ambiguous == 0
    elif clock.nonexistent:
        assert _local(utc) == naive + (second - first if second and first else timedelta(0))
    else:
        assert clock.ambiguous == 1 and _local(utc) == naive


@given(
    st.lists(st.integers(min_value=1, max_value=50 * 60), min_size=1, max_size=40),
    st.integers(min_value=0, max_value=3 * 3600),
)
def test_monotone_sequences_across_fall_back_are_exact(gaps: list[int], start: int) -> None:
    # Start before the repeated hour (00:00–02:00 UTC) so the file's order is evidence.
    instant = FALL_BACK_UTC - timedelta(hours=1, seconds=start + 1)
    clock = LocalClock(PARIS)
    assert clock.to_utc(_local(instant)) == instant
    for gap in gaps:
        instant += timedelta(seconds=gap)
        assert clock.to_utc(_local(instant)) == instant
    assert clock.ambiguous == 0


@pytest.mark.parametrize(
    ("text", "hours"),
    [("+0100", 1), ("+01:00", 1), ("-0530", -5.5), ("-05", -5), ("Z", 0), ("UTC", 0)],
)
def test_parse_offset(text: str, hours: float) -> None:
    assert parse_offset(text) == timezone(timedelta(hours=hours))


@pytest.mark.parametrize("bad", ["+1", "0100", "+2500", "CEST", ""])
def test_parse_offset_rejects(bad: str) -> None:
    with pytest.raises(MalformedLine):
        parse_offset(bad)


def test_iso_shapes() -> None:
    clock = LocalClock(PARIS)
    want = datetime(2024, 3, 9, 9, 0, tzinfo=UTC)
    assert parse_iso("2024-03-09T09:00:00Z", clock) == want
    assert parse_iso("2024-03-09T10:00:00.000+01:00", clock) == want
    assert parse_iso("2024-03-09 10:00:00+0100", clock) == want
    assert parse_iso("2024-03-09 10:00:00", clock) == want  # naive → Paris
    assert read_iso("2024-03-09T10:00:00").tzinfo is None
    with pytest.raises(MalformedLine):
        parse_iso("2024-02-30T10:00:00Z", clock)
    with pytest.raises(MalformedLine):
        parse_iso("09/03/2024 10:00", clock)


def test_clf() -> None:
    assert parse_clf("[10/Oct/2000:13:55:36 -0700]") == datetime(
        2000, 10, 10, 20, 55, 36, tzinfo=UTC
    )
    with pytest.raises(MalformedLine):
        parse_clf("10/Foo/2000:13:55:36 -0700")


@pytest.mark.parametrize(
    "text",
    ["1700000000", "1700000000.5", "1700000000500", "1700000000500000", "1700000000500000000"],
)
def test_epoch_precisions(text: str) -> None:
    got = parse_epoch(text)
    assert got.replace(microsecond=0) == datetime.fromtimestamp(1700000000, UTC)


def test_epoch_rejects() -> None:
    with pytest.raises(MalformedLine):
        parse_epoch("17e9")


def _read_iso_directly(text: str) -> datetime:
    """ISO 8601 as read_iso reads it, without its per-second cache."""
    m = _time._ISO.match(text.strip())
    if m is None:
        raise MalformedLine(f"timestamp {text!r} is not ISO 8601 (YYYY-MM-DDTHH:MM:SS)")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    naive = _time.build(y, mo, d, h, mi, s, _time._fraction(m.group(7)))
    if m.group(8) is None:
        return naive
    return naive.replace(tzinfo=_time.parse_offset(m.group(8)))


_iso_text = st.builds(
    "{}-{:02}-{:02}{}{:02}:{:02}:{:02}{}{}".format,
    st.sampled_from(["2026", "1999", "0001", "9999"]),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", " "]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", ".1", ".123", ",5", ".123456789", ".0"]),
    st.sampled_from(["", "Z", "z", "+01:00", "-0530", "+24:00", "+02", " Z"]),
)


@settings(max_examples=500, deadline=None)
@given(texts=st.lists(_iso_text, min_size=1, max_size=6))
def test_read_iso_cache_changes_nothing(texts: list[str]) -> None:
    """The per-second cache gives the same value, offset and error as reading directly."""
    for text in texts * 2:  # the second time from the cache
        try:
            want: object = _read_iso_directly(text)
        except MalformedLine as e:
            want = ("error", e.reason)
        try:
            got: object = _time.read_iso(text)
        except MalformedLine as e:
            got = ("error", e.reason)
        assert got == want
        if isinstance(got, datetime):
            assert got.tzinfo == want.tzinfo  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("naive", "zone"),
    [
        (datetime(1, 1, 1, 0, 5), "Europe/Paris"),  # LMT, +00:09:21: UTC in year 0
        (datetime(9999, 12, 31, 23, 30), "America/New_York"),  # UTC: year 10000
    ],
)
def test_local_time_past_the_calendar_is_malformed(naive: datetime, zone: str) -> None:
    clock = LocalClock(ZoneInfo(zone))
    with pytest.raises(MalformedLine, match="out of range in UTC"):
        clock.to_utc(naive)
    with pytest.raises(MalformedLine, match="out of range in UTC"):
        clock.to_utc(naive.replace(tzinfo=ZoneInfo(zone)))
    # the calendar's first and last instants themselves are read
    assert clock.to_utc(datetime(1, 1, 1, tzinfo=UTC)) == datetime(1, 1, 1, tzinfo=UTC)
    assert utc_written("0001-01-01 00:30:00", "+0100") is None  # the general way says why
    assert utc_written("0001-01-01 01:30:00", "+0100") == datetime(1, 1, 1, 0, 30, tzinfo=UTC)


_ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_ZONES),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31)),
    st.one_of(st.integers(0, 50 * 3600), st.integers(0, 400 * 86400)),
    st.lists(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31))),
)
def test_a_regular_span_is_read_by_its_hours_alone(
    zone: str, first: datetime, seconds: int, before: list[datetime]
) -> None:
    """``regular(first, last)``: every time of the span is read as its hour's offset says,
    whatever the clock read before (the scanner's fast path reads such blocks without the
    parser); ``regular_utc`` reads it so and leaves the clock's order alone.  A span that is
    not regular holds a time whose two readings differ (a skipped or repeated hour), or is
    longer than a year.  Spans of up to 400 days: those over two days are checked day by
    day."""
    tz = ZoneInfo(zone)
    last = first + timedelta(seconds=seconds)
    clock = LocalClock(tz)
    for naive in before:  # any order read before
        clock.to_utc(naive)
    prev, reads = clock._prev, clock.reads
    hours = []
    hour = first.replace(minute=0, second=0, microsecond=0)
    while hour <= last:
        hours.append(hour)
        hour += timedelta(hours=1)
    changes = [
        t + timedelta(minutes=m)
        for t in hours
        for m in range(0, 60, 15)
        if (t + timedelta(minutes=m)).replace(tzinfo=tz, fold=0).utcoffset()
        != (t + timedelta(minutes=m)).replace(tzinfo=tz, fold=1).utcoffset()
    ]
    if clock.regular(first, last):
        assert len(hours) <= 24 * 366 and not changes
        for naive in (first, last, *hours[:: max(1, len(hours) // 50)]):
            expected = LocalClock(tz).to_utc(naive)
            assert clock.regular_utc(naive) == expected
            assert (clock._prev, clock.reads) == (prev, reads)
    else:
        assert changes or len(hours) > 24 * 366


def test_regular_spans_around_paris_changes() -> None:
    clock = LocalClock(PARIS)
    assert clock.regular(datetime(2026, 10, 25, 0, 0), datetime(2026, 10, 25, 1, 59, 59))
    assert not clock.regular(datetime(2026, 10, 25, 1, 59), datetime(2026, 10, 25, 2, 0))
    assert not clock.regular(datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 2, 31))
    assert clock.regular(datetime(2026, 10, 25, 3, 0), datetime(2026, 10, 25, 4, 0))
    assert not clock.regular(datetime(2026, 3, 29, 2, 10), datetime(2026, 3, 29, 2, 10))
    assert clock.regular(datetime(2026, 4, 1), datetime(2026, 10, 25, 1, 59))  # (day by day)
    assert not clock.regular(datetime(2026, 4, 1), datetime(2026, 10, 25, 3))  # a change within
    assert not clock.regular(datetime(2026, 3, 1), datetime(2026, 11, 1))  # two, offsets equal
    assert not clock.regular(datetime(2026, 1, 1), datetime(2027, 1, 2))  # over a year
    assert not clock.regular(datetime(2026, 7, 1, 1), datetime(2026, 7, 1))  # backwards
    with pytest.raises(ValueError, match="not in a regular hour"):
        clock.regular_utc(datetime(2026, 10, 25, 2, 30))


def test_settle_is_called_before_a_repeated_hour_is_read_by_the_time_before() -> None:
    clock = LocalClock(PARIS)
    calls: list[int] = []

    def settle() -> None:  # what the scanner does: the time of a line read without the parser
        calls.append(1)
        clock.to_utc(datetime(2026, 10, 25, 1, 59, 50))

    clock.settle = settle
    assert clock.to_utc(datetime(2026, 7, 1, 12)) == datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert not calls  # a regular hour: nothing to settle
    assert clock.to_utc(datetime(2026, 10, 25, 2, 0, 10)) == datetime(
        2026, 10, 25, 0, 0, 10, tzinfo=UTC
    )
    assert calls == [1] and clock.ambiguous == 0 and clock.reads == 3
