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

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "cef"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "CEF from a secure web gateway (syslog RFC 5424)"
PRODUCT = "CEF:0|Sentinelle|SimulatedWebGateway|1.0|"


def file_name(day: str) -> str:
    return f"cef-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One CEF record per connection, as a pyarrow string array."""
    blocked = p.denied(conns)
    head = p.join(
        "<134>1 ",
        p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S", ms=True),
        "Z swg-chu swg - - - ",
        PRODUCT,
        p.where(blocked, "403|Web request blocked|7|", "200|Web request|3|"),
        "rt=",
        p.num(conns.ts),
        " src=",
        p.client(conns, tables),
        p.user(conns, tables, " suser={}", ""),
    )
    tail = p.join(
        " dst=",
        p.host_server(conns, tables),
        " dpt=",
        p.dst_port(conns),
        " act=",
        p.where(blocked, "blocked", "allowed"),
        " in=",
        p.num(conns.bytes_out),
        " out=",
        p.num(conns.bytes_in),
    )
    web = p.join(
        head,
        " dhost=",
        p.host(conns, tables),
        tail,
        " requestMethod=",
        p.pick(METHODS, conns.method),
        " request=",
        pc.replace_substring(p.gateway_url(conns, tables), "=", "\\="),
    )
    return p.where(p.error(conns), p.join(head, tail), web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the CEF header: fewer than 7 fields, the parser must reject it."""
    return p.cut_after(line, b"CEF:0|", rng, 0, 30)
