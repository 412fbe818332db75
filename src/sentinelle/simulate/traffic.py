"""The connection records of the simulated window, assembled from the modules that draw them.

``records`` describes the records, ``timeline`` the window's hour buckets, ``names`` the
generated hosts and paths; ``sessions`` draws every AI hit up front and ``background`` the
rest one day at a time.  This module builds the string tables they index and merges one day.
"""

from __future__ import annotations

import numpy as np

from sentinelle.simulate.background import Background, background
from sentinelle.simulate.config import HospitalConfig, profile_of
from sentinelle.simulate.hospital import Hospital
from sentinelle.simulate.names import (
    ERROR_URL,
    ai_paths,
    long_tail,
    plain_paths,
    referral_paths,
    server_addresses,
)
from sentinelle.simulate.records import Connections, Tables, UserIndex
from sentinelle.simulate.timeline import Calendar


def build_tables(h: Hospital, config: HospitalConfig, rng: np.random.Generator) -> Tables:
    """Host table: "" + background head + generated long tail + look-alikes + AI spellings."""
    prof = profile_of(config)
    n_tail = int(np.clip(config.total_lines / 60, 3000, 150_000))
    hosts = ["", *prof["background"], *long_tail(n_tail, rng), *prof["lookalikes"]]
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
    servers = server_addresses(len(hosts), rng)
    plain = plain_paths(rng)
    paths = ["", ERROR_URL, *plain, *referral_paths(prof), *ai_paths()]
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


def day_connections(
    plan: Background,
    ai: Connections,
    cal: Calendar,
    t0: int,
    t1: int,
    tables: Tables,
    users: UserIndex,
    rng: np.random.Generator,
) -> Connections:
    """One output file's records, sorted by time: its background lines and its AI hits."""
    lo, hi = np.searchsorted(ai.ts, [t0, t1])
    return Connections.concat(
        [background(plan, cal, t0, t1, tables, users, rng), ai.take(slice(lo, hi))]
    ).sorted()
