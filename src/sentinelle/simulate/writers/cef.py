"""ArcSight CEF from a simulated secure web gateway, behind an RFC 5424 syslog header.

``CEF:0|Sentinelle|SimulatedWebGateway|1.0|200|Web request|3|rt=<epoch ms> src=... suser=...
dhost=<host as written> dst=... dpt=... requestMethod=... request=<URL, = escaped> act=allowed
in=<client→server bytes> out=<server→client bytes>`` — ``in``/``out`` as the CEF standard
defines them.  Host-less error lines carry no ``dhost``/``request`` (a connection record).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, METHODS, SCHEMES, Connections, Tables

NAME = "cef"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "CEF from a secure web gateway (syslog RFC 5424)"
PRODUCT = "CEF:0|Sentinelle|SimulatedWebGateway|1.0|"


def file_name(day: str) -> str:
    return f"cef-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One CEF record per connection, as a pyarrow string array."""
    ms = pa.array(conns.ts, pa.timestamp("ms", tz="UTC"))
    blocked = pa.array(conns.result == DENIED)
    https = conns.scheme != 1
    user = pc.if_else(
        pa.array(conns.user >= 0),
        pc.binary_join_element_wise(
            " suser=", _take(["", *tables.users], conns.user.astype(np.int64) + 1), ""
        ),
        "",
    )
    head = pc.binary_join_element_wise(
        "<134>1 ",
        pc.strftime(ms, format="%Y-%m-%dT%H:%M:%S"),
        "Z swg-chu swg - - - ",
        PRODUCT,
        pc.if_else(blocked, "403|Web request blocked|7|", "200|Web request|3|"),
        "rt=",
        _str(conns.ts),
        " src=",
        _take(tables.clients, conns.client),
        user,
        "",
    )
    tail = pc.binary_join_element_wise(
        " dst=",
        _take(tables.servers, tables.host_server[conns.host]),
        " dpt=",
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        " act=",
        pc.if_else(blocked, "blocked", "allowed"),
        " in=",
        _str(conns.bytes_out),
        " out=",
        _str(conns.bytes_in),
        "",
    )
    request = pc.replace_substring(_url(conns, tables), "=", "\\=")
    web = pc.binary_join_element_wise(
        head,
        " dhost=",
        _take(tables.hosts, conns.host),
        tail,
        " requestMethod=",
        _take(list(METHODS), conns.method),
        " request=",
        request,
        "",
    )
    return pc.if_else(pa.array(conns.host == 0), pc.binary_join_element_wise(head, tail, ""), web)


def _url(conns: Connections, tables: Tables) -> pa.Array:
    """``scheme://host[:port]/path``; tunnels (CONNECT) as ``https://host[:port]/``."""
    scheme = _take(["https://", *SCHEMES[1:]], conns.scheme)
    port = pc.if_else(
        pa.array(conns.port > 0), pc.binary_join_element_wise(":", _str(conns.port), ""), ""
    )
    path = _take(["/", *tables.paths[1:]], conns.path)
    return pc.binary_join_element_wise(scheme, _take(tables.hosts, conns.host), port, path, "")


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the CEF header: fewer than 7 fields, the parser must reject it."""
    at = line.find(b"CEF:0|")
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + 6 + int(rng.integers(0, 30))]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
