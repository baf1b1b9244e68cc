"""Before and after: the same devices analysed twice (a fix applied, collected again).

Devices are paired by hostname, else by serial number; for each pair the findings that went
away (resolved) or came (appeared), and the licensing facts that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..model.results import DeviceResult

DIFF_SCHEMA_VERSION = "1"
# The facts a fix changes, compared in this order (the verdict's class first).
COMPARED_FACTS = (
    "licensing.mode", "registration.status", "authorization.status",
    "registration.expires", "authorization.communication_deadline",
    "usage_reporting.last_ack_received", "usage_reporting.next_ack_deadline",
    "transport.type", "trust.code_installed", "version.software",
)
_SERIOUS = frozenset({"critical", "error", "warning"})


class NothingInCommon(Exception):
    """The two sides share no device: nothing to compare."""


@dataclass
class DeviceDiff:
    hostname: str | None
    status: str                                   # changed | unchanged | new | gone
    resolved: list[str] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)
    facts_changed: list[dict[str, Any]] = field(default_factory=list)
    appeared_serious: list[str] = field(default_factory=list)  # warning or worse
    before: DeviceResult | None = None
    after: DeviceResult | None = None

    def to_json(self) -> dict[str, Any]:
        return {"hostname": self.hostname, "status": self.status, "resolved": self.resolved,
                "appeared": self.appeared, "facts_changed": self.facts_changed}


@dataclass
class Diff:
    devices: list[DeviceDiff]
    notes: list[str]

    @property
    def worse(self) -> bool:
        """Whether something of warning or worse appeared (a new device's included)."""
        return any(d.appeared_serious for d in self.devices)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": DIFF_SCHEMA_VERSION,
                "devices": [d.to_json() for d in self.devices], "notes": self.notes}


def serial_of(result: DeviceResult) -> str | None:
    value = result.facts.value("udi.sn") or result.facts.value("version.serial")
    return str(value).upper() if value else None


def _fact(result: DeviceResult, name: str) -> Any:
    if name == "licensing.mode":
        return result.mode
    if name == "trust.code_installed":
        return result.state.trust_code_installed
    return result.facts.value(name)


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _latest(results: list[DeviceResult], side: str, notes: list[str]
            ) -> tuple[dict[str, DeviceResult], dict[str, DeviceResult]]:
    """One result per device on a side (by hostname, else serial): seen more than once, the
    latest capture (by its clock, else the later input) wins, and one note per device says
    so."""
    by_name: dict[str, DeviceResult] = {}
    by_serial: dict[str, DeviceResult] = {}
    seen_in: dict[tuple[int, str], tuple[str, list[str]]] = {}
    for result in results:
        key = (result.hostname or "").lower()
        table, shown = (by_name, result.hostname) if key else (by_serial, serial_of(result))
        key = key or (serial_of(result) or "")
        if not key:
            notes.append(f"{side}: {result.source}: a device with no hostname or serial "
                         "cannot be paired (left out)")
            continue
        sources = seen_in.setdefault((id(table), key), (shown or key, []))[1]
        sources.append(result.source)
        table[key] = _later(table[key], result) if key in table else result
    for (table_id, key), (shown, sources) in seen_in.items():
        if len(sources) > 1:
            kept = (by_name if table_id == id(by_name) else by_serial)[key]
            listed = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more"
                                               if len(sources) > 3 else "")
            notes.append(f"{side}: {shown} is in {len(sources)} captures ({listed}): "
                         f"compared as in {kept.source} (the latest)")
    return by_name, by_serial


def _one_note_per_device(notes: list[str]) -> list[str]:
    """A note the two sides share (the same folder on both) is said once, for both."""
    out: list[str] = []
    for note in notes:
        side, _, rest = note.partition(": ")
        if side == "after" and f"before: {rest}" in out:
            out[out.index(f"before: {rest}")] = f"both sides: {rest}"
        else:
            out.append(note)
    return out


def _later(first: DeviceResult, second: DeviceResult) -> DeviceResult:
    """The later capture of a device: by the clocks they show, else the later input."""
    if first.reference_time and second.reference_time:
        try:
            if first.reference_time.when > second.reference_time.when:
                return first
        except TypeError:  # one clock with a zone, one without
            pass
    return second


def compare(before: list[DeviceResult], after: list[DeviceResult]) -> Diff:
    notes: list[str] = []
    names_before, serials_before = _latest(before, "before", notes)
    names_after, serials_after = _latest(after, "after", notes)
    left = list(names_before.values()) + list(serials_before.values())

    def take(match: Any) -> DeviceResult | None:
        for index, candidate in enumerate(left):
            if match(candidate):
                return left.pop(index)
        return None

    paired: list[tuple[DeviceResult | None, DeviceResult | None]] = []
    for new in list(names_after.values()) + list(serials_after.values()):
        old = None
        if new.hostname:
            name = new.hostname.lower()
            old = take(lambda o, name=name: (o.hostname or "").lower() == name)
        serial = serial_of(new)
        if old is None and serial:  # a renamed switch keeps its serial
            old = take(lambda o, serial=serial: serial_of(o) == serial)
        paired.append((old, new))
    paired += [(old, None) for old in left]
    if not any(old is not None and new is not None for old, new in paired):
        raise NothingInCommon("the two sides have no device in common (paired by hostname, "
                              "then serial): nothing to compare")
    devices = [_device_diff(old, new) for old, new in paired]
    order = {"changed": 0, "new": 1, "gone": 2, "unchanged": 3}
    devices.sort(key=lambda d: (order[d.status], (d.hostname or "").lower()))
    return Diff(devices, _one_note_per_device(notes))


def _device_diff(old: DeviceResult | None, new: DeviceResult | None) -> DeviceDiff:
    either = new or old
    assert either is not None
    hostname = either.hostname or serial_of(either)  # a device without a name: its serial
    if old is None or new is None:
        present = new or old
        assert present is not None
        ids = [f.rule_id for f in present.findings]
        diff = DeviceDiff(hostname, "new" if old is None else "gone", before=old, after=new)
        if old is None:
            diff.appeared = ids
            diff.appeared_serious = [f.rule_id for f in present.findings
                                     if f.severity in _SERIOUS]
        else:
            diff.resolved = ids
        return diff
    before_ids = {f.rule_id for f in old.findings}
    after_ids = {f.rule_id: f for f in new.findings}
    diff = DeviceDiff(hostname, "unchanged", before=old, after=new)
    diff.resolved = sorted(before_ids - set(after_ids))
    diff.appeared = sorted(set(after_ids) - before_ids)
    diff.appeared_serious = [i for i in diff.appeared if after_ids[i].severity in _SERIOUS]
    for name in COMPARED_FACTS:
        was, now = _shown(_fact(old, name)), _shown(_fact(new, name))
        if was != now:
            diff.facts_changed.append({"fact": name, "before": was, "after": now})
    if diff.resolved or diff.appeared or diff.facts_changed:
        diff.status = "changed"
    return diff
