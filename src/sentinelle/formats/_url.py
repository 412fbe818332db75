"""Splitting the destination out of what proxies log as a URL (helpers shared by format modules)."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from sentinelle.errors import MalformedLine
from sentinelle.schema import normalize_host

_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}


_HOST = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?$")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"  # no leading zero, as ipaddress
#: an IPv4 address already in canonical form (most clients): no need for ``ipaddress``
_CANONICAL_V4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}\Z")


def checked_host(host: str | None) -> str | None:
    """``host`` if it is a plausible host name or IP literal; MalformedLine otherwise."""
    if host is None or _HOST.match(host) or canonical_ip(host) is not None:
        return host
    raise MalformedLine(f"destination {host[:80]!r} is not a host name")


class Target(NamedTuple):
    host: str | None
    port: int | None
    path: str | None  # without the query string; transient


def split_authority(authority: str) -> tuple[str | None, int | None]:
    """``user@host:port`` / ``[v6]:port`` → (normalized host, port); MalformedLine if no host."""
    authority = authority.rsplit("@", 1)[-1]
    port: int | None = None
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return None, None
        host = authority[1:end]
        rest = authority[end + 1 :]
        if rest.startswith(":") and rest[1:].isascii() and rest[1:].isdigit():
            port = int(rest[1:])
    elif authority.count(":") == 1:
        host, _, p = authority.partition(":")
        if p.isascii() and p.isdigit():
            port = int(p)
        elif p:
            return None, None
    else:
        host = authority  # a bare IPv6 literal (rare) stays whole
    return checked_host(normalize_host(host)), port


def split_url(url: str, method: str | None = None) -> Target:
    """Host, port and path of a logged URL; ``CONNECT host:port`` authority form included."""
    if method == "CONNECT" or ("://" not in url and not url.startswith("/")):
        if ":" not in url and "." not in url:
            return Target(None, None, None)  # e.g. Squid's "error:invalid-request" pseudo-URLs
        if url.startswith("error:"):
            return Target(None, None, None)
        host, port = _authority(url.split("/", 1)[0])
        return Target(host, port, None)
    if url.startswith("/"):
        return Target(None, None, url.split("?", 1)[0])
    scheme, authority, path = _ABSOLUTE.match(url).groups()  # type: ignore[union-attr]
    host, port = _authority(authority)
    if port is None:
        port = _DEFAULT_PORTS.get(scheme.lower())
    return Target(host, port, path or "/")


# scheme (up to the first "://"), authority (up to the first / ? #), path (up to ? or #)
_ABSOLUTE = re.compile(r"(.*?)://([^/?#]*+)([^?#]*+)", re.DOTALL)


@lru_cache(maxsize=1 << 14)  # a log names the same few hosts on many lines
def _authority(authority: str) -> tuple[str | None, int | None]:
    """``split_authority``, remembered (a MalformedLine is raised again, never remembered)."""
    return split_authority(authority)


@lru_cache(maxsize=1 << 16)
def canonical_ip(text: str) -> str | None:
    """Canonical text of an IPv4/IPv6 address (``::ffff:a.b.c.d`` unwrapped), None if not one."""
    if not text or not (text[-1].isdigit() or ":" in text or text[-1] in "abcdefABCDEF]"):
        return None
    if _CANONICAL_V4.match(text):
        return text
    try:
        addr = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


def user_or_none(value: str) -> str | None:
    """A logged user name, URL-decoded; ``-``/empty → None."""
    if not value or value == "-":
        return None
    return unquote(value)
