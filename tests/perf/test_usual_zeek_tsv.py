"""Zeek's TSV files on the native walker: each header (``#separator``, ``#unset_field``,
``#empty_field``, ``#path``, ``#fields``) sets a layout, whose usual line ``tsv_usual`` builds
for ssl.log, http.log and dns.log (``formats/zeek.py``).

A line the walker counts is the parser's event, read after that header, with the walk's host
name at its key's time (``check_layout_line``); any other line is the parser's.  (Both engines
store the same rows on files of the four logs, headers changing mid-file:
``test_engines_agree``.)
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.formats import ParseContext, get_format
from sentinelle.formats.zeek import (
    JSON,
    LAYOUTS,
    TSV,
    USUAL,
    directive,
    kind_of,
    layout_of,
    tsv_usual,
)
from sentinelle.scan import fast
from tests.perf._walks import check_layout_line, needs_walker, walk_everywhere
from tests.perf.test_usual_profiles import mutated

ZEEK = get_format("zeek")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _words(text: str) -> list[str]:
    return text.split(" ")


#: the columns of Zeek 6's default ssl.log, http.log and dns.log
FIELDS = {
    "ssl": _words(
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p version cipher curve server_name "
        "resumed last_alert next_protocol established ssl_history cert_chain_fps "
        "client_cert_chain_fps sni_matches_cert"
    ),
    "http": _words(
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host uri referrer "
        "version user_agent origin request_body_len response_body_len status_code status_msg "
        "info_code info_msg tags username password proxied orig_fuids orig_filenames "
        "orig_mime_types resp_fuids resp_filenames resp_mime_types"
    ),
    "dns": _words(
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass "
        "qclass_name qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected"
    ),
    "conn": _words(
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes "
        "resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts "
        "orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents"
    ),
    "files": _words(
        "ts fuid uid id.orig_h id.orig_p id.resp_h id.resp_p source depth analyzers mime_type "
        "filename duration local_orig is_orig seen_bytes total_bytes missing_bytes "
        "overflow_bytes timedout parent_fuid"
    ),
}
#: a record of each log, column by column
VALUES = {
    "ssl": _words(
        "1785524419.033100 CAcJw21BbVedgFnYH3 10.17.8.55 63961 104.18.32.47 443 TLSv13 "
        "TLS_AES_128_GCM_SHA256 x25519 chatgpt.com F - h2 T CsiI a1b2,c3d4 (empty) T"
    ),
    "http": _words(
        "1785524420.500000 CHhAvVGS1DHFjwGM9 10.17.8.55 63962 104.18.32.47 80 1 GET "
        "chatgpt.com /api/auth/session?x=1 - 1.1 Mozilla/5.0\\x20(X11) - 0 1532 200 OK - - "
        "(empty) - - - - - - FzA1b2 - text/html"
    ),
    "dns": _words(
        "1785524421.250000 CbVLHk2gH3bPkVgmQ4 10.17.8.55 53211 10.16.0.53 53 udp 4242 "
        "0.012300 chatgpt.com 1 C_INTERNET 1 A 0 NOERROR F F T T 0 104.18.32.47 60.000000 F"
    ),
    "conn": _words(
        "1785524422.750000 CHx1bGqL5QQGxRj3f5 10.17.8.55 63963 104.18.32.47 443 tcp ssl "
        "1.203000 1532 48211 SF - - 0 ShADadFf 20 2580 38 50223 (empty)"
    ),
    "files": _words(
        "1785524423.125000 FzA1b2 CHhAvVGS1DHFjwGM9 10.17.8.55 63962 104.18.32.47 80 HTTP 0 "
        "(empty) text/html - 0.000100 - F 1532 1532 0 0 F -"
    ),
}


def layout(kind: str, fields: list[str] | None = None, path: str | None = None) -> tuple[str, ...]:
    """The layout of ``kind``'s header (its ``#path`` ``path``, by default ``kind``), as the
    parser reads it: the log its ``#path`` names, else the one its fields tell (``kind_of``)."""
    fields = fields or FIELDS[kind]
    path = kind if path is None else path
    known = path if path in ("dns", "ssl", "http", "conn") else kind_of(fields) or ""
    return (TSV, "\t", "-", "(empty)", known, *fields)


def record(kind: str, **changes: str) -> str:
    """The record of ``kind`` with columns changed."""
    values = dict(zip(FIELDS[kind], VALUES[kind], strict=True))
    assert set(changes) <= set(values)
    values.update(changes)
    return "\t".join(values.values())


def _parser(kind: str) -> object:
    parser = ZEEK.new_parser(ParseContext(path=f"{kind}.log"))
    for header in directive(layout(kind)).split("\n"):
        assert parser.parse(header) is None  # type: ignore[attr-defined]
    return parser


def _walked(kind: str, raw: bytes) -> bool:
    usual = tsv_usual(layout(kind))
    assert usual is not None
    _, w = walk_everywhere(fast.program(usual), [raw])
    return w.rows.size == 0


def _check(kind: str, raw: bytes) -> None:
    usual = tsv_usual(layout(kind))
    assert usual is not None and LAYOUTS is not None
    check_layout_line(usual, LAYOUTS, _parser(kind), raw)


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_the_default_logs_have_a_usual_line(kind: str) -> None:
    usual = tsv_usual(layout(kind))
    assert usual is not None and usual.in_order and usual.native_only and usual.walked
    assert (usual.dns_element is not None) == (kind == "dns") and usual.about.endswith(".")
    assert tsv_usual(layout(kind)) == usual  # (remembered, or built again equal)
    assert LAYOUTS.usual_for(layout(kind)) == usual


def test_json_records_are_the_formats_usual_line() -> None:
    assert LAYOUTS.initial == LAYOUTS.typical == JSON
    assert ZEEK.usual is USUAL and LAYOUTS.usual_for(JSON) is USUAL
    assert directive(JSON) == ""


@pytest.mark.parametrize(
    "name, other",
    [
        ("conn.log without ts first", layout("conn", ["uid", "ts", "id.orig_h"])),
        ("a comma", (TSV, ",", "-", "(empty)", "ssl", *FIELDS["ssl"])),
        ("another unset", (TSV, "\t", "NA", "(empty)", "ssl", *FIELDS["ssl"])),
        ("another empty", (TSV, "\t", "-", "", "ssl", *FIELDS["ssl"])),
        ("ts second", layout("ssl", ["uid", "ts", *FIELDS["ssl"][2:]])),
        ("no client", layout("ssl", [f for f in FIELDS["ssl"] if f != "id.orig_h"])),
        ("no host", layout("dns", [f for f in FIELDS["dns"] if f != "query"])),
        ("a column twice", layout("http", [*FIELDS["http"], "uri"])),
        ("no fields yet", (TSV, "\t", "-", "(empty)", "")),
        ("files.log, a comma", (TSV, ",", "-", "(empty)", "", "ts", "fuid")),
    ],
)
def test_other_layouts_have_none(name: str, other: tuple[str, ...]) -> None:
    assert tsv_usual(other) is None, name


def test_a_header_sets_the_layout_as_the_parser_reads_it() -> None:
    """Each header line's layout, asked before the parser reads it and after, is the one of
    the header read so far with the line; the ``#path`` read before ``#fields`` names the log
    (a files.log has none); the other lines set none."""
    parser = ZEEK.new_parser(ParseContext(path="x.log"))
    lines = [*directive(layout("dns")).split("\n"), "#open\t2026-08-01-00-00-00", "#types\ttime"]
    seen = []
    for line in lines:
        before = parser.layout_of(LAYOUTS, line)
        assert parser.parse(line) is None
        assert parser.layout_of(LAYOUTS, line) == before
        seen.append(before)
    assert seen[-3] == layout("dns") and seen[-2:] == [None, None]
    assert seen[0] == (TSV, "\t", "-", "(empty)", "")  # (#separator: no fields yet)
    assert parser.layout_of(LAYOUTS, "#path\tfiles") == layout("dns")  # (until #fields)
    files = "#fields\t" + "\t".join(["ts", "fuid", "id.orig_h", "source", "missing_bytes"])
    assert parser.parse("#path\tfiles") is None and parser.parse(files) is None
    assert parser.layout_of(LAYOUTS, files) == (*layout("dns")[:4], "", *files.split("\t")[1:])
    assert parser.layout_of(LAYOUTS, record("dns")) is None
    # without a parser's header: Zeek's defaults, the log told by the fields
    assert layout_of("#fields\t" + "\t".join(FIELDS["http"])) == layout("http")
    assert layout_of("#separator \\x2c") == (TSV, ",", "-", "(empty)", "")


@needs_walker
@pytest.mark.parametrize(
    "kind, changes, usual",
    [
        ("ssl", {}, True),
        ("http", {}, True),
        ("dns", {}, True),
        ("ssl", {"server_name": "-"}, False),  # no SNI: the parser's (an event without a host)
        ("ssl", {"server_name": "claude.ai:443"}, False),
        ("ssl", {"server_name": "192.0.2.99"}, False),
        ("ssl", {"server_name": "Chat.OpenAI.com."}, True),
        ("ssl", {"server_name": "chat\\x2eopenai.com"}, False),  # an escape: unescaped
        ("ssl", {"id.orig_h": "2001:db8::1"}, True),
        ("ssl", {"id.orig_h": "10.1.2.300"}, False),
        ("ssl", {"id.orig_h": "-"}, False),
        ("ssl", {"id.resp_p": "-"}, True),
        ("ssl", {"id.resp_p": "44x"}, False),
        ("ssl", {"version": ""}, False),  # an empty column: Zeek writes (empty)
        ("ssl", {"version": "(empty)"}, True),
        ("ssl", {"ts": "1785524419.0331"}, False),
        ("ssl", {"ts": "2026-08-01T00:00:00.000000Z"}, False),
        ("http", {"uri": "http://chatgpt.com/x"}, False),  # may name a host: the parser's
        ("http", {"uri": "-"}, True),
        ("http", {"uri": "/r?u=http://claude.ai:443/"}, True),  # (a path: no host read)
        ("http", {"uri": "*"}, False),
        ("http", {"status_code": "-"}, True),
        ("http", {"status_code": "20x"}, False),
        ("http", {"request_body_len": "-1"}, False),
        ("http", {"host": "-"}, False),
        ("http", {"username": "jdupont"}, True),
        ("http", {"user_agent": "Mozilla/5.0 é"}, True),
        ("dns", {"query": "4.3.2.1.in-addr.arpa"}, False),
        ("dns", {"query": "_ldap._tcp.example.fr"}, False),
        ("dns", {"query": "-"}, False),
        ("dns", {"trans_id": "-"}, True),  # (not read by the parser)
        ("conn", {}, True),  # an event without a host
        ("conn", {"orig_bytes": "-", "service": "-"}, True),
        ("conn", {"resp_bytes": "48k"}, False),
        ("conn", {"id.orig_h": "-"}, False),
        ("conn", {"ts": "1785524422.75"}, False),
        ("files", {}, True),  # skipped: no destination
        ("files", {"ts": "-", "fuid": "x y"}, False),  # (any text, but the first column's)
        ("files", {"fuid": ""}, False),  # an empty column: the parser's (which skips it)
        ("files", {"ts": "{}"}, False),  # a JSON record's start
    ],
)
def test_records(kind: str, changes: dict[str, str], usual: bool) -> None:
    raw = record(kind, **changes).encode()
    assert _walked(kind, raw) == usual, raw
    _check(kind, raw)
    if usual:  # a dns.log record is a DNS query (counted apart: the walk marks it)
        profile = tsv_usual(layout(kind))
        assert profile is not None
        _, w = walk_everywhere(fast.program(profile), [raw])
        assert w.marked == (kind == "dns")


@needs_walker
def test_a_record_with_a_column_more_or_less_is_the_parsers() -> None:
    for kind in FIELDS:
        raw = record(kind)
        assert not _walked(kind, (raw + "\tmore").encode())
        assert not _walked(kind, raw.rsplit("\t", 1)[0].encode())
        assert _walked(kind, (raw + "\r").encode())  # (the parser drops a carriage return)


@st.composite
def _column_edited(draw: st.DrawFn) -> tuple[str, bytes]:
    """A record with one of its columns replaced, or edited."""
    kind = draw(st.sampled_from(sorted(FIELDS)))
    values = record(kind).split("\t")
    i = draw(st.integers(0, len(values) - 1))
    text = draw(st.text("ABCXZ019_-.:/\\()<>é \t", min_size=0, max_size=12))
    values[i] = text if draw(st.booleans()) else values[i] + text
    return kind, "\t".join(values).encode()


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(FIELDS)))
    return kind, draw(mutated("zeek", (record(kind).encode(),)))


@needs_walker
@SETTINGS
@given(case=st.one_of(_column_edited(), _mutated()))
@example(case=("ssl", record("ssl", server_name="chatgpt.com\\x09").encode()))
@example(case=("http", record("http", uri="/a:b").encode()))
def test_an_edited_record_is_counted_only_as_the_parsers_event(case: tuple[str, bytes]) -> None:
    _check(*case)


def test_profiles_without_a_host_and_dns_queries_as_the_walker_counts_them() -> None:
    """A hostless usual line is the native walker's and names no host; a walked profile counts
    its DNS queries by a DNS element (the walker never reads ``dns``, the portable engine's)."""
    from dataclasses import replace

    conn = tsv_usual(layout("conn"))
    dns = tsv_usual(layout("dns"))
    assert conn is not None and conn.hostless and not conn.hosts
    assert dns is not None and dns.walked
    with pytest.raises(ValueError, match="names no host: no hosts"):
        replace(conn, hosts=frozenset({"c1"}))
    with pytest.raises(ValueError, match="by a DNS element, not dns"):
        replace(dns, dns_element=None, dns=True)
    assert fast.program(conn).hostless and not fast.program(dns).hostless
