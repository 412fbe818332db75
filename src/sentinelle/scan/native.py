"""The native line walker of the fast path: a format's *usual* structure, compiled for C.

:mod:`sentinelle.scan._lines` (``_lines.c``, built with the package) walks a block of lines once:
it counts them, checks each against a chain of character-class runs, copies the host name of each
usual line into a compact buffer (``.host.\n`` per line, on which the catalog prefilter runs) and
keeps the earliest and latest timestamps of the usual lines.  It runs the very description that
:func:`~sentinelle.formats._structure.complement_pattern` turns into a hyperscan pattern (the
portable path, used when the extension is not built): ``tests/perf`` compares the two line by
line.

A program is a flat int32 array (see ``_lines.c``); classes are 256-byte tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sentinelle.formats._structure import Branch, Element, Item

try:
    from sentinelle.scan import _lines
except ImportError:  # built without a C compiler: the portable path stays
    _lines = None  # type: ignore[assignment]

ELEM, BRANCH, JUMP, END = 0, 1, 2, 3
UNUSUAL, HOST = 1, 2  # kind bits: not usual; usual but its host must be parsed


def available() -> bool:
    """True when the extension was built (``pip install`` compiles it where a C compiler is)."""
    return _lines is not None


@dataclass(frozen=True)
class Program:
    """A compiled chain: operations, class tables, words that are not host names, sort key."""

    ops: bytes
    tables: bytes
    reserved: bytes  # each followed by a newline
    key_len: int


class _Compiler:
    def __init__(self, hosts: frozenset[str]) -> None:
        self.ops: list[int] = []
        self.tables: list[bytes] = []
        self.hosts = hosts

    def table(self, values: frozenset[int]) -> int:
        t = bytes(1 if i in values and i not in (10, 13) else 0 for i in range(256))
        if t not in self.tables:
            self.tables.append(t)
        return self.tables.index(t)

    def items(self, items: tuple[Item, ...]) -> None:
        for it in items:
            if isinstance(it, Element):
                self.element(it)
            else:
                self.branch(it)

    def element(self, e: Element) -> None:
        first = self.table(e.first) if e.first is not None else -1
        self.ops += [ELEM, self.table(e.chars), first, e.min, -1 if e.max is None else e.max]
        self.ops.append(1 if e.name in self.hosts else 0)

    def branch(self, b: Branch) -> None:
        at = len(self.ops)
        n = len(b.alternatives)
        self.ops += [BRANCH, n, 1 if b.optional else 0, *([0, 0] * n), 0]
        jumps = []
        for i, alt in enumerate(b.alternatives):
            head = alt[0]
            if not isinstance(head, Element):
                raise ValueError("an alternative must start with an element")
            self.ops[at + 3 + 2 * i] = self.table(head.first if head.first else head.chars)
            self.ops[at + 4 + 2 * i] = len(self.ops)
            self.items(alt)
            jumps.append(len(self.ops) + 1)
            self.ops += [JUMP, 0]
        for j in jumps:
            self.ops[j] = len(self.ops)
        self.ops[at + 3 + 2 * n] = len(self.ops)


def compile_chain(
    items: tuple[Item, ...],
    tail: frozenset[int],
    *,
    hosts: frozenset[str],
    key_len: int,
    reserved: tuple[bytes, ...] = (),
) -> Program:
    """The program of ``items`` then ``tail``.

    Elements named in ``hosts`` are host names (the last one walked is the line's); a host equal
    to a ``reserved`` word is not one (the line is parsed); ``key_len``: the length of the line
    prefix that orders lines in time.
    """
    c = _Compiler(hosts)
    c.items(items)
    c.ops += [END, c.table(tail)]
    words = b"".join(w + b"\n" for w in reserved)
    return Program(np.asarray(c.ops, np.int32).tobytes(), b"".join(c.tables), words, key_len)


@dataclass(frozen=True)
class Walked:
    """What :func:`walk` found in a block (line ends exclude the newline)."""

    lines: int
    #: (line, start, end, kind) of the lines that are not usual, in order
    rows: np.ndarray
    #: ``.host.\n`` for each usual line, in order
    hosts: bytes
    #: (line, start, end, end of its entry in ``hosts``) of the usual lines, in order
    usual: np.ndarray
    earliest: int  # start of the usual line with the smallest time prefix, or -1
    latest: int


def walk(program: Program, block: memoryview | bytes) -> Walked:
    """Walk the lines of ``block`` (it must end with a newline)."""
    if _lines is None:
        raise RuntimeError("the native line walker is not built")
    n, rows, hosts, usual, lo, hi = _lines.walk(
        program.ops, program.tables, program.reserved, block, program.key_len
    )
    return Walked(
        n,
        np.frombuffer(rows, np.int64).reshape(-1, 4),
        hosts,
        np.frombuffer(usual, np.int64).reshape(-1, 4),
        lo,
        hi,
    )
