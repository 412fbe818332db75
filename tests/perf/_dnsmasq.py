"""dnsmasq query-log lines for the tests of its usual line and of the scanner.

A line as dnsmasq writes it with ``log-queries``: ``Mmm DD HH:MM:SS`` (the day's tens a space
when it is below 10; no year), ``dnsmasq[pid]: ``, then ``query[TYPE] <name> from <client>``
or another message (forwarded, reply, cached...).  One line at a time, as the simulator's
writer renders its columns (``simulate/writers/dnsmasq.py``, with Arrow: its date format is
C's ``%b %e``, written here by hand, locale-free).
"""

from __future__ import annotations

from datetime import datetime

from sentinelle.simulate.writers.dnsmasq import PROCESS

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date(local: datetime) -> str:
    """``Mmm DD`` as syslog writes it (``Aug  1``)."""
    return f"{MONTHS[local.month - 1]} {local.day:2d}"


def record(
    local: datetime = datetime(2026, 8, 14, 7, 40, 24),
    host: str = "chatgpt.com",
    *,
    client: str = "10.20.3.14",
    qtype: str = "A",
    message: str | None = None,
    extra: str | None = None,
    head: str | None = None,
) -> str:
    """A query for ``host`` from ``client`` at ``local`` (the server's local time); or, with
    ``message``, that message instead; ``extra``: the ``log-queries=extra`` serial and client
    before it; ``head``: what comes before the message instead of the date, time and tag."""
    body = message if message is not None else f"query[{qtype}] {host} from {client}"
    if extra is not None:
        body = f"{extra} {body}"
    if head is None:
        head = f"{date(local)} {local:%H:%M:%S} {PROCESS}:"  # (the simulator's tag)
    return f"{head} {body}"
