"""Reading files in parallel: a process per core, results stored in input order.

Each input becomes one or more *units*: a compressed file is one unit (the worker inflates it
between its blocks, or on a thread of its own for the last ``jobs`` files, which may run while
other workers have finished); a large plain file is cut into byte ranges at line starts, large
ones first and small ones last, which the workers take as they finish one (see :func:`_cuts`).
When there are fewer files than workers, a compressed file is instead *fed*, if two workers or
more can scan beside its decompression (more than two cores): this process
decompresses it once (gzip by ISA-L), on a thread of its own, straight into slots of shared
memory, and the workers scan the blocks as they come, each keeping its host table and caches
from block to block.  (On two cores one worker reads it, decompressing on a thread of its own:
see :meth:`FileRunner._fed`.)
The results of a file's units or blocks are merged (line numbers made global) before they are
stored.  Workers are forked before the store is opened and inherit the catalog, the attribution
sources, the key and the compiled prefilters; they return each unit's accounting and its hits
as an Arrow table.  The main process stores the files one by one, in input order, in the scan's
one transaction, so the stored result does not depend on scheduling.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import functools
import gc
import itertools
import mmap
import multiprocessing
import os
import queue
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import xxhash

from sentinelle.catalog import Catalog, Policy
from sentinelle.formats import LogFormat, ParseContext, get_format
from sentinelle.inputs import CHUNK, QUICK_BYTES, ContentHash, InputFile, combine
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan import blocks, fast
from sentinelle.scan.enrich import Counts, Enricher
from sentinelle.scan.inflate import SlotInflater, inflating
from sentinelle.scan.reader import KEPT_REJECTS, SHOWN_REJECTS, FileResult, Progress, read_file
from sentinelle.scan.spool import Hits, SpoolWriter

SPLIT_MIN = 64 << 20  # plain files at least this large are cut into ranges, read in parallel
#: the smallest range of a large plain file (see :func:`_cuts`): the workers take the next range
#: as they finish one, so they finish the file together whatever the speed of their cores.  With
#: one range per worker, on the 2-vCPU guest of the twelfth session, one worker often ended
#: 0.3-0.9 s after the other (its core slower for a while, or shared with this process).  A
#: worker keeps its host table and caches from range to range (``enrich._Memo``).  The content
#: hash's chunk (``inputs.CHUNK``, 16 MiB), so that ranges hold whole chunks.  The bench's month,
#: interleaved (``bench/scan_ab.py``, 20 rounds): 2.574 -> 2.257 s (medians; paired difference
#: -0.18 s, faster in 14 rounds), CPU 4.16 -> 3.84 s.  Ranges of 16 MiB throughout (74, not
#: 17) gained nothing: 2.591 -> 2.817 s (16 rounds), 2.827 -> 2.814 s (30 rounds), CPU +0.2-0.4 s.
RANGE = CHUNK
FEED_MIN = 8 << 20  # compressed files at least this large are fed to the workers when few
#: set when an interrupted scan left its pool's thread stuck: the process must then end with
#: ``os._exit`` (the interpreter would wait for that thread at exit)
ABANDONED = False
ProgressFactory = Callable[[InputFile], Progress]


@dataclass
class Outcome:
    """What reading one file gave: its accounting, its hits and its discovery candidates."""

    result: FileResult
    counts: Counts
    hits: Hits
    discovered: Counter[tuple[str, str, str | None]] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Unit:
    plan: int
    inp: InputFile
    fmt: str
    year: int
    window: tuple[int, int] | None = None
    #: a compressed file is inflated on a thread of its own (see blocks.read_blocks): only when
    #: a core would otherwise idle
    inflate_thread: bool = True


@dataclass
class _Shared:
    """What every worker needs; set before the workers are forked, so never pickled."""

    catalog: Catalog
    inventory: Any
    pseudonymizer: Pseudonymizer
    zone: ZoneInfo
    policy: Policy | None
    engine: str
    databases: dict[str, Any] = field(default_factory=dict)
    progress: Any = None  # a multiprocessing queue of (plan, bytes done, lines), or None
    #: one flag per planned file, shared with the workers: set, the file's reading stops
    cancelled: Any = None
    #: shared memory of the fed blocks: ``slots`` slots of ``slot`` bytes (see FileRunner._feed)
    blocks: Any = None
    slot: int = 0
    #: the scan's spool directory (see :mod:`sentinelle.scan.spool`), or None: hits in memory
    spool: str | None = None
    #: what the parsers read beyond the lines (``ParseContext.options``)
    options: dict[str, str] = field(default_factory=dict)


_SHARED: _Shared | None = None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


class _Cancelled(Exception):
    """The file was found already scanned while it was being read: its reading stops."""


def _run(unit: _Unit, report: Callable[[int, int], None] | None = None) -> Outcome | None:
    sh = _SHARED
    assert sh is not None
    if sh.cancelled is not None and sh.cancelled[unit.plan]:
        return None
    fmt = get_format(unit.fmt)
    enricher = Enricher(sh.catalog, sh.inventory, sh.pseudonymizer, sh.zone, sh.policy)
    ctx = ParseContext(path=unit.inp.name, tz=sh.zone, year=unit.year, options=sh.options)
    if report is None and sh.progress is not None:
        report = _queue_reporter(sh.progress, unit)
    if sh.cancelled is not None:  # checked at each block
        report = _stopping(report, sh.cancelled, unit.plan)
    spill: SpoolWriter | list[pa.Table] = SpoolWriter(sh.spool) if sh.spool else []
    try:
        res = _read(unit, fmt, ctx, enricher, report, spill)
    except BaseException as e:
        if isinstance(spill, SpoolWriter):
            spill.discard()
        if isinstance(e, _Cancelled):
            return None
        raise
    return Outcome(res, enricher.counts, _hits(spill, enricher), enricher.discovered)


def _hits(spill: SpoolWriter | list[pa.Table], enricher: Enricher) -> Hits:
    """The hits of a reading: those moved to ``spill`` and those still in ``enricher``."""
    spill.append(enricher.hits())
    if isinstance(spill, SpoolWriter):
        spooled = spill.close()
        return Hits([(spooled, 0)] if spooled is not None else [])
    return Hits([(t, 0) for t in spill if t.num_rows])


def _read(
    unit: _Unit,
    fmt: LogFormat,
    ctx: ParseContext,
    enricher: Enricher,
    report: Callable[[int, int], None] | None,
    spill: SpoolWriter | list[pa.Table],
) -> FileResult:
    sh = _SHARED
    assert sh is not None
    if fmt.name in sh.databases:
        return fast.read_file_fast(
            unit.inp,
            fmt,
            ctx,
            enricher,
            report,
            db=sh.databases[fmt.name],
            window=unit.window,
            spill=spill,
            inflate_thread=unit.inflate_thread,
        )
    return read_file(unit.inp, fmt, ctx, enricher, report, spill=spill)


#: in a worker: (scanner, enricher) of each file it was fed blocks of, kept from block to block
_FED: dict[int, tuple[Any, Enricher]] = {}


def _run_block(unit: _Unit, slot: int, length: int, data: bytes | None) -> Outcome:
    """Scan one block of a fed file: ``length`` bytes of shared slot ``slot`` (or ``data``);
    its lines are numbered from 1 (the caller makes the numbers global, as for ranges)."""
    sh = _SHARED
    assert sh is not None
    fed = _FED.get(unit.plan)
    if fed is None:
        fmt = get_format(unit.fmt)
        enricher = Enricher(sh.catalog, sh.inventory, sh.pseudonymizer, sh.zone, sh.policy)
        ctx = ParseContext(path=unit.inp.name, tz=sh.zone, year=unit.year, options=sh.options)
        scanner = fast.new_scanner(fmt, ctx, enricher, FileResult(), sh.databases[unit.fmt])
        fed = _FED[unit.plan] = (scanner, enricher)
    scanner, enricher = fed
    res = scanner.res = FileResult()
    scanner.base = 0
    enricher.counts, enricher.discovered = Counts(), Counter()
    enricher.clear_hits()
    if data is None:
        with memoryview(sh.blocks) as view, view[slot * sh.slot : slot * sh.slot + length] as b:
            scanner.scan(b)
    else:
        scanner.scan(data)
    spill: SpoolWriter | list[pa.Table] = SpoolWriter(sh.spool) if sh.spool else []
    return Outcome(res, enricher.counts, _hits(spill, enricher), enricher.discovered)


def _stopping(
    report: Callable[[int, int], None] | None, flags: Any, plan: int
) -> Callable[[int, int], None]:
    def check(position: int, lines: int) -> None:
        if flags[plan]:
            raise _Cancelled
        if report is not None:
            report(position, lines)

    return check


def _queue_reporter(q: Any, unit: _Unit) -> Callable[[int, int], None]:
    last = [unit.window[0] if unit.window else 0]

    def report(position: int, lines: int) -> None:
        q.put((unit.plan, position - last[0], lines))
        last[0] = position

    return report


class FileRunner:
    """Reads planned files with ``jobs`` worker processes (in this process when ``jobs`` is 1)."""

    def __init__(
        self,
        *,
        jobs: int,
        engine: str,
        catalog: Catalog,
        inventory: Any,
        pseudonymizer: Pseudonymizer,
        zone: ZoneInfo,
        policy: Policy | None,
        formats: Sequence[LogFormat],
        progress: ProgressFactory | None,
        spool: str | None = None,
        options: dict[str, str] | None = None,
    ) -> None:
        global _SHARED
        self.jobs = max(1, jobs)
        self.files = len(formats)
        self.progress = progress
        self.fast = engine == "fast"
        # one prefilter per format (not per file: a month of daily files has one format)
        distinct = {f.name: f for f in formats if self.fast and fast.supports(f)}
        dbs = {name: fast.database(f, catalog) for name, f in distinct.items()}
        _SHARED = _Shared(catalog, inventory, pseudonymizer, zone, policy, engine, dbs)
        _SHARED.spool = spool
        _SHARED.options = dict(options or {})
        self._pool: Executor | None = None
        self._queue: Any = None
        self._futures: list[list[Future[Outcome | None]]] = []

    def __enter__(self) -> FileRunner:
        # Frozen, the objects that exist before the reading (modules, catalog, inventory) are left
        # out of the collections made while reading, which would walk them all again (in each
        # worker, copying the memory pages they touch: ~50 ms a worker on a large file).
        gc.freeze()
        try:
            self._start()
        except BaseException:
            gc.unfreeze()
            raise
        return self

    def _start(self) -> None:
        if self.jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            assert _SHARED is not None
            _SHARED.cancelled = ctx.RawArray("b", max(1, self.files))
            if _SHARED.databases:  # a compressed file may be fed (pages used only then)
                _SHARED.slot = 2 * blocks.BLOCK  # a block and the unfinished line before it
                # a slot for each worker's block, one filled and waiting for the first worker
                # done, one being filled: with one fewer, a worker done waited for the inflation
                # of the next block (the month's .gz, interleaved: 2.42 -> 2.32 s, see
                # bench/README.md)
                _SHARED.blocks = mmap.mmap(-1, (self.jobs + 2) * _SHARED.slot)
            if self.progress is not None:
                self._queue = ctx.Queue()
                assert _SHARED is not None
                _SHARED.progress = self._queue
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_worker_init)
            self._pool.submit(os.getpid).result()  # fork the workers now, before the store opens

    def __exit__(self, kind: object, *exc: object) -> None:
        global _SHARED
        if self._pool is not None:
            if kind is None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            else:  # interrupted or failed: the workers' reading is lost anyway
                for proc in list(getattr(self._pool, "_processes", {}).values()):
                    proc.kill()
                # a worker killed while it sent a result leaves half a message in the pipe, and
                # the pool's thread waits for the rest forever: wait for it a little only (the
                # CLI then leaves with os._exit, see ABANDONED)
                thread = getattr(self._pool, "_executor_manager_thread", None)
                self._pool.shutdown(wait=False, cancel_futures=True)
                if thread is not None:
                    thread.join(timeout=5)
                    if thread.is_alive():
                        global ABANDONED
                        ABANDONED = True
        if self._queue is not None:
            self._queue.close()
        if _SHARED is not None and _SHARED.blocks is not None:
            with contextlib.suppress(BufferError):  # a view may outlive a failed feed
                _SHARED.blocks.close()
        gc.unfreeze()
        _SHARED = None

    def run(
        self, inputs: Sequence[tuple[InputFile, LogFormat, int]]
    ) -> list[Callable[[], Outcome]]:
        """For each (input, format, year hint), in order: a call that returns its outcome.

        With workers, every file is submitted at once (the i-th input is planned file i, see
        :meth:`cancel`) and each call waits for its own file; without, each call reads its file.
        """
        few = len(inputs) < self.jobs  # then a compressed file is fed to the workers
        # While every worker has a file to scan, no core is left for an inflating thread; the
        # last ``jobs`` files may be scanned while other workers have finished, and keep it.
        alone = self._pool is None and usable_cpus() > 1
        units = [
            self._units(i, inp, fmt, year, alone or i >= len(inputs) - self.jobs)
            for i, (inp, fmt, year) in enumerate(inputs)
        ]
        if self._pool is None:
            return [
                lambda inp=inp, us=us: self._local(inp, us)  # type: ignore[misc]
                for (inp, _, _), us in zip(inputs, units, strict=True)
            ]
        fed = [few and self._fed(inp, fmt) for inp, fmt, _ in inputs]
        futures = [
            [] if feed else [self._pool.submit(_run, u) for u in us]
            for feed, us in zip(fed, units, strict=True)
        ]
        self._futures = futures
        done = [[0, 0] for _ in inputs]  # (bytes, lines) each file's bar was told of
        return [
            functools.partial(self._feed, us[0])
            if feed
            else functools.partial(self._collect, i, inp, fs, done)
            for i, ((inp, _, _), fs, feed, us) in enumerate(
                zip(inputs, futures, fed, units, strict=True)
            )
        ]

    def _fed(self, inp: InputFile, fmt: LogFormat) -> bool:
        """Whether ``inp`` is fed to the workers block by block (see :meth:`_feed`).

        Only when two workers or more can scan beside the decompressing thread.  With one core
        left (two cores), one worker reads it with its own decompressing thread, as ``--jobs 1``
        does: two busy threads, not four, and each part of a line (its source, its user)
        settled by one worker, not both (the month's .gz, alternated 5 times: 2.34-2.39 s and
        3.5 s of CPU that way, 2.45-2.54 s and 4.0 s fed; its .zst, interleaved: 2.37 s against
        2.57 s).
        """
        assert _SHARED is not None
        return (
            _SHARED.blocks is not None
            and fmt.name in _SHARED.databases
            and fast.divisible(fmt)
            and inp.compression is not None
            and inp.size >= FEED_MIN
            and min(self.jobs, usable_cpus() - 1) >= 2
        )

    def fast_path(self, fmt: LogFormat) -> bool:
        """Whether the files of ``fmt`` are read by the fast path (the prefilter, or the native
        line walker): a prefilter was made for it."""
        assert _SHARED is not None
        return fmt.name in _SHARED.databases

    def cancel(self, i: int) -> None:
        """Stop reading file ``i`` (found already scanned): not started, or within a block."""
        if self._pool is None:
            return  # read only when asked
        assert _SHARED is not None and _SHARED.cancelled is not None
        _SHARED.cancelled[i] = 1
        for f in self._futures[i]:
            f.cancel()

    def _units(
        self, i: int, inp: InputFile, fmt: LogFormat, year: int, inflate_thread: bool
    ) -> list[_Unit]:
        fast_path = self.jobs > 1 and self.fast and fast.supports(fmt)
        can_split = (
            fast_path and fast.divisible(fmt) and inp.compression is None and inp.size >= SPLIT_MIN
        )
        if not can_split:
            return [_Unit(i, inp, fmt.name, year, inflate_thread=inflate_thread)]
        cuts = _cuts(inp, self.jobs)
        return [_Unit(i, inp, fmt.name, year, (a, b)) for a, b in itertools.pairwise(cuts)]

    def _local(self, inp: InputFile, units: list[_Unit]) -> Outcome:
        report = self.progress(inp) if self.progress else None
        parts = [_run(u, report) for u in units]
        got = [p for p in parts if p is not None]  # never cancelled here: read when asked
        return _merge(got)

    def _collect(
        self, i: int, inp: InputFile, fs: list[Future[Outcome | None]], done: list[list[int]]
    ) -> Outcome:
        """Wait for file ``i``'s units and merge their outcomes, in order as they come (a
        merged outcome is let go: what is kept does not grow with the number of ranges)."""
        bar = self.progress(inp) if self.progress else None
        bars = {i: bar}
        if bar is not None and (done[i][0] or done[i][1]):  # what came before its bar did
            bar(done[i][0], done[i][1])
        merger, parts = _Merger(), len(fs)
        while fs:
            wait(fs[:1], timeout=0.1)
            self._pump(bars, done)
            while fs and fs[0].done():
                outcome = fs.pop(0).result()  # (fs is the list cancel() looks at)
                assert outcome is not None, "a file read was cancelled, then collected"
                if parts == 1 and outcome.result.fingerprint:  # a whole file
                    self._pump(bars, done)
                    _finish(bar, inp, done[i], outcome.result.lines)
                    return outcome
                merger.add(outcome)
        self._pump(bars, done)
        outcome = merger.outcome()
        _finish(bar, inp, done[i], outcome.result.lines)
        return outcome

    def _feed(self, unit: _Unit) -> Outcome:
        """Inflate a compressed file once, here, and have the workers scan its blocks.

        A thread inflates the file straight into free slots of shared memory, each block (cut
        after its last newline) after the unfinished line before it (see
        :class:`~sentinelle.scan.inflate.SlotInflater`); this thread hashes each block and hands
        it to a worker, and a slot is given back to the inflating thread once its block is
        scanned.  The blocks' outcomes are merged as a split file's ranges, in order as they
        come (what is kept does not grow with the file).
        """
        assert self._pool is not None and _SHARED is not None
        inp, size = unit.inp, _SHARED.slot
        bar = self.progress(inp) if self.progress else None
        hasher, head = ContentHash(), bytearray()  # head: for the quick key
        waiting: collections.deque[Future[Outcome]] = collections.deque()  # in block order
        merger = _Merger()

        def fold(position: int, every: bool = False) -> None:
            """Merge the blocks scanned so far, in order (``every``: all, once scanned)."""
            lines = 0
            while waiting and (every or waiting[0].done()):
                outcome = waiting.popleft().result()  # a failed block stops the file here
                merger.add(outcome)
                lines += outcome.result.lines
            if bar is not None and lines:
                bar(position, lines)

        with (
            blocks.open_stream(inp) as (stream, raw),
            memoryview(_SHARED.blocks) as view,
            inflating(
                stream,
                functools.partial(blocks.tell, raw),
                _SHARED.blocks,
                size,
                blocks.BLOCK,
                list(range(len(_SHARED.blocks) // size)),
            ) as inflater,
        ):
            for block in inflater:
                content = (
                    block.data
                    if block.data is not None
                    else view[block.slot * size : block.slot * size + block.length]
                )
                hasher.update(content)
                if len(head) < QUICK_BYTES:
                    head.extend(content[: QUICK_BYTES - len(head)])
                f = self._pool.submit(_run_block, unit, block.slot, block.length, block.lines)
                waiting.append(f)
                if block.data is None:
                    f.add_done_callback(functools.partial(_give_back, inflater, block.slot))
                fold(block.position)
        fold(inp.size, every=True)
        outcome = merger.outcome(whole=True)
        outcome.result.content_bytes = hasher.length
        outcome.result.fingerprint = hasher.hexdigest()
        outcome.result.quick_key = xxhash.xxh3_128_hexdigest(bytes(head))
        return outcome

    def _pump(self, bars: dict[int, Progress | None], done: list[list[int]]) -> None:
        if self._queue is None:
            return
        while True:
            try:
                plan, delta, lines = self._queue.get_nowait()
            except queue.Empty:
                return
            done[plan][0] += delta
            done[plan][1] += lines
            bar = bars.get(plan)
            if bar is not None:
                bar(done[plan][0], lines)


def _finish(bar: Progress | None, inp: InputFile, done: list[int], lines: int) -> None:
    """Bring file ``inp``'s bar to its end once its outcome is in: a worker's last reports of
    progress travel on their own queue, whose thread may send them after the outcome (a plain
    file's bar was seen to stop at 2,833 of its 3,000 lines).  Reports still to come are then
    left out (:meth:`FileRunner._pump` has no bar for a collected file)."""
    if bar is None:
        return
    missing = max(0, lines - done[1])
    if missing or done[0] < inp.size:
        done[0], done[1] = max(done[0], inp.size), done[1] + missing
        bar(done[0], missing)


def _give_back(inflater: SlotInflater, slot: int, _done: Future[Outcome]) -> None:
    """A fed block is scanned (or failed): its slot may be filled again."""
    inflater.release(slot)


def _worker_init() -> None:
    """Workers die with the scan (kill -9 included) and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # loaded already (find_library runs ldconfig)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux only
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the scan died before this line
        os._exit(1)
    if _SHARED is not None and _SHARED.progress is not None:
        _SHARED.progress.cancel_join_thread()  # never block at exit on a dead reader


def _cuts(inp: InputFile, parts: int) -> list[int]:
    """Byte offsets that cut ``inp`` into ranges for ``parts`` workers, each range starting at
    the start of the line that holds its first byte.

    Guided: each range is a ``2 * parts``-th of what is left, in multiples of :data:`RANGE`,
    down to :data:`RANGE`: the workers start on large ranges and finish on small ones, so they
    end together whatever the speed of their cores, for few ranges (the bench's month: 17, not
    74 of 16 MiB).  A range then holds whole content chunks of the fingerprint (see
    :class:`~sentinelle.inputs.ContentHash`) and reads past its end only the rest of its last
    line.  A file of less than ``parts`` ranges of :data:`RANGE` is cut into ``parts`` equal
    ranges."""
    equal = -(-inp.size // parts) if inp.size < parts * RANGE else 0
    cuts = [0]
    with open(inp.path, "rb") as fh:
        at = 0
        while True:
            at += equal or max(RANGE, (inp.size - at) // (2 * parts) // RANGE * RANGE)
            if at >= inp.size:
                break
            cut = _line_start(fh, at, cuts[-1])
            if cut > cuts[-1]:  # (a line may hold several cut points)
                cuts.append(cut)
    cuts.append(inp.size)
    return cuts


def _line_start(fh: Any, at: int, floor: int) -> int:
    """The offset of the start of the line holding byte ``at`` (``floor`` at the lowest)."""
    end = at
    while end > floor:
        begin = max(floor, end - (1 << 16))
        fh.seek(begin)
        nl = fh.read(end - begin).rfind(b"\n")
        if nl >= 0:
            return begin + nl + 1
        end = begin
    return floor


def _merge(parts: list[Outcome], whole: bool = False) -> Outcome:
    """One file's outcome from its ranges' or blocks' (line numbers made global, fingerprint
    combined; ``whole``: the caller sets the fingerprint)."""
    if len(parts) == 1 and parts[0].result.fingerprint:  # a whole file
        return parts[0]
    merger = _Merger()
    for p in parts:
        merger.add(p)
    return merger.outcome(whole)


class _Merger:
    """Folds the outcomes of a file's ranges or blocks, in order, as they come (what it keeps
    does not grow with the file: at most :data:`KEPT_REJECTS` rejects, spooled hits)."""

    def __init__(self) -> None:
        self.res, self.counts = FileResult(), Counts()
        self.hits = Hits()
        self.discovered = Counter[tuple[str, str, str | None]]()
        self.chunks: list[bytes] = []
        self.quick_key: str | None = None

    def add(self, p: Outcome) -> None:
        res, r = self.res, p.result
        shift = res.lines
        for rej in r.rejects[: max(0, KEPT_REJECTS - len(res.rejects))]:
            rej.line += shift
            res.rejects.append(rej)
        self.hits.extend(p.hits, shift)
        for k in ("lines", "events", "skipped", "rejected", "parsed", "content_bytes"):
            setattr(res, k, getattr(res, k) + getattr(r, k))
        for k in vars(self.counts):
            setattr(self.counts, k, getattr(self.counts, k) + getattr(p.counts, k))
        res.first_ts = _pick(min, res.first_ts, r.first_ts)
        res.last_ts = _pick(max, res.last_ts, r.last_ts)
        self.discovered.update(p.discovered)
        self.chunks.extend(r.chunks)
        if self.quick_key is None:
            self.quick_key = r.quick_key

    def outcome(self, whole: bool = False) -> Outcome:
        res = self.res
        for rej in res.rejects[SHOWN_REJECTS:]:
            rej.text = ""
        if not whole:
            res.fingerprint = combine(self.chunks, res.content_bytes)
            res.quick_key = self.quick_key or ""
        return Outcome(res, self.counts, self.hits, self.discovered)


def _pick(f: Callable[..., Any], a: datetime | None, b: datetime | None) -> Any:
    return b if a is None else a if b is None else f(a, b)
