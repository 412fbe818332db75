"""The hospital's policy file: precedence, local services, excluded sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinelle.catalog import Policy, load_catalog
from sentinelle.catalog.loader import read_data_text
from sentinelle.errors import CatalogError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.load(DATA / "policy.yaml")


@pytest.mark.parametrize(
    ("service_id", "category", "status"),
    [
        ("chatgpt", "assistant", "blocked"),  # service rule beats category rule
        ("copilot-m365", "assistant", "sanctioned"),
        ("claude", "assistant", "tolerated"),  # category rule
        ("nabla", "medical", "sanctioned"),
        ("deepl", "translation", "unsanctioned"),  # default
        ("deepl", None, "unsanctioned"),
    ],
)
def test_precedence(policy: Policy, service_id: str, category: str | None, status: str) -> None:
    assert policy.status(service_id, category) == status


def test_empty_policy_defaults_to_unsanctioned() -> None:
    p = Policy.from_dict({})
    assert p.status("chatgpt", "assistant") == "unsanctioned"
    assert p.is_shadow("chatgpt", "assistant")
    assert not Policy.from_dict({"default": "tolerated"}).is_shadow("x", "api")


def test_local_services_join_the_catalog(policy: Policy) -> None:
    assert [s.id for s in policy.local_services] == ["chu-assistant"]
    cat = load_catalog(policy=policy)
    m = cat.match("ia.chu.example")
    assert m is not None and m.service_id == "chu-assistant"
    assert cat.version.endswith("+local")
    same = load_catalog().with_services(policy.local_services)
    assert same.match("ia.chu.example") == m


@pytest.mark.parametrize(
    ("ip", "hostname", "excluded"),
    [
        ("10.0.9.17", None, True),
        ("10.0.9.18", None, False),
        ("10.0.250.3", None, True),
        ("2001:db8:1::5", None, True),
        ("2001:db8:2::5", None, False),
        ("10.1.1.1", "SCANNER.chu.local", True),
        ("10.1.1.1", "probe.mon.chu.local", True),
        ("10.1.1.1", "ws-042.chu.local", False),
        ("not-an-ip", None, False),
        (None, None, False),
    ],
)
def test_excluded_sources(
    policy: Policy, ip: str | None, hostname: str | None, excluded: bool
) -> None:
    assert policy.excluded_sources(ip, hostname) is excluded  # type: ignore[arg-type]


def test_invalid_policy_names_file_and_entry(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(
        "services: {chatgpt: allowed}\ncategories: {chat: blocked}\n"
        "exclude_sources: [10.0.0.0/99]\nfoo: 1\n"
    )
    with pytest.raises(CatalogError) as err:
        Policy.load(f)
    msg = str(err.value)
    assert "p.yaml" in msg and "services.chatgpt: status 'allowed'" in msg
    assert "unknown category 'chat'" in msg and "10.0.0.0/99" in msg and "unknown key 'foo'" in msg
    with pytest.raises(CatalogError, match="cannot read policy file"):
        Policy.load(tmp_path / "missing.yaml")


def test_example_policy_is_valid() -> None:
    import yaml

    p = Policy.from_dict(yaml.safe_load(read_data_text("policy.example.yaml")))
    assert p.status("copilot-m365", "assistant") == "sanctioned"
    assert p.status("reverso", "translation") == "tolerated"
    cat = load_catalog(policy=p)
    assert cat.match("assistant-ia.chu-exemple.fr") is not None
