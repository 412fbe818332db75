"""Cisco Umbrella DNS logs (S3 export CSV, schema v4+): the query each connection needed.

``"Timestamp","Most Granular Identity","Identities","Internal IP","External IP","Action",
"QueryType","ResponseCode","Domain","Categories","Most Granular Identity Type","Identity Types",
"Blocked Categories"`` — UTC seconds; the identity is the authenticated user (type ``AD Users``)
when the connection has one, the hospital network otherwise (type ``Networks``); ``Blocked``
when the proxy denied the connection (Umbrella's DNS policy doing the blocking); the domain
with its trailing dot.  One query per connection (no resolver cache): DNS formats count
queries.  Host-less error records become a WPAD query (what browsers ask on their own).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "cisco-umbrella-dns"
SUFFIX = ".csv"
RECORDS = frozenset({"user"})
PROTOCOL = "dns"
RESOLUTION_MS = 1000  # whole seconds
DESCRIPTION = "Cisco Umbrella DNS logs (S3 export CSV)"
NETWORK = "CHU Network"
PUBLIC_IP = "192.0.2.10"  # the site's NAT address as Umbrella sees it (TEST-NET-1)
NO_HOST = "wpad"


def file_name(day: str) -> str:
    return f"dnslogs-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One quoted CSV record per connection, as a pyarrow string array."""
    authenticated = conns.user >= 0
    identity = p.user(conns, tables, "{}", NETWORK)
    blocked = p.denied(conns)
    category = _categories(tables, conns.host)
    fields = [
        p.stamp(conns.ts, "%Y-%m-%d %H:%M:%S"),
        identity,
        p.where(authenticated, p.join(identity, NETWORK, sep=","), NETWORK),
        p.client(conns, tables),
        PUBLIC_IP,
        p.where(blocked, "Blocked", "Allowed"),
        "1 (A)",
        "NOERROR",
        p.join(p.bare_host(conns, tables, NO_HOST), "."),
        category,
        p.where(authenticated, "AD Users", "Networks"),
        p.where(authenticated, "AD Users,Networks", "Networks"),
        p.where(blocked, category, ""),
    ]
    return p.join('"', p.join(*fields, sep='","'), '"')


def _categories(tables: Tables, host: np.ndarray) -> pa.Array:
    """Umbrella's content category: the service's for AI hosts, a generic one otherwise."""
    service = tables.host_service.astype(np.int64)
    labels = ["Business Services", *tables.categories]
    return p.pick(labels, np.where(service >= 0, service + 1, 0)[host])
