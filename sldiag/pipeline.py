"""The offline pipeline, one way through: capture -> sections -> facts -> findings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .capture import Capture, InputError, iter_input_paths, read_capture
from .catalog import Catalog, load_catalog
from .engine import (
    DeviceResult,
    derive_facts,
    hostname_of,
    licensing_mode,
    place_on_flowchart,
    reference_time,
    run_rules,
)
from .parsing import extract_facts
from .rules import Rule, Stage, load_flowchart, load_rules
from .sanitize import Sanitizer
from .sections import split_capture


@dataclass
class Knowledge:
    catalog: Catalog
    rules: list[Rule]
    flowchart: list[Stage] = field(default_factory=list)

    @classmethod
    def load(cls, extra_rule_dirs: list[Path] | None = None) -> Knowledge:
        return cls(load_catalog(), load_rules(extra_rule_dirs), load_flowchart())


@dataclass
class Analysis:
    results: list[DeviceResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)     # explicitly named inputs that failed
    warnings: list[str] = field(default_factory=list)   # files skipped inside a folder


def analyse_capture(capture: Capture, knowledge: Knowledge,
                    sanitizer: Sanitizer | None = None) -> list[DeviceResult]:
    """Analyse one capture; with a sanitizer, secrets leave its lines before anything else."""
    if sanitizer is not None:
        capture.lines = sanitizer.lines(capture.lines)
    results = []
    for device in split_capture(capture, knowledge.catalog):
        facts, gaps = extract_facts(device, capture.lines, knowledge.catalog)
        derive_facts(facts)
        result = DeviceResult(
            hostname=hostname_of(device.prompt_hostname, facts), source=capture.name,
            facts=facts, gaps=gaps, mode=licensing_mode(facts),
            reference_time=reference_time(facts), lines=capture.lines,
            sections=device.sections, sanitized=sanitizer is not None)
        run_rules(result, knowledge.rules)
        place_on_flowchart(result, knowledge.flowchart)
        results.append(result)
    return results


def analyse_paths(paths: list[str], knowledge: Knowledge, encoding: str | None = None,
                  redact: frozenset[str] = frozenset(), show_secrets: bool = False
                  ) -> Analysis:
    analysis = Analysis()
    sanitizer = None if show_secrets else Sanitizer(redact)
    for path, explicit in _inputs(paths, analysis):
        try:
            capture = read_capture(path, encoding)
            analysis.results.extend(analyse_capture(capture, knowledge, sanitizer))
        except InputError as exc:
            (analysis.errors if explicit else analysis.warnings).append(str(exc))
    return analysis


def _inputs(paths: list[str], analysis: Analysis) -> Iterator[tuple[str, bool]]:
    for path in paths:
        try:
            yield from iter_input_paths([path])
        except InputError as exc:
            analysis.errors.append(str(exc))
