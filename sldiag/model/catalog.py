"""The command catalog: parsers/index.yaml compiled for use (names, platforms, detection,
completeness, templates and how their values become facts)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml_cached, ntc_templates_dir
from . import facts as facts_model
from .platforms import PLATFORMS

# What IOS prints instead of output when it refuses a command (one line each; re.M so a
# whole output can be searched too).
REJECTED_OUTPUT = re.compile(r"^\s*(?:% (?:Invalid input detected|Incomplete command|"
                             r"Ambiguous command|Unrecognized command|Authorization failed)|"
                             r"Command authorization failed)", re.M)
# It shows in the first lines of the output; the streaming reader of large captures keeps
# those of an output it does not read only when they hold the '%'.
REJECTION_LINES = 3
REJECTION_HINT = re.compile(rb"%")


@dataclass
class Detector:
    command: str
    start: re.Pattern[str]
    requires: re.Pattern[str] | None
    not_within: frozenset[str]
    fragment: bool


@dataclass
class TemplateSpec:
    name: str
    path: Path
    facts: dict[str, str]                      # VALUE -> fact path
    maps: dict[str, dict[str, Any]]            # VALUE -> {printed: value}
    compose: dict[str, str]                    # fact path -> format string
    rows: dict[str, Any] | None
    weak: bool = False    # its facts never replace one a command's own output printed
    first: bool = False   # the first record gives the facts (default: later output wins)


@dataclass
class LineScope:
    filter: re.Pattern[str]
    template: TemplateSpec


@dataclass
class RowFact:
    """A fact a log row shows when no command printed it (e.g. the transport a COMM_FAILED
    message names): ``value`` as given, or the first group of ``regex`` in field ``take``."""

    rows: str
    match: dict[str, re.Pattern[str]]
    fact: str
    value: Any = None
    take: str | None = None
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True)
class ClockFloor:
    """A date the device printed as past: the clock has reached it (less ``minus_days``
    days, a fact: a next push is one reporting interval after the last)."""

    label: str
    fact: str | None = None
    minus_days: str | None = None
    rows: str | None = None
    field: str | None = None


@dataclass
class Catalog:
    commands: list[str]
    platforms: dict[str, tuple[str, ...]]     # command -> the platforms that have it
    licensing: frozenset[str]
    configuration: frozenset[str]
    complete: dict[str, re.Pattern[str]]
    detectors: list[Detector]
    templates_for: dict[str, list[TemplateSpec]]
    line_scopes: list[LineScope]
    timezones: dict[str, float]
    license_tiers: dict[str, re.Pattern[str]] = field(default_factory=dict)
    skip_children: dict[str, tuple[str, ...]] = field(default_factory=dict)
    row_facts: list[RowFact] = field(default_factory=list)
    fact_fallbacks: list[tuple[str, str]] = field(default_factory=list)  # (fact, taken from)
    header_template: TemplateSpec | None = None   # `terminal exec prompt timestamp` lines
    clock_floors: list[ClockFloor] = field(default_factory=list)
    _words: list[tuple[str, list[str]]] = field(default_factory=list)
    _canonical: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._words = [(c, c.split()) for c in self.commands]

    def canonical_command(self, typed: str) -> str | None:
        """'sh lic all' -> 'show license all'; None when unknown or ambiguous."""
        # A show tech repeats the same few commands: remember the answers.
        if typed not in self._canonical:
            if len(self._canonical) > 4096:
                self._canonical.clear()
            self._canonical[typed] = self._canonical_command(typed)
        return self._canonical[typed]

    def _canonical_command(self, typed: str) -> str | None:
        words = typed.lower().split()
        if not words or len(words[0]) < 2:
            return None
        best: list[str] = []
        best_len = 0
        for command, cwords in self._words:
            n = len(cwords)
            if n > len(words) or n < best_len:
                continue
            if all(cw.startswith(w) for w, cw in zip(words[:n], cwords, strict=False)):
                if words[:n] == cwords and n == len(words):
                    return command  # typed in full
                if n > best_len:
                    best, best_len = [command], n
                else:
                    best.append(command)
        return best[0] if len(best) == 1 else None

    def detect_start(self, lines: Sequence[str], index: int, end: int,
                     current: str | None) -> Detector | None:
        """The command whose output starts at ``lines[index]``, if any."""
        line = lines[index]
        for det in self.detectors:
            if current is not None and current in det.not_within:
                continue
            if not det.start.search(line):
                continue
            if det.requires is not None:
                window = lines[index:min(end, index + 80)]
                if not any(det.requires.search(w) for w in window):
                    continue
            return det
        return None

    def complete_pattern(self, command: str) -> re.Pattern[str] | None:
        return self.complete.get(command)

    def read_whole(self, command: str | None) -> bool:
        """Whether a large capture keeps this command's whole output (facts come from it)."""
        return command is not None and (command in self.licensing
                                        or bool(self.templates_for.get(command)))


def load_catalog(index: dict[str, Any] | None = None,
                 timezones: dict[str, Any] | None = None) -> Catalog:
    base = data_dir("parsers")
    index = index if index is not None else load_yaml_cached(base / "index.yaml")
    timezones = timezones if timezones is not None else load_yaml_cached(base / "timezones.yaml")
    where = base / "index.yaml"
    try:
        specs = {name: _template_spec(name, body, base)
                 for name, body in (index.get("templates") or {}).items()}
        commands, licensing, complete, detectors, templates_for = [], set(), {}, [], {}
        configuration = set()
        skip_children: dict[str, tuple[str, ...]] = {}
        platforms: dict[str, tuple[str, ...]] = {}
        for entry in index["commands"]:
            command = entry["command"]
            commands.append(command)
            platforms[command] = _platforms(entry, where)
            if entry.get("licensing"):
                licensing.add(command)
            if entry.get("configuration"):
                configuration.add(command)
            if entry.get("skip_children_of"):
                skip_children[command] = tuple(str(w) for w in entry["skip_children_of"])
            if entry.get("complete"):
                complete[command] = re.compile(entry["complete"])
            detect = entry.get("detect") or []
            for det in detect if isinstance(detect, list) else [detect]:
                detectors.append(Detector(
                    command=command, start=re.compile(det["start"]),
                    requires=re.compile(det["requires"]) if det.get("requires") else None,
                    not_within=frozenset(det.get("not_within", [])),
                    fragment=bool(det.get("fragment"))))
            templates_for[command] = [specs[t] for t in entry.get("templates", [])]
        scopes = [LineScope(re.compile(s["filter"]), specs[s["template"]])
                  for s in index.get("line_scopes", [])]
        tiers = {name: re.compile(rx)
                 for name, rx in (index.get("license_tiers") or {}).items()}
        row_facts = [_row_fact(entry, where) for entry in index.get("row_facts") or []]
        header = specs[index["exec_timestamp"]] if index.get("exec_timestamp") else None
        fallbacks = [(str(e["fact"]), str(e["from"])) for e in index.get("fact_fallbacks") or []]
        floors = [_clock_floor(entry, where) for entry in index.get("clock_floors") or []]
        for pair in fallbacks:
            for path_ in pair:
                if not facts_model.is_known_path(path_):
                    raise DataError(f"{where}: fact_fallbacks: unknown fact '{path_}'")
    except (KeyError, TypeError, re.error) as exc:
        raise DataError(f"{where}: invalid entry ({type(exc).__name__}: {exc})") from None
    return Catalog(commands=commands, platforms=platforms, licensing=frozenset(licensing),
                   configuration=frozenset(configuration), complete=complete,
                   detectors=detectors, templates_for=templates_for, line_scopes=scopes,
                   license_tiers=tiers, skip_children=skip_children, row_facts=row_facts,
                   header_template=header, fact_fallbacks=fallbacks, clock_floors=floors,
                   timezones={str(k).upper(): float(v) for k, v in timezones.items()})


def _clock_floor(entry: dict[str, Any], where: Path) -> ClockFloor:
    floor = ClockFloor(str(entry["label"]), entry.get("fact"), entry.get("minus_days"),
                       entry.get("rows"), entry.get("field"))
    for path in (floor.fact, floor.minus_days):
        if path is not None and not facts_model.is_known_path(path):
            raise DataError(f"{where}: clock_floors: unknown fact '{path}'")
    if floor.rows is not None and floor.field not in facts_model.ROW_FIELDS.get(floor.rows, ()):
        raise DataError(f"{where}: clock_floors: rows of '{floor.rows}' have no field "
                        f"'{floor.field}'")
    if (floor.fact is None) == (floor.rows is None):
        raise DataError(f"{where}: clock_floors: give a fact or rows with a field")
    return floor


def _row_fact(entry: dict[str, Any], where: Path) -> RowFact:
    if entry["rows"] not in facts_model.ROW_KINDS:
        raise DataError(f"{where}: row_facts: unknown collection '{entry['rows']}'")
    if not facts_model.is_known_path(entry["fact"]):
        raise DataError(f"{where}: row_facts: unknown fact '{entry['fact']}'")
    if ("value" in entry) == ("take" in entry):
        raise DataError(f"{where}: row_facts: give either value or take (with regex) for "
                        f"'{entry['fact']}'")
    return RowFact(rows=entry["rows"], fact=entry["fact"], value=entry.get("value"),
                   match={k: re.compile(v) for k, v in (entry.get("match") or {}).items()},
                   take=entry.get("take"),
                   regex=re.compile(entry["regex"]) if entry.get("regex") else None)


def _template_spec(name: str, body: dict[str, Any], base: Path) -> TemplateSpec:
    file = body["file"]
    ntc = file.startswith("ntc:")
    path = ntc_templates_dir() / file[4:] if ntc else base / "templates" / file
    if not path.is_file():
        raise DataError(f"{base / 'index.yaml'}: template '{name}' names missing file {path}")
    facts: dict[str, str] = {}
    maps: dict[str, dict[str, Any]] = {}
    for value, target in (body.get("facts") or {}).items():
        if isinstance(target, dict):
            facts[value] = target["fact"]
            maps[value] = {str(k): v for k, v in (target.get("map") or {}).items()}
        else:
            facts[value] = target
    compose = dict(body.get("compose") or {})
    for path_ in list(facts.values()) + list(compose):
        if not facts_model.is_known_path(path_):
            raise DataError(f"{base / 'index.yaml'}: template '{name}' maps to unknown fact "
                            f"'{path_}'")
    rows = body.get("rows")
    if rows is not None and rows["into"] not in facts_model.ROW_KINDS:
        raise DataError(f"{base / 'index.yaml'}: template '{name}' rows go into unknown "
                        f"collection '{rows['into']}'")
    if rows is not None:
        known = set(facts_model.ROW_FIELDS[rows["into"]])
        unknown = (set(rows["fields"].values()) | set(rows.get("compose") or {})) - known
        if unknown:
            raise DataError(f"{base / 'index.yaml'}: template '{name}' maps to unknown "
                            f"{rows['into']} fields {', '.join(sorted(unknown))}")
    return TemplateSpec(name=name, path=path, facts=facts, maps=maps, compose=compose, rows=rows,
                        weak=bool(body.get("weak")), first=body.get("record") == "first")


def _platforms(entry: dict[str, Any], where: Path) -> tuple[str, ...]:
    named = entry.get("platforms")
    if not isinstance(named, list) or not named:
        raise DataError(f"{where}: command '{entry['command']}': 'platforms' must list the "
                        "platforms that have it")
    unknown = [p for p in named if p not in PLATFORMS]
    if unknown:
        raise DataError(f"{where}: command '{entry['command']}': unknown platform "
                        f"{', '.join(map(str, unknown))} (parsers/platforms.yaml names them)")
    return tuple(named)
