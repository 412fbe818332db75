"""The question bank: shipped editions, inheritance, indicators and comparability."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.errors import SurveyError
from sentinelle.survey import questionnaire as qb


def test_editions_shipped() -> None:
    assert qb.editions()[:2] == [2025, 2026]


def test_2025_reconstructs_published_indicators() -> None:
    q = qb.load(2025)
    published = {k: i.published for k, i in q.indicators.items() if i.published is not None}
    assert published["perception_positive"] == 0.66
    assert published["formes"] == 0.06
    assert published["outils_personnels"] == 0.32
    assert q.indicators["benefice_temps"].base == "users"
    assert q.indicators["perception_positive"].answers == ("plutot_positif", "tres_positif")


def test_every_question_is_bilingual_with_stable_codes() -> None:
    for year in qb.editions():
        q = qb.load(year)
        for question in q.questions.values():
            assert set(question.text) == {"fr", "en"}
            codes = [a.code for a in question.answers]
            assert len(codes) == len(set(codes)), question.code
            assert all(set(a.label) == {"fr", "en"} for a in question.answers)


def test_2026_inherits_core_items_and_maps_comparable_indicators() -> None:
    old, new = qb.load(2025), qb.load(2026)
    assert set(old.questions) < set(new.questions)
    assert new.questions["PERCEPTION"] == old.questions["PERCEPTION"]
    assert new.indicators["perception_positive"].published is None
    mapping = new.comparable_with[2025]
    assert set(mapping.values()) <= set(old.indicators)
    assert set(mapping) <= set(new.indicators)


def test_profession_maps_to_drees_groups() -> None:
    q = qb.load(2025)
    groups = qb.group_of(q.questions["PROFESSION"])
    assert groups["infirmier"] == "soignant"
    assert groups["informatique"] == "technique"
    assert set(groups.values()) == {a.code for a in q.questions["GROUPE_PRO"].answers}


def test_unknown_edition_and_indicator_fail_clearly() -> None:
    with pytest.raises(SurveyError, match="no questionnaire for edition 1999"):
        qb.load(1999)
    with pytest.raises(SurveyError, match="unknown indicator"):
        qb.load(2025).indicator("nope")


def test_inconsistent_user_questionnaire_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "edition: 2030\ntitle: {fr: t, en: t}\nbases: {all: {label: {fr: a, en: a}}}\n"
        "questions:\n  - {code: A, text: {fr: a, en: a}, answers: [{code: x, fr: x, en: x}]}\n"
        "indicators:\n  - {id: i, question: A, answers: [y], base: all, label: {fr: i, en: i}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveyError, match="indicator i: unknown answer y"):
        qb.load_file(bad)
