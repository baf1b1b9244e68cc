"""`sldiag diff`, `sldiag parse` and `sldiag rules list|test`: comparing analyses, the facts
alone, and the knowledge base itself."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..render.formats import DIFF_FORMATS
from .common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    emit,
    encoding_option,
    fail,
    report_problems,
    tell,
)
from .group import cli


@cli.command()
@click.argument("before")
@click.argument("after")
@click.option("--format", "fmt", type=click.Choice(DIFF_FORMATS), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the comparison to this file (atomically).")
@encoding_option
def diff(before: str, after: str, fmt: str, output: Path | None, encoding: str | None) -> None:
    """Compare two analyses of the same devices (files, folders, or two `collect` folders):
    findings resolved and appeared, facts changed, devices new or gone.

    Exit status: 0 when nothing of warning or worse appeared, 1 when something did, 2 when
    an input is wrong or the two sides have no device in common.
    """
    from ..analysis.compare import NothingInCommon, compare
    from ..analysis.run import analyse_paths
    from ..render.formats import FORMATS

    sides = []
    for label, path in (("before", before), ("after", after)):
        analysis = analyse_paths([path], None, encoding, with_text=False)
        report_problems(analysis.problems.as_dict())
        if not analysis.results:
            fail(f"{path}: no device to compare on the {label} side")
        sides.append(analysis.results)
    try:
        result = compare(*sides)
    except NothingInCommon as exc:
        fail(f"{before} and {after}: {exc}")
    render = FORMATS[fmt].diff
    assert render is not None
    emit(render(result), output)
    sys.exit(EXIT_FINDINGS if result.worse else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON to this file (atomically).")
@encoding_option
@click.option("--show-secrets", is_flag=True,
              help="Keep passwords, keys and tokens in the facts (removed by default).")
@click.option("--command", "command", metavar="COMMAND",
              help="Only what this command's outputs gave ('show license status').")
def parse(paths: tuple[str, ...], output: Path | None, encoding: str | None,
          show_secrets: bool, command: str | None) -> None:
    """Print the structured facts sldiag reads, per device and per command, as JSON (like
    `genie parse`), without the diagnosis. Keys: see the README ("sldiag parse")."""
    from ..analysis.run import analyse_paths
    from ..render.documents import output_matches, parse_document, render_json

    analysis = analyse_paths(list(paths), None, encoding, show_secrets=show_secrets,
                             with_text=False)
    report_problems(analysis.problems.as_dict())
    if not analysis.results:
        sys.exit(EXIT_INPUT)
    if command is not None and not any(output_matches(o, command)
                                       for r in analysis.results for o in r.outputs):
        fail(f"--command: no output of '{command}' in {', '.join(paths)}")
    emit(render_json(parse_document(analysis.results, command)), output)
    sys.exit(EXIT_INPUT if analysis.errors else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the configuration to this file (atomically).")
@encoding_option
def fix(paths: tuple[str, ...], output: Path | None, encoding: str | None) -> None:
    """Print, per device, the configuration that fixes the causes found (`configure terminal`
    ... `end`), then the commands that verify it. Values the capture does not give stay
    commented placeholders; sldiag never sends configuration to a device.

    Exit status: 0 with or without a fix, 2 when an input is wrong.
    """
    from ..analysis.run import analyse_paths
    from ..render.road import show
    from ..render.views import fix_block

    analysis = analyse_paths(list(paths), None, encoding, with_text=False)
    report_problems(analysis.problems.as_dict())
    if not analysis.results:
        sys.exit(EXIT_INPUT)
    blocks = [fix_block(r) for r in analysis.results]
    text = "\n\n".join("\n".join(block) for block in blocks if block)
    if not text:
        tell(f"sldiag fix: no configuration to change in {len(blocks)} device(s)")
    emit(show(text + "\n" if text else "", "text"), output)
    sys.exit(EXIT_INPUT if analysis.errors else EXIT_OK)


@cli.group()
def rules() -> None:
    """The knowledge base: list the rules, or test each against its own examples."""


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
def rules_list(rule_dirs: tuple[Path, ...]) -> None:
    """One line per rule: id, severity, scenario, title."""
    from ..diagnosing.knowledge import load_rules

    for rule in load_rules(list(rule_dirs)):
        scenario = f"#{rule.scenario}" if rule.scenario else "-"
        tell(f"{rule.id:<52} {rule.severity:<8} {scenario:<3} {rule.title}", err=False)


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
def rules_show(rule_id: str, rule_dirs: tuple[Path, ...]) -> None:
    """One rule as its file says it, and its examples (ansible-lint style: what fires, what
    does not)."""
    from ..diagnosing.knowledge import load_rules
    from ..render.road import show

    found = [r for r in load_rules(list(rule_dirs)) if r.id == rule_id]
    if not found:
        fail(f"{rule_id}: no such rule (sldiag rules list shows them)")
    rule = found[0]
    lines = [f"{rule.id} (version {rule.version}): {rule.title}",
             f"  file: {rule.file}", f"  severity: {rule.severity}, category: {rule.category}"
             + (f", TAC guide scenario #{rule.scenario}" if rule.scenario else ""),
             f"  modes: {', '.join(rule.modes) if rule.modes else 'all'}",
             f"  reference: {rule.references.get('guide', '')}"]
    lines += [f"  also: {d}" for d in rule.references.get("documents", [])]
    lines.append("  next steps:")
    for step in rule.steps:
        guard = " [" + ", ".join(filter(None, [
            f"modes {', '.join(step.modes)}" if step.modes else "",
            "when its condition holds" if step.when else ""])) + "]"
        lines.append(f"    - {step.text}{guard if step.modes or step.when else ''}")
    if rule.fix:
        lines += ["  fix:", *(f"    {line}" for line in rule.fix["configure"])]
    lines.append("  examples:")
    lines += [f"    {'fires  ' if e.positive else 'silent '} {e.path}" for e in rule.examples()]
    emit(show("\n".join(lines) + "\n", "text"), None)


@rules.command("test")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Print every example checked.")
def rules_test(rule_dirs: tuple[Path, ...], verbose: bool) -> None:
    """Run every rule against its positive examples (must fire) and negative ones (must not),
    found beside it in examples/<rule id>/."""
    from ..analysis.ruletest import test_rules

    failures, checked = test_rules(
        list(rule_dirs), on_pass=(lambda line: tell(line, err=False)) if verbose else None)
    for failure in failures:
        tell(f"FAIL {failure}", err=False)
    tell(f"rules test: {checked - len(failures)} passed, {len(failures)} failed", err=False)
    sys.exit(1 if failures else 0)
