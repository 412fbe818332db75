"""AI sessions: bursts of hits to one service's hosts, split into visits by long pauses.

A session is one person's use of one service: a burst of hits (primary and auxiliary hosts)
with short gaps, sometimes a long pause that starts a new visit.  Hit budgets per service are
exact (largest remainder), so the calibration shares hold even on a small hospital.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sentinelle.simulate.config import HospitalConfig, profile_of
from sentinelle.simulate.hospital import Hospital
from sentinelle.simulate.names import ai_paths
from sentinelle.simulate.records import (
    CONNECT,
    GET,
    POST,
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

VISIT_GAP_MS = 30 * 60 * 1000
AUX_ONLY_SHARE = 0.03  # of AI lines: auxiliary-only bursts (a page embedding a CDN asset)
HANDSHAKE_SHARE = 0.35  # sessions that start with a TCP_DENIED/407 auth handshake
VARIANT_SHARE = 0.012  # primary hits written ChatGPT.com / CHATGPT.COM / chatgpt.com.


def ai_connections(
    h: Hospital,
    config: HospitalConfig,
    cal: Calendar,
    tables: Tables,
    users: UserIndex,
    rng: np.random.Generator,
) -> Connections:
    """Every AI hit of the window, sorted by time."""
    prof = profile_of(config)
    total = round(config.total_lines * config.ai_share)
    if total == 0:
        return empty()
    n_aux_only = round(total * AUX_ONLY_SHARE)
    shares = np.array([prof["services"][s]["share"] for s in tables.services], float)
    budgets = _largest_remainder(shares, total - n_aux_only)
    parts = []
    for s, sid in enumerate(tables.services):
        spec = prof["services"][sid]
        lengths = _session_lengths(int(budgets[s]), float(spec.get("session", 10)), rng)
        if not len(lengths):
            continue
        ws = _session_workstations(h, prof, spec, len(lengths), rng)
        start = _session_starts(h, cal, ws, rng)
        if sid == "chatgpt":
            _month_boundary_sessions(config, start)
        parts.append(_session_hits(s, spec, lengths, ws, start, tables, users, prof, rng))
    parts.append(_aux_only(h, cal, tables, users, prof, n_aux_only, rng))
    conns = Connections.concat([p for p in parts if len(p)])
    end = int(config.window()[1].timestamp() * 1000)
    return conns.take((conns.ts >= cal.starts[0]) & (conns.ts < end)).sorted()


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    raw = shares / shares.sum() * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw)[: total - int(out.sum())]] += 1
    return out


def _session_lengths(budget: int, mean: float, rng: np.random.Generator) -> np.ndarray:
    """Geometric session lengths summing exactly to ``budget``."""
    if budget <= 0:
        return np.empty(0, np.int64)
    lengths = rng.geometric(1 / max(mean, 1.0), int(budget / mean * 1.5) + 8)
    cut = int(np.searchsorted(np.cumsum(lengths), budget))
    lengths = lengths[: cut + 1].copy()
    lengths[-1] -= int(lengths.sum()) - budget
    return lengths[lengths > 0]


def _session_workstations(
    h: Hospital, prof: dict[str, Any], spec: dict[str, Any], n: int, rng: np.random.Generator
) -> np.ndarray:
    """Workstations weighted by AI propensity; coding/medical tools only for some roles."""
    w = h.ai_weight.copy()
    cat = spec["category"]
    if cat in ("coding", "medical"):
        mult = np.array([prof["roles"][r].get(cat, 0.02) for r in h.role_names])
        w *= mult[h.role]
    if w.sum() <= 0:
        w = np.ones(len(h))
    return pick(cdf(w), n, rng)


def _session_starts(
    h: Hospital, cal: Calendar, ws: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    start = np.empty(len(ws), np.int64)
    for g in (0, 1):
        sel = h.schedule[ws] == g
        k = int(sel.sum())
        start[sel] = cal.starts[pick(cdf(cal.weight[g]), k, rng)] + rng.integers(0, HOUR_MS, k)
    return start


def _month_boundary_sessions(config: HospitalConfig, start: np.ndarray) -> None:
    """Pin a few sessions around the first local midnight: one spans it, one is 00:30 local."""
    if config.lead_in_hours < 1 or len(start) < 4:
        return
    midnight = int(config.window()[0].timestamp() * 1000) + config.lead_in_hours * HOUR_MS
    start[:3] = [midnight - 10 * 60_000, midnight + 30 * 60_000, midnight - 40 * 60_000]


def _session_hits(
    s: int,
    spec: dict[str, Any],
    lengths: np.ndarray,
    ws: np.ndarray,
    start: np.ndarray,
    tables: Tables,
    users: UserIndex,
    prof: dict[str, Any],
    rng: np.random.Generator,
) -> Connections:
    n_sess, n = len(lengths), int(lengths.sum())
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    sess = np.repeat(np.arange(n_sess), lengths)
    pos = np.arange(n) - first[sess]
    handshake = (rng.random(n_sess) < HANDSHAKE_SHARE) & (lengths >= 2)
    gap = _gaps(n, rng)
    gap[pos == 0] = 0
    hs_next = handshake[sess] & (pos == 1)
    gap[hs_next] = rng.integers(1, 40, int(hs_next.sum()))
    cs = np.cumsum(gap)
    ts = start[sess] + cs - cs[first][sess]
    prim, prim_w, aux_h, aux_w = tables.service_hosts(s, prof)
    aux_frac = aux_w.sum() / (aux_w.sum() + prim_w.sum()) if len(aux_h) else 0.0
    aux = (rng.random(n) < aux_frac) & (pos > 0) & (gap <= VISIT_GAP_MS) & ~hs_next
    host = prim[pick(cdf(prim_w), n, rng)]
    if len(aux_h):
        host[aux] = aux_h[pick(cdf(aux_w), int(aux.sum()), rng)]
    host[hs_next] = host[first[sess[hs_next]]]
    odd = ~aux & (rng.random(n) < VARIANT_SHARE)
    host[odd] += rng.integers(1, tables.n_spellings + 1, int(odd.sum()))
    method = rng.choice([CONNECT, GET, POST], n, p=[0.88, 0.04, 0.08]).astype(np.uint8)
    method[hs_next | (handshake[sess] & (pos == 0))] = CONNECT
    cols = fill(n, rng, method, ws[sess], ts, users)
    cols["user"] = users.draw(ws, rng)[sess]
    cols["host"] = host.astype(np.int32)
    cols["server"] = tables.host_server[host].astype(np.int32)
    _ai_requests(cols, method, tables, rng)
    if spec.get("blocked"):
        deny(cols, np.ones(n, bool), 403, rng)
    deny(cols, handshake[sess] & (pos == 0), 407, rng)
    cols["service"] = np.full(n, s, np.int16)
    cols["aux"] = aux
    return Connections(**cols)


def _gaps(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly tens of seconds; some long pauses (new visit), some exactly 30 min (same visit)."""
    gap = rng.exponential(45_000, n).astype(np.int64) + 200
    u = rng.random(n)
    long = u < 0.03
    gap[long] = rng.integers(VISIT_GAP_MS + 1000, 3 * VISIT_GAP_MS, int(long.sum()))
    gap[(u >= 0.03) & (u < 0.036)] = VISIT_GAP_MS  # same visit
    gap[(u >= 0.036) & (u < 0.04)] = VISIT_GAP_MS + 1  # 1 ms too late: a new visit
    return gap


def _ai_requests(
    cols: dict[str, np.ndarray], method: np.ndarray, tables: Tables, rng: np.random.Generator
) -> None:
    """Bumped HTTPS requests to AI hosts: https:// URLs, paths, sometimes an explicit :443."""
    req = method != CONNECT
    k = int(req.sum())
    first_ai_path = len(tables.paths) - len(ai_paths())
    cols["scheme"][req] = 2
    cols["path"] = np.zeros(len(method), np.int32)
    cols["path"][req] = rng.integers(first_ai_path, len(tables.paths), k)
    cols["port"][req] = np.where(rng.random(k) < 0.25, 443, 0)
    cols["mime"][req] = rng.choice([1, 2, 8], k, p=[0.3, 0.5, 0.2])


def _aux_only(
    h: Hospital,
    cal: Calendar,
    tables: Tables,
    users: UserIndex,
    prof: dict[str, Any],
    n: int,
    rng: np.random.Generator,
) -> Connections:
    """Short bursts to auxiliary hosts only (e.g. a page embedding an AI vendor's CDN asset)."""
    with_aux = [s for s in range(len(tables.services)) if len(tables.service_hosts(s, prof)[2])]
    if n <= 0 or not with_aux:
        return empty()
    lengths = rng.integers(1, 4, n)
    lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), n)) + 1]
    lengths[-1] -= int(lengths.sum()) - n
    lengths = lengths[lengths > 0]
    n_sess = len(lengths)
    sess = np.repeat(np.arange(n_sess), lengths)
    ws = pick(cdf(h.activity), n_sess, rng)
    start = _session_starts(h, cal, ws, rng)
    ts = start[sess] + rng.integers(0, 120_000, n)
    service = np.array(with_aux)[rng.integers(0, len(with_aux), n_sess)][sess]
    host = np.empty(n, np.int64)
    for s in with_aux:
        sel = service == s
        aux_h, aux_w = tables.service_hosts(s, prof)[2:]
        host[sel] = aux_h[pick(cdf(aux_w), int(sel.sum()), rng)]
    method = np.full(n, CONNECT, np.uint8)
    cols = fill(n, rng, method, ws[sess], ts, users)
    cols["host"] = host.astype(np.int32)
    cols["server"] = tables.host_server[host].astype(np.int32)
    cols["path"] = np.zeros(n, np.int32)
    cols["service"] = service.astype(np.int16)
    cols["aux"] = np.ones(n, bool)
    return Connections(**cols)
