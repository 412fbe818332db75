"""Forcepoint Web Security Cloud transaction report exported as CSV, with its header line.

Every value double-quoted; ``Date`` (``DD/MM/YYYY``) and ``Time`` are the report's local
time without zone (the hospital's); ``User`` is the e-mail or ``Not available``; ``URL`` has
an upper-case scheme (``HTTPS://host/path``) and tunnels are ``host:443/``; ``HTTP Method``
is title case (``Get``, ``Connect``); ``Action`` ``Allowed``/``Blocked``.  The report includes
the byte columns, so request and reply sizes are recorded.
"""

from __future__ import annotations

import pyarrow as pa

from sentinelle.simulate.records import METHODS, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "forcepoint"
SUFFIX = ".csv"
RECORDS = frozenset({"user", "bytes_in", "bytes_out"})
RESOLUTION_MS = 1000
DESCRIPTION = "Forcepoint Web Security Cloud CSV report export (local time, DD/MM/YYYY)"
COLUMNS = (
    "Date", "Time", "User", "Category", "Action", "URL", "Source IP", "Destination IP",
    "HTTP Status", "HTTP Method", "Bytes Sent", "Bytes Received",
)  # fmt: skip
HEADER = (",".join(f'"{c}"' for c in COLUMNS),)


def file_name(day: str) -> str:
    return f"web-transactions-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One quoted CSV line per record, in :data:`COLUMNS` order."""
    columns = [
        p.stamp(conns.ts, '%d/%m/%Y","%H:%M:%S', p.zone(tables)),
        p.user(conns, tables, "{}@chu-simule.fr", "Not available"),
        p.where(conns.service >= 0, "Generative AI", "Information Technology"),
        p.where(p.denied(conns), "Blocked", "Allowed"),
        p.url(conns, tables, tunnel="", schemes=("", "HTTP://", "HTTPS://")),
        p.client(conns, tables),
        p.server(conns, tables, "Not available"),
        p.num(conns.status),
        p.pick([m.title() for m in METHODS], conns.method),
        p.num(conns.bytes_out),
        p.num(conns.bytes_in),
    ]
    return p.join('"', p.join(*columns, sep='","'), '"')
