"""The JSON documents: the report (`--format json`), `sldiag parse`, and the bundle's facts.
Each string reaches the text through the road's JSON escaping (no raw control or bidi
character, whatever a capture held)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..base.textsafe import json_safe
from ..model.problems import Problems
from ..model.results import DeviceResult
from .road import Shown, assemble
from .views import clock_json, fix_block, identity_json, verdict

JSON_SCHEMA_VERSION = "1"
PARSE_SCHEMA_VERSION = "1"


def report_document(results: list[DeviceResult],
                    problems: Problems | None = None) -> dict[str, Any]:
    devices = []
    for r in results:
        devices.append({
            "hostname": r.hostname,
            "also_seen_as": r.also_seen_as,
            "source": r.source,
            "licensing": r.licensing_json(),
            "flowchart": r.flowchart_json(),
            "verdict": verdict(r),
            **identity_json(r),
            "clock": clock_json(r),
            "findings": [f.to_json() for f in r.findings],
            "fix": fix_block(r),
            "parse_gaps": [g.to_json() for g in r.gaps],
        })
    return {"schema_version": JSON_SCHEMA_VERSION, "sldiag_version": __version__,
            "devices": devices, "inputs": (problems or Problems()).as_dict()}


def parse_document(results: list[DeviceResult], command: str | None = None) -> dict[str, Any]:
    """`sldiag parse`: the facts of each device, and which command output each came from.

    ``devices[]``: ``hostname``, ``source``, ``mode``, ``facts`` (group -> name -> {value,
    raw, file, line, text}, only the facts the capture showed), ``rows`` (collection -> rows,
    each its fields and file/line/text), ``commands`` (each output read: ``command`` as
    sldiag knows it or null, ``typed``, ``line``, ``form``, ``facts`` read from it, ``rows``
    counted per collection) and ``parse_gaps``. With ``command``, only what that command's
    outputs gave (its canonical name or as typed, in any case)."""
    return {"schema_version": PARSE_SCHEMA_VERSION, "sldiag_version": __version__,
            "devices": [_parsed_device(r, command) for r in results]}


def output_matches(output: Any, command: str) -> bool:
    wanted = " ".join(command.lower().split())
    return wanted in {(output.command or "").lower(), " ".join(output.typed.lower().split())}


def _parsed_device(r: DeviceResult, command: str | None = None) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    rows: dict[str, Any] = {}
    located: list[tuple[int, str, str]] = []   # (line, kind, name)
    for group, fields in r.facts.to_json().items():
        if isinstance(fields, list):
            if fields:
                rows[group] = fields
                located += [(row["line"], "row", group) for row in fields]
            continue
        shown = {name: fact for name, fact in fields.items() if fact is not None}
        if shown and group != "device":
            facts[group] = shown
            located += [(fact["line"], "fact", f"{group}.{name}")
                        for name, fact in shown.items() if fact["file"] == r.source]
    outputs = [o for o in r.outputs if command is None or output_matches(o, command)]
    if command is not None:
        ranges = [(o.line, o.last_line) for o in outputs]
        kept = {name for line, kind, name in located
                if kind == "fact" and any(a <= line <= b for a, b in ranges)}
        facts = {group: {name: fact for name, fact in fields.items() if f"{group}.{name}" in kept}
                 for group, fields in facts.items()}
        facts = {group: fields for group, fields in facts.items() if fields}
        rows = {name: [row for row in found if any(a <= row["line"] <= b for a, b in ranges)]
                for name, found in rows.items()}
        rows = {name: found for name, found in rows.items() if found}
    commands = []
    for output in outputs:
        inside = [(kind, name) for line, kind, name in located
                  if output.line <= line <= output.last_line]
        counted: dict[str, int] = {}
        for kind, name in inside:
            if kind == "row":
                counted[name] = counted.get(name, 0) + 1
        commands.append({"command": output.command, "typed": output.typed,
                         "line": output.line, "form": output.form,
                         "facts": sorted({n for k, n in inside if k == "fact"}),
                         "rows": counted})
    return {"hostname": r.hostname, "source": r.source, "mode": r.mode, "facts": facts,
            "rows": rows, "commands": commands, "parse_gaps": [g.to_json() for g in r.gaps]}


def facts_document(results: list[DeviceResult]) -> dict[str, Any]:
    """The bundle's facts.json: every fact of every device, with its line."""
    return {"schema_version": "1", "devices": [
        {"hostname": r.hostname, "source": r.source, "facts": r.facts.to_json(),
         "parse_gaps": [g.to_json() for g in r.gaps]} for r in results]}


def render_json(document: Any, indent: int | None = 2, sort_keys: bool = False) -> Shown:
    """A document as JSON text: every string escaped by json.dumps, invisible characters as
    \\u escapes (still the same JSON values)."""
    text = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    return assemble([json_safe(text), "\n"], "json")
