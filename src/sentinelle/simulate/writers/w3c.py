"""A W3C extended (ELFF) proxy log: a Cisco WSA "W3C Logs" subscription with chosen fields.

W3C subscriptions let the administrator pick and order the fields; this one starts with the
epoch ``timestamp`` (milliseconds) and logs the full ``cs-url`` (``tunnel://host:443/`` for
CONNECT), ``x-resultcode-httpstatus`` (``TCP_DENIED/403``) and the ``x-acltag`` decision.
The ``#Fields:`` header (with ``#Version``/``#Software``) opens every file; values are
blank-separated, ``-`` when empty.  No request size.
"""

from __future__ import annotations

import pyarrow as pa

from sentinelle.simulate.records import METHODS, MIMES, Connections, Tables
from sentinelle.simulate.writers import _columns as p
from sentinelle.simulate.writers import cisco_wsa

NAME = "w3c"
SUFFIX = ".w3c"
RECORDS = frozenset({"user", "bytes_in"})
DESCRIPTION = "W3C extended log with a #Fields: header (Cisco WSA W3C subscription)"
FIELDS = (
    "timestamp c-ip cs-username cs-method cs-url x-resultcode-httpstatus sc-bytes "
    "x-elapsed-time x-acltag x-result-code cs-mime-type x-hierarchy-origin"
)
HEADER = (
    "#Version: 1.0",
    "#System: 10.1.1.2 - wsa02.chu.local",
    "#Software: AsyncOS for Web 15.2.0",
    "#Fields: " + FIELDS,
)


def file_name(day: str) -> str:
    return f"w3c_access@{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One ELFF data line per record, in :data:`FIELDS` order."""
    result = p.pick(cisco_wsa.RESULTS, conns.result)
    return p.join(
        p.millis(conns.ts),
        p.client(conns, tables),
        p.user(conns, tables, "CHU\\{}@NTLM"),
        p.pick(METHODS, conns.method),
        p.dash(p.url(conns, tables, tunnel="tunnel://")),
        p.join(result, p.pick(cisco_wsa.STATUSES, conns.status), sep="/"),
        p.num(conns.bytes_in),
        p.num(conns.elapsed),
        p.join(cisco_wsa.acl(conns), cisco_wsa.POLICY),
        result,
        p.pick(MIMES, conns.mime),
        p.where(conns.server >= 0, p.join("DIRECT/", p.host(conns, tables)), "NONE/-"),
        sep=" ",
    )
