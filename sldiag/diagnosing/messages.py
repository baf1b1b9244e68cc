"""Rule texts are small jinja2 templates: ``{{ hostname }}``, ``{{ fact('path') }}``."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from ..model import facts as fm
from ..model.results import Clock
from ..model.values import human


@cache
def _sandbox() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    # Sandboxed: rules may come from a user's own folder (--rules).
    return SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


@cache
def compile_message(text: str) -> Any:
    """A rule text as a sandboxed template, compiled once per process and only when a rule
    that uses it fires (most texts are plain and never compiled)."""
    return _sandbox().from_string(text)


def render_text(text: str, facts: fm.Facts, hostname: str | None,
                clock: Clock | None = None) -> str:
    if "{{" not in text and "{%" not in text:
        return text.strip()  # most next steps are plain text: no template to compile
    now = clock.when if clock else None

    def fact(path: str, default: str = "unknown") -> str:
        value = facts.value(path)
        return default if value is None else human(value)

    def days_left(path: str) -> str:
        """Whole days from the device's clock to a date fact ("-3" = three days ago); with
        only a lower bound for the clock, "at least -3" for a date before it, unknown after."""
        value = facts.value(path)
        if not isinstance(value, datetime) or now is None:
            return "an unknown number of"
        try:
            days = int((value - now).total_seconds() // 86400)
        except TypeError:  # one date with a zone, one without
            return "an unknown number of"
        if clock is not None and not clock.exact:
            return f"at least {days}" if days < 0 else "an unknown number of"
        return str(days)

    return compile_message(text).render(
        hostname=hostname or "<hostname>", fact=fact, days_left=days_left,
        days_since=lambda path: days_left(path).replace("-", "", 1),
        clock_source=clock.describe() if clock else "no clock in the capture",
        reads=lambda: what_was_read(facts)).strip()


def what_was_read(facts: fm.Facts) -> str:
    """The outputs sldiag recognised in a device's capture, for sentences."""
    read = list(facts.value("device.commands") or [])
    logged = len(facts.rows("syslog"))
    if logged:
        read.append(f"{logged} log message{'s' if logged != 1 else ''}")
    if facts.rows("eventlog") and "show license eventlog" not in read:
        read.append("licensing event log lines")
    return ", ".join(read) if read else "no command output sldiag knows"
