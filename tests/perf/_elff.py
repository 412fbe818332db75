"""ELFF (W3C extended) layouts and their data lines, for the tests of the usual line of each
``#Fields:`` layout (``formats/w3c.py``: ``elff_usual``) and of the scanner that switches
layouts mid-file (``scan/fast.py``: ``_LayoutScanner``)."""

from __future__ import annotations

from sentinelle.formats.bluecoat import MAIN_FIELDS
from sentinelle.formats.w3c import TYPICAL

#: layouts with a usual line, by what they stand for
LAYOUTS: dict[str, tuple[str, ...]] = {
    "ProxySG main": MAIN_FIELDS,
    "WSA W3C": TYPICAL,
    # the same shapes as main's, read otherwise: the host is where main's supplier is
    "ProxySG main, the host and the supplier swapped": tuple(
        {"cs-host": "s-supplier-name", "s-supplier-name": "cs-host"}.get(c, c) for c in MAIN_FIELDS
    ),
    "ProxySG custom: cs(host), a full URL, x-cs-userip": (
        "date",
        "time",
        "time-taken",
        "x-cs-userip",
        "cs-username",
        "s-action",
        "sc-status",
        "cs-method",
        "cs(host)",
        "cs-uri-port",
        "cs-uri",
        "sc-bytes",
        "cs-bytes",
        "cs(user-agent)",
        "sc-filter-result",
    ),
    "TMG-like: r-host, r-port and a path": (
        "date",
        "time",
        "c-ip",
        "cs-username",
        "cs-method",
        "r-host",
        "r-port",
        "cs-uri-stem",
        "sc-status",
        "sc-bytes",
        "cs-bytes",
        "s-action",
    ),
    "epoch, cs-host and a combined status": (
        "timestamp",
        "c-ip",
        "cs-method",
        "cs-host",
        "cs-uri-path",
        "x-resultcode-httpstatus",
        "cs-bytes",
        "cs(referer)",
    ),
}

#: layouts without one: their lines all go to the parser
NO_USUAL: dict[str, tuple[str, ...]] = {
    "IIS: no host, no URL with one": ("date", "time", "s-ip", "cs-method", "cs-uri-stem", "c-ip"),
    "no client address": ("date", "time", "cs-host", "sc-status"),
    "the time not first": ("c-ip", "date", "time", "cs-host"),
    "an epoch beside date and time": ("timestamp", "c-ip", "cs-host", "date"),
    "gmttime": ("gmttime", "c-ip", "cs-host"),
    "a column named twice": ("date", "time", "c-ip", "cs-host", "c-ip"),
}

HOSTS = ["chatgpt.com", "claude.ai", "www.has-sante.fr", "cdn.example.org", "site1.example.fr"]


def date_time(column: str, k: int) -> str | None:
    """The ``k``-th line's ``date`` or ``time`` (also Netskope's), None for another column."""
    if column == "date":
        return f"2026-08-{1 + k % 28:02d}"
    if column == "time":
        return f"{k % 24:02d}:{k % 60:02d}:{(k * 7) % 60:02d}"
    return None


def address(k: int) -> str:
    """The ``k``-th line's client address: IPv4, IPv6 on some lines."""
    return f"10.1.{k % 7}.{1 + k % 200}" if k % 9 else f"2001:db8::{k % 50 + 1:x}"


def value(column: str, k: int, host: str) -> str:
    """The ``k``-th line's value of ``column``, naming ``host``."""
    connect = k % 4 == 1
    when = date_time(column, k)
    if when is not None:
        return when
    if column == "timestamp":
        return f"{1785600000 + 37 * k}.{k % 1000:03d}"
    if column in ("c-ip", "x-cs-userip"):
        return address(k)
    if column in ("cs-host", "cs(host)", "r-host"):
        return host
    if column in ("cs-uri", "cs-url"):
        return f"tunnel://{host}:443/" if connect else f"https://{host}/backend-api/c?k={k}"
    if column in ("cs-uri-stem", "cs-uri-path"):
        return "/" if connect else f"/backend-api/c{k % 3}"
    if column == "cs-method":
        return "CONNECT" if connect else ("GET", "POST")[k % 2]
    if column == "x-resultcode-httpstatus":
        return ("TCP_MISS/200", "TCP_DENIED/403")[k % 2]
    if column in ("sc-status",):
        return ("200", "403", "407")[k % 3]
    if column in ("cs-bytes", "sc-bytes", "time-taken", "cs-uri-port", "r-port"):
        return "443" if column.endswith("port") else str(100 + k)
    if column == "s-supplier-name":
        return "upstream.example.net"
    if column == "s-action":
        return ("TCP_NC_MISS", "TCP_DENIED", "TCP_TUNNELED")[k % 3]
    if column == "cs(user-agent)":
        return '"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'
    if column == "cs-categories":
        return '"Artificial Intelligence"'
    if column == "cs-username":
        return ("-", "jdupont", "CHU\\mmartin@NTLM")[k % 3]
    return "-"


def line(layout: tuple[str, ...], k: int, host: str | None = None) -> str:
    """The ``k``-th data line of ``layout``."""
    host = host or HOSTS[k % len(HOSTS)]
    return " ".join(value(column, k, host) for column in layout)


def directive(layout: tuple[str, ...]) -> str:
    return "#Fields: " + " ".join(layout)
