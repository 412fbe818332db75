"""The simulated hospital: proxy logs in every supported format, an inventory, a ground truth.

::

    res = simulate(Path("out"), HospitalConfig(workstations=600), formats=("squid",))
    Truth.load(res.truth).metrics(by=["service"], period="2026-08")

Layout of ``out_dir``: ``logs/<format>/<one file per local day>``, ``inventory.csv``,
``truth/ai_hits.csv`` (every AI hit, primary and auxiliary) and ``truth/summary.json``.
See ``docs/simulator.md`` for the model, the calibration and the traps.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sentinelle.errors import ConfigError
from sentinelle.simulate import writers
from sentinelle.simulate.background import plan_background
from sentinelle.simulate.config import HospitalConfig
from sentinelle.simulate.dhcp import Leases, plan_leases
from sentinelle.simulate.hospital import Hospital, build_hospital, describe, write_inventory
from sentinelle.simulate.records import DENIED, Connections, Tables, UserIndex
from sentinelle.simulate.sessions import ai_connections
from sentinelle.simulate.timeline import Calendar, calendar
from sentinelle.simulate.traffic import build_tables, day_connections
from sentinelle.simulate.truth import FILE_NAME, Truth, write_truth

__all__ = ["HospitalConfig", "SimulationResult", "Truth", "simulate"]

Progress = Callable[[int, int], None]


@dataclass
class SimulationResult:
    """What :func:`simulate` wrote.  ``lines`` counts every physical line of one format."""

    logs: dict[str, list[Path]]
    inventory: Path
    truth: Path
    lines: int  # valid + garbage + blank lines (per format; ``wc -l``)
    garbage: int  # malformed lines injected (a scanner must reject exactly these)
    blank: int = 0  # empty lines (a scanner skips them: neither events nor rejected)
    events: int = 0  # valid log lines
    ai_hits: int = 0  # AI lines in the logs (primary + auxiliary, counted or not)
    seconds: float = 0.0
    summary: dict[str, object] = field(default_factory=dict)
    dhcp: dict[str, list[Path]] = field(default_factory=dict)  # with config.dhcp: lease files


def simulate(
    out_dir: Path | str,
    config: HospitalConfig = HospitalConfig(),  # noqa: B008
    formats: Sequence[str] = ("squid",),
    compress: str | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate ``config``'s hospital and write its logs, inventory and ground truth."""
    started = time.perf_counter()
    fmts = writers.names(formats)
    if compress not in writers.SUFFIXES:
        raise ConfigError(f"unknown compression {compress!r}", hint="use gz, bz2 or zst")
    out = Path(out_dir)
    rng = np.random.default_rng(config.seed)
    hosp = build_hospital(config, rng)
    cal = calendar(config)
    tables = build_tables(hosp, config, rng)
    tables.cache["tz"] = config.tz  # writers of local-time formats read it
    users = UserIndex.of(hosp)
    ai = ai_connections(hosp, config, cal, tables, users, rng)
    leases = _leases(hosp, config, cal, tables, ai)
    plan = plan_background(hosp, config, cal, tables, max(config.total_lines - len(ai), 0), rng)
    dirs = {f: _clean_dir(out / "logs" / f, writers.get(f)) for f in fmts}
    logs: dict[str, list[Path]] = {f: [] for f in fmts}
    events = garbage = blank = 0
    for t0, t1, day in cal.day_edges:
        conns = day_connections(plan, ai, cal, t0, t1, tables, users, rng)
        conns = leases.readdress(conns) if leases else conns
        junk = writers.Junk.draw(len(conns), config.garbage_share, config.blank_share, rng)
        for f in fmts:
            logs[f].append(_write(dirs[f], writers.get(f), day, conns, tables, junk, compress))
        events, garbage, blank = events + len(conns), garbage + junk.garbage, blank + junk.blank
        if progress:
            progress(events, config.total_lines)
    inventory = write_inventory(hosp, out / "inventory.csv")
    truth = write_truth(out / "truth" / FILE_NAME, _truth_rows(ai, hosp, tables, leases))
    res = SimulationResult(
        logs,
        inventory,
        truth,
        events + garbage + blank,
        garbage,
        blank,
        events,
        len(ai),
        time.perf_counter() - started,
    )
    res.summary = _summary(config, hosp, cal, res)
    res.dhcp = leases.write(out / "dhcp", tables, config) if leases else {}
    (out / "truth" / "summary.json").write_text(
        json.dumps(res.summary, indent=2, ensure_ascii=False), "utf-8"
    )
    return res


def _clean_dir(directory: Path, writer: object) -> Path:
    """Create ``logs/<format>/``; remove log files a previous simulation left there."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(writer.file_name("*") + "*"):  # type: ignore[attr-defined]
        old.unlink()
    return directory


def _write(
    directory: Path,
    writer: object,
    day: str,
    conns: Connections,
    tables: Tables,
    junk: writers.Junk,
    compress: str | None,
) -> Path:
    path = writers.log_path(directory, writer, day, compress)  # type: ignore[arg-type]
    lines = writer.render(conns, tables)  # type: ignore[attr-defined]
    with writers.open_log(path, compress) as fh:
        writers.write_lines(fh, lines, junk, writer)  # type: ignore[arg-type]
    finish = getattr(writer, "finish", None)  # e.g. dnsmasq: mtime in the day (year-less dates)
    if finish is not None:
        finish(path, day, tables)
    return path


def _leases(
    h: Hospital, config: HospitalConfig, cal: Calendar, t: Tables, ai: Connections
) -> Leases | None:
    if not config.dhcp:
        return None
    return plan_leases(h, config, cal.day_edges[0][0], cal.day_edges[-1][1], t, ai)


def _truth_rows(
    ai: Connections, h: Hospital, t: Tables, leases: Leases | None = None
) -> list[tuple[object, ...]]:
    import datetime as dt

    rows: list[tuple[object, ...]] = []
    for k in range(len(ai)):
        c, u, s = int(ai.client[k]), int(ai.user[k]), int(ai.service[k])
        ts = int(ai.ts[k])
        site, dep, role = h.labels(c)
        rows.append(
            (
                ts,
                dt.datetime.fromtimestamp(ts / 1000, dt.UTC)
                .isoformat(timespec="milliseconds")
                .replace("+00:00", "Z"),
                leases.source(t, c, ts) if leases else t.clients[c],
                h.identity[c],
                t.users[u] if u >= 0 else "",
                t.services[s],
                t.categories[s],
                "auxiliary" if ai.aux[k] else "primary",
                int(ai.result[k] == DENIED),
                int(ai.status[k]),
                int(ai.bytes_out[k]),
                int(ai.bytes_in[k]),
                site,
                dep,
                role,
                t.hosts[int(ai.host[k])],
            )
        )
    return rows


def _summary(
    config: HospitalConfig, h: Hospital, cal: Calendar, res: SimulationResult
) -> dict[str, object]:
    begin, end = config.window()
    return {
        "name": config.name,
        "seed": config.seed,
        "tz": config.tz,
        "window_local": [begin.isoformat(), end.isoformat()],
        "files": len(cal.day_edges),
        "lines": res.lines,
        "events": res.events,
        "garbage": res.garbage,
        "blank": res.blank,
        "ai_hits": res.ai_hits,
        "hospital": describe(h),
        "seconds": round(res.seconds, 3),
    }
