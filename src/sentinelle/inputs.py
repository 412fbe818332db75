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
    inside a frame.  (``ZstdDecompressor.stream_reader`` reads a cut frame as a shorter
    stream: a truncated ``.zst`` lost its tail without a word.)"""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._begun = False  # the current frame has had input
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with memoryview(buffer).cast("B") as into:
            done = 0
            while done < len(into):  # as full as it goes: large reads in few calls
                if not self._out:
                    data = self._raw.read(1 << 18)
                    if not data:
                        if self._begun and not self._frame.eof:
                            raise zstandard.ZstdError("the stream ends inside a frame (truncated?)")
                        break
                    self._out = memoryview(self._decompress(data))
                n = min(len(into) - done, len(self._out))
                into[done : done + n] = self._out[:n]
                self._out = self._out[n:]
                done += n
            return done

    def _decompress(self, data: bytes) -> bytes:
        parts = []
        while data:
            if self._frame.eof:  # the next frame (concatenated files, zstd -T)
                self._frame = zstandard.ZstdDecompressor().decompressobj()
            parts.append(self._frame.decompress(data))
            self._begun = True
            data = self._frame.unused_data if self._frame.eof else b""
        return b"".join(parts)


def unreadable(inp: InputFile, e: BaseException) -> UnreadableInputError:
    """The error for a file that fails while being read (corrupt or truncated compression)."""
    kind = {"gz": "gzip", "bz2": "bzip2", "zst": "zstd"}.get(inp.compression or "", "")
    what = f"{kind} stream" if kind else "file"
    return UnreadableInputError(
        f"{inp.name}: the {what} cannot be read to the end ({type(e).__name__}: {e})",
        hint="the file may be truncated or still being written; check it with "
        f"`{'zcat' if kind == 'gzip' else 'cat'} {inp.name} | tail`, or leave it out",
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
