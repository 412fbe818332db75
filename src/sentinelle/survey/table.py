"""A small column table of strings with the source row number of every row (no pandas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sentinelle.errors import SurveyError

DELIMITERS = ";,\t|"


@dataclass
class Table:
    """Columns of strings; ``rows[i]`` is where row ``i`` came from (file line, sheet row, case)."""

    columns: list[str]
    data: dict[str, list[str]]
    rows: list[int] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        if not self.rows:
            self.rows = list(range(2, len(self) + 2))

    def __len__(self) -> int:
        return len(self.data[self.columns[0]]) if self.columns else 0

    def column(self, name: str) -> list[str]:
        """A column, or a SurveyError naming the columns that exist."""
        if name not in self.data:
            raise SurveyError(
                f"no column {name!r} in {self.source or 'the responses'}",
                hint=f"columns are: {', '.join(self.columns)}",
            )
        return self.data[name]

    def array(self, name: str) -> np.ndarray:
        """A column as a numpy array of str."""
        return np.asarray(self.column(name), dtype=object).astype(str)

    def floats(self, name: str) -> np.ndarray:
        """A numeric column; a SurveyError names the first row that is not a number."""
        values = self.column(name)
        out = np.empty(len(values))
        for i, text in enumerate(values):
            try:
                out[i] = float(text)
            except ValueError:
                raise SurveyError(
                    f"{self.source}: row {self.rows[i]}: {name}={text!r} is not a number"
                ) from None
        return out

    def record(self, i: int) -> dict[str, str]:
        """Row ``i`` as a dict."""
        return {c: self.data[c][i] for c in self.columns}

    def take(self, keep: Sequence[int]) -> Table:
        """A new table with the rows at these positions."""
        data = {c: [self.data[c][i] for i in keep] for c in self.columns}
        return Table(list(self.columns), data, [self.rows[i] for i in keep], self.source)

    def with_column(self, name: str, values: Iterable[str]) -> Table:
        """A new table with a column added or replaced."""
        data = dict(self.data)
        data[name] = [str(v) for v in values]
        columns = self.columns if name in self.columns else [*self.columns, name]
        return Table(list(columns), data, list(self.rows), self.source)


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate most frequent in its header line."""
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(text: str, source: str) -> tuple[Table, list[tuple[int, str]]]:
    """A CSV text as a table, plus (line, reason) for records with the wrong number of fields."""
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text[:4096]))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SurveyError(
            f"{source} is empty", hint="export the responses with a header line"
        ) from None
    _check_header(header, source)
    data: dict[str, list[str]] = {h: [] for h in header}
    rows: list[int] = []
    bad: list[tuple[int, str]] = []
    line = reader.line_num + 1
    for record in reader:
        if any(cell.strip() for cell in record):
            if len(record) != len(header):
                bad.append((line, f"{len(record)} fields where the header has {len(header)}"))
            else:
                for h, cell in zip(header, record, strict=True):
                    data[h].append(cell.strip())
                rows.append(line)
        line = reader.line_num + 1
    return Table(header, data, rows, source), bad


def _check_header(header: list[str], source: str) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            raise SurveyError(f"{source}: the header has an empty column name")
        if name in seen:
            raise SurveyError(f"{source}: column {name!r} appears twice in the header")
        seen.add(name)


def read_csv(path: Path) -> tuple[Table, list[tuple[int, str]]]:
    """A CSV file (any common delimiter, UTF-8 with or without BOM, else Latin-1)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SurveyError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_csv(text, str(path))


def write_csv(table: Table, path: Path) -> None:
    """Write a table as a comma-separated UTF-8 file."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        for i in range(len(table)):
            writer.writerow([table.data[c][i] for c in table.columns])
