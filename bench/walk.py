r"""The native walker alone on a log's first blocks: nanoseconds a line (issue 7).

What a change to ``scan/_lines.c`` does to the walk, without the rest of the scan around it:
the file's first ``--blocks`` blocks of :data:`~sentinelle.scan.blocks.BLOCK` bytes (cut after
their last newline) are read into memory, then walked ``--passes`` times by ``native.walk``
with a fresh host table of :data:`~sentinelle.scan.fast.HOST_SLOTS` each pass, every new entry
decided "no" (as nearly all of them are); the best pass is printed.  Two trees side by side,
alternated (the machine's speed drifts)::

    for r in 1 2 3 4; do for t in /tmp/old /work/main; do
        PYTHONPATH=$t/src python bench/walk.py /tmp/sentinelle-bench/sim-10000000.log
    done; done

Run by hand, never by the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="a plain log of the format")
    ap.add_argument("--format", default="squid", help="its format (default: squid)")
    ap.add_argument("--blocks", type=int, default=150, help="blocks read (default: 150)")
    ap.add_argument("--passes", type=int, default=5, help="walks of them (default: 5)")
    args = ap.parse_args(argv)

    import numpy as np

    from sentinelle.formats import get_format
    from sentinelle.scan import blocks, fast, native

    profile = get_format(args.format).usual
    if profile is None or not native.available():
        raise SystemExit(f"{args.format}: no usual line, or the native walker is not built")
    program = fast.program(profile)
    data: list[bytes] = []
    with args.path.open("rb") as fh:
        tail = b""
        for _ in range(args.blocks):
            chunk = tail + fh.read(blocks.BLOCK)
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                break
            data.append(chunk[:cut])
            tail = chunk[cut:]
    best, lines = float("inf"), 0
    for _ in range(args.passes):
        table = native.HostTable(fast.HOST_SLOTS)
        lines = 0
        start = time.perf_counter()
        for block in data:
            w = native.walk(program, block, table)
            table.decide(w.slots[:, 0], np.full(len(w.slots), native.NO, np.uint8))
            lines += w.lines
        best = min(best, time.perf_counter() - start)
    per_line = best / lines * 1e9
    print(f"{lines:,} lines, best of {args.passes} passes {best:.3f} s, {per_line:.1f} ns a line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
