"""GLPI export + mapping, directory + role rules, and how the combined attributor ranks them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinelle.errors import ConfigError, InventoryError
from sentinelle.inventory.combined import AttributionSources, load_attributor
from sentinelle.inventory.directory import Directory, RoleRules
from sentinelle.inventory.glpi import GlpiMap, load_glpi

GLPI = (
    '\ufeff"Nom";"Entité";"Statut";"Lieu";"Réseau - Adresses IP"\n'
    '"PC-CAR-0001";"CHU > Site Nord";"En service";"Bâtiment A > Cardiologie";"10.1.0.10\n'
    'fe80::1\n2001:db8:1::10"\n'
    '"PC-SEC-0002";"CHU > Site Nord";"En service";"Bâtiment A > Cardiologie > Secrétariat";'
    '"10.1.0.11$$##$$10.1.0.12"\n'
    '"";"CHU";"";"";"10.9.9.9"\n'
    '"PC-URG-0003";"CHU > Site Sud";"";"Urgences";"10.2.0.5, 10.2.0.x"\n'
    '"PC-OLD-0004";"CHU > Site Sud";"";"";"10.2.0.5"\n'
)
GLPI_MAP = """\
- {entity: "CHU > Site Nord", site: Nord}
- {entity: "chu > site sud", site: Sud}
- {location: "Batiment A > Cardiologie", department: cardiologie, role: Médecin}
- {location: "Bâtiment A > Cardiologie > Secrétariat", role: Secrétaire médicale}
- {entity: "CHU > Site Sud", location: "Urgences", department: urgences}
"""


@pytest.fixture
def glpi(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "glpi.csv").write_text(GLPI, "utf-8")
    (tmp_path / "glpi-map.yaml").write_text(GLPI_MAP, "utf-8")
    return tmp_path / "glpi.csv", tmp_path / "glpi-map.yaml"


def test_glpi_export_and_mapping(glpi: tuple[Path, Path]) -> None:
    res = load_glpi(glpi[0], GlpiMap.load(glpi[1]))
    inv = res.inventory
    sec = inv.row_for_address("10.1.0.12")
    assert sec is not None and sec.hostname == "pc-sec-0002"
    assert (sec.site, sec.department, sec.role) == ("Nord", "cardiologie", "Secrétaire médicale")
    car = inv.row_for_host("PC-CAR-0001.chu.local")  # the short name matches
    assert car is not None and (car.site, car.department, car.role) == (
        "Nord",
        "cardiologie",
        "Médecin",
    )
    assert inv.row_for_address("2001:db8:1::10") == car
    assert inv.row_for_address("fe80::1") is None  # link-local ignored
    urg = inv.row_for_address("10.2.0.5")
    assert urg is not None and (urg.hostname, urg.site, urg.department) == (
        "pc-urg-0003",
        "Sud",
        "urgences",
    )
    problems = {p.line: p.message for p in res.problems}
    # rows are CSV records (a multi-line cell is one row; the header is row 1)
    assert set(problems) == {4, 5, 6}  # no name, a bad address, an address given twice
    assert "10.2.0.x" in problems[5] and "pc-urg-0003" in problems[6]
    assert res.computers == 4 and res.unmapped == 1


def test_glpi_without_a_name_column(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text("Serial;Lieu\nX;Y\n")
    with pytest.raises(InventoryError, match="Name/Nom"):
        load_glpi(tmp_path / "g.csv")


def test_glpi_mapping_rule_needs_a_key(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("- {site: Nord}\n")
    with pytest.raises(ConfigError, match="rule 1"):
        GlpiMap.load(tmp_path / "m.yaml")


@pytest.mark.parametrize(
    "title,role",
    [
        ("Secrétaire médicale", "Secrétaire médicale"),
        ("SECRETAIRE MEDICALE", "Secrétaire médicale"),
        ("secrétaire  Médicale principale", "Secrétaire médicale"),
        ("Assistante médico-administrative", "Secrétaire médicale"),
        ("Interne en médecine", "Interne"),
        ("Médecin urgentiste", "Médecin"),
        ("Praticien hospitalier", "Médecin"),
        ("Cadre de santé infirmier", "Cadre de santé"),
        ("Infirmière", "Infirmier·e"),
        ("IDE", "Infirmier·e"),
        ("Aide-soignante", "Aide-soignant·e"),
        ("Sage-femme", "Sage-femme"),
        ("Technicien informatique", "Informatique"),
        ("Adjoint administratif", "Administratif"),
        ("Astronaute", None),
    ],
)
def test_bundled_role_rules(title: str, role: str | None) -> None:
    assert RoleRules.load().role(title) == role


def test_own_role_rules_come_first(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("rules:\n  - {match: 'astronaute|interne', role: Autre}\n")
    rules = RoleRules.load(tmp_path / "r.yaml")
    assert rules.role("Astronaute") == "Autre" and rules.role("Interne") == "Autre"
    (tmp_path / "bad.yaml").write_text("- {match: '(unclosed', role: X}\n")
    with pytest.raises(ConfigError, match="rule 1"):
        RoleRules.load(tmp_path / "bad.yaml")


DIRECTORY = """\
sAMAccountName;Service;Fonction
jdupont;Cardiologie;Secrétaire médicale
amartin;Urgences;Interne en médecine
;Urgences;Infirmière
amartin;Pédiatrie;Médecin
bnoel;DSI;Chef de projet
"""


def test_directory_rows_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "dir.csv").write_text(DIRECTORY)
    d = Directory.load(tmp_path / "dir.csv")
    entry = d.lookup("CHU\\JDupont")
    assert entry is not None and (entry.department, entry.role) == (
        "Cardiologie",
        "Secrétaire médicale",
    )
    assert d.lookup("amartin@chu.fr").role == "Interne"  # type: ignore[union-attr]
    assert sorted(p.line for p in d.problems) == [4, 5]
    assert d.unmatched_titles == {"Chef de projet": 1}


def test_directory_header_needs_a_user_column(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("service,fonction\nA,B\n")
    with pytest.raises(InventoryError, match="user column"):
        Directory.load(tmp_path / "d.csv")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_precedence(tmp_path: Path, glpi: tuple[Path, Path]) -> None:
    (tmp_path / "inv.csv").write_text(
        "ip,hostname,site,department,role\n"
        "10.40.0.0/16,,Nord,pool-wifi,unknown\n"
        ",pc-dyn-0001,Nord,pédiatrie,Interne\n"
        "10.1.0.10,PC-CSV-0001,Nord,cardiologie,Interne\n"
    )
    (tmp_path / "dhcpd.leases").write_text(
        "lease 10.40.0.7 {\n starts 3 2026/08/05 06:00:00;\n ends 4 2026/08/06 06:00:00;\n"
        ' client-hostname "PC-DYN-0001";\n}\n'
        "lease 10.40.0.8 {\n starts 3 2026/08/05 06:00:00;\n ends 4 2026/08/06 06:00:00;\n"
        ' client-hostname "PC-NOT-INVENTORIED";\n}\n'
    )
    (tmp_path / "dir.csv").write_text(DIRECTORY)
    attr = load_attributor(
        AttributionSources(
            inventory=tmp_path / "inv.csv",
            glpi=glpi[0],
            glpi_map=glpi[1],
            dhcp=(tmp_path / "dhcpd.leases",),
            directory=tmp_path / "dir.csv",
        )
    )
    assert attr.kinds == ["inventory", "glpi", "dhcp", "directory"]
    # 1. DHCP at the time -> host name -> inventory by host name
    who = attr.attribute("10.40.0.7", None, at("2026-08-05T12:00:00"))
    assert (who.identity, who.department, who.role) == ("pc-dyn-0001", "pédiatrie", "Interne")
    # outside the lease: the static CIDR row, identity = the address
    who = attr.attribute("10.40.0.7", None, at("2026-08-07T12:00:00"))
    assert (who.identity, who.department) == ("10.40.0.7", "pool-wifi")
    # a DHCP host the inventories do not know: its name, the network's row
    who = attr.attribute("10.40.0.8", None, at("2026-08-05T12:00:00"))
    assert (who.identity, who.department) == ("pc-not-inventoried", "pool-wifi")
    # 2. static address: the CSV wins over GLPI for the same address
    assert attr.attribute("10.1.0.10").identity == "pc-csv-0001"
    assert attr.attribute("10.1.0.11").identity == "pc-sec-0002"  # GLPI
    # 4. the directory fills what is unknown, never overrides
    who = attr.attribute("10.40.0.9", None, at("2026-08-07T12:00:00"), "jdupont")
    assert (who.department, who.role, who.known) == ("pool-wifi", "Secrétaire médicale", True)
    who = attr.attribute("192.0.2.1", None, None, "CHU\\amartin")
    assert (who.identity, who.department, who.role, who.site) == (
        "192.0.2.1",
        "Urgences",
        "Interne",
        "unknown",
    )
    assert attr.attribute("192.0.2.1", None, None, "nobody").known is False
    # 3. a host name logged by the proxy
    assert attr.attribute(None, "PC-CAR-0001").department == "cardiologie"
