"""`sldiag collect`, and the fleet options `analyze` shares: devices from --host, a hosts file,
a SimpleInventory or any Nornir inventory, collected read-only in parallel."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .common import EXIT_INPUT, EXIT_OK, fail, say
from .group import cli


def fleet_options(func: Any) -> Any:
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
@fleet_options
@click.option("-o", "--output", "output_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one capture per device and the collection log.")
@click.option("--show-secrets", is_flag=True,
              help="Keep passwords, keys and tokens in the captures (removed by default).")
def collect(output_dir: Path, show_secrets: bool, **fleet: Any) -> None:
    """Collect the licensing commands from switches (read-only) into capture files, readable
    by you only (0600), secrets removed unless --show-secrets."""
    outcome = run_fleet_command(fleet, output_dir, analyse=False, show_secrets=show_secrets)
    sys.exit(EXIT_INPUT if outcome.failed or outcome.left_out else EXIT_OK)


def _hosts(fleet: dict[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    from ..collecting.inventory import parse_host, read_host_list

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
    return hosts


def _credentials(fleet: dict[str, Any], need_username: bool
                 ) -> tuple[str | None, str | None, str | None]:
    """Username, password and enable secret: options and environment, else asked on a
    terminal."""
    from ..collecting.checks import username_problem

    username = fleet["username"]
    if need_username and not username:  # --host / --hosts-file carry no credentials
        if not sys.stdin.isatty():
            fail("no SSH username: give --username or set SLDIAG_USERNAME")
        username = click.prompt("SSH username", err=True)
    if username_problem(username):
        fail(f"--username: {username_problem(username)}; nothing was connected")
    password = os.environ.get("SLDIAG_PASSWORD")
    secret = os.environ.get("SLDIAG_ENABLE_SECRET")
    if fleet["ask_enable"] and secret is None:
        secret = click.prompt("Enable secret", hide_input=True, err=True)
    return username, password, secret


def run_fleet_command(fleet: dict[str, Any], output_dir: Path | None, analyse: bool,
                      show_secrets: bool = False) -> Any:
    """Collect from the devices the options name; the table, collection.log, one line per
    problem on stderr."""
    from ..collecting.checks import CollectError
    from ..collecting.connection import CollectOptions, default_known_hosts
    from ..collecting.fleet import run_fleet, write_collection_log
    from ..collecting.inventory import build_nornir

    problems: list[str] = []
    hosts = _hosts(fleet, problems)
    sources = [bool(hosts or problems), bool(fleet["inventory"]), bool(fleet["nornir_config"])]
    if sum(sources) != 1:
        fail("give devices one way: --host/--hosts-file, --inventory, or --nornir-config")
    username, password, secret = _credentials(fleet, need_username=bool(hosts))
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
    _ask_missing_passwords(nr)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    outcome = _with_progress(nr, options, run_fleet)
    outcome.left_out[:0] = problems
    _fleet_table(outcome)
    if output_dir is not None:
        write_collection_log(output_dir, outcome)
    for line in outcome.left_out:
        say(line)
    for note in outcome.notes:
        say(note)
    for name, reason in outcome.failed.items():
        say(f"{name}: {reason}")
    if not nr.inventory.hosts and not outcome.failed:
        fail("no device to collect from")
    if outcome.interrupted:
        say("interrupted: collection.log records what finished")
        sys.exit(130)
    return outcome


def _ask_missing_passwords(nr: Any) -> None:
    """Ask for a password on a terminal only when a device has none (neither the inventory
    nor SLDIAG_PASSWORD gave one)."""
    missing = [host for host in nr.inventory.hosts.values() if not host.password]
    if missing and sys.stdin.isatty():
        names = ", ".join(h.name for h in missing[:3]) + (" ..." if len(missing) > 3 else "")
        password = click.prompt(f"SSH password for {len(missing)} device(s) without one "
                                f"({names})", hide_input=True, err=True)
        for host in missing:
            host.password = password


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

    from ..render.road import show

    def cell(value: str) -> Text:  # plain text: a name like "x[/]" is not rich markup
        return Text(str(show(value, "line")))

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
