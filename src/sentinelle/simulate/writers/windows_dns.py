"""Windows Server DNS debug log (``dns.log``, *Log packets for debugging*, incoming queries).

``01/08/2026 10:23:00 0A6C PACKET  000001D5A1A01230 UDP Rcv 10.20.3.14      4d2a   Q
[0001   D   NOERROR] A      (7)chatgpt(3)com(0)`` — one received query per connection (no
resolver cache: DNS formats count queries), written as a French server writes it: the fr-FR
short date ``dd/MM/yyyy`` and a 24-hour clock, in the hospital's local time (``Tables.cache
["tz"]``), to the second.  The parser reads 24-hour slash dates day first and learns the order
from the first day above 12, so the files need no ``date_order``.  Remote IP padded to 15
columns, question type to 6, the question name length-prefixed as received (case kept, the
trailing dot dropped); host-less error records become a WPAD query (what browsers ask on their
own).

Every file starts with the server's legend (``Message logging key …``, field list, blank
line), which the parser skips.  The ``DNS Server log file creation at <date>`` line that
precedes it in a real file is left out: a writer's header is the same for every file.

The DNS server sees only the query: the client address (the workstation, or the resolver that
forwarded it), the name, the time.  No user, no bytes, no URL, and no block decision — the
proxy denies the connection *after* the name was resolved, so denied connections are ordinary
queries here (``SEES_BLOCKED = False``: the truth counts no ``blocked``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.simulate.records import Connections, Tables
from sentinelle.simulate.writers._columns import cached, client, join, pick, stamp, zone

NAME = "windows-dns"
SUFFIX = ".log"
RECORDS: frozenset[str] = frozenset()
DESCRIPTION = "Windows Server DNS debug log (packet lines, fr-FR dates, local time)"
PROTOCOL = "dns"
RESOLUTION_MS = 1000  # the debug log writes whole seconds
SEES_BLOCKED = False  # a resolver does not see the proxy's decision
NO_HOST = "wpad"
DATE_FORMAT = "%d/%m/%Y %H:%M:%S"  # fr-FR short date, 24-hour clock
THREADS = ("0A6C", "0B14", "0C44", "0D28")
QTYPES = ("A     ", "A     ", "A     ", "AAAA  ", "HTTPS ")  # padded to 6 columns
HEADER = (
    "Message logging key (for packets - other items use a subset of these fields):",
    "\tField #  Information         Values",
    "\t-------  -----------         ------",
    "\t   1     Date",
    "\t   2     Time",
    "\t   3     Thread ID",
    "\t   4     Context",
    "\t   5     Internal packet identifier",
    "\t   6     UDP/TCP indicator",
    "\t   7     Send/Receive indicator",
    "\t   8     Remote IP",
    "\t   9     Xid (hex)",
    "\t  10     Query/Response      R = Response",
    "\t                             blank = Query",
    "\t  11     Opcode              Q = Standard Query",
    "\t                             N = Notify",
    "\t                             U = Update",
    "\t                             ? = Unknown",
    "\t  12     [ Flags (hex)",
    "\t  13     Flags (char codes)  A = Authoritative Answer",
    "\t                             T = Truncated Response",
    "\t                             D = Recursion Desired",
    "\t                             R = Recursion Available",
    "\t  14     ResponseCode ]",
    "\t  15     Question Type",
    "\t  16     Question Name",
    "",
)


def file_name(day: str) -> str:
    return f"dns-{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One received-query packet line per connection, as a pyarrow string array."""
    n = len(conns)
    seq = np.arange(n, dtype=np.int64)
    ts = np.asarray(conns.ts, np.int64)
    hex4 = cached(tables, "hex4-upper", lambda: [f"{i:04X}" for i in range(1 << 16)])
    xid4 = cached(tables, "hex4-lower", lambda: [f"{i:04x}" for i in range(1 << 16)])
    # Internal packet identifier: a heap address, different for every packet of the day.
    packet = join(
        "000001D5", pick(hex4, (0xA1A0 + (seq >> 12)) & 0xFFFF), pick(hex4, (seq << 4) & 0xFFFF)
    )
    client_idx = np.asarray(conns.client, np.int64)
    xid = pick(xid4, (ts // 7 + client_idx * 40503) & 0xFFFF)
    return join(
        stamp(ts, DATE_FORMAT, zone(tables)),
        " ",
        pick(THREADS, client_idx % len(THREADS)),
        " PACKET  ",
        packet,
        " UDP Rcv ",
        pc.utf8_rpad(client(conns, tables), 15, " "),
        " ",
        xid,
        "   Q [0001   D   NOERROR] ",
        pick(QTYPES, ts % len(QTYPES)),
        " ",
        pick(cached(tables, "windows-dns-qnames", lambda: _qnames(tables)), conns.host),
    )


def qname(host: str) -> str:
    """``www.google.com`` → ``(3)www(6)google(3)com(0)`` (the debug log's question name)."""
    labels = (host.rstrip(".") or NO_HOST).split(".")
    return "".join(f"({len(label)}){label}" for label in labels) + "(0)"


def _qnames(tables: Tables) -> list[str]:
    return [qname(h) for h in tables.hosts]
