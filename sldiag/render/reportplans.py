"""Report templates as plans: jinja2's parse of a shipped report template, kept as data and
run without jinja2.

Importing jinja2 is most of what a text report adds to a small analysis (10-14 ms of 19).
The shipped text and Markdown templates use a small part of jinja2: text, ``{{ }}``,
if/elif/else, ``for`` (with ``loop.index``, ``first``, ``last``), ``set``, names,
attributes and items, calls, a dozen filters, comparisons, arithmetic, ``~`` and inline
``if``. The first time a format is rendered, jinja2 parses its template (its lexer applies
``trim_blocks`` and ``lstrip_blocks``) and the parse becomes a plan, kept in the private cache
by the template's content and jinja2's release; here a plan is run with jinja2's semantics for
each of those: ``environment.getattr``/``getitem``, the filters as jinja2 3.1 writes them,
``str(finalize(value))`` for every ``{{ }}``.

A template with anything else has no plan, and a plan stops (``Unplanned``) where jinja2
would make an Undefined or raise: jinja2 then renders the report. A name read before the
``set`` that gives it in the same block has no plan either (jinja2's scoping there has
corners). HTML is autoescaped (Markup changes what filters and ``~`` do) and is left to
jinja2. tests/test_reportplans.py renders every sample, the corpus and generated templates
both ways.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .planrunner import (
    BINARY,
    COMPARE,
    CONSTANTS,
    UNARY,
    Step,
    Unplanned,
    compile_plan,
    filter_table,
)

# Bumped when a plan's shape or meaning changes: kept plans of another format are not used.
PLAN_FORMAT = "1"
PLANNED_FORMATS = frozenset({"text", "md"})
TEMPLATES = Path(__file__).parent / "templates"
__all__ = ["Unplanned", "plan_of", "render_planned", "report_plan"]


# ---------------------------------------------------------------------------------------
# Making a plan (jinja2 is imported: once per template and jinja2 release)


class _Frame:
    """A block with its own names (the template, a loop's body): the names a ``set`` in it
    gives, and those it has surely given so far."""

    def __init__(self, assigned: set[str], definite: set[str]) -> None:
        self.assigned = assigned
        self.definite = definite


class _Maker:
    def __init__(self, nodes: Any, filters: frozenset[str]) -> None:
        self.nodes = nodes
        self.filters = filters
        self.frames: list[_Frame] = []

    def block(self, statements: list[Any], targets: tuple[str, ...]) -> list[Any]:
        self.frames.append(_Frame(self._assigned(statements) | set(targets), set(targets)))
        try:
            return [step for node in statements for step in self.statement(node)]
        finally:
            self.frames.pop()

    def _assigned(self, statements: list[Any]) -> set[str]:
        n, names = self.nodes, set()
        for node in statements:
            if isinstance(node, n.Assign) and isinstance(node.target, n.Name):
                names.add(node.target.name)
            elif isinstance(node, n.If):
                names |= self._assigned(node.body) | self._assigned(node.else_)
                for branch in node.elif_:
                    names |= self._assigned(branch.body)
        return names

    def statement(self, node: Any) -> list[Any]:
        n = self.nodes
        if isinstance(node, n.Output):
            return [child.data if isinstance(child, n.TemplateData)
                    else ["=", self.expression(child, output=True)] for child in node.nodes]
        if isinstance(node, n.If):
            return [self.branches(node.test, node.body, list(node.elif_), node.else_)]
        if isinstance(node, n.For) and not (node.else_ or node.test or node.recursive):
            iterable = self.expression(node.iter)
            target = self.target(node.target)
            names = (target[1],) if target[0] == "name" else tuple(target[1])
            return [["for", target, iterable, self.block(node.body, (*names, "loop"))]]
        if isinstance(node, n.Assign) and isinstance(node.target, n.Name):
            value = self.expression(node.node)
            self.frames[-1].definite.add(node.target.name)
            return [["set", node.target.name, value]]
        raise Unplanned(type(node).__name__)

    def branches(self, test: Any, body: list[Any], elifs: list[Any], else_: list[Any]
                 ) -> list[Any]:
        """if/elif/else, an elif as an if inside the else; after it, a name is surely given
        only if every branch gives it."""
        frame = self.frames[-1]
        before = frame.definite
        condition = self.expression(test)
        frame.definite = set(before)
        then = [step for node in body for step in self.statement(node)]
        given = frame.definite
        frame.definite = set(before)
        if elifs:
            otherwise = [self.branches(elifs[0].test, elifs[0].body, elifs[1:], else_)]
        else:
            otherwise = [step for node in else_ for step in self.statement(node)]
        frame.definite = given & frame.definite
        return ["if", condition, then, otherwise]

    def target(self, node: Any) -> list[Any]:
        n = self.nodes
        if isinstance(node, n.Name):
            return ["name", node.name]
        if isinstance(node, n.Tuple) and all(isinstance(i, n.Name) for i in node.items):
            return ["unpack", [i.name for i in node.items]]
        raise Unplanned("a loop target")

    def read(self, name: str) -> None:
        for frame in reversed(self.frames):
            if name in frame.assigned:
                if name not in frame.definite:
                    raise Unplanned(f"{name} read where a set may not have given it")
                return

    def expression(self, node: Any, output: bool = False) -> list[Any]:
        n, kind = self.nodes, type(node).__name__
        if isinstance(node, n.Const) and isinstance(node.value, CONSTANTS):
            return ["const", node.value]
        if isinstance(node, n.Name) and node.ctx == "load":
            self.read(node.name)
            return ["name", node.name]
        if isinstance(node, n.Getattr) and node.ctx == "load":
            return ["attr", self.expression(node.node), node.attr]
        if isinstance(node, n.Getitem) and node.ctx == "load" \
                and not isinstance(node.arg, n.Slice):
            return ["item", self.expression(node.node), self.expression(node.arg)]
        if isinstance(node, (n.Call, n.Filter)) and not (node.dyn_args or node.dyn_kwargs):
            return self.call(node)
        if isinstance(node, n.CondExpr) and (node.expr2 is not None or output):
            # Without an else, jinja2 prints an Undefined: "" (only as a whole output).
            otherwise = None if node.expr2 is None else self.expression(node.expr2)
            return ["cond", self.expression(node.test), self.expression(node.expr1), otherwise]
        if isinstance(node, n.Compare) and all(op.op in COMPARE for op in node.ops):
            return ["compare", self.expression(node.expr),
                    [[op.op, self.expression(op.expr)] for op in node.ops]]
        if kind in ("And", "Or"):
            return [kind.lower(), self.expression(node.left), self.expression(node.right)]
        if kind in BINARY:
            return ["binary", BINARY[kind], self.expression(node.left),
                    self.expression(node.right)]
        if kind in UNARY:
            return ["unary", UNARY[kind], self.expression(node.node)]
        if kind == "Concat":
            return ["concat", [self.expression(part) for part in node.nodes]]
        if kind in ("Tuple", "List") and getattr(node, "ctx", "load") == "load":
            return [kind.lower(), [self.expression(item) for item in node.items]]
        raise Unplanned(kind)

    def call(self, node: Any) -> list[Any]:
        args = [self.expression(a) for a in node.args]
        keywords = [[k.key, self.expression(k.value)] for k in node.kwargs]
        if isinstance(node, self.nodes.Call):
            return ["call", self.expression(node.node), args, keywords]
        if node.node is None or node.name not in self.filters:
            raise Unplanned(f"filter {node.name}")
        return ["filter", node.name, self.expression(node.node), args, keywords]


def plan_of(source: str, env: Any) -> list[Any] | None:
    """The plan of a report template in ``env`` (its options shape the parse), or None."""
    from jinja2 import nodes

    if env.autoescape is not False:
        return None
    try:
        return _Maker(nodes, frozenset(filter_table())).block(env.parse(source).body, ())
    except Unplanned:
        return None


# ---------------------------------------------------------------------------------------
# The kept plan of each shipped template


@cache
def report_plan(fmt: str, template: str) -> Step | None:
    """The compiled plan of a shipped template in format ``fmt``, or None (jinja2 renders)."""
    from importlib.util import find_spec

    from ..base.resources import fingerprint, read_cache, write_cache
    from .environment import finalize_for

    spec = find_spec("jinja2")
    if fmt not in PLANNED_FORMATS or spec is None or spec.origin is None:
        return None
    # jinja2's own __init__ (its release) is in the key: another jinja2 may parse otherwise.
    name = (f"report-plan-{fmt}-"
            f"{fingerprint([TEMPLATES / template, Path(spec.origin)], PLAN_FORMAT)}.marshal")
    kept = read_cache(name)
    if isinstance(kept, dict) and "plan" in kept:
        plan = kept["plan"]
    else:
        from .environment import environment

        source = (TEMPLATES / template).read_text(encoding="utf-8")
        plan = plan_of(source, environment(fmt))
        write_cache(name, {"plan": plan})
    if plan is None:
        return None
    try:
        return compile_plan(plan, finalize_for(fmt))
    except (Unplanned, TypeError, ValueError, LookupError, AttributeError):
        return None  # a damaged kept plan: jinja2 renders


def render_planned(fmt: str, template: str, names: dict[str, Any]) -> str | None:
    """The report a shipped template makes with ``names``, or None where jinja2 must say."""
    step = report_plan(fmt, template)
    if step is None:
        return None
    out: list[str] = []
    try:
        step(dict(names), out)
    except (Unplanned, TypeError, ValueError, LookupError, AttributeError, ArithmeticError,
            RecursionError):
        return None
    return "".join(out)
