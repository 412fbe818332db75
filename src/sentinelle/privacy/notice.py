"""The DPO pack: the staff information notice and the register entry, from the actual configuration.

Facts are read from the store (retention and k settings, attribution sources recorded by the
last scan, the fields the logs actually carried, the months held and purged) and from the
secret's location; the establishment's name, the DPO's contact and the legal basis are options.
Templates (``privacy/templates/{notice,register}.{fr,en}.md.j2``) give Markdown; HTML is the same
text rendered with markdown-it (a dependency of rich), in one self-contained page.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from sentinelle.errors import ConfigError

__all__ = ["DOCUMENTS", "NoticeConfig", "gather", "render", "write_pack"]

DOCUMENTS = ("notice", "register")
LEGAL_BASES = ("public-interest", "legitimate-interest")


@dataclass
class NoticeConfig:
    """Everything the documents state; :func:`gather` fills it from a store."""

    establishment: str = ""  # the templates show a placeholder when empty
    dpo: str = ""
    legal_basis: str = "public-interest"
    retention_months: int = 12
    k: int = 5
    settings_explicit: bool = False
    sources: list[str] = field(default_factory=list)
    users_recorded: bool = False
    bytes_recorded: bool = False
    dns: bool = False
    formats: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    tz: str = "Europe/Paris"
    secret: str = ""
    audit_log: str = ""
    generated: str = field(default_factory=lambda: date.today().isoformat())


def gather(store_path: Path | None, secret: Path | None = None, **overrides: Any) -> NoticeConfig:
    """The configuration of the store at ``store_path`` (defaults when there is no store yet)."""
    from sentinelle.privacy.pseudonymize import secret_path
    from sentinelle.privacy.reidentify import audit_path

    cfg = NoticeConfig(**{k: v for k, v in overrides.items() if v is not None})
    if cfg.legal_basis not in LEGAL_BASES:
        raise ConfigError(
            f"unknown legal basis {cfg.legal_basis!r}", hint=f"use {' or '.join(LEGAL_BASES)}"
        )
    cfg.secret, cfg.audit_log = str(secret_path(secret)), str(audit_path(secret))
    if store_path is not None and (Path(store_path) / "sentinelle.duckdb").exists():
        _from_store(cfg, Path(store_path))
    return cfg


def _from_store(cfg: NoticeConfig, path: Path) -> None:
    from sentinelle.privacy.retention import read_settings
    from sentinelle.store import Store, aggregates

    with Store.open(path) as st:
        s = read_settings(st)
        cfg.retention_months, cfg.k, cfg.settings_explicit = s.retention_months, s.k, s.explicit
        cfg.sources = [x for x in (st.meta("attribution_sources") or "").split(",") if x]
        cfg.tz = st.tz
        row = st.con.execute(
            "SELECT count(user_id), count(bytes_out) + count(bytes_in), "
            "count(*) FILTER (WHERE protocol = 'dns') FROM hits"
        ).fetchone()
        cfg.users_recorded, cfg.bytes_recorded, cfg.dns = (bool(v) for v in row or (0, 0, 0))
        cfg.formats = [
            r[0] for r in st.con.execute("SELECT DISTINCT format FROM files ORDER BY 1").fetchall()
        ]
        cfg.purged = aggregates.purged_periods(st)
        cfg.periods = sorted(set(st.periods()) | set(cfg.purged))


def render(document: str, lang: str, cfg: NoticeConfig) -> str:
    """The Markdown text of ``document`` (notice or register) in ``lang`` (fr or en)."""
    if document not in DOCUMENTS or lang not in ("fr", "en"):
        raise ConfigError(
            f"no {document}.{lang} template", hint="documents: notice, register; languages: fr, en"
        )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sentinelle.privacy", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(f"{document}.{lang}.md.j2").render(**asdict(cfg))


def to_html(markdown: str, lang: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    title = next(
        (ln.lstrip("# ").strip() for ln in markdown.splitlines() if ln.startswith("#")),
        "sentinelle",
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b}table{border-collapse:collapse}td,th{border:1px solid "
    "#bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}h1{font-size:1.6rem}"
)


def write_pack(
    out_dir: Path,
    cfg: NoticeConfig,
    langs: tuple[str, ...] = ("fr", "en"),
    formats: tuple[str, ...] = ("md", "html"),
) -> list[Path]:
    """Write notice and register in every language and format; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in DOCUMENTS:
        for lang in langs:
            text = render(doc, lang, cfg)
            for fmt in formats:
                path = out_dir / f"{doc}.{lang}.{fmt}"
                path.write_text(text if fmt == "md" else to_html(text, lang), "utf-8")
                written.append(path)
    return written
