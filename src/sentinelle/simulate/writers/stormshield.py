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

from sentinelle.simulate.records import DENIED, METHODS, Connections, Tables

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
    when = pc.strftime(
        pa.array(conns.ts // 1000, pa.timestamp("s", tz="UTC")), format="%Y-%m-%d %H:%M:%S"
    )
    https = conns.scheme != 1
    head = pc.binary_join_element_wise(
        'id=firewall time="',
        when,
        f'" fw="{FIREWALL}" tz=+0000 startime="',
        when,
        '" pri=5 confid=01 ruleid=12 proto=',
        pc.if_else(pa.array(https), "https", "http"),
        " src=",
        _take(tables.clients, conns.client),
        " srcport=",
        _str(49152 + conns.ts % 16384),
        " dst=",
        _take(tables.servers, tables.host_server[conns.host]),
        " dstport=",
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        "",
    )
    traffic = pc.binary_join_element_wise(
        " sent=",
        _str(conns.bytes_out),
        " rcvd=",
        _str(conns.bytes_in),
        " duration=",
        _str(conns.elapsed // 1000),
        ".",
        pc.utf8_lpad(_str(conns.elapsed % 1000 // 10), 2, "0"),
        " action=",
        pc.if_else(pa.array(conns.result == DENIED), "block", "pass"),
        "",
    )
    web = pc.binary_join_element_wise(
        head,
        " dstname=",
        _take(tables.hosts, conns.host),
        " op=",
        _take(list(METHODS), conns.method),
        " result=",
        _str(conns.status),
        ' arg="',
        _take(tables.paths, conns.path),
        '" user="',
        _take(["", *tables.users], conns.user.astype(np.int64) + 1),
        '"',
        traffic,
        ' logtype="web"',
        "",
    )
    connection = pc.binary_join_element_wise(head, traffic, ' logtype="connection"', "")
    return pc.if_else(pa.array(conns.host == 0), connection, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the quoted ``time`` value: an unterminated quote the parser must reject."""
    at = line.find(b'time="')
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + 6 + int(rng.integers(1, 12))]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
