"""Shared fixtures: the pseudonymization key lives in a temporary place, never in $HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _secret(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["SENTINELLE_SECRET"] = str(tmp_path_factory.mktemp("secret") / "secret.key")


@pytest.fixture
def shared_samples() -> Path:
    """``../shared/samples`` (real vendor lines); the test is skipped when it is absent."""
    samples = SHARED / "samples"
    if not samples.is_dir():
        pytest.skip("../shared/samples is not beside the repository")
    return samples
