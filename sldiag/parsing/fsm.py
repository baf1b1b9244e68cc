"""Running a TextFSM template the tolerant way, with each value's line remembered.

The template is read by TextFSM itself (``textfsm.TextFSM``: its documented ``values``,
``states`` and rule attributes ``regex``, ``line_op``, ``record_op``, ``new_state``), once per
change of the file: what it read is kept as data in sldiag's cache (base/resources.py);
the run is sldiag's, with TextFSM's semantics (Filldown, Fillup, Required, List, Key; Next,
Continue, Error; Record, NoRecord, Clear, Clearall; implicit EOF record). Two differences, the
reasons this runner exists: a line the template answers with ``Error`` (ntc-templates' way of
refusing an unknown line) is noted and skipped instead of ending the parse, and every value
remembers the input lines it came from (provenance for evidence). tests/test_parsers.py checks
that both give the same records on every fixture.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.resources import fingerprint, read_cache, write_cache


@dataclass
class Record:
    values: dict[str, Any]
    lines: dict[str, list[int]]  # value name -> 1-based line numbers it came from


@dataclass(frozen=True)
class _Rule:
    match: Any               # the compiled pattern of TextFSM's expanded rule
    line_op: str             # Next | Continue | Error
    record_op: str           # NoRecord | Record | Clear | Clearall
    new_state: str


@dataclass(frozen=True)
class _ValueSpec:
    name: str
    filldown: bool
    fillup: bool
    required: bool
    is_list: bool
    nested: Any              # the value's own pattern, when a List value has named groups


class Template:
    """A TextFSM template, read once."""

    def __init__(self, path: Path) -> None:
        try:
            self._build(_read_template(path))
        except (TypeError, ValueError, AttributeError, re.error):  # a damaged cache entry
            self._build(_read_template(path, use_cache=False))

    def _build(self, read: dict[str, Any]) -> None:
        self.values = [self._value(name, regex, options) for name, regex, options in
                       read["values"]]
        self.names = [v.name for v in self.values]
        self.states = {name: [_Rule(re.compile(regex), line_op, record_op, new_state)
                              for regex, line_op, record_op, new_state in rules]
                       for name, rules in read["states"].items()}

    @staticmethod
    def _value(name: str, regex: str, options: list[str]) -> _ValueSpec:
        own = re.compile(regex)   # the value's pattern, its outer group included
        nested = own if "List" in options and own.groups > 1 else None
        return _ValueSpec(name, "Filldown" in options, "Fillup" in options,
                          "Required" in options, "List" in options, nested)

    def parse(self, numbered: list[tuple[int, str]]) -> tuple[list[Record], list[int]]:
        """Records and the lines the template refused (``Error``), for numbered lines."""
        return _Run(self).over(numbered)


@dataclass
class _Run:
    template: Template
    current: dict[str, Any] = field(default_factory=dict)
    remembered: dict[str, Any] = field(default_factory=dict)     # Filldown values
    lists: dict[str, list[Any]] = field(default_factory=dict)    # List values so far
    origin: dict[str, list[int]] = field(default_factory=dict)
    rows: list[list[Any]] = field(default_factory=list)
    origins: list[dict[str, list[int]]] = field(default_factory=list)

    def over(self, numbered: list[tuple[int, str]]) -> tuple[list[Record], list[int]]:
        self._clear_all()
        state = "Start"
        refused: list[int] = []
        for number, line in numbered:
            state = self._line(state, number, line, refused)
            if state in ("End", "EOF"):
                break
        if state != "End" and "EOF" not in self.template.states:
            self._append()
        names = self.template.names
        records: list[Record] = []
        self.rows.reverse()
        self.origins.reverse()
        while self.rows:  # each row freed as its record is made (20,000 log lines at most)
            records.append(Record(dict(zip(names, self.rows.pop(), strict=True)),
                                  self.origins.pop()))
        return records, refused

    def _line(self, state: str, number: int, line: str, refused: list[int]) -> str:
        for rule in self.template.states[state]:
            matched = rule.match.match(line)
            if matched is None:
                continue
            for name in matched.groupdict():
                if name in self.current:
                    self._assign(name, matched.group(name), number)
            if rule.record_op == "Record":
                self._append()
            elif rule.record_op == "Clear":
                self._clear()
            elif rule.record_op == "Clearall":
                self._clear_all()
            if rule.line_op == "Error":
                refused.append(number)
                return state
            if rule.line_op == "Continue":
                continue
            return rule.new_state or state
        return state

    def _assign(self, name: str, text: str | None, number: int) -> None:
        spec = self._spec(name)
        self.current[name] = text
        if text is not None:
            self.origin.setdefault(name, []).append(number)
        if spec.filldown:
            self.remembered[name] = text
        if spec.fillup and text:
            column = self.template.names.index(name)
            for row in reversed(self.rows):
                if row[column]:
                    break
                row[column] = text
        if spec.is_list:
            nested = spec.nested.match(text) if spec.nested is not None and text else None
            self.lists[name].append(nested.groupdict() if nested and nested.groupdict()
                                    else text)

    def _spec(self, name: str) -> _ValueSpec:
        return self.template.values[self.template.names.index(name)]

    def _append(self) -> None:
        record = []
        for spec in self.template.values:
            value = list(self.lists[spec.name]) if spec.is_list else self.current[spec.name]
            if spec.required and not value:
                self._clear()
                return
            record.append(value)
        if all(v is None or v == [] for v in record):
            return
        self.rows.append(["" if v is None else v for v in record])
        self.origins.append(dict(self.origin))
        self._clear()

    def _clear(self) -> None:
        for spec in self.template.values:
            self.current[spec.name] = self.remembered.get(spec.name) if spec.filldown else None
            if spec.is_list and not spec.filldown:
                self.lists[spec.name] = []
        kept = {spec.name for spec in self.template.values if spec.filldown}
        self.origin = {k: v for k, v in self.origin.items() if k in kept}

    def _clear_all(self) -> None:
        for spec in self.template.values:
            self.current[spec.name] = None
            self.remembered.pop(spec.name, None)
            self.lists[spec.name] = []
        self.origin = {}


def _read_template(path: Path, use_cache: bool = True) -> dict[str, Any]:
    """What TextFSM reads in a template: values (name, pattern, options) and states (rules
    of expanded pattern and operators), from the cache while the file and TextFSM are
    unchanged."""
    name = f"textfsm-{fingerprint([path], _textfsm_release())}.marshal"
    read = read_cache(name) if use_cache else None
    if isinstance(read, dict) and read.keys() == {"values", "states"}:
        return read
    import textfsm

    with open(path, encoding="utf-8") as fh:
        fsm = textfsm.TextFSM(fh)
    read = {"values": [[v.name, v.regex, list(v.OptionNames())] for v in fsm.values],
            "states": {state: [[rule.regex, rule.line_op or "Next",
                                rule.record_op or "NoRecord", rule.new_state or ""]
                               for rule in rules]
                       for state, rules in fsm.states.items()}}
    write_cache(name, read)
    return read


def _textfsm_release() -> str:
    """The installed TextFSM's parser, by size and time (importing it would cost the time
    the cache saves): another release may expand a template otherwise."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("textfsm")
    except (ImportError, ValueError):
        spec = None
    origin = Path(spec.origin).with_name("parser.py") if spec and spec.origin else None
    try:
        info = origin.stat() if origin else None
    except OSError:
        info = None
    return f"textfsm {info.st_size} {info.st_mtime_ns}" if info else "textfsm"


# A template is read once per thread (fleet collection analyses devices in threads; a run
# keeps its own state, but reading is cheap enough not to share across threads).
_TEMPLATES = threading.local()


def template_at(path: Path) -> Template:
    cache: dict[Path, Template] = _TEMPLATES.__dict__.setdefault("templates", {})
    template = cache.get(path)
    if template is None:
        template = cache[path] = Template(path)
    return template
