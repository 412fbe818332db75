"""FortiGate (FortiOS 7) syslog: web filter records, and traffic records for host-less lines.

Every proxied request is a ``type="utm" subtype="webfilter"`` record (logid 0317013312
``ftgd_allow`` / 0316013056 ``ftgd_blk``): ``hostname`` = the host as the client wrote it,
``url`` = the path (``/`` for tunnels), ``httpmethod``, ``user``, ``sentbyte``/``rcvdbyte``.
Host-less error lines become ``type="traffic"`` records.  The device clock is UTC
(``tz="+0000"``; ``date``/``time`` to the second, ``eventtime`` in nanoseconds).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, METHODS, Connections, Tables

NAME = "fortigate"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "FortiGate syslog (utm/webfilter + traffic records)"
RESOLUTION_MS = 1000  # times are written to the second
DEVICE = 'devname="FGT-CHU" devid="FG100FTK00000001"'


def file_name(day: str) -> str:
    return f"fortigate-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One FortiOS record per connection, as a pyarrow string array."""
    seconds = pa.array(conns.ts // 1000, pa.timestamp("s", tz="UTC"))
    blocked = pa.array(conns.result == DENIED)
    https = conns.scheme != 1
    head = pc.binary_join_element_wise(
        pc.if_else(blocked, "<188>", "<189>"),
        "date=",
        pc.strftime(seconds, format="%Y-%m-%d"),
        " time=",
        pc.strftime(seconds, format="%H:%M:%S"),
        f" {DEVICE} logid=",
        "",
    )
    tail = pc.binary_join_element_wise(
        ' vd="root" eventtime=',
        _str(conns.ts * 1_000_000),
        ' tz="+0000" policyid=12',
        " sessionid=",
        _str(np.arange(len(conns)) + 100000),
        " srcip=",
        _take(tables.clients, conns.client),
        " srcport=",
        _str(49152 + conns.ts % 16384),
        " dstip=",
        _take(tables.servers, tables.host_server[conns.host]),
        " dstport=",
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        ' proto=6 service="',
        pc.if_else(pa.array(https), "HTTPS", "HTTP"),
        '"',
        "",
    )
    sizes = pc.binary_join_element_wise(
        " sentbyte=", _str(conns.bytes_out), " rcvdbyte=", _str(conns.bytes_in), ""
    )
    web = pc.binary_join_element_wise(
        head,
        pc.if_else(blocked, '"0316013056"', '"0317013312"'),
        ' type="utm" subtype="webfilter" eventtype="',
        pc.if_else(blocked, 'ftgd_blk" level="warning"', 'ftgd_allow" level="notice"'),
        tail,
        ' user="',
        _take(["", *tables.users], conns.user.astype(np.int64) + 1),
        '" hostname="',
        _take(tables.hosts, conns.host),
        '" profile="default" action="',
        pc.if_else(blocked, "blocked", "passthrough"),
        '" reqtype="direct" url="',
        _take(["/", *tables.paths[1:]], conns.path),
        '"',
        sizes,
        ' direction="outgoing" httpmethod="',
        _take(list(METHODS), conns.method),
        '"',
        "",
    )
    traffic = pc.binary_join_element_wise(
        head,
        '"0000000013" type="traffic" subtype="forward" level="notice"',
        tail,
        ' action="',
        pc.if_else(blocked, "deny", "close"),
        '" policytype="policy"',
        sizes,
        "",
    )
    return pc.if_else(pa.array(conns.host == 0), traffic, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the quoted ``devname``: an unterminated quote the parser must reject."""
    at = line.find(b'devname="')
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + 9 + int(rng.integers(0, 6))]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
