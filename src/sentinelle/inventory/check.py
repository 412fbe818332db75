"""``sentinelle attribution check``: how much of the traffic the attribution sources explain.

On a store: the share of AI events and of workstations (pseudonyms) attributed, per period.
On log files: the same over every event (or the AI events only), plus the networks — /24 for
IPv4, /64 for IPv6 — with the most unattributed events, so the IT team knows which rows to add
to the inventory.  Only network prefixes are shown, never an address or a host name.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentinelle.inventory import Attributor
from sentinelle.inventory.dhcp import Problem, normalize_ip

__all__ = ["Coverage", "check_logs", "check_store", "network_of"]


@dataclass
class Coverage:
    """Attributed shares and, for logs, the top unattributed networks."""

    scope: str  # "store" or "logs"
    events: int = 0
    attributed_events: int = 0
    workstations: int = 0
    attributed_workstations: int = 0
    periods: list[dict[str, Any]] = field(default_factory=list)
    networks: list[dict[str, Any]] = field(default_factory=list)  # top unattributed
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    unmatched_titles: list[dict[str, Any]] = field(default_factory=list)
    rejected_lines: int = 0

    @property
    def event_share(self) -> float | None:
        return self.attributed_events / self.events if self.events else None

    @property
    def workstation_share(self) -> float | None:
        return self.attributed_workstations / self.workstations if self.workstations else None

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "events": self.events,
            "attributed_events": self.attributed_events,
            "event_share": self.event_share,
            "workstations": self.workstations,
            "attributed_workstations": self.attributed_workstations,
            "workstation_share": self.workstation_share,
            "periods": self.periods,
            "unattributed_networks": self.networks,
            "problems": self.problem_count,
            "first_problems": self.problems,
            "unmatched_titles": self.unmatched_titles,
            "rejected_lines": self.rejected_lines,
        }


def check_store(store_path: Path) -> Coverage:
    """Coverage of the AI events already in a store (no networks: the store keeps none)."""
    from sentinelle.store import Store

    cov = Coverage("store")
    with Store.open(store_path) as st:
        rows = st.con.execute(
            "SELECT period, count(*), count(*) FILTER (WHERE attributed), "
            "count(DISTINCT workstation), count(DISTINCT workstation) FILTER (WHERE attributed) "
            "FROM hits GROUP BY ROLLUP (period) ORDER BY period NULLS LAST"
        ).fetchall()
    for period, ev, att, ws, att_ws in rows:
        if period is None:
            cov.events, cov.attributed_events = ev, att
            cov.workstations, cov.attributed_workstations = ws, att_ws
        else:
            cov.periods.append(
                {
                    "period": period,
                    "events": ev,
                    "attributed_events": att,
                    "workstations": ws,
                    "attributed_workstations": att_ws,
                }
            )
    return cov


def network_of(ip: str) -> str | None:
    """The /24 (IPv4) or /64 (IPv6) holding ``ip``."""
    text = normalize_ip(ip)
    if text is None:
        return None
    addr = ipaddress.ip_address(text)
    plen = 24 if addr.version == 4 else 64
    return str(ipaddress.ip_network(f"{addr}/{plen}", strict=False))


def check_logs(
    paths: Sequence[str],
    attributor: Attributor,
    *,
    fmt: str = "auto",
    tz: str = "Europe/Paris",
    ai_only: bool = False,
    top: int = 20,
    problems: Sequence[Problem] = (),
) -> Coverage:
    """Attribute every event of the logs (nothing is stored) and count what stays unknown."""
    from sentinelle.parse import parse_events

    cov = Coverage("logs", problems=[str(p) for p in problems[:20]], problem_count=len(problems))
    catalog = _catalog() if ai_only else None
    seen: dict[str, bool] = {}
    unknown: Counter[str] = Counter()
    sources: dict[str, set[str]] = {}

    def on_reject(_name: str, _line: int, _reason: str) -> None:
        cov.rejected_lines += 1

    for ev in parse_events(paths, fmt=fmt, tz=tz, on_reject=on_reject):
        if catalog is not None and (
            ev.destination_domain is None
            or catalog.match(ev.destination_domain, ev.url_path) is None
        ):
            continue
        who = attributor.attribute(ev.source_ip, ev.source_domain, ev.timestamp, ev.user_name)
        cov.events += 1
        cov.attributed_events += who.known
        if who.identity is not None:
            seen[who.identity] = seen.get(who.identity, False) or who.known
        if not who.known and ev.source_ip:
            net = network_of(ev.source_ip)
            if net is not None:
                unknown[net] += 1
                sources.setdefault(net, set()).add(ev.source_ip)
    cov.workstations, cov.attributed_workstations = len(seen), sum(seen.values())
    cov.networks = [
        {"network": net, "events": n, "addresses": len(sources[net])}
        for net, n in unknown.most_common(top)
    ]
    return cov


def _catalog() -> Any:
    from sentinelle.catalog import load_catalog

    return load_catalog()
