"""Where the shipped data lives, and reading it.

In a wheel, rules/ and parsers/ are installed as sldiag/rules and sldiag/parsers; in a
source checkout (editable install) they are the repository's top-level folders.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent


class DataError(Exception):
    """A broken rule, template or index file; the message names the file and the field."""


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
    """Where sldiag keeps what it can rebuild (validated rules, parsed data, templates)."""
    if os.environ.get("SLDIAG_CACHE_DIR"):
        return Path(os.environ["SLDIAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sldiag"


def fingerprint(files: list[Path], salt: str = "") -> str:
    from . import __version__

    h = hashlib.sha256(f"{__version__}\0{salt}".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:24]


def read_cache(name: str) -> Any | None:
    try:
        return json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(name: str, data: Any) -> None:
    """Best effort and atomic: a read-only home only costs speed."""
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def load_yaml_cached(path: Path) -> Any:
    """A data file, parsed once per change and then read from the JSON cache."""
    name = f"data-{fingerprint([path])}.json"
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
