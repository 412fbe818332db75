"""Rows reach the store a table at a time (scan._Batches), whatever the batch size."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

import sentinelle.scan as scan_module
from sentinelle.store import Store
from tests.perf.conftest import garbage_log, scan_with


@pytest.mark.parametrize("flush_rows", [1, 7, 1 << 30])
def test_batched_rows_are_the_rows_of_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flush_rows: int
) -> None:
    """Many small files (a month of daily logs), flushed after every table, every few rows or
    only at the end: the same stored rows as inserting them file by file would give (the
    reference engine, one process, checks the engine too).  With 1 or 7 rows, each file's hits
    reach the store in one streamed statement (Store.insert_batches) instead of being gathered."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for day in range(1, 9):
        garbage_log(logs / f"access-{day:02d}.log", 300, seed=day)
    secret = tmp_path / "secret.key"
    expected = scan_with([str(logs)], tmp_path / "ref", "reference", 1, secret=secret)
    monkeypatch.setattr(scan_module, "FLUSH_ROWS", flush_rows)
    got = scan_with([str(logs)], tmp_path / "fast", "fast", 2, secret=secret)
    assert got == expected
    assert len(got["files"]) == 8 and got["hits"] and got["discovery"] and got["rejects"]


def test_parts_with_a_column_of_nulls_only_are_gathered(tmp_path: Path) -> None:
    """A file whose discovery rows have no workstation types that column null: it is gathered
    with the others and stored as NULL."""
    with Store.open(tmp_path / "store", read_only=False, create=True) as store:
        batches = scan_module._Batches(store)
        for file_id, workstation in ((1, None), (2, "w_1")):
            batches.add(
                "discovery",
                pa.table(
                    {
                        "file_id": pa.array([file_id], pa.int32()),
                        "period": ["2026-08"],
                        "host": ["chat.example.ai"],
                        "workstation": [workstation],
                        "requests": pa.array([3], pa.int64()),
                    }
                ),
            )
        assert store.con.execute("SELECT count(*) FROM discovery").fetchall() == [(0,)]
        batches.flush()
        rows = store.con.execute(
            "SELECT file_id, workstation, requests FROM discovery ORDER BY file_id"
        ).fetchall()
    assert rows == [(1, None, 3), (2, "w_1", 3)]
    assert batches.rows == 0 and not batches.tables
