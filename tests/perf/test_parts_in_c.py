"""The C loop of the enrichment by parts (``scan/_parts.c``) records what the Python loop does.

``_NativeScanner._grouped`` records the usual lines in C; a part the C loop has not met yet
(destination, source, user or action) is settled by a callback into Python, from the profile's
readers or the parser's event; a line the C loop cannot read as the Python loop does (a number
beyond 64 bits) is left to the Python loop.  These tests scan the same random blocks of usual
Squid lines with the C loop and with the Python loop alone, twice each (the first time nothing is
settled, the second time everything), and compare all that the scan keeps: hit rows, counts,
discoveries, line accounting.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.catalog import Catalog, Policy, load_catalog
from sentinelle.formats import ParseContext, get_format
from sentinelle.inventory import Attributor
from sentinelle.inventory.combined import load_attributor
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan import ScanOptions, enrich, fast, native
from sentinelle.scan.enrich import HIT_SCHEMA, Enricher
from sentinelle.scan.reader import FileResult
from tests.scan.conftest import INVENTORY

if not (native.available() and fast.PARTS_NATIVE):
    pytest.skip("the C extensions are not built", allow_module_level=True)

ZONE = ZoneInfo("Europe/Paris")
FMT = get_format("squid")
Setup = tuple[Catalog, Policy, Attributor]

#: a field's text: \r splits fields for bytes.split; \x0b, \x0c: the loop splits at blanks only
_WORD = st.text("abcXYZ019.-_:/%@[]\r\x0b\x0c", min_size=1, max_size=8)
_HOST = st.sampled_from(
    [
        "chatgpt.com",  # a service
        "CLAUDE.ai.",
        "api.openai.com",
        "box.com",  # shared evidence
        "my-ai-notes.io",  # a discovery candidate
        "chatai.example.fr",
        "www.example.org",  # nothing
        "github.com",  # a path rule (/copilot): parsed line by line
    ]
)
_URL = st.one_of(
    st.builds("{}:{}".format, _HOST, st.sampled_from(["443", "80"])),
    st.builds(
        "{}://{}{}".format,
        st.sampled_from(["https", "http", "HTTP"]),
        _HOST,
        st.sampled_from(["", "/", "/c/1?q=2", "#f", ":8443/chat", "?x", "/copilot"]),
    ),
)
_LINE = st.builds(
    lambda seconds, ms, elapsed, client, code, size, method, url, user, seps: (
        "".join(
            value + sep
            for value, sep in zip(
                (f"{seconds}.{ms:03d}", elapsed, client, code, size, method, url, user),
                seps,
                strict=True,
            )
        )
        + "HIER_DIRECT/192.0.2.1 -"
    ),
    st.one_of(st.integers(1785536580, 1785536580 + 86400 * 3), st.integers(10**9, 10**10 - 1)),
    st.integers(0, 999),
    st.sampled_from(["0", "412", "-1"]),
    st.one_of(
        st.sampled_from(["10.1.0.10", "10.2.5.7", "10.2.9.9", "2001:db8:1::42", "PC-SEC-01"]),
        st.sampled_from(["pc-sec-01", "10.9.9.9"]),  # excluded by name; unknown
        _WORD,
    ),
    st.sampled_from(["TCP_TUNNEL/200", "TCP_DENIED/403", "TCP_DENIED/407", "NONE/000"]),
    st.one_of(
        st.sampled_from(["0", "007", "5321", "9" * 18]),
        st.sampled_from(["1" + "0" * 18, "9" * 19, "9" * 25]),  # beyond 18 digits: left to Python
    ),
    st.sampled_from(["CONNECT", "GET", "POST", "connect"]),
    _URL,
    st.one_of(st.sampled_from(["-", "jdupont", "a%20user", "%ZZ"]), _WORD),
    st.lists(st.sampled_from([" ", "  ", "\t", " \t "]), min_size=8, max_size=8),
)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    d = tmp_path_factory.mktemp("parts")
    (d / "inventory.csv").write_text(INVENTORY, encoding="utf-8")
    (d / "policy.yaml").write_text(
        "default: unsanctioned\nexclude_sources: [10.2.5.7, pc-sec-01]\n", encoding="utf-8"
    )
    policy = Policy.load(d / "policy.yaml")
    inventory = load_attributor(ScanOptions(inventory=d / "inventory.csv").attribution())
    return load_catalog(policy=policy), policy, inventory


def _scan(setup: Setup, block: bytes, in_c: bool) -> tuple[Any, ...]:
    """Scan ``block`` twice with a fresh enricher (no memo), the C loop on or off."""
    catalog, policy, inventory = setup
    saved = fast.PARTS_NATIVE, enrich._MEMOS[:]
    fast.PARTS_NATIVE = in_c
    enrich._MEMOS.clear()
    try:
        e = Enricher(catalog, inventory, Pseudonymizer(b"k" * 32), ZONE, policy)
        res = FileResult()
        ctx = ParseContext(path="access.log", tz=ZONE)
        scanner = fast.new_scanner(FMT, ctx, e, res, fast.database(FMT, catalog))
        for _ in range(2):
            scanner.scan(block)
        rows = sorted(zip(*e.rows.values(), strict=True), key=lambda r: r[1])  # by seq
        return rows, dataclasses.asdict(e.counts), Counter(e.discovered), res
    finally:
        fast.PARTS_NATIVE = saved[0]
        enrich._MEMOS[:] = saved[1]


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_LINE, min_size=1, max_size=40))
def test_the_c_loop_records_what_the_python_loop_records(setup: Setup, lines: list[str]) -> None:
    block = ("\n".join(lines) + "\n").encode()
    in_c, in_python = _scan(setup, block, True), _scan(setup, block, False)
    assert in_c[0] == in_python[0]  # hit rows
    assert in_c[1:] == in_python[1:]  # counts, discoveries, line accounting


def test_the_c_loop_takes_the_lines_whose_parts_are_known(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The C loop records all the lines but the one with a size beyond 64 bits (the Python
    loop's: its bytes unknown, no count the store could keep), on the first pass once the
    callback has settled their parts, and the rows of both passes are the same."""
    line = "1785536580.123 5 10.1.0.10 TCP_TUNNEL/200 {} CONNECT chatgpt.com:443 jdupont - -"
    block = "".join(line.format(size) + "\n" for size in ("10", "9" * 19, "20")).encode()
    calls: list[tuple[int, int]] = []
    group = fast._parts.group

    def counted(block: Any, rows: np.ndarray, *rest: Any) -> Any:
        out = group(block, rows, *rest)
        calls.append((len(rows), len(out[0])))
        return out

    monkeypatch.setattr(fast, "_parts", SimpleNamespace(group=counted))
    rows = _scan(setup, block, True)[0]
    # first pass: each line's parts settled through the callback, then recorded; both
    # passes leave only the 19-digit size
    assert calls == [(3, 1), (3, 1)]
    seq, bytes_in = HIT_SCHEMA.get_field_index("seq"), HIT_SCHEMA.get_field_index("bytes_in")
    assert [(r[seq], r[bytes_in]) for r in rows] == [
        (1, 10),
        (2, None),
        (3, 20),
        (4, 10),
        (5, None),
        (6, 20),
    ]
    first, second = rows[:3], rows[3:]
    assert [r[seq + 1 :] for r in first] == [r[seq + 1 :] for r in second]


def _records() -> tuple[Any, ...]:
    r = enrich.HitRecords()
    return r.numbers, r.indexes, r.parts


def _group(block: bytes, rows: Any, spec: tuple[int, ...], records: Any = None) -> Any:
    caches = ({}, {}, {}, {}, {}, {})
    records = _records() if records is None else records
    return fast._parts.group(block, rows, spec, caches, records, {}, print, print, None, 0)


def test_malformed_arguments_are_refused() -> None:
    rows = np.array([[0, 0, 5, native.GROUPED]], np.int64)
    spec = (8, 5, 6, 2, 7, 3, 0, 0, -1, 4)
    assert _group(b"12 x\n", rows, spec)[0] == [0]  # fewer fields than the spec: left
    with pytest.raises(ValueError, match="outside the block"):
        _group(b"1\n", rows, spec)
    with pytest.raises(ValueError, match="spec"):
        _group(b"12 x\n", rows, (8, 9, *spec[2:]))
    with pytest.raises(ValueError, match="spec"):
        _group(b"12 x\n", rows, (8, 5, 6, 2, 7, 3, 0, -1, -1, 4))
    with pytest.raises(ValueError, match="rows"):
        _group(b"12 x\n", b"1234", spec)
    numbers, indexes, parts = _records()
    for records in (
        (numbers, indexes[:3], parts),  # three kinds of parts, not four
        (numbers, indexes, (*parts[:3], {})),  # a kind's parts not a list
        (bytearray(b"1234"), indexes, parts),  # not whole records
    ):
        with pytest.raises(TypeError, match="malformed records"):
            _group(b"12 x\n", rows, spec, records)


def test_a_line_whose_parts_cannot_be_settled_is_left() -> None:
    """``settle`` gets the line's span and state; when it says the line is no event, the line
    is left to the Python loop; when it raises, so does the C loop."""
    line = b"1785536580.123 5 10.1.0.10 TCP_TUNNEL/200 10 CONNECT chatgpt.com:443 jdupont - -\n"
    rows = np.array([[0, 0, len(line) - 1, native.GROUPED]], np.int64)
    spec = (8, 5, 6, 2, 7, 3, 0, 0, -1, 4)
    asked: list[tuple[int, int, int]] = []

    def no_event(start: int, end: int, state: int) -> bool:
        asked.append((start, end, state))
        return False

    caches = ({}, {}, {}, {}, {}, {})
    out = fast._parts.group(line, rows, spec, caches, _records(), {}, print, print, no_event, 0)
    assert out[0] == [0] and out[1:] == (0, 0, 0, 0, 0, 0)
    assert asked == [(0, len(line) - 1, native.GROUPED)]

    def broken(start: int, end: int, state: int) -> bool:
        raise RuntimeError("settle failed")

    with pytest.raises(RuntimeError, match="settle failed"):
        fast._parts.group(line, rows, spec, caches, _records(), {}, print, print, broken, 0)


def test_the_constants_the_c_loop_hard_codes_are_pythons() -> None:
    """What the C loop hard-codes: the states and destination kinds of the Python side, and
    the layout of a hit's record."""
    assert native.BY_HOST == 5
    assert (enrich.RECORD, enrich.NO_COUNT, len(enrich.PART_FIELDS)) == (9, -(2**63), 4)
    assert (enrich.NOTHING, enrich.NO_HOST, enrich.CANDIDATE, enrich.SHARED, enrich.SERVICE) == (
        0,
        1,
        2,
        3,
        4,
    )
