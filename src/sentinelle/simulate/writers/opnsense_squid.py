"""OPNsense web proxy (Squid) access log in its JSON logformat, sent through syslog.

``<PRI>Mmm dd HH:MM:SS host (squid-1)[pid]: {…}``: the syslog header in local time, the
JSON object with ECS-like keys — ``@timestamp`` local time with its offset, to the second;
``http.request.method``, ``http.response.bytes``, ``http.response.body.status_code``,
``source.ip``, ``user.name`` (``-`` when none), ``url.original`` (``host:port`` for CONNECT),
``labels.request_status`` = Squid's ``%Ss`` (``TCP_DENIED`` when refused).  Like Squid, no
request size.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, RESULTS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "opnsense-squid"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in"})
RESOLUTION_MS = 1000
DESCRIPTION = "OPNsense Squid JSON access log behind a syslog header"


def file_name(day: str) -> str:
    return f"squid-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One syslog line with a JSON record per record (no newline)."""
    zone = p.zone(tables)
    hier = np.where(conns.server >= 0, "HIER_DIRECT", "HIER_NONE")
    return p.join(
        "<166>",
        p.stamp(conns.ts, "%b %e %H:%M:%S", zone),
        ' fw.chu-simule.fr (squid-1)[6802]: {"@timestamp":"',
        p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S%z", zone),
        '","ecs":{"version":"1.6.0"},"service":{"name":"proxy","type":"squid"},'
        '"http":{"request":{"method":"',
        p.pick(METHODS, conns.method),
        '"},"response":{"bytes":',
        p.num(conns.bytes_in),
        ',"body":{"status_code":',
        p.num(conns.status),
        '}},"version":"1.1"},"source":{"ip":"',
        p.client(conns, tables),
        '"},"user":{"name":"',
        p.json_text(p.user(conns, tables)),
        '"},"url":{"original":"',
        p.json_text(_original(conns, tables)),
        '"},"labels":{"request_status":"',
        p.pick(RESULTS, conns.result),
        '","hierarchy_status":"',
        pa.array(hier),
        '"}}',
    )


def _original(conns: Connections, tables: Tables) -> pa.Array:
    """Squid's ``%ru``: the URL, ``host:port`` for CONNECT, the error pseudo-URL."""
    url = p.url(conns, tables)
    return p.where(p.error(conns), "error:transaction-end-before-headers", url)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """The syslog header and a cut JSON object (a header alone would be an empty message)."""
    head, sep, body = line.partition(b": {")
    return head + sep + body[: int(rng.integers(0, max(1, len(body) // 2)))]
