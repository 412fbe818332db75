"""The format registry: every supported log format, and detection from a file's first lines.

Each format lives in its own module exposing ``FORMAT`` (a :class:`LogFormat`); adding a format
means adding a module and its name to :data:`_REGISTRY`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from functools import cache

from sentinelle.errors import ConfigError, MalformedLine, UnrecognizedFormatError
from sentinelle.formats.base import FormatOption, LineParser, LogFormat, ParseContext

__all__ = [
    "LineParser",
    "LogFormat",
    "ParseContext",
    "all_formats",
    "check_options",
    "detect_format",
    "get_format",
]

#: Format name -> its module, in detection order: by the formats' ``priority``, then name (a test
#: checks it).  Detection and :func:`get_format` import only the modules they reach.
_REGISTRY: dict[str, str] = {
    "cisco-wsa": "cisco_wsa",
    "squid": "squid",
    "squid-combined": "squid_combined",
    "opnsense-squid": "opnsense_squid",
    "zeek": "zeek",
    "checkpoint": "checkpoint",
    "fortigate": "fortigate",
    "netskope": "netskope",
    "paloalto": "paloalto",
    "sophos": "sophos",
    "stormshield": "stormshield",
    "windows-dns": "windows_dns",
    "zscaler": "zscaler",
    "bind": "bind",
    "cisco-umbrella-proxy": "cisco_umbrella_proxy",
    "bluecoat": "bluecoat",
    "dnsmasq": "dnsmasq",
    "forcepoint": "forcepoint",
    "cisco-umbrella-dns": "cisco_umbrella_dns",
    "cef": "cef",
    "leef": "leef",
    "w3c": "w3c",
    "mapped": "mapped",
}


@cache
def all_formats() -> dict[str, LogFormat]:
    """Every registered format by name, in detection order (specific first)."""
    found = [_load(name) for name in _REGISTRY]
    found.sort(key=lambda f: (f.priority, f.name))
    return {f.name: f for f in found}


def _load(name: str) -> LogFormat:
    fmt: LogFormat = importlib.import_module(f"sentinelle.formats.{_REGISTRY[name]}").FORMAT
    return fmt


def get_format(name: str) -> LogFormat:
    """The format called ``name``; a ConfigError listing the known names otherwise."""
    if name not in _REGISTRY:
        raise ConfigError(
            f"unknown format {name!r}",
            hint=f"use one of: auto, {', '.join(all_formats())} (see `sentinelle formats`)",
        )
    return _load(name)


def check_options(options: Mapping[str, str], fmt: str = "auto") -> dict[str, str]:
    """``options`` as the parsers read them (a value among choices in lower case); ConfigError
    unless each is one that the format ``fmt`` reads (with ``auto``, that one of the formats
    reads), with a value it takes."""
    formats = list(all_formats().values()) if fmt == "auto" else [get_format(fmt)]
    known: dict[str, list[tuple[str, FormatOption]]] = {}  # name -> (format, its option)
    for f in formats:
        for o in f.options:
            known.setdefault(o.name, []).append((f.name, o))
    for name in options:
        if name not in known:
            which = "; ".join(
                f"{n} ({', '.join(f for f, _ in readers)})" for n, readers in sorted(known.items())
            )
            raise ConfigError(
                f"unknown format option {name!r}" + ("" if fmt == "auto" else f" for {fmt}"),
                hint=f"options: {which}" if which else f"the {fmt} format reads no option",
            )
    return {name: _value(known[name], text) for name, text in options.items()}


def _value(readers: list[tuple[str, FormatOption]], text: str) -> str:
    """``text`` as the first of the formats' options of one name that takes it reads it (with
    ``--format auto``, Windows DNS's ``date_order`` takes ``ymd``, Forcepoint's does not);
    the error of the one with the most choices when none does."""
    ranked = sorted((o for _, o in readers), key=lambda o: -len(o.choices))
    errors: list[ConfigError] = []
    for option in ranked:
        try:
            return option.value(text)
        except ConfigError as e:
            errors.append(e)
    raise errors[0]


def detect_format(head: Sequence[str], *, path: str, ctx: ParseContext | None = None) -> LogFormat:
    """The first format whose ``detect`` accepts ``head``; UnrecognizedFormatError otherwise."""
    for name in _REGISTRY:
        fmt = _load(name)
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
        ok = 0.0
        for ln in lines:
            try:
                ok += parser.parse(ln) is not None
            except (MalformedLine, Exception):
                ok += 0.5 * fmt.sniff(ln)
        if ok:
            scores.append((fmt, ok / len(lines)))
    return sorted(scores, key=lambda s: -s[1])
