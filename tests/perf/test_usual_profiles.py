"""Every format's usual line keeps the contract of ``formats/_usual.py``, checked on its parser.

For each format that declares ``usual``, on its simulated lines with random edits: a line the
prefilter leaves unflagged (not flagged as unusual, the portable engine's check) is an event
with a destination host name, that name is written in the line as is (so a catalog rule for it
flags the line as a candidate), and the line's time key reads as the parser's time; or, a line
the native walker counts as an event without a host name (a FortiGate traffic record, see
``native.FreePairs``), an event without one at that time; or, a line it counts as skipped (a
FortiGate DNS filter query, ``Profile.skip_element``), one the parser skips.  The native
walker's equivalence with the portable check is ``test_native_walker.py``'s business; that the
two engines store the same rows on every format's simulated hospital is ``test_engines_agree``'s.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import hyperscan
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.catalog import Catalog
from sentinelle.catalog.discovery import ai_marker
from sentinelle.catalog.model import DomainRule, Service
from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, _structure, get_format
from sentinelle.formats._structure import complement_pattern
from sentinelle.formats._time import LocalClock, build
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import Profile, datetime_traps, ip_traps
from sentinelle.inputs import decode
from sentinelle.scan import fast, native
from sentinelle.scan.prefilter import (
    CASELESS,
    EXACT,
    PatternSet,
    compile_patterns,
    host_pattern_set,
    marker_patterns,
    pattern_set,
)
from tests.perf import _checkpoint as checkpoint_shapes
from tests.perf import _fortigate as fortigate_shapes
from tests.perf import _paloalto as paloalto_shapes
from tests.perf import _windows_dns as windows_dns_shapes
from tests.perf import _zscaler as zscaler_shapes
from tests.perf._addresses import clients

PROFILED = sorted(fast.profiles())
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@cache
def _lines(name: str) -> tuple[bytes, ...]:
    """Lines of ``name``'s simulated hospital (its usual and unusual lines alike)."""
    import tempfile

    from sentinelle import simulate

    config = simulate.HospitalConfig(workstations=40, lines=1500, seed=13, garbage_share=0.01)
    with tempfile.TemporaryDirectory() as tmp:
        sim = simulate.simulate(Path(tmp) / "sim", config, formats=(name,))
        raw = b"".join(p.read_bytes() for p in sim.logs[name])
    rng = random.Random(5)
    lines = [ln.rstrip(b"\r") for ln in raw.split(b"\n") if ln]
    sample = tuple(rng.sample(lines, min(200, len(lines))))
    return sample + _relayed(name, sample[:30]) + OTHER_SHAPES.get(name, ())


#: headers a syslog server writes (or a device: ``<PRI>`` and its header), put before some
#: simulated records of the formats whose usual line allows them (``syslog_prefix`` in
#: ``formats/_usual.py``), the last with a tag (for the formats whose devices write one)
_HEADERS = (
    b"Aug  2 07:00:00 fw01 ",
    b"2026-08-02T07:00:10.123+02:00 10.0.0.1 ",
    b"<134>Aug 12 23:59:59 fw-01.chu.local ",
    b"Aug  2 07:00:00 fw01 asqd[12]: ",
)
_TAGGED = {"stormshield", "cef", "leef", "zscaler"}
_DEVICE_HEADER = re.compile(rb"^(?:<\d+>)?(?:1 \S+ \S+ \S+ - - - )?")


def _relayed(name: str, lines: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """``lines`` behind the :data:`_HEADERS` ``name``'s usual line allows: PAN-OS' without
    their ``<PRI>`` (as a syslog server writes them), those of ``syslog_prefix`` behind each
    header in turn; none for the other formats."""
    if name == "paloalto":
        return tuple(re.sub(rb"^<\d+>(?=[A-Z])", b"", ln) for ln in lines)
    if name not in ("fortigate", "sophos", "stormshield", "cef", "leef", "zscaler"):
        return ()
    headers = _HEADERS if name in _TAGGED else _HEADERS[:-1]
    return tuple(
        headers[k % len(headers)] + _DEVICE_HEADER.sub(b"", ln, count=1)
        for k, ln in enumerate(lines)
    )


#: usual layouts that the simulator does not write, mutated with its lines
OTHER_SHAPES = {
    "fortigate": (
        *fortigate_shapes.SHAPES,
        *fortigate_shapes.DNS_SHAPES,
        *fortigate_shapes.TRAFFIC_SHAPES,
        *fortigate_shapes.UTM_7_SHAPES,
        fortigate_shapes.dns_query_7(),
        fortigate_shapes.dns_response_7(),
    ),
    "paloalto": paloalto_shapes.SHAPES,
    "checkpoint": checkpoint_shapes.SHAPES,
    "zscaler": zscaler_shapes.SHAPES,
    "windows-dns": windows_dns_shapes.SHAPES,
}


def _profile(name: str) -> Profile:
    usual = get_format(name).usual
    assert usual is not None
    return usual


def _usual_lines(name: str) -> st.SearchStrategy[bytes]:
    """One of the format's simulated lines that the prefilter leaves unflagged, with a host
    (not counted as an event without one, nor as skipped)."""
    return st.sampled_from(
        [
            ln
            for ln in _lines(name)
            if _usual(name, ln) and not _no_host(name, ln) and not _skipped(name, ln)
        ]
    )


def walker_says(name: str, raw: bytes) -> str:
    """What the native walker makes of one line of ``name``: "parser", "skipped", "no host"
    (an event without a host name) or its host name (the edit tables of the formats read by
    free pairs or columns)."""
    w = _walked(name, raw)
    if w.rows.size:
        return "parser"
    if w.skipped:
        return "skipped"
    if w.no_host:
        return "no host"
    return w.entries.decode()[1:-2]


def _skipped(name: str, raw: bytes) -> bool:
    """The native walker counts ``raw`` as a line the parser skips."""
    return _profile(name).skip_element is not None and _walked(name, raw).skipped == 1


def _no_host(name: str, raw: bytes) -> bool:
    """The native walker counts ``raw`` as an event without a host name (its free pairs or
    columns)."""
    usual = _profile(name)
    free = usual.free_pairs is not None or usual.free_columns is not None
    return free and _walked(name, raw).no_host == 1


@cache
def _unusual_db(name: str) -> hyperscan.Database:
    return _traps_db(tuple(_profile(name).flags_unusual()))


def _traps_db(patterns: tuple[bytes, ...]) -> hyperscan.Database:
    n = len(patterns)
    return compile_patterns(PatternSet(patterns, (EXACT,) * n, ("x",) * n))


def _flagged(db: hyperscan.Database, raw: bytes) -> bool:
    hits: list[int] = []
    db.scan(raw + b"\n", match_event_handler=lambda *a: hits.append(1))
    return bool(hits)


def _usual(name: str, raw: bytes) -> bool:
    """Left unflagged by the portable engine: its patterns, and its check of long lines (a host
    name too long to be one, a line longer than the profile's ``max_line``).  A profile read by
    the native walker only (:attr:`Profile.native_only`): counted by it, without the parser."""
    usual = _profile(name)
    if usual.native_only:
        return _walked(name, raw).rows.size == 0
    ends = np.array([len(raw)], np.int64)
    long = fast._BlockScanner._long_hosts(raw + b"\n", ends, usual.max_line)
    return not _flagged(_unusual_db(name), raw) and not long.size


_PIECES = [" ", "  ", "\t", "\r", ".", ":", "/", "-", "_", '"', "<", ">", "=", ",", "{", "}"]
_PIECES += ["x", "X", "0", "9", "256", "00", "::1", "é", "\u00a0", "\x1c", "\x00", "@", "?"]


@st.composite
def mutated(draw: st.DrawFn, name: str, lines: tuple[bytes, ...] = ()) -> bytes:
    """One of the format's lines (or of ``lines``) with a few random edits, as raw bytes."""
    line = decode(draw(st.sampled_from(lines or _lines(name))))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(line)))
        cut = draw(st.integers(0, 3))
        line = line[:i] + draw(st.sampled_from(_PIECES)) + line[i + cut :]
    return line.encode("utf-8").replace(b"\n", b"")


def edited(name: str, lines: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """One of ``lines`` with a few random edits, or one of its fields replaced."""
    return st.one_of(mutated(name, lines), field_mutated(name, lines))


_FIELD = st.text('ABCXZ019_-.:/"<>=,{}[]abcxz@\\', min_size=0, max_size=12)


@st.composite
def field_mutated(draw: st.DrawFn, name: str, lines: tuple[bytes, ...] = ()) -> bytes:
    """One of the format's lines (or of ``lines``) with one of its space-separated fields
    replaced at random."""
    fields = decode(draw(st.sampled_from(lines or _lines(name)))).split(" ")
    i = draw(st.integers(0, min(len(fields), 14) - 1))
    fields[i] = draw(_FIELD) if draw(st.booleans()) else fields[i] + draw(_FIELD)
    return " ".join(fields).encode("utf-8")


def _walked(name: str, raw: bytes) -> native.Walked:
    if not native.available():
        pytest.skip("this profile is read by the native walker only (not built)")
    return native.walk(_program(name), raw + b"\n")


@cache
def _program(name: str) -> native.Program:
    return fast.program(_profile(name))


def _key(name: str, raw: bytes) -> bytes:
    """What ``key_time`` reads of a usual line: its key, then its UTC offset (the walker's, and
    where the walker finds the key when it moves along the line)."""
    usual = _profile(name)
    if not usual.native_only:
        return raw[usual.key_at : usual.key_at + usual.key_len]
    w = _walked(name, raw)
    assert w.earliest >= 0 and w.earliest == w.latest, raw
    key = raw[w.earliest : w.earliest + usual.key_len]
    if usual.zone is None and usual.free_columns is None:
        return key
    assert w.zone is not None, raw
    return key + w.zone


def _key_utc(name: str, raw: bytes) -> datetime:
    """The time of a usual line's key, as the parser reads it: a naive key (local without an
    offset) by a clock in the parser's time zone, of a file that starts with the line."""
    usual = _profile(name)
    moment = usual.key_time(_key(name, raw))
    if usual.naive_key is None:
        return moment
    if usual.naive_key == "syslog":  # (no year: the file's, as the scanner gives it)
        moment = moment.replace(year=_YEAR)
    return LocalClock(ParseContext(path="t.log").tz).to_utc(moment)


#: the year of the files the parsers read here (a leap year: a syslog date of 29 February is
#: one, as the walker takes it)
_YEAR = 2028


def _event(name: str, raw: bytes) -> object:
    """The parser's event of ``raw`` (after the directive of the format's typical layout, for a
    format whose columns a directive names: its usual line is that layout's)."""
    fmt = get_format(name)
    parser = fmt.new_parser(ParseContext(path="t.log", year=_YEAR))
    if fmt.layouts is not None and fmt.layouts.typical != fmt.layouts.initial:
        assert parser.parse(fmt.layouts.directive(fmt.layouts.typical)) is None
    return parser.parse(decode(raw))


@pytest.mark.parametrize("name", PROFILED)
def test_a_profile_says_what_a_usual_line_is(name: str) -> None:
    usual = _profile(name)
    assert usual.about.endswith(".")
    assert usual.key_len > 0 and (usual.fields is not None or usual.values is None)


@pytest.mark.parametrize("name", PROFILED)
def test_the_simulated_lines_are_mostly_usual(name: str) -> None:
    """The profile fits the format's usual output (else it would speed nothing up).  (Not all:
    the small hospital's IPv6 workstations are busy, and their lines are parsed.)"""
    lines = _lines(name)
    assert sum(_usual(name, ln) for ln in lines) >= 0.6 * len(lines)


@pytest.mark.parametrize("name", PROFILED)
@SETTINGS
@given(data=st.data())
def test_an_unflagged_line_is_an_event_with_its_host_written_in_it(
    name: str, data: st.DataObject
) -> None:
    _check_unflagged(name, data.draw(st.one_of(mutated(name), field_mutated(name))))


@pytest.mark.parametrize("name", sorted(OTHER_SHAPES))
@SETTINGS
@given(data=st.data())
def test_an_unflagged_line_of_a_shape_not_simulated_is_an_event_with_its_host_written_in_it(
    name: str, data: st.DataObject
) -> None:
    shapes = OTHER_SHAPES[name]
    _check_unflagged(name, data.draw(st.one_of(mutated(name, shapes), field_mutated(name, shapes))))


#: digit runs that no count can be: beyond 64 bits, beyond what int() reads (4,300 digits), and
#: a small number behind leading zeros
_LONG_NUMBERS = (b"9" * 20, b"1" * 4400, b"0" * 30 + b"7")


@pytest.mark.parametrize("name", PROFILED)
def test_a_usual_line_with_a_number_of_any_length_keeps_the_contract(name: str) -> None:
    """Each run of digits of a few usual lines replaced by one that no count can be: the
    lines the walker still counts are the parser's events, with their hosts, at their keys'
    times (a byte count beyond 64 bits reads as none: it is no count, and the store could not
    keep it; the engines store the same, ``test_engines_agree``)."""
    lines = [ln for ln in _lines(name) if _usual(name, ln)][:3]
    assert lines
    for raw in lines:
        for m in re.finditer(rb"[0-9]+", raw):
            for digits in _LONG_NUMBERS:
                _check_unflagged(name, raw[: m.start()] + digits + raw[m.end() :])


def _check_unflagged(name: str, raw: bytes) -> None:
    """The contract on ``raw``: unflagged, it is an event with a host written in it, at the
    time of its key."""
    if not _usual(name, raw):
        return
    usual = _profile(name)
    try:
        event = _event(name, raw)
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    if _skipped(name, raw):
        assert event is None, raw  # counted as skipped: the parser skips it too
        return
    assert event is not None, raw
    host = event.destination_domain  # type: ignore[attr-defined]
    marked = usual.dns_element is not None and _walked(name, raw).marked == 1
    assert (event.network_protocol == "dns") == (usual.dns or marked), raw  # type: ignore[attr-defined]
    if _no_host(name, raw):  # counted as an event without a host name, at its key's time
        assert host is None, raw
        assert _key_utc(name, raw) == event.timestamp, raw  # type: ignore[attr-defined]
        return
    assert host is not None, raw
    if not usual.labels:  # (a name of length-prefixed labels is written decoded in its entry)
        assert host.lower().rstrip(".") in raw.decode("utf-8", "replace").lower(), raw
    assert _key_utc(name, raw) == event.timestamp, raw  # type: ignore[attr-defined]
    if usual.native_only:  # the walker's host entry names the parser's host (with the others
        # the line holds, when its host can be in several elements: ".a. .b.")
        entry = _walked(name, raw).entries.decode("utf-8", "replace")
        names = [n.lower().rstrip(".") for n in entry.rstrip("\n")[1:-1].split(". .")]
        assert host.lower().rstrip(".") in names, (raw, entry)


@pytest.mark.parametrize("name", PROFILED)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_rule_for_the_host_of_a_usual_line_makes_it_a_candidate(
    name: str, data: st.DataObject
) -> None:
    raw = data.draw(_usual_lines(name))
    host = _event(name, raw).destination_domain.lower().rstrip(".")  # type: ignore[union-attr]
    labels = host.split(".")
    cut = data.draw(st.integers(0, max(0, len(labels) - 2)))
    rule = DomainRule(".".join(labels[cut:]), data.draw(st.sampled_from(["suffix", "exact"])))
    if rule.match == "exact" and cut:
        return
    catalog = Catalog([Service("svc", "Svc", "V", "FR", "assistant", True, domains=(rule,))])
    usual = _profile(name)
    ps = pattern_set(catalog, [], usual.host_start, usual.host_end)
    text = raw + b"\n"
    if usual.labels:  # the walker's prefilter runs on the decoded name, its entry
        ps, text = host_pattern_set(catalog), _walked(name, raw).entries
    hits: list[int] = []
    compile_patterns(ps).scan(text, match_event_handler=lambda *a: hits.append(1))
    assert hits, (rule, raw)


# -- the address traps, alone (bind's clients, before "#"; the WSA's, before a blank) -----------
_IPS = {end: _traps_db(ip_traps(rb"^x ", end)) for end in (rb"#", rb"[ \t]")}


@settings(max_examples=4000, deadline=None)
@given(text=clients(), end=st.sampled_from([(rb"#", b"#53 y"), (rb"[ \t]", b"\t200 y")]))
@example(text="::0.0.0.0", end=(rb"#", b"#53 y"))  # an address: "::" (a fresh clone's draw)
@example(text="::ffff:10.1.2.3", end=(rb"[ \t]", b"\t200 y"))
def test_ip_traps_flag_exactly_what_is_not_an_address(text: str, end: tuple[bytes, bytes]) -> None:
    """Flagged: what is no address, and the IPv4-in-IPv6 forms (a dot and a colon), which the
    traps flag whatever they are as logs seldom write them (the parser reads them)."""
    flagged = _flagged(_IPS[end[0]], b"x " + text.encode() + end[1])
    mixed = "." in text and ":" in text
    assert flagged == (canonical_ip(text) is None or mixed), text


def test_ip_traps_on_common_clients() -> None:
    good = ["10.16.0.126", "0.0.0.0", "255.255.255.255", "::", "::1", "1::", "2001:db8:5e::a1"]
    good += ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3::5:6:7:8"]
    bad = ["1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4a", "::ffff:1.2.3.4", "1:2"]
    bad += ["1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1::", "1::2:", "12345::", "a", "123"]
    bad += ["1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3::4:5:6:7:8", "1:2:3:4:5:6:7"]
    db = _IPS[rb"#"]
    assert [t for t in good if _flagged(db, b"x " + t.encode() + b"#53 y")] == []
    assert [t for t in bad if not _flagged(db, b"x " + t.encode() + b"#53 y")] == []


_WORDS = st.sampled_from(["gpt", "chat", "ai", "llm", "copilot", "mistral", "notes", "cdn", "x1"])


@pytest.mark.parametrize("name", PROFILED)
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_host_the_discovery_would_note_makes_its_line_a_candidate(
    name: str, data: st.DataObject
) -> None:
    """The discovery's markers on any host put in a usual line in place of its own."""
    raw = data.draw(_usual_lines(name))
    old = _event(name, raw).destination_domain.rstrip(".")  # type: ignore[union-attr]
    labels = data.draw(st.lists(st.lists(_WORDS, min_size=1, max_size=3), min_size=2, max_size=4))
    seps = data.draw(st.sampled_from(["-", "", "_", "0"]))
    host = ".".join(seps.join(label) for label in labels)
    usual = _profile(name)
    # (as the line writes it, in any case: a PAN-OS SNI of capitals and a trailing dot)
    line = re.sub(re.escape(_written(usual, old)), _written(usual, host), raw, flags=re.I)
    assert line != raw or host == old, (raw, old)
    if not _usual(name, line) or ai_marker(host) is None:
        return
    hits: list[int] = []
    db, text = _markers(usual.host_start, usual.host_end), line + b"\n"
    if usual.labels:  # the walker's prefilter runs on the decoded name, its entry
        db, text = _markers(), _walked(name, line).entries
    db.scan(text, match_event_handler=lambda *a: hits.append(1))
    assert hits, (host, line)


def _written(usual: Profile, host: str) -> bytes:
    """``host`` as a usual line writes it: as is, or as length-prefixed labels."""
    if not usual.labels:
        return host.encode()
    return b"".join(b"(%d)%s" % (len(label), label.encode()) for label in host.split(".")) + b"(0)"


@cache
def _markers(start: bytes | None = None, end: bytes | None = None) -> hyperscan.Database:
    """The discovery's markers between ``start`` and ``end`` bytes (none: in a host entry)."""
    pats = marker_patterns() if start is None or end is None else marker_patterns(start, end)
    return compile_patterns(PatternSet(tuple(pats), (CASELESS,) * len(pats), ("c",) * len(pats)))


# -- the date traps, alone ---------------------------------------------------------------------
_DATES = _traps_db(datetime_traps(rb"^x "))


@settings(max_examples=3000, deadline=None)
@given(
    year=st.one_of(st.integers(0, 9999), st.sampled_from([1900, 2000, 2024, 2100, 2400])),
    month=st.integers(0, 99),
    day=st.one_of(st.integers(0, 99), st.integers(28, 31)),
    hms=st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
)
def test_date_traps_flag_exactly_the_times_the_parser_refuses(
    year: int, month: int, day: int, hms: tuple[int, int, int]
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d} {hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d}"
    try:
        build(year, month, day, *hms)
        valid = True
    except MalformedLine:
        valid = False
    assert _flagged(_DATES, b"x " + text.encode() + b" y") == (not valid), text


# -- a branch whose alternatives end alike is written once ---------------------------------------
@pytest.mark.parametrize("name", PROFILED)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_short_complement_flags_what_the_expanded_one_flags(
    name: str, data: st.DataObject
) -> None:
    if _profile(name).native_only:
        pytest.skip("read by the native walker only: its complement is never compiled")
    raw = data.draw(st.one_of(mutated(name), field_mutated(name)))
    assert _flagged(_complement(name, True), raw) == _flagged(_complement(name, False), raw), raw


@cache
def _complement(name: str, factor: bool) -> hyperscan.Database:
    usual = _profile(name)
    with pytest.MonkeyPatch.context() as mp:
        if not factor:
            mp.setattr(_structure, "_common_end", lambda b: None)
        pattern = complement_pattern(usual.usual, usual.tail)
    return compile_patterns(PatternSet((pattern,), (EXACT,), ("x",)))


# -- a line decided once per method and URL: the profile's fields are those ------------------
@pytest.mark.parametrize("name", [n for n in PROFILED if _profile(n).fields is not None])
def test_the_fields_of_a_profile_are_the_method_and_url_the_parser_reads(name: str) -> None:
    """A usual line whose host may match is decided once per (method, URL) read at the
    profile's ``fields`` (``_BlockScanner._mattering``): they are the method the parser reads,
    and a URL whose host is the event's, on every usual line (syslog headers before the WSA's,
    counted from its ``record_start``)."""
    profile = _profile(name)
    assert profile.fields is not None
    method, url = profile.fields
    lines = [ln for ln in _lines(name) if _usual(name, ln)]
    if name == "cisco-wsa":  # its records as a syslog server writes them, too
        lines += [b"Aug  1 22:00:10 h1234567890.123 accesslogs: Info: " + ln for ln in lines]
    assert len(lines) > 100
    for raw in lines:
        start = profile.record_start
        m = start.search(raw) if start is not None else None
        record = raw[m.start() :] if m is not None else raw
        words = re.split(rb"[ \t]+", record)
        event: Any = _event(name, raw)
        assert words[method].decode().upper() in (event.http_request_method, "TCP_CONNECT"), raw
        host = event.destination_domain
        assert host is not None and host.encode() in words[url].lower(), raw


@pytest.mark.parametrize("name", PROFILED)
def test_a_usual_line_made_very_long_is_still_one_the_parser_takes(name: str) -> None:
    """Readers have limits (csv refuses fields over 131,072 characters): a line whose text is
    that long is flagged, or its parser takes it."""
    raw = next(ln for ln in _lines(name) if _usual(name, ln))
    for at in range(20, len(raw), max(1, len(raw) // 8)):  # (a space: not a host name's run)
        if not raw[at : at + 1].isalpha():
            continue
        line = raw[:at] + (raw[at : at + 1] + b" ") * 70_000 + raw[at:]
        if _usual(name, line):
            assert _event(name, line) is not None, (name, at)


def test_long_runs_of_host_bytes_and_long_lines_are_found_line_by_line() -> None:
    lines = [b"a" * 253 + b" x", b"b" * 254, b"ok", b"c " * 200 + b"-" * 300, b"d" * 600, b"e"]
    block = b"\n".join(lines) + b"\n"
    nl = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    assert fast._BlockScanner._long_hosts(block, nl).tolist() == [1, 3, 4]
    assert fast._BlockScanner._long_hosts(block, nl, 300).tolist() == [1, 3, 4]
    assert fast._BlockScanner._long_hosts(block, nl, 255).tolist() == [1, 3, 4]
    assert fast._BlockScanner._long_hosts(block, nl, 253).tolist() == [0, 1, 3, 4]


def test_umbrella_dns_records_of_10_to_14_columns_are_usual() -> None:
    """Records of 10 to 14 columns; 15 and 16 (the parser's limit) are parsed."""
    first = (
        '"2026-08-01 08:23:00","jdupont","jdupont,CHU","10.20.3.14","192.0.2.10","Allowed",'
        '"1 (A)","NOERROR","chatgpt.com.","Generative AI"'
    )
    for columns in range(10, 17):
        line = (first + ',"AD Users"' * (columns - 10)).encode()
        assert _usual("cisco-umbrella-dns", line) == (columns <= 14), columns
        assert _event("cisco-umbrella-dns", line) is not None
    assert not _usual("cisco-umbrella-dns", first.encode()[: first.rindex(",")])  # 9 columns


@pytest.mark.parametrize("size", [b"34654", b"-", b"-34654", b"1-2", b"--", b"12-"])
def test_squid_combined_size_is_usual_only_as_its_parser_reads_it(size: bytes) -> None:
    """``%<st`` is digits or one ``-`` (the parser's ``\\d++|-``); the profile once took any
    run of digits and dashes, so ``-34654`` was counted without the parser, which rejects it
    (found by the random edits above)."""
    raw = (
        b'10.16.8.2 - tschmitt [26/Aug/2026:16:03:41 +0200] "CONNECT www.uptodate.com:443 '
        b'HTTP/1.1" 200 ' + size + b' "-" "Mozilla/5.0" TCP_TUNNEL:HIER_DIRECT'
    )
    try:
        accepted = _event("squid-combined", raw) is not None
    except MalformedLine:
        accepted = False
    assert accepted == (size in (b"34654", b"-"))
    assert _usual("squid-combined", raw) == accepted
