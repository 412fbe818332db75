"""The reference read path: every line of a file through its format's parser, in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import xxhash

from sentinelle.errors import MalformedLine
from sentinelle.formats import LogFormat, ParseContext
from sentinelle.inputs import QUICK_BYTES, ContentHash, InputFile, decode, open_with_raw
from sentinelle.scan.enrich import Enricher
from sentinelle.schema import Event

SHOWN_REJECTS = 5  # rejected lines shown with their text
KEPT_REJECTS = 100  # rejected line numbers and reasons stored per file (never the text)
READ_BLOCK = 1 << 20  # decompressed bytes read at a time

Progress = Callable[[int, int], None]  # (bytes of the file read so far, lines since last call)


@dataclass
class Reject:
    line: int
    reason: str
    text: str


@dataclass
class FileResult:
    """What reading one file gave: line accounting, its fingerprint, and the enriched hits."""

    lines: int = 0
    events: int = 0
    skipped: int = 0
    rejected: int = 0
    #: lines handed one by one to the format's parser: every line off the fast path; on it,
    #: those it does not count at once (malformed, of another layout, or an AI service's that
    #: it does not enrich by parts; a line enriched by parts is parsed only when it brings a
    #: value not met before, and is not counted here)
    parsed: int = 0
    content_bytes: int = 0
    fingerprint: str = ""
    #: of a range of a plain file: the digests of the content chunks that start in it
    chunks: list[bytes] = field(default_factory=list)
    quick_key: str = ""
    first_ts: datetime | None = None
    last_ts: datetime | None = None
    rejects: list[Reject] = field(default_factory=list)
    #: naive local times in the repeated autumn hour that the file's order could not settle
    #: (read as the first occurrence), and spring-gap times (shifted forward)
    ambiguous_times: int = 0
    nonexistent_times: int = 0


def read_file(
    inp: InputFile,
    fmt: LogFormat,
    ctx: ParseContext,
    enricher: Enricher,
    progress: Progress | None = None,
    *,
    spill: Any = None,
) -> FileResult:
    """Parse every line of ``inp``; malformed lines are counted and sampled, never raised.

    With ``spill`` (a list, or a :class:`~sentinelle.scan.spool.SpoolWriter`), the enricher's
    hit rows are moved there as Arrow tables as they gather (see :meth:`Enricher.spill`)."""
    res = FileResult()
    parser = fmt.new_parser(ctx)
    parse = parser.parse
    hasher, quick = ContentHash(), xxhash.xxh3_128()
    pending, tail = 0, b""
    with open_with_raw(inp) as (stream, raw):
        # blocks, hashed whole and cut into lines here: the same lines as iterating the stream
        while block := stream.read(READ_BLOCK):
            hasher.update(block)
            if res.content_bytes < QUICK_BYTES:
                quick.update(block[: QUICK_BYTES - res.content_bytes])
            res.content_bytes += len(block)
            lines = block.split(b"\n")
            lines[0] = tail + lines[0]
            tail = lines.pop()  # the unfinished last line (b"" when the block ends a line)
            for data in lines:
                res.lines += 1
                _parse_line(parse, decode(data), res.lines, res, enricher)
            pending += len(lines)
            if spill is not None:
                enricher.spill(spill)
            if progress is not None and pending >= 65536:
                progress(raw.tell(), pending)
                pending = 0
        if tail:  # the last line has no newline
            res.lines += 1
            _parse_line(parse, decode(tail), res.lines, res, enricher)
            pending += 1
    if progress is not None:
        progress(inp.size, pending)
    res.parsed = res.lines
    clock = getattr(parser, "clock", None)  # parsers of local-time formats keep a LocalClock
    if clock is not None:
        res.ambiguous_times, res.nonexistent_times = clock.ambiguous, clock.nonexistent
    res.fingerprint = hasher.hexdigest()
    res.quick_key = quick.hexdigest()
    return res


def parse_lines(
    inp: InputFile, fmt: LogFormat, ctx: ParseContext
) -> Iterator[tuple[int, Event | str | None]]:
    """(line number, event | rejection reason | None for a non-record line) for every line."""
    parser = fmt.new_parser(ctx)
    with open_with_raw(inp) as (stream, _):
        for lineno, data in enumerate(stream, start=1):
            try:
                item: Event | str | None = parser.parse(decode(data))
            except MalformedLine as e:
                item = e.reason
            except Exception as e:  # a parser bug: the line is rejected, not lost
                item = f"parser error ({type(e).__name__}: {e})"
            yield lineno, item


def _parse_line(
    parse: Callable[[str], object], line: str, lineno: int, res: FileResult, enricher: Enricher
) -> None:
    try:
        event = parse(line)
    except MalformedLine as e:
        _reject(res, lineno, e.reason, line)
        return
    except Exception as e:  # a parser bug must not stop the scan nor lose the line
        _reject(res, lineno, f"parser error ({type(e).__name__}: {e})", line)
        return
    if event is None:
        res.skipped += 1
        return
    res.events += 1
    ts = event.timestamp  # type: ignore[attr-defined]
    first, last = res.first_ts, res.last_ts
    if first is None or ts < first:
        res.first_ts = ts
    if last is None or ts > last:
        res.last_ts = ts
    enricher.add(event, lineno)  # type: ignore[arg-type]


def _reject(res: FileResult, lineno: int, reason: str, line: str) -> None:
    res.rejected += 1
    if len(res.rejects) < KEPT_REJECTS:
        res.rejects.append(
            Reject(lineno, reason, line[:300] if len(res.rejects) < SHOWN_REJECTS else "")
        )
