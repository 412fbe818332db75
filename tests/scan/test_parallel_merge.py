"""Merging the ranges of a split file: line numbers made global, as pyarrow.compute would."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sentinelle.scan.spool import _shifted


@pytest.mark.parametrize("shift", [0, 7, 10_000_000_000])
def test_shifted_line_numbers_are_those_of_pc_add(shift: int) -> None:
    parts = [
        pa.table({"host": ["a", "b", "c"], "seq": pa.array([1, 2, 5], pa.int64())}),
        pa.table({"host": ["d"], "seq": pa.array([9], pa.int64())}),
    ]
    hits = pa.concat_tables(parts).slice(1)  # several chunks, the first one offset
    expected = hits.set_column(1, "seq", pc.add(hits["seq"], shift))
    got = _shifted(hits, shift)
    assert got.equals(expected) and got.schema == expected.schema
    assert [len(c) for c in got["seq"].chunks] == [len(c) for c in expected["seq"].chunks]


def test_no_hits() -> None:
    empty = pa.table({"seq": pa.chunked_array([], pa.int64())})
    assert _shifted(empty, 3).equals(empty)
