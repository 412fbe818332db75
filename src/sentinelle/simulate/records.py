"""The connection records every writer renders: columns of numbers, strings kept once.

Everything is columnar (:class:`Connections`, one numpy array per field) so that a month of a
CHU (tens of millions of lines) is drawn in seconds.  Strings live once in :class:`Tables`;
records hold indices into them.  Times are epoch milliseconds (UTC).  The draws shared by
background and AI lines (common columns, denials, users) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from sentinelle.simulate.hospital import Hospital

METHODS = ("CONNECT", "GET", "POST", "HEAD", "PUT", "NONE")
CONNECT, GET, POST, HEAD, PUT, NONE = range(6)
SCHEMES = ("", "http://", "https://")
# Squid result codes; other writers map them to their own vocabulary.
RESULTS = ("TCP_TUNNEL", "TCP_MISS", "TCP_HIT", "TCP_DENIED", "TCP_REFRESH_MODIFIED", "NONE_NONE")
TUNNEL, MISS, HIT, DENIED, REFRESH, NONE_NONE = range(6)
MIMES = (
    "-",
    "text/html",
    "application/json",
    "image/png",
    "application/javascript",
    "text/css",
    "image/jpeg",
    "application/octet-stream",
    "text/event-stream",
)


@dataclass
class Connections:
    """Columnar connection records; every field is a numpy array of the same length.

    ``host``/``path``/``user``/``server`` index :class:`Tables`; ``user`` is -1 when the line
    carries no authenticated user, ``port`` 0 when the URL has none, ``server`` -1 when the
    proxy contacted no server (cache hit, denial, error).  ``service`` is -1 for background
    lines, else an index into ``Tables.services``; ``aux`` marks auxiliary-evidence hits.
    """

    ts: np.ndarray  # int64, epoch ms UTC
    elapsed: np.ndarray  # int32, ms
    client: np.ndarray  # int32, workstation index
    user: np.ndarray  # int32
    method: np.ndarray  # uint8, METHODS
    scheme: np.ndarray  # uint8, SCHEMES (0 = CONNECT authority form)
    host: np.ndarray  # int32, Tables.hosts
    port: np.ndarray  # int32
    path: np.ndarray  # int32, Tables.paths
    result: np.ndarray  # uint8, RESULTS
    status: np.ndarray  # int16, HTTP status (0 = none)
    bytes_in: np.ndarray  # int64, server -> client
    bytes_out: np.ndarray  # int64, client -> server
    server: np.ndarray  # int32, Tables.servers (-1 = none)
    mime: np.ndarray  # uint8, MIMES
    service: np.ndarray  # int16
    aux: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ts)

    def take(self, idx: np.ndarray | slice) -> Connections:
        return Connections(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Connections]) -> Connections:
        return Connections(
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts])
                for f in fields(Connections)
            }
        )

    def sorted(self) -> Connections:
        return self.take(np.argsort(self.ts, kind="stable"))


@dataclass
class Tables:
    """The strings records point at; ``clients``/``users`` come from the hospital."""

    clients: list[str]
    users: list[str]
    hosts: list[str]  # spellings as written (index 0 = "" for error lines)
    servers: list[str]  # server addresses
    host_server: np.ndarray  # host index -> server index
    paths: list[str]  # index 0 = "" (CONNECT)
    services: list[str]  # catalog ids
    categories: list[str]  # per service
    host_service: np.ndarray  # host index -> service index (-1 background)
    host_aux: np.ndarray  # host index -> auxiliary evidence
    n_plain_paths: int  # paths[2:n_plain_paths] are ordinary background paths
    n_spellings: int  # each primary host is followed by this many odd spellings
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # writers'

    def service_hosts(self, s: int, prof: dict[str, Any]) -> tuple[np.ndarray, ...]:
        """(primary host indices, their weights, auxiliary indices, their weights)."""
        spec = prof["services"][self.services[s]]
        prim = np.array([self.hosts.index(x) for x in spec["hosts"]])
        aux = np.array([self.hosts.index(x) for x in spec.get("auxiliary", {})], np.int64)
        return (
            prim,
            np.array(list(spec["hosts"].values()), float),
            aux,
            np.array(list(spec.get("auxiliary", {}).values()), float),
        )


# ---------------------------------------------------------------------------------------------
# shared draws


def cdf(w: np.ndarray) -> np.ndarray:
    """Cumulative weights scaled to end at 1, for :func:`pick`."""
    c = np.cumsum(w, dtype=float)
    return c / c[-1]


def pick(cdf: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` indices drawn with the weights ``cdf`` was built from."""
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


@dataclass
class UserIndex:
    """Per-workstation user lists flattened (CSR) for vectorized draws."""

    flat: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, h: Hospital) -> UserIndex:
        count = np.array([len(u) for u in h.users], np.int64)
        start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        flat = np.concatenate([*h.users, np.empty(0, np.int64)]).astype(np.int32)
        return cls(flat, start, count)

    def draw(self, ws: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One user of each given workstation (-1 for stations without authentication)."""
        if not len(self.flat):
            return np.full(len(ws), -1, np.int32)
        c = self.count[ws]
        k = self.start[ws] + (rng.random(len(ws)) * c).astype(np.int64)
        picked = self.flat[np.minimum(k, len(self.flat) - 1)]
        return np.where(c > 0, picked, -1).astype(np.int32)


def fill(
    n: int,
    rng: np.random.Generator,
    method: np.ndarray,
    ws: np.ndarray,
    ts: np.ndarray,
    users: UserIndex,
) -> dict[str, np.ndarray]:
    """Columns common to every line: sizes, timings, user, defaults for the rest."""
    connect = method == CONNECT
    return {
        "ts": ts.astype(np.int64),
        "elapsed": np.where(connect, rng.lognormal(9.0, 1.8, n), rng.lognormal(4.8, 1.3, n))
        .clip(0, 3_600_000)
        .astype(np.int32),
        "client": ws.astype(np.int32),
        "user": users.draw(ws, rng),
        "method": method.astype(np.uint8),
        "scheme": np.where(connect, 0, 1).astype(np.uint8),
        "port": np.where(connect, 443, 0).astype(np.int32),
        "bytes_in": np.where(connect, rng.lognormal(8.5, 1.9, n), rng.lognormal(7.2, 1.6, n))
        .clip(0, 2**31 - 1)
        .astype(np.int64),
        "bytes_out": rng.lognormal(6.6, 1.2, n).clip(40, 2**31 - 1).astype(np.int64),
        "result": np.where(connect, TUNNEL, MISS).astype(np.uint8),
        "status": np.full(n, 200, np.int16),
        "mime": np.where(connect, 0, 1).astype(np.uint8),
    }


def deny(
    cols: dict[str, np.ndarray], mask: np.ndarray, status: int, rng: np.random.Generator
) -> None:
    """Turn the masked lines into TCP_DENIED/<status> (407: auth handshake, no user)."""
    k = int(mask.sum())
    cols["result"][mask] = DENIED
    cols["status"][mask] = status
    cols["bytes_in"][mask] = (3800 if status == 407 else 3400) + rng.integers(0, 300, k)
    cols["bytes_out"][mask] = 250 + rng.integers(0, 250, k)
    cols["elapsed"][mask] = rng.integers(0, 3, k)
    cols["mime"][mask] = 1
    cols["server"][mask] = -1
    if status == 407:
        cols["user"][mask] = -1


def empty() -> Connections:
    """No records, each column with its dtype."""
    z = np.empty(0)
    return Connections(
        *(
            z.astype(t)
            for t in (
                np.int64,
                np.int32,
                np.int32,
                np.int32,
                np.uint8,
                np.uint8,
                np.int32,
                np.int32,
                np.int32,
                np.uint8,
                np.int16,
                np.int64,
                np.int64,
                np.int32,
                np.uint8,
                np.int16,
                bool,
            )
        )
    )
