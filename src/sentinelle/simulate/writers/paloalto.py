"""PAN-OS 10 syslog (default CSV): THREAT/url records, TRAFFIC for host-less lines.

The firewall's syslog server profile sends the IETF header until the 15th of the month, PAN-OS'
default BSD one from the 16th (UTC), so that both are read.

Every proxied request is a URL Filtering record (``THREAT,url``; categories set to ``alert``
so allowed URLs are logged): ``URL/Filename`` = ``host[:port]/path`` without scheme, action
``alert`` or ``block-url``, Source User, HTTP Method, and the High Resolution Timestamp (ISO
8601, milliseconds, UTC offset) among the trailing columns.  Host-less error lines become
TRAFFIC records.  URL records carry no byte counts, so none are recorded.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "paloalto"
SUFFIX = ".log"
RECORDS = frozenset({"user"})
DESCRIPTION = "PAN-OS syslog CSV (THREAT/url + TRAFFIC records)"
SERIAL = "012801096514"
COLUMNS = 110  # PAN-OS 10.x writes about this many; the parser tolerates more or fewer
HIRES = 100  # where this writer puts the High Resolution Timestamp


def file_name(day: str) -> str:
    return f"panos-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One CSV record per connection behind an RFC 5424 header, as a pyarrow string array."""
    local = p.stamp(conns.ts, "%Y/%m/%d %H:%M:%S")
    iso = p.stamp(conns.ts, "%Y-%m-%dT%H:%M:%S", ms=True)
    ietf = p.join("<14>1 ", iso, "Z PA-3220 - - - -")
    bsd = p.join("<14>", p.stamp(conns.ts, "%b %d %H:%M:%S"), " PA-3220")
    header = p.where(p.from_16th(conns.ts), bsd, ietf)
    cols = _common(conns, tables, local)
    cols[HIRES] = p.join(iso, "+00:00")
    denied = p.denied(conns)
    url = [*cols]
    url[3], url[4], url[30] = "THREAT", "url", p.where(denied, "block-url", "alert")
    url[31] = p.join('"', p.resource(conns, tables), '"')
    url[32:38] = [
        "(9999)",
        "artificial-intelligence",
        "informational",
        "client-to-server",
        "7726",
        "0x2000000000000000",
    ]
    url[63] = pc.utf8_lower(p.pick(METHODS, conns.method))
    traffic = [*cols]
    traffic[3], traffic[4] = "TRAFFIC", "end"
    traffic[30] = p.where(denied, "deny", "allow")
    traffic[31:38] = [
        p.num(conns.bytes_out + conns.bytes_in),
        p.num(conns.bytes_out),
        p.num(conns.bytes_in),
        "12",
        local,
        "1",
        "any",
    ]
    body = p.where(p.error(conns), p.join(*traffic, sep=","), p.join(*url, sep=","))
    return p.join(header, body, sep=" ")


def _common(conns: Connections, tables: Tables, local: pa.Array) -> list[object]:
    """The columns TRAFFIC and THREAT share (0-29 and the device name), the rest empty."""
    server = p.host_server(conns, tables)
    port = p.dst_port(conns)
    cols: list[object] = [""] * COLUMNS
    cols[0:12] = [
        "1",
        local,
        SERIAL,
        "",
        "",
        "2561",
        local,
        p.client(conns, tables),
        server,
        "192.0.2.10",
        server,
        "web-out",
    ]
    cols[12] = p.user(conns, tables, "{}", "")
    cols[14:24] = [
        "ssl",
        "vsys1",
        "trust",
        "untrust",
        "ethernet1/2",
        "ethernet1/1",
        "syslog",
        local,
        p.num(np.arange(len(conns)) + 30000),
        "1",
    ]
    cols[24:30] = [p.source_port(conns), port, "40112", port, "0x400053", "tcp"]
    cols[59] = "PA-3220"
    return cols


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut within the first columns: too few for any log type, the parser must reject it."""
    marker = b" - - - - 1," if b" - - - - 1," in line else b" PA-3220 1,"
    return p.cut_after(line, marker, rng, 0, 60)
