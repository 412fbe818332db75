"""Reading an input in blocks of whole lines, for the fast path (:mod:`sentinelle.scan.fast`).

A plain file, or a byte range of it, is read into one reused buffer in huge pages; a compressed
one through its decompressor: gzip by ISA-L's C reader, which inflates straight into the
buffer it is given (:mod:`sentinelle.scan.inflate`), on a thread of its own or between blocks.
Each block is :data:`BLOCK` bytes of content or so, cut after its last newline (memory stays flat
whatever the input's size); the reader also gives the original bytes, for the content hash, and
the position in the file, for progress.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from io import BufferedIOBase
from typing import Any, BinaryIO

from sentinelle.inputs import InputFile, open_with_raw, unreadable
from sentinelle.scan import native
from sentinelle.scan.inflate import gzip_reader, inflating

#: decompressed bytes a block holds at most (and the unfinished line before them).  Small
#: enough that a plain file's block is still in the core's L2 cache when it is walked after the
#: kernel's copy (2 MiB a core on the Xeon of the eleventh session; inflated blocks gain too),
#: large enough that the per-block work stays small.  Interleaved on that machine
#: (``bench/scan_ab.py``, medians), 16 -> 4 MiB: the plain month with two workers
#: 2.528 -> 2.157 s (10 rounds), with one 3.911 -> 3.122 s; its .gz 3.815 -> 3.591 s; as 31
#: daily .gz 3.753 -> 3.314 s (8 rounds).  Against 4 MiB the same way: 8 MiB 2.190 / 1.941 s,
#: 2 MiB 2.473 / 2.410 s, 1 MiB 2.943 / 2.712 s (there the per-block work shows).  On the EPYC
#: of the fifth session, with older code, 1-4 MiB made no difference.
BLOCK = 4 << 20

#: (block ending with a newline, the original bytes, position in the file for progress)
Blocks = Iterator[tuple[memoryview | bytes, memoryview | bytes, int]]

#: the buffers of the readings finished in this process, by size, for the next file's: a fresh
#: mapping faults its pages in again (on this VM, 7-176 ms for 64 MiB of huge pages, depending
#: on what the guest touched before; the month as 31 daily .gz with --jobs 1, interleaved, two
#: series of 4 rounds: 3.20 -> 2.98 s and 3.24 -> 2.89 s; with two workers, no change)
_SPARE: dict[int, Any] = {}


def _buffer(size: int) -> Any:
    """``size`` bytes, writable, in huge pages where the system has them: a finished reading's
    buffer (its content is stale: readers use only what they wrote) or a new one."""
    return _SPARE.pop(size, None) or native.zeroed(size)


@contextmanager
def read_blocks(
    inp: InputFile,
    window: tuple[int, int] | None,
    inflate_thread: bool = True,
) -> Iterator[Blocks]:
    """(block ending with a newline, the original bytes, position in the file for progress).

    A compressed file is decompressed on a thread of its own (``inflate_thread``), or by this
    one, between blocks.  The thread pays when a core would otherwise idle: a single file,
    ``--jobs 1``, the last files of a scan (a single ``.zst`` of the month with two workers,
    interleaved: 2.57 -> 2.37 s; a ``.bz2``, whose decompression is most of the time, the
    same).  While every worker has files to scan, it only adds a thread per
    worker that the cores must share: the bench's month as 31 daily ``.gz`` on two cores,
    interleaved (``bench/scan_ab.py``), took 2.346 s against 2.569 s (medians of 6 rounds; CPU
    4.10 against 4.46 s) without it but for the last two files.
    """
    if inp.compression is None:
        with open(inp.path, "rb") as fh:
            start, stop = window if window is not None else (0, inp.path.stat().st_size)
            yield _file_blocks(fh, start, stop)
        return
    if window is not None:
        raise ValueError("byte ranges need a plain file")
    with open_stream(inp) as (stream, raw):
        yield _inflated_blocks(stream, raw) if inflate_thread else _stream_blocks(stream, raw)


def _file_blocks(fh: BufferedIOBase, start: int, stop: int) -> Blocks:
    """Blocks of ``[start, stop)`` read into one reused buffer (memory stays flat), in huge
    pages where the system has them: the kernel's copy into it and the walker's reads of it
    then miss the TLB less (reading the bench's month alone: 0.17 -> 0.15 s)."""
    buf = _buffer(2 * BLOCK)
    fh.seek(start)
    pos, kept = start, 0  # kept: bytes of an unfinished line at the buffer's start
    while pos < stop:
        if kept == len(buf):  # a line longer than the buffer (a mapping does not grow)
            buf = bytearray(buf) + bytes(len(buf))
        # BLOCK bytes after the unfinished line, or the rest when it is at most 1.25 BLOCK:
        # a range of 4 BLOCK is then walked in 4 blocks, not 4 and the end of its last line
        want = stop - pos if stop - pos <= BLOCK + (BLOCK >> 2) else BLOCK
        with memoryview(buf) as view:
            n = fh.readinto(view[kept : kept + min(len(buf) - kept, want)])
        if not n:
            break
        pos += n
        total = kept + n
        cut = total if pos >= stop else buf.rfind(b"\n", 0, total) + 1
        if cut == 0:
            kept = total
            continue
        with memoryview(buf) as view, view[:cut] as chunk:
            if pos >= stop and buf[cut - 1] != 10:  # the last line has no newline
                yield bytes(chunk) + b"\n", chunk, pos
            else:
                yield chunk, chunk, pos
        buf[: total - cut] = buf[cut:total]
        kept = total - cut
    if kept:  # the file ended before ``stop`` (it shrank while being read)
        yield bytes(buf[:kept]) + b"\n", bytes(buf[:kept]), pos
    if len(buf) == 2 * BLOCK:  # not grown for a long line
        _SPARE[2 * BLOCK] = buf


def _stream_blocks(stream: BinaryIO, raw: BinaryIO) -> Blocks:
    """Blocks of a decompressed stream, read into one reused buffer (no copy per block)."""
    buf = bytearray(BLOCK)
    kept = 0
    while True:
        if kept == len(buf):  # a line longer than the buffer
            buf.extend(bytes(len(buf)))
        with memoryview(buf) as view:
            n = stream.readinto(view[kept:])  # type: ignore[attr-defined]
        if not n:
            break
        total = kept + n
        cut = buf.rfind(b"\n", 0, total) + 1
        if cut == 0:
            kept = total
            continue
        with memoryview(buf) as view, view[:cut] as chunk:
            yield chunk, chunk, tell(raw)
        buf[: total - cut] = buf[cut:total]
        kept = total - cut
    if kept:
        yield bytes(buf[:kept]) + b"\n", bytes(buf[:kept]), tell(raw)


#: the slots of a stream decompressed on a thread of its own (:func:`_inflated_blocks`): the
#: thread fills the free ones while the caller reads the oldest filled.  Each block's walk and
#: inflation take more or less time (new hosts settled in Python, the compression ratio), and
#: with two slots each side often waited for the other: on the bench's month (a .gz with one
#: worker), the walking thread waited 0.10-0.14 s for blocks with two, 0.03-0.06 s with four,
#: 0.01-0.05 s with eight.  A small gain on a noisy machine, interleaved: four against two,
#: medians of 2.61 against 3.02 s (6 rounds), 3.08 against 3.15 s (10, a slow moment), 2.52
#: against 2.69 s (10, ``bench/scan_ab.py``) and 2.99 against 2.97 s (8); eight and sixteen
#: gained no more (``bench/README.md``, fifteenth session).  16 MiB more memory.
INFLATED_SLOTS = 4


def _inflated_blocks(stream: BinaryIO, raw: BinaryIO) -> Blocks:
    """Blocks of a compressed stream decompressed on a thread of its own into
    :data:`INFLATED_SLOTS` buffers: the thread fills the free ones while the caller reads the
    oldest (gzip straight into them, no copy between, see :mod:`~sentinelle.scan.inflate`;
    bzip2 and zstd through their readers' ``readinto``), in huge pages as
    :func:`_file_blocks`' buffer."""
    size = 2 * BLOCK
    memory = _buffer(INFLATED_SLOTS * size)
    slots = list(range(INFLATED_SLOTS))
    with (
        inflating(stream, functools.partial(tell, raw), memory, size, BLOCK, slots) as inflater,
        memoryview(memory) as view,
    ):
        for block in inflater:
            if block.data is not None:
                lines = block.lines
                assert lines is not None
                yield lines, block.data, block.position
                continue
            with view[block.slot * size : block.slot * size + block.length] as chunk:
                yield chunk, chunk, block.position
            inflater.release(block.slot)
    _SPARE[INFLATED_SLOTS * size] = memory  # the thread is joined, every view released


def tell(raw: BinaryIO) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


@contextmanager
def open_stream(inp: InputFile) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """(the decompressed stream, the file under it): gzip through ISA-L's reader, which
    inflates straight into the caller's buffer; bzip2 and zstd as the reference path reads
    them.  An error of the stream, wherever it breaks off, names the file."""
    if inp.compression != "gz":
        with open_with_raw(inp) as pair:
            yield pair
        return
    raw = open(inp.path, "rb")  # noqa: SIM115 - closed below
    try:
        stream = gzip_reader(raw)
        try:
            yield stream, raw
        finally:
            stream.close()
    except (OSError, EOFError) as e:
        raise unreadable(inp, e) from None
    finally:
        raw.close()
