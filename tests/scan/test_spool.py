"""Hits spooled to disk on their way to the store (scan.spool): the same rows, nothing left."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from sentinelle.errors import SentinelleError, StoreError
from sentinelle.inputs import discover
from sentinelle.scan import ScanOptions, enrich, parallel, scan
from sentinelle.scan.enrich import HIT_SCHEMA
from sentinelle.scan.spool import PREFIX, Hits, Spooled, SpoolWriter, open_spool
from sentinelle.store import Store
from tests.scan.test_runner_cancel import _lines, squid_shared


def _hits(seqs: list[int], host: str = "chatgpt.com") -> pa.Table:
    rows = {name: [None] * len(seqs) for name in HIT_SCHEMA.names}
    rows["seq"], rows["host"] = seqs, [host] * len(seqs)
    return pa.table(rows, schema=HIT_SCHEMA)


def test_spooled_and_kept_parts_read_back_in_order_shifted(tmp_path: Path) -> None:
    writer = SpoolWriter(str(tmp_path))
    for table in (_hits([1, 2]), _hits([]), _hits([5], "claude.ai")):
        writer.append(table)
    spooled = writer.close()
    assert spooled == Spooled(writer.path, 3) and Path(spooled.path).exists()
    hits = Hits([(_hits([4]), 0)])
    hits.extend(Hits([(spooled, 10)]), 100)  # a range's parts, after 100 lines of others
    assert hits.num_rows == 4
    got = hits.table()
    assert got.column("seq").to_pylist() == [4, 111, 112, 115]
    assert got.column("host").to_pylist()[-1] == "claude.ai"
    assert got.schema == HIT_SCHEMA
    assert not Path(spooled.path).exists()  # read once, then deleted


def test_nothing_written_nothing_spooled_and_discard_deletes(tmp_path: Path) -> None:
    empty = SpoolWriter(str(tmp_path))
    empty.append(_hits([]))
    assert empty.close() is None and not list(tmp_path.iterdir())
    written = SpoolWriter(str(tmp_path))
    written.append(_hits([1]))
    written.discard()  # a reading that failed
    assert not list(tmp_path.iterdir())
    kept = SpoolWriter(str(tmp_path))
    kept.append(_hits([1]))
    spooled = kept.close()
    assert spooled is not None
    Hits([(spooled, 0)]).discard()  # a file found to be a duplicate
    assert not list(tmp_path.iterdir())


def test_a_killed_scans_spool_is_removed_by_the_next(tmp_path: Path) -> None:
    store = tmp_path / "store"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    (store / f"{PREFIX}{dead}-abc").mkdir(parents=True)
    (store / f"{PREFIX}{dead}-abc" / "1-0.arrows").write_bytes(b"x")
    alive = store / f"{PREFIX}{os.getpid()}-def"  # a scan still running: left alone
    alive.mkdir()
    mine = open_spool(store)
    assert sorted(p.name for p in store.iterdir()) == sorted([alive.name, Path(mine).name])
    assert Path(mine).name.startswith(f"{PREFIX}{os.getpid()}-")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_scan_leaves_no_spool_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(enrich, "SPILL_ROWS", 5)
    log = tmp_path / "access.log"
    log.write_text(_lines(300))
    store = tmp_path / "store"
    report = scan([str(log)], store, ScanOptions(jobs=jobs))
    assert report.files[0].ai_events == 300
    assert [p.name for p in store.iterdir() if p.name.startswith(PREFIX)] == []


def test_a_failed_scan_leaves_no_spool(tmp_path: Path) -> None:
    """A compressed file that breaks off mid-way stops the scan: nothing stored, no spool."""
    good = tmp_path / "a.log"
    good.write_text(_lines(300))
    broken = tmp_path / "b.log.gz"
    broken.write_bytes(gzip.compress(_lines(3000).encode())[:-2000])
    store = tmp_path / "store"
    with pytest.raises(SentinelleError):
        scan([str(good), str(broken)], store, ScanOptions(jobs=2))
    assert [p.name for p in store.iterdir() if p.name.startswith(PREFIX)] == []
    with Store.open(store) as opened:
        assert opened.con.execute("SELECT count(*) FROM files").fetchall() == [(0,)]


_RUN = parallel._run


def _dying(unit: parallel._Unit, report: object = None) -> object:
    """The worker reading the second file is killed (sent by name: a module function)."""
    if unit.plan == 1:
        os.kill(os.getpid(), 9)
    return _RUN(unit, report)  # type: ignore[arg-type]


def test_a_worker_killed_mid_scan_stops_it_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed by a signal (the out-of-memory killer, say): a message, not a traceback;
    nothing stored, no spool left."""
    monkeypatch.setattr(parallel, "_run", _dying)
    for name in ("a.log", "b.log"):
        (tmp_path / name).write_text(_lines(300))
    store = tmp_path / "store"
    with pytest.raises(SentinelleError, match="worker stopped abruptly") as caught:
        scan([str(tmp_path / "a.log"), str(tmp_path / "b.log")], store, ScanOptions(jobs=2))
    assert caught.value.hint and "--jobs" in caught.value.hint
    assert [p.name for p in store.iterdir() if p.name.startswith(PREFIX)] == []
    with Store.open(store) as opened:
        assert opened.con.execute("SELECT count(*) FROM files").fetchall() == [(0,)]


def test_worker_outcomes_hold_their_hits_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a spool, what a worker returns holds no table: the rows are those of a reading
    without one."""
    monkeypatch.setattr(enrich, "SPILL_ROWS", 7)
    log = tmp_path / "access.log"
    log.write_text(_lines(100) + _lines(50, "claude.ai"))
    unit = parallel._Unit(0, discover([str(log)])[0], "squid", 2026)
    spool = tmp_path / "spool"
    spool.mkdir()
    tables = []
    for directory in (None, str(spool)):
        monkeypatch.setattr(parallel, "_SHARED", squid_shared(spool=directory))
        outcome = parallel._run(unit)
        assert outcome is not None
        kinds = {type(p) for p, _ in outcome.hits.parts}
        assert kinds == ({Spooled} if directory else {pa.Table})
        tables.append(outcome.hits.table())
    assert tables[0].num_rows == 150 and tables[1].equals(tables[0])
    assert not list(spool.iterdir())


def test_a_store_that_cannot_be_written_in_is_named(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(_lines(10))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="a-file/store: cannot write in the store directory"):
        scan([str(log)], blocker / "store", ScanOptions(jobs=1))


def test_a_spool_that_cannot_be_written_stops_with_its_place(tmp_path: Path) -> None:
    gone = tmp_path / "gone"  # removed under the scan, or a full disk: the same OSError path
    writer = SpoolWriter(str(gone))
    with pytest.raises(StoreError, match="gone: cannot write the scan's spool") as e:
        writer.append(_hits([1]))
    assert e.value.hint is not None and "free space" in e.value.hint
