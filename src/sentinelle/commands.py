"""The core commands: scan, export, report, demo, formats, parse (each a thin wrapper)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from sentinelle.console import err_console, handle_errors, print_json, store_option
from sentinelle.errors import ConfigError
from sentinelle.inventory.cli import source_options
from sentinelle.store import DIMENSIONS, METRICS

if TYPE_CHECKING:
    from rich.progress import Progress

    from sentinelle.inputs import InputFile
    from sentinelle.scan import FileReport, ScanReport
    from sentinelle.scan.reader import Progress as Update

out_console = Console(highlight=False, soft_wrap=True)


def _progress() -> Progress:
    """Progress bars on stderr (rich.progress is imported only for a terminal)."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )
    from rich.text import Text

    class LinesPerSecond(ProgressColumn):
        """Lines read per second, from the task's ``lines`` field."""

        def render(self, task: Task) -> Text:
            lines = task.fields.get("lines", 0)
            elapsed = task.elapsed or 0
            rate = lines / elapsed if elapsed > 0 else 0
            return Text(f"{lines:,} lines · {rate / 1e6:.2f} M lines/s", style="cyan")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        LinesPerSecond(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


def _bars(progress: Progress) -> Callable[[InputFile], Update]:
    """For each file read, a bar of ``progress`` and the call that moves it."""

    def factory(inp: InputFile) -> Update:
        task = progress.add_task(Path(inp.name).name[:40], total=inp.size, lines=0)

        def update(position: int, lines: int) -> None:
            t = progress.tasks[task]
            progress.update(task, completed=position, lines=t.fields["lines"] + lines)

        return update

    return factory


def _format_options(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """``NAME=VALUE`` pairs (``--format-option``), checked for their shape here and against the
    formats' options by the command."""
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"{value!r} is not NAME=VALUE (e.g. date_order=mdy)", ctx=ctx, param=param
            )
        pairs.append((name.strip(), rest))
    return tuple(pairs)


#: the option that passes what a format's parser reads beyond the lines
format_option = click.option(
    "--format-option",
    "format_options",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_format_options,
    help="What a format reads beyond its lines, e.g. date_order=mdy (Forcepoint, Windows DNS) "
    "or mapping=FILE (mapped); repeatable. `sentinelle formats` lists each format's options.",
)


# -- scan -------------------------------------------------------------------------------------
@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    help="Log format name, or auto to detect it per file (see `sentinelle formats`).",
)
@format_option
@click.option(
    "--inventory",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Workstation inventory CSV: ip and/or hostname, site, department, role.",
)
@store_option
@click.option(
    "--tz",
    default="Europe/Paris",
    show_default=True,
    help="The establishment's time zone (periods are its calendar months).",
)
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra catalog file extending or overriding the bundled one (repeatable).",
)
@click.option(
    "--policy",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The hospital's policy file (sanctioned services, excluded sources).",
)
@click.option(
    "--secret",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SENTINELLE_SECRET",
    help="Pseudonymization key file (created on first use; keep it outside the store).",
)
@source_options
@click.option(
    "--engine",
    type=click.Choice(["fast", "reference"]),
    default="fast",
    show_default=True,
    help="fast: a prefilter finds the lines to parse (same results); reference: parse every line.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes: files, or ranges of a large plain file, read in parallel "
    "[default: one per CPU this process may use].",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@handle_errors
def scan(
    paths: tuple[str, ...],
    fmt: str,
    format_options: tuple[tuple[str, str], ...],
    inventory: Path | None,
    store: Path,
    tz: str,
    catalogs: tuple[Path, ...],
    policy: Path | None,
    secret: Path | None,
    dhcp: tuple[Path, ...],
    glpi: Path | None,
    glpi_map: Path | None,
    directory: Path | None,
    role_rules: Path | None,
    engine: str,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Scan log files into the store.

    PATHS are files (plain, .gz, .bz2, .zst), directories (read recursively) or - for standard
    input. Each file's format is detected from its first lines. A file whose content was already
    scanned is recognized and not counted again. The scan stores all or nothing.

    \b
    Examples:
      sentinelle scan /var/log/squid/access.log* --inventory postes.csv --store /srv/sentinelle
      sentinelle scan exports/ --format forcepoint --format-option date_order=mdy
    """
    from sentinelle.scan import ScanOptions, usable_cpus
    from sentinelle.scan import scan as run_scan

    options = ScanOptions(
        format=fmt,
        format_options=format_options,
        tz=tz,
        inventory=inventory,
        catalog_files=catalogs,
        policy=policy,
        secret=secret,
        dhcp=dhcp,
        glpi=glpi,
        glpi_map=glpi_map,
        directory=directory,
        role_rules=role_rules,
        engine=engine,
        jobs=jobs or usable_cpus(),
    )
    if err_console.is_terminal:
        with _progress() as progress:
            report = run_scan(paths, store, options, progress=_bars(progress))
    else:  # cron jobs and pipes: no bars, one line per file
        report = run_scan(paths, store, options, on_file=_file_done)
    from sentinelle.privacy.cli import print_scan_warnings

    print_scan_warnings(report)  # attribution rows skipped; data past the retention
    if as_json:
        print_json(report.to_json())
        return
    _print_scan_summary(report)


#: a file of a format with a fast path, of at least this many lines, most of them read by the
#: parser, is named after the scan (see _note_parsed)
PARSED_NOTE_LINES = 10_000


def _note_parsed(report: ScanReport) -> None:
    """Name the files of a format with a fast path that its parser read for the most part.

    The fast path counts the lines that have the format's usual layout without parsing them
    (`sentinelle formats` says what that layout is); the others (malformed lines, lines that
    may name an AI service, and any line of another layout: another version of the vendor's
    software, other settings) are parsed, 10-50 times slower.  The counts are the same either
    way, but a scan that takes minutes should say why."""
    for f in report.files:
        if (
            f.duplicate_of is None
            and f.fast_path
            and f.lines >= PARSED_NOTE_LINES
            and 2 * f.parsed_lines > f.lines
        ):
            err_console.print(
                f"[yellow]note[/]: {f.parsed_lines / f.lines:.0%} of the lines of {f.name} "
                f"were read by the {f.format} parser, not counted at once by the fast path: "
                "they do not have the usual layout that `sentinelle formats` describes for "
                "this format. The counts are the same, the scan slower; a sample of such lines "
                "in an issue would let the fast path learn their layout.",
                markup=True,
            )


def _file_done(f: FileReport, n: int, total: int) -> None:
    what = (
        f"already scanned ({f.duplicate_of})"
        if f.duplicate_of
        else f"{f.lines:,} lines, {f.rejected:,} rejected, {f.ai_events:,} AI events"
    )
    err_console.print(f"[{n}/{total}] {f.name} ({f.format}): {what}", markup=False)


#: a scan of more files than this lists in its table only the first and last
#: :data:`TABLE_ENDS` files and those that need a look (already scanned, or more than
#: :data:`TABLE_REJECTED` of their lines rejected), each run of the others as one row of their
#: sums: a month of hourly files is 720 rows otherwise.  ``--json`` lists every file.
TABLE_FILES = 40
TABLE_ENDS = 10
TABLE_REJECTED = 0.01


def scan_table_rows(files: list[FileReport]) -> list[tuple[str, ...]]:
    """The rows of the scan's table: (file, format, lines, events, rejected, AI events), one a
    file, or, past :data:`TABLE_FILES` files, the runs of unremarkable files summed."""

    def listed(i: int, f: FileReport) -> bool:
        return (
            len(files) <= TABLE_FILES
            or i < TABLE_ENDS
            or i >= len(files) - TABLE_ENDS
            or f.duplicate_of is not None
            or f.rejected > TABLE_REJECTED * f.lines
        )

    rows: list[tuple[str, ...]] = []
    run: list[FileReport] = []  # unremarkable files, not listed one by one
    for i, f in enumerate([*files, None]):
        if f is not None and not listed(i, f):
            run.append(f)
            continue
        if run:
            formats = ", ".join(dict.fromkeys(r.format for r in run))
            sums = [sum(getattr(r, k) for r in run) for k in ("lines", "events", "rejected")]
            ai = sum(r.ai_events for r in run)
            rows.append((f"… {len(run):,} files", formats, *(f"{n:,}" for n in sums), f"{ai:,}"))
            run = []
        if f is None:
            break
        if f.duplicate_of is not None:
            rows.append((f.name, f.format, "—", "—", "—", f"already scanned ({f.duplicate_of})"))
        else:
            counts = (f.lines, f.events, f.rejected, f.ai_events)
            rows.append((f.name, f.format, *(f"{n:,}" for n in counts)))
    return rows


def _print_scan_summary(report: ScanReport) -> None:
    from rich.table import Table

    table = Table(title=f"Scan into {report.store}", title_justify="left")
    for col in ("file", "format", "lines", "events", "rejected", "AI events"):
        table.add_column(
            col,
            justify="left" if col in ("file", "format") else "right",
            overflow="fold" if col == "file" else "ellipsis",
        )
    for row in scan_table_rows(report.files):
        table.add_row(*row)
    out_console.print(table)
    t = report.to_json()
    out_console.print(
        f"{t['files_scanned']} file(s) scanned, {t['files_already_scanned']} already scanned · "
        f"{t['lines']:,} lines · {t['events']:,} events · {t['rejected']:,} rejected · "
        f"{t['ai_events']:,} AI events · catalog {report.catalog_version}"
    )
    if t["no_host_events"]:
        out_console.print(
            f"{t['no_host_events']:,} events carry no destination host and cannot "
            "match a catalog service (counted as events only)."
        )
    if t["dns_events"]:
        out_console.print(
            f"{t['dns_events']:,} events are DNS queries (reported apart from proxy requests)."
        )
    _note_parsed(report)
    for name, why in report.skipped_files:
        err_console.print(
            f"[yellow]left out[/] {name}: {why} (found in a directory; name it with --format "
            "to read it anyway)",
            markup=True,
        )
    if t["ambiguous_times"]:
        err_console.print(
            f"[yellow]warning[/]: {t['ambiguous_times']:,} local times fell in the repeated hour "
            "of the autumn clock change and their order in the file could not settle which "
            "occurrence they were: read as the first one (give the device's UTC offset in its "
            "logs to avoid this)."
        )
    if t["nonexistent_times"]:
        err_console.print(
            f"[yellow]warning[/]: {t['nonexistent_times']:,} local times fell in the skipped "
            "hour of the spring clock change (shifted forward by one hour): check --tz."
        )
    _print_rejects(report.files)


SHOWN_REJECTS = 10


def _print_rejects(files: list[FileReport]) -> None:
    """The first rejected lines of the run, with file and line number, then how many more."""
    shown = 0
    for f in files:
        for r in f.rejects:
            if shown >= SHOWN_REJECTS or not r.text:
                break
            err_console.print(
                f"[yellow]rejected[/] {f.name}:{r.line}: {r.reason}\n    {r.text[:160]!r}",
                markup=True,
            )
            shown += 1
    total = sum(f.rejected for f in files if f.duplicate_of is None)
    if total > shown:
        where = sum(1 for f in files if f.rejected)
        per_file = (
            "the table above counts them per file"
            if len(files) <= TABLE_FILES
            else "the table above counts them for the files it lists (a scan with --json lists "
            "every file)"
        )
        err_console.print(
            f"  … {total - shown:,} more rejected lines in {where} file(s): {per_file}; "
            "`sentinelle parse FILE` lists each one with its reason"
        )


# -- export -----------------------------------------------------------------------------------
def _parse_dims(value: str) -> list[str]:
    dims = [d.strip() for d in value.split(",") if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if not dims or unknown:
        raise ConfigError(
            f"--by {value!r}: unknown dimension(s) {', '.join(unknown) or '(none)'}",
            hint=f"use a comma list of: {', '.join(DIMENSIONS)}",
        )
    return dims


@click.command()
@click.option(
    "--by", "by", required=True, help=f"Comma list of dimensions among: {', '.join(DIMENSIONS)}."
)
@click.option("--period", help="Only this month (YYYY-MM, establishment's time zone).")
@store_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; .csv, .json or .parquet by extension (default: CSV to stdout).",
)
@click.option("--dns", is_flag=True, help="Export DNS queries instead of proxy/firewall requests.")
@click.option(
    "--share",
    is_flag=True,
    help="For sharing outside the hospital: rows with fewer "
    "than k workstations (or users) suppressed, with complementary suppression; adds "
    "the one-dimensional margins, the total and a suppressed column.",
)
@click.option("--k", "k", type=int, help="Threshold for --share (default: the store's setting, 5).")
@handle_errors
def export(
    by: str,
    period: str | None,
    store: Path,
    out: Path | None,
    dns: bool,
    share: bool,
    k: int | None,
) -> None:
    """Export the monthly metrics grouped by dimensions.

    Columns: the dimensions, then requests, blocked, visits, workstations, users, bytes_out,
    bytes_in (see the README for their exact definitions).

    \b
    Example:
      sentinelle export --by period,service,role --period 2026-08 --out ai-2026-08.csv
    """
    from sentinelle.store import Store

    dims = _parse_dims(by)
    _check_period(period)
    with Store.open(store) as st:
        rows = st.metrics(dims, period, protocol="dns" if dns else "web") if not share else []
        if share:  # small cells suppressed (docs/privacy.md)
            from sentinelle.privacy.suppress import shared_export

            rows, columns = shared_export(st, dims, period, "dns" if dns else "web", k)
    columns = [*dims, *METRICS] if not share else columns
    if out is None:
        sys.stdout.write(_csv(rows, columns))
    elif out.suffix == ".csv":
        out.write_text(_csv(rows, columns), encoding="utf-8")
    elif out.suffix == ".json":
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), "utf-8")
    elif out.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(
            pa.Table.from_pylist(rows)
            if rows
            else pa.table({c: pa.array([], pa.string()) for c in columns}),
            out,
        )
    else:
        raise ConfigError(
            f"--out {out}: unknown extension {out.suffix!r}", hint="use .csv, .json or .parquet"
        )
    if out is not None:
        err_console.print(f"{len(rows):,} rows written to {out}")


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(
            [
                "" if r[c] is None else str(r[c]).lower() if isinstance(r[c], bool) else r[c]
                for c in columns
            ]
        )
    return buf.getvalue()


def _check_period(period: str | None) -> None:
    import re

    if period is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise ConfigError(f"--period {period!r} is not a month", hint="write it as YYYY-MM")


# -- report -----------------------------------------------------------------------------------
@click.command()
@click.option("--period", help="Month to report (YYYY-MM); default: the latest stored.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@store_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write (default: sentinelle-report-PERIOD.html).",
)
@click.option(
    "--policy",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy file: splits sanctioned from shadow use.",
)
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra catalog file (as given to scan).",
)
@click.option(
    "--highlight-role",
    help="Role quoted in the headline (default: medical secretaries "
    "when present, else the top role).",
)
@handle_errors
def report(
    period: str | None,
    lang: str,
    store: Path,
    out: Path | None,
    policy: Path | None,
    catalogs: tuple[Path, ...],
    highlight_role: str | None,
) -> None:
    """Write the monthly report: one self-contained HTML file that opens offline.

    \b
    Example:
      sentinelle report --period 2026-08 --lang fr --out rapport-2026-08.html
    """
    from sentinelle.report import write_report

    _check_period(period)
    path, headline = write_report(
        store,
        out,
        period=period,
        lang=lang,
        catalog_files=catalogs,
        policy=policy,
        highlight_role=highlight_role,
    )
    click.echo(str(path))
    click.echo(headline)


# -- demo -------------------------------------------------------------------------------------
@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="sentinelle-demo",
    show_default=True,
    help="Directory for the demo's files.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@handle_errors
def demo(out: Path, lang: str, seed: int) -> None:
    """Simulate a hospital's month, scan it, write the report; print its path and headline.

    \b
    Example:
      sentinelle demo --out /tmp/demo
    """
    from sentinelle.demo import run_demo

    result = run_demo(out, lang=lang, seed=seed, console=err_console)
    click.echo(str(result.report))
    click.echo(result.headline)


# -- formats / parse --------------------------------------------------------------------------
@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@handle_errors
def formats(as_json: bool) -> None:
    """List every log format: description, host field, example line, the scan's fast path.

    \b
    Example:
      sentinelle formats
    """
    from sentinelle.formats import all_formats

    items: list[dict[str, Any]] = [
        {
            "name": f.name,
            "kind": f.kind,
            "description": f.description,
            "host_field": f.host_field,
            "host_evidence": f.host_evidence,
            "example": f.example,
            "fast_path": f.fast_path,
            "options": [
                {"name": o.name, "help": o.help, "choices": list(o.choices), "file": o.path}
                for o in f.options
            ],
        }
        for f in all_formats().values()
    ]
    if as_json:
        print_json(items)
        return
    from rich.markup import escape  # (the texts hold brackets: [key:"value"; ...], [/path])

    for it in items:
        text = {k: escape(str(v)) for k, v in it.items()}
        out_console.print(f"[bold]{text['name']}[/] ({text['kind']}) — {text['description']}")
        out_console.print(f"  host: {text['host_field']} \\[{text['host_evidence']}]")
        for o in it["options"]:
            values = "|".join(o["choices"]) or ("FILE" if o["file"] else "VALUE")
            out_console.print(
                f"  option: --format-option {escape(o['name'])}={escape(values)}: "
                f"{escape(o['help'])}",
                soft_wrap=True,
            )
        out_console.print(f"  example: {text['example']}", soft_wrap=True)
        out_console.print(f"  scan's fast path: {text['fast_path']}\n", soft_wrap=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto", show_default=True, help="Format name or auto.")
@format_option
@click.option("--limit", type=int, help="Stop after N events.")
@click.option(
    "--tz",
    default="Europe/Paris",
    show_default=True,
    help="Time zone of naive local times in the logs.",
)
@handle_errors
def parse(
    paths: tuple[str, ...],
    fmt: str,
    format_options: tuple[tuple[str, str], ...],
    limit: int | None,
    tz: str,
) -> None:
    """Print the normalized events as ECS JSON lines (rejected lines go to stderr).

    The way to check what sentinelle understood of a log, or to feed a SIEM. URL paths and
    queries are never printed.

    \b
    Example:
      sentinelle parse /var/log/squid/access.log --limit 5
    """
    from sentinelle.parse import parse_events

    def on_reject(name: str, line: int, reason: str) -> None:
        err_console.print(f"rejected {name}:{line}: {reason}", markup=False)

    events = parse_events(
        paths, fmt=fmt, tz=tz, limit=limit, on_reject=on_reject, options=dict(format_options)
    )
    for event in events:
        sys.stdout.write(json.dumps(event.to_ecs(), ensure_ascii=False) + "\n")
