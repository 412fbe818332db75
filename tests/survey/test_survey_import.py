"""Imports: LimeSurvey CSV/XLSX (codes or labels), SPSS .sav, mappings; every bad row reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sentinelle.errors import SurveyError
from sentinelle.survey.importers import parse_limesurvey_export, read_responses
from sentinelle.survey.questionnaire import load
from sentinelle.survey.table import read_csv
from sentinelle.survey.validation import validate

SAMPLES = Path(__file__).parent / "samples"
SOURCE = SAMPLES / "simulated-60.csv"


def _limesurvey_headers(columns: list[str]) -> list[str]:
    multi = {q.code for q in load(2025).questions.values() if q.kind == "multi"}
    out = []
    for c in columns:
        head, _, tail = c.partition("_")
        out.append(f"{head}[{tail}]" if head in multi and tail else c)
    return out


def _write_limesurvey_csv(
    path: Path, edit: dict[int, dict[str, str]], extra: list[str] | None = None
) -> None:
    """The 60 simulated rows as a LimeSurvey export (';', Q[SQ] headings, Y/empty), then edited."""
    table, _ = read_csv(SOURCE)
    lines = [";".join(_limesurvey_headers(table.columns))]
    for i in range(len(table)):
        record = table.record(i)
        record.update(edit.get(i, {}))
        cells = [("" if v == "N" else v) for v in record.values()]
        lines.append(";".join(f'"{c}"' for c in cells))
    path.write_text("\n".join(lines + (extra or [])) + "\n", encoding="utf-8")


def test_clean_limesurvey_export_imports_every_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    _write_limesurvey_csv(path, {})
    checked = validate(read_responses(path))
    assert checked.edition == 2025
    assert checked.problems == []
    assert len(checked.table) == 60
    original, _ = read_csv(SOURCE)
    assert checked.table.data["OUTILS_perso"] == original.data["OUTILS_perso"]
    assert checked.table.data["USAGES_imagerie"] == original.data["USAGES_imagerie"]


def test_export_with_errors_lists_every_bad_row_and_imports_the_rest(tmp_path: Path) -> None:
    table, _ = read_csv(SOURCE)
    user = next(i for i in range(6, 60) if table.data["USAGE"][i] != "jamais")
    non_user = next(i for i in range(6, 60) if table.data["USAGE"][i] == "jamais")
    edits = {
        0: {"PERCEPTION": "enthousiaste"},  # unknown code → line 2
        2: {"ETAB_TYPE": ""},  # missing profile field → line 4
        3: {"token": table.data["token"][1]},  # duplicate token (first seen on line 3) → line 5
        non_user: {"BENEF_TEMPS": "plutot_oui"},  # outside the users base
        user: {"FORMATION": "peut-être", "REGION": ""},  # two problems on one row
    }
    path = tmp_path / "export.csv"
    _write_limesurvey_csv(path, edits, extra=['"too";"few"'])
    checked = validate(read_responses(path))
    reasons = {(p.row, p.column): p.reason for p in checked.problems}
    assert "unknown answer code" in reasons[(2, "PERCEPTION")]
    assert reasons[(4, "ETAB_TYPE")] == "missing profile field"
    assert reasons[(5, "token")] == "duplicate token (first seen row 3)"
    assert "outside the base 'users'" in reasons[(non_user + 2, "BENEF_TEMPS")]
    assert "unknown answer code" in reasons[(user + 2, "FORMATION")]
    assert reasons[(user + 2, "REGION")] == "missing profile field"
    assert "2 fields where the header has" in reasons[(62, "")]
    bad = sorted({0, 2, 3, non_user, user})
    assert checked.bad_rows == sorted([b + 2 for b in bad] + [62])
    assert len(checked.table) == 60 - len(bad)
    assert checked.rows_read == 61
    assert set(checked.table.rows).isdisjoint(checked.bad_rows)


def test_full_label_export_maps_labels_to_codes(tmp_path: Path) -> None:
    table, _ = read_csv(SOURCE)
    q = load(2025)
    path = tmp_path / "labels.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        for i in range(len(table)):
            row = [
                q.answer_label(c, table.data[c][i])
                if c in ("PERCEPTION", "PROFESSION")
                else table.data[c][i]
                for c in table.columns
            ]
            writer.writerow([("Oui" if v == "Y" else v) for v in row])
    checked = validate(read_responses(path))
    assert checked.problems == []
    assert checked.table.data["PERCEPTION"] == table.data["PERCEPTION"]
    assert checked.table.data["PROFESSION"] == table.data["PROFESSION"]


def test_xlsx_export(tmp_path: Path) -> None:
    import openpyxl

    table, _ = read_csv(SOURCE)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(_limesurvey_headers(table.columns))
    for i in range(len(table)):
        sheet.append([None if v in ("", "N") else v for v in table.record(i).values()])
    sheet.cell(row=7, column=table.columns.index("CONNAISSANCE") + 1, value="Omnisciente")
    book.save(tmp_path / "export.xlsx")
    checked = validate(read_responses(tmp_path / "export.xlsx"))
    assert [(p.row, p.column) for p in checked.problems] == [(7, "CONNAISSANCE")]
    assert len(checked.table) == 59


def test_spss_sav_with_value_labels() -> None:
    checked = validate(read_responses(SAMPLES / "limesurvey-60.sav"))
    original, _ = read_csv(SOURCE)
    assert checked.problems == []
    assert checked.table.data["PERCEPTION"] == original.data["PERCEPTION"]
    assert checked.table.data["FORMATION"] == original.data["FORMATION"]
    assert checked.table.rows[:2] == [1, 2]


def test_mapping_renames_columns(tmp_path: Path) -> None:
    table, _ = read_csv(SOURCE)
    renamed = ["q_" + c.lower() for c in table.columns]
    path = tmp_path / "other.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(renamed)
        writer.writerows(table.record(i).values() for i in range(len(table)))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("\n".join(f"{r}: {c}" for r, c in zip(renamed, table.columns, strict=True)))
    with pytest.raises(SurveyError, match="missing"):
        validate(read_responses(path), edition=2025)
    checked = validate(read_responses(path, mapping))
    assert checked.edition == 2025 and checked.problems == []


def test_limesurvey_api_export_bytes() -> None:
    text = 'id;token;PERCEPTION\n"7";"a";"neutre"\n"9";"b";"tres_positif"\n'
    imported = parse_limesurvey_export(text.encode("utf-8"), "api")
    assert imported.table.rows == [7, 9]
    assert imported.table.data["PERCEPTION"] == ["neutre", "tres_positif"]


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="unsupported response format"):
        read_responses(tmp_path / "x.pdf")
    with pytest.raises(SurveyError, match="no such file"):
        read_responses(tmp_path / "x.csv")


def test_unknown_edition_structure_only(tmp_path: Path) -> None:
    path = tmp_path / "any.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    checked = validate(read_responses(path))
    assert checked.edition is None and len(checked.table) == 2


def test_incomplete_limesurvey_responses_are_reported(tmp_path: Path) -> None:
    table, _ = read_csv(SOURCE)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "submitdate", *table.columns])
        for i in range(len(table)):
            date = "" if i == 4 else "1980-01-01 00:00:00"
            writer.writerow([i + 1, date, *table.record(i).values()])
    checked = validate(read_responses(path))
    assert [(p.row, p.column) for p in checked.problems] == [(6, "submitdate")]
    assert len(checked.table) == 59
