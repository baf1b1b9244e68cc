"""Printed text to typed values, and values back to text: IOS dates with their zones,
durations, and how a value reads in a sentence or in JSON."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

# What a device prints where it has no value ("Proxy: <empty>", "VRF: Not Configured"): no fact,
# and never a name to put into a command.
EMPTY_VALUES = {"", "none", "<none>", "<empty>", "n/a", "not yet set up", "not configured"}

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE = re.compile(
    r"^(?:(?P<y1>\d{4})\s+)?(?P<mon>[A-Za-z]{3})\w*\s+(?P<day>\d{1,2})\s+"
    r"(?:(?P<y2>\d{4})\s+)?(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<frac>\d+))?"
    r"(?:\s+(?P<y4>\d{4}))?(?:\s+(?P<tz>[A-Za-z][A-Za-z0-9+\-]*))?(?:\s+(?P<y3>\d{4}))?\s*$")
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[ T](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<frac>\d+))?(?:\s*(?P<tz>[A-Za-z][A-Za-z0-9+\-]*))?\s*$")
# (?<!\d): a search never starts inside a run of digits (linear on a line of digits).
_DURATION_PART = re.compile(r"(?<!\d)(\d++)\s*(day|hour|minute|second)s?", re.IGNORECASE)


class ConversionError(ValueError):
    pass


def parse_datetime(text: str, zones: dict[str, float], year_hint: int | None = None,
                   ) -> tuple[datetime, str | None]:
    """Parse an IOS date ("Oct 22 14:25:31 2018 EST", "2021-11-17 03:31:32.920 UTC", ...).

    Returns the timezone-aware datetime and a warning when the zone had to be assumed.
    """
    text = text.strip()
    m = _DATE.match(text)
    if m:
        month = _MONTHS.get(m["mon"].lower())
        if month is None:
            raise ConversionError(f"unknown month in {text!r}")
        year_text = m["y1"] or m["y2"] or m["y3"] or m["y4"]
        if year_text is None and year_hint is None:
            raise ConversionError(f"no year in {text!r}")
        year = int(year_text) if year_text else int(year_hint)  # type: ignore[arg-type]
        day, tzname = int(m["day"]), m["tz"]
    else:
        m = _ISO.match(text)
        if not m:
            raise ConversionError(f"not a date: {text!r}")
        year, month, day, tzname = int(m["y"]), int(m["mo"]), int(m["d"]), m["tz"]
    micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    warning = None
    if tzname is None:
        offset = 0.0
        warning = f"no time zone printed in {text!r}; assumed UTC"
    elif tzname.upper() in zones:
        offset = zones[tzname.upper()]
    else:
        offset = 0.0
        warning = f"unknown time zone {tzname!r} in {text!r}; assumed UTC"
    try:
        value = datetime(year, month, day, int(m["h"]), int(m["m"]), int(m["s"]), micro,
                         tzinfo=timezone(timedelta(hours=offset)))
    except ValueError as exc:
        raise ConversionError(f"impossible date {text!r}: {exc}") from None
    return value, warning


def parse_duration(text: str) -> timedelta:
    """'65 days, 18 hours, 43 minutes, 0 seconds' -> timedelta."""
    parts = _DURATION_PART.findall(text)
    if not parts:
        raise ConversionError(f"not a duration: {text!r}")
    total = timedelta()
    for number, unit in parts:
        total += timedelta(**{unit.lower() + "s": int(number)})
    return total


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def human(value: Any) -> str:
    """How a fact value reads in a sentence."""
    if isinstance(value, timedelta):
        days, rest = divmod(int(value.total_seconds()), 86400)
        hours = rest // 3600
        return f"{days} days {hours} hours" if hours else f"{days} days"
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if not offset:
            return value.strftime("%Y-%m-%d %H:%M:%S UTC")
        return value.strftime("%Y-%m-%d %H:%M:%S UTC%z")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
