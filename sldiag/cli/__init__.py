"""The command line: `sldiag analyze | bundle | attach | collect | diff | parse | rules`."""

from __future__ import annotations

import os
import sys

from ..base import compiled

compiled.warm()  # before the imports below compile their patterns

import click

from ..base.errors import DataError
from . import analyze, collect, delivery, inspect  # noqa: F401 - they register the commands
from .common import EXIT_INPUT, EXIT_OK, fail, tell
from .group import cli

__all__ = ["cli", "main"]


def main() -> None:
    try:
        _run()
    finally:
        compiled.remember()


def _run() -> None:
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        tell(exc.ctx.get_help() if exc.ctx else str(exc), err=False)
        sys.exit(EXIT_INPUT)
    except click.UsageError as exc:
        # One line, like every other input error.
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail(f"{exc.format_message()}{where}")
    except click.Abort:
        tell("sldiag: interrupted")
        sys.exit(130)
    except click.ClickException as exc:
        fail(exc.format_message())
    except DataError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        tell("sldiag: interrupted")
        sys.exit(130)
    except Exception as exc:  # never a traceback for users; SLDIAG_DEBUG=1 shows it
        if os.environ.get("SLDIAG_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); "
             "please report it with the capture (set SLDIAG_DEBUG=1 for details)")
    sys.exit(code if isinstance(code, int) else EXIT_OK)
