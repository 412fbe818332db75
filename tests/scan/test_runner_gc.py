"""The file runner freezes the collector's objects while it reads, and only while it reads."""

from __future__ import annotations

import gc
from zoneinfo import ZoneInfo

import pytest

from sentinelle.catalog import load_catalog
from sentinelle.inventory import Inventory
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan.parallel import FileRunner


def _runner(jobs: int) -> FileRunner:
    return FileRunner(
        jobs=jobs,
        engine="fast",
        catalog=load_catalog(),
        inventory=Inventory.empty(),
        pseudonymizer=Pseudonymizer(b"k" * 32),
        zone=ZoneInfo("UTC"),
        policy=None,
        formats=[],
        progress=None,
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_frozen_while_reading_only(jobs: int) -> None:
    assert gc.get_freeze_count() == 0
    with _runner(jobs) as runner:
        assert gc.get_freeze_count() > 0
        assert list(runner.run([])) == []
    assert gc.get_freeze_count() == 0


def test_unfrozen_after_a_failure() -> None:
    with pytest.raises(KeyboardInterrupt), _runner(2):
        raise KeyboardInterrupt
    assert gc.get_freeze_count() == 0


def test_a_failed_read_stops_the_workers_without_a_stuck_thread() -> None:
    """An interrupted or failed scan kills its workers; the process is left to end normally
    (``ABANDONED`` is for a pool thread really stuck on a half-sent result)."""
    from sentinelle.scan import parallel

    runner = _runner(2)
    with pytest.raises(KeyboardInterrupt), runner:
        workers = list(runner._pool._processes.values())  # type: ignore[union-attr]
        assert len(workers) == 2 and all(w.is_alive() for w in workers)
        raise KeyboardInterrupt
    for w in workers:
        w.join(timeout=10)
        assert not w.is_alive()
    assert parallel.ABANDONED is False
