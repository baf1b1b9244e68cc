"""Reading captures: bytes in, cleaned text lines out, original line numbers kept.

Line ``i`` of :attr:`Capture.lines` is line ``i + 1`` of the file as an editor shows it,
so every fact and finding can cite ``file:line`` that the engineer can open.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, overload

# Files found while walking a directory that are obviously not captures.
SKIPPED_SUFFIXES = {".zip", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tar", ".tgz", ".bz2",
                    ".xz", ".7z", ".exe", ".bin", ".pyc", ".so", ".dll", ".docx", ".xlsx"}
BINARY_SNIFF_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The pager prompt, as logged when the terminal did not erase it; removed exactly so the
# indentation of the output line it sits on survives.
_MORE = re.compile(r" ?-- ?More ?-- ?|<--- ?More ?--->", re.IGNORECASE)
# `terminal exec prompt timestamp` headers printed before each command's output.
_TIMESTAMP_HEADER = re.compile(r"^(Load for five secs:|Time source is )")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InputError(Exception):
    """A capture that cannot be analysed; the message is one line for stderr."""


@dataclass
class Capture:
    """One input file, decoded and cleaned. ``name`` is how findings cite it."""

    name: str
    lines: Sequence[str]          # a list, or SparseLines for a large capture read streaming
    ends_with_newline: bool = True
    cleaned: Counter = field(default_factory=Counter)
    # `Time source is ...` headers: (1-based line, text); a clock reading of last resort.
    timestamp_headers: list[tuple[int, str]] = field(default_factory=list)
    # Large captures: header lines (0-based) of sections whose output was not kept whole.
    elided_sections: set[int] = field(default_factory=set)
    # What a streaming read left unread: (1-based line, reason).
    notes: list[tuple[int, str]] = field(default_factory=list)


def iter_input_paths(args: list[str]) -> Iterator[tuple[str, bool]]:
    """Yield (path, named_explicitly) for each argument; directories are walked recursively.

    Explicitly named files that are bad are errors; files met while walking a directory
    are skipped with a warning instead (a case folder often holds screenshots and zips).
    """
    for arg in args:
        if arg == "-":
            yield arg, True
            continue
        path = Path(arg)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or Path(name).suffix.lower() in SKIPPED_SUFFIXES:
                        continue
                    found = True
                    yield str(Path(root) / name), False
            if not found:
                raise InputError(f"{arg}: directory holds no capture files")
        else:
            yield arg, True


def read_capture(path: str, encoding: str | None = None) -> Capture:
    """Read and clean one capture. Raises :class:`InputError` with a one-line reason."""
    data = _read_bytes(path)
    name = "<stdin>" if path == "-" else path
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(f"{name}: gzip data is truncated or corrupt ({exc})") from None
    return decode_capture(name, data, encoding)


def decode_capture(name: str, data: bytes, encoding: str | None = None) -> Capture:
    """A whole capture held in memory (already gunzipped): decoded, checked and cleaned."""
    text = _decode(name, data, encoding)
    if not text.strip():
        raise InputError(f"{name}: file is empty (no text to analyse)")
    return clean_text(name, text)


def open_input(path: str) -> BinaryIO:
    """A binary stream of the capture's bytes, gunzipped on the fly when it is gzip."""
    if path == "-":
        raw: BinaryIO = sys.stdin.buffer
    else:
        _check_path(path)
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    peek = getattr(raw, "peek", None)
    head = peek(2)[:2] if peek is not None else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_chunk(name: str, stream: BinaryIO, size: int = -1) -> bytes:
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
        if isinstance(stream, gzip.GzipFile):
            raise InputError(f"{name}: gzip data is truncated or corrupt ({exc})") from None
        raise InputError(f"{name}: cannot read ({getattr(exc, 'strerror', None) or exc})"
                         ) from None
    return b"".join(parts)


class SparseLines(Sequence[str]):
    """The lines of a large capture: every line keeps its number, only those sldiag reads
    keep their text (the others read as ""). ``indexes`` walks the kept ones only."""

    def __init__(self, total: int, kept: dict[int, str]) -> None:
        self.total = total
        self.kept = kept
        self._order = sorted(kept)

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.kept.get(i, "") for i in range(*index.indices(self.total))]
        if index < 0:
            index += self.total
        if not 0 <= index < self.total:
            raise IndexError(index)
        return self.kept.get(index, "")

    def __iter__(self) -> Iterator[str]:
        return (self.kept.get(i, "") for i in range(self.total))

    def indexes(self, start: int = 0, end: int | None = None) -> list[int]:
        end = self.total if end is None else end
        return self._order[bisect_left(self._order, start):bisect_left(self._order, end)]

    def has(self, index: int) -> bool:
        return index in self.kept

    def with_texts(self, texts: list[str]) -> SparseLines:
        """The same lines with new texts, in the order of :meth:`indexes`."""
        return SparseLines(self.total, dict(zip(self._order, texts, strict=True)))


def line_indexes(lines: Sequence[str], start: int = 0, end: int | None = None
                 ) -> Iterable[int]:
    """Indexes of the lines with text to read between ``start`` and ``end``."""
    if isinstance(lines, SparseLines):
        return lines.indexes(start, end)
    return range(start, len(lines) if end is None else end)


def clean_text(name: str, text: str) -> Capture:
    """Split into lines and strip terminal residue, keeping one entry per original line."""
    cleaned: Counter = Counter()
    raw_lines = text.split("\n")
    ends_with_newline = text.endswith("\n")
    if ends_with_newline:
        raw_lines.pop()
    lines: list[str] = []
    headers: list[tuple[int, str]] = []
    for number, line in enumerate(raw_lines, start=1):
        lines.append(clean_capture_line(line, number, cleaned, headers))
    return Capture(name=name, lines=lines, ends_with_newline=ends_with_newline,
                   cleaned=cleaned, timestamp_headers=headers)


def clean_line(line: str, cleaned: Counter) -> str:
    """One line without its terminal residue (CR, ANSI, backspaces, pager prompts, controls)."""
    if line.endswith("\r"):
        line = line[:-1]
        cleaned["crlf"] += 1
    if "\x1b" in line:
        line, n = _ANSI.subn("", line)
        cleaned["ansi"] += n
    if "\r" in line:
        # A bare carriage return redraws the line: what stays visible is the last part.
        parts = [p for p in line.split("\r") if p.strip()]
        line = parts[-1] if parts else ""
        cleaned["carriage-return"] += 1
    if "\b" in line:
        line = _apply_backspaces(line)
        cleaned["backspace"] += 1
    if "More" in line or "more" in line:
        line, n = _MORE.subn("", line)
        cleaned["more-prompt"] += n
    if _CONTROL.search(line):
        line = _CONTROL.sub("", line)
        cleaned["control"] += 1
    return line.rstrip()


def clean_capture_line(raw: str, number: int, cleaned: Counter,
                       headers: list[tuple[int, str]]) -> str:
    """Line ``number`` (1-based) as a capture holds it: cleaned, and blank when it is an exec
    timestamp header (remembered in ``headers``)."""
    line = clean_line(raw, cleaned)
    if _TIMESTAMP_HEADER.match(line):
        headers.append((number, line))
        cleaned["timestamp-header"] += 1
        return ""
    return line


def _apply_backspaces(line: str) -> str:
    out: list[str] = []
    for ch in line:
        if ch == "\b":
            if out:
                out.pop()
        else:
            out.append(ch)
    return "".join(out)


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


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    _check_path(path)
    try:
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _decode(name: str, data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise decode_error(name, data, exc, encoding) from None
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: UTF-16 text is truncated or corrupt") from None
    if data.startswith(UTF8_BOM):
        data = data[3:]
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise InputError(f"{name}: binary file, not a text capture")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise decode_error(name, data, exc, None) from None


def decode_error(name: str, data: bytes, exc: UnicodeDecodeError, encoding: str | None,
                 first_line: int = 1) -> InputError:
    """The one-line error for undecodable bytes; ``data`` starts at line ``first_line``."""
    line = first_line + data.count(b"\n", 0, exc.start)
    if encoding:
        return InputError(f"{name}:{line}: not valid {encoding}")
    return InputError(
        f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the capture as "
        "UTF-8 or pass --encoding (e.g. --encoding latin-1)")
