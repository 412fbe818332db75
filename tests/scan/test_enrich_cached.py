"""The enricher's caches (attributions, local minutes, rows kept as records) change no hit row.

``reference`` is the straightforward enricher they replaced: every event attributed, every
local time computed, each row appended column by column.  The attribution cache must follow
what an attribution depends on: the time with DHCP leases, the user name with a directory.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.catalog import Catalog, load_catalog
from sentinelle.catalog.discovery import ai_marker
from sentinelle.inventory import Attribution, Attributor, Inventory
from sentinelle.inventory.combined import CombinedAttributor
from sentinelle.inventory.dhcp import LeaseTable
from sentinelle.inventory.directory import Directory, DirectoryEntry
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan import enrich
from sentinelle.scan.enrich import HIT_SCHEMA, Enricher
from sentinelle.schema import Event

CATALOG = load_catalog()
KEY = b"k" * 32
T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # Paris goes to summer time at 01:00 UTC
INVENTORY = Inventory.from_rows(
    [
        {"ip": "10.1.0.10", "hostname": "PC-A", "site": "Nord", "department": "Cardio", "role": ""},
        {"ip": "10.2.0.0/16", "hostname": "", "site": "Sud", "department": "", "role": "IDE"},
    ]
)


def leases() -> LeaseTable:
    """10.2.0.7 held by pc-x until T0 + 1 h, then by pc-y."""
    cut = (T0 + timedelta(hours=1)).timestamp()
    return LeaseTable(
        starts={"10.2.0.7": [T0.timestamp() - 86400, cut]},
        ends={"10.2.0.7": [cut, cut + 86400]},
        hosts={"10.2.0.7": ["pc-x", "pc-y"]},
    )


def directory() -> Directory:
    entry = DirectoryEntry(department="Urgences", role="Médecin", site="Est", title="PH")
    return Directory({"jdupont": entry})


class Clock:
    """An attributor of its own that depends on the time: never cached."""

    def attribute(
        self,
        ip: str | None,
        hostname: str | None = None,
        when: datetime | None = None,
        user: str | None = None,
    ) -> Attribution:
        hour = str(when.hour) if when else "?"
        return Attribution(f"{ip}@{hour}", hour, "unknown", "unknown", True)


ATTRIBUTORS: dict[str, Attributor] = {
    "inventory": INVENTORY,
    "combined": CombinedAttributor(INVENTORY),
    "dhcp": CombinedAttributor(INVENTORY, leases()),
    "directory": CombinedAttributor(INVENTORY, None, directory()),
    "clock": Clock(),
}


def reference(
    events: list[Event], catalog: Catalog, inventory: Attributor, tz: ZoneInfo
) -> tuple[dict[str, list[Any]], Counter[tuple[str, str, str | None]], list[int]]:
    rows: dict[str, list[Any]] = {n: [] for n in HIT_SCHEMA.names}
    discovered: Counter[tuple[str, str, str | None]] = Counter()
    counts = [0, 0, 0]  # ai, no host, unattributed
    ps = Pseudonymizer(KEY)

    def local(ts: datetime) -> tuple[str, Any, int, int]:
        # the instant's minute (in UTC: an event's own offset may hold seconds), in the zone
        t = ts.astimezone(UTC).replace(microsecond=0, second=0).astimezone(tz)
        return f"{t.year:04d}-{t.month:02d}", t.date(), t.hour, t.isoweekday()

    for seq, e in enumerate(events):
        host = e.destination_domain
        if host is None:
            counts[1] += 1
            continue
        who = inventory.attribute(e.source_ip, e.source_domain, e.timestamp, e.user_name)
        match = catalog.match(host, e.url_path)
        if match is None:
            if ai_marker(host) is not None:
                ws = ps.pseudonym("workstation", who.identity)
                discovered[(local(e.timestamp)[0], host, ws)] += 1
            continue
        counts[0] += 1
        counts[2] += not who.known
        period, day, hour, weekday = local(e.timestamp)
        row = {
            "file_id": 0,
            "seq": seq,
            "ts": e.timestamp.replace(tzinfo=None),
            "period": period,
            "day": day,
            "hour": hour,
            "weekday": weekday,
            "protocol": "web",
            "service": match.service_id,
            "category": match.category,
            "evidence": match.evidence,
            "general_purpose": match.general_purpose,
            "host": host,
            "workstation": ps.pseudonym("workstation", who.identity),
            "user_id": ps.pseudonym("user", e.user_name),
            "site": who.site,
            "department": who.department,
            "role": who.role,
            "attributed": who.known,
            "blocked": e.event_action == "blocked",
            "bytes_out": e.source_bytes,
            "bytes_in": e.destination_bytes,
            "observer": e.observer_product,
        }
        for k, v in row.items():
            rows[k].append(v)
    return rows, discovered, counts


zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(seconds=-2670))]
)
#: T0, and a time when Paris was at local mean time (+00:09:21): minutes do not align
BASES = st.sampled_from([T0, datetime(1900, 1, 1, 10, 20, tzinfo=UTC)])
events = st.builds(
    lambda base, minutes, second, micro, zone, ip, user, host: Event(
        timestamp=(
            base + timedelta(minutes=minutes, seconds=second, microseconds=micro)
        ).astimezone(zone),
        source_ip=ip,
        user_name=user,
        destination_domain=host,
        destination_bytes=minutes,
        observer_product="squid",
    ),
    BASES,
    st.integers(-90, 150),
    st.integers(0, 59),
    st.sampled_from([0, 123000, 999999]),
    zones,
    st.sampled_from(["10.1.0.10", "10.2.0.7", "10.9.9.9", None]),
    st.sampled_from(["jdupont", "mmartin", None]),
    st.sampled_from(["chatgpt.com", "claude.ai", "mygpt-tool.example", "example.org", None]),
)
TZ = st.sampled_from(["Europe/Paris", "Australia/Lord_Howe", "Asia/Kolkata"])


@pytest.mark.parametrize("kind", sorted(ATTRIBUTORS))
@settings(max_examples=60, deadline=None)
@given(evs=st.lists(events, max_size=40), tz=TZ)
def test_enricher_agrees_with_the_reference(kind: str, evs: list[Event], tz: str) -> None:
    zone = ZoneInfo(tz)
    inventory = ATTRIBUTORS[kind]
    en = Enricher(CATALOG, inventory, Pseudonymizer(KEY), zone)
    for seq, e in enumerate(evs):
        en.add(e, seq)
        if seq == len(evs) // 2:
            assert len(en.rows["seq"]) == en.counts.ai_events  # rows read mid-file
    rows, discovered, counts = reference(evs, CATALOG, inventory, zone)
    assert en.hits().to_pydict() == pa_roundtrip(rows)
    assert en.discovered == discovered
    c = en.counts
    assert [c.ai_events, c.no_host_events, c.unattributed_events] == counts


def pa_roundtrip(rows: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return pa.table(rows, schema=HIT_SCHEMA).to_pydict()


def test_dhcp_attribution_follows_the_lease() -> None:
    en = Enricher(CATALOG, ATTRIBUTORS["dhcp"], Pseudonymizer(KEY), ZoneInfo("Europe/Paris"))
    for seq, minutes in enumerate((0, 59, 60, 61)):
        when = T0 + timedelta(minutes=minutes)
        en.add(Event(when, "10.2.0.7", destination_domain="chatgpt.com"), seq)
    ps = Pseudonymizer(KEY)
    x, y = ps.pseudonym("workstation", "pc-x"), ps.pseudonym("workstation", "pc-y")
    assert en.rows["workstation"] == [x, x, y, y]


def test_directory_attribution_follows_the_user() -> None:
    zone = ZoneInfo("Europe/Paris")
    en = Enricher(CATALOG, ATTRIBUTORS["directory"], Pseudonymizer(KEY), zone)
    for seq, user in enumerate(("jdupont", "mmartin", "jdupont", None)):
        en.add(Event(T0, "10.9.9.9", user_name=user, destination_domain="claude.ai"), seq)
    assert en.rows["department"] == ["Urgences", "unknown", "Urgences", "unknown"]


def test_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrich, "_CACHED", 3)
    zone = ZoneInfo("Europe/Paris")
    en = Enricher(CATALOG, INVENTORY, Pseudonymizer(KEY), zone)
    evs = [
        Event(T0 + timedelta(minutes=7 * i), f"10.2.0.{i % 5}", destination_domain="chatgpt.com")
        for i in range(40)
    ]
    for seq, e in enumerate(evs):
        en.add(e, seq)
    assert max(len(en._sources), len(en.memo.offsets), len(en._wall)) <= 3
    assert en.hits().to_pydict() == pa_roundtrip(reference(evs, CATALOG, INVENTORY, zone)[0])


def test_rows_replaced_between_blocks() -> None:
    """The fast reader moves the rows out as it goes and starts over with empty columns."""
    en = Enricher(CATALOG, INVENTORY, Pseudonymizer(KEY), ZoneInfo("Europe/Paris"))
    en.add(Event(T0, "10.1.0.10", destination_domain="chatgpt.com"), 1)
    first = en.hits()
    en.clear_hits()
    en.add(Event(T0, "10.1.0.10", destination_domain="claude.ai"), 2)
    assert first["seq"].to_pylist() == [1]
    assert en.hits()["seq"].to_pylist() == [2]
    assert list(en.rows) == HIT_SCHEMA.names


def test_local_time_is_the_minutes() -> None:
    """Paris at local mean time (+00:09:21): 10:50:50 UTC is 11:00:11 local, its minute 10:59:21."""
    en = Enricher(CATALOG, INVENTORY, Pseudonymizer(KEY), ZoneInfo("Europe/Paris"))
    for seq, second in enumerate((50, 0)):
        when = datetime(1900, 1, 1, 10, 50, second, tzinfo=UTC)
        en.add(Event(when, "10.1.0.10", destination_domain="chatgpt.com"), seq)
    assert en.rows["hour"] == [10, 10]


def test_enrichers_of_one_configuration_share_what_they_remember() -> None:
    """A worker's files one after the other: the second enricher starts with what the first
    remembered (the same memo), and records exactly what a cold one records."""
    zone, inventory, ps = ZoneInfo("Europe/Paris"), ATTRIBUTORS["inventory"], Pseudonymizer(KEY)
    first, second = (Enricher(CATALOG, inventory, ps, zone) for _ in range(2))
    assert first.memo is second.memo
    cold = Enricher(CATALOG, inventory, Pseudonymizer(KEY), zone)  # another key object
    assert cold.memo is not first.memo
    evs = [
        Event(T0 + timedelta(minutes=m), ip, user_name="jdupont", destination_domain=host)
        for m, ip, host in ((0, "10.1.0.10", "chatgpt.com"), (61, "10.9.9.9", "claude.ai"))
    ]
    for enricher in (first, second, cold):
        for seq, event in enumerate(evs):
            enricher.add(event, seq)
    assert first.memo.sources and first.memo.wall  # the second one found them there
    assert second.hits().to_pydict() == cold.hits().to_pydict() == first.hits().to_pydict()
