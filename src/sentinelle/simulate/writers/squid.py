"""Squid native ``access.log``: ``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt``.

Epoch seconds (UTC) with milliseconds, elapsed ms right-aligned to width 6, client address,
result code/status, reply bytes, method, URL (``host:port`` for CONNECT), user (``-`` when
none), ``HIER_DIRECT/<server>`` or ``HIER_NONE/-``, MIME type (``-`` when none).  Squid native
does not record client→server bytes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.traffic import METHODS, MIMES, RESULTS, SCHEMES, Connections, Tables

NAME = "squid"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in"})
DESCRIPTION = "Squid native access.log (logformat squid)"


def file_name(day: str) -> str:
    return f"access-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One native line per record (no newline), as a pyarrow string array."""
    ts = conns.ts
    secs = pc.cast(pa.array(ts // 1000), pa.string())
    ms = pc.utf8_lpad(pc.cast(pa.array(ts % 1000), pa.string()), 3, "0")
    elapsed = pc.utf8_lpad(pc.cast(pa.array(conns.elapsed), pa.string()), 6, " ")
    code = _take(
        [f"{r}/{s:03d}" for r in RESULTS for s in range(600)],
        conns.result.astype(np.int64) * 600 + conns.status,
    )
    size = pc.cast(pa.array(conns.bytes_in), pa.string())
    method = _take(list(METHODS), conns.method)
    url = _url(conns, tables)
    user = _take(["-", *tables.users], conns.user.astype(np.int64) + 1)
    hier = _take(
        ["HIER_NONE/-", *[f"HIER_DIRECT/{a}" for a in tables.servers]],
        conns.server.astype(np.int64) + 1,
    )
    mime = _take(list(MIMES), conns.mime)
    return pc.binary_join_element_wise(
        pc.binary_join_element_wise(secs, ms, "."),
        elapsed,
        _take(tables.clients, conns.client),
        code,
        size,
        method,
        url,
        user,
        hier,
        mime,
        " ",
    )


def _url(conns: Connections, tables: Tables) -> pa.Array:
    """``host:port`` for CONNECT, ``scheme://host[:port]/path`` otherwise, error pseudo-URLs."""
    port = pc.if_else(
        pa.array(conns.port > 0),
        pc.binary_join_element_wise(pa.scalar(""), pc.cast(pa.array(conns.port), pa.string()), ":"),
        "",
    )
    return pc.binary_join_element_wise(
        _take(list(SCHEMES), conns.scheme),
        _take(tables.hosts, conns.host),
        port,
        _take(tables.paths, conns.path),
        "",
    )


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
