"""``key=value`` tokenizer and value helpers shared by the firewall formats.

Firewalls (Stormshield, FortiGate, Sophos, Check Point's ``Fields@`` variant) write
space-separated ``key=value`` pairs where a value may be double-quoted (then it may contain
spaces, ``=`` and ``\\"``), unquoted, or empty (``exceptions= activityname=""``).  CEF and LEEF
have their own escaping rules and tokenizers (``cef.py``, ``leef.py``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sentinelle.errors import MalformedLine
from sentinelle.formats._url import Target, canonical_ip, split_url
from sentinelle.formats.base import LogFormat, ParseContext
from sentinelle.schema import count, normalize_host, within_count

# key = anything but blanks, '=' and quotes; value = "quoted with \" escapes" or a blank-free run.
# (possessive runs: the same pairs as with plain ones, a quoted value read run by run)
_PAIR = re.compile(r'([^\s="]+)=(?:"((?:[^"\\]++|\\.)*+)"|(\S*))')
# The same pairs when the text has no backslash and every quote a key opens is closed: the
# value group is the quoted text or the bare run, so findall gives (key, value) tuples.
_PLAIN_PAIR = re.compile(r'([^\s="]++)="?+((?<=")[^"]*+|\S*+)"?+')
_UNESCAPE = re.compile(r"\\([\"\\])")

try:  # the same pairs as _PLAIN_PAIR.findall, built in C (see _kvfast.c), ~3× faster
    from sentinelle.formats._kvfast import pairs as _plain_pairs
except ImportError:  # built without a C compiler

    def _plain_pairs(text: str, /) -> dict[str, str]:
        return dict(_PLAIN_PAIR.findall(text))


_BLANKS = frozenset({"", "-", "n/a", "(null)", "null", "none", "(empty)", "unknown"})


def parse_kv(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of ``text`` (a later duplicate key wins); MalformedLine if cut.

    Text that is not a pair (a stray word after an unquoted value, as in Sophos'
    ``domain=www. google.ca``) is ignored: the formats read the host from richer fields first.
    """
    last_quote = text.rfind('"')
    if "\\" not in text and (last_quote < 1 or text[last_quote - 1] != "="):
        # Without backslashes a quote is left open only if it is the last one and follows "="
        return _plain_pairs(text)
    out: dict[str, str] = {}
    for key, quoted, bare in _PAIR.findall(text):
        if bare:
            if bare[0] == '"':
                raise MalformedLine(f"value of {key!r} opens a quote that is never closed")
            out[key] = bare
        else:
            out[key] = _UNESCAPE.sub(r"\1", quoted) if "\\" in quoted else quoted
    return out


def blank(value: str | None) -> bool:
    """True for the many spellings of "no value" (``-``, ``N/A``, ``(null)``, ``""``...)."""
    return value is None or value.strip().lower() in _BLANKS


def text(fields: Mapping[str, str], /, *keys: str) -> str | None:
    """The first non-blank value among ``keys``, stripped; None when all are blank."""
    # blank() inlined, each value stripped once: this runs about ten times per line
    for key in keys:
        value = fields.get(key)
        if value is not None:
            value = value.strip()
            if value.lower() not in _BLANKS:
                return value
    return None


_py_text = text  # kept for the tests, and where the extension is not built (ImportError)
with contextlib.suppress(ImportError):  # the same in C (_kvfast.c): ~4x faster a call
    from sentinelle.formats._kvfast import text


#: the blanks ``int()`` and ``float()`` read around a number: those of ``str.strip()`` (all
#: up to U+3000) but the separators U+001C to U+001F
_INT_BLANKS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and not 0x1C <= c <= 0x1F)


def number(fields: Mapping[str, str], key: str) -> int | None:
    """An integer field; None when absent or blank, or beyond what the store keeps (a signed
    64-bit count: see :func:`count`); MalformedLine when not a number."""
    value = fields.get(key)
    if type(value) is str:  # most are digits: int() first (no blank spelling is a number)
        if len(value) <= 18:
            try:
                return int(value)
            except ValueError:
                pass
        elif value.isascii() and value.isdigit():
            return count(value)
    if blank(value):
        return None
    text = value.strip(_INT_BLANKS)  # type: ignore[union-attr]
    sign = text[:1] in "+-"
    if text.isascii() and text[sign:].isdigit():  # (int() refuses over 4,300 digits)
        n = count(text[sign:])
        return None if n is None else -n if text[0] == "-" else n
    try:
        return within_count(int(float(text)))
    except (ValueError, OverflowError):
        raise MalformedLine(f"{key}={value!r} is not a number") from None


def digits(value: str | None) -> TypeGuard[str]:
    """True for a non-empty run of ASCII digits (``str.isdigit`` also accepts ``²``)."""
    return bool(value) and value.isascii() and value.isdigit()  # type: ignore[union-attr]


_METHOD = re.compile(r"^[A-Z][A-Z_-]{1,19}$")


def http_method(value: str | None) -> str | None:
    """An HTTP method, upper-cased; None for blanks and for anything else (``unknown``)."""
    method = (value or "").strip().upper()
    return method if _METHOD.match(method) and method != "UNKNOWN" else None


def port(fields: Mapping[str, str], key: str) -> int | None:
    """A TCP/UDP port field (0 and out-of-range values → None)."""
    value = number(fields, key)
    return value if value is not None and 0 < value < 65536 else None


def ip(fields: Mapping[str, str], key: str) -> str | None:
    """A canonical IP address field; None when absent, blank or not an address."""
    value = text(fields, key)
    return canonical_ip(value) if value else None


@lru_cache(maxsize=1 << 14)  # a log names the same few hosts on many lines (a pure function)
def host_or_ip(value: str | None) -> tuple[str | None, str | None]:
    """``(destination_domain, destination_ip)`` of a logged host that may be an IP literal."""
    return _host_or_ip(value)


def _host_or_ip(value: str | None) -> tuple[str | None, str | None]:
    if blank(value):
        return None, None
    address = canonical_ip(value.strip())  # type: ignore[union-attr]
    if address is not None:
        return None, address
    host = normalize_host(value)
    if host is None or not _looks_like_host(host):
        return None, None
    return host, None


def split_loose_url(url: str) -> Target:
    """Host, port and path of a URL that may lack its scheme (``host/path``, PAN-OS, Zscaler).

    Without a scheme the port is unknown (None), not guessed from a scheme we would invent.
    """
    url = url.strip()
    if "://" in url or url.startswith("/"):
        return split_url(url)
    target = split_url(f"http://{url}")
    explicit = target.port is not None and f":{target.port}" in url.split("/", 1)[0]
    return target._replace(port=target.port if explicit else None)


_HOST = re.compile(r"^[a-z0-9_*](?:[a-z0-9_.*-]{0,251}[a-z0-9_])?$")


def _looks_like_host(host: str) -> bool:
    """True for a DNS-looking name (labels of letters/digits/-/_; IDN must be punycoded)."""
    return _HOST.match(host) is not None and ".." not in host


def detect_records(fmt: LogFormat, head: Sequence[str], ctx: ParseContext | None) -> bool:
    """``detect`` for formats whose valid non-traffic records parse to None (skipped).

    A firewall file may hold only statistics or system records (Stormshield ``monitor``,
    FortiGate ``event``): they are this format's records all the same, so they count as
    recognized.  The parsers of these formats return None only after validating the record
    (or for a blank line), and raise MalformedLine for anything else.
    """
    lines = [ln for ln in head if ln.strip()]
    if not lines or not any(fmt.sniff(ln) for ln in lines[:50]):
        return False
    parser = fmt.new_parser(ctx or ParseContext())
    recognized = 0
    for ln in lines:
        try:
            parser.parse(ln)
        except Exception:  # any failure means: not recognized (a parser bug included)
            continue
        recognized += 1
    return recognized > 0 and recognized >= fmt.min_parsed_share * len(lines)


# Unambiguous zone abbreviations only; IST, CST, BST... name several zones (read in --tz).
_ZONE_HOURS = {
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
}


#: the zone names :func:`named_zone` reads as a fixed offset (in upper case)
ZONE_NAMES = tuple(_ZONE_HOURS)


def named_zone(name: str | None) -> tzinfo | None:
    """A zone written by name: unambiguous abbreviation or IANA name; None → use --tz."""
    if not name:
        return None
    hours = _ZONE_HOURS.get(name.strip().upper())
    if hours is not None:
        return timezone(timedelta(hours=hours))
    if "/" in name:
        try:
            return ZoneInfo(name.strip())
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None
