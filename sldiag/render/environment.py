"""The jinja2 environments of the report formats: every ``{{ value }}`` goes through the road
(render/road.py) for the format's destination; filters name the other destinations a value
may take (a code span, a line of a code block, a sentence with commands)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .road import Shown, show
from .views import finding_label, fix_block, further_reading

# The destination of a plain ``{{ value }}`` in each format, and the destinations its filters
# produce (text the format takes as it is).
_PLAIN = {"text": "text", "md": "md", "html": "html", "json": "json"}
_ACCEPTED = {"text": {"text"}, "md": {"md", "md-code", "md-verbatim", "md-prose"},
             "html": {"html"}, "json": {"json"}}


def finalize_for(fmt: str) -> Callable[[Any], Any]:
    accepted = _ACCEPTED[fmt]
    plain = _PLAIN[fmt]

    def finalize(value: Any) -> Any:
        if isinstance(value, Shown) and value.destination in accepted:
            shown: Any = value
        else:
            shown = show(value, plain)
        if fmt == "html":
            from markupsafe import Markup

            return Markup(shown)  # escaped by the road: jinja must not escape it again
        return shown

    return finalize


def sldiag_filters() -> dict[str, Any]:
    return {
        "prose": lambda v: show(v, "md-prose"),        # Markdown: commands as code spans
        "finding_label": finding_label,
        "further_reading": further_reading,
        "fix_block": fix_block,
        "visible": lambda v: show(v, "text"),          # control and bidi characters shown
        "md": lambda v: show(v, "md"),                 # Markdown text, escaped
        "code": lambda v: show(v, "md-code"),          # a code span no text can close
        "verbatim": lambda v: show(v, "md-verbatim"),  # inside a Markdown code block
    }


@cache
def environment(fmt: str = "text", user_folder: str | None = None) -> Any:
    """The environment of one format. Escaping follows the format, never a file's name. A
    user's template (``user_folder``) runs in jinja2's sandbox."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from ..base.resources import template_cache

    folder = user_folder or str(Path(__file__).parent / "templates")
    kind = SandboxedEnvironment if user_folder is not None else jinja2.Environment
    # Only sldiag's own templates are kept compiled between runs.
    compiled = template_cache(f"report-{fmt}") if user_folder is None else None
    env = kind(loader=jinja2.FileSystemLoader(folder), autoescape=fmt == "html",
               finalize=finalize_for(fmt), trim_blocks=True, lstrip_blocks=True,
               keep_trailing_newline=True, bytecode_cache=compiled)
    env.filters.update(sldiag_filters())
    return env
