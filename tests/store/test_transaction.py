"""A scan's transaction: all or nothing, written straight into the database file when asked."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from sentinelle.store import Store

ROWS = pa.table({"file_id": pa.array([1, 1], pa.int32()), "line": [3, 4], "reason": ["x", "y"]})


@pytest.mark.parametrize("checkpoint", [False, True])
def test_committed_rows_are_stored(tmp_path: Path, checkpoint: bool) -> None:
    with Store.open(tmp_path, read_only=False, create=True) as st:
        default = st.con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        with st.transaction(checkpoint=checkpoint):
            st.insert_table("rejects", ROWS)
        if checkpoint:  # in the database file already: no log to replay at close
            assert not (tmp_path / "sentinelle.duckdb.wal").exists()
        setting = st.con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        assert setting == default
    with Store.open(tmp_path) as st:
        assert st.con.execute("SELECT line, reason FROM rejects").fetchall() == [(3, "x"), (4, "y")]


@pytest.mark.parametrize("checkpoint", [False, True])
def test_a_failed_transaction_stores_nothing(tmp_path: Path, checkpoint: bool) -> None:
    with (
        Store.open(tmp_path, read_only=False, create=True) as st,
        pytest.raises(KeyboardInterrupt),
        st.transaction(checkpoint=checkpoint),
    ):
        st.insert_table("rejects", ROWS)
        raise KeyboardInterrupt
    with Store.open(tmp_path) as st:
        assert st.con.execute("SELECT count(*) FROM rejects").fetchone() == (0,)
