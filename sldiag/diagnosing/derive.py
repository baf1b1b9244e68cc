"""What the facts imply before any rule runs: facts derived from others (fallbacks, log rows,
counts), the licensing mode, the device's "now", its hostname."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..model import facts as fm
from ..model.catalog import Catalog, ClockFloor, RowFact
from ..model.results import Clock
from ..model.values import human
from .conditions import Condition, Context


def licensing_mode(facts: fm.Facts, modes: list[tuple[str, Condition]]
                   ) -> tuple[str, fm.Fact | fm.Row | None]:
    """Which licensing the device runs: the first mode of rules/modes.yaml that holds, and
    the line that says so (the marker cited with the mode)."""
    for mode, condition in modes:
        match = condition.evaluate(Context(facts))
        if match.matched:
            # The first marker modes.yaml lists is the strongest: it is the one cited.
            return mode, match.evidence[0] if match.evidence else None
    return "unknown", None


def derive_facts(facts: fm.Facts, catalog: Catalog, sections: Sequence[Any] = ()) -> None:
    """Facts derived from other facts: what log rows show when no command printed it
    (``row_facts`` in the index), and counts (conditions compare facts, not lists)."""
    for path, source in catalog.fact_fallbacks:
        fallback = facts.get(source)
        if facts.get(path) is None and fallback is not None:
            facts.set(path, fallback)
    _row_facts(facts, catalog.row_facts)
    _clock_lower_bound(facts, catalog.clock_floors)
    units = {str(r.get("switch")): r for r in facts.rows("stack_members") if r.get("switch")}
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
            if not all(p.search(human(row.get(name))) for name, p in rule.match.items()):
                continue
            value = rule.value
            if rule.take is not None:
                m = rule.regex.search(human(row.get(rule.take))) if rule.regex else None
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
    counted = [r for r in facts.rows("license_usage") if isinstance(r.get("count"), int)]
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


def reference_time(facts: fm.Facts) -> Clock | None:
    """'Now' for deadlines: the device clock; else the latest instant the capture proves
    (clock.lower_bound), a lower bound only."""
    clock = facts.get("clock.time")
    if clock is not None:
        return Clock(clock.value, f"show clock at {clock.file}:{clock.line}")
    agent = facts.get("clock.agent_time")
    if agent is not None:
        return Clock(agent.value, f"the Smart Agent's current time at {agent.file}:{agent.line}")
    floor = facts.get("clock.lower_bound")
    if floor is None:
        return None
    return Clock(floor.value, f"{floor.raw} at {floor.file}:{floor.line}", exact=False)


def _clock_lower_bound(facts: fm.Facts, floors: Sequence[ClockFloor]) -> None:
    """With no clock in the capture, the latest instant its dates prove (parsers/index.yaml
    clock_floors), as a fact citing the line that proves it."""
    if facts.get("clock.time") is not None or facts.get("clock.agent_time") is not None:
        return
    proved = [bound for floor in floors for bound in _floor_dates(facts, floor)]
    if proved:
        when, label, quoted = max(proved, key=lambda bound: _comparable(bound[0]))
        facts.set("clock.lower_bound", fm.Fact(when, quoted.file, quoted.line, quoted.text,
                                               raw=label))


def _floor_dates(facts: fm.Facts, floor: ClockFloor
                 ) -> list[tuple[datetime, str, fm.Fact | fm.Row]]:
    if floor.rows is not None and floor.field is not None:
        stamped = [(r.get(floor.field), r) for r in facts.rows(floor.rows)
                   if isinstance(r.get(floor.field), datetime)]
        if not stamped:
            return []
        when, row = max(stamped, key=lambda pair: _comparable(pair[0]))
        return [(when, floor.label, row)]
    fact = facts.get(floor.fact) if floor.fact else None
    if fact is None or not isinstance(fact.value, datetime):
        return []
    if floor.minus_days:
        days = facts.value(floor.minus_days)
        if not isinstance(days, int) or days <= 0:
            return []
        return [(fact.value - timedelta(days=days), f"{floor.label} ({days} days)", fact)]
    return [(fact.value, floor.label, fact)]


def _comparable(when: datetime) -> float:
    """Dates with and without a zone, on one scale (a zoneless log time read as UTC)."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def hostname_of(prompt_hostname: str | None, facts: fm.Facts) -> str | None:
    return (prompt_hostname or facts.value("config.hostname")
            or facts.value("version.hostname"))
