"""A capture's lines on their way out of sldiag, into a file someone else may read (a TAC
bundle's member, a collected capture): our rules on every line, netconan as well on the
configuration's lines, in bounded batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..reading.lines import Blanks
from .netconan import netconan_lines
from .sanitizer import Line, Sanitizer

NETCONAN_BATCH = 5_000  # configuration lines given to netconan at a time


def sanitised_lines(lines: Iterable[Line], config: Iterable[tuple[int, int]],
                    sanitizer: Sanitizer, counts: dict[str, int] | None = None
                    ) -> Iterator[Line]:
    """Every line through the sanitiser; those in the ``config`` ranges ([start, end) of
    0-based line indexes, sorted) through netconan first. Where our rules know the secret,
    they redact the original line (netconan can mangle a line it half understands);
    elsewhere netconan's version is taken, and our rules (optional classes, licensing
    artefacts) still run over it. ``counts["netconan"]``: the lines only netconan changed."""
    counts = counts if counts is not None else {}
    counts.setdefault("netconan", 0)
    sanitizer.start()
    # Our rules read every line in order (a key block, a line a terminal wrapped, go on in
    # the next); netconan's version of a configuration line is what they read where only
    # netconan knew a secret in it.
    yield from sanitizer.stream(_netconan_where_needed(lines, list(config), sanitizer, counts))


def _netconan_where_needed(lines: Iterable[Line], ranges: list[tuple[int, int]],
                           sanitizer: Sanitizer, counts: dict[str, int]) -> Iterator[Line]:
    batch: list[str] = []

    def flush() -> Iterator[str]:
        for original, other in zip(batch, netconan_lines(batch), strict=True):
            use_netconan = other != original and not sanitizer.knows_secret(original)
            if use_netconan:
                counts["netconan"] += 1
            yield other if use_netconan else original
        batch.clear()

    at = 0  # the first range that may still hold a line
    index = -1
    for original in lines:
        if isinstance(original, Blanks):
            # Lines not carried: nothing for netconan, which reads the batch line by line
            # (the lines it could change, see netconan_lines), so the batch may end here.
            yield from flush()
            index += original
            yield original
            continue
        index += 1
        if not original and not batch:
            yield original  # nothing for netconan (a line a bundle does not carry)
            continue
        while at < len(ranges) and ranges[at][1] <= index:
            at += 1
        if at < len(ranges) and ranges[at][0] <= index:
            batch.append(original)
            if len(batch) >= NETCONAN_BATCH:
                yield from flush()
            continue
        if batch:
            yield from flush()
        yield original
    yield from flush()
