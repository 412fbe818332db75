"""Zscaler's NSS web records on the native walker: the record's pairs read as free pairs of the
JSON grammar (``FreePairs(json=True)``, ``json_pairs`` in ``scan/_lines.c``), its ``time`` a
naive local key (``Profile.naive_key``).  Which records are usual, and that the parser agrees
with the walker on each of them (the contract of ``formats/_usual.py``); on random records,
that every usual one is the parser's event with the walk's host at its key's time, and that
every record in the rules is usual."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.perf import _zscaler as zs
from tests.perf.test_usual_profiles import _check_unflagged, walker_says

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def _said(raw: bytes) -> str:
    return walker_says("zscaler", raw)


R = zs.record
CASES = [
    *(
        (shape, "Chat.Example.FR" if b"Chat.Example" in shape else "chatgpt.com")
        for shape in zs.SHAPES
    ),
    # the rules' keys in another case (the parser lowers keys), a value the parser reads as none
    (R(reqsize=""), "chatgpt.com"),
    (R(eurl=None, EURL="chatgpt.com/x"), "chatgpt.com"),
    (R(EURL="other.example.fr/x"), "parser"),  # twice: the last one wins
    # what sets the time or the host otherwise: the parser's to read
    (R(epochtime="1785535214"), "parser"),
    (R(tz="GMT"), "parser"),
    (R(host="chatgpt.com"), "parser"),
    (R(ehost="chatgpt.com"), "parser"),
    (R(Tz="GMT"), "parser"),
    # no time, no URL, a time the walker does not read (the parser may), an impossible one
    (R(time=None), "parser"),
    (R(eurl=None), "parser"),
    (R(time="sat aug 01 10:00:14 2026"), "parser"),
    (R(time="Aug 01 10:00:14 2026"), "parser"),
    (R(time="Sat Aug 1 10:00:14 2026"), "parser"),
    (R(time="Sat Aug 01 10:00:14 2026 "), "parser"),
    (R(time="Sat Feb 29 10:00:14 2026"), "parser"),
    (R(time="Sat Aug 01 24:00:14 2026"), "parser"),
    (R(time="Sat Aug 01 10:00:60 2026"), "parser"),
    (R(time="Sat Aug 01 10:00:14 0999"), "parser"),
    (R(time="Sat Aug 01 10:00:14\u00a02026"), "parser"),
    # URLs the parser reads otherwise: a scheme (then the method decides), a colon in the path,
    # a query without a path, no dot, a blank word, an address, a user
    (R(eurl="https://chatgpt.com/"), "parser"),
    (R(eurl="chatgpt.com/a:b"), "parser"),
    (R(eurl="chatgpt.com?q=1"), "parser"),
    (R(eurl="localhost/x"), "parser"),
    (R(eurl="None"), "parser"),
    (R(eurl="n/a"), "parser"),
    (R(eurl="104.18.32.47/x"), "parser"),
    (R(eurl="jd@chatgpt.com/"), "parser"),
    # numbers the parser may refuse, values the walker does not read
    (R(reqsize="12a"), "parser"),
    (R(reqsize=-1), "parser"),
    (R(reqsize=1.5), "parser"),
    (R(respcode="0" * 19), "parser"),
    (R(urlcat=None, x=True), "parser"),
    (R(x=None, urlcat={"a": "b"}), "parser"),
    (R(x=None, urlcat=["a"]), "parser"),
    (R(eurl="chat\\u0067pt.com/"), "parser"),
    # the wrapper: none (a flat record), another key after the record, blanks, a syslog header
    (json.dumps(zs.RECORD, separators=(",", ":")).encode(), "parser"),
    (R()[:-1] + b',"event":"x"}', "parser"),
    (R() + b" ", "chatgpt.com"),
    (R()[:-1] + b" }", "chatgpt.com"),
    (R()[:-2] + b"}", "parser"),
    (b"<134>Aug  1 10:00:14 nss " + R(), "chatgpt.com"),  # (test_usual_syslog_headers.py)
    (R(outer='{"sourcetype":"zscalernss-web","event":{"a":"b"},"event":'), "parser"),
    (R(outer='{ "sourcetype":"zscalernss-web" ,"event":  '), "chatgpt.com"),
    (R(outer='{"sourcetype":"zscalernss-web","event"\t:'), "parser"),
    (R().replace(b'"time"', b'"ti\\u006de"'), "parser"),
    (R().replace(b'"login":"', b'"login":"\x01'), "parser"),
]


@pytest.mark.parametrize(("raw", "said"), CASES)
def test_a_record_is_usual_as_the_table_says_and_the_parser_agrees(raw: bytes, said: str) -> None:
    assert _said(raw) == said, raw
    _check_unflagged("zscaler", raw)  # usual: the parser's host and time agree


# -- random records ---------------------------------------------------------------------------
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _mostly(
    good: st.SearchStrategy[object], anything: st.SearchStrategy[object], odds: int = 20
) -> st.SearchStrategy[object]:
    """``good`` but once in ``odds`` draws, then ``anything``."""
    return st.integers(1, odds).flatmap(lambda i: anything if i == 1 else good)


#: ``time`` values: most of them possible, some not, some the parser's alone
_TIME = st.builds(
    "{} {} {} {:02d}:{:02d}:{:02d} {}".format,
    _mostly(st.sampled_from(["Sat", "Mon"]), st.sampled_from(["xyz", "Sa1"])),
    _mostly(st.sampled_from(_MONTHS), st.sampled_from(["aug", "Foo"])),
    _mostly(
        st.sampled_from(["01", " 1", "28", "30", "31", "29"]), st.sampled_from(["1", "00", "32"])
    ),
    _mostly(st.integers(0, 23), st.integers(24, 25)),
    _mostly(st.integers(0, 59), st.integers(60, 61)),
    _mostly(st.integers(0, 59), st.integers(60, 61)),
    _mostly(st.sampled_from(["2026", "2024", "2100", "1000"]), st.sampled_from(["0999", "9999"])),
)
_HOSTS = ["chatgpt.com", "Chat.Example.FR", "a-b.c_d.example.org"]
_EURL = st.builds(
    "{}{}{}{}".format,
    _mostly(st.just(""), st.sampled_from(["https://", "jd@"])),
    _mostly(st.sampled_from(_HOSTS), st.sampled_from(["localhost", "x.y-", "n", "None", "a..b"])),
    _mostly(st.sampled_from(["", ":443", ":0"]), st.sampled_from([":123456", ":x"])),
    _mostly(
        st.sampled_from(["", "/", "/a/b?c=d", '/é"x']), st.sampled_from(["/a:b", "?q", "#f", " /x"])
    ),
)
_TEXT = st.text(string.printable + "é\u2028\x00\x1f", max_size=12)
_VALUE = _mostly(  # (once in six: one the walker leaves to the parser)
    st.one_of(_TEXT, st.integers(0, 10**17), st.sampled_from(["", "12", "0", "007"])),
    st.one_of(
        st.integers(-5, 10**20),
        st.sampled_from([" 1", "1.5", "None"]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
        st.just({"a": "b"}),
    ),
    6,
)
_KEYS = ["login", "proto", "action", "urlcat", "cip", "cintip", "sip", "reqmethod", "url", "ua"]
_RULED = ["time", "eurl", "reqsize", "respsize", "respcode", "epochtime", "tz", "host", "ehost"]


@st.composite
def _records(draw: st.DrawFn) -> bytes:
    """A record of random keys (the rules' in any case), values and spacing, maybe edited."""
    rec: dict[str, object] = {}
    if draw(st.integers(0, 9)):
        rec["time"] = draw(_TIME)
    if draw(st.integers(0, 9)):
        rec["eurl"] = draw(_EURL)
    for _ in range(draw(st.integers(0, 6))):
        key = draw(_mostly(st.sampled_from(_KEYS), st.sampled_from(_RULED), 12))
        if draw(st.integers(0, 4)) == 0:
            key = key.upper() if draw(st.booleans()) else key.capitalize()
        value: object = draw(_VALUE)
        if key.lower() in ("reqsize", "respsize", "respcode") and draw(st.booleans()):
            value = draw(
                st.sampled_from([str(draw(st.integers(0, 10**6))), draw(st.integers(0, 99))])
            )
        rec[key] = value
    items = list(rec.items())
    items = draw(st.permutations(items))
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]))
    raw = zs.record(dict(items), separators, draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:  # an edit anywhere
        i = draw(st.integers(0, len(raw)))
        piece = draw(st.sampled_from([b"", b" ", b'"', b"\\", b"{", b"}", b",", b":", b"x", b"1"]))
        raw = raw[:i] + piece + raw[i + draw(st.integers(0, 2)) :]
    return raw


@SETTINGS
@given(raw=_records())
def test_a_usual_random_record_is_the_parsers_event_with_the_walks_host_and_time(
    raw: bytes,
) -> None:
    _check_unflagged("zscaler", raw)


def _in_the_rules(raw: bytes) -> str | None:
    """The host of a record the walker must count (the rules of ``json_pairs``, written from
    their text): None when it need not."""
    try:
        outer = json.loads(raw)
    except ValueError:
        return None
    if not raw.startswith(b'{"sourcetype":"zscalernss-web","event":{'):
        return None
    rec = outer["event"]
    keys = [k.lower() for k in rec]
    if any(k in ("epochtime", "tz", "host", "ehost") for k in keys):
        return None
    # each key printable ASCII, written as is (no escape: "lo\\n" is a newline's)
    if any(not " " <= c <= "~" or c in '"\\' for k in rec for c in k):
        return None
    if any(b'"%s"' % k.encode() not in raw for k in rec):
        return None
    if any(keys.count(k) != 1 for k in ("time", "eurl")) or any(keys.count(k) > 1 for k in _RULED):
        return None
    for key, value in rec.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            return None
        if isinstance(value, int) and not 0 <= value < 10**18:
            return None
        if key.lower() in ("reqsize", "respsize", "respcode"):
            if not (isinstance(value, int) or (value.isascii() and value.isdigit()) or not value):
                return None
            if isinstance(value, str) and len(value) > 18:
                return None
    time = next(v for k, v in rec.items() if k.lower() == "time")
    url = next(v for k, v in rec.items() if k.lower() == "eurl")
    if not isinstance(time, str) or not isinstance(url, str):
        return None
    ruled = [v for k, v in rec.items() if k.lower() in _RULED and isinstance(v, str)]
    if any(c in '"\\' or not " " <= c <= "~" for v in ruled for c in v):  # escaped, or may be
        return None
    return _usual_url(url) if _usual_time(time) else None


def _usual_time(time: str) -> bool:
    import re
    from datetime import datetime

    m = re.fullmatch(
        r"[A-Za-z]{3} ([A-Z][a-z]{2}) ([0-9 ][0-9]) ([0-9]{2}:[0-9]{2}:[0-9]{2}) ([0-9]{4})", time
    )
    if m is None or m.group(1) not in _MONTHS or not 1000 <= int(m.group(4)) <= 9998:
        return False
    try:
        datetime.strptime(
            f"{m.group(4)} {m.group(1)} {m.group(2).strip()} {m.group(3)}", "%Y %b %d %H:%M:%S"
        )
    except ValueError:
        return False
    return True


def _usual_url(url: str) -> str | None:
    import re

    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9._\-]*)(?::[0-9]{1,5})?(/[^:]*)?", url)
    if m is None:
        return None
    host = m.group(1)
    labels = host.split(".")
    # dotted, a letter in the last label; no empty label, no '-' last (the walker's host checks)
    if len(labels) < 2 or not any(c.isalpha() for c in labels[-1]) or "" in labels:
        return None
    return None if host.endswith("-") else host


@SETTINGS
@given(raw=_records())
@example(raw=R({"time": "xyz Jan 01 00:00:00 2026", "eurl": "x.y-"}))  # the walker's host check
@example(  # a key written with an escape (a fresh clone's draw)
    raw=b'{"sourcetype":"zscalernss-web","event":{"time" : "xyz Jan 01 00:00:00 2026" , '
    b'"eurl" : "Chat.Example.FR:443/a/b?c=d" , "proto" : "" , "lo\\n" : 0}}'
)
def test_every_record_in_the_rules_is_usual(raw: bytes) -> None:
    """The walker is not stricter than its rules say (where the parser would agree)."""
    host = _in_the_rules(raw)
    if host is not None:
        assert _said(raw) == host, raw


def test_json_pairs_and_naive_keys_are_checked() -> None:
    from dataclasses import replace

    from sentinelle.formats._usual import FreePairs
    from sentinelle.formats.zscaler import USUAL

    assert USUAL.free_pairs.rules().startswith(b"{1\n")  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="a URL or a host"):
        FreePairs("p", frozenset(), json=True, host="h", time="t", url="u")
    with pytest.raises(ValueError, match="a URL or a host"):
        FreePairs("p", frozenset(), json=True, time="t")
    with pytest.raises(ValueError, match="a time or an epoch"):
        FreePairs("p", frozenset(), json=True, time="t", epoch="e", url="u")
    with pytest.raises(ValueError, match="a time or an epoch"):
        FreePairs("p", frozenset(), json=True, host="h")
    for named in ({"exact": True}, {"epoch": "ts"}, {"required": "k"}):
        with pytest.raises(ValueError, match="exact keys, epoch, required: JSON's"):
            FreePairs("p", frozenset(), **named)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a key"):  # (the case counts only as written)
        FreePairs("p", frozenset({"Eurl"}), json=True, time="t", url="u")
    assert FreePairs(
        "p", frozenset({"Eurl"}), json=True, exact=True, epoch="ts", host="h"
    ).rules() == (b"{0=\nEurl\n@h\n%ts\n")
    with pytest.raises(ValueError, match="not a key"):
        FreePairs("p", frozenset({"EURL"}), json=True, time="t", url="u")
    with pytest.raises(ValueError, match="one grammar"):
        FreePairs("p", frozenset(), json=True, colon=True, time="t", url="u")
    with pytest.raises(ValueError, match="close 0 to 9"):
        FreePairs("p", frozenset(), json=True, closes=10, time="t", url="u")
    with pytest.raises(ValueError, match="naive local key"):
        replace(USUAL, in_order=False)
    with pytest.raises(ValueError, match="naive local key"):
        replace(USUAL, key_len=19)
    with pytest.raises(ValueError, match="naive local key"):
        replace(USUAL, naive_key="iso")
