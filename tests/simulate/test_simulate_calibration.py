"""Calibration of the default hospital against the published figures, and the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from sentinelle.simulate import HospitalConfig, SimulationResult, simulate
from sentinelle.simulate.cli import simulate as simulate_command
from sentinelle.simulate.config import default_profile
from sentinelle.simulate.hospital import build_hospital
from sentinelle.simulate.truth import Truth


def general_purpose() -> set[str]:
    return {s for s, spec in default_profile()["services"].items() if spec["general_purpose"]}


def test_chatgpt_is_about_60_percent_of_general_purpose_ai(default_run: SimulationResult) -> None:
    rows = Truth.load(default_run.truth).metrics(by=["service"], period="2026-08")
    gp = {r["service"]: r["requests"] for r in rows if r["service"] in general_purpose()}
    assert 0.55 <= gp["chatgpt"] / sum(gp.values()) <= 0.65


def test_ai_is_a_small_share_of_lines(default_run: SimulationResult) -> None:
    assert 0.003 <= default_run.ai_hits / default_run.events <= 0.01


def test_interns_and_secretaries_are_heavier_than_average(default_run: SimulationResult) -> None:
    config = HospitalConfig()
    hosp = build_hospital(config, np.random.default_rng(config.seed))
    per_role = {
        r["role"]: r["requests"]
        for r in Truth.load(default_run.truth).metrics(by=["role"], period="2026-08")
    }
    counted = sum(per_role.values())
    average = counted / len(hosp)
    for role in ("Interne", "Secrétaire médicale"):
        stations = sum(1 for i in range(len(hosp)) if hosp.labels(i)[2] == role)
        assert per_role[role] / stations > 1.5 * average, role


def test_working_hours_and_weekdays_dominate_but_nights_exist(
    default_run: SimulationResult,
) -> None:
    truth = Truth.load(default_run.truth)
    hours = {r["hour"]: r["requests"] for r in truth.metrics(by=["hour"], period="2026-08")}
    day = sum(v for h, v in hours.items() if 8 <= h < 18)
    night = sum(v for h, v in hours.items() if h < 6 or h >= 22)
    assert day > 0.6 * sum(hours.values()) and night > 0
    days = {r["weekday"]: r["requests"] for r in truth.metrics(by=["weekday"], period="2026-08")}
    assert min(days[d] for d in range(1, 6)) > max(days.get(6, 0), days.get(7, 0))


def test_blocked_service_and_handshakes(default_run: SimulationResult) -> None:
    rows = {
        r["service"]: r
        for r in Truth.load(default_run.truth).metrics(by=["service"], period="2026-08")
    }
    assert rows["deepseek"]["blocked"] == rows["deepseek"]["requests"] > 0
    assert 0 < rows["chatgpt"]["blocked"] < rows["chatgpt"]["requests"] * 0.2


def test_auxiliary_only_hits_exist_and_are_not_counted(default_run: SimulationResult) -> None:
    truth = Truth.load(default_run.truth)
    assert len(truth.counted()) < len(truth.hits)
    assert any(not h.primary for h in truth.hits)


def test_performance_smoke(tmp_path: Path) -> None:
    """No timing assertion: prints the generation speed (see docs/simulator.md for 10M)."""
    start = time.perf_counter()
    res = simulate(tmp_path, HospitalConfig(workstations=1000, lines=300_000))
    seconds = time.perf_counter() - start
    print(
        f"\nsimulate: {res.lines:,} lines in {seconds:.2f} s = {res.lines / seconds:,.0f} lines/s"
    )
    assert res.events >= 299_000


def test_cli_writes_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        simulate_command,
        [
            "--out",
            str(tmp_path),
            "--workstations",
            "60",
            "--lines",
            "6000",
            "--seed",
            "3",
            "--compress",
            "gz",
            "--month",
            "2026-02",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "lines/s" in result.output
    assert (tmp_path / "logs" / "squid" / "access-2026-02-28.log.gz").exists()
    assert (tmp_path / "truth" / "ai_hits.csv").exists()


def test_cli_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(simulate_command, ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "sentinelle simulate --out" in result.output


def test_cli_bad_value_exits_with_config_error_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(simulate_command, ["--out", str(tmp_path), "--tz", "Mars/Base"])
    assert result.exit_code == 2
    assert "Mars/Base" in result.output


def test_start_end_dates_across_a_dst_change(tmp_path: Path) -> None:
    import datetime as dt

    config = HospitalConfig(
        start=dt.date(2026, 3, 28), end=dt.date(2026, 3, 30), workstations=50, lines=5000
    )
    res = simulate(tmp_path, config)
    assert [p.name for p in res.logs["squid"]] == [
        f"access-2026-03-{d}.log" for d in (27, 28, 29, 30)
    ]
    days = {r["day"] for r in Truth.load(res.truth).metrics(by=["day"])}
    assert days <= {"2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"}
