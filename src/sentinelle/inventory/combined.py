"""Every attribution source at once: :func:`load_attributor` builds one :class:`Attributor`.

Precedence, for one log event (source address, source host name, time, user name):

1. **DHCP at the time of the event**: the lease that covered the source address at that moment
   names a host; the inventory (CSV, then GLPI) by that host name gives site, department and
   role.  A host the inventories do not know keeps the DHCP name as its identity, and takes the
   site/department/role of the address's network row when there is one.
2. **Static address**: the most specific network row (inventory CSV and GLPI addresses merged;
   the CSV wins where both map the same network).
3. **Host name in the log** (formats that log the client's name): the inventory by host name.
4. **Directory**: when the log carries a user name found in the directory export, the user's
   department, role and site fill whatever steps 1–3 left ``unknown`` — never override them.

Identity (what ``workstations`` counts, pseudonymized before storage): the inventory host name
when one is mapped, else the DHCP host name, else the log's host name, else the source address.
An event is *attributed* when any of site, department or role is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sentinelle.inventory import UNKNOWN, Attribution, Inventory, Row, normalize_host
from sentinelle.inventory.dhcp import DNSMASQ_LEASE, WINDOWS_LEASE, LeaseTable, Problem, load_leases

if TYPE_CHECKING:  # imported when their source is given
    from sentinelle.inventory.directory import Directory

__all__ = ["AttributionSources", "CombinedAttributor", "load_attributor"]


@dataclass(frozen=True)
class AttributionSources:
    """The attribution files to use; every one is optional."""

    inventory: Path | None = None
    glpi: Path | None = None
    glpi_map: Path | None = None
    dhcp: tuple[Path, ...] = ()
    directory: Path | None = None
    role_rules: Path | None = None
    tz: str = "Europe/Paris"  # Windows DHCP audit logs are in the server's local time
    windows_lease: timedelta = WINDOWS_LEASE
    dnsmasq_lease: timedelta = DNSMASQ_LEASE

    def kinds(self) -> list[str]:
        """The kinds of source in use (recorded in the store for the DPO notice)."""
        used = {
            "inventory": self.inventory,
            "glpi": self.glpi,
            "dhcp": self.dhcp,
            "directory": self.directory,
        }
        return [k for k, v in used.items() if v]


@dataclass
class CombinedAttributor:
    """The :class:`~sentinelle.inventory.Attributor` over all sources (precedence above)."""

    inventory: Inventory
    leases: LeaseTable | None = None
    directory: Directory | None = None
    kinds: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._static = lru_cache(maxsize=1 << 16)(self._static_attribution)
        self._by_host = lru_cache(maxsize=1 << 16)(self.inventory.row_for_host)

    def attribute(
        self,
        ip: str | None,
        hostname: str | None = None,
        when: datetime | None = None,
        user: str | None = None,
    ) -> Attribution:
        who = None
        if self.leases is not None and ip and when is not None:
            leased = self.leases.hostname_at(ip, when)
            if leased:
                who = self._dhcp_attribution(leased, ip)
        if who is None:
            who = self._static(ip, hostname)
        if self.directory is not None and user and UNKNOWN in (who.site, who.department, who.role):
            who = self._fill_from_directory(who, user)
        return who

    def _dhcp_attribution(self, leased: str, ip: str) -> Attribution:
        row = self._by_host(leased)
        if row is not None:
            return _from_row(row, row.hostname or leased)
        net = self.inventory.row_for_address(ip)
        if net is not None:
            return _from_row(net, leased)
        return Attribution(leased, UNKNOWN, UNKNOWN, UNKNOWN, False)

    def _static_attribution(self, ip: str | None, hostname: str | None) -> Attribution:
        row = self.inventory.row_for_address(ip) if ip else None
        if row is not None:
            return _from_row(row, row.hostname or ip)
        if hostname:
            row = self._by_host(hostname)
            if row is not None:
                return _from_row(row, row.hostname or normalize_host(hostname))
        ident = ip or (normalize_host(hostname) if hostname else None)
        return Attribution(ident, UNKNOWN, UNKNOWN, UNKNOWN, False)

    def _fill_from_directory(self, who: Attribution, user: str) -> Attribution:
        entry = self.directory.lookup(user) if self.directory is not None else None
        if entry is None:
            return who
        site = who.site if who.site != UNKNOWN else entry.site
        dep = who.department if who.department != UNKNOWN else entry.department
        role = who.role if who.role != UNKNOWN else entry.role
        known = any(v != UNKNOWN for v in (site, dep, role))
        return replace(who, site=site, department=dep, role=role, known=known)


def _from_row(row: Row, identity: str | None) -> Attribution:
    known = row.site != UNKNOWN or row.department != UNKNOWN or row.role != UNKNOWN
    return Attribution(identity, row.site, row.department, row.role, known)


def load_attributor(sources: AttributionSources) -> CombinedAttributor:
    """Read every given source; bad rows are skipped and listed in ``problems``."""
    inventory = Inventory.load(sources.inventory)
    problems: list[Problem] = []
    if sources.glpi is not None:
        from sentinelle.inventory.glpi import GlpiMap, load_glpi

        glpi = load_glpi(sources.glpi, GlpiMap.load(sources.glpi_map))
        inventory = inventory.merged(glpi.inventory)
        problems += glpi.problems
    leases = None
    if sources.dhcp:
        leases = load_leases(sources.dhcp, sources.tz, sources.windows_lease, sources.dnsmasq_lease)
        problems += leases.problems
    directory = None
    if sources.directory is not None:
        from sentinelle.inventory.directory import Directory, RoleRules

        directory = Directory.load(sources.directory, RoleRules.load(sources.role_rules))
        problems += directory.problems
    return CombinedAttributor(inventory, leases, directory, sources.kinds(), problems)
