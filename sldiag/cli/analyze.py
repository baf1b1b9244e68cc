"""`sldiag analyze`: saved captures (or devices collected on the way) to one report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..base.limits import MAX_FILES_PER_RUN
from ..render.formats import REPORT_FORMATS
from .collect import fleet_options, run_fleet_command
from .common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    StagedProgress,
    colour_wanted,
    emit,
    encoding_option,
    fail,
    redact_classes,
    report_problems,
    same_file,
    say,
)
from .group import cli


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True,
              help="text for a terminal, md or html for people and TAC cases, json for programs.")
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Render with your own jinja2 template instead of the shipped one.")
@click.option("--redact", "redact", default="", metavar="CLASSES",
              help="Also replace serials,accounts,hostnames,ips (comma-separated) by placeholders.")
@click.option("--show-secrets", is_flag=True,
              help="Keep passwords, keys and tokens in the output (they are removed by default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="An extra folder of rule files, added to the shipped ones.")
@encoding_option
@click.option("-v", "--verbose", is_flag=True, help="List the lines sldiag could not read.")
@click.option("--summary", is_flag=True,
              help="Counts by verdict and one line per device, worst first (text, md).")
@click.option("--min-severity", type=click.Choice(["critical", "error", "warning", "info"]),
              help="Detail only the findings at or above this severity (verdicts unchanged).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=lambda: os.cpu_count() or 1,
              show_default="all cores", help="Captures analysed in parallel (many files).")
@click.option("--max-files", type=click.IntRange(1), default=MAX_FILES_PER_RUN,
              show_default=True, help="Files read in one run; the rest are listed, not read.")
@click.option("--attach-case", metavar="CASE",
              help="Also build a bundle and upload it to this TAC case (see `sldiag attach`).")
@click.option("--bundle-output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where --attach-case writes the bundle (default: sldiag-CASE.zip).")
@click.option("--full-captures", is_flag=True,
              help="With --attach-case: the bundle carries every line of the captures "
                   "(sanitised), not only the lines licensing depends on.")
@click.option("--cxd-url", default="https://cxd.cisco.com/home/", show_default=True,
              help="Upload endpoint for --attach-case.")
@click.option("--ca-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An extra CA certificate to trust for --attach-case.")
@fleet_options
@click.option("--captures", "capture_dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --host/--inventory: keep the collected captures in this folder.")
def analyze(paths: tuple[str, ...], fmt: str, template: Path | None, redact: str,
            show_secrets: bool, output: Path | None, rule_dirs: tuple[Path, ...],
            encoding: str | None, verbose: bool, attach_case: str | None,
            bundle_output: Path | None, cxd_url: str, ca_file: Path | None,
            capture_dir: Path | None, jobs: int, max_files: int, summary: bool,
            min_severity: str | None, full_captures: bool, **fleet: Any) -> None:
    """Analyse saved captures: files, folders (recursively), .gz, or - for standard input.

    Exit status: 0 when no finding is a warning or worse, 1 when one is, 2 when an input
    or the command line is wrong.
    """
    from ..render.formats import FORMATS, ReportOptions, needs_text, render
    from ..render.views import worst_severity

    if summary and not FORMATS[fmt].has_summary and template is None:
        fail(f"--summary: the {fmt} format has no summary form (text and md have one; "
             f"{fmt} always carries every device)")
    paths, unreachable = _with_collected(paths, fleet, capture_dir, show_secrets)
    if output is not None and any(same_file(output, p) for p in paths):
        fail(f"{output}: is one of the inputs; captures are never overwritten")
    classes = redact_classes(redact)
    with StagedProgress() as progress:
        analysis, sanitizer = _analyse(list(paths), classes, show_secrets, encoding, jobs,
                                       list(rule_dirs), progress, max_files,
                                       needs_text(fmt, template) or bool(attach_case))
    report_problems(analysis.problems.as_dict())
    if not analysis.results:
        sys.exit(EXIT_INPUT)
    options = ReportOptions(verbose=verbose, min_severity=min_severity, summary_only=summary,
                            colour=output is None and colour_wanted(), template=template)
    try:
        text = render(analysis.results, fmt, analysis.problems, options)
    except Exception as exc:  # jinja2's errors, kept generic to avoid importing it here
        if template is None or not type(exc).__module__.startswith("jinja2"):
            raise
        fail(f"{template}: the template failed ({type(exc).__name__}: {exc})")
    emit(text, output)
    if analysis.errors or unreachable:
        sys.exit(EXIT_INPUT)
    if attach_case:
        from .delivery import attach_bundle, write_analysis_bundle

        target = bundle_output or Path(f"sldiag-{attach_case}.zip")
        write_analysis_bundle(analysis, sanitizer, target, list(rule_dirs), encoding,
                              full_captures)
        attach_bundle(target, attach_case, cxd_url, ca_file, dry_run=False)
    worst = worst_severity(analysis.results)
    sys.exit(EXIT_FINDINGS if worst in {"critical", "error", "warning"} else EXIT_OK)


def _with_collected(paths: tuple[str, ...], fleet: dict[str, Any], capture_dir: Path | None,
                    show_secrets: bool) -> tuple[tuple[str, ...], list[str]]:
    """The captures to analyse: those named, and those collected first from the devices
    --host/--inventory name (kept in --captures, else a temporary folder)."""
    live = fleet["hosts"] or fleet["hosts_file"] or fleet["inventory"] or fleet["nornir_config"]
    if not live:
        if not paths:
            fail("give capture files to analyse, or devices with --host/--inventory")
        return paths, []
    import tempfile

    if capture_dir is None:
        import atexit
        import shutil

        folder = Path(tempfile.mkdtemp(prefix="sldiag-captures-"))
        atexit.register(shutil.rmtree, folder, True)  # --captures keeps them
        say(f"collected into a temporary folder ({folder}), removed when sldiag ends: the "
            "report cites lines of captures that will be gone; --captures DIR keeps them")
    else:
        folder = capture_dir
    folder.mkdir(parents=True, exist_ok=True)
    outcome = run_fleet_command(fleet, folder, analyse=False, show_secrets=show_secrets)
    unreachable = sorted(outcome.failed) + outcome.left_out
    paths = tuple(paths) + tuple(r["capture"] for r in outcome.collected.values())
    if not paths:
        sys.exit(EXIT_INPUT)
    return paths, unreachable


def _analyse(paths: list[str], classes: frozenset[str], show_secrets: bool,
             encoding: str | None, jobs: int, rule_dirs: list[Path], progress: Any,
             max_files: int, with_text: bool) -> Any:
    from ..analysis.run import analyse_paths, counting_files
    from ..sanitizing.sanitizer import Sanitizer

    # The knowledge is loaded where the parsing happens (here, or once per worker).
    sanitizer = None if show_secrets else Sanitizer(classes)
    analysis = analyse_paths(paths, None, encoding, redact=classes, show_secrets=show_secrets,
                             jobs=jobs, extra_rule_dirs=rule_dirs,
                             progress=counting_files(progress), with_text=with_text,
                             max_files=max_files, sanitizer=sanitizer)
    return analysis, sanitizer
