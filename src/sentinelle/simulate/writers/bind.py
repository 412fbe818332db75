"""ISC BIND 9 query log, ``print-time iso8601-utc`` with category and severity (BIND ≥ 9.16).

``2026-08-03T07:00:05.123Z queries: info: client @0x7f…  10.20.3.14#51514 (chatgpt.com):
query: chatgpt.com IN A +E(0)K (10.20.0.53)`` — one query per connection (no resolver cache:
DNS formats count queries), the name as the client wrote it without the trailing dot;
host-less error records become a WPAD query.  BIND logs no user, no bytes and no block.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "bind"
SUFFIX = ".log"
RECORDS: frozenset[str] = frozenset()
PROTOCOL = "dns"
SEES_BLOCKED = False
DESCRIPTION = "ISC BIND 9 query log (print-time iso8601-utc)"
RESOLVER = "10.20.0.53"
NO_HOST = "wpad"


def file_name(day: str) -> str:
    return f"query-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One query line per connection, as a pyarrow string array."""
    name = p.bare_host(conns, tables, NO_HOST)
    # BIND's client object address: one per workstation, as a running server would reuse.
    handles = p.cached(
        tables,
        "bind-handles",
        lambda: [f"{0x7F0000000000 + (i << 12):x}" for i in range(len(tables.clients))],
    )
    return p.join(
        p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S", ms=True),
        "Z queries: info: client @0x",
        p.pick(handles, conns.client),
        " ",
        p.client(conns, tables),
        "#",
        p.source_port(conns),
        " (",
        name,
        "): query: ",
        name,
        " IN ",
        p.where(conns.ts % 3 == 0, "AAAA", "A"),
        f" +E(0)K ({RESOLVER})",
    )


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the query name: the line keeps its time but loses type, flags and server."""
    at = line.find(b"): query: ")
    if at < 0:
        return line[: max(5, len(line) // 4)]
    start = at + len(b"): query: ")
    return line[: start + int(rng.integers(0, max(1, line.find(b" ", start) - start)))]
