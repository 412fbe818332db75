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

import contextlib
import mmap
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from sentinelle.formats._structure import Branch, Element, Item
from sentinelle.formats._usual import FreeColumns, FreePairs

try:
    from sentinelle.scan import _lines
except ImportError:  # built without a C compiler: the portable path stays
    _lines = None  # type: ignore[assignment]

ELEM, BRANCH, JUMP, END = 0, 1, 2, 3
HOST_ELEM, ZONE, KEY, ADDR, MARK, PAIRS, SKIP, COLUMNS, IP, LABELS = range(1, 11)  # its role
#: an element at most this long is a short run (``SHORT_RUN`` in ``scan/_lines.c``: within one
#: AVX2 vector, so walked byte by byte there); ``SHORT_MAX`` in ``_lines.c`` says the same
SHORT_MAX = 32
UNUSUAL, HOST = 1, 2  # kind bits: not usual; usual but its host must be parsed


def available() -> bool:
    """True when the extension was built (``pip install`` compiles it where a C compiler is)."""
    return _lines is not None


#: the forms of a checked time key (see ``key_order`` in ``_lines.c``): a local
#: ``YYYY-MM-DD…HH:MM:SS``, which orders lines as text, a local ``DD/Mon/YYYY:HH:MM:SS`` (CLF),
#: ordered by its date, each with its offset in another element; a ``YYYY-MM-DD HH:MM:SS`` in
#: UTC without an offset written (W3C's ``date time``; or ``YYYY-MM-DDTHH:MM:SS.fff``, LEEF's
#: ``devTime`` before its ``Z``), which orders lines as text; a local
#: ``Www Mmm DD HH:MM:SS YYYY`` (C's asctime, Zscaler's ``time``) without an offset anywhere,
#: ordered by its date: the walker counts it when it is a possible time, and the scanner sends
#: to the parser the blocks whose hours are not regular in ``--tz`` (see ``_NaiveScanner`` in
#: ``scan/fast.py``)
LOCAL_ISO, LOCAL_CLF, UTC_ISO, NAIVE_ASCTIME, NAIVE_DMY, NAIVE_MDY, NAIVE_SYSLOG = range(1, 8)
NAIVE_DMY12, NAIVE_MDY12 = 8, 9
#: the forms of a naive local key (:attr:`Profile.naive_key`): ``Www Mmm DD HH:MM:SS YYYY``,
#: ``DD/MM/YYYY","HH:MM:SS`` and ``MM/DD/YYYY","HH:MM:SS`` (Forcepoint's quoted date and time
#: columns), ``DD/MM/YYYY HH:MM:SS`` and ``MM/DD/YYYY HH:MM:SS`` (Windows DNS's debug log),
#: ``Mmm DD HH:MM:SS`` (an RFC 3164 date without a year: dnsmasq's; ordered as in 2000, the
#: scanner gives each block its year), ``D/M/YYYY h:MM:SS AM`` and ``M/D/YYYY h:MM:SS PM``
#: (Windows DNS's debug log in a 12-hour locale: numbers of one or two digits, a window of 22
#: bytes, the longest, read no further)
NAIVE_FORMS = {
    "asctime": NAIVE_ASCTIME,
    "dmy_csv": NAIVE_DMY,
    "mdy_csv": NAIVE_MDY,
    "dmy": NAIVE_DMY,
    "mdy": NAIVE_MDY,
    "syslog": NAIVE_SYSLOG,
    "dmy12": NAIVE_DMY12,
    "mdy12": NAIVE_MDY12,
}


@dataclass(frozen=True)
class Program:
    """A compiled chain: operations, class tables, words that are not host names, sort key."""

    ops: bytes
    tables: bytes
    reserved: bytes  # each followed by a newline
    key_len: int
    #: where the time key starts in a usual line (bytes after the line's start; -1: where the
    #: element marked as the key starts)
    key_at: int = 0
    #: the key is a local time, its UTC offset in the element named as the zone (see
    #: ``local_key`` in ``_lines.c``): :data:`LOCAL_ISO` or :data:`LOCAL_CLF`; or a UTC time
    #: the walker checks is a possible one, :data:`UTC_ISO`; or a local time without an offset,
    #: :data:`NAIVE_ASCTIME` (0: it is none)
    local: int = 0
    #: a host name without a dot, or whose last label has no letter, is for the parser
    dotted: bool = False
    #: the names a zone may be written as, each followed by a newline (none: ``+HHMM``)
    zones: bytes = b""
    #: the rules of the elements marked PAIRS (see :class:`FreePairs`), a set per element
    #: (separated by NUL bytes), each key followed by a newline: those it may not hold, then
    #: after ``#`` those whose value must be digits, after ``/`` those whose value must be a
    #: path or empty, after ``@`` the host name's (a set of the colon grammar starts with a
    #: line ``:``, and names after ``*`` its time key, after ``^`` its URL key, after ``!`` the
    #: key it needs, after ``~`` those only beside the URL key; one of the JSON grammar with a
    #: line ``{`` and the number of objects it closes, and names its time and URL keys so);
    #: then the sets of the elements
    #: marked COLUMNS (see :class:`FreeColumns`), whose keys are column numbers (``*``: where
    #: the time may be, ``@`` a URL's column, ``=`` a host name's)
    pairs: bytes = b""
    #: a line longer than that many bytes is for the parser (0: no limit; a reader's limit,
    #: :attr:`Profile.max_line`)
    max_line: int = 0
    #: a usual line names no host (:attr:`Profile.hostless`): an event without one
    hostless: bool = False
    #: a skipped line's time key is checked as a counted line's (:attr:`Profile.skip_timed`)
    skip_timed: bool = False


#: the C statement of each role in the straight code (see ``_lines_check.h``)
_SPANS = {
    HOST_ELEM: "HOST_SPAN(start, p);",
    ZONE: "ZONE_SPAN(start, p);",
    KEY: "KEY_SPAN(start);",
    ADDR: "ADDR_SPAN(start, p);",
    IP: "IP_SPAN(start, p);",
    MARK: "MARK_SPAN(start);",
    SKIP: "SKIP_SPAN(start);",
    LABELS: "LABELS_SPAN(start, p);",
}
#: an element marked PAIRS has the role ``PAIRS | set << ROLE_BITS``: its rules' set (of at
#: most MAX_PAIR_SETS, each of MAX_PAIR_RULES rules at most; the same in ``_lines.c``)
ROLE_BITS, MAX_PAIR_SETS, MAX_PAIR_RULES = 4, 4, 32
#: the columns of a :class:`FreeColumns` element that may have a rule (0 to 63)
MAX_COLUMN_RULES = 64


def _kind(role: int) -> int:
    """An element's role without its rules' set (HOST_ELEM, ZONE, ...)."""
    return role & ((1 << ROLE_BITS) - 1)


def _span(role: int) -> str:
    """The C statement of an element's role (a PAIRS element's names its rules' set)."""
    if _kind(role) == PAIRS:
        return f"PAIRS_SPAN(start, p, {role >> ROLE_BITS});"
    if _kind(role) == COLUMNS:
        return f"COLUMNS_SPAN(start, p, {role >> ROLE_BITS});"
    return _SPANS[role]


class _Compiler:
    """Builds the program, and the same walk as straight C code (see :func:`emit_c`)."""

    def __init__(self, roles: dict[str, int], seps: frozenset[int] | None = None) -> None:
        self.ops: list[int] = []
        self.roles = roles  # element name -> its role (HOST_ELEM, ZONE, ...; see _span)
        self.met: set[str] = set()  # the named elements met
        self.tables: list[bytes] = []
        self.text = b""  # a fixed text's bytes whose C check is not written yet (see literal)
        self.code: list[str] = []
        self.depth = 1
        self.seps = seps  # the separators' class (see _separators), or None
        self.n_seps = 0

    def emit(self, line: str) -> None:
        if self.text:
            self.flush()
        self.code.append("    " * self.depth + line)

    def literal(self, e: Element) -> None:
        """An element that is a run of one byte, ``min`` = ``max`` long: in C, joined with the
        ones right after it into one comparison of a fixed text (FortiGate's keys are most of
        its line: a run each took most of its walk).  The runs of the text are maximal by
        construction (consecutive elements differ), and the byte after it must end the last."""
        (byte,) = e.chars
        self.text += bytes([byte]) * e.min
        self.code.append("    " * self.depth + f"/* {e.name} */")

    def flush(self) -> None:
        """The C check of the pending fixed text: byte by byte when short (each byte is read
        only if the one before matched, and none is a newline: never past the line's end)."""
        text, self.text = self.text, b""
        n = len(text)
        if n <= 8:
            test = " || ".join(f"p[{i}] != {b}" for i, b in enumerate(text))
        else:
            c = "".join(f"\\x{b:02x}" for b in text)
            test = f'nl - p < {n} || memcmp(p, "{c}", {n})'
        self.code.append("    " * self.depth + f"if ({test} || p[{n}] == {text[-1]}) FAIL;")
        self.code.append("    " * self.depth + f"p += {n};")

    def table(self, values: frozenset[int]) -> int:
        t = bytes(1 if i in values and i not in (10, 13) else 0 for i in range(256))
        if t not in self.tables:
            self.tables.append(t)
        return self.tables.index(t)

    def items(self, items: tuple[Item, ...], top: bool = False) -> None:
        for it in items:
            if top and self.seps is not None and _is_separator(it, self.seps):
                self.separator(it)
            elif isinstance(it, Element):
                self.element(it)
            else:
                self.branch(it)

    def separator(self, e: Item) -> None:
        """A top-level separator: the same operation; in C, the line's next separator run."""
        assert isinstance(e, Element)
        self.n_seps += 1
        if self.roles.get(e.name) == HOST_ELEM:  # its span is copied: walked as usual
            self.element(e)
            return
        cls = self.table(e.chars)
        self.ops += [ELEM, cls, -1, 1, -1, 0]
        self.emit(f"/* {e.name} */")
        self.emit(f"SEP({self.n_seps - 1}, {cls});")

    def element(self, e: Element) -> None:
        first = self.table(e.first) if e.first is not None else -1
        cls = self.table(e.chars)
        self.ops += [ELEM, cls, first, e.min, -1 if e.max is None else e.max]
        role = self.roles.get(e.name, 0)
        self.ops.append(role)
        fixed = len(e.chars) == 1 and e.first is None and e.min == e.max
        if fixed and not role:
            self.literal(e)
            return
        self.emit(f"/* {e.name} */")
        self.emit("start = p;")
        if first >= 0:
            self.emit(f"if (!IN({first}, p)) FAIL;")
            run = "SHORT_RUN" if e.max is not None and e.max <= SHORT_MAX else "RUN"
            self.emit(f"p = {run}({cls}, p + 1);")
            low = f"p - start < {e.min}" if e.min > 1 else ""
            high = f"p - start > {e.max}" if e.max is not None else ""
            if low or high:
                self.emit(f"if ({' || '.join(c for c in (low, high) if c)}) FAIL;")
        else:
            run = "SHORT_RUN" if e.max is not None and e.max <= SHORT_MAX else "RUN"
            self.emit(f"p = {run}({cls}, p);")
            low = f"p - start < {e.min}" if e.min > 1 else "p == start"
            high = f" || p - start > {e.max}" if e.max is not None else ""
            self.emit(f"if ({low}{high}) FAIL;")
        if role:
            self.emit(_span(role))
            self.met.add(e.name)

    def branch(self, b: Branch) -> None:
        at = len(self.ops)
        n = len(b.alternatives)
        self.ops += [BRANCH, n, 1 if b.optional else 0, *([0, 0] * n), 0]
        jumps = []
        for i, alt in enumerate(b.alternatives):
            head = alt[0]
            if not isinstance(head, Element):
                raise ValueError("an alternative must start with an element")
            t = self.table(head.first if head.first else head.chars)
            self.ops[at + 3 + 2 * i] = t
            self.ops[at + 4 + 2 * i] = len(self.ops)
            self.emit(f"{'} else ' if i else ''}if (IN({t}, p)) {{")
            self.depth += 1
            self.items(alt)
            self.depth -= 1
            jumps.append(len(self.ops) + 1)
            self.ops += [JUMP, 0]
        self.emit("}" if b.optional else "} else {")
        if not b.optional:
            self.emit("    FAIL;")
            self.emit("}")
        for j in jumps:
            self.ops[j] = len(self.ops)
        self.ops[at + 3 + 2 * n] = len(self.ops)


def compile_chain(items: tuple[Item, ...], tail: frozenset[int], **options: Any) -> Program:
    """The program of ``items`` then ``tail`` (``options``: :func:`compile_profile`'s)."""
    program, _ = compile_profile(items, tail, **options)
    return program


def compile_profile(
    items: tuple[Item, ...],
    tail: frozenset[int],
    hosts: frozenset[str],
    key_len: int,
    reserved: tuple[bytes, ...] = (),
    key_at: int = 0,
    zone: str | None = None,
    dotted: bool = False,
    zones: tuple[bytes, ...] = (),
    key: str | None = None,
    clf: bool = False,
    addresses: frozenset[str] = frozenset(),
    mark: str | None = None,
    pairs: FreePairs | tuple[FreePairs, ...] | None = None,
    skip: str | None = None,
    columns: FreeColumns | tuple[FreeColumns, ...] | None = None,
    utc: bool = False,
    ips: frozenset[str] = frozenset(),
    naive: str | None = None,
    labels: frozenset[str] = frozenset(),
) -> tuple[Program, list[str]]:
    """The program of ``items`` then ``tail``, and the same walk as C statements (for
    :func:`emit_c`).

    Elements named in ``hosts`` may be the line's host name (each goes into its entry); a host
    equal to a ``reserved`` word is not one (the line is parsed); ``key_len``: the length of the
    time key, ``key_at`` bytes after the line's start, that orders lines in time; ``zone``: the
    element that holds the line's UTC offset, when the key is a local time (``+HHMM``, or one of
    the names ``zones``); ``dotted``: a host name must hold a dot and its last label a letter;
    ``key``: the element the key starts with, wherever it is in the line (then not ``key_at``);
    ``clf``: the local key is a CLF time (``DD/Mon/YYYY:HH:MM:SS``), ordered by its date;
    ``addresses``: elements that hold a client's address (``client_address`` in ``_lines.c``);
    ``mark``: the element whose usual lines are counted apart (:attr:`Walked.marked`);
    ``pairs``: the elements that hold the rest of the line as free pairs, each with its rules
    (:class:`FreePairs`, at most four; a set of the colon grammar may name the pair whose value
    is the line's time key: then not ``key_at``, without ``key``);
    ``skip``: the element whose usual lines the parser skips (:attr:`Walked.skipped`);
    ``columns``: the elements that hold the rest of the line as CSV columns, each with its
    rules (:class:`FreeColumns`; their sets follow the free pairs', four in all at most), among
    them the line's time key and UTC offset: the key is then a local ISO time found there (not
    ``key_at``, without ``zone`` nor ``key``); ``utc``: the key is a UTC ``YYYY-MM-DD
    HH:MM:SS`` without an offset; ``ips``: elements that hold an address the parser requires
    (``strict_address`` in ``_lines.c``); ``naive``: the key is a local time without an offset
    anywhere, in the form :data:`NAIVE_FORMS` names; ``labels``: elements that hold a DNS name
    written as length-prefixed labels (``(7)chatgpt(3)com(0)``), whose decoded name is the
    line's host name (``put_labels`` in ``_lines.c``).
    """
    column_sets = (columns,) if isinstance(columns, FreeColumns) else columns or ()
    if column_sets and (zone is not None or key is not None or clf):
        raise ValueError("free columns hold the key and the zone: no other element does")
    pair_sets = (pairs,) if isinstance(pairs, FreePairs) else pairs or ()
    timed = any(p.time or p.epoch for p in pair_sets)  # the key is a pair's value (its element's)
    if timed and (key is not None or column_sets):
        raise ValueError("free pairs hold the key: no other element does")
    seps = _separators(items)
    sets: tuple[FreePairs | FreeColumns, ...] = (*pair_sets, *column_sets)
    # (free pairs of one element, one after the other: alternatives, read in order)
    runs = [p.element for k, p in enumerate(sets) if k == 0 or sets[k - 1].element != p.element]
    if len(sets) > MAX_PAIR_SETS or len(set(runs)) != len(runs):
        raise ValueError(
            f"at most {MAX_PAIR_SETS} free pairs' or columns' sets, an element's one after "
            "the other"
        )
    if any(
        sets[k - 1].element == p.element
        and (isinstance(p, FreeColumns) or isinstance(sets[k - 1], FreeColumns))
        for k, p in enumerate(sets)
        if k
    ):
        raise ValueError("free columns have no alternatives")
    for p in sets:
        if p.rules().count(b"\n") > MAX_PAIR_RULES:
            raise ValueError(f"free pairs {p.element!r}: more than {MAX_PAIR_RULES} rules")
    set_roles = [
        ((COLUMNS if isinstance(p, FreeColumns) else PAIRS) | i << ROLE_BITS, p.element)
        for i, p in enumerate(sets)
    ]
    # an element's role, the first that names it in this order (a host element is a host)
    named = [
        (ZONE, zone),
        (KEY, key),
        (MARK, mark),
        *set_roles,
        (SKIP, skip),
    ]
    roles: dict[str, int] = {}
    for role, names in (
        (HOST_ELEM, hosts),
        (LABELS, labels),
        (ZONE, {zone}),
        (KEY, {key}),
        (ADDR, addresses),
        (IP, ips),
        (MARK, {mark}),
        *((role, {name}) for role, name in set_roles),
        (SKIP, {skip}),
    ):
        for name in names:
            if name is not None:
                roles.setdefault(name, role)
    c = _Compiler(roles, seps)
    if seps is not None:
        c.emit(f"SEP_PROLOGUE({c.table(seps)});")
    c.items(items, top=True)
    t = c.table(tail)
    c.ops += [END, t]
    c.emit(f"END_OF_LINE({t});")
    words = b"".join(w + b"\n" for w in reserved)
    what = {
        ZONE: "for the zone",
        KEY: "for the key",
        MARK: "to mark",
        PAIRS: "for the free pairs",
        SKIP: "for the skipped lines",
        COLUMNS: "for the free columns",
    }
    for role, name in named:
        if name is not None and name not in c.met:
            purpose = what[_kind(role)]
            raise ValueError(f"no element {name!r} {purpose} in the chain")
    if clf and zone is None:
        raise ValueError("a CLF key is a local time: it needs the zone's element")
    if utc and (zone is not None or column_sets):
        raise ValueError("a UTC key has no offset: no zone's element, no free columns")
    if naive is not None and (naive not in NAIVE_FORMS or zone or column_sets or utc or clf):
        raise ValueError(f"a naive local key is one of {sorted(NAIVE_FORMS)}, without offset")
    program = Program(
        np.asarray(c.ops, np.int32).tobytes(),
        b"".join(c.tables),
        words,
        key_len,
        -1 if key is not None or column_sets or timed else key_at,
        NAIVE_FORMS[naive]
        if naive is not None
        else UTC_ISO
        if utc
        else LOCAL_ISO
        if column_sets
        else 0
        if zone is None
        else LOCAL_CLF
        if clf
        else LOCAL_ISO,
        dotted,
        b"".join(z + b"\n" for z in zones),
        b"\0".join(
            (b"|\n" if k + 1 < len(sets) and sets[k + 1].element == p.element else b"") + p.rules()
            for k, p in enumerate(sets)
        ),
    )
    return program, c.code


def _separators(items: tuple[Item, ...]) -> frozenset[int] | None:
    """The class of the chain's separators, when the straight C code may find them all at once.

    Separators are top-level elements (one or more characters of one class, unbounded) whose
    class no other element of the chain shares, not even its first character: then the k-th
    separator of a usual line can only be the line's k-th maximal run of that class, and the
    fields between separators can be checked independently of each other.  None otherwise.
    """

    def others(its: tuple[Item, ...], top: bool, cls: frozenset[int]) -> list[frozenset[int]]:
        out: list[frozenset[int]] = []
        for it in its:
            if isinstance(it, Element):
                if not (top and _is_separator(it, cls)):
                    out += [it.chars, *([it.first] if it.first is not None else [])]
            else:
                for alt in it.alternatives:
                    out += others(alt, False, cls)
        return out

    for it in items[1:]:  # the line starts with a field
        if (
            isinstance(it, Element)
            and _is_separator(it, it.chars)
            and not any(c & it.chars for c in others(items, True, it.chars))
        ):
            return it.chars
    return None


def _is_separator(it: Item, cls: frozenset[int]) -> bool:
    return (
        isinstance(it, Element)
        and it.chars == cls
        and it.first is None
        and it.min == 1
        and it.max is None
    )


def emit_c(programs: dict[str, tuple[Program, list[str]]]) -> str:
    """``_lines_usual.h``: each profile's walk as straight C code, for the compiler to schedule.

    The interpreter of ``_lines.c`` runs any program; a program equal to one of these (same
    operations and tables) runs its straight version instead, with the same results.
    """
    out = [
        "/* Generated from the fast path's profiles (sentinelle/scan/fast.py): do not edit.",
        " * python -m sentinelle.scan.gen_usual > src/sentinelle/scan/_lines_usual.h */",
        "",
    ]
    names = {name: re.sub(r"\W", "_", name) for name in programs}  # C names: squid_combined
    for name, (program, code) in programs.items():
        name = names[name]
        out += [
            f"/* {name} */",
            f"static const int32_t usual_{name}_ops[] = {{{_ints(program.ops)}}};",
            f"static const uint8_t usual_{name}_tables[] = {{{_bytes(program.tables)}}};",
            f"#define USUAL_{name}_TABLES {len(program.tables) // 256}",
            "",
            f"#define USUAL_{name} \\",
            *[f"{line} \\" for line in code],
            "",
        ]
    out += [
        "#define USUAL_PROGRAMS(X) \\",
        *[f"    X({names[name]}) \\" for name in programs],
        "    /* end of USUAL_PROGRAMS */",
        "",
    ]
    return "\n".join(out)


def _ints(raw: bytes) -> str:
    return ", ".join(str(v) for v in np.frombuffer(raw, np.int32).tolist())


def _bytes(raw: bytes) -> str:
    return ",".join(str(v) for v in raw)


#: states of a host entry in a :class:`HostTable` (see ``_lines.c``): its lines need nothing
#: more, the parser, or enriching by parts, keyed by the whole URL (GROUPED) or by the URL up to
#: its path (BY_HOST); the walker returns the lines of every state but NO alike
NO, YES, GROUPED, BY_HOST = 2, 3, 4, 5
SLOT = 64


def zeroed(size: int) -> Any:
    """``size`` zero bytes, writable, in transparent huge pages where the system allows them.

    The walker looks up every usual line's entry at a random place of the table: in 4 KiB pages
    a 16 MiB table misses the TLB on most lookups; in 2 MiB pages it spans eight.  Measured on
    the bench's month, one core, 6 interleaved runs each: 2.98 s with a bytearray, 2.83 s.
    """
    flags = getattr(mmap, "MAP_PRIVATE", None), getattr(mmap, "MAP_ANONYMOUS", None)
    if flags[0] is None or flags[1] is None:  # not a POSIX system
        return bytearray(size)
    buf = mmap.mmap(-1, size, flags=flags[0] | flags[1])  # private: a fork copies on write
    if hasattr(mmap, "MADV_HUGEPAGE"):
        with contextlib.suppress(OSError):  # a kernel without THP
            buf.madvise(mmap.MADV_HUGEPAGE)
    return buf


class HostTable:
    """What the walker knows of the host entries met so far, across the blocks of a scan.

    The walker looks each usual line's host entry up: an entry decided "no" costs nothing more,
    "yes" comes back as a known line, a new one comes back once with the lines that
    carry it, for the caller to decide (:meth:`decide`).  Fixed size, so memory stays flat: a
    walk keeps no more entries once the table is three quarters full, and a walk that starts
    with it half full starts it again, keeping only the decided entries met again since they
    were kept (``keep_met`` in ``_lines.c``), so that a long-lived table (kept from file to
    file) keeps learning and its frequent hosts stay known.
    """

    def __init__(self, slots: int = 1 << 16) -> None:
        if slots < 2 or slots & (slots - 1):
            raise ValueError("slots must be a power of two")
        self.buffer = zeroed(slots * SLOT)
        self._states = np.frombuffer(self.buffer, np.uint8).reshape(slots, SLOT)[:, 12]

    def decide(self, slots: np.ndarray, states: np.ndarray) -> None:
        """Set the states of new entries' slots (-1: the entry was too long to keep)."""
        keep = slots >= 0
        self._states[slots[keep]] = states[keep]


@dataclass(frozen=True)
class Walked:
    """What :func:`walk` found in a block (line ends exclude the newline)."""

    lines: int
    #: (line, start, end, kind) of the lines that are not usual, in order
    rows: np.ndarray
    #: the host entries first met in this block, ``.host.\n`` (or ``.a. .b.\n``) each
    entries: bytes
    #: (slot in the table or -1, end of the entry in ``entries``) of each new entry
    slots: np.ndarray
    #: (line, start, end, entry index) of the usual lines whose entry is new, in order
    pending: np.ndarray
    #: (line, start, end, state) of the usual lines whose entry is known as YES, GROUPED or BY_HOST
    known: np.ndarray
    earliest: int  # start of the smallest time key of a usual line, or -1
    latest: int
    #: the UTC offset of the usual lines (a local-time key's, pinned by the first line), or None
    zone: bytes | None = None
    #: the usual lines that passed the program's marked element (``mark`` of
    #: :func:`compile_profile`), whatever their entries
    marked: int = 0
    #: the usual lines without a host name (they passed the program's free pairs, see
    #: :class:`FreePairs`): events without one, in no other array
    no_host: int = 0
    #: the usual lines that passed the program's element ``skip`` (:func:`compile_profile`):
    #: lines the parser skips (no events, their times unread), in no other array
    skipped: int = 0

    def entry(self, i: int) -> bytes:
        """New entry ``i`` without its newline."""
        start = int(self.slots[i - 1, 1]) + 1 if i else 0
        return self.entries[start : int(self.slots[i, 1])]


def walk(
    program: Program,
    block: memoryview | bytes,
    table: HostTable | None = None,
    simd: int = 2,
    generic: bool = False,
) -> Walked:
    """Walk the lines of ``block`` (it must end with a newline).

    Without ``table`` every usual line's entry is new.  ``simd``: the widest instructions used
    where the processor has them (0: none, 1: AVX2, 2: AVX-512); ``generic``: interpret the
    program even when ``_lines_usual.h`` has it as straight code.  The results never depend on
    either (tests compare them).
    """
    if _lines is None:
        raise RuntimeError("the native line walker is not built")
    n, rows, entries, slots, pending, known, lo, hi, zone, marked, no_host, skipped = _lines.walk(
        program.ops,
        program.tables,
        program.reserved,
        block,
        program.key_len,
        None if table is None else table.buffer,
        simd,
        generic,
        program.key_at,
        program.local,
        program.dotted,
        program.zones,
        program.pairs,
        program.max_line,
        program.hostless,
        program.skip_timed,
    )
    return Walked(
        n,
        _quads(rows),
        entries,
        _quads(slots)[:, :2],
        _quads(pending),
        _quads(known),
        lo,
        hi,
        zone,
        marked,
        no_host,
        skipped,
    )


def _quads(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, np.int64).reshape(-1, 4)
