"""The command line: `sldiag analyze | bundle | attach | collect | diff | parse | rules`."""

from __future__ import annotations

import gc
import os
import sys

# The garbage collector's full walks find nothing to free while modules load, nor at exit:
# a tenth of a small run. Off during the imports (as it was before them, after), and what
# exists when a command starts or ends is frozen out of its walks (main).
_COLLECTING = gc.isenabled()
gc.disable()

from ..base import compiled

compiled.warm()  # before the imports below compile their patterns

import click

from ..base.errors import DataError
from .common import EXIT_INPUT, EXIT_OK, fail, tell
from .group import cli

__all__ = ["cli", "main"]

if _COLLECTING:
    gc.enable()


def main() -> None:
    gc.freeze()  # modules, classes, compiled patterns: they live as long as the process
    # Young objects walked every 20,000 allocations, not 700: the knowledge a command loads
    # is walked a few times instead of dozens, and cyclic garbage stays small.
    gc.set_threshold(20_000)
    try:
        _run()
    finally:
        compiled.remember()
        gc.freeze()  # the walk at exit has nothing to free


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
