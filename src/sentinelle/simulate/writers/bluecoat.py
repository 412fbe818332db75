"""Blue Coat / Symantec ProxySG access log, ELFF ``main`` format with its ``#Fields:`` header.

``date time`` are GMT, to the second.  ``s-action`` is ProxySG's vocabulary (``TCP_TUNNELED``
for CONNECT, ``TCP_NC_MISS``, ``TCP_HIT``, ``TCP_REFRESH_MISS``, ``TCP_DENIED``,
``TCP_ERR_MISS``), ``sc-filter-result`` is ``DENIED`` for refused requests (policy denials and
407 authentication challenges alike) and ``OBSERVED`` otherwise.  Host-less error records
have ``unknown`` method and ``-`` host.  Records user, request and reply sizes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, MIMES, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "bluecoat"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
RESOLUTION_MS = 1000
DESCRIPTION = "Blue Coat ProxySG access log (ELFF main format, GMT)"
FIELDS = (
    "date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme "
    "cs-host cs-uri-port cs-uri-path cs-uri-query cs-username cs-auth-group s-supplier-name "
    "rs(Content-Type) cs(Referer) cs(User-Agent) sc-filter-result cs-categories x-virus-id s-ip"
)
HEADER = (
    "#Software: SGOS 7.3.16.1",
    "#Version: 1.0",
    "#Fields: " + FIELDS,
    '#Remark: 4010123456 "proxysg-chu" "10.1.1.1" "main"',
)
# TUNNEL, MISS, HIT, DENIED, REFRESH, NONE_NONE in ProxySG's words.
ACTIONS = (
    "TCP_TUNNELED",
    "TCP_NC_MISS",
    "TCP_HIT",
    "TCP_DENIED",
    "TCP_REFRESH_MISS",
    "TCP_ERR_MISS",
)
AGENT = '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"'


def file_name(day: str) -> str:
    return f"SG_main_{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One ELFF data line per record, in the ``main`` field order."""
    err, tunnel = p.error(conns), p.connect(conns)
    path, query = p.path_query(conns, tables)
    scheme = np.where(tunnel, "tcp", np.where(conns.scheme == 2, "https", "http"))
    host = p.where(err, "-", p.host(conns, tables))
    return p.join(
        p.stamp(conns.ts, "%Y-%m-%d %H:%M:%S"),
        p.num(conns.elapsed),
        p.client(conns, tables),
        p.num(conns.status),
        p.pick(ACTIONS, conns.result),
        p.num(conns.bytes_in),
        p.num(conns.bytes_out),
        p.where(err, "unknown", p.pick(METHODS, conns.method)),
        p.where(err, "-", pa.array(scheme)),
        host,
        p.where(err, "0", p.num(p.port(conns))),
        p.where(err, "-", p.where(tunnel, "/", path)),
        p.dash(query),
        p.user(conns, tables),
        "-",
        p.where(conns.server >= 0, host, "-"),
        p.pick(MIMES, conns.mime),
        "-",
        p.where(err, "-", AGENT),
        p.where(p.denied(conns), "DENIED", "OBSERVED"),
        p.where(conns.service >= 0, '"Artificial Intelligence"', '"Technology/Internet"'),
        "-",
        "10.1.1.1",
        sep=" ",
    )
