"""The inflating thread (``scan/inflate.py``): what it hands out is the stream, cut at newlines,
whatever the lines' lengths, the slots and the blocks; errors and stops reach the caller."""

from __future__ import annotations

import gzip
import io
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from isal import igzip

from sentinelle.scan.inflate import SlotInflater, gzip_reader, inflating


def _read_all(data: bytes, block: int, slots: int) -> list[tuple[bytes, bool]]:
    """(block as read, whether it was in a slot) of ``data`` inflated (here: copied) by the
    thread, each slot given back once read."""
    size = 2 * block
    memory = bytearray(slots * size)
    out = []
    with inflating(io.BytesIO(data), lambda: 0, memory, size, block, list(range(slots))) as inf:
        for b in inf:
            if b.data is None:
                out.append((bytes(memory[b.slot * size : b.slot * size + b.length]), True))
                inf.release(b.slot)
            else:
                assert b.lines is not None
                out.append((b.lines, False))
    return out


lines = st.lists(
    st.binary(max_size=90).map(lambda b: b.replace(b"\n", b"")), min_size=0, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(lines, st.booleans(), st.sampled_from([8, 16, 64]), st.integers(1, 3))
def test_the_blocks_are_the_stream_cut_after_newlines(
    rows: list[bytes], final_newline: bool, block: int, slots: int
) -> None:
    data = b"\n".join(rows) + (b"\n" if final_newline and rows else b"")
    got = _read_all(data, block, slots)
    assert all(chunk.endswith(b"\n") for chunk, _ in got)
    joined = b"".join(chunk for chunk, _ in got)
    # every byte once, in order; a newline added only after a last line that had none
    assert joined == (data if not data or data.endswith(b"\n") else data + b"\n")
    for chunk, in_slot in got:
        if in_slot:  # a slot holds at most a block and the unfinished line before it
            assert len(chunk) <= 2 * block
        else:  # bytes: a line longer than a block, or the last one
            assert len(chunk) > block or chunk is got[-1][0]


def test_a_slot_holds_the_unfinished_line_of_the_block_before() -> None:
    data = b"aaaa\nbbbbbbb\ncc\nd\n"  # blocks of 8: "aaaa\nbbb", "bbbb\ncc\n", "d\n"
    got = _read_all(data, 8, 2)
    assert got == [(b"aaaa\n", True), (b"bbbbbbb\ncc\n", True), (b"d\n", True)]


def test_a_line_longer_than_a_block_is_handed_out_whole_as_bytes() -> None:
    data = b"ab\n" + b"x" * 50 + b"\nlast"
    got = _read_all(data, 8, 2)
    assert got == [(b"ab\n", True), (b"x" * 50 + b"\n", False), (b"last\n", False)]


class _Breaks(io.RawIOBase):
    """A stream that gives ``good`` bytes, then fails as a corrupt gzip member does."""

    def __init__(self, good: bytes) -> None:
        self.data = io.BytesIO(good)

    def readable(self) -> bool:
        return True

    def readinto(self, b: memoryview) -> int:  # type: ignore[override]
        n = self.data.readinto(b)
        if not n:
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        return n


def test_an_error_of_the_stream_is_raised_where_the_caller_iterates() -> None:
    memory = bytearray(2 * 32)
    got = []
    with (
        pytest.raises(EOFError, match="end-of-stream"),
        inflating(_Breaks(b"one\ntwo\nthree\n"), lambda: 0, memory, 32, 16, [0, 1]) as inf,
    ):
        for b in inf:
            got.append(bytes(memory[b.slot * 32 : b.slot * 32 + b.length]))
            inf.release(b.slot)
    assert b"".join(got) == b"one\ntwo\nthree\n"  # what came before the break was handed out


def test_closing_stops_a_thread_that_waits_for_a_slot() -> None:
    """The caller stops early (a failed block) and never gives the slots back: close returns."""
    memory = bytearray(2 * 64)
    data = b"line\n" * 1000
    inf = SlotInflater(io.BytesIO(data), lambda: 0, memory, 64, 32, [0, 1])
    first = next(iter(inf))
    assert first.slot in (0, 1)
    deadline = time.monotonic() + 5
    while inf._free.qsize() and time.monotonic() < deadline:  # it takes the other slot
        time.sleep(0.001)
    inf.close()
    assert not any(t.name == "sentinelle-inflate" and t.is_alive() for t in threading.enumerate())


def test_a_slot_smaller_than_two_blocks_is_refused() -> None:
    with pytest.raises(ValueError, match="unfinished line"):
        SlotInflater(io.BytesIO(b""), lambda: 0, bytearray(30), 30, 16, [0])


@pytest.mark.parametrize("without_c_reader", [False, True])
def test_the_gzip_reader_inflates_every_member_into_the_callers_buffer(
    monkeypatch: pytest.MonkeyPatch, without_c_reader: bool
) -> None:
    if without_c_reader:  # a python-isal without its C reader: its file object instead
        monkeypatch.delattr(igzip, "_IGzipReader")
    members = [b"first member\n" * 500, b"second\n" * 700]
    raw = io.BytesIO(b"".join(gzip.compress(m) for m in members))
    reader = gzip_reader(raw)
    assert isinstance(reader, igzip.IGzipFile) == without_c_reader
    buf, got = bytearray(4096), bytearray()
    while n := reader.readinto(memoryview(buf)):
        got += buf[:n]
    assert bytes(got) == b"".join(members)


def test_a_truncated_gzip_stream_breaks_off_with_an_error() -> None:
    whole = gzip.compress(b"x\n" * 100_000)
    reader = gzip_reader(io.BytesIO(whole[: len(whole) // 2]))
    buf = bytearray(1 << 16)
    with pytest.raises(EOFError):
        while reader.readinto(memoryview(buf)):
            pass
