"""A default simulated hospital month, written once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.simulate import HospitalConfig, SimulationResult, simulate


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(tmp_path_factory.mktemp("sim") / "default", HospitalConfig())


@pytest.fixture(scope="session")
def small_config() -> HospitalConfig:
    return HospitalConfig(
        workstations=120, lines=30_000, ai_share=0.02, garbage_share=0.002, blank_share=0.001
    )


def read_lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]
