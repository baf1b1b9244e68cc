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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Files found while walking a directory that are obviously not captures.
SKIPPED_SUFFIXES = {".zip", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tar", ".tgz", ".bz2",
                    ".xz", ".7z", ".exe", ".bin", ".pyc", ".so", ".dll", ".docx", ".xlsx"}
BINARY_SNIFF_BYTES = 8192

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
    lines: list[str]
    ends_with_newline: bool = True
    cleaned: Counter = field(default_factory=Counter)
    # `Time source is ...` headers: (1-based line, text); a clock reading of last resort.
    timestamp_headers: list[tuple[int, str]] = field(default_factory=list)


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
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(f"{name}: gzip data is truncated or corrupt ({exc})") from None
    text = _decode(name, data, encoding)
    if not text.strip():
        raise InputError(f"{name}: file is empty (no text to analyse)")
    return clean_text(name, text)


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
        line = line.rstrip()
        if _TIMESTAMP_HEADER.match(line):
            headers.append((number, line))
            cleaned["timestamp-header"] += 1
            line = ""
        lines.append(line)
    return Capture(name=name, lines=lines, ends_with_newline=ends_with_newline,
                   cleaned=cleaned, timestamp_headers=headers)


def _apply_backspaces(line: str) -> str:
    out: list[str] = []
    for ch in line:
        if ch == "\b":
            if out:
                out.pop()
        else:
            out.append(ch)
    return "".join(out)


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path}: is a directory; give a capture file or use it as a folder")
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if not p.is_file():
            raise InputError(f"{path}: not a regular file")
        return p.read_bytes()
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
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(f"{name}:{line}: not valid {encoding}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: UTF-16 text is truncated or corrupt") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise InputError(f"{name}: binary file, not a text capture")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise InputError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{byte:02x}); save the capture as UTF-8 "
            "or pass --encoding (e.g. --encoding latin-1)"
        ) from None
