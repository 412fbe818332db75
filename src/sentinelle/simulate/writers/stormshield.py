"""Stormshield SNS audit log over syslog (WELF ``key=value``), web and connection families.

Every proxied request is an ``l_web`` record (``logtype="web"``): ``dstname`` = the host as
the client wrote it, ``op`` = method, ``result`` = HTTP status, ``arg`` = path, ``user``,
``sent``/``rcvd`` = bytes client→server / server→client, ``action`` pass or block.  Host-less
error records become ``l_connection`` records (addresses and bytes only).  The firewall clock
is UTC (``tz=+0000``); SNS writes times to the second.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "stormshield"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "Stormshield SNS audit log (syslog WELF, l_web + l_connection)"
RESOLUTION_MS = 1000  # times are written to the second
FIREWALL = "SN510A0000001"


def file_name(day: str) -> str:
    return f"stormshield-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One audit record per connection, as a pyarrow string array."""
    when = p.stamp(conns.ts, "%Y-%m-%d %H:%M:%S")
    head = p.join(
        'id=firewall time="',
        when,
        f'" fw="{FIREWALL}" tz=+0000 startime="',
        when,
        '" pri=5 confid=01 ruleid=12 proto=',
        p.where(conns.scheme != 1, "https", "http"),
        " src=",
        p.client(conns, tables),
        " srcport=",
        p.source_port(conns),
        " dst=",
        p.host_server(conns, tables),
        " dstport=",
        p.dst_port(conns),
    )
    traffic = p.join(
        " sent=",
        p.num(conns.bytes_out),
        " rcvd=",
        p.num(conns.bytes_in),
        " duration=",
        p.num(conns.elapsed // 1000),
        ".",
        pc.utf8_lpad(p.num(conns.elapsed % 1000 // 10), 2, "0"),
        " action=",
        p.where(p.denied(conns), "block", "pass"),
    )
    web = p.join(
        head,
        " dstname=",
        p.host(conns, tables),
        " op=",
        p.pick(METHODS, conns.method),
        " result=",
        p.num(conns.status),
        ' arg="',
        p.uri(conns, tables),
        '" user="',
        p.user(conns, tables, "{}", ""),
        '"',
        traffic,
        ' logtype="web"',
    )
    connection = p.join(head, traffic, ' logtype="connection"')
    return p.where(p.error(conns), connection, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the quoted ``time`` value: an unterminated quote the parser must reject."""
    return p.cut_after(line, b'time="', rng, 1, 12)
