"""What every command shares: one-line errors, exit statuses, writing a result (stdout or an
atomic file), the problems listed on stderr, progress on a terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from ..render.road import Shown, require, show

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def say(message: str) -> None:
    """One line on stderr, through the road: names from the command line, a folder or a
    device are shown safely."""
    click.echo(require(show(f"sldiag: {message}", "line"), "stderr"), err=True)


def tell(message: str, err: bool = True) -> None:
    """One message on stderr (or stdout) without the "sldiag:" prefix, through the road."""
    click.echo(require(show(message, "line" if err else "text"), "output"), err=err)


def fail(message: str) -> NoReturn:
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


def emit(text: Shown, output: Path | None) -> None:
    """The result on standard output, or written atomically to ``output`` (one line if not)."""
    require(text, "standard output")
    if output is None:
        click.echo(str(text), nl=False)
        return
    from ..render.road import write_text

    try:
        write_text(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")


def colour_wanted() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org) or a
    dumb terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def known_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--encoding checked once, before any file is read (not once per file)."""
    if value is None:
        return None
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding '{value}' (for example utf-8, latin-1, "
                                 "utf-16-le)", param_hint="--encoding") from None
    return value


# Every command that reads captures takes it, checked once before any file is read.
encoding_option = click.option("--encoding", callback=known_encoding,
                               help="Read captures in this encoding instead of UTF-8.")


def redact_classes(text: str) -> frozenset[str]:
    from ..sanitizing.rules import OPTIONAL_CLASSES

    classes = frozenset(c.strip() for c in text.split(",") if c.strip())
    unknown = classes - set(OPTIONAL_CLASSES)
    if unknown:
        raise click.BadParameter(f"unknown class {', '.join(sorted(unknown))}; choose from "
                                 f"{', '.join(OPTIONAL_CLASSES)}", param_hint="--redact")
    return classes


def same_file(output: Path, path: str) -> bool:
    try:
        return path != "-" and output.exists() and os.path.samefile(output, path)
    except OSError:
        return False


class StagedProgress:
    """A progress bar on a terminal for long work (its stage and how far it is: files
    analysed, bytes of a bundle written), shown once the work has taken SHOW_AFTER seconds:
    a quick run prints nothing more."""

    SHOW_AFTER = 2.0

    def __enter__(self) -> Any:
        self.bar: Any = None
        if not sys.stderr.isatty():
            return None
        import time

        started = time.monotonic()

        def update(stage: str, done: int, total: int) -> None:
            if self.bar is None:
                if time.monotonic() - started < self.SHOW_AFTER:
                    return
                self._start()
            self.bar.update(self.task, description=stage, completed=done, total=total or None)

        return update

    def _start(self) -> None:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                            transient=True)
        self.bar.start()
        self.task = self.bar.add_task("", total=None)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
