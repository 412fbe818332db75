"""Zeek JSON logs (``LogAscii::use_json=T``): ssl.log, http.log and conn.log records in one file.

A sensor on the core switch sees each connection once: HTTPS (CONNECT or ``https://``) as an
ssl.log record with the SNI in ``server_name`` (``established`` false when the proxy refused
it), plain HTTP as an http.log record with the ``host`` header, method, URI and status, and
host-less error records as conn.log records.  The records of the three logs are interleaved
in one JSON-lines file (the parser tells them apart by their keys).  Zeek sees no user and no
block decision; body lengths are left unset so that no bytes are claimed for one kind of
record and not for the others.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, METHODS, Connections, Tables

NAME = "zeek"
SUFFIX = ".log"
RECORDS: frozenset[str] = frozenset()
SEES_BLOCKED = False
DESCRIPTION = "Zeek ssl/http/conn logs as JSON lines"


def file_name(day: str) -> str:
    return f"zeek-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One JSON object per connection, as a pyarrow string array."""
    head = _head(conns, tables)
    host = _take([h.rstrip(".") for h in tables.hosts], conns.host)
    ssl = pc.binary_join_element_wise(
        head,
        _port(conns.port, 443),
        ',"version":"TLSv13","server_name":"',
        host,
        '","established":',
        pc.if_else(pa.array(conns.result == DENIED), "false", "true"),
        "}",
        "",
    )
    status = pc.if_else(
        pa.array(conns.status > 0),
        pc.binary_join_element_wise(
            ',"status_code":', pc.cast(pa.array(conns.status), pa.string()), ""
        ),
        "",
    )
    http = pc.binary_join_element_wise(
        head,
        _port(conns.port, 80),
        ',"trans_depth":1,"method":"',
        _take(list(METHODS), conns.method),
        '","host":"',
        _take(tables.hosts, conns.host),
        '","uri":"',
        _take(tables.paths, conns.path),
        '","version":"1.1"',
        status,
        "}",
        "",
    )
    conn = pc.binary_join_element_wise(
        head, _port(conns.port, 443), ',"proto":"tcp","conn_state":"OTH","history":"C"}', ""
    )
    is_conn = pa.array(conns.host == 0)
    is_http = pa.array((conns.scheme == 1) & (conns.host != 0))
    return pc.if_else(is_conn, conn, pc.if_else(is_http, http, ssl))


def _head(conns: Connections, tables: Tables) -> pa.Array:
    """``{"ts":…,"uid":…,"id.orig_h":…,"id.orig_p":…,"id.resp_h":…,"id.resp_p":`` (port next)."""
    secs = pc.cast(pa.array(conns.ts // 1000), pa.string())
    ms = pc.utf8_lpad(pc.cast(pa.array(conns.ts % 1000), pa.string()), 3, "0")
    uid = pc.cast(pa.array(np.arange(len(conns)) + 0x100000), pa.string())
    orig_p = pc.cast(pa.array(49152 + conns.ts % 16384), pa.string())
    server = _take(tables.servers, tables.host_server[conns.host])
    return pc.binary_join_element_wise(
        '{"ts":',
        secs,
        ".",
        ms,
        '000,"uid":"C',
        uid,
        '","id.orig_h":"',
        _take(tables.clients, conns.client),
        '","id.orig_p":',
        orig_p,
        ',"id.resp_h":"',
        server,
        '","id.resp_p":',
        "",
    )


def _port(port: np.ndarray, default: int) -> pa.Array:
    return pc.cast(pa.array(np.where(port > 0, port, default)), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
