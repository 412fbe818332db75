"""A directory export (user, department, job title) and the rules from job titles to roles.

The export is a CSV with a header (``,`` ``;`` or tab): a user column (``user``, ``username``,
``login``, ``samaccountname``, ``uid``…), a department column (``department``, ``service``,
``departement``…) and a job-title column (``title``, ``job title``, ``fonction``, ``emploi``…);
an optional ``site`` column.  User names compare case-insensitively without their domain
(``CHU\\jdupont``, ``jdupont@chu.fr`` and ``JDupont`` are one user).

Job titles are free text; :class:`RoleRules` maps them to roles with regular expressions searched
in the title after folding both (lower case, no accents): "Secrétaire Médicale" and "secretaire
medicale" match the same rule.  Your rules come first, then the bundled ones
(``inventory/data/role_rules.yaml``); the first match wins; no match gives ``unknown``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sentinelle.errors import ConfigError, InventoryError
from sentinelle.inventory import UNKNOWN
from sentinelle.inventory.dhcp import Problem

__all__ = ["Directory", "DirectoryEntry", "RoleRules", "fold", "normalize_user"]

_USER = (
    "user",
    "username",
    "user name",
    "login",
    "samaccountname",
    "uid",
    "user.name",
    "identifiant",
    "utilisateur",
    "compte",
)
_DEPARTMENT = ("department", "departement", "service", "unite", "unit", "pole", "uf")
_TITLE = (
    "title",
    "job title",
    "jobtitle",
    "fonction",
    "emploi",
    "poste",
    "metier",
    "grade",
    "intitule de poste",
)
_SITE = ("site", "etablissement", "location", "lieu")


def fold(text: str) -> str:
    """Lower case without accents (and single spaces), for accent/case-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def normalize_user(name: str) -> str:
    """``CHU\\JDupont`` / ``jdupont@chu.fr`` → ``jdupont``."""
    name = name.strip().lower()
    name = name.rsplit("\\", 1)[-1]
    return name.split("@", 1)[0]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    role: str
    text: str


@dataclass
class RoleRules:
    """Ordered (pattern, role) rules; :meth:`role` gives the first match's role."""

    rules: list[_Rule]

    def role(self, title: str) -> str | None:
        folded = fold(title)
        for rule in self.rules:
            if rule.pattern.search(folded):
                return rule.role
        return None

    @classmethod
    def load(cls, path: Path | None = None, *, bundled: bool = True) -> RoleRules:
        """Your rules (YAML ``rules: [{match, role}]`` or CSV ``pattern,role``), then ours."""
        rules = _load_rules(path) if path is not None else []
        if bundled:
            text = resources.files("sentinelle.inventory").joinpath("data/role_rules.yaml")
            rules += _parse_rules(yaml.safe_load(text.read_text("utf-8")), "role_rules.yaml")
        return cls(rules)


def _load_rules(path: Path) -> list[_Rule]:
    try:
        text = path.read_text("utf-8-sig")
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the role rules ({e.strerror})") from None
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        data: Any = [
            {"match": r.get("pattern") or r.get("match"), "role": r.get("role")} for r in rows
        ]
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: not a YAML file ({e})") from None
    return _parse_rules(data, str(path))


def _parse_rules(data: Any, name: str) -> list[_Rule]:
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(
            f"{name}: expected a list of rules",
            hint="write rules: [{match: 'secretaire medicale', role: Secrétaire médicale}]",
        )
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("match") or not item.get("role"):
            raise ConfigError(
                f"{name}, rule {n}: needs 'match' (a pattern) and 'role'",
                hint="e.g. {match: 'interne', role: Interne}",
            )
        try:
            pattern = re.compile(fold(str(item["match"])))
        except re.error as e:
            raise ConfigError(
                f"{name}, rule {n}: bad pattern {item['match']!r} ({e})",
                hint="patterns are regular expressions, e.g. '\\binterne'",
            ) from None
        out.append(_Rule(pattern, str(item["role"]).strip(), str(item["match"])))
    return out


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    department: str
    role: str
    site: str
    title: str


@dataclass
class Directory:
    """User → department, role (from the job title) and site."""

    entries: dict[str, DirectoryEntry]
    problems: list[Problem] = field(default_factory=list)
    unmatched_titles: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lookup = lru_cache(maxsize=1 << 15)(self._lookup)

    def _lookup(self, user: str | None) -> DirectoryEntry | None:
        if not user or user == "-":
            return None
        return self.entries.get(normalize_user(user))

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, path: Path, rules: RoleRules | None = None) -> Directory:
        """Read the export; bad rows are skipped and listed in ``problems`` with their row."""
        rules = rules or RoleRules.load()
        try:
            text = path.read_text("utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_bytes().decode("latin-1")
        except OSError as e:
            raise InventoryError(f"{path}: cannot read the directory ({e.strerror})") from None
        reader = csv.reader(io.StringIO(text), dialect=_dialect(text))
        header = next(reader, None)
        cols = _columns(header or [], str(path))
        return cls._from_rows(reader, cols, rules, str(path))

    @classmethod
    def _from_rows(
        cls, reader: Any, cols: dict[str, int], rules: RoleRules, name: str
    ) -> Directory:
        d = cls({})
        for n, row in enumerate(reader, start=2):
            if not any(c.strip() for c in row):
                continue
            get = {k: (row[i].strip() if i < len(row) else "") for k, i in cols.items()}
            user = normalize_user(get["user"])
            if not user:
                d.problems.append(Problem(name, n, "no user name: row skipped"))
                continue
            title = get.get("title", "")
            role = rules.role(title) if title else None
            if title and role is None:
                d.unmatched_titles[title] = d.unmatched_titles.get(title, 0) + 1
            entry = DirectoryEntry(
                get.get("department") or UNKNOWN, role or UNKNOWN, get.get("site") or UNKNOWN, title
            )
            if user in d.entries and d.entries[user] != entry:
                d.problems.append(
                    Problem(
                        name,
                        n,
                        f"user {user!r} appears twice with different values: the first row is kept",
                    )
                )
                continue
            d.entries[user] = entry
        return d


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str], name: str) -> dict[str, int]:
    folded = [fold(h) for h in header]

    def find(names: tuple[str, ...]) -> int | None:
        return next((i for i, h in enumerate(folded) if h in names), None)

    cols = {
        "user": find(_USER),
        "department": find(_DEPARTMENT),
        "title": find(_TITLE),
        "site": find(_SITE),
    }
    if cols["user"] is None or (cols["department"] is None and cols["title"] is None):
        raise InventoryError(
            f"{name}: the header needs a user column and a department or job-title column "
            f"(found: {header})",
            hint="e.g. user,department,title (also: login/samaccountname, service, fonction)",
        )
    return {k: v for k, v in cols.items() if v is not None}
