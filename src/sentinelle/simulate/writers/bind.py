"""ISC BIND 9 query log, ``print-time iso8601-utc`` with category and severity (BIND ≥ 9.16).

``2026-08-03T07:00:05.123Z queries: info: client @0x7f…  10.20.3.14#51514 (chatgpt.com):
query: chatgpt.com IN A +E(0)K (10.20.0.53)`` — one query per connection (no resolver cache:
DNS formats count queries), the name as the client wrote it without the trailing dot;
host-less error records become a WPAD query.  BIND logs no user, no bytes and no block.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import Connections, Tables

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
    when = pc.strftime(pa.array(conns.ts, pa.timestamp("ms", tz="UTC")), format="%Y-%m-%dT%H:%M:%S")
    name = _take([h.rstrip(".") or NO_HOST for h in tables.hosts], conns.host)
    port = pc.cast(pa.array(49152 + conns.ts % 16384), pa.string())
    # BIND's client object address: one per workstation, as a running server would reuse.
    handle = _take(
        [f"{0x7F0000000000 + (i << 12):x}" for i in range(len(tables.clients))], conns.client
    )
    qtype = pc.if_else(pa.array(conns.ts % 3 == 0), "AAAA", "A")
    client = pc.binary_join_element_wise(_take(tables.clients, conns.client), port, "#")
    return pc.binary_join_element_wise(
        when,
        "Z queries: info: client @0x",
        handle,
        " ",
        client,
        " (",
        name,
        "): query: ",
        name,
        " IN ",
        qtype,
        f" +E(0)K ({RESOLVER})",
        "",
    )


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the query name: the line keeps its time but loses type, flags and server."""
    at = line.find(b"): query: ")
    if at < 0:
        return line[: max(5, len(line) // 4)]
    start = at + len(b"): query: ")
    return line[: start + int(rng.integers(0, max(1, line.find(b" ", start) - start)))]


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
