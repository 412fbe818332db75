"""Zeek's usual line: an ssl.log record in JSON, its keys in any order (``json_pairs`` in
``scan/_lines.c`` with the keys as written), its time ``ts`` a number (epoch seconds with six
decimals), its host the SNI (``server_name``).

A line the native walker counts is the parser's event (an ssl.log record: no key of dns.log or
http.log), with the walk's host name at its key's time; any other line is the parser's.
(Both engines store the same rows on the simulated hospital: ``test_engines_agree``.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format
from sentinelle.formats._usual import Profile
from sentinelle.formats.zeek import USUAL
from sentinelle.scan import fast, native
from tests.perf._walks import needs_walker, walk_everywhere
from tests.perf.test_usual_profiles import edited

ZEEK = get_format("zeek")

#: an ssl.log record as Zeek 6 writes it (keys in its order)
RECORD: dict[str, Any] = {
    "ts": 1785524419.0331,
    "uid": "CAcJw21BbVedgFnYH3",
    "id.orig_h": "10.17.8.55",
    "id.orig_p": 63961,
    "id.resp_h": "104.18.32.47",
    "id.resp_p": 443,
    "version": "TLSv13",
    "cipher": "TLS_AES_128_GCM_SHA256",
    "curve": "x25519",
    "server_name": "chatgpt.com",
    "resumed": False,
    "established": True,
    "ssl_history": "CsiI",
    "cert_chain_fps": ["a1b2", "c3d4"],
    "sni_matches_cert": True,
}


#: an http.log record as Zeek 6 writes it
HTTP: dict[str, Any] = {
    "ts": 1785524420.5,
    "uid": "CHhAvVGS1DHFjwGM9",
    "id.orig_h": "10.17.8.55",
    "id.orig_p": 63962,
    "id.resp_h": "104.18.32.47",
    "id.resp_p": 80,
    "trans_depth": 1,
    "method": "GET",
    "host": "chatgpt.com",
    "uri": "/api/auth/session?x=1",
    "version": "1.1",
    "user_agent": "Mozilla/5.0",
    "request_body_len": 0,
    "response_body_len": 1532,
    "status_code": 200,
    "status_msg": "OK",
    "tags": [],
    "resp_fuids": ["FzA1b2"],
    "resp_mime_types": ["text/html"],
}


#: a dns.log record as Zeek 6 writes it
DNS: dict[str, Any] = {
    "ts": 1785524421.25,
    "uid": "CbVLHk2gH3bPkVgmQ4",
    "id.orig_h": "10.17.8.55",
    "id.orig_p": 53211,
    "id.resp_h": "10.16.0.53",
    "id.resp_p": 53,
    "proto": "udp",
    "trans_id": 4242,
    "rtt": 0.0123,
    "query": "chatgpt.com",
    "qclass": 1,
    "qclass_name": "C_INTERNET",
    "qtype": 1,
    "qtype_name": "A",
    "rcode": 0,
    "rcode_name": "NOERROR",
    "AA": False,
    "TC": False,
    "RD": True,
    "RA": True,
    "Z": 0,
    "answers": ["104.18.32.47"],
    "TTLs": [60.0],
    "rejected": False,
}


def line(
    changes: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
    base: dict[str, Any] = RECORD,
    **raw: str,
) -> str:
    """``base`` (:data:`RECORD`, or :data:`HTTP`) as Zeek writes it (``ts`` with six decimals),
    with ``changes`` (values dumped as JSON) and ``raw`` (keys given as ``k_``-prefixed names:
    the values' JSON text as is) and without the ``drop`` keys."""
    record = {**base, **(changes or {})}
    parts = []
    for key, value in record.items():
        if key in drop:
            continue
        text = f"{value:.6f}" if key == "ts" and isinstance(value, float) else json.dumps(value)
        parts.append(f"{json.dumps(key)}:{text}")
    parts += [f"{json.dumps(k[2:])}:{v}" for k, v in raw.items()]
    return "{" + ",".join(parts) + "}"


def walker_says(text: str, usual: Profile = USUAL) -> str | None:
    """The host name the walker counts ``text`` with by ``usual``, None: the parser's line."""
    _, w = walk_everywhere(fast.program(usual), [text.encode("utf-8", "surrogateescape")])
    return None if w.rows.size else w.entries.decode()[1:-2]


def check_record(raw: bytes, usual: Profile = USUAL) -> bool:
    """Counted by ``usual``, a line is the parser's event with the walk's host at its key's
    time (True then; False: the parser's line)."""
    block, w = walk_everywhere(fast.program(usual), [raw])
    if w.rows.size:
        return False  # for the parser
    parser = ZEEK.new_parser(ParseContext(path="ssl.log"))
    try:
        event = parser.parse(raw.decode("utf-8", "surrogateescape"))
    except MalformedLine as e:
        raise AssertionError(f"usual, yet rejected: {e.reason}: {raw!r}") from None
    assert event is not None and event.destination_domain is not None, raw
    assert event.network_protocol in ("tls", "http", "dns"), raw
    assert (event.network_protocol == "dns") == (w.marked == 1), raw  # (counted apart)
    assert event.destination_domain == w.entries.decode()[1:-2].lower().rstrip("."), raw
    key = block[w.earliest : w.earliest + usual.key_len]
    assert usual.key_time(key) == event.timestamp, raw
    return True


def test_the_usual_line() -> None:
    assert ZEEK.usual is USUAL and USUAL.native_only and USUAL.walked
    # UTC epochs, but a TSV record is read by the header before it: a file is read whole
    assert not fast.divisible(ZEEK)
    ssl, http, dns = USUAL.free_pairs  # type: ignore[misc]
    assert ssl.rules().startswith(b"{0=\n") and b"+trans_depth\n" in http.rules()
    assert dns.rules().startswith(b"?\n{0=\n")  # (its lines are DNS queries)
    sets = fast.program(USUAL).pairs.split(b"\0")  # (each set names the next as alternative)
    assert [r[:2] for r in sets] == [b"|\n", b"|\n", b"?\n"]


def test_alternatives_are_one_elements_sets_one_after_the_other() -> None:
    from dataclasses import replace

    from sentinelle.formats._usual import FreeColumns

    ssl, http, _dns = USUAL.free_pairs  # type: ignore[misc]
    other = replace(http, element="other")
    with pytest.raises(ValueError, match="one after the other"):
        fast.program(replace(USUAL, free_pairs=(ssl, other, http)))
    columns = FreeColumns("record", time_from=0)
    with pytest.raises(ValueError, match="no alternatives"):
        native.compile_chain(
            USUAL.usual, USUAL.tail, hosts=frozenset(), key_len=23, columns=(columns, columns)
        )


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (line(), "chatgpt.com"),
        (line({"server_name": "API.OpenAI.com"}), "API.OpenAI.com"),
        (line({"id.orig_h": "2001:db8::7"}), "chatgpt.com"),
        (line({"id.resp_p": "443"}), "chatgpt.com"),  # (digits as text: the parser's number)
        (line({"id.resp_p": ""}), "chatgpt.com"),  # (nothing)
        (line(drop=("id.resp_p", "id.resp_h", "uid")), "chatgpt.com"),
        (line({"cert_chain_fps": []}), "chatgpt.com"),
        (line({"x": [1, -2.5, 'a"b', True, None]}), "chatgpt.com"),
        (line({"rtt": 0.00123, "n": -0, "big": 1e300}), "chatgpt.com"),
        (line({"subject": "CN=caf\u00e9\n"}), "chatgpt.com"),  # (escapes in a free value)
        (line({"Server_Name": "other.fr"}), "chatgpt.com"),  # (a free key: the case counts)
        (line(k_rtt="1E+05", k_y="-0.5e-3"), "chatgpt.com"),
        (line(k_s='"caf\u00e9"'), "chatgpt.com"),  # (UTF-8 in a free value)
        # the parser's
        (line(drop=("server_name",)), None),  # (an ssl event without a host)
        (line({"server_name": "-"}), None),
        (line({"server_name": ""}), None),
        (line({"server_name": "104.18.32.47"}), None),
        (line({"server_name": "chatgpt.com:443"}), None),
        (line({"server_name": "caf\u00e9.fr"}), None),
        (line({"server_name": ["chatgpt.com"]}), None),
        (line(k_server_name='"chatgpt.com"'), None),  # twice: the last wins
        (line(k_server_name='"chatgpt\\u002ecom"'), None),
        (line({"query": "chatgpt.com"}), "chatgpt.com"),  # dns.log's (its mark read first)
        (line({"query": "other.fr"}), "other.fr"),
        (line({"method": "GET"}), None),  # http.log's
        (line({"rcode": 0}), None),
        (line({"ts": "2026-08-01T08:20:19.033100Z"}), None),  # ISO time: the parser's
        (line(k_ts="1785524419.0331"), None),  # twice, and not six decimals
        (line({"ts": 1785524419}), None),
        (line(drop=("ts",), k_ts="1785524419.033100"), "chatgpt.com"),
        (line(drop=("ts",), k_ts="1785524419.03310"), None),
        (line(drop=("ts",), k_ts='"1785524419.033100"'), None),
        (line(drop=("ts",)), None),
        (line({"id.orig_h": "10.17.8.256"}), None),  # rejected
        (line({"id.orig_h": "-"}), None),  # rejected
        (line({"id.orig_h": 10}), None),  # rejected
        (line(drop=("id.orig_h",)), None),  # rejected
        (line({"id.resp_p": "-"}), None),
        (line({"id.resp_p": True}), None),  # rejected
        (line({"id.resp_p": 443.5}), None),  # rejected
        (line({"id.resp_p": -1}), None),
        (line({"x": {"y": 1}}), None),  # (an object in the object)
        (line({"x": [[1]]}), None),
        (line(k_x="01"), None),  # rejected: not JSON
        (line(k_x="1."), None),  # rejected
        (line(k_x="NaN"), None),
        (line(k_x="True"), None),  # rejected
        ('{"result":{"_raw":' + json.dumps(line()) + "}}", None),  # Splunk's export
        (line() + " ", "chatgpt.com"),  # (json.loads reads blanks after the object)
        ("\t" + line(), None),
        (line().replace(",", ", ", 1), "chatgpt.com"),  # (blanks where JSON allows them)
        # http.log's
        (line(base=HTTP), "chatgpt.com"),
        (line({"server_name": "other.fr"}, base=HTTP), "chatgpt.com"),  # (http.log's first)
        (line({"uri": ""}, base=HTTP), "chatgpt.com"),
        (line({"status_code": "200", "username": "jdupont"}, base=HTTP), "chatgpt.com"),
        (line({"method": 7, "user_agent": None}, base=HTTP), "chatgpt.com"),
        (line(drop=("uri", "method", "status_code"), base=HTTP), "chatgpt.com"),
        (line({"trans_depth": "x"}, base=HTTP), "chatgpt.com"),  # (there: its value unread)
        (line({"uri": "http://chatgpt.com/"}, base=HTTP), None),  # a proxy's absolute URI
        (line({"uri": "/a?u=http://b.fr/"}, base=HTTP), None),
        (line({"uri": "api"}, base=HTTP), None),
        (line({"uri": 7}, base=HTTP), None),
        (line({"host": "chatgpt.com:8080"}, base=HTTP), None),
        (line({"host": "-"}, base=HTTP), None),
        (line(drop=("host",), base=HTTP), None),
        (line(drop=("trans_depth",), base=HTTP), None),  # (not sure to be http.log's)
        (line({"status_code": 200.5}, base=HTTP), None),  # rejected
        (line({"response_body_len": "-"}, base=HTTP), None),
        (line({"qtype": 1}, base=HTTP), None),  # dns.log's
        (line({"id.orig_h": "x"}, base=HTTP), None),  # rejected
        (line(k_host='"chatgpt.com"', base=HTTP), None),  # twice
        # dns.log's
        (line(base=DNS), "chatgpt.com"),
        (
            line({"query": "chatgpt.com.", "server_name": "x.fr", "host": "y.fr"}, base=DNS),
            "chatgpt.com.",
        ),
        (line(drop=("answers", "TTLs", "id.resp_p"), base=DNS), "chatgpt.com"),
        (line({"query": "47.32.18.104.in-addr.arpa", "qtype_name": "PTR"}, base=DNS), None),
        (line({"query": "_ldap._tcp.dc._msdcs.chu.local"}, base=DNS), None),
        (line({"query": "-"}, base=DNS), None),
        (line(drop=("query",), base=DNS), None),  # (a dns.log record without its name)
        (line({"id.resp_p": "x"}, base=DNS), None),  # rejected
    ],
    ids=lambda v: "" if v is None or (isinstance(v, str) and len(v) > 20) else str(v),
)
def test_a_line(raw: str, host: str | None) -> None:
    assert walker_says(raw) == host, raw
    check_record(raw.encode())


_LINES = (
    *(
        line({"ts": 1785524419.0331 + 97.5 * k, "server_name": f"site{k}.example.fr"}).encode()
        for k in range(12)
    ),
    line(drop=("cert_chain_fps", "curve")).encode(),
    *(
        line({"ts": 1785524420.5 + 13.25 * k, "host": f"www{k}.example.fr"}, base=HTTP).encode()
        for k in range(6)
    ),
)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=edited("zeek", _LINES))
def test_a_usual_line_is_an_event_with_the_walks_host_at_its_keys_time(raw: bytes) -> None:
    check_record(raw)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)


@needs_walker
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    extra=st.dictionaries(
        st.text(alphabet='abcXYZ_.:019\\"é -', min_size=1, max_size=10),
        st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.text(), _SCALARS)),
        max_size=4,
    ),
    port=st.one_of(st.none(), _SCALARS),
    http=st.booleans(),
)
@example(extra={"a": [1, "x", None]}, port=443, http=False)
@example(extra={"server_name": "x.fr", "trans_depth": None}, port=80, http=True)
def test_any_values_of_the_other_keys(extra: dict[str, Any], port: Any, http: bool) -> None:
    """Whatever the record's other keys hold, as json.dumps writes it: a line the walker
    counts is the parser's event; the usual values of the keys Zeek writes are counted."""
    changes = {**extra, **({} if port is None else {"id.resp_p": port})}
    raw = line(changes, base=HTTP if http else RECORD)
    check_record(raw.encode("utf-8", "surrogateescape"))
    plain = all(isinstance(v, str | int | bool) or v is None for v in extra.values())
    ssl, http_pairs, _dns = USUAL.free_pairs  # type: ignore[misc]
    rules = http_pairs if http else ssl
    ruled = set(extra) & {
        "ts",
        "id.orig_h",
        *rules.forbidden,
        *rules.digits,
        *rules.paths,
        rules.host,
        *(["trans_depth"] if http else []),
    }
    words = all(k.isascii() and '"' not in k and "\\" not in k for k in extra)
    ints = all(abs(v) < 10**18 for v in extra.values() if isinstance(v, int))
    if (
        plain
        and words
        and ints
        and not ruled
        and (port is None or (type(port) is int and port in (0, 443)))
    ):
        assert walker_says(raw) == "chatgpt.com", raw


@needs_walker
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(seconds=st.integers(10**9, 10**10 - 1), micros=st.integers(0, 999_999))
def test_the_time_is_the_parsers(seconds: int, micros: int) -> None:
    """``ts`` of ten digits and six decimals is counted, at the time json.loads and the parser
    read (a float's)."""
    raw = line(drop=("ts",), k_ts=f"{seconds}.{micros:06d}")
    assert walker_says(raw) == "chatgpt.com"
    check_record(raw.encode())
    assert USUAL.key_time(f"{seconds}.{micros:06d}".encode()) == datetime.fromtimestamp(
        float(f"{seconds}.{micros:06d}"), UTC
    )
