"""The content fingerprint does not depend on how the content is fed to it."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from sentinelle.inputs import ContentHash, combine


@given(
    data=st.binary(max_size=3000),
    cuts=st.lists(st.integers(0, 3000), max_size=8),
    chunk=st.integers(1, 700),
)
def test_pieces_and_chunks(data: bytes, cuts: list[int], chunk: int) -> None:
    whole = ContentHash(chunk)
    whole.update(data)
    pieces = ContentHash(chunk)
    bounds = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    for a, b in itertools.pairwise(bounds):
        pieces.update(memoryview(data)[a:b])
    assert pieces.hexdigest() == whole.hexdigest()
    # the digests are those of the chunks, one by one
    digests = []
    for a in range(0, len(data), chunk):
        one = ContentHash(chunk)
        one.update(data[a : a + chunk])
        digests += one.finish()
    assert combine(digests, len(data)) == whole.hexdigest()
    assert whole.hexdigest().endswith(f"-{len(data)}")
