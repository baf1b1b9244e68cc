"""Where the shipped data lives, reading it, and the cache of what can be rebuilt from it.

In a wheel, rules/ and parsers/ are installed as sldiag/rules and sldiag/parsers; in a
source checkout (editable install) they are the repository's top-level folders.

The cache holds data (``marshal``: parsed YAML, validated rules, the programs of regular
expressions, see compiled.py), each named by the SHA-256 of its sources' content (a changed
file is a new name); the only code in it is compiled Python, as Python keeps its own in
__pycache__: jinja2's compiled form of sldiag's own templates, checked by jinja2 against the
template's source, and the methods ``dataclasses`` writes for sldiag's classes, each found by
its own source text (compiled.py). It is used only in a folder this user owns and nobody
else can write (created 0700), like OpenSSH's own files: another account cannot put anything
in it for sldiag to read. Anything unreadable is rebuilt.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import marshal
import os
import stat
import time
from functools import cache
from pathlib import Path
from typing import Any

from .errors import DataError

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise DataError(f"sldiag's {name}/ folder is missing from the installation")


@cache
def ntc_templates_dir() -> Path:
    # Locate the package without importing it (its __init__ pulls in more than we need).
    spec = importlib.util.find_spec("ntc_templates")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("ntc-templates is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "templates"


def cache_dir() -> Path:
    """Where sldiag keeps what it can rebuild ($SLDIAG_CACHE_DIR, else the XDG cache)."""
    if os.environ.get("SLDIAG_CACHE_DIR"):
        return Path(os.environ["SLDIAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sldiag"


def private_cache_dir(create: bool = False) -> Path | None:
    """The cache folder when only this user can write it (created 0700 when asked), else
    None: a cache others could write is not read."""
    folder = cache_dir()
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return None
    try:
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return folder


def fingerprint(files: list[Path], salt: str = "") -> str:
    """The SHA-256 of sldiag's version, ``salt`` and the files' names and contents."""
    from .. import __version__

    h = sha256(f"{__version__}\0{salt}".encode())
    digests = _Digests.loaded()
    for f in files:
        h.update(f"{f.name}\0".encode())
        h.update(digests.of(f))
    digests.keep()
    return h.hexdigest()[:32]


class _Digests:
    """Each file's SHA-256, read again only when its size, times or inode changed (git's
    index does the same): a run hashes none of its hundred knowledge files. The change time
    is the system's own (no tool sets it back, as `touch` or `cp -p` do the modification
    time); a file changed in the last two seconds is hashed every time, as a change within
    its clock's step could keep its times."""

    NAME = "digests.marshal"
    MAX = 5_000
    _loaded: _Digests | None = None

    def __init__(self, known: dict[str, Any]) -> None:
        self.known = known
        self.changed = False

    @classmethod
    def loaded(cls) -> _Digests:
        if cls._loaded is None:
            kept = read_cache(cls.NAME)
            cls._loaded = cls(kept if isinstance(kept, dict) and len(kept) <= cls.MAX else {})
        return cls._loaded

    def of(self, path: Path) -> bytes:
        info = path.stat()
        signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        entry = self.known.get(str(path))
        if isinstance(entry, tuple) and len(entry) == 5 and entry[:4] == signature \
                and isinstance(entry[4], bytes):
            return entry[4]
        digest: bytes = sha256(path.read_bytes()).digest()
        settled = time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > 2_000_000_000
        if settled and len(self.known) < self.MAX:
            self.known[str(path)] = (*signature, digest)
            self.changed = True
        return digest

    def keep(self) -> None:
        if self.changed:
            write_cache(self.NAME, self.known)
            self.changed = False


@cache
def _sha256_constructor() -> Any:
    # CPython's own SHA-256 (_sha2 from 3.12, _sha256 before): hashlib would load OpenSSL
    # for it, 2 ms of every run. The same digest (tests/test_contracts.py checks).
    for module in ("_sha2", "_sha256"):
        try:
            return importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object, as hashlib.sha256(data) gives."""
    return _sha256_constructor()(data)


def read_cache(name: str) -> Any | None:
    """Data kept by write_cache, or None (missing or damaged: rebuilt by the caller)."""
    data = read_cache_bytes(name)
    try:
        return None if data is None else marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def read_cache_bytes(name: str) -> bytes | None:
    folder = private_cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def write_cache(name: str, data: Any) -> None:
    """Data made of dicts, lists, text and numbers, kept with marshal (read several times
    faster than JSON, and Python's own format for what it keeps); anything else is not kept."""
    try:
        encoded = marshal.dumps(data)
    except ValueError:
        return
    write_cache_bytes(name, encoded)


def write_cache_bytes(name: str, data: bytes) -> None:
    """Best effort and atomic: a read-only home only costs speed."""
    folder = private_cache_dir(create=True)
    if folder is None:
        return
    path = folder / name
    try:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def template_cache(kind: str) -> Any | None:
    """jinja2's cache of compiled templates for one kind of environment (its options shape
    the code), or None where there is no private folder."""
    folder = private_cache_dir(create=True)
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    class BestEffort(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):  # a full or read-only disk costs only speed
                super().dump_bytecode(bucket)

    return BestEffort(str(folder), f"jinja-{kind}-%s.cache")


def load_yaml_cached(path: Path) -> Any:
    """A data file, parsed once per change and then read from the cache."""
    name = f"data-{fingerprint([path])}.marshal"
    data = read_cache(name)
    if data is None:
        data = load_yaml(path)
        write_cache(name, data)
    return data


def load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
