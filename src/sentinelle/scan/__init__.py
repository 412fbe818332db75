"""``sentinelle scan``: logs → normalized events → catalog matches → attribution → the store.

Reads like its table of contents::

    inputs = discover(paths)                      # files, directories, stdin
    plans = [plan(inp) for inp in inputs]         # every format detected before anything is written
    with store.transaction():                     # all or nothing
        for plan in plans:
            skip files already scanned (same decompressed content)
            result = read(plan)                   # parse, match, attribute, pseudonymize:
                                                  # scan/fast.py or scan/reader.py, files (and
                                                  # ranges of a large file) in parallel; hits
                                                  # spooled to disk as they come (scan/spool.py)
            store the file's accounting, its hits and its discovery candidates

Memory does not grow with the input: the readers keep bounded caches, the hits wait on disk
(in the store's directory) rather than in memory, a file's hits go to the store in one streamed
statement, and DuckDB's buffer pool is capped while it only inserts (:data:`STORE_MEMORY`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pyarrow as pa

from sentinelle import __version__
from sentinelle.catalog import Catalog, Policy, load_catalog
from sentinelle.errors import (
    ConfigError,
    SentinelleError,
    UnreadableInputError,
    UnrecognizedFormatError,
)
from sentinelle.formats import LogFormat, ParseContext, check_options, detect_format, get_format
from sentinelle.inputs import (
    InputFile,
    discover,
    fingerprint,
    head_lines,
    legacy_fingerprint,
    quick_key,
    year_hint,
)
from sentinelle.inventory.combined import AttributionSources, load_attributor
from sentinelle.privacy import Pseudonymizer, load_or_create_secret
from sentinelle.privacy.retention import retention_warning
from sentinelle.scan.enrich import HIT_SCHEMA, Enricher, numbers_array
from sentinelle.scan.parallel import FileRunner, Outcome, usable_cpus
from sentinelle.scan.reader import FileResult, Progress, Reject
from sentinelle.scan.spool import Hits, close_spool, open_spool
from sentinelle.store import Store, utcnow

__all__ = ["FileReport", "ScanOptions", "ScanReport", "scan", "usable_cpus"]


@dataclass(frozen=True)
class ScanOptions:
    format: str = "auto"
    tz: str = "Europe/Paris"
    inventory: Path | None = None
    catalog_files: tuple[Path, ...] = ()
    policy: Path | None = None
    secret: Path | None = None
    engine: str = "fast"  # "fast" (prefilter, see scan/fast.py) or "reference" (parse every line)
    #: worker processes (files, or ranges of a large plain file, in parallel): one per CPU
    jobs: int = field(default_factory=usable_cpus)
    dhcp: tuple[Path, ...] = ()
    glpi: Path | None = None
    glpi_map: Path | None = None
    directory: Path | None = None
    role_rules: Path | None = None
    #: what the parsers read beyond the lines (``--format-option NAME=VALUE``: Forcepoint's
    #: and Windows DNS's ``date_order``, the mapped format's ``mapping``)
    format_options: tuple[tuple[str, str], ...] = ()

    def attribution(self) -> AttributionSources:
        return AttributionSources(
            self.inventory,
            self.glpi,
            self.glpi_map,
            self.dhcp,
            self.directory,
            self.role_rules,
            self.tz,
        )

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"unknown time zone {self.tz!r}", hint="use an IANA name such as Europe/Paris"
            ) from None


@dataclass
class FileReport:
    name: str
    format: str
    lines: int = 0
    events: int = 0
    skipped: int = 0
    rejected: int = 0
    ai_events: int = 0
    no_host_events: int = 0
    unattributed_events: int = 0
    dns_events: int = 0
    ambiguous_times: int = 0
    nonexistent_times: int = 0
    duplicate_of: str | None = None
    #: lines handed one by one to the parser (see FileResult.parsed), and whether the file was read
    #: by the fast path (the prefilter, or the native line walker), which counts the others
    parsed_lines: int = 0
    fast_path: bool = False
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class ScanReport:
    files: list[FileReport]
    store: str
    started_at: datetime
    finished_at: datetime | None = None
    catalog_version: str = ""
    attribution_problems: list[str] = field(default_factory=list)  # bad rows of the sources
    #: files found in a named directory that no format recognized: (name, why), left out
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    #: the store holds hits past the retention limit (see privacy.retention), or None
    retention_warning: str | None = None

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files if f.duplicate_of is None)

    def to_json(self) -> dict[str, Any]:
        keys = (
            "lines",
            "events",
            "skipped",
            "rejected",
            "ai_events",
            "no_host_events",
            "unattributed_events",
            "dns_events",
            "ambiguous_times",
            "nonexistent_times",
            "parsed_lines",
        )
        return {
            "files": len(self.files),
            "files_scanned": sum(f.duplicate_of is None for f in self.files),
            "files_already_scanned": sum(f.duplicate_of is not None for f in self.files),
            **{k: self.total(k) for k in keys},
            "skipped_files": [{"name": n, "reason": r} for n, r in self.skipped_files],
            "store": self.store,
            "catalog_version": self.catalog_version,
            "per_file": [
                # (not asdict of the whole report: it would copy every reject first)
                {k.name: getattr(f, k.name) for k in fields(FileReport) if k.name != "rejects"}
                | {"first_rejects": [asdict(r) for r in f.rejects[:5]]}
                for f in self.files
            ],
        }


@dataclass(frozen=True)
class _Plan:
    inp: InputFile
    fmt: LogFormat


ProgressFactory = Callable[[InputFile], Progress]


def scan(
    paths: Sequence[str],
    store_path: Path,
    options: ScanOptions = ScanOptions(),
    *,
    progress: ProgressFactory | None = None,
    on_plan: Callable[[list[InputFile]], None] | None = None,
    on_file: Callable[[FileReport, int, int], None] | None = None,
) -> ScanReport:
    """Scan ``paths`` into the store at ``store_path``; all-or-nothing."""
    zone = options.zone()
    parse_options = check_options(dict(options.format_options), options.format)
    catalog, policy = _catalog(options)
    inventory = load_attributor(options.attribution())
    pseudonymizer = Pseudonymizer(load_or_create_secret(options.secret))
    inputs = discover(paths)
    store_path = Path(store_path)
    new_store, spool = not store_path.exists(), None
    try:
        plans, skipped = _plans(inputs, options, zone, parse_options)
        if on_plan is not None:
            on_plan([p.inp for p in plans])
        report = ScanReport([], str(store_path), utcnow(), catalog_version=catalog.version)
        report.skipped_files = skipped
        report.attribution_problems = [str(p) for p in inventory.problems]
        spool = open_spool(store_path)  # the hits on their way to the store (see scan.spool)
        runner = FileRunner(
            jobs=options.jobs,
            engine=options.engine,
            catalog=catalog,
            inventory=inventory,
            pseudonymizer=pseudonymizer,
            zone=zone,
            policy=policy,
            options=parse_options,
            formats=[p.fmt for p in plans],
            progress=progress,
            spool=spool,
        )
        with runner:
            # the workers start on every file while the store opens; a file found already
            # scanned is then cancelled (its reading stops within a block)
            reads = runner.run([(p.inp, p.fmt, year_hint(p.inp)) for p in plans])
            with Store.open(store_path, read_only=False, create=True) as store:
                with store.transaction(checkpoint=True):
                    store.bind_tz(options.tz)
                    store.limit_memory(STORE_MEMORY)
                    store.limit_threads(STORE_THREADS)
                    store.set_meta("attribution_sources", ",".join(inventory.kinds))
                    storing = _Storing(store, store.next_id("scans", "scan_id"))
                    seen = [storing.scanned_before(p.inp) for p in plans]
                    for i, previous in enumerate(seen):
                        if previous is not None:
                            runner.cancel(i)
                    for n, plan in enumerate(plans, start=1):
                        enricher = Enricher(catalog, inventory, pseudonymizer, zone, policy)
                        previous = seen[n - 1]
                        report.files.append(
                            FileReport(plan.inp.name, plan.fmt.name, duplicate_of=previous)
                            if previous is not None
                            else _scan_one(
                                storing,
                                plan,
                                enricher,
                                reads[n - 1],
                                fast_path=runner.fast_path(plan.fmt),
                            )
                        )
                        if on_file is not None:
                            on_file(report.files[-1], n, len(plans))
                    storing.batches.flush()
                    report.finished_at = utcnow()
                    _record_scan(store, storing.scan_id, report, options)
                # in the same opening of the store (opening it again costs ~25 ms)
                report.retention_warning = retention_warning(store)
        return report
    except Exception as e:
        if _interrupted(e):
            raise KeyboardInterrupt from e
        if isinstance(e, BrokenProcessPool):
            raise SentinelleError(
                "a scanning worker stopped abruptly (killed by a signal); nothing was stored",
                hint="the system may have run out of memory (see `dmesg`): rerun the scan, with "
                "fewer --jobs if it happens again",
            ) from None
        raise
    finally:
        if spool is not None:
            close_spool(spool)
            if new_store and not any(store_path.iterdir()):  # made for the spool, then failed
                store_path.rmdir()
        for inp in inputs:
            if inp.temporary:
                os.unlink(inp.path)


def _interrupted(e: Exception) -> bool:
    """Whether ``e`` is a Ctrl-C during a store query (DuckDB is imported with the store)."""
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(e, duckdb.InterruptException):
        return True
    return isinstance(e, RuntimeError) and str(e) == "Query interrupted"


def _catalog(options: ScanOptions) -> tuple[Catalog, Policy | None]:
    policy = Policy.load(options.policy) if options.policy else None
    return load_catalog(extra=options.catalog_files, policy=policy), policy


def _plans(
    inputs: list[InputFile], options: ScanOptions, zone: ZoneInfo, parse_options: dict[str, str]
) -> tuple[list[_Plan], list[tuple[str, str]]]:
    """Every input's format, detected before anything is written.

    A file the user named that no format recognizes stops the run.  A file found while walking a
    directory (Squid's ``cache.log`` beside its ``access.log``, a README) is left out instead,
    and listed in the report with the reason, never silently.
    """
    plans: list[_Plan] = []
    skipped: list[tuple[str, str]] = []
    for inp in inputs:
        try:
            plans.append(_plan(inp, options, zone, parse_options))
        except (UnrecognizedFormatError, UnreadableInputError) as e:
            if not inp.in_directory:
                raise
            skipped.append((inp.name, e.message.split("\n", 1)[0]))
    if not plans and skipped:
        raise UnrecognizedFormatError(
            f"no file of {', '.join(sorted({str(Path(n).parent) for n, _ in skipped}))} "
            f"was recognized ({len(skipped)} tried)",
            hint="check the path, or name the format with --format NAME",
        )
    return plans, skipped


def _plan(
    inp: InputFile, options: ScanOptions, zone: ZoneInfo, parse_options: dict[str, str]
) -> _Plan:
    ctx = ParseContext(path=inp.name, tz=zone, options=parse_options)
    if options.format != "auto":
        return _Plan(inp, get_format(options.format))
    return _Plan(inp, detect_format(head_lines(inp), path=inp.name, ctx=ctx))


class _Storing:
    """What a scan's files are stored with, in the scan's one transaction: the store, the
    scan's number, the rows gathered for its tables (see :class:`_Batches`), and what tells a
    file already stored (in an earlier scan, or earlier in this one) and numbers the others.

    The store is asked once for what it knows (its files' quick keys, the last file number),
    not once a file: a month of daily files took five queries a file (~10 ms of the main
    process each, while the workers wanted both cores)."""

    def __init__(self, store: Store, scan_id: int) -> None:
        self.store, self.scan_id = store, scan_id
        self.batches = _Batches(store)
        self.known = store.known_quick_keys()  # of the files stored before this scan
        self.stored: dict[str, str] = {}  # fingerprint -> name, of the files stored by this one
        self._next_id = store.next_id("files", "file_id")

    def scanned_before(self, inp: InputFile) -> str | None:
        """The file stored before this scan with the same content as ``inp`` (cheap key
        first), or None.  Files stored before version 2 of the fingerprint are found by their
        legacy one."""
        if not self.known or quick_key(inp) not in self.known:
            return None
        found = self.store.file_by_fingerprint(fingerprint(inp))
        if found is None and self.store.has_legacy_fingerprints():
            found = self.store.file_by_fingerprint(legacy_fingerprint(inp))
        return found

    def duplicate(self, result: FileResult) -> str | None:
        """The stored file with the content just read (``result``), or None: one stored by
        this scan, or one stored before whose quick key is the content's (the same content
        has the same quick key)."""
        found = self.stored.get(result.fingerprint)
        if found is None and result.quick_key in self.known:
            found = self.store.file_by_fingerprint(result.fingerprint)
        return found

    def new_file(self, name: str, result: FileResult) -> int:
        """The number of a file about to be stored (its content now known to this scan)."""
        self.stored[result.fingerprint] = name
        self._next_id += 1
        return self._next_id - 1


def _scan_one(
    storing: _Storing,
    plan: _Plan,
    enricher: Enricher,
    read: Callable[[], Outcome],
    *,
    fast_path: bool = False,
) -> FileReport:
    inp = plan.inp
    rep = FileReport(inp.name, plan.fmt.name, fast_path=fast_path)
    outcome = read()
    result = outcome.result
    previous = storing.duplicate(result)
    if previous is not None:  # the same content twice in this very scan
        rep.duplicate_of = previous
        outcome.hits.discard()
        return rep
    enricher.file_id = storing.new_file(inp.name, result)
    enricher.counts, enricher.discovered = outcome.counts, outcome.discovered
    _store_file(storing, enricher.file_id, plan, result, enricher, outcome.hits)
    counts = enricher.counts
    rep.lines, rep.events, rep.skipped, rep.rejected = (
        result.lines,
        result.events,
        result.skipped,
        result.rejected,
    )
    rep.ai_events, rep.no_host_events = counts.ai_events, counts.no_host_events
    rep.unattributed_events, rep.dns_events = counts.unattributed_events, counts.dns_events
    rep.rejects = result.rejects
    rep.ambiguous_times, rep.nonexistent_times = result.ambiguous_times, result.nonexistent_times
    rep.parsed_lines = result.parsed
    return rep


def _store_file(
    storing: _Storing,
    file_id: int,
    plan: _Plan,
    result: FileResult,
    enricher: Enricher,
    hits: Hits,
) -> None:
    batches, c = storing.batches, enricher.counts
    batches.add_row(
        "files",
        {
            "file_id": file_id,
            "scan_id": storing.scan_id,
            "name": plan.inp.name,
            "format": plan.fmt.name,
            "compression": plan.inp.compression,
            "fingerprint": result.fingerprint,
            "quick_key": result.quick_key,
            "size": plan.inp.size,
            "content_bytes": result.content_bytes,
            "lines": result.lines,
            "events": result.events,
            "skipped": result.skipped,
            "rejected": result.rejected,
            "ai_events": c.ai_events,
            "shared_events": c.shared_events,
            "no_host_events": c.no_host_events,
            "unattributed_events": c.unattributed_events,
            "excluded_events": c.excluded_events,
            "dns_events": c.dns_events,
            "first_ts": _naive(result.first_ts),
            "last_ts": _naive(result.last_ts),
        },
    )
    if hits.num_rows >= FLUSH_ROWS:  # streamed to the store: memory does not grow with it
        batches.flush()  # (the rows of the files before it first)
        storing.store.insert_batches("hits", HIT_SCHEMA, _numbered(hits, file_id))
    else:
        for part in _numbered(hits, file_id):
            batches.add("hits", pa.Table.from_batches([part]))
    batches.add("discovery", enricher.discovery())
    rejects = pa.table(
        {
            "file_id": pa.array([file_id] * len(result.rejects), pa.int32()),
            "line": pa.array([r.line for r in result.rejects], pa.int64()),
            "reason": [r.reason for r in result.rejects],
        }
    )
    batches.add("rejects", rejects)


FLUSH_ROWS = 1 << 16  # rows gathered for the store's tables before they are inserted
#: DuckDB's buffer pool during a scan (it otherwise keeps the blocks it writes, up to 80 % of
#: the machine's memory): the scan only inserts, and its memory then stays flat (the store
#: spills to its directory if it ever needs more)
STORE_MEMORY = "64MB"
#: DuckDB's threads during a scan, which only inserts Arrow tables: on two cores, one thread
#: inserted the bench's 50,000 hit rows and wrote them at commit in 81 ms, two in 101 ms (and
#: 250,000 rows in 279 ms against 325 ms)
STORE_THREADS = 1


def _numbered(hits: Hits, file_id: int) -> Iterator[pa.RecordBatch]:
    """The hit rows of file ``file_id`` (they are read before it is numbered)."""
    column = HIT_SCHEMA.get_field_index("file_id")
    for part in hits.batches():
        ids = numbers_array(pa.int32(), np.full(part.num_rows, file_id, np.int32))
        yield from part.set_column(column, "file_id", ids).to_batches()


class _Batches:
    """Rows for the store's tables, inserted a table at a time rather than a file at a time.

    Each insert costs ~5 ms whatever its size: a month of daily files took ~100 of them.  The
    rows are inserted when :data:`FLUSH_ROWS` have gathered (memory stays bounded) and at the
    end, inside the scan's one transaction.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tables: dict[str, list[pa.Table]] = {}
        self.dicts: dict[str, list[dict[str, Any]]] = {}  # rows given one by one
        self.rows = 0

    def add(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.tables.setdefault(name, []).append(table)
            self._added(table.num_rows)

    def add_row(self, name: str, row: dict[str, Any]) -> None:
        """One row (column -> value), made a table with the others of its table at the flush
        (a file's row each: a table a row took 0.4 ms of the main process a file)."""
        self.dicts.setdefault(name, []).append(row)
        self._added(1)

    def _added(self, rows: int) -> None:
        self.rows += rows
        if self.rows >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for name, rows in self.dicts.items():
            self.tables.setdefault(name, []).append(pa.Table.from_pylist(rows))
        self.dicts.clear()
        for name, parts in self.tables.items():
            # a column that is all nulls in one part (no workstation) is typed null there
            table = (
                pa.concat_tables(parts, promote_options="default") if len(parts) > 1 else parts[0]
            )
            self.store.insert_table(name, table)
        self.tables.clear()
        self.rows = 0


def _naive(ts: object) -> datetime | None:
    return ts.replace(tzinfo=None) if isinstance(ts, datetime) else None


def _record_scan(store: Store, scan_id: int, report: ScanReport, options: ScanOptions) -> None:
    store.insert_row(
        "scans",
        {
            "scan_id": scan_id,
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "version": __version__,
            "catalog_version": report.catalog_version,
            "tz": options.tz,
            "files": len(report.files),
            "lines": report.total("lines"),
            "events": report.total("events"),
            "rejected": report.total("rejected"),
            "ai_events": report.total("ai_events"),
        },
    )
