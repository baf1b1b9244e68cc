"""Compiled regular expressions kept between runs.

A small analysis compiles some 400 patterns (TextFSM templates, detectors, redaction rules)
and Python's regex compiler, written in Python, spends more time on them than the analysis
itself. The compiler's output (the code the C matcher runs) is kept in the cache folder, keyed
by Python's version, and handed straight to the matcher next time. Anything unexpected (another
Python, a damaged file) falls back to ``re.compile``: only speed is at stake.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import threading
from typing import Any

try:  # CPython's own pieces; absent or different elsewhere
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _sre = None

_LOCK = threading.Lock()
_STORE: dict[tuple[str, int], tuple[Any, ...]] | None = None
_DIRTY = False
_MAX_ENTRIES = 20_000


def _path() -> Any:
    from .resources import cache_dir

    tag = hashlib.sha256(sys.version.encode()).hexdigest()[:16]
    return cache_dir() / f"regex-{tag}.bin"


def _load() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _STORE
    if _STORE is None:
        try:
            data = marshal.loads(_path().read_bytes())
            _STORE = data if isinstance(data, dict) else {}
        except (OSError, ValueError, EOFError, TypeError):
            _STORE = {}
        atexit.register(_save)
    return _STORE


def _save() -> None:
    if not _DIRTY or _STORE is None or len(_STORE) > _MAX_ENTRIES:
        return
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(_STORE))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


def compile(pattern: Any, flags: int = 0) -> re.Pattern[Any]:  # noqa: A001 - re's name
    """re.compile, with the compiled code kept between runs for str patterns."""
    global _DIRTY
    if _sre is None or not isinstance(pattern, str) or isinstance(flags, re.RegexFlag) and \
            flags & re.DEBUG:
        return re.compile(pattern, flags)
    flags = int(flags)
    key = (pattern, flags)
    with _LOCK:
        store = _load()
        entry = store.get(key)
    if entry is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = entry
            return _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)
        except Exception:  # noqa: BLE001 - a stale entry: compile it again below
            pass
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), [int(c) for c in code],
                 int(parsed.state.groups - 1), groupindex,
                 tuple(indexgroup))
        compiled = _sre.compile(pattern, *entry)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals not as expected: the public way
        return re.compile(pattern, flags)
    with _LOCK:
        _load()[key] = entry
        _DIRTY = True
    return compiled


class _ReForTextFSM:
    """What TextFSM sees as its `re` module: the same, with the caching compile."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    compile = staticmethod(compile)


def install_in_textfsm() -> None:
    import textfsm.parser

    textfsm.parser.re = _ReForTextFSM()  # type: ignore[assignment]
