"""Zscaler Internet Access NSS web log, the JSON feed template SIEM vendors publish.

``{"sourcetype":"zscalernss-web","event":{…}}`` with NSS field names.  ``time`` is the feed's
time zone (set to the hospital's, no zone in the value, to the second); ``eurl`` has no scheme
(``proto`` says it; CONNECT is ``host:port``); ``cip`` is the hospital's public egress address
and ``cintip`` the workstation's; ``login`` is the user's e-mail (``None`` when
unauthenticated); ``action`` is ``Allowed``/``Blocked``.  Records request and reply sizes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "zscaler"
SUFFIX = ".json"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
RESOLUTION_MS = 1000
DESCRIPTION = "Zscaler NSS web log (JSON feed, feed time zone = the hospital's)"
EGRESS = "203.0.113.7"


def file_name(day: str) -> str:
    return f"zscaler-web-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One JSON object per record (no newline)."""
    return p.join(
        '{"sourcetype":"zscalernss-web","event":{"time":"',
        p.stamp(conns.ts, "%a %b %d %H:%M:%S %Y", p.zone(tables)),
        '","login":"',
        p.json_text(p.user(conns, tables, "{}@chu-simule.fr", "None")),
        '","proto":"',
        pa.array(_proto(conns)),
        '","eurl":"',
        p.json_text(p.dash(_eurl(conns, tables), "None")),
        '","action":"',
        p.where(p.denied(conns), "Blocked", "Allowed"),
        '","urlcat":"',
        p.where(conns.service >= 0, "Generative AI", "Professional Services"),
        '","reqsize":"',
        p.num(conns.bytes_out),
        '","respsize":"',
        p.num(conns.bytes_in),
        f'","cip":"{EGRESS}","cintip":"',
        p.client(conns, tables),
        '","sip":"',
        p.server(conns, tables, "None"),
        '","reqmethod":"',
        p.pick(METHODS, conns.method),
        '","respcode":"',
        p.num(conns.status),
        '"}}',
    )


def _proto(conns: Connections) -> np.ndarray:
    return np.where(p.connect(conns), "SSL", np.where(conns.scheme == 2, "HTTPS", "HTTP"))


def _eurl(conns: Connections, tables: Tables) -> pa.Array:
    """``host[:port]/path?query`` without scheme; ``host:port`` for CONNECT."""
    path, query = p.path_query(conns, tables)
    plain = p.join(p.authority(conns, tables), path, query)
    tunnel = p.authority(conns, tables, always_port=True)
    return p.where(p.error(conns), "", p.where(p.connect(conns), tunnel, plain))
