"""Types of the native line walker (``_lines.c``; see :func:`sentinelle.scan.native.walk`)."""

from typing_extensions import Buffer

def walk(
    ops: Buffer,
    tables: Buffer,
    reserved: Buffer,
    block: Buffer,
    key_len: int,
    table: Buffer | None = ...,
    simd: int = ...,
    generic: bool = ...,
    key_at: int = ...,
    local: int = ...,
    dotted: bool = ...,
    zones: Buffer = ...,
    pairs: Buffer = ...,
    max_line: int = ...,
    hostless: bool = ...,
    skip_timed: bool = ...,
    /,
) -> tuple[int, bytes, bytes, bytes, bytes, bytes, int, int, bytes | None, int, int, int]:
    """(lines, unusual rows, new entries, their slots, pending rows, known rows, earliest key,
    latest key, pinned UTC offset, usual lines marked, usual lines without a host name, usual
    lines skipped): rows are int64 quadruples, as bytes."""

def key_eq(a: Buffer, b: Buffer, n: int, /) -> bool:
    """Whether the first ``n`` bytes of ``a`` and ``b`` are equal, as the host table compares
    its entries (``a`` and ``b`` of at least 48 bytes, ``n`` at most 48): for the tests."""
