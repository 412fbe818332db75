"""The scan uses one worker per CPU it may run on, unless told otherwise."""

from __future__ import annotations

import os

import pytest

from sentinelle.scan import ScanOptions, usable_cpus


def test_one_worker_per_usable_cpu_unless_told() -> None:
    assert ScanOptions().jobs == usable_cpus() >= 1
    assert ScanOptions(jobs=1).jobs == 1


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux affinity only")
def test_the_affinity_is_what_counts() -> None:
    """A scan confined to one CPU (taskset, a container's cpuset) starts one worker."""
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert usable_cpus() == 1
    finally:
        os.sched_setaffinity(0, before)
