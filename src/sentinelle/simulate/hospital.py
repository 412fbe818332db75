"""The simulated establishment: sites, departments, roles, workstations, users, inventory.

Workstations are rows of parallel numpy arrays (index ``i``).  Each has a source address
(IPv4, or IPv6 for ``ipv6_share`` of them), a hostname, a role and department, an AI
propensity, and the users who log on to it.  The inventory written for the scanner covers
``inventory_coverage`` of them; the rest are *unknown* to the scanner.  One department's
shared PCs sit in a pool subnet given as a CIDR row without hostname (their identity is the
source address), and one pool address also has its own, more specific row.
"""

from __future__ import annotations

import csv
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sentinelle.simulate.config import HospitalConfig, profile_of

UNKNOWN = "unknown"
_FIRST = "abcdefghijklmnopqrstuvwxyz"
_LAST = [
    "martin",
    "bernard",
    "thomas",
    "petit",
    "robert",
    "richard",
    "durand",
    "dubois",
    "moreau",
    "laurent",
    "simon",
    "michel",
    "lefebvre",
    "leroy",
    "roux",
    "david",
    "bertrand",
    "morel",
    "fournier",
    "girard",
    "bonnet",
    "dupont",
    "lambert",
    "fontaine",
    "rousseau",
    "vincent",
    "muller",
    "lefevre",
    "faure",
    "andre",
    "mercier",
    "blanc",
    "guerin",
    "boyer",
    "garnier",
    "chevalier",
    "francois",
    "legrand",
    "gauthier",
    "garcia",
    "perrin",
    "robin",
    "clement",
    "morin",
    "nicolas",
    "henry",
    "roussel",
    "mathieu",
    "gautier",
    "masson",
    "marchand",
    "duval",
    "denis",
    "dumont",
    "marie",
    "lemaire",
    "noel",
    "meyer",
    "dufour",
    "meunier",
    "brun",
    "blanchard",
    "giraud",
    "joly",
    "riviere",
    "lucas",
    "brunet",
    "gaillard",
    "barbier",
    "arnaud",
    "martinez",
    "gerard",
    "roche",
    "renard",
    "schmitt",
    "roy",
    "leroux",
    "colin",
    "vidal",
    "caron",
    "picard",
    "roger",
    "fabre",
    "aubert",
    "lemoine",
    "renaud",
    "dumas",
    "lacroix",
    "olivier",
    "philippe",
    "bourgeois",
    "pierre",
    "benoit",
    "rey",
    "leclerc",
    "payet",
    "rolland",
    "leclercq",
    "guillaume",
    "lecomte",
    "lopez",
    "jean",
    "dupuy",
    "guillot",
    "hubert",
    "berger",
    "carpentier",
    "sanchez",
    "dupuis",
    "moulin",
    "louis",
    "deschamps",
]


@dataclass
class Hospital:
    """Workstations as parallel arrays, plus the user-name table."""

    ip: list[str]  # source address text as the proxy logs it
    hostname: list[str]  # "" for pool PCs without a hostname
    site: np.ndarray  # int index into site_names
    department: np.ndarray  # int index into department_names
    role: np.ndarray  # int index into role_names
    schedule: np.ndarray  # 0 office, 1 care
    ai_weight: np.ndarray  # relative AI propensity, 0 for non-adopters
    activity: np.ndarray  # relative background activity
    users: list[np.ndarray]  # user indices per workstation (empty: no authentication)
    in_inventory: np.ndarray  # bool: attributed by the inventory (row or CIDR)
    identity: list[str]  # inventory hostname when mapped, else the source address
    site_names: list[str]
    department_names: list[str]
    role_names: list[str]
    user_names: list[str]
    inventory_rows: list[tuple[str, str, str, str, str]]

    def __len__(self) -> int:
        return len(self.ip)

    def labels(self, i: int) -> tuple[str, str, str]:
        """(site, department, role) as the scanner must attribute workstation ``i``."""
        if not self.in_inventory[i]:
            return UNKNOWN, UNKNOWN, UNKNOWN
        return (
            self.site_names[self.site[i]],
            self.department_names[self.department[i]],
            self.role_names[self.role[i]],
        )


def build_hospital(config: HospitalConfig, rng: np.random.Generator) -> Hospital:
    """Draw the workstations, their addresses, users and inventory rows."""
    prof = profile_of(config)
    n = config.workstations
    sites = list(prof["sites"][: config.sites])
    deps = list(prof["departments"])
    roles = list(prof["roles"])
    dep_w = np.array([prof["departments"][d]["weight"] for d in deps], float)
    dep = np.sort(rng.choice(len(deps), n, p=dep_w / dep_w.sum()))
    site = rng.choice(len(sites), n, p=_site_weights(len(sites)))
    role = np.empty(n, np.int64)
    shared = np.zeros(n, bool)
    for d, name in enumerate(deps):
        idx = np.flatnonzero(dep == d)
        mix = prof["departments"][name]["roles"]
        w = np.array(list(mix.values()), float)
        role[idx] = [roles.index(r) for r in rng.choice(list(mix), len(idx), p=w / w.sum())]
        shared[idx] = rng.random(len(idx)) < prof["departments"][name].get("shared", 0.2)
    rp = [prof["roles"][r] for r in roles]
    schedule = np.array([1 if rp[r]["schedule"] == "care" else 0 for r in role])
    adopt = rng.random(n) < np.array([rp[r]["adoption"] for r in role])
    ai_weight = np.array([rp[r]["ai"] for r in role]) * rng.lognormal(0, 0.6, n) * adopt
    ai_weight *= np.where(shared, 1.5, 1.0)  # several users on one station
    activity = rng.lognormal(0, 0.8, n) * np.where(shared, 1.8, 1.0)
    users, user_names = _assign_users(n, shared, config.n_users, rng)
    ip = _addresses(site, dep, rng.random(n) < config.ipv6_share)
    hostname = [f"PC-{prof['departments'][deps[dep[i]]]['code']}-{i + 1:04d}" for i in range(n)]
    hosp = Hospital(
        ip,
        hostname,
        site,
        dep,
        role,
        schedule,
        ai_weight,
        activity,
        users,
        np.zeros(n, bool),
        list(ip),
        sites,
        deps,
        roles,
        user_names,
        [],
    )
    _inventory(hosp, config, rng)
    return hosp


def _site_weights(k: int) -> np.ndarray:
    w = np.array([1.0 / (s + 1) for s in range(k)])
    return w / w.sum()


def _assign_users(
    n: int, shared: np.ndarray, n_users: int, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[str]]:
    """Personal stations get one user, shared ones 3–8, ~8 % of stations none (devices)."""
    names = _user_names(max(n_users, 1), rng)
    device = rng.random(n) < 0.08
    users: list[np.ndarray] = []
    nxt = 0
    for i in range(n):
        if device[i]:
            users.append(np.empty(0, np.int64))
        elif shared[i]:
            users.append(rng.choice(len(names), int(rng.integers(3, 9)), replace=True))
        else:
            users.append(np.array([nxt % len(names)]))
            nxt += 1
    return users, names


def _user_names(k: int, rng: np.random.Generator) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for f, last in zip(rng.integers(0, 26, k), rng.integers(0, len(_LAST), k), strict=True):
        base = _FIRST[f] + _LAST[last]
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}{seen[base]}")
    return out


def _addresses(site: np.ndarray, dep: np.ndarray, v6: np.ndarray) -> list[str]:
    """10.<16+site>.<dep*4 + k>.<h> per (site, department) block; IPv6 in 2001:db8:5e::/48."""
    out: list[str] = []
    count: dict[tuple[int, int], int] = {}
    for s, d, six in zip(site.tolist(), dep.tolist(), v6.tolist(), strict=True):
        k = count.get((s, d), 0)
        count[(s, d)] = k + 1
        if six:
            out.append(str(ipaddress.IPv6Address(f"2001:db8:5e:{s:x}{d:02x}::{k + 16:x}")))
        else:
            third, host = divmod(k, 250)
            out.append(f"10.{16 + s}.{d * 4 + third % 4}.{host + 2}")
    return out


def _inventory(h: Hospital, config: HospitalConfig, rng: np.random.Generator) -> None:
    """Decide which workstations the inventory maps, and how (row, pool CIDR, or not at all)."""
    n = len(h)
    covered = rng.random(n) < config.inventory_coverage
    rows: list[tuple[str, str, str, str, str]] = []
    pool_dep = _pool_department(h)
    pool = [
        i for i in range(n) if h.department[i] == pool_dep and h.site[i] == 0 and ":" not in h.ip[i]
    ][:40]
    if len(pool) >= 3:
        _make_pool(h, pool, rows)
        covered[pool] = True
    pooled = set(pool)
    for i in range(n):
        if covered[i] and i not in pooled:
            site, dep, role = (
                h.site_names[h.site[i]],
                h.department_names[h.department[i]],
                h.role_names[h.role[i]],
            )
            rows.append((h.ip[i], h.hostname[i], site, dep, role))
            h.identity[i] = h.hostname[i]
    h.in_inventory = covered
    for i in range(n):
        if not covered[i]:
            h.identity[i] = h.ip[i]
            h.hostname[i] = ""
    h.inventory_rows = rows


def _pool_department(h: Hospital) -> int:
    name = "urgences" if "urgences" in h.department_names else h.department_names[0]
    return h.department_names.index(name)


def _make_pool(h: Hospital, pool: list[int], rows: list[tuple[str, str, str, str, str]]) -> None:
    """Move pool PCs into 10.<16>.250.0/26, one CIDR row; the first keeps a /32 row of its own."""
    dep = h.department_names[h.department[pool[0]]]
    site = h.site_names[0]
    for k, i in enumerate(pool):
        h.ip[i] = f"10.16.250.{k + 2}"
        h.identity[i] = h.ip[i]
        h.hostname[i] = ""
    # the pool's role is its dominant role; each pooled PC is attributed to it
    dominant = int(np.bincount(h.role[pool]).argmax())
    h.role[pool] = dominant
    rows.append(("10.16.250.0/26", "", site, dep, h.role_names[dominant]))
    first = pool[0]
    sec = h.role_names.index("Secrétaire médicale") if "Secrétaire médicale" in h.role_names else 0
    h.role[first] = sec
    h.hostname[first] = f"PC-{dep[:3].upper()}-ACCUEIL"
    h.identity[first] = h.hostname[first]
    rows.append((h.ip[first], h.hostname[first], site, dep, h.role_names[sec]))


def write_inventory(h: Hospital, path: Path) -> Path:
    """CSV ``ip,hostname,site,department,role`` (the pool as a CIDR row, no hostname)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ip", "hostname", "site", "department", "role"])
        w.writerows(h.inventory_rows)
    return path


def describe(h: Hospital) -> dict[str, Any]:
    """Small summary for logs and docs."""
    return {
        "workstations": len(h),
        "in_inventory": int(h.in_inventory.sum()),
        "ipv6": sum(":" in a for a in h.ip),
        "users": len(h.user_names),
    }
