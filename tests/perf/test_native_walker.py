"""The native line walker (``scan/_lines.c``) against the definitions it must follow.

* a line is *not usual* for the walker exactly when the hyperscan complement of the same usual
  structure matches it (the portable engine's definition), whatever the instruction set and
  whether the program is interpreted or run as generated straight code;
* a usual line is a valid event whose host name is the walker's (one name), or one of them (two);
* random catalogs and hosts: a usual line whose host entry the prefilter passes over, or whose
  entry decision is "no", never yields a catalog match or a discovery candidate;
* malformed programs and blocks are refused, and the generated header is current.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinelle.catalog import load_catalog
from sentinelle.catalog.discovery import ai_marker
from sentinelle.errors import MalformedLine
from sentinelle.formats import get_format
from sentinelle.formats._structure import Branch, Element, chars, complement_pattern
from sentinelle.formats._usual import DIGIT, HOSTC, FreePairs
from sentinelle.formats.squid import USUAL
from sentinelle.inputs import decode
from sentinelle.scan import fast, gen_usual, native
from sentinelle.scan.prefilter import EXACT, PatternSet, compile_patterns, host_pattern_set
from tests.perf._walks import needs_walker, walk_everywhere
from tests.perf.conftest import URLS, garbage_log
from tests.perf.test_prefilter_properties import GOOD, catalogs, hosts_for, mutated

SQUID = get_format("squid")
PROFILE = USUAL
PROGRAM = fast.program(PROFILE)
COMPLEMENT = compile_patterns(PatternSet((PROFILE.flags_unusual()[0],), (EXACT,), ("unusual",)))
CATALOG = load_catalog()
BUNDLED = compile_patterns(host_pattern_set(CATALOG))
VARIANTS = [(simd, generic) for simd in (0, 1, 2) for generic in (False, True)]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def test_the_extension_is_built() -> None:
    """``pip install`` builds it wherever a C compiler is (CI has gcc): without it every scan
    silently takes the portable path, about twice as slow."""
    assert native.available(), "reinstall with a C compiler: apt install gcc python3-dev"


def _complement_lines(block: bytes) -> set[int]:
    ends: list[int] = []
    COMPLEMENT.scan(block, match_event_handler=lambda _i, _f, to, _fl, _c: ends.append(to))
    nl = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    return set(np.searchsorted(nl, np.asarray(ends, np.int64) - 1).tolist())


def _matches(db: object, entry: bytes) -> bool:
    hits: list[int] = []
    db.scan(entry + b"\n", match_event_handler=lambda *a: hits.append(a[2]))  # type: ignore[attr-defined]
    return bool(hits)


def _walks(block: bytes) -> list[native.Walked]:
    return [native.walk(PROGRAM, block, None, simd, generic) for simd, generic in VARIANTS]


def _assert_same(a: native.Walked, b: native.Walked) -> None:
    assert (a.lines, a.entries, a.earliest, a.latest) == (b.lines, b.entries, b.earliest, b.latest)
    for name in ("rows", "slots", "pending", "known"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@needs_walker
@SETTINGS
@given(lines=st.lists(mutated(), min_size=1, max_size=12))
def test_unusual_is_exactly_the_complement(lines: list[bytes]) -> None:
    block = b"\n".join(lines) + b"\n"
    walks = _walks(block)
    first = walks[0]
    for w in walks[1:]:  # every instruction set and both forms give the same bytes
        _assert_same(w, first)
    assert first.lines == len(lines)
    unusual = {int(k) for k, *_, kind in first.rows.tolist() if kind & native.UNUSUAL}
    assert unusual == _complement_lines(block)
    # every line is in exactly one of the two lists, with its own bytes
    seen = sorted([*first.rows[:, 0].tolist(), *first.pending[:, 0].tolist()])
    assert seen == list(range(len(lines)))
    for k, start, end, *_ in [*first.rows.tolist(), *first.pending.tolist()]:
        assert block[start:end] == lines[k]


_SEPARATOR = st.text(" \t", min_size=1, max_size=70).map(str.encode)
_FIELD_PIECE = st.sampled_from([b"a", b"7", b"-", b"/", b".", b":", b"%", b"\xc3\xa9", b"\r", b""])


@st.composite
def stretched(draw: st.DrawFn) -> bytes:
    """A line whose fields and separators are stretched so that they cross the walker's 64-byte
    words anywhere, up to and past its 256-byte window; some fields get a foreign byte."""
    fields = GOOD.encode().split(b" ")
    for i in range(len(fields)):
        if draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(fields[i])))
            piece = draw(_FIELD_PIECE) * draw(st.integers(1, 60))
            fields[i] = fields[i][:at] + piece + fields[i][at:]
    line = fields[0]
    for f in fields[1:]:
        line += draw(_SEPARATOR) + f
    if draw(st.booleans()):
        line += draw(_SEPARATOR) + draw(st.binary(max_size=40)).replace(b"\n", b"")
    return line


@needs_walker
@SETTINGS
@given(lines=st.lists(stretched(), min_size=1, max_size=6))
def test_separators_and_fields_across_the_vector_words(lines: list[bytes]) -> None:
    """The AVX-512 walk finds every separator run of a line at once: it must agree with the
    others and with the complement whatever the runs' lengths and places (the lines are
    followed by enough bytes for the vector walk to take each of them)."""
    block = b"\n".join(lines) + b"\n" + (GOOD.encode() + b"\n") * 4
    walks = _walks(block)
    for w in walks[1:]:
        _assert_same(w, walks[0])
    unusual = {int(k) for k, *_, kind in walks[0].rows.tolist() if kind & native.UNUSUAL}
    assert unusual == _complement_lines(block)


@needs_walker
@SETTINGS
@given(lines=st.lists(mutated(), min_size=1, max_size=8))
def test_a_usual_line_is_an_event_with_the_walkers_host(lines: list[bytes]) -> None:
    block = b"\n".join(lines) + b"\n"
    w = native.walk(PROGRAM, block)
    stamps = []
    for k, _start, _end, i in w.pending.tolist():
        entry = w.entry(i)
        text = decode(lines[k])
        event = SQUID.new_parser(None).parse(text)  # type: ignore[arg-type]
        assert event is not None and event.destination_domain is not None, text
        names = [n.decode().lower().rstrip(".") for n in entry[1:-1].split(b". .")]
        assert event.destination_domain in names, (text, entry)
        if len(names) == 1:
            assert event.destination_domain == names[0]
        stamps.append(lines[k][:14])
    if stamps:
        assert block[w.earliest : w.earliest + 14] == min(stamps)
        assert block[w.latest : w.latest + 14] == max(stamps)
    else:
        assert w.earliest == w.latest == -1


@needs_walker
@SETTINGS
@given(lines=st.lists(mutated(), min_size=1, max_size=8))
def test_a_line_flagged_for_its_host_is_still_valid(lines: list[bytes]) -> None:
    """HOST lines are usual in structure: only their host name needs the parser."""
    block = b"\n".join(lines) + b"\n"
    for k, _s, _e, kind in native.walk(PROGRAM, block).rows.tolist():
        if kind == native.HOST:
            try:
                SQUID.new_parser(None).parse(decode(lines[k]))  # type: ignore[arg-type]
            except MalformedLine:  # pragma: no cover - the assertion says it all
                pytest.fail(f"a structurally usual line was rejected: {lines[k]!r}")


@needs_walker
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_catalogs_never_lose_a_match_on_host_entries(data: st.DataObject) -> None:
    cat = data.draw(catalogs())
    db = compile_patterns(host_pattern_set(cat))
    parser = SQUID.new_parser(None)  # type: ignore[arg-type]
    for _ in range(8):
        host = data.draw(hosts_for(cat))
        url = data.draw(st.sampled_from(URLS)).format(h=host)
        method = data.draw(st.sampled_from(["CONNECT", "GET", "post"]))
        text = GOOD.replace("CONNECT chatgpt.com:443", f"{method} {url}")
        w = native.walk(PROGRAM, text.encode() + b"\n")
        if not w.pending.size:
            continue  # the parser sees the line anyway
        entry = w.entry(0)
        if _matches(db, entry) and fast.entry_decision(entry, cat):
            continue  # the line goes to the parser (or to the per-line check)
        event = parser.parse(text)
        assert event is not None and event.destination_domain is not None, text
        assert cat.match(event.destination_domain, event.url_path) is None, text
        assert ai_marker(event.destination_domain) is None, text


@needs_walker
@settings(max_examples=300, deadline=None)
@given(host=st.text("abcdefghijklmnopqrstuvwxyzAI0123456789.-_", min_size=1, max_size=30))
def test_discovery_markers_are_always_candidates_on_host_entries(host: str) -> None:
    text = GOOD.replace("chatgpt.com:443", f"{host}:443")
    event = SQUID.new_parser(None).parse(text)  # type: ignore[arg-type]
    if event is None or event.destination_domain is None:
        return
    if ai_marker(event.destination_domain) is None:
        return
    w = native.walk(PROGRAM, text.encode() + b"\n")
    if not w.pending.size:
        return  # parsed anyway
    entry = w.entry(0)
    assert _matches(BUNDLED, entry) and fast.entry_decision(entry, CATALOG), host


@needs_walker
@pytest.mark.parametrize(
    ("url", "method"),
    [("chatgpt.com://example.org/x", "CONNECT"), ("error://chatgpt.com/", "CONNECT")],
)
def test_connect_to_a_url_takes_its_scheme_as_the_host(url: str, method: str) -> None:
    """Both names reach the prefilter and the entry alone never decides."""
    text = GOOD.replace("CONNECT chatgpt.com:443", f"{method} {url}")
    w = native.walk(PROGRAM, text.encode() + b"\n")
    if w.rows.size:  # "error" is not a host name: the parser sees the line
        assert w.rows[0, 3] == native.HOST
        return
    entry = w.entry(0)
    assert b". ." in entry
    assert fast.entry_decision(entry, CATALOG) is True


#: runs with their own first class, bounded (a minute, ``[0-5]`` then a digit; a day up to 31,
#: ``3`` then at most one of ``01``), or not (a name): the header dates of OPNsense's profile
BOUNDED = (
    Element("minute", DIGIT, 2, 2, first=chars("0-5")),
    Element("colon", chars(":")),
    Branch(
        (
            (Element("day_3", chars("01"), 1, 2, first=chars("3")),),
            (Element("day_12", DIGIT, 1, 2, first=chars("12")),),
        )
    ),
    Element("sp", chars(" ")),
    Element("name", chars("a-z0-9"), 1, None, first=chars("a-z")),
    Element("dash", chars("-")),
    Element("code", chars("0-9"), 3, 5, first=chars("1-9")),
)
BOUNDED_PROGRAM = native.compile_chain(BOUNDED, frozenset(), hosts=frozenset(), key_len=2)
BOUNDED_COMPLEMENT = compile_patterns(
    PatternSet((complement_pattern(BOUNDED, frozenset()),), (EXACT,), ("unusual",))
)


@needs_walker
@SETTINGS
@given(
    lines=st.lists(
        st.text("0123459:-a9z \r", max_size=16).map(lambda t: t.encode()), min_size=1, max_size=10
    )
    | st.lists(
        st.builds(
            "{:02d}:{} {}-{}".format,
            st.integers(0, 99),
            st.integers(0, 40),
            st.sampled_from(["a", "ab9", "9a", "a-b"]),
            st.integers(0, 999999),
        ).map(lambda t: t.encode()),
        min_size=1,
        max_size=10,
    )
)
def test_bounded_runs_after_a_first_class_are_the_complements(lines: list[bytes]) -> None:
    """A run with its own first class is as long as its bounds say, the first byte included:
    the walker (each instruction set) and the portable engine's complement agree line by line."""
    block = b"\n".join(lines) + b"\n"
    walks = [native.walk(BOUNDED_PROGRAM, block, None, simd) for simd in (0, 1, 2)]
    for w in walks[1:]:
        _assert_same(w, walks[0])
    unusual = {int(k) for k, *_, kind in walks[0].rows.tolist() if kind & native.UNUSUAL}
    ends: list[int] = []
    BOUNDED_COMPLEMENT.scan(block, match_event_handler=lambda _i, _f, to, _fl, _c: ends.append(to))
    nl = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    assert unusual == set(np.searchsorted(nl, np.asarray(ends, np.int64) - 1).tolist())
    usual = [ln for k, ln in enumerate(lines) if k not in unusual]
    assert all(_BOUNDED_RE.fullmatch(ln.rstrip(b"\r")) for ln in usual), usual


_BOUNDED_RE = re.compile(rb"[0-5][0-9]:(?:3[01]?|[12][0-9]?) [a-z][a-z0-9]*-[1-9][0-9]{2,4}")


@needs_walker
def test_long_and_odd_lines_take_the_scalar_walk() -> None:
    """Lines longer than the vector window, and the last bytes of a block, agree everywhere."""
    long_url = "https://chatgpt.com/" + "a" * 300
    lines = [
        GOOD.encode(),
        GOOD.replace("chatgpt.com:443", long_url).encode(),
        GOOD.replace("chatgpt.com:443", "x" * 260 + ".com:443").encode(),  # too long a host
        GOOD.encode() + b"\r",
        GOOD.encode() + b" free text after the fields",
        b"",
        GOOD.encode(),
    ]
    block = b"\n".join(lines) + b"\n"
    walks = _walks(block)
    for w in walks:
        _assert_same(w, walks[0])
    kinds = {int(k): int(kind) for k, _s, _e, kind in walks[0].rows.tolist()}
    assert kinds == {2: native.HOST, 5: native.UNUSUAL}


@needs_walker
@pytest.mark.parametrize("excess", [-1, 0, 1])
def test_a_line_longer_than_the_programs_limit_is_the_parsers(excess: int) -> None:
    """``Program.max_line`` (a reader's limit, :attr:`Profile.max_line`): a usual line of more
    bytes than that is for the parser, one of that many or fewer is counted, in every variant
    (without ``\r``: the line's bytes up to its newline)."""
    long = GOOD.replace("chatgpt.com:443", "https://chatgpt.com/" + "a" * 300)
    limit = len(long) - excess
    program = dataclasses.replace(PROGRAM, max_line=limit)
    block = (GOOD + "\n" + long + "\n").encode()
    walks = [native.walk(program, block, None, simd, generic) for simd, generic in VARIANTS]
    for w in walks:
        _assert_same(w, walks[0])
    assert walks[0].rows[:, 0].tolist() == ([1] if excess > 0 else [])
    assert [r[3] for r in walks[0].rows.tolist()] == ([native.UNUSUAL] if excess > 0 else [])


@needs_walker
def test_malformed_programs_and_blocks_are_refused() -> None:
    p = PROGRAM
    with pytest.raises(ValueError, match="newline"):
        native.walk(p, GOOD.encode())
    ops = np.frombuffer(p.ops, np.int32).copy()
    bad = [
        ops[:-2],  # no END
        np.concatenate([[9], ops[1:]]).astype(np.int32),  # unknown operation
        np.concatenate([[0, 99], ops[2:]]).astype(np.int32),  # a table that does not exist
    ]
    back = ops.copy()
    back[_first_jump(ops) + 1] = 0  # a jump backwards could loop forever
    bad.append(back)
    role = ops.copy()
    role[5] = native.LABELS + 1  # an element's role that does not exist
    bad.append(role)
    columns = ops.copy()
    columns[5] = native.COLUMNS | 3 << native.ROLE_BITS  # free columns of a set it lacks
    bad.append(columns)
    for b in bad:
        prog = native.Program(b.tobytes(), p.tables, p.reserved, p.key_len)
        with pytest.raises(ValueError, match="malformed program"):
            native.walk(prog, GOOD.encode() + b"\n")
    unknown_key = native.Program(
        p.ops, p.tables, p.reserved, p.key_len, local=max(native.NAIVE_FORMS.values()) + 1
    )
    with pytest.raises(ValueError, match="malformed program"):  # a key of no known form
        native.walk(unknown_key, GOOD.encode() + b"\n")
    newline_class = bytearray(p.tables)
    newline_class[10] = 1  # a class holding the newline would walk past the line
    with pytest.raises(ValueError, match="malformed program"):
        native.walk(native.Program(p.ops, bytes(newline_class), p.reserved, p.key_len), b"x\n")


def _hosts_block(prefix: str, n: int, repeat: int = 1) -> bytes:
    """``n * repeat`` usual lines naming hosts ``{prefix}{i}.example.org``, i < n, in turn."""
    lines = [
        GOOD.replace("chatgpt.com", f"{prefix}{i % n}.example.org").encode()
        for i in range(n * repeat)
    ]
    return b"\n".join(lines) + b"\n"


def _used(table: native.HostTable) -> int:
    return int.from_bytes(table.buffer[:8], "little")


@needs_walker
def test_the_host_table_remembers_entries_and_starts_again_when_half_full() -> None:
    block = _hosts_block("h", 5, 8)
    table = native.HostTable(16)
    first = native.walk(PROGRAM, block, table)
    assert len(first.slots) == 5 and len(first.pending) == 40 and not first.known.size
    assert [first.entry(i) for i in range(5)] == [b".h%d.example.org." % i for i in range(5)]
    states = np.array([native.NO, native.YES, native.YES, native.NO, native.YES], np.uint8)
    table.decide(first.slots[:, 0], states)
    again = native.walk(PROGRAM, block, table)
    assert not len(again.slots) and not again.pending.size
    assert again.known[:, 0].tolist() == [k for k in range(40) if k % 5 in (1, 2, 4)]
    assert again.known[:, 3].tolist() == [int(states[k % 5]) for k in again.known[:, 0]]
    native.walk(PROGRAM, _hosts_block("n", 8), table)  # now more than half full
    assert _used(table) == 12  # (three quarters of 16, less the count's slot: the 13th not kept)
    fresh = native.walk(PROGRAM, block, table)  # so it started again, keeping 4 (a quarter)
    assert len(fresh.slots) == 1 and len(fresh.pending) == 8  # of the 5 entries met again
    assert _used(table) == 5
    crowd = [GOOD.replace("chatgpt.com", f"c{i}.example.org").encode() for i in range(50)]
    full = native.walk(PROGRAM, b"\n".join(crowd) + b"\n", table)  # more entries than slots
    assert len(full.slots) == 50 and (full.slots[:, 0] == -1).sum() >= 50 - 11


@needs_walker
def test_a_half_full_table_keeps_the_decided_entries_met_again_since_it_started() -> None:
    """The frequent hosts stay known across a start (with their states), the hosts met once
    are forgotten, and so is a kept entry not met again before the next start."""
    hot, table = _hosts_block("h", 5, 3), native.HostTable(32)
    w = native.walk(PROGRAM, hot, table)
    states = np.array([native.NO, native.YES, native.NO, native.YES, native.NO], np.uint8)
    table.decide(w.slots[:, 0], states)
    native.walk(PROGRAM, hot, table)  # met again
    w = native.walk(PROGRAM, _hosts_block("n", 12), table)  # met once each
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    assert _used(table) == 17  # at least half of 32: the next walk starts it again
    w = native.walk(PROGRAM, _hosts_block("m", 12), table)
    assert len(w.slots) == 12  # the walk's own entries, all new
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    assert _used(table) == 5 + 12  # the five met again were kept, the n* forgotten
    w = native.walk(PROGRAM, _hosts_block("n", 12), table)  # starts again: the h* were not
    assert len(w.slots) == 12  # met since the last start, the m* never again: none kept
    assert _used(table) == 12
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    w = native.walk(PROGRAM, hot, table)
    assert len(w.slots) == 5  # forgotten


@needs_walker
def test_entries_kept_across_a_start_keep_their_states() -> None:
    hot, table = _hosts_block("h", 5, 3), native.HostTable(32)
    w = native.walk(PROGRAM, hot, table)
    states = np.array([native.NO, native.YES, native.NO, native.YES, native.NO], np.uint8)
    table.decide(w.slots[:, 0], states)
    native.walk(PROGRAM, hot, table)  # met again
    w = native.walk(PROGRAM, _hosts_block("n", 12), table)
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    kept = native.walk(PROGRAM, hot, table)  # starts again, keeping the h*
    assert not len(kept.slots) and not kept.pending.size
    assert kept.known[:, 0].tolist() == [k for k in range(15) if k % 5 in (1, 3)]
    assert _used(table) == 5


@needs_walker
def test_the_host_table_compares_exactly_an_entrys_bytes() -> None:
    """Two entries whose hashes agree are told apart by their bytes: the comparison reads the
    first n bytes, every one of them, and nothing after (each length up to 48, each byte)."""
    from sentinelle.scan import _lines

    base = bytes(range(65, 65 + 48))
    for n in range(49):
        assert _lines.key_eq(base, base, n)
        for i in range(48):
            other = base[:i] + bytes([base[i] ^ 0x20]) + base[i + 1 :]
            assert _lines.key_eq(base, other, n) is (i >= n), (n, i)
    with pytest.raises(ValueError):
        _lines.key_eq(base, base, 49)
    with pytest.raises(ValueError):
        _lines.key_eq(base[:47], base, 3)


@needs_walker
@SETTINGS
@given(st.binary(min_size=48, max_size=64), st.binary(min_size=48, max_size=64), st.data())
def test_the_host_tables_comparison_is_the_bytes_comparison(
    a: bytes, b: bytes, data: st.DataObject
) -> None:
    from sentinelle.scan import _lines

    n = data.draw(st.integers(0, 48))
    if data.draw(st.booleans()):  # mostly equal: a shared prefix of any length
        k = data.draw(st.integers(0, 48))
        b = a[:k] + b[k:]
    assert _lines.key_eq(a, b, n) is (a[:n] == b[:n])


@needs_walker
def test_reserved_words_of_any_length_are_not_host_names() -> None:
    long_word = b"r" + b"x" * 69
    prog = native.compile_chain(
        PROFILE.usual,
        PROFILE.tail,
        hosts=PROFILE.hosts,
        key_len=14,
        reserved=(b"error", long_word, b"ab"),
    )
    hosts = [b"error", long_word, b"ab", b"errors", long_word + b"x", b"abc"]
    lines = [GOOD.encode().replace(b"chatgpt.com", h) for h in hosts]
    w = native.walk(prog, b"\n".join(lines) + b"\n")
    assert {int(r[0]) for r in w.rows.tolist() if r[3] == native.HOST} == {0, 1, 2}
    assert sorted(w.pending[:, 0].tolist()) == [3, 4, 5]


def _first_jump(ops: np.ndarray) -> int:
    pc = 0
    while ops[pc] != native.JUMP:
        pc += {native.ELEM: 6, native.BRANCH: 4 + 2 * int(ops[pc + 1])}.get(int(ops[pc]), 2)
    return pc


def test_the_generated_header_is_current() -> None:
    header = Path(native.__file__).with_name("_lines_usual.h")
    assert header.read_text(encoding="utf-8") == gen_usual.generated(), (
        "run: python -m sentinelle.scan.gen_usual > src/sentinelle/scan/_lines_usual.h"
    )


@needs_walker
def test_a_garbage_laden_log_in_every_variant(tmp_path: Path) -> None:
    block = garbage_log(tmp_path / "g.log", 3000, seed=4, crlf=True).read_bytes()
    walks = _walks(block)
    for w in walks[1:]:
        _assert_same(w, walks[0])
    assert walks[0].lines == block.count(b"\n")
    unusual = {int(r[0]) for r in walks[0].rows.tolist() if r[3] & native.UNUSUAL}
    assert unusual == _complement_lines(block)


def test_separators_are_found_only_when_no_other_element_shares_their_class() -> None:
    from sentinelle.formats._structure import Branch, Element, chars

    sep, word, digits = chars(" "), chars("a-z"), chars("0-9")
    url = Branch(((Element("w", word, 1, None),), (Element("d", digits, 1, None),)))
    chain = (url, Element("s1", sep, 1, None), Element("x", word, 1, None))
    assert native._separators(chain) == sep
    # a field that may hold a space: its spaces would be taken for separators
    spaced = (*chain, Element("s2", sep, 1, None), Element("y", word | sep, 1, None))
    assert native._separators(spaced) is None
    # a separator of bounded length is an ordinary element, and then shares the class
    bounded = (*chain, Element("s2", sep, 1, 2), Element("y", word, 1, None))
    assert native._separators(bounded) is None


def _connects(hosts: range) -> bytes:
    return b"".join(
        b"1785536580.000 1 10.0.0.1 TCP_TUNNEL/200 1 CONNECT h%d.example.org:443 - - -\n" % i
        for i in hosts
    )


def test_a_full_host_table_keeps_no_more_entries_then_starts_again() -> None:
    """The walker keeps no more entries once the table is three quarters full; the next walk
    starts it again (a table kept from file to file goes on learning), keeping only the entries
    met again since they were kept: here none."""
    table = native.HostTable(8)
    program = fast.program(PROFILE)

    def used() -> int:
        return int.from_bytes(table.buffer[:8], "little")

    w = native.walk(program, _connects(range(2)), table)
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    assert used() == 2
    w = native.walk(program, _connects(range(2, 20)), table)
    table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
    assert used() == 7 - 7 // 4  # full: the last entries were not kept
    w = native.walk(program, _connects(range(2)), table)  # half full at the start: again
    assert len(w.slots) == 2 and (w.slots[:, 0] >= 0).all()  # new again, and kept
    assert used() == 2


@needs_walker
def test_a_marked_element_counts_the_usual_lines_that_pass_it() -> None:
    """``mark``: the usual lines through the marked element's branch are counted apart, in every
    variant; a line through it that is not usual after all is not; a mark needs its element."""
    chain = (
        Element("host", HOSTC, 1, None, first=chars("a-z")),
        Element("sp", chars(" ")),
        Branch(
            (
                (Element("q", chars("q")), Element("qs", chars("0-9"), 1, 3)),
                (Element("w", chars("w")),),
            )
        ),
    )
    prog = native.compile_chain(chain, frozenset(), hosts=frozenset({"host"}), key_len=1, mark="q")
    lines = [b"a.fr q1", b"b.fr w", b"c.fr q12", b"d.fr q1234", b"e.fr w", b"f.fr q"]
    _, w = walk_everywhere(prog, lines)
    assert w.rows[:, 0].tolist() == [3, 5] and w.marked == 2
    with pytest.raises(ValueError, match="no element 'z' to mark"):
        native.compile_chain(chain, frozenset(), hosts=frozenset({"host"}), key_len=1, mark="z")


# -- free pairs (native.FreePairs: FortiGate's traffic records) --------------------------------
_FREE_CHAIN = (
    Element("t", chars("t")),
    Element("sp", chars(" ")),
    Branch(
        (
            (
                Element("h", chars("h")),
                Element("hsp", chars(" ")),
                Element("host", HOSTC, 1, None, first=chars("a-z")),
            ),
            (
                Element("p", chars("p")),
                Element("psp", chars(" ")),
                Element("rest", frozenset(range(256)) - {10, 13}, 1, None),
            ),
        )
    ),
)
_FREE = FreePairs(
    "rest",
    frozenset({"date", "tz"}),
    frozenset({"sentbyte", "dstport"}),
    host="hostname",
    paths=frozenset({"url"}),
)
_FREE_PROGRAM = (
    native.compile_chain(
        _FREE_CHAIN, frozenset(), hosts=frozenset({"host"}), key_len=1, pairs=_FREE
    )
    if native.available()
    else None
)
# the model of free_pairs: a key of [a-z0-9_], a value quoted (no quote, backslash or control
# byte but the tab inside) or bare (printable ASCII but quotes and backslashes, maybe empty),
# one blank between pairs
_MODEL_PAIR = re.compile(rb'([a-z0-9_]+)=("[^"\\\x00-\x08\x0a-\x1f\x7f]*"|[!#-\[\]-~]*)')


def _model_free(text: bytes) -> str | None:
    """What the walker makes of a line whose rest is ``text``: "parser", "no host", or its host
    name (its host key's value, a host element's)."""
    at, pairs = 0, []
    while True:
        m = _MODEL_PAIR.match(text, at)
        if m is None:
            return "parser"
        pairs.append((m.group(1).decode(), m.group(2)))
        at = m.end()
        if at == len(text):
            break
        if text[at : at + 1] != b" " or at + 1 == len(text):
            return "parser"
        at += 1
    host = None
    for key, value in pairs:
        quoted = value.startswith(b'"')
        inner = value[1:-1] if quoted else value
        if key in _FREE.forbidden:
            return "parser"
        if key in _FREE.digits and not value.isdigit():
            return "parser"
        if key in _FREE.paths and inner and not inner.startswith(b"/"):
            return "parser"
        if key == _FREE.host:
            if not quoted or host is not None:
                return "parser"
            host = inner.decode()
    if host is None:
        return "no host"
    name = host.rstrip(".")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9._\-]*", host) or ".." in name or name.endswith("-"):
        return "parser"
    return host


_KEYS = st.sampled_from(
    [
        "srcip",
        "srcintf",
        "date",
        "tz",
        "hostname",
        "sentbyte",
        "dstport",
        "a",
        "app_cat",
        "x9",
        "Date",
        "dst-port",
        "datex",
        "url",
    ]
)
_VALUES = st.sampled_from(
    [
        '"lan"',
        '""',
        '"a b=c"',
        '"x\\"y"',
        "443",
        "",
        "12a",
        '"443"',
        "0",
        "1.5",
        "é",
        '"é"',
        '"\t"',
        "a=b",
        '"open',
        '"chat.example.fr"',
        '"Chat.FR."',
        '"a..b.fr"',
        '"x-.fr"',
        '"1a.fr"',
        '"a b.fr"',
        "/a?b",
        '"/a"',
        '"https://x.fr/"',
    ]
)


@st.composite
def _free_text(draw: st.DrawFn) -> bytes:
    pairs = draw(st.lists(st.tuples(_KEYS, _VALUES), min_size=1, max_size=5))
    text = " ".join(f"{k}={v}" for k, v in pairs)
    if draw(st.booleans()):  # an edit anywhere
        i = draw(st.integers(0, len(text)))
        text = (
            text[:i]
            + draw(st.sampled_from([" ", "  ", '"', "=", "\\", "\x01", "k", "\r"]))
            + text[i:]
        )
    return text.encode("utf-8")


@needs_walker
@SETTINGS
@given(texts=st.lists(_free_text(), min_size=1, max_size=8))
def test_free_pairs_are_usual_exactly_as_the_model_says(texts: list[bytes]) -> None:
    """A line whose rest is free pairs is usual exactly when the model says so (in every
    variant); usual, it is counted as an event without a host name, with no entry, or its host
    key's value is its entry."""
    assert _FREE_PROGRAM is not None
    lines = [b"t p " + t for t in texts] + [b"t h chat.example.fr"]
    _, w = walk_everywhere(_FREE_PROGRAM, lines)
    said = ["parser" if b"\r" in t.rstrip(b"\r") else _model_free(t.rstrip(b"\r")) for t in texts]
    unusual = w.rows[:, 0].tolist()
    assert [k for k in range(len(texts)) if k not in unusual] == [
        k for k, s in enumerate(said) if s != "parser"
    ]
    assert w.no_host == said.count("no host")
    hosts = [(k, s) for k, s in enumerate(said) if s not in ("parser", "no host")]
    hosts.append((len(texts), "chat.example.fr"))
    # (no host table: each line's entry is new)
    assert w.entries.decode().split("\n")[:-1] == [f".{h}." for _, h in hosts]
    assert w.pending[:, 0].tolist() == [k for k, _ in hosts]


@needs_walker
def test_free_pairs_rules() -> None:
    """The rules: a key kept out sends the line to the parser, so does a number that is not
    digits; the other keys and values pass; a line without the free pairs and without a host
    is still for the parser."""
    assert _FREE_PROGRAM is not None
    lines = [
        b't p srcip=10.0.0.1 srcintf="port 1" dstport=443 sentbyte=0 app=',
        b't p srcip=10.0.0.1 date="chat.example.fr"',
        b't p dstport="443"',
        b"t p sentbyte=",
        b't p tzz=1 datex=2 dates="x"',
        b"t p a=1  b=2",
        b"t p a=1 ",
        b't p a="x"b=2',
        b"t p a=1\r",
    ]
    _, w = walk_everywhere(_FREE_PROGRAM, lines)
    assert sorted(set(range(len(lines))) - set(w.rows[:, 0].tolist())) == [0, 4, 8]
    assert w.no_host == 3 and len(w.pending) == 0


@needs_walker
def test_free_pairs_host_and_path_rules() -> None:
    """The host key's quoted value, met once, is the line's host name when a host element would
    take it; a path key's value is empty or starts with '/'; anything else is for the parser."""
    assert _FREE_PROGRAM is not None
    lines = [
        b't p a=1 hostname="chat.example.fr" url="/c?q=1"',  # 0: its host
        b't p hostname="Chat.Example.FR." url=""',  # 1: its host (its trailing dot the entry's)
        b"t p url=/c url=",  # 2: no host
        b't p hostname="1chat.fr"',
        b't p hostname="chat example.fr"',
        b't p hostname="chat..fr"',
        b't p hostname="chat.fr-"',
        b't p hostname=""',
        b"t p hostname=chat.fr",
        b't p hostname="a.fr" hostname="a.fr"',
        b't p url="https://chat.example.fr/"',
        b"t p url=-",
    ]
    _, w = walk_everywhere(_FREE_PROGRAM, lines)
    assert sorted(set(range(len(lines))) - set(w.rows[:, 0].tolist())) == [0, 1, 2]
    assert w.no_host == 1 and w.pending[:, 0].tolist() == [0, 1]
    assert w.entries == b".chat.example.fr.\n.Chat.Example.FR..\n"


@needs_walker
def test_each_free_pairs_element_has_its_own_rules() -> None:
    """Two elements of free pairs in one chain (FortiGate's traffic and web records, and its
    DNS filter responses): each line is checked against its own element's rules, in every
    variant; the program refuses a PAIRS role whose set of rules it lacks, and more than four
    sets."""
    chain = (
        Element("t", chars("t")),
        Element("sp", chars(" ")),
        Branch(
            (
                (Element("p", chars("p")), Element("psp", chars(" ")), _rest("rest")),
                (Element("d", chars("d")), Element("dsp", chars(" ")), _rest("dns")),
            )
        ),
    )
    dns = FreePairs("dns", frozenset({"date"}), frozenset({"dstport"}), host="qname")
    prog = native.compile_chain(
        chain, frozenset(), hosts=frozenset(), key_len=1, pairs=(_FREE, dns)
    )
    lines = [
        b't p hostname="a.example.fr" qname="x"',  # 0: host a.example.fr
        b't d hostname="x" qname="b.example.fr" sentbyte=x',  # 1: host b.example.fr
        b"t p sentbyte=x",  # 2: the traffic rules: digits
        b't d url="https://x.fr/"',  # 3: no path rule here: no host
        b"t d tz=1",  # 4: tz is free here
        b"t d date=1",  # 5: not here
        b"t p tz=1",  # 6: nor there
    ]
    _, w = walk_everywhere(prog, lines)
    assert w.rows[:, 0].tolist() == [2, 5, 6]
    assert w.pending[:, 0].tolist() == [0, 1] and w.no_host == 2
    assert w.entries == b".a.example.fr.\n.b.example.fr.\n"
    one = native.compile_chain(chain, frozenset(), hosts=frozenset(), key_len=1, pairs=dns)
    many = FreePairs("dns", frozenset(f"k{i}" for i in range(33)))
    with pytest.raises(ValueError, match="more than 32 rules"):
        native.compile_chain(chain, frozenset(), hosts=frozenset(), key_len=1, pairs=many)
    with pytest.raises(ValueError, match="one after the other"):  # (else alternatives)
        native.compile_chain(
            chain, frozenset(), hosts=frozenset(), key_len=1, pairs=(dns, _FREE, dns)
        )
    with pytest.raises(ValueError, match="at most 4"):
        native.compile_chain(chain, frozenset(), hosts=frozenset(), key_len=1, pairs=(dns,) * 5)
    assert one.pairs == dns.rules()
    malformed = (dns.rules(), b"\0".join([dns.rules()] * 5), dns.rules() + b"\0x")
    for rules in (*malformed, _FREE.rules() + b"\0|\n" + dns.rules()):  # (no alternative)
        with pytest.raises(ValueError, match="malformed program"):
            native.walk(dataclasses.replace(prog, pairs=rules), b"t d a=1\n")


def _rest(name: str) -> Element:
    return Element(name, frozenset(range(256)) - {10, 13}, 1, None)


def test_free_pairs_need_their_element_and_well_formed_rules() -> None:
    with pytest.raises(ValueError, match="a key has two rules"):
        FreePairs("rest", frozenset({"url"}), paths=frozenset({"url"}))
    with pytest.raises(ValueError, match="a key has two rules"):
        FreePairs("rest", frozenset(), frozenset({"hostname"}), host="hostname")
    with pytest.raises(ValueError, match="not a key the walker reads"):
        FreePairs("rest", frozenset({"Date"}))
    assert _FREE.rules() == b"date\ntz\n#dstport\n#sentbyte\n/url\n@hostname\n"
    if native.available():  # keys of one bucket (first and last bytes, length) told apart
        assert _FREE_PROGRAM is not None
        rules = b"srcport\nsxxxxxt\n#sabcdet\n"
        prog = dataclasses.replace(_FREE_PROGRAM, pairs=rules)
        lines = [b"t p sxxxxxy=1 sabcdet=2", b"t p sxxxxxt=1", b"t p srcport=1", b"t p sabcdet=x"]
        _, w = walk_everywhere(prog, lines)
        assert w.rows[:, 0].tolist() == [1, 2, 3] and w.no_host == 1
    with pytest.raises(ValueError, match="no element 'z' for the free pairs"):
        native.compile_chain(
            _FREE_CHAIN,
            frozenset(),
            hosts=frozenset({"host"}),
            key_len=1,
            pairs=FreePairs("z", frozenset()),
        )
    if not native.available():
        return
    assert _FREE_PROGRAM is not None
    many = b"".join(f"k{i}\n".encode() for i in range(33))  # 32 rules a set at most
    for rules in (b"date", b"x" * 32 + b"\n", b"\n", b"#\n", b"@\n", b"/\n", many):
        prog = dataclasses.replace(_FREE_PROGRAM, pairs=rules)
        with pytest.raises(ValueError, match="malformed program"):
            native.walk(prog, b"t p a=1\n")


@needs_walker
def test_a_skipped_element_counts_lines_apart_without_their_times() -> None:
    """``skip``: the usual lines through the skipped element's branch are counted apart (the
    parser skips them), in every variant: in no array, their time keys unread (the line that
    starts with the smallest key is skipped, the earliest key is a host line's); a line through
    it that is not usual after all is not; a skip needs its element."""
    chain = (
        Branch(
            (
                (Element("host", HOSTC, 1, None, first=chars("a-z")),),
                (Element("s", chars("#")), Element("ss", chars("0-9"), 1, 3)),
            )
        ),
    )
    prog = native.compile_chain(chain, frozenset(), hosts=frozenset({"host"}), key_len=1, skip="s")
    lines = [b"b.fr", b"#12", b"c.fr", b"#1234", b"#7"]
    block, w = walk_everywhere(prog, lines)
    assert w.rows[:, 0].tolist() == [3] and w.skipped == 2
    assert w.pending[:, 0].tolist() == [0, 2] and w.no_host == 0 and w.marked == 0
    assert block[w.earliest : w.earliest + 1] == b"b" and block[w.latest : w.latest + 1] == b"c"
    with pytest.raises(ValueError, match="no element 'z' for the skipped lines"):
        native.compile_chain(chain, frozenset(), hosts=frozenset({"host"}), key_len=1, skip="z")
