"""The bundle's container: members held or spooled to files, written as a deterministic zip
(sorted entries, fixed timestamps and attributes) with a manifest of their digests."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..base.files import replace_atomically
from ..model.problems import Problems
from ..reading.lines import Blanks
from ..render.road import Shown, ShownLines, require, require_lines

# What a long bundle tells a progress bar: its stage, and how far it is (done, total).
StageProgress = Callable[[str, int, int], None]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Bundle:
    files: dict[str, bytes] = field(default_factory=dict)
    # Members too large to hold (the sanitised text of a large capture): written to files.
    spooled: dict[str, Path] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    redactions: dict[str, int] = field(default_factory=dict)
    results: list[Any] = field(default_factory=list)
    _spool: tempfile.TemporaryDirectory[str] | None = None

    @property
    def errors(self) -> list[str]:
        return self.problems.errors

    def add(self, name: str, text: Shown) -> None:
        """A member: text that came by the road (render/road.py), nothing else."""
        self.files[name] = require(text, f"bundle member {name}").encode("utf-8")

    def add_lines(self, name: str, lines: ShownLines) -> None:
        """A capture member, held."""
        text = "\n".join(require_lines(lines, f"bundle member {name}")) + "\n"
        self.files[name] = text.encode("utf-8")

    def add_spooled(self, name: str, lines: ShownLines) -> None:
        """A capture member too large to hold: written to a spool file line by line."""
        with open(self.spool_path(name), "w", encoding="utf-8") as out:
            for line in require_lines(lines, f"bundle member {name}").runs():
                out.write("\n" * line if isinstance(line, Blanks) else line + "\n")

    def names(self) -> list[str]:
        return sorted({*self.files, *self.spooled})

    def read(self, name: str) -> bytes:
        return self.files[name] if name in self.files else self.spooled[name].read_bytes()

    def spool_path(self, name: str) -> Path:
        if self._spool is None:
            self._spool = tempfile.TemporaryDirectory(prefix="sldiag-bundle-")
        path = Path(self._spool.name) / f"{len(self.spooled)}.txt"
        self.spooled[name] = path
        return path

    def close(self) -> None:
        if self._spool is not None:
            self._spool.cleanup()
            self._spool = None

    def write_zip(self, out: BinaryIO, progress: StageProgress | None = None) -> None:
        """The zip, member by member; spooled members are copied, never held whole (the
        bytes copied told to ``progress``)."""
        total = sum(p.stat().st_size for p in self.spooled.values())
        done = 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in self.names():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # the same on every platform
                if name in self.files:
                    zf.writestr(info, self.files[name])
                    continue
                path = self.spooled[name]
                info.file_size = path.stat().st_size  # as writestr would: the same bytes
                with zf.open(info, "w") as dest, open(path, "rb") as src:
                    while chunk := src.read(1 << 22):
                        dest.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress("compressing", done, total)

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write_zip(buffer)
        return buffer.getvalue()


def _digest(bundle: Bundle, name: str) -> dict[str, Any]:
    if name in bundle.files:
        data = bundle.files[name]
        return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    digest, size = hashlib.sha256(), 0
    with open(bundle.spooled[name], "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def write_bundle(bundle: Bundle, output: Path, progress: StageProgress | None = None) -> None:
    """Written beside ``output`` and renamed: never a half-written bundle."""
    with replace_atomically(output) as fh:
        bundle.write_zip(fh, progress)
    bundle.close()
