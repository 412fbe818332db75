"""Read responses: LimeSurvey CSV/XLSX exports and API, SPSS .sav, any CSV/XLSX with a mapping."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sentinelle.errors import SurveyError
from sentinelle.survey.table import Table, parse_csv, read_csv

# LimeSurvey writes multiple-choice sub-questions as ``Q5[SQ001]`` (code headings).
_SUBQUESTION = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sq>[^\[\]]+)\]$")


class ImportedTable:
    """A table read from a source plus the records that could not even be split into fields."""

    def __init__(self, table: Table, unreadable: list[tuple[int, str]]) -> None:
        self.table = table
        self.unreadable = unreadable


def read_responses(path: Path, mapping: Path | None = None) -> ImportedTable:
    """Read a response file by its extension, then rename columns (LimeSurvey + mapping)."""
    readers: dict[str, Callable[[Path], ImportedTable]] = {
        ".csv": _read_csv,
        ".txt": _read_csv,
        ".tsv": _read_csv,
        ".xlsx": read_xlsx,
        ".sav": read_sav,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise SurveyError(
            f"{path}: unsupported response format {path.suffix!r}",
            hint="export the responses as CSV, XLSX or SPSS .sav",
        )
    if not path.exists():
        raise SurveyError(f"{path}: no such file")
    imported = reader(path)
    renames = load_mapping(mapping) if mapping else {}
    imported.table = rename_columns(imported.table, renames)
    return imported


def _read_csv(path: Path) -> ImportedTable:
    table, bad = read_csv(path)
    return ImportedTable(table, bad)


def read_xlsx(path: Path) -> ImportedTable:
    """The first sheet of an XLSX workbook; row numbers are the sheet's row numbers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a corrupt file
        raise SurveyError(f"cannot open {path} as an XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not lines:
        raise SurveyError(f"{path}: the first sheet is empty")
    header = [_cell(h) for h in lines[0]]
    while header and not header[-1]:
        header.pop()
    records, rows = [], []
    for number, line in enumerate(lines[1:], start=2):
        cells = [_cell(c) for c in line[: len(header)]]
        if any(cells):
            records.append(dict(zip(header, cells, strict=False)))
            rows.append(number)
    data = {h: [r.get(h, "") for r in records] for h in header}
    return ImportedTable(Table(header, data, rows, str(path)), [])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sav(path: Path) -> ImportedTable:
    """An SPSS .sav file; labelled values become their labels (matched to codes later)."""
    import pyreadstat

    try:
        data, meta = pyreadstat.read_sav(str(path), output_format="dict")
    except Exception as exc:  # pyreadstat raises its own ReadstatError and OSError
        raise SurveyError(f"cannot read {path} as SPSS .sav: {exc}") from exc
    labels: dict[str, dict[Any, str]] = meta.variable_value_labels or {}
    columns = list(meta.column_names)
    n = meta.number_rows or (len(data[columns[0]]) if columns else 0)
    out = {c: [_sav_value(data[c][i], labels.get(c)) for i in range(n)] for c in columns}
    return ImportedTable(Table(columns, out, list(range(1, n + 1)), str(path)), [])


def _sav_value(value: Any, labels: dict[Any, str] | None) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if labels and value in labels:
        return str(labels[value])
    return _cell(value)


def read_limesurvey_api(url: str, username: str, password: str, survey_id: int) -> ImportedTable:
    """Completed responses of a LimeSurvey survey through RemoteControl 2 (``citric``)."""
    import citric

    try:
        with citric.Client(url, username, password) as client:
            raw = client.export_responses(
                survey_id,
                file_format="csv",
                completion_status="complete",
                heading_type="code",
                response_type="short",
            )
    except Exception as exc:  # network, authentication and API errors all land here
        raise SurveyError(
            f"LimeSurvey API export of survey {survey_id} from {url} failed: {exc}",
            hint="check the URL (…/index.php/admin/remotecontrol), the account and the survey id",
        ) from exc
    return parse_limesurvey_export(raw, f"{url} survey {survey_id}")


def parse_limesurvey_export(raw: bytes, source: str) -> ImportedTable:
    """A LimeSurvey CSV export (bytes, as ``citric`` returns them, base64-decoded) as a table."""
    table, bad = parse_csv(raw.decode("utf-8-sig"), source)
    if "id" in table.data:
        table.rows = [
            int(v) if v.isdigit() else r for v, r in zip(table.data["id"], table.rows, strict=True)
        ]
    return ImportedTable(rename_columns(table, {}), bad)


def load_mapping(path: Path) -> dict[str, str]:
    """A column mapping file: YAML ``source: column`` or CSV ``source,column``."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise SurveyError(f"cannot read mapping {path}: {exc.strerror}") from exc
    if path.suffix.lower() == ".csv":
        table, _ = parse_csv(text, str(path))
        if not {"source", "column"} <= set(table.columns):
            raise SurveyError(f"{path}: a CSV mapping needs the columns source,column")
        return dict(zip(table.data["source"], table.data["column"], strict=True))
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise SurveyError(
            f"{path}: a YAML mapping must be `source column: questionnaire column` lines"
        )
    return {str(k): str(v) for k, v in loaded.items()}


def rename_columns(table: Table, renames: dict[str, str]) -> Table:
    """Apply a mapping, then turn LimeSurvey ``Q[SQ]`` headings into ``Q_SQ`` columns."""
    new_names = []
    for name in table.columns:
        target = renames.get(name, name)
        match = _SUBQUESTION.match(target)
        new_names.append(f"{match['q']}_{match['sq']}" if match else target)
    if len(set(new_names)) != len(new_names):
        dupes = sorted({n for n in new_names if new_names.count(n) > 1})
        raise SurveyError(
            f"{table.source}: after renaming, columns {', '.join(dupes)} appear twice",
            hint="check the column mapping: two source columns map to the same question",
        )
    data = {new: table.data[old] for old, new in zip(table.columns, new_names, strict=True)}
    return Table(new_names, data, table.rows, table.source)
