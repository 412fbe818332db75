"""Both languages carry exactly the same strings, and the template uses only known keys."""

from __future__ import annotations

import re
import string
from importlib import resources

from sentinelle.report.format import LANGS
from sentinelle.report.render import load_strings


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages_have_the_same_keys() -> None:
    fr, en = load_strings("fr"), load_strings("en")
    assert sorted(set(fr) - set(en)) == []
    assert sorted(set(en) - set(fr)) == []


def test_languages_have_the_same_placeholders() -> None:
    fr, en = load_strings("fr"), load_strings("en")
    differing = {
        k: (_fields(fr[k]), _fields(en[k])) for k in fr if _fields(fr[k]) != _fields(en[k])
    }
    assert differing == {}


def test_no_string_is_empty() -> None:
    for lang in LANGS:
        assert [k for k, v in load_strings(lang).items() if not v.strip()] == []


def test_every_literal_key_in_the_template_exists() -> None:
    template = (
        resources.files("sentinelle.report").joinpath("templates", "report.html.j2").read_text()
    )
    used = set(re.findall(r"\bt\('([a-z_.]+)'\s*[,)]", template))  # whole keys only
    assert used, "the template should translate through t('...')"
    for lang in LANGS:
        assert sorted(used - set(load_strings(lang))) == []


def test_french_typography_uses_no_break_spaces() -> None:
    fr = load_strings("fr")
    loose = {k: v for k, v in fr.items() if re.search(r" [;:!?»]|« ", v)}
    assert loose == {}
