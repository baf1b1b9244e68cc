"""Reading one capture: held whole when it is small, streaming when it is large.

A show tech from a busy stack runs to hundreds of MB, nearly all of it counters, logs and
interface configuration that licensing never needs. Up to ``LARGE_CAPTURE_BYTES`` a capture is
read whole. Beyond that it is read in chunks (:mod:`.scanner`), keeping only the lines sldiag
reads; every other line keeps its number but not its text (:class:`SparseLines`), so evidence
cites the same ``file:line`` as a whole read. The tests check that both reads agree.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from ..base.errors import InputError
from ..base.limits import MAX_LINE_BYTES, MAX_WHOLE_READ_LINES
from ..base.textsafe import display_name
from ..model.catalog import Catalog
from .decode import (
    BINARY_SNIFF_BYTES,
    UTF8_BOM,
    UTF16_BOMS,
    ByteStream,
    chunks_ahead,
    decode_text,
    open_input,
    read_chunk,
)
from .lines import (
    Blanks,
    Capture,
    clean_capture_line,
    clean_text,
    cut_line_bytes,
    cut_long_line,
    head_decides,
    strip_indent,
)

LARGE_CAPTURE_BYTES = 8 * 1024 * 1024   # above this, a capture is read streaming
# What the checks on the start of a capture need (BOM, binary sniff): a capture known to be
# large reads only these before its streaming read, unless they cannot decide what a head
# of LARGE_CAPTURE_BYTES would (lines.head_decides).
SMALL_HEAD_BYTES = BINARY_SNIFF_BYTES + 3
CHUNK_BYTES = 2 * 1024 * 1024


def read_capture(path: str, catalog: Catalog, encoding: str | None = None,
                 large_bytes: int = LARGE_CAPTURE_BYTES, chunk_bytes: int = CHUNK_BYTES,
                 name: str | None = None) -> Capture:
    """Read one capture: whole when it is small (bytes and lines), streaming when it is
    large. ``name`` is how evidence cites it (default: the path)."""
    name = name or display_name(path)
    stream, encoding = open_text(path, name, encoding)
    try:
        # Enough for the checks on the start of a file (BOM, binary sniff) in any case.
        full = max(large_bytes + 1, SMALL_HEAD_BYTES)
        size = _plain_file_size(stream)
        if size is not None and size > large_bytes:
            # Surely large: its reader threads read the rest while it starts.
            head = read_chunk(name, stream, min(full, SMALL_HEAD_BYTES))
            if not head_decides(head, encoding or "utf-8"):  # as the whole head would
                head += read_chunk(name, stream, full - len(head))
        else:
            head = read_chunk(name, stream, full)
            if len(head) <= large_bytes and head.count(b"\n") <= MAX_WHOLE_READ_LINES:
                return decode_capture(name, head, encoding)
        from .scanner import Scanner  # here: most captures are small, read whole

        return Scanner(name, catalog, encoding).run(head, stream, chunk_bytes)
    finally:
        stream.close()


def _plain_file_size(stream: ByteStream) -> int | None:
    """The size of a capture that is a regular file read as it is (not gunzipped nor
    transcoded), else None."""
    raw = stream.stream if isinstance(stream, _Prefixed) else None
    if not isinstance(raw, io.BufferedReader):
        return None
    try:
        info = os.fstat(raw.fileno())
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def read_whole(path: str, encoding: str | None = None, name: str | None = None) -> Capture:
    """Read and clean one capture, held whole, whatever its size (tests, rule examples)."""
    name = name or display_name(path)
    stream = open_input(path, name)
    try:
        data = read_chunk(name, stream)
    finally:
        stream.close()
    return decode_capture(name, data, encoding)


def decode_capture(name: str, data: bytes, encoding: str | None = None) -> Capture:
    """A whole capture held in memory (already gunzipped): decoded, checked and cleaned."""
    text, bad = decode_text(name, data, encoding)
    if not text.strip():
        raise InputError(f"{name}: file is empty (no text to analyse)")
    capture = clean_text(name, text)
    capture.notes.extend(bad.notes())
    return capture


def open_text(path: str, name: str, encoding: str | None) -> tuple[ByteStream, str | None]:
    """The capture's bytes in an encoding where every byte 0x0a is a newline, with that
    encoding (None: UTF-8, read leniently): as they are, or transcoded to UTF-8 as they are
    read (UTF-16, or an --encoding that is not ASCII-compatible), never held whole."""
    stream = open_input(path, name)
    try:
        head = read_chunk(name, stream, 4)
        if encoding is None and head.startswith(UTF16_BOMS):
            return _Transcoder(name, head, stream, "utf-16", "UTF-16 text is truncated or "
                               "corrupt"), None
        if encoding is not None and not _streamable(encoding):
            return _Transcoder(name, head, stream, encoding, f"not valid {encoding}"), None
    except BaseException:
        stream.close()
        raise
    return _Prefixed(head, stream), encoding


class _Prefixed:
    """A stream whose first bytes were already read."""

    def __init__(self, head: bytes, stream: ByteStream) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.stream.read(size)

    def close(self) -> None:
        self.stream.close()


class _Transcoder:
    """Text in another encoding, read as UTF-8 bytes a piece at a time."""

    def __init__(self, name: str, head: bytes, stream: ByteStream, encoding: str,
                 error: str) -> None:
        self.name = name
        self.stream = _Prefixed(head, stream)
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self.error = error
        self.buffer = b""
        self.done = False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            raw = self.stream.read(1 << 20)
            try:
                text = self.decoder.decode(raw, final=not raw)
            except UnicodeDecodeError:
                raise InputError(f"{self.name}: {self.error}") from None
            self.buffer += text.encode("utf-8", "surrogatepass")
            self.done = not raw
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def close(self) -> None:
        self.stream.close()


def iter_clean_lines(path: str, encoding: str | None = None,
                     chunk_bytes: int = CHUNK_BYTES, indent: str = "",
                     name: str | None = None,
                     on_read: Callable[[int], None] | None = None) -> Iterator[str]:
    """Every line of a capture already read once (so known to decode), cleaned as a whole
    read cleans it (``indent`` as that read found it), one chunk in memory at a time; a line
    longer than MAX_LINE_BYTES is cut there, as the read that analysed it cut it.
    ``on_read``: told the bytes of each chunk read (a progress bar)."""
    name = name or display_name(path)
    stream, encoding = open_text(path, name, encoding)
    clean = _LineCleaner(encoding, indent)
    for block in _line_blocks(name, stream, encoding, chunk_bytes, on_read):
        for raw in block.decode(clean.codec, errors=clean.errors).split("\n"):
            yield clean(raw)


def iter_carried_lines(path: str, carried: Sequence[tuple[int, int]],
                       encoding: str | None = None, chunk_bytes: int = CHUNK_BYTES,
                       indent: str = "", name: str | None = None,
                       on_read: Callable[[int], None] | None = None
                       ) -> Iterator[str | Blanks]:
    """The lines of :func:`iter_clean_lines` a bundle carries (``carried``: sorted [start,
    end) ranges of 0-based indexes), each cleaned; every run of other lines is one
    :class:`Blanks`, never decoded nor cleaned (a bundle carries a few lines of a large
    show tech)."""
    name = name or display_name(path)
    stream, encoding = open_text(path, name, encoding)
    clean = _LineCleaner(encoding, indent)
    at_range = 0
    blank = 0                                # lines not carried, not yet passed on
    for block in _line_blocks(name, stream, encoding, chunk_bytes, on_read):
        first = clean.number                 # the 0-based index of the block's first line
        last = first + block.count(b"\n") + 1
        at, parts = first, None
        while at_range < len(carried) and at < last:
            start, end = carried[at_range]
            if end <= at:
                at_range += 1
                continue
            if start >= last:
                break
            blank += max(0, start - at)
            at = max(at, start)
            if blank:
                yield Blanks(blank)
                blank = 0
            parts = parts if parts is not None else block.split(b"\n")
            for raw in parts[at - first:min(end, last) - first]:
                clean.number = at
                yield clean(raw.decode(clean.codec, errors=clean.errors))
                at += 1
        blank += last - at
        clean.number = last
    if blank:
        yield Blanks(blank)


class _LineCleaner:
    """One line as a whole read cleans it, numbered in order."""

    def __init__(self, encoding: str | None, indent: str) -> None:
        self.codec = encoding or "utf-8"
        self.errors = "strict" if encoding else "replace"
        self.indent = indent
        self.number = 0                      # lines before the next one
        self.cleaned: Counter = Counter()
        self.headers: list[tuple[int, str]] = []

    def __call__(self, raw: str) -> str:
        self.number += 1
        if len(raw) > MAX_LINE_BYTES // 4:
            raw = cut_long_line(raw) or raw
        line = clean_capture_line(raw, self.number, self.cleaned, self.headers)
        return strip_indent(line, self.indent)


def _line_blocks(name: str, stream: ByteStream, encoding: str | None, chunk_bytes: int,
                 on_read: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The capture's bytes a chunk at a time, in blocks of whole lines (without the newline
    after the last); a line longer than MAX_LINE_BYTES is cut there."""
    chunks = chunks_ahead(name, stream, chunk_bytes)
    try:
        pending = b""
        dropping = False         # inside a line too long to keep: skip to its end
        first = True
        while True:
            more = next(chunks)
            if on_read is not None:
                on_read(len(more))
            if first and encoding is None and more.startswith(UTF8_BOM):
                more = more[len(UTF8_BOM):]
            first = False
            if dropping and more:
                newline = more.find(b"\n")
                if newline < 0:
                    continue
                more, dropping = more[newline:], False
            if not more:
                if pending:  # the last line, with no newline after it
                    yield pending
                return
            data = pending + more
            cut = data.rfind(b"\n") + 1
            if not cut:
                pending = data
                if len(pending) > MAX_LINE_BYTES:
                    pending, dropping = cut_line_bytes(pending), True
                continue
            yield data[:cut - 1]
            pending = data[cut:]
    finally:
        chunks.close()
        stream.close()


def _streamable(encoding: str | None) -> bool:
    if encoding is None:
        return True
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'") from None
    probe = "\n#>%-= azAZ09:\t\r\x1b\b"
    try:
        return codec.encode(probe)[0] == probe.encode("ascii")
    except (UnicodeError, ValueError):
        return False
