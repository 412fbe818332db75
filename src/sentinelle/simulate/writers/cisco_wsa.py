"""Cisco Secure Web Appliance (IronPort WSA) access log, the default Squid-style format.

``%t %e %a %w/%h %s %2r %A %H/%d %c %D <verdict list> -``: epoch seconds with milliseconds,
elapsed ms, client, result code/status, reply size, method and URL (explicit CONNECT as
``tunnel://host:443/``), user (``"DOMAIN\\user@realm"``, ``-`` when none), ``DIRECT/<host>``
or ``NONE/-``, MIME type, ACL decision tag (``BLOCK_WEBCAT_…`` for policy denials,
``DECRYPT_…`` for decrypted HTTPS, ``PASSTHRU_…`` for tunnels, ``DEFAULT_CASE_11`` else).
No request size.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sentinelle.simulate.records import METHODS, MIMES, Connections, Tables
from sentinelle.simulate.writers import _columns as p

NAME = "cisco-wsa"
SUFFIX = ".s"
RECORDS = frozenset({"user", "bytes_in"})
DESCRIPTION = "Cisco WSA access log (default Squid-style format with ACL tags)"
USER = '"CHU\\{}@NTLM"'
# TUNNEL, MISS, HIT, DENIED, REFRESH, NONE_NONE in AsyncOS' words.
RESULTS = ("TCP_MISS", "TCP_MISS", "TCP_HIT", "TCP_DENIED", "TCP_REFRESH_HIT", "NONE")
POLICY = "-DefaultGroup-CHU.ID-NONE-NONE-NONE-DefaultGroup-NONE"
VERDICT = (
    '<{cat},4.2,"0","-",0,0,0,"1","-",-,-,-,"-","1",-,"-","-",-,-,{cat},-,"-","-",188.52,0,'
    '-,"-","-">'
)
STATUSES = tuple(f"{s:03d}" for s in range(600))


def file_name(day: str) -> str:
    return f"aclog@{day}{SUFFIX}"


def render(conns: Connections, tables: Tables) -> pa.Array:
    """One access-log line per record (no newline)."""
    code = p.join(p.pick(RESULTS, conns.result), p.pick(STATUSES, conns.status), sep="/")
    return p.join(
        p.millis(conns.ts),
        p.num(conns.elapsed),
        p.client(conns, tables),
        code,
        p.num(conns.bytes_in),
        p.pick(METHODS, conns.method),
        p.dash(p.url(conns, tables, tunnel="tunnel://")),
        p.user(conns, tables, USER),
        p.where(conns.server >= 0, p.join("DIRECT/", p.host(conns, tables)), "NONE/-"),
        p.pick(MIMES, conns.mime),
        p.join(acl(conns), POLICY),
        p.where(conns.service >= 0, VERDICT.format(cat="C_genai"), VERDICT.format(cat="IW_comp")),
        "-",
        sep=" ",
    )


def acl(conns: Connections) -> pa.Array:
    """The ACL decision tag's action: what the access policy did with the request."""
    blocked = p.denied(conns) & (conns.status == 403)
    bumped = conns.scheme == 2
    tag = np.where(
        blocked,
        "BLOCK_WEBCAT_12",
        np.where(
            bumped,
            "DECRYPT_WEBCAT_7",
            np.where(p.connect(conns), "PASSTHRU_WEBCAT_7", "DEFAULT_CASE_11"),
        ),
    )
    return pa.array(tag)
