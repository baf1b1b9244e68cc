"""The offline pipeline, one way through: capture -> sections -> facts -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .capture import Capture, InputError, iter_input_paths
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
from .parsing import ParseGap, extract_facts
from .rules import Rule, Stage, load_flowchart, load_modes, load_rules
from .sanitize import Sanitizer
from .sections import split_capture
from .streaming import LARGE_CAPTURE_BYTES, read_capture


@dataclass
class Knowledge:
    catalog: Catalog
    rules: list[Rule]
    flowchart: list[Stage] = field(default_factory=list)
    modes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @classmethod
    def load(cls, extra_rule_dirs: list[Path] | None = None) -> Knowledge:
        return cls(load_catalog(), load_rules(extra_rule_dirs), load_flowchart(), load_modes())


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
        gaps += [ParseGap(capture.name, line, capture.lines[line - 1], None, reason)
                 for line, reason in capture.notes]
        derive_facts(facts, knowledge.catalog.license_tiers)
        result = DeviceResult(
            hostname=hostname_of(device.prompt_hostname, facts), source=capture.name,
            facts=facts, gaps=gaps, mode=licensing_mode(facts, knowledge.modes),
            reference_time=reference_time(facts), lines=capture.lines,
            sections=device.sections, sanitized=sanitizer is not None)
        run_rules(result, knowledge.rules)
        place_on_flowchart(result, knowledge.flowchart)
        results.append(result)
    return results


def analyse_paths(paths: list[str], knowledge: Knowledge | None, encoding: str | None = None,
                  redact: frozenset[str] = frozenset(), show_secrets: bool = False,
                  jobs: int = 1, extra_rule_dirs: list[Path] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  keep_text: bool = True, large_bytes: int = LARGE_CAPTURE_BYTES) -> Analysis:
    """Analyse every input; with ``jobs`` > 1 the files are spread over processes (parsing is
    CPU-bound), each loading the knowledge once. Results keep the order of the inputs.
    Captures over ``large_bytes`` are read streaming (see streaming.py)."""
    analysis = Analysis()
    inputs = list(_inputs(paths, analysis))
    if redact:  # one placeholder per value across all files needs one sanitizer: one process
        jobs = 1
    if jobs > 1 and len(inputs) > 1 and "-" not in (p for p, _ in inputs):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _WORKER_KNOWLEDGE
        args = [(path, encoding, show_secrets, keep_text, large_bytes) for path, _ in inputs]
        # Forked workers inherit the knowledge loaded here; elsewhere each loads its own.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        if context.get_start_method() == "fork":
            _WORKER_KNOWLEDGE = knowledge or Knowledge.load(extra_rule_dirs)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                                 initargs=(extra_rule_dirs,)) as pool:
            outcomes = pool.map(_worker_analyse, args, chunksize=max(1, len(args) // (jobs * 8)))
            for n, ((_, explicit), (results, error)) in enumerate(zip(inputs, outcomes,
                                                                      strict=True), 1):
                if error is not None:
                    (analysis.errors if explicit else analysis.warnings).append(error)
                analysis.results.extend(results)
                if progress:
                    progress(n, len(inputs))
        return analysis
    knowledge = knowledge or Knowledge.load(extra_rule_dirs)
    sanitizer = None if show_secrets else Sanitizer(redact)
    for n, (path, explicit) in enumerate(inputs, 1):
        try:
            capture = read_capture(path, knowledge.catalog, encoding, large_bytes)
            analysis.results.extend(analyse_capture(capture, knowledge, sanitizer))
        except InputError as exc:
            (analysis.errors if explicit else analysis.warnings).append(str(exc))
        if progress:
            progress(n, len(inputs))
    return analysis


_WORKER_KNOWLEDGE: Knowledge | None = None


def _worker_init(extra_rule_dirs: list[Path] | None) -> None:
    global _WORKER_KNOWLEDGE
    if _WORKER_KNOWLEDGE is None:  # not inherited from the parent (spawn start method)
        _WORKER_KNOWLEDGE = Knowledge.load(extra_rule_dirs)


def _worker_analyse(args: tuple[str, str | None, bool, bool, int]
                    ) -> tuple[list[DeviceResult], str | None]:
    path, encoding, show_secrets, keep_text, large_bytes = args
    assert _WORKER_KNOWLEDGE is not None
    try:
        capture = read_capture(path, _WORKER_KNOWLEDGE.catalog, encoding, large_bytes)
        sanitizer = None if show_secrets else Sanitizer()
        results = analyse_capture(capture, _WORKER_KNOWLEDGE, sanitizer)
        if not keep_text:  # the capture's text goes back only if the report shows it
            for result in results:
                result.lines, result.sections = [], []
        return results, None
    except InputError as exc:
        return [], str(exc)


def _inputs(paths: list[str], analysis: Analysis) -> Iterator[tuple[str, bool]]:
    for path in paths:
        try:
            yield from iter_input_paths([path])
        except InputError as exc:
            analysis.errors.append(str(exc))
