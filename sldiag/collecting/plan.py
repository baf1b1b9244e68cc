"""The collection plan (parsers/collection.yaml): ``show version`` first, then for each need
the commands that can answer it, best first, per licensing generation; a refused form moves to
the next; a need nothing answers is a collection gap, written in the capture's header."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml
from ..model.catalog import REJECTED_OUTPUT
from ..model.platforms import PLATFORMS
from ..reading.sections import COLLECTED_PREFIX, GAP_PREFIX
from .allowlist import ALLOWED_BY_PLATFORM, send_allowed

# Only so many lines of an output are looked at for a refusal (a log can quote one later).
_REFUSAL_LINES = 3


@dataclass(frozen=True)
class Need:
    """Something the diagnosis needs, and the commands that can give it, best first."""

    name: str
    commands: tuple[str, ...]
    optional: bool = False   # refused everywhere is expected on some platforms: no gap


@dataclass(frozen=True)
class Plan:
    platforms: tuple[str, ...]
    first: str
    common: tuple[Need, ...]
    plans: dict[str, tuple[Need, ...]]

    def for_mode(self, mode: str) -> tuple[Need, ...]:
        return self.common + self.plans.get(mode, self.plans["default"])


_PLAN: Plan | None = None


def load_plan(path: Path | None = None) -> Plan:
    """parsers/collection.yaml, checked: every command allow-listed on each of its platforms."""
    global _PLAN
    if path is None and _PLAN is not None:
        return _PLAN
    shipped = data_dir("parsers") / "collection.yaml"
    path = path or shipped
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError(f"{path}: a mapping (platforms, first, common, plans) is expected")
    platforms = _plan_platforms(data.get("platforms"), path)

    def is_allowed(command: Any) -> bool:
        return all(command in ALLOWED_BY_PLATFORM[p] for p in platforms)

    def needs(entries: Any, where: str) -> tuple[Need, ...]:
        if not isinstance(entries, list) or not entries:
            raise DataError(f"{path}: {where}: a list of needs is expected")
        out = []
        for i, entry in enumerate(entries, 1):
            if (not isinstance(entry, dict) or not isinstance(entry.get("need"), str)
                    or not isinstance(entry.get("commands"), list) or not entry["commands"]):
                raise DataError(f"{path}: {where} #{i}: 'need' and 'commands' are required")
            for command in entry["commands"]:
                if not is_allowed(command):
                    raise DataError(f"{path}: {where} #{i}: '{command}' is not in sldiag's "
                                    "allow-list of read-only commands")
            out.append(Need(entry["need"], tuple(entry["commands"]),
                            bool(entry.get("optional", False))))
        return tuple(out)

    if not is_allowed(data.get("first")):
        raise DataError(f"{path}: 'first' must be an allow-listed command")
    plans = data.get("plans")
    if not isinstance(plans, dict) or "default" not in plans:
        raise DataError(f"{path}: 'plans' must have a 'default' plan")
    plan = Plan(platforms, data["first"], needs(data.get("common"), "common"),
                {mode: needs(entries, f"plans.{mode}") for mode, entries in plans.items()})
    if path == shipped:
        _PLAN = plan
    return plan


def _plan_platforms(named: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(named, list) or not named:
        raise DataError(f"{path}: 'platforms' must list the platforms the plan collects from")
    for platform in named:
        if platform not in PLATFORMS:
            raise DataError(f"{path}: platform '{platform}' is not in parsers/platforms.yaml")
        if platform not in ALLOWED_BY_PLATFORM:
            raise DataError(f"{path}: platform '{platform}' has no allow-list in sldiag "
                            "(sldiag/collecting/allowlist.py): it cannot be collected from")
    return tuple(str(p) for p in named)


def mode_of(show_version: str) -> str:
    """The licensing generation show version shows, as `analyze` would read it."""
    from ..diagnosing.derive import licensing_mode
    from ..diagnosing.knowledge import shared_knowledge
    from ..parsing.extract import extract_facts
    from ..reading.lines import clean_text
    from ..reading.sections import split_capture

    knowledge = shared_knowledge()
    capture = clean_text("show version", f"X#show version\n{show_version}\nX#\n")
    facts, _ = extract_facts(split_capture(capture, knowledge.catalog)[0], capture.lines,
                             knowledge.catalog)
    return licensing_mode(facts, knowledge.modes)[0]


def plan_for(show_version: str) -> list[str]:
    """Every command the plan may send after show version (the preferred forms first)."""
    seen: dict[str, None] = {}
    for need in load_plan().for_mode(mode_of(show_version)):
        seen.update(dict.fromkeys(need.commands))
    return list(seen)


def refused(output: str) -> bool:
    """Whether the device refused the command (% Invalid input, authorization failed)."""
    head = "\n".join(output.lstrip("\n").split("\n", _REFUSAL_LINES)[:_REFUSAL_LINES])
    return REJECTED_OUTPUT.search(head) is not None


@dataclass
class CollectedDevice:
    """What one device printed, in the session-log form `sldiag analyze` reads."""

    name: str
    prompt: str
    outputs: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)   # needs no command answered

    def text(self) -> str:
        header = {"device": self.name, "prompt": self.prompt,
                  "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        lines = [COLLECTED_PREFIX + json.dumps(header, ensure_ascii=False)]
        lines += [GAP_PREFIX + gap for gap in self.gaps]
        for command, output in self.outputs:
            lines.append(f"{self.prompt}{command}")
            if output:
                lines.append(output.rstrip("\n"))
        lines.append(self.prompt)
        return "\n".join(lines) + "\n"


def collect_from(connection: Any, name: str, read_timeout: float = 60.0,
                 plan: Plan | None = None, platform: str = "cisco_xe") -> CollectedDevice:
    """Run the plan on an open netmiko connection (enable mode if a secret was given): each
    need's commands in order until one is accepted."""
    plan = plan or load_plan()
    prompt = connection.find_prompt().strip()
    capture = CollectedDevice(name=name, prompt=prompt)
    answered: set[str] = set()

    def ask(command: str) -> bool:
        output = send_allowed(connection, command, read_timeout, platform)
        capture.outputs.append((command, output))
        if refused(output):
            capture.rejected.append(command)  # recorded in the capture, not asked again
            return False
        answered.add(command)
        return True

    version = plan.first
    mode = mode_of(capture.outputs[-1][1]) if ask(version) else "unknown"
    for need in plan.for_mode(mode):
        for command in need.commands:
            if command in answered or (command not in capture.rejected and ask(command)):
                break
        else:
            if not need.optional:
                tried = ", ".join(need.commands)
                capture.gaps.append(f"{need.name}: no answer (refused: {tried})")
    return capture
