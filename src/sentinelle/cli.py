"""The ``sentinelle`` command line: thin wrappers over the library, errors turned into messages.

Commands are imported only when they run (``sentinelle scan`` does not pay for the survey's
SciPy), which keeps every command's start-up short. Exit codes are listed in
:data:`sentinelle.console.EXIT_CODES` (shown by ``sentinelle --help``).
"""

from __future__ import annotations

import atexit
import gc
import importlib
from typing import Any

import click

from sentinelle import __version__
from sentinelle.console import EXIT_CODES

#: command name -> ("module:attribute" of its Click command, its line in ``sentinelle --help``,
#: which lists the commands without importing them; a test keeps each line equal to the
#: command's own short help)
COMMANDS = {
    "scan": ("sentinelle.commands:scan", "Scan log files into the store."),
    "export": ("sentinelle.commands:export", "Export the monthly metrics grouped by dimensions."),
    "report": (
        "sentinelle.commands:report",
        "Write the monthly report: one self-contained HTML file that opens offline.",
    ),
    "demo": (
        "sentinelle.commands:demo",
        "Simulate a hospital's month, scan it, write the report; print its path and headline.",
    ),
    "formats": (
        "sentinelle.commands:formats",
        "List every log format: description, host field, example line, the scan's fast path.",
    ),
    "parse": (
        "sentinelle.commands:parse",
        "Print the normalized events as ECS JSON lines (rejected lines go to stderr).",
    ),
    "catalog": (
        "sentinelle.catalog.cli:catalog",
        "The catalog of generative-AI services: list, show, explain a host, check a file.",
    ),
    "simulate": (
        "sentinelle.simulate.cli:simulate",
        "Simulate a hospital month of proxy logs, with its inventory and ground truth.",
    ),
    "survey": (
        "sentinelle.survey.cli:survey",
        "The annual barometer: validate, weight, estimate, compare, report.",
    ),
    "attribution": (
        "sentinelle.inventory.cli:attribution",
        "Attribution sources: inventory, GLPI, DHCP leases, directory.",
    ),
    "privacy": (
        "sentinelle.privacy.cli:privacy",
        "Privacy settings, the DPO pack, and audited re-identification.",
    ),
    "purge": (
        "sentinelle.privacy.cli:purge",
        "Delete event-level data older than the limit, keeping monthly aggregates.",
    ),
}


# At exit the collector would walk, and free one by one, every object of DuckDB, Arrow and NumPy
# (~60 ms, more than some scans): frozen, they go back to the system with the process's memory.
atexit.register(gc.freeze)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attr = entry[0].split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their lines from :data:`COMMANDS`: listing them imports none (the
        survey's SciPy alone took ``sentinelle --help`` from ~0.2 s to ~0.9 s)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Importing the command (DuckDB, Arrow, the scan...) makes no garbage: the collector waits,
        # then the imported objects are frozen, so that no later collection walks them again (nor
        # touches their pages in the scan's forked workers, which would copy them).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return super().resolve_command(ctx, args)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        finally:
            gc.unfreeze()  # for a process that goes on (tests, a program calling main)


@click.group(
    cls=LazyGroup,
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="sentinelle")
def main() -> None:
    """sentinelle — on-premises observatory of generative-AI use in hospitals.

    Reads the hospital's own proxy, firewall and DNS logs, recognizes connections to AI
    services, attributes them to departments and roles, and reports monthly. Nothing leaves
    the hospital.

    \b
    Example:
      sentinelle scan /var/log/squid/ --inventory postes.csv
      sentinelle report --period 2026-08 --out rapport.html
    """
