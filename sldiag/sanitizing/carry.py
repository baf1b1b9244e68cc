"""What of a capture may leave sldiag (parsers/carry.yaml): the outputs it reads, the
configuration licensing depends on, the licensing log lines; nothing else.

Decided once per capture, when it is analysed, as ranges of line indexes: a bundle's capture
carries those lines (sanitised) and blank lines in place of the others, so line numbers stay
those of the original; a report's excerpts and outputs show only carried lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml_cached
from ..model.catalog import Catalog
from ..reading.sections import DeviceSections, Section

Ranges = list[tuple[int, int]]   # sorted, disjoint [start, end) ranges of 0-based indexes


@dataclass(frozen=True)
class _Block:
    first: re.Pattern[str]
    children: re.Pattern[str]


@dataclass(frozen=True)
class CarryPolicy:
    lines: tuple[re.Pattern[str], ...]
    blocks: tuple[_Block, ...]
    interface: re.Pattern[str]
    interface_children: re.Pattern[str]
    in_vrf: re.Pattern[str]


@cache
def carry_policy() -> CarryPolicy:
    path = data_dir("parsers") / "carry.yaml"
    doc = load_yaml_cached(path)
    try:
        config = doc["configuration"]
        interfaces = config["interfaces"]
        return CarryPolicy(
            tuple(re.compile(p) for p in config["lines"]),
            tuple(_Block(re.compile(b["first"]), re.compile(b["children"]))
                  for b in config["blocks"]),
            re.compile(interfaces["first"]), re.compile(interfaces["children"]),
            re.compile(interfaces["in_vrf"]))
    except (KeyError, TypeError, re.error) as exc:
        raise DataError(f"{path}: invalid entry ({type(exc).__name__}: {exc})") from None


def carried_ranges(devices: list[DeviceSections], catalog: Catalog) -> Ranges:
    """The lines of a capture that may leave sldiag (its devices parsed: the lines their
    line scopes read are known)."""
    policy = carry_policy()
    carried: list[tuple[int, int]] = []
    for device in devices:
        for section in device.sections:
            start, end = _span(section)
            if section.configuration:
                if section.header_line:
                    carried.append((start, start + 1))
                carried += _configuration(section, policy)
            elif catalog.read_whole(section.command):
                carried.append((start, end))
        # The lines the line scopes read, wherever they are (licensing log lines).
        carried += [(number - 1, number) for number in device.scoped_lines]
    return merge(carried)


def _span(section: Section) -> tuple[int, int]:
    if section.header_line:
        start = section.header_line - 1
    else:
        start = section.lines[0][0] - 1 if section.lines else 0
    end = section.last_line or (section.lines[-1][0] if section.lines else start + 1)
    return start, max(end, start + 1)


def _configuration(section: Section, policy: CarryPolicy) -> Ranges:
    """The configuration lines carried: listed lines, listed blocks with their listed
    children, interfaces in a VRF (their line and a few children)."""
    lines = section.lines
    carried: Ranges = []
    children: re.Pattern[str] | None = None   # of the carried block the line is in
    for n, (number, text) in enumerate(lines):
        if not text or text[0] not in " \t":          # a top-level line
            children, carry = None, False
            if policy.interface.match(text):
                if _in_vrf(lines, n + 1, policy):
                    children, carry = policy.interface_children, True
            elif (block := next((b for b in policy.blocks if b.first.match(text)), None)):
                children, carry = block.children, True
            else:
                carry = any(p.match(text) for p in policy.lines)
        else:
            carry = children is not None and children.match(text) is not None
        if carry:
            carried.append((number - 1, number))
    return carried


def _in_vrf(lines: list[tuple[int, str]], start: int, policy: CarryPolicy) -> bool:
    """Whether the interface block starting at ``lines[start]`` is in a VRF."""
    for _, text in lines[start:]:
        if text and text[0] not in " \t":
            return False
        if policy.in_vrf.match(text):
            return True
    return False


def merge(ranges: Ranges) -> Ranges:
    merged: Ranges = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class RangeCursor:
    """Whether each index, asked in increasing order, lies in the ranges."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = ranges
        self.at = 0

    def __contains__(self, index: int) -> bool:
        ranges = self.ranges
        while self.at < len(ranges) and ranges[self.at][1] <= index:
            self.at += 1
        return self.at < len(ranges) and ranges[self.at][0] <= index
