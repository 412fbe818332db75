"""Log writers: one module per log format, registered in :data:`WRITERS`.

A writer turns columnar connection records into lines; everything else (files per day,
sorting, garbage and blank lines, compression) is shared and lives here.  A writer module
exposes:

``NAME``
    the format name (also the ``logs/<NAME>/`` directory);
``DESCRIPTION``
    one line for ``--help`` and the docs;
``RECORDS``
    the optional fields the format records, among ``{"user", "bytes_in", "bytes_out"}``
    (the ground truth reports ``None``/0 for the others);
``file_name(day: str) -> str``
    the file name for one local day (``YYYY-MM-DD``), before any compression suffix;
``render(conns: Connections, tables: Tables) -> pyarrow.Array``
    one string per record, same order, without the newline.  Do it vectorized (pyarrow
    compute or numpy): a CHU month is tens of millions of lines;
``truncate(line: bytes, rng) -> bytes`` (optional)
    a malformed copy of a line that the format's parser must reject; the default keeps the
    first 5–30 % of the characters, which for field-ordered formats cuts before the URL.
``HEADER: tuple[str, ...]`` (optional)
    lines written at the top of every file, before any record or junk line (ELFF
    ``#Fields:``, a CSV header); the parser skips them;
``RESOLUTION_MS: int`` (optional, default 1)
    the precision of the format's timestamps (1000 when it writes whole seconds): the ground
    truth floors hit times to it before splitting visits, as the scanner can only see that;
``PROTOCOL: str`` (optional, default ``"web"``)
    the ``Store.metrics(protocol=...)`` the format's hits land in (``"dns"`` for resolvers);
``SEES_BLOCKED: bool`` (optional, default True)
    False when the format cannot show the deny decision (a passive sensor): no ``blocked``.
``finish(path: Path, day: str, tables: Tables) -> None`` (optional)
    called once the day's file is written and closed (``dnsmasq`` sets the file's mtime in
    its day: its dates have no year, and the parser takes the year from the mtime).

Add a format by adding a module and one entry to :data:`WRITERS`.
"""

from __future__ import annotations

import bz2
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sentinelle.errors import ConfigError
from sentinelle.simulate.writers import (
    bind,
    bluecoat,
    cef,
    checkpoint,
    cisco_umbrella_dns,
    cisco_umbrella_proxy,
    cisco_wsa,
    dnsmasq,
    forcepoint,
    fortigate,
    leef,
    netskope,
    opnsense_squid,
    paloalto,
    sophos,
    squid,
    squid_combined,
    stormshield,
    w3c,
    windows_dns,
    zeek,
    zscaler,
)

# The proxy writers (issue 3, item 6), in the order of `sentinelle formats`.
PROXIES = (
    squid_combined,
    bluecoat,
    w3c,
    cisco_wsa,
    zscaler,
    netskope,
    cisco_umbrella_proxy,
    forcepoint,
    opnsense_squid,
)
WRITERS: dict[str, ModuleType] = {
    m.NAME: m
    for m in (
        *(squid, windows_dns, bind, dnsmasq, cisco_umbrella_dns, zeek),
        *(stormshield, fortigate, paloalto, sophos, checkpoint, cef, leef),
        *PROXIES,
    )
}
SUFFIXES = {None: "", "gz": ".gz", "bz2": ".bz2", "zst": ".zst"}


def get(name: str) -> ModuleType:
    """The writer module for a format name."""
    try:
        return WRITERS[name]
    except KeyError:
        raise ConfigError(
            f"the simulator cannot write format {name!r}",
            hint=f"choose among: {', '.join(WRITERS)}",
        ) from None


@dataclass(frozen=True)
class Junk:
    """Malformed and blank lines to insert into one file, the same for every format.

    ``before[k]`` is the record index the k-th junk line goes before; ``kind`` is 0 for a
    truncated copy of a neighbouring line, 1 binary junk, 2 a run of NUL bytes (what a crash
    during log rotation leaves), 3 a blank line (not malformed: skipped, not rejected).
    """

    before: np.ndarray
    kind: np.ndarray
    seeds: np.ndarray

    @property
    def garbage(self) -> int:
        return int((self.kind != 3).sum())

    @property
    def blank(self) -> int:
        return int((self.kind == 3).sum())

    @classmethod
    def draw(
        cls, n: int, garbage_share: float, blank_share: float, rng: np.random.Generator
    ) -> Junk:
        k_bad = int(rng.binomial(n, garbage_share)) if n else 0
        k_blank = int(rng.binomial(n, blank_share)) if n else 0
        kind = np.concatenate([rng.choice(3, k_bad, p=[0.6, 0.3, 0.1]), np.full(k_blank, 3)])
        before = rng.integers(0, n + 1, len(kind))
        order = np.argsort(before, kind="stable")
        return cls(
            before[order], kind[order].astype(np.int64), rng.integers(0, 2**32, len(kind))[order]
        )


def junk_line(writer: ModuleType, kind: int, neighbour: bytes, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    if kind == 0:
        cut = getattr(writer, "truncate", _truncate)
        return cut(neighbour, rng)
    if kind == 1:
        raw = rng.integers(0, 256, int(rng.integers(16, 120)), dtype=np.uint8)
        raw[(raw == 10) | (raw == 13)] = 0xFE
        raw[0] = 0x80 + raw[0] % 0x70  # never blank, never ASCII-looking at the start
        return raw.tobytes()
    if kind == 2:
        return b"\x00" * int(rng.integers(8, 512))
    return b""


def _truncate(line: bytes, rng: np.random.Generator) -> bytes:
    hi = max(6, int(len(line) * 0.3))
    return line[: int(rng.integers(5, hi))].rstrip(b" ") or b"\x80"


def lines_blob(arr: pa.Array) -> tuple[memoryview, np.ndarray]:
    """The UTF-8 bytes of a string array (no separators) and its offsets."""
    arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
    off = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    return memoryview(data if data is not None else b""), off


def write_lines(out: IO[bytes], arr: pa.Array, junk: Junk, writer: ModuleType) -> None:
    """Write the rendered lines with newlines, junk lines inserted at their places."""
    for line in getattr(writer, "HEADER", ()):
        out.write(line.encode() + b"\n")
    withnl = pc.binary_join_element_wise(arr, pa.scalar(""), "\n") if len(arr) else arr
    data, off = lines_blob(withnl)
    pos = 0
    for before, kind, seed in zip(
        junk.before.tolist(), junk.kind.tolist(), junk.seeds.tolist(), strict=True
    ):
        out.write(data[off[pos] : off[before]])
        pos = before
        k = min(before, len(arr) - 1)
        neighbour = bytes(data[off[k] : off[k + 1] - 1]) if len(arr) else b"x" * 40
        out.write(junk_line(writer, kind, neighbour, seed) + b"\n")
    out.write(data[off[pos] : off[len(arr)]] if len(arr) else b"")


def open_log(path: Path, compress: str | None) -> IO[bytes]:
    """A binary writer for ``path`` (gzip through ISA-L, bz2, zstandard, or plain)."""
    if compress == "gz":
        from isal import igzip

        return igzip.open(path, "wb", compresslevel=1)
    if compress == "bz2":
        return bz2.open(path, "wb", compresslevel=6)
    if compress == "zst":
        import zstandard

        return zstandard.ZstdCompressor(level=3).stream_writer(path.open("wb"), closefd=True)
    if compress is None:
        return path.open("wb")
    raise ConfigError(f"unknown compression {compress!r}", hint="use gz, bz2 or zst")


def log_path(directory: Path, writer: ModuleType, day: str, compress: str | None) -> Path:
    return directory / (writer.file_name(day) + SUFFIXES[compress])


def names(formats: Iterable[str]) -> list[str]:
    """Validate format names, keeping their order and dropping duplicates."""
    out = list(dict.fromkeys(formats))
    for f in out:
        get(f)
    if not out:
        raise ConfigError("no log format to write", hint=f"choose among: {', '.join(WRITERS)}")
    return out
