"""Reading inputs (``sentinelle.inputs``): a zstd stream is read frame after frame, and a cut
one raises instead of reading as a shorter file: its frames' headers say where it must end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import UnreadableInputError
from sentinelle.inputs import (
    InputFile,
    _ZstdFrames,
    discover,
    open_decompressed,
    unreadable,
    zstd_frames_end,
)

_FRAMES = st.lists(st.binary(max_size=5000), min_size=1, max_size=4)


def _read(blob: bytes, size: int) -> bytes:
    reader = io.BufferedReader(_ZstdFrames(io.BytesIO(blob)), 1 << 12)
    out = bytearray()
    while chunk := reader.read(size):
        out += chunk
    return bytes(out)


@settings(max_examples=60, deadline=None)
@given(frames=_FRAMES, size=st.integers(1, 20_000))
def test_concatenated_frames_read_as_their_contents(frames: list[bytes], size: int) -> None:
    blob = b"".join(zstandard.compress(f) for f in frames)
    assert _read(blob, size) == b"".join(frames)


@settings(max_examples=60, deadline=None)
@given(frames=_FRAMES, data=st.data())
def test_a_stream_cut_inside_a_frame_raises(frames: list[bytes], data: st.DataObject) -> None:
    packed = [zstandard.compress(f) for f in frames]
    ends = {sum(len(p) for p in packed[: i + 1]) for i in range(len(packed))}
    blob = b"".join(packed)
    cut = data.draw(st.integers(1, len(blob) - 1).filter(lambda n: n not in ends))
    with pytest.raises(zstandard.ZstdError, match="inside a frame"):
        _read(blob[:cut], 1 << 16)


def _frame(data: bytes, how: int) -> bytes:
    """A zstd frame of ``data``: with or without its content size and checksum, made in one
    call or streamed (no content size then), or a skippable frame of it."""
    if how == 0:
        return zstandard.compress(data)
    if how == 1:
        return zstandard.ZstdCompressor(write_checksum=True, write_content_size=False).compress(
            data
        )
    if how == 2:
        streamed = zstandard.ZstdCompressor(level=1, write_checksum=True).compressobj()
        return streamed.compress(data) + streamed.flush()
    return (0x184D2A53).to_bytes(4, "little") + len(data).to_bytes(4, "little") + data


# (some compressible, some not, some over a block's 128 KiB: frames of several blocks, of raw,
# RLE and compressed ones)
_CONTENTS = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=40), st.integers(1, 9000)),
    st.builds(lambda n: bytes(range(256)) * n, st.integers(500, 1200)),
)


@settings(max_examples=80, deadline=None)
@given(
    frames=st.lists(st.tuples(_CONTENTS, st.integers(0, 3)), min_size=1, max_size=4),
    data=st.data(),
)
def test_the_frames_headers_say_where_a_stream_ends(
    frames: list[tuple[bytes, int]], data: st.DataObject
) -> None:
    """Whole, the stream ends at its end; cut anywhere, at the end of its last whole frame
    before the cut (so a cut at a frame's end reads as a shorter stream, and any other raises)."""
    packed = [_frame(content, how) for content, how in frames]
    blob = b"".join(packed)
    ends = [0] + [sum(len(p) for p in packed[: i + 1]) for i in range(len(packed))]
    assert zstd_frames_end(io.BytesIO(blob)) == len(blob)
    cut = data.draw(st.integers(0, len(blob)))
    assert zstd_frames_end(io.BytesIO(blob[:cut])) == max(e for e in ends if e <= cut)
    content = b"".join(c for c, how in frames if how != 3)
    if cut in ends:
        assert _read(blob[:cut], 1 << 16) == b"".join(
            c for c, how in frames[: ends.index(cut)] if how != 3
        )
    else:
        with pytest.raises(zstandard.ZstdError):
            _read(blob[:cut], 1 << 16)
    assert _read(blob, 1 << 16) == content


def test_bytes_after_the_last_frame_are_no_stream() -> None:
    blob = zstandard.compress(b"line\n" * 100)
    assert zstd_frames_end(io.BytesIO(blob + b"garbage!")) == len(blob)
    with pytest.raises(zstandard.ZstdError):
        _read(blob + b"garbage!", 1 << 16)


def test_the_frames_of_a_file_are_read_by_position(tmp_path: Path) -> None:
    """On a file (``os.pread``, as a scan reads one) as in memory."""
    frames = [_frame(b"x" * n, how) for n, how in ((10, 1), (200_000, 2), (0, 0))]
    blob = b"".join(frames)
    path = tmp_path / "a.zst"
    path.write_bytes(blob + blob[:-3])  # the second copy's last frame cut
    with path.open("rb") as fh:
        assert zstd_frames_end(fh) == 2 * len(blob) - len(frames[-1])
        assert zstd_frames_end(fh, len(blob)) == 2 * len(blob) - len(frames[-1])


@pytest.mark.parametrize(
    ("compression", "command"),
    [("gz", "zcat"), ("bz2", "bzcat"), ("zst", "zstdcat"), (None, "cat")],
)
def test_an_unreadable_file_names_the_command_that_shows_it(
    compression: str | None, command: str
) -> None:
    e = unreadable(InputFile("a.log", Path("a.log"), 1, compression), EOFError("cut"))
    assert "a.log" in e.message and e.hint is not None
    assert e.hint.split("`")[1] == f"{command} a.log | tail"


def test_a_truncated_zst_file_stops_its_reading_with_the_files_name(tmp_path: Path) -> None:
    path = tmp_path / "proxy.log.zst"
    path.write_bytes(
        zstandard.compress(
            b"1785536580.000 1 10.0.0.1 TCP_MISS/200 1 GET http://a.fr/ - HIER_NONE/- -\n" * 5000
        )[:-40]
    )
    (inp,) = discover([str(path)])
    cut = r"proxy\.log\.zst: the zstd stream cannot be read to the end"
    with pytest.raises(UnreadableInputError, match=cut), open_decompressed(inp) as fh:
        while fh.read(1 << 16):
            pass
