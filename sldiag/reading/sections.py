"""Sections: which command printed which lines, and for which device.

Three ways a capture names its commands, tried in this order:
  * show-tech delimiters  ``------------------ show license all ------------------``
  * prompts of a terminal session  ``SW-ACC-12#sh lic all``  (the hostname splits devices)
  * nothing at all: bare output, recognised by its content (``detect`` in parsers/index.yaml)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..base.limits import MAX_DEVICES_PER_FILE, MAX_MARKERS_PER_FILE
from ..model.catalog import Catalog
from ..model.platforms import identity_rules
from .lines import Capture, SparseLines, line_indexes, untangle_log_message
from .markers import BarePrompts, Marker, marker_of, prompt_match, strip_filter

# A capture sldiag collected starts with this line (JSON: the inventory name, the prompt the
# device showed at login, the time), then one line per collection gap. The device's prompt is
# then the only one that splits the capture: its own output cannot invent another device.
COLLECTED_PREFIX = "! sldiag collect "
GAP_PREFIX = "! sldiag collection gap: "
_HEADER_LINES_MAX = 64


@dataclass
class CollectionHeader:
    """What sldiag wrote above a capture it collected."""

    line: tuple[int, str]                  # (1, the header line)
    device: str                            # the inventory name
    host: str | None                       # the hostname of the prompt seen at login
    gaps: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, gap)


def collection_header(lines: Sequence[str]) -> CollectionHeader | None:
    """The header of a capture sldiag collected, if line 1 is one."""
    import json

    first = lines[0] if len(lines) else ""
    if not first.startswith(COLLECTED_PREFIX):
        return None
    try:
        data = json.loads(first[len(COLLECTED_PREFIX):])
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("prompt"), str):
        return None
    prompt = data["prompt"].strip()
    m = prompt_match(prompt)
    host = m["host"] if m and not m["cmd"] else None
    header = CollectionHeader((1, first), str(data.get("device", "")), host)
    for index in range(1, min(len(lines), _HEADER_LINES_MAX)):
        if not lines[index].startswith(GAP_PREFIX):
            break
        header.gaps.append((index + 1, lines[index], lines[index][len(GAP_PREFIX):].strip()))
    return header


def markers_note() -> str:
    return (f"more than {MAX_MARKERS_PER_FILE:,} prompts and show-tech delimiters: later "
            "ones were read as lines of the output before them")


def devices_note() -> str:
    return (f"prompts of more than {MAX_DEVICES_PER_FILE} hosts in one file: the outputs "
            "of further hosts were not analysed")


@dataclass
class Section:
    """The output of one command: ``lines`` are (1-based line number, text) pairs."""

    command: str | None           # canonical command, or None when unrecognised
    typed: str                    # as it appeared (prompt text, delimiter, or "(detected)")
    file: str
    header_line: int | None       # the prompt / delimiter line, None for bare output
    lines: list[tuple[int, str]]
    form: str                     # "show-tech", "prompt", "bare"
    filtered: bool = False        # the command had a "| include" style filter
    fragment: bool = False        # an excerpt recognised by content, not a whole output
    configuration: bool = False   # the output is (all or part of) the configuration
    elided: bool = False          # a large capture: only some of its lines were kept
    last_line: int | None = None  # its last line (1-based) when it has any, kept or not


@dataclass(frozen=True)
class CutOutput:
    """The command output a capture ends inside, before the lines every whole one has."""

    command: str
    first_line: int               # its prompt, delimiter or first line
    last_line: int                # the last non-blank line read
    last_text: str
    heading: str | None           # the last heading read ("License Usage"), if any
    unterminated: tuple[int, str] | None = None  # a last line the file stops inside, unread


@dataclass
class DeviceSections:
    """One device's part of one capture: its sections and the line ranges it owns."""

    file: str
    prompt_hostname: str | None
    sections: list[Section] = field(default_factory=list)
    first_line: tuple[int, str] = (1, "")
    line_ranges: list[tuple[int, int]] = field(default_factory=list)  # [start, end) indexes
    collection: CollectionHeader | None = None  # sldiag collected it (and what it could not)
    scoped_lines: list[int] = field(default_factory=list)  # lines the line scopes read (parsing)
    cut: CutOutput | None = None  # the capture ends inside this device's last output
    renames: list[tuple[int, str]] = field(default_factory=list)  # (line, name) `hostname X`
    hops: list[int] = field(default_factory=list)  # lines of commands that leave (ssh, telnet)

    def iter_numbered_lines(self, lines: Sequence[str]) -> Iterator[tuple[int, str]]:
        """The device's lines, 1-based number and text, one at a time."""
        for start, end in self.line_ranges:
            for i in line_indexes(lines, start, end):
                yield i + 1, lines[i]


def split_capture(capture: Capture, catalog: Catalog) -> list[DeviceSections]:
    """Split a capture into devices and sections (a device notes an output cut short)."""
    lines = capture.lines
    markers = _find_markers(lines)
    collected = collection_header(lines)
    if collected is not None:
        # Only the device's own prompt splits what sldiag collected (no delimiters either:
        # no command it sends prints them).
        own = (collected.host or "").lower()
        markers = [m for m in markers if m.kind == "prompt" and (m.host or "").lower() == own]
    if len(markers) > MAX_MARKERS_PER_FILE:
        capture.reached(markers[MAX_MARKERS_PER_FILE].index + 1, markers_note())
        del markers[MAX_MARKERS_PER_FILE:]
    splitter = _Splitter(capture, catalog, collected)
    first_marker = markers[0].index if markers else len(lines)
    splitter.preamble(_bare_sections(capture, 0, first_marker, catalog), first_marker)
    for n, marker in enumerate(markers):
        end = markers[n + 1].index if n + 1 < len(markers) else len(lines)
        splitter.marker(marker, end)
    if not splitter.order:
        device = splitter.new_device(None, 0)
        device.line_ranges.append((0, len(lines)))
    _note_cut_output(capture, markers, splitter.order, catalog)
    for device in splitter.order:
        _untangle_log_messages(capture, device, catalog)
    return splitter.order


class _Splitter:
    """The devices found so far in one capture, and the one whose output is being read."""

    def __init__(self, capture: Capture, catalog: Catalog,
                 collected: CollectionHeader | None) -> None:
        self.capture = capture
        self.catalog = catalog
        self.collected = collected
        self.devices: dict[str, DeviceSections] = {}
        self.order: list[DeviceSections] = []
        self.anonymous: DeviceSections | None = None
        self.current: DeviceSections | None = None
        self.over_limit = False

    def new_device(self, host: str | None, index: int) -> DeviceSections:
        lines = self.capture.lines
        device = DeviceSections(file=self.capture.name, prompt_hostname=host,
                                first_line=(index + 1, lines[index] if lines else ""),
                                collection=self.collected)
        self.order.append(device)
        if host:
            self.devices.setdefault(host.lower(), device)
        return device

    def preamble(self, sections: list[Section], end: int) -> None:
        """Bare output before the first marker: a device of its own, until a prompt names it."""
        if not sections:
            return
        first = sections[0]
        self.current = self.anonymous = self.new_device(
            None, (first.header_line or first.lines[0][0]) - 1)
        self.current.sections.extend(sections)
        self.current.line_ranges.append((0, end))

    def marker(self, marker: Marker, end: int) -> None:
        """The output from ``marker`` to ``end``, for the device it belongs to."""
        device = self._device_for(marker)
        if device is None:
            return
        self.current = device
        lines = self.capture.lines
        device.line_ranges.append((marker.index, end))
        if marker.kind == "prompt":
            _note_identity(device, marker)
        if not marker.typed:
            return  # a bare prompt only ends the previous command's output
        typed, filtered, first = marker.typed, marker.filtered, marker.index + 1
        command = self.catalog.canonical_command(typed)
        if marker.kind == "prompt" and first < end:
            # A console wraps a long echo: "SW#sh" then "ow version" is one command.
            joined = wrapped_echo(self.catalog, typed, lines[first])
            if joined is not None:
                (typed, filtered), first = joined, first + 1
                command = self.catalog.canonical_command(typed)
        body = [(i + 1, lines[i]) for i in line_indexes(lines, first, end)]
        device.sections.append(Section(
            command=command, typed=typed, file=self.capture.name,
            header_line=marker.index + 1, lines=body,
            form="show-tech" if marker.kind == "delimiter" else "prompt",
            filtered=filtered, configuration=command in self.catalog.configuration,
            elided=marker.index in self.capture.elided_sections,
            last_line=end if end > marker.index + 1 else None))

    def _device_for(self, marker: Marker) -> DeviceSections | None:
        if marker.kind == "prompt":
            key = (marker.host or "").lower()
            if (self.anonymous is not None and self.anonymous.prompt_hostname is None
                    and not self.devices):
                # Bare output before the first prompt belongs to the device of that prompt.
                self.anonymous.prompt_hostname = marker.host
                self.devices[key] = self.anonymous
            self.over_limit = key not in self.devices and len(self.devices) >= MAX_DEVICES_PER_FILE
            if self.over_limit:
                note = devices_note()
                if not any(what == note for _, what in self.capture.limits):
                    self.capture.reached(marker.index + 1, note)
                return None
            current = self.current
            if (current is not None and (current.prompt_hostname or "").lower() == key
                    and not (current.hops and current.hops[-1] == current.line_ranges[-1][0] + 1)):
                return current  # the same prompt, and the last command did not leave
            # Each run of one prompt is a part of its own: parts of one name are one device
            # unless their serial numbers differ (analysis/identity.py joins them).
            part = self.new_device(marker.host, marker.index)
            self.devices.setdefault(key, part)
            return part
        if self.over_limit:
            return None  # a delimiter in the output of a host beyond the limit
        current = self.current
        seen = current is not None and any(
            s.form == "show-tech" and s.typed == marker.typed for s in current.sections)
        if current is None or (seen and current.prompt_hostname is None):
            # A second show tech pasted below the first, with no prompt to name it.
            self.anonymous = self.new_device(None, marker.index)
            return self.anonymous
        return current


def wrapped_echo(catalog: Catalog, typed: str, following: str) -> tuple[str, bool] | None:
    """The command an echo a console wrapped onto the next line makes ("SW#sh" then "ow
    version"), with its filter flag; None when the next line does not complete it. A known
    command only joins a word cut in two ("show lic" + "ense udi"); every word typed must
    spell a word of the command, so no output line joins an echo."""
    rest = following.strip()
    if not rest or not rest[0].isalpha() or following[0] == " " or len(rest) > 200:
        return None
    unknown = catalog.canonical_command(typed) is None
    candidates = (typed + rest, f"{typed} {rest}") if unknown else (typed + rest,)
    for candidate in candidates:
        joined = strip_filter(candidate)
        command = catalog.canonical_command(joined[0])
        if command is not None and len(joined[0].split()) == len(command.split()):
            return joined
    return None


def _note_identity(device: DeviceSections, marker: Marker) -> None:
    """A command that renames the device or leaves it for another (how its prompts relate)."""
    rules = identity_rules()
    if rules is None:
        return
    if marker.config_command and (renamed := _rename(rules.rename).match(marker.config_command)):
        device.renames.append((marker.index + 1, renamed[1]))
    elif marker.typed and marker.typed.split()[0].lower() in rules.hop_verbs:
        device.hops.append(marker.index + 1)


@cache
def _rename(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _find_markers(lines: Sequence[str]) -> list[Marker]:
    markers: list[Marker] = []
    bare = BarePrompts()
    for index in line_indexes(lines):
        marker = marker_of(lines[index], index)
        if marker is not None and bare.believe(marker):
            markers.append(marker)
    return markers


def _bare_sections(capture: Capture, start: int, end: int, catalog: Catalog) -> list[Section]:
    """Recognise bare command output between ``start`` and ``end`` by its content."""
    lines = capture.lines
    sections: list[Section] = []
    current: Section | None = None
    for i in line_indexes(lines, start, end):
        line = lines[i]
        if line:
            echoed = catalog.canonical_command(line) if line.startswith(("show ", "sh ")) else None
            detector = None if echoed else catalog.detect_start(
                lines, i, end, current.command if current else None)
            if echoed:
                # A saved output that starts with the command it ran, without a prompt.
                current = Section(command=echoed, typed=line, file=capture.name,
                                  header_line=i + 1, lines=[], form="bare",
                                  configuration=echoed in catalog.configuration)
                sections.append(current)
                continue
            if detector is not None:
                current = Section(command=detector.command, typed="(recognised by content)",
                                  file=capture.name, header_line=None, lines=[], form="bare",
                                  fragment=detector.fragment,
                                  configuration=detector.command in catalog.configuration)
                sections.append(current)
        if current is not None:
            current.lines.append((i + 1, line))
    return sections


def _untangle_log_messages(capture: Capture, device: DeviceSections, catalog: Catalog) -> None:
    """Log messages a console printed into the lines of an output a template reads: each
    becomes a line of its own, the output line joined where it resumed (lines.py). Only
    there: a log's own lines (a syslog server's prefixes) are no output to untangle."""
    lines = capture.lines
    for section in device.sections:
        if not catalog.templates_for.get(section.command or ""):
            continue
        body = section.lines
        for i, (number, text) in enumerate(body):
            following = body[i + 1] if i + 1 < len(body) else None
            after = following[1] if following and following[0] == number + 1 else None
            untangled = untangle_log_message(text, after)
            if untangled is None or following is None:
                continue
            body[i], body[i + 1] = (number, untangled[0]), (number + 1, untangled[1])
            _set_line(lines, number - 1, untangled[0])
            _set_line(lines, number, untangled[1])
            capture.cleaned["log-untangled"] += 1


def _set_line(lines: Sequence[str], index: int, text: str) -> None:
    if isinstance(lines, SparseLines):
        lines.kept[index] = text
    elif isinstance(lines, list):
        lines[index] = text


def _note_cut_output(capture: Capture, markers: list[Marker],
                     devices: list[DeviceSections], catalog: Catalog) -> None:
    """A capture whose last command output lacks its closing lines was cut short: what it
    holds is read all the same; the device notes where its output stops."""
    if markers and markers[-1].kind == "prompt" and not markers[-1].typed:
        return  # the session went back to the prompt: the last output is whole
    last: Section | None = None
    owner: DeviceSections | None = None
    last_line = 0
    for device in devices:
        for section in device.sections:
            end = section.last_line or (section.lines[-1][0] if section.lines else 0)
            if end > last_line:
                last, owner, last_line = section, device, end
    if last is None or owner is None or last.command is None or last.filtered or last.fragment:
        return
    pattern = catalog.complete_pattern(last.command)
    if pattern is None or any(pattern.search(text) for _, text in last.lines):
        return
    start = last.header_line or last.lines[0][0]
    unterminated = None
    if (not capture.ends_with_newline and last.lines
            and last.lines[-1][0] == len(capture.lines) and last.lines[-1][1].strip()):
        # The file stops inside this line: what it holds may be cut short ("Status: REGIS"),
        # so no template reads it; the report quotes it as a gap.
        unterminated = last.lines.pop()
    read = [(n, t) for n, t in last.lines if t.strip()]
    number, text = read[-1] if read else (start, capture.lines[start - 1])
    headings = [t.strip().rstrip(":") for _, t in read if _HEADING.match(t)]
    owner.cut = CutOutput(last.command, start, number, text,
                          headings[-1] if headings else None, unterminated)


# A heading of a licensing output: a line in the first column that is a title alone
# ("License Usage", "Registration:"), not a "label: value" line.
_HEADING = re.compile(r"^[A-Z][A-Za-z /()-]{2,60}:?$")
