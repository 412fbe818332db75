"""Check responses against a questionnaire: every bad row reported with its number and reason."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from sentinelle.errors import SurveyError
from sentinelle.survey import questionnaire as qb
from sentinelle.survey.importers import ImportedTable
from sentinelle.survey.questionnaire import NO, YES, Question, Questionnaire
from sentinelle.survey.table import Table

_YES_WORDS = {"y", "yes", "oui", "1", "true", "vrai", "x"}
_NO_WORDS = {"n", "no", "non", "0", "false", "faux", ""}


@dataclass(frozen=True)
class Problem:
    """Why one row was set aside (a row may have several problems)."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}:{shown} {self.reason}"


@dataclass
class Validated:
    """The good rows (codes normalized) and every problem of the rows set aside."""

    table: Table
    problems: list[Problem]
    rows_read: int
    edition: int | None

    @property
    def bad_rows(self) -> list[int]:
        """Source row numbers of the rows set aside, in order."""
        return sorted({p.row for p in self.problems})


def detect_edition(columns: list[str]) -> int | None:
    """The newest edition whose questionnaire columns are all present, else None."""
    present = set(columns)
    for year in reversed(qb.editions()):
        q = qb.load(year)
        needed = {c for x in q.questions.values() if not x.derived_from for c in x.columns()}
        if needed <= present:
            return year
    return None


def validate(imported: ImportedTable, edition: int | None = None) -> Validated:
    """Normalize answer codes and set aside bad rows; without a questionnaire, only read errors."""
    table = imported.table
    problems = [
        Problem(line, "", "", f"unreadable record: {why}") for line, why in imported.unreadable
    ]
    year = edition if edition is not None else _edition_from(table)
    if year is None:
        return Validated(table, problems, len(table) + len(imported.unreadable), None)
    q = qb.load(year)
    _require_columns(table, q)
    table, row_problems = _normalize(table, q)
    problems += row_problems
    bad = {p.row for p in row_problems}
    good = [i for i, r in enumerate(table.rows) if r not in bad]
    problems.sort(key=lambda p: p.row)
    return Validated(table.take(good), problems, len(table) + len(imported.unreadable), year)


def _edition_from(table: Table) -> int | None:
    if "edition" in table.data:
        years = set(table.data["edition"])
        if len(years) == 1 and (year := years.pop()).isdigit():
            return int(year)
    return detect_edition(table.columns)


def _require_columns(table: Table, q: Questionnaire) -> None:
    needed = [c for x in q.questions.values() if not x.derived_from for c in x.columns()]
    missing = [c for c in needed if c not in table.data]
    if missing:
        raise SurveyError(
            f"{table.source}: columns of the {q.edition} questionnaire missing: "
            f"{', '.join(missing)}",
            hint="use --mapping to map your export's columns, or check --edition",
        )


def _normalize(table: Table, q: Questionnaire) -> tuple[Table, list[Problem]]:
    problems: list[Problem] = []
    for question in q.questions.values():
        if question.derived_from:
            table = _derive(table, question, q)
            continue
        for column in question.columns():
            values, found = _normalize_column(table, column, question)
            table = table.with_column(column, values)
            problems += found
    problems += _check_profiles(table, q) + _check_bases(table, q) + _check_tokens(table, q)
    problems += _check_complete(table)
    return _blank_outside_bases(table, q), problems


def _blank_outside_bases(table: Table, q: Questionnaire) -> Table:
    """Empty the N of multi questions for rows outside their base: not asked is not 'no'."""
    for question in q.questions.values():
        base = q.bases[question.base]
        if question.kind != "multi" or base.question is None:
            continue
        inside = [base.contains({base.question: v}) for v in table.data[base.question]]
        for column in question.columns():
            values = [v if keep else "" for v, keep in zip(table.data[column], inside, strict=True)]
            table = table.with_column(column, values)
    return table


def _normalize_column(
    table: Table, column: str, question: Question
) -> tuple[list[str], list[Problem]]:
    lookup = _lookup(question, column)
    values, problems = [], []
    for raw, row in zip(table.data[column], table.rows, strict=True):
        code = lookup.get(_key(raw))
        if code is None:
            known = ", ".join(question.codes())
            problems.append(Problem(row, column, raw, f"unknown answer code (known: {known})"))
            code = raw
        values.append(code)
    return values, problems


def _lookup(question: Question, column: str) -> dict[str, str]:
    """Accepted spellings (code, French or English label, any case/accents) → code."""
    if question.kind == "multi":
        sub = column[len(question.code) + 1 :]
        answer = next(a for a in question.answers if a.code == sub)
        yes = _YES_WORDS | {_key(answer.code)} | {_key(t) for t in answer.label.values()}
        return {**{w: NO for w in _NO_WORDS}, **{w: YES for w in yes}}
    out = {"": ""}
    for a in question.answers:
        out.update({_key(a.code): a.code, **{_key(t): a.code for t in a.label.values()}})
    return out


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def _derive(table: Table, question: Question, q: Questionnaire) -> Table:
    source = q.questions[question.derived_from or ""]
    groups = qb.group_of(source)
    derived = [groups.get(v, "") for v in table.data[source.code]]
    if question.code in table.data:
        derived = [old or new for old, new in zip(table.data[question.code], derived, strict=True)]
    return table.with_column(question.code, derived)


def _check_profiles(table: Table, q: Questionnaire) -> list[Problem]:
    return [
        Problem(row, column, "", "missing profile field")
        for column in q.profile_columns()
        if not q.questions[column].derived_from
        for value, row in zip(table.data[column], table.rows, strict=True)
        if not value
    ]


def _check_bases(table: Table, q: Questionnaire) -> list[Problem]:
    """Answers given by rows outside a question's base (e.g. benefits from non-users)."""
    problems = []
    for question in q.questions.values():
        base = q.bases[question.base]
        if base.question is None:
            continue
        for i, row in enumerate(table.rows):
            if base.contains({base.question: table.data[base.question][i]}):
                continue
            given = [c for c in question.columns() if table.data[c][i] not in ("", NO)]
            problems += [
                Problem(
                    row,
                    c,
                    table.data[c][i],
                    f"answer outside the base {base.id!r} ({base.question}="
                    f"{table.data[base.question][i]!r})",
                )
                for c in given
            ]
    return problems


def _check_complete(table: Table) -> list[Problem]:
    """LimeSurvey leaves ``submitdate`` empty for responses never submitted."""
    if "submitdate" not in table.data:
        return []
    return [
        Problem(row, "submitdate", "", "incomplete response (never submitted)")
        for value, row in zip(table.data["submitdate"], table.rows, strict=True)
        if not value
    ]


def _check_tokens(table: Table, q: Questionnaire) -> list[Problem]:
    if q.token not in table.data:
        return []
    tokens = table.data[q.token]
    counts = Counter(t for t in tokens if t)
    first: dict[str, int] = {}
    problems = []
    for token, row in zip(tokens, table.rows, strict=True):
        if counts.get(token, 0) > 1:
            if token in first:
                problems.append(
                    Problem(row, q.token, token, f"duplicate token (first seen row {first[token]})")
                )
            else:
                first[token] = row
    return problems
