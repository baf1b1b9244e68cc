"""The TAC bundle, built from an analysis already made: its reports (HTML, Markdown, JSON),
its facts, and the sanitised text of each capture, read again from its source through the
same sanitiser the analysis used (with netconan for configuration lines).

Same input, same bytes: entries are sorted, timestamps fixed, JSON keys sorted, and nothing in
it depends on the time or the machine. The manifest says what was redacted, by class and
count, never the values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from .. import __version__
from ..analysis.run import Analysis, Source, analyse_paths, counting_files
from ..base.errors import InputError
from ..base.limits import MAX_FILES_PER_RUN
from ..diagnosing.knowledge import Knowledge
from ..model.problems import Problems
from ..reading.inputs import STDIN_NAME
from ..reading.lines import Blanks
from ..reading.read import LARGE_CAPTURE_BYTES, iter_carried_lines, iter_clean_lines, read_whole
from ..render.documents import facts_document, render_json
from ..render.formats import FORMATS, ReportOptions
from ..render.road import show_lines
from ..sanitizing.captures import sanitised_lines
from ..sanitizing.carry import RangeCursor
from ..sanitizing.sanitizer import Sanitizer, withheld
from .archive import Bundle, StageProgress
from .rename import renamed

REPORTS = {"report.html": "html", "report.md": "md", "report.json": "json"}


def build_bundle(paths: list[str], knowledge: Knowledge, redact: frozenset[str] = frozenset(),
                 encoding: str | None = None, large_bytes: int = LARGE_CAPTURE_BYTES,
                 max_files: int = MAX_FILES_PER_RUN, full_captures: bool = False,
                 progress: StageProgress | None = None) -> Bundle:
    """Analyse the inputs (excerpts cut for the reports) and bundle that analysis."""
    sanitizer = Sanitizer(redact)
    analysis = analyse_paths(paths, knowledge, encoding, redact=redact, with_text=True,
                             large_bytes=large_bytes, max_files=max_files, sanitizer=sanitizer,
                             progress=counting_files(progress))
    return bundle_analysis(analysis, knowledge, sanitizer, encoding, full_captures, progress)


def bundle_analysis(analysis: Analysis, knowledge: Knowledge, sanitizer: Sanitizer,
                    encoding: str | None = None, full_captures: bool = False,
                    progress: StageProgress | None = None) -> Bundle:
    """The bundle of an analysis (made with ``sanitizer``, excerpts cut): each capture as
    ``captures/<file name>``, the reports citing those names. A capture carries the lines
    licensing depends on (parsers/carry.yaml), sanitised, and blank lines in place of the
    others, so every line number is the original's; ``full_captures``: every line."""
    bundle = Bundle(problems=Problems(list(analysis.problems.errors),
                                      list(analysis.problems.skipped),
                                      list(analysis.problems.limits)))
    sanitizer.counts.clear()  # the manifest counts what the bundle's own text lost
    counts = {"netconan": 0}
    members = _member_names([source.name for source in analysis.sources], sanitizer)
    kept: dict[str, str] = {}
    read = _ReadProgress(progress, [source.item.path for source in analysis.sources])
    for source, member in zip(analysis.sources, members, strict=True):
        try:
            _capture_member(bundle, source, member, sanitizer, encoding, counts, full_captures,
                            read.next_file())
        except InputError as exc:
            (bundle.problems.errors if source.item.explicit
             else bundle.problems.skipped).append(str(exc))
            continue
        kept[source.name] = member
    bundle.results = [renamed(r, kept) for r in analysis.results if r.source in kept]
    redactions = sanitizer.report()
    if counts["netconan"]:
        redactions["config-secret (netconan)"] = counts["netconan"]
    bundle.redactions = dict(sorted(redactions.items()))
    bundle.problems.limits = [_renamed_line(line, kept) for line in bundle.problems.limits]
    _reports(bundle)
    manifest = _manifest(bundle, knowledge)
    manifest["captures"] = ("full: every line, sanitised" if full_captures else
                            "licensing only: the lines licensing depends on (parsers/carry.yaml), "
                            "sanitised; the other lines are blank, line numbers unchanged")
    bundle.add("manifest.json", render_json(manifest, sort_keys=True))
    return bundle


def _reports(bundle: Bundle) -> None:
    if not bundle.results:
        return
    for name, fmt in REPORTS.items():
        text = FORMATS[fmt].report(bundle.results, bundle.problems, ReportOptions())
        if fmt == "json":  # sorted keys: the same input gives the same bytes
            from ..render.documents import report_document

            text = render_json(report_document(bundle.results, bundle.problems), sort_keys=True)
        bundle.add(name, text)
    bundle.add("facts.json", render_json(facts_document(bundle.results), sort_keys=True))


def _capture_member(bundle: Bundle, source: Source, member: str, sanitizer: Sanitizer,
                    encoding: str | None, counts: dict[str, int], full: bool,
                    on_read: Callable[[int], None] | None = None) -> None:
    """One capture's sanitised text into the bundle. Lines go through in order, the
    configuration's in batches through netconan too, so a large capture is never held (nor
    its configuration, however many interface blocks it has)."""
    lines = _source_lines(source, encoding, full, on_read)
    if not full and not source.large:  # a large one is read with the others blank already
        lines = _carried_only(lines, source.carried)
    sanitised = sanitised_lines(lines, source.config, sanitizer, counts)
    lines = show_lines(_withheld(sanitised, source.withheld))
    if source.large:
        bundle.add_spooled(member, lines)
    else:
        bundle.add_lines(member, lines)


def _source_lines(source: Source, encoding: str | None, full: bool,
                  on_read: Callable[[int], None] | None) -> Iterable[str | Blanks]:
    """The capture's cleaned lines, read again from its source (streaming when large; then,
    unless ``full``, only the carried lines are read, each run of others is one Blanks)."""
    item = source.item
    if source.large and full:
        return iter_clean_lines(item.path, encoding, indent=source.indent, name=item.name,
                                on_read=on_read)
    if source.large:
        return iter_carried_lines(item.path, source.carried, encoding, indent=source.indent,
                                  name=item.name, on_read=on_read)
    return read_whole(item.path, encoding, name=item.name).lines


class _ReadProgress:
    """The bytes of the captures read again for the bundle, told to ``progress`` as
    "writing captures" (a gzip's read bytes counted up to its size on disk)."""

    def __init__(self, progress: StageProgress | None, paths: list[str]) -> None:
        self.progress = progress
        self.sizes = [_size(p) for p in paths]
        self.total = sum(self.sizes)
        self.before = 0                      # the bytes of the files done
        self.at = -1

    def next_file(self) -> Callable[[int], None] | None:
        if self.progress is None:
            return None
        if self.at >= 0:
            self.before += self.sizes[self.at]
        self.at += 1
        size, read = self.sizes[self.at], 0
        progress = self.progress

        def on_read(n: int) -> None:
            nonlocal read
            read = min(size, read + n)
            progress("writing captures", self.before + read, self.total)
        return on_read


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):  # standard input, an archive member: no size known
        return 0


def _carried_only(lines: Iterable[str | Blanks], carried: tuple[tuple[int, int], ...]
                  ) -> Iterator[str | Blanks]:
    """The lines that may leave sldiag, and a blank line in place of each other one."""
    inside = RangeCursor(carried)
    for index, line in enumerate(lines):
        yield line if index in inside else ""


def _withheld(lines: Iterable[str | Blanks], withheld_lines: frozenset[int]
              ) -> Iterator[str | Blanks]:
    """Lines sldiag could not read, quoted by their label only (as its reports quote them;
    an empty line stays empty)."""
    index = 0
    for line in lines:
        if isinstance(line, Blanks):
            index += line
            yield line
            continue
        yield withheld(line) if index in withheld_lines else line
        index += 1


def _member_names(names_shown: list[str], sanitizer: Sanitizer) -> list[str]:
    """captures/<file name>, unique, without .gz (the bundle holds the text); with --redact,
    the hostnames and addresses in it replaced as in the text."""
    names, seen = [], set()
    for shown in names_shown:
        base = (PurePosixPath(shown.replace("\\", "/")).name if shown != STDIN_NAME
                else "stdin.txt")
        base = sanitizer.name(base) or "capture.txt"
        if base.endswith(".gz"):
            base = base[:-3]
        candidate, n = f"captures/{base}", 2
        while candidate in seen:
            candidate, n = f"captures/{n}-{base}", n + 1
        seen.add(candidate)
        names.append(candidate)
    return names


def _renamed_line(line: str, names: dict[str, str]) -> str:
    for old in sorted(names, key=len, reverse=True):
        if line.startswith(f"{old}:"):
            return names[old] + line[len(old):]
    return line


def _manifest(bundle: Bundle, knowledge: Knowledge) -> dict[str, Any]:
    from .archive import _digest

    return {
        "schema_version": "1",
        "sldiag_version": __version__,
        "rules": [{"id": r.id, "version": r.version} for r in knowledge.rules],
        "files": [{"path": name, **_digest(bundle, name)}
                  for name in bundle.names() if name != "manifest.json"],
        "redacted": bundle.redactions,
        "inputs": bundle.problems.as_dict(),
    }
