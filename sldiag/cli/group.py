"""The `sldiag` command group; each command lives in the module named for what it does."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sldiag")
def cli() -> None:
    """Diagnose Cisco Smart Licensing on IOS-XE switches from what they print."""
