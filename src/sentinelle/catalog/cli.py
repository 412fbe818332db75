"""``sentinelle catalog …``: list, show, explain and check the AI-services catalog.

A thin layer: each command loads a catalog, calls one library method, prints a Rich table or
JSON, and turns a :class:`~sentinelle.errors.SentinelleError` into a message and its exit code.
"""

from __future__ import annotations

import difflib
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sentinelle.errors import CatalogError, SentinelleError

from .check import check_or_raise
from .loader import bundled_path, load_catalog
from .matcher import Catalog
from .model import CATEGORIES
from .policy import Policy

F = TypeVar("F", bound=Callable[..., Any])

_catalog_option = click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A catalog file that extends or overrides the bundled one (repeatable).",
)
_json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON instead of a table."
)


def _errors(fn: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SentinelleError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(e.exit_code)

    return wrapper  # type: ignore[return-value]


def _console() -> Console:
    probe = Console()
    return probe if probe.is_terminal else Console(width=160)


def _load(catalogs: tuple[Path, ...], policy: Path | None = None) -> Catalog:
    pol = Policy.load(policy) if policy else None
    return load_catalog(extra=catalogs, policy=pol)


def _dump(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@click.group("catalog")
def catalog() -> None:
    """The catalog of generative-AI services: list, show, explain a host, check a file.

    \b
    Example:
        sentinelle catalog list --category medical
        sentinelle catalog explain https://chatgpt.com/backend-api/conversation
    """


@catalog.command("list")
@click.option("--category", type=click.Choice(sorted(CATEGORIES)), help="Only this category.")
@click.option(
    "--policy",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Add each service's status under this policy file.",
)
@_catalog_option
@_json_option
@_errors
def list_cmd(
    category: str | None, policy: Path | None, catalogs: tuple[Path, ...], as_json: bool
) -> None:
    """List the services in the catalog, with the facts a DPO needs.

    \b
    Example:
        sentinelle catalog list --category assistant
        sentinelle catalog list --json --catalog chu-extra.yaml > services.json
    """
    pol = Policy.load(policy) if policy else None
    cat = load_catalog(extra=catalogs, policy=pol)
    services = [s for s in cat if category is None or s.category == category]
    if as_json:
        rows = [s.to_dict() for s in services]
        if pol is not None:
            for row, s in zip(rows, services, strict=True):
                row["status"] = pol.status(s.id, s.category)
        _dump(rows)
        return
    table = Table(title=f"AI-services catalog {cat.version}: {len(services)} services")
    for col in ("id", "name", "category", "GP", "country", "data", "trains", "ent.", "HDS"):
        table.add_column(col, no_wrap=col in ("id", "category"))
    table.add_column("primary domains", overflow="fold")
    if pol is not None:
        table.add_column("status")
    for s in services:
        prim = ", ".join(r.label.split(":", 1)[1] for r in s.domains if r.evidence == "primary")
        cells = [
            s.id,
            s.name,
            s.category,
            "yes" if s.general_purpose else "",
            s.vendor_country,
            s.data_location,
            s.trains_on_inputs,
            s.enterprise_offer,
            s.hds_certified,
            prim,
        ]
        if pol is not None:
            cells.append(pol.status(s.id, s.category))
        table.add_row(*cells)
    _console().print(table)


@catalog.command("show")
@click.argument("service_id")
@_catalog_option
@_json_option
@_errors
def show_cmd(service_id: str, catalogs: tuple[Path, ...], as_json: bool) -> None:
    """Show one service: its facts with their sources, and every domain rule.

    \b
    Example:
        sentinelle catalog show chatgpt
        sentinelle catalog show copilot-m365 --json
    """
    cat = _load(catalogs)
    svc = cat.services.get(service_id)
    if svc is None:
        near = difflib.get_close_matches(service_id.lower(), list(cat.services), n=3)
        raise CatalogError(
            f"no service with id {service_id!r} in catalog {cat.version}",
            hint=(f"did you mean {', '.join(near[:5])}? " if near else "")
            + "run `sentinelle catalog list` to see the ids",
        )
    if as_json:
        _dump(svc.to_dict())
        return
    console = _console()
    facts = Table(title=f"{svc.name} ({svc.id})", show_header=False)
    facts.add_column("fact", style="bold")
    facts.add_column("value", overflow="fold")
    facts.add_column("source", overflow="fold")
    for key, value in svc.to_dict().items():
        if key in ("domains", "sources", "id", "name") or value in ("", None):
            continue
        src = svc.sources.get(key)
        facts.add_row(key, str(value), f"{src.source} ({src.date})" if src else "")
    console.print(facts)
    rules = Table(title="Domain rules")
    for col in ("rule", "evidence", "counted", "note"):
        rules.add_column(col, overflow="fold")
    counted = {"primary": "yes", "auxiliary": "with a primary hit", "shared": "never"}
    for r in svc.domains:
        rules.add_row(r.label, r.evidence, counted[r.evidence], r.note)
    console.print(rules)
    if "domains" in svc.sources:
        d = svc.sources["domains"]
        console.print(f"Domains source: {d.source} ({d.date})")


@catalog.command("explain")
@click.argument("host_or_url")
@_catalog_option
@_json_option
@_errors
def explain_cmd(host_or_url: str, catalogs: tuple[Path, ...], as_json: bool) -> None:
    """Say which catalog entry a host or URL matches, by which rule and evidence — or why none.

    Accepts a host, host:port, or a URL (a path is used by path rules).

    \b
    Example:
        sentinelle catalog explain chatgpt.com:443
        sentinelle catalog explain https://m365.cloud.microsoft/chat
        sentinelle catalog explain notchatgpt.com --json
    """
    cat = _load(catalogs)
    ex = cat.explain(host_or_url)
    if as_json:
        _dump(ex.to_dict())
        return
    console = _console()
    if ex.match is None:
        console.print(f"[bold]no match[/bold] — {escape(ex.reason)}", highlight=False)
    else:
        m = ex.match
        console.print(
            f"[bold]{m.service_id}[/bold] by [cyan]{m.rule}[/cyan] "
            f"(evidence {m.evidence}) — {ex.reason}",
            highlight=False,
        )


@catalog.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_errors
def check_cmd(file: Path | None) -> None:
    """Validate a catalog file (default: the bundled one); exit 4 with the offending entries.

    Checks the schema, domains claimed by two services, public-suffix and over-broad domains,
    facts without a source, unknown categories, and that no published id disappeared.

    \b
    Example:
        sentinelle catalog check
        sentinelle catalog check chu-extra.yaml
    """
    problems = check_or_raise(file)
    where = file or bundled_path()
    for p in problems:
        click.echo(str(p), err=True)
    warnings = sum(p.level == "warning" for p in problems)
    click.echo(f"{where}: OK ({warnings} warning(s))")
