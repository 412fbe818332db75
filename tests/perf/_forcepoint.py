"""Forcepoint's CSV export in layouts the tests build: the simulator's header, the standard
export's 17 columns without one, and another order of columns."""

from __future__ import annotations

from datetime import datetime

from sentinelle.formats.forcepoint import DEFAULT_COLUMNS, TYPICAL, directive

#: the columns in another order (the date and time still side by side)
OTHER = (
    "url",
    "user",
    "date",
    "time",
    "action",
    "http method",
    "source ip",
    "category",
    "http status",
    "bytes received",
    "bytes sent",
    "destination ip",
    "policy name",
)

#: a layout without a usual line (the time is not right after the date): read by the parser
NO_USUAL = ("date", "user", "time", "url", "action", "source ip")

#: what each column holds in :func:`record` (the date and time: the record's)
VALUES = {
    "user": "jdupont@chu.fr",
    "user id": "u123456",
    "category": "Generative AI",
    "action": "Allowed",
    "risk class": "Business Usage",
    "policy name": "Default",
    "url": "HTTPS://chatgpt.com/backend-api/conversation",
    "connection ip": "203.0.113.7",
    "destination ip": "104.18.32.47",
    "source ip": "10.20.3.14",
    "unused 1": "None",
    "unused 2": "None",
    "user agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "http status": "200",
    "http method": "Post",
    "bytes sent": "2310",
    "bytes received": "18211",
}


def record(
    layout: tuple[str, ...] = TYPICAL,
    local: datetime = datetime(2026, 8, 1, 10, 0, 14),
    mdy: bool = False,
    **change: str,
) -> str:
    """A quoted CSV record of ``layout`` at the naive ``local`` time (``DD/MM/YYYY``, or
    ``MM/DD/YYYY`` with ``mdy``), its values changed by ``change`` (keys with ``_`` for
    blanks: ``source_ip``)."""
    values = dict(VALUES)
    values["date"] = local.strftime("%m/%d/%Y" if mdy else "%d/%m/%Y")
    values["time"] = local.strftime("%H:%M:%S")
    values.update({k.replace("_", " "): v for k, v in change.items()})
    return ",".join(f'"{values[name]}"' for name in layout)


def header(layout: tuple[str, ...]) -> str:
    """The header line of ``layout``, as the report builder names its columns."""
    return directive(layout)


__all__ = ["DEFAULT_COLUMNS", "NO_USUAL", "OTHER", "TYPICAL", "header", "record"]
