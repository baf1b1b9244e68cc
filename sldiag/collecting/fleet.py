"""A fleet run: every usable host collected in parallel (Nornir's threaded runner), one
device's failure never stopping the others, and the outcome for the table and the log."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..render.road import assemble, show, write_text
from .checks import CollectError
from .connection import CollectOptions, connection_for, explain_failure
from .inventory import inventory_problems
from .names import capture_stems
from .task import collect_licensing


@dataclass
class FleetOutcome:
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> task result
    failed: dict[str, str] = field(default_factory=dict)                # name -> reason
    left_out: list[str] = field(default_factory=list)  # inventory entries that were unusable
    notes: list[str] = field(default_factory=list)     # options ignored, capture names changed
    interrupted: bool = False                          # Ctrl-C: what finished is recorded


def run_fleet(nr: Any, options: CollectOptions,
              on_done: Callable[[str, bool], None] | None = None) -> FleetOutcome:
    """Run collect_licensing on every host; one device's failure never stops the others.

    Hosts sldiag must not connect to (another platform, no address) are refused before the
    run; inventory extras it ignores and capture names it had to change are noted."""
    outcome = FleetOutcome(left_out=inventory_problems(nr))
    refused = []
    for name, host in nr.inventory.hosts.items():
        try:
            _, ignored = connection_for(host, options)
        except CollectError as exc:
            outcome.failed[name] = str(exc)
            refused.append(name)
            continue
        if ignored:
            outcome.notes.append(f"{name}: inventory connection options ignored: "
                                 f"{', '.join(ignored)} (host keys, transport and SSH "
                                 "config are set by sldiag's options)")
    stems, name_notes = capture_stems(list(nr.inventory.hosts))
    outcome.notes += name_notes
    options = dataclasses.replace(options, capture_names=stems)
    usable = nr.filter(filter_func=lambda host: host.name not in refused)
    if on_done:
        for name in refused:
            on_done(name, False)
    # Each finished device is recorded as it finishes, so an interrupted run still says
    # (in collection.log) what it collected.
    processors = [_Progress(on_done, outcome)]
    try:
        usable.with_processors(processors).run(
            task=collect_licensing, options=options, name="sldiag collect")
    except KeyboardInterrupt:
        outcome.interrupted = True
        for name in usable.inventory.hosts:
            if name not in outcome.collected and name not in outcome.failed:
                outcome.failed[name] = "interrupted before it finished (not collected)"
    finally:
        # Close every connection: the threads are done with them.
        usable.close_connections(on_good=True, on_failed=True)
    outcome.collected = dict(sorted(outcome.collected.items()))
    outcome.failed = dict(sorted(outcome.failed.items()))
    return outcome


class _Progress:
    """A Nornir processor that reports each finished host (drives the progress bar)."""

    def __init__(self, on_done: Callable[[str, bool], None] | None, outcome: FleetOutcome):
        self.on_done = on_done
        self.outcome = outcome

    def task_started(self, task: Any) -> None: ...
    def task_completed(self, task: Any, result: Any) -> None: ...
    def task_instance_started(self, task: Any, host: Any) -> None: ...
    def subtask_instance_started(self, task: Any, host: Any) -> None: ...
    def subtask_instance_completed(self, task: Any, host: Any, result: Any) -> None: ...

    def task_instance_completed(self, task: Any, host: Any, result: Any) -> None:
        if result.failed:
            error = next((r.exception for r in result if r.exception), None)
            if os.environ.get("SLDIAG_DEBUG") and error is not None:
                import traceback

                traceback.print_exception(error)
            self.outcome.failed[host.name] = explain_failure(error) if error else "failed"
        else:
            self.outcome.collected[host.name] = result[0].result
        if self.on_done:
            self.on_done(host.name, not result.failed)


def collection_log(outcome: FleetOutcome) -> list[str]:
    """The lines of collection.log (after its header): each device's result, the entries
    left out, and the notes."""
    log = []
    for name, r in outcome.collected.items():
        log.append(f"{name}: collected {r['capture']}" + (
            f" (refused: {', '.join(r['rejected'])})" if r["rejected"] else ""))
        log += [f"{name}: collection gap: {gap}" for gap in r.get("gaps", [])]
    log += [f"{name}: FAILED: {reason}" for name, reason in outcome.failed.items()]
    return (sorted(log) + [f"left out: {line}" for line in outcome.left_out]
            + [f"note: {note}" for note in outcome.notes]
            + (["note: the run was interrupted (Ctrl-C); the devices above that finished "
                "are recorded"] if outcome.interrupted else []))


def write_collection_log(folder: Path, outcome: FleetOutcome) -> None:
    """collection.log, starting with its own header (so an analysis of the folder knows it
    for sldiag's), every line through the road."""
    from .. import __version__

    lines = collection_log(outcome)
    header = f"# sldiag collection log (sldiag {__version__}, {len(lines)} lines)"
    text = assemble([show(header, "line"), "\n",
                     *(f"{show(line, 'line')}\n" for line in lines)], "line")
    write_text(folder / "collection.log", text)
