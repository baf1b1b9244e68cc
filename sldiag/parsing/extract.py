"""Parsing: sections in, facts out, through the TextFSM templates named in parsers/index.yaml.

TextFSM itself stops at the first line a template does not expect (``^. -> Error``, the
ntc-templates convention). Here such a line becomes a :class:`ParseGap` and parsing goes
on with the next line, so one unexpected line never costs the rest of the output.
"""

from __future__ import annotations

import string
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..base.limits import MAX_KEPT_LOG_LINES, MAX_PARSE_GAPS
from ..model import facts as fm
from ..model.catalog import REJECTED_OUTPUT, REJECTION_LINES, Catalog, TemplateSpec
from ..model.results import ParseGap
from ..model.values import EMPTY_VALUES, ConversionError, parse_datetime, parse_duration
from ..reading.sections import DeviceSections
from ..sanitizing.sanitizer import withheld
from .fsm import Record, template_at


def run_template(spec: TemplateSpec, numbered: list[tuple[int, str]]
                 ) -> tuple[list[Record], list[int]]:
    return template_at(spec.path).parse(numbered)


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
    unlisted: int = 0   # gaps past MAX_PARSE_GAPS: counted, not listed

    def take(self, spec: TemplateSpec, numbered: list[tuple[int, str]], command: str | None
             ) -> None:
        records, errors = run_template(spec, numbered)
        text_of = dict(numbered) if errors else {}
        for number in errors:
            if len(self.gaps) >= MAX_PARSE_GAPS:
                self.unlisted += 1
                continue
            # A line no template expects may hold a secret in a form no rule knows: its
            # value is withheld (file and line say where to look).
            self.gaps.append(ParseGap(self.file, number, withheld(text_of.get(number, "")),
                                      command, f"line not expected by template "
                                               f"{spec.path.name} (value withheld)", True))
        if records and not text_of:
            text_of = dict(numbered)
        records.reverse()
        n = 0
        while records:  # each record freed once taken: 20,000 log lines stay in bounds
            self._take_record(spec, records.pop(), text_of, with_facts=not spec.first or n == 0)
            n += 1

    def _take_record(self, spec: TemplateSpec, record: Record, text_of: dict[int, str],
                     with_facts: bool = True) -> None:
        first = min((ls[0] for ls in record.lines.values() if ls), default=0)

        def line_of(name: str) -> int:
            """The line a value came from (the record's first line for one no line gave)."""
            lines = record.lines.get(name)
            return lines[0] if lines else first

        def raw(value: Any, number: int) -> _Raw:
            return _Raw(value, number, text_of.get(number, ""))

        if with_facts:
            self._take_facts(spec, record, line_of, raw)
        rows = spec.rows
        if rows and record.values.get(rows["key"]):
            # A row is quoted by its most telling line (rows.cite), else by its key's line.
            cited = rows.get("cite", rows["key"])
            number = line_of(cited) if record.lines.get(cited) else line_of(rows["key"])
            values = {field_name: record.values.get(name, "")
                      for name, field_name in rows["fields"].items()}
            for field_name, fmt in (rows.get("compose") or {}).items():
                composed = _compose(fmt, record)
                values[field_name] = composed[0] if composed else ""
            field_lines: dict[str, tuple[int, str]] = {}
            where: dict[int, tuple[int, str]] = {}  # the fields of one line share its pair
            for name, field_name in rows["fields"].items():
                if record.lines.get(name):
                    at = line_of(name)
                    field_lines[field_name] = where.setdefault(at, (at, text_of.get(at, "")))
            self.rows.setdefault(rows["into"], []).append((values, raw(None, number),
                                                           field_lines))

    def _take_facts(self, spec: TemplateSpec, record: Record, line_of: Any, raw: Any) -> None:
        scalars = self.weak if spec.weak else self.scalars
        for name, path in spec.facts.items():
            value = record.values.get(name)
            if isinstance(value, list):
                if fm.FACT_KINDS[path] == "list":
                    if value:
                        scalars[path] = raw(list(value), line_of(name))
                    continue
                value = value[0] if value else ""
            mapping = spec.maps.get(name)
            if mapping is not None and (value or "") in mapping:
                if record.lines:
                    scalars[path] = raw(mapping[value or ""], line_of(name))
            elif value:
                scalars[path] = raw(value, line_of(name))
        for path, fmt in spec.compose.items():
            composed = _compose(fmt, record)
            if composed is not None:
                scalars[path] = raw(composed[0], composed[1])


def _compose(fmt: str, record: Record) -> tuple[str, int] | None:
    names = [f for _, f, _, _ in string.Formatter().parse(fmt) if f]
    if not all(record.values.get(n) for n in names):
        return None
    first = min(record.lines[n][0] for n in names)
    return fmt.format(**{n: record.values[n] for n in names}), first


def extract_facts(device: DeviceSections, lines: Sequence[str], catalog: Catalog,
                  headers: Sequence[tuple[int, str]] = (),
                  limits: list[tuple[int, str]] | None = None
                  ) -> tuple[fm.Facts, list[ParseGap]]:
    """Run every template that applies to the device's sections and build its facts;
    ``headers`` are the capture's exec timestamp lines (their clock readings); a bound of
    limits.py reached is added to ``limits`` (1-based line, what was left out)."""
    collector = _Collector(device.file)
    for section in device.sections:
        if section.command is None or refusal(section) is not None:
            continue  # a refused command printed no output to read (it is a fact, no gap)
        for spec in catalog.templates_for.get(section.command, []):
            collector.take(spec, section.lines, section.command)
    for scope in catalog.line_scopes:
        # The latest lines are what rules judge by (each line becomes a row): only those are
        # kept while the device's lines go by.
        latest: deque[tuple[int, str]] = deque(maxlen=MAX_KEPT_LOG_LINES)
        first, count = 0, 0
        for n, text in device.iter_numbered_lines(lines):
            if scope.filter.search(text):
                first, count = first or n, count + 1
                latest.append((n, text))
        matching = list(latest)
        if count > MAX_KEPT_LOG_LINES:
            note = (first, f"more than {MAX_KEPT_LOG_LINES:,} licensing log lines: "
                    f"the latest {MAX_KEPT_LOG_LINES:,} were read (from line "
                    f"{matching[0][0]})")
            if limits is not None and note not in limits:
                limits.append(note)
        if matching:
            collector.take(scope.template, matching, None)
            device.scoped_lines += [n for n, _ in matching]
    if headers and catalog.header_template is not None:
        mine = [(n, t) for n, t in headers
                if any(start < n <= end for start, end in device.line_ranges)]
        if mine:
            collector.take(catalog.header_template, mine, None)
    facts = _build(collector, catalog)
    _capture_facts(facts, device, lines, catalog)
    if collector.unlisted:
        last = collector.gaps[-1]
        collector.gaps.append(ParseGap(
            device.file, last.line, "", None,
            f"and {collector.unlisted:,} more lines no template expects, not listed (at most "
            f"{MAX_PARSE_GAPS:,} are)", True))
    return facts, collector.gaps


def refusal(section: Any) -> tuple[int, str] | None:
    """The line where the switch refused the command ("% Invalid input detected"), if it did."""
    return next(((n, t) for n, t in section.lines[:REJECTION_LINES]
                 if REJECTED_OUTPUT.match(t)), None)


def _capture_facts(facts: fm.Facts, device: DeviceSections, lines: Sequence[str],
                   catalog: Catalog) -> None:
    """Facts about the capture itself: its first line, the commands it answered, a
    licensing command refused, a whole configuration, what sldiag collect could not read."""
    file, first = device.file, device.first_line
    facts.set("device.first_line", fm.Fact(first[1], file, first[0], first[1]))
    answered: set[str] = set()
    for section in device.sections:
        if section.command is None:
            continue
        rejection = refusal(section)
        if rejection is None:
            answered.add(section.command)
        elif section.command in catalog.licensing:
            # The switch refused a licensing command: a release without Smart Licensing,
            # or a command this release does not have.
            typed = section.typed if section.form != "show-tech" else section.command
            facts.set("device.rejected_license_command",
                      fm.Fact(typed, file, rejection[0], rejection[1]))
    for section in device.sections:
        if (section.configuration and not section.filtered and not section.fragment
                and section.command in answered):
            number = section.header_line or section.lines[0][0]
            facts.set("device.full_config", fm.Fact(True, file, number, lines[number - 1]))
    if device.cut is not None:
        cut = device.cut
        facts.set("device.cut_output", fm.Fact(cut.command, file, cut.last_line, cut.last_text))
    if device.collection is not None:
        header = device.collection
        facts.set("device.collected_by_sldiag", fm.Fact(True, file, *header.line))
        for number, text, gap in header.gaps:
            need, _, detail = gap.partition(":")
            facts.rows("collection_gaps").append(
                fm.Row({"need": need.strip(), "detail": detail.strip()}, file, number, text))
    if answered:
        facts.set("device.commands", fm.Fact(sorted(answered), file, first[0], first[1]))
    licensing = sorted(c for c in answered if c in catalog.licensing)
    if licensing:
        facts.set("device.license_commands", fm.Fact(licensing, file, first[0], first[1]))


def _shows_nothing(value: str, configured: bool) -> bool:
    """"<none>" in an output means nothing shown; a configuration's keyword "none"
    (revocation-check none) is a setting."""
    return value.strip().lower() in EMPTY_VALUES and not (configured and value.strip())


def _build(collector: _Collector, catalog: Catalog) -> fm.Facts:
    facts = fm.Facts()
    file = collector.file
    zones = catalog.timezones

    def gap(raw: _Raw, reason: str) -> None:
        collector.gaps.append(ParseGap(file, raw.line, raw.text, None, reason))

    def convert(kind: str, raw: _Raw, year_hint: int | None, quiet: bool = False,
                configured: bool = False) -> Any:
        value = raw.value
        if not isinstance(value, str):
            return value
        if _shows_nothing(value, configured):
            return None
        try:
            if kind == "datetime":
                parsed, warning = parse_datetime(value, zones, year_hint)
                if warning:
                    gap(raw, warning)
                return parsed
            if kind == "duration":
                return parse_duration(value)
            if kind == "int":
                return int(value)
            if kind == "bool":
                return value.lower() in {"true", "yes", "enabled"}
        except (ConversionError, ValueError) as exc:
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
        value = convert(fm.FACT_KINDS[path], raw, year_hint,
                        configured=path.startswith("config."))
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
