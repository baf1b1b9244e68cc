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
from .textsafe import clip, prose_parts

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


PARSE_SCHEMA_VERSION = "1"


def parse_document(results: list[DeviceResult]) -> dict[str, Any]:
    """`sldiag parse`: the facts of each device, and which command output each came from.

    ``devices[]``: ``hostname``, ``source``, ``mode``, ``facts`` (group -> name -> {value,
    raw, file, line, text}, only the facts the capture showed), ``rows`` (collection -> rows,
    each its fields and file/line/text), ``commands`` (each output read: ``command`` as
    sldiag knows it or null, ``typed``, ``line``, ``form``, ``facts`` read from it, ``rows``
    counted per collection) and ``parse_gaps``."""
    devices = []
    for r in results:
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
        commands = []
        for section in r.sections:
            first = section.header_line or (section.lines[0][0] if section.lines else 0)
            last = section.last_line or (section.lines[-1][0] if section.lines else first)
            inside = [(kind, name) for line, kind, name in located if first <= line <= last]
            counted: dict[str, int] = {}
            for kind, name in inside:
                if kind == "row":
                    counted[name] = counted.get(name, 0) + 1
            commands.append({"command": section.command, "typed": section.typed,
                             "line": first, "form": section.form,
                             "facts": sorted({n for k, n in inside if k == "fact"}),
                             "rows": counted})
        devices.append({"hostname": r.hostname, "source": r.source, "mode": r.mode,
                        "facts": facts, "rows": rows, "commands": commands,
                        "parse_gaps": [g.to_json() for g in r.gaps]})
    return {"schema_version": PARSE_SCHEMA_VERSION, "sldiag_version": __version__,
            "devices": devices}


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
    from .textsafe import md_text

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
        finalize=md_text if fmt == "md" else _visible_unless_safe,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        bytecode_cache=bytecode)
    env.filters.update(_filters())
    return env


def _visible_unless_safe(value: object) -> object:
    """Control characters shown, except in what sldiag built already escaped (Safe text, and
    the HTML markup of its own helpers such as the timeline)."""
    from markupsafe import Markup

    from .textsafe import Safe, visible

    return value if isinstance(value, Safe | Markup) else visible(value)


def _filters() -> dict[str, Any]:
    from .textsafe import Safe, md_code, md_prose, md_text, visible

    return {
        "prose": md_prose,                        # Markdown: commands, placeholders as code
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


# -- fleets: classes, states, deadlines, the summary table --------------------------------------

# How a device's verdict is counted: the worst finding of warning or worse, else ok (or
# unknown when nothing about licensing was read).
VERDICT_CLASSES = ("critical", "error", "warning", "ok", "unknown")
_CLASS_RANK = {name: rank for rank, name in enumerate(VERDICT_CLASSES)}


def verdict_class(result: DeviceResult) -> str:
    worst = result.worst
    if worst is not None and worst.severity in ("critical", "error", "warning"):
        return worst.severity
    return "unknown" if result.mode == "unknown" else "ok"


def worst_first(results: list[DeviceResult]) -> list[DeviceResult]:
    """Devices by how bad things are (stable: input order within a class)."""
    return sorted(results, key=lambda r: _CLASS_RANK[verdict_class(r)])


def class_counts(results: list[DeviceResult]) -> list[tuple[str, int]]:
    counts = {name: 0 for name in VERDICT_CLASSES}
    for r in results:
        counts[verdict_class(r)] += 1
    return [(name, n) for name, n in counts.items() if n]


def device_heading(result: DeviceResult) -> str:
    return result.hostname or "(unnamed device)"


def shown_findings(result: DeviceResult, min_severity: str | None = None) -> list[Any]:
    """The findings to detail: those at or above ``min_severity`` (all when None)."""
    if not min_severity:
        return list(result.findings)
    limit = SEVERITY_RANK[min_severity]
    return [f for f in result.findings if SEVERITY_RANK[f.severity] <= limit]


def show_flowchart(result: DeviceResult) -> bool:
    """The flowchart only where it locates a problem."""
    return (result.flowchart is not None and result.flowchart.locates
            and verdict_class(result) in ("critical", "error", "warning"))


def _days(when: Any, result: DeviceResult) -> int | None:
    from datetime import datetime

    if not isinstance(when, datetime) or result.reference_time is None:
        return None
    try:
        return int((when - result.reference_time[0]).total_seconds() // 86400)
    except TypeError:  # one aware, one naive
        return None


def days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}" if days > 0 else \
        f"{-days} day{'s' if days != -1 else ''} ago"


def deadlines(result: DeviceResult) -> list[dict[str, Any]]:
    """The dates a device must act by, against its own clock: (what, when, days from now)."""
    from datetime import datetime, timedelta

    f = result.facts
    found: list[tuple[str, Any]] = [
        ("next ACK deadline", f.value("usage_reporting.next_ack_deadline")),
        ("communication deadline", f.value("authorization.communication_deadline")),
        ("registration expires", f.value("registration.expires")),
    ]
    remaining = f.value("authorization.evaluation_remaining")
    if isinstance(remaining, timedelta) and result.reference_time is not None:
        found.append(("evaluation ends", result.reference_time[0] + remaining))
    out = []
    for what, when in found:
        if isinstance(when, datetime):
            out.append({"what": what, "when": when, "days": _days(when, result)})
    return sorted(out, key=lambda d: d["when"].timestamp())


def _date(value: Any) -> str:
    from .facts import human

    return human(value) if value is not None else "unknown"


def state_line(result: DeviceResult) -> str:
    """The licensing state in one line, for either generation."""
    f = result.facts
    lic = result.licensing_json()
    if result.mode == "smart-licensing-using-policy":
        trust = {True: "installed", False: "NOT installed", None: "unknown"}[
            lic["trust_code_installed"]]
        ack = f.value("usage_reporting.last_ack_received")
        parts = [f"transport {lic['transport'] or 'unknown'}", f"trust code {trust}",
                 f"last ACK {_date(ack) if ack else 'never or not shown'}"]
        deadline = f.value("usage_reporting.next_ack_deadline")
        if deadline is not None:
            when = days_text(_days(deadline, result))
            parts.append(f"next ACK deadline {_date(deadline)}" + (f" ({when})" if when else ""))
        return "Using Policy: " + ", ".join(parts)
    if lic["registration_status"] or lic["authorization_status"]:
        registration = lic["registration_status"] or "not shown"
        expires = f.value("registration.expires")
        if expires is not None:
            registration += f" (expires {_date(expires)})"
        authorization = lic["authorization_status"] or "not shown"
        extra = []
        if f.value("authorization.status_date") is not None:
            extra.append(f"since {_date(f.value('authorization.status_date'))}")
        for d in deadlines(result):
            if d["what"] in ("communication deadline", "evaluation ends"):
                when = days_text(d["days"])
                extra.append(f"{d['what']} {_date(d['when'])}" + (f", {when}" if when else ""))
        if extra:
            authorization += f" ({'; '.join(extra)})"
        return f"Registration: {registration} | Authorization: {authorization}"
    return MODE_LABELS[result.mode]


def short_state(result: DeviceResult) -> str:
    lic = result.licensing_json()
    if result.mode == "smart-licensing-using-policy":
        trust = {True: "trust ok", False: "NO trust", None: "trust ?"}[
            lic["trust_code_installed"]]
        deadline = result.facts.value("usage_reporting.next_ack_deadline")
        due = f", ACK due {deadline:%Y-%m-%d}" if deadline is not None else ""
        return f"policy {lic['transport'] or '?'}, {trust}{due}"
    state = "/".join(s for s in (lic["registration_status"], lic["authorization_status"]) if s)
    return state or result.mode


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[:max(width - 1, 0)] + "\u2026"


def report_width() -> int:
    """The terminal's width (COLUMNS first), 100 when there is no terminal."""
    import shutil

    return max(40, shutil.get_terminal_size((100, 24)).columns)


def summary_table(results: list[DeviceResult], width: int | None = None) -> list[str]:
    """One line per device, worst first (SEVERITY, DEVICE, STATE, VERDICT), no line wider
    than ``width``."""
    from .textsafe import visible_line

    width = width or report_width()
    rows = [(verdict_class(r).upper(), visible_line(device_heading(r)),
             visible_line(short_state(r)), visible_line(verdict(r)))
            for r in worst_first(results)]
    header = ("SEVERITY", "DEVICE", "STATE", "VERDICT")
    sev = max(len(row[0]) for row in [header, *rows])
    dev = min(max(len(row[1]) for row in [header, *rows]), max(12, width // 5))
    state = min(max(len(row[2]) for row in [header, *rows]), max(12, width // 3))
    rest = width - 2 - sev - dev - state - 6
    if rest < 24:
        state = max(8, state - (24 - rest))
        rest = width - 2 - sev - dev - state - 6
    lines = []
    for row in [header, *rows]:
        cells = (_fit(row[0], sev), _fit(row[1], dev), _fit(row[2], state), _fit(row[3], rest))
        lines.append(("  " + "  ".join(cells)).rstrip()[:width])
    return lines


_TIMELINE_KINDS = {"next ACK deadline": "#b45309", "communication deadline": "#b91c1c",
                   "registration expires": "#1d4ed8", "evaluation ends": "#7c3aed"}


def timeline_svg(results: list[DeviceResult], width: int = 1000) -> Any:
    """The deadlines of every device as an inline SVG: one row per device (worst first), days
    from each device's own clock on the x axis, today marked. Empty when no device has one."""
    from markupsafe import Markup, escape

    rows = []
    for r in worst_first(results):
        marks = [d for d in deadlines(r) if d["days"] is not None]
        if marks:
            rows.append((device_heading(r), verdict_class(r), marks))
    if not rows:
        return Markup("")
    days = [d["days"] for _, _, marks in rows for d in marks]
    low = max(-365, min(-14, min(days) - 7))
    high = min(1100, max(30, max(days) + 7))
    label_w, right, top, row_h = 200, 20, 58, 22
    plot = width - label_w - right
    height = top + row_h * len(rows) + 30

    def x(day: int) -> float:
        day = min(max(day, low), high)
        return label_w + plot * (day - low) / (high - low)

    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="Deadlines per device, in days from each device\'s clock">']
    legend_x = label_w
    for kind, colour in _TIMELINE_KINDS.items():
        out.append(f'<circle cx="{legend_x + 6}" cy="14" r="5" fill="{colour}"/>'
                   f'<text x="{legend_x + 16}" y="18" font-size="12">{escape(kind)}</text>')
        legend_x += 30 + 7 * len(kind)
    step = next(s for s in (7, 14, 30, 60, 90, 180, 365) if (high - low) / s <= 12)
    tick = (low // step) * step
    while tick <= high:
        if tick >= low:
            out.append(f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" '
                       f'y2="{height - 24}" stroke="#e5e7eb"/>'
                       f'<text x="{x(tick):.1f}" y="{height - 8}" font-size="11" '
                       f'text-anchor="middle" fill="#6b7280">{tick:+d} d</text>')
        tick += step
    out.append(f'<line class="today" x1="{x(0):.1f}" y1="{top - 14}" x2="{x(0):.1f}" '
               f'y2="{height - 24}" stroke="#111827" stroke-width="2"/>'
               f'<text x="{x(0):.1f}" y="{top - 18}" font-size="12" font-weight="bold" '
               'text-anchor="middle">today</text>')
    for n, (name, klass, marks) in enumerate(rows):
        y = top + n * row_h + row_h / 2
        shown = name if len(name) <= 28 else name[:27] + "\u2026"
        out.append(f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="12" '
                   f'text-anchor="end" class="sev-{klass}">{escape(shown)}</text>'
                   f'<line x1="{label_w}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   'stroke="#f3f4f6"/>')
        for d in marks:
            colour = _TIMELINE_KINDS[d["what"]]
            tip = f"{name}: {d['what']} {_date(d['when'])} ({days_text(d['days'])})"
            out.append(f'<circle class="deadline" cx="{x(d["days"]):.1f}" cy="{y:.1f}" r="6" '
                       f'fill="{colour}"><title>{escape(tip)}</title></circle>')
    out.append("</svg>")
    return Markup("".join(out))


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


_COLOURS = {"critical": "1;35", "error": "1;31", "warning": "33", "info": "36", "ok": "32",
            "unknown": "2"}


def _painter(colour: bool) -> Any:
    from .textsafe import Safe, visible

    def paint(text: object, severity: str) -> str:
        if not colour or severity not in _COLOURS:
            return str(text)
        return Safe(f"\x1b[{_COLOURS[severity]}m{visible(text)}\x1b[0m")

    return paint


def render(results: list[DeviceResult], fmt: str, verbose: bool = False,
           template: Path | None = None,
           problems: dict[str, list[str]] | None = None, *,
           min_severity: str | None = None, summary_only: bool = False,
           colour: bool = False, width: int | None = None) -> str:
    """Render the results: the shipped template for the format, or the user's own.
    ``problems``: the inputs not analysed, or only in part (errors, skipped, limits);
    ``min_severity``: the least severe finding detailed; ``summary_only``: counts and one line
    per device; ``colour``: ANSI colours (text on a terminal only)."""
    problems = problems or NO_PROBLEMS
    if fmt == "json" and template is None:
        return render_json(results, problems)
    if template is not None:
        tmpl = _environment(fmt, str(template.parent.resolve())).get_template(template.name)
    else:
        tmpl = _environment(fmt).get_template(TEMPLATES[fmt])
    from .textsafe import md_fence

    return tmpl.render(results=results, verdict=verdict, modes=MODE_LABELS, version=__version__,
                       ordered=worst_first(results), counts=class_counts(results),
                       verdict_class=verdict_class, state_line=state_line,
                       deadlines=deadlines, days_text=days_text, heading=device_heading,
                       shown=lambda r: shown_findings(r, min_severity),
                       min_severity=min_severity, show_flowchart=show_flowchart,
                       summary_only=summary_only, paint=_painter(colour and fmt == "text"),
                       summary_table=lambda rs: summary_table(rs, width),
                       timeline=timeline_svg,
                       verbose=verbose, summary_rows=summary_rows, summary_of=summary_of,
                       excerpts=excerpts, step_parts=step_parts, prose_parts=prose_parts,
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
