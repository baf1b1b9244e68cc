"""Finding the lines of a chunk that matter, at C speed: lines that may be a show-tech
delimiter or a prompt, and the lines the line scopes want. Hyperscan where it is installed
(one pass over a chunk), else Python's own searches; both must offer every line sectioning
would take as a marker (a superset is fine, never fewer)."""

from __future__ import annotations

import os
import re
from typing import Any

from ..base.resources import fingerprint, read_cache_bytes, write_cache_bytes
from ..model.catalog import Catalog
from .markers import DELIMITER_HINTS, PROMPT_CHARS, PROMPT_LINES, RESIDUE_RE, may_be_prompt

MARK, SCOPE = 1, 2
# Hyperscan's hits one search may report: beyond any capture's lines of interest in a chunk
# (prompts past the markers' limit are no longer searched for).
MAX_HITS = 50_000
TIMESTAMP_HEADER_HINT = rb"^(?:Load for five secs:|Time source is [^\n,]*, |No time source, )"


class PlainFinder:
    """Candidate lines with Python's own searches (bytes.find and re): a few passes per chunk."""

    name = "python"

    def __init__(self, scopes: list[bytes], markers: bool = True) -> None:
        self.scopes = [re.compile(pattern, re.MULTILINE) for pattern in scopes]
        self.markers = markers

    def scan(self, buf: bytes, begin: int, end: int) -> tuple[list[tuple[int, int]], bool]:
        """The candidates, and whether ``buf[begin:end]`` is surely ASCII (here: the whole
        buffer is; False only means "maybe not")."""
        return self.candidates(buf, begin, end), buf.isascii()

    def candidates(self, buf: bytes, begin: int, end: int) -> list[tuple[int, int]]:
        """Starts of the lines of ``buf[begin:end]`` that may be a marker or that a line
        scope wants, in order."""
        found: dict[int, int] = {}
        for hint in DELIMITER_HINTS if self.markers else ():
            start = searched = begin  # each match's line found from the match before
            for m in hint.finditer(buf, begin, end):
                start = buf.rfind(b"\n", searched, m.start()) + 1 or start
                searched = m.start()
                found[start] = found.get(start, 0) | MARK
        # Any line with residue, as PROMPT_LINES has it for Hyperscan: cleaning may make it a
        # prompt, or a line a scope wants (an escape between '%' and a log tag). One search
        # a line: a line of a million control characters costs its length, not its square.
        at = begin if self.markers else end
        while (hit := RESIDUE_RE.search(buf, at, end)) is not None:
            start = buf.rfind(b"\n", at, hit.start()) + 1 or at
            found[start] = found.get(start, 0) | MARK
            at = buf.find(b"\n", hit.end(), end) + 1 or end
        for char in PROMPT_CHARS if self.markers else ():
            at = buf.find(char, begin, end)
            while at >= 0:
                start = buf.rfind(b"\n", begin, at) + 1 or begin
                newline = buf.find(b"\n", at, end)
                if may_be_prompt(buf, start, at, end if newline < 0 else newline):
                    found[start] = found.get(start, 0) | MARK
                if newline < 0:
                    break
                at = buf.find(char, newline, end)
        for scope in self.scopes:
            start = searched = begin
            for m in scope.finditer(buf, begin, end):
                start = buf.rfind(b"\n", searched, m.start()) + 1 or start
                searched = m.start()
                found[start] = found.get(start, 0) | SCOPE
        return sorted(found.items())


class HyperscanFinder:
    """The same candidates (a superset is fine, never fewer) in one pass of Intel's
    Hyperscan over each chunk, several times faster than the passes of PlainFinder."""

    name = "hyperscan"

    def __init__(self, scopes: list[bytes], markers: bool = True) -> None:
        import hyperscan

        self._hs = hyperscan
        expressions = ([hint.pattern for hint in DELIMITER_HINTS] + list(PROMPT_LINES)
                       if markers else []) + scopes
        self.kinds = [MARK] * (len(expressions) - len(scopes)) + [SCOPE] * len(scopes)
        line_flags = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY
        # The last expression finds the first byte that is not ASCII, in the same pass
        # (bytes.isascii over every chunk would cost as much as the pass's other patterns).
        self.not_ascii = len(expressions)
        self.db = _hyperscan_database(
            [*expressions, rb"[\x80-\xff]"],
            [line_flags] * len(expressions) + [hyperscan.HS_FLAG_SINGLEMATCH])
        self.plain = PlainFinder(scopes, markers)

    def scan(self, buf: bytes, begin: int, end: int) -> tuple[list[tuple[int, int]], bool]:
        """The candidates of ``buf[begin:end]``, and whether it is all ASCII. Past
        MAX_HITS hits (a line of a million control characters is a million), the search
        stops and Python's searches, one a line, find the candidates instead."""
        hits: list[tuple[int, int]] = []

        def on_match(ident: int, _from: int, to: int, _flags: int, _ctx: Any) -> bool:
            hits.append((to, ident))
            return len(hits) > MAX_HITS  # True stops the search
        try:
            self.db.scan(memoryview(buf)[begin:end], match_event_handler=on_match)
        except self._hs.ScanTerminated:
            return self.plain.scan(buf, begin, end)
        found: dict[int, int] = {}
        kinds, not_ascii = self.kinds, self.not_ascii
        ascii_only = True
        start = searched = begin  # the line of the hit before, and how far back it looked
        for to, ident in sorted(hits):
            if ident == not_ascii:
                ascii_only = False
                continue
            at = begin + to - 1  # the hit's last byte: its line starts after a newline before
            start = buf.rfind(b"\n", searched, at) + 1 or start
            searched = max(searched, at)
            found[start] = found.get(start, 0) | kinds[ident]
        return sorted(found.items()), ascii_only

    def candidates(self, buf: bytes, begin: int, end: int) -> list[tuple[int, int]]:
        return self.scan(buf, begin, end)[0]


def _hyperscan_database(expressions: list[bytes], flags: list[int] | None = None) -> Any:
    """Compiled once (about 25 ms) and kept in the private cache, where sldiag keeps its
    compiled Python too (base/resources.py); Hyperscan checks a kept database (its checksum,
    release and the CPU it was built for) when it loads it, and one it refuses is compiled
    again."""
    import hyperscan

    if flags is None:
        flags = [hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY] * len(expressions)
    name = "hyperscan-{}.db".format(fingerprint([], repr(
        (getattr(hyperscan, "__version__", ""), flags, expressions))))
    kept = read_cache_bytes(name)
    if kept:
        try:
            db = hyperscan.loadb(kept, mode=hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)
            db.scan(b"\n", match_event_handler=lambda *_: None)  # refused here if damaged
            return db
        except Exception:  # noqa: BLE001 - hyperscan's errors: compiled again below
            pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))),
               elements=len(expressions), flags=flags)
    write_cache_bytes(name, hyperscan.dumpb(db))
    return db


def finder_for(catalog: Catalog, markers: bool = True) -> PlainFinder | HyperscanFinder:
    """Hyperscan where it is installed (Linux x86-64 wheels) and takes the patterns, else
    Python's searches; SLDIAG_SCANNER=python forces the latter. Both find the same lines.
    Without ``markers``, only the lines line scopes want (once a file has had its share)."""
    scopes = _scopes(catalog)
    key = (markers, *scopes)
    if key not in _FINDERS:
        finder: PlainFinder | HyperscanFinder | None = None
        if os.environ.get("SLDIAG_SCANNER", "").lower() != "python":
            try:
                finder = HyperscanFinder(scopes, markers)
            except Exception:  # noqa: BLE001 - not installed, or a pattern it cannot take
                finder = None
        _FINDERS[key] = finder or PlainFinder(scopes, markers)
    return _FINDERS[key]


_FINDERS: dict[tuple[object, ...], PlainFinder | HyperscanFinder] = {}


def plain_finder(catalog: Catalog, markers: bool = True) -> PlainFinder:
    """Python's searches for the same lines: for a piece searched while another thread
    searches with Hyperscan (whose calls take a lock of their own while holding Python's)."""
    key = ("python", markers, *_scopes(catalog))
    if key not in _PLAIN:
        _PLAIN[key] = PlainFinder(_scopes(catalog), markers)
    return _PLAIN[key]


_PLAIN: dict[tuple[object, ...], PlainFinder] = {}


def _scopes(catalog: Catalog) -> list[bytes]:
    scopes = [scope.filter.pattern.encode("utf-8") for scope in catalog.line_scopes]
    # Exec timestamp headers (`Time source is NTP, ...`) are read wherever they are, as a
    # whole read reads them: the last one, after a bare prompt, may be the clock's reading.
    scopes.append(TIMESTAMP_HEADER_HINT)
    return scopes
