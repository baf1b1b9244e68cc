"""`sldiag bundle` and `sldiag attach`: the sanitised bundle for a TAC case, and its upload."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..base.limits import MAX_FILES_PER_RUN
from .common import (
    EXIT_INPUT,
    StagedProgress,
    encoding_option,
    fail,
    redact_classes,
    report_problems,
    same_file,
    say,
    tell,
)
from .group import cli


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The zip to write (atomically), e.g. case-bundle.zip.")
@click.option("--redact", "redact", default="", metavar="CLASSES",
              help="Also replace serials,accounts,hostnames,ips (comma-separated) by placeholders.")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
@encoding_option
@click.option("--max-files", type=click.IntRange(1), default=MAX_FILES_PER_RUN,
              show_default=True, help="Files read in one run; the rest are listed, not read.")
@click.option("--full-captures", is_flag=True,
              help="Carry every line of the captures (still sanitised), not only the lines "
                   "licensing depends on.")
def bundle(paths: tuple[str, ...], output: Path, redact: str, rule_dirs: tuple[Path, ...],
           encoding: str | None, max_files: int, full_captures: bool) -> None:
    """Build a sanitised bundle for a TAC case: reports, facts, the captures' licensing lines
    (every line with --full-captures) and a manifest."""
    from ..bundle.build import build_bundle
    from ..diagnosing.knowledge import Knowledge

    if any(same_file(output, p) for p in paths):
        fail(f"{output}: is one of the inputs; captures are never overwritten")
    with StagedProgress() as progress:
        built = build_bundle(list(paths), Knowledge.load(list(rule_dirs)),
                             redact_classes(redact), encoding, max_files=max_files,
                             full_captures=full_captures, progress=progress)
        _write(built, output, progress=progress)


def write_analysis_bundle(analysis: Any, sanitizer: Any, output: Path,
                          rule_dirs: list[Path], encoding: str | None,
                          full_captures: bool = False) -> None:
    """The bundle of an analysis made already (`analyze --attach-case`): not analysed again,
    unless the analysis kept secrets (--show-secrets), which a bundle never does."""
    from ..bundle.build import build_bundle, bundle_analysis
    from ..diagnosing.knowledge import Knowledge

    if any(same_file(output, source.item.path) for source in analysis.sources):
        fail(f"{output}: is one of the inputs; captures are never overwritten")
    knowledge = Knowledge.load(rule_dirs)
    if sanitizer is None:
        built = build_bundle([s.item.path for s in analysis.sources], knowledge,
                             encoding=encoding, full_captures=full_captures)
    else:
        built = bundle_analysis(analysis, knowledge, sanitizer, encoding, full_captures)
    _write(built, output, report=False)


def _write(built: Any, output: Path, report: bool = True, progress: Any = None) -> None:
    from ..bundle.archive import write_bundle

    if report:
        report_problems(built.problems.as_dict())
    if built.errors or not built.results:
        sys.exit(EXIT_INPUT)
    try:
        write_bundle(built, output, progress)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    removed = sum(built.redactions.values())
    tell(f"{output}: {len(built.results)} device(s), {len(built.names())} files, "
         f"{removed} value(s) redacted")


@cli.command()
@click.argument("bundle_path", metavar="BUNDLE",
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--case", "case", required=True, help="The TAC case (service request) number.")
@click.option("--url", default="https://cxd.cisco.com/home/", show_default=True,
              help="Customer eXperience Drive upload endpoint.")
@click.option("--ca-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An extra CA certificate to trust (inspecting proxies, tests).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
def attach(bundle_path: Path, case: str, url: str, ca_file: Path | None, dry_run: bool) -> None:
    """Upload a bundle to the TAC case (HTTPS PUT to CXD; token from SLDIAG_CXD_TOKEN)."""
    attach_bundle(bundle_path, case, url, ca_file, dry_run)


def attach_bundle(bundle_path: Path, case: str, url: str, ca_file: Path | None,
                  dry_run: bool) -> None:
    from ..attach import UploadError, describe, upload, validate_case

    try:
        validate_case(case)
    except UploadError as exc:
        fail(str(exc))
    if dry_run:
        tell(describe(bundle_path, case, url), err=False)
        return
    token = os.environ.get("SLDIAG_CXD_TOKEN")
    if not token:
        if not sys.stdin.isatty():
            fail("no upload token: set SLDIAG_CXD_TOKEN (the case's CXD upload token)")
        token = click.prompt(f"CXD upload token for case {case}", hide_input=True,
                             err=True).strip()
    try:
        upload(bundle_path, case, token, url=url, ca_file=ca_file, progress=say)
    except UploadError as exc:
        fail(str(exc))
    tell(f"{bundle_path}: stored in case {case}")
