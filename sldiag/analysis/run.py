"""The offline pipeline, one way through: capture -> sections -> facts -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import InputError
from ..base.limits import MAX_FILES_PER_RUN
from ..diagnosing.knowledge import Knowledge
from ..model.problems import Problems
from ..model.results import DeviceResult
from ..reading.inputs import InputFile, iter_inputs
from ..reading.lines import Capture, SparseLines
from ..reading.read import LARGE_CAPTURE_BYTES, iter_clean_lines, read_capture
from ..sanitizing.sanitizer import Sanitizer
from .one import Source, analyse_capture, analyse_one, config_ranges
from .parallel import in_parallel

__all__ = ["Analysis", "Source", "analyse_capture", "analyse_paths", "config_ranges"]


@dataclass
class Analysis:
    """Every device found, and one line for each input that could not be analysed (or
    only in part): the report and stderr show them all."""

    results: list[DeviceResult] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    sources: list[Source] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.problems.errors


def counting_files(progress: Callable[[str, int, int], None] | None
                   ) -> Callable[[int, int], None] | None:
    """The files analysed so far, told to a staged progress bar (``progress(stage, done,
    total)``) as the stage "analysing"."""
    if progress is None:
        return None
    return lambda done, total: progress("analysing", done, total)


def analyse_paths(paths: list[str], knowledge: Knowledge | None, encoding: str | None = None,
                  redact: frozenset[str] = frozenset(), show_secrets: bool = False,
                  jobs: int = 1, extra_rule_dirs: list[Path] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  with_text: bool = True, large_bytes: int = LARGE_CAPTURE_BYTES,
                  max_files: int = MAX_FILES_PER_RUN,
                  sanitizer: Sanitizer | None = None) -> Analysis:
    """Analyse every input; with ``jobs`` > 1 the files are spread over that many processes
    (parsing is CPU-bound): this one and ``jobs - 1`` workers, each loading the knowledge
    once. Results keep the order of the inputs. Captures over ``large_bytes`` are read
    streaming (see reading/scanner.py). No input stops the others: each one that fails
    becomes a line of ``errors`` (named by the user) or ``skipped`` (met in a folder).
    ``with_text``: the report shows excerpts (the format table says which do);
    ``sanitizer``: one to share with what comes after (a bundle's captures)."""
    analysis = Analysis()
    problems = analysis.problems
    inputs = []
    for item in iter_inputs(paths, problems.errors, problems.limits, max_files):
        if item.skipped:
            problems.skipped.append(f"{item.name}: {item.skipped}")
        else:
            inputs.append(item)
    if sanitizer is None and not show_secrets:
        sanitizer = Sanitizer(redact)
    redact = sanitizer.classes if sanitizer is not None else frozenset()
    args = [(item, encoding, show_secrets, with_text, large_bytes) for item in inputs]
    if jobs > 1 and len(inputs) > 1 and not redact:
        outcomes = in_parallel(args, knowledge, jobs, extra_rule_dirs, progress)
    else:
        # One placeholder per value across all files needs one sanitizer that has seen
        # every file first: one process.
        knowledge = knowledge or Knowledge.load(extra_rule_dirs)
        if redact and sanitizer is not None:
            learn_all(inputs, knowledge, sanitizer, encoding, large_bytes)
        outcomes = []
        for n, one in enumerate(args, 1):
            outcomes.append(analyse_one(knowledge, one, sanitizer))
            if progress:
                progress(n, len(args))
    for item, (results, error, limits, source) in zip(inputs, outcomes, strict=True):
        if error is not None:
            (problems.errors if item.explicit else problems.skipped).append(error)
        problems.limits.extend(limits)
        analysis.results.extend(results)
        if source is not None:
            analysis.sources.append(source)
    if redact and sanitizer is not None:  # names learnt late (a hostname in a later file)
        problems.rename(sanitizer.name)
    return analysis


def learn_all(inputs: list[InputFile], knowledge: Knowledge, sanitizer: Sanitizer,
              encoding: str | None, large_bytes: int) -> None:
    """Let the sanitizer learn every value of the classes to redact in every input, before
    any is sanitised: a hostname one file prints gets its placeholder in every file."""
    for item in inputs:
        try:
            capture = read_capture(item.path, knowledge.catalog, encoding, large_bytes,
                                   name=item.name)
            for block in _blocks(lines_of(item, capture, encoding)):
                sanitizer.learn(block)
        except InputError:
            continue  # the analysis reports it


def lines_of(item: InputFile, capture: Capture, encoding: str | None) -> Iterable[str]:
    """A capture's cleaned lines: held, or read again from its source when it is large."""
    if isinstance(capture.lines, SparseLines):
        return iter_clean_lines(item.path, encoding, indent=capture.indent, name=item.name)
    return capture.lines


def _blocks(lines: Iterable[str], size: int = 10_000) -> Iterator[str]:
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) == size:
            yield "\n".join(block)
            block = []
    if block:
        yield "\n".join(block)


