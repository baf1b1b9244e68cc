"""The facts of one device, each value with its provenance, in the vocabulary of
parsers/facts.yaml.

Every scalar is a :class:`Fact` (value + file + 1-based line + the line's text). A group (the
registration, the transport, ...) reads None for each declared fact until it is set; a
collection is a list of :class:`Row`. The vocabulary is data: a new fact is a line in
parsers/facts.yaml, then a mapping in parsers/index.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml_cached
from ..base.textsafe import clip
from .values import json_value

KINDS = frozenset({"str", "int", "bool", "datetime", "duration", "list"})


@dataclass(frozen=True)
class Fact:
    value: Any
    file: str
    line: int
    text: str
    raw: str = ""  # the value as printed, when conversion changed it (dates, durations)

    def evidence(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": clip(self.text)}

    def to_json(self) -> dict[str, Any]:
        return {"value": json_value(self.value), "raw": self.raw or None, **self.evidence()}


@dataclass
class Row:
    """One entry of a collection (a license in use, a syslog message, an event)."""

    values: dict[str, Any]
    file: str
    line: int
    text: str
    field_lines: dict[str, tuple[int, str]] = field(default_factory=dict)  # field -> line, text

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def quote(self, names: list[str]) -> list[Fact]:
        """The lines the named fields were read from (the row's own line if none is known)."""
        quoted = [Fact(self.values.get(n), self.file, *self.field_lines[n])
                  for n in names if n in self.field_lines]
        return quoted or [Fact(None, self.file, self.line, self.text)]

    def evidence(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": clip(self.text)}

    def to_json(self) -> dict[str, Any]:
        return {**{k: json_value(v) for k, v in self.values.items()}, **self.evidence()}


class Group:
    """The facts of one group. Every declared fact reads as None until set; an instance
    holds only the facts set (cheap to build, copy and pickle)."""

    KINDS: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)!r})"


def _load_vocabulary() -> tuple[dict[str, type[Group]], dict[str, dict[str, str]]]:
    path = data_dir("parsers") / "facts.yaml"
    doc = load_yaml_cached(path)
    groups: dict[str, type[Group]] = {}
    collections: dict[str, dict[str, str]] = {}
    try:
        for name, kinds in doc["groups"].items():
            for fact, kind in kinds.items():
                if kind not in KINDS:
                    raise DataError(f"{path}: groups/{name}/{fact}: unknown kind '{kind}'")
            attributes: dict[str, Any] = {"KINDS": dict(kinds)}
            attributes.update(dict.fromkeys(kinds))
            groups[name] = type(name.title().replace("_", ""), (Group,), attributes)
        for name, kinds in doc["collections"].items():
            for row_field, kind in kinds.items():
                if kind not in KINDS:
                    raise DataError(f"{path}: collections/{name}/{row_field}: unknown kind "
                                    f"'{kind}'")
            collections[name] = dict(kinds)
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: invalid vocabulary ({type(exc).__name__}: {exc})") from None
    return groups, collections


GROUPS, COLLECTIONS = _load_vocabulary()
# Every scalar path ("registration.status") and its kind.
FACT_KINDS: dict[str, str] = {f"{group}.{name}": kind for group, cls in GROUPS.items()
                              for name, kind in cls.KINDS.items()}
# The fields of each collection's rows, and the kinds of those that are not strings.
ROW_FIELDS: dict[str, tuple[str, ...]] = {name: tuple(kinds) for name, kinds in COLLECTIONS.items()}
ROW_KINDS: dict[str, dict[str, str]] = {
    name: {f: k for f, k in kinds.items() if k != "str"} for name, kinds in COLLECTIONS.items()}


def is_known_path(path: str) -> bool:
    return path in FACT_KINDS


class Facts:
    """What a capture says about one device: a group per name of GROUPS (attribute access,
    e.g. ``facts.version.platform``) and a list of rows per collection."""

    def __init__(self) -> None:
        for name, cls in GROUPS.items():
            setattr(self, name, cls())
        for name in COLLECTIONS:
            setattr(self, name, [])

    def get(self, path: str) -> Fact | None:
        if path not in FACT_KINDS:  # the table of every known path
            raise KeyError(path)
        group, _, name = path.partition(".")
        value: Fact | None = getattr(getattr(self, group), name)
        return value

    def set(self, path: str, fact: Fact) -> None:
        group, _, name = path.partition(".")
        setattr(getattr(self, group), name, fact)

    def value(self, path: str) -> Any:
        fact = self.get(path)
        return None if fact is None else fact.value

    def rows(self, collection: str) -> list[Row]:
        if collection not in COLLECTIONS:
            raise KeyError(collection)
        rows: list[Row] = getattr(self, collection)
        return rows

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as the facts set and the rows, in tuples: results cross from worker
        processes by the thousand, and the groups (mostly unset) made that the costliest part
        of a parallel run."""
        scalars = []
        rows = {}
        for name in COLLECTIONS:
            member = getattr(self, name)
            if member:
                rows[name] = [(r.values, r.file, r.line, r.text, r.field_lines) for r in member]
        for group in GROUPS:
            for name, fact in vars(getattr(self, group)).items():
                if fact is not None:
                    scalars.append((group, name, fact.value, fact.file, fact.line, fact.text,
                                    fact.raw))
        return _rebuild_facts, (scalars, rows)

    def is_empty(self) -> bool:
        """No fact about the switch was found (the capture's own `device` facts aside)."""
        if any(getattr(self, name) for name in COLLECTIONS):
            return False
        return not any(v is not None for group in GROUPS if group != "device"
                       for v in vars(getattr(self, group)).values())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for group, cls in GROUPS.items():
            obj = getattr(self, group)
            out[group] = {name: None if getattr(obj, name) is None
                          else getattr(obj, name).to_json() for name in cls.KINDS}
        for name in COLLECTIONS:
            out[name] = [row.to_json() for row in getattr(self, name)]
        return out

    def shown(self) -> list[tuple[str, Fact]]:
        """(path, fact) of every fact the capture showed, in the vocabulary's order."""
        return [(f"{group}.{name}", fact) for group, cls in GROUPS.items()
                for name in cls.KINDS
                if (fact := getattr(getattr(self, group), name)) is not None]


def _rebuild_facts(scalars: list[tuple[Any, ...]],
                   rows: dict[str, list[tuple[Any, ...]]]) -> Facts:
    facts = Facts()
    for group, name, *fields in scalars:
        setattr(getattr(facts, group), name, Fact(*fields))
    for kind, entries in rows.items():
        setattr(facts, kind, [Row(*entry) for entry in entries])
    return facts
