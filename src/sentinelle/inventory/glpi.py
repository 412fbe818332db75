"""A GLPI computers export (the list view's CSV) and the mapping of its entities/locations.

GLPI exports the computers list as CSV (``;``-separated, UTF-8, header in the interface's
language).  Read: the name column (``Name``/``Nom``), ``Entity``/``Entité``, ``Location``/``Lieu``
and every column about IP addresses (``Network - IP``, ``Réseau - Adresses IP``, ``IP``…).  A cell
may hold several addresses (line breaks, ``$$##$$``, commas or spaces between them); link-local
and loopback addresses are ignored.

GLPI knows *where* a computer is, not which department or role that means at the hospital: a small
mapping file says it.  YAML (a list) or CSV (same columns)::

    - {entity: "CHU > Site Nord", site: Nord}
    - {location: "Bâtiment A > Cardiologie", department: cardiologie}
    - {location: "Bâtiment A > Cardiologie > Secrétariat", role: Secrétaire médicale}

A rule matches a computer when its ``entity`` and/or ``location`` is the computer's path or a
parent of it (on `` > `` boundaries, case and accents ignored).  Each of site, department and role
comes from the most specific matching rule that sets it (the longest matched path), so an entity
rule can give the site and a location rule the department.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sentinelle.errors import ConfigError, InventoryError
from sentinelle.inventory import UNKNOWN, Inventory, NetKey, Row, network_key, normalize_host
from sentinelle.inventory.dhcp import Problem
from sentinelle.inventory.directory import fold

__all__ = ["GlpiMap", "GlpiResult", "load_glpi"]

_NAME = ("name", "nom")
_ENTITY = ("entity", "entite")
_LOCATION = ("location", "lieu")
_SPLIT = re.compile(r"\$\$##\$\$|<br\s*/?>|[\s,;|]+")


@dataclass(frozen=True)
class _MapRule:
    entity: tuple[str, ...]
    location: tuple[str, ...]
    values: dict[str, str]


def _path(text: str) -> tuple[str, ...]:
    return tuple(p for p in (fold(x) for x in text.split(">")) if p)


@dataclass
class GlpiMap:
    """Entity/location → site, department, role (most specific rule per attribute)."""

    rules: list[_MapRule]

    def attributes(self, entity: str, location: str) -> dict[str, str]:
        ent, loc = _path(entity), _path(location)
        best: dict[str, tuple[int, str]] = {}
        for rule in self.rules:
            if ent[: len(rule.entity)] != rule.entity or loc[: len(rule.location)] != rule.location:
                continue
            weight = len(rule.entity) + 100 * len(rule.location)  # a location is finer
            for key, value in rule.values.items():
                if key not in best or weight > best[key][0]:
                    best[key] = (weight, value)
        return {k: v for k, (_, v) in best.items()}

    @classmethod
    def load(cls, path: Path | None) -> GlpiMap:
        if path is None:
            return cls([])
        try:
            text = path.read_text("utf-8-sig")
        except OSError as e:
            raise ConfigError(f"{path}: cannot read the GLPI mapping ({e.strerror})") from None
        if path.suffix.lower() == ".csv":
            data: Any = list(csv.DictReader(io.StringIO(text), dialect=_dialect(text)))
        else:
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as e:
                raise ConfigError(f"{path}: not a YAML file ({e})") from None
        return cls(_rules(data, str(path)))


def _rules(data: Any, name: str) -> list[_MapRule]:
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(
            f"{name}: expected a list of rules",
            hint="e.g. - {location: 'Bâtiment A > Cardiologie', department: cardiologie}",
        )
    out = []
    for n, item in enumerate(items, start=1):
        item = (
            {
                str(k).strip().lower(): str(v).strip()
                for k, v in (item or {}).items()
                if v is not None and str(v).strip()
            }
            if isinstance(item, dict)
            else {}
        )
        values = {k: item[k] for k in ("site", "department", "role") if k in item}
        if not (item.get("entity") or item.get("location")) or not values:
            raise ConfigError(
                f"{name}, rule {n}: needs an entity and/or a location, and at least "
                "one of site, department, role",
                hint="e.g. {entity: 'CHU > Site Nord', site: Nord}",
            )
        out.append(_MapRule(_path(item.get("entity", "")), _path(item.get("location", "")), values))
    return out


@dataclass
class GlpiResult:
    inventory: Inventory
    problems: list[Problem]
    computers: int
    unmapped: int  # computers that no mapping rule gave a department


def load_glpi(path: Path, mapping: GlpiMap | None = None) -> GlpiResult:
    """Read a GLPI computers CSV into an inventory (by host name and by address)."""
    mapping = mapping or GlpiMap([])
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InventoryError(f"{path}: cannot read the GLPI export ({e.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    cols = _columns(next(reader, []), str(path))
    return _read(reader, cols, mapping, str(path))


def _read(reader: Any, cols: dict[str, Any], mapping: GlpiMap, name: str) -> GlpiResult:
    networks: dict[NetKey, Row] = {}
    hosts: dict[str, Row] = {}
    problems: list[Problem] = []
    computers = unmapped = 0
    for n, rec in enumerate(reader, start=2):
        if not any(c.strip() for c in rec):
            continue

        def cell(i: int | None, rec: list[str] = rec) -> str:
            return rec[i].strip() if i is not None and i < len(rec) else ""

        host = normalize_host(cell(cols["name"]))
        if not host:
            problems.append(Problem(name, n, "no computer name: row skipped"))
            continue
        attrs = mapping.attributes(cell(cols["entity"]), cell(cols["location"]))
        row = Row(
            host,
            attrs.get("site", UNKNOWN),
            attrs.get("department", UNKNOWN),
            attrs.get("role", UNKNOWN),
        )
        computers += 1
        unmapped += row.department == UNKNOWN
        hosts.setdefault(host, row)
        for i in cols["ips"]:
            for text in _SPLIT.split(cell(i)):
                _add_address(text, row, networks, problems, name, n)
    return GlpiResult(Inventory(networks, hosts), problems, computers, unmapped)


def _add_address(
    text: str, row: Row, networks: dict[NetKey, Row], problems: list[Problem], name: str, n: int
) -> None:
    if not text:
        return
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        problems.append(Problem(name, n, f"{text!r} is not an IP address: ignored"))
        return
    if addr.is_loopback or addr.is_link_local or addr.is_unspecified:
        return
    net = network_key(ipaddress.ip_network(addr))
    if net in networks and networks[net].hostname != row.hostname:
        problems.append(
            Problem(
                name,
                n,
                f"{text} is also the address of {networks[net].hostname} "
                "(an older inventory?): the first computer keeps it",
            )
        )
        return
    networks[net] = row


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str], name: str) -> dict[str, Any]:
    folded = [fold(h) for h in header]

    def find(names: tuple[str, ...]) -> int | None:
        return next((i for i, h in enumerate(folded) if h in names), None)

    ips = [i for i, h in enumerate(folded) if re.search(r"\bip\b|\bipv[46]\b|adresses? ip", h)]
    cols = {"name": find(_NAME), "entity": find(_ENTITY), "location": find(_LOCATION), "ips": ips}
    if cols["name"] is None:
        raise InventoryError(
            f"{name}: no Name/Nom column in the header (found: {header})",
            hint="export the computers list from GLPI (Assets > Computers > export CSV) with the "
            "name, entity, location and IP address columns shown",
        )
    return cols
