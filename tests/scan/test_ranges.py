"""How a large plain file is cut into ranges for the workers (``parallel._cuts``): whole lines,
the whole file, guided sizes in multiples of ``RANGE``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.inputs import discover
from sentinelle.scan import parallel

_LINE = st.integers(0, 3000)  # a line's length without its newline (some longer than a range)


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(_LINE, min_size=1, max_size=60),
    final_newline=st.booleans(),
    parts=st.integers(1, 4),
    step=st.sampled_from([64, 500, 1024, 4096]),
)
def test_ranges_are_whole_lines_covering_the_file(
    tmp_path_factory: pytest.TempPathFactory,
    lengths: list[int],
    final_newline: bool,
    parts: int,
    step: int,
) -> None:
    data = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_newline else b"")
    path = tmp_path_factory.mktemp("ranges") / "access.log"
    path.write_bytes(data)
    old = parallel.RANGE
    parallel.RANGE = step
    try:
        cuts = parallel._cuts(discover([str(path)])[0], parts)
    finally:
        parallel.RANGE = old
    assert cuts[0] == 0 and cuts[-1] == len(data)
    assert all(a < b for a, b in itertools.pairwise(cuts)) or len(data) == 0
    starts = {0} | {i + 1 for i, byte in enumerate(data) if byte == 10}
    assert all(c in starts for c in cuts[:-1])  # each range starts a line
    if len(data) >= parts * step:
        # each cut is the start of the line holding a multiple of RANGE
        for c in cuts[1:-1]:
            target = -(-c // step) * step
            assert max(s for s in starts if s <= target) == c


def test_ranges_shrink_from_a_quarter_of_the_file_down_to_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sizes fall to RANGE (each a 2 * parts-th of what is left): few ranges, small at the end."""
    monkeypatch.setattr(parallel, "RANGE", 100)
    path = tmp_path / "access.log"
    path.write_bytes(b"".join(b"%09d\n" % i for i in range(7400)))  # 74,000 bytes
    cuts = parallel._cuts(discover([str(path)])[0], 2)
    sizes = [b - a for a, b in itertools.pairwise(cuts)]
    # what is left // 4, rounded down to a multiple of 100 (lines of 10 bytes: cuts fall on
    # line starts), at least 100
    big = [18_500, 13_800, 10_400, 7_800, 5_800, 4_400, 3_300, 2_500, 1_800, 1_400, 1_000, 800]
    assert sizes == [*big, 600, 400, 300, 300, 200, *[100] * 7]
    assert sum(sizes) == 74_000
