"""Loading: extension files, overrides, errors that name the file, entry and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.catalog import load_catalog
from sentinelle.catalog.loader import parse_text
from sentinelle.errors import CatalogError

DATA = Path(__file__).parent / "data"


def test_extra_file_overrides_by_id_and_by_domain_and_removes() -> None:
    base = load_catalog(base=DATA / "tiny.yaml")
    cat = load_catalog(extra=[DATA / "extra.yaml"], base=DATA / "tiny.yaml")
    assert cat.services["grok"].name == "Grok (local override)"
    m = cat.match("www.chat.com")
    assert m is not None and m.service_id == "chu-tool"
    assert base.match("chat.com").service_id == "chatgpt"  # type: ignore[union-attr]
    assert cat.match("x.ai") is None  # the override of grok dropped it
    assert "deep-sub" not in cat.services and "deep-sub" in base.services
    m = cat.match("write.chatgpt.com")
    assert m is not None and m.service_id == "chatgpt"
    assert cat.version.startswith("test.1+local.") and base.version == "test.1"
    assert cat.origin[-1].endswith("extra.yaml")


def test_extra_file_on_top_of_bundled_catalog() -> None:
    cat = load_catalog(extra=[DATA / "extra.yaml"])
    assert cat.match("assistant.chu.example").service_id == "chu-tool"  # type: ignore[union-attr]
    assert cat.match("chatgpt.com").service_id == "chatgpt"  # type: ignore[union-attr]


def test_schema_errors_name_file_entry_line_and_problem() -> None:
    with pytest.raises(CatalogError) as err:
        load_catalog(base=DATA / "schema.yaml")
    msg = str(err.value)
    assert "schema.yaml" in msg and "services[1] (id 'Bad_Id') line 10" in msg
    for needle in [
        "not a slug",
        "unknown category 'chatbot'",
        "general_purpose must be true",
        "trains_on_inputs 'sometimes'",
        "not a valid lower-case host name",
        "evidence 'strong'",
    ]:
        assert needle in msg
    assert "catalog check" in msg  # says what to do
    assert err.value.exit_code == 4


def test_missing_file_and_bad_yaml() -> None:
    with pytest.raises(CatalogError, match="cannot read catalog file"):
        load_catalog(extra=[DATA / "nope.yaml"])
    with pytest.raises(CatalogError, match="not valid YAML"):
        parse_text("services: [", "bad.yaml")
    with pytest.raises(CatalogError, match="a `services:` list"):
        parse_text("- 1\n- 2\n", "list.yaml")


def test_yaml_booleans_and_dates_are_read_as_text() -> None:
    f = parse_text(
        "services:\n- {id: a, name: A, vendor: V, vendor_country: NO, category: api,"
        " general_purpose: false, trains_on_inputs: no, enterprise_offer: yes,"
        " last_reviewed: 2026-01-02, domains: [a.example]}\n",
        "t.yaml",
    )
    s = f.services[0]
    assert (s.trains_on_inputs, s.enterprise_offer, s.last_reviewed) == ("no", "yes", "2026-01-02")


def test_single_label_and_ip_domains_are_refused() -> None:
    for bad in ("com", "10.0.0.1", "*.example.com", "example.com:443"):
        text = (
            "services:\n- {id: a, name: A, vendor: V, vendor_country: US, category: api,"
            f" general_purpose: false, domains: ['{bad}']}}\n"
        )
        with pytest.raises(CatalogError):
            parse_text(text, "t.yaml")
