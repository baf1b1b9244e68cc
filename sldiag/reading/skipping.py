"""Which blocks of a configuration a streaming read passes over unread: the top-level blocks
the index names (`skip_children_of`: interfaces), less those licensing depends on.

A show tech's configuration is mostly interface blocks no template reads. Leaving them out
keeps a large read small; what is left out must change nothing a template reads, so a block
licensing needs (an interface in a VRF, one addressed by DHCP) is kept, and so is the first
line of a block that ends another block (a template reads that line as the block's end).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A skipped block (an interface) that holds one of these is kept: an interface in a VRF is
# one licensing traffic may leave by, and a bundle carries it (parsers/carry.yaml); one
# addressed by DHCP may be where the name servers come from.
KEEP_BLOCKS_WITH = (b"vrf forwarding", b"ip address dhcp")


class BlockSkipper:
    """The block patterns of one command's configuration, compiled once."""

    def __init__(self, words: tuple[str, ...]) -> None:
        alternatives = b"|".join(re.escape(w.encode()) for w in words)
        # The whole block: its first line, its children and the "!" closing it (a million
        # interfaces must not leave two million lines to keep).
        head = rb"(?:" + alternatives + rb")[ \t][^\n]*(?:\n[ \t][^\n]*)*"
        closing = rb"\n![ \t\r]*(?=\n|\Z)"
        block = rb"(" + head + rb"(?:" + closing + rb")?)"
        self.after_newline = re.compile(rb"\n" + block)
        self.at_start = re.compile(block)
        # Closed blocks one after the other, as one match: a run without a block to keep is
        # passed over at once (a configuration of a million interfaces is a few runs). Each
        # block but the last is closed by its "!", so no first line in it ends a block.
        runs = rb"((?:" + head + closing + rb"\n)*" + head + rb"(?:" + closing + rb")?)"
        self.runs_after_newline = re.compile(rb"\n" + runs)
        self.runs_at_start = re.compile(runs)

    def skipped(self, buf: bytes, a: int, b: int) -> Iterator[tuple[int, int]]:
        """The [start, end) byte spans of ``buf[a:b]`` (whole lines) to pass over, in order;
        blocks that follow one another (only their newline between) as one span."""
        run: tuple[int, int] | None = None
        for start, end in self._blocks(buf, a, b):
            if run is not None and start == run[1] + 1:
                run = (run[0], end)
                continue
            if run is not None:
                yield run
            run = (start, end)
        if run is not None:
            yield run

    def _blocks(self, buf: bytes, a: int, b: int) -> Iterator[tuple[int, int]]:
        for start, end in self._spans(self.runs_at_start, self.runs_after_newline, buf, a, b):
            if not any(buf.find(words, start, end) >= 0 for words in KEEP_BLOCKS_WITH):
                yield from self._checked([(start, end)], buf, start)
            else:  # a block to keep inside: block by block
                yield from self._checked(
                    self._spans(self.at_start, self.after_newline, buf, start, end), buf, start)

    @staticmethod
    def _spans(at_start: re.Pattern[bytes], after_newline: re.Pattern[bytes], buf: bytes,
               a: int, b: int) -> list[tuple[int, int]]:
        matches = []
        if a == 0 or buf[a - 1:a] == b"\n":
            first = at_start.match(buf, a, b)
            if first:
                matches.append((first.start(1), first.end(1)))
                a = first.end(1)  # the rest after it: the same span twice was counted twice
        matches += [m.span(1) for m in after_newline.finditer(buf, max(a - 1, 0), b)
                    if m.start(1) >= a]
        return matches

    @staticmethod
    def _checked(matches: list[tuple[int, int]], buf: bytes, a: int
                 ) -> Iterator[tuple[int, int]]:
        cursor = a
        for start, end in matches:
            if end <= start or start < cursor:
                continue
            if any(buf.find(words, start, end) >= 0 for words in KEEP_BLOCKS_WITH):
                continue  # an interface licensing depends on: read it
            if not _after_a_closed_block(buf, start):
                # Its first line ends the block above it (a template reads it so): kept.
                first_end = buf.find(b"\n", start, end)
                if first_end < 0 or end <= first_end + 1:
                    continue
                start = first_end + 1
            yield start, end
            cursor = end


def _after_a_closed_block(buf: bytes, start: int) -> bool:
    """Whether the line before ``start`` is a lone "!": the block above it is closed, so
    leaving out the line at ``start`` changes nothing for a template reading the lines."""
    if start < 2:
        return False
    previous = buf.rfind(b"\n", 0, start - 1)
    if previous < 0:
        return False
    return buf[previous + 1:start - 1].rstrip(b" \t\r") == b"!"
