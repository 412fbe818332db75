"""The progress bars get every byte and every line of a file, however it is read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sentinelle.inputs import InputFile
from sentinelle.scan import ScanOptions, blocks, parallel, scan
from tests.perf.conftest import garbage_log


@pytest.mark.parametrize(
    "kind", ["fed gzip", "whole gzip", "split plain", "guided plain", "whole plain"]
)
def test_progress_adds_up_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    # fed with two workers beside the inflation; on two cores, read whole by one worker
    # inflating on a thread of its own (see FileRunner._fed)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2 if kind == "whole gzip" else 4)
    split = kind in ("split plain", "guided plain")
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000 if split else 1 << 40)
    if kind == "guided plain":  # many ranges, taken by the workers in turn
        monkeypatch.setattr(parallel, "RANGE", 4096)
    log = garbage_log(tmp_path / "one.log", 3000, seed=8)
    path = log
    if kind.endswith("gzip"):
        path = tmp_path / "one.log.gz"
        path.write_bytes(gzip.compress(log.read_bytes()))
    seen: list[tuple[int, int]] = []

    def bars(inp: InputFile):  # type: ignore[no-untyped-def]
        return lambda position, lines: seen.append((position, lines))

    report = scan([str(path)], tmp_path / "store", ScanOptions(jobs=2), progress=bars)
    assert sum(lines for _, lines in seen) == report.files[0].lines == 3000
    assert seen[-1][0] == path.stat().st_size
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)  # never backwards


def test_each_files_progress_adds_up_when_several_are_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file's worker reports while the file before it is still collected: what came before
    the file's bar, and what comes after its outcome, still reach it (each bar ends at its
    file's lines and size)."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 1 << 40)
    paths = [garbage_log(tmp_path / f"f{k}.log", 1000 + 500 * k, seed=k) for k in range(4)]
    seen: dict[str, list[tuple[int, int]]] = {}

    def bars(inp: InputFile):  # type: ignore[no-untyped-def]
        got = seen.setdefault(inp.name, [])
        return lambda position, lines: got.append((position, lines))

    report = scan([str(p) for p in paths], tmp_path / "store", ScanOptions(jobs=2), progress=bars)
    for path, file in zip(paths, report.files, strict=True):
        calls = seen[str(path)]
        assert sum(lines for _, lines in calls) == file.lines, path.name
        assert calls[-1][0] == path.stat().st_size
        assert [p for p, _ in calls] == sorted(p for p, _ in calls)
