"""The Squid parser's fast path (lean regex, caches, positional Event) gives what it always gave.

``reference`` is the straightforward parser the fast one replaced: every field read from the
full structure regex, no cache.  Both must agree on every line, events and reasons alike.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats._syslog import strip_syslog
from sentinelle.formats._url import canonical_ip, split_url, user_or_none
from sentinelle.formats.squid import (
    _BLANK,
    _HOSTNAME,
    _NO_TARGET,
    _VALID,
    SquidParser,
    _reason,
)
from sentinelle.schema import Event

GOLDEN = Path(__file__).parent / "golden" / "squid"


def reference(line: str) -> Event | None:
    if line[:1].isalpha() or line[:1] == "<":
        line = strip_syslog(line)[1]
    m = _VALID.match(line)
    if m is None:
        if _BLANK.match(line):
            return None
        raise MalformedLine(_reason(line))
    g = m.group
    client, method = g("client"), g("method").upper()
    source_ip = reference_ip(client)
    try:
        target = split_url(g("url"), method)
    except MalformedLine:
        target = _NO_TARGET
    dest_ip = reference_ip(target.host) if target.host else None
    return Event(
        # the text's exact time (a float would lose a microsecond after 2242)
        timestamp=datetime.fromtimestamp(int(g("seconds")), UTC)
        + timedelta(microseconds=int(g("millis").ljust(6, "0"))),
        source_ip=source_ip,
        source_domain=client.lower() if source_ip is None and _HOSTNAME.match(client) else None,
        user_name=user_or_none(g("user")),
        destination_domain=None if dest_ip else target.host,
        destination_ip=dest_ip,
        destination_port=target.port,
        http_request_method=method,
        http_response_status_code=int(g("status")),
        event_action="blocked" if g("result").startswith("TCP_DENIED") else "allowed",
        destination_bytes=int(g("size")),
        observer_product="squid",
        network_protocol="http",
        url_path=target.path,
    )


def reference_ip(text: str) -> str | None:
    """``canonical_ip`` without its fast path for canonical IPv4 text."""
    if not text or not (text[-1].isdigit() or ":" in text or text[-1] in "abcdefABCDEF]"):
        return None
    try:
        addr = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


def outcome(parse: object, line: str) -> object:
    try:
        return parse(line)  # type: ignore[operator]
    except MalformedLine as e:
        return ("rejected", e.reason)


octet = st.one_of(st.integers(0, 300).map(str), st.sampled_from(["00", "01", "010", "1٣", ""]))
ipv4 = st.lists(octet, min_size=3, max_size=5).map(".".join)
clients = st.one_of(
    ipv4,
    st.sampled_from(["2001:db8::1", "::ffff:10.1.2.3", "[10.1.2.3]", "PC-01.chu.local", "-"]),
    st.text("abcdefABCDEF0123456789:.[]-_", min_size=1, max_size=20),
)
hosts = st.one_of(
    ipv4,
    st.sampled_from(["chatgpt.com", "Claude.AI.", "[2001:db8::2]", "xn--e1a.example", "a_b.c"]),
    st.text("abcxyz0123456789.-_:[]@%", min_size=1, max_size=20),
)
urls = st.one_of(
    st.builds(lambda h, p: f"{h}:{p}", hosts, st.sampled_from(["443", "80", "x", ""])),
    st.builds(
        lambda s, h, r: f"{s}://{h}{r}",
        st.sampled_from(["http", "HTTPS", "ftp", "wss"]),
        hosts,
        st.sampled_from(["", "/", "/a/b?q=1", "?x", "#f", ":8080/p"]),
    ),
    st.sampled_from(["error:invalid-request", "/relative?q", "-"]),
)
fields = st.fixed_dictionaries(
    {
        "ts": st.sampled_from(["1785536580.123", "1785536580.5", "99999999999.999999", "1.0"]),
        "client": clients,
        "code": st.sampled_from(["TCP_TUNNEL/200", "TCP_DENIED/407", "NONE/000", "TCP_MISS/20"]),
        "method": st.sampled_from(["CONNECT", "get", "POST", "-", "M-SEARCH"]),
        "url": urls,
        "user": st.sampled_from(["-", "jdupont", "a%20user", "%ZZ", "DOM%5Cuser"]),
    }
)


@settings(max_examples=400, deadline=None)
@given(f=fields, sep=st.sampled_from([" ", "   ", "\t"]), tail=st.sampled_from(["", " extra"]))
def test_the_parser_agrees_with_the_reference(f: dict[str, str], sep: str, tail: str) -> None:
    columns = ("ts", "412", "client", "code", "5321", "method", "url", "user", "hier", "mime")
    values = {**f, "hier": "HIER_DIRECT/1.2.3.4", "mime": "text/html"}
    line = sep.join(values.get(c, c) for c in columns) + tail
    parser = SquidParser()
    for _ in range(2):  # the second time from the caches
        assert outcome(parser.parse, line) == outcome(reference, line)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_golden_lines_agree(data: st.DataObject) -> None:
    lines = [ln for p in sorted(GOLDEN.glob("*.log")) for ln in p.read_text().splitlines()]
    line = data.draw(st.sampled_from(lines))
    i = data.draw(st.integers(0, len(line)))
    line = line[:i] + data.draw(st.text(" \t.:/%-_aZ09\r", max_size=4)) + line[i:]
    assert outcome(SquidParser().parse, line) == outcome(reference, line)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ipv4, st.text(max_size=20)))
def test_canonical_ip_fast_path_agrees_with_ipaddress(text: str) -> None:
    assert canonical_ip(text) == reference_ip(text)
