"""Results citing a bundle's member names instead of the inputs' own: the bundle's reports
must point at the files it holds. Names appear as fields (a result's source, evidence, facts,
gaps) and inside sentences (``file:line`` in a cause's step, the clock's source)."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..model.facts import Facts
from ..model.results import DeviceResult


def renamed(result: DeviceResult, names: dict[str, str]) -> DeviceResult:
    """A copy of ``result`` with every file name of ``names`` replaced by its new name."""
    if not any(old != new for old, new in names.items()):
        return result
    order = sorted(names, key=len, reverse=True)

    def file(name: str) -> str:
        return names.get(name, name)

    def text(sentence: str) -> str:
        for old in order:  # names are cited as "name:line"
            if f"{old}:" in sentence:
                sentence = sentence.replace(f"{old}:", f"{names[old]}:")
        return sentence

    def evidence(e: dict[str, Any]) -> dict[str, Any]:
        return {**e, "file": file(e["file"])}

    findings = [dataclasses.replace(
        f, evidence=[evidence(e) for e in f.evidence],
        primary=evidence(f.primary) if f.primary else None,
        explanation=text(f.explanation), next_steps=[text(s) for s in f.next_steps],
        calibration=text(f.calibration) if f.calibration else None,
        excerpts=[(file(name), lines) for name, lines in f.excerpts])
        for f in result.findings]
    reference = result.reference_time
    return dataclasses.replace(
        result, source=file(result.source), findings=findings,
        gaps=[dataclasses.replace(g, file=file(g.file)) for g in result.gaps],
        facts=_facts(result.facts, file), verdict=text(result.verdict),
        reference_time=dataclasses.replace(reference, source=text(reference.source))
        if reference else None)


def _facts(facts: Facts, file: Any) -> Facts:
    rebuild, (scalars, rows) = facts.__reduce__()
    scalars = [(group, name, value, file(name_of), line, line_text, raw)
               for group, name, value, name_of, line, line_text, raw in scalars]
    rows = {kind: [(values, file(name_of), line, line_text, lines)
                   for values, name_of, line, line_text, lines in entries]
            for kind, entries in rows.items()}
    renamed_facts: Facts = rebuild(scalars, rows)
    return renamed_facts


