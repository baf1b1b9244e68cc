"""The inputs of a run: files named, folders walked (staying inside them), standard input
copied once, sldiag's own reports recognised; each skipped input with its reason."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import InputError
from ..base.limits import MAX_FOLDER_DEPTH
from ..base.textsafe import display_name
from .archives import archive_members, is_archive_name

# Files found while walking a directory that are obviously not captures: named as skipped,
# never read. (Archives of captures are read: reading/archives.py.)
SKIPPED_SUFFIXES = {".pdf": "a PDF document", ".png": "a picture", ".jpg": "a picture",
                    ".jpeg": "a picture", ".gif": "a picture", ".bz2": "a bzip2 archive",
                    ".xz": "an xz archive", ".7z": "a 7-Zip archive", ".rar": "a RAR archive",
                    ".exe": "a program", ".bin": "a binary image", ".pyc": "compiled Python",
                    ".so": "a library", ".dll": "a library", ".docx": "a Word document",
                    ".xlsx": "an Excel workbook", ".pptx": "a PowerPoint document",
                    ".pcap": "a packet capture", ".pcapng": "a packet capture"}
COLLECTION_LOG = "collection.log"


@dataclass(frozen=True)
class InputFile:
    """One file to analyse: where to read it, how reports name it, whether the user named it
    (a bad file named explicitly is an error; one met in a folder is skipped), and why it is
    skipped when it is."""

    path: str
    name: str
    explicit: bool
    skipped: str | None = None


STDIN_NAME = "<stdin>"


def iter_input_paths(args: list[str]) -> Iterator[InputFile]:
    """Each file to analyse; directories are walked recursively, staying inside them.

    Explicitly named files that are bad are errors; files met while walking a directory are
    skipped with a reason instead (a case folder often holds screenshots, zips and notes).
    Standard input (``-``) is copied once to a private file, so it can be read as often as
    a file (a bundle after the analysis)."""
    for arg in args:
        if arg == "-":
            yield InputFile(spool_stdin(), STDIN_NAME, True)
            continue
        path = Path(arg)
        if path.is_dir():
            found = False
            for item in _walk(path):
                found = found or item.skipped is None
                yield item
            if not found:
                raise InputError(f"{display_name(arg)}: directory holds no capture files")
        elif is_archive_name(arg) and path.is_file():
            yield from _archive(arg, display_name(arg), explicit=True)
        else:
            yield InputFile(arg, display_name(arg), True)


def _archive(path: str, shown: str, explicit: bool) -> Iterator[InputFile]:
    """An archive's members, each as a file met in a folder (skipped ones with their
    reason). An archive that cannot be opened, or holds no capture, is an error when named
    and a skipped input when met in a folder."""
    found = listed = False
    try:
        for member in archive_members(path, shown):
            listed = True
            kind = SKIPPED_SUFFIXES.get(Path(member.name).suffix.lower())
            if member.path is None:
                yield InputFile("", member.name, False, member.skipped)
            elif kind is not None:
                yield InputFile("", member.name, False, f"{kind}, not a capture (not read)")
            else:
                found = True
                yield InputFile(member.path, member.name, False)
    except (ValueError, OSError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else f"cannot be read ({exc.strerror})"
        if explicit:
            raise InputError(f"{shown}: {reason}") from None
        yield InputFile(path, shown, False, reason)
        return
    if not found and explicit:
        raise InputError(f"{shown}: archive holds no capture files")
    if not found and not listed:  # an empty archive met in a folder: named, like any input
        yield InputFile(path, shown, False, "an archive holding no file")


def _walk(top: Path) -> Iterator[InputFile]:
    """Files under ``top`` in a stable order (a folder's files, then its folders, each in
    name order). A link to outside the folder is skipped (it could bring in any file of the
    machine, e.g. a credentials file, as a "capture"); links to folders are not followed.
    Iterative, and at most MAX_FOLDER_DEPTH levels deep: a deeper folder is one skipped
    input, never a crash, and the rest of the walk goes on."""
    try:
        root = top.resolve()
    except OSError:
        root = top.absolute()
    stack: list[tuple[Path, int]] = [(top, 0)]
    while stack:
        folder, depth = stack.pop()
        if depth > MAX_FOLDER_DEPTH:
            yield InputFile(str(folder), display_name(str(folder)), False,
                            f"a folder more than {MAX_FOLDER_DEPTH} levels deep (not walked)")
            continue
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield InputFile(str(folder), display_name(str(folder)), False,
                            f"a folder that cannot be read ({exc.strerror or exc})")
            continue
        folders = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not entry.is_symlink():
                    folders.append(Path(entry.path))
                continue
            kind = SKIPPED_SUFFIXES.get(Path(entry.name).suffix.lower())
            if kind is not None:
                yield InputFile(entry.path, display_name(entry.path), False,
                                f"{kind}, not a capture (not read)")
            elif entry.name == COLLECTION_LOG and _is_collection_log(entry.path):
                continue  # sldiag's own log of a collect run: not an input, not a problem
            elif is_archive_name(entry.name) and not entry.is_symlink():
                yield from _archive(entry.path, display_name(entry.path), explicit=False)
            else:
                yield _file_in(Path(entry.path), root)
        stack.extend((sub, depth + 1) for sub in reversed(folders))


def _is_collection_log(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(64).startswith(b"# sldiag collection log")
    except OSError:
        return False


def _file_in(path: Path, root: Path) -> InputFile:
    shown = display_name(str(path))
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return InputFile(str(path), shown, False, "a broken or looping link")
        if not target.is_relative_to(root):
            return InputFile(str(path), shown, False,
                             "a link to a file outside the folder (not followed)")
    return InputFile(str(path), shown, False)


_STDIN_COPY: list[str] = []


def spool_stdin() -> str:
    """Standard input copied, once per process, to a file only this user can read (it may
    hold secrets), removed at exit."""
    if not _STDIN_COPY:
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="sldiag-stdin-")  # mode 0700
        atexit.register(shutil.rmtree, folder, True)
        path = os.path.join(folder, "stdin")
        with open(path, "xb") as out:
            os.chmod(path, 0o600)
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        _STDIN_COPY.append(path)
    return _STDIN_COPY[0]


def own_output_kind(lines: Sequence[str]) -> str | None:
    """What sldiag wrote, when a file is one of its own reports (often saved into the case
    folder it is run on again), judged on the first lines; None for anything else. JSON is
    never device output: any JSON document is named."""
    head = [lines[i] for i in range(min(len(lines), 12))]
    first = next((line.strip() for line in head if line.strip()), "")
    if first.startswith("Smart Licensing diagnosis - sldiag "):
        return "an sldiag text report"
    if first.startswith("# sldiag collection log"):
        return "sldiag's collection log"
    if first == "# Smart Licensing diagnosis":
        return "an sldiag Markdown report"
    if any('<meta name="generator" content="sldiag' in line for line in head):
        return "an sldiag HTML report"
    if first.startswith("{") or re.match(r"\[\s*(?:[{\"\]]|$)", first):
        return "a JSON document, not device output"
    return None


def iter_inputs(paths: list[str], errors: list[str], limits: list[str],
                max_files: int) -> Iterator[InputFile]:
    """The files to read (skipped ones included, with their reason), at most ``max_files``
    of them; a path that cannot be walked becomes a line of ``errors``, the files past the
    limit one line of ``limits``."""
    count = 0
    seen: set[str] = set()
    for path in paths:
        try:
            for item in iter_input_paths([path]):
                if item.skipped is None and item.name != STDIN_NAME:
                    # A file given twice (or inside a folder given too) is read once.
                    key = os.path.realpath(item.path)
                    if key in seen:
                        continue
                    seen.add(key)
                if item.skipped is None:
                    count += 1
                    if count > max_files:
                        limits.append(
                            f"{item.name}: more than {max_files:,} files in this run: this "
                            "one and the rest were not read (--max-files raises the limit)")
                        return
                yield item
        except InputError as exc:
            errors.append(str(exc))
