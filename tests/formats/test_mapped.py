"""The mapped reader: mapping-file validation, detection only with a mapping, golden cases.

Each ``golden/mapped/<case>.csv|.jsonl|.tsv`` is read with ``<case>.mapping.yaml`` and compared
with ``<case>.expected.jsonl`` (same shape as test_golden; regenerate with
``SENTINELLE_UPDATE_GOLDEN=1``).  ``golden/mapped/no-mapping.log`` (run by test_golden) shows
that without a mapping every line is rejected with the reason.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest

from sentinelle.errors import ConfigError, MalformedLine
from sentinelle.formats import ParseContext, detect_format, get_format
from sentinelle.formats.mapped import load_mapping

GOLDEN = Path(__file__).parent / "golden" / "mapped"
CASES = sorted(
    p
    for p in GOLDEN.iterdir()
    if p.suffix in (".csv", ".jsonl", ".tsv") and not p.name.endswith(".expected.jsonl")
)
MAPPED = get_format("mapped")


def _ctx(mapping: Path) -> ParseContext:
    return ParseContext(path=mapping.name, options={"mapping": str(mapping)})


def _run(path: Path) -> list[dict]:  # type: ignore[type-arg]
    parser = MAPPED.new_parser(_ctx(path.with_suffix(".mapping.yaml")))
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


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_mapped_golden(path: Path) -> None:
    expected_path = path.with_suffix(".expected.jsonl")
    got = _run(path)
    if os.environ.get("SENTINELLE_UPDATE_GOLDEN"):
        expected_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in got))
    assert got == [json.loads(x) for x in expected_path.read_text().splitlines()]


def test_two_mapping_files_at_least() -> None:
    assert len(CASES) >= 2


def test_never_detected_without_a_mapping() -> None:
    head = (GOLDEN / "proxy-csv.csv").read_text(encoding="utf-8").splitlines()
    assert not MAPPED.detect(head, ParseContext())
    assert not MAPPED.detect(head, None)


def test_detected_with_its_mapping() -> None:
    path = GOLDEN / "proxy-csv.csv"
    ctx = _ctx(path.with_suffix(".mapping.yaml"))
    head = path.read_text(encoding="utf-8").splitlines()
    assert MAPPED.detect(head, ctx)
    assert detect_format(head, path=path.name, ctx=ctx).name == "mapped"


def test_without_mapping_every_line_is_rejected_with_the_reason() -> None:
    parser = MAPPED.new_parser(ParseContext())
    with pytest.raises(MalformedLine, match="mapping"):
        parser.parse("2026-03-01 08:00:05,10.20.3.14,chatgpt.com")


def test_the_shipped_example_loads() -> None:
    example = resources.files("sentinelle.formats") / "data" / "mapping.example.yaml"
    mapping = load_mapping(str(example))
    assert mapping.format == "csv"
    assert "destination.domain" in mapping.columns or "url.original" in mapping.columns


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: xml\ncolumns: {source.ip: a}\ntimestamp: {column: t}", "csv or jsonl"),
        ("format: csv\ncolumns: {source.ipp: a}\ntimestamp: {column: t}", "unknown ECS field"),
        (
            "format: csv\nheader: false\ncolumns: {source.ip: a}\ntimestamp: {column: 0}",
            "column indexes",
        ),
        ("format: jsonl\ncolumns: {source.ip: 3}\ntimestamp: {column: t}", "index 3"),
        (
            "format: csv\ncolumns: {source.ip: a}\ntimestamp: {column: t, tz: Mars/Base}",
            "time zone",
        ),
        ("format: csv\ncolumns: {source.ip: a}\ntimestamp: {column: t}\nprotocol: ftp", "ftp"),
        (
            "format: csv\ncolumns: {source.ip: a}\ntimestamp: {column: t}\ndelimiter: ';;'",
            "one character",
        ),
        (
            "format: csv\ncolumns: {source.ip: a}\ntimestamp: {column: t}\n"
            "blocked_when: {column: a}",
            "blocked_when",
        ),
        ("format: csv\ncolumns: {source.ip: a}", "timestamp"),
        ("format: csv\ntimestamp: {column: t}", "columns"),
        ("[1, 2]", "not a YAML mapping"),
        ("format: [csv", "not valid YAML"),
    ],
)
def test_bad_mapping_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"m\.yaml") as info:
        load_mapping(path)
    assert message in str(info.value)


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_mapping(tmp_path / "absent.yaml")
