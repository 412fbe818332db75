"""Cisco Umbrella Secure Web Gateway (proxy) logs as exported to S3: quoted CSV, no header.

Schema v9+ (35 columns, by position): UTC ``Timestamp``, the identity (the site network, with
the workstation's ``Internal IP`` given by the virtual appliance), the hospital's ``External
IP``, the server address, ``Verdict`` ``ALLOWED``/``BLOCKED``, the full URL with scheme
(``https://host:443/`` for tunnels that were not decrypted), status, request and response
sizes, ``Request Method``; empty strings for what is not known.  No user name column.
"""

from __future__ import annotations

import pyarrow as pa

from sentinelle.simulate.records import METHODS, MIMES, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "cisco-umbrella-proxy"
SUFFIX = ".csv"
RECORDS = frozenset({"bytes_in", "bytes_out"})
RESOLUTION_MS = 1000
DESCRIPTION = "Cisco Umbrella SWG proxy logs (S3 export CSV, schema v9+)"
IDENTITY = "CHU Simulé - Réseau"
EGRESS = "203.0.113.5"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
TRAILING = 9  # schema v9+ columns after Request Method (DLP status, rule ids, …)


def file_name(day: str) -> str:
    return f"proxylogs-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One quoted CSV line per record (no newline)."""
    err = p.error(conns)
    ai = conns.service >= 0
    columns = [
        p.stamp(conns.ts, "%Y-%m-%d %H:%M:%S"),
        IDENTITY,
        p.client(conns, tables),
        EGRESS,
        p.server(conns, tables, ""),
        p.where(conns.mime == 0, "", p.pick(MIMES, conns.mime)),
        p.where(p.denied(conns), "BLOCKED", "ALLOWED"),
        p.url(conns, tables, tunnel="https://"),
        "",
        p.where(err, "", AGENT),
        p.num(conns.status),
        p.num(conns.bytes_out),
        p.num(conns.bytes_in),
        p.num(conns.bytes_in * 9 // 10),
        "",
        p.where(ai, "Generative AI", "Business Services"),
        *[""] * 5,
        "Networks",
        p.where(p.denied(conns) & ai, "Generative AI", ""),
        IDENTITY,
        "Networks",
        p.pick(METHODS, conns.method),
        *[""] * TRAILING,
    ]
    return p.join('"', p.join(*columns, sep='","'), '"')
