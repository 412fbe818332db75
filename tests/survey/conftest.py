"""Shared fixtures of the survey tests (R is optional: stored expected values otherwise).

``SENTINELLE_R=0`` forbids running or installing R: the tests then use the values stored next to
tests/survey/r/rake_estimates.R.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.survey.rcompare import DATA, EXPECTED, MARGINS, SCRIPT

R_INSTALL_TIMEOUT = 900


def _r_has_survey() -> bool:
    if os.environ.get("SENTINELLE_R") == "0" or shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "library(survey); library(jsonlite)"], capture_output=True, timeout=120
    )
    return probe.returncode == 0


def _try_install_r() -> None:
    """Install Debian's R and survey when root with apt (bounded; any failure is ignored)."""
    if os.environ.get("SENTINELLE_R") == "0" or shutil.which("apt-get") is None:
        return
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(
            ["apt-get", "update"], capture_output=True, timeout=R_INSTALL_TIMEOUT, env=env
        )
        subprocess.run(
            ["apt-get", "install", "-y", "r-base-core", "r-cran-survey", "r-cran-jsonlite"],
            capture_output=True,
            timeout=R_INSTALL_TIMEOUT,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return


@pytest.fixture(scope="session")
def r_available() -> bool:
    """Whether Rscript with the survey package runs here (installing it once if allowed)."""
    if _r_has_survey():
        return True
    _try_install_r()
    return _r_has_survey()


@pytest.fixture(scope="session")
def stored_expected() -> dict[str, Any]:
    """The R values stored next to the R script."""
    return json.loads(EXPECTED.read_text("utf-8"))


@pytest.fixture(scope="session")
def r_expected(
    r_available: bool, stored_expected: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """R's values: computed live when R is available, else the stored ones."""
    if not r_available:
        return stored_expected
    out = tmp_path_factory.mktemp("r") / "expected.json"
    subprocess.run(
        ["Rscript", str(SCRIPT), str(DATA), str(MARGINS), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return json.loads(out.read_text("utf-8"))


@pytest.fixture(scope="session")
def simulated_2025() -> Any:
    """The simulated 2025 respondents (published calibration, default seed)."""
    from sentinelle.survey.simulate import simulate

    return simulate(2025)
