"""The scan's terminal table (``commands.scan_table_rows``): a file a row, or, past
``TABLE_FILES`` files, the first and last few, those that need a look, and the others summed run
by run, so that no file and no line leaves the table's sums."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.cli import main
from sentinelle.commands import TABLE_ENDS, TABLE_FILES, scan_table_rows
from sentinelle.scan import FileReport

LINE = (
    "{t}.000    412 10.1.0.10 TCP_TUNNEL/200 1000 CONNECT chatgpt.com:443 jdupont "
    "HIER_DIRECT/192.0.2.1 -"
)


@st.composite
def _files(draw: st.DrawFn) -> list[FileReport]:
    n = draw(st.integers(0, 3 * TABLE_FILES))
    out = []
    for i in range(n):
        lines = draw(st.integers(0, 5000))
        rejected = draw(st.integers(0, lines))
        dup = draw(st.sampled_from([None, None, None, None, "old.log"]))
        fmt = draw(st.sampled_from(["squid", "squid", "fortigate"]))
        out.append(
            FileReport(
                f"f{i:03d}.log",
                fmt,
                lines,
                lines - rejected,
                0,
                rejected,
                lines // 7,
                0,
                duplicate_of=dup,
            )
        )
    return out


def _number(cell: str) -> int:
    return 0 if cell == "—" else int(cell.replace(",", ""))


@settings(max_examples=200, deadline=None)
@given(files=_files())
def test_every_file_and_line_is_in_the_table(files: list[FileReport]) -> None:
    rows = scan_table_rows(files)
    named = {r[0] for r in rows if not r[0].startswith("…")}
    summed = sum(int(r[0].split()[1].replace(",", "")) for r in rows if r[0].startswith("…"))
    assert len(named) + summed == len(files)  # each file listed, or in one run's row
    for column, key in ((2, "lines"), (3, "events"), (4, "rejected")):
        total = sum(getattr(f, key) for f in files if f.duplicate_of is None)
        assert sum(_number(r[column]) for r in rows) == total
    ai = sum(f.ai_events for f in files if f.duplicate_of is None)
    assert sum(_number(r[5]) for r in rows if not r[5].startswith("already")) == ai
    if len(files) <= TABLE_FILES:  # a row a file, in order
        assert [r[0] for r in rows] == [f.name for f in files]
        return
    need_a_look = {
        f.name for f in files if f.duplicate_of is not None or f.rejected > 0.01 * f.lines
    }
    ends = {f.name for f in files[:TABLE_ENDS] + files[-TABLE_ENDS:]}
    assert named == ends | need_a_look
    assert [r[0] for r in rows if r[0] in named] == [f.name for f in files if f.name in named]
    runs = [r[0].startswith("…") for r in rows]
    assert not any(a and b for a, b in itertools.pairwise(runs))  # a run is one row


def test_a_duplicate_reads_already_scanned() -> None:
    rows = scan_table_rows([FileReport("a.log", "squid", duplicate_of="b.log")])
    assert rows == [("a.log", "squid", "—", "—", "—", "already scanned (b.log)")]


def test_a_scan_of_many_files_prints_a_short_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory of 45 files: 20 rows at the ends, the damaged one in the middle, one row for
    each run of the others (and the rejects' note says where every file is counted)."""
    monkeypatch.chdir(tmp_path)  # short names: a row each
    logs = Path("logs")
    logs.mkdir()
    for i in range(TABLE_FILES + 5):  # an hour each, one of them mostly garbage
        lines = [f"{LINE.format(t=1785534600 + 3600 * i + k)}\n" for k in range(20)]
        (logs / f"access-{i:02d}.log").write_text("".join(lines) + "garbage\n" * 15 * (i == 22))
    result = CliRunner().invoke(main, ["scan", "logs", "--store", "s"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "access-22.log" in out and "access-21.log" not in out
    assert out.count("… ") == 2  # access-10..21 and access-23..34
    assert "… 12 files" in out and "… 12 files" in out.split("access-22.log")[1]
    assert "access-00.log" in out and "access-44.log" in out
    assert "the table above counts them for the files it lists" in result.stderr
