"""The parts a usual line is enriched by (``fast._NativeScanner._grouped``) are the parser's.

The native engine reads a usual line of one host name without parsing it: its destination, source,
user and action come from the first line with the same method and URL, client, user, and result
fields, and its time and byte counts from :attr:`Profile.values`.  These properties check, on
random usual lines, that the parser's event depends on those fields only, and that the values
read from the fields are the parser's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sentinelle.formats.squid import USUAL, SquidParser
from sentinelle.inputs import decode
from sentinelle.scan import fast, native

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

if not native.available():
    pytest.skip("the C extension is not built", allow_module_level=True)

PROFILE = USUAL
PROGRAM = fast.program(PROFILE)
_HOST = st.from_regex(r"[A-Za-z][A-Za-z0-9.\-]{0,30}[A-Za-z0-9]\.?", fullmatch=True)
_WORD = st.text("abcXYZ019.-_:/%@[]\x0b\x0c", min_size=1, max_size=12)

#: one value per field of a usual Squid line, the host entry of one name (``host:port``)
_STRATEGIES = {
    "ts": st.builds(
        lambda s, ms: f"{s:010d}.{ms:03d}",
        st.integers(10**9, 10**10 - 1),
        st.integers(0, 999),
    ),
    "elapsed": st.sampled_from(["0", "412", "-1", "99999"]),
    "client": st.one_of(
        st.sampled_from(["10.1.0.10", "10.2.5.7", "2001:db8:1::42", "PC-SEC-01", "x.y."]),
        _WORD,
    ),
    "code": st.builds(
        lambda r, s: f"{r}/{s}",
        st.sampled_from(["TCP_TUNNEL", "TCP_DENIED", "TCP_DENIED_REPLY", "NONE", "TCP_MISS"]),
        st.sampled_from(["200", "407", "000", "503"]),
    ),
    "size": st.sampled_from(["0", "5321", "007", "123456789012"]),
    "method": st.sampled_from(["CONNECT", "connect", "GET", "POST", "M-SEARCH", "x_y"]),
    "url": st.builds(lambda h, p: f"{h}:{p}", _HOST, st.sampled_from(["443", "80", "0"])),
    "user": st.one_of(st.sampled_from(["-", "jdupont", "a%20user", "%ZZ"]), _WORD),
    "hier": st.sampled_from(["HIER_DIRECT/192.0.2.1", "HIER_NONE/-"]),
    "mime": st.sampled_from(["-", "text/html"]),
}
LINE = st.fixed_dictionaries(_STRATEGIES)
FIELDS = tuple(_STRATEGIES)
SEP = st.sampled_from([" ", "  ", "\t", " \t "])

#: the event attributes that Enricher.add reads, by the fields they may depend on
GROUPS = {
    ("method", "url"): ("destination_domain", "url_path", "network_protocol", "observer_product"),
    ("client",): ("source_ip", "source_domain"),
    ("user",): ("user_name",),
    ("code",): ("event_action",),
}


def _text(values: dict[str, str], sep: str) -> str:
    return sep.join(values[f] for f in FIELDS)


def _usual(line: str) -> bool:
    """The walker takes ``line`` as usual, with an entry of one host name."""
    return _usual_bytes(line.encode())


def _usual_bytes(line: bytes) -> bool:
    w = native.walk(PROGRAM, line + b"\n")
    return len(w.pending) == 1 and len(w.slots) == 1 and b". ." not in w.entry(0)


@settings(max_examples=300, deadline=None)
@given(values=LINE, sep=SEP)
def test_values_read_from_the_fields_are_the_parsers(values: dict[str, str], sep: str) -> None:
    line = _text(values, sep)
    assume(_usual(line))
    event = SquidParser().parse(line)
    assert event is not None
    assert PROFILE.values is not None
    raw = line.encode()
    split = raw.split() if b"\x0b" not in raw and b"\x0c" not in raw else fast._SPLIT.split(raw)
    assert PROFILE.values(split) == (
        (event.timestamp - EPOCH) // timedelta(microseconds=1),
        event.source_bytes,
        event.destination_bytes,
    )


@settings(max_examples=400, deadline=None)
@given(
    values=LINE,
    sep=SEP,
    raw_user=st.one_of(
        st.sampled_from([b"-", b"jdupont", b"a%20user", b"%ZZ", b"%C3%A9t%C3%A9", b"\xe9t\xe9"]),
        st.binary(min_size=1, max_size=6),
    ),
)
def test_source_and_user_read_from_the_fields_are_the_parsers(
    values: dict[str, str], sep: str, raw_user: bytes
) -> None:
    """:attr:`Profile.source_of` and :attr:`Profile.user_of` on a usual line's client and user
    fields (decoded as the line is) give the parser's source and user, bytes that are not UTF-8
    included."""
    user = raw_user.replace(b" ", b"").replace(b"\t", b"") or b"-"  # one field, any bytes
    line = sep.encode().join(user if f == "user" else values[f].encode() for f in FIELDS)
    assume(_usual_bytes(line))
    event = SquidParser().parse(decode(line))
    assert event is not None
    assert PROFILE.source_of is not None and PROFILE.user_of is not None and PROFILE.source
    split = line.split() if b"\x0b" not in line and b"\x0c" not in line else fast._SPLIT.split(line)
    c, u = PROFILE.source
    assert PROFILE.source_of(decode(split[c])) == (event.source_ip, event.source_domain)
    assert PROFILE.user_of(decode(split[u])) == event.user_name


@settings(max_examples=400, deadline=None)
@given(a=LINE, b=LINE, sep=SEP, group=st.sampled_from(sorted(GROUPS)))
def test_each_part_depends_on_its_fields_only(
    a: dict[str, str], b: dict[str, str], sep: str, group: tuple[str, ...]
) -> None:
    """A line that takes ``group``'s fields from line b and the others from line a has the
    attributes of b that depend on the group."""
    mixed = {**a, **{f: b[f] for f in group}}
    lines = (_text(b, sep), _text(mixed, sep))
    assume(all(_usual(x) for x in lines))
    parser = SquidParser()
    one, two = (parser.parse(x) for x in lines)
    assert one is not None and two is not None
    for attribute in GROUPS[group]:
        assert getattr(one, attribute) == getattr(two, attribute), attribute


def test_the_profile_names_the_fields_the_groups_use() -> None:
    """The fields :meth:`_grouped` reads are the ones these tests vary."""
    index = {name: i for i, name in enumerate(FIELDS)}
    assert PROFILE.fields == (index["method"], index["url"])
    assert PROFILE.source == (index["client"], index["user"])
    assert PROFILE.action == index["code"]


_ERROR_URL = st.one_of(
    st.sampled_from(
        ["error:invalid-request", "error:transaction-end-before-headers", "error:", "error:a/b"]
    ),
    st.builds(lambda w: f"error:{w}", _WORD),
    st.builds(lambda w: f"error://{w}", _WORD),
)


@settings(max_examples=400, deadline=None)
@given(
    values=LINE,
    url=_ERROR_URL,
    sep=SEP,
    tail=st.sampled_from(["", " extra", "\r", " x\r\r"]),
    cut=st.integers(0, 200),
    noise=st.text(" \t.:/-_aZ09\r\x0b", max_size=3),
)
def test_lines_counted_without_a_host_are_the_parsers(
    values: dict[str, str], url: str, sep: str, tail: str, cut: int, noise: str
) -> None:
    """A line that :attr:`Profile.no_host` takes is an event without a destination host, at
    the time of its first 14 bytes, for the parser too."""
    line = _text({**values, "url": url}, sep) + tail
    line = line[:cut] + noise + line[cut:]
    raw = line.encode("utf-8", "surrogateescape")
    assert PROFILE.no_host is not None
    if PROFILE.no_host.fullmatch(raw) is None:
        return
    event = SquidParser().parse(line.rstrip("\r"))
    assert event is not None
    assert event.destination_domain is None
    assert event.network_protocol != "dns"
    assert event.timestamp == EPOCH + timedelta(microseconds=int(raw[:10] + raw[11:14]) * 1000)


def test_squid_error_lines_are_counted_without_a_host() -> None:
    assert PROFILE.no_host is not None
    line = b"1785524408.952  15629 10.16.20.35 NONE_NONE/000 0 NONE error:invalid-request - - -"
    assert PROFILE.no_host.fullmatch(line)
    assert not PROFILE.no_host.fullmatch(line.replace(b"error:", b"error://x/"))


def test_a_profile_enriched_by_parts_names_its_fields() -> None:
    """No field positions by default: a profile with ``values`` must say where its source and
    action are (another format's fields are not Squid's)."""
    import dataclasses

    with pytest.raises(ValueError, match="source and action"):
        dataclasses.replace(PROFILE, source=None)
    with pytest.raises(ValueError, match="go together"):
        dataclasses.replace(PROFILE, user_of=None)
    with pytest.raises(ValueError, match="go together"):
        dataclasses.replace(PROFILE, source=None, values=None)  # readers without values
    bare = dataclasses.replace(PROFILE, source=None, values=None, source_of=None, user_of=None)
    assert bare.values is None


_AUTHORITY = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}{port}",
    st.sampled_from(["http", "https", "HTTP", "ftp", "wss"]),
    _HOST,
    st.sampled_from(["", ":443", ":8080", ":0"]),
)
_REST = st.one_of(
    st.just(""), st.builds(lambda c, w: c + w, st.sampled_from("/?#"), _WORD | st.just("/chat"))
)


def _two_names(line: str) -> bool:
    """The walker takes ``line`` as usual, with an entry of two names (``scheme://host``)."""
    w = native.walk(PROGRAM, line.encode() + b"\n")
    return len(w.pending) == 1 and len(w.slots) == 1 and b". ." in w.entry(0)


@settings(max_examples=400, deadline=None)
@given(values=LINE, authority=_AUTHORITY, a=_REST, b=_REST, sep=SEP)
def test_a_url_with_a_scheme_gives_its_host_up_to_the_path(
    values: dict[str, str], authority: str, a: str, b: str, sep: str
) -> None:
    """Two usual lines whose URLs differ after ``scheme://authority`` only: the same key for
    :meth:`_grouped` (BY_HOST), and the same host, protocol and observer for the parser (the
    path then matters only to a path rule, and such hosts are never BY_HOST, see
    :func:`fast.parts_state`)."""
    lines = [_text({**values, "url": authority + rest}, sep) for rest in (a, b)]
    assume(all(_two_names(x) for x in lines))
    keys = {fast.url_up_to_path((authority + rest).encode()) for rest in (a, b)}
    assert keys == {authority.encode()}
    parser = SquidParser()
    one, two = (parser.parse(x) for x in lines)
    assert one is not None and two is not None
    for attribute in ("destination_domain", "network_protocol", "observer_product"):
        assert getattr(one, attribute) == getattr(two, attribute), attribute


def test_a_host_with_a_path_rule_is_parsed_line_by_line() -> None:
    from sentinelle.catalog import load_catalog

    catalog = load_catalog()
    assert fast.parts_state(b".chatgpt.com.", catalog) == native.GROUPED
    assert fast.parts_state(b".https. .chatgpt.com.", catalog) == native.BY_HOST
    assert fast.parts_state(b".https. .GitHub.com..", catalog) == native.YES  # /copilot
    assert fast.parts_state(b".github.com. .x.", catalog) == native.YES  # CONNECT's scheme
