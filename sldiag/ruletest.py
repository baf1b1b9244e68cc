"""`sldiag rules test`: each rule against its own positive and negative examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .capture import InputError, read_capture
from .pipeline import Knowledge, analyse_capture
from .sanitize import Sanitizer


def test_rules(extra_dirs: list[Path] | None = None,
               echo: Callable[[str], None] | None = None) -> tuple[list[str], int]:
    """Return (failure messages, number of example checks)."""
    knowledge = Knowledge.load(extra_dirs)
    failures: list[str] = []
    checked = 0
    for rule in knowledge.rules:
        for expect, examples in ((True, rule.positive), (False, rule.negative)):
            for example in examples:
                checked += 1
                kind = "positive" if expect else "negative"
                try:
                    results = analyse_capture(read_capture(str(example)), knowledge, Sanitizer())
                except InputError as exc:
                    failures.append(f"{rule.id}: {kind} example unreadable: {exc}")
                    continue
                fired = [f for r in results for f in r.findings if f.rule_id == rule.id]
                if bool(fired) != expect:
                    what = "did not fire" if expect else "fired"
                    failures.append(f"{rule.id}: {what} on {kind} example {example}")
                elif fired and not all(f.evidence for f in fired):
                    failures.append(f"{rule.id}: fired without evidence on {example}")
                elif expect and example in rule.severities and \
                        fired[0].severity != rule.severities[example]:
                    failures.append(f"{rule.id}: fired as {fired[0].severity}, not "
                                    f"{rule.severities[example]}, on {example}")
                elif echo:
                    echo(f"ok   {rule.id}: {kind} {example.name}")
    return failures, checked
