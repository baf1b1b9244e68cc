"""Release knowledge (rules/releases.yaml): licensing defects that depend on the release alone,
turned into facts of the device that runs one (``release.affected_by``, ``release.advisories``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import facts as fm
from .conditions import Release, release, release_span


@dataclass(frozen=True)
class Advisory:
    id: str
    title: str
    affected: tuple[tuple[Release, Release], ...]   # inclusive ranges
    fixed: tuple[Release, ...]
    fixed_text: tuple[str, ...]
    platforms: re.Pattern[str] | None = None
    field_notices: tuple[str, ...] = ()
    bugs: tuple[str, ...] = ()

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Advisory:
        def exact(text: str) -> Release:
            value = release(text)
            assert value is not None  # the schema's pattern admits releases only
            return value

        ranges = []
        for entry in doc["affected"]:
            low, _, high = entry.partition("-")
            top = exact(high or low)
            # "17.3.3" as a bound is every build of it (17.3.3a, 17.3.3b); "17.4.1b" is that one.
            ranges.append((exact(low), top if top[3] else (*top[:3], "~")))
        platforms = re.compile(doc["platforms"]) if doc.get("platforms") else None
        return cls(doc["id"], doc["title"], tuple(ranges),
                   tuple(exact(f) for f in doc["fixed"]), tuple(doc["fixed"]), platforms,
                   tuple(doc.get("field_notices", [])), tuple(doc.get("bugs", [])))

    def affects(self, software: str, platform: str | None) -> bool:
        """Every release the text can be lies in one affected range (a train named alone
        is affected only if the whole train is); a platform pattern must match."""
        span = release_span(software)
        if span is None:
            return False
        if self.platforms is not None and (platform is None or not self.platforms.search(platform)):
            return False
        return any(low <= span[0] and span[1] <= high for low, high in self.affected)

    def fixed_for(self, software: str) -> str:
        """The first fixed release of the device's train, else the first fixed one after it."""
        span = release_span(software)
        if span is None:
            return ", ".join(self.fixed_text)
        train = [t for f, t in zip(self.fixed, self.fixed_text, strict=True)
                 if f[:2] == span[0][:2] and f > span[1]]
        later = [t for f, t in sorted(zip(self.fixed, self.fixed_text, strict=True))
                 if f > span[1]]
        return (train or later or list(self.fixed_text))[0]


def release_advisories(facts: fm.Facts, advisories: list[Advisory]) -> None:
    """The advisories of the device's release, quoted from the line that printed it."""
    software = facts.get("version.software")
    if software is None or not isinstance(software.value, str) or not advisories:
        return
    platform = facts.value("version.platform") or facts.value("udi.pid")
    hits = [a for a in advisories
            if a.affects(software.value, platform if isinstance(platform, str) else None)]
    if not hits:
        return

    def cited(value: Any) -> fm.Fact:
        return fm.Fact(value, software.file, software.line, software.text)

    fixes = {a.id: a.fixed_for(software.value) for a in hits}
    facts.set("release.affected_by", cited([a.id for a in hits]))
    facts.set("release.advisories", cited("; ".join(
        f"{a.id}, {a.title} (fixed in {fixes[a.id]}"
        + (f"; {', '.join(a.bugs)}" if a.bugs else "") + ")" for a in hits)))
    # One release that fixes them all: the highest of the fixes.
    facts.set("release.upgrade_to", cited(max(fixes.values(), key=lambda t: release(t) or ())))
