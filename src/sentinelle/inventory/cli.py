"""``sentinelle attribution``: check how well the attribution sources cover the logs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from sentinelle.console import err_console, handle_errors, print_json

F = TypeVar("F", bound=Callable[..., Any])
out_console = Console(highlight=False)

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def source_options(func: F) -> F:
    """The attribution sources beyond ``--inventory`` (shared by ``scan`` and ``check``)."""
    options = [
        click.option(
            "--dhcp",
            "dhcp",
            multiple=True,
            type=_FILE,
            help="DHCP leases (ISC dhcpd.leases, Windows DhcpSrvLog-*.log, dnsmasq "
            "leases; repeatable): the address a workstation had at the event's time.",
        ),
        click.option("--glpi", type=_FILE, help="GLPI computers export (list view, CSV)."),
        click.option(
            "--glpi-map",
            "glpi_map",
            type=_FILE,
            help="YAML/CSV mapping of GLPI entities/locations to site, department, role.",
        ),
        click.option(
            "--directory", type=_FILE, help="Directory export CSV: user, department, job title."
        ),
        click.option(
            "--role-rules",
            "role_rules",
            type=_FILE,
            help="YAML/CSV rules from job titles to roles (before the bundled ones).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group()
def attribution() -> None:
    """Attribution sources: inventory, GLPI, DHCP leases, directory.

    \b
    Example:
      sentinelle attribution check /var/log/squid/ --inventory postes.csv --dhcp dhcpd.leases
    """


@attribution.command("check")
@click.argument("paths", nargs=-1)
@click.option("--inventory", type=_FILE, help="Workstation inventory CSV.")
@source_options
@click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SENTINELLE_STORE",
    help="Also (or only, without PATHS) report the coverage stored by past scans.",
)
@click.option("--format", "fmt", default="auto", show_default=True, help="Log format or auto.")
@click.option(
    "--tz",
    default="Europe/Paris",
    show_default=True,
    help="Time zone of local times (logs, Windows DHCP audit logs).",
)
@click.option("--ai-only", is_flag=True, help="Only the events that match the AI catalog.")
@click.option(
    "--top", type=int, default=20, show_default=True, help="How many unattributed networks to list."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_errors
def check(
    paths: tuple[str, ...],
    inventory: Path | None,
    dhcp: tuple[Path, ...],
    glpi: Path | None,
    glpi_map: Path | None,
    directory: Path | None,
    role_rules: Path | None,
    store: Path | None,
    fmt: str,
    tz: str,
    ai_only: bool,
    top: int,
    as_json: bool,
) -> None:
    """Report attribution coverage: events and workstations attributed, unattributed networks.

    With log PATHS, every event is attributed with the given sources (nothing is stored) and
    the /24 and /64 networks with the most unattributed events are listed, so the IT team
    knows what to add to the inventory.  With --store, the coverage of past scans.

    \b
    Example:
      sentinelle attribution check /var/log/squid/access.log --inventory postes.csv \\
        --dhcp /var/lib/dhcp/dhcpd.leases --directory annuaire.csv --top 10
    """
    from sentinelle.errors import ConfigError
    from sentinelle.inventory.check import check_logs, check_store
    from sentinelle.inventory.combined import AttributionSources, load_attributor

    if not paths and store is None:
        raise ConfigError("nothing to check", hint="give log files, --store DIR, or both")
    results = []
    if store is not None:
        results.append(check_store(store))
    if paths:
        sources = AttributionSources(inventory, glpi, glpi_map, dhcp, directory, role_rules, tz)
        attributor = load_attributor(sources)
        cov = check_logs(
            paths,
            attributor,
            fmt=fmt,
            tz=tz,
            ai_only=ai_only,
            top=top,
            problems=attributor.problems,
        )
        if attributor.directory is not None:
            titles = sorted(attributor.directory.unmatched_titles.items(), key=lambda kv: -kv[1])
            cov.unmatched_titles = [{"title": t, "users": n} for t, n in titles[:top]]
        results.append(cov)
    if as_json:
        print_json([c.to_json() for c in results] if len(results) > 1 else results[0].to_json())
        return
    for cov in results:
        _print(cov)


def _share(part: int, whole: int) -> str:
    return f"{part:,} / {whole:,} ({100 * part / whole:.1f} %)" if whole else "—"


def _print(cov: Any) -> None:
    what = "AI events in the store" if cov.scope == "store" else "events in the logs"
    out_console.print(f"[bold]Attribution coverage — {what}[/]")
    out_console.print(f"  events attributed:       {_share(cov.attributed_events, cov.events)}")
    out_console.print(
        f"  workstations attributed: {_share(cov.attributed_workstations, cov.workstations)}"
    )
    for p in cov.periods:
        out_console.print(
            f"    {p['period']}: events "
            f"{_share(p['attributed_events'], p['events'])}, workstations "
            f"{_share(p['attributed_workstations'], p['workstations'])}"
        )
    if cov.networks:
        from rich.table import Table

        table = Table(
            title="Networks with the most unattributed events (add them to the inventory)",
            title_justify="left",
        )
        for col in ("network", "events", "addresses"):
            table.add_column(col, justify="left" if col == "network" else "right")
        for n in cov.networks:
            table.add_row(n["network"], f"{n['events']:,}", f"{n['addresses']:,}")
        out_console.print(table)
    for t in cov.unmatched_titles:
        out_console.print(
            f"  job title without a role rule: {t['title']!r} ({t['users']} users)", markup=False
        )
    for p in cov.problems:
        err_console.print(f"[yellow]skipped[/] {escape(str(p))}", markup=True)
    if cov.problem_count > len(cov.problems):
        err_console.print(f"  … and {cov.problem_count - len(cov.problems):,} more bad rows")
    if cov.rejected_lines:
        err_console.print(f"{cov.rejected_lines:,} malformed log lines were skipped")
