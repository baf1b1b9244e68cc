"""What every report format says about a device or a fleet, as plain values: verdict
classes, the order worst first, the licensing state in a line, deadlines in days, the fleet
summary table fitted to a terminal. The formats only decide how it looks."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from ..base.textsafe import visible_line
from ..diagnosing.knowledge import SEVERITY_RANK
from ..diagnosing.state import days_between
from ..model.results import Deadline, DeviceResult, Evidence, Excerpt, Finding
from ..model.values import human

NO_CLOCK = "not in the capture: no deadline was taken as passed"
# How a device's verdict is counted: the worst finding of warning or worse, else ok (or
# unknown when nothing about licensing was read).
VERDICT_CLASSES = ("critical", "error", "warning", "ok", "unknown")
_CLASS_RANK = {name: rank for rank, name in enumerate(VERDICT_CLASSES)}
_TRUST = {True: "installed", False: "NOT installed", None: "unknown"}


def worst_severity(results: list[DeviceResult]) -> str | None:
    severities = [f.severity for r in results for f in r.findings]
    return min(severities, key=SEVERITY_RANK.__getitem__) if severities else None


def verdict(result: DeviceResult) -> str:
    return result.verdict or "OK: no problem found"


# Deadlines by a name scripts can switch on.
DEADLINE_KINDS = {"next ACK deadline": "next_ack", "communication deadline": "communication",
                  "registration expires": "registration_expiry",
                  "evaluation ends": "evaluation_end"}


def next_deadline_json(result: DeviceResult) -> dict[str, Any] | None:
    """The soonest dated deadline (passed ones too: negative days), or None."""
    soonest = result.state.deadlines[0] if result.state.deadlines else None
    if soonest is None:
        return None
    return {"kind": DEADLINE_KINDS.get(soonest.what, soonest.what),
            "date": soonest.when.isoformat(), "days": soonest.days,
            "at_least": soonest.at_least}


def identity_json(result: DeviceResult) -> dict[str, Any]:
    """What scripts group devices by, without parsing the verdict."""
    facts = result.facts
    worst = result.findings[0].severity if result.findings else None
    return {"worst_severity": worst,
            "platform": facts.value("version.platform") or facts.value("udi.pid"),
            "release": facts.value("version.software"),
            "serial": facts.value("version.serial") or facts.value("udi.sn"),
            "next_deadline": next_deadline_json(result)}


def clock_json(result: DeviceResult) -> dict[str, Any] | None:
    """The device's 'now' that deadlines were judged against, and where it was read;
    ``exact`` false: no clock in the capture, the latest instant it proves (a lower bound)."""
    clock = result.reference_time
    if clock is None:
        return None
    return {"time": clock.when.isoformat(), "source": clock.source, "exact": clock.exact}


def clock_line(result: DeviceResult) -> str:
    clock = result.reference_time
    if clock is None:
        return NO_CLOCK
    if not clock.exact:
        return (f"not in the capture; at least {human(clock.when)}, proved by {clock.source} "
                "(a deadline before it has passed; how far ahead a later one lies is unknown)")
    return f"{human(clock.when)} ({clock.source})"


def mode_line(result: DeviceResult) -> str:
    """The licensing mode and the line that told it."""
    state = result.state
    marker = state.mode_marker
    if marker is None:
        return state.mode_label
    return f"{state.mode_label}; from {marker['file']}:{marker['line']}: {marker['text'].strip()}"


def verdict_class(result: DeviceResult) -> str:
    worst = result.worst
    if worst is not None and worst.severity in ("critical", "error", "warning"):
        return worst.severity
    return "unknown" if result.mode == "unknown" else "ok"


def worst_first(results: list[DeviceResult]) -> list[DeviceResult]:
    """Devices by how bad things are (stable: input order within a class)."""
    return sorted(results, key=lambda r: _CLASS_RANK[verdict_class(r)])


def class_counts(results: list[DeviceResult]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(VERDICT_CLASSES, 0)
    for r in results:
        counts[verdict_class(r)] += 1
    return [(name, n) for name, n in counts.items() if n]


def device_heading(result: DeviceResult) -> str:
    name = result.hostname or "(unnamed device)"
    if result.also_seen_as:
        name += f" (also seen as {', '.join(result.also_seen_as)})"
    return name


def shown_findings(result: DeviceResult, min_severity: str | None = None) -> list[Finding]:
    """The findings to detail: those at or above ``min_severity`` (all when None)."""
    if not min_severity:
        return list(result.findings)
    limit = SEVERITY_RANK[min_severity]
    return [f for f in result.findings if SEVERITY_RANK[f.severity] <= limit]


def show_flowchart(result: DeviceResult) -> bool:
    """The flowchart only where it locates a problem."""
    return (result.flowchart is not None and result.flowchart.locates
            and verdict_class(result) in ("critical", "error", "warning"))


def finding_label(rule_id: str, result: DeviceResult) -> str:
    """A related finding named as the report names it (title, with its scenario number)."""
    for finding in result.findings:
        if finding.rule_id == rule_id:
            return finding.label
    return rule_id


def fix_block(result: DeviceResult) -> list[str]:
    """One configuration to paste that fixes the causes found (a cause before what it
    causes), then the commands that verify it. Lines the capture could not fill in are
    comments naming what to fill in; nothing is saved until the engineer says so."""
    fixing = sorted((f for f in result.findings if f.fix and f.severity != "info"),
                    key=lambda f: 0 if f.consequences else 1)
    if not fixing:
        return []
    lines = [f"! {result.hostname or 'unnamed device'}: sldiag's fix, from {result.source}",
             "configure terminal"]
    for finding in fixing:
        lines.append(f"! {finding.label} ({finding.rule_id})")
        lines.extend(finding.fix)
        if finding.fix[-1].startswith(" "):
            lines.append(" exit")  # back to global configuration for the next block
    lines.append("end")
    verify = dict.fromkeys(v for f in fixing for v in f.verify)
    lines += ["! verify:", *verify, "! when it works: write memory"]
    return lines


def further_reading(finding: Finding) -> list[str]:
    """What a finding cites beside the TAC guide: public documents, field notices, bugs."""
    refs = finding.references
    notices = [f"Field Notice {fn}" for fn in refs.get("field_notices", [])]
    return [*refs.get("documents", []), *notices, *refs.get("bugs", [])]


def days_text(days: int | None, at_least: bool = False) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{'at least ' if at_least else ''}{-days} day{'s' if days != -1 else ''} ago"


def deadlines(result: DeviceResult) -> list[Deadline]:
    return result.state.deadlines


def _date(value: Any) -> str:
    return human(value) if value is not None else "unknown"


def _days_text(when: datetime | None, result: DeviceResult) -> str:
    clock = result.reference_time
    return days_text(days_between(when, clock), clock is not None and not clock.exact)


def state_line(result: DeviceResult) -> str:
    """The licensing state in one line, for either generation."""
    state = result.state
    if state.using_policy:
        ack = state.last_ack_received
        parts = [f"transport {state.transport or 'unknown'}",
                 f"trust code {_TRUST[state.trust_code_installed]}",
                 f"last ACK {_date(ack) if ack else 'never or not shown'}"]
        deadline = state.next_ack_deadline
        if deadline is not None:
            when = _days_text(deadline, result)
            parts.append(f"next ACK deadline {_date(deadline)}" + (f" ({when})" if when else ""))
        return "Using Policy: " + ", ".join(parts)
    if state.registration_status or state.authorization_status:
        registration = state.registration_status or "not shown"
        if state.registration_expires is not None:
            registration += f" (expires {_date(state.registration_expires)})"
        authorization = state.authorization_status or "not shown"
        extra = []
        if state.authorization_since is not None:
            extra.append(f"since {_date(state.authorization_since)}")
        for d in state.deadlines:
            if d.what in ("communication deadline", "evaluation ends"):
                when = days_text(d.days, d.at_least)
                extra.append(f"{d.what} {_date(d.when)}" + (f", {when}" if when else ""))
        if extra:
            authorization += f" ({'; '.join(extra)})"
        return f"Registration: {registration} | Authorization: {authorization}"
    return state.mode_label


def short_state(result: DeviceResult) -> str:
    state = result.state
    if state.using_policy:
        trust = {True: "trust ok", False: "NO trust", None: "trust ?"}[
            state.trust_code_installed]
        deadline = state.next_ack_deadline
        due = f", ACK due {deadline:%Y-%m-%d}" if deadline is not None else ""
        return f"policy {state.transport or '?'}, {trust}{due}"
    shown = "/".join(s for s in (state.registration_status, state.authorization_status) if s)
    return shown or result.mode


def summary_of(result: DeviceResult) -> dict[str, str]:
    f = result.facts
    state = result.state
    if state.using_policy:
        trust = {True: "installed", False: "not installed", None: "unknown"}[
            state.trust_code_installed]
        ack = state.last_ack_received
        shown = (f"transport {state.transport or 'unknown'}, trust code {trust}, last ACK "
                 f"{ack.isoformat() if ack else 'never or unknown'}")
    else:
        shown = " / ".join(s for s in (state.registration_status, state.authorization_status)
                           if s) or "unknown"
    return {
        "hostname": result.display_name,
        "platform": f.value("version.platform") or f.value("udi.pid") or "unknown",
        "version": f.value("version.software") or "unknown",
        "mode": mode_line(result),
        "state": shown,
        "flowchart": result.flowchart.label if result.flowchart else "not placed",
        "clock": clock_line(result),
        "worst": verdict(result),
    }


def facts_table(result: DeviceResult) -> list[tuple[str, str, str]]:
    """(fact, value, file:line) for every fact the capture showed."""
    return [(path, human(fact.value), f"{fact.file}:{fact.line}")
            for path, fact in result.facts.shown() if not path.startswith("device.")]


def step_parts(step: str) -> list[tuple[str, str]]:
    """Split a next step into prose and commands (`...`), so commands can be copied."""
    parts: list[tuple[str, str]] = []
    for n, piece in enumerate(step.split("`")):
        if piece.strip(" ,.;:"):
            parts.append(("cli" if n % 2 else "text", piece.strip()))
    return parts


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[:max(width - 1, 0)] + "\u2026"


def report_width() -> int:
    """The terminal's width (COLUMNS first), 100 when there is no terminal."""
    import shutil  # here: shutil brings the compressors, which a report never needs

    return max(40, shutil.get_terminal_size((100, 24)).columns)


def summary_table(results: list[DeviceResult], width: int | None = None) -> list[str]:
    """One line per device, worst first (SEVERITY, DEVICE, FILE, STATE, VERDICT), no line
    wider than ``width`` (for a terminal: control characters shown, so widths are what it
    shows). The file tells devices of one name apart (the folder all share left out, then
    shortened in the middle); the verdict does not repeat the severity; below 120 columns
    the state gives its room to the verdict."""
    width = width or report_width()
    ordered = worst_first(results)
    # The folder every file shares says nothing: the FILE column starts after it.
    shared = os.path.commonpath([r.source for r in ordered]) if len(ordered) > 1 else ""
    if shared and any(r.source == shared for r in ordered):  # one file: its folder
        shared = os.path.dirname(shared)
    rows = [(verdict_class(r).upper(), visible_line(device_heading(r)),
             visible_line(os.path.relpath(r.source, shared) if shared else r.source),
             visible_line(short_state(r)), visible_line(_without_severity(verdict(r))))
            for r in ordered]
    header = ("SEVERITY", "DEVICE", "FILE", "STATE", "VERDICT")
    with_state = width >= 120
    widest = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    sev = widest[0]
    dev = min(widest[1], max(10, width // 8))
    file = min(widest[2], max(16, width // 5))
    state = min(widest[3], max(12, width // 5)) if with_state else 0
    gaps = 2 * (4 if with_state else 3)
    rest = width - 2 - sev - dev - file - state - gaps
    lines = []
    for row in [header, *rows]:
        cells = [_fit(row[0], sev), _fit(row[1], dev), _fit_middle(row[2], file)]
        if with_state:
            cells.append(_fit(row[3], state))
        cells.append(_fit(row[4], rest))
        lines.append(("  " + "  ".join(cells)).rstrip()[:width])
    return lines


def _without_severity(text: str) -> str:
    """A verdict after the SEVERITY column: "ERROR - Scenario #5..." -> "Scenario #5..."."""
    head, sep, rest = text.partition(" - ")
    return rest if sep and head in {"CRITICAL", "ERROR", "WARNING", "INFO"} else text


def _fit_middle(text: str, width: int) -> str:
    """A file name shortened in the middle: its start (what tells captures apart: 01-..., a
    hostname) and its end (the kind of file) stay."""
    if len(text) <= width:
        return text.ljust(width)
    if width < 8:
        return text[:max(width - 1, 0)] + "\u2026"
    head = (width - 1) * 2 // 3
    return text[:head] + "\u2026" + text[len(text) - (width - 1 - head):]


def summary_rows(results: list[DeviceResult]) -> list[list[str]]:
    """A fleet summary, one row per device, columns padded to line up (for templates)."""
    rows = [["DEVICE", "SOURCE", "STATE", "VERDICT"]]
    for r in results:
        if r.state.using_policy:
            state = summary_of(r)["state"]  # transport, trust and last ACK
        else:
            state = "/".join(s for s in (r.state.registration_status,
                                         r.state.authorization_status) if s)
        rows.append([r.hostname or "(unnamed)", r.source, state or r.mode, verdict(r)])
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [[cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)]
            for row in rows]


def excerpts(result: DeviceResult, evidence: list[Evidence]) -> list[Excerpt]:
    """The excerpts cut for this evidence (a finding's), else its lines one by one."""
    for finding in result.findings:
        if finding.excerpts and finding.evidence == evidence:
            return finding.excerpts
    return [(e["file"], [(e["line"], e["text"], True)]) for e in evidence]


def raw_sections(result: DeviceResult) -> list[tuple[str, int, list[tuple[int, str]]]]:
    """The outputs shown whole: (command as typed, first line, numbered lines)."""
    return [(o.shown, o.first, o.lines) for o in result.raw_outputs]
