"""``sentinelle parse``: the normalized events of log files, without storing anything."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo

from sentinelle.formats import ParseContext, check_options, detect_format, get_format
from sentinelle.inputs import discover, head_lines, year_hint
from sentinelle.scan.reader import parse_lines
from sentinelle.schema import Event

OnReject = Callable[[str, int, str], None]


def parse_events(
    paths: Sequence[str],
    *,
    fmt: str = "auto",
    tz: str = "Europe/Paris",
    limit: int | None = None,
    on_reject: OnReject | None = None,
    options: Mapping[str, str] | None = None,
) -> Iterator[Event]:
    """Events of every file in ``paths``, in order; rejected lines go to ``on_reject``;
    ``options``: what the parsers read beyond the lines (``--format-option``)."""
    zone = ZoneInfo(tz)
    parse_options = check_options(options or {}, fmt)
    inputs = discover(paths)
    produced = 0
    try:
        for inp in inputs:
            ctx = ParseContext(path=inp.name, tz=zone, year=year_hint(inp), options=parse_options)
            f = (
                get_format(fmt)
                if fmt != "auto"
                else detect_format(head_lines(inp), path=inp.name, ctx=ctx)
            )
            for lineno, item in parse_lines(inp, f, ctx):
                if isinstance(item, Event):
                    yield item
                    produced += 1
                    if limit is not None and produced >= limit:
                        return
                elif isinstance(item, str) and on_reject is not None:
                    on_reject(inp.name, lineno, item)
    finally:
        for inp in inputs:
            if inp.temporary:
                os.unlink(inp.path)
