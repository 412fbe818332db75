"""The format registry: every supported log format, and detection from a file's first lines.

Each format lives in its own module exposing ``FORMAT`` (a :class:`LogFormat`); adding a format
means adding a module and its name to :data:`_MODULES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache

from sentinelle.errors import ConfigError, MalformedLine, UnrecognizedFormatError
from sentinelle.formats.base import LineParser, LogFormat, ParseContext

__all__ = [
    "LineParser",
    "LogFormat",
    "ParseContext",
    "all_formats",
    "detect_format",
    "get_format",
]

_MODULES: tuple[str, ...] = (
    "squid",
    "squid_combined",
    "cisco_wsa",
    "bluecoat",
    "w3c",
    "zscaler",
    "netskope",
    "cisco_umbrella_proxy",
    "forcepoint",
    "opnsense_squid",
    "windows_dns",
    "bind",
    "dnsmasq",
    "cisco_umbrella_dns",
    "zeek",
    "stormshield",
    "fortigate",
    "paloalto",
    "sophos",
    "checkpoint",
    "cef",
    "leef",
    "mapped",
)


@cache
def all_formats() -> dict[str, LogFormat]:
    """Every registered format by name, in detection order (specific first)."""
    found = [importlib.import_module(f"sentinelle.formats.{m}").FORMAT for m in _MODULES]
    found.sort(key=lambda f: (f.priority, f.name))
    return {f.name: f for f in found}


def get_format(name: str) -> LogFormat:
    """The format called ``name``; a ConfigError listing the known names otherwise."""
    formats = all_formats()
    if name not in formats:
        raise ConfigError(
            f"unknown format {name!r}",
            hint=f"use one of: auto, {', '.join(formats)} (see `sentinelle formats`)",
        )
    return formats[name]


def detect_format(head: Sequence[str], *, path: str, ctx: ParseContext | None = None) -> LogFormat:
    """The first format whose ``detect`` accepts ``head``; UnrecognizedFormatError otherwise."""
    for fmt in all_formats().values():
        if fmt.detect(head, ctx):
            return fmt
    first = next((ln for ln in head if ln.strip()), "")
    closest = ", ".join(f"{f.name} ({score:.0%} of lines)" for f, score in _closest(head)[:3])
    raise UnrecognizedFormatError(
        f"{path}: the format of this file was not recognized "
        f"(tried: {', '.join(all_formats())})\n  first line: {first[:200]!r}"
        + (f"\n  closest: {closest}" if closest else ""),
        hint="name the format with --format NAME, or describe the file with a mapping "
        "(see `sentinelle formats`)",
    )


def _closest(head: Sequence[str]) -> list[tuple[LogFormat, float]]:
    """Formats ranked by the share of sample lines that at least pass their cheap sniff."""
    lines = [ln for ln in head if ln.strip()][:50]
    if not lines:
        return []
    scores = []
    for fmt in all_formats().values():
        parser = fmt.new_parser(ParseContext())
        ok = 0
        for ln in lines:
            try:
                ok += parser.parse(ln) is not None
            except (MalformedLine, Exception):
                ok += 0.5 * fmt.sniff(ln)
        if ok:
            scores.append((fmt, ok / len(lines)))
    return sorted(scores, key=lambda s: -s[1])
