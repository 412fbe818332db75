"""No user name or workstation name of the simulated hospital is in the store or any output."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner

from sentinelle.cli import main
from tests.inventory.conftest import DhcpHospital


def _identities(h: DhcpHospital) -> tuple[set[str], set[str]]:
    users: set[str] = set()
    hosts: set[str] = set()
    with h.sim.truth.open() as fh:
        for row in csv.DictReader(fh):
            if row["user"]:
                users.add(row["user"])
            if not row["identity"][0].isdigit() and ":" not in row["identity"]:
                hosts.add(row["identity"])
    with h.sim.inventory.open() as fh:
        hosts |= {r["hostname"] for r in csv.DictReader(fh) if r["hostname"]}
    return users, hosts


def _outputs(h: DhcpHospital, tmp: Path) -> list[Path]:
    store = tmp / "store"
    shutil.copytree(h.store, store)
    run = CliRunner().invoke
    outs = []
    for ext in ("csv", "json", "parquet"):
        out = tmp / f"export.{ext}"
        assert (
            run(
                main,
                [
                    "export",
                    "--by",
                    "period,service,department,role,site",
                    "--store",
                    str(store),
                    "--out",
                    str(out),
                ],
            ).exit_code
            == 0
        )
        outs.append(out)
    out = tmp / "shared.csv"
    assert (
        run(
            main,
            ["export", "--by", "service,role", "--share", "--store", str(store), "--out", str(out)],
        ).exit_code
        == 0
    )
    outs.append(out)
    r = run(main, ["report", "--store", str(store), "--out", str(tmp / "report.html")])
    assert r.exit_code == 0, r.output
    outs.append(tmp / "report.html")
    assert (
        run(
            main, ["privacy", "notice", "--store", str(store), "--out", str(tmp / "pack")]
        ).exit_code
        == 0
    )
    outs += sorted((tmp / "pack").iterdir())
    r = run(main, ["attribution", "check", "--store", str(store), "--json"])
    (tmp / "check.json").write_text(r.output)
    outs.append(tmp / "check.json")
    assert run(main, ["purge", "--older-than", "1m", "--store", str(store)]).exit_code == 0
    outs += sorted(p for p in store.rglob("*") if p.is_file())
    return outs


def test_no_clear_identity_anywhere(dhcp_hospital: DhcpHospital, tmp_path: Path) -> None:
    users, hosts = _identities(dhcp_hospital)
    assert len(users) > 50 and len(hosts) > 50
    for path in [
        *(p for p in dhcp_hospital.store.rglob("*") if p.is_file()),
        *_outputs(dhcp_hospital, tmp_path),
    ]:
        data = path.read_bytes().lower()
        for name in hosts:
            assert name.lower().encode() not in data, (path, name)
        for name in users:
            # short names could occur by chance in compressed binary pages; text outputs are
            # checked for every name
            if len(name) >= 6 or path.suffix in (".csv", ".json", ".md", ".html"):
                assert f"{name}".encode() not in data, (path, name)
