"""Benchmark ``sentinelle scan`` against the hardware's references, in one run (issue 7).

Run by hand, on a quiet machine (``uptime``), not by the test suite::

    python bench/scan_bench.py                  # 10 million lines, median of 3
    python bench/scan_bench.py --lines 2000000 --runs 1

It generates a CHU-sized Squid month with the simulator (``--generator simulator``, the default:
9,000 workstations, 0.5 % AI lines, every trap of the simulated hospital, the day files concatenated
into one log, scanned with the simulator's inventory) or the shape of research §3
(``--generator research``, ``bench/gen_squid.py``: one day, 0.5 % AI lines, query-string traps,
look-alike hosts), writes plain and ``.gz`` copies, warms the page cache, then times, each with a
fresh store: ``sentinelle scan`` on both, and the references on the same files — ``wc -l``,
``grep -c -F -f domains.txt`` (the catalog's rule domains, ``LC_ALL=C``), Python ``isal``
decompression alone, ``gzip -dc`` and GoAccess when installed — and the scan's *floor*
(``bench/floor.py``: the same files read as the scan reads them and their lines walked by the
native walker, nothing else), which shows what the walker alone leaves for everything else.
When ``zstd`` is installed, the month as one ``.zst`` too (``zstd -3``), against Python
``zstandard``'s decompression alone: not a target of the issue, a check on that reader.
Peak RSS is the largest single process of a command (``/usr/bin/time -v``).  It prints a
Markdown table and the targets met.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))
from gen_squid import generate

TIME = "/usr/bin/time"
ISAL_READ = (
    "import sys; from isal import igzip\n"
    "for path in sys.argv[1:]:\n"
    "    f = igzip.open(path, 'rb')\n"
    "    while f.read(1 << 24): pass\n"
)
ZSTD_READ = (
    "import sys, zstandard\n"
    "for path in sys.argv[1:]:\n"
    "    d = zstandard.ZstdDecompressor()\n"
    "    f = d.stream_reader(open(path, 'rb'), read_across_frames=True)\n"
    "    b = bytearray(1 << 24)\n"
    "    while f.readinto(b): pass\n"
)
DAYS = 31  # the month again, as logrotate leaves it: one gzip file a day
HERE = Path(__file__).resolve().parent
#: the rows of bench/floor.py: what the scan cannot beat with its line walker (not a target)
FLOOR_PLAIN = "floor: the lines walked, nothing else (plain)"
FLOOR_GZIP = "floor: ISA-L + the lines walked, nothing else (gzip)"


def _ratio(a: Row, b: Row) -> float:
    """The median over rounds of ``a``'s time over ``b``'s in the same round."""
    return statistics.median(x / y for x, y in zip(a.walls, b.walls, strict=True))


@dataclass
class Row:
    name: str
    path: Path
    walls: list[float] = field(default_factory=list)
    #: CPU seconds (user + system) of the command and the processes it waited for, per round
    cpus: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    check: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/sentinelle-bench"))
    ap.add_argument(
        "--scales",
        default="2,10",
        help="memory runs on the log repeated N times, comma-separated (default 2,10; '' skips)",
    )
    ap.add_argument(
        "--formats-only", action="store_true", help="only the per-format throughput table"
    )
    ap.add_argument("--generator", choices=("simulator", "research"), default="simulator")
    ap.add_argument(
        "--format-lines",
        type=int,
        default=1_000_000,
        help="lines per format for the per-format throughput table (0: skip it)",
    )
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FORMAT",
        help="the per-format table's rows of this format only (repeatable)",
    )
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.formats_only:
        _compile_package()
        _per_format(args)
        return
    args.inventory = None
    plain, gz, domains, truth = _inputs(args.dir, args.lines, args.generator)
    if args.generator == "simulator":
        args.inventory = args.dir / f"sim-{args.lines}" / "inventory.csv"
    _compile_package()
    load_before, probe, both = os.getloadavg(), cpu_probe(), cpu_probe_both()
    rows = _run_all(args, plain, gz, domains)
    scales = [int(k) for k in args.scales.split(",") if k.strip()]
    scaled = {k: _scaled(args, plain, k) for k in scales}
    _print(args, rows, scaled, truth, load_before)
    print(
        f"CPU probe (a fixed pure-Python loop, min of 5; higher = a slower machine at that "
        f"moment): {probe:.1f} ms before, {cpu_probe():.1f} ms after; on both cores at once: "
        f"{both:.1f} ms before, {cpu_probe_both():.1f} ms after"
    )
    if args.format_lines:
        _per_format(args)


def cpu_probe() -> float:
    """Milliseconds of a fixed pure-Python loop (min of 5): on a shared virtual machine the
    speed of a core varies by tens of percent from one minute to the next, which this shows."""
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        sum(range(2_000_000))
        best = min(best, time.perf_counter() - t)
    return best * 1000


PROBE = (
    "import time\nbest = 1e9\nfor _ in range(5):\n    t = time.perf_counter()\n"
    "    sum(range(2_000_000))\n    best = min(best, time.perf_counter() - t)\nprint(best * 1000)"
)


def cpu_probe_both() -> float:
    """The probe run on both cores at once (the slower of the two): a neighbour taking one of
    this machine's cores slows the scan, which uses both, but not grep or the one-core probe."""
    procs = [
        subprocess.Popen([sys.executable, "-c", PROBE], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    return max(float(p.communicate()[0]) for p in procs)


def _compile_package() -> None:
    """Byte-compile the package, as ``pip install`` of a wheel does: an editable install run
    with ``PYTHONDONTWRITEBYTECODE=1`` (set on some machines) would otherwise compile ~50
    modules from source at every start."""
    import compileall

    import sentinelle

    compileall.compile_dir(Path(sentinelle.__file__).parent, quiet=1)


def _per_format(args: argparse.Namespace) -> None:
    """Throughput of ``sentinelle scan`` on the simulated hospital written in every format."""
    from sentinelle.formats import get_format
    from sentinelle.scan import fast
    from sentinelle.simulate import HospitalConfig, simulate, writers

    out = args.dir / f"formats-{args.format_lines}"
    listing = out / "files.json"
    if not listing.exists():
        shutil.rmtree(out, ignore_errors=True)
        config = HospitalConfig(seed=42, workstations=2000, lines=args.format_lines)
        sim = simulate(out / "sim", config, formats=sorted(writers.WRITERS))
        logs = {k: [str(p) for p in v] for k, v in sim.logs.items()}
        listing.write_text(json.dumps({"logs": logs, "inventory": str(sim.inventory)}))
    spec = json.loads(listing.read_text())
    print(f"\n### Per format: the same simulated hospital, {args.format_lines:,} records each\n")
    print(
        "| format | engine | files | MB | wall s | M lines/s | MB/s | parsed | check "
        "| reference reader s | speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = sorted(spec["logs"].items())
    labels = {}
    if "windows-dns" in spec["logs"]:  # as the debug log's default settings write it
        windows_dns = spec["logs"]["windows-dns"]
        rows.append(
            (
                "windows-dns",
                _default_settings(windows_dns, out, "windows-dns", _windows_dns_forwarded),
            )
        )
        twelve = _rewritten(windows_dns, out / "windows-dns-12h", _twelve_hour)  # en-US's
        rows.append(("windows-dns", twelve))
        labels[tuple(twelve)] = "windows-dns (en-US 12-hour)"
    if "dnsmasq" in spec["logs"]:  # as dnsmasq's log-queries writes a query forwarded
        dnsmasq = spec["logs"]["dnsmasq"]
        rows.append(("dnsmasq", _default_settings(dnsmasq, out, "dnsmasq", _dnsmasq_forwarded)))
    if "fortigate" in spec["logs"]:  # as a syslog server writes the records in its files
        relayed = _rewritten(spec["logs"]["fortigate"], out / "fortigate-relayed", _relayed)
        rows.append(("fortigate", relayed))
        labels[tuple(relayed)] = "fortigate (via a syslog server)"
    if "bind" in spec["logs"]:  # BIND's default_syslog channel, in the syslog daemon's files
        files = _rewritten(spec["logs"]["bind"], out / "bind-syslog", _bind_syslog)
        rows.append(("bind", files))
        labels[tuple(files)] = "bind (default_syslog)"
    if "dnsmasq" in spec["logs"]:  # dnsmasq without log-facility: the syslog daemon's files
        files = _rewritten(spec["logs"]["dnsmasq"], out / "dnsmasq-syslog", _dnsmasq_syslog)
        rows.append(("dnsmasq", files))
        labels[tuple(files)] = "dnsmasq (through syslog)"
    for name in ("bind", "dnsmasq"):  # in the files of rsyslog's default format (Debian 12)
        if name in spec["logs"]:
            files = _rewritten(spec["logs"][name], out / f"{name}-rfc3339", _RFC3339[name])
            rows.append((name, files))
            labels[tuple(files)] = f"{name} (rsyslog RFC 3339)"
    # through a syslog server (the WSA's "Syslog Push" retrieval)
    for name in ("sophos", "stormshield", "cef", "leef", "zscaler", "cisco-wsa"):
        if name in spec["logs"]:
            rewrite = functools.partial(_relayed_by_server, name, [0])
            files = _rewritten(spec["logs"][name], out / f"{name}-relayed", rewrite)
            rows.append((name, files))
            labels[tuple(files)] = f"{name} (via a syslog server)"
    if "zeek" in spec["logs"]:  # TSV, Zeek's default: an ssl.log, http.log and conn.log a day
        rows.append(("zeek", _zeek_tsv(spec["logs"]["zeek"], out)))
        for form, label in (("iso", "ISO 8601"), ("millis", "milliseconds")):  # json_timestamps
            rewrite = functools.partial(_zeek_ts, form)
            files = _rewritten(spec["logs"]["zeek"], out / f"zeek-{form}", rewrite)
            rows.append(("zeek", files))
            labels[tuple(files)] = f"zeek (JSON, {label} ts)"
    if "stormshield" in spec["logs"]:  # a firewall without its web proxy: connection records
        d = out / "stormshield-rewritten"
        connections = _rewritten(spec["logs"]["stormshield"], d, _connection)
        rows.append(("stormshield", connections))
        labels[tuple(connections)] = "stormshield (connection records)"
    rows = [(name, files) for name, files in rows if not args.only or name in args.only]
    for name, files in rows:
        size = sum(Path(f).stat().st_size for f in files)
        fmt = get_format(name)
        label = name if files == spec["logs"].get(name) else f"{name} (default settings)"
        label = labels.get(tuple(files), label)
        engine = "reference reader"
        if fmt.usual is not None:  # the format declares its usual line (formats/_usual.py)
            native = fast.NATIVE and fmt.usual.walked
            engine = "native walker" if native else "prefilter (hyperscan)"
        walls = {}
        for kind in ("fast", "reference") if fmt.usual is not None else ("fast",):
            store = args.dir / "st-format"
            shutil.rmtree(store, ignore_errors=True)
            cmd = [sys.executable, "-m", "sentinelle", "scan", *files, "--store", str(store)]
            cmd += ["--jobs", str(args.jobs), "--secret", str(args.dir / "secret.key")]
            cmd += ["--json", "--inventory", spec["inventory"], "--format", name]
            cmd += ["--engine", kind]
            subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)  # see _warm
            walls[kind], _rss, stdout, _cpu = _timed(cmd)
            got = json.loads(stdout)
            if kind == "fast":
                j = got
            elif (got["lines"], got["rejected"], got["ai_events"]) != (
                j["lines"],
                j["rejected"],
                j["ai_events"],
            ):
                raise SystemExit(f"{name}: the engines disagree: {got} != {j}")
        wall = walls["fast"]
        ref = (
            f"{walls['reference']:.2f} | {walls['reference'] / wall:.1f}x"
            if len(walls) > 1
            else "| "
        )
        # the share of the lines the format's parser read (the fast path counts the others)
        parsed = j["parsed_lines"] / j["lines"] if j["lines"] else 0.0
        print(
            f"| {label} | {engine} | {len(files)} | {size / 1e6:.0f} | {wall:.2f} | "
            f"{j['lines'] / wall / 1e6:.2f} | {size / wall / 1e6:.0f} | {parsed:.1%} | "
            f"lines={j['lines']:,} rejected={j['rejected']} ai={j['ai_events']:,} | {ref} |"
        )


def _default_settings(
    files: list[str], out: Path, name: str, more: Callable[[bytes], list[bytes]]
) -> list[str]:
    """The simulated logs of ``name`` as its default settings write them: each line followed
    by the lines ``more`` gives (written once, in ``out``)."""
    return _rewritten(files, out / f"{name}-default-settings", lambda x: [x, *more(x)])


def _rewritten(files: list[str], d: Path, rewrite: Callable[[bytes], list[bytes]]) -> list[str]:
    """The simulated logs ``files``, each line replaced by those ``rewrite`` gives (written
    once, in ``d``)."""
    d.mkdir(exist_ok=True)
    written = []
    for f in files:
        path = d / Path(f).name
        written.append(str(path))
        if not path.exists():
            lines = Path(f).read_bytes().split(b"\n")
            path.write_bytes(b"\n".join(y for x in lines for y in rewrite(x)))
    return written


#: the columns of Zeek 6's default ssl.log, http.log and conn.log
ZEEK_FIELDS = {
    "conn": "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes "
    "resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes "
    "resp_pkts resp_ip_bytes tunnel_parents",
    "ssl": "ts uid id.orig_h id.orig_p id.resp_h id.resp_p version cipher curve server_name "
    "resumed last_alert next_protocol established ssl_history cert_chain_fps "
    "client_cert_chain_fps sni_matches_cert",
    "http": "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host uri "
    "referrer version user_agent origin request_body_len response_body_len status_code "
    "status_msg info_code info_msg tags username password proxied orig_fuids orig_filenames "
    "orig_mime_types resp_fuids resp_filenames resp_mime_types",
}


def _zeek_tsv(files: list[str], out: Path) -> list[str]:
    """The simulated Zeek JSON records as Zeek writes them by default: TSV, an ssl.log, an
    http.log and a conn.log a day (a connection record for each of the others), each with its
    header and Zeek 6's default columns (those the simulator does not write unset, ``-``);
    written once, in ``out``."""
    d = out / "zeek-tsv"
    d.mkdir(exist_ok=True)
    written = []
    for f in files:
        logs: dict[str, list[str]] = {"ssl": [], "http": [], "conn": []}
        for line in Path(f).read_bytes().decode("utf-8", "surrogateescape").splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # the simulator's garbage: in ssl.log, as it is
                logs["ssl"].append(line)
                continue
            if not isinstance(record, dict) or "ts" not in record:
                logs["ssl"].append(line)
                continue
            kind = "http" if "trans_depth" in record else "ssl"
            service = "http" if kind == "http" else "ssl"
            record = {**record, "proto": "tcp", "service": service, "duration": 1.5}
            record.update({"orig_bytes": 1532, "resp_bytes": 48211, "conn_state": "SF"})
            record.update({"missed_bytes": 0, "history": "ShADadFf", "orig_pkts": 20})
            logs["conn"].append(_zeek_values("conn", record))
            logs[kind].append(_zeek_values(kind, record))
        for kind, records in logs.items():
            path = d / Path(f).name.replace(".log", f".{kind}.log")
            written.append(str(path))
            fields = ZEEK_FIELDS[kind].split()
            header = [
                "#separator \\x09",
                "#set_separator\t,",
                "#empty_field\t(empty)",
                "#unset_field\t-",
                f"#path\t{kind}",
                "#open\t2026-08-01-00-00-00",
                "#fields\t" + "\t".join(fields),
                "#types\t" + "\t".join("string" for _ in fields),
            ]
            text = "\n".join([*header, *records, "#close\t2026-08-02-00-00-00"]) + "\n"
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return written


def _zeek_values(kind: str, record: dict[str, object]) -> str:
    """A JSON record's TSV line in ``kind``'s default columns."""
    values = []
    for name in ZEEK_FIELDS[kind].split():
        value = record.get(name)
        if name == "ts":
            values.append(f"{value:.6f}")
        elif isinstance(value, bool):
            values.append("T" if value else "F")
        else:
            values.append("-" if value is None else str(value) or "(empty)")
    return "\t".join(values)


_EPOCH_TS = re.compile(rb'^\{"ts":(\d{10})\.(\d{6}),')


def _zeek_ts(form: str, line: bytes) -> list[bytes]:
    """A Zeek JSON record as ``LogAscii::json_timestamps`` writes it: its ``ts`` an ISO 8601
    string in UTC, to the microsecond (``JSON::TS_ISO8601``, ``form`` "iso"), or an integer
    of milliseconds (``JSON::TS_MILLIS``, "millis")."""
    m = _EPOCH_TS.match(line)
    if m is None:
        return [line]
    if form == "millis":
        return [b'{"ts":%s%s,' % (m[1], m[2][:3]) + line[m.end() :]]
    when = datetime.fromtimestamp(int(m[1]), UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return [b'{"ts":"%s.%sZ",' % (when.encode(), m[2]) + line[m.end() :]]


_WEB_FIELDS = re.compile(rb' op=\S+ result=\S+ arg="[^"]*"')


def _connection(line: bytes) -> list[bytes]:
    """A Stormshield web proxy record as the connection record of the same traffic (SNS 4's
    fields: the slot level, the protocol, the interface, the IP version)."""
    if not line.endswith(b' logtype="web"'):
        return [line]
    line = _WEB_FIELDS.sub(b"", line).replace(b' logtype="web"', b' logtype="connection"')
    line = line.replace(b" proto=", b' slotlevel=2 ipproto=tcp dstif="Ethernet0" proto=', 1)
    return [line.replace(b" duration=", b" ipv=4 duration=", 1)]


_PRI_DATE = re.compile(rb"^<\d+>date=\d{4}-(\d\d)-(\d\d) time=(\d\d:\d\d:\d\d)")


def _relayed(line: bytes) -> list[bytes]:
    """A FortiGate record as a syslog server (rsyslog's traditional file format) writes it:
    its RFC 3164 header, the time received and the sender, instead of the ``<PRI>``."""
    m = _PRI_DATE.match(line)
    if m is None:
        return [line]
    month = datetime(2000, int(m[1]), 1).strftime("%b").encode()
    header = b"%s %2d %s fw-chu.example.fr " % (month, int(m[2]), m[3])
    return [header + line.split(b">", 1)[1]]


#: a device's ``<PRI>``, maybe with its RFC 5424 header (CEF's: its app)
_DEVICE_HEADER = re.compile(rb"^<\d+>(?:1 \S+ \S+ (\S+) \S+ \S+ (?:- )?)?")
#: the tag a device writes in its RFC 3164 header (CEF's: its RFC 5424 header's app)
_DEVICE_TAG = {
    "stormshield": b"asqd",
    "leef": b"swg",
    "zscaler": b"nss",
    "cisco-wsa": b"accesslogs",  # (the WSA's log subscription's name, then the level)
}
#: what a device writes between its tag and its record
_DEVICE_LEVEL = {"cisco-wsa": b"Info: "}


def _relayed_by_server(name: str, n: list[int], line: bytes) -> list[bytes]:
    """A record of ``name`` as a syslog server writes it in its files, one line in two with
    rsyslog's and syslog-ng's traditional header (RFC 3164), the other with rsyslog's default
    (RFC 3339): the time received, the sender and the device's tag, instead of the ``<PRI>``
    (``n`` counts the lines)."""
    if not line:
        return [line]
    m = _DEVICE_HEADER.match(line)
    rest = line if m is None else line[m.end() :]
    app = m[1] if m is not None and m[1] not in (None, b"-") else _DEVICE_TAG.get(name)
    n[0] += 1
    when = b"Aug  1 22:00:10" if n[0] % 2 else b"2026-08-01T22:00:10.123456+02:00"
    tag = app + b": " if app else b""
    return [when + b" fw-chu.example.fr " + tag + _DEVICE_LEVEL.get(name, b"") + rest]


_BIND_OWN = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d{3}Z queries: info: ")
_PARIS = ZoneInfo("Europe/Paris")  # (the simulator's zone, and the scan's by default)


def _bind_syslog(line: bytes) -> list[bytes]:
    """A BIND query as its ``default_syslog`` channel writes it in the local syslog daemon's
    files: the local time without a year, the host and ``named[pid]:`` instead of BIND's ISO
    print-time, category and severity."""
    m = _BIND_OWN.match(line)
    if m is None:
        return [line]
    t = datetime.fromisoformat(m[1].decode() + "+00:00").astimezone(_PARIS)
    return [f"{t:%b} {t.day:2d} {t:%H:%M:%S} ns1 named[812]: ".encode() + line[m.end() :]]


def _dnsmasq_syslog(line: bytes) -> list[bytes]:
    """A dnsmasq line as the local syslog daemon writes it in its files (dnsmasq's default
    without ``log-facility``): the host between the date and dnsmasq's tag."""
    return [line.replace(b" dnsmasq[", b" dns dnsmasq[", 1)]


def _bind_rfc3339(line: bytes) -> list[bytes]:
    """A BIND query as its ``default_syslog`` channel writes it in the files of rsyslog's
    default format (``RSYSLOG_FileFormat``, Debian's since 12): an RFC 3339 time with
    microseconds and the local offset, the host and ``named[812]:``."""
    m = _BIND_OWN.match(line)
    if m is None:
        return [line]
    t = datetime.fromisoformat(m[1].decode() + "+00:00").astimezone(_PARIS)
    return [f"{t.isoformat(timespec='microseconds')} ns1 named[812]: ".encode() + line[m.end() :]]


_DNSMASQ_OWN = re.compile(rb"^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) dnsmasq\[")


def _dnsmasq_rfc3339(line: bytes) -> list[bytes]:
    """A dnsmasq line as rsyslog's default file format writes it: its local time in 2026 (the
    simulated month's year) as an RFC 3339 time with microseconds and its offset, the host."""
    m = _DNSMASQ_OWN.match(line)
    if m is None:
        return [line]
    t = datetime.strptime(f"2026 {m[1].decode()}", "%Y %b %d %H:%M:%S").replace(tzinfo=_PARIS)
    stamp = t.replace(microsecond=len(line) * 7919 % 1_000_000).isoformat(timespec="microseconds")
    return [f"{stamp} dns dnsmasq[".encode() + line[m.end() :]]


_RFC3339 = {"bind": _bind_rfc3339, "dnsmasq": _dnsmasq_rfc3339}


_DMY_TIME = re.compile(rb"^(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d:\d\d) ")


def _twelve_hour(line: bytes) -> list[bytes]:
    """A Windows DNS debug log line as a server in an en-US locale writes it: its date month
    first, day and month without a leading zero, its time on a 12-hour clock
    (``M/D/YYYY h:MM:SS AM``)."""
    m = _DMY_TIME.match(line)
    if m is None:
        return [line]
    hour = int(m[4])
    when = b"%d/%d/%s %d:%s %s " % (
        int(m[2]),
        int(m[1]),
        m[3],
        hour % 12 or 12,
        m[5],
        b"PM" if hour >= 12 else b"AM",
    )
    return [when + line[m.end() :]]


def _windows_dns_forwarded(line: bytes) -> list[bytes]:
    """After a query a client sent, the three packet lines of its forwarding, which the parser
    skips (the query sent to a forwarder, its response received, the response sent to the
    client)."""
    if b" Rcv " not in line or b"   Q [0001   D" not in line:
        return []
    sent = line.replace(b" Rcv ", b" Snd ")
    response = line.replace(b"   Q [0001   D ", b" R Q [8081   DR")
    return [sent, response, sent.replace(b"   Q [0001   D ", b" R Q [8081   DR")]


def _dnsmasq_forwarded(line: bytes) -> list[bytes]:
    """After a query, its forwarding and the reply as ``log-queries`` writes them (Pi-hole's
    default), which the parser skips."""
    head, sep, rest = line.partition(b"]: query[")
    if not sep or b" from " not in rest:
        return []
    name = rest.split(b"] ", 1)[-1].split(b" from ", 1)[0]
    return [
        head + b"]: forwarded " + name + b" to 127.0.0.1#5335",
        head + b"]: reply " + name + b" is 104.18.32.47",
    ]


def _inputs(d: Path, lines: int, generator: str) -> tuple[Path, Path, Path, dict[str, int]]:
    stem = f"access-{lines}" if generator == "research" else f"sim-{lines}"
    plain, gz, truth_path = d / f"{stem}.log", d / f"{stem}.log.gz", d / f"{stem}.truth.json"
    if not plain.exists() or not truth_path.exists():
        t = time.perf_counter()
        make = generate if generator == "research" else _simulate
        truth = make(str(plain), lines)
        truth_path.write_text(json.dumps(truth))
        print(f"generated {plain} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    if not gz.exists():
        with open(gz, "wb") as out:
            subprocess.run(["gzip", "-6", "-c", str(plain)], stdout=out, check=True)
    domains = d / "domains.txt"
    from sentinelle.catalog import load_catalog

    domains.write_text("\n".join(sorted({r.domain for r, _ in load_catalog().rules()})) + "\n")
    return plain, gz, domains, json.loads(truth_path.read_text())


def _simulate(path: str, lines: int) -> dict[str, int]:
    """A CHU-sized simulated month, its day files concatenated into one Squid log."""
    from sentinelle.simulate import HospitalConfig, simulate

    out = Path(path).with_suffix("")
    config = HospitalConfig(seed=42, workstations=9000, lines=lines, ai_share=0.005)
    sim = simulate(out, config)
    with open(path, "wb") as dest:
        for day in sim.logs["squid"]:
            with open(day, "rb") as src:
                shutil.copyfileobj(src, dest, 1 << 24)
            day.unlink()  # the concatenated copy is what is measured
    return {"lines": sim.lines, "ai_lines": sim.ai_hits, "garbage": sim.garbage}


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float]:
    """(wall s, peak RSS MB of the largest process, stdout, CPU s) of one run.

    CPU: user + system time of the command and of every process it waited for (the scan's
    workers), as ``time -v`` reports them; NaN without ``/usr/bin/time``."""
    full = [TIME, "-v", *cmd] if Path(TIME).exists() else cmd
    t = time.perf_counter()
    p = subprocess.run(full, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    times = re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", p.stderr)
    cpu = sum(map(float, times)) if len(times) == 2 else float("nan")
    return wall, (int(m.group(1)) / 1024 if m else float("nan")), p.stdout, cpu


def _sentinelle(args: argparse.Namespace, path: Path, store: Path) -> list[str]:
    shutil.rmtree(store, ignore_errors=True)
    return [
        sys.executable,
        "-m",
        "sentinelle",
        "scan",
        str(path),
        "--store",
        str(store),
        "--jobs",
        str(args.jobs),
        "--secret",
        str(args.dir / "secret.key"),
        "--json",
        *(["--inventory", str(args.inventory)] if args.inventory else []),
    ]


def _daily(plain: Path) -> list[Path]:
    """The plain log cut at newlines into :data:`DAYS` parts of equal size, each ``gzip -6``."""
    out = plain.with_name(f"{plain.stem}-daily")
    files = [out / f"day-{i + 1:02d}.log.gz" for i in range(DAYS)]
    if all(f.exists() for f in files):
        return files
    out.mkdir(exist_ok=True)
    size = plain.stat().st_size
    with open(plain, "rb") as src:
        start = 0
        for i, f in enumerate(files):
            src.seek(max(start, (i + 1) * size // DAYS - 1))
            src.readline()  # on to the end of the line the cut falls in
            end = size if i == DAYS - 1 else src.tell()
            src.seek(start)
            with open(f, "wb") as dest:
                gz = subprocess.Popen(["gzip", "-6", "-c"], stdin=subprocess.PIPE, stdout=dest)
                assert gz.stdin is not None
                left = end - start
                while left:
                    chunk = src.read(min(left, 1 << 24))
                    gz.stdin.write(chunk)
                    left -= len(chunk)
                gz.stdin.close()
                if gz.wait():
                    raise SystemExit(f"gzip failed on {f}")
            start = end
    return files


def _run_all(args: argparse.Namespace, plain: Path, gz: Path, domains: Path) -> list[Row]:
    c_env = {**os.environ, "LC_ALL": "C"}
    daily = _daily(plain)
    specs: list[tuple[str, Path, object, dict[str, str] | None]] = [
        ("wc -l", plain, lambda: ["wc", "-l", str(plain)], None),
        (
            "grep -c -F -f domains.txt (LC_ALL=C)",
            plain,
            lambda: ["grep", "-c", "-F", "-f", str(domains), str(plain)],
            c_env,
        ),
        ("sentinelle scan (plain)", plain, lambda: _sentinelle(args, plain, args.dir / "st"), None),
        (FLOOR_PLAIN, plain, lambda: _floor(args, plain), None),
        (
            "sentinelle scan (plain, portable engine)",
            plain,
            lambda: _sentinelle(args, plain, args.dir / "st"),
            {**os.environ, "SENTINELLE_PORTABLE": "1"},
        ),
        (
            "Python isal decompression alone",
            gz,
            lambda: [sys.executable, "-c", ISAL_READ, str(gz)],
            None,
        ),
        ("gzip -dc > /dev/null", gz, lambda: ["sh", "-c", f"gzip -dc '{gz}' > /dev/null"], None),
        ("sentinelle scan (gzip)", gz, lambda: _sentinelle(args, gz, args.dir / "st"), None),
        (FLOOR_GZIP, gz, lambda: _floor(args, gz), None),
        (
            f"Python isal decompression alone ({DAYS} daily files)",
            daily[0].parent,
            lambda: [sys.executable, "-c", ISAL_READ, *map(str, daily)],
            None,
        ),
        (
            f"sentinelle scan (gzip, {DAYS} daily files)",
            daily[0].parent,
            lambda: _sentinelle(args, daily[0].parent, args.dir / "st"),
            None,
        ),
    ]
    zst = plain.with_name(plain.name + ".zst")
    if shutil.which("zstd"):  # (logrotate's compresscmd may be zstd: not the target)
        if not zst.exists():
            subprocess.run(
                ["zstd", "-q", "-3", "-T0", "-f", str(plain), "-o", str(zst)], check=True
            )
        specs += [
            (
                "Python zstandard decompression alone",
                zst,
                lambda: [sys.executable, "-c", ZSTD_READ, str(zst)],
                None,
            ),
            ("sentinelle scan (zstd)", zst, lambda: _sentinelle(args, zst, args.dir / "st"), None),
        ]
    if shutil.which("goaccess"):
        specs.append(
            (
                "GoAccess (squid log format, JSON)",
                plain,
                lambda: ["sh", "-c", f"goaccess '{plain}' --log-format=SQUID -o json > /dev/null"],
                None,
            )
        )
    rows = [Row(name, path) for name, path, _, _ in specs]
    _warm(plain)
    _timed(_sentinelle(args, plain, args.dir / "st"))  # the prefilter's compiled cache, imports
    # in rounds, every command once per round: a ratio is taken within a round (the same
    # moment; this machine's speed drifts by tens of percent within minutes), then the median
    for _ in range(args.runs):
        for row, (name, path, make, env) in zip(rows, specs, strict=True):
            _warm(path)
            wall, rss, out, cpu = _timed(make(), env)  # type: ignore[operator]
            row.walls.append(wall)
            row.cpus.append(cpu)
            row.rss_mb = max(row.rss_mb, rss)
            row.check = _check(name, out)
            print(f"{name}: {wall:.2f} s", file=sys.stderr)
    return rows


def _floor(args: argparse.Namespace, path: Path) -> list[str]:
    """The scan's floor (``bench/floor.py``): the file's lines walked on ``--jobs`` threads, and
    nothing else."""
    return [sys.executable, str(HERE / "floor.py"), str(path), "--threads", str(args.jobs)]


def _warm(path: Path) -> None:
    """Read ``path`` into the page cache just before it is timed: on a virtual machine whose
    host reclaims the guest's cache, a file read once at the start is partly on disk again by
    the time the later commands run (seen here: half of the 1.2 GB log within minutes)."""
    files = sorted(map(str, path.iterdir())) if path.is_dir() else [str(path)]
    subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)


def _check(name: str, out: str) -> str:
    if name.startswith("sentinelle"):
        j = json.loads(out)
        return f"lines={j['lines']:,} rejected={j['rejected']} ai_events={j['ai_events']:,}"
    if name.startswith("floor"):
        return f"lines={int(out.split('=')[1]):,}"
    if name.startswith(("wc", "grep")):
        return f"{int(out.split()[0]):,}"
    return ""


def _scaled(args: argparse.Namespace, plain: Path, k: int) -> tuple[float, float]:
    """Wall time and peak RSS of one scan of the log repeated ``k`` times (deleted after)."""
    big = args.dir / f"{plain.stem}-x{k}.log"
    if not big.exists():
        with open(big, "wb") as out:
            subprocess.run(["cat", *[str(plain)] * k], stdout=out, check=True)
    _warm(big)
    wall, rss, _, _ = _timed(_sentinelle(args, big, args.dir / "st2"))
    big.unlink()
    print(f"sentinelle scan (plain, {k}x lines): {wall:.2f} s, {rss:.0f} MB", file=sys.stderr)
    return wall, rss


def _print(
    args: argparse.Namespace,
    rows: list[Row],
    scaled: dict[int, tuple[float, float]],
    truth: dict[str, int],
    load_before: tuple[float, float, float],
) -> None:
    by = {r.name: r for r in rows}
    lines, size = args.lines, rows[0].path.stat().st_size
    print(
        f"\n### `sentinelle scan` on {lines:,} Squid lines ({size / 1e9:.2f} GB plain, "
        f"{by['sentinelle scan (gzip)'].path.stat().st_size / 1e6:.0f} MB gzip -6), "
        f"median of {args.runs}, --jobs {args.jobs}\n"
    )
    print(_machine(load_before))
    print("| command | input | wall s | CPU s | M lines/s | MB/s | peak RSS MB | check |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.name} | {r.path.name} | {r.wall:.2f} | {r.cpu:.2f} | "
            f"{lines / r.wall / 1e6:.2f} | {size / r.wall / 1e6:.0f} | {r.rss_mb:.0f} | "
            f"{r.check} |"
        )
    for k, (wall, rss) in scaled.items():
        print(
            f"| sentinelle scan (plain, {k}x lines, 1 run) | x{k} | {wall:.2f} | | "
            f"{k * lines / wall / 1e6:.2f} | {k * size / wall / 1e6:.0f} | {rss:.0f} | |"
        )
    print(f"\nGenerator truth: {truth}\n")
    # every command that counts lines must count the file's (a floor that walked part of the
    # file once went unnoticed: its time then means nothing)
    counted = {r.name: r.check.split()[0].split("=")[-1] for r in rows if r.check}
    expected = f"{truth['lines']:,}"
    for name, got in counted.items():
        if not name.startswith("grep") and got != expected:
            print(f"**WARNING: {name} counted {got} lines, not {expected}: its time is wrong**\n")
    plain, gzs = by["sentinelle scan (plain)"], by["sentinelle scan (gzip)"]
    targets = [
        (
            "plain scan at least 2x faster than grep -F",
            _ratio(by[rows[1].name], plain),
            2.0,
            "≥",
        ),
        ("plain scan within 10x of wc -l", _ratio(plain, by["wc -l"]), 10.0, "≤"),
        (
            "gzip scan at most 1.3x isal decompression",
            _ratio(gzs, by["Python isal decompression alone"]),
            1.3,
            "≤",
        ),
        ("peak RSS under 1 GiB (MB)", max(plain.rss_mb, gzs.rss_mb), 1024.0, "≤"),
    ]
    days = by.get(f"sentinelle scan (gzip, {DAYS} daily files)")
    if days is not None:  # not the target (one .gz), the usual layout of a month
        isal_days = by[f"Python isal decompression alone ({DAYS} daily files)"]
        targets.insert(
            3,
            (f"(the month as {DAYS} daily .gz: scan / isal)", _ratio(days, isal_days), 1.3, "≤"),
        )
    zstd = by.get("sentinelle scan (zstd)")
    if zstd is not None:  # not the target either: the same month as one .zst
        zstd_alone = by["Python zstandard decompression alone"]
        targets.append(
            ("(the month as one .zst: scan / zstandard)", _ratio(zstd, zstd_alone), 1.3, "≤")
        )
    for k, (_, rss) in scaled.items():
        targets.append((f"peak RSS flat: {k}x lines / 1x lines", rss / plain.rss_mb, 1.1, "≤"))
    if FLOOR_PLAIN in by and FLOOR_GZIP in by:  # what the walker alone allows (not targets)
        targets += [
            (
                "(floor: grep -F / the lines walked)",
                _ratio(by[rows[1].name], by[FLOOR_PLAIN]),
                2.0,
                "≥",
            ),
            (
                "(floor: ISA-L + the lines walked / isal)",
                _ratio(by[FLOOR_GZIP], by["Python isal decompression alone"]),
                1.3,
                "≤",
            ),
        ]
    print(
        f"Ratios are taken within each of the {args.runs} rounds (every command once per round, "
        "one after the other), then their median.\n"
    )
    print("| target | measured | goal | met |")
    print("|---|---|---|---|")
    for name, value, goal, op in targets:
        ok = value >= goal if op == "≥" else value <= goal
        print(f"| {name} | {value:.2f} | {op} {goal:g} | {'yes' if ok else 'NO'} |")
    grep = by[rows[1].name]
    print(  # a slow moment shows in one round's figures, which the median hides
        f"\nRound by round: grep {_walls(grep)} s; the plain scan {_walls(plain)} s; ratios "
        + ", ".join(f"{g / p:.2f}" for g, p in zip(grep.walls, plain.walls, strict=True))
        + "."
    )
    print()
    for line in _budget(by, rows[1].name, os.cpu_count() or 1):
        print(line)
    print(f"\nload average before: {load_before}, after: {os.getloadavg()}")


def _budget(by: dict[str, Row], grep_name: str, cores: int) -> list[str]:
    """What the CPU time of each scan allows on this machine's cores, against its goal.

    ``cores`` cores cannot do ``cpu`` seconds of work in less than ``cpu / cores`` seconds: a
    goal whose wall time is below that cannot be met on this machine with that CPU time, and
    the CPU time a goal leaves is ``cores × goal wall``.  (The wall time is also bound by the
    longest chain of work that cannot run at once: the inflation of one gzip stream, the
    start-up before the workers; this floor ignores them, so it is an optimistic one.)"""
    plain, gzs = by["sentinelle scan (plain)"], by["sentinelle scan (gzip)"]
    isal, grep = by["Python isal decompression alone"], by[grep_name]
    if any(math.isnan(r.cpu) for r in (plain, gzs, isal)):
        return [f"(no CPU budget: {TIME} is missing, which measures the CPU time)"]
    out = [f"CPU budget on {cores} cores (median CPU s, user + system, all processes):"]
    for name, row, goal_wall, goal in (
        ("plain scan", plain, grep.wall / 2, "half of grep's wall"),
        ("gzip scan", gzs, 1.3 * isal.wall, "1.3x isal's wall"),
    ):
        floor = row.cpu / cores
        allowed = cores * goal_wall
        out.append(
            f"- the {name} used {row.cpu:.2f} s of CPU: at best {floor:.2f} s of wall on "
            f"{cores} cores; the goal ({goal}, {goal_wall:.2f} s) leaves {allowed:.2f} s of "
            f"CPU, {allowed / row.cpu:.0%} of what it uses."
        )
    out.append(
        f"- isal's inflation alone used {isal.cpu:.2f} s of CPU, which the gzip scan does too: "
        f"the goal leaves {cores * 1.3 * isal.wall - isal.cpu:.2f} s of CPU for all the rest "
        f"(start-up, line checks, attribution, store), "
        f"{(cores * 1.3 * isal.wall - isal.cpu) / max(plain.cpu, 1e-9):.0%} of the plain "
        f"scan's CPU, which does all of it but the inflation."
    )
    return out


def _walls(row: Row) -> str:
    return ", ".join(f"{w:.2f}" for w in row.walls)


def _machine(load: tuple[float, float, float]) -> str:
    cpu = "?"
    try:
        m = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = m.group(1) if m else cpu
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import hyperscan
    import isal

    return (
        f"Machine: {os.cpu_count()} CPU ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, hyperscan "
        f"{getattr(hyperscan, '__version__', '?')}, isal {isal.__version__}; "
        f"load average at start {load[0]:.2f}.\n"
    )


if __name__ == "__main__":
    main()
