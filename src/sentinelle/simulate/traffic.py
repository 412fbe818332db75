"""Connection records: background web traffic and AI sessions, drawn with numpy.

Everything is columnar (:class:`Connections`, one numpy array per field) so that a month of a
CHU (tens of millions of lines) is drawn in seconds.  Strings live once in :class:`Tables`;
records hold indices into them.  Times are epoch milliseconds (UTC).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from sentinelle.simulate.config import HospitalConfig, profile_of
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
HOUR_MS = 3_600_000
VISIT_GAP_MS = 30 * 60 * 1000
ERROR_URL = "error:transaction-end-before-headers"
_OFFICE_HOURS = np.array(
    [2, 1, 1, 1, 1, 2, 6, 30, 80, 100, 95, 80, 45, 60, 95, 100, 90, 70, 35, 12, 6, 4, 3, 2], float
)
_CARE_HOURS = np.array(
    [
        35,
        30,
        25,
        22,
        22,
        28,
        45,
        80,
        100,
        95,
        90,
        80,
        65,
        75,
        90,
        95,
        90,
        80,
        70,
        60,
        55,
        50,
        45,
        40,
    ],
    float,
)
_OFFICE_DAYS = np.array([1, 1, 1, 1, 0.95, 0.08, 0.04])  # Monday..Sunday
_CARE_DAYS = np.array([1, 1, 1, 1, 1, 0.75, 0.7])
_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


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


@dataclass
class Calendar:
    """The window's hour buckets (UTC starts) and their weight per schedule (office, care)."""

    starts: np.ndarray  # int64 epoch ms of each UTC hour bucket
    weight: np.ndarray  # float, shape (2, n_buckets)
    day_edges: list[tuple[int, int, str]]  # (start ms, end ms, local date) per output file


def calendar(config: HospitalConfig) -> Calendar:
    """Hour buckets over the window, weighted by local hour, weekday and public holidays."""
    begin, stop = config.window()
    t0 = int(begin.timestamp()) * 1000
    t1 = int(stop.timestamp()) * 1000
    starts = np.arange(t0, t1, HOUR_MS, dtype=np.int64)
    weight = np.empty((2, len(starts)))
    zone = begin.tzinfo
    for k, s in enumerate(starts.tolist()):
        local = dt.datetime.fromtimestamp(s / 1000, zone)
        wd = local.weekday()
        holiday = (local.month, local.day) in _HOLIDAYS
        weight[0, k] = _OFFICE_HOURS[local.hour] * (0.05 if holiday else _OFFICE_DAYS[wd])
        weight[1, k] = _CARE_HOURS[local.hour] * (0.7 if holiday else _CARE_DAYS[wd])
    return Calendar(starts, weight, _day_edges(begin, stop))


def _day_edges(begin: dt.datetime, stop: dt.datetime) -> list[tuple[int, int, str]]:
    edges = []
    day = begin.date()
    zone = begin.tzinfo
    while True:
        lo = max(dt.datetime.combine(day, dt.time(), zone), begin)
        hi = min(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone), stop)
        if lo >= stop:
            return edges
        edges.append((int(lo.timestamp() * 1000), int(hi.timestamp() * 1000), day.isoformat()))
        day += dt.timedelta(days=1)


def build_tables(h: Hospital, config: HospitalConfig, rng: np.random.Generator) -> Tables:
    """Host table: "" + background head + generated long tail + look-alikes + AI spellings."""
    prof = profile_of(config)
    n_tail = int(np.clip(config.total_lines / 60, 3000, 150_000))
    hosts = ["", *prof["background"], *_long_tail(n_tail, rng), *prof["lookalikes"]]
    hosts = list(dict.fromkeys(hosts))
    service = [-1] * len(hosts)
    aux = [False] * len(hosts)
    services = list(prof["services"])
    for s, sid in enumerate(services):
        spec = prof["services"][sid]
        for name in spec["hosts"]:
            for spelling in ["{host}", *prof["spellings"]]:
                hosts.append(spelling.format(host=name, Host=name.capitalize(), HOST=name.upper()))
                service.append(s)
                aux.append(False)
        for name in spec.get("auxiliary", {}):
            hosts.append(name)
            service.append(s)
            aux.append(True)
    servers = _server_addresses(len(hosts), rng)
    plain = _paths(rng)
    paths = ["", ERROR_URL, *plain, *referral_paths(prof), *_ai_paths()]
    return Tables(
        list(h.ip),
        h.user_names,
        hosts,
        servers,
        np.arange(len(hosts)),
        paths,
        services,
        [prof["services"][s]["category"] for s in services],
        np.array(service, np.int16),
        np.array(aux),
        2 + len(plain),
        len(prof["spellings"]),
    )


_SYL = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ca",
    "ce",
    "ci",
    "co",
    "da",
    "de",
    "di",
    "do",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "gi",
    "go",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "vo",
    "za",
    "zo",
    "tra",
    "pro",
    "gre",
    "bla",
    "cli",
    "stu",
    "mar",
    "por",
    "ver",
    "tel",
    "lin",
    "net",
    "med",
    "soft",
    "web",
    "data",
]
_TLD = np.array(["com", "fr", "net", "org", "eu", "de", "io", "info", "be", "ch", "co.uk", "es"])
_SUB = np.array(["www.", "", "cdn.", "api.", "static.", "img.", "m.", "auth.", "mail."])


def _long_tail(n: int, rng: np.random.Generator) -> list[str]:
    """Plausible but made-up hosts, plus CDN-style names; none ends in an AI domain."""
    syl = np.array(_SYL)
    words = np.char.add(
        np.char.add(syl[rng.integers(0, len(syl), n)], syl[rng.integers(0, len(syl), n)]),
        syl[rng.integers(0, len(syl), n)],
    )
    sub = _SUB[rng.integers(0, len(_SUB), n)]
    tld = _TLD[rng.integers(0, len(_TLD), n)]
    names = [
        f"{a}{w}.{t}" for a, w, t in zip(sub.tolist(), words.tolist(), tld.tolist(), strict=True)
    ]
    k = n // 5
    cdn = [f"e{rng.integers(1000, 99999)}.dscb.akamaiedge.net" for _ in range(k // 2)]
    cdn += [f"d{rng.integers(16**12, 16**13):x}.cloudfront.net" for _ in range(k - k // 2)]
    return names[: n - k] + cdn


def _server_addresses(n: int, rng: np.random.Generator) -> list[str]:
    a = rng.integers(0, 256, (n, 4))
    a[:, 0] = rng.choice([13, 20, 23, 34, 52, 104, 142, 151, 172, 185, 192, 212], n)
    out = [f"{w}.{x}.{y}.{z}" for w, x, y, z in a.tolist()]
    six = np.flatnonzero(rng.random(n) < 0.08)
    for i in six.tolist():
        out[i] = f"2606:4700::{int(a[i, 2]):x}{int(a[i, 3]):02x}"
    return out


def _paths(rng: np.random.Generator) -> list[str]:
    fixed = [
        "/",
        "/index.html",
        "/favicon.ico",
        "/robots.txt",
        "/api/v1/status",
        "/wpad.dat",
        "/connecttest.txt",
        "/success.txt",
        "/generate_204",
    ]
    stems = [
        "/static/js/app.",
        "/assets/img/",
        "/images/",
        "/css/main.",
        "/api/v2/items/",
        "/fr/actualites/",
        "/article/",
        "/media/",
        "/pdf/recommandation-",
    ]
    exts = [".js", ".png", ".css", ".html", ".json", ".jpg", ".pdf", ""]
    gen = [
        f"{stems[rng.integers(len(stems))]}{rng.integers(1, 99999)}{exts[rng.integers(len(exts))]}"
        for _ in range(400)
    ]
    return fixed + gen


def _ai_paths() -> list[str]:
    return [
        "/backend-api/conversation",
        "/api/append_message",
        "/c/6849f0a2-81c4",
        "/_next/static/chunks/main.js",
        "/api/organizations",
        "/app",
        "/search/new",
    ]


def referral_paths(prof: dict[str, Any]) -> list[str]:
    return [f"/article/{k}{q}" for k, q in enumerate(prof["referrer_queries"])]


# ---------------------------------------------------------------------------------------------
# shared draws


def _cdf(w: np.ndarray) -> np.ndarray:
    c = np.cumsum(w, dtype=float)
    return c / c[-1]


def _pick(cdf: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
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


def _fill(
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


def _deny(
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


# ---------------------------------------------------------------------------------------------
# background


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
    ws_cdf = [_cdf(h.activity[w]) if len(w) else np.ones(1) for w in ws_of]
    look = np.array([tables.hosts.index(x) for x in prof["lookalikes"]])
    n_bg_hosts = int(look.min()) - 1
    ranks = np.arange(1, n_bg_hosts + 1, dtype=float)
    ref_hosts = np.array([tables.hosts.index(x) for x in prof["referrer_hosts"]])
    ref_paths = np.array([tables.paths.index(p) for p in referral_paths(prof)], np.int64)
    return Background(
        counts, ws_of, ws_cdf, _cdf(ranks**-1.05), look, ref_hosts, ref_paths, tables.n_plain_paths
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
        ws_parts.append(plan.ws_of[g][_pick(plan.ws_cdf[g], n, rng)])
        ts_parts.append(np.repeat(cal.starts[sel], cnt) + rng.integers(0, HOUR_MS, n))
    if not ws_parts:
        return _empty()
    ws = np.concatenate(ws_parts)
    ts = np.minimum(np.concatenate(ts_parts), t1 - 1)
    n = len(ws)
    method = rng.choice(5, n, p=[0.855, 0.12, 0.015, 0.007, 0.003]).astype(np.uint8)
    cols = _fill(n, rng, method, ws, ts, users)
    cols["host"] = (1 + _pick(plan.host_cdf, n, rng)).astype(np.int32)
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
    _deny(cols, v > 1 - 0.084, 407, rng)
    _deny(cols, (v > 1 - 0.084 - 0.019) & (v <= 1 - 0.084), 403, rng)
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


def _empty() -> Connections:
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


# ---------------------------------------------------------------------------------------------
# AI sessions
#
# A session is one person's use of one service: a burst of hits (primary and auxiliary hosts)
# with short gaps, sometimes a long pause that starts a new visit.  Hit budgets per service are
# exact (largest remainder), so the calibration shares hold even on a small hospital.

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
        return _empty()
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
    return _pick(_cdf(w), n, rng)


def _session_starts(
    h: Hospital, cal: Calendar, ws: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    start = np.empty(len(ws), np.int64)
    for g in (0, 1):
        sel = h.schedule[ws] == g
        k = int(sel.sum())
        start[sel] = cal.starts[_pick(_cdf(cal.weight[g]), k, rng)] + rng.integers(0, HOUR_MS, k)
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
    host = prim[_pick(_cdf(prim_w), n, rng)]
    if len(aux_h):
        host[aux] = aux_h[_pick(_cdf(aux_w), int(aux.sum()), rng)]
    host[hs_next] = host[first[sess[hs_next]]]
    odd = ~aux & (rng.random(n) < VARIANT_SHARE)
    host[odd] += rng.integers(1, tables.n_spellings + 1, int(odd.sum()))
    method = rng.choice([CONNECT, GET, POST], n, p=[0.88, 0.04, 0.08]).astype(np.uint8)
    method[hs_next | (handshake[sess] & (pos == 0))] = CONNECT
    cols = _fill(n, rng, method, ws[sess], ts, users)
    cols["user"] = users.draw(ws, rng)[sess]
    cols["host"] = host.astype(np.int32)
    cols["server"] = tables.host_server[host].astype(np.int32)
    _ai_requests(cols, method, tables, rng)
    if spec.get("blocked"):
        _deny(cols, np.ones(n, bool), 403, rng)
    _deny(cols, handshake[sess] & (pos == 0), 407, rng)
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
    first_ai_path = len(tables.paths) - len(_ai_paths())
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
        return _empty()
    lengths = rng.integers(1, 4, n)
    lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), n)) + 1]
    lengths[-1] -= int(lengths.sum()) - n
    lengths = lengths[lengths > 0]
    n_sess = len(lengths)
    sess = np.repeat(np.arange(n_sess), lengths)
    ws = _pick(_cdf(h.activity), n_sess, rng)
    start = _session_starts(h, cal, ws, rng)
    ts = start[sess] + rng.integers(0, 120_000, n)
    service = np.array(with_aux)[rng.integers(0, len(with_aux), n_sess)][sess]
    host = np.empty(n, np.int64)
    for s in with_aux:
        sel = service == s
        aux_h, aux_w = tables.service_hosts(s, prof)[2:]
        host[sel] = aux_h[_pick(_cdf(aux_w), int(sel.sum()), rng)]
    method = np.full(n, CONNECT, np.uint8)
    cols = _fill(n, rng, method, ws[sess], ts, users)
    cols["host"] = host.astype(np.int32)
    cols["server"] = tables.host_server[host].astype(np.int32)
    cols["path"] = np.zeros(n, np.int32)
    cols["service"] = service.astype(np.int16)
    cols["aux"] = np.ones(n, bool)
    return Connections(**cols)
