"""One input analysed: read, sanitised, split into devices, parsed, diagnosed; whatever
goes wrong stays with that input."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..base.errors import InputError
from ..diagnosing.derive import derive_facts, hostname_of, licensing_mode, reference_time
from ..diagnosing.engine import decide_verdict, place_on_flowchart, run_rules
from ..diagnosing.knowledge import Knowledge
from ..diagnosing.releases import release_advisories
from ..diagnosing.state import licensing_state
from ..model import facts as fm
from ..model.problems import limit_lines
from ..model.results import DeviceResult, ParseGap
from ..parsing.extract import extract_facts
from ..reading.inputs import InputFile, own_output_kind
from ..reading.lines import Capture, SparseLines
from ..reading.read import read_capture
from ..reading.sections import CutOutput, DeviceSections, split_capture
from ..sanitizing.carry import carried_ranges, merge
from ..sanitizing.sanitizer import Sanitizer, withheld
from .excerpts import cut_text, outputs_of
from .identity import group_parts, merge_parts, part_identity


@dataclass(frozen=True)
class Source:
    """An input that was analysed: where to read it again (a bundle writes its sanitised
    text), how results cite it, and what its reading found."""

    item: InputFile
    name: str                                  # as results cite it (--redact applied)
    indent: str = ""                           # the indentation a paste shared, removed
    large: bool = False                        # read streaming: never held whole
    config: tuple[tuple[int, int], ...] = ()   # configuration lines, [start, end) 0-based
    limits: tuple[tuple[int, str], ...] = ()   # limits reached while reading it
    carried: tuple[tuple[int, int], ...] = ()  # lines that may leave sldiag (carry.yaml)
    withheld: frozenset[int] = frozenset()     # lines quoted withheld (0-based)


def analyse_capture(capture: Capture, knowledge: Knowledge,
                    sanitizer: Sanitizer | None = None,
                    with_text: bool = True) -> list[DeviceResult]:
    """Analyse one capture; with a sanitizer, secrets leave its lines before anything else.
    ``with_text``: cut the excerpts and outputs a report shows (HTML, Markdown)."""
    return _analyse(capture, knowledge, sanitizer, with_text)[0]


def _analyse(capture: Capture, knowledge: Knowledge, sanitizer: Sanitizer | None,
             with_text: bool) -> tuple[list[DeviceResult], Source]:
    """The devices of a capture, and what a bundle needs to write it again (which lines are
    configuration, which may leave sldiag, which are withheld)."""
    if sanitizer is not None:
        capture.lines = sanitizer.lines(capture.lines)
        capture.name = sanitizer.name(capture.name)  # --redact: hostnames, IPs in names
    results = []
    devices, extracted, aliases = _one_per_device(
        split_capture(capture, knowledge.catalog), capture, knowledge)
    for device, (facts, gaps), also in zip(devices, extracted, aliases, strict=True):
        # A note's line (bytes not UTF-8, a line cut) is quoted withheld: sldiag read it
        # only in part, so it cannot vouch for what it holds.
        gaps += [ParseGap(capture.name, line, withheld(_line_text(capture, line)), None, reason,
                          True) for line, reason in capture.notes]
        if device.cut is not None:
            gaps += cut_gaps(capture.name, device.cut)
        derive_facts(facts, knowledge.catalog, device.sections)
        release_advisories(facts, knowledge.advisories)
        mode, marker = licensing_mode(facts, knowledge.modes)
        now = reference_time(facts)
        result = DeviceResult(
            hostname=hostname_of(device.prompt_hostname, facts), source=capture.name,
            facts=facts, gaps=gaps, mode=mode, reference_time=now,
            state=licensing_state(facts, mode, knowledge.mode_labels.get(mode, mode), now,
                                  marker.evidence() if marker is not None else None),
            outputs=outputs_of(device.sections), sanitized=sanitizer is not None,
            also_seen_as=also)
        run_rules(result, knowledge.rules)
        decide_verdict(result, knowledge.verdicts)
        place_on_flowchart(result, knowledge.flowchart)
        results.append(result)
    carried = carried_ranges(devices, knowledge.catalog)
    if with_text:
        shown = carried if sanitizer is not None else None  # --show-secrets: every line
        for result, device in zip(results, devices, strict=True):
            cut_text(result, capture.lines, device.sections, shown)
    withheld_lines = frozenset(g.line - 1 for r in results for g in r.gaps
                               if g.withheld and g.file == capture.name)
    source = Source(InputFile("", capture.name, True), capture.name, capture.indent,
                    isinstance(capture.lines, SparseLines), tuple(config_ranges(devices)),
                    tuple(capture.limits), tuple(carried), withheld_lines)
    return results, source


Extracted = tuple[fm.Facts, list[ParseGap]]


def _one_per_device(parts: list[DeviceSections], capture: Capture, knowledge: Knowledge
                    ) -> tuple[list[DeviceSections], list[Extracted], list[list[str]]]:
    """The capture's devices, one per device (identity.py): the parts its prompts split
    apart, joined where the device says they are one; each with its facts, and the other
    names it showed."""
    def extract(device: DeviceSections) -> Extracted:
        return extract_facts(device, capture.lines, knowledge.catalog,
                             capture.timestamp_headers, capture.limits)

    if len(parts) < 2:
        return parts, [extract(part) for part in parts], [[] for _ in parts]
    # Only each part's identity is kept (a capture of 50,000 prompts alternating between
    # hosts is 50,000 parts: their facts, all held, cost hundreds of MB); each device's facts
    # are read once its parts are joined.
    identities = [part_identity(part, extract(part)[0]) for part in parts]
    devices, facts_of, aliases = [], [], []
    for members in group_parts(parts, identities, capture.lines):
        device, also = merge_parts(parts, members, identities)
        devices.append(device)
        facts_of.append(extract(parts[members[0]] if len(members) == 1 else device))
        aliases.append(also)
    return devices, facts_of, aliases


def cut_gaps(name: str, cut: CutOutput) -> list[ParseGap]:
    """The output a capture ends inside, as gaps: what it held was read, the rest not."""
    inside = f", in '{cut.heading}'" if cut.heading else ""
    gaps = [ParseGap(name, cut.last_line, cut.last_text, cut.command,
                     f"the capture ends inside '{cut.command}' (from line {cut.first_line}) "
                     f"after line {cut.last_line}{inside}: the rest of that output is missing, "
                     "and what it would show was not judged")]
    if cut.unterminated is not None:
        number, text = cut.unterminated
        gaps.append(ParseGap(name, number, text, cut.command,
                             "the file stops inside this line, which may be cut short: not read"))
    return gaps


def config_ranges(devices: list[DeviceSections]) -> list[tuple[int, int]]:
    """The configuration's lines, as sorted [start, end) ranges of 0-based indexes."""
    ranges: list[tuple[int, int]] = []
    for device in devices:
        for section in device.sections:
            if not section.configuration:
                continue
            if section.header_line and section.last_line:  # every line, read or not
                ranges.append((section.header_line, section.last_line))
            else:
                ranges += [(number - 1, number) for number, _ in section.lines]
    return merge(ranges)


def _line_text(capture: Capture, line: int) -> str:
    text = capture.lines[line - 1] if 0 < line <= len(capture.lines) else ""
    return text or capture.note_texts.get(line, "")


# The devices of one input, or why it was not analysed, and the limits it reached.
Outcome = tuple[list[DeviceResult], str | None, list[str], Source | None]
Args = tuple[InputFile, str | None, bool, bool, int]


def analyse_one(knowledge: Knowledge, args: Args,
                sanitizer: Sanitizer | None = None) -> Outcome:
    """One capture; without a shared sanitizer, each file gets its own (secrets only).
    Whatever goes wrong stays with this file: a one-line reason, never a traceback (set
    SLDIAG_DEBUG=1 to see one)."""
    item, encoding, show_secrets, with_text, large_bytes = args
    try:
        capture = read_capture(item.path, knowledge.catalog, encoding, large_bytes,
                               name=item.name)
        if not item.explicit and (kind := own_output_kind(capture.lines)):
            return [], f"{item.name}: {kind}", [], None
        if sanitizer is None and not show_secrets:
            sanitizer = Sanitizer()
        results, found = _analyse(capture, knowledge, sanitizer, with_text)
    except InputError as exc:
        return [], str(exc), [], None
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, a bug
        if os.environ.get("SLDIAG_DEBUG"):
            raise
        # The type only: a message could quote a line of the capture, secrets included.
        reason = (f"{item.name}: internal error ({type(exc).__name__}); the other inputs were "
                  "analysed; please report it (SLDIAG_DEBUG=1 shows the traceback)")
        return [], reason, [], None
    if not any(holds_device_output(r, capture.lines) for r in results) and (
            not item.explicit or mostly_prose(capture.lines)):
        # Met in a folder, or named but written by a person (a README, a mail that names
        # commands): no device. A named file of output sldiag does not know is analysed.
        return [], f"{item.name}: holds no device output sldiag recognises", [], None
    source = dataclasses.replace(found, item=item)
    return results, None, limit_lines(capture.name, capture.limits), source


def holds_device_output(result: DeviceResult, lines: Sequence[str]) -> bool:
    """Whether a device's part of a capture is device output at all: a fact read from an
    output or a log line, or an output with a line that is not prose. Prose is how people
    write about commands (a README, a mail, notes): sentences, headings, list items."""
    if not result.facts.is_empty():
        return True
    prose = False
    for output in result.outputs:
        first = output.line + 1 if output.form == "prompt" else output.line
        for number in range(first, min(output.last_line, first + _PROSE_SCAN) + 1):
            text = lines[number - 1] if 0 < number <= len(lines) else ""
            if not text.strip():
                continue
            if not is_prose(text):
                return True
            prose = True
    # Prompts alone are a session that showed nothing yet; prompts amid prose are notes
    # (the prose may stand before the first prompt, in no output).
    if not any(output.form == "prompt" for output in result.outputs):
        return False
    return not prose and not any(is_prose(lines[i]) for i in range(min(len(lines), _PROSE_SCAN))
                                 if lines[i].strip())


# Enough lines of an output to tell device output from prose (bounded work per output).
_PROSE_SCAN = 200
# A sentence (words ending in . ? !), a Markdown heading, list item, quote or code fence.
_SENTENCE = re.compile(r"^[\s>*#-]*[A-Za-z][\w'’,;:()/`\"-]*(?:\s+[^\s]+){2,}[.?!]\s*$")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+\S|[-*+]\s+[A-Za-z`]|\d{1,2}[.)]\s+[A-Za-z`]|```|~~~|>\s)")


def mostly_prose(lines: Sequence[str]) -> bool:
    """Whether at least half of the first lines with text are prose."""
    texts = [line for line in (lines[i] for i in range(min(len(lines), _PROSE_SCAN)))
             if line.strip()]
    return bool(texts) and 2 * sum(map(is_prose, texts)) >= len(texts)


# A greeting or a sign-off: "Hello team,", "Thanks.", "Best regards,".
_SHORT = re.compile(r"^\s*[A-Z][a-z']*(?:\s+[A-Za-z']+){0,3}[.,!?]\s*$")


def is_prose(line: str) -> bool:
    return bool(_MARKUP.match(line) or _SENTENCE.match(line) or _SHORT.match(line))
