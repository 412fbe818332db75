r"""The floor of ``sentinelle scan`` on one Squid file: its lines walked, nothing else (issue 7).

What the scan cannot beat with its line walker on this machine: the file read in blocks by the
scan's own block reader (a plain file in the scan's byte ranges, which the threads take in turn;
a ``.gz`` inflated by ISA-L on a thread of its own straight into the walked buffers, as the scan
feeds one compressed file),
each block walked by the native walker (``native.walk``: every line checked against the usual
line, its host looked up in the host table) on ``--threads`` threads, which release the GIL while
they walk; each new host entry decided "not AI" at once.  No catalog, no parsing of the lines
that need it, no attribution, no content hash, no store, no worker processes: the scan does all
of that besides.  Python's start-up and the import of ``sentinelle.scan`` are included, as they
are in the scan's time.  ``scan_bench.py`` times it beside the scan and the references::

    python bench/floor.py /tmp/sentinelle-bench/sim-10000000.log.gz --threads 2

It prints ``lines=N`` (the file's line count, as the scan reports it).  Run by hand, never by
the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import mmap
import queue
import sys
import threading
from pathlib import Path
from typing import Any

from sentinelle.scan import blocks
from sentinelle.scan.inflate import gzip_reader, inflating


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="a Squid native log, plain or .gz")
    ap.add_argument("--threads", type=int, default=2, help="walking threads (default: 2)")
    args = ap.parse_args(argv)
    lines = _gzip(args.path, args.threads) if args.path.suffix == ".gz" else _plain(args)
    print(f"lines={lines}")
    return 0


def _walker(threads: int) -> tuple[Any, list[Any]]:
    """The squid profile's program and one host table per thread (imported here, as late as
    the scan imports them)."""
    from sentinelle.formats import get_format
    from sentinelle.scan import fast, native

    profile = get_format("squid").usual
    assert profile is not None
    return fast.program(profile), [native.HostTable(fast.HOST_SLOTS) for _ in range(threads)]


def _walk(program: Any, table: Any, block: memoryview | bytes) -> int:
    import numpy as np

    from sentinelle.scan import native

    w = native.walk(program, block, table)
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    return w.lines


def _gzip(path: Path, threads: int) -> int:
    """ISA-L fills ``threads + 1`` slots (as the scan's shared memory) on its thread; the
    walking threads take the blocks as they come and give their slots back."""
    length, size = blocks.BLOCK, 2 * blocks.BLOCK  # a block, and the unfinished line before it
    slots = list(range(threads + 1))
    memory = mmap.mmap(-1, (threads + 1) * size)
    counts = [0] * threads
    todo: queue.Queue[Any] = queue.Queue()
    with (
        open(path, "rb") as raw,
        contextlib.closing(gzip_reader(raw)) as stream,
        inflating(stream, lambda: 0, memory, size, length, slots) as inflater,
        memoryview(memory) as view,
    ):
        program, tables = _walker(threads)

        def work(i: int) -> None:
            while (block := todo.get()) is not None:
                if block.data is not None:  # a line longer than a block, or the last one
                    counts[i] += _walk(program, tables[i], block.lines)
                    continue
                with view[block.slot * size : block.slot * size + block.length] as chunk:
                    counts[i] += _walk(program, tables[i], chunk)
                inflater.release(block.slot)

        pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for t in pool:
            t.start()
        for block in inflater:
            todo.put(block)
        for _ in pool:
            todo.put(None)
        for t in pool:
            t.join()
    return sum(counts)


def _plain(args: argparse.Namespace) -> int:
    """The scan's byte ranges (cut where it cuts them), each read by the scan's block reader;
    each thread takes the next range as it finishes one, as the scan's workers do."""
    from sentinelle.inputs import discover
    from sentinelle.scan.parallel import _cuts

    path, threads = args.path, args.threads
    (inp,) = discover([str(path)])
    program, tables = _walker(threads)
    counts = [0] * threads
    ranges: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
    for window in itertools.pairwise(_cuts(inp, threads)):  # large ranges first, as submitted
        ranges.put(window)

    def work(i: int) -> None:
        while True:
            try:
                window = ranges.get_nowait()
            except queue.Empty:
                return
            with blocks.read_blocks(inp, window) as read:
                for block, _, _ in read:
                    counts[i] += _walk(program, tables[i], block)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts)


if __name__ == "__main__":
    sys.exit(main())
