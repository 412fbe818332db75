r"""Compare two versions of ``sentinelle scan`` on the same input, runs interleaved (issue 7).

On a shared machine whose speed drifts by tens of percent within minutes, two versions timed one
after the other compare moments, not code.  This script alternates them, round after round, and
prints each version's median and fastest wall time and CPU time (user + system, children)::

    git worktree add /tmp/old HEAD~3        # the version to compare with, and its extensions:
    (cd src && find . -name '*.so' -exec cp --parents {} /tmp/old/src \;)
    python bench/scan_ab.py --old /tmp/old/src LOG --inventory INV --secret KEY --rounds 6

``--old`` (and ``--new``, this checkout's ``src`` by default) is put first on ``PYTHONPATH``: the
tree must hold its compiled extensions (``_lines``, ``_kvfast``; copy them when the C code did not
change between the versions, build them in the tree when it did), or it silently takes their
pure-Python fallbacks and runs slower than it would installed.  Both trees are byte-compiled
first (a tree without ``.pyc`` files pays ~0.05-0.1 s of compilation a run).  Each run gets a
fresh store.  Run by hand, never by the test suite.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", type=Path, help="log files to scan")
    ap.add_argument("--old", type=Path, required=True, help="the other version's src directory")
    ap.add_argument("--new", type=Path, default=HERE.parent / "src", help="default: this src")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--inventory", type=Path)
    ap.add_argument("--secret", type=Path, required=True)
    ap.add_argument("--format", help="the inputs' format (default: detected)")
    args = ap.parse_args(argv)
    for tree in (args.old, args.new):
        if not (tree / "sentinelle").is_dir():
            ap.error(f"{tree}: no sentinelle package there (give a src directory)")
        compileall.compile_dir(str(tree), quiet=1)
    versions = {"old": args.old, "new": args.new}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    store = Path(tempfile.mkdtemp(prefix="scan-ab-"))
    try:
        for r in range(args.rounds):
            order = list(versions) if r % 2 == 0 else list(reversed(versions))
            for name in order:
                times[name].append(_run(versions[name], args, store / "store"))
                wall, cpu = times[name][-1]
                print(f"round {r + 1} {name}: {wall:.3f} s wall, {cpu:.3f} s CPU", flush=True)
    finally:
        shutil.rmtree(store, ignore_errors=True)
    for name, runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{name}: wall median {statistics.median(walls):.3f} s, fastest {min(walls):.3f} s; "
            f"CPU median {statistics.median(cpus):.3f} s, least {min(cpus):.3f} s"
        )
    return 0


def _run(src: Path, args: argparse.Namespace, store: Path) -> tuple[float, float]:
    """One scan with ``src`` first on the path: (wall seconds, CPU seconds of its processes)."""
    shutil.rmtree(store, ignore_errors=True)
    cmd = [sys.executable, "-m", "sentinelle", "scan", *map(str, args.inputs)]
    cmd += ["--store", str(store), "--jobs", str(args.jobs), "--secret", str(args.secret)]
    cmd += ["--json"]
    if args.inventory:
        cmd += ["--inventory", str(args.inventory)]
    if args.format:
        cmd += ["--format", args.format]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


if __name__ == "__main__":
    sys.exit(main())
