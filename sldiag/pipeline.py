"""The offline pipeline, one way through: capture -> sections -> facts -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .capture import Capture, InputError, InputFile, iter_input_paths, own_output_kind
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
from .limits import MAX_FILES_PER_RUN
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
    """Every device found, and one line for each input that could not be analysed (or
    only in part): the report and stderr show them all."""

    results: list[DeviceResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)     # explicitly named inputs that failed
    warnings: list[str] = field(default_factory=list)   # files skipped inside a folder
    limits: list[str] = field(default_factory=list)     # limits reached (limits.py)

    def problems(self) -> dict[str, list[str]]:
        return {"errors": self.errors, "skipped": self.warnings, "limits": self.limits}


def limit_lines(name: str, limits: list[tuple[int, str]]) -> list[str]:
    """One line per limit a capture reached (the first place, and how often)."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for line, what in limits:
        first.setdefault(what, line)
        count[what] = count.get(what, 0) + 1
    return [f"{name}:{first[what]}: {what}" + (f" ({count[what]} times)" if count[what] > 1
                                                else "") for what in first]


def analyse_capture(capture: Capture, knowledge: Knowledge,
                    sanitizer: Sanitizer | None = None) -> list[DeviceResult]:
    """Analyse one capture; with a sanitizer, secrets leave its lines before anything else."""
    if sanitizer is not None:
        capture.lines = sanitizer.lines(capture.lines)
        capture.name = sanitizer.name(capture.name)  # --redact: hostnames, IPs in names
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
                  keep_text: bool = True, large_bytes: int = LARGE_CAPTURE_BYTES,
                  max_files: int = MAX_FILES_PER_RUN) -> Analysis:
    """Analyse every input; with ``jobs`` > 1 the files are spread over that many processes
    (parsing is CPU-bound): this one and ``jobs - 1`` workers, each loading the knowledge
    once. Results keep the order of the inputs. Captures over ``large_bytes`` are read
    streaming (see streaming.py). No input stops the others: each one that fails becomes
    a line of ``errors`` (named by the user) or ``warnings`` (met in a folder)."""
    analysis = Analysis()
    inputs = []
    for item in iter_inputs(paths, analysis.errors, analysis.limits, max_files):
        if item.skipped:
            analysis.warnings.append(f"{item.name}: {item.skipped}")
        else:
            inputs.append(item)
    if redact:  # one placeholder per value across all files needs one sanitizer: one process
        jobs = 1
    args = [(item, encoding, show_secrets, keep_text, large_bytes) for item in inputs]
    sanitizer = None if show_secrets else Sanitizer(redact)
    if jobs > 1 and len(inputs) > 1:
        outcomes = _in_parallel(args, knowledge, jobs, extra_rule_dirs, progress)
    else:
        knowledge = knowledge or Knowledge.load(extra_rule_dirs)
        outcomes = []
        for n, one in enumerate(args, 1):
            outcomes.append(_analyse_one(knowledge, one, sanitizer))
            if progress:
                progress(n, len(args))
    for item, (results, error, limits) in zip(inputs, outcomes, strict=True):
        if error is not None:
            (analysis.errors if item.explicit else analysis.warnings).append(error)
        analysis.limits.extend(limits)
        analysis.results.extend(results)
    if redact and sanitizer is not None:  # names learnt late (a hostname in a later file)
        for problems in (analysis.errors, analysis.warnings, analysis.limits):
            problems[:] = [sanitizer.name(line) for line in problems]
    return analysis


# The devices of one input, or why it was not analysed, and the limits it reached.
_Outcome = tuple[list[DeviceResult], str | None, list[str]]
_Args = tuple[InputFile, str | None, bool, bool, int]


def _in_parallel(args: list[_Args],
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
                try:
                    done_batch = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker killed (memory, signal)
                    done_batch = [([], f"{args[i][0].name}: the worker analysing it stopped "
                                   f"({type(exc).__name__}); the other inputs were analysed",
                                   []) for i in batch]
                for i, outcome in zip(batch, done_batch, strict=True):
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


def _worker_batch(batch: list[_Args]) -> list[_Outcome]:
    assert _WORKER_KNOWLEDGE is not None
    return [_analyse_one(_WORKER_KNOWLEDGE, args) for args in batch]


def _analyse_one(knowledge: Knowledge, args: _Args,
                 sanitizer: Sanitizer | None = None) -> _Outcome:
    """One capture; without a shared sanitizer, each file gets its own (secrets only).
    Whatever goes wrong stays with this file: a one-line reason, never a traceback (set
    SLDIAG_DEBUG=1 to see one)."""
    item, encoding, show_secrets, keep_text, large_bytes = args
    try:
        capture = read_capture(item.path, knowledge.catalog, encoding, large_bytes,
                               name=item.name)
        if not item.explicit and (kind := own_output_kind(capture.lines)):
            return [], f"{item.name}: {kind}", []
        if sanitizer is None and not show_secrets:
            sanitizer = Sanitizer()
        results = analyse_capture(capture, knowledge, sanitizer)
    except InputError as exc:
        return [], str(exc), []
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, a bug
        import os

        if os.environ.get("SLDIAG_DEBUG"):
            raise
        # The type only: a message could quote a line of the capture, secrets included.
        return [], (f"{item.name}: internal error ({type(exc).__name__}); the other inputs "
                    "were analysed; please report it (SLDIAG_DEBUG=1 shows the traceback)"), []
    if not item.explicit and not any(holds_device_output(r) for r in results):
        return [], f"{item.name}: holds no device output sldiag recognises", []
    if not keep_text:  # the capture's text is kept (or sent back) only if the report shows it
        for result in results:
            result.lines, result.sections = [], []
    return results, None, limit_lines(capture.name, capture.limits)


def holds_device_output(result: DeviceResult) -> bool:
    """Whether a device's part of a capture is device output at all: a prompt or a delimiter,
    an output recognised by its content, or a fact (a licensing log line)."""
    return bool(result.sections) or not result.facts.is_empty()


def iter_inputs(paths: list[str], errors: list[str], limits: list[str],
                max_files: int) -> Iterator[InputFile]:
    """The files to read (skipped ones included, with their reason), at most ``max_files``
    of them; a path that cannot be walked becomes a line of ``errors``, the files past the
    limit one line of ``limits``."""
    count = 0
    for path in paths:
        try:
            for item in iter_input_paths([path]):
                if item.skipped is None:
                    count += 1
                    if count > max_files:
                        limits.append(
                            f"{item.name}: more than {max_files:,} files in this run: this "
                            "one and the rest were not read (--max-files raises the limit)")
                        return
                yield item
        except InputError as exc:
            errors.append(str(exc))
