"""What an analysis gives for each device: its findings, the licensing state summarised once,
its identity, the lines that could not be read, and, when a report shows them, the excerpts
of the capture it cites. No result holds the capture's text itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..base.textsafe import clip
from .facts import Facts

# Evidence as reports and JSON quote it: {"file", "line", "text"}.
Evidence = dict[str, Any]
# Lines of one file around cited lines: (file, [(line, text, cited)]).
Excerpt = tuple[str, list[tuple[int, str, bool]]]


@dataclass(frozen=True)
class ParseGap:
    """A line or value sldiag could not read; reported at info level, never fatal."""

    file: str
    line: int
    text: str
    command: str | None
    reason: str
    withheld: bool = False   # its text is quoted withheld: reports withhold its line too

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clip(self.text))

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": self.text,
                "command": self.command, "reason": self.reason}


@dataclass
class Finding:
    rule_id: str
    rule_version: int
    severity: str
    scenario: int | None
    category: str
    title: str
    evidence: list[Evidence]
    explanation: str
    next_steps: list[str]
    references: dict[str, Any]
    causes: list[str] = field(default_factory=list)  # ids of the findings that explain it
    primary: Evidence | None = None  # the line the condition itself matched first
    consequences: list[str] = field(default_factory=list)  # ids of findings it explains
    calibration: str | None = None  # why the severity differs from the rule's own
    excerpts: list[Excerpt] = field(default_factory=list)  # cut when a report shows them
    # The configuration that fixes it on this device (placeholders where the capture lacks a
    # value) and the commands that verify it.
    fix: list[str] = field(default_factory=list)
    verify: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class Placement:
    """Where the device stands on the TAC guide's flowchart."""

    stage: str
    label: str
    path: list[str]
    locates: bool = True   # false: the stage only says which flowchart applies

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "label": self.label, "path": self.path}


@dataclass(frozen=True)
class Clock:
    """'Now' for deadlines: the device's clock as read (``exact``), or, with no clock in the
    capture, the latest instant it proves (a lower bound: a date before it has passed, one
    after it is unknown)."""

    when: datetime
    source: str              # what it was read from, and where
    exact: bool = True

    def describe(self) -> str:
        if self.exact:
            return self.source
        return (f"no clock in the capture; at least {self.when:%Y-%m-%d %H:%M}, proved by "
                f"{self.source}")


@dataclass(frozen=True)
class Deadline:
    """A date the device must act by, and the days to it from the device's own clock."""

    what: str
    when: datetime
    days: int | None
    at_least: bool = False   # the clock is a lower bound: at least ``-days`` days past


@dataclass
class LicensingState:
    """The licensing state in the few values every report, the dashboard, diff and JSON
    read: built once per device."""

    mode: str
    mode_label: str = ""
    mode_marker: Evidence | None = None   # the line that told the mode
    registration_status: str | None = None
    registration_expires: datetime | None = None
    authorization_status: str | None = None
    authorization_since: datetime | None = None
    transport: str | None = None
    trust_code_installed: bool | None = None
    last_ack_received: datetime | None = None
    next_ack_deadline: datetime | None = None
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def using_policy(self) -> bool:
        return self.mode == "smart-licensing-using-policy"

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    def to_json(self) -> dict[str, Any]:
        ack = self.last_ack_received
        return {
            "mode": self.mode,
            "mode_marker": self.mode_marker,
            "registration_status": self.registration_status,
            "authorization_status": self.authorization_status,
            "transport": self.transport,
            "trust_code_installed": self.trust_code_installed,
            "last_ack_received": ack.isoformat() if ack is not None else None,
        }


@dataclass(frozen=True)
class Output:
    """One command output a capture showed (where, not what: the text stays in the capture)."""

    command: str | None      # canonical command, None when unknown
    typed: str               # as it appeared (prompt text, delimiter, "(recognised by content)")
    line: int                # its first line (the prompt or delimiter, else its first line)
    last_line: int
    form: str                # "show-tech", "prompt", "bare"

    @property
    def shown(self) -> str:
        return self.typed if self.form == "prompt" else (self.command or self.typed)


@dataclass(frozen=True)
class RawOutput:
    """An output shown whole in a report (HTML, Markdown): its sanitised lines."""

    shown: str
    first: int
    lines: list[tuple[int, str]]


@dataclass
class DeviceResult:
    hostname: str | None
    source: str
    facts: Facts
    gaps: list[ParseGap]
    mode: str
    reference_time: Clock | None
    state: LicensingState
    findings: list[Finding] = field(default_factory=list)
    flowchart: Placement | None = None
    outputs: list[Output] = field(default_factory=list)
    raw_outputs: list[RawOutput] = field(default_factory=list)  # when a report shows them
    sanitized: bool = True   # secrets removed from what it quotes (unless --show-secrets)
    verdict: str = ""        # one line: the worst finding, or a positive statement
    also_seen_as: list[str] = field(default_factory=list)  # other prompt names it showed

    @property
    def display_name(self) -> str:
        return self.hostname or f"(unnamed device in {self.source})"

    @property
    def worst(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def licensing_json(self) -> dict[str, Any]:
        return self.state.to_json()

    def flowchart_json(self) -> dict[str, Any] | None:
        return None if self.flowchart is None else self.flowchart.to_json()
