"""IBM QRadar LEEF 1.0 (tab-separated) from a simulated secure web gateway, BSD-less.

``LEEF:1.0|Sentinelle|SimulatedWebGateway|1.0|Allowed|devTime=2026-08-03T07:00:05.123Z
devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX src=... usrName=... dst=... dstPort=... url=...
method=... respcode=... srcBytes=<client→server> dstBytes=<server→client> action=allowed``
(tabs between attributes).  Host-less error lines carry no ``url`` (a connection record).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, METHODS, SCHEMES, Connections, Tables

NAME = "leef"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "LEEF 1.0 from a secure web gateway (tab-separated)"
PRODUCT = "LEEF:1.0|Sentinelle|SimulatedWebGateway|1.0|"
TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSX"


def file_name(day: str) -> str:
    return f"leef-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One LEEF record per connection, as a pyarrow string array."""
    ms = pa.array(conns.ts, pa.timestamp("ms", tz="UTC"))
    blocked = pa.array(conns.result == DENIED)
    https = conns.scheme != 1
    user = pc.if_else(
        pa.array(conns.user >= 0),
        pc.binary_join_element_wise(
            "\tusrName=", _take(["", *tables.users], conns.user.astype(np.int64) + 1), ""
        ),
        "",
    )
    head = pc.binary_join_element_wise(
        PRODUCT,
        pc.if_else(blocked, "Blocked", "Allowed"),
        "|devTime=",
        pc.strftime(ms, format="%Y-%m-%dT%H:%M:%S"),
        "Z\tdevTimeFormat=",
        TIME_FORMAT,
        "\tsrc=",
        _take(tables.clients, conns.client),
        user,
        "\tdst=",
        _take(tables.servers, tables.host_server[conns.host]),
        "\tdstPort=",
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        "\tsrcBytes=",
        _str(conns.bytes_out),
        "\tdstBytes=",
        _str(conns.bytes_in),
        "\taction=",
        pc.if_else(blocked, "blocked", "allowed"),
        "",
    )
    web = pc.binary_join_element_wise(
        head,
        "\turl=",
        _url(conns, tables),
        "\tmethod=",
        _take(list(METHODS), conns.method),
        "\trespcode=",
        _str(conns.status),
        "",
    )
    return pc.if_else(pa.array(conns.host == 0), head, web)


def _url(conns: Connections, tables: Tables) -> pa.Array:
    """``scheme://host[:port]/path``; tunnels (CONNECT) as ``https://host[:port]/``."""
    scheme = _take(["https://", *SCHEMES[1:]], conns.scheme)
    port = pc.if_else(
        pa.array(conns.port > 0), pc.binary_join_element_wise(":", _str(conns.port), ""), ""
    )
    path = _take(["/", *tables.paths[1:]], conns.path)
    return pc.binary_join_element_wise(scheme, _take(tables.hosts, conns.host), port, path, "")


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the LEEF header: fewer than 5 fields, the parser must reject it."""
    return line[: 9 + int(rng.integers(0, 30))] if line.startswith(b"LEEF:") else line[:5]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
