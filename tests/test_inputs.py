"""Reading inputs (``sentinelle.inputs``): a zstd stream is read frame after frame, and a cut
one raises instead of reading as a shorter file."""

from __future__ import annotations

import io

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.inputs import _ZstdFrames

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
