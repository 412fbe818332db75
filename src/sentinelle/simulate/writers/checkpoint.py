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
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, METHODS, SCHEMES, Connections, Tables

NAME = "checkpoint"
SUFFIX = ".log"
RECORDS = frozenset({"user"})
DESCRIPTION = "Check Point Log Exporter syslog (URL Filtering + firewall records)"
RESOLUTION_MS = 1000  # times are written to the second


def file_name(day: str) -> str:
    return f"checkpoint-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One RFC 5424 record per connection, as a pyarrow string array."""
    ms = pa.array(conns.ts, pa.timestamp("ms", tz="UTC"))
    blocked = pa.array(conns.result == DENIED)
    https = conns.scheme != 1
    head = pc.binary_join_element_wise(
        "<134>1 ",
        pc.strftime(ms, format="%Y-%m-%dT%H:%M:%S"),
        'Z gw-chu CheckPoint 15871 - [action:"',
        pc.if_else(blocked, "Block", "Accept"),
        '"; ifdir:"outbound"; origin:"10.1.1.1"; time:"',
        _str(conns.ts // 1000),
        '"; version:"5"; src:"',
        _take(tables.clients, conns.client),
        '"; dst:"',
        _take(tables.servers, tables.host_server[conns.host]),
        '"; proto:"6"; s_port:"',
        _str(49152 + conns.ts % 16384),
        '"; service:"',
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        '"',
        "",
    )
    web = pc.binary_join_element_wise(
        head,
        '; product:"URL Filtering"; resource:"',
        _url(conns, tables),
        '"; method:"',
        _take(list(METHODS), conns.method),
        '"; src_user_name:"',
        _take(["", *tables.users], conns.user.astype(np.int64) + 1),
        '"; app_category:"Uncategorized"]',
        "",
    )
    firewall = pc.binary_join_element_wise(
        head, '; product:"VPN-1 & FireWall-1"; rule_name:"web out"]', ""
    )
    return pc.if_else(pa.array(conns.host == 0), firewall, web)


def _url(conns: Connections, tables: Tables) -> pa.Array:
    """``scheme://host[:port]/path``; tunnels (CONNECT) as ``https://host[:port]/``."""
    scheme = _take(["https://", *SCHEMES[1:]], conns.scheme)
    port = pc.if_else(
        pa.array(conns.port > 0), pc.binary_join_element_wise(":", _str(conns.port), ""), ""
    )
    path = _take(["/", *tables.paths[1:]], conns.path)
    return pc.binary_join_element_wise(scheme, _take(tables.hosts, conns.host), port, path, "")


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the first quoted value: no complete pair, the parser must reject it."""
    at = line.find(b'[action:"')
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + 9 + int(rng.integers(0, 5))]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
