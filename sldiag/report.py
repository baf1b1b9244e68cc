"""Reports: the analysis of each device rendered for people (text) or programs (JSON)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .capture import SparseLines
from .engine import DeviceResult
from .rules import SEVERITY_RANK
from .textsafe import clip

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
    return result.verdict or "OK: no problem found"


NO_CLOCK = "not in the capture: no deadline was taken as passed"


def clock_json(result: DeviceResult) -> dict[str, str] | None:
    """The device's 'now' that deadlines were judged against, and where it was read."""
    if result.reference_time is None:
        return None
    when, source = result.reference_time
    return {"time": when.isoformat(), "source": source}


def clock_line(result: DeviceResult) -> str:
    from .facts import human

    if result.reference_time is None:
        return NO_CLOCK
    when, source = result.reference_time
    return f"{human(when)} ({source})"


NO_PROBLEMS: dict[str, list[str]] = {"errors": [], "skipped": [], "limits": []}


def to_json_document(results: list[DeviceResult],
                     problems: dict[str, list[str]] | None = None) -> dict[str, Any]:
    devices = []
    for r in results:
        devices.append({
            "hostname": r.hostname,
            "source": r.source,
            "licensing": r.licensing_json(),
            "flowchart": r.flowchart_json(),
            "verdict": verdict(r),
            "clock": clock_json(r),
            "findings": [f.to_json() for f in r.findings],
            "parse_gaps": [g.to_json() for g in r.gaps],
        })
    return {"schema_version": JSON_SCHEMA_VERSION, "sldiag_version": __version__,
            "devices": devices, "inputs": problems or NO_PROBLEMS}


def render_json(results: list[DeviceResult],
                problems: dict[str, list[str]] | None = None) -> str:
    from .textsafe import json_safe

    document = to_json_document(results, problems)
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def excerpts(result: DeviceResult, evidence: list[dict[str, Any]], context: int = 2
             ) -> list[tuple[str, list[tuple[int, str, bool]]]]:
    """Evidence as readable blocks: cited lines of one file that are close together share one
    excerpt, each cited line marked. Returns (file, [(line, text, cited)]) blocks."""
    blocks: list[tuple[str, list[tuple[int, str, bool]]]] = []
    by_file: dict[str, set[int]] = {}
    texts: dict[tuple[str, int], str] = {}
    for e in evidence:
        by_file.setdefault(e["file"], set()).add(e["line"])
        texts[(e["file"], e["line"])] = e["text"]
    # A large capture read streaming has no text for the lines it passed over.
    sparse = isinstance(result.lines, SparseLines)
    for file in sorted(by_file):
        cited = sorted(by_file[file])
        if file != result.source or not result.lines:
            blocks.extend((file, [(n, texts[(file, n)], True)]) for n in cited)
            continue
        group: list[int] = []
        for n in cited + [None]:  # type: ignore[list-item]
            if group and (n is None or n - group[-1] > 2 * context + 1):
                first = max(1, group[0] - context)
                last = min(len(result.lines), group[-1] + context)
                blocks.append((file, [(k, clip(result.lines[k - 1]), k in group)
                                      for k in range(first, last + 1)
                                      if k in group or not sparse
                                      or result.lines.has(k - 1)]))
                group = []
            if n is not None:
                group.append(n)
    return blocks


def step_parts(step: str) -> list[tuple[str, str]]:
    """Split a next step into prose and commands (`...`), so commands can be copied."""
    parts: list[tuple[str, str]] = []
    for n, piece in enumerate(step.split("`")):
        if piece.strip(" ,.;:"):
            parts.append(("cli" if n % 2 else "text", piece.strip()))
    return parts


def facts_table(result: DeviceResult) -> list[tuple[str, str, str]]:
    """(fact, value, file:line) for every fact the capture showed."""
    from .facts import human

    rows = []
    for group, fields in result.facts.to_json().items():
        if isinstance(fields, dict):
            for name, fact in fields.items():
                if fact is not None and group != "device":
                    value = result.facts.value(f"{group}.{name}")
                    rows.append((f"{group}.{name}", human(value), f"{fact['file']}:{fact['line']}"))
    return rows


def raw_sections(result: DeviceResult) -> list[tuple[str, int, list[tuple[int, str]]]]:
    """The command outputs sldiag read, as (command, first line, numbered lines)."""
    from .sanitize import netconan_lines

    used = []
    for section in result.sections:
        if section.command and section.lines and not section.elided:
            lines = section.lines
            if section.configuration and result.sanitized:
                # Shown in full: also remove what only netconan knows as a secret.
                texts = netconan_lines([t for _, t in lines])
                lines = [(n, t) for (n, _), t in zip(lines, texts, strict=True)]
            used.append((section.typed if section.form == "prompt" else section.command,
                         section.header_line or section.lines[0][0], lines))
    return used


def summary_of(result: DeviceResult) -> dict[str, str]:
    f = result.facts
    lic = result.licensing_json()
    if result.mode == "smart-licensing-using-policy":
        trust = {True: "installed", False: "not installed", None: "unknown"}[
            lic["trust_code_installed"]]
        state = (f"transport {lic['transport'] or 'unknown'}, trust code {trust}, last ACK "
                 f"{lic['last_ack_received'] or 'never or unknown'}")
    else:
        state = " / ".join(s for s in (lic["registration_status"], lic["authorization_status"])
                           if s) or "unknown"
    return {
        "hostname": result.display_name,
        "platform": f.value("version.platform") or f.value("udi.pid") or "unknown",
        "version": f.value("version.software") or "unknown",
        "mode": MODE_LABELS[result.mode],
        "state": state,
        "flowchart": result.flowchart.label if result.flowchart else "not placed",
        "clock": clock_line(result),
        "worst": verdict(result),
    }


@cache
def _environment(fmt: str = "text", user_folder: str | None = None) -> Any:
    """The jinja2 environment of one format. Escaping follows the format, never a file's
    name: HTML escapes markup, Markdown escapes its own syntax and HTML, text shows control
    characters. A user's template (``user_folder``) runs in jinja2's sandbox."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from .resources import cache_dir
    from .textsafe import md_text, visible

    bytecode = None
    if user_folder is None:
        # One folder per format: the compiled code depends on the environment's escaping.
        folder_ = cache_dir() / "jinja" / fmt
        try:
            folder_.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(folder_))
        except OSError:
            pass  # no cache, only slower
    folder = user_folder or str(Path(__file__).parent / "templates")
    environment = SandboxedEnvironment if user_folder is not None else jinja2.Environment
    env = environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=fmt == "html",
        finalize=md_text if fmt == "md" else visible,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        bytecode_cache=bytecode)
    env.filters.update(_filters())
    return env


def _filters() -> dict[str, Any]:
    from .textsafe import Safe, md_code, md_text, visible

    return {
        "finding_label": finding_label,
        "visible": visible,                       # control and bidi characters shown
        "md": md_text,                            # Markdown text, escaped
        "code": md_code,                          # a Markdown code span no text can close
        "verbatim": lambda v: Safe(visible(v)),   # inside a Markdown code block
    }


def finding_label(rule_id: str, result: DeviceResult) -> str:
    """A related finding named as the report names it (title, with its scenario number)."""
    for finding in result.findings:
        if finding.rule_id == rule_id:
            return finding.label
    return rule_id


def summary_rows(results: list[DeviceResult]) -> list[list[str]]:
    """A fleet summary, one row per device, columns padded to line up."""
    rows = [["DEVICE", "SOURCE", "STATE", "VERDICT"]]
    for r in results:
        lic = r.licensing_json()
        if r.mode == "smart-licensing-using-policy":
            state = summary_of(r)["state"]  # transport, trust and last ACK
        else:
            state = "/".join(s for s in (lic["registration_status"],
                                         lic["authorization_status"]) if s)
        rows.append([r.hostname or "(unnamed)", r.source, state or r.mode, verdict(r)])
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [[cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)]
            for row in rows]


TEMPLATES = {"text": "report.txt.j2", "md": "report.md.j2", "html": "report.html.j2"}


def render(results: list[DeviceResult], fmt: str, verbose: bool = False,
           template: Path | None = None,
           problems: dict[str, list[str]] | None = None) -> str:
    """Render the results: the shipped template for the format, or the user's own.
    ``problems``: the inputs not analysed, or only in part (errors, skipped, limits)."""
    problems = problems or NO_PROBLEMS
    if fmt == "json" and template is None:
        return render_json(results, problems)
    if template is not None:
        tmpl = _environment(fmt, str(template.parent.resolve())).get_template(template.name)
    else:
        tmpl = _environment(fmt).get_template(TEMPLATES[fmt])
    from .textsafe import md_fence

    return tmpl.render(results=results, verdict=verdict, modes=MODE_LABELS, version=__version__,
                       verbose=verbose, summary_rows=summary_rows, summary_of=summary_of,
                       excerpts=excerpts, step_parts=step_parts,
                       facts_table=facts_table,
                       raw_sections=raw_sections, document=to_json_document(results, problems),
                       clock_line=clock_line, fence_for=md_fence, problems=problems,
                       problem_count=sum(len(v) for v in problems.values()))


def write_atomically(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file.
    ``mode``: the permissions to give it (default: those it had, or a new file's)."""
    with replace_atomically(path, mode) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _mode_for(path: Path) -> int:
    """The permissions the file keeps (a 0600 report stays 0600), or those a plain open()
    would give a new one."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def replace_atomically(path: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A file to write that takes ``path``'s place only once whole (renamed on success)."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, _mode_for(path) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
