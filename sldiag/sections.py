"""Sections: which command printed which lines, and for which device.

Three ways a capture names its commands, tried in this order:
  * show-tech delimiters  ``------------------ show license all ------------------``
  * prompts of a terminal session  ``SW-ACC-12#sh lic all``  (the hostname splits devices)
  * nothing at all: bare output, recognised by its content (``detect`` in parsers/index.yaml)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .capture import Capture, InputError, line_indexes
from .catalog import Catalog
from .limits import MAX_DEVICES_PER_FILE, MAX_MARKERS_PER_FILE

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
    m = _PROMPT.match(prompt)
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

# A show-tech delimiter: `------------------ show license all ------------------`. Read with
# string operations, not a regex: a line of 50,000 dashes must cost what its length costs.
_DELIMITER_COMMAND = re.compile(r"(?:show|sh)\s", re.IGNORECASE)
# A prompt: optional "[timestamp] " some terminal loggers put first, the hostname, a
# configuration mode, then '#' or '>'.
_HOST = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}"
_MODE = r"\([A-Za-z0-9_\-]+\)"
_PROMPT = re.compile(rf"^(?:\[[^\]]{{4,40}}\]\s*)?(?P<host>{_HOST})(?P<mode>{_MODE})?[#>]"
                     r"\s*(?P<cmd>\S.*)?$")
# For the streaming reader of large captures (searches in raw bytes): what a line holding a
# delimiter or a prompt must contain, as loose as the patterns above.
DELIMITER_HINTS = tuple(re.compile(rb + rb"[ \t\f\v]*[Ss][Hh]") for rb in (b"------", b"======"))
PROMPT_CHARS = (b"#", b">")
# Terminal residue that cleaning removes and that can turn a line into a prompt (a CR before
# the LF is only a line end).
_RESIDUE = rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r[^\n]|[Mm]ore"
_RESIDUE_RE = re.compile(_RESIDUE)
# What stands before the first '#' or '>' of a prompt line with no residue and no timestamp.
_PROMPT_HEAD = re.compile(f"{_HOST}(?:{_MODE})?".encode())
# The same as whole-line patterns (Hyperscan, multi-line): a prompt's start, a "[timestamp]"
# line with a '#' or '>', and any line with residue.
PROMPT_LINES = (b"^" + _PROMPT_HEAD.pattern + rb"[#>]", rb"^\[[^\n]*[#>]", _RESIDUE)
# First words that make "host#words" a prompt and not a line of output.
_EXEC_VERBS = ("show", "terminal", "enable", "disable", "configure", "copy", "write", "ping",
               "traceroute", "telnet", "ssh", "license", "clock", "debug", "undebug", "dir",
               "more", "exit", "end", "logout", "reload", "set", "request", "test", "verify",
               "do", "crypto", "call-home", "service", "ntp", "ip", "no", "archive")


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


@dataclass
class DeviceCapture:
    """One device's part of one capture."""

    file: str
    prompt_hostname: str | None
    sections: list[Section] = field(default_factory=list)
    first_line: tuple[int, str] = (1, "")
    line_ranges: list[tuple[int, int]] = field(default_factory=list)  # [start, end) indexes
    collection: CollectionHeader | None = None  # sldiag collected it (and what it could not)

    def numbered_lines(self, lines: Sequence[str]) -> list[tuple[int, str]]:
        return [(i + 1, lines[i]) for start, end in self.line_ranges
                for i in line_indexes(lines, start, end)]


@dataclass
class Marker:
    index: int
    kind: str                     # "delimiter" | "prompt"
    typed: str
    host: str | None
    filtered: bool


def split_capture(capture: Capture, catalog: Catalog) -> list[DeviceCapture]:
    """Split a capture into devices and sections; raise InputError if it was cut short."""
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
    devices: dict[str, DeviceCapture] = {}
    order: list[DeviceCapture] = []
    anonymous: DeviceCapture | None = None

    def new_device(host: str | None, index: int) -> DeviceCapture:
        device = DeviceCapture(file=capture.name, prompt_hostname=host,
                               first_line=(index + 1, lines[index] if lines else ""),
                               collection=collected)
        order.append(device)
        if host:
            devices[host.lower()] = device
        return device

    first_marker = markers[0].index if markers else len(lines)
    preamble = _bare_sections(capture, 0, first_marker, catalog)
    current: DeviceCapture | None = None
    if preamble:
        first = preamble[0]
        current = anonymous = new_device(None, (first.header_line or first.lines[0][0]) - 1)
        current.sections.extend(preamble)
        current.line_ranges.append((0, first_marker))

    over_limit = False
    for n, marker in enumerate(markers):
        end = markers[n + 1].index if n + 1 < len(markers) else len(lines)
        if marker.kind == "prompt":
            key = (marker.host or "").lower()
            if anonymous is not None and anonymous.prompt_hostname is None and not devices:
                # Bare output before the first prompt belongs to the device of that prompt.
                anonymous.prompt_hostname = marker.host
                devices[key] = anonymous
            over_limit = key not in devices and len(order) >= MAX_DEVICES_PER_FILE
            if over_limit:
                note = devices_note()
                if not any(what == note for _, what in capture.limits):
                    capture.reached(marker.index + 1, note)
                continue
            current = devices.get(key) or new_device(marker.host, marker.index)
        elif over_limit:
            continue  # a delimiter in the output of a host beyond the limit
        else:
            seen = current is not None and any(
                s.form == "show-tech" and s.typed == marker.typed for s in current.sections)
            if current is None or (seen and current.prompt_hostname is None):
                # A second show tech pasted below the first, with no prompt to name it.
                current = anonymous = new_device(None, marker.index)
        current.line_ranges.append((marker.index, end))
        body = [(i + 1, lines[i]) for i in line_indexes(lines, marker.index + 1, end)]
        if not marker.typed:
            continue  # a bare prompt only ends the previous command's output
        command = catalog.canonical_command(marker.typed)
        current.sections.append(Section(
            command=command, typed=marker.typed, file=capture.name,
            header_line=marker.index + 1, lines=body,
            form="show-tech" if marker.kind == "delimiter" else "prompt",
            filtered=marker.filtered, configuration=command in catalog.configuration,
            elided=marker.index in capture.elided_sections,
            last_line=end if end > marker.index + 1 else None))

    if not order:
        device = new_device(None, 0)
        device.line_ranges.append((0, len(lines)))
    _check_not_truncated(capture, markers, order, catalog)
    return order


def _find_markers(lines: Sequence[str]) -> list[Marker]:
    markers: list[Marker] = []
    for index in line_indexes(lines):
        marker = marker_of(lines[index], index)
        if marker is not None:
            markers.append(marker)
    return markers


def has_residue(buf: bytes, start: int, end: int) -> bool:
    """Whether the raw line ``buf[start:end]`` holds terminal residue that cleaning removes
    (so its text may say what its bytes do not)."""
    return _RESIDUE_RE.search(buf, start, end) is not None


def may_be_prompt(buf: bytes, start: int, at: int, end: int) -> bool:
    """Whether the raw line ``buf[start:end]``, whose first '#' or '>' is at ``at``, can be a
    prompt once cleaned; False only when :func:`marker_of` would say no."""
    if buf[start:start + 1] == b"[" or _RESIDUE_RE.search(buf, start, end):
        return True  # cleaning may change the line (a CR redraws it): look at it whole
    return _PROMPT_HEAD.fullmatch(buf, start, at) is not None


def marker_of(line: str, index: int) -> Marker | None:
    """The show-tech delimiter or session prompt on a cleaned line, if it is one."""
    if line[:1] in "-=" and line and (command := delimited_command(line)) is not None:
        typed, filtered = _strip_filter(command)
        return Marker(index, "delimiter", typed, None, filtered)
    if ("#" in line or ">" in line) and (m := _PROMPT.match(line)):
        cmd = (m["cmd"] or "").strip()
        if cmd and not m["mode"] and not _looks_like_exec(cmd):
            return None
        if m["mode"]:
            cmd = ""  # configuration mode lines are not show output
        typed, filtered = _strip_filter(cmd)
        return Marker(index, "prompt", typed, m["host"], filtered)
    return None


def delimited_command(line: str) -> str | None:
    """The command inside a show-tech delimiter line (6 or more '-' or '=' on each side), or
    None."""
    text = line.rstrip()
    body = text.lstrip("-=")
    if len(text) - len(body) < 6:
        return None
    inner = body.rstrip("-=")
    if len(body) - len(inner) < 6:
        return None
    inner = inner.strip()
    return inner if _DELIMITER_COMMAND.match(inner) else None


def _strip_filter(cmd: str) -> tuple[str, bool]:
    base, bar, _ = cmd.partition("|")
    return " ".join(base.split()), bool(bar)


def _looks_like_exec(cmd: str) -> bool:
    word = cmd.split()[0].lower()
    return len(word) >= 2 and any(verb.startswith(word) for verb in _EXEC_VERBS)


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


def _check_not_truncated(capture: Capture, markers: list[Marker],
                         devices: list[DeviceCapture], catalog: Catalog) -> None:
    """A capture whose last command output lacks its closing lines was cut short."""
    if markers and markers[-1].kind == "prompt" and not markers[-1].typed:
        return  # the session went back to the prompt: the last output is whole
    last: Section | None = None
    last_line = 0
    for device in devices:
        for section in device.sections:
            end = section.last_line or (section.lines[-1][0] if section.lines else 0)
            if end > last_line:
                last, last_line = section, end
    if last is None or last.command is None or last.filtered or last.fragment:
        return
    pattern = catalog.complete_pattern(last.command)
    if pattern is None or any(pattern.search(text) for _, text in last.lines):
        return
    start = last.header_line or last.lines[0][0]
    raise InputError(
        f"{capture.name}:{len(capture.lines)}: capture ends inside '{last.command}' "
        f"(started at line {start}) before its last lines; the file looks truncated")
