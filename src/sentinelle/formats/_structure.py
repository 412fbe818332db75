"""A line format's *structure*: a chain of character-class runs that every valid line follows.

A :class:`LineStructure` is a deterministic chain ``E1 E2 … En`` followed by a tail (the end of
the line, or a separator and then anything).  Each element is a run of characters from one class,
between ``min`` and ``max`` long, and the classes of consecutive elements are disjoint, so a line
can follow the chain in one way only.  From it come, generated and never written by hand:

* :meth:`LineStructure.regex` — the Python regular expression ``V`` of a valid line.  The format's
  parser rejects a line **if and only if** it does not match ``V`` (and is not blank);
* :meth:`LineStructure.complement` — ONE hyperscan pattern, anchored at a line start, matching
  exactly the lines that do *not* follow the chain.  It is written as nested alternatives: after
  each element, "a character that neither continues the run nor starts the next element (or the
  line ends)", "one character too many" for a bounded run, "too few" when ``min`` > 1, or go on
  to the next element.  The chain being deterministic, a bad line fails at exactly one place and
  matches once, and the line is walked once.

:func:`complement_pattern` does the same for chains with :class:`Branch` es (alternative
sub-chains), which the scanner uses for its stricter *usual* lines (``sentinelle.scan.fast``).

The raw side works on bytes, where a line ends with ``\\r*\\n`` (the reader turns a last line
without a newline into one with it); the text side works on the decoded line, from which
trailing ``\\r``/``\\n`` are removed.  Classes therefore never contain ``\\r`` or ``\\n``, and
a class that contains non-ASCII characters must be unbounded with ``min`` ≤ 1 (one byte of UTF-8
is not one character).  Blank lines (only spaces, tabs and ``\\r``) also match the complement:
the scanner tells them apart when it parses the line, as the reference path does.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_ALL = frozenset(range(256))
_EOL = frozenset(b"\r\n")


def chars(spec: str) -> frozenset[int]:
    """The byte set of a class written like a regex class body: ``"0-9"``, ``"^ \\t"``."""
    negate = spec.startswith("^")
    body = spec[1:] if negate else spec
    out: set[int] = set()
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            c = {"t": "\t", "r": "\r", "n": "\n"}.get(body[i + 1], body[i + 1])
            i += 1
        if i + 2 < len(body) and body[i + 1] == "-":
            out.update(range(ord(c), ord(body[i + 2]) + 1))
            i += 3
            continue
        out.add(ord(c))
        i += 1
    result = frozenset(_ALL - out) if negate else frozenset(out)
    return result - _EOL


@dataclass(frozen=True)
class Element:
    """A run of ``min``..``max`` characters of ``chars`` (``max=None``: unbounded)."""

    name: str
    chars: frozenset[int]
    min: int = 1
    max: int | None = 1
    #: a different class for the first character, then a run of ``chars``: the two are
    #: ``min``..``max`` characters long, e.g. a host name that starts with a letter and goes on
    #: with letters, digits, dots and dashes, or a minute, ``[0-5]`` then a digit (two runs in
    #: a row whose classes share a character could not say it: each run takes all it can)
    first: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.min < 1:
            raise ValueError(f"{self.name}: min must be >= 1 (optional runs are not supported)")
        if self.chars & _EOL:
            raise ValueError(f"{self.name}: a class never contains \\r or \\n")
        if any(c >= 0x80 for c in self.chars) and (self.max is not None or self.min > 1):
            raise ValueError(f"{self.name}: a class with non-ASCII bytes must be unbounded, min<=1")
        if self.max is not None and self.max < self.min:
            raise ValueError(f"{self.name}: max must be >= min")


@dataclass(frozen=True)
class LineStructure:
    """A chain of elements; after the last one, the line ends or ``tail`` starts anything."""

    elements: tuple[Element, ...]
    tail: frozenset[int]  # a character of this class after the last element starts free text

    def __post_init__(self) -> None:
        els = self.elements
        for a, b in itertools.pairwise(els):
            if a.chars & b.chars:
                raise ValueError(f"{a.name} and {b.name}: consecutive classes must be disjoint")
        if els[-1].chars & self.tail:
            raise ValueError("the last element and the tail must be disjoint")

    # -- the text side ----------------------------------------------------------------------
    def regex(self) -> re.Pattern[str]:
        """``V``: a decoded line (without its line ending) is valid iff ``V.match`` succeeds.

        One group per element, named after it.
        """
        parts = [
            f"(?P<{e.name}>{_text_class(e.chars)}{_count(e.min, e.max)})" for e in self.elements
        ]
        tail = f"(?:{_text_class(self.tail)}.*)?"
        return re.compile("".join(parts) + tail + r"\Z", re.DOTALL)

    def failure(self, line: str) -> tuple[str, str]:
        """(name of the first element ``line`` fails at, the text found there); "tail" if none."""
        pos = 0
        for e in self.elements:
            m = _element_regex(e).match(line, pos)
            if m is None:
                start = max(line.rfind(" ", 0, pos), line.rfind("\t", 0, pos)) + 1
                return e.name, (line[start:].split() or [""])[0]
            pos = m.end()
        return "tail", line[pos:]

    # -- the raw side -----------------------------------------------------------------------
    def prefix(self, upto: int) -> bytes:
        """The pattern of elements ``0..upto-1`` (no anchor)."""
        return b"".join(
            _bytes_class(e.chars) + _count(e.min, e.max).encode() for e in self.elements[:upto]
        )

    def raw_regex(self, narrower: dict[str, bytes] | None = None) -> re.Pattern[bytes]:
        """``V`` on the raw side, for ``fullmatch`` on a line without its newline (a trailing
        ``\\r`` allowed), with the patterns of some elements replaced by ``narrower`` ones (each
        must match only runs the element takes): the valid lines of a narrower kind."""
        narrower = narrower or {}
        parts = [
            narrower.get(e.name, _bytes_class(e.chars) + _count(e.min, e.max).encode())
            for e in self.elements
        ]
        tail = b"(?:" + _bytes_class(self.tail) + b"[^\n]*?)?\r*"
        return re.compile(b"".join(b"(?:%s)" % p for p in parts) + tail, re.DOTALL)

    def complement(self) -> bytes:
        """ONE hyperscan pattern (MULTILINE) matching exactly the lines that do not match ``V``.

        Blank lines match too (see the module doc); each bad line matches once.
        """
        return complement_pattern(self.elements, self.tail)


@dataclass(frozen=True)
class Branch:
    """Alternative sub-chains (their first classes disjoint) that rejoin the chain afterwards.

    ``optional``: the branch may also be skipped (its first classes are then disjoint from what
    follows it).  Only :func:`complement_pattern` understands branches.
    """

    alternatives: tuple[tuple[Element | Branch, ...], ...]
    optional: bool = False


Item = Element | Branch


def complement_pattern(items: tuple[Item, ...], tail: frozenset[int]) -> bytes:
    """ONE hyperscan pattern (MULTILINE) for the lines that do not follow ``items`` then ``tail``.

    Written as nested alternatives that share their prefixes, so the line is walked once: at
    each point, "a character nothing can continue with" or "go on".  Deterministic, so a bad line
    matches once.  A branch is expanded (the rest of the chain repeated in each alternative)
    unless it is required and all its alternatives end with the same element: then the rest is
    written once, after the alternatives (see :func:`_factored`), so a chain of such branches
    stays short.
    """
    pattern = _fail(items, frozenset(), tail)
    assert pattern is not None
    return b"^" + pattern


def _first(items: tuple[Item, ...], tail: frozenset[int], stop: bool = False) -> frozenset[int]:
    """What may start ``items``; after them comes ``tail`` (the line's end too, unless ``stop``:
    then ``tail`` is exactly what may follow, see :func:`_factored`)."""
    if not items:
        return tail if stop else tail | _EOL
    it, rest = items[0], items[1:]
    if isinstance(it, Element):
        return it.first if it.first is not None else it.chars
    out = frozenset().union(*(_first(a + rest, tail, stop) for a in it.alternatives))
    return out | _first(rest, tail, stop) if it.optional else out


def _fail(
    items: tuple[Item, ...], prev: frozenset[int], tail: frozenset[int], stop: bool = False
) -> bytes | None:
    """The failures from here on (None: none; ``stop``: none at the end of ``items``)."""
    if not items and stop:
        return None
    dead = _ALL - _first(items, tail, stop) - prev
    parts = ([_bytes_class(dead)] if dead else []) + _live(items, prev, tail, stop)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"


def _live(
    items: tuple[Item, ...], prev: frozenset[int], tail: frozenset[int], stop: bool = False
) -> list[bytes]:
    """Failures that start by consuming a character of ``items[0]``."""
    if not items:  # the line may end (\r* then \n) or go on with the tail
        return [] if stop else [rb"\r+" + _bytes_class(_ALL - _EOL)]
    it, rest = items[0], items[1:]
    if isinstance(it, Branch):
        end = _common_end(it)
        if end is not None:
            return _factored(it, end, rest, prev, tail, stop)
        out = [p for a in it.alternatives for p in _live(a + rest, prev, tail, stop)]
        return out + _live(rest, prev, tail, stop) if it.optional else out
    run = _bytes_class(it.chars)
    after = _fail(rest, it.chars, tail, stop)
    if it.first is not None:  # the first character, then a run of 0.. characters
        head, lo = _bytes_class(it.first), it.min - 1
        hi = None if it.max is None else it.max - 1
        out = []
        if lo > 0:  # too short: fewer than lo characters of the run, then another
            short = run + _count(0, lo - 1).encode() if lo > 1 else b""
            out.append(head + short + _bytes_class(_ALL - it.chars))
        if hi is not None:  # too long: hi characters of the run, then one more
            out.append(head + (run + b"{%d}" % hi if hi else b"") + run)
        if after is not None:
            out.append(_first_run(it) + after)
        return out
    out = []
    if it.min > 1:
        out.append(run + _count(1, it.min - 1).encode() + _bytes_class(_ALL - it.chars))
    if it.max is not None:
        out.append(run + b"{%d}" % it.max + run)
    if after is not None:
        out.append(run + _count(it.min, it.max).encode() + after)
    return out


def _common_end(b: Branch) -> frozenset[int] | None:
    """The class of the element every alternative of ``b`` ends with, or None when they differ
    (or ``b`` is optional: the path that skips it must not fail on what would start it, the
    path through it may, so the rest fails differently after each)."""
    if b.optional:
        return None
    ends = set()
    for alt in b.alternatives:
        last = alt[-1] if alt else None
        if not isinstance(last, Element):
            return None
        ends.add(last.chars)
    return ends.pop() if len(ends) == 1 else None


def _factored(
    b: Branch,
    end: frozenset[int],
    rest: tuple[Item, ...],
    prev: frozenset[int],
    tail: frozenset[int],
    stop: bool,
) -> list[bytes]:
    """``b``'s failures, then "one of ``b``'s alternatives matched" followed by the failures of
    ``rest`` written once: after any alternative the walk is in the same state (its last
    element, of class ``end``, just ended), so the rest fails the same way after each."""
    follow = _first(rest, tail, stop)
    inside = [p for a in b.alternatives for p in _live(a, prev, follow, True)]
    matched = b"(?:" + b"|".join(_matching(a) for a in b.alternatives) + b")"
    after = _fail(rest, end, tail, stop)
    return inside if after is None else [*inside, matched + after]


def _matching(items: tuple[Item, ...]) -> bytes:
    """The pattern of ``items`` followed as they are."""
    out = b""
    for it in items:
        if isinstance(it, Branch):
            alts = b"|".join(_matching(a) for a in it.alternatives)
            out += b"(?:" + alts + b")" + (b"?" if it.optional else b"")
        elif it.first is not None:
            out += _first_run(it)
        else:
            out += _bytes_class(it.chars) + _count(it.min, it.max).encode()
    return out


def _first_run(e: Element) -> bytes:
    """The pattern of an element with its own first class, as long as it may be (hyperscan
    refuses ``{0}``: a run that may not follow the first character is left out)."""
    head = _bytes_class(e.first or frozenset())
    if e.max == 1:
        return head
    return (
        head
        + _bytes_class(e.chars)
        + _count(e.min - 1, None if e.max is None else e.max - 1).encode()
    )


@functools.lru_cache(maxsize=256)
def _element_regex(e: Element) -> re.Pattern[str]:
    return re.compile(f"{_text_class(e.chars)}{_count(e.min, e.max)}(?!{_text_class(e.chars)})")


def _count(lo: int, hi: int | None) -> str:
    if hi is None:
        return {0: "*", 1: "+"}.get(lo, f"{{{lo},}}")
    if lo == hi:
        return "" if lo == 1 else f"{{{lo}}}"
    return "?" if (lo, hi) == (0, 1) else f"{{{lo},{hi}}}"


def _ranges(values: Iterable[int]) -> list[tuple[int, int]]:
    vs = sorted(values)
    out: list[tuple[int, int]] = []
    for v in vs:
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _bytes_class(values: frozenset[int]) -> bytes:
    if not values:
        return b"[]"
    body = b"".join(
        b"\\x%02x" % a if a == b else b"\\x%02x-\\x%02x" % (a, b) for a, b in _ranges(values)
    )
    return b"[" + body + b"]"


def _text_class(values: frozenset[int]) -> str:
    """The same class on decoded text: non-ASCII bytes stand for every non-ASCII character."""
    ascii_part = [v for v in values if v < 0x80]
    if any(v >= 0x80 for v in values):
        # written as the ASCII characters it leaves out: the same class, compiled ~20× faster
        # than one that spans every non-ASCII character
        left_out = [v for v in range(0x80) if v not in values]
        return f"[^{_ranges_text(left_out)}]" if left_out else "[\\x00-\\U0010ffff]"
    return f"[{_ranges_text(ascii_part)}]"


def _ranges_text(values: list[int]) -> str:
    return "".join(
        f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in _ranges(values)
    )
