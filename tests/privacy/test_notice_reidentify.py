"""The DPO pack reflects the configuration; re-identification needs the secret and is audited."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sentinelle.cli import main
from sentinelle.errors import PrivacyError
from sentinelle.privacy import Pseudonymizer, load_or_create_secret
from sentinelle.privacy.reidentify import reidentify
from tests.inventory.conftest import DhcpHospital


def test_notice_and_register_in_french_and_english(
    dhcp_hospital: DhcpHospital, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(dhcp_hospital.store, store)
    CliRunner().invoke(
        main, ["privacy", "settings", "--retention", "9m", "--k", "7", "--store", str(store)]
    )
    out = tmp_path / "pack"
    r = CliRunner().invoke(
        main,
        [
            "privacy",
            "notice",
            "--store",
            str(store),
            "--out",
            str(out),
            "--establishment",
            "CH de Test",
            "--dpo",
            "dpo@ch-test.fr",
        ],
    )
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"{d}.{lang}.{f}"
        for d in ("notice", "register")
        for lang in ("en", "fr")
        for f in ("html", "md")
    ]
    fr = (out / "notice.fr.md").read_text()
    assert "**9 mois**" in fr and "moins de 7 postes ou moins de 7 utilisateurs" in fr
    assert "journaux DHCP" in fr and "inventaire des postes" in fr and "dpo@ch-test.fr" in fr
    en = (out / "register.en.md").read_text()
    assert "Detailed pseudonymized data: 9 months" in en and "fewer than 7 workstations" in en
    assert "DHCP leases" in en and "login-name pseudonym" in en and "art. 6(1)(e)" in en
    assert "| Purpose |" in en and "| Security measures |" in en
    html = (out / "register.fr.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html and 'lang="fr"' in html
    r = CliRunner().invoke(
        main,
        [
            "privacy",
            "notice",
            "--store",
            str(store),
            "--out",
            str(out),
            "--lang",
            "en",
            "--format",
            "md",
            "--legal-basis",
            "legitimate-interest",
        ],
    )
    assert "art. 6(1)(f)" in (out / "register.en.md").read_text()


def test_notice_without_a_store_uses_defaults(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main,
        [
            "privacy",
            "notice",
            "--store",
            str(tmp_path / "none"),
            "--out",
            str(tmp_path / "p"),
            "--lang",
            "fr",
            "--format",
            "md",
        ],
    )
    assert r.exit_code == 0
    text = (tmp_path / "p" / "register.fr.md").read_text()
    assert "12 mois" in text and "sentinelle privacy settings" in text


def test_reidentify_finds_the_candidate_and_audits(tmp_path: Path) -> None:
    secret = tmp_path / "keys" / "secret.key"
    p = Pseudonymizer(load_or_create_secret(secret))
    token = p.pseudonym("workstation", "pc-car-0001")
    assert token is not None
    cands = tmp_path / "inv.csv"
    cands.write_text(
        "ip,hostname,site,department,role\n10.1.0.1,PC-CAR-0002,a,b,c\n10.1.0.2,PC-CAR-0001,a,b,c\n"
    )
    res = reidentify(token, ["PC-CAR-0002", "PC-CAR-0001"], "incident SSI 2026-114", secret)
    assert res.identity == "PC-CAR-0001"
    r = CliRunner().invoke(
        main,
        [
            "privacy",
            "reidentify",
            token,
            "--candidates",
            str(cands),
            "--why",
            "incident SSI 2026-114, accord DPO",
            "--secret",
            str(secret),
        ],
    )
    assert r.exit_code == 0 and "PC-CAR-0001" in r.output
    r = CliRunner().invoke(
        main,
        [
            "privacy",
            "reidentify",
            "w_" + "0" * 24,
            "--candidates",
            str(cands),
            "--why",
            "incident SSI 2026-115",
            "--secret",
            str(secret),
        ],
    )
    assert r.exit_code == 7
    lines = [
        json.loads(x) for x in (secret.parent / "reidentify-audit.log").read_text().split("\n") if x
    ]
    assert [x["matched"] for x in lines] == [True, True, False]
    assert all({"when", "who", "why", "pseudonym"} <= set(x) for x in lines)
    assert "PC-CAR-0001" not in (secret.parent / "reidentify-audit.log").read_text()
    assert oct(os.stat(secret.parent / "reidentify-audit.log").st_mode & 0o777) == "0o600"


def test_reidentify_refuses_without_secret_or_reason(tmp_path: Path) -> None:
    with pytest.raises(PrivacyError, match="no secret"):
        reidentify("w_" + "1" * 24, ["x"], "a good enough reason", tmp_path / "missing.key")
    with pytest.raises(PrivacyError, match="why"):
        reidentify("w_" + "1" * 24, ["x"], "because", tmp_path / "missing.key")
    assert not (tmp_path / "missing.key").exists()  # never created by re-identification
