"""Check Point Log Exporter, ``syslog`` format: URL Filtering records, firewall records otherwise.

Every proxied request is a URL Filtering record (``product:"URL Filtering"``): ``resource`` =
the full URL (``https://host/`` for tunnels), ``method``, ``src_user_name`` (the bare user
name), ``action`` Accept or Block, ``time`` = the event epoch in seconds.  Host-less error
lines become plain firewall records (addresses and service only).  URL Filtering records
carry no byte counts.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "checkpoint"
SUFFIX = ".log"
RECORDS = frozenset({"user"})
DESCRIPTION = "Check Point Log Exporter syslog (URL Filtering + firewall records)"
RESOLUTION_MS = 1000  # times are written to the second


def file_name(day: str) -> str:
    return f"checkpoint-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One RFC 5424 record per connection, as a pyarrow string array."""
    head = p.join(
        "<134>1 ",
        p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S", ms=True),
        'Z gw-chu CheckPoint 15871 - [action:"',
        p.where(p.denied(conns), "Block", "Accept"),
        '"; ifdir:"outbound"; origin:"10.1.1.1"; time:"',
        p.num(conns.ts // 1000),
        '"; version:"5"; src:"',
        p.client(conns, tables),
        '"; dst:"',
        p.host_server(conns, tables),
        '"; proto:"6"; s_port:"',
        p.source_port(conns),
        '"; service:"',
        p.dst_port(conns),
        '"',
    )
    web = p.join(
        head,
        '; product:"URL Filtering"; resource:"',
        p.gateway_url(conns, tables),
        '"; method:"',
        p.pick(METHODS, conns.method),
        '"; src_user_name:"',
        p.user(conns, tables, "{}", ""),
        '"; app_category:"Uncategorized"]',
    )
    firewall = p.join(head, '; product:"VPN-1 & FireWall-1"; rule_name:"web out"]')
    return p.where(p.error(conns), firewall, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the first quoted value: no complete pair, the parser must reject it."""
    return p.cut_after(line, b'[action:"', rng, 0, 5)
