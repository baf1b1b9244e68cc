"""The streaming read of a large capture: one pass over chunks of bytes that keeps only the
lines sldiag reads.

Searches for literal bytes (:mod:`.finders`) find the few lines that matter:

* lines that may be a show-tech delimiter or a prompt (they bound the sections);
* the whole (small) output of the commands facts come from (licensing, version, clock, ...);
* the configuration, less the blocks no template reads (``skip_children_of``);
* the first lines of every other output (a refused command shows there);
* the lines the line scopes want (licensing syslog, eventlog) wherever they are.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator

from ..base.errors import InputError
from ..base.limits import (
    MAX_KEPT_BYTES,
    MAX_KEPT_LINES,
    MAX_KEPT_LOG_LINES,
    MAX_LINE_BYTES,
    MAX_MARKERS_PER_FILE,
)
from ..base.textsafe import QUOTE_LIMIT
from ..model.catalog import REJECTION_HINT, REJECTION_LINES, Catalog
from .decode import (
    UTF8_BOM,
    ByteStream,
    Undecodable,
    binary_message,
    decode_error,
    decode_utf8_lenient,
    head_then_ahead,
    looks_binary,
    quick_handoff,
)
from .finders import MARK, SCOPE, HyperscanFinder, finder_for, plain_finder
from .lines import (
    LONG_LINE_NOTE,
    Capture,
    SparseLines,
    clean_capture_line,
    cut_line_bytes,
    cut_long_line,
    head_indent,
    strip_indent,
)
from .markers import BarePrompts, Marker, has_residue, marker_of
from .sections import collection_header, markers_note, wrapped_echo
from .skipping import BlockSkipper

# The reader thread's search of a chunk's whole lines after its first (start, end, found).
Prepared = tuple[int, int, tuple[list[tuple[int, int]], bool] | None]
PREAMBLE_BYTES = 16 * 1024 * 1024   # bare output before the first prompt or delimiter


class Scanner:
    """The state of one streaming read: which section we are in and what it keeps."""

    def __init__(self, name: str, catalog: Catalog, encoding: str | None) -> None:
        self.name = name
        self.catalog = catalog
        self.encoding = encoding
        self.codec = encoding or "utf-8"
        self.index = 0                       # 0-based number of the buffer's first line
        self.kept: dict[int, str] = {}
        self.cleaned: Counter = Counter()
        self.headers: list[tuple[int, str]] = []
        self.elided: set[int] = set()
        self.notes: list[tuple[int, str]] = []
        self.bad = Undecodable()
        self.note_texts: dict[int, str] = {}
        self.errors = "strict" if encoding else "replace"
        self.indent = ""                     # a paste indented as a block (decided on the head)
        self.mode = "preamble"               # preamble | whole | config | head | none
        self.header: int | None = None       # the current section's delimiter/prompt line
        self.head_left = 0
        self.preamble_left = PREAMBLE_BYTES
        self.skip: BlockSkipper | None = None
        self.has_text = False
        self.markers_on = True               # False once MAX_MARKERS_PER_FILE is reached
        self.ahead = False  # the reader thread searches with Hyperscan: Python's searches here
        self.limits: list[tuple[int, str]] = []
        self.markers = 0                     # prompts and delimiters taken as markers
        self.kept_bytes = 0
        self.scope_only: deque[int] = deque()  # kept only for a line scope, oldest first
        self.echo: tuple[int, str] | None = None  # a prompt's echo the next line may complete
        self.own_prompt: str | None = None  # a capture sldiag collected: its device's prompt
        self.bare_prompts = BarePrompts()
        self.full = False                    # MAX_KEPT_LINES or MAX_KEPT_BYTES reached
        self.logs_full = False               # MAX_KEPT_LOG_LINES reached
        self._reached_at: set[tuple[int, str]] = set()
        self._skippers: dict[str, BlockSkipper] = {}

    # -- reading ------------------------------------------------------------------------------

    def run(self, head: bytes, stream: ByteStream, chunk_bytes: int) -> Capture:
        if head.startswith(UTF8_BOM) and self.encoding is None:
            head = head[len(UTF8_BOM):]
        if self.encoding is None and looks_binary(head):
            raise InputError(binary_message(self.name, head))
        self.indent = head_indent(head, self.codec)
        first_line = head[:head.find(b"\n")] if b"\n" in head else head
        # Cleaned as a whole read cleans it (residue in it must not hide or forge a header).
        collected = collection_header([strip_indent(clean_capture_line(
            first_line.decode(self.codec, errors="replace"), 1, Counter(), []), self.indent)])
        if collected is not None:
            self.own_prompt = (collected.host or "").lower()
        hyperscan = isinstance(finder_for(self.catalog), HyperscanFinder)  # made here, first
        prepare = self._prepare if hyperscan else None
        self.ahead = prepare is not None  # from the first chunk on: see _feed
        chunks = head_then_ahead(head, self.name, stream, chunk_bytes, prepare)
        try:
            with quick_handoff():
                last = self._feed_chunks(chunks)
        finally:
            chunks.close()  # its read ahead ends before the caller closes the stream
        if not self.has_text:
            raise InputError(f"{self.name}: file is empty (no text to analyse)")
        ends_with_newline = last.endswith(b"\n")
        total = self.index if ends_with_newline else self.index + 1
        self.bad.check(self.name, total)
        self.notes.extend(self.bad.notes())
        # A note about "from here on" may point one past the last line: it belongs to it.
        self.notes = [(min(max(line, 1), max(total, 1)), reason) for line, reason in self.notes]
        if self.indent:
            self.cleaned["indent"] += 1
        self.limits = [(min(max(line, 1), max(total, 1)), what) for line, what in self.limits]
        return Capture(name=self.name, lines=SparseLines(total, self.kept),
                       ends_with_newline=ends_with_newline, cleaned=self.cleaned,
                       timestamp_headers=self.headers, elided_sections=self.elided,
                       notes=self.notes, indent=self.indent, note_texts=self.note_texts,
                       limits=self.limits)

    def _prepare(self, chunk: bytes) -> Prepared:
        """In the searching thread, the one that calls Hyperscan meanwhile: the search after
        the first line, without the markers' patterns once their limit is reached."""
        first, cut = chunk.find(b"\n") + 1, chunk.rfind(b"\n") + 1
        finder = finder_for(self.catalog, self.markers_on)
        return first, cut, finder.scan(chunk, first, cut) if first < cut else None

    def _feed_chunks(self, chunks: Iterator[tuple[bytes, Prepared | None]]) -> bytes:
        """Every chunk, cut at line ends; the last one read (b"" for an empty file)."""
        pending = b""            # the start of a line the previous chunk cut
        dropping = False         # inside a line too long to keep: skip to its end
        last = b""
        while True:
            more, prepared = next(chunks)
            if dropping and more:
                newline = more.find(b"\n")
                if newline < 0:
                    continue
                more, dropping, prepared = more[newline:], False, None
            if not more:
                self._feed(pending, 0, len(pending))
                last = pending or last
                break
            last = more
            first = more.find(b"\n") + 1
            if first == 0:
                pending += more
                if len(pending) > MAX_LINE_BYTES:
                    # A line longer than any command prints: its start is read, not the rest.
                    self._reached(self.index + 1, LONG_LINE_NOTE)
                    pending, dropping = cut_line_bytes(pending), True
                continue
            if pending:  # the cut line, completed: small, so joining it costs nothing
                joined = pending + more[:first]
                self._feed(joined, 0, len(joined))
            else:
                self._feed(more, 0, first)  # the first line, then the others
            cut = more.rfind(b"\n") + 1
            searched = prepared[2] if prepared is not None and prepared[:2] == (first, cut) \
                else None
            self._feed(more, first, cut, searched)  # the chunk itself is never copied
            pending = more[cut:]
        return last

    def _reached(self, line: int, what: str) -> None:
        """A limit reached at ``line`` (1-based): reported and noted there (once)."""
        if (line, what) in self._reached_at:
            return
        self._reached_at.add((line, what))
        self.limits.append((line, what))
        self.notes.append((line, what))

    def _note_long_lines(self, buf: bytes, begin: int, end: int) -> None:
        """Note every line of ``buf[begin:end]`` longer than MAX_LINE_BYTES, kept or not, as
        a whole read notes them. Such a line holds a newline-free window of half that size
        at a multiple of it, so a few searches in C find them all."""
        half = MAX_LINE_BYTES // 2
        at = begin
        while at + half <= end:
            if buf.find(b"\n", at, at + half) >= 0:
                at += half
                continue
            start = buf.rfind(b"\n", begin, at) + 1 or begin
            stop = buf.find(b"\n", at + half, end)
            stop = end if stop < 0 else stop
            if stop - start > MAX_LINE_BYTES:
                line = self.index + buf.count(b"\n", begin, start) + 1
                self._reached(line, LONG_LINE_NOTE)
                # What a report quotes of it (a kept line is quoted from its own text).
                self.note_texts[line] = self._cleaned(
                    buf[start:start + 4 * (QUOTE_LIMIT + 1)].decode(self.codec, "replace"),
                    line - 1)
            at = stop + 1

    def _put(self, index: int, text: str, scope_only: bool = False) -> None:
        """Keep line ``index``, within MAX_KEPT_LINES and MAX_KEPT_BYTES. When they are
        reached, a line a scope wants takes the place of the oldest such line."""
        if scope_only and len(self.scope_only) >= MAX_KEPT_LOG_LINES:
            if not self.logs_full:
                self.logs_full = True
                self._reached(index + 1, (
                    f"more than {MAX_KEPT_LOG_LINES:,} licensing log lines: the latest "
                    f"{MAX_KEPT_LOG_LINES:,} were read"))
            oldest = self.scope_only.popleft()
            self.kept_bytes -= len(self.kept.pop(oldest))
        if len(self.kept) >= MAX_KEPT_LINES or self.kept_bytes >= MAX_KEPT_BYTES:
            if not self.full:
                self.full = True
                self._reached(index + 1, (
                    f"more than {MAX_KEPT_LINES:,} lines or {MAX_KEPT_BYTES // 2**20} MB of "
                    "output to read: outputs from here on were read no further (licensing log "
                    "lines still were, the latest kept)"))
            if not (scope_only and self.scope_only):
                return
            oldest = self.scope_only.popleft()
            self.kept_bytes -= len(self.kept.pop(oldest))
        if index in self.kept:
            self.kept_bytes -= len(self.kept[index])
        self.kept[index] = text
        self.kept_bytes += len(text)
        if scope_only:
            self.scope_only.append(index)

    def _marker(self, text: str, index: int) -> Marker | None:
        """The marker on a candidate line, up to MAX_MARKERS_PER_FILE of them; past that,
        lines are no longer searched for markers at all."""
        if self.markers > MAX_MARKERS_PER_FILE:
            return None  # candidates of the chunk in which the limit was reached
        marker = marker_of(text, index)
        if marker is not None and not self.bare_prompts.believe(marker):
            return None
        if marker is not None and self.own_prompt is not None and (
                marker.kind != "prompt" or (marker.host or "").lower() != self.own_prompt):
            return None  # what sldiag collected: only the device's own prompt splits it
        if marker is not None:
            self.markers += 1
            if self.markers > MAX_MARKERS_PER_FILE:
                self._reached(index + 1, markers_note())
                self.markers_on = False  # the finders are chosen by it
                return None
        return marker

    def _feed(self, buf: bytes, begin: int, end: int,
              searched: tuple[list[tuple[int, int]], bool] | None = None) -> None:
        """Take ``buf[begin:end]``: whole lines, or the capture's unterminated last line
        (``searched``: its candidates, found by the reader thread)."""
        if end <= begin:
            return
        if searched is None:
            finder = (plain_finder if self.ahead else finder_for)(self.catalog, self.markers_on)
            searched = finder.scan(buf, begin, end)
        found, ascii_only = searched
        if not self.markers_on:  # searched before the limit: its markers are not taken
            found = [(start, SCOPE) for start, kinds in found if kinds & SCOPE]
        self._check_text(buf, begin, end, ascii_only)
        if end - begin > MAX_LINE_BYTES:
            self._note_long_lines(buf, begin, end)
        index = self.index
        pos = begin
        for start, kinds in found:
            self._region(buf, pos, start, index)
            index += buf.count(b"\n", pos, start)
            stop = buf.find(b"\n", start, end)
            stop = end if stop < 0 else stop + 1
            text = self._text(buf, start, stop, index)
            marker = self._marker(text, index) if kinds & MARK else None
            if marker is not None:
                self.kept[index] = text  # bounded by MAX_MARKERS_PER_FILE
                self.kept_bytes += len(text)
                self._enter_section(index, marker.typed)
                self.echo = (index, marker.typed) if marker.kind == "prompt" else None
            else:
                wanted = bool(kinds & SCOPE)
                if not wanted and has_residue(buf, start, stop):
                    # Residue inside a line (an escape between '%' and the tag) hides it from
                    # the byte search; its cleaned text decides, as a whole read does.
                    wanted = any(scope.filter.search(text) for scope in self.catalog.line_scopes)
                self._take_line(index, text, wanted)
            index += 1 if buf[stop - 1:stop] == b"\n" else 0
            pos = stop
        self._region(buf, pos, end, index)
        self.index = index + buf.count(b"\n", pos, end)

    def _check_text(self, buf: bytes, begin: int, end: int, ascii_only: bool) -> None:
        if not self.has_text:
            piece = buf[begin:end]
            # As str.strip() sees it (it also strips \x1c-\x1f and Unicode spaces).
            self.has_text = not piece.isspace() and bool(
                piece.decode(self.codec, errors="replace").strip())
        if ascii_only:  # as the finder's pass found
            return
        piece = buf[begin:end]
        if self.encoding is None:  # bytes that are not UTF-8 are noted, and replaced later
            def keep_text(line: int, offset: int) -> None:
                start = piece.rfind(b"\n", 0, offset) + 1
                stop = piece.find(b"\n", offset)
                raw = piece[start:len(piece) if stop < 0 else stop]
                self.note_texts[line] = self._cleaned(raw.decode(self.codec, "replace"), line - 1)

            decode_utf8_lenient(piece, self.bad, first_line=self.index + 1, named=keep_text)
            return
        try:
            piece.decode(self.codec)
        except UnicodeDecodeError as exc:
            raise decode_error(self.name, piece, exc, self.encoding,
                               first_line=self.index + 1) from None

    # -- sections -----------------------------------------------------------------------------

    def _enter_section(self, index: int, typed: str) -> None:
        """A delimiter or prompt at line ``index`` starts a new output: what of it to keep."""
        self.header = index
        command = self.catalog.canonical_command(typed) if typed else None
        self.skip = None
        if not typed:
            self.mode = "none"           # a bare prompt: what follows is no command's output
        elif command in self.catalog.skip_children:
            self.mode = "config"
            self.skip = self._skip_pattern(command)
        elif self.catalog.read_whole(command):
            self.mode = "whole"
        else:
            self.mode, self.head_left = "head", REJECTION_LINES

    def _skip_pattern(self, command: str) -> BlockSkipper:
        if command not in self._skippers:
            self._skippers[command] = BlockSkipper(self.catalog.skip_children[command])
        return self._skippers[command]

    def _completes_echo(self, index: int, text: str) -> bool:
        """Whether line ``index`` completes the echo of the prompt just before it (a console
        wrapped it): kept, and the output after it is the joined command's."""
        echo, self.echo = self.echo, None
        if echo is None or index != echo[0] + 1 or not echo[1]:
            return False
        joined = wrapped_echo(self.catalog, echo[1], text)
        if joined is None:
            return False
        self._put(index, text)
        self._enter_section(echo[0], joined[0])
        return True

    def _take_line(self, index: int, text: str, wanted: bool) -> None:
        """One line already read (a candidate that was no marker), in the current output."""
        if self.echo is not None and self._completes_echo(index, text):
            return
        mode = self.mode
        if mode == "head":
            if self.head_left:
                self.head_left -= 1
                wanted = wanted or REJECTION_HINT.search(text.encode(self.codec)) is not None
            if self.header is not None:
                self.elided.add(self.header)
        if mode in ("whole", "config") or (mode == "preamble" and self.preamble_left > 0):
            self._put(index, text)
        elif wanted:
            self._put(index, text, scope_only=True)

    def _region(self, buf: bytes, a: int, b: int, index: int) -> None:
        """Lines ``buf[a:b]`` (whole lines, starting at line ``index``) of the current output."""
        if a >= b:
            return
        if self.echo is not None:
            newline = buf.find(b"\n", a, b)
            line_end = b if newline < 0 else newline + 1
            if self._completes_echo(index, self._text(buf, a, line_end, index)):
                self._region(buf, line_end, b, index + 1)
                return
        mode = self.mode
        if mode == "whole":
            self._keep(buf, a, b, index)
        elif mode == "preamble":
            if self.preamble_left > 0:
                self.preamble_left -= b - a
                self._keep(buf, a, b, index)
                if self.preamble_left <= 0:
                    last = index + buf.count(b"\n", a, b)
                    self.notes.append((last + 1, (
                        f"no prompt or show-tech delimiter in the first "
                        f"{PREAMBLE_BYTES // 2**20} MB: bare output from here on was not read "
                        "(licensing log lines still were)")))
        elif mode == "head":
            stop = a
            while self.head_left and stop < b:
                newline = buf.find(b"\n", stop, b)
                line_end = b if newline < 0 else newline + 1
                if REJECTION_HINT.search(buf, stop, line_end):
                    self._keep(buf, stop, line_end, index)
                index += 1
                stop = line_end
                self.head_left -= 1
            if self.header is not None:
                self.elided.add(self.header)
        elif mode == "config":
            self._config_region(buf, a, b, index)

    def _config_region(self, buf: bytes, a: int, b: int, index: int) -> None:
        """A configuration's lines: kept, less the blocks it passes over (skipping.py)."""
        assert self.skip is not None
        cursor = a
        for block_start, block_end in self.skip.skipped(buf, a, b):
            self._keep(buf, cursor, block_start, index)
            index += buf.count(b"\n", cursor, block_start)
            skipped_to = min(block_end + 1, b)
            index += buf.count(b"\n", block_start, skipped_to)
            cursor = skipped_to
            if self.header is not None:
                self.elided.add(self.header)
        self._keep(buf, cursor, b, index)

    def _keep(self, buf: bytes, a: int, b: int, index: int) -> None:
        if a >= b or self.full:
            return
        chunk = buf[a:b].decode(self.codec, errors=self.errors)
        parts = chunk.split("\n")
        if chunk.endswith("\n"):
            parts.pop()
        for offset, raw in enumerate(parts):
            self._store(index + offset, raw)

    def _text(self, buf: bytes, a: int, b: int, index: int) -> str:
        raw = buf[a:b].decode(self.codec, errors=self.errors)
        return self._cleaned(raw[:-1] if raw.endswith("\n") else raw, index)

    def _store(self, index: int, raw: str) -> None:
        self._put(index, self._cleaned(raw, index))

    def _cleaned(self, raw: str, index: int) -> str:
        if len(raw) > MAX_LINE_BYTES // 4 and (cut := cut_long_line(raw)) is not None:
            raw = cut
            self._reached(index + 1, LONG_LINE_NOTE)
        line = clean_capture_line(raw, index + 1, self.cleaned, self.headers)
        return strip_indent(line, self.indent)
