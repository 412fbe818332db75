"""Differential tests: the faster parser helpers against copies of their previous versions.

Each ``_old_*`` function below is the implementation that was replaced, kept verbatim (modulo
names) so that generated inputs can show the new one gives the same result, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import _kv, cef, checkpoint
from sentinelle.formats._syslog import (
    SyslogHeader,
    _merge,
    _strip_one,
    strip_syslog,
    syslog_message,
)

# --- previous implementations -------------------------------------------------------------

_OLD_EXT_KEY = re.compile(r"(?:^|(?<=\s))([A-Za-z0-9_.\[\]-]{1,100})=")
_OLD_HEADER_FIELD = re.compile(r"((?:[^|\\]|\\.)*)\|")
_OLD_COLON_PAIR = re.compile(r'([A-Za-z_][\w.-]*):"((?:[^"\\]|\\.)*)"')


def _old_blank(value: str | None) -> bool:
    return value is None or value.strip().lower() in _kv._BLANKS


def _old_text(fields: Mapping[str, str], *keys: str) -> str | None:
    for key in keys:
        value = fields.get(key)
        if not _old_blank(value):
            return value.strip()  # type: ignore[union-attr]
    return None


def _old_parse_extension(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    keys = list(_OLD_EXT_KEY.finditer(text))
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        value = text[m.end() : end].strip()
        if "\\" in value:
            value = cef._EXT_ESCAPE.sub(lambda e: cef._EXT_ESCAPES[e.group(1)], value)
        out[m.group(1)] = value
    return out


def _old_parse_record(text: str) -> tuple[list[str], dict[str, str]]:
    m = cef._START.search(text)
    if m is None:
        raise MalformedLine("no 'CEF:<version>|' header")
    header = [m.group(1)]
    pos = m.end()
    for _ in range(6):
        field = _OLD_HEADER_FIELD.match(text, pos)
        if field is None:
            raise MalformedLine(f"CEF header has {len(header)} of 7 '|'-separated fields")
        value = field.group(1)
        header.append(cef._HEADER_ESCAPE.sub(r"\1", value) if "\\" in value else value)
        pos = field.end()
    return header, _old_parse_extension(text[pos:])


def _old_colon_pairs(text: str) -> dict[str, str]:
    out = {}
    for key, value in _OLD_COLON_PAIR.findall(text):
        out[key] = checkpoint._COLON_ESCAPE.sub(r"\1", value) if "\\" in value else value
    return out


def _old_strip_syslog(line: str) -> tuple[SyslogHeader | None, str]:
    """The previous ``strip_syslog``: always a second look for a stacked header."""
    header, rest = _strip_one(line, True)
    if header is None:
        return None, line
    inner, rest2 = _strip_one(rest, True)
    if inner is not None:
        return _merge(inner, header), rest2
    return header, rest


# --- generated inputs ---------------------------------------------------------------------

# odd spaces (NBSP, tab, line separator), escapes, "=", "|", a Kelvin sign that lower-cases
# to "k", a dotted I whose lower case is longer
_ODD = [" ", "  ", "\t", "\n", "\u00a0", "\u2028", "\\", "\\\\", "\\=", "\\|", "\\n", "\\r"]
_ODD += ["=", "|", '"', "é", "\u212a", "\u0130", "-", ".", "[", "]", "_"]
_KEYS = ["a", "b", "rt", "src", "dhost", "request", "a.b", "x[1]", "k-1", "K", "é", "a" * 101]
_BLANK_SPELLINGS = ["", "-", "N/A", "(null)", "NULL", "None", "(EMPTY)", "UNKNOWN", "unknown"]
_BLANK_SPELLINGS += ["UN\u212aNOWN", " - ", "\t-", "\u00a0n/a\u00a0", "--", "nul l"]

_ext_token = st.one_of(
    st.sampled_from(_ODD),
    st.sampled_from(_KEYS).map(lambda k: k + "="),
    st.sampled_from(_KEYS),
    st.text(max_size=6),
)
ext_texts = st.lists(_ext_token, max_size=30).map("".join)


@settings(max_examples=1500)
@given(ext_texts)
@example("a=1 b=2 a=3")
@example(" rt=1  src=10.0.0.1\tdhost=x\\=y\\\\z\\n a=b=c  k=")
@example("=a x=é\u00a0y=\u2028z=1 " + "k" * 101 + "=v")
def test_parse_extension_same_as_before(text: str) -> None:
    assert cef.parse_extension(text) == _old_parse_extension(text)
    assert list(cef.parse_extension(text).items()) == list(_old_parse_extension(text).items())


_header_token = st.one_of(st.sampled_from([*_ODD, "CEF:0|", "CEF: 1|", "x"]), st.text(max_size=4))
cef_texts = st.tuples(
    st.text(max_size=5),
    st.sampled_from(["CEF:0|", "CEF: 23|", "CEF:|", ""]),
    st.lists(st.lists(_header_token, max_size=4).map("".join), max_size=8).map("|".join),
    st.sampled_from(["", "|", "|x"]),
    ext_texts,
).map("".join)


def _record_or_error(parse, text: str) -> object:  # type: ignore[no-untyped-def]
    try:
        return parse(text)
    except MalformedLine as e:
        return ("MalformedLine", str(e))


@settings(max_examples=1500)
@given(cef_texts)
@example("CEF:0|V|P|1|2|n|3|a=b")
@example("CEF:0|V\\|x|P\\\\|1|2|n\\\n|3|a=b")
@example("CEF:0|V|P|1|2")
@example("CEF:0|a\\|b")
def test_parse_record_same_as_before(text: str) -> None:
    def new(t: str) -> tuple[list[str], dict[str, str]]:
        r = cef.parse_record(t)
        return [r.version, r.vendor, r.product, r.name], r.ext

    def old(t: str) -> tuple[list[str], dict[str, str]]:
        header, ext = _old_parse_record(t)
        return [header[0], header[1], header[2], header[5]], ext

    assert _record_or_error(new, text) == _record_or_error(old, text)


_fields = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(st.sampled_from(_BLANK_SPELLINGS), st.text(max_size=8)),
)


@settings(max_examples=1500)
@given(_fields, st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5))
@example({"a": "UN\u212aNOWN", "b": " x "}, ["a", "b"])
@example({"a": "\u0130"}, ["a"])
def test_kv_text_same_as_before(fields: dict[str, str], keys: list[str]) -> None:
    assert _kv.text(fields, *keys) == _old_text(fields, *keys)


_HEADERS = [
    "<134>1 2026-07-31T19:00:19.033Z host app - - - ",
    '<13>1 2024-03-09T10:00:00+01:00 h a 12 ID [x a="1"] ',
    "<13>1 - - - - - - ",
    "<134>1 2023-01-13T10:10:16--5:00 gw CheckPoint 2 - - ",
    "1 2026-07-31T19:00:19Z host app - - - ",
    "<166>Jul 31 21:00:19 fw.chu.fr (squid-1)[6802]: ",
    "Mar  9 10:00:00 host tag[1]: ",
    "Feb 30 10:00:00 host tag: ",
    "Feb 29 2023 10:00:00 host tag: ",
    "Dec 31 23:59:59.123 10.0.0.1 ",
    "2024-03-09T10:00:00+01:00 relay app: ",
    "2024-03-09T10:00:00 1700000000 ",
    "<189>",
    "<9999>",
    "\ufeff",
    "\ufeff<13>",
    "\u0664\u0660",
]
_BODIES = [
    "CEF:0|V|P|1|2|n|3|a=b",
    "LEEF:1.0|V|P|1|E|a=b",
    "id=firewall time=x",
    "",
    " ",
    "{}",
    "Jan",
    "2024-03-09",
    "<",
    "1,2,3",
]
syslog_lines = st.tuples(
    st.lists(st.sampled_from(_HEADERS), max_size=3).map("".join),
    st.one_of(st.sampled_from(_BODIES), st.text(max_size=20)),
).map("".join)


@settings(max_examples=1500)
@given(syslog_lines)
@example("<13>Jan 18 11:07:53 fw <14>1 2024-03-09T10:00:00+01:00 h a - - - m")
@example("<13>1 2024-03-09T10:00:00Z relay app - - - Mar  9 10:00:00 dev tag: m")
def test_strip_syslog_same_as_before(line: str) -> None:
    assert strip_syslog(line) == _old_strip_syslog(line)
    assert syslog_message(line) == _old_strip_syslog(line)[1]


_colon_token = st.one_of(
    st.sampled_from([*_ODD, ':"', '"; ', "[", "]", '\\"', "src", "dst", "a.b", "_k", "1x"]),
    st.text(max_size=4),
)
colon_texts = st.lists(_colon_token, max_size=30).map("".join)


@settings(max_examples=1500)
@given(colon_texts)
@example('[a:"1"; b:"x\\"y"; a:"2"; c:"\\\n"; d:"open]')
def test_colon_pairs_same_as_before(text: str) -> None:
    new = checkpoint._colon_pairs(text)
    old = _old_colon_pairs(text)
    assert list(new.items()) == list(old.items())
