"""Hit rows on their way to the store, spooled to disk so that memory does not grow with input.

A file's hits are known only once it is read, and the whole scan is stored in one transaction
(all or nothing).  Held in memory until then, they would make a scan's memory grow with its
input (~1 KB a hit between a worker's copy, the pickled copy and the store's).  Instead each
unit of reading (a file, a range of a large file, a fed block of a compressed one) writes its
rows, as they come, to an Arrow IPC stream in the scan's *spool* directory; the process that
stores reads them back a batch at a time (:meth:`Hits.batches`), then the files are deleted.

The spool lives in the store's directory (the same disk and permissions as the store itself),
in a directory named after the scanning process: one left behind by a scan that was killed is
removed by the next scan of that store (:func:`open_spool`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from sentinelle.errors import StoreError
from sentinelle.scan.enrich import HIT_SCHEMA, numbers_array

PREFIX = ".spool-"  # <store>/.spool-<pid>-<random>/


@dataclass(frozen=True)
class Spooled:
    """An Arrow IPC stream of hit rows written by :class:`SpoolWriter` (picklable)."""

    path: str
    rows: int


class SpoolWriter:
    """Appends hit tables to one IPC stream (``append``, so it stands in for a list)."""

    _names = itertools.count()

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, f"{os.getpid()}-{next(self._names)}.arrows")
        self.rows = 0
        self._sink: pa.NativeFile | None = None
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None

    def append(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        with self._writing():
            if self._writer is None:
                self._sink = pa.OSFile(self.path, "wb")
                self._writer = pa.ipc.new_stream(self._sink, HIT_SCHEMA)
            self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> Spooled | None:
        """The stream written (None when no row was)."""
        if self._writer is None:
            return None
        with self._writing():
            self._writer.close()
            assert self._sink is not None
            self._sink.close()
        self._writer = None
        return Spooled(self.path, self.rows)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A full disk (or a spool removed under the scan) stops it with a clear message."""
        try:
            yield
        except OSError as e:
            raise StoreError(
                f"{os.path.dirname(self.path)}: cannot write the scan's spool ({e.strerror or e})",
                hint="free space on the store's disk (the spool holds the hits found so far), "
                "or point --store at a disk with room",
            ) from None

    def discard(self) -> None:
        """Close and delete what was written (a reading that failed or was cancelled)."""
        with contextlib.suppress(OSError):
            self.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


@dataclass
class Hits:
    """A file's hit rows: parts in memory or spooled, each with the number added to its
    line numbers (``seq``) to make them the file's (its ranges' and blocks' are their own)."""

    parts: list[tuple[pa.Table | Spooled, int]] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        return sum(p.num_rows if isinstance(p, pa.Table) else p.rows for p, _ in self.parts)

    def extend(self, other: Hits, shift: int) -> None:
        """Add ``other``'s parts, their line numbers shifted by ``shift`` more."""
        self.parts.extend((p, s + shift) for p, s in other.parts)

    def batches(self) -> Iterator[pa.Table]:
        """The rows, a batch at a time, line numbers shifted; each spooled file is deleted
        once it is read."""
        for part, shift in self.parts:
            if isinstance(part, pa.Table):
                if part.num_rows:
                    yield _shifted(part, shift)
                continue
            with pa.OSFile(part.path, "rb") as source, pa.ipc.open_stream(source) as reader:
                for batch in reader:
                    yield _shifted(pa.Table.from_batches([batch]), shift)
            os.unlink(part.path)

    def table(self) -> pa.Table:
        """All the rows in one table (tests, small files)."""
        return pa.concat_tables([*self.batches(), HIT_SCHEMA.empty_table()])

    def discard(self) -> None:
        """Delete the spooled parts (never stored)."""
        for part, _ in self.parts:
            if isinstance(part, Spooled):
                with contextlib.suppress(OSError):
                    os.unlink(part.path)


def _shifted(hits: pa.Table, shift: int) -> pa.Table:
    """``hits`` with ``shift`` added to their line numbers (pyarrow.compute is slow to import)."""
    seq = np.add(hits["seq"].to_numpy(), shift, dtype=np.int64)
    column = numbers_array(pa.int64(), seq)  # (not pa.array(ndarray): it imports numpy.ma)
    return hits.set_column(hits.schema.get_field_index("seq"), "seq", column)


def open_spool(store: Path) -> str:
    """A new spool directory in the store's directory (made if absent), after removing those
    that scans killed before they could clean up left behind."""
    try:
        store.mkdir(parents=True, exist_ok=True)
        for old in store.glob(f"{PREFIX}*"):
            pid = old.name[len(PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
        return tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=store)
    except OSError as e:
        raise StoreError(
            f"{store}: cannot write in the store directory ({e.strerror or e})",
            hint="point --store (or SENTINELLE_STORE) at a directory this user can write in",
        ) from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def close_spool(directory: str) -> None:
    shutil.rmtree(directory, ignore_errors=True)


__all__ = ["Hits", "SpoolWriter", "Spooled", "close_spool", "open_spool"]
