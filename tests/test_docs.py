"""Generated documentation is up to date with the code it is generated from."""

from __future__ import annotations

from pathlib import Path

from sentinelle import schema
from sentinelle.formats import _docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_schema_doc_is_current() -> None:
    assert (DOCS / "schema.md").read_text() == schema.markdown(), (
        "run: python -m sentinelle.schema > docs/schema.md"
    )


def test_formats_doc_is_current() -> None:
    assert (DOCS / "formats.md").read_text() == _docs.render(), (
        "run: python -m sentinelle.formats._docs > docs/formats.md"
    )


def test_schema_fields_are_documented_and_ecs_named() -> None:
    for f in schema.FIELDS:
        assert f.description.strip()
        assert f.name == "@timestamp" or "." in f.name
