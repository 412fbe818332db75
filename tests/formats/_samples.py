"""Reading a vendor sample file with one format: the helpers the per-family sample tests share."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, detect_format, get_format
from sentinelle.schema import Event

# upstream expectations read tz-less vendor times as UTC
UTC_CTX = ParseContext(tz=ZoneInfo("UTC"))


def run_sample(path: Path, fmt_name: str) -> tuple[list[Event], int, list[str]]:
    """(events, skipped lines, rejection reasons) of every non-blank line of ``path``."""
    parser = get_format(fmt_name).new_parser(UTC_CTX)
    events: list[Event] = []
    skipped, rejected = 0, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            event = parser.parse(line)
        except MalformedLine as e:
            rejected.append(e.reason)
            continue
        if event is None:
            skipped += 1
        else:
            events.append(event)
    return events, skipped, rejected


def check_accounted(path: Path, name: str, case: tuple[str, int, int, int]) -> None:
    """The file is detected as its format and its lines split exactly as ``case`` says."""
    fmt_name, parsed, skipped, rejected = case
    head = path.read_text(encoding="utf-8").splitlines()[:100]
    assert detect_format(head, path=name, ctx=UTC_CTX).name == fmt_name
    events, n_skipped, reasons = run_sample(path, fmt_name)
    assert (len(events), n_skipped, len(reasons)) == (parsed, skipped, rejected), reasons
    assert all(e.timestamp.tzinfo is not None for e in events)
    assert all(e.destination_domain or e.destination_ip for e in events)
