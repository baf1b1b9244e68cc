"""Parsing: sections in, facts out, through the TextFSM templates named in parsers/index.yaml.

TextFSM itself stops at the first line a template does not expect (``^. -> Error``, the
ntc-templates convention). Here such a line becomes a :class:`ParseGap` and parsing goes
on with the next line, so one unexpected line never costs the rest of the output.
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import textfsm

from . import facts as fm
from . import regexcache
from .catalog import Catalog, TemplateSpec
from .sections import DeviceCapture
from .textsafe import clip

# TextFSM compiles its templates' patterns with the compiled code kept between runs.
regexcache.install_in_textfsm()

EMPTY_VALUES = {"", "none", "<none>", "<empty>", "n/a", "not yet set up", "not configured"}
# What IOS prints instead of output when it refuses a command (one line each; re.M so a
# whole output can be searched too).
REJECTED_OUTPUT = re.compile(r"^\s*(?:% (?:Invalid input detected|Incomplete command|"
                             r"Ambiguous command|Unrecognized command|Authorization failed)|"
                             r"Command authorization failed)", re.M)
# It shows in the first lines of the output; the streaming reader of large captures keeps
# those of an output it does not read only when they hold the '%'.
REJECTION_LINES = 3
REJECTION_HINT = re.compile(rb"%")


@dataclass(frozen=True)
class ParseGap:
    """A line or value sldiag could not read; reported at info level, never fatal."""

    file: str
    line: int
    text: str
    command: str | None
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clip(self.text))

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": self.text,
                "command": self.command, "reason": self.reason}


@dataclass
class Record:
    values: dict[str, Any]
    lines: dict[str, list[int]]  # value name -> 1-based line numbers it came from


class _TrackedFSM(textfsm.TextFSM):
    """TextFSM that remembers which input line each value came from and survives Error."""

    def parse_numbered(self, numbered: list[tuple[int, str]]) -> tuple[list[Record], list[int]]:
        self.Reset()
        self._prov: dict[str, list[int]] = {}
        self._records_prov: list[dict[str, list[int]]] = []
        self._line_no = 0
        errors: list[int] = []
        for number, line in numbered:
            self._line_no = number
            try:
                self._CheckLine(line)
            except textfsm.TextFSMError:
                errors.append(number)
            if self._cur_state_name in ("End", "EOF"):
                break
        if self._cur_state_name != "End" and "EOF" not in self.states:
            self._AppendRecord()
        header = self.header
        records = [Record(dict(zip(header, row, strict=False)), prov)
                   for row, prov in zip(self._result, self._records_prov, strict=False)]
        return records, errors

    def _AssignVar(self, matched, value):  # noqa: N802 - TextFSM's name
        super()._AssignVar(matched, value)
        if matched.group(value) is not None:
            self._prov.setdefault(value, []).append(self._line_no)

    def _AppendRecord(self):  # noqa: N802
        before = len(self._result)
        prov = dict(self._prov)
        super()._AppendRecord()
        if len(self._result) > before:
            self._records_prov.append(prov)

    def _ClearRecord(self):  # noqa: N802
        super()._ClearRecord()
        keep = {v.name for v in self.values if "Filldown" in v.OptionNames()}
        self._prov = {k: v for k, v in getattr(self, "_prov", {}).items() if k in keep}

    def _ClearAllRecord(self):  # noqa: N802
        super()._ClearAllRecord()
        self._prov = {}


# A compiled FSM holds the state of the parse in progress: one set per thread (fleet
# collection analyses devices in parallel threads).
_FSM_CACHE = threading.local()


def run_template(spec: TemplateSpec, numbered: list[tuple[int, str]]
                 ) -> tuple[list[Record], list[int]]:
    cache: dict[Path, _TrackedFSM] = _FSM_CACHE.__dict__.setdefault("fsms", {})
    fsm = cache.get(spec.path)
    if fsm is None:
        with open(spec.path, encoding="utf-8") as fh:
            fsm = _TrackedFSM(fh)
        cache[spec.path] = fsm
    return fsm.parse_numbered(numbered)


@dataclass
class _Raw:
    """A value as printed, before conversion to its kind."""

    value: Any
    line: int
    text: str


@dataclass
class _Collector:
    file: str
    scalars: dict[str, _Raw] = field(default_factory=dict)
    weak: dict[str, _Raw] = field(default_factory=dict)   # used only where scalars say nothing
    rows: dict[str, list[tuple[dict[str, Any], _Raw, dict[str, tuple[int, str]]]]] = field(
        default_factory=dict)
    gaps: list[ParseGap] = field(default_factory=list)

    def take(self, spec: TemplateSpec, numbered: list[tuple[int, str]], command: str | None
             ) -> None:
        text_of = dict(numbered)
        records, errors = run_template(spec, numbered)
        for number in errors:
            self.gaps.append(ParseGap(self.file, number, text_of.get(number, ""), command,
                                      f"line not expected by template {spec.path.name}"))
        for n, record in enumerate(records):
            self._take_record(spec, record, text_of, with_facts=not spec.first or n == 0)

    def _take_record(self, spec: TemplateSpec, record: Record, text_of: dict[int, str],
                     with_facts: bool = True) -> None:
        def line_of(name: str) -> int | None:
            lines = record.lines.get(name)
            return lines[0] if lines else None

        scalars = self.weak if spec.weak else self.scalars
        if not with_facts:
            scalars = {}

        any_line = min((ls[0] for ls in record.lines.values() if ls), default=None)
        for name, path in spec.facts.items():
            value = record.values.get(name)
            if isinstance(value, list):
                if fm.FACT_KINDS[path] == "list":
                    if value:
                        number = line_of(name)
                        scalars[path] = _Raw(list(value), number, text_of[number])
                    continue
                value = value[0] if value else ""
            mapping = spec.maps.get(name)
            if mapping is not None and (value or "") in mapping:
                number = line_of(name) or any_line
                if number is not None:
                    scalars[path] = _Raw(mapping[value or ""], number, text_of[number])
            elif value:
                number = line_of(name)
                scalars[path] = _Raw(value, number, text_of[number])
        for path, fmt in spec.compose.items():
            composed = _compose(fmt, record)
            if composed is not None:
                number = composed[1]
                scalars[path] = _Raw(composed[0], number, text_of[number])
        rows = spec.rows
        if rows and record.values.get(rows["key"]):
            # A row is quoted by its most telling line (rows.cite), else by its key's line.
            number = line_of(rows.get("cite", rows["key"])) or line_of(rows["key"])
            values = {field_name: record.values.get(name, "")
                      for name, field_name in rows["fields"].items()}
            for field_name, fmt in (rows.get("compose") or {}).items():
                composed = _compose(fmt, record)
                values[field_name] = composed[0] if composed else ""
            field_lines = {field_name: (line_of(name), text_of[line_of(name)])
                           for name, field_name in rows["fields"].items() if line_of(name)}
            self.rows.setdefault(rows["into"], []).append(
                (values, _Raw(None, number, text_of[number]), field_lines))


def _compose(fmt: str, record: Record) -> tuple[str, int] | None:
    names = [f for _, f, _, _ in string.Formatter().parse(fmt) if f]
    if not all(record.values.get(n) for n in names):
        return None
    first = min(record.lines[n][0] for n in names)
    return fmt.format(**{n: record.values[n] for n in names}), first


def extract_facts(device: DeviceCapture, lines: Sequence[str], catalog: Catalog,
                  headers: Sequence[tuple[int, str]] = ()) -> tuple[fm.Facts, list[ParseGap]]:
    """Run every template that applies to the device's sections and build its facts;
    ``headers`` are the capture's exec timestamp lines (their clock readings)."""
    collector = _Collector(device.file)
    for section in device.sections:
        if section.command is None:
            continue
        for spec in catalog.templates_for.get(section.command, []):
            collector.take(spec, section.lines, section.command)
    numbered = device.numbered_lines(lines)
    for scope in catalog.line_scopes:
        matching = [(n, t) for n, t in numbered if scope.filter.search(t)]
        if matching:
            collector.take(scope.template, matching, None)
    if headers and catalog.header_template is not None:
        mine = [(n, t) for n, t in headers
                if any(start < n <= end for start, end in device.line_ranges)]
        if mine:
            collector.take(catalog.header_template, mine, None)
    facts = _build(collector, catalog)
    first = device.first_line
    facts.device.first_line = fm.Fact(first[1], device.file, first[0], first[1])
    answered: set[str] = set()
    for section in device.sections:
        if section.command is None:
            continue
        rejection = next(((n, t) for n, t in section.lines[:REJECTION_LINES]
                          if REJECTED_OUTPUT.match(t)),
                         None)
        if rejection is None:
            answered.add(section.command)
        elif section.command in catalog.licensing:
            # The switch refused a licensing command: a release without Smart Licensing,
            # or a command this release does not have.
            typed = section.typed if section.form != "show-tech" else section.command
            facts.device.rejected_license_command = fm.Fact(
                typed, device.file, rejection[0], rejection[1])
    for section in device.sections:
        if (section.configuration and not section.filtered and not section.fragment
                and section.command in answered):
            number = section.header_line or section.lines[0][0]
            facts.device.full_config = fm.Fact(True, device.file, number, lines[number - 1])
    if device.collection is not None:
        header = device.collection
        facts.device.collected_by_sldiag = fm.Fact(True, device.file, *header.line)
        for number, text, gap in header.gaps:
            need, _, detail = gap.partition(":")
            facts.collection_gaps.append(fm.Row({"need": need.strip(), "detail": detail.strip()},
                                                device.file, number, text))
    if answered:
        facts.device.commands = fm.Fact(sorted(answered), device.file, first[0], first[1])
    licensing = sorted(c for c in answered if c in catalog.licensing)
    if licensing:
        facts.device.license_commands = fm.Fact(licensing, device.file, first[0], first[1])
    return facts, collector.gaps


def _build(collector: _Collector, catalog: Catalog) -> fm.Facts:
    facts = fm.Facts()
    file = collector.file
    zones = catalog.timezones

    def gap(raw: _Raw, reason: str) -> None:
        collector.gaps.append(ParseGap(file, raw.line, raw.text, None, reason))

    def convert(kind: str, raw: _Raw, year_hint: int | None, quiet: bool = False) -> Any:
        value = raw.value
        if not isinstance(value, str):
            return value
        if value.strip().lower() in EMPTY_VALUES:
            return None
        try:
            if kind == "datetime":
                parsed, warning = fm.parse_datetime(value, zones, year_hint)
                if warning:
                    gap(raw, warning)
                return parsed
            if kind == "duration":
                return fm.parse_duration(value)
            if kind == "int":
                return int(value)
            if kind == "bool":
                return value.lower() in {"true", "yes", "enabled"}
        except (fm.ConversionError, ValueError) as exc:
            if not quiet:
                gap(raw, str(exc))
            return None
        return value

    # Facts only a weak source (a log line, an exec timestamp) shows.
    scalars = {**{p: r for p, r in collector.weak.items() if p not in collector.scalars},
               **collector.scalars}
    # The clock first: it supplies the year that syslog timestamps usually leave out.
    ordered = sorted(scalars.items(), key=lambda kv: kv[0] != "clock.time")
    year_hint: int | None = None
    for path, raw in ordered:
        value = convert(fm.FACT_KINDS[path], raw, year_hint)
        if value is None:
            continue
        facts.set(path, fm.Fact(value, file, raw.line, raw.text,
                                raw=raw.value if isinstance(raw.value, str) else ""))
        if path == "clock.time":
            year_hint = value.year
    for collection, rows in collector.rows.items():
        kinds = fm.ROW_KINDS[collection]
        target = facts.rows(collection)
        for values, where, field_lines in rows:
            converted: dict[str, Any] = {}
            for name, value in values.items():
                raw = _Raw(value, where.line, where.text)
                # A log line without a year is common and still useful: no gap for it.
                converted[name] = convert(kinds.get(name, "str"), raw, year_hint, quiet=True)
            target.append(fm.Row(converted, file, where.line, where.text, field_lines))
    return facts
