"""The one table of output formats: what each renders, how it escapes (its road destination),
whether its report needs the capture's text, and whether it has a summary form.

A new format is an entry here (and a template in templates/ when it is one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..base.textsafe import md_fence, prose_parts
from ..model.problems import Problems
from ..model.results import DeviceResult
from . import views
from .road import Shown, assemble, show


@dataclass
class ReportOptions:
    verbose: bool = False
    min_severity: str | None = None
    summary_only: bool = False
    colour: bool = False          # ANSI colours (text on a terminal only)
    width: int | None = None      # the fleet summary's width (default: the terminal's)
    template: Path | None = None  # the user's own template instead of the shipped one


@dataclass(frozen=True)
class Format:
    name: str
    destination: str                          # how the road escapes for it
    report: Callable[[list[DeviceResult], Problems, ReportOptions], Shown]
    needs_text: bool                          # its report shows excerpts of the capture
    has_summary: bool                         # --summary (counts and one line per device)
    diff: Callable[[Any], Shown] | None = None
    extension: str = ""
    templates: tuple[str, ...] = field(default=())


def _template_report(fmt: str) -> Callable[[list[DeviceResult], Problems, ReportOptions],
                                            Shown]:
    def render(results: list[DeviceResult], problems: Problems, options: ReportOptions) -> Shown:
        return render_template(results, problems, options, fmt)
    return render


def _json_report(results: list[DeviceResult], problems: Problems,
                 options: ReportOptions) -> Shown:
    if options.template is not None:
        return render_template(results, problems, options, "json")
    from .documents import render_json, report_document

    return render_json(report_document(results, problems))


def _openmetrics_report(results: list[DeviceResult], problems: Problems,
                        options: ReportOptions) -> Shown:
    from .metrics import render_openmetrics

    return render_openmetrics(results, problems)


def _diff(fmt: str) -> Callable[[Any], Shown]:
    def render(diff: Any) -> Shown:
        from .diff import render_diff

        return render_diff(diff, fmt)
    return render


FORMATS: dict[str, Format] = {
    "text": Format("text", "text", _template_report("text"), needs_text=False,
                   has_summary=True, diff=_diff("text"), extension="txt"),
    "md": Format("md", "md", _template_report("md"), needs_text=True,
                 has_summary=True, diff=_diff("md"), extension="md"),
    "html": Format("html", "html", _template_report("html"), needs_text=True,
                   has_summary=False, extension="html"),
    "json": Format("json", "json", _json_report, needs_text=False, has_summary=False,
                   diff=_diff("json"), extension="json"),
    "openmetrics": Format("openmetrics", "openmetrics", _openmetrics_report, needs_text=False,
                          has_summary=False, extension="prom"),
}
REPORT_FORMATS = tuple(FORMATS)
DIFF_FORMATS = tuple(name for name, f in FORMATS.items() if f.diff is not None)


def needs_text(fmt: str, template: Path | None = None) -> bool:
    """Whether the analysis must cut excerpts for this report (a user's template may show
    them, whatever its format)."""
    return template is not None or FORMATS[fmt].needs_text


def render(results: list[DeviceResult], fmt: str, problems: Problems | None = None,
           options: ReportOptions | None = None, **settings: Any) -> Shown:
    """The report of ``results`` in format ``fmt``; ``settings`` are ReportOptions' fields
    (``verbose=True``) for a caller without its own options."""
    options = options or ReportOptions(**settings)
    return FORMATS[fmt].report(results, problems or Problems(), options)


def _painter(colour: bool) -> Callable[[object, str], object]:
    codes = {"critical": "1;35", "error": "1;31", "warning": "33", "info": "36", "ok": "32",
             "unknown": "2"}

    def paint(text: object, severity: str) -> object:
        if not colour or severity not in codes:
            return text
        return assemble([f"\x1b[{codes[severity]}m", show(text, "text"), "\x1b[0m"], "text")

    return paint


# The shipped template of each format that has one.
SHIPPED_TEMPLATES = {"text": "report.txt.j2", "md": "report.md.j2", "html": "report.html.j2"}


def render_template(results: list[DeviceResult], problems: Problems, options: ReportOptions,
                    fmt: str) -> Shown:
    """A jinja2 report: the shipped template of a format, or the user's own (escaped as that
    format's values are; a user's template with --format json escapes as text does)."""
    from .documents import report_document
    from .reportplans import render_planned
    from .timeline import timeline_svg, undated

    escaping = "text" if fmt == "json" else fmt
    names = dict(
        results=results, verdict=views.verdict, version=__version__,
        modes={r.mode: r.state.mode_label for r in results},
        ordered=views.worst_first(results), counts=views.class_counts(results),
        verdict_class=views.verdict_class, state_line=views.state_line,
        deadlines=views.deadlines, days_text=views.days_text, heading=views.device_heading,
        shown=lambda r: views.shown_findings(r, options.min_severity),
        min_severity=options.min_severity, show_flowchart=views.show_flowchart,
        summary_only=options.summary_only,
        paint=_painter(options.colour and escaping == "text"),
        summary_table=lambda rs: views.summary_table(rs, options.width),
        timeline=timeline_svg, undated=undated, verbose=options.verbose,
        summary_rows=views.summary_rows,
        summary_of=views.summary_of, excerpts=views.excerpts, step_parts=views.step_parts,
        prose_parts=prose_parts, facts_table=views.facts_table,
        raw_sections=views.raw_sections,
        document=report_document(results, problems), clock_line=views.clock_line,
        mode_line=views.mode_line,
        fence_for=md_fence, problems=problems.as_dict(), problem_count=problems.count())
    text = None
    if options.template is None:  # sldiag's own template: its plan, without jinja2
        text = render_planned(escaping, SHIPPED_TEMPLATES[fmt], names)
    if text is None:
        text = _jinja_template(escaping, fmt, options.template).render(**names)
    return assemble([text], FORMATS[escaping].destination)


def _jinja_template(escaping: str, fmt: str, template: Path | None) -> Any:
    from .environment import environment

    if template is not None:
        return environment(escaping, str(template.parent.resolve())).get_template(template.name)
    return environment(escaping).get_template(SHIPPED_TEMPLATES[fmt])
