"""A simulated hospital whose dynamic workstations get their addresses from DHCP, scanned."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate import HospitalConfig, SimulationResult, simulate


@dataclass
class DhcpHospital:
    sim: SimulationResult
    config: HospitalConfig
    store: Path  # scanned with the ISC leases
    root: Path


@pytest.fixture(scope="session")
def dhcp_hospital(tmp_path_factory: pytest.TempPathFactory) -> DhcpHospital:
    root = tmp_path_factory.mktemp("dhcp-hospital")
    config = HospitalConfig(seed=11, workstations=250, dhcp=True)
    sim = simulate(root / "sim", config)
    store = root / "store"
    scan(
        [str(p) for p in sim.logs["squid"]],
        store,
        ScanOptions(inventory=sim.inventory, tz=config.tz, dhcp=tuple(sim.dhcp["isc-dhcpd"])),
    )
    return DhcpHospital(sim, config, store, root)
