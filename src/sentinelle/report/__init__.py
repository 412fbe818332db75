"""The monthly report: one self-contained HTML file, French by default.

``build_report_data`` reads one month from the store into a :class:`ReportData`;
``render_report`` turns it into HTML (inline CSS and SVG, no network); ``write_report`` does
both for the CLI and returns the file's path and its headline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sentinelle.report.build import build_report_data, is_secretary_role
from sentinelle.report.format import check_lang
from sentinelle.report.model import ReportData
from sentinelle.report.render import headline_text, render_report

__all__ = [
    "ReportData",
    "build_report_data",
    "headline_text",
    "is_secretary_role",
    "render_report",
    "write_report",
]


def _policy(policy: Any) -> Any:
    if policy is None or not isinstance(policy, (str, Path)):
        return policy
    from sentinelle.catalog import Policy

    return Policy.load(Path(policy))


def _catalog(catalog: Any, policy: Any, files: Sequence[Path | str]) -> Any:
    """A loaded catalog as is; else the bundled one, extended by files and the policy."""
    if catalog is not None and not isinstance(catalog, (str, Path)):
        return catalog
    from sentinelle.catalog import load_catalog

    extra = [Path(f) for f in files] + ([] if catalog is None else [Path(catalog)])
    return load_catalog(extra, policy=policy)


def write_report(
    store_path: Path,
    out: Path | None = None,
    period: str | None = None,
    lang: str = "fr",
    catalog: Any = None,
    policy: Any = None,
    highlight_role: str | None = None,
    *,
    catalog_files: Sequence[Path | str] = (),
) -> tuple[Path, str]:
    """Write the report for ``period`` (latest if None) to ``out``; return (path, headline).

    ``out`` defaults to ``sentinelle-report-PERIOD.html`` in the working directory.
    ``catalog`` and ``policy`` may be loaded objects or file paths; without a loaded catalog,
    the bundled one is extended by ``catalog_files`` and the policy's local services.
    ``policy=None`` leaves every service unsanctioned.
    """
    from sentinelle.store import Store

    check_lang(lang)
    with Store.open(Path(store_path), read_only=True) as store:
        loaded_policy = _policy(policy)
        data = build_report_data(
            store,
            period,
            catalog=_catalog(catalog, loaded_policy, catalog_files),
            policy=loaded_policy,
            highlight_role=highlight_role,
        )
    out = Path(out) if out is not None else Path(f"sentinelle-report-{data.period}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data, lang), encoding="utf-8")
    return out, headline_text(data, lang)
