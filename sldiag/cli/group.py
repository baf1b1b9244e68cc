"""The `sldiag` command group; each command lives in the module named for what it does."""

from __future__ import annotations

import importlib

import click

from .. import __version__


class _Commands(click.Group):
    """Each command imported from its module when it is asked for (`sldiag analyze` defines
    neither `bundle` nor `diff`: click's options and their help texts are a tenth of a small
    run's start); every module for the list in `--help`."""

    MODULES = {"analyze": "analyze", "collect": "collect", "bundle": "delivery",
               "attach": "delivery", "diff": "inspect", "parse": "inspect", "fix": "inspect",
               "rules": "inspect"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(self.MODULES.values())):
            importlib.import_module(f"{__package__}.{module}")
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.MODULES:
            importlib.import_module(f"{__package__}.{self.MODULES[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sldiag")
def cli() -> None:
    """Diagnose Cisco Smart Licensing on IOS-XE switches from what they print."""
