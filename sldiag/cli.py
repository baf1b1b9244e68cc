"""The command line: ``sldiag analyze``, ``sldiag rules list|test``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .limits import MAX_FILES_PER_RUN
from .resources import DataError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def say(message: str) -> None:
    """One line on stderr; names from the command line or a folder are shown safely."""
    from .textsafe import display_name

    click.echo(f"sldiag: {display_name(message)}", err=True)


def fail(message: str) -> None:
    say(message)
    sys.exit(EXIT_INPUT)


def report_problems(problems: dict[str, list[str]]) -> None:
    """Each input not analysed, or only in part, as one line on stderr (the report lists
    them too)."""
    for line in problems["skipped"]:
        say(f"warning: skipped {line}")
    for line in problems["limits"]:
        say(f"limit reached: {line}")
    for line in problems["errors"]:
        say(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sldiag")
def cli() -> None:
    """Diagnose Cisco Smart Licensing on IOS-XE switches from what they print."""


def _fleet_options(func: Any) -> Any:
    options = [
        click.option("--host", "hosts", multiple=True, metavar="HOST[:PORT]",
                     help="A device to collect from (repeatable); NAME=HOST[:PORT] names it."),
        click.option("--hosts-file",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A text file of hosts, one per line."),
        click.option("--inventory",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A Nornir SimpleInventory hosts.yaml (groups.yaml and "
                          "defaults.yaml beside it)."),
        click.option("--nornir-config",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A Nornir config file: any inventory plugin Nornir can load."),
        click.option("--workers", default=10, show_default=True, type=click.IntRange(1, 500),
                     help="Devices collected in parallel."),
        click.option("--username", default=lambda: os.environ.get("SLDIAG_USERNAME"),
                     help="SSH user when the inventory has none [env SLDIAG_USERNAME]."),
        click.option("--enable", "ask_enable", is_flag=True,
                     help="Ask for an enable secret [or env SLDIAG_ENABLE_SECRET]."),
        click.option("--timeout", default=30.0, show_default=True, type=float,
                     help="Seconds to connect and to wait for each command."),
        click.option("--known-hosts", type=click.Path(dir_okay=False, path_type=Path),
                     help="sldiag's own known_hosts (default ~/.config/sldiag/known_hosts)."),
        click.option("--accept-new-host-keys", is_flag=True,
                     help="Trust a first-seen host key and record it (a changed key is "
                          "always refused)."),
        click.option("--ssh-config", type=click.Path(dir_okay=False, exists=True,
                                                      path_type=Path),
                     help="An OpenSSH config for devices behind a jump host (ProxyJump, "
                          "ProxyCommand, HostName, Port, User)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]),
              default="text", show_default=True,
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
@click.option("--encoding", help="Read captures in this encoding instead of UTF-8.")
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
@click.option("--cxd-url", default="https://cxd.cisco.com/home/", show_default=True,
              help="Upload endpoint for --attach-case.")
@click.option("--ca-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An extra CA certificate to trust for --attach-case.")
@_fleet_options
@click.option("--captures", "capture_dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --host/--inventory: keep the collected captures in this folder.")
def analyze(paths: tuple[str, ...], fmt: str, template: Path | None, redact: str,
            show_secrets: bool, output: Path | None, rule_dirs: tuple[Path, ...],
            encoding: str | None, verbose: bool, attach_case: str | None,
            bundle_output: Path | None, cxd_url: str, ca_file: Path | None,
            capture_dir: Path | None, jobs: int, max_files: int, summary: bool,
            min_severity: str | None, **fleet: Any) -> None:
    """Analyse saved captures: files, folders (recursively), .gz, or - for standard input.

    Exit status: 0 when no finding is a warning or worse, 1 when one is, 2 when an input
    or the command line is wrong.
    """
    from .pipeline import analyse_paths
    from .report import render, worst_severity

    live = fleet["hosts"] or fleet["hosts_file"] or fleet["inventory"] or fleet["nornir_config"]
    unreachable: list[str] = []
    if live:
        import tempfile

        if capture_dir is None:
            import atexit
            import shutil

            folder = Path(tempfile.mkdtemp(prefix="sldiag-captures-"))
            atexit.register(shutil.rmtree, folder, True)  # --captures keeps them
        else:
            folder = capture_dir
        folder.mkdir(parents=True, exist_ok=True)
        outcome = _run_fleet(fleet, folder, analyse=False, show_secrets=show_secrets)
        unreachable = sorted(outcome.failed) + outcome.left_out
        paths = tuple(paths) + tuple(r["capture"] for r in outcome.collected.values())
        if not paths:
            sys.exit(EXIT_INPUT)
    elif not paths:
        fail("give capture files to analyse, or devices with --host/--inventory")
    if output is not None and any(_same_file(output, p) for p in paths):
        fail(f"{output}: is one of the inputs; captures are never overwritten")
    with _file_progress() as progress:
        # The knowledge is loaded where the parsing happens (here, or once per worker).
        analysis = analyse_paths(list(paths), None, encoding, redact=_classes(redact),
                                 show_secrets=show_secrets, jobs=jobs,
                                 extra_rule_dirs=list(rule_dirs), progress=progress,
                                 keep_text=fmt in {"md", "html"} or template is not None,
                                 max_files=max_files)
    report_problems(analysis.problems())
    if not analysis.results:
        sys.exit(EXIT_INPUT)
    try:
        text = render(analysis.results, fmt, verbose=verbose, template=template,
                      problems=analysis.problems(), min_severity=min_severity,
                      summary_only=summary, colour=output is None and _colour_wanted())
    except Exception as exc:  # jinja2's errors, kept generic to avoid importing it here
        if template is None or not type(exc).__module__.startswith("jinja2"):
            raise
        fail(f"{template}: the template failed ({type(exc).__name__}: {exc})")
    _emit(text, output)
    if analysis.errors or unreachable:
        sys.exit(EXIT_INPUT)
    if attach_case:
        target = bundle_output or Path(f"sldiag-{attach_case}.zip")
        _make_bundle(paths, target, redact, rule_dirs, encoding, max_files)
        _attach(target, attach_case, cxd_url, ca_file, dry_run=False)
    worst = worst_severity(analysis.results)
    sys.exit(EXIT_FINDINGS if worst in {"critical", "error", "warning"} else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The zip to write (atomically), e.g. case-bundle.zip.")
@click.option("--redact", "redact", default="", metavar="CLASSES",
              help="Also replace serials,accounts,hostnames,ips (comma-separated) by placeholders.")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("--encoding", help="Read captures in this encoding instead of UTF-8.")
@click.option("--max-files", type=click.IntRange(1), default=MAX_FILES_PER_RUN,
              show_default=True, help="Files read in one run; the rest are listed, not read.")
def bundle(paths: tuple[str, ...], output: Path, redact: str, rule_dirs: tuple[Path, ...],
           encoding: str | None, max_files: int) -> None:
    """Build a sanitised bundle for a TAC case: reports, facts, captures and a manifest."""
    _make_bundle(paths, output, redact, rule_dirs, encoding, max_files)


def _make_bundle(paths: tuple[str, ...], output: Path, redact: str,
                 rule_dirs: tuple[Path, ...], encoding: str | None,
                 max_files: int = MAX_FILES_PER_RUN) -> Path:
    from .bundle import build_bundle, write_bundle
    from .pipeline import Knowledge

    if any(_same_file(output, p) for p in paths):
        fail(f"{output}: is one of the inputs; captures are never overwritten")
    built = build_bundle(list(paths), Knowledge.load(list(rule_dirs)), _classes(redact), encoding,
                         max_files=max_files)
    report_problems(built.problems())
    if built.errors or not built.results:
        sys.exit(EXIT_INPUT)
    try:
        write_bundle(built, output)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    removed = sum(built.redactions.values())
    click.echo(f"{output}: {len(built.results)} device(s), {len(built.names())} files, "
               f"{removed} value(s) redacted", err=True)
    return output


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
    _attach(bundle_path, case, url, ca_file, dry_run)


def _attach(bundle_path: Path, case: str, url: str, ca_file: Path | None, dry_run: bool) -> None:
    from .attach import UploadError, describe, upload, validate_case

    try:
        validate_case(case)
    except UploadError as exc:
        fail(str(exc))
    if dry_run:
        click.echo(describe(bundle_path, case, url))
        return
    token = os.environ.get("SLDIAG_CXD_TOKEN")
    if not token:
        if not sys.stdin.isatty():
            fail("no upload token: set SLDIAG_CXD_TOKEN (the case's CXD upload token)")
        token = click.prompt(f"CXD upload token for case {case}", hide_input=True,
                             err=True).strip()
    try:
        upload(bundle_path, case, token, url=url, ca_file=ca_file,
               progress=say)
    except UploadError as exc:
        fail(str(exc))
    click.echo(f"{bundle_path}: stored in case {case}", err=True)


@cli.command()
@_fleet_options
@click.option("-o", "--output", "output_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one capture per device and the collection log.")
@click.option("--show-secrets", is_flag=True,
              help="Keep passwords, keys and tokens in the captures (removed by default).")
def collect(output_dir: Path, show_secrets: bool, **fleet: Any) -> None:
    """Collect the licensing commands from switches (read-only) into capture files, readable
    by you only (0600), secrets removed unless --show-secrets."""
    outcome = _run_fleet(fleet, output_dir, analyse=False, show_secrets=show_secrets)
    sys.exit(EXIT_INPUT if outcome.failed or outcome.left_out else EXIT_OK)


def _run_fleet(fleet: dict[str, Any], output_dir: Path | None, analyse: bool,
               show_secrets: bool = False) -> Any:
    from .collect import (
        CollectError,
        CollectOptions,
        build_nornir,
        default_known_hosts,
        parse_host,
        read_host_list,
        run_fleet,
    )

    problems: list[str] = []
    hosts = []
    for text in fleet["hosts"]:
        try:
            hosts.append(parse_host(text))
        except ValueError as exc:
            problems.append(f"--host {exc} (not collected)")
    if fleet["hosts_file"]:
        try:
            hosts += read_host_list(fleet["hosts_file"], problems)
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"{fleet['hosts_file']}: cannot read ({getattr(exc, 'strerror', None) or exc})")
    sources = [bool(hosts or problems), bool(fleet["inventory"]), bool(fleet["nornir_config"])]
    if sum(sources) != 1:
        fail("give devices one way: --host/--hosts-file, --inventory, or --nornir-config")
    username = fleet["username"]
    if hosts and not username:  # --host / --hosts-file carry no credentials of their own
        if not sys.stdin.isatty():
            fail("no SSH username: give --username or set SLDIAG_USERNAME")
        username = click.prompt("SSH username", err=True)
    from .collect import username_problem

    if username_problem(username):
        fail(f"--username: {username_problem(username)}; nothing was connected")
    password = os.environ.get("SLDIAG_PASSWORD")
    secret = os.environ.get("SLDIAG_ENABLE_SECRET")
    if password is None and sys.stdin.isatty():
        password = click.prompt("SSH password (empty: take it from the inventory)",
                                hide_input=True, default="", show_default=False, err=True) or None
    if fleet["ask_enable"] and secret is None:
        secret = click.prompt("Enable secret", hide_input=True, err=True)
    options = CollectOptions(output_dir=output_dir, read_timeout=fleet["timeout"],
                             analyse=analyse, conn_timeout=fleet["timeout"],
                             known_hosts=fleet["known_hosts"] or default_known_hosts(),
                             accept_new_host_keys=fleet["accept_new_host_keys"],
                             show_secrets=show_secrets, ssh_config=fleet["ssh_config"])
    try:
        nr = build_nornir(hosts=hosts, inventory=fleet["inventory"],
                          nornir_config=fleet["nornir_config"], workers=fleet["workers"],
                          username=username, password=password, secret=secret)
    except CollectError as exc:
        fail(str(exc))
    except Exception as exc:  # nornir raises many kinds for a bad inventory
        fail(f"cannot load the inventory ({type(exc).__name__}: {exc})")
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    outcome = _with_progress(nr, options, run_fleet)
    outcome.left_out[:0] = problems
    _fleet_table(outcome)
    if output_dir is not None:
        from .report import write_atomically
        from .textsafe import visible_line

        log = []
        for name, r in outcome.collected.items():
            log.append(f"{name}: collected {r['capture']}" + (
                f" (refused: {', '.join(r['rejected'])})" if r["rejected"] else ""))
            log += [f"{name}: collection gap: {gap}" for gap in r.get("gaps", [])]
        log += [f"{name}: FAILED: {reason}" for name, reason in outcome.failed.items()]
        log = (sorted(log) + [f"left out: {line}" for line in outcome.left_out]
               + [f"note: {note}" for note in outcome.notes])
        from . import __version__

        header = f"# sldiag collection log (sldiag {__version__}, {len(log)} lines)"
        write_atomically(output_dir / "collection.log",
                         "\n".join([header, *(visible_line(line) for line in log)]) + "\n")
    for line in outcome.left_out:
        say(line)
    for note in outcome.notes:
        say(note)
    for name, reason in outcome.failed.items():
        say(f"{name}: {reason}")
    if not nr.inventory.hosts and not outcome.failed:
        fail("no device to collect from")
    return outcome


def _with_progress(nr: Any, options: Any, run: Any) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    total = len(nr.inventory.hosts)
    console = Console(stderr=True)
    with Progress(TextColumn("collecting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[failed]} failed"), console=console,
                  transient=True, disable=not console.is_terminal) as progress:
        bar = progress.add_task("collect", total=total, failed=0)
        failed = 0

        def done(_name: str, ok: bool) -> None:
            nonlocal failed
            failed += 0 if ok else 1
            progress.update(bar, advance=1, failed=failed)

        return run(nr, options, on_done=done)


def _fleet_table(outcome: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .textsafe import visible_line

    def cell(value: str) -> Text:  # plain text: a name like "x[/]" is not rich markup
        return Text(visible_line(value))

    table = Table(title="sldiag collection", show_lines=False)
    for column in ("device", "result", "detail"):
        table.add_column(column)
    for name, result in sorted(outcome.collected.items()):
        devices = result.get("devices") or []
        worst = devices[0]["verdict"] if devices else (result.get("capture") or "")
        gaps = len(result.get("gaps") or [])
        detail = worst + (f" ({gaps} collection gap{'s' if gaps != 1 else ''})" if gaps else "")
        table.add_row(cell(name), cell("collected"), cell(detail))
    for name, reason in sorted(outcome.failed.items()):
        table.add_row(cell(name), cell("FAILED"), cell(reason))
    Console(stderr=True, width=160).print(table)


@cli.command()
@click.argument("before")
@click.argument("after")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the comparison to this file (atomically).")
@click.option("--encoding", help="Read captures in this encoding instead of UTF-8.")
def diff(before: str, after: str, fmt: str, output: Path | None, encoding: str | None) -> None:
    """Compare two analyses of the same devices (files, folders, or two `collect` folders):
    findings resolved and appeared, facts changed, devices new or gone.

    Exit status: 0 when nothing of warning or worse appeared, 1 when something did, 2 when
    an input is wrong or the two sides have no device in common.
    """
    from .diff import NothingInCommon, compare, render_diff
    from .pipeline import analyse_paths

    sides = []
    for label, path in (("before", before), ("after", after)):
        analysis = analyse_paths([path], None, encoding, keep_text=False)
        report_problems(analysis.problems())
        if not analysis.results:
            fail(f"{path}: no device to compare on the {label} side")
        sides.append(analysis.results)
    try:
        result = compare(*sides)
    except NothingInCommon as exc:
        fail(f"{before} and {after}: {exc}")
    _emit(render_diff(result, fmt), output)
    sys.exit(EXIT_FINDINGS if result.worse else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON to this file (atomically).")
@click.option("--encoding", help="Read captures in this encoding instead of UTF-8.")
@click.option("--show-secrets", is_flag=True,
              help="Keep passwords, keys and tokens in the facts (removed by default).")
def parse(paths: tuple[str, ...], output: Path | None, encoding: str | None,
          show_secrets: bool) -> None:
    """Print the structured facts sldiag reads, per device and per command, as JSON (like
    `genie parse`), without the diagnosis. Keys: see the README ("sldiag parse")."""
    import json

    from .pipeline import analyse_paths
    from .report import parse_document
    from .textsafe import json_safe

    analysis = analyse_paths(list(paths), None, encoding, show_secrets=show_secrets,
                             keep_text=True)
    report_problems(analysis.problems())
    if not analysis.results:
        sys.exit(EXIT_INPUT)
    _emit(json_safe(json.dumps(parse_document(analysis.results), indent=2,
                               ensure_ascii=False)) + "\n", output)
    sys.exit(EXIT_INPUT if analysis.errors else EXIT_OK)


@cli.group()
def rules() -> None:
    """The knowledge base: list the rules, or test each against its own examples."""


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
def rules_list(rule_dirs: tuple[Path, ...]) -> None:
    """One line per rule: id, severity, scenario, title."""
    from .rules import load_rules

    for rule in load_rules(list(rule_dirs)):
        scenario = f"#{rule.scenario}" if rule.scenario else "-"
        click.echo(f"{rule.id:<52} {rule.severity:<8} {scenario:<3} {rule.title}")


@rules.command("test")
@click.option("--rules", "rule_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Print every example checked.")
def rules_test(rule_dirs: tuple[Path, ...], verbose: bool) -> None:
    """Run every rule against its positive examples (must fire) and negative ones (must not)."""
    from .ruletest import test_rules

    failures, checked = test_rules(list(rule_dirs), echo=click.echo if verbose else None)
    for failure in failures:
        click.echo(f"FAIL {failure}")
    click.echo(f"rules test: {checked - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


class _file_progress:  # noqa: N801 - used as a context manager, named for what it shows
    """A progress bar on a terminal for long runs over many captures; nothing otherwise."""

    def __enter__(self) -> Any:
        self.bar = None
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                            transient=True)
        self.bar.start()
        self.task = self.bar.add_task("analyse", total=None)

        def advance(done: int, total: int) -> None:
            self.bar.update(self.task, completed=done, total=total)

        return advance

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


def _emit(text: str, output: Path | None) -> None:
    """The result on standard output, or written atomically to ``output`` (one line if not)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from .report import write_atomically

    try:
        write_atomically(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")


def _colour_wanted() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org) or a
    dumb terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _classes(text: str) -> frozenset[str]:
    from .sanitize import OPTIONAL_CLASSES

    classes = frozenset(c.strip() for c in text.split(",") if c.strip())
    unknown = classes - set(OPTIONAL_CLASSES)
    if unknown:
        raise click.BadParameter(f"unknown class {', '.join(sorted(unknown))}; choose from "
                                 f"{', '.join(OPTIONAL_CLASSES)}", param_hint="--redact")
    return classes


def _same_file(output: Path, path: str) -> bool:
    try:
        return path != "-" and output.exists() and os.path.samefile(output, path)
    except OSError:
        return False


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(EXIT_INPUT)
    except click.UsageError as exc:
        # One line, like every other input error.
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail(f"{exc.format_message()}{where}")
    except click.Abort:
        click.echo("sldiag: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        fail(exc.format_message())
    except DataError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        click.echo("sldiag: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # never a traceback for users; SLDIAG_DEBUG=1 shows it
        if os.environ.get("SLDIAG_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); "
             "please report it with the capture (set SLDIAG_DEBUG=1 for details)")
    sys.exit(code if isinstance(code, int) else EXIT_OK)
