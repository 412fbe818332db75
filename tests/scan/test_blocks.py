"""The fast path's block readers (``scan.blocks``): every file's blocks are its lines, cut after
newlines, whatever the buffers of the files read before in the same process held."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sentinelle.inputs import _MAGIC, ContentHash, discover
from sentinelle.scan import blocks


def _plain(lines: list[bytes]) -> list[bytes]:
    """``lines`` whose text does not start with a compressed stream's magic bytes (a plain
    file that does is read as compressed, and refused as broken: hypothesis drew ``BZh``)."""
    if lines and any((b"\n".join(lines)).startswith(m) for m in _MAGIC):
        return [b" " + lines[0], *lines[1:]]
    return lines


_LINES = st.lists(st.binary(max_size=700).map(lambda b: b.replace(b"\n", b" ")), max_size=40).map(
    _plain
)


def _read(path: Path, window: tuple[int, int] | None = None, thread: bool = True) -> bytes:
    (inp,) = discover([str(path)])
    out = bytearray()
    with blocks.read_blocks(inp, window, inflate_thread=thread) as read:
        for block, _, _ in read:
            assert bytes(block[-1:]) == b"\n"
            out += block
    return bytes(out)


@settings(max_examples=40, deadline=None)
@given(files=st.lists(_LINES, min_size=1, max_size=4), kind=st.sampled_from(["plain", "gz"]))
@example(files=[_plain([b"BZh"])], kind="plain")  # (a bzip2 stream's magic, found by hypothesis)
def test_files_read_one_after_the_other_are_each_their_own_lines(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[bytes]], kind: str
) -> None:
    """A buffer left by a longer file before (``blocks._SPARE``) never shows through."""
    tmp = tmp_path_factory.mktemp("files")
    old = blocks.BLOCK
    blocks.BLOCK = 512  # many blocks, lines across them, some longer than a block
    try:
        for i, lines in enumerate(files):
            text = b"".join(line + b"\n" for line in lines)
            path = tmp / (f"{i}.log" + (".gz" if kind == "gz" else ""))
            path.write_bytes(gzip.compress(text) if kind == "gz" else text)
            assert _read(path) == text
    finally:
        blocks.BLOCK = old


@settings(max_examples=60, deadline=None)
@given(
    lines=_LINES,
    final_newline=st.booleans(),
    how=st.sampled_from(["plain", "gz, inflating thread", "gz, this thread"]),
)
def test_the_original_bytes_are_the_content_in_order(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], final_newline: bool, how: str
) -> None:
    """Each block's original bytes, in order, are the content itself (what the fast path hashes
    for the file's identity), whatever the blocks, the long lines and a last line without a
    newline (which its block ends with all the same)."""
    text = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path = tmp_path_factory.mktemp("hashed") / ("one.log" + ("" if how == "plain" else ".gz"))
    path.write_bytes(text if how == "plain" else gzip.compress(text))
    (inp,) = discover([str(path)])
    whole, fed = ContentHash(chunk=100), ContentHash(chunk=100)
    whole.update(text)
    old = blocks.BLOCK
    blocks.BLOCK = 512
    try:
        with blocks.read_blocks(inp, None, how != "gz, this thread") as read:
            for _, original, _ in read:
                fed.update(original)
    finally:
        blocks.BLOCK = old
    assert (fed.hexdigest(), fed.digests) == (whole.hexdigest(), whole.digests)


def test_a_finished_reading_leaves_its_buffer_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(blocks, "_SPARE", {})
    long = tmp_path / "long.log"
    long.write_bytes(b"x" * 100 + b"\n" * 3000)
    short = tmp_path / "short.log"
    short.write_bytes(b"short\n")
    assert _read(long) == long.read_bytes()
    kept = blocks._SPARE[2 * 4096]  # a block read after the unfinished line before it
    assert _read(short) == b"short\n"
    assert blocks._SPARE[2 * 4096] is kept  # the same buffer, stale bytes and all
    gz = tmp_path / "one.log.gz"
    gz.write_bytes(gzip.compress(long.read_bytes()))
    assert _read(gz) == long.read_bytes()
    assert blocks.INFLATED_SLOTS * 2 * 4096 in blocks._SPARE  # the inflating thread's slots


@pytest.mark.parametrize(("extra", "walks"), [(0, 4), (1024, 4), (4096, 5)])
def test_a_range_is_read_in_blocks_of_block_bytes_after_the_unfinished_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: int, walks: int
) -> None:
    """A range of 4 BLOCK is 4 blocks (not 4 and the end of its last line, each block's read
    shortened by the unfinished line before it); its end joins the last block when it is at
    most a quarter of a block."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    path = tmp_path / "one.log"
    path.write_bytes(b"".join(b"%099d\n" % i for i in range(1000)))  # lines of 100 bytes
    start = 100 * 30  # a range: the lines from 30, 4 blocks of content and ``extra`` more
    stop = start + 4 * 4096 + extra
    stop -= stop % 100
    (inp,) = discover([str(path)])
    with blocks.read_blocks(inp, (start, stop)) as read:
        got = [bytes(block) for block, _, _ in read]
    assert b"".join(got) == path.read_bytes()[start:stop]
    assert len(got) == walks


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("kind", ["gz", "bz2", "zst"])
def test_a_truncated_stream_stops_the_scan_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, jobs: int
) -> None:
    """Decompressed on a thread of its own (``--jobs 1`` on a machine of two cores, or one
    worker for a single file), a cut stream's error still names the file, and nothing is
    stored."""
    import bz2

    import zstandard

    from sentinelle.errors import UnreadableInputError
    from sentinelle.scan import ScanOptions, parallel, scan
    from tests.perf.conftest import garbage_log, stored

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)  # never fed: read by one reader
    data = garbage_log(tmp_path / "one.log", 3000, seed=5).read_bytes()
    pack = {"gz": gzip.compress, "bz2": bz2.compress, "zst": zstandard.compress}[kind]
    packed = pack(data)
    cut = tmp_path / f"cut.log.{kind}"
    cut.write_bytes(packed[: len(packed) * 2 // 3])
    with pytest.raises(UnreadableInputError, match=r"cut\.log\.") as e:
        scan([str(cut)], tmp_path / "store", ScanOptions(jobs=jobs))
    assert "cannot be read to the end" in e.value.message
    if (tmp_path / "store" / "sentinelle.duckdb").exists():  # opened while the file was read
        assert not any(stored(tmp_path / "store").values())
