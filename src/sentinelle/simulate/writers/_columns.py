"""Vectorized columns shared by the writers: times, URLs, users, addresses, ports, quoting.

Every helper returns a pyarrow string array (or takes one) with one value per record; the
string tables behind them are built once per simulation in ``Tables.cache``.  The records are
described in Squid's vocabulary (``records.RESULTS``); each writer maps it to its vendor's.
Proxies log what they did (``server``, ``port``, :func:`url`); firewalls, gateways and
sensors log what crossed the wire (:func:`host_server`, :func:`dst_port`, :func:`gateway_url`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import CONNECT, DENIED, SCHEMES, Connections, Tables

Part: TypeAlias = "pa.Array | str"
DEFAULT_TZ = "Europe/Paris"


def cached(tables: Tables, key: str, build: Callable[[], Sequence[str]]) -> pa.Array:
    """A string table built once per simulation (``build()`` is called on first use)."""
    store = tables.cache.setdefault("columns", {})
    if key not in store:
        store[key] = pa.array(list(build()), pa.string())
    return store[key]


def pick(values: pa.Array | Sequence[str], idx: np.ndarray) -> pa.Array:
    """``values[idx]`` as a string array."""
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return arr.take(pa.array(np.asarray(idx, np.int64)))


def join(*parts: Part, sep: str = "") -> pa.Array:
    """Element-wise concatenation of arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, sep)


def where(mask: np.ndarray | pa.Array, yes: Part, no: Part) -> pa.Array:
    """``yes`` where ``mask`` holds, else ``no`` (arrays or literals)."""
    return pc.if_else(mask if isinstance(mask, pa.Array) else pa.array(mask), yes, no)


def dash(arr: pa.Array, empty: str = "-") -> pa.Array:
    """``arr`` with empty strings replaced by ``empty``."""
    return where(pc.equal(arr, ""), empty, arr)


def num(values: np.ndarray) -> pa.Array:
    """Integers as decimal strings."""
    return pc.cast(pa.array(values), pa.string())


def zone(tables: Tables) -> str:
    """The hospital's time zone (``simulate`` records it in ``Tables.cache``)."""
    return str(tables.cache.get("tz", DEFAULT_TZ))


def stamp(ts_ms: np.ndarray, fmt: str, tz: str = "UTC", *, ms: bool = False) -> pa.Array:
    """Times formatted with ``strftime`` codes in ``tz`` (``%z`` = its offset).

    Whole seconds, or with ``ms`` the milliseconds too (``%S`` then writes ``05.123``).
    """
    ts = np.asarray(ts_ms, np.int64)
    if ms:
        return pc.strftime(pa.array(ts, pa.timestamp("ms", tz=tz)), format=fmt)
    return pc.strftime(pa.array(ts // 1000, pa.timestamp("s", tz=tz)), format=fmt)


def millis(ts_ms: np.ndarray) -> pa.Array:
    """Epoch seconds with three decimals (``1785536580.123``)."""
    ts = np.asarray(ts_ms, np.int64)
    return join(num(ts // 1000), pc.utf8_lpad(num(ts % 1000), 3, "0"), sep=".")


def host(conns: Connections, tables: Tables) -> pa.Array:
    """The host as the client spelled it ("" for host-less error records)."""
    return pick(cached(tables, "hosts", lambda: tables.hosts), conns.host)


def bare_host(conns: Connections, tables: Tables, none: str = "") -> pa.Array:
    """The host without its trailing dot, as a resolver or a TLS sensor sees it.

    ``none`` for host-less error records (DNS writers make them a ``wpad`` query).
    """
    names = cached(tables, f"bare:{none}", lambda: [h.rstrip(".") or none for h in tables.hosts])
    return pick(names, conns.host)


def client(conns: Connections, tables: Tables) -> pa.Array:
    return pick(cached(tables, "clients", lambda: tables.clients), conns.client)


def source_port(conns: Connections) -> pa.Array:
    """The client's ephemeral port (49152–65535), derived from the time."""
    return num(49152 + np.asarray(conns.ts, np.int64) % 16384)


def user(conns: Connections, tables: Tables, spell: str = "{}", none: str = "-") -> pa.Array:
    """The authenticated user written as ``spell.format(name)``, ``none`` when there is none."""
    names = cached(
        tables, f"user:{spell}:{none}", lambda: [none, *(spell.format(u) for u in tables.users)]
    )
    return pick(names, conns.user.astype(np.int64) + 1)


def server(conns: Connections, tables: Tables, none: str = "-") -> pa.Array:
    """The server address the proxy contacted, ``none`` when it contacted none."""
    servers = cached(tables, f"servers:{none}", lambda: [none, *tables.servers])
    return pick(servers, conns.server.astype(np.int64) + 1)


def host_server(conns: Connections, tables: Tables) -> pa.Array:
    """The address the host resolves to: what a firewall or a sensor sees as destination.

    Unlike :func:`server` (where the proxy fetched from), it is set on every record.
    """
    servers = cached(tables, "servers", lambda: tables.servers)
    return pick(servers, tables.host_server[conns.host])


def path_query(conns: Connections, tables: Tables) -> tuple[pa.Array, pa.Array]:
    """The URL path ("" for CONNECT) and its query string ("" when none), split."""
    paths = cached(tables, "path", lambda: [p.partition("?")[0] for p in tables.paths])
    queries = cached(
        tables,
        "query",
        lambda: ["?" + p.partition("?")[2] if "?" in p else "" for p in tables.paths],
    )
    return pick(paths, conns.path), pick(queries, conns.path)


def error(conns: Connections) -> np.ndarray:
    """Records without a host (Squid's ``error:transaction-end-before-headers``)."""
    return conns.host == 0


def connect(conns: Connections) -> np.ndarray:
    return (conns.method == CONNECT) & ~error(conns)


def denied(conns: Connections) -> np.ndarray:
    return conns.result == DENIED


def port(conns: Connections) -> np.ndarray:
    """The destination port: explicit, else the scheme's default (0 for error records)."""
    default = np.where(conns.scheme == 2, 443, 80)
    return np.where(error(conns), 0, np.where(conns.port > 0, conns.port, default))


def dst_port(conns: Connections) -> pa.Array:
    """The destination port a firewall sees: explicit, else 80 for ``http://``, else 443.

    Unlike :func:`port`, tunnels (CONNECT) and host-less records default to 443.
    """
    return num(np.where(conns.port > 0, conns.port, np.where(conns.scheme != 1, 443, 80)))


def authority(conns: Connections, tables: Tables, always_port: bool = False) -> pa.Array:
    """``host`` or ``host:port`` (the port when the URL had one, or always)."""
    explicit = always_port | (conns.port > 0)
    return where(
        explicit & ~error(conns),
        join(host(conns, tables), num(port(conns)), sep=":"),
        host(conns, tables),
    )


def url(
    conns: Connections,
    tables: Tables,
    tunnel: str | None = None,
    schemes: Sequence[str] = SCHEMES,
) -> pa.Array:
    """Absolute URL with its query, "" for host-less records.

    ``schemes`` spells ``records.SCHEMES``.  CONNECT is its bare authority when ``tunnel`` is
    None, else ``tunnel + host:port + "/"``.
    """
    scheme = pick(schemes, conns.scheme)
    path, query = path_query(conns, tables)
    full = join(scheme, authority(conns, tables), path, query)
    if tunnel is None:
        return where(error(conns), "", full)
    tunnelled = join(tunnel, authority(conns, tables, always_port=True), "/")
    return where(error(conns), "", where(connect(conns), tunnelled, full))


def uri(conns: Connections, tables: Tables) -> pa.Array:
    """The path with its query as the client sent it, "" for tunnels (CONNECT)."""
    return pick(cached(tables, "paths", lambda: tables.paths), conns.path)


def request_path(conns: Connections, tables: Tables) -> pa.Array:
    """The path with its query, ``/`` for tunnels (CONNECT)."""
    return pick(cached(tables, "request-path", lambda: ["/", *tables.paths[1:]]), conns.path)


def resource(conns: Connections, tables: Tables) -> pa.Array:
    """``host[:port]/path``: the URL without its scheme, ``host[:port]/`` for tunnels.

    The port when the URL had one.  Meant for records with a host (host-less: just the path).
    """
    return join(authority(conns, tables), request_path(conns, tables))


def gateway_url(conns: Connections, tables: Tables) -> pa.Array:
    """``scheme://host[:port]/path`` as gateways log it; tunnels as ``https://host[:port]/``."""
    return join(pick(["https://", *SCHEMES[1:]], conns.scheme), resource(conns, tables))


def csv_quote(arr: pa.Array) -> pa.Array:
    """A CSV field in double quotes, inner quotes doubled."""
    return join('"', pc.replace_substring(arr, '"', '""'), '"')


def json_text(arr: pa.Array) -> pa.Array:
    """A JSON string literal body: backslashes and quotes escaped."""
    return pc.replace_substring(pc.replace_substring(arr, "\\", "\\\\"), '"', '\\"')


def from_16th(ts_ms: np.ndarray) -> np.ndarray:
    """Whether each time (UTC, ms) is from the 16th of its month on (a device whose output
    changes in the middle of the month: FortiOS upgraded, PAN-OS' syslog format switched)."""
    days = np.asarray(ts_ms, np.int64).astype("datetime64[ms]").astype("datetime64[D]")
    return (days - days.astype("datetime64[M]")).astype(np.int64) >= 15


def cut_after(line: bytes, marker: bytes, rng: np.random.Generator, low: int, high: int) -> bytes:
    """``line`` cut ``low`` to ``high - 1`` bytes after ``marker`` (a truncated copy).

    Without the marker, its first quarter (at least 5 bytes).
    """
    at = line.find(marker)
    if at < 0:
        return line[: max(5, len(line) // 4)]
    return line[: at + len(marker) + int(rng.integers(low, high))]
