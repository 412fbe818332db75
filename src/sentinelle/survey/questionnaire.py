"""The versioned question bank: one YAML file per edition, shipped as package data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sentinelle.errors import SurveyError

LANGS = ("fr", "en")
YES, NO = "Y", "N"


@dataclass(frozen=True)
class Answer:
    """One answer option: a stable code and its wording per language."""

    code: str
    label: dict[str, str]
    group: str | None = None


@dataclass(frozen=True)
class Base:
    """Who is asked: everyone, or the rows whose ``question`` answer is in ``answers``."""

    id: str
    label: dict[str, str]
    question: str | None = None
    answers: tuple[str, ...] = ()

    def contains(self, row: dict[str, str]) -> bool:
        """Whether a row (column → code) belongs to this base."""
        return self.question is None or row.get(self.question, "") in self.answers


@dataclass(frozen=True)
class Question:
    """A question; ``multi`` questions become one Y/N column per answer (``CODE_answer``)."""

    code: str
    text: dict[str, str]
    answers: tuple[Answer, ...]
    kind: str = "single"
    base: str = "all"
    profile: bool = False
    derived_from: str | None = None

    def columns(self) -> list[str]:
        """The response-file columns this question occupies."""
        if self.kind == "multi":
            return [f"{self.code}_{a.code}" for a in self.answers]
        return [self.code]

    def codes(self) -> list[str]:
        """The answer codes allowed in one of its columns."""
        return [YES, NO] if self.kind == "multi" else [a.code for a in self.answers]


@dataclass(frozen=True)
class Indicator:
    """A share: rows of ``base`` answering one of ``answers`` to ``question`` (a column)."""

    id: str
    question: str
    answers: tuple[str, ...]
    base: str
    label: dict[str, str]
    published: float | None = None


@dataclass(frozen=True)
class Questionnaire:
    """One edition of the barometer questionnaire."""

    edition: int
    title: dict[str, str]
    source: dict[str, str]
    questions: dict[str, Question]
    indicators: dict[str, Indicator]
    bases: dict[str, Base]
    token: str = "token"
    published_n: int | None = None
    comparable_with: dict[int, dict[str, str]] = field(default_factory=dict)

    def column_map(self) -> dict[str, Question]:
        """Every response column (multi questions expanded) → its question."""
        return {col: q for q in self.questions.values() for col in q.columns()}

    def profile_columns(self) -> list[str]:
        """The profile columns every row must fill (derived ones included)."""
        return [q.code for q in self.questions.values() if q.profile]

    def answer_label(self, column: str, code: str, lang: str = "fr") -> str:
        """The wording of an answer code in a column, or the code itself when unknown."""
        question = self.column_map().get(column)
        if question is None:
            return code
        if question.kind == "multi":
            sub = column[len(question.code) + 1 :]
            return next((a.label[lang] for a in question.answers if a.code == sub), code)
        return next((a.label[lang] for a in question.answers if a.code == code), code)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with that id, or a SurveyError listing the known ids."""
        try:
            return self.indicators[indicator_id]
        except KeyError:
            known = ", ".join(sorted(self.indicators))
            raise SurveyError(
                f"unknown indicator {indicator_id!r} in the {self.edition} questionnaire",
                hint=f"known indicators: {known}",
            ) from None


def editions() -> list[int]:
    """The editions shipped with sentinelle, oldest first."""
    names = resources.files("sentinelle.survey").joinpath("data").iterdir()
    return sorted(
        int(p.name[len("questionnaire-") : -len(".yaml")])
        for p in names
        if p.name.startswith("questionnaire-") and p.name.endswith(".yaml")
    )


@cache
def load(edition: int | None = None) -> Questionnaire:
    """The shipped questionnaire of an edition (the latest when ``None``)."""
    available = editions()
    year = available[-1] if edition is None else edition
    if year not in available:
        raise SurveyError(
            f"no questionnaire for edition {year}",
            hint=f"editions available: {', '.join(map(str, available))}",
        )
    name = f"questionnaire-{year}.yaml"
    text = resources.files("sentinelle.survey").joinpath("data").joinpath(name).read_text("utf-8")
    return parse(yaml.safe_load(text), name)


def load_file(path: Path) -> Questionnaire:
    """A questionnaire from a user YAML file (same schema as the shipped ones)."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SurveyError(f"cannot read questionnaire {path}: {exc}") from exc
    return parse(raw, str(path))


def parse(raw: dict[str, Any], where: str) -> Questionnaire:
    """Build a questionnaire from its YAML mapping, inheriting from ``extends``."""
    try:
        parent = load(int(raw["extends"])) if raw.get("extends") else None
        questions = dict(parent.questions) if parent else {}
        questions.update({q["code"]: _question(q) for q in raw.get("questions", [])})
        indicators = _inherited_indicators(parent)
        indicators.update({i["id"]: _indicator(i) for i in raw.get("indicators", [])})
        bases = dict(parent.bases) if parent else {}
        bases.update({k: _base(k, v) for k, v in (raw.get("bases") or {}).items()})
        result = Questionnaire(
            edition=int(raw["edition"]),
            title=dict(raw["title"]),
            source=dict(raw.get("source") or {}),
            questions=questions,
            indicators=indicators,
            bases=bases,
            token=raw.get("token", parent.token if parent else "token"),
            published_n=raw.get("published_n"),
            comparable_with={
                int(k): dict(v) for k, v in (raw.get("comparable_with") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SurveyError(
            f"questionnaire {where} is malformed: {exc!r}",
            hint="compare it with the shipped questionnaire-2025.yaml",
        ) from exc
    _check(result, where)
    return result


def _inherited_indicators(parent: Questionnaire | None) -> dict[str, Indicator]:
    # A published figure belongs to its own edition: it is not inherited.
    if parent is None:
        return {}
    return {k: dataclasses.replace(v, published=None) for k, v in parent.indicators.items()}


def _question(raw: dict[str, Any]) -> Question:
    answers = tuple(
        Answer(a["code"], {lang: a[lang] for lang in LANGS}, a.get("group")) for a in raw["answers"]
    )
    return Question(
        code=raw["code"],
        text=dict(raw["text"]),
        answers=answers,
        kind=raw.get("kind", "single"),
        base=raw.get("base", "all"),
        profile=bool(raw.get("profile", False)),
        derived_from=raw.get("derived_from"),
    )


def _indicator(raw: dict[str, Any]) -> Indicator:
    published = raw.get("published")
    return Indicator(
        id=raw["id"],
        question=raw["question"],
        answers=tuple(str(a) for a in raw["answers"]),
        base=raw.get("base", "all"),
        label=dict(raw["label"]),
        published=None if published is None else float(published),
    )


def _base(key: str, raw: dict[str, Any]) -> Base:
    return Base(key, dict(raw["label"]), raw.get("question"), tuple(raw.get("answers", ())))


def _check(q: Questionnaire, where: str) -> None:
    columns = q.column_map()
    problems = [
        f"indicator {i.id}: unknown column {i.question}"
        for i in q.indicators.values()
        if i.question not in columns
    ]
    problems += [
        f"indicator {i.id}: unknown base {i.base}"
        for i in q.indicators.values()
        if i.base not in q.bases
    ]
    problems += [
        f"question {x.code}: unknown base {x.base}"
        for x in q.questions.values()
        if x.base not in q.bases
    ]
    for ind in q.indicators.values():
        if ind.question in columns:
            bad = set(ind.answers) - set(columns[ind.question].codes())
            problems += [f"indicator {ind.id}: unknown answer {a}" for a in sorted(bad)]
    if problems:
        raise SurveyError(f"questionnaire {where} is inconsistent: " + "; ".join(problems))


def group_of(question: Question) -> dict[str, str]:
    """Answer code → group code (e.g. profession → DREES group)."""
    return {a.code: a.group for a in question.answers if a.group}
