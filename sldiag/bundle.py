"""The TAC bundle: a sanitised, deterministic zip of reports, facts and captures.

Same input, same bytes: entries are sorted, timestamps fixed, JSON keys sorted, and nothing in
it depends on the time or the machine. The manifest says what was redacted, by class and
count, never the values.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .capture import Capture, InputError, clean_text, iter_input_paths, read_capture
from .pipeline import Knowledge, analyse_capture
from .report import render, to_json_document
from .sanitize import Sanitizer, netconan_lines
from .sections import split_capture

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Bundle:
    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    results: list[Any] = field(default_factory=list)

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(self.files):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # the same on every platform
                zf.writestr(info, self.files[name])
        return buffer.getvalue()


def build_bundle(paths: list[str], knowledge: Knowledge, redact: frozenset[str] = frozenset(),
                 encoding: str | None = None) -> Bundle:
    bundle = Bundle()
    raw: list[tuple[str, Capture]] = []
    for path in paths:
        try:
            for name, explicit in iter_input_paths([path]):
                try:
                    raw.append((name, read_capture(name, encoding)))
                except InputError as exc:
                    (bundle.errors if explicit else bundle.warnings).append(str(exc))
        except InputError as exc:
            bundle.errors.append(str(exc))
    sanitizer = Sanitizer(redact)
    # Learn every optional value first, so one value has one placeholder across all files.
    for _, capture in raw:
        if redact:
            sanitizer.learn("\n".join(capture.lines))
    netconan_counts = 0
    names = _bundle_names([name for name, _ in raw])
    for (_, capture), inner in zip(raw, names, strict=True):
        # Where our rules know the secret, they redact the original line (netconan can mangle
        # a line it half understands); elsewhere netconan's version is taken, and our rules
        # (optional classes, licensing artefacts) still run over it.
        merged = []
        # netconan reads the configuration only: on a large show tech, running it over every
        # line cost minutes for nothing.
        config = sorted(_config_lines(capture, knowledge))
        netconan = dict(zip(config, netconan_lines([capture.lines[i] for i in config]),
                            strict=True))
        for index, original in enumerate(capture.lines):
            other = netconan.get(index, original)
            use_netconan = other != original and not sanitizer.knows_secret(original)
            final = sanitizer.line(other if use_netconan else original)
            if use_netconan:
                netconan_counts += 1  # only netconan knew this one
            merged.append(final)
        text = "\n".join(merged) + "\n"
        bundle.files[inner] = text.encode("utf-8")
        sanitized = clean_text(inner, text)
        bundle.results.extend(analyse_capture(sanitized, knowledge))
    redactions = sanitizer.report()
    if netconan_counts:
        redactions["config-secret (netconan)"] = netconan_counts
    bundle.redactions = dict(sorted(redactions.items()))
    results = bundle.results
    if results:
        bundle.files["report.html"] = render(results, "html").encode("utf-8")
        bundle.files["report.md"] = render(results, "md").encode("utf-8")
        bundle.files["report.json"] = _json(to_json_document(results))
        bundle.files["facts.json"] = _json({"schema_version": "1", "devices": [
            {"hostname": r.hostname, "source": r.source, "facts": r.facts.to_json(),
             "parse_gaps": [g.to_json() for g in r.gaps]} for r in results]})
    bundle.files["manifest.json"] = _json(_manifest(bundle, knowledge))
    return bundle


def _config_lines(capture: Capture, knowledge: Knowledge) -> set[int]:
    """Indexes of the lines that are configuration: netconan is a configuration anonymiser,
    and elsewhere (delimiters such as 'show crypto pki key ...') it changes harmless text."""
    try:
        devices = split_capture(capture, knowledge.catalog)
    except InputError:
        return set()
    return {number - 1 for device in devices for section in device.sections
            if section.configuration for number, _ in section.lines}


def _bundle_names(paths: list[str]) -> list[str]:
    """captures/<file name>, unique, without .gz (the bundle holds the text)."""
    names, seen = [], set()
    for path in paths:
        base = PurePosixPath(path.replace("\\", "/")).name if path != "-" else "stdin.txt"
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
        "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in sorted(bundle.files.items())],
        "redacted": bundle.redactions,
    }


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_bundle(bundle: Bundle, output: Path) -> bytes:
    from .report import write_atomically

    data = bundle.zip_bytes()
    write_atomically(output, data)
    return data
