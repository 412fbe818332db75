"""Squid ``combined`` logformat: Apache-like lines ending with Squid's ``%Ss:%Sh``.

``%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st "%{Referer}>h" "%{User-Agent}>h"
%Ss:%Sh``.  ``%tl`` is the proxy's local time *with* its offset, to the second; ``%>Hs`` is
not zero-padded (``0`` for Squid's host-less error records, as Squid writes it).  Like the
native format it records the reply size but not the request size.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, RESULTS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "squid-combined"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in"})
RESOLUTION_MS = 1000
DESCRIPTION = "Squid access.log in the combined logformat (local time with offset)"
AGENT = '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/126.0"'


def file_name(day: str) -> str:
    return f"access-combined-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One combined line per record (no newline)."""
    err = p.error(conns)
    request = p.join(
        '"',
        p.pick(METHODS, conns.method),
        " ",
        p.where(err, "error:transaction-end-before-headers", p.url(conns, tables)),
        p.where(err, " HTTP/0.0", " HTTP/1.1"),
        '"',
    )
    hier = np.where(conns.server >= 0, "HIER_DIRECT", "HIER_NONE")
    return p.join(
        p.client(conns, tables),
        "-",
        p.user(conns, tables),
        p.join("[", p.stamp(conns.ts, "%d/%b/%Y:%H:%M:%S %z", p.zone(tables)), "]"),
        request,
        p.num(conns.status),
        p.num(conns.bytes_in),
        '"-"',
        p.where(err, '"-"', AGENT),
        p.join(p.pick(RESULTS, conns.result), pa.array(hier), sep=":"),
        sep=" ",
    )
