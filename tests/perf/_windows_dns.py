"""Windows DNS debug-log packet lines for the tests of its usual line and of the scanner.

A line as the debug log writes it: ``DD/MM/YYYY HH:MM:SS`` (month first with ``mdy``; a
12-hour locale's ``M/D/YYYY h:MM:SS AM``), the
thread, ``PACKET``, the context, the protocol, the direction, the remote address padded to 15
columns, the xid, the response column (``R`` or blank), the opcode, the flags in brackets, the
question type padded to 6 columns, the question name length-prefixed.
"""

from __future__ import annotations

from datetime import datetime

from sentinelle.simulate.writers.windows_dns import qname

#: the parts of a line, by name (each may be replaced: :func:`record`'s ``change``)
PARTS = (
    "date",
    "time",
    "thread",
    "context",
    "proto",
    "direction",
    "ip",
    "xid",
    "resp",
    "op",
    "flags",
    "letters",
    "rcode",
    "qtype",
    "qname",
)


def record(
    local: datetime = datetime(2026, 8, 14, 7, 40, 24),
    host: str = "chatgpt.com",
    *,
    mdy: bool = False,
    twelve: bool = False,
    **change: str,
) -> str:
    """A received query for ``host`` at ``local`` (the server's local time), day first (month
    first with ``mdy``); with ``twelve``, as a 12-hour locale writes it (en-US's, with ``mdy``:
    ``M/D/YYYY h:MM:SS AM``, no leading zeros); ``change`` replaces parts by name (see
    :data:`PARTS`)."""
    assert set(change) <= set(PARTS), change
    first, second = (local.month, local.day) if mdy else (local.day, local.month)
    hour = local.hour % 12 or 12
    parts = {
        "date": f"{first}/{second}/{local.year}"
        if twelve
        else local.strftime("%m/%d/%Y" if mdy else "%d/%m/%Y"),
        "time": f"{hour}:{local:%M:%S} {'PM' if local.hour >= 12 else 'AM'}"
        if twelve
        else local.strftime("%H:%M:%S"),
        "thread": "0A6C",
        "context": "000001D5A1A01230",
        "proto": "UDP",
        "direction": "Rcv",
        "ip": "10.20.3.14",
        "xid": "4d2a",
        "resp": " ",
        "op": "Q",
        "flags": "0001",
        "letters": "D",
        "rcode": "NOERROR",
        "qtype": "A",
        "qname": qname(host),
        **change,
    }
    return (
        "{date} {time} {thread} PACKET  {context} {proto} {direction} {ip:<15} {xid} {resp} "
        "{op} [{flags}   {letters}   {rcode}] {qtype:<6} {qname}"
    ).format(**parts)


#: usual lines that the simulator does not write (it writes received queries alone): packets
#: sent and responses, which the parser skips, TCP, an IPv6 client
SHAPES = tuple(
    line.encode()
    for line in (
        record(direction="Snd", ip="8.8.8.8"),
        record(resp="R", letters="DR", ip="8.8.8.8"),
        record(direction="Snd", resp="R", letters="DR"),
        record(op="U", letters="D", qtype="SOA"),
        record(proto="TCP", ip="2001:db8::14", qtype="AAAA"),
    )
)
