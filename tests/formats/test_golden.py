"""Golden files: input lines → expected ECS events (or rejection reasons), per format.

Each ``golden/<format>/<name>.log`` has a ``<name>.expected.jsonl`` beside it: one JSON object per
input line, ``{"line": n, "event": {...}}``, ``{"line": n, "rejected": reason}`` or
``{"line": n, "skipped": true}``.  Regenerate after a deliberate change with
``SENTINELLE_UPDATE_GOLDEN=1 pytest tests/formats/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sentinelle.errors import MalformedLine
from sentinelle.formats import ParseContext, get_format

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.log"))


def _run(path: Path) -> list[dict]:  # type: ignore[type-arg]
    fmt = get_format(path.parent.name)
    # a fixed year: syslog dates without one must not depend on the day the tests run
    parser = fmt.new_parser(ParseContext(path=path.name, year=2026))
    out: list[dict] = []  # type: ignore[type-arg]
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            event = parser.parse(line)
        except MalformedLine as e:
            out.append({"line": n, "rejected": e.reason})
            continue
        out.append(
            {"line": n, "skipped": True} if event is None else {"line": n, "event": event.to_ecs()}
        )
    return out


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(path: Path) -> None:
    expected_path = path.with_suffix(".expected.jsonl")
    got = _run(path)
    if os.environ.get("SENTINELLE_UPDATE_GOLDEN"):
        expected_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in got))
    expected = [json.loads(x) for x in expected_path.read_text().splitlines()]
    assert got == expected


def test_every_format_has_golden_files() -> None:
    from sentinelle.formats import all_formats

    covered = {p.parent.name for p in CASES}
    assert set(all_formats()) <= covered
