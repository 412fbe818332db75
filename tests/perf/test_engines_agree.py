"""The fast engine stores exactly what the reference engine stores, line for line."""

from __future__ import annotations

import bz2 as bz2_module
import contextlib
import gzip
import json
import os
import random
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from sentinelle.inputs import discover
from sentinelle.scan import ScanOptions, blocks, enrich, fast, parallel, scan
from sentinelle.simulate import writers
from tests.perf import _checkpoint as checkpoint_shapes
from tests.perf import _dnsmasq as dnsmasq_shapes
from tests.perf import _elff as elff
from tests.perf import _forcepoint as forcepoint_shapes
from tests.perf import _netskope as netskope
from tests.perf import _paloalto as paloalto_shapes
from tests.perf import _windows_dns as windows_dns_shapes
from tests.perf._fortigate import (
    TRAFFIC_SHAPES,
    UTM_7_SHAPES,
    app_ctrl,
    dns_filter,
    dns_query_7,
    dns_response_7,
    traffic,
    utm_7,
)
from tests.perf.conftest import garbage_log, scan_with, stored
from tests.scan.conftest import INVENTORY, LINES
from tests.scan.conftest import line as scan_line


@pytest.fixture(params=["native", "native, parts in Python", "portable"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fast engine's two ways of finding the lines to parse (see scan/fast.py), the native
    one with and without the C loop of the enrichment by parts (``scan/_parts.c``)."""
    native = request.param != "portable"
    if native and not fast.NATIVE:
        pytest.skip("the C extension is not built")
    monkeypatch.setattr(fast, "NATIVE", native)
    monkeypatch.setattr(fast, "PARTS_NATIVE", request.param == "native" and fast.PARTS_NATIVE)
    return str(request.param)


def _both(tmp_path: Path, paths: list[str], jobs: int = 2, **options: object) -> None:
    secret = tmp_path / "secret.key"
    ref = scan_with(paths, tmp_path / "ref", "reference", 1, secret=secret, **options)
    got = scan_with(paths, tmp_path / "fast", "fast", jobs, secret=secret, **options)
    for table in ref:
        assert got[table] == ref[table], table
    assert ref["files"] and any(ref[t] for t in ("hits", "rejects"))


def _reports_of_both(tmp_path: Path, log: Path, fmt: str) -> tuple[Any, Any]:
    """``log`` scanned by both engines with two workers: the same stored rows, hits and
    rejects among them; their reports (the reference's, the fast path's)."""
    secret, reports = tmp_path / "secret.key", {}
    for name, how in (("ref", "reference"), ("fast", "fast")):
        options = ScanOptions(engine=how, jobs=2, format=fmt, secret=secret)
        reports[name] = scan([str(log)], tmp_path / name, options)
    rows = stored(tmp_path / "ref")
    assert stored(tmp_path / "fast") == rows and rows["hits"] and rows["rejects"]
    return reports["ref"], reports["fast"]


def test_hand_written_month(tmp_path: Path, engine: str) -> None:
    log = tmp_path / "access.log"
    log.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory)


def test_byte_counts_beyond_64_bits_are_stored_as_unknown(tmp_path: Path, engine: str) -> None:
    """A reply size no count can be (20 digits; 4,400, beyond what int() reads; 2**63), on
    lines of an AI service that the native engine enriches by parts and on others: the scan
    goes on, the event is counted and stored, its bytes unknown; 2**63 - 1 is kept."""
    sizes = [str(10**19), "1" * 4400, str(2**63), str(2**63 - 1), "0", "12"]
    log = tmp_path / "access.log"
    lines = [
        scan_line(f"2026-08-03T08:00:{i:02d}", "10.1.0.10", "TCP_MISS/200", size, "GET", url)
        for i, size in enumerate(sizes)
        for url in ("https://chatgpt.com/c", "https://www.example.org/")
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory)
    con = duckdb.connect(str(tmp_path / "fast" / "sentinelle.duckdb"), read_only=True)
    try:
        got = con.execute("SELECT bytes_in FROM hits ORDER BY seq").fetchall()
        files = con.execute("SELECT lines, events, rejected FROM files").fetchall()
    finally:
        con.close()
    assert [b for (b,) in got] == [None, None, None, 2**63 - 1, 0, 12]
    assert files == [(len(lines), len(lines), 0)]


def test_policy_exclusions_blocked_and_shared_lines(tmp_path: Path, engine: str) -> None:
    """Excluded sources, blocked requests and shared-evidence hosts on lines that the native
    engine enriches by parts (one host name): the same rows and counts as the reference."""
    log = garbage_log(tmp_path / "access.log", 3000, seed=12, mutate=0.02)
    with log.open("a", encoding="utf-8") as out:
        for i in range(400):
            client = ("10.2.5.7", "10.1.0.10", "pc-sec-01", "10.0.250.9")[i % 4]
            host = ("chatgpt.com", "x.ai", "claude.ai", "www.openai.com")[i % 3]
            code = ("TCP_TUNNEL/200", "TCP_DENIED/403", "TCP_DENIED/407")[i % 5 % 3]
            out.write(
                f"{1785536580 + 97 * i}.{i % 1000:03d} 12 {client} {code} {i} CONNECT "
                f"{host}:443 {('-', 'jdupont', 'a%20user')[i % 3]} HIER_DIRECT/192.0.2.1 -\n"
            )
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "default: unsanctioned\nexclude_sources: [10.2.5.7, 10.0.250.0/24, pc-sec-01]\n",
        encoding="utf-8",
    )
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory, policy=policy)
    con = duckdb.connect(str(tmp_path / "fast" / "sentinelle.duckdb"), read_only=True)
    try:  # each case was met (the rows and counts equal the reference's, checked above)
        counts = con.execute(
            "SELECT sum(excluded_events), sum(shared_events) FROM files"
        ).fetchone()
        blocked = con.execute("SELECT count(DISTINCT blocked) FROM hits").fetchone()
    finally:
        con.close()
    assert counts is not None and min(counts) > 0
    assert blocked == (2,)


def test_paths_of_one_scheme_and_host(tmp_path: Path, engine: str) -> None:
    """Lines of one ``scheme://host`` with different paths: the native engine enriches them by
    method and URL up to the path (BY_HOST) only when no path rule is written for the host;
    a path rule (github.com/copilot, www.bing.com/chat) decides each line as the parser does."""
    log = garbage_log(tmp_path / "access.log", 500, seed=13, mutate=0.0)
    hosts = ("github.com", "www.bing.com", "chatgpt.com", "GitHub.com", "m365.cloud.microsoft")
    paths = ("/copilot", "/copilot/x?q=1", "/features", "/chat", "/", "?q=/chat", "#/chat", "")
    with log.open("a", encoding="utf-8") as out:
        for i in range(600):
            host, path = hosts[i % len(hosts)], paths[i * 7 % len(paths)]
            method = ("GET", "POST", "CONNECT")[i % 11 % 3]
            port = ("", ":443", ":8080")[i % 13 % 3]
            out.write(
                f"{1785536580 + 61 * i}.{i % 1000:03d} 12 10.1.0.10 TCP_MISS/200 {i} {method} "
                f"{('https', 'http')[i % 2]}://{host}{port}{path} jdupont HIER_DIRECT/192.0.2.1 -\n"
            )
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory)
    con = duckdb.connect(str(tmp_path / "fast" / "sentinelle.duckdb"), read_only=True)
    try:  # both kinds of host were met (the rows equal the reference's, checked above)
        services = {row[0] for row in con.execute("SELECT DISTINCT service FROM hits").fetchall()}
    finally:
        con.close()
    assert {"github-copilot", "chatgpt"} <= services


def test_the_urls_of_a_path_rule_host_are_decided_once_each(tmp_path: Path, engine: str) -> None:
    """Cisco WSA lines of hosts with a path rule (www.bing.com/chat, github.com/copilot), a
    ``scheme://host`` URL of two names: the fast engine parses the first line of each method
    and URL, then only the lines of those that match (a tunnel's ``CONNECT
    tunnel://www.bing.com:443/``, written again and again, is counted without the parser).
    Some lines come through syslog (its header, the subscription's tag and the level before
    the record): the method and URL are those of the record."""
    urls = (
        ("CONNECT", "tunnel://www.bing.com:443/"),
        ("CONNECT", "tunnel://github.com:443/"),
        ("GET", "https://www.bing.com/search?q=meteo"),
        ("GET", "https://www.bing.com/chat"),  # Copilot: a match
        ("POST", "https://github.com/copilot/c/1"),  # a match
        ("GET", "https://github.com/features"),
    )
    lines = []
    for i in range(600):
        method, url = urls[i % len(urls)]
        host = url.split("/")[2].split(":")[0]
        header = ("", "Aug  1 07:00:00 wsa01 accesslogs: Info: ", "<14>Aug  1 07:00:00 wsa01 ")
        lines.append(
            f"{header[i % 7 % 3]}"
            f"{1785536580 + 61 * i}.{i % 1000:03d} 12 10.1.0.10 TCP_MISS/200 {100 + i} {method} "
            f'{url} "CHU\\jdupont@NTLM" DIRECT/{host} text/html '
            f'PASSTHRU_WEBCAT_7-DefaultGroup-CHU.ID-NONE <IW_comp,4.2,"0","-"> -'
        )
    lines.insert(300, "not a WSA line")
    log = tmp_path / "aclog.current"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory, format="cisco-wsa")
    got = scan(
        [str(log)],
        tmp_path / "again",
        ScanOptions(engine="fast", jobs=1, format="cisco-wsa", secret=tmp_path / "secret.key"),
    ).files[0]
    assert (got.lines, got.events, got.ai_events) == (601, 600, 200)
    if engine == "portable":  # (the WSA's usual line is the native walker's only)
        assert not got.fast_path and got.parsed_lines == 601
    else:  # the malformed line and every line of the two URLs that match (a URL's first line,
        # parsed to decide it, is not stored: not counted)
        assert got.fast_path and got.parsed_lines == 1 + 200


def test_time_dependent_attribution(tmp_path: Path, engine: str) -> None:
    """With DHCP leases a workstation depends on each line's time: the discovery candidates
    that are otherwise counted per distinct client (see fast._NativeScanner._discoveries) are
    then counted line by line, and both engines still agree."""
    log = garbage_log(tmp_path / "access.log", 3000, seed=11, mutate=0.0)
    with log.open("a", encoding="utf-8") as out:  # a candidate's lines across the leases
        for i in range(24 * 12):
            client = "10.2.5.7" if i % 3 else "10.1.0.10"
            out.write(
                f"{1785536580 + 300 * i}.000 12 {client} TCP_TUNNEL/200 99 CONNECT "
                f"my-ai-notes.io:443 - HIER_DIRECT/192.0.2.1 -\n"
            )
    leases = tmp_path / "dhcpd.leases"
    leases.write_text(  # 10.2.5.7 changes hands during the log (it spans 2026-07-31 22:23 on)
        "lease 10.2.5.7 {\n starts 5 2026/07/31 23:00:00;\n ends 6 2026/08/01 03:00:00;\n"
        ' client-hostname "PC-DYN-0001";\n}\n'
        "lease 10.2.5.7 {\n starts 6 2026/08/01 03:00:00;\n ends 6 2026/08/01 09:00:00;\n"
        ' client-hostname "PC-DYN-0002";\n}\n',
        encoding="utf-8",
    )
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    _both(tmp_path, [str(log)], inventory=inventory, dhcp=(leases,))
    candidates = stored(tmp_path / "fast")["discovery"]
    workstations = {row[3] for row in candidates if row[2] == "my-ai-notes.io"}
    assert len(workstations) >= 4  # the leases' two names, and the addresses outside them


@pytest.mark.parametrize(
    ("crlf", "final_newline"), [(False, True), (True, True), (False, False), (True, False)]
)
def test_garbage_laden_logs(
    tmp_path: Path, crlf: bool, final_newline: bool, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinelle.scan import reader

    monkeypatch.setattr(reader, "READ_BLOCK", 777)  # the reference reader's blocks cut lines
    log = garbage_log(tmp_path / "access.log", 3000, seed=7, crlf=crlf, final_newline=final_newline)
    _both(tmp_path, [str(log)])


def test_small_blocks_split_ranges_and_gzip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Block and range boundaries fall everywhere, hits are spilled to Arrow as they come, the
    host table is emptied again and again; several files, plain and gzip, in parallel."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(enrich, "SPILL_ROWS", 3)
    monkeypatch.setattr(fast, "HOST_SLOTS", 4)  # the host table fills up and starts again
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    logs = tmp_path / "logs"
    logs.mkdir()
    garbage_log(logs / "a.log", 2000, seed=1)
    garbage_log(logs / "b.log", 1500, seed=2, final_newline=False)
    plain = garbage_log(tmp_path / "c.log", 2500, seed=3, crlf=True)
    (logs / "c.log.gz").write_bytes(gzip.compress(plain.read_bytes()))
    _both(tmp_path, [str(logs)], jobs=2)


def test_one_gzip_stream_shared_by_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """A single .gz file is inflated once and fed to both workers block by block: the same
    rows, rejects (with their global line numbers), counts and fingerprint."""
    from sentinelle import inputs

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(enrich, "SPILL_ROWS", 3)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    monkeypatch.setattr(inputs, "CHUNK", 5000)  # chunk and block boundaries apart
    merged: list[int] = []  # blocks merged, by the scans
    add = parallel._Merger.add
    monkeypatch.setattr(parallel._Merger, "add", lambda self, p: merged.append(1) or add(self, p))
    plain = garbage_log(tmp_path / "one.log", 4000, seed=21, crlf=True)
    gz = tmp_path / "one.log.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    _both(tmp_path, [str(gz)], jobs=2)
    assert len(merged) > 10  # the fast scan was fed block by block
    whole = scan_with([str(plain)], tmp_path / "plain", "fast", 1, secret=tmp_path / "secret.key")
    striped = stored(tmp_path / "fast")

    def content(row: tuple[object, ...]) -> tuple[object, ...]:  # without compression and size
        return row[:3] + row[4:6] + row[7:]

    # the .gz is the same content as the plain file: fingerprint, counts, times
    assert [content(r) for r in striped["files"]] == [content(r) for r in whole["files"]]


@pytest.mark.parametrize(
    ("kind", "jobs", "files"),
    [("plain", 1, 1), ("gz", 1, 1), ("gz", 2, 1), ("gz", 2, 3)],
    ids=["plain", "gz, --jobs 1", "gz, a worker's thread", "gz, between blocks"],
)
def test_the_stored_fingerprint_is_the_contents_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, kind: str, jobs: int, files: int
) -> None:
    """The fast path hashes the content on the thread that walks it (not on a .gz's inflating
    thread, see ``SlotInflater``): each stored fingerprint is the identity of the file's content
    computed apart (``inputs.fingerprint``), whether the file is inflated on a thread of its own
    (``--jobs 1``; one file for two workers) or between its blocks (more files than workers),
    with many blocks and content chunks whose boundaries fall apart."""
    from sentinelle import inputs

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(inputs, "CHUNK", 5000)
    logs = tmp_path / "logs"
    logs.mkdir()
    paths = []
    for i in range(files):
        plain = garbage_log(logs / f"{i}.log", 1500 + 500 * i, seed=40 + i, final_newline=i != 1)
        if kind == "gz":
            plain.with_suffix(".log.gz").write_bytes(gzip.compress(plain.read_bytes()))
            plain.unlink()
        paths.append(logs / (plain.name + (".gz" if kind == "gz" else "")))
    expected = {inp.name: inputs.fingerprint(inp) for inp in discover([str(p) for p in paths])}
    scan([str(p) for p in paths], tmp_path / "store", ScanOptions(engine="fast", jobs=jobs))
    con = duckdb.connect(str(tmp_path / "store" / "sentinelle.duckdb"), read_only=True)
    try:
        got = dict(con.execute("SELECT name, fingerprint FROM files").fetchall())
    finally:
        con.close()
    assert got == expected


def test_one_gzip_stream_on_two_cores_is_read_by_one_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """With one core left beside the decompressing thread (two cores), a single compressed file
    is not fed: one worker reads it with its own decompressing thread (``FileRunner._fed``),
    and stores what the reference stores."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    fed: list[object] = []
    feed = parallel.FileRunner._feed
    monkeypatch.setattr(
        parallel.FileRunner, "_feed", lambda self, u: fed.append(u) or feed(self, u)
    )
    plain = garbage_log(tmp_path / "one.log", 4000, seed=22)
    gz = tmp_path / "one.log.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    _both(tmp_path, [str(gz)], jobs=2)
    bz2 = tmp_path / "bz2" / "one.log.bz2"  # decompressed on the worker's thread too
    bz2.parent.mkdir()
    bz2.write_bytes(bz2_module.compress(plain.read_bytes()))
    _both(bz2.parent, [str(bz2)], jobs=2)
    assert not fed
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 3)  # two workers beside it: fed
    scan_with([str(gz)], tmp_path / "three", "fast", 2, secret=tmp_path / "secret.key")
    assert len(fed) == 1


def test_gzip_files_inflated_by_the_workers_with_and_without_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """With a file for every worker, a worker inflates a .gz between its blocks; the last
    ``jobs`` files, which may run while other workers are done, keep an inflating thread.
    Both ways store what the reference stores."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(enrich, "SPILL_ROWS", 3)
    modes = _inflation_modes(monkeypatch)
    logs = tmp_path / "logs"
    logs.mkdir()
    for k in range(5):
        plain = garbage_log(tmp_path / f"{k}.log", 900 + 300 * k, seed=40 + k, crlf=k == 2)
        (logs / f"day-{k}.log.gz").write_bytes(gzip.compress(plain.read_bytes()))
    _both(tmp_path, [str(logs)], jobs=2)
    assert [modes[f"day-{k}.log.gz"] for k in range(5)] == [False, False, False, True, True]


def _inflation_modes(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """File name -> whether the scan gives its unit an inflating thread (filled as it plans)."""
    modes: dict[str, bool] = {}
    units = parallel.FileRunner._units

    def spy(self: Any, i: int, inp: Any, fmt: Any, year: int, thread: bool) -> Any:
        modes[Path(inp.path).name] = thread
        return units(self, i, inp, fmt, year, thread)

    monkeypatch.setattr(parallel.FileRunner, "_units", spy)
    return modes


def test_a_gzip_file_inflated_without_a_thread_that_breaks_off_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinelle.errors import UnreadableInputError

    modes = _inflation_modes(monkeypatch)
    logs = tmp_path / "logs"
    logs.mkdir()
    for k in range(4):
        data = gzip.compress(garbage_log(tmp_path / f"{k}.log", 2000, seed=50 + k).read_bytes())
        (logs / f"day-{k}.log.gz").write_bytes(data[: len(data) // 2] if k == 0 else data)
    with pytest.raises(UnreadableInputError, match=r"day-0\.log\.gz"):
        scan_with([str(logs)], tmp_path / "store", "fast", 2, secret=tmp_path / "k")
    assert modes["day-0.log.gz"] is False  # the broken file was inflated between blocks


@pytest.mark.parametrize("final_newline", [True, False])
def test_a_fed_stream_with_lines_longer_than_a_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, final_newline: bool
) -> None:
    """Lines longer than a block (and than a shared slot) go to the workers whole, wherever they
    fall; the last line may have no newline.  So with one job, where the file is inflated on a
    thread of its own (on a machine of more than one core) into the scan's buffers."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    data = _long_lines(tmp_path / "one.log", 5, final_newline, (3, 400, 900))
    gz = tmp_path / "one.log.gz"
    gz.write_bytes(gzip.compress(data))
    _both(tmp_path, [str(gz)], jobs=2)
    _both(tmp_path / "one job", [str(gz)], jobs=1)


def _long_lines(path: Path, seed: int, final_newline: bool, where: tuple[int, ...]) -> bytes:
    """A garbage log whose lines ``where`` and last line are made 5,000-14,000 bytes long."""
    lines = garbage_log(path, 1500, seed=seed, final_newline=final_newline).read_bytes()
    split = lines.split(b"\n")
    for at in (*where, len(split) - 1):
        split[at] = split[at] + b" " + b"x" * (5000 + 3000 * (at % 4))
    path.write_bytes(b"\n".join(split))
    return path.read_bytes()


@pytest.mark.parametrize("final_newline", [True, False])
def test_a_plain_file_with_lines_longer_than_a_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, final_newline: bool
) -> None:
    """A plain file's read buffer grows for a line longer than it (twice, for the longest),
    in a whole file and in ranges; the last line may have no newline."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    plain = tmp_path / "one.log"
    _long_lines(plain, 8, final_newline, (0, 3, 700))
    _both(tmp_path, [str(plain)], jobs=2)
    _both(tmp_path / "one job", [str(plain)], jobs=1)


def test_a_fed_stream_that_breaks_off_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentinelle.errors import UnreadableInputError

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    data = gzip.compress(garbage_log(tmp_path / "one.log", 3000, seed=6).read_bytes())
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableInputError, match=r"cut\.log\.gz"):
        scan_with([str(cut)], tmp_path / "store", "fast", 2, secret=tmp_path / "k")


@pytest.mark.parametrize(
    ("chunk", "step"),
    [(None, None), (4096, None), (777, None), (10**9, None), (4096, 4096), (777, 4096)],
)
def test_a_split_file_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None, step: int | None
) -> None:
    """Ranges read in parallel give the fingerprint and line numbers of a whole read, wherever
    the fingerprint's chunk boundaries fall (a range hashes the chunks that start in it); with
    ``step``, guided ranges of multiples of it (many more than the workers, taken in turn)."""
    from sentinelle import inputs

    if chunk is not None:
        monkeypatch.setattr(inputs, "CHUNK", chunk)
    if step is not None:
        monkeypatch.setattr(parallel, "RANGE", step)
    monkeypatch.setattr(blocks, "BLOCK", 1024)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    log = garbage_log(tmp_path / "access.log", 4000, seed=11)
    ranges = len(parallel._cuts(discover([str(log)])[0], 2)) - 1
    assert ranges > 10 if step is not None else ranges == 2
    whole = scan_with([str(log)], tmp_path / "one", "fast", 1, secret=tmp_path / "k")
    split = scan_with([str(log)], tmp_path / "two", "fast", 2, secret=tmp_path / "k")
    assert split == whole


def test_a_range_shorter_than_the_quick_key_gives_the_whole_files_quick_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first range hashes the file's first 64 KB for its quick key, past its own end."""
    from sentinelle.inputs import QUICK_BYTES

    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    log = garbage_log(tmp_path / "access.log", 900, seed=12)
    assert QUICK_BYTES < log.stat().st_size < 2 * QUICK_BYTES  # two ranges, each shorter
    whole = scan_with([str(log)], tmp_path / "one", "fast", 1, secret=tmp_path / "k")
    split = scan_with([str(log)], tmp_path / "two", "fast", 2, secret=tmp_path / "k")
    assert split == whole


def test_simulated_hospital(tmp_path: Path, engine: str) -> None:
    from sentinelle import simulate

    config = simulate.HospitalConfig(workstations=150, lines=40_000, seed=5)
    sim = simulate.simulate(tmp_path / "sim", config, formats=("squid",))
    files = [str(p) for p in sim.logs["squid"]]
    _both(tmp_path, files, inventory=sim.inventory, tz=config.tz)
    assert stored(tmp_path / "fast")["hits"]


@pytest.fixture(scope="module")
def every_format(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sentinelle import simulate

    config = simulate.HospitalConfig(
        workstations=60, lines=6_000, seed=9, ai_share=0.05, garbage_share=0.004
    )
    out = tmp_path_factory.mktemp("every") / "sim"
    return config, simulate.simulate(out, config, formats=sorted(writers.WRITERS))


@pytest.mark.parametrize("name", sorted(writers.WRITERS))
def test_every_formats_simulated_hospital(tmp_path: Path, every_format: Any, name: str) -> None:
    """Formats without a fast profile are read by the reference reader inside the fast engine;
    the guard holds for any profile added later."""
    config, sim = every_format
    files = [str(p) for p in sim.logs[name]]
    _both(tmp_path, files, inventory=sim.inventory, tz=config.tz)


#: a device's header before its record in the simulator's lines: ``<PRI>``, maybe RFC 5424's
#: (its host and app) or RFC 3164's
_DEVICE_HEADER = re.compile(
    r"^<\d+>(?:1 \S+ (?P<host>\S+) (?P<app>\S+) \S+ \S+ (?:- )?|(?P<bsd>(?=[A-Z][a-z]{2} )))?"
)
#: headers no usual line starts with: the parser's lines among the relayed ones
_ODD_HEADERS = (
    "Feb 30 10:00:00 fw01 ",
    "Aug  2 10:00:00 ",
    "Aug  2 10:00:00 2026 ",
    "Aug  2 10:00:00 2001:db8::1 ",
    "Aug  2 10:00:00 relay Aug  2 10:00:00 fw01 ",
    "2026-08-02T10:00:00+0200 fw01 ",
)


def _relay(name: str, record: str, n: int) -> tuple[str, bool]:
    """``record`` (a simulated line of ``name``) as a syslog server writes it in its files,
    and whether its header is one of :data:`_ODD_HEADERS`: the device's ``<PRI>`` dropped, its
    RFC 3164 header kept (PAN-OS', OPNsense's); or else a header of the server's, RFC 3164 or
    rsyslog's RFC 3339, with the device's tag (CEF's app, Stormshield's ``asqd``)."""
    m = _DEVICE_HEADER.match(record)
    if m is not None and m["bsd"] is not None:  # an RFC 3164 header: kept, without the <PRI>
        return record[m.end() :], False
    rest = record if m is None else record[m.end() :]  # (None: bare, or a malformed line)
    app = (
        m["app"]
        if m is not None and m["app"]
        else {"stormshield": "asqd", "zscaler": "nss"}.get(name)
    )
    app = None if app == "-" else app
    if n % 97 == 13:
        return _ODD_HEADERS[n % len(_ODD_HEADERS)] + rest, True
    sender = ("fw-chu.example.fr", "10.0.0.1", "FGT01")[n % 3]
    if n % 2:
        header = f"Aug {1 + n % 28:2d} {n % 24:02d}:{n % 60:02d}:{n % 59:02d} {sender} "
    else:
        header = f"2026-08-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00.{n:06d}+02:00 {sender} "
    return header + (f"{app}[{n}]: " if app and n % 3 else f"{app}: " if app else "") + rest, False


@pytest.mark.parametrize(
    "name",
    ["fortigate", "sophos", "stormshield", "cef", "leef", "zscaler", "paloalto", "opnsense-squid"],
)
def test_records_written_by_a_syslog_server(
    tmp_path: Path, every_format: Any, engine: str, name: str
) -> None:
    """The simulated records as a syslog server writes them in its files: without the
    device's ``<PRI>``, behind the device's RFC 3164 header or the server's own (RFC 3164 or
    RFC 3339, the time received, the sender's name or address, the device's tag), a few headers
    of another shape among them (no host, a number, an IPv6 sender, stacked headers, an
    impossible day).  Both engines store the same rows; the native walker counts the records
    behind the usual headers (``syslog_prefix``, ``relay_headers``)."""
    config, sim = every_format
    files, lines, parser_lines = [], 0, 0
    for k, path in enumerate(sim.logs[name]):
        out = []
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
        for n, record in enumerate(text.splitlines()):
            relayed, odd = _relay(name, record, n)
            out.append(relayed)
            parser_lines += odd
        target = tmp_path / f"relayed-{k}{Path(path).suffix}"
        target.write_text("\n".join(out) + "\n", encoding="utf-8", errors="surrogateescape")
        files.append(str(target))
        lines += len(out)
    assert name in ("paloalto", "opnsense-squid") or parser_lines > 20
    _both(tmp_path, files, inventory=sim.inventory, tz=config.tz, format=name)
    if engine != "portable":
        report = scan(
            files,
            tmp_path / "again",
            ScanOptions(
                inventory=sim.inventory, tz=config.tz, secret=tmp_path / "k.key", format=name
            ),
        )
        assert report.total("parsed_lines") < parser_lines + lines / 8


def test_a_local_time_format_is_read_whole_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """FortiGate lines without ``tz`` are read in --tz, the repeated autumn hour resolved by the
    lines before: a file of them is never cut into ranges nor fed to several workers, so the
    fast scan resolves (and flags) the same times as the reference, among usual lines."""
    from sentinelle.formats import get_format

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    assert not fast.divisible(get_format("fortigate")) and fast.divisible(get_format("squid"))
    lines = []
    for k in range(400):  # 01:50 to 03:10 local, twice through 02:00-03:00
        minute = (110 + k // 3) if k < 200 else (120 + (k - 200) // 3)
        stamp = f"2026-10-25 time={minute // 60:02d}:{minute % 60:02d}:{k % 60:02d}"
        host = "chatgpt.com" if k % 7 == 0 else f"site{k % 13}.example.fr"
        tz = ' tz="+0200"' if k % 5 == 0 and k < 200 else ""
        lines.append(
            f'<189>date={stamp} devname="F" devid="F1" logid="0317013312" type="utm" '
            f'subtype="webfilter" eventtype="ftgd_allow" level="notice" vd="root" '
            f"eventtime=1{tz} policyid=1 sessionid={k} srcip=10.1.0.{k % 200 + 1} srcport=5 "
            f'dstip=104.18.32.47 dstport=443 proto=6 service="HTTPS" user="u{k % 3}" '
            f'hostname="{host}" profile="p" action="passthrough" reqtype="direct" url="/" '
            f'sentbyte=1 rcvdbyte=2 direction="outgoing" httpmethod="GET"'
        )
    _both_whole_and_gzip(tmp_path, lines, "fortigate")


#: the hosts of the mixed firewall files below: two AI services, three others
MIXED_HOSTS = [
    "chatgpt.com",
    "claude.ai",
    "site1.example.fr",
    "site2.example.fr",
    "cdn.example.org",
]


def test_fortigate_web_filter_application_control_dns_and_traffic_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """The usual FortiGate records (the simulator writes web filter records, and few traffic
    records): application control records and DNS filter responses (DNS queries, counted so)
    with and without their optional parts, DNS filter queries (skipped), traffic records of
    several versions (events without a host name, counted so; with one, of an AI service or
    not), web filter, application control and DNS filter records in FortiOS 7's header (free
    pairs with the host name; some with a URL the parser reads a host from), some of AI
    services, some broken: both engines store the same (lines, events, DNS queries,
    events without a host, hits), whole, in blocks and gzipped."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    hosts = MIXED_HOSTS
    lines = []
    for k in range(300):
        clock = f"{8 + k // 60:02d}:{k % 60:02d}:{k * 7 % 60:02d}"
        host = hosts[k % len(hosts)]
        if k % 6 in (1, 5):
            raw = dns_filter(
                "2026-03-02",
                clock,
                "+0100",
                host=host,
                event="dns-query" if k % 7 == 0 else "dns-response",
                addresses="" if k % 4 == 0 else ' ipaddr="104.18.32.47"',
                category="" if k % 3 == 0 else ' cat=52 catdesc="IT"',
                user=f' user="u{k % 4}"' if k % 5 == 0 else "",
                srcmac=' srcmac="a2:e9:00:ec:40:01"' if k % 2 else "",
            ).decode()
        elif k % 6 == 3:  # traffic: without a host, or with one, some not numbers
            fields = TRAFFIC_SHAPES[k % len(TRAFFIC_SHAPES)].decode().split(' vd="root" ')[1]
            fields = fields.split(' tz="+0200" ')[-1]
            if k % 5 == 0:
                fields += f' hostname="{host}"'
            if k % 7 == 0:
                fields = fields.replace("sentbyte=", "sentbyte=x")
            version = 7 if k % 4 == 1 else 6
            raw = traffic("2026-03-02", clock, "+0100", fields=fields, version=version).decode()
        elif k % 3:
            raw = app_ctrl(
                "2026-03-02",
                clock,
                "+0100",
                host=host,
                url="/backend-api/conversation" if k % 4 else "/",
                user=f' user="u{k % 4}" group="staff"' if k % 5 else "",
                action="block" if k % 11 == 0 else "pass",
                cert=f' scertcname="{host}"' if k % 2 else "",
                action_last=k % 8 == 2,
            ).decode()
        elif k % 6 == 0 and k % 4:  # FortiOS 7: its fields are free pairs with the host
            shape = UTM_7_SHAPES[k % len(UTM_7_SHAPES)].decode().split(' vd="root" ')[1]
            shape = shape.replace('"chat.example.fr"', f'"{host}"')
            if k % 5 == 0:
                shape = shape.replace('url="/"', 'url="https://chat.example.fr/"')
            raw = utm_7("2026-03-02", clock, "+0100", fields=shape.replace("{", "{{")).decode()
        else:
            raw = (
                f'<189>date=2026-03-02 time={clock} devname="F" devid="F1" logid="0317013312" '
                'type="utm" subtype="webfilter" eventtype="ftgd_allow" level="notice" '
                f'vd="root" eventtime=1 tz="+0100" policyid=1 sessionid={k} '
                f"srcip=10.1.0.{k % 200 + 1} srcport=5 dstip=104.18.32.47 dstport=443 proto=6 "
                f'service="HTTPS" user="u{k % 3}" hostname="{host}" profile="p" '
                'action="passthrough" reqtype="direct" url="/" sentbyte=1 rcvdbyte=2 '
                'direction="outgoing" httpmethod="GET"'
            )
        if k % 37 == 5:  # broken: a host the parser refuses, an unfinished quote
            raw = raw.replace('hostname="', 'hostname="a..') if k % 2 else raw[:-9]
        lines.append(raw)
        if k % 50 == 7:  # FortiOS 7's DNS filter queries (skipped), one of them broken
            lines.append(dns_query_7(f" n={k}" if k % 100 == 7 else ' n="x').decode())
        if k % 10 == 3:  # FortiOS 7's DNS filter responses, some of AI services, one broken
            more = ' dstport="x"' if k % 100 == 13 else f" n={k}"
            lines.append(dns_response_7(more, host=host).decode())
    _both_whole_and_gzip(tmp_path, lines, "fortigate")


def test_pan_os_url_traffic_and_other_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """PAN-OS records in several layouts (BSD and IETF headers, the High Resolution Timestamp
    at several columns, quoted user agents): URL records of AI services or not (some with a
    port, a URL the walker leaves to the parser), decryption records (their Server Name
    Indication, or the certificate's name), traffic records (events without a host name),
    other threats (skipped), PAN-OS 9 records without the timestamp (local times: parsed), the
    offset changing in the autumn, broken ones: both engines store the same, whole and
    gzipped."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    hosts = MIXED_HOSTS
    headers = [paloalto_shapes.BSD, paloalto_shapes.BSD_NO_PRI, paloalto_shapes.IETF]
    lines = []
    for k in range(300):
        minute = 90 + k // 2  # 01:30 to 04:00 local on the autumn change
        clock = f"2026-10-25T{minute // 60:02d}:{minute % 60:02d}:{k % 60:02d}.{k:03d}"
        hires = clock + ("+02:00" if minute < 180 else "+01:00")
        at = (100, 80, 60)[k % 3]
        width = 70 if k % 9 == 4 else at + 10  # 70: PAN-OS 9, no timestamp
        header = headers[k % 3]
        host = hosts[k % len(hosts)]
        if k % 4 == 1:
            subtype = "" if k % 8 == 1 else "end"
            raw = paloalto_shapes.traffic_record(header, subtype, hires=hires, at=at, columns=width)
        elif k % 10 == 6:
            raw = paloalto_shapes.url_record(header, "", hires, at, width, "virus", "", "")
        elif k % 10 == 8:  # decryption: its name a host, or none (the certificate's then)
            sni = host if k % 3 else ""
            raw = paloalto_shapes.decryption_record(header, sni, hires=hires, at=at, columns=width)
        else:
            url = f'"{host}:443/"' if k % 5 == 0 else f'"{host}/backend-api/c"'
            if k % 11 == 3:
                url = f'"{host}/r?u=https://chat.example.fr/"'
            raw = paloalto_shapes.url_record(header, url, hires, at, width)
        if k % 37 == 5:  # broken: cut in the middle, bytes sent not a number
            raw = raw[:90] if k % 2 else raw.replace(b",7734,1758,", b",7734,x,")
        lines.append(raw.decode())
    _both_whole_and_gzip(tmp_path, lines, "paloalto")


def test_check_point_url_filtering_and_firewall_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Check Point records with their keys in several orders: URL Filtering records of AI
    services or not (some with a port, a URL without a scheme, an ``http_host``), firewall
    records (events without a host name), records without a time or a destination, broken
    ones: both engines store the same, whole and gzipped."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    hosts = MIXED_HOSTS
    lines = []
    for k in range(300):
        when = f'time:"{1772439245 + 7 * k}"'
        host = hosts[k % len(hosts)]
        if k % 3 == 1:
            pairs = [p for p in checkpoint_shapes.FIREWALL if not p.startswith("time:")]
            pairs.insert(k % len(pairs), when)
            if k % 7 == 0:
                pairs.append(f'http_host:"{host}"')
        else:
            url = f"https://{host}/backend-api/c" if k % 5 else f"http://{host}:8080/?q={k}"
            if k % 11 == 3:
                url = f"{host}/no-scheme"
            pairs = [
                p
                for p in checkpoint_shapes.URL_FILTERING
                if not p.startswith(("time:", "resource:"))
            ]
            pairs[k % len(pairs) : k % len(pairs)] = [when, f'resource:"{url}"']
        if k % 13 == 4:  # no time (the header's) or no destination
            pairs = [p for p in pairs if not p.startswith("time:" if k % 2 else "dst:")]
        raw = checkpoint_shapes.record(*pairs).decode()
        if k % 37 == 5:  # broken: cut in the middle, bytes not a number
            raw = raw[:120] if k % 2 else raw.replace('bytes:"7475"', 'bytes:"x"')
        lines.append(raw)
    _both_whole_and_gzip(tmp_path, lines, "checkpoint")


def _both_whole_and_gzip(
    tmp_path: Path, lines: list[str], fmt: str, mtime: int | None = None
) -> None:
    """``lines`` as a plain file and as a .gz (cut into ranges, fed: if the format allowed
    it), each scanned by both engines with two workers."""
    import os

    plain = tmp_path / f"{fmt}.log"
    plain.write_text("\n".join(lines) + "\n")
    gz = tmp_path / "gz" / f"{fmt}.log.gz"
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, gz):
        if mtime is not None:  # the year of dates that have none
            os.utime(path, (mtime, mtime))
    _both(tmp_path / "plain", [str(plain)], jobs=2, format=fmt)
    _both(tmp_path / "gz", [str(gz)], jobs=2, format=fmt)


def test_a_file_whose_parser_reads_lines_in_order_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """BIND logged through syslog without print-time: a year-less date takes the year after a
    December line, and the lines of the new year are dated by the lines before them. Such a
    file is neither cut into ranges nor fed block by block, so the new year's lines get the
    same year in both engines."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    lines = []
    for k in range(600):
        day, second = ("Dec 31 23:5", k) if k < 150 else ("Jan  1 00:0", k - 150)
        stamp = f"{day}{second // 60 % 10}:{second % 60:02d}"
        host = "chatgpt.com" if k % 5 == 0 else f"site{k % 11}.example.fr"
        lines.append(
            f"{stamp} ns1 named[123]: client @0x55d 10.1.0.{k % 200 + 1}#53530 ({host}): "
            f"query: {host} IN A + (10.0.0.1)"
        )
    _both_whole_and_gzip(tmp_path, lines, "bind", mtime=1_760_000_000)  # 2025


def test_a_clf_time_orders_lines_by_date_across_blocks_ranges_and_offsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Squid ``combined`` lines whose CLF times sort otherwise as text (``31/Jul`` after
    ``01/Aug``), out of order across small blocks, cut into ranges and fed, and an offset that
    changes in October: every engine stores the reference's first and last times and lines."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    monkeypatch.setattr(parallel, "FEED_MIN", 1000)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)  # fed (see FileRunner._fed)
    days = ["01/Aug/2026", "31/Jul/2026", "15/Jul/2026", "30/Sep/2026", "25/Oct/2026"]
    lines = []
    for k in range(800):
        day = days[(k // 60) % len(days)]  # a block holds ~30 lines: some hold one day
        hour = 1 + k % 3  # 25 October: 01:00 +0200, then 02:00 and 03:00 +0100
        zone = "+0100" if day == "25/Oct/2026" and hour > 1 else "+0200"
        host = "chatgpt.com" if k % 9 == 0 else f"site{k % 13}.example.fr"
        lines.append(
            f"10.1.0.{k % 200 + 1} - u{k % 4} [{day}:{hour:02d}:{k % 60:02d}:{k % 59:02d} "
            f'{zone}] "CONNECT {host}:443 HTTP/1.1" 200 {k} "-" "Mozilla/5.0" '
            "TCP_TUNNEL:HIER_DIRECT"
        )
    lines[5] = "10.1.0.1 - u [31/Jul/2026:25:00:00 +0200] broken"  # rejected: counted as such
    lines.append(lines[-1].replace("15/Jul/2026", "14/Jul/2026", 1))
    _both_whole_and_gzip(tmp_path, lines, "squid-combined")


#: how the mixed files of header-named layouts below spoil some lines: (what is appended
#: every 13th line, what replaces what every 17th, the line inserted before every 23rd)
_Spoils = tuple[str, tuple[str, str], str]


def _layout_file(
    sequence: list[tuple[str, tuple[str, ...], int]],
    line: Callable[[tuple[str, ...], int, str | None], str],
    spoils: _Spoils,
) -> list[str]:
    """For each (header, layout, count), the header (if any) then ``count`` lines of the layout
    (``line``), with new hosts in every block (a walk cut at a header meets them first), a
    ``NotChecked`` host, extra values, a replaced value, lines cut short and lines between."""
    out, k = [], 0
    extra, (old, new), between = spoils
    for head, layout, count in sequence:
        if head:
            out.append(head)
        for _ in range(count):
            k += 1
            host = None if k % 3 else f"new{k}.example.org"
            text = line(layout, k, "NotChecked" if k % 29 == 0 else host)
            if k % 13 == 0:
                text += extra
            if k % 17 == 0:
                text = text.replace(old, new, 1)
            if k % 19 == 0:
                text = text[: len(text) // 2]
            if k % 23 == 0:
                out.append(between)
            out.append(text)
    return out


def test_elff_layouts_named_mid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """W3C and Blue Coat files whose ``#Fields:`` header names other layouts mid-file: with a
    usual line or without (the parser alone, until a layout with one), the same again, behind
    a syslog header; data lines before any header, ProxySG's header-less ``main`` lines, extra
    columns, impossible dates, broken lines; in blocks of 4 KiB, so that the headers fall
    anywhere in a block: both engines store the same, whole and gzipped."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    layouts, no_usual = elff.LAYOUTS, elff.NO_USUAL
    wsa, tmg = layouts["WSA W3C"], layouts["TMG-like: r-host, r-port and a path"]
    epoch, custom = (
        layouts["epoch, cs-host and a combined status"],
        layouts["ProxySG custom: cs(host), a full URL, x-cs-userip"],
    )
    main, iis = layouts["ProxySG main"], no_usual["IIS: no host, no URL with one"]
    swapped = layouts["ProxySG main, the host and the supplier swapped"]
    syslog = "<13>Aug  1 12:00:00 proxy sgos: "
    w3c = [
        ("", wsa, 3),  # before any header: rejected
        ("#Version: 1.0", wsa, 0),
        (elff.directive(wsa), wsa, 60),
        (elff.directive(tmg), tmg, 50),
        (elff.directive(iis), iis, 30),
        (elff.directive(epoch), epoch, 40),
        (elff.directive(epoch), epoch, 40),
        (syslog + elff.directive(custom), custom, 50),
        (elff.directive(wsa), wsa, 30),
    ]
    spoils = (' extra "free text" x', ("2026-08-", "2026-02-3"), "#Remark: rotated")  # no day
    (tmp_path / "w3c").mkdir()
    _both_whole_and_gzip(tmp_path / "w3c", _layout_file(w3c, elff.line, spoils), "w3c")
    bluecoat = [
        ("", main, 30),  # no header: SGOS main
        (elff.directive(custom), custom, 50),
        (elff.directive(main), main, 50),
        (elff.directive(swapped), swapped, 40),
        (elff.directive(iis), iis, 20),
        (elff.directive(main), main, 40),
    ]
    (tmp_path / "bluecoat").mkdir()
    lines = _layout_file(bluecoat, elff.line, spoils)
    _both_whole_and_gzip(tmp_path / "bluecoat", lines, "bluecoat")


@pytest.mark.parametrize("fmt", ["w3c", "netskope"])
def test_lines_after_a_layout_without_a_usual_line_are_walked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """After lines of a layout without a usual line (the parser's, one by one), a header of a
    layout with one: the lines after it are walked again, only the headers and the first
    layout's lines parsed (none of the lines names an AI service)."""
    if not fast.NATIVE:
        pytest.skip("the C extension is not built")
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    kind = elff if fmt == "w3c" else netskope
    none, usual = (
        (elff.NO_USUAL["IIS: no host, no URL with one"], elff.LAYOUTS["ProxySG main"])
        if fmt == "w3c"
        else (netskope.NO_USUAL["no x-cs-timestamp"], netskope.LAYOUTS["the simulator's"])
    )
    head = elff.directive if fmt == "w3c" else netskope.header
    lines = [head(none), *(kind.line(none, k, "site1.example.fr") for k in range(20))]
    lines += [head(usual), *(kind.line(usual, k, "site1.example.fr") for k in range(200))]
    log = tmp_path / f"{fmt}.log"
    log.write_text("\n".join(lines) + "\n")
    got = scan([str(log)], tmp_path / "store", ScanOptions(jobs=1, format=fmt)).files[0]
    assert (got.lines, got.events, got.parsed_lines) == (222, 220, 22)


def test_the_layouts_of_a_format_share_one_host_table() -> None:
    """A file naming many layouts keeps one host table for them all (32 MiB each otherwise)
    and a bounded number of their scanners: memory stays flat."""
    if not fast.NATIVE:
        pytest.skip("the C extension is not built")
    from zoneinfo import ZoneInfo

    from sentinelle.catalog import load_catalog
    from sentinelle.formats import ParseContext, get_format
    from sentinelle.privacy import Pseudonymizer
    from sentinelle.scan.reader import FileResult

    fmt = get_format("w3c")
    en = enrich.Enricher(load_catalog(), INVENTORY, Pseudonymizer(b"k" * 32), ZoneInfo("UTC"))
    scanner = fast.new_scanner(
        fmt, ParseContext(path="t.log"), en, FileResult(), fast.database(fmt, en.catalog)
    )
    wsa = elff.LAYOUTS["WSA W3C"]
    count = fast._LAYOUTS_KEPT + 16
    for i in range(count):
        # another usual line each time: i more columns
        layout = (*wsa, *(f"x-extra-{j}" for j in range(i)))
        text = [
            elff.directive(layout),
            *(elff.line(layout, k, "site1.example.fr") for k in range(5)),
        ]
        assert scanner.scan(("\n".join(text) + "\n").encode()) == 6
    assert (scanner.res.lines, scanner.res.events, scanner.res.parsed) == (
        6 * count,
        5 * count,
        count,
    )
    assert len(en.memo.scanners) == 1
    assert len(scanner._scanners) <= fast._LAYOUTS_KEPT  # type: ignore[union-attr]


def test_netskope_csv_layouts_named_mid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Netskope CSV files whose header line names other layouts mid-file (with a usual line or
    without), JSON records among the CSV ones, lines before any header, ``NotChecked`` hosts,
    values that look like a header's, quoted values, extra columns, broken lines; in blocks of
    4 KiB: both engines store the same, whole and gzipped."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    typical, sni = (
        netskope.LAYOUTS["the simulator's"],
        netskope.LAYOUTS["the SNI as the host, a URL path, a quoted user agent"],
    )
    last, no_time = (
        netskope.LAYOUTS["the policy's host, the timestamp last"],
        netskope.NO_USUAL["no x-cs-timestamp"],
    )
    swapped = netskope.LAYOUTS["the simulator's, cs-host and x-cs-sni swapped"]
    sequence = [
        ("", typical, 3),  # before any header: rejected
        (netskope.header(typical), typical, 60),
        (netskope.header(sni), sni, 50),
        (netskope.header(no_time), no_time, 30),
        (netskope.header(last), last, 40),
        (netskope.header(typical), typical, 50),
        (netskope.header(swapped), swapped, 40),
        (netskope.header(typical), typical, 20),
    ]
    spoils = (
        ',extra,"free, text"',
        ("http_transaction", "date,x-cs-sni"),  # two more values, a header's
        '{"x-cs-timestamp":"1785600000","cs-host":"chatgpt.com"}',
    )
    lines = _layout_file(sequence, netskope.line, spoils)
    _both_whole_and_gzip(tmp_path, lines, "netskope")


def _zscaler(local: datetime, host: str, k: int, **change: str) -> str:
    """A Zscaler NSS web record (the simulator's JSON template) at the naive ``local`` time."""
    record = {
        "time": local.strftime("%a %b %d %H:%M:%S %Y"),
        "login": f"u{k % 7}@chu.fr",
        "proto": "SSL",
        "eurl": f"{host}:443",
        "action": "Blocked" if k % 11 == 0 else "Allowed",
        "reqsize": str(k),
        "respsize": str(2 * k),
        "cip": "203.0.113.7",
        "cintip": f"10.1.0.{k % 200 + 1}",
        "reqmethod": "CONNECT",
        "respcode": "200",
    }
    record.update(change)
    return json.dumps({"sourcetype": "zscalernss-web", "event": record}, separators=(",", ":"))


class _ZscalerRecords:
    """Zscaler's records for :func:`_dst_lines`."""

    name, suffix = "zscaler", ".json"

    def usual(self, local: datetime, host: str, k: int) -> str:
        return _zscaler(local, host, k)

    def for_parser(self, local: datetime, k: int) -> str:
        return _zscaler(local, "None", k)  # no usual URL

    def spoiled(self, local: datetime, host: str, k: int, t: datetime, roll: float) -> str:
        """A record the parser reads (``roll`` < 0.07 of the time), else a usual one."""
        if roll < 0.03:
            return _zscaler(local, host, k, epochtime=str(int(t.timestamp())))
        if roll < 0.05:
            return _zscaler(local, host, k).replace('"eurl"', '"EURL"')
        if roll < 0.07:
            return _zscaler(local, host, k)[: 10 + k % 190]
        return _zscaler(local, host, k)

    def header(self) -> str | None:
        return None  # (one layout)


class _ForcepointRecords:
    """Forcepoint's records for :func:`_dst_lines`: a header line now and then switches
    between three layouts, one without a usual line (each header line is the parser's, and
    reads no time)."""

    name, suffix = "forcepoint", ".csv"

    def __init__(self) -> None:
        self.layout = forcepoint_shapes.TYPICAL

    def usual(self, local: datetime, host: str, k: int) -> str:
        action = "Blocked" if k % 11 == 0 else "Allowed"
        return forcepoint_shapes.record(
            self.layout, local, url=f"{host}:443/", action=action, bytes_sent=str(k)
        )

    def for_parser(self, local: datetime, k: int) -> str:
        return forcepoint_shapes.record(self.layout, local, url="-")  # no host

    def spoiled(self, local: datetime, host: str, k: int, t: datetime, roll: float) -> str:
        usual = self.usual(local, host, k)
        if roll < 0.03:  # a one-digit hour
            return usual.replace(local.strftime('","%H:'), local.strftime('","%-H:'), 1)
        if roll < 0.05:
            return usual.replace('","', '", "', 1)  # a blank after a comma
        if roll < 0.07:
            return usual[: 10 + k % 150]
        return usual

    def header(self) -> str:
        """A header line, switching to the next layout (one of them without a usual line)."""
        cycle = (forcepoint_shapes.TYPICAL, forcepoint_shapes.OTHER, forcepoint_shapes.NO_USUAL)
        self.layout = cycle[(cycle.index(self.layout) + 1) % len(cycle)]
        return forcepoint_shapes.header(self.layout)


class _WindowsDnsRecords:
    """Windows DNS's queries for :func:`_dst_lines`, day first (the parser's default order for
    slash dates of a 24-hour clock; the day of the changes, 29 March and 25 October, teaches it
    too)."""

    name, suffix = "windows-dns", ".log"

    def usual(self, local: datetime, host: str, k: int) -> str:
        return windows_dns_shapes.record(local, host, ip=f"10.1.0.{k % 200 + 1}")

    def for_parser(self, local: datetime, k: int) -> str:
        """A query the parser reads (its name in the dotted form some builds write)."""
        return windows_dns_shapes.record(local, qname=".site.example.fr.")

    def spoiled(self, local: datetime, host: str, k: int, t: datetime, roll: float) -> str:
        usual = self.usual(local, host, k)
        if roll < 0.03:  # a one-digit hour
            return usual.replace(local.strftime(" %H:"), local.strftime(" %-H:"), 1)
        if roll < 0.04:  # a response: skipped by the parser (counted so by the walker)
            return windows_dns_shapes.record(local, host, resp="R")
        if roll < 0.05:  # a query sent to a forwarder: skipped too
            return windows_dns_shapes.record(local, host, direction="Snd")
        if roll < 0.07:
            return usual[: 10 + k % 120]
        return usual

    def header(self) -> str | None:
        return None  # (the lines teach the order they are written in: see its own test)


class _DnsmasqRecords:
    """dnsmasq's queries for :func:`_dst_lines` (dates without a year: the file's, 2026 as it
    was written this year), with its other messages among them."""

    name, suffix = "dnsmasq", ".log"

    def usual(self, local: datetime, host: str, k: int) -> str:
        return dnsmasq_shapes.record(local, host, client=f"10.1.0.{k % 200 + 1}")

    def for_parser(self, local: datetime, k: int) -> str:
        """A query the parser reads (a host in the syslog header)."""
        head = f"{dnsmasq_shapes.date(local)} {local:%H:%M:%S} pihole dnsmasq[973]:"
        return dnsmasq_shapes.record(local, "site.example.fr", head=head)

    def spoiled(self, local: datetime, host: str, k: int, t: datetime, roll: float) -> str:
        usual = self.usual(local, host, k)
        if roll < 0.03:  # a fraction of a second
            return usual.replace(local.strftime(" %H:%M:%S "), local.strftime(" %H:%M:%S.5 "))
        if roll < 0.04:  # skipped by the parser (counted so by the walker)
            return dnsmasq_shapes.record(local, message=f"forwarded {host} to 127.0.0.1#5335")
        if roll < 0.05:
            return dnsmasq_shapes.record(local, message=f"reply {host} is 104.18.32.47")
        if roll < 0.07:
            return usual[: 10 + k % 60]
        return usual

    def header(self) -> str | None:
        return None  # (one layout)


_Records = _ZscalerRecords | _ForcepointRecords | _WindowsDnsRecords | _DnsmasqRecords


class _WindowsDns12hRecords(_WindowsDnsRecords):
    """The same queries as a server in the en-US locale writes them (``M/D/YYYY h:MM:SS AM``:
    its 12-hour layout, which the first query sets), the changes at 2 and 3 AM."""

    def usual(self, local: datetime, host: str, k: int) -> str:
        return windows_dns_shapes.record(
            local, host, mdy=True, twelve=True, ip=f"10.1.0.{k % 200 + 1}"
        )

    def for_parser(self, local: datetime, k: int) -> str:
        return windows_dns_shapes.record(local, mdy=True, twelve=True, qname=".site.example.fr.")

    def spoiled(self, local: datetime, host: str, k: int, t: datetime, roll: float) -> str:
        usual = self.usual(local, host, k)
        if roll < 0.03:  # written otherwise: the parser's
            return usual.replace(" AM ", " am ", 1).replace(" PM ", "PM ", 1)
        if roll < 0.04:
            return windows_dns_shapes.record(local, host, mdy=True, twelve=True, resp="R")
        if roll < 0.05:  # a 24-hour query among them: the parser's
            return windows_dns_shapes.record(local, host)
        if roll < 0.07:
            return usual[: 10 + k % 120]
        return usual


_NAIVE_KINDS = [
    _ZscalerRecords,
    _ForcepointRecords,
    _WindowsDnsRecords,
    _WindowsDns12hRecords,
    _DnsmasqRecords,
]


def _dst_lines(
    rng: random.Random, start: datetime, end: datetime, change: datetime, records: _Records
) -> list[str]:
    """Records every 1 to 15 seconds from ``start`` to ``end`` (UTC), at their Paris wall time
    (the autumn's repeated hour twice, the spring's skipped hour never, but for a device's
    clock left behind), among them AI hosts, records the parser reads (no usual URL, a time of
    another shape, cut short...) and a few out of order; header lines now and then, for a
    format of layouts.  In the 70 minutes before ``change`` (UTC), only records the walker
    counts, then (a header line, and) 25 records the parser reads: the clock must know the
    time of the walked line before them (a time read more than an hour before says nothing of
    a repeated hour)."""
    paris = ZoneInfo("Europe/Paris")
    out, k, t, run, behind = [], 0, start, 25, True
    while t < end:
        k += 1
        t += timedelta(seconds=rng.randint(1, 15))
        local = t.astimezone(paris).replace(tzinfo=None)
        host = "chatgpt.com" if k % 17 == 0 else f"site{k % 23}.example.fr"
        roll = rng.random()
        if change - timedelta(minutes=70) <= t < change:
            out.append(records.usual(local, "site.example.fr", k))  # walked: no time read
            continue
        if t >= change and run:
            if run == 25 and (line := records.header()) is not None:
                out.append(line)
            run -= 1
            out.append(records.for_parser(local, k))
            continue
        if behind and t >= change + timedelta(minutes=100):  # 40 minutes behind the time
            behind = False
            local -= timedelta(minutes=40)
        elif roll < 0.03:  # out of order, maybe across the change
            local -= timedelta(minutes=rng.randint(1, 70))
        elif roll < 0.05 and start.month == 3:  # a clock in the skipped hour
            local = local.replace(hour=2)
        elif roll < 0.06 and (line := records.header()) is not None:
            out.append(line)
        out.append(records.spoiled(local, host, k, t, rng.random()))
    return out


@pytest.mark.parametrize("tz", ["Europe/Paris", "UTC"])
@pytest.mark.parametrize("kind", _NAIVE_KINDS)
def test_a_naive_local_time_across_dst_changes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
    tz: str,
    kind: type[_Records],
) -> None:
    """Zscaler's ``time`` and Forcepoint's date and time have no offset: the parser's clock
    reads them in ``--tz``, a repeated hour's time by the time read before it.  Through both
    of 2026's changes in Paris, in small blocks (usual lines walked up to the change, the
    parser's after it; blocks within the change read by the parser; Forcepoint's header lines
    switching layouts, one right at each change), every engine stores the reference's events,
    times and rejects, and counts the same repeated and skipped times."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    rng, records = random.Random(7), kind()
    spring, autumn = datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)
    lines = _dst_lines(
        rng, spring - timedelta(hours=2), spring + timedelta(hours=2), spring, records
    )
    lines += _dst_lines(
        rng, autumn - timedelta(hours=2), autumn + timedelta(hours=3), autumn, records
    )
    plain = tmp_path / f"{records.name}{records.suffix}"
    plain.write_text("\n".join(lines) + "\n")
    gz = tmp_path / f"{plain.name}.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    secret = tmp_path / "secret.key"
    for path in (plain, gz):
        reports = {}
        for name, how, jobs in (("ref", "reference", 1), ("fast", "fast", 2)):
            store = tmp_path / f"{path.name}-{name}"
            options = ScanOptions(engine=how, jobs=jobs, format=records.name, tz=tz, secret=secret)
            reports[name] = scan([str(path)], store, options)
            reports[name + " rows"] = stored(store)
        assert reports["fast rows"] == reports["ref rows"]
        ref, got = reports["ref"], reports["fast"]
        counts = ("ambiguous_times", "nonexistent_times", "events", "rejected", "ai_events")
        assert [got.total(c) for c in counts] == [ref.total(c) for c in counts]
        if tz == "Europe/Paris":
            assert ref.total("ambiguous_times") > 0 and ref.total("nonexistent_times") > 0
        assert reports["ref rows"]["hits"] and reports["ref rows"]["rejects"]


def test_forcepoint_month_first_with_its_option(tmp_path: Path, engine: str) -> None:
    """Forcepoint's export written month first, read with ``date_order=mdy``: the scanner's
    usual line is the parser's (month first too), and both engines store the same rows.  (A
    day of 5 August: read day first, its dates would be 8 May, a regular day too.)"""
    rng = random.Random(3)
    lines = [forcepoint_shapes.header(forcepoint_shapes.TYPICAL)]
    for k in range(3000):
        local = datetime(2026, 8, 5) + timedelta(seconds=25 * k + rng.randint(0, 24))
        host = "chatgpt.com" if k % 13 == 0 else f"site{k % 29}.example.fr"
        line = forcepoint_shapes.record(
            forcepoint_shapes.TYPICAL, local, mdy=True, url=f"HTTPS://{host}/x", bytes_sent=str(k)
        )
        lines.append(line if k % 101 else line[: 20 + k % 60])  # (a few cut short)
    log = tmp_path / "export.csv"
    log.write_text("\n".join(lines) + "\n")
    _both(tmp_path, [str(log)], format="forcepoint", format_options=(("date_order", "mdy"),))
    rows = stored(tmp_path / "fast")
    assert len(rows["hits"]) > 200 and len(rows["rejects"]) > 10


@pytest.mark.parametrize("twelve", [False, True], ids=["24-hour", "12-hour"])
@pytest.mark.parametrize("option", [None, "dmy", "mdy"])
def test_windows_dns_date_order_taught_mid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, option: str | None, twelve: bool
) -> None:
    """Windows DNS queries written day first (days 1 to 12: nothing to learn), then month
    first from a query of 13 June on (the parser learns it: so does the scanner, whose usual
    line reads the month first from that line on, mid-block), then day first again from a
    query of 13 July; a few queries of AI services and a few the parser reads among them.
    Without the option (the order learnt) and with either order fixed, both engines store the
    same rows; with the order learnt, the walker counts most lines.  The same with 12-hour
    times, whose order is month first until a line shows otherwise (the orders swapped)."""
    monkeypatch.setattr(blocks, "BLOCK", 8192)
    rng, lines = random.Random(5), []
    for part, (month, mdy) in enumerate(((5, twelve), (6, not twelve), (7, twelve))):
        for k in range(1200):
            day = 13 if k == 0 and part else 1 + k * 12 // 1200
            local = datetime(2026, month, day, 8) + timedelta(seconds=20 * k + rng.randint(0, 19))
            host = "chatgpt.com" if k % 23 == 0 else f"site{k % 31}.example.fr"
            change = {"qname": ".site.example.fr."} if k % 97 == 5 else {}
            line = windows_dns_shapes.record(local, host, mdy=mdy, twelve=twelve, **change)
            lines.append(line)
    log = tmp_path / "dns.log"
    log.write_text("\n".join(lines) + "\n")
    options = (("date_order", option),) if option else ()
    _both(tmp_path, [str(log)], format="windows-dns", format_options=options)
    rows = stored(tmp_path / "fast")
    assert len(rows["hits"]) > 100
    report = scan(
        [str(log)],
        tmp_path / "again",
        ScanOptions(format="windows-dns", format_options=options, secret=tmp_path / "k.key"),
    )
    assert report.total("events") == len(lines) - (len(rows["rejects"]) if option else 0)
    if engine != "portable" and option is None:
        assert report.total("parsed_lines") < len(lines) / 5


def test_a_date_order_taught_behind_a_syslog_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Windows DNS queries of 1 to 10 August written day first, then one relayed with a syslog
    header in front of it (the parser reads the line behind it) teaching the month first, then
    queries written month first, in small blocks: the scanner reads that line as the parser
    does, so it reads the month first after it too (else 5 August, ``08/05/2026``, would be 8
    May: a regular day, its block walked)."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    lines = []
    for k in range(600):
        mdy = k >= 300
        local = datetime(2026, 8, 1) + timedelta(minutes=24 * k)
        host = "chatgpt.com" if k % 7 == 0 else f"site{k % 13}.example.fr"
        line = windows_dns_shapes.record(local, host, mdy=mdy)
        if k == 300:
            line = "<30>Aug 13 09:00:00 dns01 " + windows_dns_shapes.record(
                datetime(2026, 8, 13, 9), "site.example.fr", mdy=True
            )
        lines.append(line)
    log = tmp_path / "dns.log"
    log.write_text("\n".join(lines) + "\n")
    _both(tmp_path, [str(log)], format="windows-dns")
    hits = stored(tmp_path / "fast")["hits"]
    assert len(hits) > 60 and not stored(tmp_path / "fast")["rejects"]


@pytest.mark.parametrize("kind", _NAIVE_KINDS)
def test_a_sparse_log_of_naive_times_is_walked_block_by_block(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
    kind: type[_Records],
) -> None:
    """A record every 45 minutes or so over three months (a small hospital's log in one file),
    in blocks that each span days: a block without a DST change is walked (its span checked
    day by day), the one with the autumn change read by the parser; both engines store the
    same."""
    monkeypatch.setattr(blocks, "BLOCK", 65536)
    rng, records = random.Random(11), kind()
    paris = ZoneInfo("Europe/Paris")
    lines = [records.header()] if isinstance(records, _ForcepointRecords) else []
    t = datetime(2026, 9, 1, tzinfo=UTC)
    for k in range(1, 3000):
        t += timedelta(seconds=rng.randint(600, 4800))
        local = t.astimezone(paris).replace(tzinfo=None)
        host = "chatgpt.com" if k % 17 == 0 else f"site{k % 23}.example.fr"
        lines.append(records.usual(local, host, k) if k % 50 else records.for_parser(local, k))
    log = tmp_path / f"{records.name}{records.suffix}"
    log.write_text("\n".join(lines) + "\n")
    secret, reports = tmp_path / "secret.key", {}
    for name, how in (("ref", "reference"), ("fast", "fast")):
        options = ScanOptions(engine=how, jobs=2, format=records.name, secret=secret)
        reports[name] = scan([str(log)], tmp_path / name, options)
    assert stored(tmp_path / "fast") == stored(tmp_path / "ref")
    counts = ("ambiguous_times", "events", "ai_events", "parsed_lines")
    ref, got = reports["ref"], reports["fast"]
    assert [got.total(c) for c in counts[:3]] == [ref.total(c) for c in counts[:3]]
    if engine != "portable":  # (the native walker reads these formats)
        # (the parser's: the lines of the block of the change, about, and those it reads)
        per_block = 65536 * len(lines) / log.stat().st_size
        assert got.total("parsed_lines") < 2 * per_block + len(lines) / 50


def _dnsmasq_years(rng: random.Random, year: int) -> list[str]:
    """dnsmasq's lines from 20 December of ``year``: a record every 10 to 90 seconds over 2
    January, then one every 1 to 3 days into the January after the next (two wraps, through a
    29 February of ``year + 1`` written whether it exists or not); among them AI hosts,
    messages the parser skips, records it reads (a host in the header), records of seven
    months before (a wrap to the parser), lines cut short."""
    out, t, k = [], datetime(year, 12, 20, 8), 0
    while t < datetime(year + 2, 1, 20):
        k += 1
        dense = t < datetime(year + 1, 1, 2, 12)
        t += timedelta(seconds=rng.randint(10, 90)) if dense else timedelta(days=rng.randint(1, 3))
        local = t
        host = "chatgpt.com" if k % 7 == 0 else f"site{k % 23}.example.fr"
        roll = rng.random()
        line = dnsmasq_shapes.record(local, host, client=f"10.1.0.{k % 200 + 1}")
        if (t.month, t.day) == (2, 28) and not dense:
            # (29 February, as a query the walker counts and one the parser reads)
            line = line.replace("Feb 28", "Feb 29", 1)
            out.append(line.replace(" dnsmasq[", " pihole dnsmasq[", 1))
        elif k in (40, 4000):  # seven months before: a wrap (twice)
            earlier = local.replace(month=(local.month - 8) % 12 + 1, day=min(local.day, 28))
            line = dnsmasq_shapes.record(earlier, host).replace(" dnsmasq[", " relay dnsmasq[")
        elif roll < 0.03:
            line = line.replace(" dnsmasq[", " pihole dnsmasq[", 1)  # the parser's
        elif roll < 0.06:
            line = dnsmasq_shapes.record(local, message=f"reply {host} is 104.18.32.47")
        elif roll < 0.07:
            line = line[: 10 + k % 50]
        out.append(line)
    return out


def _days(month: int, first: int, last: int, host: str = "site.example.fr") -> list[str]:
    """dnsmasq's queries at 10:00 on days ``first`` to ``last`` of ``month`` (of 2000: the
    year is the file's)."""
    return [
        dnsmasq_shapes.record(datetime(2000, month, day, 10), host)
        for day in range(first, last + 1)
    ]


@pytest.mark.parametrize(
    ("year", "blocks_of", "parsed"),
    [
        # walked both, the second after a wrap: its year the next
        (2026, [_days(12, 20, 31), _days(1, 1, 9)], 0),
        (2026, [_days(12, 20, 31), _days(1, 1, 9, "chatgpt.com")], 9),  # (the parser's times)
        (2026, [_days(12, 20, 31), _days(1, 1, 9), _days(2, 1, 9), _days(8, 1, 9)], 0),
        # May after December wraps, June does not: the first line says (the parser's block)
        (2026, [_days(12, 20, 31), _days(5, 1, 9) + _days(6, 1, 9)], 18),
        (2026, [_days(12, 20, 31), _days(6, 1, 9) + _days(5, 1, 9)], 18),
        # 29 February walked in a year without one: rejected (the parser's block)
        (2027, [_days(2, 20, 28) + _days(2, 29, 29) + _days(3, 1, 5)], 15),
        (2028, [_days(2, 20, 28) + _days(2, 29, 29) + _days(3, 1, 5)], 0),
    ],
    ids=lambda v: str(v) if isinstance(v, int) else "",
)
def test_dnsmasq_years_of_the_blocks_walked(
    year: int, blocks_of: list[list[str]], parsed: int
) -> None:
    """The scanner gives each block the year the parser's clock gives its dates, the wraps
    between blocks it walked told to the clock: the file's first and last times, the events
    and the rejected lines are the reference reader's, and so is the clock afterwards."""
    from sentinelle.errors import MalformedLine
    from sentinelle.formats import ParseContext, get_format

    reference = get_format("dnsmasq").new_parser(ParseContext(path="t.log", tz=UTC, year=year))
    events = []
    for line in [line for block in blocks_of for line in block]:
        with contextlib.suppress(MalformedLine):
            events.append(reference.parse(line))
    scanner, res = _native_scanner("dnsmasq", ZoneInfo("UTC"), year)
    for block in blocks_of:
        assert scanner.scan(("\n".join(block) + "\n").encode()) == len(block)
    times = sorted(e.timestamp for e in events)
    assert (res.first_ts, res.last_ts) == (times[0], times[-1])
    assert (res.events, res.rejected) == (len(events), sum(map(len, blocks_of)) - len(events))
    assert scanner.parser.clock.syslog_state == reference.clock.syslog_state
    assert res.parsed == parsed  # (the lines of the blocks the parser reads, the AI host's)


@pytest.mark.parametrize("year", [2027, 2028])
def test_dnsmasq_dates_without_a_year_across_the_new_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, year: int
) -> None:
    """dnsmasq writes no year: the parser's clock gives a date the file's (its last change's)
    and one more after each wrap (a month more than six before the last date's).  The scanner
    gives each block its year: blocks across a wrap, or whose lines the parser reads wrap, or
    with a 29 February of a year without one, are the parser's; both engines store the same
    events at the same times, and reject the same lines, over two new years.  (The file's
    year 2027: its 29 February is 2028's; 2028: 2029 has none.)"""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    lines = _dnsmasq_years(random.Random(year), year)
    _both_over_the_years(tmp_path / "pihole.log", lines, "dnsmasq", year, engine)


def _both_on(
    log: Path, lines: list[str], fmt: str, written: datetime, tz: str, engine: str
) -> dict[str, Any]:
    """``lines`` written to ``log`` (of ``fmt``, last changed at ``written``: the year of its
    year-less dates), scanned by both engines in ``tz``: the same rows and counts; the native
    walker counts most lines.  The rows stored."""
    tmp_path = log.parent
    log.write_text("\n".join(lines) + "\n")
    os.utime(log, (written.timestamp(), written.timestamp()))
    secret, reports = tmp_path / "secret.key", {}
    for name, how in (("ref", "reference"), ("fast", "fast")):
        options = ScanOptions(engine=how, jobs=2, format=fmt, secret=secret, tz=tz)
        reports[name] = scan([str(log)], tmp_path / name, options)
    rows = stored(tmp_path / "ref")
    assert stored(tmp_path / "fast") == rows
    counts = ("events", "ai_events", "rejected", "skipped", "dns_events")
    ref, got = reports["ref"], reports["fast"]
    assert [got.total(c) for c in counts] == [ref.total(c) for c in counts]
    if engine != "portable":  # (the native walker reads the format)
        assert got.total("parsed_lines") < len(lines) / 3
    return rows


def _both_over_the_years(log: Path, lines: list[str], fmt: str, year: int, engine: str) -> None:
    """``lines`` written to ``log`` (of ``fmt``, last changed in the last days of ``year``: the
    year of its year-less dates), scanned by both engines in UTC (:func:`_both_on`): events
    over ``year`` and the next two."""
    rows = _both_on(log, lines, fmt, datetime(year, 12, 31, 12), "UTC", engine)
    years = {v.year for row in rows["hits"] for v in row if isinstance(v, datetime)}
    assert {year, year + 1, year + 2} <= years, years


_DNSMASQ_QUERY = re.compile(r" dnsmasq\[(\d+)\]: query\[A\] (\S+) from (\S+)$")


def _bind_through_syslog(line: str) -> str:
    """A dnsmasq query line (of :func:`_dnsmasq_years`) as BIND's ``default_syslog`` channel
    writes the same query in the local syslog daemon's files; other lines as they are (the
    messages BIND's parser skips, cut lines; a host before ``dnsmasq[``: before ``ns1``, the
    parser's)."""
    return _DNSMASQ_QUERY.sub(
        r" ns1 named[\1]: client @0x7f0000214000 \3#5353 (\2): query: \2 IN A +E(0)K (10.20.0.53)",
        line,
    )


@pytest.mark.parametrize("year", [2027, 2028])
def test_bind_through_syslog_across_the_new_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, year: int
) -> None:
    """BIND's queries through its ``default_syslog`` channel (``named[pid]:`` behind a
    year-less RFC 3164 header), with lines of other programs among them, over two new years:
    the file's first lines are its own ISO print-time, then the syslog layout (the first
    ``named[`` line sets it), then an ISO line and back.  Both engines store the same rows;
    the native walker counts most queries."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    rng = random.Random(year)
    lines = [_bind_through_syslog(line) for line in _dnsmasq_years(rng, year)]
    iso = (
        f"{year}-12-20T07:00:00.000Z queries: info: client @0x7f0000214000 10.1.0.9#5353 "
        "(site1.example.fr): query: site1.example.fr IN A +E(0)K (10.20.0.53)"
    )
    lines = [iso, iso, *lines[:500], iso, *lines[500:]]
    _both_over_the_years(tmp_path / "syslog", lines, "bind", year, engine)


def _dnsmasq_through_syslog(line: str, k: int) -> str:
    """A line of dnsmasq's own file (of :func:`_dnsmasq_years`) as the local syslog daemon
    writes it (the host ``dns`` between the date and the tag), and every 40th another
    program's message before it (which dnsmasq's parser skips)."""
    if line.find(" dnsmasq[") == 15:  # (not a line with a host already, or cut short)
        line = line.replace(" dnsmasq[", " dns dnsmasq[", 1)
    if k % 40 == 0 and len(line) > 16:
        return f"{line[:16]}dns CRON[812]: (root) CMD (true)\n{line}"
    return line


@pytest.mark.parametrize("year", [2027, 2028])
def test_dnsmasq_through_syslog_across_the_new_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, year: int
) -> None:
    """dnsmasq's lines in the local syslog daemon's files (a host before ``dnsmasq[``), other
    programs' among them, over two new years; 20 lines of dnsmasq's own file among them (the
    layout without a host, then back).  Both engines store the same rows; the native walker
    counts most queries."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    own = _dnsmasq_years(random.Random(year), year)
    lines = [
        line if 600 <= k < 620 else _dnsmasq_through_syslog(line, k) for k, line in enumerate(own)
    ]
    _both_over_the_years(tmp_path / "syslog", lines, "dnsmasq", year, engine)


def _month_rewritten(
    tmp_path: Path, every_format: Any, engine: str, fmt: str, rewrite: Callable[[str, int], str]
) -> None:
    """The simulated month of ``fmt``, its lines rewritten (``rewrite(line, n)``, the line's
    number in its file) but those of its third file, scanned by both engines: the same rows;
    the native walker parses a few lines."""
    config, sim = every_format
    files, lines = [], 0
    for k, path in enumerate(sim.logs[fmt]):
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
        out = text.splitlines()
        if k != 2:
            out = [rewrite(line, n) for n, line in enumerate(out)]
        target = tmp_path / Path(path).name
        target.write_text("\n".join(out) + "\n", encoding="utf-8", errors="surrogateescape")
        files.append(str(target))
        lines += len(out)
    _both(tmp_path, files, inventory=sim.inventory, tz=config.tz, format=fmt)
    if engine != "portable":
        report = scan(
            files,
            tmp_path / "again",
            ScanOptions(inventory=sim.inventory, tz=config.tz, secret=tmp_path / "k.key"),
        )
        assert report.total("parsed_lines") < lines / 8


def test_dnsmasq_month_through_syslog(tmp_path: Path, every_format: Any, engine: str) -> None:
    """The simulated dnsmasq month as the local syslog daemon writes it (dnsmasq without
    ``log-facility``), other programs' messages among its lines, its third file left as
    dnsmasq writes its own."""
    _month_rewritten(tmp_path, every_format, engine, "dnsmasq", _dnsmasq_through_syslog)


#: BIND's own ISO print-time in UTC, category and severity (the simulator's)
_BIND_OWN = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z queries: info: ")


def test_bind_month_through_syslog(tmp_path: Path, every_format: Any, engine: str) -> None:
    """The simulated BIND month as its ``default_syslog`` channel writes it (the local time
    of the simulated zone, a year-less header, ``ns1 named[pid]:``), its third file left in
    BIND's own ISO layout."""
    zone = ZoneInfo(every_format[0].tz)

    def rewrite(line: str, n: int) -> str:
        m = _BIND_OWN.match(line)
        if m is None:
            return line
        t = datetime.fromisoformat(m[1] + "+00:00").astimezone(zone)
        return f"{t:%b} {t.day:2d} {t:%H:%M:%S} ns1 named[{400 + n % 7}]: {line[m.end() :]}"

    _month_rewritten(tmp_path, every_format, engine, "bind", rewrite)


#: dnsmasq's own line: its year-less date and time
_DNSMASQ_OWN = re.compile(r"^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) dnsmasq\[")


@pytest.mark.parametrize("fmt", ["dnsmasq", "bind"])
def test_month_in_rsyslogs_default_format(
    tmp_path: Path, every_format: Any, engine: str, fmt: str
) -> None:
    """The simulated dnsmasq and BIND months in the files of rsyslog's default format
    (Debian's since 12): an RFC 3339 time with microseconds and the simulated zone's offset,
    the host, the program's tag; the third file left as the program writes its own."""
    zone = ZoneInfo(every_format[0].tz)

    def rewrite(line: str, n: int) -> str:
        if fmt == "dnsmasq":
            m = _DNSMASQ_OWN.match(line)
            if m is None:
                return line
            t = datetime.strptime(f"2026 {m[1]}", "%Y %b %d %H:%M:%S").replace(tzinfo=zone)
            stamp = t.replace(microsecond=n * 7919 % 1_000_000).isoformat(timespec="microseconds")
            return f"{stamp} dns dnsmasq[{line[m.end() :]}"
        m = _BIND_OWN.match(line)
        if m is None:
            return line
        t = datetime.fromisoformat(m[1] + "+00:00").astimezone(zone)
        return f"{t.isoformat(timespec='microseconds')} ns1 named[812]: {line[m.end() :]}"

    _month_rewritten(tmp_path, every_format, engine, fmt, rewrite)


_PARIS = ZoneInfo("Europe/Paris")


def _rsyslog_day(rng: random.Random, fmt: str) -> list[str]:
    """A day of dnsmasq's (or BIND's) lines in the files of rsyslog's default format across the
    autumn DST change of Europe/Paris (25 October 2026: the hour from 02:00 twice, at +02:00
    then +01:00): a line every 1 to 20 seconds, an RFC 3339 time with microseconds; among them
    AI hosts, messages the parser skips, other programs' lines, lines of another host in UTC
    (``Z``: another offset than the walk's), an impossible offset, lines cut short, and 20
    lines behind a year-less header (the layout SYSLOG, then back)."""
    out, t, k = [], datetime(2026, 10, 24, 12, tzinfo=UTC), 0
    while t < datetime(2026, 10, 25, 12, tzinfo=UTC):
        k += 1
        t += timedelta(seconds=rng.randint(1, 20), microseconds=rng.randint(0, 999_999))
        local = t.astimezone(_PARIS)
        name = "chatgpt.com" if k % 7 == 0 else f"site{k % 23}.example.fr"
        client = f"10.1.0.{k % 200 + 1}"
        if fmt == "dnsmasq":
            tag, other = "dns dnsmasq[973]: ", "reply x is y"
            query = f"query[A] {name} from {client}"
        else:
            tag, other = "ns1 named[812]: ", "zone example.fr/IN: loaded serial 2026102401"
            query = f"client @0x7f00002140 {client}#5353 ({name}): query: {name} IN A +E(0)K (::1)"
        stamp, roll = local.isoformat(timespec="microseconds"), rng.random()
        if 600 <= k < 620:
            line = f"{local:%b} {local.day:2d} {local:%H:%M:%S} {tag}{query}"
        elif roll < 0.02:
            line = f"{stamp} dns CRON[812]: (root) CMD (true)"
        elif roll < 0.04:
            line = f"{t.isoformat(timespec='microseconds')[:-6]}Z {tag}{query}"
        elif roll < 0.05:
            line = f"{stamp[:-6]}+25:00 {tag}{query}"
        elif roll < 0.08:
            line = f"{stamp} {tag}{other}"
        elif roll < 0.09:
            line = f"{stamp} {tag}{query}"[: 10 + k % 60]
        else:
            line = f"{stamp} {tag}{query}"
        out.append(line)
    return out


@pytest.mark.parametrize("fmt", ["dnsmasq", "bind"])
def test_rsyslogs_default_format_over_the_autumn_dst_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, fmt: str
) -> None:
    """dnsmasq's and BIND's lines in rsyslog's default file format over the autumn DST change
    (:func:`_rsyslog_day`), in blocks of 4 KiB: both engines store the same rows, events in
    both occurrences of the repeated hour; the native walker counts most lines."""
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    lines = _rsyslog_day(random.Random(7), fmt)
    rows = _both_on(tmp_path / "syslog", lines, fmt, datetime(2026, 10, 26), "Europe/Paris", engine)
    hours = {v.astimezone(UTC).hour for row in rows["hits"] for v in row if isinstance(v, datetime)}
    assert {0, 1} <= hours, hours  # (02:xx local at +02:00, then at +01:00)


def test_zeek_json_records_of_four_logs(tmp_path: Path, engine: str) -> None:
    """Zeek's ssl.log, http.log, dns.log and conn.log records in JSON, mixed, some spoiled:
    the walker reads the first three (a dns.log record a DNS query), the parser the rest; both
    engines store the same rows and count the same DNS queries, on two workers."""
    from tests.perf.test_usual_zeek import DNS, HTTP, RECORD, line

    rng, lines = random.Random(23), []
    for k in range(4000):
        ts = 1785524419.0331 + 3.5 * k
        host = "chatgpt.com" if k % 13 == 0 else f"site{k % 31}.example.fr"
        base, key = [(RECORD, "server_name"), (HTTP, "host"), (DNS, "query")][k % 3]
        record = line({"ts": ts, key: host, "id.orig_h": f"10.1.0.{k % 200 + 1}"}, base=base)
        roll = rng.random()
        if roll < 0.02:  # conn.log's: the parser's
            record = line({"ts": ts, "conn_state": "SF"}, drop=("server_name",))
        elif roll < 0.04:
            record = record[: 10 + k % 200]
        elif roll < 0.05:
            record = record.replace('"ts":', '"ts":"', 1).replace(",", '",', 1)  # a string
        lines.append(record)
    log = tmp_path / "zeek.log"
    log.write_text("\n".join(lines) + "\n")
    ref, got = _reports_of_both(tmp_path, log, "zeek")
    counts = ("events", "ai_events", "rejected", "dns_events", "no_host_events")
    assert [got.total(c) for c in counts] == [ref.total(c) for c in counts]
    assert ref.total("dns_events") > 1000
    if engine != "portable":  # (the native walker reads Zeek's records)
        assert got.total("parsed_lines") < len(lines) / 5


_ZEEK_DEFAULTS = {"id.orig_p": "50000", "id.resp_h": "192.0.2.7", "id.resp_p": "443"}


def test_zeek_tsv_files_of_four_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Zeek's TSV files: ssl.log, http.log, dns.log, conn.log and files.log one after the other
    in one file, each with its header (ssl.log's again with a column more, in another order),
    some records spoiled, unset or escaped, JSON records among them.  The walker reads them
    by their headers' layouts (conn.log's records events without a host, files.log's skipped),
    the parser the rest; both engines store the same rows and counts, in small blocks.  The
    file is large enough to be cut into ranges, but a record is read by the header before it:
    it is read whole (before, each range but the first had its records rejected)."""
    from sentinelle.formats.zeek import directive
    from tests.perf.test_usual_zeek import line as json_record
    from tests.perf.test_usual_zeek_tsv import FIELDS, VALUES, layout

    monkeypatch.setattr(parallel, "SPLIT_MIN", 10_000)
    monkeypatch.setattr(parallel, "RANGE", 4096)
    monkeypatch.setattr(blocks, "BLOCK", 4096)
    rng, lines = random.Random(29), []
    more = [*FIELDS["ssl"][:3], "extra", *FIELDS["ssl"][3:]]  # a column more, one moved
    conn = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "conn_state"]
    files = ["ts", "fuid", "uid", "id.orig_h", "source", "missing_bytes"]
    sections = [
        ("ssl", FIELDS["ssl"]),
        ("http", FIELDS["http"]),
        ("dns", FIELDS["dns"]),
        ("conn", conn),
        ("files", files),
        ("ssl", more),
    ]
    n = 0
    for path, fields in sections:
        lines += [*directive(layout(path, fields)).split("\n"), "#open\t2026-08-01-00-00-00"]
        lines.append("#types\t" + "\t".join("string" for _ in fields))
        known = dict(zip(FIELDS.get(path, []), VALUES.get(path, []), strict=True))
        for _ in range(700):
            n += 1
            host = "chatgpt.com" if n % 13 == 0 else f"site{n % 31}.example.fr"
            values = {f: known.get(f, _ZEEK_DEFAULTS.get(f, "x")) for f in fields}
            values.update({"ts": f"{1785524419 + 3 * n}.{n:06d}", "uid": f"C{n}"})
            values.update({"id.orig_h": f"10.1.0.{n % 200 + 1}", "extra": "e"})
            for column in ("server_name", "host", "query"):
                if column in values:
                    values[column] = host
            roll = rng.random()
            if roll < 0.02:
                values[rng.choice(fields)] = "-"
            elif roll < 0.03:
                values[rng.choice(fields)] = "(empty)"
            elif roll < 0.04 and "server_name" in values:
                values["server_name"] = "chat\\x2eopenai.com"
            record = "\t".join(values[f] for f in fields)
            if roll > 0.98:
                record = record[: 5 + n % 120]
            elif roll > 0.97:
                record = json_record({"ts": 1785524419.5 + n, "server_name": host})
            lines.append(record)
        lines.append("#close\t2026-08-02-00-00-00")
    log = tmp_path / "zeek.log"
    log.write_text("\n".join(lines) + "\n")
    assert log.stat().st_size > 20 * 4096
    ref, got = _reports_of_both(tmp_path, log, "zeek")
    counts = ("events", "ai_events", "rejected", "skipped", "dns_events", "no_host_events")
    assert [got.total(c) for c in counts] == [ref.total(c) for c in counts]
    assert ref.total("dns_events") > 600 and ref.total("skipped") > 700
    assert ref.total("rejected") < 100
    if engine != "portable":  # (the walker reads ssl.log's, http.log's and dns.log's records)
        assert got.total("parsed_lines") < len(lines) / 6


def test_zeek_json_files_of_each_time_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Zeek's JSON records with each ``LogAscii::json_timestamps``: epoch seconds (the
    default), ISO 8601 strings, then milliseconds, then ISO strings again, in one file, with
    conn.log records, spoiled records and the ISO times the walker leaves to the parser among
    them.  The walker reads each section by the layout its first record sets, the parser the
    rest; both engines store the same rows and counts, in small blocks."""
    from tests.perf.test_usual_zeek import DNS, HTTP, RECORD
    from tests.perf.test_usual_zeek import line as json_record

    monkeypatch.setattr(blocks, "BLOCK", 4096)
    rng, lines, n = random.Random(31), [], 0
    start = datetime(2026, 8, 1, tzinfo=UTC)
    conn = {"ts": 0.0, "uid": "C", "id.orig_h": "10.1.0.1", "proto": "tcp", "conn_state": "SF"}
    kinds = [(RECORD, "server_name"), (HTTP, "host"), (DNS, "query")]
    parser_lines = ai_lines = 0  # (the lines the walker leaves to the parser; those of AI)
    for form, count in (("epoch", 600), ("iso", 600), ("millis", 600), ("iso", 300)):
        for _ in range(count):
            n += 1
            moment = start + timedelta(seconds=7 * n, microseconds=n)
            ts: Any = {
                "epoch": round(moment.timestamp(), 6),
                "iso": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "millis": int(moment.timestamp() * 1000),
            }[form]
            host = "chatgpt.com" if n % 13 == 0 else f"site{n % 31}.example.fr"
            changes = {"ts": ts, "id.orig_h": f"10.1.0.{n % 200 + 1}", "uid": f"C{n}"}
            base, key = kinds[n % 3] if n % 10 else (conn, "")
            changes.update({key: host} if key else {})
            roll, odd = rng.random(), not key
            if roll < 0.02 and form == "iso":  # Zeek's rounding, no Z (the clock's), an offset
                changes["ts"] = rng.choice(
                    [ts[:20] + "1000000Z", ts[:-1], ts[:-1] + "+02:00", ts[:23] + "Z"]
                )
                odd = True
            record = json_record(changes, base=base)
            if roll > 0.98:
                record, odd = record[: 5 + n % 120], True
            elif roll > 0.97:
                record, odd = record.replace('"id.orig_h":"', '"id.orig_h":"x', 1), True
            parser_lines += odd
            ai_lines += not odd and host == "chatgpt.com"
            lines.append(record)
    log = tmp_path / "zeek.log"
    log.write_text("\n".join(lines) + "\n")
    ref, got = _reports_of_both(tmp_path, log, "zeek")
    counts = ("events", "ai_events", "rejected", "skipped", "dns_events", "no_host_events")
    assert [got.total(c) for c in counts] == [ref.total(c) for c in counts]
    assert ref.total("events") > 2000 and ref.total("dns_events") > 600
    assert ref.total("no_host_events") >= 200 and ref.total("rejected") > 30
    assert ref.total("ai_events") > 120
    if engine != "portable":  # the walker reads the rest, each section by its layout (the
        # first record of each of the three after the first is the parser's: it sets it)
        assert parser_lines <= got.total("parsed_lines") <= parser_lines + ai_lines + 3


def _native_scanner(name: str, tz: ZoneInfo, year: int = 2026) -> tuple[Any, Any]:
    """The fast path's scanner of one file of format ``name`` read in ``tz`` (the native
    walker's: skipped where it is not built), and the file's result; the workstations of
    10.0.0.0/8 in one department; ``year``: the file's, of its dates without one."""
    if not fast.NATIVE:
        pytest.skip("the C extension is not built")
    from sentinelle.catalog import load_catalog
    from sentinelle.formats import ParseContext, get_format
    from sentinelle.inventory import Inventory
    from sentinelle.privacy import Pseudonymizer
    from sentinelle.scan.reader import FileResult

    inventory = Inventory.from_rows(
        [{"ip": "10.0.0.0/8", "hostname": "", "site": "Nord", "department": "Cardio", "role": ""}]
    )
    en = enrich.Enricher(load_catalog(), inventory, Pseudonymizer(b"k" * 32), tz)
    res, fmt = FileResult(), get_format(name)
    context = ParseContext(path="t.log", tz=tz, year=year)
    return fast.new_scanner(fmt, context, en, res, fast.database(fmt, en.catalog)), res


@pytest.mark.parametrize("blocks_of", [1, 7, 1000])
def test_the_lines_of_a_layout_without_a_usual_line_keep_the_clock(blocks_of: int) -> None:
    """Forcepoint: lines the walker counts up to 00:50 in Paris, then a header naming a layout
    without a usual line (its lines read by the parser, their times up to 01:59:59), a header
    back, and a record in the repeated hour the parser reads (no host): the clock reads it by
    the last time the parser read (the reference's), not by the walked lines before."""
    from sentinelle.formats import ParseContext, get_format

    paris, record, header = (
        ZoneInfo("Europe/Paris"),
        forcepoint_shapes.record,
        forcepoint_shapes.header,
    )
    day, typical, no_usual = (
        datetime(2026, 10, 25),
        forcepoint_shapes.TYPICAL,
        forcepoint_shapes.NO_USUAL,
    )
    lines = [header(typical)]
    lines += [record(typical, day.replace(minute=m), url="site.example.fr:443/") for m in range(50)]
    lines.append(header(no_usual))
    lines += [record(no_usual, day.replace(hour=1, minute=m)) for m in range(0, 60, 3)]
    lines += [record(no_usual, day.replace(hour=1, minute=59, second=59)), header(typical)]
    lines.append(record(typical, day.replace(hour=2, second=10), url="-"))
    reference = get_format("forcepoint").new_parser(ParseContext(path="t.csv", tz=paris))
    events = [reference.parse(line) for line in lines]
    assert reference.clock.ambiguous == 0

    scanner, res = _native_scanner("forcepoint", paris)
    for at in range(0, len(lines), blocks_of):
        scanner.scan(("\n".join(lines[at : at + blocks_of]) + "\n").encode())
    assert res.lines == len(lines) and res.rejected == 0
    assert res.events == sum(e is not None for e in events)
    assert scanner.parser.clock.ambiguous == 0  # type: ignore[union-attr]
    assert res.last_ts == events[-1].timestamp == datetime(2026, 10, 25, 0, 0, 10, tzinfo=UTC)


@pytest.mark.parametrize("blocks_of", [1, 7, 31, 1000])
def test_the_lines_the_parser_skips_have_no_time_for_the_clock(blocks_of: int) -> None:
    """Windows DNS: queries the walker counts up to 01:50:49 in Paris, then 30 lines the
    parser skips (responses, packets sent: their times, in the repeated hour, unread), then a
    query the parser reads at 02:00:10: the clock reads it by the last time of a query before
    (its first occurrence), looking past the skipped lines, within the block or across blocks
    of skipped lines alone."""
    from sentinelle.formats import ParseContext, get_format

    paris, record = ZoneInfo("Europe/Paris"), windows_dns_shapes.record
    day = datetime(2026, 10, 25, 1, 50)
    lines = [record(day.replace(second=s), "site.example.fr") for s in range(50)]
    skipped = [
        record(
            datetime(2026, 10, 25, 2, 0, s // 3),
            "site.example.fr",
            **({"direction": "Snd"} if s % 3 == 0 else {"resp": "R", "letters": "DR"}),
        )
        for s in range(30)
    ]
    late = record(datetime(2026, 10, 25, 2, 0, 10), qname=".site.example.fr.")
    lines += [*skipped, late]
    reference = get_format("windows-dns").new_parser(ParseContext(path="dns.log", tz=paris))
    events = [reference.parse(line) for line in lines]
    assert reference.clock.ambiguous == 0 and sum(e is None for e in events) == 30

    scanner, res = _native_scanner("windows-dns", paris)
    for at in range(0, len(lines), blocks_of):
        scanner.scan(("\n".join(lines[at : at + blocks_of]) + "\n").encode())
    assert (res.lines, res.skipped, res.events, res.rejected) == (81, 30, 51, 0)
    assert res.parsed <= 1 + blocks_of  # (the last block, when read by the parser)
    assert scanner.parser.clock.ambiguous == 0  # type: ignore[union-attr]
    assert res.last_ts == events[-1].timestamp == datetime(2026, 10, 25, 0, 0, 10, tzinfo=UTC)


@pytest.mark.parametrize("host", ["None", "site.example.fr", "chatgpt.com"])
@pytest.mark.parametrize("kind", _NAIVE_KINDS)
def test_a_naive_local_time_read_by_the_line_of_the_block_before(
    host: str, kind: type[_Records]
) -> None:
    """The walker counts the lines of one block up to 01:59:50 in Paris (no time read by the
    parser; Forcepoint's file starts with its header line, which the parser reads); the next
    block starts in the repeated hour (02:00:10, its first occurrence by the line before): a
    line the parser reads (no usual URL), a usual line (its block read by the parser: not
    regular), an AI host's.  The clock reads it as the reference reader does, by the time of
    the last line of the block before."""
    from sentinelle.formats import ParseContext, get_format

    paris, records = ZoneInfo("Europe/Paris"), kind()
    fmt = get_format(records.name)
    start = [records.header()] if isinstance(records, _ForcepointRecords) else []
    walked = [
        records.usual(datetime(2026, 10, 25, 1, 50, s), "site.example.fr", s) for s in range(50)
    ]
    at = datetime(2026, 10, 25, 2, 0, 10)
    late = records.for_parser(at, 99) if host == "None" else records.usual(at, host, 99)
    reference = fmt.new_parser(ParseContext(path="t.log", tz=paris))
    assert all(reference.parse(line) is None for line in start)
    events = [reference.parse(line) for line in walked]
    event = reference.parse(late)
    assert reference.clock.ambiguous == 0

    scanner, res = _native_scanner(records.name, paris)
    # (a 12-hour file's first query is the parser's: it sets the 12-hour layout)
    lead = len(start) + isinstance(records, _WindowsDns12hRecords)
    assert scanner.scan(("\n".join(start + walked) + "\n").encode()) == len(start) + 50
    assert res.parsed == lead and res.first_ts == events[0].timestamp
    assert scanner.scan((late + "\n").encode()) == 1
    assert res.parsed == lead + 1 and res.lines == len(start) + 51
    assert res.events == 51
    assert scanner.parser.clock.ambiguous == 0  # type: ignore[union-attr]
    assert res.last_ts == event.timestamp  # the first occurrence, 00:00:10 UTC
    assert event.timestamp == datetime(2026, 10, 25, 0, 0, 10, tzinfo=UTC)
