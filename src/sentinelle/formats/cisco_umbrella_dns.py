"""Cisco Umbrella DNS logs, S3 export CSV (``dnslogs/``), schema versions 1 to 13+.

Quoted CSV, no header unless "Include Optional Log Headers" is on: Timestamp (UTC,
``YYYY-MM-DD HH:MM:SS``), Most Granular Identity, Identities, Internal IP, External IP, Action
(``Allowed``/``Blocked``), QueryType (``1 (A)``), ResponseCode, Domain (trailing dot),
Categories — 10 columns up to v2 — then Most Granular Identity Type, Identity Types (v3+),
Blocked Categories (v4+), and later Rule ID, Destination Countries.  Identities contain commas
inside one quoted field, and some exporters add a space after the separating commas.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime

from sentinelle.errors import MalformedLine
from sentinelle.formats._structure import Branch, Element, Item, chars
from sentinelle.formats._time import build
from sentinelle.formats._url import canonical_ip
from sentinelle.formats._usual import (
    CSV_FIELD_LIMIT,
    DIGIT,
    HOSTC,
    QUOTED,
    UTC_KEY_LEN,
    Profile,
    comma,
    datetime_digits,
    literal,
    optional,
    utc_key,
)
from sentinelle.formats.base import LineParser, LogFormat, ParseContext
from sentinelle.schema import Action, Event, normalize_host

_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
_QTYPE = re.compile(r"^\d{1,5} \([A-Za-z0-9*-]+\)$")
_ACTIONS: dict[str, Action] = {"allowed": "allowed", "blocked": "blocked"}
_MIN_COLS, _MAX_COLS = 10, 16
_EMPTY = ("", "-", "N/A")
_UPN = re.compile(r"\(([^()\s]+@[^()\s]+)\)\s*$")


def split_csv(line: str) -> list[str]:
    """One CSV record (quoted fields, optional space after commas) → its fields."""
    try:
        rows = list(csv.reader([line], skipinitialspace=True, strict=True))
    except csv.Error as e:
        raise MalformedLine(f"not a CSV record ({e})") from None
    return rows[0] if rows else []


class UmbrellaDnsParser(LineParser):
    product = "cisco-umbrella-dns"

    def parse(self, line: str) -> Event | None:
        if not line.strip():
            return None
        cols = split_csv(line.rstrip("\r\n"))
        if cols and cols[0].strip().lower() == "timestamp":
            return None  # the optional header row
        if not _MIN_COLS <= len(cols) <= _MAX_COLS:
            raise MalformedLine(f"{len(cols)} columns, a DNS log has {_MIN_COLS} to {_MAX_COLS}")
        action = _ACTIONS.get(cols[5].strip().lower())
        if action is None:
            raise MalformedLine(f"action {cols[5]!r} is neither Allowed nor Blocked")
        if not _QTYPE.match(cols[6].strip()):
            raise MalformedLine(f"query type {cols[6]!r} is not like '1 (A)'")
        domain = normalize_host(cols[8])
        if domain is None or ":" in domain:
            raise MalformedLine(f"domain {cols[8]!r} is not a DNS name")
        user, computer = _identity(cols)
        return Event(
            timestamp=_utc(cols[0]),
            source_ip=canonical_ip(cols[3]) if cols[3].strip() not in _EMPTY else None,
            source_domain=computer,
            user_name=user,
            destination_domain=domain,
            event_action=action,
            observer_product=self.product,
            network_protocol="dns",
        )


def _utc(text: str) -> datetime:
    m = _TIME.match(text.strip())
    if m is None:
        raise MalformedLine(f"timestamp {text!r} is not YYYY-MM-DD HH:MM:SS")
    return build(*(int(g) for g in m.groups())).replace(tzinfo=UTC)


def _identity(cols: list[str]) -> tuple[str | None, str | None]:
    """(user, computer name) from the most granular identity and its type (v3+)."""
    identity = cols[1].strip()
    kind = cols[10].strip().lower() if len(cols) > 10 else ""
    if not identity or identity in _EMPTY:
        return None, None
    if "user" in kind:
        upn = _UPN.search(identity)  # "Jean Dupont (jdupont@chu.example.fr)" → the login
        return (upn.group(1) if upn else identity), None
    if "computer" in kind or "roaming" in kind:
        return None, identity.lower()
    return None, None  # a network, site or device: says nothing about the person


def _column(n: int, *content: Item) -> tuple[Item, ...]:
    """Column ``n`` as the export writes it: quoted, ``content`` or text without quotes."""
    inside = content or (Element(f"c{n}", QUOTED, 1, None),)
    return (Element(f"open{n}", chars('"')), *inside, Element(f"close{n}", chars('"')))


def _last(n: int) -> tuple[Item, ...]:
    """Columns ``n`` to 13, each there only if the one before is, each maybe empty: an opening
    quote and maybe text without quotes (one run: two runs of quotes in a row would be one),
    then the closing quote."""
    if n > 13:  # 14 columns at most
        return ()
    text = Element(f"c{n}", QUOTED, 1, None, first=chars('"'))
    return (optional(comma(n), text, Element(f"close{n}", chars('"')), *_last(n + 1)),)


#: The usual record (see formats/_usual.py): 10 to 14 quoted columns (15 or 16 are parsed),
#: without spaces after the commas nor quotes inside, the first ten not empty: a possible UTC
#: time (``utc_key``), Allowed or Blocked, a query type, a domain starting with a letter or
#: digit: a DNS query (the walker marks it).  Read by the native walker.
USUAL = Profile(
    usual=(
        *_column(0, *datetime_digits("time")),
        comma(1),
        *_column(1),
        comma(2),
        *_column(2),
        comma(3),
        *_column(3),
        comma(4),
        *_column(4),
        comma(5),
        *_column(5, Branch((literal("allowed", "Allowed"), literal("blocked", "Blocked")))),
        comma(6),
        *_column(
            6,
            Element("qtype", DIGIT, 1, 5),
            Element("qspace", chars(" ")),
            Element("qopen", chars("(")),
            Element("qname", chars("A-Za-z0-9*\\-"), 1, None),
            Element("qclose", chars(")")),
        ),
        comma(7),
        *_column(7),
        comma(8),
        *_column(8, Element("domain", HOSTC, 1, None, first=chars("A-Za-z0-9"))),
        comma(9),
        *_column(9),
        *_last(10),
    ),
    tail=frozenset(),
    hosts=frozenset({"domain"}),
    dns_element="qclose",  # (every usual line: a DNS query)
    key_at=1,  # (after the column's opening quote)
    key_len=UTC_KEY_LEN,
    key_time=utc_key,
    utc_key=True,
    host_start=b'".',  # "chatgpt.com."
    host_end=b'."',
    max_line=CSV_FIELD_LIMIT,
    about=(
        "10 to 14 quoted columns, a UTC time, Allowed or Blocked, a query type and a domain name."
    ),
)


class UmbrellaDnsFormat(LogFormat):
    name = "cisco-umbrella-dns"
    description = (
        "Cisco Umbrella DNS logs exported to S3 (CSV): every query with its identity, the "
        "internal address, the domain and Umbrella's Allowed/Blocked decision. DNS queries, "
        "not requests."
    )
    kind = "dns"
    host_field = "Domain (trailing dot removed)"
    host_evidence = "dns"
    example = (
        '"2026-08-01 08:23:00","jdupont (jdupont@chu.example.fr)","jdupont (jdupont@chu.example'
        '.fr),CHU Network","10.20.3.14","192.0.2.10","Allowed","1 (A)","NOERROR","chatgpt.com.",'
        '"Generative AI","AD Users","AD Users,Networks",""'
    )
    vendor_setup = (
        "Umbrella dashboard → Admin → Log Management: enable logging to an Amazon S3 bucket "
        "(Cisco-managed or your own), keep *Include Optional Log Headers* off or on (both are "
        "read), then download the `dnslogs/` folders (`aws s3 sync`). The proxy logs "
        "(`proxylogs/`) are read by `cisco-umbrella-proxy`."
    )
    fields_used = (
        "Timestamp (UTC) → @timestamp; Internal IP → source.ip; Most Granular Identity → "
        "user.name when its type is a user (AD Users…; the `(login@domain)` part when "
        "present), source.domain when a computer; Action → "
        "event.action (Blocked = blocked); Domain → destination.domain."
    )
    limits = (
        "Queries, not requests (caches hide repeats); no bytes, no URL. Identities of type "
        "Network/Site give neither user nor computer. External IP (the site's public address) "
        "is not used; Internal IP is empty for some identity types (then no source.ip)."
    )
    priority = 45
    usual = USUAL
    handles_syslog = False

    def sniff(self, line: str) -> bool:
        return ('"Allowed"' in line or '"Blocked"' in line) and '."' in line

    def new_parser(self, ctx: ParseContext) -> LineParser:
        return UmbrellaDnsParser()


FORMAT = UmbrellaDnsFormat()
