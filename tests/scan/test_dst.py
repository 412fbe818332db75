"""Local times in the repeated autumn hour are resolved by order or flagged, never silently."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.catalog import load_catalog
from sentinelle.inventory import Inventory
from sentinelle.privacy import Pseudonymizer
from sentinelle.scan import ScanOptions, scan
from sentinelle.scan.enrich import Enricher


def _line(local: str, host: str) -> str:
    # FortiGate key=value with a local date/time and no offset: read in --tz
    day, time = local.split("T")
    return (
        f'date={day} time={time} logid="0316013056" type="utm" subtype="webfilter" '
        f'level="notice" srcip=10.1.0.10 dstip=104.18.32.47 hostname="{host}" '
        f'url="/" action="passthrough" service="HTTPS" sentbyte=100 rcvdbyte=200'
    )


def test_repeated_hour_is_counted_when_order_cannot_settle_it(tmp_path: Path) -> None:
    log = tmp_path / "fortigate.log"
    # 2026-10-25 02:30 happens twice in Europe/Paris; the first line has no earlier line to
    # order it by, so it is flagged; the two after it follow in order and are resolved.
    log.write_text(
        "\n".join(
            [
                _line("2026-10-25T02:30:00", "chatgpt.com"),
                _line("2026-10-25T02:45:00", "chatgpt.com"),
                _line("2026-10-25T02:10:00", "chatgpt.com"),
            ]
        )
        + "\n"
    )
    report = scan([str(log)], tmp_path / "store", ScanOptions(format="fortigate")).to_json()
    assert report["events"] == 3
    assert report["ambiguous_times"] == 1


ZONES = [
    "Europe/Paris",
    "Indian/Reunion",
    "America/Martinique",
    "Pacific/Noumea",
    "Pacific/Marquesas",  # -9:30: local hours start at half past the UTC hour
    "Asia/Kathmandu",  # +5:45
    "Australia/Lord_Howe",  # a 30-minute daylight saving change
    "America/St_Johns",  # -3:30 with daylight saving
    "UTC",
]


def _changes(zone: str) -> list[int]:
    """The UTC minutes of 2025-2027 at which ``zone`` changes its offset (to 15 minutes)."""
    tz, out, before = ZoneInfo(zone), [], None
    for quarter in range(20_089 * 96, 21_185 * 96):
        offset = datetime.fromtimestamp(quarter * 900, tz).utcoffset()
        if before is not None and offset != before:
            out.append(quarter * 15)
        before = offset
    return out


CHANGES = {zone: _changes(zone) for zone in ZONES}


@st.composite
def _zone_minute(draw: st.DrawFn) -> tuple[str, int]:
    zone = draw(st.sampled_from(ZONES))
    near = CHANGES[zone]
    if near and draw(st.booleans()):  # around a change of offset
        return zone, draw(st.sampled_from(near)) + draw(st.integers(-120, 60))
    # 1890 (local mean times, offsets in seconds) to 2100
    return zone, draw(st.integers(-40_000_000, 68_000_000))


@settings(max_examples=500, deadline=None)
@given(zone_minute=_zone_minute())
def test_local_fields_of_a_minute_are_those_of_its_conversion(
    zone_minute: tuple[str, int],
) -> None:
    """Enricher.local (the zone's offset over each UTC hour, fields by local wall hour) gives
    what converting the minute to the zone gives, whatever the zone and the date."""
    zone, minute = zone_minute
    tz = ZoneInfo(zone)
    en = Enricher(load_catalog(), Inventory.empty(), Pseudonymizer(b"k" * 32), tz)
    for m in range(minute, minute + 61):  # on into the next UTC hour
        t = datetime.fromtimestamp(m * 60, UTC).astimezone(tz)
        assert en.local(m) == (f"{t.year:04d}-{t.month:02d}", t.date(), t.hour, t.isoweekday())


@settings(max_examples=500, deadline=None)
@given(zone_minute=_zone_minute())
def test_the_local_fields_of_an_hour_are_those_of_each_of_its_minutes(
    zone_minute: tuple[str, int],
) -> None:
    """Enricher.local_hour (the fast path keeps local fields by UTC hour) gives, when it gives
    any, what Enricher.local gives for every minute of the hour."""
    zone, minute = zone_minute
    en = Enricher(load_catalog(), Inventory.empty(), Pseudonymizer(b"k" * 32), ZoneInfo(zone))
    hour = minute // 60
    fields = en.local_hour(hour)
    if fields is not None:
        assert all(en.local(m) == fields for m in range(hour * 60, hour * 60 + 60))


def test_an_hour_has_local_fields_unless_its_minutes_differ() -> None:
    def local_hour(zone: str, utc: str) -> object:
        en = Enricher(load_catalog(), Inventory.empty(), Pseudonymizer(b"k" * 32), ZoneInfo(zone))
        return en.local_hour(int(datetime.fromisoformat(utc).timestamp()) // 3600)

    summer = ("2026-07", date(2026, 7, 14), 12, 2)  # a Tuesday, UTC+2
    assert local_hour("Europe/Paris", "2026-07-14T10:00:00+00:00") == summer
    # Paris changes its offset at 01:00 UTC: each hour has one offset
    assert local_hour("Europe/Paris", "2026-03-29T00:00:00+00:00") == (
        "2026-03",
        date(2026, 3, 29),
        1,
        7,
    )
    assert local_hour("Europe/Paris", "2026-03-29T01:00:00+00:00") == (
        "2026-03",
        date(2026, 3, 29),
        3,
        7,
    )
    assert local_hour("Asia/Kolkata", "2026-07-14T10:00:00+00:00") is None  # +05:30
    assert local_hour("Australia/Lord_Howe", "2026-07-14T10:00:00+00:00") is None  # +10:30
    assert local_hour("Australia/Lord_Howe", "2026-01-14T10:00:00+00:00") is not None  # +11
    # its daylight saving ends at 15:00 UTC on 5 April 2026 (02:00 +11 -> 01:30 +10:30)
    assert local_hour("Australia/Lord_Howe", "2026-04-04T15:00:00+00:00") is None
