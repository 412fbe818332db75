"""``bench/floor.py`` — the scan's floor in the bench — walks every line of the file, plain or
gzip, on any number of threads (what it times must be the whole file)."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from sentinelle.scan import blocks, native
from tests.scan.conftest import LINES

pytestmark = pytest.mark.skipif(not native.available(), reason="the native walker is not built")


def _floor() -> ModuleType:
    path = Path(__file__).parents[2] / "bench" / "floor.py"
    spec = importlib.util.spec_from_file_location("bench_floor", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_floor_walks_every_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    threads: int,
    compressed: bool,
) -> None:
    floor = _floor()
    monkeypatch.setattr(blocks, "BLOCK", 4096)  # many blocks, and lines across them
    lines = [*LINES * 40, "x" * 10_000, *LINES]  # a line longer than a block
    text = ("\n".join(lines) + "\n").encode()
    path = tmp_path / ("access.log.gz" if compressed else "access.log")
    path.write_bytes(gzip.compress(text) if compressed else text)
    assert floor.main([str(path), "--threads", str(threads)]) == 0
    assert capsys.readouterr().out == f"lines={len(lines)}\n"
