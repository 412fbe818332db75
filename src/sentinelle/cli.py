"""The ``sentinelle`` command line: thin wrappers over the library, errors turned into messages.

Exit codes are listed in :data:`sentinelle.console.EXIT_CODES` (shown by ``sentinelle --help``).
"""

from __future__ import annotations

import click

from sentinelle import __version__
from sentinelle.catalog.cli import catalog
from sentinelle.commands import demo, export, formats, parse, report, scan
from sentinelle.console import EXIT_CODES
from sentinelle.inventory.cli import attribution
from sentinelle.privacy.cli import privacy, purge
from sentinelle.simulate.cli import simulate
from sentinelle.survey.cli import survey


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
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


for _command in (
    scan,
    export,
    report,
    demo,
    formats,
    parse,
    catalog,
    simulate,
    survey,
    attribution,
    privacy,
    purge,
):
    main.add_command(_command)
