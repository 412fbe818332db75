"""Files found already scanned while the workers read them are cancelled, and only they."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sentinelle.catalog import load_catalog
from sentinelle.formats import get_format
from sentinelle.inputs import discover
from sentinelle.inventory import Inventory
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan import ScanOptions, blocks, fast, parallel, scan
from tests.scan.conftest import line


def _lines(n: int, host: str = "chatgpt.com") -> str:
    return "".join(
        line(
            f"2026-07-01T08:{i // 60 % 60:02d}:{i % 60:02d}",
            "10.1.1.1",
            "TCP_TUNNEL/200",
            1000,
            "CONNECT",
            f"{host}:443",
        )
        + "\n"
        for i in range(n)
    )


def squid_shared(**kwargs: object) -> parallel._Shared:
    """What the workers of a fast scan of Squid logs share (no inventory, a fixed key)."""
    catalog = load_catalog()
    return parallel._Shared(
        catalog,
        Inventory.empty(),
        Pseudonymizer(b"k" * 32),
        ZoneInfo("UTC"),
        None,
        "fast",
        {"squid": fast.database(get_format("squid"), catalog)},
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("native", [True, False])
def test_a_cancelled_read_stops_at_the_next_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """The flag is read before each block's progress report: set during the first block, the
    read stops there instead of going through the file."""
    monkeypatch.setattr(blocks, "BLOCK", 1 << 12)
    monkeypatch.setattr(fast, "NATIVE", fast.NATIVE and native)
    log = tmp_path / "access.log"
    log.write_text(_lines(400))  # ten blocks
    flags = bytearray(1)
    monkeypatch.setattr(parallel, "_SHARED", squid_shared(cancelled=flags))
    unit = parallel._Unit(0, discover([str(log)])[0], "squid", 2026)
    reports: list[int] = []

    def report(position: int, lines: int) -> None:
        reports.append(position)
        flags[0] = 1  # found already scanned, while the first block was read

    assert parallel._run(unit, report) is None
    assert len(reports) == 1
    flags[0] = 0  # and the same read, not cancelled, goes to the end
    reports.clear()
    outcome = parallel._run(unit, lambda position, lines: reports.append(position))
    assert outcome is not None and outcome.result.lines == 400 and len(reports) == 10


def test_a_rescan_with_a_new_file_reads_the_new_one_only(tmp_path: Path) -> None:
    old, new = tmp_path / "old.log", tmp_path / "new.log"
    old.write_text(_lines(300))
    new.write_text(_lines(200, "claude.ai"))
    store = tmp_path / "store"
    scan([str(old)], store, ScanOptions(jobs=2))
    report = scan([str(old), str(new)], store, ScanOptions(jobs=2))
    assert [f.duplicate_of for f in report.files] == [str(old), None]
    assert (report.files[1].lines, report.files[1].ai_events) == (200, 200)
    again = scan([str(new), str(old)], store, ScanOptions(jobs=2))
    assert [f.duplicate_of is not None for f in again.files] == [True, True]
    assert again.to_json()["ai_events"] == 0
