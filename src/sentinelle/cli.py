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

#: command name -> "module:attribute" of its Click command
COMMANDS = {
    "scan": "sentinelle.commands:scan",
    "export": "sentinelle.commands:export",
    "report": "sentinelle.commands:report",
    "demo": "sentinelle.commands:demo",
    "formats": "sentinelle.commands:formats",
    "parse": "sentinelle.commands:parse",
    "catalog": "sentinelle.catalog.cli:catalog",
    "simulate": "sentinelle.simulate.cli:simulate",
    "survey": "sentinelle.survey.cli:survey",
    "attribution": "sentinelle.inventory.cli:attribution",
    "privacy": "sentinelle.privacy.cli:privacy",
    "purge": "sentinelle.privacy.cli:purge",
}


# At exit the collector would walk, and free one by one, every object of DuckDB, Arrow and NumPy
# (~60 ms, more than some scans): frozen, they go back to the system with the process's memory.
atexit.register(gc.freeze)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

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
