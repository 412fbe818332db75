"""Console helpers shared by the commands: error handling, common options, JSON output."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from sentinelle.errors import SentinelleError

F = TypeVar("F", bound=Callable[..., Any])

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_CODES = """\b
Exit codes:
  0  success
  1  unexpected error (please report it)
  2  bad option, setting or mapping file
  3  an input cannot be read, or its format is not recognized
  4  invalid catalog or policy file
  5  invalid inventory / attribution source
  6  store missing, locked by another command, or inconsistent
  7  privacy rule (secret file, small cells)
  8  survey: questionnaire, responses, margins or estimation
  130 interrupted (a scan stores nothing when interrupted)
"""


def handle_errors(func: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SentinelleError as e:
            err_console.print(
                f"[bold red]error:[/] {escape(e.message)}", markup=True, soft_wrap=True
            )
            if e.hint:
                err_console.print(f"  [yellow]→[/] {escape(e.hint)}", markup=True, soft_wrap=True)
            _exit(e.exit_code)
        except KeyboardInterrupt:
            err_console.print("[bold red]interrupted[/]: nothing from this run was stored")
            _exit(130)

    return wrapper  # type: ignore[return-value]


def _exit(code: int) -> NoReturn:
    """``sys.exit``, or ``os._exit`` once the store is closed if an interrupted scan left a
    worker pool's thread stuck (see ``sentinelle.scan.parallel.ABANDONED``)."""
    parallel = sys.modules.get("sentinelle.scan.parallel")
    if getattr(parallel, "ABANDONED", False):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


store_option = click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SENTINELLE_STORE",
    default="sentinelle-data",
    show_default=True,
    help="Store directory (or SENTINELLE_STORE).",
)


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
