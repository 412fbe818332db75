"""The window's hour buckets, weighted by local hour, weekday and public holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sentinelle.simulate.config import HospitalConfig

HOUR_MS = 3_600_000
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
    edges: list[tuple[int, int, str]] = []
    day = begin.date()
    zone = begin.tzinfo
    while True:
        lo = max(dt.datetime.combine(day, dt.time(), zone), begin)
        hi = min(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone), stop)
        if lo >= stop:
            return edges
        edges.append((int(lo.timestamp() * 1000), int(hi.timestamp() * 1000), day.isoformat()))
        day += dt.timedelta(days=1)
