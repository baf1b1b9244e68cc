"""Reports: the analysis of each device rendered for people (text) or programs (JSON)."""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .engine import DeviceResult
from .rules import SEVERITY_RANK

JSON_SCHEMA_VERSION = "1"
MODE_LABELS = {
    "smart-licensing": "Smart Licensing (registration and authorization, before 17.3.2)",
    "smart-licensing-using-policy": "Smart Licensing Using Policy (17.3.2 and later)",
    "not-smart-licensing": "not Smart Licensing (Right-To-Use / PAK licensing)",
    "unknown": "unknown (no licensing output recognised)",
}


def worst_severity(results: list[DeviceResult]) -> str | None:
    severities = [f.severity for r in results for f in r.findings]
    return min(severities, key=SEVERITY_RANK.__getitem__) if severities else None


def verdict(result: DeviceResult) -> str:
    worst = result.worst
    if worst is None:
        return "no finding"
    label = f"Scenario #{worst.scenario}: " if worst.scenario else ""
    return f"{worst.severity.upper()} - {label}{worst.title}"


def to_json_document(results: list[DeviceResult]) -> dict[str, Any]:
    devices = []
    for r in results:
        devices.append({
            "hostname": r.hostname,
            "source": r.source,
            "licensing": r.licensing_json(),
            "flowchart": r.flowchart_json(),
            "verdict": verdict(r),
            "findings": [f.to_json() for f in r.findings],
            "parse_gaps": [g.to_json() for g in r.gaps],
        })
    return {"schema_version": JSON_SCHEMA_VERSION, "sldiag_version": __version__,
            "devices": devices}


def render_json(results: list[DeviceResult]) -> str:
    return json.dumps(to_json_document(results), indent=2, ensure_ascii=False) + "\n"


@cache
def _environment() -> Any:
    import jinja2

    from .resources import cache_dir

    bytecode = None
    try:
        (cache_dir() / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir() / "jinja"))
    except OSError:
        pass  # no cache, only slower
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        bytecode_cache=bytecode)


def summary_rows(results: list[DeviceResult]) -> list[list[str]]:
    """A fleet summary, one row per device, columns padded to line up."""
    rows = [["DEVICE", "SOURCE", "STATE", "VERDICT"]]
    for r in results:
        lic = r.licensing_json()
        state = "/".join(s for s in (lic["registration_status"], lic["authorization_status"]) if s)
        rows.append([r.hostname or "(unnamed)", r.source, state or r.mode, verdict(r)])
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [[cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)]
            for row in rows]


def render_text(results: list[DeviceResult], verbose: bool = False) -> str:
    template = _environment().get_template("report.txt.j2")
    return template.render(results=results, verdict=verdict, modes=MODE_LABELS,
                           version=__version__, verbose=verbose, summary_rows=summary_rows)


def render(results: list[DeviceResult], fmt: str, verbose: bool = False) -> str:
    if fmt == "json":
        return render_json(results)
    return render_text(results, verbose=verbose)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written report."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
