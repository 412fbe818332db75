"""Sophos XG (SFOS ≤ 18.0) syslog: Content Filtering records, Firewall records for host-less lines.

Every proxied request is a ``log_type="Content Filtering" log_component="HTTP"`` record:
``url`` = the full URL (``https://host/`` for tunnels), ``domain`` = the host as written,
``log_subtype`` Allowed or Denied, ``user_name``, ``sent_bytes``/``recv_bytes``.  Host-less
error lines become ``log_type="Firewall"`` records.  The appliance runs on GMT
(``timezone="GMT"``; times to the second).  XG web records carry no method nor status.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "sophos"
SUFFIX = ".log"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
DESCRIPTION = "Sophos XG syslog (Content Filtering + Firewall records)"
RESOLUTION_MS = 1000  # times are written to the second
DEVICE = 'device="SFW"'


def file_name(day: str) -> str:
    return f"sophos-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One XG record per connection, as a pyarrow string array."""
    denied = p.denied(conns)
    head = p.join(
        f"{DEVICE} ",
        p.stamp(conns.ts, "date=%Y-%m-%d time=%H:%M:%S"),
        ' timezone="GMT" device_name="XG230" device_id=C01001K234RXPA1 log_id=',
    )
    user = p.user(conns, tables, "{}", "")
    addresses = p.join(
        " src_ip=",
        p.client(conns, tables),
        " dst_ip=",
        p.host_server(conns, tables),
        ' protocol="TCP" src_port=',
        p.source_port(conns),
        " dst_port=",
        p.dst_port(conns),
        " sent_bytes=",
        p.num(conns.bytes_out),
        " recv_bytes=",
        p.num(conns.bytes_in),
    )
    web = p.join(
        head,
        p.where(denied, "050902616002", "050901616001"),
        ' log_type="Content Filtering" log_component="HTTP" log_subtype="',
        p.where(denied, "Denied", "Allowed"),
        '" priority=Information fw_rule_id=2 user_name="',
        user,
        '" user_gp="" iap=13 category="Information Technology" category_type="Acceptable" url="',
        p.gateway_url(conns, tables),
        '" contenttype="" override_token=""',
        addresses,
        " domain=",
        p.host(conns, tables),
        ' exceptions= activityname="" reason=""',
    )
    firewall = p.join(
        head,
        p.where(denied, "010102600002", "010101600001"),
        ' log_type="Firewall" log_component="Firewall Rule" log_subtype="',
        p.where(denied, 'Denied" status="Deny"', 'Allowed" status="Allow"'),
        ' priority=Information duration=1 fw_rule_id=5 user_name="',
        user,
        '"',
        addresses,
    )
    return p.where(p.error(conns), firewall, web)


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the quoted ``device`` value: an unterminated quote the parser must reject."""
    return line[: 8 + int(rng.integers(0, 3))] if line.startswith(b'device="') else line[:5]
