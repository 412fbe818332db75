"""A hand-written Squid month with every trap, and its metrics computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

INVENTORY = """\
ip,hostname,site,department,role
10.1.0.10,PC-SEC-01,Nord,Cardiologie,Secrétaire médicale
10.1.0.11,PC-SEC-02,Nord,Cardiologie,Secrétaire médicale
10.2.0.0/16,,Sud,Urgences,Infirmier
10.2.5.0/24,,Sud,Pédiatrie,Interne
2001:db8:1::/48,,Nord,Imagerie,Médecin
"""


def ts(text: str) -> str:
    """Squid's epoch.millis for an ISO UTC time."""
    t = datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()
    return f"{t:.3f}"


def line(
    when: str,
    client: str,
    code: str,
    size: int | str,
    method: str,
    url: str,
    user: str = "-",
    hier: str = "HIER_DIRECT/192.0.2.1",
    mime: str = "-",
) -> str:
    return f"{ts(when)} {412:>6} {client} {code} {size} {method} {url} {user} {hier} {mime}"


# (line, counted service or None): the comments give the hand computation in Europe/Paris.
LINES = [
    # PC-SEC-01: 23:50 on 31 July in Paris -> period 2026-07, opens visit v1
    line(
        "2026-07-31T21:50:00",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        1000,
        "CONNECT",
        "chatgpt.com:443",
        "jdupont",
    ),
    # 00:10 on 1 August in Paris -> 2026-08, same visit v1 (20 min)
    line(
        "2026-07-31T22:10:00",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        200,
        "CONNECT",
        "chatgpt.com:443",
        "jdupont",
    ),
    # exactly 30 min later -> still v1
    line(
        "2026-07-31T22:40:00",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        300,
        "CONNECT",
        "chatgpt.com:443",
        "jdupont",
    ),
    # 30 min 1 s later -> new visit v2 in 2026-08
    line(
        "2026-07-31T23:10:01",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        400,
        "CONNECT",
        "chatgpt.com:443",
        "jdupont",
    ),
    # garbage in the middle
    "this is not a log line",
    "",
    # blocked claude from a Pédiatrie address (the /24 beats the /16), no user, URL with a query
    line(
        "2026-08-03T08:00:00", "10.2.5.7", "TCP_DENIED/403", 0, "GET", "https://Claude.AI./new?x=1"
    ),
    # gemini from Urgences
    line(
        "2026-08-03T09:00:00",
        "10.2.9.9",
        "TCP_TUNNEL/200",
        500,
        "CONNECT",
        "gemini.google.com:443",
        "mmartin",
    ),
    # le-chat from an IPv6 Imagerie workstation
    line(
        "2026-08-04T10:00:00",
        "2001:db8:1::42",
        "TCP_TUNNEL/200",
        600,
        "CONNECT",
        "chat.mistral.ai:443",
    ),
    # perplexity from an address outside the inventory -> unknown
    line(
        "2026-08-05T10:00:00",
        "10.9.9.9",
        "TCP_TUNNEL/200",
        700,
        "CONNECT",
        "www.perplexity.ai:443",
        "pbernard",
    ),
    # look-alikes and a query-string trap: never counted
    line("2026-08-05T11:00:00", "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT", "notchatgpt.com:443"),
    line(
        "2026-08-05T11:01:00",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        10,
        "CONNECT",
        "chatgpt.com.example.net:443",
    ),
    line("2026-08-05T11:02:00", "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT", "gemini.com:443"),
    line("2026-08-05T11:03:00", "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT", "copilot.ai:443"),
    line(
        "2026-08-05T11:04:00",
        "10.1.0.10",
        "TCP_MISS/200",
        10,
        "GET",
        "http://www.example.org/?utm_source=chatgpt.com",
    ),
    # PC-SEC-02: an auxiliary-only visit (not counted) ...
    line(
        "2026-08-06T10:00:00",
        "10.1.0.11",
        "TCP_TUNNEL/200",
        50,
        "CONNECT",
        "cdn.oaistatic.com:443",
        "adurand",
    ),
    # ... then a real visit: primary, auxiliary inside it, and a 407 handshake (blocked)
    line(
        "2026-08-06T12:00:00",
        "10.1.0.11",
        "TCP_TUNNEL/200",
        800,
        "CONNECT",
        "chatgpt.com:443",
        "adurand",
    ),
    line(
        "2026-08-06T12:05:00",
        "10.1.0.11",
        "TCP_TUNNEL/200",
        90,
        "CONNECT",
        "cdn.oaistatic.com:443",
        "adurand",
    ),
    line(
        "2026-08-06T12:06:00",
        "10.1.0.11",
        "TCP_DENIED/407",
        3900,
        "CONNECT",
        "chatgpt.com:443",
        hier="HIER_NONE/-",
        mime="text/html",
    ),
    "1785536588.abc    412 10.20.3.14 TCP_TUNNEL/200 5321 CONNECT chatgpt.com:443 x HIER_NONE/- -",
    # upper case, trailing dot and port: still chatgpt; PC-SEC-01 visit v3
    line(
        "2026-08-10T08:00:00",
        "10.1.0.10",
        "TCP_TUNNEL/200",
        1100,
        "CONNECT",
        "ChatGPT.COM.:443",
        "jdupont",
    ),
    # a pseudo-URL without a host: an event that can match nothing
    line(
        "2026-08-10T09:00:00",
        "10.1.0.10",
        "NONE_NONE/400",
        5,
        "NONE",
        "error:transaction-end-before-headers",
    ),
    "1785536589.000    412 10.20.3.14 TCP_TUNNEL 5321 CONNECT chatgpt.com:443",
]

LINE_COUNT = len(LINES)
REJECTED = 3  # the free text, the bad timestamp, the truncated last line
SKIPPED = 1  # the blank line
AI_EVENTS = 13  # catalog hits: PC-SEC-01 5, claude, gemini, le-chat, perplexity, PC-SEC-02 4

# export --by period,service (web), hand computed from the comments above
EXPECTED_BY_PERIOD_SERVICE = [
    {
        "period": "2026-07",
        "service": "chatgpt",
        "requests": 1,
        "blocked": 0,
        "visits": 1,
        "workstations": 1,
        "users": 1,
        "bytes_out": None,
        "bytes_in": 1000,
    },
    {
        "period": "2026-08",
        "service": "chatgpt",
        "requests": 7,
        "blocked": 1,
        "visits": 3,
        "workstations": 2,
        "users": 2,
        "bytes_out": None,
        "bytes_in": 200 + 300 + 400 + 1100 + 800 + 90 + 3900,
    },
    {
        "period": "2026-08",
        "service": "claude",
        "requests": 1,
        "blocked": 1,
        "visits": 1,
        "workstations": 1,
        "users": 0,
        "bytes_out": None,
        "bytes_in": 0,
    },
    {
        "period": "2026-08",
        "service": "gemini",
        "requests": 1,
        "blocked": 0,
        "visits": 1,
        "workstations": 1,
        "users": 1,
        "bytes_out": None,
        "bytes_in": 500,
    },
    {
        "period": "2026-08",
        "service": "le-chat",
        "requests": 1,
        "blocked": 0,
        "visits": 1,
        "workstations": 1,
        "users": 0,
        "bytes_out": None,
        "bytes_in": 600,
    },
    {
        "period": "2026-08",
        "service": "perplexity",
        "requests": 1,
        "blocked": 0,
        "visits": 1,
        "workstations": 1,
        "users": 1,
        "bytes_out": None,
        "bytes_in": 700,
    },
]

# export --by period,department,role for 2026-08
EXPECTED_AUGUST_BY_DEPARTMENT_ROLE = [
    {
        "department": "Cardiologie",
        "role": "Secrétaire médicale",
        "requests": 7,
        "visits": 3,
        "workstations": 2,
    },
    {"department": "Imagerie", "role": "Médecin", "requests": 1, "visits": 1, "workstations": 1},
    {"department": "Pédiatrie", "role": "Interne", "requests": 1, "visits": 1, "workstations": 1},
    {"department": "Urgences", "role": "Infirmier", "requests": 1, "visits": 1, "workstations": 1},
    {"department": "unknown", "role": "unknown", "requests": 1, "visits": 1, "workstations": 1},
]


@pytest.fixture
def squid_month(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    return log, inventory
