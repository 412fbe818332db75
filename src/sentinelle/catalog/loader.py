"""Read catalog files (YAML) into :class:`Service` objects and assemble a :class:`Catalog`.

The bundled catalog ships in ``data/catalog.yaml`` and is read with ``importlib.resources``;
user files passed as ``extra`` extend it without editing it: a service with a known id replaces
the bundled one, a domain claimed by a user service is taken away from the bundled service that
had it, and ``remove: [ids]`` drops bundled services.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sentinelle import __version__
from sentinelle.errors import CatalogError

from .matcher import Catalog, _without
from .model import (
    CATEGORIES,
    EVIDENCE,
    FACTS,
    MATCH_TYPES,
    TRAINS,
    YES_NO,
    DomainRule,
    Service,
    Source,
)

if TYPE_CHECKING:
    from .policy import Policy

BUNDLED = "catalog.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SERVICE_KEYS = {
    "id",
    "name",
    "vendor",
    "vendor_country",
    "category",
    "general_purpose",
    "data_location",
    "trains_on_inputs",
    "enterprise_offer",
    "hds_certified",
    "sources",
    "last_reviewed",
    "domains",
    "notes",
}
_REQUIRED = ("id", "name", "vendor", "vendor_country", "category", "general_purpose", "domains")


@dataclass
class CatalogFile:
    """One parsed catalog file: its services and top-level sections, before merging."""

    path: str
    version: str | None
    services: list[Service]
    not_ai: dict[str, str] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    digest: str = ""


def bundled_path() -> Path:
    """Filesystem path of the bundled catalog (for messages and ``catalog check``)."""
    return Path(str(resources.files("sentinelle.catalog") / "data" / BUNDLED))


def read_data_text(name: str) -> str:
    """Text of a file shipped in ``sentinelle/catalog/data``."""
    return (resources.files("sentinelle.catalog") / "data" / name).read_text(encoding="utf-8")


def load_catalog(
    extra: Iterable[Path | str] = (),
    *,
    policy: Policy | None = None,
    base: Path | str | None = None,
) -> Catalog:
    """The bundled catalog (or ``base``), extended by the ``extra`` files and the policy's services.

    Example::

        cat = load_catalog(extra=[Path("chu-extra.yaml")])
        cat.match("chatgpt.com").service_id   # 'chatgpt'
    """
    first = _bundled() if base is None else parse_file(Path(base))
    files = [parse_file(Path(p)) for p in extra]
    services = {s.id: s for s in first.services}
    not_ai = dict(first.not_ai)
    for f in files:
        for sid in f.remove:
            services.pop(sid, None)
        _merge(services, f.services)
        not_ai.update(f.not_ai)
    version = first.version or "unversioned"
    if files:
        digest = hashlib.sha256("".join(f.digest for f in files).encode()).hexdigest()[:8]
        version = f"{version}+local.{digest}"
    cat = Catalog(
        services.values(), version, not_ai=not_ai, origin=(first.path, *(f.path for f in files))
    )
    if policy is not None and policy.local_services:
        cat = cat.with_services(policy.local_services)
    return cat


def _merge(services: dict[str, Service], added: list[Service]) -> None:
    claimed = {(r.domain, r.path) for s in added for r in s.domains}
    for sid in list(services):
        services[sid] = _without(services[sid], claimed)
    for s in added:
        services[s.id] = s


@functools.lru_cache(maxsize=1)
def _bundled() -> CatalogFile:
    text, where = read_data_text(BUNDLED), str(bundled_path())
    key = hashlib.sha256(
        f"{__version__}|{yaml.__version__}|{_LOADER.__name__}|".encode() + text.encode()
    ).hexdigest()
    doc = _cached_yaml(key)
    if doc is None:
        doc = _load_yaml(text, where)
        _cache_yaml(key, doc)
    return _parse_doc(doc, text, where)


def parse_file(path: Path) -> CatalogFile:
    """Parse and validate one catalog file; raise :class:`CatalogError` naming what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogError(
            f"cannot read catalog file {path}: {e.strerror or e}",
            hint="check the path given to --catalog",
        ) from e
    return parse_text(text, str(path))


def parse_text(text: str, where: str) -> CatalogFile:
    """Parse catalog YAML ``text``; ``where`` names the file in error messages."""
    return _parse_doc(_load_yaml(text, where), text, where)


def _load_yaml(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        raise CatalogError(f"{where}: not valid YAML: {e}", hint="fix the syntax") from e


def _parse_doc(doc: Any, text: str, where: str) -> CatalogFile:
    """Validate the YAML document ``doc`` read from ``text``."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("services", []), list):
        raise CatalogError(
            f"{where}: expected a mapping with a `services:` list",
            hint="see docs/catalog.md for the file layout",
        )
    problems: list[str] = []
    services: list[Service] = []
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        problems.append("defaults: expected a mapping of service fields")
        defaults = {}
    for i, entry in enumerate(doc.get("services") or []):
        svc, errs = parse_service(_with_defaults(entry, defaults))
        label = f"services[{i}]" + (
            f" (id {entry.get('id')!r})" if isinstance(entry, Mapping) else ""
        )
        problems += [f"{label}{_line(text, i)}: {e}" for e in errs]
        if svc is not None:
            services.append(svc)
    if problems:
        shown = "\n  ".join(problems[:25]) + ("\n  …" if len(problems) > 25 else "")
        raise CatalogError(
            f"{where}: invalid catalog entries:\n  {shown}",
            hint="fix these entries (see docs/catalog.md), then run "
            "`sentinelle catalog check FILE`",
        )
    return CatalogFile(
        path=where,
        version=_str(doc.get("version")) if doc.get("version") is not None else None,
        services=services,
        not_ai={str(k).lower(): str(v) for k, v in (doc.get("not_ai") or {}).items()},
        retired={str(k): str(v) for k, v in (doc.get("retired") or {}).items()},
        remove=[str(x) for x in doc.get("remove") or []],
        digest=hashlib.sha256(text.encode()).hexdigest(),
    )


# The bundled catalog's YAML document is cached between runs (reading the YAML is most of the cost
# of loading the catalog), keyed by a hash of the text, the versions of sentinelle and of the YAML
# reader.  A cache that cannot be read or written is ignored.
_CACHE_TYPES = {("datetime", n) for n in ("date", "datetime", "timezone", "timedelta")}


class _DataUnpickler(pickle.Unpickler):
    """Unpickles the plain data that YAML gives, nothing that could run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _CACHE_TYPES:
            raise pickle.UnpicklingError(f"{module}.{name} is not YAML data")
        return super().find_class(module, name)


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sentinelle" / "catalog.pickle"


def _cached_yaml(key: str) -> Any:
    """The cached document of the text hashed to ``key``, or None."""
    try:
        with open(_cache_path(), "rb") as fh:
            if fh.readline() != f"{key}\n".encode():
                return None
            return _DataUnpickler(fh).load()
    except Exception:  # missing, unreadable or damaged (any error unpickling): parse the YAML
        return None


def _cache_yaml(key: str, doc: Any) -> None:
    try:
        data = f"{key}\n".encode() + pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        path = _cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    except (OSError, RuntimeError, pickle.PicklingError):  # no home directory, or not creatable
        return
    try:
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader sees the old file or the new one, never a part
    except OSError:  # a read-only or full disk: parse the YAML every time
        tmp.unlink(missing_ok=True)


def _with_defaults(entry: Any, defaults: Mapping[str, Any]) -> Any:
    """``entry`` over the file's ``defaults`` (``sources`` are merged fact by fact)."""
    if not defaults or not isinstance(entry, Mapping):
        return entry
    merged = {**defaults, **entry}
    if isinstance(defaults.get("sources"), Mapping) and isinstance(entry.get("sources"), Mapping):
        merged["sources"] = {**defaults["sources"], **entry["sources"]}
    return merged


def _line(text: str, index: int) -> str:
    """`` line N`` of the index-th service, found by composing (only on the error path)."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
        if node is None:  # an empty document
            return ""
        for key, value in node.value:
            if key.value == "services":
                return f" line {value.value[index].start_mark.line + 1}"
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        pass
    return ""


def parse_service(entry: Any) -> tuple[Service | None, list[str]]:
    """Validate one service mapping; return the service (or None) and the problems found."""
    if not isinstance(entry, Mapping):
        return None, [f"expected a mapping, got {type(entry).__name__}"]
    errs = [f"missing field {k!r}" for k in _REQUIRED if k not in entry]
    errs += [
        f"unknown field {k!r} (known: {', '.join(sorted(_SERVICE_KEYS))})"
        for k in entry
        if k not in _SERVICE_KEYS
    ]
    if errs:
        return None, errs
    sid = _str(entry["id"])
    if not _ID.match(sid):
        errs.append(f"id {sid!r} is not a slug (lower-case letters, digits, single hyphens)")
    if entry["category"] not in CATEGORIES:
        errs.append(f"unknown category {entry['category']!r}; use one of {', '.join(CATEGORIES)}")
    if not isinstance(entry["general_purpose"], bool):
        errs.append("general_purpose must be true or false")
    facts = {
        k: _fact(entry.get(k, "unknown"))
        for k in ("trains_on_inputs", "enterprise_offer", "hds_certified")
    }
    if facts["trains_on_inputs"] not in TRAINS:
        errs.append(f"trains_on_inputs {facts['trains_on_inputs']!r} not in {TRAINS}")
    errs += [
        f"{k} {facts[k]!r} not in {YES_NO}"
        for k in ("enterprise_offer", "hds_certified")
        if facts[k] not in YES_NO
    ]
    rules, rule_errs = parse_domains(entry["domains"])
    sources, src_errs = parse_sources(entry.get("sources") or {})
    errs += rule_errs + src_errs
    if errs:
        return None, errs
    return Service(
        id=sid,
        name=_str(entry["name"]),
        vendor=_str(entry["vendor"]),
        vendor_country=_str(entry["vendor_country"]),
        category=entry["category"],
        general_purpose=entry["general_purpose"],
        data_location=_str(entry.get("data_location", "unknown")),
        trains_on_inputs=facts["trains_on_inputs"],  # type: ignore[arg-type]
        enterprise_offer=facts["enterprise_offer"],
        hds_certified=facts["hds_certified"],
        sources=sources,
        last_reviewed=_str(entry.get("last_reviewed", "")),
        domains=tuple(rules),
        notes=_str(entry.get("notes", "")),
    ), []


def parse_domains(items: Any) -> tuple[list[DomainRule], list[str]]:
    """Domain rules from ``"host"`` (suffix, primary) or ``{suffix|exact|path: …, evidence: …}``."""
    if not isinstance(items, list) or not items:
        return [], ["domains must be a non-empty list"]
    rules: list[DomainRule] = []
    errs: list[str] = []
    for item in items:
        rule, err = _rule(item)
        if err:
            errs.append(f"domain {item!r}: {err}")
        elif rule is not None:
            rules.append(rule)
    seen: set[tuple[str, str | None]] = set()
    for r in rules:
        if (r.domain, r.path) in seen:
            errs.append(f"domain {r.label} listed twice")
        seen.add((r.domain, r.path))
    return rules, errs


def _rule(item: Any) -> tuple[DomainRule | None, str | None]:
    if isinstance(item, str):
        item = {"suffix": item}
    if not isinstance(item, Mapping):
        return None, "expected a host name or a mapping"
    kinds = [k for k in MATCH_TYPES if k in item]
    extra = set(item) - {*MATCH_TYPES, "evidence", "note"}
    if len(kinds) != 1 or extra:
        return None, "give exactly one of suffix/exact/path, plus optional evidence and note"
    kind = kinds[0]
    value = _str(item[kind]).strip().lower()
    path = None
    if kind == "path":
        value, slash, rest = value.partition("/")
        if not slash:
            return None, "a path rule is host/path, e.g. m365.cloud.microsoft/chat"
        path = "/" + rest.rstrip("/") if rest.rstrip("/") else "/"
    evidence = item.get("evidence", "primary")
    if evidence not in EVIDENCE:
        return None, f"evidence {evidence!r} not in {EVIDENCE}"
    err = domain_problem(value)
    if err:
        return None, err
    return DomainRule(value, kind, path, evidence, _str(item.get("note", ""))), None


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` is not a usable rule domain, or None."""
    labels = domain.split(".")
    if len(labels) < 2:
        return f"{domain!r} is a single label (a TLD): far too broad"
    if not all(_LABEL.match(x) for x in labels):
        return f"{domain!r} is not a valid lower-case host name (no scheme, port, path or '*')"
    if labels[-1].isdigit():
        return f"{domain!r} looks like an IP address; rules take host names"
    return None


def parse_sources(raw: Any) -> tuple[dict[str, Source], list[str]]:
    """``{fact[, fact…]: [source, date] | {source, date}}`` → one :class:`Source` per fact."""
    if not isinstance(raw, Mapping):
        return {}, ["sources must be a mapping fact → [source, date]"]
    out: dict[str, Source] = {}
    errs: list[str] = []
    for key, val in raw.items():
        if isinstance(val, Mapping):
            val = [val.get("source"), val.get("date")]
        if not isinstance(val, list) or len(val) != 2 or not val[0] or not val[1]:
            errs.append(f"source for {key!r} must be [source, date]")
            continue
        for fact in (f.strip() for f in str(key).split(",")):
            if fact not in FACTS:
                errs.append(f"source for unknown fact {fact!r}; facts: {', '.join(FACTS)}")
            out[fact] = Source(_str(val[0]), _str(val[1]))
    return out, errs


def _fact(v: Any) -> str:
    # YAML 1.1 reads bare yes/no as booleans.
    if isinstance(v, bool):
        return "yes" if v else "no"
    return _str(v)


def _str(v: Any) -> str:
    if isinstance(v, _dt.date):
        return v.isoformat()
    return "" if v is None else str(v)
