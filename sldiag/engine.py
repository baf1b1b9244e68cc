"""The engine: one device's facts in, its findings out, plus what the report summarises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import facts as fm
from .messages import render
from .parsing import ParseGap
from .rules import SEVERITY_RANK, Rule, Stage, evaluate

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

    def to_json(self) -> dict[str, Any]:
        return {"id": self.rule_id, "scenario": self.scenario, "severity": self.severity,
                "title": self.title, "evidence": self.evidence, "next_steps": self.next_steps,
                "category": self.category, "explanation": self.explanation,
                "references": self.references, "causes": self.causes}


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


def derive_facts(facts: fm.Facts, tiers: dict[str, re.Pattern[str]]) -> None:
    """Facts that are counts over other facts (conditions compare facts, not lists)."""
    units = {str(r.get("switch")): r for r in facts.stack_members if r.get("switch")}
    ha = facts.get("udi.ha_units")
    if units and len(units) >= len(ha.value if ha else []):
        first = min(units.values(), key=lambda r: r.line)
        facts.set("platform.units", fm.Fact(len(units), first.file, first.line, first.text))
    elif ha is not None:
        facts.set("platform.units", fm.Fact(len(ha.value), ha.file, ha.line, ha.text))
    dna, network = tiers.get("dna"), tiers.get("network")
    counted = [r for r in facts.license_usage if isinstance(r.get("count"), int)]

    def label(row: fm.Row) -> str:
        return f"{row.get('name') or ''} {row.get('tag') or ''}"

    by_tier = {
        "platform.dna_licenses": [r for r in counted if dna and dna.search(label(r))],
        "platform.network_licenses": [r for r in counted if network and network.search(label(r))
                                      and not (dna and dna.search(label(r)))],
    }
    for path, rows in by_tier.items():
        if rows:
            top = max(rows, key=lambda r: r.get("count"))
            facts.set(path, fm.Fact(top.get("count"), top.file, top.line, top.text))
    members = facts.get("trust.members")
    if members is not None:
        installed = facts.value("trust.installed") or []
        facts.set("trust.units_without_code", fm.Fact(
            max(0, len(members.value) - len(installed)), members.file, members.line, members.text))


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
    """Evaluate every rule; keep matches that can cite evidence; drop superseded ones."""
    now, source = result.reference_time or (None, "no clock in the capture")
    fired: dict[str, Finding] = {}
    superseded: set[str] = set()
    for rule in rules:
        if rule.modes and result.mode not in rule.modes:
            continue
        match = evaluate(rule.when, result.facts, now)
        if not match.matched:
            continue
        quoted: list[fm.Fact | fm.Row] = list(match.evidence)
        for path in rule.evidence:
            fact = result.facts.get(path)
            if fact is not None:
                quoted.append(fact)
        evidence = _unique_sorted(quoted)
        if not evidence:
            continue  # no evidence, no finding
        primary = match.evidence[0].evidence() if match.evidence else evidence[0]
        fired[rule.id] = Finding(
            rule_id=rule.id, rule_version=rule.version, severity=rule.severity,
            scenario=rule.scenario, category=rule.category, title=rule.title,
            evidence=evidence,
            explanation=render(rule.explanation, result.facts, result.hostname, now, source),
            next_steps=[render(s, result.facts, result.hostname, now, source)
                        for s in rule.next_steps],
            references=rule.references, primary=primary)
        superseded.update(rule.supersedes)
    by_id = {rule.id: rule for rule in rules}
    for finding in fired.values():
        _attach_causes(finding, by_id[finding.rule_id], fired, result.facts)
    findings = [f for rid, f in fired.items() if rid not in superseded]
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.scenario or 99, f.rule_id))
    result.findings = findings


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
