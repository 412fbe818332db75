"""The written Squid logs: strict native format, junk accounting, traps, ground truth."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import ipaddress
import re
from collections import Counter
from pathlib import Path

import zstandard

from sentinelle.simulate import HospitalConfig, SimulationResult, simulate
from sentinelle.simulate.config import default_profile
from sentinelle.simulate.truth import Truth
from tests.simulate.conftest import read_lines

# %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
NATIVE = re.compile(
    rb"^(?P<ts>\d{10}\.\d{3}) (?P<el> {5}\d| {4}\d{2}| {3}\d{3}| {2}\d{4}| \d{5}|\d{6,}) "
    rb"(?P<ip>[0-9.]+|[0-9a-f:]+) (?P<code>[A-Z_]+)/(?P<st>\d{3}) (?P<size>\d+) "
    rb"(?P<m>[A-Z]+) (?P<url>\S+) (?P<user>[a-z0-9]+|-) "
    rb"(?P<hier>HIER_DIRECT/[0-9a-f.:]+|HIER_NONE/-) (?P<mime>[a-z]+/[a-z-]+|-)$"
)


def parse(res: SimulationResult) -> tuple[list[re.Match[bytes]], list[bytes], int]:
    valid, bad, blank = [], [], 0
    for path in res.logs["squid"]:
        for line in read_lines(path):
            if not line:
                blank += 1
            elif m := NATIVE.match(line):
                valid.append(m)
            else:
                bad.append(line)
    return valid, bad, blank


def host_of(m: re.Match[bytes]) -> str:
    url = m["url"].decode()
    if "://" in url:
        url = url.split("://", 1)[1].split("/", 1)[0]
    return url.rsplit(":", 1)[0].rstrip(".").lower() if ":" in url else url.rstrip(".").lower()


def test_every_line_is_native_except_the_injected_garbage(default_run: SimulationResult) -> None:
    valid, bad, blank = parse(default_run)
    assert len(bad) == default_run.garbage > 0
    assert blank == default_run.blank
    assert len(valid) == default_run.events
    assert len(valid) + len(bad) + blank == default_run.lines


def test_lines_are_sorted_and_ips_are_addresses(default_run: SimulationResult) -> None:
    for path in default_run.logs["squid"]:
        ts = [float(m["ts"]) for line in read_lines(path) if (m := NATIVE.match(line))]
        assert ts == sorted(ts), path
    valid, _, _ = parse(default_run)
    ips = {m["ip"].decode() for m in valid}
    assert all(ipaddress.ip_address(ip) for ip in ips)
    assert any(":" in ip for ip in ips)


def test_connect_lines_have_no_mime_and_denials_no_server(default_run: SimulationResult) -> None:
    valid, _, _ = parse(default_run)
    for m in valid:
        if m["m"] == b"CONNECT":
            assert re.fullmatch(rb"[^/]+:\d+", m["url"])
            # a denial carries the proxy's error page; a tunnel has no MIME type
            assert (m["mime"] == b"text/html") if m["code"] == b"TCP_DENIED" else m["mime"] == b"-"
        if m["code"] == b"TCP_DENIED":
            assert m["hier"] == b"HIER_NONE/-"
        if m["st"] == b"407":
            assert m["user"] == b"-"


def test_ai_lines_in_the_logs_are_exactly_the_truth(default_run: SimulationResult) -> None:
    prof = default_profile()
    service_of = {
        h: s
        for s, spec in prof["services"].items()
        for h in [*spec["hosts"], *spec.get("auxiliary", {})]
    }
    valid, _, _ = parse(default_run)
    seen = Counter(service_of[h] for m in valid if (h := host_of(m)) in service_of)
    truth = Truth.load(default_run.truth)
    assert seen == Counter(h.service for h in truth.hits)
    assert sum(seen.values()) == default_run.ai_hits


def test_traps_are_present(default_run: SimulationResult) -> None:
    text = b"\n".join(b"\n".join(read_lines(p)) for p in default_run.logs["squid"])
    for trap in (
        b"utm_source=chatgpt.com",
        b"ref=perplexity.ai",
        b"TCP_DENIED/407",
        b"TCP_DENIED/403",
        b"HIER_NONE/-",
        b"error:transaction-end-before-headers",
        b"https://",
        b":443/",
    ):
        assert trap in text, trap
    assert re.search(rb" (CHATGPT\.COM|Chatgpt\.com|chatgpt\.com\.|Chatgpt\.com\.):443 ", text)
    look = [x.encode() for x in default_profile()["lookalikes"]]
    assert sum(x in text for x in look) >= 3


def test_background_has_a_long_tail_of_hosts(default_run: SimulationResult) -> None:
    valid, _, _ = parse(default_run)
    hosts = Counter(host_of(m) for m in valid)
    assert len(hosts) > 2000
    methods = Counter(m["m"] for m in valid)
    assert 0.8 < methods[b"CONNECT"] / len(valid) < 0.9


def test_month_boundary_and_unknown_workstations(default_run: SimulationResult) -> None:
    names = [p.name for p in default_run.logs["squid"]]
    assert names[0] == "access-2026-07-31.log" and names[-1] == "access-2026-08-31.log"
    truth = Truth.load(default_run.truth)
    periods = {r["period"]: r for r in truth.metrics(by=["period"])}
    assert set(periods) == {"2026-07", "2026-08"}
    # the pinned session at 2026-07-31T22:30Z is in August, local time
    assert any(h.ts_ms == 1785537000000 for h in truth.hits)
    depts = {r["department"] for r in truth.metrics(by=["department"])}
    assert "unknown" in depts


def test_inventory_has_cidr_rows_and_a_more_specific_row(default_run: SimulationResult) -> None:
    rows = default_run.inventory.read_text("utf-8").splitlines()
    assert rows[0] == "ip,hostname,site,department,role"
    nets = [ipaddress.ip_network(r.split(",")[0], strict=False) for r in rows[1:]]
    cidrs = [n for n in nets if n.num_addresses > 1]
    assert cidrs
    assert any(
        n.num_addresses == 1 and n.subnet_of(c)
        for n in nets
        for c in cidrs  # type: ignore[arg-type]
        if n.version == c.version
    )
    assert any(n.version == 6 for n in nets)


def test_same_seed_same_bytes_other_seed_other_bytes(
    tmp_path: Path, small_config: HospitalConfig
) -> None:
    def digest(out: Path, config: HospitalConfig) -> str:
        res = simulate(out, config)
        h = hashlib.sha256()
        for p in [*res.logs["squid"], res.inventory, res.truth]:
            h.update(p.read_bytes())
        return h.hexdigest()

    first = digest(tmp_path / "a", small_config)
    assert digest(tmp_path / "b", small_config) == first
    other = HospitalConfig(**{**small_config.__dict__, "seed": 7})
    assert digest(tmp_path / "c", other) != first


def test_compressed_logs_have_the_same_content(
    tmp_path: Path, small_config: HospitalConfig
) -> None:
    plain = simulate(tmp_path / "plain", small_config)
    openers = {
        "gz": gzip.decompress,
        "bz2": bz2.decompress,
        "zst": lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b),
    }
    for comp, decompress in openers.items():
        res = simulate(tmp_path / comp, small_config, compress=comp)
        assert [p.name for p in res.logs["squid"]] == [
            p.name + "." + comp for p in plain.logs["squid"]
        ]
        for a, b in zip(plain.logs["squid"], res.logs["squid"], strict=True):
            assert decompress(b.read_bytes()) == a.read_bytes()
        assert (res.lines, res.garbage) == (plain.lines, plain.garbage)


def test_rerun_into_the_same_directory_replaces_old_logs(tmp_path: Path) -> None:
    simulate(tmp_path, HospitalConfig(workstations=50, lines=5000, month="2026-02"))
    res = simulate(tmp_path, HospitalConfig(workstations=50, lines=5000, month="2026-03"))
    assert sorted((tmp_path / "logs" / "squid").iterdir()) == sorted(res.logs["squid"])
