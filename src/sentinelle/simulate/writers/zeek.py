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

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

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
    ssl = p.join(
        head,
        _port(conns, 443),
        ',"version":"TLSv13","server_name":"',
        p.bare_host(conns, tables),
        '","established":',
        p.where(p.denied(conns), "false", "true"),
        "}",
    )
    status = p.where(conns.status > 0, p.join(',"status_code":', p.num(conns.status)), "")
    http = p.join(
        head,
        _port(conns, 80),
        ',"trans_depth":1,"method":"',
        p.pick(METHODS, conns.method),
        '","host":"',
        p.host(conns, tables),
        '","uri":"',
        p.uri(conns, tables),
        '","version":"1.1"',
        status,
        "}",
    )
    conn = p.join(head, _port(conns, 443), ',"proto":"tcp","conn_state":"OTH","history":"C"}')
    is_http = (conns.scheme == 1) & ~p.error(conns)
    return p.where(p.error(conns), conn, p.where(is_http, http, ssl))


def _head(conns: Connections, tables: Tables) -> pa.Array:
    """``{"ts":…,"uid":…,"id.orig_h":…,"id.orig_p":…,"id.resp_h":…,"id.resp_p":`` (port next)."""
    return p.join(
        '{"ts":',
        p.millis(conns.ts),
        '000,"uid":"C',
        p.num(np.arange(len(conns)) + 0x100000),
        '","id.orig_h":"',
        p.client(conns, tables),
        '","id.orig_p":',
        p.source_port(conns),
        ',"id.resp_h":"',
        p.host_server(conns, tables),
        '","id.resp_p":',
    )


def _port(conns: Connections, default: int) -> pa.Array:
    """The responder port: explicit, else ``default`` (Zeek records the port it saw)."""
    return p.num(np.where(conns.port > 0, conns.port, default))
