"""Capture file names for inventory names: bounded, readable, unique (also when a file system
folds case), never the collection log's."""

from __future__ import annotations

import hashlib
import unicodedata

# Capture file names: bounded, and never the collection log's.
_NAME_CHARS = 64
_RESERVED_NAMES = frozenset({"collection", "con", "prn", "aux", "nul"})


def _digest(name: str) -> str:

    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def capture_stem(name: str) -> str:
    """A file name (without .log) for an inventory name: the name itself when it is a safe
    file name (letters of any script, digits, '_', '.', '-'), else a readable form of it and
    a hash of the whole name, so two names never share a file."""

    normal = unicodedata.normalize("NFC", name)
    kept = "".join(c if (c.isalnum() or c in "_.-") and c.isprintable() else "_"
                   for c in normal[:4 * _NAME_CHARS]).strip(".")
    if (kept == name and 0 < len(kept) <= _NAME_CHARS
            and kept.casefold() not in _RESERVED_NAMES):
        return kept
    return f"{kept[:_NAME_CHARS] or 'device'}-{_digest(name)}"


def capture_stems(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Unique file stems for a fleet (also case-insensitively: some file systems fold case),
    and one note per name whose file is not named as it is."""
    stems: dict[str, str] = {}
    owners: dict[str, str] = {}
    notes = []
    for name in sorted(names):
        stem = capture_stem(name)
        if stem.casefold() in owners:
            other = owners[stem.casefold()]
            stem = f"{stem[:_NAME_CHARS]}-{_digest(name)}"
            notes.append(f"{name}: saved as {stem}.log (its name would share {other}'s file)")
        elif stem != name:
            notes.append(f"{name}: saved as {stem}.log (the name is not a file name as it is)")
        owners[stem.casefold()] = name
        stems[name] = stem
    return stems, notes
