"""Netskope Log Streaming transaction events, CSV with the header line on top of each file.

W3C-style column names; ``date``/``time`` are UTC and ``x-cs-timestamp`` the epoch second;
``c-ip`` is the hospital's egress address as Netskope sees it, ``x-cs-userip`` the
workstation's; ``cs-username`` the user's e-mail; ``x-cs-sni`` the TLS server name for HTTPS;
``x-policy-action`` ``block``/``allow``; ``-`` for empty values.  Records request and reply
sizes.
"""

from __future__ import annotations

import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "netskope"
SUFFIX = ".csv"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
RESOLUTION_MS = 1000
DESCRIPTION = "Netskope transaction events (Log Streaming CSV with header)"
EGRESS = "203.0.113.9"
COLUMNS = (
    "date,time,x-cs-timestamp,c-ip,x-cs-userip,cs-username,cs-host,cs-method,cs-uri-port,"
    "x-cs-uri-path,sc-status,cs-bytes,sc-bytes,x-cs-sni,x-cs-dst-ip,x-policy-action,x-type"
)
HEADER = (COLUMNS,)


def file_name(day: str) -> str:
    return f"transaction_events_{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One CSV line per record, in :data:`COLUMNS` order."""
    err = p.error(conns)
    host = p.dash(p.host(conns, tables))
    path = p.path_query(conns, tables)[0]
    tls = p.connect(conns) | (conns.scheme == 2)
    return p.join(
        p.stamp(conns.ts, "%Y-%m-%d,%H:%M:%S"),
        p.num(conns.ts // 1000),
        EGRESS,
        p.client(conns, tables),
        p.user(conns, tables, "{}@chu-simule.fr"),
        host,
        p.where(err, "-", p.pick(METHODS, conns.method)),
        p.where(err, "-", p.num(p.port(conns))),
        p.dash(path),
        p.num(conns.status),
        p.num(conns.bytes_out),
        p.num(conns.bytes_in),
        p.where(tls, host, "-"),
        p.server(conns, tables, "-"),
        p.where(p.denied(conns), "block", "allow"),
        "http_transaction",
        sep=",",
    )
