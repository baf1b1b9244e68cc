"""The engine: one device's facts in, its findings out, each at the severity the device's
evidence calls for, causes before what they cause; then its verdict and its place on the
TAC guide's flowchart."""

from __future__ import annotations

import re
from typing import Any

from ..model import facts as fm
from ..model.results import DeviceResult, Finding, Placement
from .conditions import Context
from .knowledge import SEVERITY_RANK, Rule, Stage, Step, Verdict
from .messages import render_text

# A value the capture did not give: "<VRF, see show vrf>", "<NTP_SERVER>".
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*[,>]")


def run_rules(result: DeviceResult, rules: list[Rule]) -> None:
    """Evaluate every rule; keep matches that can cite evidence, at the severity the
    device's evidence calls for; drop superseded ones; put causes before what they cause."""
    ctx = clock_context(result)
    fired: dict[str, Finding] = {}
    superseded: set[str] = set()
    for rule in rules:
        if rule.modes and result.mode not in rule.modes:
            continue
        finding = _finding(rule, result, ctx)
        if finding is not None:
            fired[rule.id] = finding
            superseded.update(rule.supersedes)
    by_id = {rule.id: rule for rule in rules}
    findings = [f for rid, f in fired.items() if rid not in superseded]
    kept = {f.rule_id: f for f in findings}
    for finding in findings:
        _attach_causes(finding, by_id[finding.rule_id], kept, result.facts)
    for finding in findings:
        for cause_id in finding.causes:
            kept[cause_id].consequences.append(finding.rule_id)
    _carry_severity_to_causes(findings, kept)
    depth = _cause_depths(kept)
    # Worst first; within a severity, a root cause before what it causes.
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], -depth[f.rule_id],
                                 f.scenario or 99, f.rule_id))
    result.findings = findings


def clock_context(result: DeviceResult, fired: frozenset[str] = frozenset()) -> Context:
    """What conditions are evaluated against: the facts, the device's clock (or the lower
    bound the capture proves), the findings that fired."""
    clock = result.reference_time
    return Context(result.facts, clock.when if clock else None, fired,
                   clock.exact if clock else True)


def _finding(rule: Rule, result: DeviceResult, ctx: Context) -> Finding | None:
    """The rule's finding on this device, or None (no match, silenced, nothing to quote)."""
    match = rule.when.evaluate(ctx)
    if not match.matched:
        return None
    severity, because, extra = rule.severity, None, []
    for step in rule.calibrate:
        calibration = step.when.evaluate(ctx)
        if calibration.matched:
            severity, extra = step.severity, calibration.evidence
            because = render_text(step.because, result.facts, result.hostname,
                                  result.reference_time)
            break
    if severity == "silent":
        return None
    quoted: list[fm.Fact | fm.Row] = list(match.evidence)
    for path in rule.evidence:
        fact = result.facts.get(path)
        if fact is not None:
            quoted.append(fact)
    evidence = _unique_sorted(quoted)
    if not evidence:
        return None  # no evidence, no finding
    if extra:  # what proved the device works anyway (or worse) is quoted too
        evidence = _merge_evidence(evidence, _unique_sorted(list(extra)))
    primary = match.evidence[0].evidence() if match.evidence else evidence[0]
    used: set[str] = set()
    steps = [render_text(s.text, result.facts, result.hostname, result.reference_time, used)
             for s in rule.steps if _offered(s, result, ctx)]
    fix = _fix_lines(rule, result, used)
    # A device's own name in a step (its VRF, interface, server) is cited like evidence.
    named: list[fm.Fact | fm.Row] = [
        fact for path in sorted(used) if (fact := result.facts.get(path)) is not None]
    if named:
        evidence = _merge_evidence(evidence, _unique_sorted(named))
    return Finding(
        rule_id=rule.id, rule_version=rule.version, severity=severity,
        scenario=rule.scenario, category=rule.category, title=rule.title, evidence=evidence,
        # Prose: the spaces a text's conditional parts leave are one space.
        explanation=" ".join(render_text(rule.explanation, result.facts, result.hostname,
                                         result.reference_time).split()),
        # A step whose condition (in its text) does not hold renders empty: left out.
        next_steps=[step for step in steps if step],
        # The research-note ids are for maintainers: users read public titles only.
        references={k: v for k, v in rule.references.items() if k != "research"},
        primary=primary, calibration=because, fix=fix[0], verify=fix[1])


def _offered(step: Step, result: DeviceResult, ctx: Context) -> bool:
    """A guarded step only where its guard holds (a command the device's mode or release
    does not have is never suggested)."""
    if step.modes is not None and result.mode not in step.modes:
        return False
    return step.when is None or step.when.evaluate(ctx).matched


def _fix_lines(rule: Rule, result: DeviceResult, used: set[str]) -> tuple[list[str], list[str]]:
    """The rule's configuration for this device, and the commands that verify it. A line
    whose value the capture lacks keeps its placeholder as a comment: pasting it changes
    nothing, and says what to fill in."""
    if not rule.fix:
        return [], []
    configure = []
    for text in rule.fix["configure"]:
        line = render_text(text, result.facts, result.hostname, result.reference_time, used)
        if not line:
            continue
        indent = " " * (len(text) - len(text.lstrip(" ")))  # the mode the line belongs to
        configure.append(f"{indent}! fill in: {line}" if _PLACEHOLDER.search(line)
                         else indent + line)
    verify = [render_text(t, result.facts, result.hostname, result.reference_time, used)
              for t in rule.fix["verify"]]
    return configure, [v for v in verify if v]


def _carry_severity_to_causes(findings: list[Finding], kept: dict[str, Finding]) -> None:
    """What causes an error is itself the error to fix (along chains of causes too)."""
    changed = True
    while changed:
        changed = False
        for finding in findings:
            for cause_id in finding.causes:
                cause = kept[cause_id]
                if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[cause.severity]:
                    cause.severity, changed = finding.severity, True
                    cause.calibration = f"it is the cause of {finding.label}"


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
    result.verdict = _verdict_text(result, verdicts) + _not_judged(result)


def _verdict_text(result: DeviceResult, verdicts: list[Verdict]) -> str:
    worst = result.worst
    if worst is not None and SEVERITY_RANK[worst.severity] <= SEVERITY_RANK["warning"]:
        text = f"{worst.severity.upper()} - {worst.label}"
        labels = {f.rule_id: f.label for f in result.findings}
        effects = [labels[c] for c in worst.consequences if c in labels]
        if effects:
            text += f" (the cause of: {'; '.join(effects)})"
        return text
    fired = frozenset(f.rule_id for f in result.findings)
    for entry in verdicts:
        if result.mode in entry.modes and entry.when.evaluate(
                clock_context(result, fired)).matched:
            return " ".join(render_text(entry.text, result.facts, result.hostname,
                                        result.reference_time).split())
    return "OK: no problem found"


def _not_judged(result: DeviceResult) -> str:
    """What the verdict could not weigh: the output the capture ends inside."""
    cut = result.facts.get("device.cut_output")
    if cut is None:
        return ""
    return (f"; not judged: the rest of '{cut.value}' (the capture ends inside it, after line "
            f"{cut.line})")


def place_on_flowchart(result: DeviceResult, stages: list[Stage]) -> None:
    """Where the device stands on the TAC guide's flowchart: the first stage that holds."""
    fired = frozenset(f.rule_id for f in result.findings)
    for stage in stages:
        if result.mode in stage.modes and stage.when.evaluate(
                clock_context(result, fired)).matched:
            result.flowchart = Placement(stage.stage, stage.label, stage.path, stage.locates)
            return


def _attach_causes(finding: Finding, rule: Rule, fired: dict[str, Finding],
                   facts: fm.Facts) -> None:
    """Name each cause found first, quoting its line (its steps stay under it: a step the
    cause and this finding share is listed once, under the cause); or say what would settle
    it."""
    if not rule.causes:
        return
    found = [fired[c] for c in rule.causes if c in fired]
    steps: list[str] = []
    for cause in found:
        where = cause.primary or cause.evidence[0]
        steps.append(f"Cause found: {cause.title} ({where['file']}:{where['line']}: "
                     f"`{where['text'].strip()}`); fix it first, with the steps given for it.")
        finding.evidence = _merge_evidence(finding.evidence, cause.evidence)
    given = {c for cause in found for step in cause.next_steps for c in _commands(step)}
    finding.next_steps = [step for step in finding.next_steps
                          if not (_commands(step) and _commands(step) <= given)]
    finding.causes = [c.rule_id for c in found]
    captured = set(facts.value("device.commands") or [])
    if not found and not captured.intersection(_base_commands(rule.settle_with)):
        commands = ", ".join(f"`{c}`" for c in rule.settle_with)
        steps.append(f"The capture does not show the configuration that would explain this; "
                     f"collect {commands} and analyse again.")
    finding.next_steps = steps + finding.next_steps


# Commands every configuration step wraps around; they do not make two steps different.
_FRAMING = {"configure terminal", "end", "write memory", "exit"}
_CODE_SPAN = re.compile(r"`([^`\n]{1,300})`")


def _commands(step: str) -> set[str]:
    """The commands a step gives (its code spans), framing aside: a step whose commands a
    cause's steps all give already is that cause's step again."""
    return {" ".join(c.split()) for c in _CODE_SPAN.findall(step)} - _FRAMING


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
