"""The simulated hospital's settings, its calibration profile and its time window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sentinelle.errors import ConfigError

COMPRESSIONS = (None, "gz", "bz2", "zst")


@dataclass(frozen=True)
class HospitalConfig:
    """What to simulate; the defaults give a small hospital month that generates in seconds.

    ``month`` (local calendar month) is used unless both ``start`` and ``end`` (local dates,
    inclusive) are given.  The window also covers the last ``lead_in_hours`` of the previous
    day, so that a scan sees events of the previous month (in local time) and visits that
    cross the month boundary.  ``lines`` is the approximate total line budget; ``None`` means
    ``lines_per_workstation`` lines per workstation.  Shares are fractions of lines
    (``ai_share``, ``garbage_share``, ``blank_share``) or of workstations (``ipv6_share``,
    ``inventory_coverage``).
    """

    seed: int = 42
    name: str = "Centre hospitalier simulé"
    month: str = "2026-08"
    start: dt.date | None = None
    end: dt.date | None = None
    tz: str = "Europe/Paris"
    sites: int = 2
    workstations: int = 400
    users: int | None = None
    lines: int | None = None
    lines_per_workstation: int = 750
    ai_share: float = 0.008
    ipv6_share: float = 0.06
    garbage_share: float = 0.0005
    blank_share: float = 0.00005
    inventory_coverage: float = 0.95
    lead_in_hours: int = 3
    dhcp: bool = False  # dynamic addresses for dhcp_share of the workstations (simulate/dhcp.py)
    dhcp_share: float = 0.3
    profile: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check(0 < self.workstations <= 200_000, "workstations", self.workstations, "1–200000")
        _check(1 <= self.sites <= 5, "sites", self.sites, "1–5")
        _check(self.lines is None or self.lines >= 1000, "lines", self.lines, ">= 1000")
        for name in ("ai_share", "ipv6_share", "garbage_share", "blank_share"):
            _check(0 <= getattr(self, name) < 0.5, name, getattr(self, name), "[0, 0.5)")
        _check(
            0 <= self.inventory_coverage <= 1,
            "inventory_coverage",
            self.inventory_coverage,
            "[0, 1]",
        )
        _check(0 <= self.lead_in_hours <= 24, "lead_in_hours", self.lead_in_hours, "0–24")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"unknown time zone {self.tz!r}", hint="use an IANA name such as Europe/Paris"
            ) from exc
        self.window()

    @property
    def total_lines(self) -> int:
        """The line budget (valid lines; garbage and blank lines come on top)."""
        return (
            self.lines if self.lines is not None else self.workstations * self.lines_per_workstation
        )

    @property
    def n_users(self) -> int:
        return self.users if self.users is not None else int(self.workstations * 1.3) + 5

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """Local start (inclusive, after the lead-in) and end (exclusive) as aware datetimes."""
        first, last = self.start, self.end
        if first is None or last is None:
            try:
                first = dt.date.fromisoformat(self.month + "-01")
            except ValueError as exc:
                raise ConfigError(
                    f"month {self.month!r} is not YYYY-MM", hint="e.g. --month 2026-08"
                ) from exc
            nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            last = nxt - dt.timedelta(days=1)
        if last < first:
            raise ConfigError(f"end date {last} is before start date {first}")
        zone = ZoneInfo(self.tz)
        begin = dt.datetime.combine(first, dt.time(), zone) - dt.timedelta(hours=self.lead_in_hours)
        stop = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
        return begin, stop


def _check(ok: bool, name: str, value: object, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"{name}={value!r} is out of range", hint=f"use a value in {allowed}")


@cache
def default_profile() -> dict[str, Any]:
    """The packaged calibration profile (``data/profile.yaml``)."""
    text = resources.files("sentinelle.simulate").joinpath("data/profile.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def profile_of(config: HospitalConfig) -> dict[str, Any]:
    return config.profile if config.profile is not None else default_profile()
