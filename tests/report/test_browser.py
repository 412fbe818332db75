"""The report opens in a real browser with no network: screenshot and rendered DOM."""

from __future__ import annotations

import html
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from sentinelle.report import headline_text, render_report
from sentinelle.report.model import ReportData

pytestmark = pytest.mark.browser

OFFLINE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # any lookup fails: the page must need none
]


def _find() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _install() -> None:
    """Install Debian's chromium when we are root with apt; quietly leave it otherwise."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-qq", "chromium"]
    for attempt in (command, ["apt-get", "update", "-qq"], command):
        subprocess.run(attempt, env=env, capture_output=True, timeout=900, check=False)
        if _find():
            return


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _find()
    if found is None:
        _install()
        found = _find()
    if found is None:
        pytest.skip(
            "chromium is not installed and could not be installed "
            "(needs root and apt-get: `apt-get install -y chromium`)"
        )
    return found


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_renders_offline(
    chromium: str, report_data: ReportData, tmp_path: Path, lang: str
) -> None:
    page = tmp_path / f"report-{lang}.html"
    page.write_text(render_report(report_data, lang), encoding="utf-8")
    shot = tmp_path / f"report-{lang}.png"

    result = _run(
        chromium, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,4000",
        page.as_uri(),
    )  # fmt: skip
    assert shot.exists(), f"no screenshot; chromium said:\n{result.stderr[-2000:]}"
    assert _png_size(shot) == (1280, 4000)
    assert shot.stat().st_size > 100_000, "the screenshot looks blank"

    dom = _run(chromium, tmp_path / "profile-dom", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert headline_text(report_data, lang) in html.unescape(dom.stdout)
    assert dom.stdout.count("<svg") >= 7
