"""The command line: every command documented with an example; errors give documented exit codes."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sentinelle import cli
from sentinelle.cli import main
from sentinelle.console import EXIT_CODES
from tests.scan.conftest import EXPECTED_BY_PERIOD_SERVICE, LINES


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        out.append((f"{prefix}{name}", cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, f"{prefix}{name} ")
    return out


COMMANDS = _commands(main)


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name: str, cmd: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`sentinelle {name} --help` shows no example"


def test_main_help_lists_each_command_with_its_own_short_help() -> None:
    """``sentinelle --help`` lists the commands from the registry, without importing them: each
    line must be what the command itself says."""
    ctx = click.Context(main)
    for name, (_, line) in cli.COMMANDS.items():
        cmd = main.get_command(ctx, name)
        assert cmd is not None and not cmd.hidden
        assert line == cmd.get_short_help_str(limit=300), name
    shown = CliRunner().invoke(main, ["--help"]).output
    listed = shown.split("Commands:")[1]
    for name, (_, line) in cli.COMMANDS.items():
        assert f"  {name} " in listed and line.split()[0] in listed


@pytest.mark.parametrize(
    "args,heavy",
    [
        (["--help"], ("scipy", "duckdb", "pyarrow", "sentinelle.commands")),
        (["survey", "--help"], ("scipy",)),
        (["survey", "estimate", "--help"], ("scipy",)),
    ],
    ids=["main", "survey", "survey estimate"],
)
def test_help_imports_nothing_heavy(args: list[str], heavy: tuple[str, ...]) -> None:
    """Help loads no command module (the scan's DuckDB) nor SciPy (~0.5 s, needed only when the
    barometer's estimates are computed)."""
    code = (
        "import sys\n"
        "from sentinelle.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('loaded=' + ','.join(m for m in {heavy!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage:" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "loaded="


def test_main_help_documents_exit_codes() -> None:
    result = CliRunner().invoke(main, ["--help"])
    for code in ("0", "2", "3", "6", "130"):
        assert f"  {code} " in EXIT_CODES
    assert "Exit codes" in result.output


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "access.log"
    path.write_text("\n".join(LINES) + "\n")
    return path


def _run(*args: str) -> tuple[int, str]:
    """Exit code and everything printed (stdout then stderr)."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def _stdout(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_scan_then_export_csv(log: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    code, _ = _run("scan", str(log), "--store", store)
    assert code == 0
    lines = _stdout("export", "--by", "period,service", "--store", store).strip().splitlines()
    assert (
        lines[0] == "period,service,requests,blocked,visits,workstations,users,bytes_out,bytes_in"
    )
    # no inventory here: the metrics by period and service do not depend on it
    expected = [
        ",".join("" if r[k] is None else str(r[k]) for k in r) for r in EXPECTED_BY_PERIOD_SERVICE
    ]
    assert lines[1:] == expected


def test_export_file_types(log: Path, tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    store = str(tmp_path / "store")
    _run("scan", str(log), "--store", store)
    for ext in ("csv", "json", "parquet"):
        out = tmp_path / f"x.{ext}"
        assert (
            _run(
                "export",
                "--by",
                "service",
                "--period",
                "2026-08",
                "--store",
                store,
                "--out",
                str(out),
            )[0]
            == 0
        )
    assert len(json.loads((tmp_path / "x.json").read_text())) == 5
    assert pq.read_table(tmp_path / "x.parquet").num_rows == 5
    assert (tmp_path / "x.csv").read_text().count("\n") == 6


def test_scan_stdin(log: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = CliRunner().invoke(
        main, ["scan", "-", "--store", store, "--json"], input=gzip.compress(log.read_bytes())
    )
    assert result.exit_code == 0, result.output
    assert '"ai_events": 13' in result.stdout


def test_scan_json_fields(log: Path, tmp_path: Path) -> None:
    import json

    data = json.loads(_stdout("scan", str(log), "--store", str(tmp_path / "s"), "--json"))
    assert {"files", "lines", "events", "rejected", "ai_events"} <= set(data)
    assert (data["files"], data["lines"], data["rejected"]) == (1, len(LINES), 3)


@pytest.mark.parametrize(
    "case,code,needle",
    [
        ("missing", 3, "no such file"),
        ("unrecognized", 3, "was not recognized"),
        ("truncated-gz", 3, "cannot be read to the end"),
        ("bad-format-name", 2, "unknown format"),
        ("bad-inventory", 5, "is not an IP address"),
        ("bad-tz", 2, "unknown time zone"),
    ],
)
def test_scan_errors(case: str, code: int, needle: str, log: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    args = ["scan", str(log), "--store", store]
    if case == "missing":
        args[1] = str(tmp_path / "nope.log")
    elif case == "unrecognized":
        (tmp_path / "notes.txt").write_text("Dear team,\nplease find the logs attached.\n")
        args[1] = str(tmp_path / "notes.txt")
    elif case == "truncated-gz":
        data = gzip.compress(log.read_bytes() * 50)
        (tmp_path / "cut.gz").write_bytes(data[: len(data) // 2])
        args[1] = str(tmp_path / "cut.gz")
    elif case == "bad-format-name":
        args += ["--format", "nosuch"]
    elif case == "bad-inventory":
        inv = tmp_path / "inv.csv"
        inv.write_text("ip,site,department,role\n10.0.0.300,A,B,C\n")
        args += ["--inventory", str(inv)]
    elif case == "bad-tz":
        args += ["--tz", "Mars/Olympus"]
    got, out = _run(*args)
    assert got == code, out
    assert needle in out
    if case in ("missing", "unrecognized", "truncated-gz"):
        assert args[1] in out  # the error names the file
    if case == "unrecognized":
        assert "squid" in out and "Dear team" in out  # formats tried, first line shown
    assert not (tmp_path / "store" / "sentinelle.duckdb").exists() or case == "truncated-gz"


def test_truncated_file_stores_nothing(log: Path, tmp_path: Path) -> None:
    data = gzip.compress(log.read_bytes() * 50)
    (tmp_path / "cut.gz").write_bytes(data[: len(data) // 2])
    store = tmp_path / "store"
    assert _run("scan", str(log), str(tmp_path / "cut.gz"), "--store", str(store))[0] == 3
    if (store / "sentinelle.duckdb").exists():
        out = _stdout("export", "--by", "service", "--store", str(store))
        assert out.strip().count("\n") == 0  # header only


@pytest.mark.parametrize(
    "args,code,needle",
    [
        (["export", "--by", "service"], 6, "no sentinelle store"),
        (["export", "--by", "colour"], 2, "unknown dimension"),
        (["export", "--by", "service", "--period", "2026-13"], 2, "YYYY-MM"),
    ],
)
def test_export_errors(args: list[str], code: int, needle: str, tmp_path: Path) -> None:
    got, out = _run(*args, "--store", str(tmp_path / "none"))
    assert got == code, out
    assert needle in out


def test_parse_prints_ecs_and_rejects(log: Path) -> None:
    import json

    result = CliRunner().invoke(main, ["parse", str(log), "--limit", "3"])
    assert result.exit_code == 0
    events = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(events) == 3
    assert events[0]["destination"]["domain"] == "chatgpt.com"
    assert all("path" not in json.dumps(e) for e in events)
    full = CliRunner().invoke(main, ["parse", str(log)])
    assert f"{log}:5:" in full.stderr


def _squid_month(path: Path, lines: int, fraction: str) -> Path:
    """``lines`` Squid native lines, none naming an AI service, their times' fraction
    ``fraction`` (milliseconds: the usual layout; another number of digits, which the parser
    reads too, as a custom ``logformat`` may write them: another)."""
    path.write_text(
        "".join(
            f"{1785536580 + i}.{fraction}    412 10.20.3.{i % 200} TCP_TUNNEL/200 5321 CONNECT "
            f"www{i % 50}.example.org:443 jdupont HIER_DIRECT/104.18.32.47 -\n"
            for i in range(lines)
        )
    )
    return path


@pytest.mark.parametrize(
    "fraction,engine,parsed,note",
    [
        ("123", "fast", 0, False),  # the usual layout: counted at once
        ("1234", "fast", 12_000, True),  # another layout: read by the parser, named
        ("123", "reference", 12_000, False),  # the reference engine parses every line
    ],
)
def test_scan_names_a_file_its_parser_read_for_the_most_part(
    tmp_path: Path, fraction: str, engine: str, parsed: int, note: bool
) -> None:
    import json

    log = _squid_month(tmp_path / "access.log", 12_000, fraction)
    args = ["scan", str(log), "--format", "squid", "--engine", engine, "--jobs", "1"]
    result = CliRunner().invoke(main, [*args, "--store", str(tmp_path / "a"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["lines"], data["events"], data["parsed_lines"]) == (12_000, 12_000, parsed)
    assert data["per_file"][0]["fast_path"] is (engine == "fast")
    code, out = _run(*args, "--store", str(tmp_path / "b"))
    assert code == 0
    assert ("100% of the lines of" in out) is note
    assert ("were read by the squid parser" in out) is note


def test_formats_says_what_the_fast_path_counts_of_each() -> None:
    import json

    from sentinelle.formats import all_formats

    listed = {f["name"]: f["fast_path"] for f in json.loads(_stdout("formats", "--json"))}
    for name, fmt in all_formats().items():
        if fmt.usual is None:
            assert listed[name] == "none yet: every line goes through the parser."
        else:  # the profile's own sentence
            assert listed[name].startswith(f"a usual line has {fmt.usual.about}")
    text = _stdout("formats")
    assert text.count("scan's fast path: ") == len(listed)
    # the texts as written, brackets and all (Rich markup would eat them, or stop at [/path])
    for fmt in all_formats().values():
        assert f"host: {fmt.host_field} [{fmt.host_evidence}]" in text, fmt.name
        if fmt.usual is not None:
            assert " ".join(fmt.usual.about.split()) in " ".join(text.split()), fmt.name


def test_an_error_names_a_path_with_brackets_as_written(tmp_path: Path) -> None:
    """Error texts are data, not Rich markup: a path like ``[red]x[/red].log`` is shown as is
    (markup ate it, or stopped the message at an unmatched closing tag)."""
    missing = tmp_path / "[red]x[/red].log"
    code, out = _run("scan", str(missing), "--store", str(tmp_path / "store"))
    assert code != 0
    assert f"{missing}: no such file" in " ".join(out.split())


# -- what a format reads beyond its lines (--format-option) -------------------------------------
_MDY = (
    '"Date","Time","User","Category","Action","URL","Source IP","Destination IP",'
    '"HTTP Status","HTTP Method","Bytes Sent","Bytes Received"\n'
    '"08/25/2026","10:00:14","jdupont@chu.fr","Generative AI","Allowed",'
    '"HTTPS://chatgpt.com/backend-api/conversation","10.20.3.14","104.18.32.47","200","Post",'
    '"2310","18211"\n'
)


def test_a_format_option_reaches_the_parser_of_scan_and_parse(tmp_path: Path) -> None:
    """Forcepoint's export written month first: with ``date_order=mdy`` its line is the 25th
    of August (08:00:14 UTC); without, it is rejected (no 25th month)."""
    export = tmp_path / "export.csv"
    export.write_text(_MDY)
    args = ["scan", str(export), "--format", "forcepoint", "--json"]
    import json

    with_it = _stdout(*args, "--store", str(tmp_path / "a"), "--format-option", "date_order=MDY")
    without = _stdout(*args, "--store", str(tmp_path / "b"))
    assert (json.loads(with_it)["ai_events"], json.loads(with_it)["rejected"]) == (1, 0)
    assert (json.loads(without)["ai_events"], json.loads(without)["rejected"]) == (0, 1)
    out = _stdout("parse", str(export), "--format-option", "date_order=mdy")
    assert json.loads(out)["@timestamp"].startswith("2026-08-25T08:00:14")


def test_the_mapped_format_reads_its_mapping_file(tmp_path: Path) -> None:
    """The shipped example mapping, given as a format option, reads a log of its layout."""
    from importlib.resources import files

    mapping = files("sentinelle.formats") / "data" / "mapping.example.yaml"
    log = tmp_path / "gateway.csv"
    log.write_text(
        "time;client_ip;user;url;method;status;bytes_sent;bytes_received;action\n"
        "01/08/2026 10:23:00;10.20.3.14;jdupont;https://chatgpt.com/backend-api;POST;200;12;"
        "345;ALLOW\n"
    )
    out = _stdout(
        "scan", str(log), "--format", "mapped", "--format-option", f"mapping={mapping}",
        "--store", str(tmp_path / "s"), "--json",
    )  # fmt: skip
    import json

    assert (json.loads(out)["ai_events"], json.loads(out)["rejected"]) == (1, 0)


@pytest.mark.parametrize(
    "option,fmt,code,needles",
    [
        ("colour=blue", "auto", 2, ["unknown format option 'colour'", "date_order", "mapping"]),
        ("mapping=x.yaml", "forcepoint", 2, ["unknown format option 'mapping' for forcepoint"]),
        ("date_order=ydm", "forcepoint", 2, ["date_order='ydm' is not one of dmy, mdy"]),
        ("date_order=ymd", "forcepoint", 2, ["date_order='ymd' is not one of dmy, mdy"]),
        ("date_order=ydm", "auto", 2, ["date_order='ydm' is not one of dmy, mdy, ymd"]),
        ("mapping=nope.yaml", "mapped", 2, ["mapping='nope.yaml': no such file"]),
        ("date_order", "auto", 2, ["is not NAME=VALUE"]),
    ],
)
def test_a_format_option_that_no_format_reads_is_refused(
    option: str, fmt: str, code: int, needles: list[str], tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(_MDY)
    for command in ("scan", "parse"):
        store = ["--store", str(tmp_path / "s")] if command == "scan" else []
        got, out = _run(command, str(export), "--format", fmt, "--format-option", option, *store)
        assert got == code, out
        assert all(n in " ".join(out.split()) for n in needles), out
    assert not (tmp_path / "s").exists()


def test_formats_names_each_formats_options() -> None:
    import json

    listed = {f["name"]: f["options"] for f in json.loads(_stdout("formats", "--json"))}
    assert [o["name"] for o in listed["forcepoint"]] == ["date_order"]
    assert listed["windows-dns"][0]["choices"] == ["dmy", "mdy", "ymd"]
    assert listed["mapped"][0]["file"] is True
    assert "--format-option date_order=dmy|mdy" in _stdout("formats")


def test_an_option_any_format_of_auto_takes_is_taken() -> None:
    """With ``--format auto`` a value one format's option of that name takes is taken (Windows
    DNS's ``date_order`` reads ``ymd``; Forcepoint's does not), as its parser reads it."""
    from sentinelle.formats import check_options

    assert check_options({"date_order": " YMD "}) == {"date_order": "ymd"}
    assert check_options({"date_order": "MDY"}, "forcepoint") == {"date_order": "mdy"}
