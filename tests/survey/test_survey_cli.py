"""The `sentinelle survey` commands, invoked through Click's runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sentinelle.survey.cli import survey
from sentinelle.survey.weighting import report_path, sidecar

KEYS = ["question", "answer", "group", "n", "estimate", "se", "ci_low", "ci_high"]


def run(*args: str) -> Result:
    return CliRunner().invoke(survey, list(args))


def failed(result: Result, message: str) -> bool:
    """The command exited 8 (SurveyError) and printed the message."""
    return result.exit_code == 8 and message in " ".join(result.output.split())


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Simulated 2025 and 2026 editions, weighted to the bundled DREES margins."""
    root = tmp_path_factory.mktemp("cli")
    out = {}
    for year in (2025, 2026):
        raw, weighted = root / f"sim-{year}.csv", root / f"w-{year}.csv"
        assert (
            run("simulate", "--edition", str(year), "--seed", "5", "--out", str(raw)).exit_code == 0
        )
        result = run("weight", str(raw), "--margins", "drees", "--out", str(weighted))
        assert result.exit_code == 0, result.output
        out[f"raw{year}"], out[f"w{year}"] = raw, weighted
    return out


@pytest.mark.parametrize("command", sorted(survey.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert re.search(r"sentinelle survey \w+", result.output)


def test_weight_writes_weights_margins_and_report(files: dict[str, Path]) -> None:
    lines = files["w2025"].read_text("utf-8").splitlines()
    header = lines[0].split(",")
    assert header[-1] == "weight" and len(lines) == 1052
    total = sum(float(line.rsplit(",", 1)[1]) for line in lines[1:])
    assert total == pytest.approx(1051)
    assert "GROUPE_PRO,soignant,0.58" in sidecar(files["w2025"]).read_text("utf-8")
    report = json.loads(report_path(files["w2025"]).read_text("utf-8"))
    assert report["deff_kish"] > 1 and report["n_effective"] < 1051


def test_estimate_json_shape(files: dict[str, Path]) -> None:
    result = run(
        "estimate", str(files["w2025"]), "--question", "PERCEPTION", "--by", "GROUPE_PRO", "--json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(list(r) == KEYS for r in rows)
    overall = [r for r in rows if r["group"] == "all"]
    assert len(overall) == 5 and sum(r["estimate"] for r in overall) == pytest.approx(1)
    assert all(r["ci_low"] < r["estimate"] < r["ci_high"] for r in overall)
    assert {r["group"] for r in rows} >= {"all", "soignant", "medical"}


def test_estimate_indicator_ci_options_and_jackknife(files: dict[str, Path]) -> None:
    for ci in ("logit", "korn-graubard", "wilson"):
        result = run("estimate", str(files["w2025"]), "--question", "formes", "--ci", ci, "--json")
        assert result.exit_code == 0, result.output
        (row,) = json.loads(result.output)
        assert row["answer"] == "oui" and 0.02 < row["estimate"] < 0.1
    result = run("estimate", str(files["w2025"]), "--question", "formes", "--variance", "jackknife")
    assert result.exit_code == 0, result.output
    assert "oui" in result.output


def test_estimate_table_flags_small_groups(files: dict[str, Path]) -> None:
    result = run("estimate", str(files["w2025"]), "--question", "FORMATION", "--by", "GROUPE_PRO")
    assert result.exit_code == 0
    assert "n < 30" in result.output


def test_estimate_needs_recorded_or_given_margins(files: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes(files["w2025"].read_bytes())
    result = run("estimate", str(copy), "--question", "PERCEPTION")
    assert failed(result, "no record of the margins"), result.output
    assert (
        run("estimate", str(copy), "--question", "PERCEPTION", "--margins", "drees").exit_code == 0
    )


def test_estimate_refuses_margins_not_used_for_the_weights(
    files: dict[str, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other.csv"
    other.write_text(
        "variable,category,share\n"
        + sidecar(files["w2025"])
        .read_text("utf-8")
        .split("share\n")[1]
        .replace("soignant,0.58", "soignant,0.48")
        .replace("medical,0.09", "medical,0.19"),
        encoding="utf-8",
    )
    result = run(
        "estimate", str(files["w2025"]), "--question", "PERCEPTION", "--margins", str(other)
    )
    assert failed(result, "do not reproduce margin 'GROUPE_PRO'"), result.output


def test_validate_lists_bad_rows_and_fails(files: dict[str, Path], tmp_path: Path) -> None:
    ok = run("validate", str(files["raw2025"]))
    assert ok.exit_code == 0 and "1051 valid" in ok.output
    bad = tmp_path / "bad.csv"
    lines = files["raw2025"].read_text("utf-8").splitlines()
    column = lines[0].split(",").index("PERCEPTION")
    for number, value in ((4, "bof"), (11, "???")):
        cells = lines[number - 1].split(",")
        cells[column] = value
        lines[number - 1] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert failed(result, "2 bad rows"), result.output
    assert "row 4, PERCEPTION: 'bof' unknown answer code" in result.output
    assert "row 11, PERCEPTION: '???' unknown answer code" in result.output
    weighted = tmp_path / "w.csv"
    result = run("weight", str(bad), "--margins", "drees", "--out", str(weighted))
    assert result.exit_code == 0
    assert "bad rows left out" in result.output


def test_weight_with_trim(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "trim.csv"
    result = run(
        "weight",
        str(files["raw2025"]),
        "--margins",
        "drees",
        "--trim",
        "0.4,2.5",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(report_path(out).read_text("utf-8"))
    assert report["weight_max"] <= 2.5 + 1e-5 and report["weight_min"] >= 0.4 - 1e-5
    result = run(
        "weight", str(files["raw2025"]), "--margins", "drees", "--trim", "abc", "--out", str(out)
    )
    assert failed(result, "expected LOW,HIGH"), result.output


def test_compare_editions(files: dict[str, Path]) -> None:
    result = run("compare", str(files["w2025"]), str(files["w2026"]), "--json")
    assert result.exit_code == 0, result.output
    diffs = {d["indicator"]: d for d in json.loads(result.output)}
    formes = diffs["formes"]
    assert formes["old_edition"] == 2025 and formes["new_edition"] == 2026
    assert formes["difference"] == pytest.approx(formes["new"] - formes["old"])
    assert formes["ci_low"] < formes["difference"] < formes["ci_high"]
    assert formes["significant"]
    assert all(d["p_holm"] >= d["p_value"] for d in diffs.values())


def test_report_offline_french(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", str(files["w2025"]), str(files["w2026"]), "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert '<html lang="fr">' in html and "Limites de l'échantillon" in html.replace("&#39;", "'")
    assert "IC 95 %" in html and "Base" in html and "<svg" in html
    assert not re.search(r"(https?:)?//[a-z]", html), "the report must not load anything"
    assert "<script" not in html and "<link" not in html


def test_demo_prints_the_table() -> None:
    result = run("demo")
    assert result.exit_code == 0
    assert "perception_positive" in result.output and "66%" in result.output


@pytest.mark.parametrize("command", sorted(survey.commands))
def test_every_command_is_documented(command: str) -> None:
    docs = Path(__file__).parents[2] / "docs" / "survey.md"
    assert f"survey {command}" in docs.read_text("utf-8")


def test_fetch_from_limesurvey_api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import citric

    calls = {}

    class FakeClient:
        def __init__(self, url: str, user: str, password: str) -> None:
            calls["login"] = (url, user, password)

        def __enter__(self) -> FakeClient:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def export_responses(self, survey_id: int, **options: str) -> bytes:
            calls["export"] = (survey_id, options)
            return b'"id";"token";"OUTILS[perso]"\n"3";"a";"Y"\n"8";"b";""\n'

    monkeypatch.setattr(citric, "Client", FakeClient)
    out = tmp_path / "export.csv"
    args = [
        "fetch",
        "--url",
        "https://ls/rc",
        "--user",
        "u",
        "--survey-id",
        "42",
        "--out",
        str(out),
    ]
    monkeypatch.delenv("LIMESURVEY_PASSWORD", raising=False)
    assert failed(run(*args), "LIMESURVEY_PASSWORD is not set")
    monkeypatch.setenv("LIMESURVEY_PASSWORD", "secret")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert calls["login"] == ("https://ls/rc", "u", "secret")
    survey_id, options = calls["export"]
    assert survey_id == 42 and options["completion_status"] == "complete"
    assert options["heading_type"] == "code" and options["response_type"] == "short"
    assert out.read_text("utf-8").splitlines() == ["id,token,OUTILS_perso", "3,a,Y", "8,b,"]


def test_report_single_2025_edition_shows_published_figures(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    assert run("report", str(files["w2025"]), "--lang", "en", "--out", str(out)).exit_code == 0
    html = out.read_text("utf-8")
    assert "Published 2025" in html and "Edition over edition" not in html
    assert '<td class="num">66.0</td>' in html  # perception_positive, as published
