"""``sentinelle demo``: a simulated hospital month, scanned and reported, end to end."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.console import Console

from sentinelle.scan import ScanOptions, scan
from sentinelle.simulate import HospitalConfig, simulate


@dataclass(frozen=True)
class DemoResult:
    report: Path
    headline: str
    store: Path


def run_demo(
    out: Path, *, lang: str = "fr", seed: int = 2026, console: Console | None = None
) -> DemoResult:
    """Simulate into ``out/simulated``, scan into ``out/store``, write ``out/rapport-….html``.

    The demo hospital's policy (``out/policy.yaml``) sanctions Le Chat and Microsoft 365 Copilot,
    tolerates DeepL and blocks DeepSeek, so the report shows the sanctioned/shadow split.
    """
    from sentinelle.report import write_report

    out.mkdir(parents=True, exist_ok=True)
    policy = out / "policy.yaml"
    demo_policy = resources.files("sentinelle").joinpath("data", "demo-policy.yaml")
    policy.write_text(demo_policy.read_text(encoding="utf-8"), encoding="utf-8")
    config = HospitalConfig(seed=seed)
    if console:
        console.print(f"Simulating {config.name} ({config.month}) …")
    sim = simulate(out / "simulated", config)
    store = out / "store"
    options = ScanOptions(
        tz=config.tz, inventory=sim.inventory, secret=out / "secret.key", policy=policy
    )
    paths = [str(p) for p in sim.logs["squid"]]
    if console:
        console.print(f"Scanning {len(paths)} log file(s) into {store} …")
    scan(paths, store, options)
    name = "rapport" if lang == "fr" else "report"
    report, headline = write_report(
        store, out / f"{name}-{config.month}.html", period=config.month, lang=lang, policy=policy
    )
    return DemoResult(report, headline, store)
