"""The report on the simulated hospital splits sanctioned from shadow use by a policy file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sentinelle.catalog import Policy, load_catalog
from sentinelle.report import build_report_data
from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate import HospitalConfig, simulate
from sentinelle.store import Store

POLICY = resources.files("sentinelle").joinpath("data", "demo-policy.yaml")


def test_policy_split_on_simulated_hospital(tmp_path: Path) -> None:
    config = HospitalConfig(seed=11)
    sim = simulate(tmp_path / "sim", config)
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    scan(
        [str(p) for p in sim.logs["squid"]],
        tmp_path / "store",
        ScanOptions(inventory=sim.inventory, policy=policy_file),
    )
    policy = Policy.load(policy_file)
    with Store.open(tmp_path / "store") as store:
        data = build_report_data(store, config.month, catalog=load_catalog(), policy=policy)
        by_service = {r["service"]: r["requests"] for r in store.metrics(["service"], config.month)}
    groups = {g.status: g for g in data.policy}
    total = sum(by_service.values())
    expected = {
        "sanctioned": by_service.get("le-chat", 0) + by_service.get("copilot-m365", 0),
        "tolerated": by_service.get("deepl", 0),
        "blocked": by_service.get("deepseek", 0),
    }
    expected["unsanctioned"] = total - sum(expected.values())
    assert {s: g.requests for s, g in groups.items()} == expected
    assert expected["sanctioned"] > 0 and expected["tolerated"] > 0 and expected["blocked"] > 0
    assert "Le Chat" in groups["sanctioned"].services
    shadow = (expected["unsanctioned"] + expected["blocked"]) / total
    assert abs(data.shadow_share - shadow) < 1e-12
