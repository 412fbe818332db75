"""Re-scans never double-count; compressed copies are one input; interruptions store nothing."""

from __future__ import annotations

import bz2
import gzip
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

from sentinelle.errors import UnrecognizedFormatError
from sentinelle.scan import ScanOptions, scan
from sentinelle.store import Store
from tests.scan.conftest import EXPECTED_BY_PERIOD_SERVICE


def _metrics(store: Path) -> list[dict]:  # type: ignore[type-arg]
    with Store.open(store) as st:
        return st.metrics(["period", "service"])


def test_same_file_twice_changes_nothing(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    store = tmp_path / "store"
    first = scan([str(log)], store, ScanOptions(inventory=inventory))
    second = scan([str(log)], store, ScanOptions(inventory=inventory))
    assert first.files[0].duplicate_of is None
    assert second.files[0].duplicate_of == str(log)
    assert second.to_json()["ai_events"] == 0
    assert _metrics(store) == EXPECTED_BY_PERIOD_SERVICE


@pytest.mark.parametrize("kind", ["gz", "bz2", "zst"])
def test_compressed_copy_is_the_same_content(
    squid_month: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    log, inventory = squid_month
    data = log.read_bytes()
    packed = {"gz": gzip.compress, "bz2": bz2.compress, "zst": zstandard.ZstdCompressor().compress}[
        kind
    ](data)
    copy = tmp_path / f"access.log.1.{kind}"
    copy.write_bytes(packed)
    alone = tmp_path / "alone"
    scan([str(copy)], alone, ScanOptions(inventory=inventory))
    assert _metrics(alone) == EXPECTED_BY_PERIOD_SERVICE  # the compressed file reads the same
    both = tmp_path / "both"
    report = scan([str(log), str(copy)], both, ScanOptions(inventory=inventory))
    assert [f.duplicate_of for f in report.files] == [None, str(log)]
    assert _metrics(both) == EXPECTED_BY_PERIOD_SERVICE


def test_directory_is_read_recursively(squid_month: tuple[Path, Path], tmp_path: Path) -> None:
    log, inventory = squid_month
    nested = log.parent / "node2" / "old"
    nested.mkdir(parents=True)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:10]))
    (nested / "access.log.gz").write_bytes(gzip.compress("".join(lines[10:]).encode()))
    report = scan([str(log.parent)], tmp_path / "store", ScanOptions(inventory=inventory))
    assert len(report.files) == 2
    assert _metrics(tmp_path / "store") == EXPECTED_BY_PERIOD_SERVICE


def _logs(directory: Path, files: int, lines: int) -> None:
    hosts = ["www.example.org", "chatgpt.com", "claude.ai", "cdn.oaistatic.com", "intranet.chu"]
    directory.mkdir()
    for f in range(files):
        t0 = 1_785_536_580 + f * 3600
        with open(directory / f"access.log.{f:02d}", "w") as fh:
            for i in range(lines):
                host = hosts[(i * 7 + f) % len(hosts)]
                fh.write(
                    f"{t0 + i / 50:.3f} {i % 999:>6} 10.2.{i % 40}.{i % 199} TCP_TUNNEL/200 "
                    f"{i % 5000} CONNECT {host}:443 u{i % 300} HIER_DIRECT/192.0.2.1 -\n"
                )


def _interruptible() -> None:
    """Ctrl-C as a terminal delivers it: a test run in the background (a shell's ``cmd &``)
    hands its children SIGINT ignored, and Python then installs no KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "sentinelle", *args]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_scan_leaves_nothing_and_rerun_is_exact(tmp_path: Path, sig: int) -> None:
    logs = tmp_path / "logs"
    _logs(logs, files=30, lines=20_000)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        _cli("scan", str(logs), "--store", str(store)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_interruptible,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # "[1/30] …": the first file is in the open transaction
    assert first.startswith(b"[1/30]"), first
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert b"[30/30]" not in err, "the scan ended before it was interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130, err.decode()
        assert b"nothing from this run was stored" in err
    else:
        assert proc.returncode == -signal.SIGKILL
    with Store.open(store) as st:
        assert st.con.execute("SELECT count(*) FROM files").fetchone() == (0,)
        assert st.con.execute("SELECT count(*) FROM hits").fetchone() == (0,)
    subprocess.run(_cli("scan", str(logs), "--store", str(store)), check=True, capture_output=True)
    reference = tmp_path / "reference"
    subprocess.run(
        _cli("scan", str(logs), "--store", str(reference)), check=True, capture_output=True
    )
    assert _metrics(store) == _metrics(reference)
    assert sum(r["requests"] for r in _metrics(store)) > 0


def test_unrecognized_file_in_a_directory_is_left_out_and_listed(
    squid_month: tuple[Path, Path], tmp_path: Path
) -> None:
    log, inventory = squid_month
    cache_log = log.parent / "cache.log"  # Squid's own diagnostics, beside access.log
    cache_log.write_text(
        "2026/08/01 10:00:00 kid1| Starting Squid Cache version 5.7 for x86_64-pc-linux-gnu...\n"
        "2026/08/01 10:00:00 kid1| Service Name: squid\n"
    )
    report = scan([str(log.parent)], tmp_path / "store", ScanOptions(inventory=inventory))
    assert [f.name for f in report.files] == [str(log)]
    assert [name for name, _ in report.skipped_files] == [str(cache_log)]
    assert "not recognized" in report.skipped_files[0][1]
    assert report.to_json()["skipped_files"][0]["name"] == str(cache_log)
    assert _metrics(tmp_path / "store") == EXPECTED_BY_PERIOD_SERVICE
    with pytest.raises(UnrecognizedFormatError):  # named explicitly: an error
        scan([str(cache_log)], tmp_path / "other", ScanOptions())


def test_files_stored_with_the_legacy_fingerprint_are_still_recognized(
    squid_month: tuple[Path, Path], tmp_path: Path
) -> None:
    """Stores written before the chunked fingerprint keep working: a re-scan of a file whose
    stored fingerprint is the legacy one is recognized, and changes nothing."""
    import duckdb

    from sentinelle.inputs import discover, legacy_fingerprint

    log, inventory = squid_month
    store = tmp_path / "store"
    scan([str(log)], store, ScanOptions(inventory=inventory))
    legacy = legacy_fingerprint(discover([str(log)])[0])
    assert not legacy.startswith("v2-")
    con = duckdb.connect(str(store / "sentinelle.duckdb"))
    con.execute("UPDATE files SET fingerprint = ?", [legacy])
    con.close()
    again = scan([str(log)], store, ScanOptions(inventory=inventory))
    assert again.files[0].duplicate_of == str(log)
    assert _metrics(store) == EXPECTED_BY_PERIOD_SERVICE


def test_files_are_numbered_on_from_scan_to_scan(
    squid_month: tuple[Path, Path], tmp_path: Path
) -> None:
    """Each stored file gets the next number, in the order of the scan's files and across
    scans (a duplicate gets none), and its hits carry it."""
    log, inventory = squid_month
    lines = log.read_bytes().splitlines(keepends=True)
    halves = [tmp_path / "first.log", tmp_path / "second.log", tmp_path / "third.log"]
    for path, part in zip(halves, (lines[::3], lines[1::3], lines[2::3]), strict=True):
        path.write_bytes(b"".join(part))
    store = tmp_path / "store"
    scan([str(halves[0]), str(log), str(halves[0])], store, ScanOptions(inventory=inventory))
    second = scan([str(halves[1]), str(halves[2])], store, ScanOptions(inventory=inventory))
    assert [f.duplicate_of for f in second.files] == [None, None]
    with Store.open(store) as st:
        files = st.con.execute("SELECT file_id, name, lines FROM files ORDER BY 1").fetchall()
        per_file = st.con.execute(
            "SELECT file_id, count(*) FROM hits GROUP BY 1 ORDER BY 1"
        ).fetchall()
    names = [str(halves[0]), str(log), str(halves[1]), str(halves[2])]
    assert [(i, n) for i, n, _ in files] == list(enumerate(names, start=1))
    assert [n for _, _, n in files] == [
        len(lines[::3]),
        len(lines),
        len(lines[1::3]),
        len(lines[2::3]),
    ]
    assert [i for i, _ in per_file] == [1, 2, 3, 4]  # every file holds some of the month's hits
    assert sum(n for i, n in per_file if i != 2) == dict(per_file)[2]  # the thirds make the whole
