"""The TAC bundle: a sanitised, deterministic zip of reports, facts and captures.

Same input, same bytes: entries are sorted, timestamps fixed, JSON keys sorted, and nothing in
it depends on the time or the machine. The manifest says what was redacted, by class and
count, never the values.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from . import __version__
from .capture import (
    STDIN_NAME,
    Capture,
    InputError,
    InputFile,
    SparseLines,
    clean_text,
    own_output_kind,
)
from .limits import MAX_FILES_PER_RUN
from .pipeline import Knowledge, analyse_capture, holds_device_output, iter_inputs, limit_lines
from .report import render, to_json_document
from .sanitize import Sanitizer, netconan_lines
from .sections import split_capture
from .streaming import LARGE_CAPTURE_BYTES, iter_clean_lines, read_capture

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Bundle:
    files: dict[str, bytes] = field(default_factory=dict)
    # Members too large to hold (the sanitised text of a large capture): written to files.
    spooled: dict[str, Path] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    results: list[Any] = field(default_factory=list)
    _spool: tempfile.TemporaryDirectory | None = None

    def problems(self) -> dict[str, list[str]]:
        return {"errors": self.errors, "skipped": self.warnings, "limits": self.limits}

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

    def write_zip(self, out: BinaryIO) -> None:
        """The zip, member by member; spooled members are copied, never held whole."""
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
                    shutil.copyfileobj(src, dest, 1 << 20)

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write_zip(buffer)
        return buffer.getvalue()


def build_bundle(paths: list[str], knowledge: Knowledge, redact: frozenset[str] = frozenset(),
                 encoding: str | None = None, large_bytes: int = LARGE_CAPTURE_BYTES,
                 max_files: int = MAX_FILES_PER_RUN) -> Bundle:
    """Large captures (see streaming.py) are sanitised line by line into a spooled file and
    read again from their source for each pass, never held whole; the bytes are the same.
    Inputs that cannot be read are listed, as in an analysis, and the others bundled."""
    bundle = Bundle()
    raw: list[tuple[InputFile, Capture]] = []
    for item in iter_inputs(paths, bundle.errors, bundle.limits, max_files):
        if item.skipped:
            bundle.warnings.append(f"{item.name}: {item.skipped}")
            continue
        try:
            capture = read_capture(item.path, knowledge.catalog, encoding, large_bytes,
                                   name=item.name)
            if not item.explicit and (kind := own_output_kind(capture.lines)):
                raise InputError(f"{item.name}: {kind}")
        except InputError as exc:
            (bundle.errors if item.explicit else bundle.warnings).append(str(exc))
            continue
        raw.append((item, capture))
    sanitizer = Sanitizer(redact)
    # Learn every optional value first, so one value has one placeholder across all files.
    for item, capture in raw:
        if redact:
            for block in _blocks(_lines_of(item, capture, encoding)):
                sanitizer.learn(block)
    counts = {"netconan": 0}
    names = _bundle_names([item.name for item, _ in raw], sanitizer)
    for (item, capture), inner in zip(raw, names, strict=True):
        try:
            results, sanitized = _bundle_one(bundle, item, capture, inner, knowledge,
                                             sanitizer, encoding, large_bytes, counts)
        except InputError as exc:
            (bundle.errors if item.explicit else bundle.warnings).append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one file's failure is its own
            import os

            if os.environ.get("SLDIAG_DEBUG"):
                raise
            bundle.errors.append(f"{item.name}: internal error ({type(exc).__name__}); the "
                                 "other inputs were bundled; please report it")
            continue
        if not item.explicit and not any(holds_device_output(r) for r in results):
            bundle.warnings.append(f"{item.name}: holds no device output sldiag recognises")
            bundle.files.pop(inner, None)
            bundle.spooled.pop(inner, None)
            continue
        seen = {what for _, what in capture.limits}
        bundle.limits += limit_lines(inner, capture.limits + [
            limit for limit in sanitized.limits if limit[1] not in seen])
        bundle.results.extend(results)
    redactions = sanitizer.report()
    if counts["netconan"]:
        redactions["config-secret (netconan)"] = counts["netconan"]
    bundle.redactions = dict(sorted(redactions.items()))
    if redact:
        for problems in (bundle.errors, bundle.warnings):
            problems[:] = [sanitizer.name(line) for line in problems]
    results = bundle.results
    if results:
        problems = bundle.problems()
        bundle.files["report.html"] = render(results, "html", problems=problems
                                             ).encode("utf-8")
        bundle.files["report.md"] = render(results, "md", problems=problems).encode("utf-8")
        bundle.files["report.json"] = _json(to_json_document(results, problems))
        bundle.files["facts.json"] = _json({"schema_version": "1", "devices": [
            {"hostname": r.hostname, "source": r.source, "facts": r.facts.to_json(),
             "parse_gaps": [g.to_json() for g in r.gaps]} for r in results]})
    bundle.files["manifest.json"] = _json(_manifest(bundle, knowledge))
    return bundle


NETCONAN_BATCH = 5_000  # configuration lines given to netconan at a time


def _bundle_one(bundle: Bundle, item: InputFile, capture: Capture, inner: str,
                knowledge: Knowledge, sanitizer: Sanitizer, encoding: str | None,
                large_bytes: int, counts: dict[str, int]) -> tuple[list[Any], Capture]:
    """One capture's sanitised text into the bundle, and its analysis. Lines go through in
    order, the configuration's in batches through netconan too, so a large capture is never
    held (nor its configuration, however many interfaces it has)."""
    ranges = _config_ranges(capture, knowledge)
    merged: list[str] = []
    out = (open(bundle.spool_path(inner), "w", encoding="utf-8")  # noqa: SIM115
           if isinstance(capture.lines, SparseLines) else None)
    batch: list[str] = []

    def emit(original: str, other: str) -> None:
        # Where our rules know the secret, they redact the original line (netconan can
        # mangle a line it half understands); elsewhere netconan's version is taken, and our
        # rules (optional classes, licensing artefacts) still run over it.
        use_netconan = other != original and not sanitizer.knows_secret(original)
        final = sanitizer.line(other if use_netconan else original)
        if use_netconan:
            counts["netconan"] += 1  # only netconan knew this one
        if out is not None:
            out.write(final + "\n")
        else:
            merged.append(final)

    def flush() -> None:
        # netconan reads the configuration only: elsewhere (delimiters such as 'show crypto
        # pki key ...') it changes harmless text.
        for original, other in zip(batch, netconan_lines(batch), strict=True):
            emit(original, other)
        batch.clear()

    try:
        at = 0  # the first range that may still hold a line
        for index, original in enumerate(_lines_of(item, capture, encoding)):
            while at < len(ranges) and ranges[at][1] <= index:
                at += 1
            if at < len(ranges) and ranges[at][0] <= index:
                batch.append(original)
                if len(batch) >= NETCONAN_BATCH:
                    flush()
                continue
            if batch:
                flush()
            emit(original, original)
        flush()
    finally:
        if out is not None:
            out.close()
    if out is not None:
        sanitized = read_capture(str(bundle.spooled[inner]), knowledge.catalog,
                                 large_bytes=large_bytes, name=inner)
    else:
        text = "\n".join(merged) + "\n"
        bundle.files[inner] = text.encode("utf-8")
        sanitized = clean_text(inner, text)
    return analyse_capture(sanitized, knowledge), sanitized


def _config_ranges(capture: Capture, knowledge: Knowledge) -> list[tuple[int, int]]:
    """The configuration's lines, as sorted [start, end) ranges of 0-based indexes: netconan
    is a configuration anonymiser."""
    try:
        devices = split_capture(capture, knowledge.catalog)
    except InputError:
        return []
    ranges: list[tuple[int, int]] = []
    for device in devices:
        for section in device.sections:
            if not section.configuration:
                continue
            if section.header_line and section.last_line:  # every line, read or not
                ranges.append((section.header_line, section.last_line))
            else:
                ranges += [(number - 1, number) for number, _ in section.lines]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _lines_of(item: InputFile, capture: Capture, encoding: str | None) -> Iterable[str]:
    """A capture's cleaned lines: held, or read again from its source when it is large."""
    if isinstance(capture.lines, SparseLines):
        return iter_clean_lines(item.path, encoding, indent=capture.indent, name=item.name)
    return capture.lines


def _blocks(lines: Iterable[str], size: int = 10_000) -> Iterator[str]:
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) == size:
            yield "\n".join(block)
            block = []
    if block:
        yield "\n".join(block)


def _bundle_names(names_shown: list[str], sanitizer: Sanitizer) -> list[str]:
    """captures/<file name>, unique, without .gz (the bundle holds the text); with --redact,
    the hostnames and addresses in it replaced as in the text."""
    names, seen = [], set()
    for shown in names_shown:
        base = (PurePosixPath(shown.replace("\\", "/")).name if shown != STDIN_NAME
                else "stdin.txt")
        base = sanitizer.name(base) or "capture.txt"
        if base.endswith(".gz"):
            base = base[:-3]
        candidate, n = f"captures/{base}", 2
        while candidate in seen:
            candidate, n = f"captures/{n}-{base}", n + 1
        seen.add(candidate)
        names.append(candidate)
    return names


def _manifest(bundle: Bundle, knowledge: Knowledge) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "sldiag_version": __version__,
        "rules": [{"id": r.id, "version": r.version} for r in knowledge.rules],
        "files": [{"path": name, **_digest(bundle, name)}
                  for name in bundle.names() if name != "manifest.json"],
        "redacted": bundle.redactions,
        "inputs": bundle.problems(),
    }


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


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_bundle(bundle: Bundle, output: Path) -> None:
    """Written beside ``output`` and renamed: never a half-written bundle."""
    from .report import replace_atomically

    with replace_atomically(output) as fh:
        bundle.write_zip(fh)
    bundle.close()
