"""Reading captures: bytes in, cleaned text lines out, original line numbers kept.

Line ``i`` of :attr:`Capture.lines` is line ``i + 1`` of the file as an editor shows it,
so every fact and finding can cite ``file:line`` that the engineer can open.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import sys
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, overload

from .limits import GZIP_FREE_BYTES, GZIP_MAX_RATIO, MAX_LINE_BYTES

# Files found while walking a directory that are obviously not captures.
SKIPPED_SUFFIXES = {".zip", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tar", ".tgz", ".bz2",
                    ".xz", ".7z", ".exe", ".bin", ".pyc", ".so", ".dll", ".docx", ".xlsx"}
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

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The pager prompt, as logged when the terminal did not erase it; removed exactly so the
# indentation of the output line it sits on survives.
_MORE = re.compile(r" ?-- ?More ?-- ?|<--- ?More ?--->", re.IGNORECASE)
# `terminal exec prompt timestamp` headers printed before each command's output (a clock
# reading with its source; show clock detail's own "Time source is NTP" line has no comma).
_TIMESTAMP_HEADER = re.compile(r"^(Load for five secs:|(?:Time source is [^,]*|No time source), )")
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
    # What a streaming read left unread, bytes replaced: (1-based line, reason).
    notes: list[tuple[int, str]] = field(default_factory=list)
    # The blanks removed from the start of every line (a paste indented as a block).
    indent: str = ""
    # A large capture: the text of noted lines it did not otherwise keep (1-based line).
    note_texts: dict[int, str] = field(default_factory=dict)
    # Limits of limits.py this capture reached: (1-based line, what was left out).
    limits: list[tuple[int, str]] = field(default_factory=list)

    def reached(self, line: int, what: str) -> None:
        """A limit reached at ``line``: reported, and noted where it happened (once)."""
        if (line, what) in self.limits:
            return
        self.limits.append((line, what))
        self.notes.append((line, what))


@dataclass(frozen=True)
class InputFile:
    """One file to analyse: where to read it, how reports name it, whether the user named it
    (a bad file named explicitly is an error; one met in a folder is skipped), and why it is
    skipped when it is."""

    path: str
    name: str
    explicit: bool
    skipped: str | None = None


STDIN_NAME = "<stdin>"


def iter_input_paths(args: list[str]) -> Iterator[InputFile]:
    """Each file to analyse; directories are walked recursively, staying inside them.

    Explicitly named files that are bad are errors; files met while walking a directory are
    skipped with a reason instead (a case folder often holds screenshots, zips and notes).
    Standard input (``-``) is copied once to a private file, so it can be read as often as
    a file (a bundle after the analysis)."""
    from .textsafe import display_name

    for arg in args:
        if arg == "-":
            yield InputFile(spool_stdin(), STDIN_NAME, True)
            continue
        path = Path(arg)
        if path.is_dir():
            found = False
            for item in _walk(path):
                found = found or item.skipped is None
                yield item
            if not found:
                raise InputError(f"{display_name(arg)}: directory holds no capture files")
        else:
            yield InputFile(arg, display_name(arg), True)


def _walk(top: Path) -> Iterator[InputFile]:
    """Files under ``top`` in a stable order; a link to outside the folder is skipped (it
    could bring in any file of the machine, e.g. a credentials file, as a "capture")."""
    from .textsafe import display_name

    try:
        root = top.resolve()
    except OSError:
        root = top.absolute()
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() in SKIPPED_SUFFIXES:
                continue
            path = Path(folder) / name
            shown = display_name(str(path))
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    yield InputFile(str(path), shown, False, "a broken or looping link")
                    continue
                if not target.is_relative_to(root):
                    yield InputFile(str(path), shown, False,
                                    "a link to a file outside the folder (not followed)")
                    continue
            yield InputFile(str(path), shown, False)


_STDIN_COPY: list[str] = []


def spool_stdin() -> str:
    """Standard input copied, once per process, to a file only this user can read (it may
    hold secrets), removed at exit."""
    if not _STDIN_COPY:
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="sldiag-stdin-")  # mode 0700
        atexit.register(shutil.rmtree, folder, True)
        path = os.path.join(folder, "stdin")
        with open(path, "xb") as out:
            os.chmod(path, 0o600)
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        _STDIN_COPY.append(path)
    return _STDIN_COPY[0]


def own_output_kind(lines: Sequence[str]) -> str | None:
    """What sldiag wrote, when a file is one of its own reports (often saved into the case
    folder it is run on again), judged on the first lines; None for anything else. JSON is
    never device output: any JSON document is named."""
    head = [lines[i] for i in range(min(len(lines), 12))]
    first = next((line.strip() for line in head if line.strip()), "")
    if first.startswith("Smart Licensing diagnosis - sldiag "):
        return "an sldiag text report"
    if first.startswith("# sldiag collection log"):
        return "sldiag's collection log"
    if first == "# Smart Licensing diagnosis":
        return "an sldiag Markdown report"
    if any('<meta name="generator" content="sldiag' in line for line in head):
        return "an sldiag HTML report"
    if first.startswith("{") or re.match(r"\[\s*(?:[{\"\]]|$)", first):
        return "a JSON document, not device output"
    return None


def read_capture(path: str, encoding: str | None = None, name: str | None = None) -> Capture:
    """Read and clean one capture, held whole. Raises :class:`InputError` with a one-line
    reason. (The pipeline uses streaming.read_capture, which streams large captures.)"""
    from .textsafe import display_name

    name = name or display_name(path)
    stream = open_input(path, name)
    try:
        data = read_chunk(name, stream)
    finally:
        stream.close()
    return decode_capture(name, data, encoding)


def decode_capture(name: str, data: bytes, encoding: str | None = None) -> Capture:
    """A whole capture held in memory (already gunzipped): decoded, checked and cleaned."""
    text, bad = _decode(name, data, encoding)
    if not text.strip():
        raise InputError(f"{name}: file is empty (no text to analyse)")
    capture = clean_text(name, text)
    capture.notes.extend(bad.notes())
    return capture


def open_input(path: str, name: str | None = None) -> BinaryIO:
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
        counted = _CountingReader(raw)
        return _BoundedGunzip(name or path, counted,  # type: ignore[return-value]
                              gzip.GzipFile(fileobj=counted, mode="rb"))
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
    long_lines: list[int] = []
    for number, line in enumerate(raw_lines, start=1):
        if len(line) > MAX_LINE_BYTES // 4 and (cut := cut_long_line(line)) is not None:
            line = cut
            long_lines.append(number)
        lines.append(clean_capture_line(line, number, cleaned, headers))
    indent = common_indent(lines)
    if indent:
        lines = [line[len(indent):] for line in lines]
        cleaned["indent"] += 1
    capture = Capture(name=name, lines=lines, ends_with_newline=ends_with_newline,
                      cleaned=cleaned, timestamp_headers=headers, indent=indent)
    for number in long_lines:
        capture.reached(number, LONG_LINE_NOTE)
    return capture


def cut_long_line(line: str) -> str | None:
    """The first MAX_LINE_BYTES (as UTF-8) of a longer line, else None; the streaming
    reader cuts the same bytes."""
    if len(line) <= MAX_LINE_BYTES // 4:
        return None
    data = line.encode("utf-8", "surrogatepass")
    if len(data) <= MAX_LINE_BYTES:
        return None
    return data[:MAX_LINE_BYTES].decode("utf-8", "ignore")


LONG_LINE_NOTE = (f"a line longer than {MAX_LINE_BYTES // 2**20} MB (no command prints one): "
                  "only its start was read")


MAX_PASTE_INDENT = 8


def common_indent(lines: Iterable[str]) -> str:
    """The blanks every non-blank line starts with (a paste indented as a block, e.g. in a
    ticket or a Markdown code block), up to MAX_PASTE_INDENT; "" when some line starts in
    the first column. Removing it keeps the outputs' own relative indentation."""
    prefix: str | None = None
    for line in lines:
        if not line:
            continue
        if line[0] not in " \t":
            return ""
        if prefix is None:
            stripped = line.lstrip(" \t")
            prefix = line[:min(len(line) - len(stripped), MAX_PASTE_INDENT)]
        elif not line.startswith(prefix):
            n = 0
            while n < len(prefix) and n < len(line) and line[n] == prefix[n]:
                n += 1
            prefix = prefix[:n]
            if not prefix:
                return ""
    return prefix or ""


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


def _decode(name: str, data: bytes, encoding: str | None) -> tuple[str, Undecodable]:
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
        raise InputError(f"{name}: binary file, not a text capture")
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
