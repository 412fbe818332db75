"""The lines a file's parser read (``parsed_lines``) add up the same however the file is read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sentinelle.scan import ScanOptions, blocks, parallel, scan
from tests.perf.conftest import garbage_log


@pytest.mark.parametrize(
    "kind", ["fed gzip", "whole gzip", "split plain", "guided plain", "whole plain"]
)
def test_parsed_lines_do_not_depend_on_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    log = garbage_log(tmp_path / "one.log", 3000, seed=8)
    alone = scan([str(log)], tmp_path / "alone", ScanOptions(jobs=1)).files[0]
    # the garbage and the AI services' lines parsed, the others counted at once
    assert alone.rejected + alone.skipped <= alone.parsed_lines < alone.lines
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2 if kind == "whole gzip" else 4)
    split = kind in ("split plain", "guided plain")
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000 if split else 1 << 40)
    if kind == "guided plain":
        monkeypatch.setattr(parallel, "RANGE", 4096)
    path = log
    if kind.endswith("gzip"):
        path = tmp_path / "one.log.gz"
        path.write_bytes(gzip.compress(log.read_bytes()))
    got = scan([str(path)], tmp_path / "store", ScanOptions(jobs=2)).files[0]
    assert (got.lines, got.parsed_lines, got.fast_path) == (alone.lines, alone.parsed_lines, True)
    reference = scan([str(log)], tmp_path / "ref", ScanOptions(jobs=2, engine="reference"))
    assert (reference.files[0].parsed_lines, reference.files[0].fast_path) == (alone.lines, False)
