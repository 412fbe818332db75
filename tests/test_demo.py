"""`sentinelle demo` runs end to end and prints the report's path and its headline."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sentinelle.cli import main


def test_demo_writes_the_report_and_prints_the_headline(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    path_line, headline = result.stdout.strip().splitlines()[-2:]
    report = Path(path_line)
    assert report.exists() and report.parent == out
    html = report.read_text(encoding="utf-8")
    assert headline.startswith("En août 2026, ")
    assert "connexions vers des outils d'IA générative" in headline
    assert "vers ChatGPT" in headline
    # the headline printed is the one in the report
    assert headline.split(",")[0] in html
    assert "sanctioned" not in headline
    assert not list((out / "store").glob("*.key")), "the secret must live outside the store"


def test_demo_in_english(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "d"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1].startswith("In August 2026, ")
