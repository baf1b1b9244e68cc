"""One device per device: the parts of a capture that prompts split apart are joined again
where the device's own lines say they are one, and kept apart where its serials say two.

A prompt is only a name, and a device's name changes: a zero-touch run starts as `Switch`
and ends as its configured hostname, an engineer types `hostname`, an HA pair's standby
console prints `<name>-stby`. So, in this order:

1. parts that show the same serial number (show version, show license udi, show inventory's
   chassis) are one device;
2. parts whose serial numbers differ are two, whatever their prompts;
3. parts of one prompt name are one device (unless 2.);
4. a part without a serial joins the device the session was on just before its first
   prompt when something links them: that device typed `hostname <its name>`, showed it as
   its hostname, is its `-stby` standby, one of them (not both) still has a factory name, or
   the capture is one console (it shows the device booting) - unless a command left for
   another device (ssh, telnet) right before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..model import facts as fm
from ..model.platforms import Identity, identity_rules
from ..reading.sections import DeviceSections

SERIAL_FACTS = ("version.serial", "udi.sn")
# show inventory's chassis entries (a stack lists each member's): their serials are the
# device's too.
_CHASSIS = re.compile(r"(?i)chassis|^switch\s*\d+$")
MAX_CONSOLE_SCAN_LINES = 200_000   # lines looked at for a console's boot lines


@dataclass(frozen=True)
class PartIdentity:
    """What one part of a capture says about the device it belongs to."""

    serials: frozenset[str]
    prompt: str | None
    hostnames: frozenset[str]          # configured or printed hostnames (lower case)


def part_identity(part: DeviceSections, facts: fm.Facts) -> PartIdentity:
    serials = {str(facts.value(path)).strip().upper() for path in SERIAL_FACTS
               if facts.value(path)}
    serials |= {str(row.get("serial")).strip().upper() for row in facts.rows("inventory")
                if row.get("serial") and _CHASSIS.search(str(row.get("name") or ""))}
    names = {str(facts.value(path)).lower() for path in ("config.hostname", "version.hostname")
             if facts.value(path)}
    return PartIdentity(frozenset(serials), part.prompt_hostname, frozenset(names))


def group_parts(parts: Sequence[DeviceSections], identities: Sequence[PartIdentity],
                lines: Sequence[str]) -> list[list[int]]:
    """The parts (indexes) that make each device, in the order devices first appear."""
    rules = identity_rules()
    groups = _Groups(identities)
    for i, j in _pairs_sharing_a_serial(identities):
        groups.join(i, j)
    first_of_name: dict[str, int] = {}
    for n in sorted(range(len(parts)), key=lambda n: parts[n].first_line[0]):
        name = (parts[n].prompt_hostname or "").lower()
        if name:
            groups.join(first_of_name.setdefault(name, n), n)
    if rules is not None:
        console = _is_console(lines, rules)
        starts = _range_starts(parts)
        for i in sorted(range(len(parts)), key=lambda n: parts[n].first_line[0]):
            before = _in_session_before(parts, starts, i)
            if before is not None and _linked(parts[i], identities[i], parts[before],
                                              identities[before], rules, console):
                groups.join(before, i)
    return groups.members()


def merge_parts(parts: Sequence[DeviceSections], members: list[int],
                identities: Sequence[PartIdentity]) -> tuple[DeviceSections, list[str]]:
    """One device from its parts, named by its latest real hostname; the other names it
    showed are kept ("also seen as")."""
    ordered = sorted(members, key=lambda n: parts[n].first_line[0])
    names: list[str] = []
    for n in ordered:
        name = parts[n].prompt_hostname
        if name and name.lower() not in {x.lower() for x in names}:
            names.append(name)
    chosen = _preferred_name(names)
    if len(ordered) == 1:
        return parts[ordered[0]], [n for n in names if n != chosen]
    first = parts[ordered[0]]
    merged = DeviceSections(file=first.file, prompt_hostname=chosen, first_line=first.first_line,
                            collection=next((parts[n].collection for n in ordered
                                             if parts[n].collection), None))
    for n in ordered:
        part = parts[n]
        merged.sections.extend(part.sections)
        merged.line_ranges.extend(part.line_ranges)
        merged.renames.extend(part.renames)
        merged.hops.extend(part.hops)
        merged.cut = merged.cut or part.cut
    merged.sections.sort(key=lambda s: s.header_line or (s.lines[0][0] if s.lines else 0))
    merged.line_ranges.sort()
    return merged, [n for n in names if n != chosen]


def _preferred_name(names: list[str]) -> str | None:
    """The latest name that is neither a factory name nor a standby console's."""
    rules = identity_rules()
    for name in reversed(names):
        if rules is None or not (_is_default(name, rules) or _is_standby(name, rules)):
            return name
    return names[-1] if names else None


class _Groups:
    """Union-find over parts; two groups whose serials differ are never joined."""

    def __init__(self, identities: Sequence[PartIdentity]) -> None:
        self.parent = list(range(len(identities)))
        self.serials = [set(i.serials) for i in identities]

    def find(self, n: int) -> int:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        sa, sb = self.serials[ra], self.serials[rb]
        if sa and sb and not sa & sb:
            return  # two serial numbers: two devices
        self.parent[rb] = ra
        sa |= sb

    def members(self) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for n in range(len(self.parent)):
            groups.setdefault(self.find(n), []).append(n)
        return sorted(groups.values(), key=min)


def _pairs_sharing_a_serial(identities: Sequence[PartIdentity]) -> list[tuple[int, int]]:
    first_with: dict[str, int] = {}
    pairs = []
    for n, identity in enumerate(identities):
        for serial in identity.serials:
            if serial in first_with:
                pairs.append((first_with[serial], n))
            else:
                first_with[serial] = n
    return pairs


def _range_starts(parts: Sequence[DeviceSections]) -> list[tuple[int, int, int]]:
    """(start, end, part) of every line range, sorted by start."""
    return sorted((start, end, n) for n, part in enumerate(parts)
                  for start, end in part.line_ranges)


def _in_session_before(parts: Sequence[DeviceSections], starts: list[tuple[int, int, int]],
                       n: int) -> int | None:
    """The part whose output the capture showed just before part ``n``'s first line."""
    first = parts[n].first_line[0] - 1          # 0-based index of its first line
    at = bisect_right(starts, (first, -1, -1)) - 1
    while at >= 0:
        start, end, owner = starts[at]
        if owner != n and start < first:
            return owner
        at -= 1
    return None


def _linked(part: DeviceSections, identity: PartIdentity, before: DeviceSections,
            before_identity: PartIdentity, rules: Identity, console: bool) -> bool:
    name, previous = (part.prompt_hostname or "").lower(), (before.prompt_hostname or "").lower()
    if not name or not previous:
        return False
    if _left_before(before, part.first_line[0], rules):
        return False  # an ssh or telnet to another device: its prompt is that device's
    renamed = {new.lower() for line, new in before.renames if line < part.first_line[0]}
    if name in renamed:
        return True
    if name in before_identity.hostnames or previous in identity.hostnames:
        return True
    suffix = rules.standby_suffix.lower()
    if suffix and (name.endswith(suffix) or previous.endswith(suffix)):
        return True
    if _is_default(name, rules) != _is_default(previous, rules):
        return True  # a factory name and a configured one: the device before and after setup
    return console


def _left_before(before: DeviceSections, line: int, rules: Identity) -> bool:
    """Whether the last command the earlier part typed before ``line`` left the device."""
    starts = [start + 1 for start, _ in before.line_ranges if start + 1 < line]
    return bool(starts) and max(starts) in before.hops


def _is_default(name: str, rules: Identity) -> bool:
    return name.lower() in rules.default_hostnames


def _is_standby(name: str, rules: Identity) -> bool:
    return bool(rules.standby_suffix) and name.lower().endswith(rules.standby_suffix.lower())


def _is_console(lines: Sequence[str], rules: Identity) -> bool:
    """Whether the capture shows a device booting: a console's, one device's."""
    pattern = _console_pattern(rules.console_lines)
    return any(pattern.match(line) for line in lines[:MAX_CONSOLE_SCAN_LINES] if line)


@cache
def _console_pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)
