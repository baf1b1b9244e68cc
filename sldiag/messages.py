"""Rule texts are small jinja2 templates: ``{{ hostname }}``, ``{{ fact('path') }}``."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from . import facts as fm


@cache
def _environment() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    # Sandboxed: rules may come from a user's own folder (--rules).
    return SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


@cache
def compile_message(text: str) -> Any:
    """A rule text as a template. Jinja's parse and compile cost more than a whole small
    analysis, so the compiled code is kept in the cache folder, keyed by the text and the
    versions that produced it."""
    import hashlib
    import marshal
    import sys

    import jinja2

    from .resources import cache_dir

    env = _environment()
    key = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0{text}".encode()).hexdigest()
    path = cache_dir() / "messages" / f"{key[:32]}.bin"
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        code = env.compile(text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(marshal.dumps(code))
            tmp.replace(path)
        except OSError:
            pass  # a read-only home only costs speed
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def render(text: str, facts: fm.Facts, hostname: str | None, now: datetime | None = None,
           clock_source: str = "no clock in the capture") -> str:
    if "{{" not in text and "{%" not in text:
        return text.strip()  # most next steps are plain text: no template to compile
    def fact(path: str, default: str = "unknown") -> str:
        value = facts.value(path)
        return default if value is None else fm.human(value)

    def days_left(path: str) -> str:
        """Whole days from the device's clock to a date fact ("-3" = three days ago)."""
        value = facts.value(path)
        if not isinstance(value, datetime) or now is None:
            return "an unknown number of"
        return str(int((value - now).total_seconds() // 86400))

    return compile_message(text).render(
        hostname=hostname or "<hostname>", fact=fact, days_left=days_left,
        days_since=lambda path: days_left(path).lstrip("-"), clock_source=clock_source,
        reads=lambda: what_was_read(facts)).strip()


def what_was_read(facts: fm.Facts) -> str:
    """The outputs sldiag recognised in a device's capture, for sentences."""
    read = list(facts.value("device.commands") or [])
    if facts.syslog:
        read.append(f"{len(facts.syslog)} log message{'s' if len(facts.syslog) != 1 else ''}")
    if facts.eventlog and "show license eventlog" not in read:
        read.append("licensing event log lines")
    return ", ".join(read) if read else "no command output sldiag knows"
