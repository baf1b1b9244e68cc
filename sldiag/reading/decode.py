"""Bytes to text: files opened (gzip on the fly, with a bound on its expansion), binary files
told from text, UTF-8 read leniently (a few bad bytes replaced and noted), other encodings on
request. Every failure is a one-line InputError."""

from __future__ import annotations

import codecs
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from ..base.errors import InputError
from ..base.limits import GZIP_FREE_BYTES, GZIP_MAX_RATIO

if TYPE_CHECKING:
    import gzip

BINARY_SNIFF_BYTES = 65536
# A capture is binary when it starts like a known binary format, or when more than this share
# of its first BINARY_SNIFF_BYTES are control bytes no terminal prints (console logs carry a
# few NULs and bells: those are cleaned, not a reason to reject the file).
BINARY_CONTROL_RATIO = 0.10
BINARY_MAGIC = (b"\x7fELF", b"\x89PNG", b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0",
                b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BZh9", b"\xfd7zXZ", b"7z\xbc\xaf")
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b\x08") + b"\x7f"
# Bytes that are not UTF-8 are replaced (U+FFFD) and each line holding one becomes a parse
# gap, unless more than this many lines hold them *and* more than this share of all lines:
# then the file is in another encoding and the user is asked to name it.
MAX_UNDECODABLE_LINES = 20
MAX_UNDECODABLE_SHARE = 0.01
UNDECODABLE_NOTE = "bytes that are not valid UTF-8 were replaced by U+FFFD"
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class ByteStream(Protocol):
    """What the readers read from: a file, standard input, gunzipped or transcoded bytes."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


def open_input(path: str, name: str | None = None) -> ByteStream:
    """A binary stream of the capture's bytes, gunzipped on the fly when it is gzip (and
    refused as a decompression bomb when it expands too much)."""
    if path == "-":
        raw: BinaryIO = sys.stdin.buffer
    else:
        _check_path(path)
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except PermissionError:
            raise InputError(f"{name or path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{name or path}: cannot read ({exc.strerror or exc})") from None
    peek = getattr(raw, "peek", None)
    head = peek(2)[:2] if peek is not None else b""
    if head == GZIP_MAGIC:
        import gzip  # here: most captures are not compressed

        counted = _CountingReader(raw)
        source: Any = counted  # a reader GzipFile takes (read only)
        return _BoundedGunzip(name or path, counted, gzip.GzipFile(fileobj=source, mode="rb"))
    return raw


class _CountingReader:
    """The compressed bytes read so far (stdin has no size to ask for)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data

    def close(self) -> None:
        self.raw.close()


class _BoundedGunzip:
    """A gunzipping stream that stops with an InputError once it has expanded more than
    GZIP_MAX_RATIO times the compressed bytes read (past GZIP_FREE_BYTES)."""

    def __init__(self, name: str, counted: _CountingReader, gz: gzip.GzipFile) -> None:
        self.name = name
        self.counted = counted
        self.gz = gz
        self.produced = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            parts = []
            while part := self.read(1 << 20):
                parts.append(part)
            return b"".join(parts)
        try:
            data = self.gz.read(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(f"{self.name}: gzip data is truncated or corrupt ({exc})") from None
        self.produced += len(data)
        if self.produced > GZIP_FREE_BYTES and \
                self.produced > GZIP_MAX_RATIO * max(self.counted.count, 1):
            raise InputError(
                f"{self.name}: gzip data expands more than {GZIP_MAX_RATIO} times "
                f"({self.produced // 2**20} MB from {self.counted.count // 1024} KB so far): "
                "refused as a decompression bomb; gunzip it yourself if it is a real capture")
        return data

    def close(self) -> None:
        self.gz.close()
        self.counted.close()


def read_chunk(name: str, stream: ByteStream, size: int = -1) -> bytes:
    """Up to ``size`` bytes (fewer only at the end; -1: all that is left); gzip damage
    becomes an InputError."""
    parts: list[bytes] = []
    wanted = size
    try:
        if size < 0:
            return stream.read()
        while wanted > 0:
            part = stream.read(wanted)
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(f"{name}: cannot read ({getattr(exc, 'strerror', None) or exc})"
                         ) from None
    return b"".join(parts)


def chunks_ahead(name: str, stream: ByteStream, size: int) -> Generator[bytes, None, None]:
    """What ``read_chunk(name, stream, size)`` returns call after call, up to and with the
    final b"", each chunk read by a thread while the caller works on the one before:
    reading waits on the disk and the page cache without Python's lock, which the search of
    a chunk holds (a tenth of a large capture's time). One read at a time, at most one chunk
    ahead; a read's error is raised where that chunk is asked for. Close the generator
    before the stream: it waits for the read under way."""
    chunks = prepared_ahead(name, stream, size, None)
    try:
        for chunk, _ in chunks:
            yield chunk
    finally:
        chunks.close()


# Chunks alive at once while reading ahead: the caller's, and the one being read (and, with
# a preparation, the one being prepared): bounded, so memory is too.
CHUNKS_ALIVE = 2
CHUNKS_ALIVE_PREPARED = 3


def prepared_ahead(name: str, stream: ByteStream, size: int,
                   prepare: Callable[[bytes], Any] | None, first: Iterable[bytes] = ()
                   ) -> Generator[tuple[bytes, Any], None, None]:
    """chunks_ahead, each chunk with what ``prepare(chunk)`` made of it in a thread of its
    own (None without ``prepare``, and for the final b""): reading, preparing (Hyperscan's
    search, which leaves Python's lock) and the caller's work on each chunk run side by
    side, a chunk each. ``first``: chunks already read (a head), prepared before the
    stream's. ``prepare`` must not share state with the caller."""
    import threading

    ahead = _Ahead(name, stream, size, prepare, first)
    threads = [threading.Thread(target=ahead.read_all, name="sldiag-read-ahead-disk",
                                daemon=True),
               threading.Thread(target=ahead.prepare_all, name="sldiag-read-ahead",
                                daemon=True)]
    for thread in threads:
        thread.start()
    try:
        while True:
            chunk, prepared, error = ahead.ready.get()
            if error is not None:
                raise error
            yield chunk, prepared
            if not chunk:
                return
            ahead.slots.release()  # the caller is done with it: another chunk may be read
    finally:
        ahead.stop.set()
        for _ in range(CHUNKS_ALIVE_PREPARED):
            ahead.slots.release()
        for thread in threads:
            thread.join()


class _Ahead:
    """What the reading thread and the preparing thread of prepared_ahead share."""

    def __init__(self, name: str, stream: ByteStream, size: int,
                 prepare: Callable[[bytes], Any] | None, first: Iterable[bytes]) -> None:
        import queue
        import threading

        self.name, self.stream, self.size, self.prepare = name, stream, size, prepare
        self.pieces = iter(first)
        self.slots = threading.Semaphore(CHUNKS_ALIVE_PREPARED if prepare else CHUNKS_ALIVE)
        self.stop = threading.Event()
        self.read: queue.SimpleQueue[tuple[bytes, BaseException | None]] = queue.SimpleQueue()
        self.ready: queue.SimpleQueue[tuple[bytes, Any, BaseException | None]] = \
            queue.SimpleQueue()

    def read_all(self) -> None:
        try:
            while True:
                self.slots.acquire()
                if self.stop.is_set():
                    return
                chunk = next(self.pieces, None)
                if chunk is None:  # the pieces given are done: the stream's
                    chunk = read_chunk(self.name, self.stream, self.size)
                self.read.put((chunk, None))
                if not chunk:
                    return
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
            self.read.put((b"", exc))
        finally:
            self.read.put((b"", None))  # the preparer's end, whatever happened

    def prepare_all(self) -> None:
        while True:
            chunk, error = self.read.get()
            prepared = None
            if chunk and error is None and self.prepare is not None \
                    and not self.stop.is_set():
                try:
                    prepared = self.prepare(chunk)
                except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
                    chunk, error = b"", exc
            self.ready.put((chunk, prepared, error))
            if not chunk or error is not None:
                return


@contextmanager
def quick_handoff(seconds: float = 0.0005) -> Iterator[None]:
    """Python's lock handed between threads every ``seconds`` (0.005 by default) while a
    reader thread searches: each of Hyperscan's hits waits for the lock, which the caller's
    work on the chunk before holds (a tenth of a large capture's time). Restored after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def head_then_ahead(head: bytes, name: str, stream: ByteStream, size: int,
                    prepare: Callable[[bytes], Any] | None = None
                    ) -> Generator[tuple[bytes, Any], None, None]:
    """The head already read, ``size`` bytes at a time, then the rest of the stream, all
    read and prepared ahead (prepared_ahead); (b"", None) at the end, and for ever after."""
    pieces = (head[at:at + size] for at in range(0, len(head), size))
    chunks = prepared_ahead(name, stream, size, prepare, pieces)
    try:
        yield from chunks  # ends with b""
    finally:
        chunks.close()
    while True:
        yield b"", None


def _check_path(path: str) -> None:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path}: is a directory; give a capture file or use it as a folder")
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if not p.is_file():
            raise InputError(f"{path}: not a regular file")
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None


def binary_message(name: str, head: bytes) -> str:
    """Why a file is refused as binary, with a hint when it is text in UTF-16 without a
    byte-order mark (every other byte NUL: what some Windows tools save)."""
    sample = head[:4096]
    if len(sample) >= 16:
        odd, even = sample[1::2], sample[0::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return (f"{name}: binary file, not a text capture (it looks like UTF-16 without a "
                    "byte-order mark: try --encoding utf-16-le)")
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return (f"{name}: binary file, not a text capture (it looks like UTF-16 without a "
                    "byte-order mark: try --encoding utf-16-be)")
    return f"{name}: binary file, not a text capture"


def decode_text(name: str, data: bytes, encoding: str | None) -> tuple[str, Undecodable]:
    if encoding:
        try:
            return data.decode(encoding), Undecodable()
        except LookupError:
            raise InputError(f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise decode_error(name, data, exc, encoding) from None
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), Undecodable()
        except UnicodeDecodeError:
            raise InputError(f"{name}: UTF-16 text is truncated or corrupt") from None
    if data.startswith(UTF8_BOM):
        data = data[3:]
    if looks_binary(data):
        raise InputError(binary_message(name, data))
    bad = Undecodable()
    text = decode_utf8_lenient(data, bad)
    bad.check(name, data.count(b"\n") + (0 if data.endswith(b"\n") else 1))
    return text, bad


def looks_binary(data: bytes) -> bool:
    """A known binary format, or mostly bytes no terminal prints (a few stray NULs or bells
    in a console log are cleaned instead)."""
    if data.startswith(BINARY_MAGIC):
        return True
    head = data[:BINARY_SNIFF_BYTES]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    return controls > BINARY_CONTROL_RATIO * len(head)


@dataclass
class Undecodable:
    """Lines holding bytes that are not UTF-8 (replaced by U+FFFD). Only the first
    ``MAX_UNDECODABLE_LINES`` are named one by one; the rest are counted."""

    lines: list[int] = field(default_factory=list)
    count: int = 0
    first_byte: int = 0
    _last: int = 0

    def add(self, line: int, byte: int) -> bool:
        """Note a line; True when it is one of those named one by one."""
        if line == self._last:
            return False
        if not self.count:
            self.first_byte = byte
        self._last = line
        self.count += 1
        if len(self.lines) < MAX_UNDECODABLE_LINES:
            self.lines.append(line)
            return True
        return False

    def check(self, name: str, total_lines: int) -> None:
        """Too many bad lines: the file is in another encoding (one-line InputError)."""
        if self.count > MAX_UNDECODABLE_LINES and \
                self.count > MAX_UNDECODABLE_SHARE * max(total_lines, 1):
            raise InputError(
                f"{name}:{self.lines[0]}: not valid UTF-8 (byte 0x{self.first_byte:02x}, "
                f"{self.count} lines); save the capture as UTF-8 or pass --encoding "
                "(e.g. --encoding latin-1)")

    def notes(self) -> list[tuple[int, str]]:
        notes = [(n, UNDECODABLE_NOTE) for n in self.lines]
        if self.count > len(self.lines):
            notes.append((self.lines[-1], f"{self.count - len(self.lines)} more lines held "
                          "bytes that are not valid UTF-8 (replaced by U+FFFD)"))
        return notes


def decode_utf8_lenient(data: bytes, bad: Undecodable, first_line: int = 1,
                        named: Callable[[int, int], None] | None = None) -> str:
    """UTF-8 text with each invalid sequence replaced by U+FFFD (as errors="replace" does),
    noting the lines that held one (``named(line, offset)`` for those named one by one).
    Linear: each stretch of valid bytes is decoded once."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    view = memoryview(data)
    parts: list[str] = []
    pos = 0
    line = first_line
    counted = 0
    while True:
        try:
            parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            return "".join(parts)
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
        parts.append(codecs.utf_8_decode(view[pos:start], "strict", True)[0])
        parts.append("\ufffd")
        line += data.count(b"\n", counted, start)
        counted = start
        if bad.add(line, data[start]) and named is not None:
            named(line, start)
        pos = end


def decode_error(name: str, data: bytes, exc: UnicodeDecodeError, encoding: str | None,
                 first_line: int = 1) -> InputError:
    """The one-line error for undecodable bytes; ``data`` starts at line ``first_line``."""
    line = first_line + data.count(b"\n", 0, exc.start)
    if encoding:
        return InputError(f"{name}:{line}: not valid {encoding}")
    return InputError(
        f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the capture as "
        "UTF-8 or pass --encoding (e.g. --encoding latin-1)")
