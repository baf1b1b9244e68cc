"""Where the shipped data lives, and reading it.

In a wheel, rules/ and parsers/ are installed as sldiag/rules and sldiag/parsers; in a
source checkout (editable install) they are the repository's top-level folders.
"""

from __future__ import annotations

import importlib.util
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
