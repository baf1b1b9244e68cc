"""`sldiag rules test`: each rule against the examples beside it (rules/examples/<id>/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..base.errors import InputError
from ..diagnosing.knowledge import Knowledge
from ..reading.read import read_whole
from ..sanitizing.sanitizer import Sanitizer
from .run import analyse_capture


def test_rules(extra_dirs: list[Path] | None = None,
               on_pass: Callable[[str], None] | None = None) -> tuple[list[str], int]:
    """Return (failure messages, number of example checks)."""
    knowledge = Knowledge.load(extra_dirs)
    failures: list[str] = []
    checked = 0
    for rule in knowledge.rules:
        for example in rule.examples():
            checked += 1
            kind = "positive" if example.positive else "negative"
            try:
                results = analyse_capture(read_whole(str(example.path)), knowledge, Sanitizer(),
                                          with_text=False)
            except InputError as exc:
                failures.append(f"{rule.id}: {kind} example unreadable: {exc}")
                continue
            fired = [f for r in results for f in r.findings if f.rule_id == rule.id]
            if bool(fired) != example.positive:
                what = "did not fire" if example.positive else "fired"
                failures.append(f"{rule.id}: {what} on {kind} example {example.path}")
            elif fired and not all(f.evidence for f in fired):
                failures.append(f"{rule.id}: fired without evidence on {example.path}")
            elif fired and example.severity and fired[0].severity != example.severity:
                failures.append(f"{rule.id}: fired as {fired[0].severity}, not "
                                f"{example.severity}, on {example.path}")
            elif on_pass:
                on_pass(f"ok   {rule.id}: {kind} {example.path.name}")
    return failures, checked
