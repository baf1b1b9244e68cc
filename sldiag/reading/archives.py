"""Archives of captures (.zip, .tar, .tar.gz, .tgz) read like folders: each regular member is
copied, within bounds, into a private folder and analysed under the name
``archive.zip:member``. Nothing in an archive is followed or opened further: a link, a path
outside the archive, an archive inside it or a member that expands too far is one skipped
input with its reason."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from ..base.limits import GZIP_FREE_BYTES, GZIP_MAX_RATIO, MAX_FILES_PER_RUN, MIB
from ..base.textsafe import display_name

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
# Members that are archives themselves: listed, never opened (.gz alone is a compressed
# capture, which the readers open with their own bound).
NESTED_SUFFIXES = (*ARCHIVE_SUFFIXES, ".7z", ".rar", ".bz2", ".xz", ".tbz2", ".txz")
_CHUNK = 1 * MIB
# tarfile, zipfile, tempfile and shutil are imported where an archive is opened: most runs
# have none, and importing them is a tenth of sldiag's start.


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


class Member:
    """A member ready to analyse (``path`` set) or skipped (``skipped`` says why)."""

    def __init__(self, name: str, path: str | None = None, skipped: str | None = None) -> None:
        self.name = name
        self.path = path
        self.skipped = skipped


def archive_members(path: str, shown: str) -> Iterator[Member]:
    """The members of the archive at ``path`` (named ``shown`` in reports), in archive order.
    The whole archive may expand to GZIP_MAX_RATIO times its size (past GZIP_FREE_BYTES),
    like a gzip capture; raises ValueError when the file is not a readable archive."""
    size = os.path.getsize(path)
    budget = [max(GZIP_FREE_BYTES, GZIP_MAX_RATIO * size)]
    folder = _private_folder()
    if path.lower().endswith(".zip"):
        yield from _zip_members(path, shown, folder, budget)
    else:
        yield from _tar_members(path, shown, folder, budget)


# Members an archive may declare: zipfile reads its whole directory when it opens it, so a
# directory of millions of entries is refused before that.
MAX_ARCHIVE_ENTRIES = 4 * MAX_FILES_PER_RUN


def zip_entries(path: str) -> int | None:
    """The number of entries a zip's end record declares (ZIP64 too), None when unreadable."""
    import struct

    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        tail_size = min(size, 22 + 65535 + 20)
        f.seek(size - tail_size)
        tail = f.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    entries = struct.unpack("<H", tail[end + 10:end + 12])[0]
    locator = end - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[locator + 8:locator + 16])[0]
        with open(path, "rb") as f:
            f.seek(offset)
            record = f.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) >= 40:
            return int(struct.unpack("<Q", record[32:40])[0])
    return int(entries)


def _zip_members(path: str, shown: str, folder: str, budget: list[int]) -> Iterator[Member]:
    import zipfile

    entries = zip_entries(path)
    if entries is not None and entries > MAX_ARCHIVE_ENTRIES:
        raise ValueError(f"a zip archive of {entries:,} entries (more than "
                         f"{MAX_ARCHIVE_ENTRIES:,} are not opened)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"not a readable zip archive ({exc})") from None
    with archive:
        for count, info in enumerate(archive.infolist()):
            name = f"{shown}:{display_name(info.filename)}"
            if count >= MAX_FILES_PER_RUN:
                yield Member(name, skipped=TOO_MANY_MEMBERS)
                return
            if info.is_dir():
                continue
            # A zip records the Unix mode in the high bits: a link is no file to read.
            link = (info.external_attr >> 16) & 0o170000 == 0o120000
            reason = _not_read(info.filename, link, regular=True)
            if reason is not None:
                yield Member(name, skipped=reason)
                continue
            try:
                with archive.open(info) as source:
                    yield _copy(source, name, folder, budget)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                # RuntimeError: an encrypted member; NotImplementedError: a compression
                # method zipfile does not have.
                yield Member(name, skipped=f"a member that cannot be read ({exc})")


def _tar_members(path: str, shown: str, folder: str, budget: list[int]) -> Iterator[Member]:
    import tarfile

    try:
        archive = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ValueError(f"not a readable tar archive ({exc})") from None
    with archive:
        try:
            # Streamed, and every entry counts: tarfile keeps the listing it has read.
            for count, info in enumerate(archive):
                name = f"{shown}:{display_name(info.name)}"
                if count >= MAX_FILES_PER_RUN:
                    yield Member(name, skipped=TOO_MANY_MEMBERS)
                    return
                if info.isdir():
                    continue
                reason = _not_read(info.name, info.issym() or info.islnk(),
                                   regular=info.isfile())
                if reason is not None:
                    yield Member(name, skipped=reason)
                    continue
                source = archive.extractfile(info)
                if source is None:
                    yield Member(name, skipped="a member that cannot be read")
                    continue
                with source:
                    yield _copy(source, name, folder, budget)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            yield Member(f"{shown}", skipped=f"the archive is damaged from here on ({exc})")


TOO_MANY_MEMBERS = f"more than {MAX_FILES_PER_RUN:,} members: this one and the rest were not read"


def _not_read(member: str, link: bool, regular: bool) -> str | None:
    """Why a member is not read (None: it is): a link, not a regular file, a path outside the
    archive, an archive inside it."""
    if link:
        return "a link inside the archive (not followed)"
    if not regular:
        return "a device file or pipe inside the archive"
    parts = PurePosixPath(member.replace("\\", "/")).parts
    if member.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return "a path outside the archive (not extracted)"
    base = parts[-1] if parts else member
    if base.lower().endswith(NESTED_SUFFIXES):
        return "an archive inside an archive (not opened)"
    return None


def _copy(source: IO[bytes], name: str, folder: str, budget: list[int]) -> Member:
    """The member copied into the private folder, as long as the archive's budget lasts."""
    import tempfile

    fd, target = tempfile.mkstemp(dir=folder)
    written = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > budget[0]:
                out.close()
                os.unlink(target)
                budget[0] = 0
                return Member(name, skipped=(
                    f"expands more than {GZIP_MAX_RATIO} times the archive's size "
                    "(a decompression bomb?); the rest of the archive was not read"))
            out.write(chunk)
    budget[0] -= written
    return Member(name, path=target)


_FOLDER: list[str] = []


def _private_folder() -> str:
    """One folder per process, readable by this user only (members may hold secrets),
    removed at exit."""
    if not _FOLDER:
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="sldiag-archive-")  # mode 0700
        atexit.register(shutil.rmtree, folder, True)
        _FOLDER.append(folder)
    return _FOLDER[0]
