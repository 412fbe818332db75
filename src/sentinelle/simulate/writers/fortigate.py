"""FortiGate syslog: web filter records, and traffic records for host-less lines.

Every proxied request is a ``type="utm" subtype="webfilter"`` record (logid 0317013312
``ftgd_allow`` / 0316013056 ``ftgd_blk``): ``hostname`` = the host as the client wrote it,
``url`` = the path (``/`` for tunnels), ``httpmethod``, ``user``, ``sentbyte``/``rcvdbyte``.
Host-less error lines become ``type="traffic"`` records.  The device clock is UTC
(``tz="+0000"``; ``date``/``time`` to the second, ``eventtime`` in nanoseconds).

The device is upgraded from FortiOS 6.4 to 7 on the 16th of each month (UTC): from then on
``eventtime`` and ``tz`` come right after the device's name and serial, before ``logid``, as
FortiOS writes them since 7.0, instead of after ``vd``.  A deployment's logs may hold both
headers, and the scan reads both (the fast path: FortiOS 6's fixed chain, FortiOS 7's free
pairs).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

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
    blocked = p.denied(conns)
    clock = p.join(" eventtime=", p.num(conns.ts * 1_000_000), ' tz="+0000"')
    seven = p.from_16th(conns.ts)
    head = p.join(
        p.where(blocked, "<188>", "<189>"),
        p.stamp(conns.ts, "date=%Y-%m-%d time=%H:%M:%S"),
        f" {DEVICE}",
        p.where(seven, clock, ""),
        " logid=",
    )
    tail = p.join(
        ' vd="root"',
        p.where(seven, "", clock),
        " policyid=12",
        " sessionid=",
        p.num(np.arange(len(conns)) + 100000),
        " srcip=",
        p.client(conns, tables),
        " srcport=",
        p.source_port(conns),
        " dstip=",
        p.host_server(conns, tables),
        " dstport=",
        p.dst_port(conns),
        ' proto=6 service="',
        p.where(conns.scheme != 1, "HTTPS", "HTTP"),
        '"',
    )
    sizes = p.join(" sentbyte=", p.num(conns.bytes_out), " rcvdbyte=", p.num(conns.bytes_in))
    web = p.join(
        head,
        p.where(blocked, '"0316013056"', '"0317013312"'),
        ' type="utm" subtype="webfilter" eventtype="',
        p.where(blocked, 'ftgd_blk" level="warning"', 'ftgd_allow" level="notice"'),
        tail,
        ' user="',
        p.user(conns, tables, "{}", ""),
        '" hostname="',
        p.host(conns, tables),
        '" profile="default" action="',
        p.where(blocked, "blocked", "passthrough"),
        '" reqtype="direct" url="',
        p.request_path(conns, tables),
        '"',
        sizes,
        ' direction="outgoing" httpmethod="',
        p.pick(METHODS, conns.method),
        '"',
    )
    traffic = p.join(
        head,
        '"0000000013" type="traffic" subtype="forward" level="notice"',
        tail,
        ' action="',
        p.where(blocked, "deny", "close"),
        '" policytype="policy"',
        sizes,
    )
    return p.where(p.error(conns), traffic, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the quoted ``devname``: an unterminated quote the parser must reject."""
    return p.cut_after(line, b'devname="', rng, 0, 6)
