"""Conditions, compiled from data into small typed nodes.

A condition is data, never Python: ``all``/``any``/``not`` over three kinds of test:

* ``{fact: registration.failure_reason, regex: '...'}`` - a fact compared with ``equals``,
  ``in``, ``regex`` (search), ``exists``, ``lt``/``le``/``gt``/``ge``, ``version_lt``/
  ``version_ge``, or another fact (``lt_fact``, ``gt_fact``, ``eq_fact``). Durations compare
  in days; dates compare as days from the device's clock (negative = in the past).
* ``{rows: syslog, match: {tag: 'SMART_LIC-3-AGENT_REG_FAILED'}}`` - some row of a collection
  whose fields all match (``min_count`` rows at least, ``where`` on their own fields,
  ``unless_later`` a later row shows it fixed).
* ``{finding: 'regex'}`` - a finding fired (the flowchart and the verdicts only).

:func:`compile_condition` checks a condition (facts and fields known, regexes valid) and
builds its node once; evaluation then never looks at the data's keys again. Whatever a node
matched is quoted as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..base.errors import DataError
from ..model import facts as fm
from ..model.values import human

MAX_ROWS_QUOTED = 5
Quotable = fm.Fact | fm.Row


@dataclass
class Match:
    matched: bool
    evidence: list[Quotable] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a condition is evaluated against: a device's facts, its clock, the findings."""

    facts: fm.Facts
    now: datetime | None = None
    findings: frozenset[str] = frozenset()
    # False: `now` is only a lower bound (no clock in the capture): a date before it has
    # passed, but how far ahead a later one lies is unknown.
    now_exact: bool = True


class _Pattern:
    """A regex compiled when first used (most conditions never run on a given capture)."""

    __slots__ = ("text", "_compiled")

    def __init__(self, text: str) -> None:
        self.text = text
        self._compiled: re.Pattern[str] | None = None

    def search(self, value: str) -> bool:
        if self._compiled is None:
            self._compiled = re.compile(self.text)
        return self._compiled.search(value) is not None


class Condition:
    def evaluate(self, ctx: Context) -> Match:
        raise NotImplementedError


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Match:
        evidence: list[Quotable] = []
        for part in self.parts:
            result = part.evaluate(ctx)
            if not result.matched:
                return Match(False)
            evidence.extend(result.evidence)
        return Match(True, evidence)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, ctx: Context) -> Match:
        evidence: list[Quotable] = []
        matched = False
        for part in self.parts:
            result = part.evaluate(ctx)
            if result.matched:
                matched = True
                evidence.extend(result.evidence)
        return Match(matched, evidence)


@dataclass(frozen=True)
class NotOf(Condition):
    part: Condition

    def evaluate(self, ctx: Context) -> Match:
        return Match(not self.part.evaluate(ctx).matched)


@dataclass(frozen=True)
class FindingFired(Condition):
    pattern: _Pattern

    def evaluate(self, ctx: Context) -> Match:
        return Match(any(self.pattern.search(f) for f in ctx.findings))


_ORDER = ("lt", "le", "gt", "ge")


@dataclass(frozen=True)
class FactTest(Condition):
    path: str
    exists: bool | None = None
    equals: Any = None
    has_equals: bool = False
    one_of: tuple[Any, ...] | None = None
    regex: _Pattern | None = None
    bounds: tuple[tuple[str, float], ...] = ()
    versions: tuple[tuple[str, tuple[int, int, int, str]], ...] = ()
    against: tuple[tuple[str, str], ...] = ()     # (lt|gt, other fact)
    equal_to: str | None = None                   # another fact
    only_absence: bool = False                    # just {fact, exists: false}

    def evaluate(self, ctx: Context) -> Match:
        fact = ctx.facts.get(self.path)
        if self.exists is not None and (fact is not None) != self.exists:
            return Match(False)
        if fact is None:
            # Only "exists: false" can hold for a fact the capture does not show.
            return Match(self.only_absence)
        value = fact.value
        if self.has_equals and not _equal(value, self.equals):
            return Match(False)
        if self.one_of is not None and not any(_equal(value, v) for v in self.one_of):
            return Match(False)
        if self.regex is not None and not self.regex.search(human(value)):
            return Match(False)
        for op, bound in self.bounds:
            number = as_number(value, ctx.now)
            if number is None or not _compare(op, number, bound):
                return Match(False)
            if isinstance(value, datetime) and not ctx.now_exact and op in ("gt", "ge"):
                return Match(False)  # "at least N days ahead" needs the clock itself
        for op, wanted in self.versions:
            span = release_span(human(value))
            # A development build's maintenance number is unknown: a bound holds only when
            # every release the build could be satisfies it.
            if span is None or not _compare(op, span[0] if op == "ge" else span[1], wanted):
                return Match(False)
        quoted: list[Quotable] = [fact]
        for op, other_path in self.against:
            other = ctx.facts.get(other_path)
            a = _as_ordered(value, ctx.now)
            b = _as_ordered(other.value, ctx.now) if other else None
            if other is None or a is None or b is None or not _compare(op, a, b):
                return Match(False)
            quoted.append(other)
        if self.equal_to is not None:
            other = ctx.facts.get(self.equal_to)
            if other is None or not _equal(human(value), human(other.value)):
                return Match(False)
            quoted.append(other)
        return Match(True, quoted)


@dataclass(frozen=True)
class _FieldTest:
    name: str
    bounds: tuple[tuple[str, float], ...] = ()
    relative: tuple[tuple[str, str], ...] = ()    # (after|before, other field)

    def holds(self, row: fm.Row, now: datetime | None, now_exact: bool = True) -> bool:
        value = row.get(self.name)
        for op, bound in self.bounds:
            number = as_number(value, now)
            if number is None or not _compare(op, number, bound):
                return False
            if isinstance(value, datetime) and not now_exact and op in ("gt", "ge"):
                return False
        for op, other_name in self.relative:
            other = row.get(other_name)
            if not isinstance(value, datetime):
                return False
            if not isinstance(other, datetime):
                if op == "before":
                    return False
                continue  # a missing other date counts as long ago
            if (value > other) != (op == "after") or value == other:
                return False
        return True


@dataclass(frozen=True)
class RowsTest(Condition):
    collection: str
    match: tuple[tuple[str, _Pattern], ...] = ()
    where: tuple[_FieldTest, ...] = ()
    unless_later: tuple[tuple[str, _Pattern], ...] = ()
    min_count: int = 1

    def evaluate(self, ctx: Context) -> Match:
        rows = ctx.facts.rows(self.collection)
        hits = [row for row in rows if _row_matches(row, self.match)]
        if self.where:
            hits = [row for row in hits
                    if all(t.holds(row, ctx.now, ctx.now_exact) for t in self.where)]
        if self.unless_later:
            # A failure a later row shows fixed (COMM_RESTORED after COMM_FAILED, a saved
            # configuration after "not saved") no longer counts: log rows are in time order.
            last_fix = max((row.line for row in rows if _row_matches(row, self.unless_later)),
                           default=0)
            hits = [row for row in hits if row.line > last_fix]
        # Quote the lines of the fields matched on, for a few rows, not fifty identical lines.
        names = [name for name, _ in self.match]
        quoted: list[Quotable] = [q for row in hits[:MAX_ROWS_QUOTED] for q in row.quote(names)]
        return Match(len(hits) >= self.min_count, quoted)


def _row_matches(row: fm.Row, patterns: tuple[tuple[str, _Pattern], ...]) -> bool:
    return all(p.search(human(row.get(name))) for name, p in patterns)


def _equal(value: Any, expected: Any) -> bool:
    if isinstance(value, str) and isinstance(expected, str):
        return value.strip().upper() == expected.strip().upper()
    return bool(value == expected)


def as_number(value: Any, now: datetime | None) -> float | None:
    """Numbers as they are, durations in days, dates in days from the device's clock (none
    without a clock: no deadline is assumed passed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, datetime):
        return None if now is None else (value - now).total_seconds() / 86400
    return None


def _as_ordered(value: Any, now: datetime | None) -> float | None:
    """Like as_number, but two dates compare with each other even without a clock."""
    if isinstance(value, datetime) and now is None:
        return value.timestamp() / 86400
    return as_number(value, now)


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "lt":
        return bool(a < b)
    if op == "le":
        return bool(a <= b)
    if op == "gt":
        return bool(a > b)
    return bool(a >= b)


_RELEASE = re.compile(r"^\s*0*(\d{1,3})\.0*(\d{1,3})(?:\.0*(\d{1,8}))?([a-z]?)")
Release = tuple[int, int, int, str]
_LAST_MAINTENANCE = 999


def release(text: str) -> Release | None:
    """An IOS-XE release as comparable numbers: '17.03.02a' -> (17, 3, 2, 'a');
    None for what is not one (classic IOS '15.2(7)E3' has no third number). A development
    build ('17.4.20200803', the build date in place of the maintenance number) is its
    train's first release here; :func:`release_span` gives the whole range."""
    span = release_span(text)
    return span[0] if span else None


def release_span(text: str) -> tuple[Release, Release] | None:
    """The lowest and highest release the text can be: one release, or a whole train: a
    development build ('17.3.20200422' is anything from 17.3.0 to 17.3.x) or a train named
    alone (a configuration's 'version 16.9')."""
    m = _RELEASE.match(text)
    if m is None or (m[3] is None and "(" in text):
        return None
    major, minor = int(m[1]), int(m[2])
    if (m[3] is not None and len(m[3]) > 3) or (m[3] is None and not m[4]):
        return (major, minor, 0, ""), (major, minor, _LAST_MAINTENANCE, "")
    exact = (major, minor, int(m[3] or 0), m[4])
    return exact, exact


# ---------------------------------------------------------------------------------------
# From data to nodes, checked on the way.


@dataclass(frozen=True)
class Where:
    """Where a condition was written, for one-line errors: the file and the field's path."""

    file: object
    path: str

    def fail(self, message: str, at: str = "") -> DataError:
        return DataError(f"{self.file}: field '{self.path}{at}': {message}")

    def inside(self, step: str) -> Where:
        return Where(self.file, f"{self.path}/{step}")


def compile_condition(cond: Any, where: Where, allow_findings: bool = False,
                      validate: bool = True) -> Condition:
    """The node for a condition; DataError (naming file and field) for one that is wrong.
    ``validate``: also compile its regexes now (a condition read from the cache of validated
    documents skips it: they compile when first used)."""
    if not isinstance(cond, dict):
        raise where.fail("a condition must be a mapping (all, any, not, fact, rows)")
    for key in ("all", "any"):
        if key in cond:
            parts = tuple(compile_condition(sub, where.inside(f"{key}/{i}"), allow_findings,
                                            validate) for i, sub in enumerate(cond[key]))
            return AllOf(parts) if key == "all" else AnyOf(parts)
    if "not" in cond:
        return NotOf(compile_condition(cond["not"], where.inside("not"), allow_findings,
                                       validate))
    if "finding" in cond:
        if not allow_findings:
            raise where.fail("only the flowchart and the verdicts may test findings",
                             "/finding")
        return FindingFired(_regex(cond["finding"], where.inside("finding"), validate))
    if "fact" in cond:
        return _fact_test(cond, where, validate)
    if "rows" in cond:
        return _rows_test(cond, where, validate)
    raise where.fail("a condition needs all, any, not, fact, rows (or finding)")


def _regex(pattern: Any, where: Where, validate: bool = True) -> _Pattern:
    if validate:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise where.fail(f"invalid regex ({exc})") from None
    return _Pattern(pattern)


def _known_fact(path: Any, where: Where) -> str:
    if not isinstance(path, str) or not fm.is_known_path(path):
        raise where.fail(f"unknown fact '{path}'")
    return path


def _fact_test(cond: dict[str, Any], where: Where, validate: bool) -> FactTest:
    path = _known_fact(cond["fact"], where.inside("fact"))
    versions = []
    for op in ("version_lt", "version_ge"):
        if op in cond:
            bound = release(str(cond[op]))
            if bound is None:
                raise where.fail(f"'{cond[op]}' is not a release", f"/{op}")
            versions.append((op[-2:], bound))
    return FactTest(
        path=path,
        exists=cond.get("exists"),
        equals=cond.get("equals"), has_equals="equals" in cond,
        one_of=tuple(cond["in"]) if "in" in cond else None,
        regex=(_regex(cond["regex"], where.inside("regex"), validate) if "regex" in cond
               else None),
        bounds=tuple((op, float(cond[op])) for op in _ORDER if op in cond),
        versions=tuple(versions),
        against=tuple((op[:2], _known_fact(cond[op], where.inside(op)))
                      for op in ("lt_fact", "gt_fact") if op in cond),
        equal_to=(_known_fact(cond["eq_fact"], where.inside("eq_fact"))
                  if "eq_fact" in cond else None),
        only_absence=cond.get("exists") is False and len(cond) == 2)


def _rows_test(cond: dict[str, Any], where: Where, validate: bool) -> RowsTest:
    collection = cond["rows"]
    if collection not in fm.ROW_FIELDS:
        raise where.fail(f"unknown collection '{collection}'", "/rows")
    fields = set(fm.ROW_FIELDS[collection])

    def field_name(name: str, at: Where) -> str:
        if name not in fields:
            raise at.fail(f"rows of {collection} have no field '{name}'")
        return name

    def patterns(key: str) -> tuple[tuple[str, _Pattern], ...]:
        return tuple((field_name(name, where.inside(f"{key}/{name}")),
                      _regex(p, where.inside(f"{key}/{name}"), validate))
                     for name, p in (cond.get(key) or {}).items())

    tests = []
    for name, test in (cond.get("where") or {}).items():
        at = where.inside(f"where/{name}")
        field_name(name, at)
        relative = tuple((op, field_name(test[op], at.inside(op)))
                         for op in ("after", "before") if op in test)
        tests.append(_FieldTest(name, tuple((op, float(test[op])) for op in _ORDER
                                            if op in test), relative))
    return RowsTest(collection, patterns("match"), tuple(tests), patterns("unless_later"),
                    int(cond.get("min_count", 1)))


def evaluate(cond: dict[str, Any], facts: fm.Facts, now: datetime | None = None,
             findings: frozenset[str] = frozenset(), now_exact: bool = True) -> Match:
    """A condition written as data, compiled and evaluated at once (for tools and tests;
    the knowledge compiles its conditions once when it loads)."""
    return compile_condition(cond, Where("condition", "when"), allow_findings=True).evaluate(
        Context(facts, now, findings, now_exact))
