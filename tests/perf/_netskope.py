"""Netskope CSV layouts and their lines, for the tests of the usual line of each header line's
layout (``formats/netskope.py``: ``netskope_usual``) and of the scanner that switches layouts
mid-file (``test_engines_agree``)."""

from __future__ import annotations

from sentinelle.formats.netskope import TYPICAL
from tests.perf._elff import HOSTS, address, date_time

__all__ = ["HOSTS", "LAYOUTS", "NO_USUAL", "header", "line"]

#: layouts with a usual line, by what they stand for
LAYOUTS: dict[str, tuple[str, ...]] = {
    "the simulator's": TYPICAL,
    "the SNI as the host, a URL path, a quoted user agent": (
        "x-cs-timestamp",
        "x-cs-userip",
        "cs-username",
        "x-cs-sni",
        "cs-method",
        "x-cs-url",
        "cs-user-agent",
        "sc-status",
        "x-policy-action",
        "date",
        "time",
    ),
    # the same shapes as the simulator's, read otherwise: the host where its SNI is
    "the simulator's, cs-host and x-cs-sni swapped": tuple(
        {"cs-host": "x-cs-sni", "x-cs-sni": "cs-host"}.get(c, c) for c in TYPICAL
    ),
    "the policy's host, the timestamp last": (
        "c-ip",
        "x-policy-dst-host",
        "x-cs-dst-port",
        "cs-bytes",
        "sc-bytes",
        "x-type",
        "date",  # (a header line names it: the parser's sign of one)
        "x-cs-timestamp",
    ),
}

#: layouts without one: their lines all go to the parser
NO_USUAL: dict[str, tuple[str, ...]] = {
    "no x-cs-timestamp": ("date", "time", "x-cs-userip", "cs-host"),
    "no host column": ("date", "time", "x-cs-timestamp", "x-cs-userip", "x-cs-url"),
    "a column named twice": ("date", "x-cs-timestamp", "cs-host", "cs-host"),
}


def value(column: str, k: int, host: str) -> str:
    """The ``k``-th line's value of ``column``, naming ``host``."""
    connect = k % 4 == 1
    when = date_time(column, k)
    if when is not None:
        return when
    if column == "x-cs-timestamp":
        return str(1785600000 + 37 * k)
    if column in ("c-ip", "x-cs-userip", "x-cs-dst-ip"):
        return address(k)
    if column == "x-cs-sni":  # (another name than the Host header's, on some lines)
        return host if k % 2 else f"{host}.sni.example.net"
    if column in ("cs-host", "x-policy-dst-host"):
        return host
    if column == "x-cs-url":
        return "-" if connect else f"/backend-api/c?k={k}"
    if column == "x-cs-uri-path":
        return "-" if connect else f"/backend-api/c{k % 3}"
    if column == "cs-method":
        return "CONNECT" if connect else ("GET", "POST")[k % 2]
    if column in ("sc-status",):
        return ("200", "403")[k % 2]
    if column in ("cs-bytes", "sc-bytes", "cs-uri-port", "x-cs-dst-port"):
        return "443" if column.endswith("port") else str(100 + k)
    if column == "x-policy-action":
        return ("allow", "block")[k % 2]
    if column == "cs-user-agent":
        return '"Mozilla/5.0 (Windows NT 10.0; Win64; x64), Edge"'
    if column == "cs-username":
        return ("-", "jdupont@chu.fr", "mmartin@chu.fr")[k % 3]
    if column == "x-type":
        return "http_transaction"
    return "-"


def line(layout: tuple[str, ...], k: int, host: str | None = None) -> str:
    """The ``k``-th CSV line of ``layout``."""
    host = host or HOSTS[k % len(HOSTS)]
    return ",".join(value(column, k, host) for column in layout)


def header(layout: tuple[str, ...]) -> str:
    return ",".join(layout)
