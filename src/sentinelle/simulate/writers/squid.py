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

from sentinelle.simulate.records import METHODS, MIMES, RESULTS, SCHEMES, Connections, Tables

NAME = "squid"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in"})
DESCRIPTION = "Squid native access.log (logformat squid)"


def file_name(day: str) -> str:
    return f"access-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One native line per record (no newline), as a pyarrow string array."""
    t = _arrow_tables(tables)
    ts = conns.ts
    secs = pc.cast(pa.array(ts // 1000), pa.string())
    ms = pc.utf8_lpad(pc.cast(pa.array(ts % 1000), pa.string()), 3, "0")
    elapsed = pc.utf8_lpad(pc.cast(pa.array(conns.elapsed), pa.string()), 6, " ")
    code = t["codes"].take(pa.array(conns.result.astype(np.int64) * 600 + conns.status))
    port = pc.if_else(
        pa.array(conns.port > 0),
        pc.binary_join_element_wise("", pc.cast(pa.array(conns.port), pa.string()), ":"),
        "",
    )
    url = pc.binary_join_element_wise(
        t["schemes"].take(pa.array(conns.scheme)),
        t["hosts"].take(pa.array(conns.host)),
        port,
        t["paths"].take(pa.array(conns.path)),
        "",
    )
    return pc.binary_join_element_wise(
        pc.binary_join_element_wise(secs, ms, "."),
        elapsed,
        t["clients"].take(pa.array(conns.client)),
        code,
        pc.cast(pa.array(conns.bytes_in), pa.string()),
        t["methods"].take(pa.array(conns.method)),
        url,
        t["users"].take(pa.array(conns.user.astype(np.int64) + 1)),
        t["hier"].take(pa.array(conns.server.astype(np.int64) + 1)),
        t["mimes"].take(pa.array(conns.mime)),
        " ",
    )


def _arrow_tables(tables: Tables) -> dict[str, pa.Array]:
    """The string tables as Arrow arrays, built once per simulation."""
    if "squid" not in tables.cache:
        tables.cache["squid"] = {
            k: pa.array(v, pa.string())
            for k, v in {
                "codes": [f"{r}/{s:03d}" for r in RESULTS for s in range(600)],
                "schemes": list(SCHEMES),
                "hosts": tables.hosts,
                "paths": tables.paths,
                "clients": tables.clients,
                "methods": list(METHODS),
                "users": ["-", *tables.users],
                "hier": ["HIER_NONE/-", *[f"HIER_DIRECT/{a}" for a in tables.servers]],
                "mimes": list(MIMES),
            }.items()
        }
    return tables.cache["squid"]
