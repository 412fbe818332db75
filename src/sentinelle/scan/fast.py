"""The fast read path: large blocks, the format's parser only on the lines that need it.

Same contract as :func:`sentinelle.scan.reader.read_file` and the same results, stored to the
byte: every line that is flagged (a catalog or discovery candidate, a line that is not the
format's *usual* line, which its module declares: see ``formats/_usual.py``) goes through the
format's own parser and the same :class:`~sentinelle.scan.enrich.Enricher`, with its real line
number.  Every other line is known to be a valid event with a host name that matches nothing: it
is counted as an event (a DNS event for a DNS format), and its time key joins the file's first and
last times.  The native engine also spares the parser two kinds of flagged lines whose outcome
it can read exactly: usual lines of one host name, or of a ``scheme://host`` for which no path
rule is written, enriched by parts (the parser's event of the first line with the same fields,
see ``_NativeScanner._grouped``), and lines that :attr:`Profile.no_host` takes (events without
a host, such as Squid's ``error:`` pseudo-URLs).

Two engines find the flagged lines, with the same results:

* **native** (the default where the package was built with a C compiler): the line walker of
  :mod:`sentinelle.scan.native` checks every line against the usual structure and copies the host
  names of the usual lines into a compact buffer (about a sixth of the bytes), on which hyperscan
  runs the catalog's domains and the discovery markers;
* **portable**: one hyperscan pass over the whole block with the catalog patterns, the usual
  structure's complement (:func:`~sentinelle.formats._structure.complement_pattern`) and the
  profile's traps, then numpy for the line accounting.

Blocks are 4 MiB of decompressed content cut after their last newline, read into one reused
buffer (memory stays flat whatever the input size); gzip is inflated by ISA-L, on a thread of its
own when a core would otherwise idle (see :mod:`sentinelle.scan.blocks`).
"""

from __future__ import annotations

import calendar
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import hyperscan
import numpy as np
import xxhash

from sentinelle import inputs
from sentinelle.catalog import Catalog
from sentinelle.catalog.discovery import ai_marker
from sentinelle.formats import LogFormat, ParseContext, all_formats
from sentinelle.formats._syslog import strip_syslog
from sentinelle.formats._usual import Layouts, Profile
from sentinelle.inputs import (
    QUICK_BYTES,
    ContentHash,
    InputFile,
    decode,
)
from sentinelle.scan import native
from sentinelle.scan.blocks import read_blocks
from sentinelle.scan.enrich import (  # and two of its constants: one epoch, one marker
    _EPOCH,
    _UNSEEN,
    CANDIDATE,
    NO_HOST,
    SERVICE,
    SHARED,
    Enricher,
    destination_fields,
)
from sentinelle.scan.prefilter import (
    EXACT,
    PatternSet,
    compile_patterns,
    compile_set,
    host_pattern_set,
    pattern_set,
)
from sentinelle.scan.reader import FileResult, Progress, _parse_line
from sentinelle.schema import Event


def supports(fmt: LogFormat) -> bool:
    """True when ``fmt`` can take the fast path: its module declares its usual line (and the
    native walker is there if the line needs it: see :attr:`Profile.native_only`; a format of
    several layouts is read by the walker only)."""
    usual = fmt.usual
    if usual is None:
        return False
    return NATIVE or (not usual.native_only and fmt.layouts is None)


def divisible(fmt: LogFormat) -> bool:
    """Whether a file of ``fmt`` may be read in parts by several workers.  Not when its parser
    reads some lines by the lines before (:attr:`Profile.in_order`: the firewalls' lines without
    an offset are local times, the repeated autumn hour resolved by the times before, as the
    reference does reading the whole file in order)."""
    usual = fmt.usual
    return usual is not None and not usual.in_order


def profiles() -> dict[str, Profile]:
    """The usual line of every format that declares one, by format name (imports them all)."""
    return {name: f.usual for name, f in all_formats().items() if f.usual is not None}


def patterns(fmt: LogFormat, catalog: Catalog) -> PatternSet:
    """The prefilter of ``fmt``: catalog candidates, then every line that is not usual."""
    usual = fmt.usual
    assert usual is not None
    return pattern_set(catalog, usual.flags_unusual(), usual.host_start, usual.host_end)


def program(profile: Profile) -> native.Program:
    """The native walker's program of a profile that names its host elements (a line longer
    than its ``max_line`` is the parser's)."""
    chain = native.compile_chain(
        profile.usual,
        profile.tail,
        hosts=profile.hosts,
        key_len=profile.key_len,
        reserved=profile.reserved,
        key_at=profile.key_at,
        zone=profile.zone,
        dotted=profile.dotted_hosts,
        zones=tuple(z.encode() for z in profile.zone_words),
        key=profile.key_element,
        clf=profile.clf_key,
        addresses=profile.addresses,
        mark=profile.dns_element,
        pairs=profile.free_pairs,
        skip=profile.skip_element,
        columns=profile.free_columns,
        utc=profile.utc_key,
        ips=profile.ips,
        naive=profile.naive_key,
        labels=profile.labels,
    )
    return replace(
        chain,
        max_line=profile.max_line or 0,
        hostless=profile.hostless,
        skip_timed=profile.skip_timed,
    )


#: use the native walker where it is built; ``SENTINELLE_PORTABLE=1`` (and tests) switch it off
NATIVE = native.available() and not os.environ.get("SENTINELLE_PORTABLE")
try:  # the enrichment by parts of the lines whose parts are known (_parts.c), ~10x the Python
    from sentinelle.scan import _parts
except ImportError:  # built without a C compiler: the Python loop does it all
    _parts = None  # type: ignore[assignment]
#: record in C the usual lines whose parts are all known (tests compare it with the Python loop)
PARTS_NATIVE = _parts is not None


@dataclass(frozen=True)
class Prefilter:
    """A compiled prefilter.

    Native: ``program`` walks the lines and ``db`` runs on their host names.  Portable: ``db``
    runs on whole blocks, its patterns numbered below ``candidates`` being the catalog's.
    """

    db: hyperscan.Database
    candidates: int
    profile: Profile
    program: native.Program | None = None
    #: the format's layouts, when a directive line names its columns (see :class:`Layouts`)
    layouts: Layouts | None = None
    #: the profile whose host table and memo this one's scanner shares (a layout's: its
    #: format's; the layouts' usual lines have no enrichment by parts, whose memo would differ)
    shared: Profile | None = None


def database(fmt: LogFormat, catalog: Catalog) -> Prefilter:
    """The compiled prefilter of ``fmt`` for ``catalog`` (cached in memory and on disk)."""
    profile = fmt.usual
    assert profile is not None
    if NATIVE and profile.walked:
        hs = host_pattern_set(catalog)
        return Prefilter(compile_set(hs), len(hs.patterns), profile, program(profile), fmt.layouts)
    ps = patterns(fmt, catalog)
    return Prefilter(compile_set(ps), ps.kinds.count("candidate"), profile)


# -- reading ---------------------------------------------------------------------------------
def read_file_fast(
    inp: InputFile,
    fmt: LogFormat,
    ctx: ParseContext,
    enricher: Enricher,
    progress: Progress | None = None,
    *,
    db: Prefilter,
    window: tuple[int, int] | None = None,
    spill: Any = None,
    inflate_thread: bool = True,
) -> FileResult:
    """Account for every line of ``inp`` (or of the byte range ``window`` of a plain file).

    With a window, line numbers start at 1 at the window's start, and instead of a fingerprint
    the result holds the digests of the content chunks that start in the window (the caller
    makes line numbers global and combines the digests, see :mod:`sentinelle.scan.parallel`).
    With ``spill`` (a list, or a :class:`~sentinelle.scan.spool.SpoolWriter`), the enricher's
    hit rows are moved there as Arrow tables as they gather (see :meth:`Enricher.spill`), so
    that memory does not grow with the file (the hits are then ``spill`` + ``enricher.hits()``).
    ``inflate_thread``: a gzip file is inflated on a thread of its own, which takes a core the
    scan would leave idle; without (every core already has a file to scan), by this thread,
    between blocks (see :func:`sentinelle.scan.blocks.read_blocks`).
    """
    res = FileResult()
    scanner = new_scanner(fmt, ctx, enricher, res, db)
    start = window[0] if window is not None else 0
    # a range hashes the content chunks that start in it (see ContentHash): from its first
    # chunk boundary on, and past its end to finish its last chunk
    skip = -start % inputs.CHUNK
    hasher, quick = ContentHash(), xxhash.xxh3_128()
    # (by this thread, not a .gz's inflating thread: the slower of the two, see SlotInflater)
    with read_blocks(inp, window, inflate_thread) as chunks:
        for block, original, position in chunks:
            if skip:
                done = min(skip, len(original))
                skip -= done
                hasher.update(memoryview(original)[done:])
            else:
                hasher.update(original)
            if start == 0 and res.content_bytes < QUICK_BYTES:
                quick.update(original[: QUICK_BYTES - res.content_bytes])
            res.content_bytes += len(original)
            n = scanner.scan(block)
            if spill is not None:
                enricher.spill(spill)
            if progress is not None:
                progress(position, n)
    if window is None:
        res.fingerprint = hasher.hexdigest()
    else:
        if hasher.partial:
            _finish_chunk(inp, start + res.content_bytes, hasher)
        res.chunks = hasher.finish()
    if start == 0:
        if window is not None and res.content_bytes < QUICK_BYTES:  # a range shorter than that
            with open(inp.path, "rb") as fh:
                fh.seek(res.content_bytes)
                quick.update(fh.read(QUICK_BYTES - res.content_bytes))
        res.quick_key = quick.hexdigest()
    clock = getattr(scanner.parser, "clock", None)  # as the reference reader counts them
    if clock is not None:
        res.ambiguous_times, res.nonexistent_times = clock.ambiguous, clock.nonexistent
    return res


def new_scanner(
    fmt: LogFormat, ctx: ParseContext, enricher: Enricher, res: FileResult, db: Prefilter
) -> _BlockScanner | _LayoutScanner:
    """What accounts for the lines of successive blocks (``scan(block)``) into ``res``; its
    ``base`` is the number of lines before the next block (it may be set, to number lines of
    blocks scanned elsewhere), ``res`` may be replaced between blocks."""
    parser = fmt.new_parser(ctx)
    if db.layouts is not None and db.program is not None:
        return _LayoutScanner(parser, enricher, res, db, db.layouts)
    if db.program is not None and db.profile.naive_key == "syslog":
        return _YearlessScanner(parser, enricher, res, db)
    if db.program is not None and db.profile.naive_key is not None:
        return _NaiveScanner(parser, enricher, res, db)
    kind = _NativeScanner if db.program is not None else _BlockScanner
    scanner = kind(parser.parse, enricher, res, db)
    scanner.parser = parser
    return scanner


def _finish_chunk(inp: InputFile, at: int, hasher: ContentHash) -> None:
    """Hash the bytes of the chunk begun before ``at`` up to its end (or the file's)."""
    with open(inp.path, "rb") as fh:
        fh.seek(at)
        rest = fh.read(-at % inputs.CHUNK)
    hasher.update(rest)


def flagged_lines(
    db: hyperscan.Database,
    block: memoryview | bytes,
    newlines: np.ndarray | None = None,
    candidates: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted indices of the lines of ``block`` (ending with a newline) that patterns flag.

    Returns (lines flagged by a pattern numbered ``candidates`` or more, lines flagged only by
    the patterns below).
    """
    ends: list[int] = []
    cands: list[int] = []
    db.scan(
        block,  # type: ignore[type-var]  # any buffer (hyperscan's stub says str or bytes)
        match_event_handler=lambda i, _f, to, _fl, _c: (ends if i >= candidates else cands).append(
            to
        ),
    )
    if not ends and not cands:
        return _NONE, _NONE
    if newlines is None:
        newlines = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    # a match belongs to the line of its last byte (a newline ends the line it closes)
    other = np.unique(np.searchsorted(newlines, np.asarray(ends, np.int64) - 1))
    only = np.unique(np.searchsorted(newlines, np.asarray(cands, np.int64) - 1))
    return other, np.setdiff1d(only, other, assume_unique=True)


_NONE = np.empty(0, np.int64)
_SPLIT = re.compile(rb"[ \t]+")


def _fields(raw: bytes, top: int) -> list[bytes]:
    """The first ``top`` fields of a usual line (and the rest): usual lines are separated by
    runs of spaces and tabs; bytes.split also splits at \x0b and \x0c, which a field may
    hold, so a line with either is split by :data:`_SPLIT`."""
    if b"\x0b" not in raw and b"\x0c" not in raw:
        return raw.split(None, top)
    return _SPLIT.split(raw, top)


_LONG_HOST = re.compile(rb"[A-Za-z0-9._\-]{254}")  # a host name too long to be one
_PATH = re.compile(rb"[/?#]")  # where a URL's path (or query, or fragment) starts


@functools.cache
def _long_host_db() -> hyperscan.Database:
    """:data:`_LONG_HOST` for hyperscan (a run never spans lines: the class has no newline)."""
    return compile_patterns(PatternSet((_LONG_HOST.pattern,), (EXACT,), ("unusual",)))


_CACHE = 1 << 15  # (method, URL) keys remembered: bounded, so memory stays flat


class _BlockScanner:
    """Accounts for the lines of successive blocks (each ends with a newline)."""

    def __init__(
        self, parse: Callable[[str], Any], enricher: Enricher, res: FileResult, pf: Prefilter
    ) -> None:
        self.parse, self.enricher, self.res, self.db = parse, enricher, res, pf.db
        self.parser: Any = None  # the parser whose parse this is (new_scanner sets it)
        self.candidates, self.profile = pf.candidates, pf.profile
        self.method, self.url = pf.profile.fields or (-1, -1)
        self.relevant: dict[tuple[bytes, bytes], bool] = {}  # (METHOD, url) -> may count
        self.base = 0  # lines before the next block, including blocks scanned elsewhere
        # the time keys of the earliest and latest usual lines counted, by UTC offset (b"" for
        # a profile whose key holds its own)

    def scan(self, block: memoryview | bytes) -> int:
        arr = np.frombuffer(block, np.uint8)
        nl = np.flatnonzero(arr == 10)
        n = int(nl.size)
        other, cands = flagged_lines(self.db, block, nl, self.candidates)
        long = self._long_hosts(block, nl, self.profile.max_line)
        if long.size:
            other, cands = np.union1d(other, long), np.setdiff1d(cands, long)
        base, res = self.base, self.res
        self.base += n
        parse = sorted([*other.tolist(), *self._relevant(block, nl, cands)])
        for k in parse:
            start = int(nl[k - 1]) + 1 if k else 0
            line = decode(bytes(block[start : int(nl[k])]))
            _parse_line(self.parse, line, base + k + 1, res, self.enricher)
        clean = n - len(parse)
        res.lines += n
        res.parsed += len(parse)
        res.events += clean
        if self.profile.dns:
            self.enricher.counts.dns_events += clean
        if clean:
            self._times(arr, nl, np.asarray(parse, np.int64))
        return n

    def _relevant(self, block: memoryview | bytes, nl: np.ndarray, cands: np.ndarray) -> list[int]:
        """The usual candidate lines whose destination matters (see :meth:`_mattering`).  A
        profile without the method's and URL's fields: every candidate."""
        if self.profile.fields is None:
            return cands.tolist()
        out = []
        for k in cands.tolist():
            start = int(nl[k - 1]) + 1 if k else 0
            if self._mattering(bytes(block[start : int(nl[k])])):
                out.append(k)
        return out

    def _mattering(self, raw: bytes) -> bool:
        """Whether the destination of the usual line ``raw`` matters (a match, a marker, no
        host).  It depends on the method and the URL only, so it is decided once per (method,
        URL) by parsing the first line that has them (the profile's ``fields``, counted from
        its ``record_start`` when it has one: a line without it goes to the parser)."""
        start = self.profile.record_start
        if start is not None:
            m = start.search(raw)
            if m is None:
                return True
            raw = raw[m.start() :]
        fields = _SPLIT.split(raw, self.url + 1)
        key = (fields[self.method].upper(), fields[self.url])
        hit = self.relevant.get(key)
        if hit is None:
            if len(self.relevant) >= _CACHE:
                self.relevant.clear()
            hit = self.relevant[key] = self._matters(decode(raw))
        return hit

    def _matters(self, line: str) -> bool:
        try:
            event = self.parse(line)
        except Exception:  # never for a usual line; the parse path will say why
            return True
        host = event.destination_domain
        if host is None:
            return True
        e = self.enricher
        return e.catalog.match(host, event.url_path) is not None or ai_marker(host) is not None

    @staticmethod
    def _long_hosts(
        block: memoryview | bytes, nl: np.ndarray, max_line: int | None = None
    ) -> np.ndarray:
        """The lines that hold a run of host-name bytes too long to be one, and those longer
        than ``max_line``.  (One hyperscan pass: a loop over the lines long enough to hold such
        a run took 60 ms a block of WSA lines, which are ~300 bytes.)"""
        ends: list[int] = []
        _long_host_db().scan(
            block,  # type: ignore[type-var]  # any buffer (hyperscan's stub says str or bytes)
            match_event_handler=lambda _i, _f, to, _fl, _c: ends.append(to),
        )
        out = np.searchsorted(nl, np.asarray(ends, np.int64) - 1) if ends else _NONE
        if max_line is not None:
            lengths = np.diff(nl, prepend=-1) - 1
            out = np.concatenate([out, np.flatnonzero(lengths > max_line)])
        return np.unique(out)

    def _times(self, arr: np.ndarray, nl: np.ndarray, flagged: np.ndarray) -> None:
        """Earliest and latest time keys of the unflagged lines (each starts with its own)."""
        starts = np.empty(nl.size, np.int64)
        starts[0] = 0
        starts[1:] = nl[:-1] + 1
        if flagged.size:
            starts = np.delete(starts, flagged)
        size = self.profile.key_len
        rows = np.lib.stride_tricks.sliding_window_view(arr, size)[starts + self.profile.key_at]
        keys = np.ascontiguousarray(rows).view(f"S{size}").ravel()  # (keys hold no NUL byte)
        self._keep(bytes(rows[int(keys.argmin())]), bytes(rows[int(keys.argmax())]))

    def _keep(self, lo: bytes | None, hi: bytes | None, zone: bytes = b"") -> None:
        """Widen the file's first and last times to the time keys ``lo`` and ``hi`` (of lines
        whose UTC offset is ``zone``), as the parser reads them: a block's two keys, compared
        as times (a CLF key does not order as text, nor do keys of two offsets)."""
        if lo is not None:
            self._widen("first_ts", self.profile.key_time(lo + zone))
        if hi is not None:
            self._widen("last_ts", self.profile.key_time(hi + zone))

    def _widen(self, attr: str, ts: datetime) -> None:
        cur = getattr(self.res, attr)
        if cur is None or (ts < cur if attr == "first_ts" else ts > cur):
            setattr(self.res, attr, ts)


class _NativeScanner(_BlockScanner):
    """The native engine: the walker accounts for the lines, hyperscan looks at new host names.

    Each distinct host entry is decided once (kept in a :class:`~native.HostTable`): the lines
    of an entry decided "no" never come back from the walker.  The lines of an entry of one host
    name decided "yes" are enriched by parts, without parsing each (see :meth:`_grouped`),
    when the attribution does not depend on time.
    """

    def __init__(
        self, parse: Callable[[str], Any], enricher: Enricher, res: FileResult, pf: Prefilter
    ) -> None:
        super().__init__(parse, enricher, res, pf)
        assert pf.program is not None
        self.program = pf.program
        # The host table and what each distinct value of a usual line's fields gives (see
        # _grouped) depend on the format, the catalog and the enricher's configuration only:
        # kept in the enricher's memo, for the next file of the same format (one for all the
        # layouts of a format: its table, 32 MiB, decides host entries by their text alone).
        key = pf.shared or pf.profile
        kept = enricher.memo.scanners.get(key)
        if kept is None or kept.slots != HOST_SLOTS:
            kept = enricher.memo.scanners[key] = _Kept(HOST_SLOTS)
        self.table = kept.table
        self._targets, self._sources, self._users = kept.targets, kept.sources, kept.users
        self._actions, self._locals, self._hours = kept.actions, kept.locals, kept.hours

    def scan(self, block: memoryview | bytes) -> int:
        return self.account(block, native.walk(self.program, block, self.table))

    def scan_walked(self, block: memoryview | bytes, w: native.Walked) -> int:
        """Account for the lines of ``block``, the walk ``w`` of it found."""
        return self.account(block, w)

    def account(self, block: memoryview | bytes, w: native.Walked) -> int:
        """Account for the lines of ``block`` that the walk ``w`` of it found."""
        states = self._decide(w)
        pending = np.column_stack([w.pending[:, :3], states[w.pending[:, 3]]])
        usual = np.concatenate([pending, w.known])
        base, res = self.base, self.res
        unusual = w.rows[:, :3]
        if self.profile.no_host is not None and len(unusual):
            unusual = self._no_host(block, unusual)
        state = usual[:, 3]
        yes = usual[state == native.YES, :3]
        if len(yes) and self.profile.fields is not None:
            # an entry that may match (a path rule, either of two names): each line's
            # destination decided once per method and URL, as the portable engine does (a
            # proxy writes the same URL again and again for a tunnel)
            keep = [self._mattering(bytes(block[a:b])) for _, a, b in yes.tolist()]
            yes = yes[np.asarray(keep, bool)]
        todo = [unusual, yes]
        grouped = usual[state >= native.GROUPED]
        if len(grouped):
            todo.append(self._grouped(block, grouped, base))
        lines = np.concatenate(todo)
        lines = lines[np.argsort(lines[:, 0], kind="stable")]
        self.base += w.lines
        # the marked usual lines (a DNS element's) are DNS queries: those parsed are counted by
        # the enricher (an AI host's), the others here
        counts, marked = self.enricher.counts, w.marked
        parsed_usual = set(todo[1][:, 0].tolist()) if marked else set()
        parse_at = self._parse_at
        for k, start, end in lines.tolist():
            line = decode(bytes(block[start:end]))
            if k in parsed_usual:
                before = counts.dns_events
                parse_at(k, start, line, base + k + 1)
                marked -= counts.dns_events - before
            else:
                parse_at(k, start, line, base + k + 1)
        counts.dns_events += marked
        counts.no_host_events += w.no_host  # usual lines without a host (see native.FreePairs)
        res.lines += w.lines
        res.parsed += len(lines)
        res.skipped += w.skipped  # usual lines the parser skips (see Profile.skip_element)
        res.events += w.lines - len(lines) - w.skipped
        size = self.profile.key_len
        self._keep(
            bytes(block[w.earliest : w.earliest + size]) if w.earliest >= 0 else None,
            bytes(block[w.latest : w.latest + size]) if w.latest >= 0 else None,
            w.zone or b"",
        )
        return w.lines

    def _parse_at(self, k: int, start: int, line: str, lineno: int) -> None:
        """Have the parser read ``line``, the block's ``k``-th from 0 (at ``start``; the file's
        ``lineno``-th)."""
        _parse_line(self.parse, line, lineno, self.res, self.enricher)

    def _decide(self, w: native.Walked) -> np.ndarray:
        """The state of each new entry (hyperscan, then the catalog), written to the table."""
        states = np.full(len(w.slots), native.NO, np.uint8)
        if not len(w.slots):
            return states
        ends: list[int] = []
        self.db.scan(w.entries, match_event_handler=lambda _i, _f, to, _fl, _c: ends.append(to))
        if ends:
            # a match belongs to the entry of its last byte (an entry ends with its newline)
            # (a set, not np.unique: that imports numpy.ma, ~15 ms in each worker)
            hit = set(np.searchsorted(w.slots[:, 1], np.asarray(ends, np.int64) - 1).tolist())
            catalog = self.enricher.catalog
            # by parts only when the workstation does not depend on each line's time
            parts = self.enricher.timeless and self.profile.values is not None
            for i in sorted(hit):
                entry = w.entry(i)
                if entry_decision(entry, catalog):
                    states[i] = parts_state(entry, catalog) if parts else native.YES
        if self.table is not None:
            self.table.decide(w.slots[:, 0], states)
        return states

    def _grouped(self, block: memoryview | bytes, rows: np.ndarray, base: int) -> np.ndarray:
        """Enrich usual lines by parts; return those to parse after all (none, in practice).

        ``rows`` are (line, start, end, state): a GROUPED line's destination is settled once
        per method and whole URL, a BY_HOST line's once per method and URL up to its path
        (:func:`parts_state` says when the path cannot matter).

        On a usual line, what :meth:`Enricher.add` reads depends on a few fields each: the
        destination on the method and the URL, the source (and a timeless attribution) on
        the client (and the user, with a directory), the user's pseudonym on the user, the
        action on the result code; the time and the byte counts are read on each line
        (:attr:`Profile.values`).  Each distinct value is settled once, from the event the
        parser makes of the first line that has it, or for the source and the user from the
        profile's readers of their fields (:attr:`Profile.source_of`) — only the parts the
        line's destination needs, as :meth:`Enricher.add` reads them —, and each line is then
        recorded or counted as :meth:`Enricher.add` would (``tests/perf`` compares both
        engines' stored rows).  The lines are recorded in C (``_parts.c``), which calls
        :meth:`_settle` for a part it has not met yet; this loop records what C leaves (a
        number beyond 64 bits) and, without the C extension, everything
        (``tests/perf/test_parts_in_c.py`` compares the two).
        """
        e, counts, profile = self.enricher, self.enricher.counts, self.profile
        values = profile.values
        assert values is not None and profile.source is not None and profile.action is not None
        locals_, local = self._locals, self._local
        c, u = profile.source
        m, url, a = self.method, self.url, profile.action
        by_user, top = e.by_user, max(c, u, m, url, a, values.time) + 1
        back: list[tuple[int, int, int]] = []
        records = e.records  # the hit rows, recorded as Enricher.hit records them
        hits = unattributed = 0
        if _parts is not None and PARTS_NATIVE:
            # in C; a line with a part not yet known is settled by _settle, then recorded
            sent, received = (-1 if i is None else i for i in (values.bytes_out, values.bytes_in))
            spec = (top, m, url, c, u, a, int(by_user), values.time, sent, received)
            caches = (self._targets, self._sources, self._users, self._actions, locals_)
            left, hits, unattributed, dns, no_host, shared, excluded = _parts.group(
                block,
                np.ascontiguousarray(rows, np.int64),
                spec,
                (*caches, self._hours),
                (records.numbers, records.indexes, records.parts),
                e.discovered,
                local,
                self._local_hour,
                functools.partial(self._settle, block, top),
                base,
            )
            counts.dns_events += dns
            counts.no_host_events += no_host
            counts.shared_events += shared
            counts.excluded_events += excluded
            rows = rows[left]  # what C leaves (none, usually): recorded below, as in Python
        parts_of = self._parts_of
        for k, start, end, state in rows.tolist():
            raw = bytes(block[start:end])
            f = _fields(raw, top)
            parts = parts_of(raw, f, state)
            if parts is None:  # not an event after all: the parser's path says why
                back.append((k, start, end))
                continue
            target, source, user, action = parts
            what, dns, host, fields = target
            if dns:
                counts.dns_events += 1
            if what == SERVICE:
                excluded, attribution = source
                if excluded:
                    counts.excluded_events += 1
                    continue
                ts, out, into = values(f)
                minute = ts // 60_000_000
                at = locals_.get(minute) or local(minute)
                records.add(base + k + 1, ts, at, fields, attribution, user, action, out, into)
                hits += 1
                if not attribution[4]:
                    unattributed += 1
            elif what == CANDIDATE:
                minute = int(f[values.time][:10]) // 60
                at = locals_.get(minute) or local(minute)
                e.discovered[(at[0], host, source[1][0])] += 1
            elif what == NO_HOST:
                counts.no_host_events += 1
            elif what == SHARED:
                counts.shared_events += 1
        e.count_hits(hits, unattributed)
        return np.asarray(back, np.int64).reshape(-1, 3)

    def _parts_of(self, raw: bytes, f: list[bytes], state: int) -> tuple[Any, ...] | None:
        """(destination, source, user, action) of a usual line ``raw`` (fields ``f``), each
        settled once (see :meth:`_grouped`): only those its destination needs (the others are
        None, or False for the user), from the profile's readers or the line's event, parsed
        once when a part needs it; None when the parser makes no event of the line."""
        e, profile = self.enricher, self.profile
        assert profile.source is not None and profile.action is not None
        c, u = profile.source
        event: Any = None
        url = f[self.url] if state != native.BY_HOST else url_up_to_path(f[self.url])
        where = (f[self.method], url)
        target = self._targets.get(where)
        if target is None:
            if (event := self._event(raw)) is None:
                return None
            target = _remember(self._targets, where, _target(e, event))
        what = target[0]
        source = user = action = None
        if what in (SERVICE, CANDIDATE):
            who = (f[c], f[u]) if e.by_user else f[c]
            source = self._sources.get(who)
            if source is None:
                # the profile's readers, else the parser's event (see Profile.source_of)
                known = event or self._read(f)
                if known is None and (known := (event := self._event(raw))) is None:
                    return None
                source = _remember(self._sources, who, (e.excluded(known), e.who(known)))
            if what == SERVICE and not source[0]:
                user, action = self._users.get(f[u], False), self._actions.get(f[profile.action])
                if action is None:
                    if event is None and (event := self._event(raw)) is None:
                        return None
                    blocked = event.event_action == "blocked"
                    action = _remember(self._actions, f[profile.action], blocked)
                if user is False:
                    known = event or self._read(f)
                    if known is None and (known := (event := self._event(raw))) is None:
                        return None
                    user = _remember(self._users, f[u], e.user_id(known))
        return target, source, user, action

    def _settle(
        self, block: memoryview | bytes, top: int, start: int, end: int, state: int
    ) -> bool:
        """Settle the parts of the usual line ``block[start:end]`` (for the C loop, which then
        records it); False when the parser makes no event of it."""
        raw = bytes(block[start:end])
        return self._parts_of(raw, _fields(raw, top), state) is not None

    def _read(self, f: list[bytes]) -> Event | None:
        """An event with the time, source and user of a usual line's fields ``f``, read by the
        profile's readers as the parser reads them (None: the profile has none)."""
        profile = self.profile
        if profile.source_of is None or profile.user_of is None or profile.source is None:
            return None
        assert profile.values is not None
        c, u = profile.source
        ip, domain = profile.source_of(decode(f[c]))
        ts = _EPOCH + timedelta(microseconds=profile.values(f)[0])
        return Event(ts, ip, domain, profile.user_of(decode(f[u])))

    def _event(self, raw: bytes) -> Any:
        """The event of a usual line (always one; None if not, for the parser's path to say
        why)."""
        try:
            return self.parse(decode(raw))
        except Exception:
            return None

    def _no_host(self, block: memoryview | bytes, rows: np.ndarray) -> np.ndarray:
        """Count the lines that :attr:`Profile.no_host` takes; return the others."""
        pattern = self.profile.no_host
        assert pattern is not None
        left, counted, size, at = [], 0, self.profile.key_len, self.profile.key_at
        lo: bytes | None = None
        hi: bytes | None = None
        for row in rows.tolist():
            raw = bytes(block[row[1] : row[2]])
            if pattern.fullmatch(raw) is None:
                left.append(row)
                continue
            counted += 1
            key = raw[at : at + size]
            if lo is None or key < lo:
                lo = key
            if hi is None or key > hi:
                hi = key
        if counted:  # valid events (left out of the lines parsed) without a host
            self.enricher.counts.no_host_events += counted
            self._keep(lo, hi)
        return np.asarray(left, np.int64).reshape(-1, 3)

    def _local(self, minute: int) -> tuple[str, Any, int, int]:
        """(period, day, hour, weekday) of a UTC minute (minutes since 1970), remembered: its
        hour's when they are the same for every minute of it (see :meth:`_local_hour`)."""
        hour = minute // 60
        at = self._hours.get(hour, _UNSEEN)
        if at is _UNSEEN:
            at = self._local_hour(hour)
        if at is None:
            at = self.enricher.local(minute)
        return _remember(self._locals, minute, at)

    def _local_hour(self, hour: int) -> tuple[str, Any, int, int] | None:
        """What :meth:`Enricher.local_hour` gives for a UTC hour, remembered: the fields of
        every minute of the hour, or None when they differ (its minutes are then each
        converted): a month is ~720 hours, against ~44,000 minutes."""
        return _remember(self._hours, hour, self.enricher.local_hour(hour))


class _NaiveScanner(_NativeScanner):
    """The native engine for a format whose time key is a local time without an offset
    (:attr:`Profile.naive_key`), which its parser's clock reads in ``--tz``.

    The clock reads a time of a regular hour (one UTC offset all along) by its hour alone, and
    one of a DST change by the file's order: a repeated hour's by the time read before it (the
    skipped hour's is shifted and counted).  So:

    * a block whose usual lines' keys span regular hours only is accounted for as the native
      engine does, its first and last times read with their hours' offsets;
    * any other block is read line by line by the parser (twice a year, about an hour's
      lines);
    * the file's :class:`_Timeline` keeps the clock where the reference reader would have it.
      The scan's results are the reference reader's (``tests/perf/test_engines_agree.py`` reads
      DST changes).

    Every usual line of such a profile that is an event reads a time (it names a host: no free
    pairs without one); the lines the parser skips (:attr:`Profile.skip_element`: Windows
    DNS's packets sent and responses) read none, and the timeline looks past them.
    """

    def __init__(
        self,
        parser: Any,
        enricher: Enricher,
        res: FileResult,
        pf: Prefilter,
        timeline: _Timeline | None = None,
    ) -> None:
        super().__init__(parser.parse, enricher, res, pf)
        self.parser = parser
        #: the file's (its layouts' scanners share it)
        self.timeline = timeline or _Timeline(parser)
        self.clock = self.timeline.clock

    def scan(self, block: memoryview | bytes) -> int:
        return self.scan_walked(block, native.walk(self.program, block, self.table))

    def scan_walked(self, block: memoryview | bytes, w: native.Walked) -> int:
        """Account for the lines of ``block``, the walk ``w`` of it found."""
        timeline = self.timeline
        timeline.begin(block, self.base, self)
        try:
            if w.earliest >= 0 and not self._regular(block, w):
                self._decide(w)  # (the walk's new entries: else left pending in the table)
                return self._parse_all(block)
            return self.account(block, w)
        finally:
            # (a walk that counted no event, the lines the parser skips aside: no line of the
            # block the clock could be told the time of)
            timeline.end(w.lines, len(block), w.lines > len(w.rows) + w.skipped)

    def skips(self, line: bytes) -> bool:
        """Whether the walker counts ``line`` (one it counted) as a line the parser skips."""
        if self.profile.skip_element is None:
            return False
        return native.walk(self.program, line + b"\n").skipped == 1

    def _regular(self, block: memoryview | bytes, w: native.Walked) -> bool:
        """Whether the walk's usual lines are all in regular hours of the clock."""
        size, key_time = self.profile.key_len, self.profile.key_time
        first = key_time(bytes(block[w.earliest : w.earliest + size]))
        last = key_time(bytes(block[w.latest : w.latest + size]))
        return self.clock.regular(first, last)

    def walked_time(self, key: bytes) -> datetime:
        """The naive time of the key of an event the walker counted, in the block it walks or
        the last it counted events of."""
        return self.profile.key_time(key)

    def _keep(self, lo: bytes | None, hi: bytes | None, zone: bytes = b"") -> None:
        """Widen the file's first and last times to the naive keys ``lo`` and ``hi``, read with
        their (regular) hours' offsets."""
        utc = self.clock.regular_utc
        if lo is not None:
            self._widen("first_ts", utc(self.walked_time(lo)))
        if hi is not None:
            self._widen("last_ts", utc(self.walked_time(hi)))

    def _parse_at(self, k: int, start: int, line: str, lineno: int) -> None:
        self.timeline.parse_line(k, start, line, lineno, self.res, self.enricher)

    def _parse_all(self, block: memoryview | bytes) -> int:
        """Have the parser read every line of ``block``, in order."""
        view = memoryview(block)
        ends = np.flatnonzero(np.frombuffer(view, np.uint8) == 10).tolist()
        res, start = self.res, 0
        for k, end in enumerate(ends):
            self._parse_at(k, start, decode(bytes(view[start:end])), self.base + k + 1)
            start = end + 1
        self.base += len(ends)
        res.lines += len(ends)
        res.parsed += len(ends)
        return len(ends)


class _YearlessScanner(_NaiveScanner):
    """The native engine for a format whose time key is an RFC 3164 date without a year
    (:attr:`Profile.naive_key` ``"syslog"``: dnsmasq's), which its parser's clock reads in
    ``--tz`` in the year of the file (``ParseContext.year``), plus one after each wrap: a date
    whose month is more than six before the last date's (``LocalClock.syslog_year``).

    The walker orders the keys as in the leap year 2000.  A block whose walk counted events is
    accounted for as :class:`_NaiveScanner` does when the months of its events, those the
    parser reads among them too, are within six of each other (so no wrap among them) and the
    first's wrap after the last date before the block is the same whichever it is: its events
    all have one year.  Then its span must be regular hours of that year, without a 29
    February of another year.  Any other block is read line by line by the parser.  After each
    block the clock is told the month of the last event the walker counted and the wraps, as
    if it had read it; before a block it has read the last date before it, or been told it.
    Without the file's year (a parser outside a scan) every line is the parser's.
    """

    #: the year of the events of the last block the walker counted events of (that of the
    #: timeline's last walked line too: see _Timeline.end), and the wraps before them
    year, shift = 2000, 0
    walked = False  # whether the walker counts the events of the block it reads

    @property
    def base_year(self) -> int | None:
        """The file's year (None: the parser's clock takes this year's, or the last)."""
        year: int | None = self.parser.ctx.year
        return year

    def scan_walked(self, block: memoryview | bytes, w: native.Walked) -> int:
        self.walked = False
        try:
            return super().scan_walked(block, w)
        finally:
            self._told()

    def _regular(self, block: memoryview | bytes, w: native.Walked) -> bool:
        """Whether the walk's events and the lines the parser reads of the block have one
        year (then :attr:`year`), in regular hours of the clock."""
        if self.base_year is None:
            return False
        size = self.profile.key_len
        first = self.profile.key_time(bytes(block[w.earliest : w.earliest + size]))
        last = self.profile.key_time(bytes(block[w.latest : w.latest + size]))
        dates = self._parsed_dates(block, w.rows)
        months = {first.month, last.month, *(month for month, _day in dates)}
        lo, hi = min(months), max(months)
        prev, shift = self.clock.syslog_state
        if hi - lo > 6:
            return False
        if prev is not None and hi < prev - 6:
            shift += 1  # they all wrap after the last date before the block
        elif prev is not None and lo < prev - 6:
            return False  # some would, some would not: the first's month says
        year = self.base_year + shift
        if not calendar.isleap(year) and (first <= _FEB29 <= last or (2, 29) in dates):
            return False  # (the parser rejects those lines, the clock told their month)
        first, last = first.replace(year=year), last.replace(year=year)
        if not self.clock.regular(first, last):
            return False
        self.year, self.shift, self.walked = year, shift, True
        return True

    def _parsed_dates(self, block: memoryview | bytes, rows: np.ndarray) -> set[tuple[int, int]]:
        """The months and days of the year-less dates of the lines ``rows`` (the walk's
        unusual ones, which the parser reads), any such date a line holds (its syslog
        header's)."""
        dates = set()
        for _k, start, end, _kind in rows.tolist():
            header = strip_syslog(decode(bytes(block[start:end])))[0]
            if header is not None and header.timestamp is not None and not header.has_year:
                dates.add((header.timestamp.month, header.timestamp.day))
        return dates

    def walked_time(self, key: bytes) -> datetime:
        # (the year of the block walked, or of the last: see :attr:`year`.  A line of the
        # block before, read when the parser reads a repeated hour's time before the block's
        # first event, would be a year off across a wrap; months from any DST change, the
        # clock reads that time alike either way)
        return self.profile.key_time(key).replace(year=self.year)

    def _told(self) -> None:
        """Tell the clock the date of the block's last event the walker counted, when it read
        none after it."""
        last = self.timeline.last
        if not self.walked or last is None or last[0] < self.timeline.at:
            return
        w = native.walk(self.program, last[1] + b"\n")  # (its key, as _Timeline.settle finds it)
        key = last[1][w.earliest : w.earliest + self.profile.key_len]
        self.clock.syslog_saw(self.profile.key_time(key).month, self.shift)


_FEB29 = datetime(2000, 2, 29)


class _Timeline:
    """The clock's bookkeeping of one file read by the fast path whose usual lines' time key
    is local without an offset (see :class:`_NaiveScanner`): one a file, shared by the
    scanners of its layouts and by the parser's reading line by line.

    The walker counts most lines without the parser, so the parser's clock has not read their
    times.  Before the clock reads a repeated hour's time by the time before it
    (``LocalClock.settle``), the timeline finds the last line before the one the parser reads
    that has a time: when the walker counted it, and the clock has read no later time, the
    clock is told that line's time (its key, found by walking it again with its layout's
    program: a regular hour's time, read by its hour alone), as if it had read it.  The lines
    the walker counted as skipped by the parser have none: it looks past them (walking each
    again).  That line may be in the block before, even of another layout, whose last such
    line the walker counted is kept for this.
    """

    def __init__(self, parser: Any) -> None:
        self.parse, self.clock = parser.parse, parser.clock
        self.clock.settle = self.settle
        self.timed = -1  # the last line (from 0 in the file) whose time the clock read
        self.block: memoryview | bytes = b""
        self.at = 0  # the block's first line (from 0 in the file)
        self.scanner: _NaiveScanner | None = None  # what walks the block (None: the parser)
        self.starts: dict[int, int] = {}  # the block's lines the parser read: their starts
        self.line = (0, 0)  # the line the parser reads: (from 0 in the block, its start)
        #: the last line of the blocks before that the walker counted, (from 0 in the file,
        #: its text, the scanner that walked it), when the clock read no time after it
        self.last: tuple[int, bytes, _NaiveScanner] | None = None

    def begin(
        self, block: memoryview | bytes, at: int, scanner: _NaiveScanner | None = None
    ) -> None:
        """The lines of ``block`` are read next, the first of them the file's ``at``-th (from
        0), by ``scanner`` (None: all by the parser)."""
        self.block, self.at, self.starts, self.scanner = block, at, {}, scanner

    def end(self, lines: int, size: int, events: bool = True) -> None:
        """The ``lines`` lines of the block (``size`` bytes) are read; ``events``: the walker
        may have counted events among them (else none is looked for: the block's lines the
        walker counted are all lines the parser skips)."""
        if events:  # (else the last one of the blocks before stays: see walked_before)
            self.last = self.walked_before(lines, size)
        self.block, self.starts = b"", {}

    def parse_line(
        self, k: int, start: int, line: str, lineno: int, res: FileResult, enricher: Enricher
    ) -> None:
        """Have the parser read ``line``, the block's ``k``-th from 0 (at ``start``; the file's
        ``lineno``-th)."""
        clock, reads = self.clock, self.clock.reads
        self.line = (k, start)
        self.starts[k] = start
        _parse_line(self.parse, line, lineno, res, enricher)
        if clock.reads != reads:
            self.timed = self.at + k

    def walked_before(self, k: int, start: int) -> tuple[int, bytes, _NaiveScanner] | None:
        """The last line before the block's ``k``-th (at ``start``) that the walker counted as
        an event, (from 0 in the file, its text, the scanner that walked it), when the clock
        read no time after it; else None."""
        j, at, starts, timed = k - 1, start, self.starts, self.timed - self.at
        while True:
            while j >= 0 and j in starts:  # (lines the parser read: in order, up to the k-th)
                if j <= timed:
                    return None
                at, j = starts[j], j - 1
            if j < 0:
                last = self.last
                return last if last is not None and last[0] > self.timed else None
            if j <= timed or self.scanner is None:
                return None
            end = at - 1  # (the newline before the line after it)
            at = _line_start(self.block, end)
            text = bytes(self.block[at:end])
            if not self.scanner.skips(text):
                return self.at + j, text, self.scanner
            j -= 1  # a line the parser skips: its time is none the clock reads

    def settle(self) -> None:
        """Bring the clock to the time of the line before the one the parser reads, when the
        walker counted it (see the class)."""
        line = self.walked_before(*self.line)
        if line is None:
            return
        index, text, scanner = line
        w = native.walk(scanner.program, text + b"\n")
        if w.earliest < 0:  # (cannot be: the walker counted the line, alone as in its block)
            return
        key = scanner.walked_time(text[w.earliest : w.earliest + scanner.profile.key_len])
        self.clock.saw(self.clock.regular_utc(key))
        self.timed = index


def _line_start(block: memoryview | bytes, end: int) -> int:
    """Where the line that ends at ``end`` (its newline, or the block's end) starts."""
    at = end
    while at > 0:
        lo = max(0, at - 4096)
        found = bytes(block[lo:at]).rfind(b"\n")
        if found >= 0:
            return lo + found + 1
        at = lo
    return 0


class _LayoutScanner:
    """The scanner of a format whose columns a directive line names (:class:`Layouts`).

    A file is read by the native scanner of its current layout's usual line.  A line that sets
    another layout (the parser's own reading of it, ``layout_of``) is found among the lines
    the walk of a block sends to the parser: the block is then accounted for up to that line,
    the parser reads it, and the rest of the block is read by the new layout's scanner, or
    line by line by the parser when that layout has no usual line (until a line sets one that
    has).  A file of such a format is read whole, in order, by one worker.
    """

    def __init__(
        self, parser: Any, enricher: Enricher, res: FileResult, pf: Prefilter, layouts: Layouts
    ) -> None:
        self.parser, self.parse = parser, parser.parse
        self.enricher, self.res, self.pf, self.layouts = enricher, res, pf, layouts
        self.base = 0  # lines before the next block
        self._scanners: dict[tuple[str, ...], _NativeScanner | None] = {}
        #: the usual line of a layout as the parser reads it (with its options)
        self.usual_for = functools.partial(parser.usual_for, layouts)
        #: the layout a line sets, read as the parser reads the line (behind the syslog headers
        #: a relay may put in front of it, which a format's parser may be given stripped:
        #: ``LogFormat.handles_syslog``; after the header lines it has read: Zeek's)
        self.layout_of: Callable[[str], tuple[str, ...] | None] = functools.partial(
            parser.layout_of, layouts
        )
        #: the file's clock bookkeeping, from its first layout with a naive key on
        self.timeline: _Timeline | None = None
        self.layout = layouts.initial
        self.current = self._scanner(self.layout)

    def _scanner(self, layout: tuple[str, ...] | None) -> _NativeScanner | None:
        """The native scanner of ``layout``'s usual line, None without one (one a layout)."""
        if layout is None:
            return None
        if layout not in self._scanners:
            profile = self.usual_for(layout)
            sub: _NativeScanner | None = None
            if profile is not None:
                assert profile.values is None
                pf = self.pf
                pf = Prefilter(pf.db, pf.candidates, profile, _program(profile), shared=pf.profile)
                if profile.naive_key is not None:  # (the clock is the file's, not a layout's)
                    if self.timeline is None:
                        self.timeline = _Timeline(self.parser)
                    kind = _YearlessScanner if profile.naive_key == "syslog" else _NaiveScanner
                    sub = kind(self.parser, self.enricher, self.res, pf, self.timeline)
                else:
                    sub = _NativeScanner(self.parse, self.enricher, self.res, pf)
                    sub.parser = self.parser
            if len(self._scanners) >= _LAYOUTS_KEPT:  # bounded: memory stays flat
                self._scanners.clear()
            self._scanners[layout] = sub
        return self._scanners[layout]

    def scan(self, block: memoryview | bytes) -> int:
        lines = 0
        view = memoryview(block)
        while len(view):
            sub = self.current
            if sub is None:  # the parser alone, until a line sets a layout with a profile
                n, used = self._parse(view)
                lines += n
                view = view[used:]
                continue
            w = native.walk(sub.program, view, sub.table)
            cut = self._cut(view, w)
            if cut is None:
                return lines + self._account(sub, view, w)
            start, end = cut
            # the walk's new host entries decided (else the table would keep them pending,
            # numbered as in this walk), then the lines before the cut walked again alone
            sub._decide(w)
            if start:
                lines += self._account(sub, view[:start])
            n, used = self._parse(view[start:end])  # the line: it sets the layout
            lines += n
            view = view[start + used :]
        return lines

    def _cut(self, view: memoryview, w: native.Walked) -> tuple[int, int] | None:
        """Where the first line the walk sends to the parser that sets another layout starts
        and ends (after its newline); None without one."""
        for _k, start, end, _kind in w.rows.tolist():
            layout = self.layout_of(decode(bytes(view[start:end])))
            if layout is not None and layout != self.layout:
                while view[end] != 10:  # (a line's end excludes its newline, and \r)
                    end += 1
                return start, end + 1
        return None

    def _account(
        self, sub: _NativeScanner, view: memoryview, w: native.Walked | None = None
    ) -> int:
        """Account for ``view``'s lines by ``sub`` (its walk ``w``, or a new one)."""
        sub.base, sub.res = self.base, self.res
        n = sub.scan(view) if w is None else sub.scan_walked(view, w)
        self.base = sub.base
        return n

    def _parse(self, view: memoryview) -> tuple[int, int]:
        """Have the parser read the lines of ``view`` (each ends with a newline) until one sets
        a layout that has a usual line: (lines read, bytes read)."""
        ends = np.flatnonzero(np.frombuffer(view, np.uint8) == 10).tolist()
        res, start, timeline = self.res, 0, self.timeline
        if timeline is not None:
            timeline.begin(view, self.base)
        k = -1
        for k, end in enumerate(ends):
            line = decode(bytes(view[start:end]))
            self.base += 1
            if timeline is not None:
                timeline.parse_line(k, start, line, self.base, res, self.enricher)
            else:
                _parse_line(self.parse, line, self.base, res, self.enricher)
            res.lines += 1
            res.parsed += 1
            start = end + 1
            layout = self.layout_of(line)
            if layout is not None and layout != self.layout:
                self.layout = layout
                self.current = self._scanner(layout)
                if self.current is not None:
                    break
        if timeline is not None:
            timeline.end(k + 1, start)
        return k + 1, start


#: the layouts whose scanners a file keeps, and programs compiled for them (a log may name any
#: number of layouts: a handful in practice)
_LAYOUTS_KEPT = 64


@functools.lru_cache(maxsize=_LAYOUTS_KEPT)
def _program(profile: Profile) -> native.Program:
    """The program of a layout's usual line (compiled once, while kept)."""
    return program(profile)


class _Kept:
    """What a native scanner keeps from file to file (see :class:`_NativeScanner`)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.table = native.HostTable(slots) if slots else None
        self.targets: dict[tuple[bytes, bytes], _Target] = {}
        self.sources: dict[bytes | tuple[bytes, bytes], tuple[bool, Any]] = {}
        self.users: dict[bytes, str | None] = {}
        self.actions: dict[bytes, bool] = {}
        self.locals: dict[int, tuple[str, Any, int, int]] = {}
        self.hours: dict[int, tuple[str, Any, int, int] | None] = {}


#: what a usual line's method and URL give: (what, DNS or not, host, its hit rows' fields)
_Target = tuple[int, bool, str | None, tuple[Any, ...]]


def _target(e: Enricher, event: Any) -> _Target:
    what, host, _, dns = destination = e.destination(event)
    fields = destination_fields(destination, event.observer_product) if what == SERVICE else ()
    return what, dns, host, fields


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """``cache[key] = value``, the cache emptied first when full (memory stays flat)."""
    if len(cache) >= _CACHE:
        cache.clear()
    cache[key] = value
    return value


#: host entries a worker remembers (32 MiB; 0: none).  A month of proxy logs names hundreds of
#: thousands of hosts (a long tail), and the walker starts the table again once it is half full
#: (``_lines.c``), keeping only the entries met again since they were kept (``keep_met``): an
#: entry forgotten is new again when next met, copied, prefiltered and decided again.  Emptied
#: instead, with 64K slots, that happened every ~800,000 lines (interleaved then: 1.94-2.21 s,
#: 1.70-1.93 s with 256K).  The bench's month names 294,149 distinct host entries, each worker
#: of two meets 230,000-245,000: with 256K slots each table started again at 131,000 entries
#: and its worker decided 489,000-625,000 new entries; with 512K, 227,000-246,000, no restart
#: (twelfth session, interleaved: the plain month 2.402 -> 2.365 s, medians of 12 rounds,
#: CPU 4.07 -> 4.00 s; its .gz, one worker, 4.455 -> 4.001 s, 6 rounds).  The .gz's one worker
#: meets all 294,149 and starts the table again once: it decides 355,695 entries keeping those
#: met again, 458,400 emptying the table (3.929 -> 3.472 s, 8 rounds).
HOST_SLOTS = 1 << 19


def _names(entry: bytes) -> list[str]:
    """The host names of an entry (``.a.`` or ``.a. .b.``), as the catalog reads them."""
    return [n.decode("ascii").lower().rstrip(".") for n in entry[1:-1].split(b". .")]


def url_up_to_path(url: bytes) -> bytes:
    """``scheme://authority`` of a URL: what comes before its path, query or fragment."""
    cut = _PATH.search(url, url.find(b"://") + 3)
    return url if cut is None else url[: cut.start()]


def parts_state(entry: bytes, catalog: Catalog) -> int:
    """How the lines of a host entry decided "yes" are enriched by parts, when they can be.

    One name (``host:port[/path]``): GROUPED, by method and whole URL.  Two names
    (``scheme://host…``, either may be the host): BY_HOST, by method and URL up to its path,
    when no path rule is written for either name, so that the path cannot change the match;
    else YES, the parser line by line (their paths differ: keyed by whole URL, no line would
    share its key with another), but for the lines whose method and URL were met before and
    did not matter (see :meth:`_BlockScanner._mattering`).
    """
    if b". ." not in entry:
        return native.GROUPED
    if any(catalog.path_rules(n) for n in _names(entry)):
        return native.YES
    return native.BY_HOST


def entry_decision(entry: bytes, catalog: Catalog) -> bool:
    """Whether the lines of a host ``entry`` (``.a.`` or ``.a. .b.``) need the parser.

    One name: a catalog match or a discovery marker.  Two names (``scheme://host``): either may
    be the host (a ``CONNECT`` takes the scheme), and a path rule may need the path, so the
    lines go to the parser when a rule may cover either name or either looks AI-related.  (Such
    lines are not decided one by one first: their URLs differ, so no decision could be kept.)
    """
    names = _names(entry)
    if len(names) == 1:
        host = names[0]
        return catalog.match(host) is not None or ai_marker(host) is not None
    return any(catalog.covers(h) or ai_marker(h) is not None for h in names if h)


__all__ = [
    "NATIVE",
    "Profile",
    "database",
    "entry_decision",
    "flagged_lines",
    "new_scanner",
    "patterns",
    "profiles",
    "program",
    "read_file_fast",
    "supports",
]
