"""What of a capture's text a report shows, cut while the capture is at hand: the lines
around each piece of evidence, and the outputs shown whole. Results never hold the capture."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ..base.textsafe import clip
from ..model.results import DeviceResult, Evidence, Excerpt, Output, RawOutput
from ..reading.lines import SparseLines
from ..reading.sections import Section
from ..sanitizing.carry import Ranges
from ..sanitizing.netconan import netconan_lines
from ..sanitizing.sanitizer import withheld


def outputs_of(sections: Sequence[Section]) -> list[Output]:
    """Where each command output of a device is (no text)."""
    out = []
    for section in sections:
        first = section.header_line or (section.lines[0][0] if section.lines else 0)
        last = section.last_line or (section.lines[-1][0] if section.lines else first)
        out.append(Output(section.command, section.typed, first, last, section.form))
    return out


def excerpts(lines: Sequence[str], source: str, evidence: list[Evidence], context: int = 2,
             withhold: frozenset[int] = frozenset(),
             carried: Ranges | None = None) -> list[Excerpt]:
    """Evidence as readable blocks: cited lines of one file that are close together share one
    excerpt, each cited line marked; the lines of ``withhold`` (1-based: lines sldiag could
    not read) quoted withheld; with ``carried`` (0-based ranges), context lines outside it
    (output licensing does not depend on) left out. Returns (file, [(line, text, cited)])."""
    blocks: list[Excerpt] = []
    by_file: dict[str, set[int]] = {}
    texts: dict[tuple[str, int], str] = {}
    for e in evidence:
        by_file.setdefault(e["file"], set()).add(e["line"])
        texts[(e["file"], e["line"])] = e["text"]
    # A large capture read streaming has no text for the lines it passed over.
    sparse = lines if isinstance(lines, SparseLines) else None
    for file in sorted(by_file):
        cited = sorted(by_file[file])
        if file != source or not lines:
            blocks.extend((file, [(n, texts[(file, n)], True)]) for n in cited)
            continue
        for group in _groups(cited, context):
            first = max(1, group[0] - context)
            last = min(len(lines), group[-1] + context)
            blocks.append((file, [(k, _text(lines, k, withhold), k in group)
                                  for k in range(first, last + 1)
                                  if k in group or (sparse is None or sparse.has(k - 1))
                                  and (carried is None or _inside(carried, k - 1))]))
    return blocks


def _text(lines: Sequence[str], number: int, withhold: frozenset[int]) -> str:
    text = lines[number - 1]
    return withheld(text) if number in withhold else clip(text)


def _inside(ranges: Ranges, index: int) -> bool:
    at = bisect_right(ranges, (index, float("inf"))) - 1
    return at >= 0 and ranges[at][0] <= index < ranges[at][1]


def _groups(cited: list[int], context: int) -> list[list[int]]:
    """Cited lines close enough to share one excerpt."""
    groups: list[list[int]] = []
    for n in cited:
        if groups and n - groups[-1][-1] <= 2 * context + 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    return groups


def raw_outputs(sections: Sequence[Section], sanitized: bool,
                withhold: frozenset[int] = frozenset(),
                carried: Ranges | None = None) -> list[RawOutput]:
    """The command outputs sldiag read, shown in HTML reports: the lines of ``withhold``
    withheld, and with ``carried``, only the lines that may leave sldiag (the configuration
    licensing depends on, not the rest of it)."""
    used = []
    for section in sections:
        if section.command and section.lines and not section.elided:
            lines = section.lines
            if section.configuration and sanitized:
                # Shown in full: also remove what only netconan knows as a secret.
                texts = netconan_lines([t for _, t in lines])
                lines = [(n, t) for (n, _), t in zip(lines, texts, strict=True)]
            if withhold:
                lines = [(n, withheld(t) if n in withhold else t) for n, t in lines]
            if carried is not None:
                lines = [(n, t) for n, t in lines if _inside(carried, n - 1)]
                if not lines:
                    continue
            shown = section.typed if section.form == "prompt" else section.command
            used.append(RawOutput(shown, section.header_line or section.lines[0][0], lines))
    return used


def cut_text(result: DeviceResult, lines: Sequence[str], sections: Sequence[Section],
             carried: Ranges | None = None) -> None:
    """Give a result the text its report shows (excerpts per finding, outputs): the lines
    sldiag could not read withheld there as in its parse gaps, and with ``carried``, only
    the lines that may leave sldiag."""
    withhold = frozenset(g.line for g in result.gaps if g.withheld and g.file == result.source)
    for finding in result.findings:
        finding.excerpts = excerpts(lines, result.source, finding.evidence, withhold=withhold,
                                    carried=carried)
    result.raw_outputs = raw_outputs(sections, result.sanitized, withhold, carried)
