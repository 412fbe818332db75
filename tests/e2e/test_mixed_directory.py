"""A directory holding several formats is scanned with each file's own format, detected."""

from __future__ import annotations

import shutil
from pathlib import Path

from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate import HospitalConfig, simulate

FORMATS = ("squid", "fortigate", "zeek", "bluecoat", "windows-dns")


def test_mixed_directory_detects_each_file(tmp_path: Path) -> None:
    config = HospitalConfig(seed=5, workstations=60, lines=6000)
    sim = simulate(tmp_path / "sim", config, formats=FORMATS)
    mixed = tmp_path / "mixed"
    expected: dict[str, str] = {}
    for fmt, paths in sim.logs.items():
        for p in paths[:2]:
            target = mixed / fmt.replace("-", "_") / p.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, target)
            expected[str(target)] = fmt
    report = scan([str(mixed)], tmp_path / "store", ScanOptions(inventory=sim.inventory))
    assert {f.name: f.format for f in report.files} == expected
    assert all(f.rejected <= f.lines for f in report.files)
    assert report.total("ai_events") > 0
