"""IBM QRadar LEEF 1.0 (tab-separated) from a simulated secure web gateway, BSD-less.

``LEEF:1.0|Sentinelle|SimulatedWebGateway|1.0|Allowed|devTime=2026-08-03T07:00:05.123Z
devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX src=... usrName=... dst=... dstPort=... url=...
method=... respcode=... srcBytes=<client→server> dstBytes=<server→client> action=allowed``
(tabs between attributes).  Host-less error lines carry no ``url`` (a connection record).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

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
    blocked = p.denied(conns)
    head = p.join(
        PRODUCT,
        p.where(blocked, "Blocked", "Allowed"),
        "|devTime=",
        p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S", ms=True),
        "Z\tdevTimeFormat=",
        TIME_FORMAT,
        "\tsrc=",
        p.client(conns, tables),
        p.user(conns, tables, "\tusrName={}", ""),
        "\tdst=",
        p.host_server(conns, tables),
        "\tdstPort=",
        p.dst_port(conns),
        "\tsrcBytes=",
        p.num(conns.bytes_out),
        "\tdstBytes=",
        p.num(conns.bytes_in),
        "\taction=",
        p.where(blocked, "blocked", "allowed"),
    )
    web = p.join(
        head,
        "\turl=",
        p.gateway_url(conns, tables),
        "\tmethod=",
        p.pick(METHODS, conns.method),
        "\trespcode=",
        p.num(conns.status),
    )
    return p.where(p.error(conns), head, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the LEEF header: fewer than 5 fields, the parser must reject it."""
    return line[: 9 + int(rng.integers(0, 30))] if line.startswith(b"LEEF:") else line[:5]
