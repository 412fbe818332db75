"""dnsmasq / Pi-hole query log (``log-queries``; Pi-hole's ``pihole.log``): ``query[TYPE]`` lines.

``Aug  1 10:23:00 dnsmasq[973]: query[A] chatgpt.com from 10.20.3.14`` — one query per
connection (no resolver cache: DNS formats count queries), the name as the client asked it
(case kept, trailing dot dropped); host-less error records become a WPAD query (what browsers
ask on their own).  Only the query lines are written: the ``forwarded`` / ``reply`` /
``cached`` lines that follow each query in a real file carry no client and are skipped by the
parser anyway.

**Time.**  The syslog-like prefix is in the hospital's local time (``Tables.cache["tz"]``), to
the second, and has **no year**: the parser takes it from ``ParseContext.year``, which ``scan``
sets from the file's modification time.  So that the simulated files read in the right year
whenever and wherever they are scanned, :func:`finish` sets each file's mtime to noon of its
local day (what a daily rotation would leave, give or take a few hours; noon keeps the date
the same on a scanning machine in any zone within ±12 h).  Copying the files without
preserving times (``cp`` without ``-p``) would lose that, as it would for a real log.

The resolver sees only the query: the client address (the workstation, or a forwarder), the
name, the time.  No user, no bytes, no URL.  Pi-hole's block answers (``gravity blocked`` …)
are separate lines that the parser does not link back to the query, and the proxy denies the
connection after the name was resolved, so nothing here is ``blocked`` (``SEES_BLOCKED =
False``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import Connections, Tables
from sentinelle.simulate.writers._columns import bare_host, client, join, pick, stamp, zone

NAME = "dnsmasq"
SUFFIX = ".log"
RECORDS: frozenset[str] = frozenset()
DESCRIPTION = "dnsmasq / Pi-hole query log (log-queries, year-less local time)"
PROTOCOL = "dns"
RESOLUTION_MS = 1000  # the syslog-like prefix has whole seconds
SEES_BLOCKED = False  # block answers are not linked back to their query
NO_HOST = "wpad"
PREFIX = "%b %e %H:%M:%S"  # "Aug  1 10:23:00": C-locale month, space-padded day
PROCESS = "dnsmasq[973]"
QTYPES = ("A", "A", "A", "AAAA", "HTTPS")


def file_name(day: str) -> str:
    return f"pihole-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One ``query[TYPE] <name> from <client>`` line per connection, as a string array."""
    ts = np.asarray(conns.ts, np.int64)
    return join(
        stamp(ts, PREFIX, zone(tables)),
        f" {PROCESS}: query[",
        pick(QTYPES, ts % len(QTYPES)),
        "] ",
        bare_host(conns, tables, NO_HOST),
        " from ",
        client(conns, tables),
    )


def truncate(line: bytes, rng: np.random.Generator) -> bytes:
    """Cut inside the query name: the line keeps its prefix but loses ``from <client>``."""
    at = line.find(b"] ")
    if at < 0:
        return line[: max(5, len(line) // 4)]
    start = at + 2
    end = line.find(b" from ", start)
    return line[: start + int(rng.integers(0, max(1, end - start)))]


def finish(path: Path, day: str, tables: Tables) -> None:
    """Set the file's mtime to noon of its local ``day``: the year of its year-less dates."""
    noon = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=ZoneInfo(zone(tables)))
    os.utime(path, (noon.timestamp(), noon.timestamp()))
