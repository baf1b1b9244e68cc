"""Writing files atomically: a reader never sees half a report, bundle or capture."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file.
    ``mode``: the permissions to give it (default: those it had, or a new file's)."""
    with replace_atomically(path, mode) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _mode_for(path: Path) -> int:
    """The permissions the file keeps (a 0600 report stays 0600), or those a plain open()
    would give a new one."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def replace_atomically(path: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A file to write that takes ``path``'s place only once whole (renamed on success)."""
    import tempfile  # here: a run that writes no file does without it

    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, _mode_for(path) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
