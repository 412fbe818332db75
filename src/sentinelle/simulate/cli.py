"""``sentinelle simulate``: write a simulated hospital's logs, inventory and ground truth."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sentinelle.errors import SentinelleError
from sentinelle.simulate import HospitalConfig
from sentinelle.simulate import simulate as run
from sentinelle.simulate.writers import WRITERS


@click.command("simulate")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write logs/<format>/, inventory.csv and truth/ into.",
)
@click.option(
    "--formats",
    default="squid",
    show_default=True,
    help=f"Comma-separated log formats ({', '.join(WRITERS)}).",
)
@click.option("--month", default="2026-08", show_default=True, help="Local month YYYY-MM.")
@click.option(
    "--workstations",
    type=click.IntRange(1, 200_000),
    default=400,
    show_default=True,
    help="Number of workstations (a CHU has about 9000).",
)
@click.option("--sites", type=click.IntRange(1, 5), default=2, show_default=True)
@click.option(
    "--lines",
    type=click.IntRange(1000),
    default=None,
    help="Approximate number of log lines (default: 750 per workstation).",
)
@click.option(
    "--ai-share",
    type=click.FloatRange(0, 0.5),
    default=0.008,
    show_default=True,
    help="Share of lines that go to AI services.",
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--compress",
    type=click.Choice(["gz", "bz2", "zst"]),
    default=None,
    help="Compress each log file.",
)
@click.option(
    "--tz",
    default="Europe/Paris",
    show_default=True,
    help="The establishment's time zone (local days, hours, months).",
)
def simulate(
    out: Path,
    formats: str,
    month: str,
    workstations: int,
    sites: int,
    lines: int | None,
    ai_share: float,
    seed: int,
    compress: str | None,
    tz: str,
) -> None:
    """Simulate a hospital month of proxy logs, with its inventory and ground truth.

    Writes one log file per local day (timestamps in UTC), malformed lines and traps
    included, then prints where everything is and the generation speed.

    \b
    Example:
        sentinelle simulate --out sim --workstations 9000 --lines 10000000 --compress gz
    """
    console = Console(stderr=True)
    try:
        config = HospitalConfig(
            seed=seed,
            month=month,
            workstations=workstations,
            sites=sites,
            lines=lines,
            ai_share=ai_share,
            tz=tz,
        )
        with _progress(console) as bar:
            task = bar.add_task("simulating", total=config.total_lines)
            res = run(
                out,
                config,
                [f.strip() for f in formats.split(",") if f.strip()],
                compress,
                progress=lambda done, total: bar.update(task, completed=done),
            )
    except SentinelleError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(exc.exit_code) from None
    for name, files in res.logs.items():
        click.echo(f"{name}: {len(files)} files in {files[0].parent}" if files else name)
    click.echo(f"inventory: {res.inventory}\ntruth: {res.truth}")
    click.echo(
        f"{res.lines:,} lines ({res.garbage:,} malformed, {res.blank:,} blank, "
        f"{res.ai_hits:,} AI) in {res.seconds:.1f} s "
        f"({res.lines / max(res.seconds, 1e-9):,.0f} lines/s)"
    )


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} lines"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
