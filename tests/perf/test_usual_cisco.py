"""The Cisco WSA's and Umbrella DNS's usual lines, read by the native walker (twenty-eighth
session; they were the hyperscan prefilter's, their traps regular expressions).

The WSA: a user in quotes is one token without a quote or a blank inside; the ACL decision
tag ``[A-Z]+(_[A-Z0-9]+)*-`` with at most four ``_`` segments; the client an address; a URL
with a host name (an address there: the parser takes the hierarchy's ``DIRECT/<host>``).
Umbrella DNS: 10 to 14 quoted columns, the last four maybe empty (``""``), a possible UTC
time.  A line the walker counts is the parser's event, with the walk's host name at its key's
time (DNS: marked as a query); the lines it sends to the parser are checked to be those the
rules say, so that a rule the chain lost shows.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from tests.perf._walks import TIMES, UsualLines, mostly, needs_walker, possible_time

pytestmark = needs_walker

WSA = UsualLines("cisco-wsa")
DNS = UsualLines("cisco-umbrella-dns")
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))


def _walker_says(usual: UsualLines, raw: str) -> str | None:
    """The parser's host name of a line the walker counts; None: the parser's line.  Counted,
    the line must be the parser's event, its host among the walk's names, at the key's time."""
    data = raw.encode("utf-8", "surrogateescape")
    block, w = usual.walk([data])
    if w.rows.size:
        return None
    try:
        event = usual.parse(data)
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None, raw
    # (a ``scheme://host`` URL's entry holds both names, ``.https. .chatgpt.com.``: either
    # may be the host, as in a CONNECT)
    names = [n.lower().rstrip(".") for n in w.entries.decode()[1:-2].split(". .")]
    host = event.destination_domain  # type: ignore[attr-defined]
    assert host in names, raw
    key = block[w.earliest : w.earliest + usual.profile.key_len]
    assert usual.profile.key_time(key) == event.timestamp, raw  # type: ignore[attr-defined]
    if usual is DNS:
        assert w.marked == 1 and event.network_protocol == "dns", raw  # type: ignore[attr-defined]
    return host


# -- the WSA ----------------------------------------------------------------------------------


def _wsa(
    client: str = "10.20.3.14",
    url: str = "https://chatgpt.com/backend-api",
    user: str = '"CHU\\jdupont@NTLM"',
    acl: str = "DEFAULT_CASE_11-DefaultGroup-CHU.ID-NONE",
    hier: str = "DIRECT/chatgpt.com",
) -> str:
    return (
        f"1709974800.123 412 {client} TCP_MISS/200 5321 GET {url} {user} {hier} text/html "
        f'{acl} <IW_comp,4.2,"0","-",0,0,0,"1","-"> -'
    )


def test_the_wsa_documented_line_is_counted() -> None:
    assert _walker_says(WSA, _wsa()) == "chatgpt.com"
    connect = _wsa(url="tunnel://api.mistral.ai:443/", acl="PASSTHRU_WEBCAT_7-x-y")
    assert _walker_says(WSA, connect) == "api.mistral.ai"
    assert _walker_says(WSA, _wsa(url="api.mistral.ai:443")) == "api.mistral.ai"


def test_wsa_users() -> None:
    for user in ('"CHU\\jdupont@NTLM"', '""', "-", "jdupont", 'a"b'):
        assert _walker_says(WSA, _wsa(user=user)) == "chatgpt.com", user
    # in quotes with a blank or a quote inside: more than one token, or not the same one
    for user in ('"CHU jdupont"', '"a"b"', '"a"b', '"a', "<a>"):
        assert _walker_says(WSA, _wsa(user=user)) is None, user


def test_wsa_acl_tags() -> None:
    for acl in ("BLOCK-x", "DEFAULT_CASE_11-x", "A_B_C_D_E-", "PASSTHRU_CUSTOMCAT_1--", "X_9-x"):
        assert _walker_says(WSA, _wsa(acl=acl)) == "chatgpt.com", acl
    # a digit before the first "_", an empty segment, no dash, more than four segments
    for acl in ("A1_B-x", "A__B-x", "A_-x", "A_B", "_A-x", "a_B-x", "A_B_C_D_E_F-x"):
        assert _walker_says(WSA, _wsa(acl=acl)) is None, acl


def test_wsa_clients_and_urls() -> None:
    for client in ("2001:db8::1", "0.0.0.0"):
        assert _walker_says(WSA, _wsa(client=client)) == "chatgpt.com", client
    for client in ("01.2.3.4", "256.1.1.1", "1.2.3", "::ffff:1.2.3.4", "1::2::3"):
        assert _walker_says(WSA, _wsa(client=client)) is None, client
    # an address in the URL: the parser reads the hierarchy's host name
    for url in ("104.18.32.47:443", "https://104.18.32.47/x", "error:dns-unresolved", "-"):
        assert _walker_says(WSA, _wsa(url=url)) is None, url


#: the WSA's "Syslog Push" retrieval: the syslog header (the log subscription's name its
#: tag), then the level; the header of every format is ``test_usual_syslog_headers.py``'s
_PUSHED = [
    ("Aug  2 07:00:00 wsa01 accesslogs: Info: ", True),  # a syslog server's file
    ("<14>Aug  2 07:00:00 wsa01.chu.local accesslog_syslog: Info: ", True),  # as sent
    ("2026-08-02T07:00:10.123456+02:00 10.0.0.1 accesslogs: Info: ", True),  # rsyslog's default
    ("Info: ", True),  # (the messages alone, as a collector may keep them)
    ("Aug  2 07:00:00 wsa01 accesslogs: ", True),
    ("Aug  2 07:00:00 h1234567890.123 accesslogs: Info: ", True),  # (a host like a time)
    ("Aug  2 07:00:00 h1234567890.123 ", True),
    ("Aug  2 07:00:00 wsa01 AccessLogs: Info: ", True),  # (a subscription named with a capital)
    ("<14>Aug  2 07:00:00 wsa01 Proxy_Access_Syslog: Info: ", True),
    # the parser's
    ("Aug  2 07:00:00 wsa01 accesslogs: Warning: ", False),
    ("Aug  2 07:00:00 wsa01 accesslogs: Info:  ", False),
    ("Aug  2 07:00:00 wsa01 CiscoAccess: Info: ", False),  # (C or L first: see _TAG_FIRST)
    ("Aug  2 07:00:00 wsa01 accesslogs: info: ", False),
    ("Info: Info: ", False),
    ("Aug  2 07:00:00 relay Aug  2 07:00:00 wsa01 accesslogs: Info: ", False),  # stacked
]


@pytest.mark.parametrize(("header", "counted"), _PUSHED)
def test_wsa_lines_pushed_by_syslog(header: str, counted: bool) -> None:
    """Counted, the line is the bare record's event (``_walker_says``); else the parser's,
    which still reads it (the level is one it strips)."""
    line = header + _wsa()
    assert (_walker_says(WSA, line) == "chatgpt.com") == counted, line
    if not counted and "Info: Info" not in header and "info:" not in header:
        assert WSA.parse(line.encode()) == WSA.parse(_wsa().encode()), line


def test_the_wsa_method_and_url_are_counted_from_its_record() -> None:
    """The profile's ``fields`` (method, URL: the native engine decides a line once per pair,
    see ``test_the_urls_of_a_path_rule_host_are_decided_once_each``) are the record's, after
    any header; a profile whose key moves must say where its record starts."""
    import dataclasses

    profile = WSA.profile
    assert profile.fields is not None and profile.record_start is not None
    for header, _ in _PUSHED:
        line = (header + _wsa()).encode()
        m = profile.record_start.search(line)
        assert m is not None and line[m.start() :] == _wsa().encode(), header
    with pytest.raises(ValueError, match="record_start"):
        dataclasses.replace(profile, record_start=None)


_ACL_PARTS = ["A", "Z9", "_", "-", "9", "a", "__", "BLOCK", "_1"]


@SETTINGS
@given(
    user=mostly(['"CHU\\u"', '""', "-", "u"], ['"', " ", '"a b"', "a", "<", "é"]),
    acl=st.lists(st.sampled_from(_ACL_PARTS), min_size=1, max_size=12).map("".join),
    client=mostly(["10.1.2.3", "::1"], ["1.2.3.04", "1.2.3", "a", ":::"]),
)
@example(user='""', acl="A_B_C_D_E-", client="10.1.2.3")
def test_wsa_lines_keep_the_contract(user: str, acl: str, client: str) -> None:
    """A line the walker counts is the parser's event (checked in :func:`_walker_says`)."""
    _walker_says(WSA, _wsa(client=client, user=user, acl=acl))


# -- Umbrella DNS -----------------------------------------------------------------------------


def _dns(when: str = "2026-08-01 08:23:00", *last: str, domain: str = "chatgpt.com.") -> str:
    cols = [when, "jdupont (jdupont@chu.fr)", "jdupont,CHU Network", "10.20.3.14", "192.0.2.10"]
    cols += ["Allowed", "1 (A)", "NOERROR", domain, "Generative AI"]
    return ",".join(f'"{c}"' for c in cols) + "".join(f",{c}" for c in last)


def test_the_umbrella_dns_records_are_counted() -> None:
    assert _walker_says(DNS, _dns()) == "chatgpt.com"
    for last in (('"AD Users"', '"AD Users,Networks"', '""'), ('""', '""', '""', '""')):
        assert _walker_says(DNS, _dns("2026-08-01 08:23:00", *last)) == "chatgpt.com", last


def test_umbrella_dns_columns_to_the_parser() -> None:
    # text after "", a lone quote, an unquoted column, a blank after a comma, 15 columns
    for last in (('""x',), ('"',), ("x",), (' ""',), ('""',) * 5, ('"a""b"',)):
        assert _walker_says(DNS, _dns("2026-08-01 08:23:00", *last)) is None, last
    assert _walker_says(DNS, _dns(domain="chatgpt..com.")) is None
    assert _walker_says(DNS, _dns("2026-02-30 08:23:00")) is None
    assert _walker_says(DNS, _dns("2026-08-01 24:00:00")) is None


@SETTINGS
@given(
    when=TIMES,
    last=st.lists(mostly(['""', '"x"', '"a,b"'], ['"', '""x', "x", '"a"b"', '"é"']), max_size=6),
)
@example(when=(1000, 1, 1, 0, 0, 0), last=['""', '""', '""', '"', '"'])
def test_umbrella_dns_records_keep_the_contract(when: tuple[int, ...], last: list[str]) -> None:
    """A record the walker counts is the parser's event (``_walker_says``); one of an
    impossible time, or of more than 14 columns, is not counted.  (The extra columns are
    counted as strict CSV reads them, when it does: two lone quotes make one column, ``","``.)"""
    text = "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format(*when)
    says = _walker_says(DNS, _dns(text, *last))
    try:
        extra: int | None = len(next(csv.reader([",".join(last)], strict=True))) if last else 0
    except csv.Error:
        extra = None  # (not CSV: the parser's, which _walker_says compares)
    if not possible_time(when) or (extra is not None and extra > 4):
        assert says is None, (text, last)
