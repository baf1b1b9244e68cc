"""Many captures in parallel: batches of files shared between this process and forked
workers, each loading the knowledge once; a killed worker costs only its batch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diagnosing.knowledge import Knowledge
from .one import Args, Outcome, analyse_one


def in_parallel(args: list[Args], knowledge: Knowledge | None, jobs: int,
                extra_rule_dirs: list[Path] | None,
                progress: Callable[[int, int], None] | None) -> list[Outcome]:
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
    run = _Run(args, progress)
    # The first batch here, before the workers fork: they inherit what it compiled on first
    # use (TextFSM templates, rule texts, patterns) instead of each compiling it again.
    run.here(batches[0])
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
                run.here(batch)
            for batch, future in zip(batches, futures, strict=True):
                if not future.cancelled():
                    run.collect(batch, future)
    finally:
        gc.unfreeze()
    return [outcome for outcome in run.outcomes if outcome is not None]


class _Run:
    """The outcomes so far, in input order, and the progress shown."""

    def __init__(self, args: list[Args], progress: Callable[[int, int], None] | None) -> None:
        self.args = args
        self.progress = progress
        self.outcomes: list[Outcome | None] = [None] * len(args)
        self.done = 0

    def here(self, batch: list[int]) -> None:
        assert _WORKER_KNOWLEDGE is not None
        for i in batch:
            self.outcomes[i] = analyse_one(_WORKER_KNOWLEDGE, self.args[i])
        self._finished(len(batch))

    def collect(self, batch: list[int], future: Any) -> None:
        try:
            done_batch = future.result()
        except Exception as exc:  # noqa: BLE001 - a worker killed (memory, signal)
            done_batch = [([], f"{self.args[i][0].name}: the worker analysing it stopped "
                           f"({type(exc).__name__}); the other inputs were analysed", [], None)
                          for i in batch]
        for i, outcome in zip(batch, done_batch, strict=True):
            self.outcomes[i] = outcome
        self._finished(len(batch))

    def _finished(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, len(self.args))


_WORKER_KNOWLEDGE: Knowledge | None = None


def _worker_init(extra_rule_dirs: list[Path] | None) -> None:
    global _WORKER_KNOWLEDGE
    if _WORKER_KNOWLEDGE is None:  # not inherited from the parent (spawn start method)
        _WORKER_KNOWLEDGE = Knowledge.load(extra_rule_dirs)


def _worker_batch(batch: list[Args]) -> list[Outcome]:
    assert _WORKER_KNOWLEDGE is not None
    return [analyse_one(_WORKER_KNOWLEDGE, args) for args in batch]
