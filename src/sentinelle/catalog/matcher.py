"""Host → service matching with a reverse-label trie, and the :class:`Catalog` built on it.

A host is read right to left, one label at a time (``chatgpt.com`` → ``com``, ``chatgpt``), so a
suffix rule can only match on a label boundary: ``notchatgpt.com`` never reaches the
``chatgpt`` node, and ``chatgpt.com.example.net`` starts at ``net``.  The deepest suffix rule
found on the way wins; an exact-host rule beats it, and a URL-path rule beats both.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from sentinelle.errors import CatalogError

from .model import DomainRule, Match, Service

# Bounded per catalog: log hosts repeat a lot, but an unbounded cache would grow with the long tail.
CACHE_SIZE = 1 << 16
_END = None  # trie key of a node's terminal; labels are strings, so it cannot collide


def normalize_host(raw: str | None) -> str | None:
    """Lower-case ``raw`` and strip scheme, path, user info, port, brackets and a trailing dot.

    Returns ``None`` for an empty value or an IP literal (IP literals never match domain rules).
    """
    if not raw:
        return None
    h = raw.strip().lower()
    if "://" in h:
        h = h.split("://", 1)[1]
    for sep in "/?#":
        if sep in h:
            h = h.split(sep, 1)[0]
    if "@" in h:
        h = h.rpartition("@")[2]
    if h.startswith("[") or h.count(":") > 1:
        return None  # IPv6 literal, bracketed or bare
    if ":" in h:
        h = h.split(":", 1)[0]
    if h.endswith("."):
        h = h[:-1]
    if not h or "" in h.split(".") or _is_ipv4(h):
        return None
    return h


def _is_ipv4(h: str) -> bool:
    if not h[-1].isdigit():
        return False
    try:
        ipaddress.IPv4Address(h)
    except ValueError:
        return False
    return True


def split_url(raw: str) -> tuple[str, str | None]:
    """Split ``host``, ``host:port``, ``host/path`` or a URL into (host part, path or None)."""
    s = raw.strip()
    rest = s.split("://", 1)[1] if "://" in s else s
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    if cut < 0:
        return rest, None
    path = rest[cut:]
    return rest[:cut], path if path.startswith("/") else "/" + path


def path_matches(prefix: str, path: str) -> bool:
    """True when ``path`` starts with ``prefix`` on a segment boundary (query ignored)."""
    p = path.split("?", 1)[0].split("#", 1)[0].lower()
    if not p.startswith("/"):
        p = "/" + p
    if not p.startswith(prefix):
        return False
    return len(p) == len(prefix) or prefix.endswith("/") or p[len(prefix)] == "/"


@dataclass(frozen=True)
class Explanation:
    """Why a host matched a rule, or why it did not (``catalog explain``)."""

    input: str
    host: str | None
    path: str | None
    match: Match | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        m = self.match
        return {
            "input": self.input,
            "host": self.host,
            "path": self.path,
            "service": m.service_id if m else None,
            "rule": m.rule if m else None,
            "evidence": m.evidence if m else None,
            "category": m.category if m else None,
            "general_purpose": m.general_purpose if m else None,
            "counted": (m.evidence == "primary") if m else False,
            "reason": self.reason,
        }


class Catalog:
    """A set of services and the trie that maps hosts to them.

    Build one with :func:`sentinelle.catalog.load_catalog`; the constructor is for tests and
    for callers that assemble services themselves.  Order of ``services`` does not matter.
    """

    def __init__(
        self,
        services: Iterable[Service],
        version: str = "unversioned",
        *,
        not_ai: dict[str, str] | None = None,
        origin: tuple[str, ...] = (),
    ) -> None:
        ordered = sorted(services, key=lambda s: s.id)
        self.services: dict[str, Service] = {}
        for s in ordered:
            if s.id in self.services:
                raise CatalogError(f"service id {s.id!r} appears twice", hint="ids must be unique")
            self.services[s.id] = s
        self.version = version
        self.not_ai: dict[str, str] = dict(not_ai or {})
        self.origin = origin
        self._root: dict = {}
        self._exact: dict[str, tuple[Match | None, tuple[tuple[str, Match], ...]]] = {}
        self._build()
        self._lookup = functools.lru_cache(maxsize=CACHE_SIZE)(self._lookup_uncached)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        owners: dict[tuple[str, str | None], tuple[DomainRule, str]] = {}
        exact: dict[str, Match] = {}
        paths: dict[str, list[tuple[str, Match]]] = {}
        for rule, sid in self.rules():
            key = (rule.domain, rule.path.lower() if rule.path else None)
            if key in owners:
                first, first_sid = owners[key]
                if rule.evidence == "shared" and first.evidence == "shared":
                    continue  # shared infrastructure: the first service id (sorted) speaks for it
                raise CatalogError(
                    f"domain {rule.label} is claimed by both {first_sid!r} and {sid!r}",
                    hint="a domain belongs to one service; mark it `evidence: shared` in both "
                    "or remove one (run `sentinelle catalog check`)",
                )
            owners[key] = (rule, sid)
            svc = self.services[sid]
            m = Match(sid, svc.category, rule.evidence, rule.label, svc.general_purpose)
            if rule.match == "suffix":
                node = self._root
                for label in reversed(rule.domain.split(".")):
                    node = node.setdefault(label, {})
                node[_END] = m
            elif rule.match == "exact":
                exact[rule.domain] = m
            else:
                paths.setdefault(rule.domain, []).append((rule.path.lower(), m))  # type: ignore[union-attr]
        for host in exact.keys() | paths.keys():
            plist = sorted(paths.get(host, []), key=lambda pm: (-len(pm[0]), pm[0]))
            self._exact[host] = (exact.get(host), tuple(plist))

    def rules(self) -> list[tuple[DomainRule, str]]:
        """Every domain rule with the id of its service, in a stable order."""
        return [(r, s.id) for s in self.services.values() for r in s.domains]

    def with_services(self, services: Iterable[Service], tag: str = "local") -> Catalog:
        """A new catalog with ``services`` added; a service with an existing id replaces it."""
        added = {s.id: s for s in services}
        if not added:
            return self
        claimed = {(r.domain, r.path) for s in added.values() for r in s.domains}
        merged = [_without(s, claimed) for i, s in self.services.items() if i not in added]
        version = self.version if "+" in self.version else f"{self.version}+{tag}"
        return Catalog([*merged, *added.values()], version, not_ai=self.not_ai, origin=self.origin)

    # -- matching ---------------------------------------------------------------------------
    def match(self, host: str | None, path: str | None = None) -> Match | None:
        """The rule that covers ``host`` (and ``path``, for path rules), or ``None``."""
        if not host:
            return None
        found = self._lookup(host)
        if found is None:
            return None
        m, plist = found
        if path is not None and plist:
            for prefix, pm in plist:
                if path_matches(prefix, path):
                    return pm
        return m

    def _lookup_uncached(
        self, raw: str
    ) -> tuple[Match | None, tuple[tuple[str, Match], ...]] | None:
        h = raw.lower()
        if ":" in h or "/" in h or "[" in h or "@" in h or h[-1] == "." or h != h.strip():
            h = normalize_host(raw)  # type: ignore[assignment]
            if h is None:
                return None
        elif h[-1].isdigit() and _is_ipv4(h):  # an IP literal never matches a domain rule
            return None
        best = None
        node = self._root
        for label in reversed(h.split(".")):
            child = node.get(label)
            if child is None:
                break
            node = child
            m = node.get(_END)
            if m is not None:
                best = m
        ex = self._exact.get(h)
        if ex is not None:
            return (ex[0] or best, ex[1])
        return None if best is None else (best, ())

    def covers(self, host: str) -> bool:
        """True when a rule may match ``host``, for some path (``match`` says which, if any)."""
        return bool(host) and self._lookup(host) is not None

    def path_rules(self, host: str) -> bool:
        """True when a path rule is written for ``host``: its match may depend on the path
        (otherwise ``match(host, path)`` is ``match(host)`` whatever the path)."""
        found = self._lookup(host) if host else None
        return found is not None and bool(found[1])

    def __contains__(self, host: str) -> bool:
        return self.match(host) is not None

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services.values())

    def __len__(self) -> int:
        return len(self.services)

    def __repr__(self) -> str:
        return f"<Catalog {self.version}: {len(self.services)} services>"

    # -- explaining -------------------------------------------------------------------------
    def explain(self, value: str) -> Explanation:
        """Say which rule covers a host, ``host:port`` or URL, or why none does."""
        hostpart, path = split_url(value)
        host = normalize_host(hostpart)
        if host is None:
            why = "an IP literal" if hostpart.strip() else "empty"
            return Explanation(
                value,
                None,
                path,
                None,
                f"{hostpart!r} is {why}: IP addresses "
                "never match domain rules (use DNS or proxy logs with host names)",
            )
        m = self.match(host, path)
        if m is not None:
            return Explanation(value, host, path, m, self._why_match(host, path, m))
        return Explanation(value, host, path, None, self._why_not(host, path))

    def _why_match(self, host: str, path: str | None, m: Match) -> str:
        svc = self.services[m.service_id]
        kind, _, target = m.rule.partition(":")
        how = {
            "suffix": f"{host} is {target} or under it (suffix rule, label boundary)",
            "exact": f"{host} is exactly {target} (exact rule)",
            "path": f"{host}{path or ''} starts with {target} (path rule)",
        }[kind]
        count = {
            "primary": "counted as use",
            "auxiliary": "counted only inside a visit of the same workstation to "
            f"{svc.name} that also has a primary hit",
            "shared": "shared infrastructure, never counted as use",
        }[m.evidence]
        return f"{svc.name} ({svc.id}, {svc.category}): {how}; evidence {m.evidence}: {count}"

    def _why_not(self, host: str, path: str | None) -> str:
        kind, near = self._nearest(host, path)
        if kind != "inside":
            for dom, why in self.not_ai.items():
                if host == dom or host.endswith("." + dom):
                    return f"{host}: no rule; {dom} is listed as not generative AI: {why}"
        return f"{host}: no rule matches" + (f"; nearest: {near}" if near else "")

    def _nearest(self, host: str, path: str | None) -> tuple[str, str | None]:
        """The rule that comes closest to ``host``: (kind, sentence); kind "" if none."""
        rules = sorted(self.rules(), key=lambda rs: (-len(rs[0].domain), rs[0].label))
        for rule, sid in rules:
            d = rule.domain
            if rule.match == "path" and host == d:
                given = f"path {path!r}" if path else "no path"
                return "inside", (
                    f"{rule.label} ({sid}) needs a URL path under {rule.path}; {given} was "
                    "given (HTTPS logs without TLS inspection carry no path)"
                )
            if rule.match == "exact" and host.endswith("." + d):
                return (
                    "inside",
                    f"{rule.label} ({sid}) covers only that exact host, not its subdomains",
                )
        for rule, sid in rules:
            d = rule.domain
            if d in host and rule.match != "path":
                if host.endswith(d):
                    return "label", (
                        f"{d} ({rule.match}, {sid}) does not match because the label boundary "
                        f"differs ({host!r} is not {d!r} and does not end with '.{d}')"
                    )
                return "label", (
                    f"{d} ({rule.match}, {sid}) appears inside the host, but the host belongs "
                    f"to {'.'.join(host.split('.')[-2:])}, not to {d}"
                )
        return "", None


def _without(service: Service, claimed: set[tuple[str, str | None]]) -> Service:
    kept = tuple(r for r in service.domains if (r.domain, r.path) not in claimed)
    return service if len(kept) == len(service.domains) else replace(service, domains=kept)
