"""Vendor timestamps to UTC: local clocks across DST changes, offsets, common timestamp shapes.

Every helper raises :class:`~sentinelle.errors.MalformedLine` (a ``ValueError``) with the offending
value, so parsers can let it propagate as a rejection.

Naive local times go through a per-file :class:`LocalClock`:

* a *nonexistent* time (the skipped spring hour, 02:30 on the last Sunday of March in Paris) is
  shifted forward by the gap (read with the offset before the change) and counted;
* an *ambiguous* time (the repeated autumn hour) is resolved by the order of the file: the
  earliest reading not before the previous record (so a time that goes backwards inside the
  repeated hour moves to the second occurrence); with no previous record to go by, or when both
  readings are before it, the first occurrence is taken and counted in ``ambiguous`` — flagged,
  never silently shifted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from sentinelle.errors import MalformedLine

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

# Records written a little out of order (threads finishing in another order) stay in the
# first occurrence of a repeated hour as long as they go back by less than this.
_JITTER = timedelta(minutes=2)
# A previous record further back than this says nothing about which occurrence follows.
_EVIDENCE = timedelta(hours=1)

_OFFSET = re.compile(r"^(?:Z|UTC|GMT|([+-])(\d{2}):?(\d{2})?)$", re.IGNORECASE)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_CLF = re.compile(
    r"^\[?(\d{1,2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
    r"\s+([+-]\d{4})\]?$"
)
_EPOCH = re.compile(r"^(\d{1,19})(?:\.(\d{1,9}))?$")
_UNKNOWN = object()  # (a dict's miss, where None is a value)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
#: a span :meth:`LocalClock.regular` checks hour by hour; a longer one day by day
_LONG = timedelta(hours=48)


def in_utc(moment: datetime) -> datetime:
    """``moment`` (aware) in UTC, or :class:`MalformedLine` when UTC has no such day: the first
    hours of year 1 at a positive offset, the last of year 9999 at a negative one (``astimezone``
    raises ``OverflowError``, which a scan would show as a parser error)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise MalformedLine(
            f"time {moment.isoformat()} is out of range in UTC (years 1 to 9999)"
        ) from None


class LocalClock:
    """Turns one file's naive local times into UTC, resolving DST gaps and repeats in order."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.nonexistent = 0  # spring-gap times shifted forward
        self.ambiguous = 0  # repeated-hour times the file's order could not resolve
        self._prev: datetime | None = None  # UTC of the previous local time read
        self.reads = 0  # local times read (the scanner's fast path sees which lines read one)
        #: called before a repeated-hour time is read by the previous one (:meth:`_choose`):
        #: the scanner's fast path, which reads most lines without the parser, brings the
        #: clock to the time of the line before then (see ``_Timeline`` in ``scan/fast.py``)
        self.settle: Callable[[], None] | None = None
        self._last_month: int | None = None  # for syslog Dec→Jan year rollover
        self._year_shift = 0
        #: local hour (its first second, naive) -> its UTC offset, or None when the zone
        #: changes offset within it or at its end (see :meth:`_regular_offset`)
        self._hours: dict[datetime, timedelta | None] = {}

    def to_utc(self, naive: datetime) -> datetime:
        """UTC instant of ``naive`` (local wall time in ``tz``); aware values are just converted."""
        if naive.tzinfo is not None:
            return in_utc(naive)
        # Most hours have one offset all along: read once an hour (~1 µs a line less).
        hour = naive.replace(minute=0, second=0, microsecond=0, fold=0)
        offset = self._hours.get(hour, _UNKNOWN)
        if offset is _UNKNOWN:
            offset = self._offset(hour)
        if offset is not None:
            result = (naive - offset).replace(tzinfo=UTC, fold=0)  # type: ignore[operator]
            self._prev = result
            self.reads += 1
            return result
        first = in_utc(naive.replace(tzinfo=self.tz, fold=0))
        second = in_utc(naive.replace(tzinfo=self.tz, fold=1))
        if first == second:
            result = first
        elif _wall(first, self.tz) != naive:
            self.nonexistent += 1  # fold=0 reads a gap time with the earlier offset: forward
            result = first
        else:
            result = self._choose(min(first, second), max(first, second))
        self._prev = result
        self.reads += 1
        return result

    def saw(self, moment: datetime) -> None:
        """``moment`` (UTC) is the time of a line read without the clock, the last before the
        one being read: the clock's last time, as if it had read it (see ``settle``)."""
        self._prev = moment

    def _offset(self, naive: datetime) -> timedelta | None:
        """The UTC offset of every time of ``naive``'s hour, or None (see
        :meth:`_regular_offset`), remembered."""
        hour = naive.replace(minute=0, second=0, microsecond=0, fold=0)
        offset = self._hours.get(hour, _UNKNOWN)
        if offset is _UNKNOWN:
            offset = self._regular_offset(hour)
            if len(self._hours) >= 1 << 12:  # bounded: memory stays flat
                self._hours.clear()
            self._hours[hour] = offset
        return offset  # type: ignore[return-value]

    def regular(self, first: datetime, last: datetime, most: int = 24 * 366) -> bool:
        """Whether every hour from ``first``'s to ``last``'s (naive local times, at most
        ``most`` hours: a year) has one UTC offset all along: :meth:`to_utc` then reads each
        time of them by its hour alone, whatever came before.

        Hour by hour over two days; a longer span (the block of a log of a few lines a day)
        day by day, each day's hour and the last one the first's offset: a zone changes its
        offset one change at a time, months apart, so two hours a day apart with one offset
        have no change between them."""
        hour = first.replace(minute=0, second=0, microsecond=0)
        if last < hour or last - hour >= timedelta(hours=most):
            return False
        offset = self._offset(hour)
        step = _HOUR if last - hour < _LONG else _DAY
        while offset is not None and hour <= last:
            if self._offset(hour) != offset:
                return False
            hour += step
        return offset is not None and self._offset(last) == offset

    def regular_utc(self, naive: datetime) -> datetime:
        """The UTC time of ``naive`` in a regular hour (see :meth:`regular`), as :meth:`to_utc`
        reads it, but without reading it (the clock's order is left as it is)."""
        offset = self._offset(naive)
        if offset is None:
            raise ValueError(f"{naive} is not in a regular hour")
        return (naive - offset).replace(tzinfo=UTC, fold=0)

    def _regular_offset(self, hour: datetime) -> timedelta | None:
        """The UTC offset of every time of the local ``hour``, or None when its first and last
        second, each read with both folds, do not all have the same one (the zone changes
        offset within the hour, or makes it repeated or skipped; changes are months apart,
        so one cannot come and go within an hour).  None too at the ends of the calendar,
        where the general way says what it makes of them."""
        if not 1 < hour.year < 9999:
            return None
        last = hour.replace(minute=59, second=59, microsecond=999_999)
        offsets = {
            t.replace(tzinfo=self.tz, fold=f).utcoffset() for t in (hour, last) for f in (0, 1)
        }
        if len(offsets) != 1:
            return None
        return offsets.pop()

    def _choose(self, early: datetime, late: datetime) -> datetime:
        """Pick the occurrence of a repeated-hour time that keeps the file in order."""
        if self.settle is not None:
            self.settle()
        prev = self._prev
        if prev is None or early - prev > _EVIDENCE:
            self.ambiguous += 1
            return early
        if early >= prev - _JITTER:
            return early
        if late >= prev - _JITTER:
            return late
        self.ambiguous += 1
        return early

    def syslog_year(self, month: int, base_year: int) -> int:
        """Year of a year-less syslog date: ``base_year``, plus one after each Dec→Jan wrap
        (a month more than six before the last date's)."""
        if self._last_month is not None and month < self._last_month - 6:
            self._year_shift += 1
        self._last_month = month
        return base_year + self._year_shift

    @property
    def syslog_state(self) -> tuple[int | None, int]:
        """The month of the last year-less date read (None: none yet) and the wraps so far."""
        return self._last_month, self._year_shift

    def syslog_saw(self, month: int, shift: int) -> None:
        """A year-less date of ``month`` was read without the clock, the last before the next
        one it reads, ``shift`` wraps after the file's start (the scanner's fast path: see
        ``_YearlessScanner`` in ``scan/fast.py``)."""
        self._last_month, self._year_shift = month, shift


def _wall(instant: datetime, tz: tzinfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


@lru_cache(maxsize=256)
def parse_offset(text: str) -> timezone:
    """``+0100``, ``+01:00``, ``-05``, ``Z``/``UTC``/``GMT`` → a fixed ``timezone``."""
    m = _OFFSET.match(text.strip())
    if m is None:
        raise MalformedLine(f"time zone offset {text!r} is not ±HHMM")
    if m.group(1) is None:
        return UTC
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 23 or minutes > 59:
        raise MalformedLine(f"time zone offset {text!r} is out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if m.group(1) == "-" else delta)


def _fraction(text: str | None) -> int:
    """Microseconds of a decimal fraction given by its digits (``"5"`` → 500000)."""
    return int((text or "0")[:6].ljust(6, "0"))


def build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int = 0
) -> datetime:
    """A naive datetime, MalformedLine instead of ValueError for impossible dates."""
    try:
        return datetime(year, month, day, hour, minute, min(second, 59), micro)
    except ValueError as e:
        raise MalformedLine(f"impossible date {year}-{month:02}-{day:02} {hour}:{minute}") from e


def read_iso(text: str) -> datetime:
    """ISO 8601 (``T`` or space, optional fraction): aware with its offset/``Z``, else naive."""
    known = _TEXTS.get(text)  # whole seconds written the same way: many lines, one parse
    if known is not None:
        return known
    plain = _plain_iso(text)
    if plain is not None:
        if len(text) <= 20:  # whole seconds (a fraction is seldom written twice)
            if len(_TEXTS) >= 1 << 14:
                _TEXTS.clear()
            _TEXTS[text] = plain
        return plain
    m = _ISO.match(text.strip())
    if m is None:
        raise MalformedLine(f"timestamp {text!r} is not ISO 8601 (YYYY-MM-DDTHH:MM:SS)")
    key = m.group(1, 2, 3, 4, 5, 6, 8)  # a log has many lines a second: parsed once
    whole = _SECONDS.get(key)
    if whole is None:
        whole = build(*map(int, key[:6]))
        if key[6] is not None:
            whole = whole.replace(tzinfo=parse_offset(key[6]))
        if len(_SECONDS) >= 1 << 14:  # bounded: memory stays flat
            _SECONDS.clear()
        _SECONDS[key] = whole
    fraction = m.group(7)
    if fraction:
        return whole.replace(microsecond=_fraction(fraction))
    if len(_TEXTS) >= 1 << 14:
        _TEXTS.clear()
    _TEXTS[text] = whole
    return whole


_SECONDS: dict[tuple[str | None, ...], datetime] = {}
_TEXTS: dict[str, datetime] = {}


def _plain_iso(text: str) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (or ``T``), then milli- or microseconds or none, then ``Z`` (UTC),
    ``±HH:MM``, ``±HHMM`` or nothing (naive), read in one C call; None for any other text (and
    for out-of-range fields, which :func:`read_iso` reads or rejects its own way)."""
    if not _plain_shape(text[:19]):
        return None
    rest = text[19:]
    if rest[-1:] == "Z":
        rest = rest[:-1]
    elif len(rest) >= 5 and rest[-5] in "+-" and rest[-3] != ":":  # ±HHMM
        rest, offset = rest[:-5], rest[-4:]
        if offset[2] > "5" or not (offset.isascii() and offset.isdigit()):
            return None
    elif len(rest) >= 6 and rest[-6] in "+-" and rest[-3] == ":":  # ±HH:MM
        rest, offset = rest[:-6], rest[-5:-3] + rest[-2:]
        if offset[2] > "5" or not (offset.isascii() and offset.isdigit()):
            return None
    if rest and not (
        len(rest) in (4, 7) and rest[0] == "." and rest[1:].isascii() and rest[1:].isdigit()
    ):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _plain_shape(stamp: str) -> bool:
    """Whether ``stamp`` is ``YYYY-MM-DD HH:MM:SS`` (or ``T``) in ASCII digits."""
    if (
        len(stamp) != 19
        or stamp[4] != "-"
        or stamp[7] != "-"
        or stamp[10] not in " T"
        or stamp[13] != ":"
        or stamp[16] != ":"
    ):
        return False
    digits = stamp[:4] + stamp[5:7] + stamp[8:10] + stamp[11:13] + stamp[14:16] + stamp[17:]
    return digits.isascii() and digits.isdigit()


def utc_written(stamp: str, offset: str) -> datetime | None:
    """The UTC time of ``YYYY-MM-DD HH:MM:SS`` at ``±HHMM``, as firewalls write their local time
    and its offset (FortiGate ``date``/``time``/``tz``, Stormshield ``time``/``tz``), in one C
    call; None for any other spelling, out-of-range fields included, which the caller reads
    its general way (``read_iso`` and ``parse_offset``: the same time where both read one, see
    ``tests/formats/test_parser_speedups.py``).  The general way took ~5 µs of a ~12 µs line."""
    if (
        len(offset) != 5
        or offset[0] not in "+-"
        or offset[3] > "5"  # minutes past 59: fromisoformat takes them, parse_offset does not
        or not (offset[1:].isascii() and offset[1:].isdigit())
        or not _plain_shape(stamp)
    ):
        return None
    try:
        return datetime.fromisoformat(stamp + offset).astimezone(UTC)
    except (ValueError, OverflowError):  # (out of range in UTC: the general way says so)
        return None


def parse_iso(text: str, clock: LocalClock) -> datetime:
    """ISO 8601 → UTC; a time without offset is local time read by ``clock``."""
    return clock.to_utc(read_iso(text))


@lru_cache(maxsize=1 << 14)  # many lines a second: one parse (MalformedLine never remembered)
def parse_clf(text: str) -> datetime:
    """Apache/Squid ``%tl``: ``10/Oct/2000:13:55:36 -0700`` (brackets optional) → UTC."""
    return _parse_clf(text)


def _parse_clf(text: str) -> datetime:
    m = _CLF.match(text.strip())
    if m is None:
        raise MalformedLine(f"timestamp {text!r} is not dd/Mon/yyyy:HH:MM:SS +zzzz")
    month = MONTHS.get(m.group(2).lower())
    if month is None:
        raise MalformedLine(f"unknown month {m.group(2)!r} in {text!r}")
    naive = build(int(m.group(3)), month, int(m.group(1)), *_hms(m, 4), _fraction(m.group(7)))
    return in_utc(naive.replace(tzinfo=parse_offset(m.group(8))))


def _hms(m: re.Match[str], start: int) -> tuple[int, int, int]:
    return int(m.group(start)), int(m.group(start + 1)), int(m.group(start + 2))


def parse_epoch(text: str) -> datetime:
    """Epoch seconds (``1700000000[.123]``), or milli/micro/nanoseconds told by digit count."""
    seconds, dot, fraction = text.partition(".")
    if (
        0 < len(seconds) <= 11
        and seconds.isascii()
        and seconds.isdigit()
        and (not dot or (0 < len(fraction) <= 9 and fraction.isascii() and fraction.isdigit()))
    ):  # as most logs write it: in two C calls (~4x faster than the general way below)
        try:
            moment = datetime.fromtimestamp(int(seconds), UTC)
        except (OverflowError, OSError, ValueError):  # past what the platform's clock reads
            pass
        else:
            return moment.replace(microsecond=_fraction(fraction)) if fraction else moment
    m = _EPOCH.match(text.strip())
    if m is None:
        raise MalformedLine(f"timestamp {text!r} is not an epoch number")
    whole = int(m.group(1))
    digits = len(m.group(1))
    scale = 1 if digits <= 11 else 10**3 if digits <= 14 else 10**6 if digits <= 17 else 10**9
    micros = whole * 1_000_000 // scale + (_fraction(m.group(2)) if scale == 1 else 0)
    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    except OverflowError as e:
        raise MalformedLine(f"epoch timestamp {text!r} is out of range") from e
