"""Inflating a compressed input straight into the scan's buffers, on a thread of its own.

ISA-L's gzip reader (``igzip._IGzipReader``: the C reader behind python-isal's ``igzip`` and
``igzip_threaded``) inflates into the buffer it is given, and releases the GIL while it does.
So a thread can fill the fed file's slots of shared memory (see
:meth:`sentinelle.scan.parallel.FileRunner._feed`) while this process hands the blocks to the
workers, or a reader's free buffers while it scans the others
(:func:`sentinelle.scan.blocks.read_blocks`), with no copy between the two.  ``igzip_threaded``
inflates into blocks of its own, which its ``readinto`` then copies: 1.24 GB for the bench's
month (the gzip scan's CPU, interleaved: 4.43 against 4.16 s).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from isal import igzip

#: compressed bytes the gzip reader reads from its file at a time
READ_SIZE = 8 << 20


def gzip_reader(raw: BinaryIO) -> BinaryIO:
    """A reader of the gzip stream of ``raw`` whose ``readinto`` inflates straight into the
    caller's buffer: ISA-L's C reader (every member, as ``gzip`` reads them), or, should a
    later python-isal not have it, its file object (which inflates, then copies)."""
    reader = getattr(igzip, "_IGzipReader", None)
    if reader is None:
        return cast(BinaryIO, igzip.IGzipFile(fileobj=raw, mode="rb"))
    return cast(BinaryIO, reader(raw, READ_SIZE))


@dataclass(frozen=True)
class Filled:
    """A block of whole lines: the first ``length`` bytes of slot ``slot``, or ``data`` (then
    slot -1: a line longer than a block, or the last line; ``unterminated``: it had no newline,
    which its reading adds); ``position``: the compressed bytes read so far (for progress)."""

    slot: int
    length: int
    data: bytes | None
    position: int
    unterminated: bool = False

    @property
    def lines(self) -> bytes | None:
        """``data`` as it is read: ending with a newline."""
        return self.data + b"\n" if self.data is not None and self.unterminated else self.data


class SlotInflater:
    """Inflates ``stream`` into the slots of ``memory`` (``size`` bytes each) on its own thread.

    Each slot it fills holds the unfinished line left by the slot before, then up to ``block``
    bytes inflated (so ``size`` is at least twice ``block``); it is handed out cut after its last
    newline, and what follows the cut starts the next slot.  The thread takes the slots given
    (``slots``, then each one :meth:`release`\\ d once its block is read) and waits when there
    is none.  Iterating yields :class:`Filled` blocks in order until the stream ends, and raises
    the stream's error where it broke off.  :meth:`close` stops the thread.

    It only inflates: the content is hashed by the thread that walks the blocks.  Since the walk
    was made faster, the inflating thread is the slower of the two on a gzip file (measured in
    the thirty-second session on the bench's month: its CPU 1.33-1.39 s, of which the hash
    ~0.07 s, while the walking thread waited 0.11-0.30 s for blocks).  With the hash moved off
    it, interleaved: the month's .gz 2.055 -> 1.970 s (medians of 12 rounds, faster in 10),
    with ``--jobs 1`` 2.010 -> 1.955 s (6), its .zst 2.120 -> 2.035 s (6), a 5 % AI .gz
    1.200 -> 1.175 s (8).
    """

    def __init__(
        self,
        stream: BinaryIO,
        tell: Any,
        memory: Any,
        size: int,
        block: int,
        slots: list[int],
    ) -> None:
        if size < 2 * block:
            raise ValueError("a slot holds a block and the unfinished line before it")
        self._stream, self._tell, self._memory = stream, tell, memory
        self._size, self._block = size, block
        self._free: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        for s in slots:
            self._free.put(s)
        self._ready: queue.SimpleQueue[Filled | BaseException | None] = queue.SimpleQueue()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sentinelle-inflate", daemon=True)
        self._thread.start()

    def __iter__(self) -> Iterator[Filled]:
        while True:
            item = self._ready.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def release(self, slot: int) -> None:
        """Slot ``slot``'s block is read: the thread may fill it again (from any thread)."""
        self._free.put(slot)

    def close(self) -> None:
        """Stop the thread (it ends the call it is in, then takes no more slots)."""
        self._stopped = True
        self._free.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            self._fill()
        except BaseException as e:  # raised where the caller iterates
            self._ready.put(e)
        else:
            self._ready.put(None)

    def _fill(self) -> None:
        size, block, memory = self._size, self._block, self._memory
        tail = b""  # the unfinished line of the slot before
        with memoryview(memory) as view:
            while not self._stopped:
                if len(tail) > block:  # a line longer than a block: never in a slot
                    tail, ended = self._long_line(tail)
                    if ended:
                        break
                    continue
                slot = self._free.get()
                if slot is None or self._stopped:
                    return
                base = slot * size
                view[base : base + len(tail)] = tail
                with view[base + len(tail) : base + len(tail) + block] as into:
                    n = self._stream.readinto(into)  # type: ignore[attr-defined]
                if not n:  # the end
                    self._free.put(slot)
                    break
                total = len(tail) + n
                cut = memory.rfind(b"\n", base, base + total) + 1 - base
                if cut <= 0:  # no newline yet: the whole slot is one unfinished line
                    tail = bytes(view[base : base + total])
                    self._free.put(slot)
                    continue
                tail = bytes(view[base + cut : base + total])
                self._ready.put(Filled(slot, cut, None, self._tell()))
        if tail and not self._stopped:  # the last line has no newline
            self._ready.put(Filled(-1, len(tail) + 1, tail, self._tell(), unterminated=True))

    def _long_line(self, tail: bytes) -> tuple[bytes, bool]:
        """A line longer than a block: read on to its end; it is handed out as bytes.

        Returns (what follows it, False), or (all of it, True) when the stream ended first."""
        big = bytearray(tail)
        while (cut := big.rfind(b"\n") + 1) == 0:
            more = self._stream.read(self._block)
            if not more:
                return bytes(big), True
            big += more
        data = bytes(big[:cut])
        self._ready.put(Filled(-1, len(data), data, self._tell()))
        return bytes(big[cut:]), False


@contextlib.contextmanager
def inflating(
    stream: BinaryIO,
    tell: Any,
    memory: Any,
    size: int,
    block: int,
    slots: list[int],
) -> Iterator[SlotInflater]:
    """A :class:`SlotInflater`, stopped on the way out."""
    inflater = SlotInflater(stream, tell, memory, size, block, slots)
    try:
        yield inflater
    finally:
        inflater.close()
