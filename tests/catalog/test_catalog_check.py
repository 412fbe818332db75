"""``catalog check``: duplicates, over-broad domains, ids, sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.catalog.check import check_file, check_or_raise
from sentinelle.errors import CatalogError

DATA = Path(__file__).parent / "data"


def test_duplicate_domain_fails_naming_both_services() -> None:
    with pytest.raises(CatalogError) as err:
        check_or_raise(DATA / "dup.yaml")
    msg = str(err.value)
    assert "dup.yaml" in msg and "service 'two'" in msg and "also claimed by 'one'" in msg


def test_overbroad_and_public_suffix_fail() -> None:
    with pytest.raises(CatalogError) as err:
        check_or_raise(DATA / "broad.yaml")
    msg = str(err.value)
    assert "service 'gemini'" in msg and "google.com is too broad" in msg
    assert "service 'cdn'" in msg and "cloudfront.net is a public suffix" in msg


def test_full_catalog_must_keep_published_ids() -> None:
    problems = check_file(DATA / "tiny.yaml")
    missing = [p for p in problems if "published id missing" in p.message]
    assert any("'claude'" in p.entry for p in missing)
    assert all(p.level == "error" for p in missing)


def test_retired_ids_are_accepted(tmp_path: Path) -> None:
    from sentinelle.catalog.check import published_ids

    retired = "\n".join(f"  {i}: gone" for i in sorted(published_ids()))
    f = tmp_path / "c.yaml"
    f.write_text(
        'version: "x"\nservices:\n- {id: a, name: A, vendor: V, vendor_country: US,'
        " category: api, general_purpose: false, last_reviewed: 2026-01-01,"
        " sources: {domains: [s, 2026-01-01]}, domains: [a.example]}\n"
        f"retired:\n{retired}\n"
    )
    assert check_or_raise(f) == []


def test_fact_without_source_fails(tmp_path: Path) -> None:
    f = tmp_path / "e.yaml"
    f.write_text(
        "services:\n- {id: a, name: A, vendor: V, vendor_country: US, category: api,"
        " general_purpose: false, hds_certified: 'yes', domains: [a.example]}\n"
    )
    with pytest.raises(CatalogError, match="hds_certified is 'yes' but has no source"):
        check_or_raise(f)


def test_extension_file_reports_overrides() -> None:
    problems = check_file(DATA / "extra.yaml")
    infos = [str(p) for p in problems if p.level == "info"]
    assert any("replaces the bundled service" in i and "'grok'" in i for i in infos)
    assert any("takes suffix:chat.com over from bundled service 'chatgpt'" in i for i in infos)
    assert not [p for p in problems if p.level == "error"]


def test_schema_errors_surface_through_check() -> None:
    with pytest.raises(CatalogError, match="unknown category 'chatbot'"):
        check_file(DATA / "schema.yaml")
