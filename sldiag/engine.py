"""The engine: one device's facts in, its findings out, plus what the report summarises."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import facts as fm
from .catalog import Catalog, RowFact
from .messages import render
from .parsing import ParseGap
from .rules import SEVERITY_RANK, Rule, Stage, Verdict, evaluate

MODES = ("smart-licensing", "smart-licensing-using-policy", "not-smart-licensing", "unknown")


@dataclass
class Finding:
    rule_id: str
    rule_version: int
    severity: str
    scenario: int | None
    category: str
    title: str
    evidence: list[dict[str, Any]]
    explanation: str
    next_steps: list[str]
    references: dict[str, Any]
    causes: list[str] = field(default_factory=list)  # ids of the findings that explain it
    primary: dict[str, Any] | None = None  # the line the condition itself matched first
    consequences: list[str] = field(default_factory=list)  # ids of findings it explains
    calibration: str | None = None  # why the severity differs from the rule's own

    @property
    def label(self) -> str:
        """The title, with the TAC guide's scenario number when it has one."""
        return f"Scenario #{self.scenario}: {self.title}" if self.scenario else self.title

    def to_json(self) -> dict[str, Any]:
        return {"id": self.rule_id, "scenario": self.scenario, "severity": self.severity,
                "title": self.title, "evidence": self.evidence, "next_steps": self.next_steps,
                "category": self.category, "explanation": self.explanation,
                "references": self.references, "causes": self.causes,
                "consequences": self.consequences, "severity_because": self.calibration}


@dataclass
class DeviceResult:
    hostname: str | None
    source: str
    facts: fm.Facts
    gaps: list[ParseGap]
    mode: str
    reference_time: tuple[datetime, str] | None
    findings: list[Finding] = field(default_factory=list)
    flowchart: Stage | None = None
    lines: list[str] = field(default_factory=list, repr=False)       # the capture, sanitised
    sections: list[Any] = field(default_factory=list, repr=False)    # sections.Section
    sanitized: bool = True   # secrets removed from the lines (unless --show-secrets)
    verdict: str = ""        # one line: the worst finding, or a positive statement

    def flowchart_json(self) -> dict[str, Any] | None:
        if self.flowchart is None:
            return None
        return {"stage": self.flowchart.stage, "label": self.flowchart.label,
                "path": self.flowchart.path}

    @property
    def display_name(self) -> str:
        return self.hostname or f"(unnamed device in {self.source})"

    @property
    def worst(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def licensing_json(self) -> dict[str, Any]:
        f = self.facts
        ack = f.value("usage_reporting.last_ack_received")
        return {
            "mode": self.mode,
            "registration_status": f.value("registration.status"),
            "authorization_status": f.value("authorization.status"),
            "transport": transport_name(f.value("transport.type")),
            "trust_code_installed": trust_code_installed(f),
            "last_ack_received": ack.isoformat() if isinstance(ack, datetime) else None,
        }


def trust_code_installed(facts: fm.Facts) -> bool | None:
    """True when every unit listed has a trust code, False when one lacks it, None if unseen."""
    members, installed = facts.value("trust.members"), facts.value("trust.installed")
    if members:
        return bool(installed) and len(installed) >= len(members)
    code = facts.value("trust.code")
    if code is not None:
        return code != "NOT INSTALLED"
    overall = (facts.value("trust.overall") or "").upper()
    if overall:
        return overall.startswith("INSTALLED")
    return None


def transport_name(printed: str | None) -> str | None:
    if not printed:
        return None
    name = printed.strip().lower()
    return "off" if name in {"transport off", "off"} else name


def licensing_mode(facts: fm.Facts, modes: list[tuple[str, dict[str, Any]]]) -> str:
    """Which licensing the device runs: the first mode of rules/modes.yaml that holds."""
    for mode, condition in modes:
        if evaluate(condition, facts, None).matched:
            return mode
    return "unknown"


def derive_facts(facts: fm.Facts, catalog: Catalog, sections: Sequence[Any] = ()) -> None:
    """Facts derived from other facts: what log rows show when no command printed it
    (``row_facts`` in the index), and counts (conditions compare facts, not lists)."""
    for path, source in catalog.fact_fallbacks:
        if facts.get(path) is None and facts.get(source) is not None:
            facts.set(path, facts.get(source))
    _row_facts(facts, catalog.row_facts)
    units = {str(r.get("switch")): r for r in facts.stack_members if r.get("switch")}
    ha = facts.get("udi.ha_units")
    if units and len(units) >= len(ha.value if ha else []):
        first = min(units.values(), key=lambda r: r.line)
        facts.set("platform.units", fm.Fact(len(units), first.file, first.line, first.text))
    elif ha is not None:
        facts.set("platform.units", fm.Fact(len(ha.value), ha.file, ha.line, ha.text))
    _licenses_per_tier(facts, catalog.license_tiers, sections)
    members = facts.get("trust.members")
    if members is not None:
        installed = facts.value("trust.installed") or []
        facts.set("trust.units_without_code", fm.Fact(
            max(0, len(members.value) - len(installed)), members.file, members.line, members.text))


def _row_facts(facts: fm.Facts, row_facts: list[RowFact]) -> None:
    """Facts a log row names (the transport of a COMM_FAILED message, the PID of a PnP
    message), taken only where no command output printed them; the newest row wins."""
    for rule in row_facts:
        if facts.get(rule.fact) is not None:
            continue
        for row in reversed(facts.rows(rule.rows)):
            if not all(p.search(fm.human(row.get(name))) for name, p in rule.match.items()):
                continue
            value = rule.value
            if rule.take is not None:
                m = rule.regex.search(fm.human(row.get(rule.take))) if rule.regex else None
                value = (m.group(1) if m and m.groups() else m.group(0) if m
                         else row.get(rule.take))
            if value not in (None, ""):
                facts.set(rule.fact, fm.Fact(value, row.file, row.line, row.text))
                break


def _licenses_per_tier(facts: fm.Facts, tiers: dict[str, re.Pattern[str]],
                       sections: Sequence[Any]) -> None:
    """Licenses in use per tier: summed over every entitlement of the tier within one
    command's output (a stack can hold several handles of one tier), the largest total over
    the outputs (show license all and tech support list the same licenses)."""
    dna, network = tiers.get("dna"), tiers.get("network")
    counted = [r for r in facts.license_usage if isinstance(r.get("count"), int)]
    if not counted:
        return
    starts = sorted((s.header_line or (s.lines[0][0] if s.lines else 0), n)
                    for n, s in enumerate(sections))
    first_lines = [line for line, _ in starts]

    def output_of(row: fm.Row) -> int:
        at = bisect_right(first_lines, row.line) - 1
        return starts[at][1] if at >= 0 else -1

    def label(row: fm.Row) -> str:
        return f"{row.get('name') or ''} {row.get('tag') or ''}"

    by_tier: dict[str, list[fm.Row]] = {
        "platform.dna_licenses": [r for r in counted if dna and dna.search(label(r))],
        "platform.network_licenses": [r for r in counted if network and network.search(label(r))
                                      and not (dna and dna.search(label(r)))],
    }
    for path, rows in by_tier.items():
        totals: dict[int, list[fm.Row]] = {}
        for row in rows:
            totals.setdefault(output_of(row), []).append(row)
        if not totals:
            continue
        best = max(totals.values(), key=lambda rs: sum(r.get("count") for r in rs))
        first = min(best, key=lambda r: r.line)
        facts.set(path, fm.Fact(sum(r.get("count") for r in best), first.file, first.line,
                                first.text))


def reference_time(facts: fm.Facts) -> tuple[datetime, str] | None:
    """'Now' for deadlines: the device clock, else the newest log timestamp (and which)."""
    clock = facts.get("clock.time")
    if clock is not None:
        return clock.value, f"show clock at {clock.file}:{clock.line}"
    agent = facts.get("clock.agent_time")
    if agent is not None:
        return agent.value, f"the Smart Agent's current time at {agent.file}:{agent.line}"
    stamps = [r for r in facts.syslog if isinstance(r.get("timestamp"), datetime)]
    if stamps:
        newest = max(stamps, key=lambda r: r.get("timestamp"))
        return newest.get("timestamp"), f"newest log message at {newest.file}:{newest.line}"
    return None


def hostname_of(prompt_hostname: str | None, facts: fm.Facts) -> str | None:
    return (prompt_hostname or facts.value("config.hostname")
            or facts.value("version.hostname"))


def run_rules(result: DeviceResult, rules: list[Rule]) -> None:
    """Evaluate every rule; keep matches that can cite evidence, at the severity the
    device's evidence calls for; drop superseded ones; put causes before what they cause."""
    now, source = result.reference_time or (None, "no clock in the capture")
    fired: dict[str, Finding] = {}
    superseded: set[str] = set()
    for rule in rules:
        if rule.modes and result.mode not in rule.modes:
            continue
        match = evaluate(rule.when, result.facts, now)
        if not match.matched:
            continue
        severity, because, extra = rule.severity, None, []
        for step in rule.calibrate:
            calibration = evaluate(step["when"], result.facts, now)
            if calibration.matched:
                severity, extra = step["severity"], calibration.evidence
                because = render(step["because"], result.facts, result.hostname, now, source)
                break
        if severity == "silent":
            continue
        quoted: list[fm.Fact | fm.Row] = list(match.evidence)
        for path in rule.evidence:
            fact = result.facts.get(path)
            if fact is not None:
                quoted.append(fact)
        evidence = _unique_sorted(quoted)
        if not evidence:
            continue  # no evidence, no finding
        if extra:  # what proved the device works anyway (or worse) is quoted too
            evidence = _merge_evidence(evidence, _unique_sorted(list(extra)))
        primary = match.evidence[0].evidence() if match.evidence else evidence[0]
        steps = (render(s, result.facts, result.hostname, now, source) for s in rule.next_steps)
        fired[rule.id] = Finding(
            rule_id=rule.id, rule_version=rule.version, severity=severity,
            scenario=rule.scenario, category=rule.category, title=rule.title,
            evidence=evidence,
            explanation=render(rule.explanation, result.facts, result.hostname, now, source),
            # A step whose condition (in its text) does not hold renders empty: left out.
            next_steps=[step for step in steps if step],
            references=rule.references, primary=primary, calibration=because)
        superseded.update(rule.supersedes)
    by_id = {rule.id: rule for rule in rules}
    findings = [f for rid, f in fired.items() if rid not in superseded]
    kept = {f.rule_id: f for f in findings}
    for finding in findings:
        _attach_causes(finding, by_id[finding.rule_id], kept, result.facts)
    for finding in findings:
        for cause_id in finding.causes:
            kept[cause_id].consequences.append(finding.rule_id)
    # What causes an error is itself the error to fix (along chains of causes too).
    changed = True
    while changed:
        changed = False
        for finding in findings:
            for cause_id in finding.causes:
                cause = kept[cause_id]
                if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[cause.severity]:
                    cause.severity, changed = finding.severity, True
                    cause.calibration = f"it is the cause of {finding.label}"
    depth = _cause_depths(kept)
    # Worst first; within a severity, a root cause before what it causes.
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], -depth[f.rule_id],
                                 f.scenario or 99, f.rule_id))
    result.findings = findings


def _cause_depths(findings: dict[str, Finding]) -> dict[str, int]:
    """How many links of consequences follow each finding (0: it causes nothing found)."""
    depth: dict[str, int] = {}

    def of(rule_id: str, seen: frozenset[str]) -> int:
        if rule_id not in depth:
            nexts = [c for c in findings[rule_id].consequences if c not in seen]
            depth[rule_id] = max((1 + of(c, seen | {c}) for c in nexts), default=0)
        return depth[rule_id]

    for rule_id in findings:
        of(rule_id, frozenset({rule_id}))
    return depth


def decide_verdict(result: DeviceResult, verdicts: list[Verdict]) -> None:
    """One line: the worst finding (its cause first) when it is a warning or worse, else
    the first positive verdict of rules/verdicts.yaml that holds."""
    now, source = result.reference_time or (None, "no clock in the capture")
    worst = result.worst
    if worst is not None and SEVERITY_RANK[worst.severity] <= SEVERITY_RANK["warning"]:
        text = f"{worst.severity.upper()} - {worst.label}"
        labels = {f.rule_id: f.label for f in result.findings}
        effects = [labels[c] for c in worst.consequences if c in labels]
        if effects:
            text += f" (the cause of: {'; '.join(effects)})"
        result.verdict = text
        return
    fired = frozenset(f.rule_id for f in result.findings)
    for entry in verdicts:
        if result.mode in entry.modes and evaluate(entry.when, result.facts, now, fired).matched:
            result.verdict = " ".join(render(entry.text, result.facts, result.hostname, now,
                                             source).split())
            return
    result.verdict = "OK: no problem found"


def place_on_flowchart(result: DeviceResult, stages: list[Stage]) -> None:
    """Where the device stands on the TAC guide's flowchart: the first stage that holds."""
    now = result.reference_time[0] if result.reference_time else None
    fired = frozenset(f.rule_id for f in result.findings)
    for stage in stages:
        if result.mode in stage.modes and evaluate(stage.when, result.facts, now, fired).matched:
            result.flowchart = stage
            return


def _attach_causes(finding: Finding, rule: Rule, fired: dict[str, Finding],
                   facts: fm.Facts) -> None:
    """Put the fix of each cause found first, quoting its line; or say what would settle it."""
    if not rule.causes:
        return
    found = [fired[c] for c in rule.causes if c in fired]
    steps: list[str] = []
    for cause in found:
        where = cause.primary or cause.evidence[0]
        steps.append(f"Cause found: {cause.title} ({where['file']}:{where['line']}: "
                     f"`{where['text'].strip()}`). {cause.next_steps[0]}")
        finding.evidence = _merge_evidence(finding.evidence, cause.evidence)
    finding.causes = [c.rule_id for c in found]
    captured = set(facts.value("device.commands") or [])
    if not found and not captured.intersection(_base_commands(rule.settle_with)):
        commands = ", ".join(f"`{c}`" for c in rule.settle_with)
        steps.append(f"The capture does not show the configuration that would explain this; "
                     f"collect {commands} and analyse again.")
    finding.next_steps = steps + finding.next_steps


def _base_commands(commands: list[str]) -> set[str]:
    return {c.split("|")[0].strip() for c in commands}


def _merge_evidence(first: list[dict[str, Any]], more: list[dict[str, Any]]
                    ) -> list[dict[str, Any]]:
    seen = {(e["file"], e["line"]): e for e in first}
    for e in more:
        seen.setdefault((e["file"], e["line"]), e)
    return [seen[k] for k in sorted(seen)]


def _unique_sorted(items: list[fm.Fact | fm.Row]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for item in items:
        seen.setdefault((item.file, item.line), item.evidence())
    return [seen[k] for k in sorted(seen)]
