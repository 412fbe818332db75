"""How a large plain file is cut into ranges for the workers (``parallel._cuts``): whole lines,
the whole file, guided sizes in multiples of ``RANGE``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.inputs import discover
from sentinelle.scan import fast, parallel

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


GOLDEN = Path(__file__).parents[1] / "formats" / "golden"


def _outcomes(parse: object, lines: list[str]) -> list[object]:
    out: list[object] = []
    for line in lines:
        try:
            event = parse(line)  # type: ignore[operator]
        except MalformedLine as e:
            out.append(("rejected", e.reason))
            continue
        out.append(None if event is None else event.to_ecs())
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_a_format_read_in_parts_reads_each_line_alone(name: str) -> None:
    """A file of a format that may be cut into ranges (``fast.divisible``) is read by one parser
    a range: each line must then read the same without the lines before it, as its golden
    files show (Zeek's TSV records need their header: a Zeek file is read whole)."""
    fmt = get_format(name)
    if not fast.divisible(fmt):
        pytest.skip(f"{name}: a file is read whole, in order")
    context = ParseContext(path="t.log", year=2026)
    for path in sorted((GOLDEN / name).glob("*.log")):
        lines = path.read_text(encoding="utf-8").splitlines()
        in_order = _outcomes(fmt.new_parser(context).parse, lines)
        alone = [_outcomes(fmt.new_parser(context).parse, [line])[0] for line in lines]
        assert alone == in_order, path.name
