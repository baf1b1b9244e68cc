"""Rule texts are small jinja2 templates: ``{{ hostname }}``, ``{{ fact('path') }}``."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any

from ..model import facts as fm
from ..model.results import Clock
from ..model.values import EMPTY_VALUES, human
from .textplans import Unplanned, render_plan

# A name the device printed that may go into a command to paste: an interface, a VRF, an
# address or host name, a URL. Anything else (spaces, quotes, backticks, control characters,
# a placeholder the device itself printed) is not offered: the step keeps its placeholder.
_PASTEABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@%=?&+-]{0,199}")


def pasteable(value: Any, after: str | None = None) -> str | None:
    """The part of a device value a command can take as it is (the word after ``after``,
    "vrf" in "vrf Mgmt-vrf 10.1.1.1"; ``after="host"``: a URL's host; ``after="only"``: the
    single value of a list), or None."""
    if after == "only":  # the one value of a list ("vrf definition" when there is one)
        return pasteable(value[0]) if isinstance(value, list) and len(value) == 1 else None
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, str):
            continue
        words = item.split()
        if after == "host":  # the host of a URL: "https://10.1.1.5:8182/cslu/v1/pi"
            text = _url_host(item)
        elif after is not None:
            lowered = [w.lower() for w in words]
            at = lowered.index(after) + 1 if after in lowered else len(words)
            if at >= len(words):
                continue
            text = words[at]
        elif len(words) == 1:
            text = words[0]
        else:
            continue  # a value of several words is no single name
        if text.lower() not in EMPTY_VALUES and _PASTEABLE.fullmatch(text):
            return text
    return None


def _url_host(text: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(text.strip()[:2048]).hostname or ""
    except ValueError:  # a malformed port or bracket: no host to offer
        return ""


# The texts compiled in this process, by the name their template is loaded under.
_TEXTS: dict[str, str] = {}
# The plans of the rules' texts (textplans.py), given by the knowledge that holds the texts.
_PLANS: dict[str, Any] = {}


def add_plans(plans: dict[str, Any]) -> None:
    """Plans for texts, by text (a kept plan that is not a list is not used)."""
    _PLANS.update((text, plan) for text, plan in plans.items()
                  if isinstance(text, str) and isinstance(plan, list))


def is_template(text: str) -> bool:
    """Whether a text is rendered as a template (most texts are plain)."""
    return "{{" in text or "{%" in text


@cache
def _sandbox() -> Any:
    from jinja2 import FunctionLoader
    from jinja2.sandbox import SandboxedEnvironment

    from ..base.resources import template_cache

    # Sandboxed: rules may come from a user's own folder (--rules). Loaded by name (the text's
    # digest) so that jinja2 keeps the compiled form between runs, checked against the text.
    return SandboxedEnvironment(autoescape=False, keep_trailing_newline=False,
                                loader=FunctionLoader(_TEXTS.get),
                                bytecode_cache=template_cache("rule-text"))


@cache
def compile_message(text: str) -> Any:
    """A rule text as a sandboxed template, compiled once and only when a rule that uses it
    fires (most texts are plain and never compiled)."""
    import hashlib

    name = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    _TEXTS[name] = text
    return _sandbox().get_template(name)


def render_text(text: str, facts: fm.Facts, hostname: str | None,
                clock: Clock | None = None, used: set[str] | None = None) -> str:
    """A rule text for one device. ``used`` collects the facts whose values went into it
    (``device(...)``), so the finding cites the lines they came from."""
    if not is_template(text):
        return text.strip()  # most next steps are plain text: no template to compile
    now = clock.when if clock else None

    def device(paths: str, name: str, shown_by: str) -> str:
        """The device's own name for something (the first of ``paths``, comma-separated,
        that holds one; ``config.name_servers@vrf``: the word after "vrf" in its value), or
        a placeholder naming the command that shows it."""
        for path, _, after in (p.strip().partition("@") for p in paths.split(",")):
            value = pasteable(facts.value(path), after or None)
            if value is not None:
                if used is not None:
                    used.add(path)
                return value
        return f"<{name}, see {shown_by}>"

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

    names = {"hostname": hostname or "<hostname>", "fact": fact, "days_left": days_left,
             "device": device, "days_since": lambda path: days_left(path).replace("-", "", 1),
             "clock_source": clock.describe() if clock else "no clock in the capture",
             "reads": lambda: what_was_read(facts)}
    plan = _PLANS.get(text)
    if plan is not None:
        try:
            return render_plan(plan, names).strip()
        except Unplanned:
            pass  # jinja2 says it
    return compile_message(text).render(**names).strip()


def what_was_read(facts: fm.Facts) -> str:
    """The outputs sldiag recognised in a device's capture, for sentences."""
    read = list(facts.value("device.commands") or [])
    logged = len(facts.rows("syslog"))
    if logged:
        read.append(f"{logged} log message{'s' if logged != 1 else ''}")
    if facts.rows("eventlog") and "show license eventlog" not in read:
        read.append("licensing event log lines")
    return ", ".join(read) if read else "no command output sldiag knows"
