"""The ``sentinelle`` command line: thin wrappers over the library, errors turned into messages.

Commands are imported only when they run (``sentinelle scan`` does not pay for the survey's
SciPy), which keeps every command's start-up short. Exit codes are listed in
:data:`sentinelle.console.EXIT_CODES` (shown by ``sentinelle --help``).
"""

from __future__ import annotations

import importlib

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
