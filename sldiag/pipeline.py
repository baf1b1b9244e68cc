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
    decide_verdict,
    derive_facts,
    hostname_of,
    licensing_mode,
    place_on_flowchart,
    reference_time,
    run_rules,
)
from .parsing import ParseGap, extract_facts
from .rules import Rule, Stage, Verdict, load_flowchart, load_modes, load_rules, load_verdicts
from .sanitize import Sanitizer
from .sections import split_capture
from .streaming import LARGE_CAPTURE_BYTES, read_capture


@dataclass
class Knowledge:
    catalog: Catalog
    rules: list[Rule]
    flowchart: list[Stage] = field(default_factory=list)
    modes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)

    @classmethod
    def load(cls, extra_rule_dirs: list[Path] | None = None) -> Knowledge:
        return cls(load_catalog(), load_rules(extra_rule_dirs), load_flowchart(), load_modes(),
                   load_verdicts())


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
        facts, gaps = extract_facts(device, capture.lines, knowledge.catalog,
                                    capture.timestamp_headers)
        gaps += [ParseGap(capture.name, line, _line_text(capture, line), None, reason)
                 for line, reason in capture.notes]
        derive_facts(facts, knowledge.catalog, device.sections)
        result = DeviceResult(
            hostname=hostname_of(device.prompt_hostname, facts), source=capture.name,
            facts=facts, gaps=gaps, mode=licensing_mode(facts, knowledge.modes),
            reference_time=reference_time(facts), lines=capture.lines,
            sections=device.sections, sanitized=sanitizer is not None)
        run_rules(result, knowledge.rules)
        decide_verdict(result, knowledge.verdicts)
        place_on_flowchart(result, knowledge.flowchart)
        results.append(result)
    return results


def _line_text(capture: Capture, line: int) -> str:
    text = capture.lines[line - 1] if 0 < line <= len(capture.lines) else ""
    return text or capture.note_texts.get(line, "")


def analyse_paths(paths: list[str], knowledge: Knowledge | None, encoding: str | None = None,
                  redact: frozenset[str] = frozenset(), show_secrets: bool = False,
                  jobs: int = 1, extra_rule_dirs: list[Path] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  keep_text: bool = True, large_bytes: int = LARGE_CAPTURE_BYTES) -> Analysis:
    """Analyse every input; with ``jobs`` > 1 the files are spread over that many processes
    (parsing is CPU-bound): this one and ``jobs - 1`` workers, each loading the knowledge
    once. Results keep the order of the inputs. Captures over ``large_bytes`` are read
    streaming (see streaming.py)."""
    analysis = Analysis()
    inputs = list(_inputs(paths, analysis))
    if redact:  # one placeholder per value across all files needs one sanitizer: one process
        jobs = 1
    args = [(path, encoding, show_secrets, keep_text, large_bytes) for path, _ in inputs]
    if jobs > 1 and len(inputs) > 1 and "-" not in (p for p, _ in inputs):
        outcomes = _in_parallel(args, knowledge, jobs, extra_rule_dirs, progress)
    else:
        knowledge = knowledge or Knowledge.load(extra_rule_dirs)
        sanitizer = None if show_secrets else Sanitizer(redact)
        outcomes = []
        for n, one in enumerate(args, 1):
            outcomes.append(_analyse_one(knowledge, one, sanitizer))
            if progress:
                progress(n, len(args))
    for (_, explicit), (results, error) in zip(inputs, outcomes, strict=True):
        if error is not None:
            (analysis.errors if explicit else analysis.warnings).append(error)
        analysis.results.extend(results)
    return analysis


_Outcome = tuple[list[DeviceResult], str | None]


def _in_parallel(args: list[tuple[str, str | None, bool, bool, int]],
                 knowledge: Knowledge | None, jobs: int, extra_rule_dirs: list[Path] | None,
                 progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    """Batches of files go to ``jobs - 1`` workers in order, while this process takes
    batches from the end that no worker has started (a queued batch can be cancelled): it
    works instead of only waiting (on two cores, a third busy process would take time from
    the workers), and the load balances itself, whatever the files' sizes."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_KNOWLEDGE
    _WORKER_KNOWLEDGE = knowledge or Knowledge.load(extra_rule_dirs)
    # Forked workers inherit the knowledge loaded here; elsewhere each loads its own.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = max(1, len(args) // (jobs * 32))
    batches = [list(range(i, min(i + size, len(args)))) for i in range(0, len(args), size)]
    outcomes: list[_Outcome | None] = [None] * len(args)
    done = 0

    def finished(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, len(args))

    # The first batch here, before the workers fork: they inherit what it compiled on first
    # use (TextFSM templates, rule texts, patterns) instead of each compiling it again.
    for i in batches[0]:
        outcomes[i] = _analyse_one(_WORKER_KNOWLEDGE, args[i])
    finished(len(batches[0]))
    batches = batches[1:]
    # What exists now (the knowledge above all) lives as long as the run: frozen, the garbage
    # collector of a forked worker never walks it, so its pages stay shared with this process.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context,
                                 initializer=_worker_init, initargs=(extra_rule_dirs,)) as pool:
            futures = [pool.submit(_worker_batch, [args[i] for i in batch])
                       for batch in batches]
            for batch, future in zip(reversed(batches), reversed(futures), strict=True):
                if not future.cancel():
                    break  # a worker has it, and every batch before it
                for i in batch:
                    outcomes[i] = _analyse_one(_WORKER_KNOWLEDGE, args[i])
                finished(len(batch))
            for batch, future in zip(batches, futures, strict=True):
                if future.cancelled():
                    continue
                for i, outcome in zip(batch, future.result(), strict=True):
                    outcomes[i] = outcome
                finished(len(batch))
    finally:
        gc.unfreeze()
    return [outcome for outcome in outcomes if outcome is not None]


_WORKER_KNOWLEDGE: Knowledge | None = None


def _worker_init(extra_rule_dirs: list[Path] | None) -> None:
    global _WORKER_KNOWLEDGE
    if _WORKER_KNOWLEDGE is None:  # not inherited from the parent (spawn start method)
        _WORKER_KNOWLEDGE = Knowledge.load(extra_rule_dirs)


def _worker_batch(batch: list[tuple[str, str | None, bool, bool, int]]) -> list[_Outcome]:
    assert _WORKER_KNOWLEDGE is not None
    return [_analyse_one(_WORKER_KNOWLEDGE, args) for args in batch]


def _analyse_one(knowledge: Knowledge, args: tuple[str, str | None, bool, bool, int],
                 sanitizer: Sanitizer | None = None) -> _Outcome:
    """One capture; without a shared sanitizer, each file gets its own (secrets only)."""
    path, encoding, show_secrets, keep_text, large_bytes = args
    try:
        capture = read_capture(path, knowledge.catalog, encoding, large_bytes)
        if sanitizer is None and not show_secrets:
            sanitizer = Sanitizer()
        results = analyse_capture(capture, knowledge, sanitizer)
    except InputError as exc:
        return [], str(exc)
    if not keep_text:  # the capture's text is kept (or sent back) only if the report shows it
        for result in results:
            result.lines, result.sections = [], []
    return results, None


def _inputs(paths: list[str], analysis: Analysis) -> Iterator[tuple[str, bool]]:
    for path in paths:
        try:
            yield from iter_input_paths([path])
        except InputError as exc:
            analysis.errors.append(str(exc))
