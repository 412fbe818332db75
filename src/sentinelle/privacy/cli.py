"""``sentinelle privacy …`` (settings, notice, reidentify) and ``sentinelle purge``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from sentinelle.console import err_console, handle_errors, print_json, store_option

out_console = Console(highlight=False)


@click.group()
def privacy() -> None:
    """Privacy settings, the DPO pack, and audited re-identification.

    \b
    Example:
      sentinelle privacy settings --retention 12m --k 5
      sentinelle privacy notice --lang fr --out dpo-pack/
    """


@privacy.command("settings")
@click.option("--retention", help="Event-level retention, e.g. 12m, 6m, 1y (CNIL: 6 to 12 months).")
@click.option("--k", "k", type=int, help="Small-cell threshold for shared tables (default 5).")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_errors
def settings(retention: str | None, k: int | None, store: Path, as_json: bool) -> None:
    """Show or set the store's privacy settings (retention limit, small-cell threshold k).

    \b
    Example:
      sentinelle privacy settings --retention 12m --k 5 --store /srv/sentinelle
    """
    from sentinelle.privacy.retention import parse_months, read_settings, write_settings
    from sentinelle.store import Store

    months = parse_months(retention) if retention is not None else None
    with Store.open(
        store, read_only=months is None and k is None, create=months is not None or k is not None
    ) as st:
        if months is not None or k is not None:
            write_settings(st, months, k)
        s = read_settings(st)
    if as_json:
        print_json({"retention_months": s.retention_months, "k": s.k})
        return
    out_console.print(
        f"retention: {s.retention_months} months · k: {s.k}" + ("" if s.explicit else " (defaults)")
    )
    if s.retention_months > 12:
        err_console.print(
            "[yellow]note[/]: the CNIL recommends keeping logs 6 to 12 months; a "
            "longer limit needs a documented justification",
            markup=True,
        )


@privacy.command("notice")
@click.option("--lang", type=click.Choice(["fr", "en", "all"]), default="all", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "all"]),
    default="all",
    show_default=True,
    help="Markdown, HTML or both.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="dpo-pack",
    show_default=True,
    help="Directory for notice.LANG.FMT and register.LANG.FMT.",
)
@click.option("--establishment", help="The establishment's name, as it should appear.")
@click.option("--dpo", help="How to reach the data protection officer (e-mail, address).")
@click.option(
    "--legal-basis",
    type=click.Choice(["public-interest", "legitimate-interest"]),
    default="public-interest",
    show_default=True,
    help="Public hospitals: public-interest (6.1.e); private ones: legitimate-interest.",
)
@store_option
@click.option(
    "--secret",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SENTINELLE_SECRET",
    help="The pseudonymization key file (its location is stated in the register).",
)
@handle_errors
def notice(
    lang: str,
    fmt: str,
    out: Path,
    establishment: str | None,
    dpo: str | None,
    legal_basis: str,
    store: Path,
    secret: Path | None,
) -> None:
    """Write the staff information notice and the register entry from the actual configuration.

    Retention, k, the attribution sources used by the last scan and the fields the logs carry
    are read from the store; the documents say what is really done.

    \b
    Example:
      sentinelle privacy notice --lang fr --establishment "CH de Valence" \\
        --dpo dpo@ch-valence.fr --out dpo-pack/
    """
    from sentinelle.privacy.notice import gather, write_pack

    cfg = gather(store, secret, establishment=establishment, dpo=dpo, legal_basis=legal_basis)
    langs = ("fr", "en") if lang == "all" else (lang,)
    fmts = ("md", "html") if fmt == "all" else (fmt,)
    for path in write_pack(out, cfg, langs, fmts):
        out_console.print(str(path))


@privacy.command("reidentify")
@click.argument("pseudonym")
@click.option(
    "--candidates",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Clear identities to try: an inventory or directory CSV, or one per line.",
)
@click.option(
    "--why",
    required=True,
    help="The reason and authorization (written to the audit log beside the secret).",
)
@click.option(
    "--secret",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SENTINELLE_SECRET",
    help="The pseudonymization key file.",
)
@handle_errors
def reidentify(pseudonym: str, candidates: Path, why: str, secret: Path | None) -> None:
    """Find which candidate identity has PSEUDONYM (needs the secret; every attempt is audited).

    No reverse table exists: the HMAC of every candidate is recomputed and compared.  An audit
    line (when, OS user, why, pseudonym — never the identity) is appended to
    reidentify-audit.log beside the secret.  Exit 0 when found, 7 when no candidate matches.

    \b
    Example:
      sentinelle privacy reidentify w_3f2a9c0d1e2b4a5f6c7d8e9f --candidates postes.csv \\
        --why "incident SSI 2026-114, accord DPO du 2026-09-02"
    """
    from sentinelle.errors import PrivacyError
    from sentinelle.privacy.reidentify import candidates_from
    from sentinelle.privacy.reidentify import reidentify as run

    result = run(pseudonym, candidates_from(candidates), why, secret)
    err_console.print(f"audited in {result.audit_log}")
    if result.identity is None:
        raise PrivacyError(
            f"{pseudonym}: none of the {result.candidates:,} candidates matches",
            hint="add candidates (an older inventory, the DHCP host names)",
        )
    out_console.print(result.identity)


@click.command()
@click.option(
    "--older-than", "older_than", help="Limit, e.g. 12m (default: the store's retention setting)."
)
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_errors
def purge(older_than: str | None, store: Path, as_json: bool) -> None:
    """Delete event-level data older than the limit, keeping monthly aggregates.

    Every month that began more than the limit ago is aggregated (the pinned metrics by
    service, category, department, role and site) and its hits and discovery rows deleted, in
    one transaction. Exports and reports keep working for those months from the aggregates.

    \b
    Example:
      sentinelle purge --older-than 12m --store /srv/sentinelle
    """
    from sentinelle.privacy.retention import parse_months, read_settings
    from sentinelle.privacy.retention import purge as run
    from sentinelle.store import Store

    if older_than is None:
        with Store.open(store) as st:
            months = read_settings(st).retention_months
    else:
        months = parse_months(older_than)
    result = run(store, months)
    if as_json:
        print_json(vars(result))
        return
    if not result.periods:
        out_console.print(f"nothing to purge: no event-level data up to {result.cutoff}")
        return
    out_console.print(
        f"purged {', '.join(result.periods)}: {result.hits:,} hits and "
        f"{result.discovery:,} discovery rows deleted, "
        f"{result.aggregate_rows:,} monthly aggregate rows kept"
    )


def print_scan_warnings(report: object) -> None:
    """After a scan: bad rows of the attribution sources, and data kept past the retention."""
    problems: list[str] = getattr(report, "attribution_problems", [])
    for p in problems[:5]:
        err_console.print(f"[yellow]attribution source row skipped[/] {escape(p)}", markup=True)
    if len(problems) > 5:
        err_console.print(
            f"  … and {len(problems) - 5:,} more skipped rows (see `sentinelle attribution check`)"
        )
    warning = getattr(report, "retention_warning", None)  # the scan looks, its store open
    if warning:
        err_console.print(f"[yellow]retention[/]: {escape(warning)}", markup=True)
