"""From a normalized event to a stored hit: catalog match, attribution, pseudonyms, local time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from struct import Struct
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from sentinelle.catalog import Catalog, Policy
from sentinelle.catalog.discovery import ai_marker
from sentinelle.catalog.model import Match
from sentinelle.inventory import Attributor, Inventory
from sentinelle.inventory.combined import CombinedAttributor
from sentinelle.privacy import Pseudonymizer
from sentinelle.schema import COUNT_MAX, Event, within_count

#: A hit row is four parts, in this order: (file_id, seq, ts) and the local time (period, day,
#: hour, weekday) of its minute; what its destination gives (protocol ... observer, see
#: :func:`destination_fields`); what its source gives (workstation ... attributed, see
#: :meth:`Enricher.who`); and (user_id, blocked, bytes_out, bytes_in), read on each line.  The
#: store's columns are named, so their order in the store is its own.  The text fields are
#: dictionary-encoded (:data:`TEXT`): each comes from one of a few distinct parts (see
#: :class:`HitRecords`), and the store reads them as text.
TEXT = pa.dictionary(pa.int32(), pa.string())
HIT_SCHEMA = pa.schema(
    [
        ("file_id", pa.int32()),
        ("seq", pa.int64()),
        ("ts", pa.timestamp("us")),
        ("period", TEXT),
        ("day", pa.date32()),
        ("hour", pa.int8()),
        ("weekday", pa.int8()),
        ("protocol", TEXT),
        ("service", TEXT),
        ("category", TEXT),
        ("evidence", TEXT),
        ("general_purpose", pa.bool_()),
        ("host", TEXT),
        ("observer", TEXT),
        ("workstation", TEXT),
        ("site", TEXT),
        ("department", TEXT),
        ("role", TEXT),
        ("attributed", pa.bool_()),
        ("user_id", TEXT),
        ("blocked", pa.bool_()),
        ("bytes_out", pa.int64()),
        ("bytes_in", pa.int64()),
    ]
)


_CACHED = 1 << 16  # sources and minutes an enricher remembers: bounded, so memory stays flat
_WALL_EPOCH, _HOUR = datetime(1970, 1, 1), timedelta(hours=1)
_EPOCH, _MINUTE = datetime(1970, 1, 1, tzinfo=UTC), timedelta(minutes=1)
#: hit rows kept as records (see HitRecords) before they are spilled as Arrow
SPILL_ROWS = 1 << 13
_MICROSECOND = timedelta(microseconds=1)
_Who = tuple[str | None, str, str, str, bool]  # workstation, site, department, role, attributed
_Local = tuple[str, date, int, int]  # period, day, hour, weekday
#: what an event's destination is to the enricher (see Enricher.destination)
NOTHING, NO_HOST, CANDIDATE, SHARED, SERVICE = range(5)
Destination = tuple[int, str | None, Match | None, bool]  # what, host, match, DNS or not


def _local_fields(tz: ZoneInfo, walls: dict[int, _Local], ts: datetime) -> _Local:
    """(period, day, hour, weekday) of ``ts`` in ``tz``, remembered by local wall hour."""
    local = ts.astimezone(tz).replace(tzinfo=None)
    return _wall_fields(walls, (local - _WALL_EPOCH) // _HOUR)


def _wall_fields(walls: dict[int, _Local], wall_hour: int) -> _Local:
    """(period, day, hour, weekday) of a local wall hour (hours since 1970-01-01 00:00)."""
    found = walls.get(wall_hour)
    if found is None:
        if len(walls) >= _CACHED:
            walls.clear()
        t = _WALL_EPOCH + timedelta(hours=wall_hour)
        found = walls[wall_hour] = (f"{t.year:04d}-{t.month:02d}", t.date(), t.hour, t.isoweekday())
    return found


_LOOKS_AI = lru_cache(maxsize=1 << 16)(ai_marker)  # a pure function of the host name
_UNSEEN = object()


def _hour_offset(tz: ZoneInfo, hour: int) -> int | None:
    """The offset of ``tz`` over the UTC hour ``hour`` (hours since 1970) in whole minutes
    (rounded down: an hour starts at a whole minute, so seconds never change which one a minute
    falls in), when it is the same at its first and last minute; else None."""
    first = datetime.fromtimestamp(hour * 3600, tz).utcoffset()
    last = datetime.fromtimestamp(hour * 3600 + 3540, tz).utcoffset()
    if first is None or first != last:
        return None
    return first // timedelta(minutes=1)


_Fields = tuple[str, str, str, str, bool, str, str]


def destination_fields(destination: Destination, observer: str) -> _Fields:
    """(protocol, service, category, evidence, general_purpose, host, observer): the fields of
    a hit row that a SERVICE destination and the observer give."""
    _, host, match, dns = destination
    assert match is not None and host is not None
    return (
        "dns" if dns else "web",
        match.service_id,
        match.category,
        match.evidence,
        match.general_purpose,
        host,
        observer,
    )


#: the fields of a hit row that each of its parts gives, in the order of HIT_SCHEMA: the local
#: time of its minute, its destination (see destination_fields), its source (see Enricher.who)
#: and its user's pseudonym
PART_FIELDS = (
    ("period", "day", "hour", "weekday"),
    ("protocol", "service", "category", "evidence", "general_purpose", "host", "observer"),
    ("workstation", "site", "department", "role", "attributed"),
    ("user_id",),
)
#: a hit's record: (seq, ts in microseconds since 1970, bytes out, bytes in, the index of each
#: of its four parts, blocked), signed 64-bit numbers; a count that is None is NO_COUNT (no
#: count the store keeps is: see schema.COUNT_MAX)
RECORD = 9
NO_COUNT = -(1 << 63)
_RECORD = Struct(f"={RECORD}q")


def _gathered(values: list[Any], typ: pa.DataType, index: np.ndarray) -> pa.Array:
    """``values`` at ``index`` (a hit row's part field, from its few distinct values; None is
    null) as an Arrow array of ``typ``: a dictionary of the values, or a bool, int8 or date32
    column gathered by numpy.  No Python object a row (what made the conversion slow), and not
    Arrow's ``take``: that is ``pyarrow.compute``, whose import (it wraps 286 functions) costs
    a worker 50-90 ms."""
    null = np.fromiter((v is None for v in values), bool, len(values))
    mask = null[index] if null.any() else None
    if pa.types.is_dictionary(typ):
        words = pa.array(["" if v is None else v for v in values], typ.value_type)
        return pa.DictionaryArray.from_arrays(
            numbers_array(pa.int32(), index.astype(np.int32), mask), words
        )
    if typ == pa.date32():
        filled = np.asarray([0 if v is None else (v - _DAY_ONE).days for v in values], np.int32)
    else:
        filled = np.asarray([0 if v is None else v for v in values], _NUMPY[typ])
    return numbers_array(typ, filled[index], mask)


_DAY_ONE = date(1970, 1, 1)
_NUMPY = {pa.bool_(): np.bool_, pa.int8(): np.int8}


def numbers_array(typ: pa.DataType, column: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """An Arrow array of the fixed-width ``typ`` over a numpy ``column`` (of its width; bits
    for a bool), where ``null`` is set a null.  Built from the buffers: ``pa.array`` of a numpy
    array looks for numpy's masked arrays, which imports ``numpy.ma`` (8-27 ms a worker)."""
    nulls = 0 if null is None else int(null.sum())
    validity = (
        None if null is None or not nulls else pa.py_buffer(np.packbits(~null, bitorder="little"))
    )
    data = np.packbits(column, bitorder="little") if typ == pa.bool_() else column
    buffers = [validity, pa.py_buffer(np.ascontiguousarray(data))]
    return pa.Array.from_buffers(typ, len(column), buffers, nulls)


class HitRecords:
    """Hit rows as they are recorded: each row a fixed record of numbers (:data:`RECORD`), each
    of its parts (its minute's local time, destination fields, source, user pseudonym; see
    :data:`PART_FIELDS`) kept once and named by its index.

    A row is a few numbers instead of 23 Python objects, and the table is made column by
    column by Arrow (each part's column taken from its distinct values by index) instead of
    from lists of objects: the month's 50,000 hits took 0.076 s to convert and 0.035 s to lay
    out flat.  ``_parts.group`` (C) appends to ``numbers``, ``indexes`` and ``parts`` as
    :meth:`add` does.  Parts are told apart by identity (``id``): the lists keep them alive, so
    an identity is never reused while the records live; equal parts that are distinct objects
    are merely kept twice.
    """

    __slots__ = ("indexes", "numbers", "parts")

    def __init__(self) -> None:
        self.numbers = bytearray()  # the records, native 64-bit integers
        self.indexes: tuple[dict[int, int], ...] = ({}, {}, {}, {})  # id(part) -> its index
        self.parts: tuple[list[Any], ...] = ([], [], [], [])

    def __len__(self) -> int:
        return len(self.numbers) // _RECORD.size

    def add(
        self,
        seq: int,
        micros: int,
        at: _Local,
        fields: _Fields,
        who: _Who,
        user_id: str | None,
        blocked: bool,
        bytes_out: int | None,
        bytes_in: int | None,
    ) -> None:
        """Record a hit row (``micros``: its time, microseconds since 1970)."""
        index = [0, 0, 0, 0]
        for k, part in enumerate((at, fields, who, user_id)):
            known = self.indexes[k]
            i = known.get(id(part))
            if i is None:
                i = known[id(part)] = len(self.parts[k])
                self.parts[k].append(part)
            index[k] = i
        self.numbers += _RECORD.pack(
            seq,
            micros,
            NO_COUNT if bytes_out is None else bytes_out,
            NO_COUNT if bytes_in is None else bytes_in,
            *index,
            bool(blocked),
        )

    def table(self, file_id: int) -> pa.Table:
        """The rows as a table of :data:`HIT_SCHEMA` (``file_id`` in every row)."""
        n = len(self)
        records = np.frombuffer(self.numbers, np.int64).reshape(n, RECORD)
        columns: list[pa.Array] = [
            numbers_array(pa.int32(), np.full(n, file_id, np.int32)),
            numbers_array(pa.int64(), records[:, 0]),
            numbers_array(pa.timestamp("us"), records[:, 1]),
        ]
        for k, names in enumerate(PART_FIELDS):
            index, parts = records[:, 4 + k], self.parts[k]
            for j, name in enumerate(names):
                values = parts if len(names) == 1 else [p[j] for p in parts]
                columns.append(_gathered(values, HIT_SCHEMA.field(name).type, index))
        columns.append(numbers_array(pa.bool_(), records[:, 8] != 0))
        for c in (2, 3):
            counts = records[:, c]
            columns.append(numbers_array(pa.int64(), counts, counts == NO_COUNT))
        return pa.Table.from_arrays(columns, schema=HIT_SCHEMA)


@dataclass
class _Memo:
    """What enrichers remember that depends on their configuration only, not on the file.

    The enrichers of one process with the same catalog, attribution sources, key, zone and
    policy share it, so the files a worker reads one after the other (a month of daily logs)
    do not each start cold: attributions and pseudonyms of sources, the zone's offsets and
    local wall hours, and what the fast path's scanners keep per format (``scanners``).  Every
    cache is bounded.
    """

    tz: ZoneInfo
    sources: dict[tuple[str | None, str | None, str | None], _Who] = field(default_factory=dict)
    #: local wall hour (hours since 1970-01-01 00:00) -> its fields
    wall: dict[int, _Local] = field(default_factory=dict)
    scanners: dict[Any, Any] = field(default_factory=dict)
    #: UTC hour -> the zone's offset in minutes over it (None: it changes; see Enricher.local)
    offsets: dict[int, int | None] = field(default_factory=dict)


_MEMOS: list[tuple[tuple[Any, ...], _Memo]] = []  # the latest few configurations, newest last


def _memo(config: tuple[Any, ...]) -> _Memo:
    """The memo of ``config`` (compared by identity: the objects are kept with it, so their
    identities cannot be reused while it lives)."""
    for key, memo in _MEMOS:
        if all(a is b for a, b in zip(key, config, strict=True)):
            return memo
    memo = _Memo(config[3])
    _MEMOS.append((config, memo))
    del _MEMOS[:-4]
    return memo


def _inputs(inventory: Attributor) -> tuple[bool, bool]:
    """(never looks at an event's time, looks at its user name): what attributions depend on.

    DHCP leases make an attribution depend on the time; a directory, on the user name.
    """
    if type(inventory) is Inventory:
        return True, False
    if type(inventory) is CombinedAttributor:
        return inventory.leases is None, inventory.directory is not None
    return False, True


@dataclass
class Counts:
    """What happened to the events of one file."""

    ai_events: int = 0
    shared_events: int = 0
    no_host_events: int = 0
    unattributed_events: int = 0
    excluded_events: int = 0
    dns_events: int = 0


@dataclass
class Enricher:
    """Turns events into hit rows; one per file (it accumulates that file's rows)."""

    catalog: Catalog
    inventory: Attributor
    pseudonymizer: Pseudonymizer
    tz: ZoneInfo
    policy: Policy | None = None
    file_id: int = 0
    counts: Counts = field(default_factory=Counts)
    discovered: Counter[tuple[str, str, str | None]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        # what does not depend on the file is kept from file to file (see _Memo)
        self.memo = _memo((self.catalog, self.inventory, self.pseudonymizer, self.tz, self.policy))
        self._looks_ai = _LOOKS_AI
        self._sources = self.memo.sources
        self._timeless, self._by_user = _inputs(self.inventory)
        self._wall = self.memo.wall
        self.records = HitRecords()  # the hit rows so far

    @property
    def rows(self) -> dict[str, list[Any]]:
        """The hit rows so far, column by column (a list of Python values per
        :data:`HIT_SCHEMA` field, as the store reads them)."""
        return self.hits().to_pydict()

    def clear_hits(self) -> None:
        """Forget the hit rows recorded so far (they were taken)."""
        self.records = HitRecords()

    def add(self, event: Event, seq: int) -> None:
        """Record ``event`` (line ``seq``) if it matches a service; count it either way."""
        destination = self.destination(event)
        what, host, _, dns = destination
        if dns:
            self.counts.dns_events += 1
        if what == SERVICE:
            if self.excluded(event):
                self.counts.excluded_events += 1
                return
            self.hit(
                seq,
                event.timestamp,
                destination,
                self._who(event),
                self.user_id(event),
                event.event_action == "blocked",
                event.source_bytes,
                event.destination_bytes,
                event.observer_product,
            )
        elif what == CANDIDATE:
            self._discover(event, host)  # type: ignore[arg-type]
        elif what == NO_HOST:
            self.counts.no_host_events += 1
        elif what == SHARED:
            self.counts.shared_events += 1

    def destination(self, event: Event) -> Destination:
        """What :meth:`add` makes of an event's destination: (one of NOTHING, NO_HOST,
        CANDIDATE, SHARED, SERVICE; host; catalog match; DNS or not).  It depends on the
        event's ``destination_domain``, ``url_path`` and ``network_protocol`` only."""
        dns = event.network_protocol == "dns"
        host = event.destination_domain
        if host is None:
            return NO_HOST, None, None, dns
        match = self.catalog.match(host, event.url_path)
        if match is None:
            return (CANDIDATE if self._looks_ai(host) is not None else NOTHING), host, None, dns
        return (SHARED if match.evidence == "shared" else SERVICE), host, match, dns

    def excluded(self, event: Event) -> bool:
        """Whether the policy leaves the event's source out (its address and name only)."""
        return self.policy is not None and self.policy.excluded_sources(
            event.source_ip or "", event.source_domain
        )

    def user_id(self, event: Event) -> str | None:
        """The pseudonym of the event's user name."""
        return self.pseudonymizer.pseudonym("user", event.user_name)

    def hit(
        self,
        seq: int,
        ts: datetime,
        destination: Destination,
        who: _Who,
        user_id: str | None,
        blocked: bool,
        bytes_out: int | None,
        bytes_in: int | None,
        observer: str,
    ) -> None:
        """Record the hit row of line ``seq`` (a SERVICE destination, a source not excluded)."""
        if not who[4]:
            self.counts.unattributed_events += 1
        self.counts.ai_events += 1
        if (bytes_out is not None and not -COUNT_MAX <= bytes_out <= COUNT_MAX) or (
            bytes_in is not None and not -COUNT_MAX <= bytes_in <= COUNT_MAX
        ):  # a count the store could not keep is no count (the parsers read none: to be sure)
            bytes_out, bytes_in = _kept(bytes_out), _kept(bytes_in)
        # stored as its UTC time when aware (as Arrow stores an aware time), else as written
        micros = (ts.replace(tzinfo=None) - _WALL_EPOCH) // _MICROSECOND
        self.records.add(
            seq,
            micros,
            self._local_time(ts),
            destination_fields(destination, observer),
            who,
            user_id,
            blocked,
            bytes_out,
            bytes_in,
        )

    def count_hits(self, rows: int, unattributed: int) -> None:
        """Count ``rows`` hit rows recorded straight into :attr:`records` (the fast path
        records them from their parts), ``unattributed`` of them without a known source."""
        self.counts.ai_events += rows
        self.counts.unattributed_events += unattributed

    @property
    def timeless(self) -> bool:
        """True when an attribution never depends on the event's time (no DHCP leases)."""
        return self._timeless

    @property
    def by_user(self) -> bool:
        """True when an attribution depends on the user name (a directory)."""
        return self._by_user

    def who(self, event: Event) -> _Who:
        """(workstation pseudonym, site, department, role, attributed) of the event's source."""
        return self._who(event)

    def local(self, minute: int) -> _Local:
        """(period, day, hour, weekday) of the UTC minute ``minute`` (minutes since 1970).

        Within a UTC hour over which the zone's offset does not change (all of them but those
        of a change of offset), it is the local wall hour's, found without a time zone
        conversion per minute."""
        offset = self._offset(minute // 60)
        if offset is None:  # an hour with a change of offset: each minute converted
            return _local_fields(self.tz, self._wall, datetime.fromtimestamp(minute * 60, UTC))
        return _wall_fields(self._wall, (minute + offset) // 60)

    def local_hour(self, hour: int) -> _Local | None:
        """(period, day, hour, weekday) of every minute of the UTC hour ``hour`` (hours since
        1970) when they are the same for all of them, as :meth:`local` gives them: the zone's
        offset does not change within the hour and is whole hours; else None."""
        offset = self._offset(hour)
        if offset is None or offset % 60:
            return None
        return _wall_fields(self._wall, hour + offset // 60)

    def _offset(self, hour: int) -> int | None:
        """The zone's offset over the UTC hour ``hour`` in minutes (None: it changes), kept."""
        offsets = self.memo.offsets
        offset = offsets.get(hour, _UNSEEN)
        if offset is _UNSEEN:
            if len(offsets) >= _CACHED:
                offsets.clear()
            offset = offsets[hour] = _hour_offset(self.tz, hour)
        return offset  # type: ignore[return-value]

    def _discover(self, event: Event, host: str) -> None:
        period = self._local_time(event.timestamp)[0]
        self.discovered[(period, host, self._who(event)[0])] += 1

    def _who(self, event: Event) -> _Who:
        """The attribution of the event's source, workstation pseudonymized (cached if static)."""
        ip, name, user = event.source_ip, event.source_domain, event.user_name
        key = (ip, name, user if self._by_user else None)
        who = self._sources.get(key)
        if who is not None:
            return who
        found = self.inventory.attribute(ip, name, event.timestamp, user)
        workstation = self.pseudonymizer.pseudonym("workstation", found.identity)
        who = (workstation, found.site, found.department, found.role, found.known)
        if self._timeless:
            if len(self._sources) >= _CACHED:
                self._sources.clear()
            self._sources[key] = who
        return who

    def _local_time(self, ts: datetime) -> _Local:
        """(period, day, hour, weekday) of the (UTC) minute of ``ts`` in the local zone."""
        return self.local((ts - _EPOCH) // _MINUTE)

    def hits(self) -> pa.Table:
        """The hit rows so far as a table of :data:`HIT_SCHEMA`."""
        return self.records.table(self.file_id)

    def spill(self, into: Any) -> None:
        """Move the hit rows to ``into`` (its ``append``, a table at a time) once
        :data:`SPILL_ROWS` have gathered: a file's hits then do not stay in memory."""
        if len(self.records) >= SPILL_ROWS:
            into.append(self.hits())
            self.clear_hits()

    def discovery(self) -> pa.Table:
        keys = list(self.discovered)
        return pa.table(
            {
                "file_id": pa.array([self.file_id] * len(keys), pa.int32()),
                "period": [k[0] for k in keys],
                "host": [k[1] for k in keys],
                "workstation": [k[2] for k in keys],
                "requests": pa.array(list(self.discovered.values()), pa.int64()),
            }
        )


def _kept(n: int | None) -> int | None:
    """``n`` as the store keeps it: None beyond a signed 64-bit integer."""
    return None if n is None else within_count(n)
