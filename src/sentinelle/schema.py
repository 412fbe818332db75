"""The normalized event: one log record, whatever the vendor, under Elastic Common Schema names.

This module is the single description of the schema: :data:`FIELDS` lists every field with its
ECS name, type and meaning, and :class:`Event` carries them (attribute = ECS name with dots and
``@`` replaced).  ``docs/schema.md`` and ``sentinelle parse`` output are generated from it.

``url.path`` is *transient*: parsers fill it so that the catalog can apply URL-path rules
(``m365.cloud.microsoft/chat``); it is never stored nor printed.  Queries are never kept at all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Action = Literal["allowed", "blocked"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # ECS name
    attr: str  # attribute on Event
    type: str
    description: str
    stored: bool = True


FIELDS: tuple[Field, ...] = (
    Field(
        "@timestamp",
        "timestamp",
        "datetime",
        "When the event happened, in UTC (naive local times are read in --tz).",
    ),
    Field(
        "source.ip",
        "source_ip",
        "ip",
        "Address of the client workstation (IPv4 or IPv6, canonical text form).",
    ),
    Field(
        "source.domain",
        "source_domain",
        "keyword",
        "Host name of the client when the log records it (lower-case).",
    ),
    Field(
        "user.name",
        "user_name",
        "keyword",
        "Authenticated user name as logged, None when the log has none ('-').",
    ),
    Field(
        "destination.domain",
        "destination_domain",
        "keyword",
        "Destination host: lower-case, no port, no trailing dot (URL host, SNI, DNS query name).",
    ),
    Field("destination.ip", "destination_ip", "ip", "Destination address when logged."),
    Field("destination.port", "destination_port", "long", "Destination TCP/UDP port when known."),
    Field(
        "http.request.method",
        "http_request_method",
        "keyword",
        "HTTP method (CONNECT, GET, POST, ...), upper-case; None for non-HTTP records.",
    ),
    Field(
        "http.response.status_code",
        "http_response_status_code",
        "long",
        "HTTP status returned to the client; None when not logged (0 in Squid is kept).",
    ),
    Field(
        "event.action",
        "event_action",
        "keyword",
        "'allowed' or 'blocked': whether the proxy/firewall/resolver let the request through.",
    ),
    Field(
        "source.bytes",
        "source_bytes",
        "long",
        "Bytes sent by the client to the server (request), None when the format has none.",
    ),
    Field(
        "destination.bytes",
        "destination_bytes",
        "long",
        "Bytes sent by the server to the client (response), None when the format has none.",
    ),
    Field(
        "observer.product",
        "observer_product",
        "keyword",
        "The product that wrote the log (format name, e.g. 'squid').",
    ),
    Field(
        "network.protocol",
        "network_protocol",
        "keyword",
        "What the record observed: 'http' (proxy request), 'tls' (SNI), 'dns' (query), "
        "'network' (a firewall connection record: the host, when present, is the name the "
        "firewall resolved or matched for the connection).",
    ),
    Field(
        "url.path",
        "url_path",
        "keyword",
        "Transient: URL path used for URL-path catalog rules, never stored or printed.",
        stored=False,
    ),
)

FIELD_BY_NAME = {f.name: f for f in FIELDS}


@dataclass(slots=True)
class Event:
    """One normalized log record (see :data:`FIELDS` for the meaning of each attribute)."""

    timestamp: datetime
    source_ip: str | None = None
    source_domain: str | None = None
    user_name: str | None = None
    destination_domain: str | None = None
    destination_ip: str | None = None
    destination_port: int | None = None
    http_request_method: str | None = None
    http_response_status_code: int | None = None
    event_action: Action = "allowed"
    source_bytes: int | None = None
    destination_bytes: int | None = None
    observer_product: str = ""
    network_protocol: str = "http"
    url_path: str | None = None

    def to_ecs(self) -> dict[str, Any]:
        """ECS JSON object (nested), without transient fields or empty values."""
        out: dict[str, Any] = {}
        for f in FIELDS:
            if not f.stored:
                continue
            value = getattr(self, f.attr)
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
            if f.name.startswith("@"):
                out[f.name] = value
                continue
            node = out
            *parents, leaf = f.name.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = value
        return out


def _check_fields() -> None:
    attrs = {f.name for f in dataclasses.fields(Event)}
    declared = {f.attr for f in FIELDS}
    if attrs != declared:  # pragma: no cover - caught at import by any test
        raise RuntimeError(f"schema.FIELDS and Event disagree: {sorted(attrs ^ declared)}")


_check_fields()


def normalize_host(host: str | None) -> str | None:
    """Lower-case; strip ``:port``, IPv6 brackets and the trailing dot; None if empty."""
    if not host:
        return None
    h = host.strip().lower()
    if h.startswith("["):  # [2001:db8::1]:443
        end = h.find("]")
        h = h[1:end] if end > 0 else h[1:]
    elif h.count(":") == 1:
        h = h.split(":", 1)[0]
    h = h.rstrip(".")
    return h or None


def markdown() -> str:
    """``docs/schema.md``: ``python -m sentinelle.schema > docs/schema.md``."""
    rows = "".join(f"| `{f.name}` | {f.type} | {f.description} |\n" for f in FIELDS)
    return (
        "# The normalized event\n\n"
        "Generated from `src/sentinelle/schema.py` by `python -m sentinelle.schema > "
        "docs/schema.md`.\nEvery log format is parsed into these fields, named after the "
        "Elastic Common Schema (ECS).\n`sentinelle parse` prints them as ECS JSON lines.\n\n"
        "| field | type | meaning |\n|---|---|---|\n" + rows
    )


#: the largest count the store keeps (its integers are signed 64-bit)
COUNT_MAX = (1 << 63) - 1


def count(digits: str | bytes) -> int | None:
    """A run of ASCII digits read as a count: its value, or None beyond :data:`COUNT_MAX` (a
    byte count of 20 digits is no count a log can mean, and the store could not keep it; int()
    of thousands of digits is refused, not tried)."""
    if len(digits) > 19:
        digits = digits.lstrip("0" if isinstance(digits, str) else b"0")  # type: ignore[arg-type]
        if len(digits) > 19:
            return None
    n = int(digits or 0)
    return n if n <= COUNT_MAX else None


def within_count(n: int) -> int | None:
    """``n``, or None beyond what the store keeps (see :func:`count`)."""
    return n if -COUNT_MAX <= n <= COUNT_MAX else None


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
