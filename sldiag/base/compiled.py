"""Regular expressions and dataclasses' methods compiled once, not once per run.

sldiag's knowledge holds some 450 patterns (TextFSM templates, the catalogue, the sanitiser,
the rules); compiling them is a third of a small analysis. Python keeps compiled patterns
only within a process, in ``re._cache``. Here the engine's program of each pattern (a list of
numbers, which ``_sre.compile`` checks before it accepts it) is kept as data (``marshal``,
which reads it ten times faster than JSON) in sldiag's private cache, named for the
interpreter and its regular-expression engine, and put back into
``re._cache`` at start: every later ``re.compile`` of the same pattern, ours or a library's,
finds it there.

Only patterns that the run compiled and that are not in the cache are learnt, at exit. No
pattern is ever built from a capture's text (a test runs a capture full of secrets and
reads the cache back). Anything unexpected (another Python, a damaged file) costs only speed:
the pattern is compiled as usual.

The same for the methods ``dataclasses`` writes for each class (``__init__``, ``__eq__``,
...): it compiles their source text with ``exec`` at every import, a fifth of a small
analysis for sldiag's seventy classes. Its ``exec`` is given one that keeps the compiled code
of each source text (compiled exactly as ``exec`` compiles it), kept between runs with
``marshal`` as Python keeps its own bytecode, in a file named for the interpreter.
"""

from __future__ import annotations

import re
import sys
from types import CodeType
from typing import Any

from .resources import fingerprint, read_cache, write_cache

# re's own cache drops its oldest entry when full (512 in CPython 3.11-3.13): it is made room
# for what is put back, so that the patterns are still there when the imports ask for them.
_HEADROOM = 2_000
_MAX_KEPT = 4_000  # bounds the file, whatever compiles patterns in a run
_loaded: set[tuple[type, str | bytes, int]] = set()
_warmed = False
_MAX_METHODS = 4_000  # bounds the file of methods likewise
_methods: dict[str, CodeType] = {}   # source text -> its code, as exec compiles it
_methods_read = 0


def _engine() -> Any | None:
    """The regular-expression engine's compiler, when this Python has the internals used."""
    compiler = getattr(re, "_compiler", None)
    engine = getattr(compiler, "_sre", None)
    if not isinstance(getattr(re, "_cache", None), dict) or engine is None:
        return None
    return engine


def _cache_name(engine: Any) -> str:
    salt = (f"{sys.implementation.name} {sys.version} {sys.byteorder} {engine.MAGIC} "
            f"{engine.CODESIZE}")
    return f"regex-{fingerprint([], salt)}.marshal"


def warm() -> None:
    """Put the patterns of earlier runs back into ``re._cache`` and give ``dataclasses`` the
    methods it compiled in earlier runs (once per process)."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    _warm_methods()
    engine = _engine()
    if engine is None:
        return
    entries = read_cache(_cache_name(engine))
    entries = entries[:_MAX_KEPT] if isinstance(entries, list) else []
    re._MAXCACHE = max(getattr(re, "_MAXCACHE", 0), len(entries) + _HEADROOM)  # type: ignore[attr-defined]
    _loaded.update(re._cache)  # type: ignore[attr-defined]
    for entry in entries:
        try:
            key, compiled = restored(entry)
        except (TypeError, ValueError, RuntimeError, OverflowError):
            continue  # a damaged entry: that pattern is compiled as usual
        if key not in _loaded:
            re._cache[key] = compiled  # type: ignore[attr-defined]
            _loaded.add(key)


def remember() -> None:
    """Keep this run's patterns and methods for the next one, when it compiled any the
    cache lacked."""
    if not _warmed:
        return
    if len(_methods) > _methods_read:
        write_cache(_methods_name(), _methods)
    engine = _engine()
    if engine is None:
        return
    keys = [k for k in list(re._cache)  # type: ignore[attr-defined]
            if k[0] in (str, bytes) and isinstance(k[2], int) and not k[2] & re.DEBUG]
    if all(k in _loaded for k in keys):
        return
    entries = [e for _, pattern, flags in keys[-_MAX_KEPT:]
               if (e := kept(pattern, flags)) is not None]
    write_cache(_cache_name(engine), entries)


def kept(pattern: str | bytes, flags: int) -> tuple[Any, ...] | None:
    """A pattern as the cache keeps it (marshal): the pattern, its flags, and what re's
    compiler gives the engine for it, found by compiling it again with a recorder in the
    engine's place (nothing of re's internals is copied here). None where this Python
    differs."""
    found = _engine()
    if found is None:
        return None
    engine: Any = found
    recorded: list[tuple[Any, ...]] = []

    class Recorder:
        def __getattr__(self, name: str) -> Any:
            return getattr(engine, name)

        def compile(self, *args: Any) -> Any:
            recorded.append(args)
            return engine.compile(*args)

    compiler = re._compiler  # type: ignore[attr-defined]
    compiler._sre = Recorder()
    try:
        compiler.compile(pattern, flags)
    except Exception:  # noqa: BLE001 - a pattern that no longer compiles is not kept
        return None
    finally:
        compiler._sre = engine
    if len(recorded) != 1:
        return None
    _, final_flags, code, groups, groupindex, indexgroup = recorded[0]
    return (pattern, int(flags), int(final_flags), [int(word) for word in code], int(groups),
            dict(groupindex), tuple(indexgroup))


def restored(entry: Any) -> tuple[tuple[type, str | bytes, int], re.Pattern[Any]]:
    """``re._cache``'s key and the compiled pattern of a kept entry; the engine refuses a
    program it cannot run (RuntimeError), other damage is a TypeError, ValueError or
    OverflowError."""
    engine = _engine()
    if engine is None:
        raise TypeError("this Python keeps no patterns")
    if not isinstance(entry, tuple | list) or len(entry) != 7:
        raise TypeError("not a kept pattern")
    pattern, flags, final_flags, code, groups, groupindex, indexgroup = entry
    if not (isinstance(pattern, str | bytes) and isinstance(flags, int)
            and isinstance(final_flags, int) and isinstance(code, list)
            and isinstance(groups, int) and isinstance(groupindex, dict)
            and isinstance(indexgroup, tuple | list)):
        raise TypeError("not a kept pattern")
    compiled = engine.compile(pattern, final_flags, code, groups, groupindex,
                              tuple(indexgroup))
    return (type(pattern), pattern, flags), compiled


def _methods_name() -> str:
    import importlib.util

    salt = f"{sys.implementation.name} {sys.version} {importlib.util.MAGIC_NUMBER.hex()}"
    return f"methods-{fingerprint([], salt)}.marshal"


def _warm_methods() -> None:
    global _methods_read
    import dataclasses

    kept = read_cache(_methods_name())
    if isinstance(kept, dict):
        _methods.update((source, code) for source, code in kept.items()
                        if isinstance(source, str) and isinstance(code, CodeType))
    _methods_read = len(_methods)
    # dataclasses calls the name `exec` of its own module (3.11-3.13); a Python whose
    # dataclasses does not simply never calls this one.
    setattr(dataclasses, "exec", exec_kept)  # noqa: B010 - a module's global, not a member


def exec_kept(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec``, with the code of a source text compiled once (then kept between runs).
    dataclasses always names the namespaces; without them exec would use this module's."""
    if globals is None:
        raise TypeError("exec_kept needs the namespace to run in")
    if isinstance(source, str):
        code = _methods.get(source)
        if code is None:
            # As exec compiles a text: named "<string>", without this module's __future__.
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if len(_methods) < _MAX_METHODS:
                _methods[source] = code
        source = code
    exec(source, globals, locals)
