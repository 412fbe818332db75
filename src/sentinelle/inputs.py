"""Finding the input files and reading them: plain, gzip (ISA-L), bzip2, zstd, or standard input.

Compression is recognized by the file's magic bytes, not its name, so ``access.log.1`` that
logrotate compressed without renaming still reads.  A file's identity is the hash of its
*decompressed* content: ``access.log.1`` and the ``access.log.1.gz`` it later becomes are the same
input, and scanning either after the other counts nothing twice.
"""

from __future__ import annotations

import bz2
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import xxhash
import zstandard
from isal import igzip

from sentinelle.errors import UnreadableInputError

_MAGIC = {b"\x1f\x8b": "gz", b"BZh": "bz2", b"\x28\xb5\x2f\xfd": "zst"}
QUICK_BYTES = 1 << 16
_STDIN_SPOOL = 64 << 20


@dataclass(frozen=True)
class InputFile:
    """One input to scan: ``name`` is what the user sees in messages."""

    name: str
    path: Path
    size: int
    compression: str | None
    temporary: bool = False  # a spooled copy of standard input
    in_directory: bool = False  # found by walking a directory the user named (not named itself)


def discover(paths: Sequence[str]) -> list[InputFile]:
    """Files named by ``paths`` (directories recursively, sorted; ``-`` = stdin)."""
    found: list[InputFile] = []
    for p in paths:
        if p == "-":
            found.append(_spool_stdin())
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            if not files:
                raise UnreadableInputError(f"{p}: the directory holds no files")
            found.extend(replace(_describe(f, str(f)), in_directory=True) for f in files)
        else:
            found.append(_describe(path, p))
    return found


def _describe(path: Path, name: str) -> InputFile:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableInputError(f"{name}: no such file", hint="check the path") from None
    except OSError as e:
        raise UnreadableInputError(
            f"{name}: cannot be read ({e.strerror})",
            hint="check the permissions of the file (sentinelle only needs to read it)",
        ) from None
    return InputFile(name, path, size, _compression(magic))


def _compression(magic: bytes) -> str | None:
    return next((kind for m, kind in _MAGIC.items() if magic.startswith(m)), None)


def _spool_stdin() -> InputFile:
    """Standard input copied to a temporary file (it must be read twice: detect, then scan)."""
    fd, tmp = tempfile.mkstemp(prefix="sentinelle-stdin-")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, _STDIN_SPOOL)
    path = Path(tmp)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    return InputFile("<stdin>", path, path.stat().st_size, _compression(magic), temporary=True)


@contextmanager
def open_decompressed(inp: InputFile) -> Iterator[BinaryIO]:
    """A binary stream of the file's decompressed content."""
    with open_with_raw(inp) as (stream, _):
        yield stream


@contextmanager
def open_with_raw(inp: InputFile) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """(decompressed stream, underlying file): the file's ``tell()`` drives progress bars.

    Read errors (corrupt or truncated compression) become UnreadableInputError.
    """
    stream, raw = _open(inp)
    try:
        yield stream, raw
    except (OSError, EOFError, zstandard.ZstdError) as e:
        raise unreadable(inp, e) from None
    finally:
        stream.close()
        raw.close()


def _open(inp: InputFile) -> tuple[BinaryIO, BinaryIO]:
    try:
        raw = open(inp.path, "rb")  # noqa: SIM115 - closed with the stream
        if inp.compression == "gz":
            return igzip.IGzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
        if inp.compression == "bz2":
            return bz2.BZ2File(raw, "rb"), raw  # type: ignore[return-value]
        if inp.compression == "zst":
            return io.BufferedReader(_ZstdFrames(raw), 1 << 20), raw
        return raw, raw
    except OSError as e:
        raise unreadable(inp, e) from None


class _ZstdFrames(io.RawIOBase):
    """The content of a zstd stream, frame after frame, raising ZstdError when the stream ends
    inside a frame.

    ``ZstdDecompressor.stream_reader`` decompresses straight into the caller's buffer, and
    asks for the GIL only to read its source: a thread can fill the scan's buffers while
    another walks them (see :mod:`sentinelle.scan.inflate`).  But it reads a cut frame as a
    shorter stream (a truncated ``.zst`` would lose its tail without a word), so at the end
    the frames' headers are walked (:func:`zstd_frames_end`): the stream must end where its
    last frame does.  (The decompressor object read before, fed 256 KiB at a time, copied
    every byte and took the GIL for each piece: the bench's month as one ``.zst`` took 1.42 s
    to read alone against 1.21 s, and its scan, whose walking thread waited on it, 2.743 s
    against 2.239 s now, interleaved, medians of 6 rounds: as its ``.gz``.)
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._start = raw.tell()
        self._reader = zstandard.ZstdDecompressor().stream_reader(
            raw, read_size=1 << 20, read_across_frames=True, closefd=False
        )
        self._ended = False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._reader.close()  # (not the file under it: closefd=False)
        super().close()

    def readinto(self, buffer: Any) -> int:
        if self._ended:
            return 0
        n = self._reader.readinto(buffer)
        if not n:
            self._ended = True
            end = self._raw.seek(0, io.SEEK_END)
            if zstd_frames_end(self._raw, self._start) != end:
                raise zstandard.ZstdError("the stream ends inside a frame (truncated?)")
        return int(n)


_ZSTD_MAGIC = 0xFD2FB528
_FCS_BYTES = (0, 2, 4, 8)  # by the frame header's Frame_Content_Size flag (0: 1 if single)
_DICT_BYTES = (0, 1, 2, 4)  # by its Dictionary_ID flag


def zstd_frames_end(raw: BinaryIO, start: int = 0) -> int:
    """Where the last whole frame of the zstd stream in ``raw`` from ``start`` ends: the
    frames' and their blocks' headers read one after the other (RFC 8878: a frame header, then
    blocks of a 3-byte header each, the last one flagged, then maybe a 4-byte checksum;
    skippable frames are a magic and a 4-byte size).  A stream cut inside a frame, or followed
    by bytes that start no frame, ends before its file does.  (The bench's month, 306 MB:
    11 ms, on the reading thread once the stream has ended.)"""
    read = _reader_at(raw)
    size = raw.seek(0, io.SEEK_END)
    at = start
    while at + 4 <= size:
        magic = int.from_bytes(read(at, 4), "little")
        end: int | None
        if magic & 0xFFFFFFF0 == 0x184D2A50:  # a skippable frame: its size, then its bytes
            if at + 8 > size:
                break
            end = at + 8 + int.from_bytes(read(at + 4, 4), "little")
        elif magic == _ZSTD_MAGIC:
            end = _zstd_frame_end(read, at + 4, size)
        else:
            break
        if end is None or end > size:
            break
        at = end
    return at


def _zstd_frame_end(read: Any, at: int, size: int) -> int | None:
    """The end of the frame whose header descriptor is at ``at``, or None if it is cut."""
    if at >= size:
        return None
    d = read(at, 1)[0]
    single = (d >> 5) & 1
    at += 1 + (0 if single else 1) + _DICT_BYTES[d & 3] + (_FCS_BYTES[d >> 6] or single)
    while at + 3 <= size:
        h = int.from_bytes(read(at, 3), "little")
        kind = (h >> 1) & 3
        if kind == 3:  # a reserved block type: no zstd frame
            return None
        at += 3 + (1 if kind == 1 else h >> 3)  # an RLE block holds one byte
        if h & 1:  # the last block, then maybe the content's checksum
            return at + (4 if d & 4 else 0)
    return None


def _reader_at(raw: BinaryIO) -> Any:
    """``read(offset, n)`` of ``raw``: ``os.pread`` on its descriptor (one call a read), or
    a seek and a read where it has none (an in-memory stream)."""
    try:
        fd = raw.fileno()
    except (OSError, AttributeError, io.UnsupportedOperation):

        def read(offset: int, n: int) -> bytes:
            raw.seek(offset)
            return raw.read(n)

        return read
    return lambda offset, n: os.pread(fd, n, offset)


#: each compression's name in messages, and the command that shows its content
_SHOWN = {"gz": ("gzip", "zcat"), "bz2": ("bzip2", "bzcat"), "zst": ("zstd", "zstdcat")}


def unreadable(inp: InputFile, e: BaseException) -> UnreadableInputError:
    """The error for a file that fails while being read (corrupt or truncated compression)."""
    kind, cat = _SHOWN.get(inp.compression or "", ("", "cat"))
    what = f"{kind} stream" if kind else "file"
    return UnreadableInputError(
        f"{inp.name}: the {what} cannot be read to the end ({type(e).__name__}: {e})",
        hint="the file may be truncated or still being written; check it with "
        f"`{cat} {inp.name} | tail`, or leave it out",
    )


def head_lines(inp: InputFile, count: int = 100) -> list[str]:
    """The first ``count`` lines of the decompressed content, decoded."""
    lines: list[str] = []
    try:
        with open_decompressed(inp) as fh:
            for raw in fh:
                lines.append(decode(raw))
                if len(lines) >= count:
                    break
    except UnreadableInputError:
        if not lines:
            raise
    return lines


def decode(raw: bytes) -> str:
    """A log line as text: UTF-8 (invalid bytes replaced), without its line ending."""
    return raw.decode("utf-8", "replace").rstrip("\r\n")


def quick_key(inp: InputFile) -> str:
    """A cheap key (hash of the first 64 KiB of content) to spot possibly re-scanned files."""
    with open_decompressed(inp) as fh:
        return xxhash.xxh3_128_hexdigest(fh.read(QUICK_BYTES))


#: the content is hashed in chunks of this size (see :class:`ContentHash`)
CHUNK = 16 << 20


class ContentHash:
    """The identity of a content: ``v2-HASH-LENGTH``.

    HASH is the xxh3-128 of the xxh3-128 digests of the content's successive chunks of
    :data:`CHUNK` bytes (the last one shorter).  Chunked so that the ranges of a plain file read
    in parallel each hash the chunks that start in them (:func:`sentinelle.scan.parallel`), and
    a compressed copy of the same content, read as one stream, gets the same identity.
    Fingerprints written before this scheme (``HASH-LENGTH`` of the whole content) are still
    recognized, see :func:`legacy_fingerprint`.
    """

    def __init__(self, chunk: int | None = None) -> None:
        self.chunk = chunk or CHUNK
        self.digests: list[bytes] = []
        self.length = 0
        self._h = xxhash.xxh3_128()
        self._n = 0  # bytes of the current chunk so far

    def update(self, data: bytes | bytearray | memoryview) -> None:
        n = len(data)
        if self._n + n < self.chunk:  # the usual case: within the chunk
            self._h.update(data)
            self._n += n
            self.length += n
            return
        view = memoryview(data)
        while len(view):
            take = min(len(view), self.chunk - self._n)
            self._h.update(view[:take])
            self._n += take
            self.length += take
            view = view[take:]
            if self._n == self.chunk:
                self.digests.append(self._h.digest())
                self._h.reset()
                self._n = 0

    @property
    def partial(self) -> bool:
        """True when a chunk is begun and not complete."""
        return self._n > 0

    def finish(self) -> list[bytes]:
        """The digests of the chunks fed, the last one possibly shorter (then no more updates)."""
        if self._n:
            self.digests.append(self._h.digest())
            self._n = 0
        return self.digests

    def hexdigest(self) -> str:
        return combine(self.finish(), self.length)


def combine(digests: list[bytes], length: int) -> str:
    """The fingerprint of a content of ``length`` bytes from its chunks' digests, in order."""
    return f"v2-{xxhash.xxh3_128_hexdigest(b''.join(digests))}-{length}"


def fingerprint(inp: InputFile) -> str:
    """The identity of the whole decompressed content (see :class:`ContentHash`)."""
    h = ContentHash()
    for block in iter_blocks(inp):
        h.update(block)
    return h.hexdigest()


def legacy_fingerprint(inp: InputFile) -> str:
    """``HASH-LENGTH`` of the whole decompressed content: how stores written before version 2 of
    the fingerprint identify their files (a re-scan must still find them)."""
    h = xxhash.xxh3_128()
    size = 0
    for block in iter_blocks(inp):
        h.update(block)
        size += len(block)
    return f"{h.hexdigest()}-{size}"


def iter_blocks(inp: InputFile, size: int = 1 << 22) -> Iterator[bytes]:
    """The decompressed content in blocks."""
    with open_decompressed(inp) as fh:
        while block := fh.read(size):
            yield block


def year_hint(inp: InputFile) -> int:
    """The year of the file's last change: the year of log lines whose dates carry none."""
    return datetime.fromtimestamp(inp.path.stat().st_mtime).year
