"""Zscaler NSS web records in JSON templates the simulator does not write (it writes one
template, string values, no blank): the keys in other orders, numbers written bare, blanks
around the punctuation (the Elastic integration's wrapper), a user agent with escapes, the day
padded with a space, extra keys."""

from __future__ import annotations

import json
from typing import Any

#: the simulator's record, the event object of ``{"sourcetype":"zscalernss-web","event":{…}}``
RECORD = {
    "time": "Sat Aug 01 10:00:14 2026",
    "login": "jdupont@chu.fr",
    "proto": "HTTPS",
    "eurl": "chatgpt.com/backend-api/conversation",
    "action": "Allowed",
    "urlcat": "Professional Services",
    "reqsize": "2048",
    "respsize": "5321",
    "cip": "203.0.113.7",
    "cintip": "10.20.3.14",
    "sip": "104.18.32.47",
    "reqmethod": "POST",
    "respcode": "200",
}


def record(
    event: dict[str, Any] | None = None,
    separators: tuple[str, str] = (",", ":"),
    ensure_ascii: bool = False,
    outer: str = '{"sourcetype":"zscalernss-web","event":',
    **change: Any,
) -> bytes:
    """A line of the template with ``event`` (default :data:`RECORD`) as its record, its keys
    changed by ``change`` (None: left out)."""
    rec = dict(RECORD if event is None else event)
    for key, value in change.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    inner = json.dumps(rec, separators=separators, ensure_ascii=ensure_ascii)
    return (outer + inner + "}").encode()


#: the wrapper as the Elastic integration's template writes it
ELASTIC = '{ "sourcetype" : "zscalernss-web", "event" :'


#: usual records
SHAPES = (
    record(),
    record(dict(reversed(list(RECORD.items())))),
    record(separators=(", ", ": ")),
    record(reqsize=2048, respsize=0, respcode=200),
    record(time="Sat Aug  1 10:00:14 2026", ua='Mozilla/5.0 \\"x\\" é', ensure_ascii=True),
    record(eurl="Chat.Example.FR:8443/a?b=c", reqmethod="CONNECT", urlclass="Business Use"),
    record({k: v for k, v in RECORD.items() if k not in ("login", "cip", "sip")}),
    record(outer=ELASTIC),
)
