"""PAN-OS 10 syslog (IETF header, default CSV): THREAT/url records, TRAFFIC for host-less lines.

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

from sentinelle.simulate.records import DENIED, METHODS, Connections, Tables

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
    ms = pa.array(conns.ts, pa.timestamp("ms", tz="UTC"))
    local = pc.strftime(
        pa.array(conns.ts // 1000, pa.timestamp("s", tz="UTC")), format="%Y/%m/%d %H:%M:%S"
    )
    header = pc.binary_join_element_wise(
        "<14>1 ", pc.strftime(ms, format="%Y-%m-%dT%H:%M:%S"), "Z PA-3220 - - - -", ""
    )
    cols = _common(conns, tables, local)
    cols[HIRES] = pc.binary_join_element_wise(
        pc.strftime(ms, format="%Y-%m-%dT%H:%M:%S"), "+00:00", ""
    )
    url = [*cols]
    url[3], url[4], url[30] = (
        "THREAT",
        "url",
        pc.if_else(pa.array(conns.result == DENIED), "block-url", "alert"),
    )
    url[31] = pc.binary_join_element_wise('"', _url(conns, tables), '"', "")
    url[32:38] = [
        "(9999)",
        "artificial-intelligence",
        "informational",
        "client-to-server",
        "7726",
        "0x2000000000000000",
    ]
    url[63] = pc.utf8_lower(_take(list(METHODS), conns.method))
    traffic = [*cols]
    traffic[3], traffic[4] = "TRAFFIC", "end"
    traffic[30] = pc.if_else(pa.array(conns.result == DENIED), "deny", "allow")
    traffic[31:38] = [
        _str(conns.bytes_out + conns.bytes_in),
        _str(conns.bytes_out),
        _str(conns.bytes_in),
        "12",
        local,
        "1",
        "any",
    ]
    url_line = pc.binary_join_element_wise(*url, ",")
    traffic_line = pc.binary_join_element_wise(*traffic, ",")
    body = pc.if_else(pa.array(conns.host == 0), traffic_line, url_line)
    return pc.binary_join_element_wise(header, body, " ")


def _common(conns: Connections, tables: Tables, local: pa.Array) -> list[object]:
    """The columns TRAFFIC and THREAT share (0-29 and the device name), the rest empty."""
    https = conns.scheme != 1
    server = _take(tables.servers, tables.host_server[conns.host])
    port = _str(np.where(conns.port > 0, conns.port, np.where(https, 443, 80)))
    cols: list[object] = [""] * COLUMNS
    cols[0:12] = [
        "1",
        local,
        SERIAL,
        "",
        "",
        "2561",
        local,
        _take(tables.clients, conns.client),
        server,
        "192.0.2.10",
        server,
        "web-out",
    ]
    cols[12] = _take(["", *tables.users], conns.user.astype(np.int64) + 1)
    cols[14:24] = [
        "ssl",
        "vsys1",
        "trust",
        "untrust",
        "ethernet1/2",
        "ethernet1/1",
        "syslog",
        local,
        _str(np.arange(len(conns)) + 30000),
        "1",
    ]
    cols[24:30] = [_str(49152 + conns.ts % 16384), port, "40112", port, "0x400053", "tcp"]
    cols[59] = "PA-3220"
    return cols


def _url(conns: Connections, tables: Tables) -> pa.Array:
    """``host[:port]/path`` as PAN-OS writes it (no scheme; ``host/`` for tunnels)."""
    port = pc.if_else(
        pa.array(conns.port > 0), pc.binary_join_element_wise(":", _str(conns.port), ""), ""
    )
    return pc.binary_join_element_wise(
        _take(tables.hosts, conns.host), port, _take(["/", *tables.paths[1:]], conns.path), ""
    )


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut within the first columns: too few for any log type, the parser must reject it."""
    at = line.find(b" - - - - 1,")
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + 11 + int(rng.integers(0, 60))]


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))
