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
import pyarrow.compute as pc

from sentinelle.simulate.records import DENIED, SCHEMES, Connections, Tables

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
    seconds = pa.array(conns.ts // 1000, pa.timestamp("s", tz="UTC"))
    denied = pa.array(conns.result == DENIED)
    https = conns.scheme != 1
    head = pc.binary_join_element_wise(
        f"{DEVICE} date=",
        pc.strftime(seconds, format="%Y-%m-%d"),
        " time=",
        pc.strftime(seconds, format="%H:%M:%S"),
        ' timezone="GMT" device_name="XG230" device_id=C01001K234RXPA1 log_id=',
        "",
    )
    user = _take(["", *tables.users], conns.user.astype(np.int64) + 1)
    addresses = pc.binary_join_element_wise(
        " src_ip=",
        _take(tables.clients, conns.client),
        " dst_ip=",
        _take(tables.servers, tables.host_server[conns.host]),
        ' protocol="TCP" src_port=',
        _str(49152 + conns.ts % 16384),
        " dst_port=",
        _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80))),
        " sent_bytes=",
        _str(conns.bytes_out),
        " recv_bytes=",
        _str(conns.bytes_in),
        "",
    )
    web = pc.binary_join_element_wise(
        head,
        pc.if_else(denied, "050902616002", "050901616001"),
        ' log_type="Content Filtering" log_component="HTTP" log_subtype="',
        pc.if_else(denied, "Denied", "Allowed"),
        '" priority=Information fw_rule_id=2 user_name="',
        user,
        '" user_gp="" iap=13 category="Information Technology" category_type="Acceptable" url="',
        _url(conns, tables),
        '" contenttype="" override_token=""',
        addresses,
        " domain=",
        _take(tables.hosts, conns.host),
        ' exceptions= activityname="" reason=""',
        "",
    )
    firewall = pc.binary_join_element_wise(
        head,
        pc.if_else(denied, "010102600002", "010101600001"),
        ' log_type="Firewall" log_component="Firewall Rule" log_subtype="',
        pc.if_else(denied, 'Denied" status="Deny"', 'Allowed" status="Allow"'),
        ' priority=Information duration=1 fw_rule_id=5 user_name="',
        user,
        '"',
        addresses,
        "",
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
    """Cut inside the quoted ``device`` value: an unterminated quote the parser must reject."""
    return line[: 8 + int(rng.integers(0, 3))] if line.startswith(b'device="') else line[:5]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
