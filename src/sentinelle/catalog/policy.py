"""The hospital's policy: which services it sanctions, its own services, sources to ignore.

A policy file (YAML)::

    default: unsanctioned          # optional; this is the default
    categories: {medical: tolerated, translation: tolerated}
    services: {copilot-m365: sanctioned, deepseek: blocked}
    local_services: [...]          # same schema as catalog services
    exclude_sources: [10.0.9.17, 10.0.250.0/24, vuln-scanner-01.chu.local, "*.monitoring.chu.local"]

A service rule beats a category rule, which beats ``default``.
"""

from __future__ import annotations

import fnmatch
import functools
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from sentinelle.errors import CatalogError

from .model import CATEGORIES, Service

Status = Literal["sanctioned", "tolerated", "unsanctioned", "blocked"]
STATUSES: tuple[str, ...] = ("sanctioned", "tolerated", "unsanctioned", "blocked")
_KEYS = {"default", "categories", "services", "local_services", "exclude_sources"}

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Policy:
    """Statuses by service and category, local services, excluded sources."""

    services: Mapping[str, Status] = field(default_factory=dict)
    categories: Mapping[str, Status] = field(default_factory=dict)
    default: Status = "unsanctioned"
    local_services: list[Service] = field(default_factory=list)
    exclude_addresses: frozenset[str] = frozenset()
    exclude_networks: tuple[IPNetwork, ...] = ()
    exclude_hostnames: tuple[str, ...] = ()
    path: str = ""

    def __hash__(self) -> int:
        return id(self)

    @classmethod
    def load(cls, path: Path | str) -> Policy:
        """Read and validate a policy file; :class:`CatalogError` names what is wrong."""
        where = str(path)
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as e:
            raise CatalogError(
                f"cannot read policy file {where}: {e.strerror or e}",
                hint="check the path given to --policy",
            ) from e
        except yaml.YAMLError as e:
            raise CatalogError(f"{where}: not valid YAML: {e}", hint="fix the syntax") from e
        return cls.from_dict(doc, where)

    @classmethod
    def from_dict(cls, doc: Any, where: str = "<policy>") -> Policy:
        """Build a policy from an already parsed mapping."""
        from .loader import parse_service  # the loader imports the matcher; keep this light

        if not isinstance(doc, Mapping):
            raise CatalogError(f"{where}: a policy file is a mapping", hint=_HINT)
        errs = [
            f"unknown key {k!r} (known: {', '.join(sorted(_KEYS))})" for k in doc if k not in _KEYS
        ]
        default = doc.get("default", "unsanctioned")
        if default not in STATUSES:
            errs.append(f"default {default!r}: use one of {', '.join(STATUSES)}")
        services = _statuses(doc.get("services"), "services", errs)
        categories = _statuses(doc.get("categories"), "categories", errs)
        errs += [
            f"categories: unknown category {c!r}; use one of {', '.join(CATEGORIES)}"
            for c in categories
            if c not in CATEGORIES
        ]
        local: list[Service] = []
        for i, entry in enumerate(doc.get("local_services") or []):
            svc, problems = parse_service(entry)
            errs += [f"local_services[{i}]: {p}" for p in problems]
            if svc is not None:
                local.append(svc)
        addrs, nets, names = _sources(doc.get("exclude_sources") or [], errs)
        if errs:
            raise CatalogError(f"{where}: invalid policy:\n  " + "\n  ".join(errs), hint=_HINT)
        return cls(services, categories, default, local, addrs, nets, names, where)

    def status(self, service_id: str, category: str | None = None) -> Status:
        """``sanctioned``/``tolerated``/``unsanctioned``/``blocked``: service, then category."""
        s = self.services.get(service_id)
        if s is not None:
            return s
        if category is not None:
            c = self.categories.get(category)
            if c is not None:
                return c
        return self.default

    def is_shadow(self, service_id: str, category: str | None = None) -> bool:
        """True unless the hospital sanctions or tolerates the service."""
        return self.status(service_id, category) in ("unsanctioned", "blocked")

    def excluded_sources(self, ip: str | None, hostname: str | None = None) -> bool:
        """True when the source (address or workstation name) is to be ignored."""
        return self._excluded(ip or "", (hostname or "").lower().rstrip("."))

    @functools.lru_cache(maxsize=1 << 14)  # noqa: B019 - bounded; policies live for a scan
    def _excluded(self, ip: str, hostname: str) -> bool:
        if ip:
            if ip in self.exclude_addresses:
                return True
            if self.exclude_networks:
                try:
                    addr = ipaddress.ip_address(ip.strip("[]").split("%", 1)[0])
                except ValueError:
                    addr = None
                if addr is not None and any(
                    addr in n for n in self.exclude_networks if n.version == addr.version
                ):
                    return True
        if hostname:
            return any(fnmatch.fnmatchcase(hostname, p) for p in self.exclude_hostnames)
        return False


_HINT = "see catalog/data/policy.example.yaml and docs/catalog.md (the policy file)"


def _statuses(raw: Any, key: str, errs: list[str]) -> dict[str, Status]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errs.append(f"{key}: expected a mapping name → status")
        return {}
    out: dict[str, Status] = {}
    for name, status in raw.items():
        if status not in STATUSES:
            errs.append(f"{key}.{name}: status {status!r}; use one of {', '.join(STATUSES)}")
        else:
            out[str(name)] = status
    return out


def _sources(
    items: Iterable[Any], errs: list[str]
) -> tuple[frozenset[str], tuple[IPNetwork, ...], tuple[str, ...]]:
    addrs: set[str] = set()
    nets: list[IPNetwork] = []
    names: list[str] = []
    for item in items:
        s = str(item).strip()
        try:
            if "/" in s:
                nets.append(ipaddress.ip_network(s, strict=False))
            else:
                addrs.add(str(ipaddress.ip_address(s)))
                addrs.add(s)
            continue
        except ValueError:
            pass
        if "/" in s or not s:
            errs.append(f"exclude_sources: {s!r} is neither an address, a CIDR nor a host name")
        else:
            names.append(s.lower().rstrip("."))
    return frozenset(addrs), tuple(nets), tuple(names)
