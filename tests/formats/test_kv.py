"""The key=value tokenizer and helpers shared by the firewall formats, CEF/LEEF splitting."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, _kv, get_format
from sentinelle.formats._kv import blank, host_or_ip, number, parse_kv, split_loose_url, text
from sentinelle.formats._time import LocalClock
from sentinelle.formats.cef import parse_extension, parse_record
from sentinelle.formats.leef import java_time
from sentinelle.formats.leef import parse_record as parse_leef


def test_quoted_unquoted_and_empty_values() -> None:
    got = parse_kv('a=1 b="two words" exceptions= activityname="" c=x=y d="q\\"uote\\\\"')
    assert got == {
        "a": "1",
        "b": "two words",
        "exceptions": "",
        "activityname": "",
        "c": "x=y",
        "d": 'q"uote\\',
    }


def test_windows_backslash_is_kept_and_later_duplicate_wins() -> None:
    got = parse_kv('user="CHU\\jdupont" tz="UTC-5:00" tz="-0500"')
    assert got == {"user": "CHU\\jdupont", "tz": "-0500"}


def test_special_keys_and_stray_words() -> None:
    got = parse_kv("Byte(i/o)=10/20 Rule2:8=3 domain=www. google.ca next=1")
    assert got == {"Byte(i/o)": "10/20", "Rule2:8": "3", "domain": "www.", "next": "1"}


def test_unterminated_quote_is_malformed() -> None:
    with pytest.raises(MalformedLine, match="never closed"):
        parse_kv('a=1 msg="cut in the mid')


@pytest.mark.parametrize("value", [None, "", " ", "-", "N/A", "(null)", "None", "(empty)"])
def test_blank_spellings(value: str | None) -> None:
    assert blank(value)
    assert text({"k": value} if value is not None else {}, "k") is None


def test_number_rejects_words() -> None:
    assert number({"n": "12"}, "n") == 12
    assert number({"n": "-"}, "n") is None
    with pytest.raises(MalformedLine):
        number({"n": "lots"}, "n")


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.integers(0, 2**64),
        st.integers(0, 10**30),
        st.integers(0, 6000).map(lambda n: "7" * n),
        st.integers(0, 40).map(lambda n: "0" * n + "42"),
    )
)
def test_a_count_is_its_value_or_none_beyond_64_bits(value: int | str) -> None:
    """Digits of any length read as a count: its value up to 2**63 - 1, else None (never an
    error: int() refuses over 4,300 digits, the store anything beyond 64 bits)."""
    text = value if isinstance(value, str) else str(value)
    n = _kv.count(text) if text else None
    if text:
        assert _kv.count(text.encode()) == n
        assert _kv.number({"k": text}, "k") == n
        assert _kv.number({"k": f" {text} "}, "k") == n
    if not text:
        return
    digits = text.lstrip("0") or "0"
    if len(digits) > 19:
        assert n is None
    else:
        assert n == (int(digits) if int(digits) <= 2**63 - 1 else None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ChatGPT.com.", ("chatgpt.com", None)),
        ("chatgpt.com:443", ("chatgpt.com", None)),
        ("104.18.32.47", (None, "104.18.32.47")),
        ("[2001:db8::1]", (None, "2001:db8::1")),
        ("www. google.ca", (None, None)),
        ("N/A", (None, None)),
    ],
)
def test_host_or_ip(value: str, expected: tuple[str | None, str | None]) -> None:
    assert host_or_ip(value) == expected


def test_loose_url_does_not_invent_a_port() -> None:
    assert split_loose_url("chatgpt.com/c/1?x=1") == ("chatgpt.com", None, "/c/1")
    assert split_loose_url("claude.ai:8443/api") == ("claude.ai", 8443, "/api")
    assert split_loose_url("https://mistral.ai/") == ("mistral.ai", 443, "/")


def test_cef_header_and_extension_escapes() -> None:
    record = parse_record(
        r"CEF:0|Ven\|dor|Pro\\duct|1|2|Name|5|msg=a\=b c\\d dhost=x.example  cs1=two words "
    )
    assert (record.vendor, record.product) == ("Ven|dor", "Pro\\duct")
    assert record.ext == {"msg": "a=b c\\d", "dhost": "x.example", "cs1": "two words"}
    assert parse_extension(r"frag\=0x4000 dst=1.1.1.1") == {"dst": "1.1.1.1"}


@pytest.mark.parametrize(
    ("line", "attrs"),
    [
        ("LEEF:1.0|V|P|1|E|src=1.1.1.1\tdst=2.2.2.2", {"src": "1.1.1.1", "dst": "2.2.2.2"}),
        ("LEEF:2.0|V|P|1|E|^|src=1.1.1.1^dst=2.2.2.2", {"src": "1.1.1.1", "dst": "2.2.2.2"}),
        ("LEEF:2.0|V|P|1|E|x5E|src=1.1.1.1^dst=2.2.2.2", {"src": "1.1.1.1", "dst": "2.2.2.2"}),
        ("LEEF:2.0|V|P|1|E|src=1.1.1.1\tdst=2.2.2.2", {"src": "1.1.1.1", "dst": "2.2.2.2"}),
        (r"LEEF:1.0|V|P|1|E|src=1.1.1.1\tdst=2.2.2.2", {"src": "1.1.1.1", "dst": "2.2.2.2"}),
        ("LEEF:1.0|V|P|1|E|src=1.1.1.1  msg=two words", {"src": "1.1.1.1", "msg": "two words"}),
    ],
)
def test_leef_delimiters(line: str, attrs: dict[str, str]) -> None:
    assert parse_leef(line).attrs == attrs


def test_java_time_patterns() -> None:
    clock, cache = LocalClock(ZoneInfo("Europe/Paris")), {}
    got = java_time("Oct 25 2026 02:30:00.5 CEST", "MMM dd yyyy HH:mm:ss.S z", clock, cache)
    assert got.isoformat() == "2026-10-25T00:30:00.500000+00:00"
    got = java_time("25/10/26 14h05", "dd/MM/yy HH'h'mm", clock, cache)
    assert got.isoformat() == "2026-10-25T13:05:00+00:00"
    with pytest.raises(MalformedLine):
        java_time("2026", "yyyy QQ", clock, {})


@pytest.mark.parametrize(
    ("fmt", "line", "path"),
    [
        (
            "stormshield",
            'id=firewall time="2026-03-02 09:00:00" tz=+0100 op=GET arg="/c/1?x=2" '
            'dst=1.2.3.4 dstname=chatgpt.com logtype="web"',
            "/c/1",
        ),
        (
            "fortigate",
            'logid="0317013312" type="utm" subtype="webfilter" eventtime=1 '
            'hostname="chatgpt.com" url="/c/1?x"',
            "/c/1",
        ),
        (
            "sophos",
            '2026:03:02-09:00:00 utm httpproxy[1]: id="0001" sys="SecureWeb" '
            'url="https://chatgpt.com/c/1?x"',
            "/c/1",
        ),
        ("cef", "CEF:0|V|P|1|2|3|4|rt=1 request=https://chatgpt.com/c/1?x=1", "/c/1"),
    ],
)
def test_url_path_is_kept_without_query(fmt: str, line: str, path: str) -> None:
    event = get_format(fmt).new_parser(ParseContext()).parse(line)
    assert event is not None and event.url_path == path


_PAIR_PLAIN = re.compile(r'([^\s="]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))')  # as first written


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["k=", "v", '"', "\\", " ", "=", 'x="a b"', '\\"', "é", "a=1"]),
        max_size=16,
    ).map("".join)
)
def test_pairs_are_found_as_before(text: str) -> None:
    """The possessive pair pattern finds exactly the pairs the plain one found."""
    assert _kv._PAIR.findall(text) == _PAIR_PLAIN.findall(text)


_KV_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["k=", "v", '"', " ", "\t", "=", 'x="a b"', "é", "a=1", "==", '="']),
        st.sampled_from(["\x1c", "\x85", "\xa0", "\u2003", "\u3000", "\x00", "\n", "\r", "\x0b"]),
        st.text(max_size=3),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_KV_TEXT)
def test_the_c_tokenizer_finds_the_pairs_of_the_pattern(text: str) -> None:
    """``_kvfast.pairs`` (C) gives ``dict(_PLAIN_PAIR.findall(text))`` on any text: Unicode
    spaces, keys that no '=' follows, quotes anywhere, duplicate keys."""
    kvfast = pytest.importorskip("sentinelle.formats._kvfast")
    assert kvfast.pairs(text) == dict(_kv._PLAIN_PAIR.findall(text))


def test_the_c_tokenizer_on_firewall_lines() -> None:
    kvfast = pytest.importorskip("sentinelle.formats._kvfast")
    line = (
        'date=2026-07-31 time=19:00:19 devname="FGT CHU" logid="0317013312" srcip=10.1.2.3 '
        'hostname="chatgpt.com" msg="a = b" x= y==z ab"c=1 "q"=2 tz="+0000" tz="+0100"'
    )
    assert kvfast.pairs(line) == dict(_kv._PLAIN_PAIR.findall(line))
    assert kvfast.pairs(line)["devname"] == "FGT CHU"
    assert kvfast.pairs(line)["tz"] == "+0100"
    with pytest.raises(TypeError):
        kvfast.pairs(b"a=1")
