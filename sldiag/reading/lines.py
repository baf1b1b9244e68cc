"""Cleaned lines: what a terminal showed, one entry per line of the file.

Line ``i`` of :attr:`Capture.lines` is line ``i + 1`` of the file as an editor shows it,
so every fact and finding can cite ``file:line`` that the engineer can open.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from ..base.limits import MAX_LINE_BYTES

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The pager prompt, as logged when the terminal did not erase it; removed exactly so the
# indentation of the output line it sits on survives.
_MORE = re.compile(r" ?-- ?More ?-- ?|<--- ?More ?--->", re.IGNORECASE)
# `terminal exec prompt timestamp` headers printed before each command's output (a clock
# reading with its source; show clock detail's own "Time source is NTP" line has no comma).
_TIMESTAMP_HEADER = re.compile(r"^(Load for five secs:|(?:Time source is [^,]*|No time source), )")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters, deleted by str.translate (a line of a million of them: re.sub makes
# a match of each, fifty times slower).
_CONTROL_DELETED = dict.fromkeys([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
# A paste from a web page or a word processor: no-break and other wide spaces for the
# device's spaces, zero-width characters in between. A terminal shows none of them.
_WEB_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


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


class Blanks(int):
    """In a stream of lines on their way out (a bundle's capture): this many empty lines in
    one item, for the runs of lines a bundle does not carry (millions in a large show tech,
    where one item each was most of the work). Every stage passes it on as it is."""


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
        lines = [strip_indent(line, indent) for line in lines]
        cleaned["indent"] += 1
    capture = Capture(name=name, lines=lines, ends_with_newline=ends_with_newline,
                      cleaned=cleaned, timestamp_headers=headers, indent=indent)
    for number in long_lines:
        capture.reached(number, LONG_LINE_NOTE)
    return capture


# A log message a console printed into the middle of an output line: its timestamp (or
# sequence number) and "%FACILITY-N-MNEMONIC:", after some output text on the same line.
_GLUED_LOG = re.compile(
    r"(?:\d{1,10}: )?[*.]?(?:[A-Z][a-z]{2} {1,2}\d{1,2}(?: \d{4})? \d{2}:\d{2}:\d{2}"
    r"(?:\.\d{1,6})?(?: [A-Z]{2,5})?: )?%[A-Z][A-Z0-9_]{1,40}-[0-7]-[A-Z0-9_]{1,60}: ")


def glued_log(line: str) -> re.Match[str] | None:
    """The log message a console printed into the middle of ``line``, if any."""
    if "%" not in line:
        return None
    glued = _GLUED_LOG.search(line)
    # Output text before it (not a quote mark or a syslog server's prefix alone).
    if glued is None or not any(ch.isalpha() for ch in line[:glued.start()]):
        return None
    return glued


def untangle_log_message(line: str, after: str | None) -> tuple[str, str] | None:
    """A console prints log messages as they come, over whatever output is being printed:
    "  Status: REGIS*Mar  4 10:11:50: %LINK-3-UPDOWN: ..." then "TERED". The output line joined
    again where it resumed (the next line, when it carries on the same word or sentence), and
    the log message, as the texts of this line and the next; None when ``line`` holds no such
    message or the next line cannot take it."""
    glued = glued_log(line)
    if glued is None:
        return None
    before, message = line[:glued.start()], line[glued.start():]
    if after == "":
        return before.rstrip(), message  # the blank line takes the message
    if (after and after[0].isalnum() and (before[-1].isalnum() or before[-1] == " ")
            and "%" not in after):
        return before + after, message   # the output resumed below
    return None


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
# What a paste may put before every line: blanks (a ticket, a Markdown code block) and the
# ">" of a quoted mail or forum post.
PASTE_PREFIX_CHARS = " \t>"


def common_indent(lines: Iterable[str]) -> str:
    """The prefix every non-blank line starts with (a paste indented as a block, or quoted
    with "> "), up to MAX_PASTE_INDENT; "" when some line starts in the first column.
    Removing it keeps the outputs' own relative indentation. A quoted blank line (">") is
    blank."""
    prefix: str | None = None
    for line in lines:
        if not line or (prefix is not None and line == prefix.rstrip()):
            continue
        if line[0] not in PASTE_PREFIX_CHARS:
            return ""
        if prefix is None:
            n = 0
            while n < min(len(line), MAX_PASTE_INDENT) and line[n] in PASTE_PREFIX_CHARS:
                n += 1
            prefix = line[:n]
        elif not line.startswith(prefix):
            n = 0
            while n < len(prefix) and n < len(line) and line[n] == prefix[n]:
                n += 1
            if line == prefix[:n].rstrip() and prefix[:n].rstrip():
                continue  # ">" where the others have "> ": a quoted blank line
            prefix = prefix[:n]
            if not prefix:
                return ""
    return prefix or ""


def strip_indent(line: str, indent: str) -> str:
    """A line without the paste's common prefix (a quoted blank line becomes blank)."""
    if not indent:
        return line
    if line.startswith(indent):
        return line[len(indent):]
    return "" if line and line == indent.rstrip() else line


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
        line = line.translate(_CONTROL_DELETED)
        cleaned["control"] += 1
    if not line.isascii():
        line, n = _WEB_SPACES.subn(" ", line)
        line, z = _ZERO_WIDTH.subn("", line)
        cleaned["web-spaces"] += n + z
    if "\t" in line:
        line = line.expandtabs(8)   # as a terminal shows it
        cleaned["tab"] += 1
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


def cut_line_bytes(data: bytes) -> bytes:
    """The first MAX_LINE_BYTES of a line, not ending inside a UTF-8 character."""
    keep = MAX_LINE_BYTES
    while keep and data[keep] & 0xC0 == 0x80:
        keep -= 1
    return data[:keep]


# A raw line that starts with a printable character (most lines of an unindented capture).
_FIRST_COLUMN = re.compile(rb"(?:^|\n)[!-~]")


def head_indent(head: bytes, codec: str) -> str:
    """The indentation of a paste indented as a block, decided as a whole read decides it
    (on every line) when the head is the whole capture, else on the head."""
    if first_column_line(head, codec) is not None:
        return ""  # a line in the first column: no indented paste
    text = head.decode(codec, errors="replace")
    return common_indent(clean_capture_line(raw, 0, Counter(), [])
                         for raw in text.split("\n"))


def first_column_line(head: bytes, codec: str) -> int | None:
    """Where the first line that starts in the first column once cleaned ends (among the
    first thousand that may), or None."""
    cleaned: Counter = Counter()
    for n, m in enumerate(_FIRST_COLUMN.finditer(head)):
        if n > 1000:
            return None
        start = m.end() - 1
        stop = head.find(b"\n", start) + 1 or len(head)
        line = clean_capture_line(head[start:stop].decode(codec, errors="replace").rstrip("\n"),
                                  0, cleaned, [])
        if line and line[0] not in PASTE_PREFIX_CHARS:
            return stop
    return None


def head_decides(head: bytes, codec: str) -> bool:
    """Whether the first bytes of a capture decide what any longer head would: its first
    line and a line in the first column (so no indented paste) are whole in them."""
    stop = first_column_line(head, codec)
    return b"\n" in head and stop is not None and head[stop - 1:stop] == b"\n"
