"""From a normalized event to a stored hit: catalog match, attribution, pseudonyms, local time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from sentinelle.catalog import Catalog, Policy
from sentinelle.catalog.discovery import ai_marker
from sentinelle.inventory import Attributor
from sentinelle.privacy import Pseudonymizer
from sentinelle.schema import Event

HIT_SCHEMA = pa.schema(
    [
        ("file_id", pa.int32()),
        ("seq", pa.int64()),
        ("ts", pa.timestamp("us")),
        ("period", pa.string()),
        ("day", pa.date32()),
        ("hour", pa.int8()),
        ("weekday", pa.int8()),
        ("protocol", pa.string()),
        ("service", pa.string()),
        ("category", pa.string()),
        ("evidence", pa.string()),
        ("general_purpose", pa.bool_()),
        ("host", pa.string()),
        ("workstation", pa.string()),
        ("user_id", pa.string()),
        ("site", pa.string()),
        ("department", pa.string()),
        ("role", pa.string()),
        ("attributed", pa.bool_()),
        ("blocked", pa.bool_()),
        ("bytes_out", pa.int64()),
        ("bytes_in", pa.int64()),
        ("observer", pa.string()),
    ]
)


@dataclass
class Counts:
    """What happened to the events of one file."""

    ai_events: int = 0
    shared_events: int = 0
    no_host_events: int = 0
    unattributed_events: int = 0
    excluded_events: int = 0
    dns_events: int = 0


@dataclass
class Enricher:
    """Turns events into hit rows; one per file (it accumulates that file's rows)."""

    catalog: Catalog
    inventory: Attributor
    pseudonymizer: Pseudonymizer
    tz: ZoneInfo
    policy: Policy | None = None
    file_id: int = 0
    counts: Counts = field(default_factory=Counts)
    rows: dict[str, list[Any]] = field(default_factory=lambda: {n: [] for n in HIT_SCHEMA.names})
    discovered: Counter[tuple[str, str, str | None]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._local = lru_cache(maxsize=1 << 14)(self._local_fields)
        self._looks_ai = lru_cache(maxsize=1 << 16)(ai_marker)

    def add(self, event: Event, seq: int) -> None:
        """Record ``event`` (line ``seq``) if it matches a service; count it either way."""
        if event.network_protocol == "dns":
            self.counts.dns_events += 1
        host = event.destination_domain
        if host is None:
            self.counts.no_host_events += 1
            return
        match = self.catalog.match(host, event.url_path)
        if match is None:
            if self._looks_ai(host) is not None:
                self._discover(event, host)
            return
        if match.evidence == "shared":
            self.counts.shared_events += 1
            return
        if self.policy is not None and self.policy.excluded_sources(
            event.source_ip or "", event.source_domain
        ):
            self.counts.excluded_events += 1
            return
        who = self.inventory.attribute(
            event.source_ip, event.source_domain, event.timestamp, event.user_name
        )
        if not who.known:
            self.counts.unattributed_events += 1
        self.counts.ai_events += 1
        ts = event.timestamp
        period, day, hour, weekday = self._local(ts.replace(microsecond=0, second=0))
        r = self.rows
        r["file_id"].append(self.file_id)
        r["seq"].append(seq)
        r["ts"].append(ts.replace(tzinfo=None))
        r["period"].append(period)
        r["day"].append(day)
        r["hour"].append(hour)
        r["weekday"].append(weekday)
        r["protocol"].append("dns" if event.network_protocol == "dns" else "web")
        r["service"].append(match.service_id)
        r["category"].append(match.category)
        r["evidence"].append(match.evidence)
        r["general_purpose"].append(match.general_purpose)
        r["host"].append(host)
        r["workstation"].append(self.pseudonymizer.pseudonym("workstation", who.identity))
        r["user_id"].append(self.pseudonymizer.pseudonym("user", event.user_name))
        r["site"].append(who.site)
        r["department"].append(who.department)
        r["role"].append(who.role)
        r["attributed"].append(who.known)
        r["blocked"].append(event.event_action == "blocked")
        r["bytes_out"].append(event.source_bytes)
        r["bytes_in"].append(event.destination_bytes)
        r["observer"].append(event.observer_product)

    def _discover(self, event: Event, host: str) -> None:
        who = self.inventory.attribute(
            event.source_ip, event.source_domain, event.timestamp, event.user_name
        )
        period = self._local(event.timestamp.replace(microsecond=0, second=0))[0]
        self.discovered[
            (period, host, self.pseudonymizer.pseudonym("workstation", who.identity))
        ] += 1

    def _local_fields(self, ts: datetime) -> tuple[str, Any, int, int]:
        local = ts.astimezone(self.tz)
        return f"{local.year:04d}-{local.month:02d}", local.date(), local.hour, local.isoweekday()

    def hits(self) -> pa.Table:
        return pa.table(self.rows, schema=HIT_SCHEMA)

    def discovery(self) -> pa.Table:
        keys = list(self.discovered)
        return pa.table(
            {
                "file_id": pa.array([self.file_id] * len(keys), pa.int32()),
                "period": [k[0] for k in keys],
                "host": [k[1] for k in keys],
                "workstation": [k[2] for k in keys],
                "requests": pa.array(list(self.discovered.values()), pa.int64()),
            }
        )
