"""Inputs that were not analysed, or only in part: every report and stderr list them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)     # explicitly named inputs that failed
    skipped: list[str] = field(default_factory=list)    # files skipped inside a folder
    limits: list[str] = field(default_factory=list)     # limits reached (base/limits.py)

    def as_dict(self) -> dict[str, list[str]]:
        return {"errors": self.errors, "skipped": self.skipped, "limits": self.limits}

    def count(self) -> int:
        return len(self.errors) + len(self.skipped) + len(self.limits)

    def rename(self, change: object) -> None:
        """Apply ``change`` (a str -> str function) to every line: names learnt late."""
        for lines in (self.errors, self.skipped, self.limits):
            lines[:] = [change(line) for line in lines]  # type: ignore[operator]


def limit_lines(name: str, limits: list[tuple[int, str]]) -> list[str]:
    """One line per limit a capture reached (the first place, and how often)."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for line, what in limits:
        first.setdefault(what, line)
        count[what] = count.get(what, 0) + 1
    return [f"{name}:{first[what]}: {what}" + (f" ({count[what]} times)" if count[what] > 1
                                                else "") for what in first]
