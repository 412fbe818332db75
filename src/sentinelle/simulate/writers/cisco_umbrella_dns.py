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
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, Connections, Tables

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
    seconds = pa.array(conns.ts // 1000, pa.timestamp("s", tz="UTC"))
    when = pc.strftime(seconds, format="%Y-%m-%d %H:%M:%S")
    user = conns.user.astype(np.int64)
    identity = _take([NETWORK, *tables.users], np.where(user >= 0, user + 1, 0))
    kind = pc.if_else(pa.array(user >= 0), "AD Users", "Networks")
    identities = pc.if_else(
        pa.array(user >= 0), pc.binary_join_element_wise(identity, NETWORK, ","), NETWORK
    )
    blocked = pa.array(conns.result == DENIED)
    domain = pc.binary_join_element_wise(_domains(tables, conns.host), ".", "")
    category = _categories(tables, conns.host)
    fields = [
        when,
        identity,
        identities,
        _take(tables.clients, conns.client),
        pa.scalar(PUBLIC_IP),
        pc.if_else(blocked, "Blocked", "Allowed"),
        pa.scalar("1 (A)"),
        pa.scalar("NOERROR"),
        domain,
        category,
        kind,
        pc.if_else(pa.array(user >= 0), "AD Users,Networks", "Networks"),
        pc.if_else(blocked, category, ""),
    ]
    quoted = [pc.binary_join_element_wise('"', f, '"', "") for f in fields]
    return pc.binary_join_element_wise(*quoted, ",")


def _domains(tables: Tables, host: np.ndarray) -> pa.Array:
    """Host names as a resolver logs them: no trailing dot (added back once), WPAD if none."""
    names = [h.rstrip(".") or NO_HOST for h in tables.hosts]
    return _take(names, host)


def _categories(tables: Tables, host: np.ndarray) -> pa.Array:
    """Umbrella's content category: the service's for AI hosts, a generic one otherwise."""
    service = tables.host_service.astype(np.int64)
    labels = ["Business Services", *tables.categories]
    return _take(labels, np.where(service >= 0, service + 1, 0)[host])


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
