"""The licensing state of a device in the few values reports, the dashboard, diff and JSON
read, built once: statuses, transport, trust, acknowledgements, and the deadlines with the
days to each from the device's own clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..model import facts as fm
from ..model.results import Clock, Deadline, LicensingState


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


def days_between(when: Any, clock: Clock | None) -> int | None:
    """Whole days from the clock to ``when`` (negative: past); None without both dates, or
    for a date after a clock that is only a lower bound (how far ahead is unknown; one before
    it is at least that many days past)."""
    if not isinstance(when, datetime) or clock is None:
        return None
    try:
        days = int((when - clock.when).total_seconds() // 86400)
    except TypeError:  # one aware, one naive
        return None
    return days if clock.exact or days < 0 else None


def deadlines(facts: fm.Facts, clock: Clock | None) -> list[Deadline]:
    """The dates a device must act by, against its own clock, soonest first."""
    found: list[tuple[str, Any]] = [
        ("next ACK deadline", facts.value("usage_reporting.next_ack_deadline")),
        ("communication deadline", facts.value("authorization.communication_deadline")),
        ("registration expires", facts.value("registration.expires")),
    ]
    remaining = facts.value("authorization.evaluation_remaining")
    if isinstance(remaining, timedelta) and clock is not None and clock.exact:
        found.append(("evaluation ends", clock.when + remaining))
    floor = clock is not None and not clock.exact
    out = [Deadline(what, when, days_between(when, clock), floor)
           for what, when in found if isinstance(when, datetime)]
    return sorted(out, key=lambda d: d.when.timestamp())


def licensing_state(facts: fm.Facts, mode: str, label: str,
                    reference_time: Clock | None,
                    marker: dict[str, Any] | None = None) -> LicensingState:

    def date(path: str) -> datetime | None:
        value = facts.value(path)
        return value if isinstance(value, datetime) else None

    return LicensingState(
        mode=mode, mode_label=label, mode_marker=marker,
        registration_status=facts.value("registration.status"),
        registration_expires=date("registration.expires"),
        authorization_status=facts.value("authorization.status"),
        authorization_since=date("authorization.status_date"),
        transport=transport_name(facts.value("transport.type")),
        trust_code_installed=trust_code_installed(facts),
        last_ack_received=date("usage_reporting.last_ack_received"),
        next_ack_deadline=date("usage_reporting.next_ack_deadline"),
        deadlines=deadlines(facts, reference_time))
