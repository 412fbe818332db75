"""Background lines (everything that is not AI), with the traps that must never count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sentinelle.simulate.config import HospitalConfig, profile_of
from sentinelle.simulate.hospital import Hospital
from sentinelle.simulate.names import referral_paths
from sentinelle.simulate.records import (
    CONNECT,
    DENIED,
    GET,
    HIT,
    MISS,
    NONE,
    NONE_NONE,
    REFRESH,
    Connections,
    Tables,
    UserIndex,
    cdf,
    deny,
    empty,
    fill,
    pick,
)
from sentinelle.simulate.timeline import HOUR_MS, Calendar


@dataclass
class Background:
    """What is needed to draw background lines for any slice of the window."""

    counts: np.ndarray  # lines per (schedule, bucket)
    ws_of: list[np.ndarray]  # workstations per schedule
    ws_cdf: list[np.ndarray]
    host_cdf: np.ndarray  # Zipf over background hosts (head then long tail)
    lookalike: np.ndarray  # host indices
    referral_hosts: np.ndarray
    referral_paths: np.ndarray
    n_plain_paths: int


def plan_background(
    h: Hospital,
    config: HospitalConfig,
    cal: Calendar,
    tables: Tables,
    n_lines: int,
    rng: np.random.Generator,
) -> Background:
    prof = profile_of(config)
    ws_of = [np.flatnonzero(h.schedule == g) for g in (0, 1)]
    act = np.array([h.activity[w].sum() for w in ws_of])
    cell = cal.weight * act[:, None]
    counts = rng.multinomial(n_lines, (cell / cell.sum()).ravel()).reshape(cell.shape)
    ws_cdf = [cdf(h.activity[w]) if len(w) else np.ones(1) for w in ws_of]
    look = np.array([tables.hosts.index(x) for x in prof["lookalikes"]])
    n_bg_hosts = int(look.min()) - 1
    ranks = np.arange(1, n_bg_hosts + 1, dtype=float)
    ref_hosts = np.array([tables.hosts.index(x) for x in prof["referrer_hosts"]])
    ref_paths = np.array([tables.paths.index(p) for p in referral_paths(prof)], np.int64)
    return Background(
        counts, ws_of, ws_cdf, cdf(ranks**-1.05), look, ref_hosts, ref_paths, tables.n_plain_paths
    )


def background(
    plan: Background,
    cal: Calendar,
    t0: int,
    t1: int,
    tables: Tables,
    users: UserIndex,
    rng: np.random.Generator,
) -> Connections:
    """Background lines of the buckets starting in [t0, t1)."""
    sel = (cal.starts >= t0) & (cal.starts < t1)
    ws_parts, ts_parts = [], []
    for g in (0, 1):
        cnt = plan.counts[g, sel]
        n = int(cnt.sum())
        if n == 0 or len(plan.ws_of[g]) == 0:
            continue
        ws_parts.append(plan.ws_of[g][pick(plan.ws_cdf[g], n, rng)])
        ts_parts.append(np.repeat(cal.starts[sel], cnt) + rng.integers(0, HOUR_MS, n))
    if not ws_parts:
        return empty()
    ws = np.concatenate(ws_parts)
    ts = np.minimum(np.concatenate(ts_parts), t1 - 1)
    n = len(ws)
    method = rng.choice(5, n, p=[0.855, 0.12, 0.015, 0.007, 0.003]).astype(np.uint8)
    cols = fill(n, rng, method, ws, ts, users)
    cols["host"] = (1 + pick(plan.host_cdf, n, rng)).astype(np.int32)
    cols["path"] = np.where(method == CONNECT, 0, rng.integers(2, plan.n_plain_paths, n)).astype(
        np.int32
    )
    _background_variety(cols, method, rng)
    cols["server"] = tables.host_server[cols["host"]].astype(np.int32)
    _background_status(cols, method, rng)
    _background_traps(cols, plan, rng)
    cols["service"] = np.full(n, -1, np.int16)
    cols["aux"] = np.zeros(n, bool)
    return Connections(**cols)


def _background_variety(
    cols: dict[str, np.ndarray], method: np.ndarray, rng: np.random.Generator
) -> None:
    n = len(method)
    connect = method == CONNECT
    odd = connect & (rng.random(n) < 0.015)
    cols["port"][odd] = rng.choice([8443, 5228, 4443, 9443, 80], int(odd.sum()))
    bumped = ~connect & (rng.random(n) < 0.17)
    cols["scheme"][bumped] = 2
    plain = ~connect
    cols["mime"][plain] = rng.choice(
        [1, 2, 3, 4, 5, 6, 7], int(plain.sum()), p=[0.35, 0.2, 0.15, 0.12, 0.08, 0.06, 0.04]
    )


def _background_status(
    cols: dict[str, np.ndarray], method: np.ndarray, rng: np.random.Generator
) -> None:
    n = len(method)
    u = rng.random(n)
    plain = method != CONNECT
    hit = plain & (u < 0.08)
    cols["result"][hit] = HIT
    cols["server"][hit] = -1
    refresh = plain & (u >= 0.08) & (u < 0.10)
    cols["result"][refresh] = REFRESH
    st = rng.choice(
        [200, 304, 301, 302, 404, 204, 500], n, p=[0.72, 0.1, 0.04, 0.05, 0.05, 0.03, 0.01]
    )
    miss = plain & (u >= 0.10)
    cols["status"][miss] = st[miss]
    v = rng.random(n)
    bad_tunnel = (method == CONNECT) & (v < 0.004)
    cols["status"][bad_tunnel] = 503
    deny(cols, v > 1 - 0.084, 407, rng)
    deny(cols, (v > 1 - 0.084 - 0.019) & (v <= 1 - 0.084), 403, rng)
    err = (v >= 0.004) & (v < 0.006)
    cols["method"][err] = NONE
    cols["result"][err] = NONE_NONE
    cols["status"][err] = 0
    cols["host"][err] = 0
    cols["path"][err] = 1
    cols["scheme"][err] = 0
    cols["port"][err] = 0
    cols["server"][err] = -1
    cols["user"][err] = -1
    cols["bytes_in"][err] = 0
    cols["mime"][err] = 0


def _background_traps(
    cols: dict[str, np.ndarray], plan: Background, rng: np.random.Generator
) -> None:
    """Look-alike hosts and AI names in query strings: background that must never count."""
    n = len(cols["ts"])
    u = rng.random(n)
    look = u < 0.0003
    cols["host"][look] = rng.choice(plan.lookalike, int(look.sum()))
    cols["server"][look] = np.where(cols["server"][look] >= 0, cols["host"][look], -1)
    if len(plan.referral_paths):
        ref = (u >= 0.0003) & (u < 0.0013) & (cols["result"] != DENIED) & (cols["method"] != NONE)
        k = int(ref.sum())
        cols["method"][ref] = GET
        cols["scheme"][ref] = rng.choice([1, 2], k)
        cols["port"][ref] = 0
        cols["host"][ref] = rng.choice(plan.referral_hosts, k)
        cols["server"][ref] = cols["host"][ref]
        cols["path"][ref] = rng.choice(plan.referral_paths, k)
        cols["mime"][ref] = 1
        cols["result"][ref] = MISS
