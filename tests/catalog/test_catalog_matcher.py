"""The reverse-label matcher, on a tiny fake catalog (tldextract-style)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sentinelle.catalog import Catalog, DomainRule, Service, load_catalog
from sentinelle.catalog.matcher import normalize_host
from sentinelle.errors import CatalogError

DATA = Path(__file__).parent / "data"


def sid(cat: Catalog, host: str | None, path: str | None = None) -> str | None:
    m = cat.match(host, path)
    return m.service_id if m else None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("chatgpt.com", "chatgpt"),
        ("www.chatgpt.com", "chatgpt"),
        ("a.b.c.chatgpt.com", "chatgpt"),
        ("notchatgpt.com", None),
        ("chatgpt.com.example.net", None),
        ("chatgpt.com.login-verify.net", None),
        ("chatgpt.co", None),
        ("com", None),
        ("x.ai", "grok"),
        ("api.x.ai", "grok"),
        ("max.ai", None),
        ("api.ai", None),
        ("gemini.com", None),
        ("write.chatgpt.com", "deep-sub"),
        ("en.write.chatgpt.com", "deep-sub"),
        ("rewrite.chatgpt.com", "chatgpt"),
        ("api.openai.com", "openai-api"),
        (
            "eu.api.openai.com",
            "chatgpt",
        ),  # the exact rule does not cover subdomains; openai.com does
        ("openai.com", "chatgpt"),
        ("cdn.oaistatic.com", "chatgpt"),
        ("x.cdn.oaistatic.com", None),
        ("m365.cloud.microsoft", None),
        ("copilot.cloud.microsoft", "copilot-m365"),
    ],
)
def test_lookalikes_and_boundaries(tiny: Catalog, host: str, expected: str | None) -> None:
    assert sid(tiny, host) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "CHATGPT.COM",
        "ChatGPT.com",
        "chatgpt.com:443",
        "chatgpt.com.",
        "CHATGPT.COM.:8443",
        " chatgpt.com ",
        "https://chatgpt.com/backend-api/x",
        "user@chatgpt.com",
        "chatgpt.com/backend-anon",
    ],
)
def test_raw_input_is_normalized(tiny: Catalog, raw: str) -> None:
    assert sid(tiny, raw) == "chatgpt"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "10.0.0.1",
        "10.0.0.1:443",
        "[::1]",
        "[2001:db8::1]:443",
        "2001:db8::1",
        "::1",
        "chatgpt..com",
        ".",
        ":443",
    ],
)
def test_ip_literals_and_junk_never_match(tiny: Catalog, raw: str | None) -> None:
    assert tiny.match(raw) is None


def test_evidence_and_rule_labels(tiny: Catalog) -> None:
    m = tiny.match("cdn.oaistatic.com")
    assert m is not None
    assert (m.evidence, m.rule, m.category, m.general_purpose) == (
        "auxiliary",
        "exact:cdn.oaistatic.com",
        "assistant",
        True,
    )
    shared = tiny.match("help.openai.com")
    assert shared is not None and shared.evidence == "shared" and shared.rule == "suffix:openai.com"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/chat", "copilot-m365"),
        ("/chat/", "copilot-m365"),
        ("/chat/c/123", "copilot-m365"),
        ("/chat?auth=2", "copilot-m365"),
        ("/CHAT", "copilot-m365"),
        ("chat", "copilot-m365"),
        ("/chatty", None),
        ("/home", None),
        ("/", None),
        (None, None),
    ],
)
def test_path_rules_need_a_segment_boundary(
    tiny: Catalog, path: str | None, expected: str | None
) -> None:
    assert sid(tiny, "m365.cloud.microsoft", path) == expected
    assert sid(tiny, "M365.Cloud.Microsoft:443", path) == expected


def test_path_rule_beats_suffix_rule() -> None:
    base = Service(
        "site", "Site", "V", "US", "writing", False, domains=(DomainRule("tool.example"),)
    )
    chat = Service(
        "site-chat",
        "Site chat",
        "V",
        "US",
        "assistant",
        True,
        domains=(DomainRule("tool.example", "path", "/chat"),),
    )
    cat = Catalog([base, chat])
    assert sid(cat, "tool.example", "/chat/x") == "site-chat"
    assert sid(cat, "tool.example", "/other") == "site"
    assert sid(cat, "tool.example") == "site"
    assert sid(cat, "www.tool.example", "/chat") == "site"


def _tiny_services() -> list[Service]:
    return list(load_catalog(base=DATA / "tiny.yaml").services.values())


PROBES = [
    "chatgpt.com",
    "write.chatgpt.com",
    "api.openai.com",
    "help.openai.com",
    "x.ai",
    "max.ai",
    "grok.com",
    "cdn.oaistatic.com",
    "m365.cloud.microsoft",
    "nothing.example",
]


def test_order_independence_over_permutations() -> None:
    services = _tiny_services()
    expected = {h: Catalog(services).match(h, "/chat") for h in PROBES}
    for perm in itertools.permutations(services):
        cat = Catalog(perm)
        assert {h: cat.match(h, "/chat") for h in PROBES} == expected
        assert list(cat.services) == sorted(cat.services)


def test_duplicate_domain_across_services_is_refused() -> None:
    a = Service("a", "A", "V", "US", "api", False, domains=(DomainRule("dup.example"),))
    b = Service("b", "B", "V", "US", "api", False, domains=(DomainRule("dup.example", "exact"),))
    with pytest.raises(CatalogError, match="claimed by both 'a' and 'b'"):
        Catalog([a, b])


def test_shared_domain_may_be_listed_by_several_services() -> None:
    a = Service(
        "a", "A", "V", "US", "api", False, domains=(DomainRule("cdn.example", evidence="shared"),)
    )
    b = Service(
        "b", "B", "V", "US", "api", False, domains=(DomainRule("cdn.example", evidence="shared"),)
    )
    for perm in ([a, b], [b, a]):
        m = Catalog(perm).match("x.cdn.example")
        assert m is not None and (m.service_id, m.evidence) == ("a", "shared")


def test_rules_lists_every_rule_with_its_service(tiny: Catalog) -> None:
    rules = tiny.rules()
    assert (DomainRule("m365.cloud.microsoft", "path", "/chat"), "copilot-m365") in rules
    assert len(rules) == sum(len(s.domains) for s in tiny.services.values())


label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=6).filter(
    lambda s: not s.startswith("-") and not s.endswith("-")
)
hostnames = st.lists(label, min_size=1, max_size=5).map(".".join)


@given(rule=hostnames.filter(lambda h: "." in h), host=hostnames)
@example(rule="0.0", host="0.0.0.0")  # an IP literal never matches: found by hypothesis
def test_suffix_property(rule: str, host: str) -> None:
    cat = Catalog([Service("s", "S", "V", "US", "api", False, domains=(DomainRule(rule),))])
    expected = host == rule or host.endswith("." + rule)
    if host.replace(".", "").isdigit() or all(x.isdigit() for x in host.split(".")):
        expected = expected and normalize_host(host) is not None
    assert (cat.match(host) is not None) == expected
    assert (cat.match(host.upper() + ".:80") is not None) == expected


@given(rule=hostnames.filter(lambda h: "." in h), prefix=hostnames)
@example(rule="0.0", prefix="0.0")
def test_suffix_property_on_extended_hosts(rule: str, prefix: str) -> None:
    cat = Catalog([Service("s", "S", "V", "US", "api", False, domains=(DomainRule(rule),))])
    extended = f"{prefix}.{rule}"  # (an IP literal, such as 0.0.0.0, matches no rule)
    assert (cat.match(extended) is not None) == (normalize_host(extended) is not None)
    glued = f"{prefix}{rule}"
    expected = (glued == rule or glued.endswith("." + rule)) and normalize_host(glued) is not None
    assert (cat.match(glued) is not None) == expected


@given(rule=hostnames.filter(lambda h: "." in h), host=hostnames)
def test_exact_property(rule: str, host: str) -> None:
    cat = Catalog(
        [Service("s", "S", "V", "US", "api", False, domains=(DomainRule(rule, "exact"),))]
    )
    assert (cat.match(host) is not None) == (host == rule and normalize_host(host) is not None)


def test_cache_is_bounded(tiny: Catalog) -> None:
    for i in range(5000):
        tiny.match(f"h{i}.example.org")
    info = tiny._lookup.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize


@given(
    rule=hostnames.filter(lambda h: "." in h),
    host=hostnames,
    kind=st.sampled_from(["suffix", "exact", "path"]),
    paths=st.lists(
        st.sampled_from(["/chat", "/chat/x", "/other", "/", "", "?q=/chat"]), min_size=2
    ),
)
def test_without_path_rules_the_path_never_changes_a_match(
    rule: str, host: str, kind: str, paths: list[str]
) -> None:
    """``path_rules(host)`` is False exactly when no path rule is written for the host, and
    then every path gives the match without a path (the scan groups such lines by host)."""
    base = DomainRule(rule, "suffix" if kind == "path" else kind)
    services = [Service("s", "S", "V", "US", "api", False, domains=(base,))]
    if kind == "path":  # a path rule on the host of a suffix rule
        chat = DomainRule(rule, "path", "/chat")
        services.append(Service("t", "T", "V", "US", "api", False, domains=(chat,)))
    cat = Catalog(services)
    for form in (host, host.upper() + ".:443"):
        written = kind == "path" and host == rule and normalize_host(host) is not None
        assert cat.path_rules(form) == written
        if not written:
            assert {cat.match(form, p) for p in paths} == {cat.match(form)}
        else:  # the path decides
            assert (sid(cat, form, "/chat/x"), sid(cat, form, "/other")) == ("t", "s")
