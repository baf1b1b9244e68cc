"""Rule texts as plans: what jinja2 parsed from a text, kept as data that runs without jinja2.

A rule text is a small sandboxed jinja2 template (see messages.py). Importing jinja2 and
loading its compiled templates is a fifth of a small analysis, for texts that only print a
fact or choose between two sentences. So when the rules are checked, jinja2's own parse of
each text is turned into a plan (nested lists, kept with the validated rules in the cache)
for the constructs rule texts use: text, ``{{ ... }}``, ``{% if/elif/else %}``, the names a
rule text is given (``fact``, ``device``, ...), constants, comparisons, ``not/and/or``, the
``upper``, ``lower`` and ``replace`` filters and a few pure string methods. A text with
anything else has no plan and is rendered by jinja2, as is a plan that meets a value it was
not made for (``Unplanned``). Both give the same text: ``tests/test_textplans.py`` renders
every shipped text both ways over the facts of every sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# Bumped when a plan's shape or meaning changes: kept plans of another format are not used.
PLAN_FORMAT = "1"
# The names a rule text is given (messages.render_text); any other name is left to jinja2.
NAMES = frozenset({"hostname", "fact", "device", "days_left", "days_since", "clock_source",
                   "reads"})
# String methods a plan may call: pure, and what the sandbox allows on a str.
STR_METHODS = frozenset({"upper", "lower", "strip", "startswith", "endswith", "title",
                         "capitalize", "replace"})
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "in": lambda a, b: a in b, "notin": lambda a, b: a not in b,
}
_CONSTANTS = (str, int, float, bool, type(None))
_MAX_DEPTH = 50  # a kept plan nested deeper than any text is damaged


class Unplanned(Exception):
    """The plan cannot say what jinja2 would: render the text with jinja2."""


# ---------------------------------------------------------------------------------------
# Making a plan (jinja2 is imported: only when the rules are checked, not in an ordinary run)


def plan_of(text: str) -> list[Any] | None:
    """The plan of a rule text, or None when it uses what plans do not cover."""
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

    # The same options as the environment that renders rule texts (messages._sandbox).
    tree = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False).parse(text)
    try:
        return _body(tree.body, nodes)
    except Unplanned:
        return None


def _body(statements: list[Any], nodes: Any) -> list[Any]:
    plan: list[Any] = []
    for node in statements:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    plan.append(child.data)
                else:
                    plan.append(["=", _expression(child, nodes)])
        elif isinstance(node, nodes.If):
            otherwise = _body(node.else_, nodes)
            for branch in reversed(node.elif_):  # elif as an if inside the else
                otherwise = [["if", _expression(branch.test, nodes),
                              _body(branch.body, nodes), otherwise]]
            plan.append(["if", _expression(node.test, nodes), _body(node.body, nodes),
                         otherwise])
        else:
            raise Unplanned(type(node).__name__)
    return plan


def _expression(node: Any, nodes: Any) -> list[Any]:
    if isinstance(node, nodes.Const) and isinstance(node.value, _CONSTANTS):
        return ["const", node.value]
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in NAMES:
        return ["name", node.name]
    if isinstance(node, nodes.Call) and not (node.kwargs or node.dyn_args or node.dyn_kwargs):
        return ["call", _callee(node.node, nodes), [_expression(a, nodes) for a in node.args]]
    if isinstance(node, nodes.Filter) and node.node is not None and not (
            node.kwargs or node.dyn_args or node.dyn_kwargs):
        arity = {"upper": 0, "lower": 0, "replace": 2}.get(node.name)
        if arity == len(node.args):
            return ["filter", node.name, _expression(node.node, nodes),
                    [_expression(a, nodes) for a in node.args]]
    if isinstance(node, nodes.Compare) and all(op.op in _COMPARE for op in node.ops):
        return ["compare", _expression(node.expr, nodes),
                [[op.op, _expression(op.expr, nodes)] for op in node.ops]]
    if isinstance(node, nodes.Not):
        return ["not", _expression(node.node, nodes)]
    if isinstance(node, (nodes.And, nodes.Or)):
        return ["and" if isinstance(node, nodes.And) else "or",
                _expression(node.left, nodes), _expression(node.right, nodes)]
    raise Unplanned(type(node).__name__)


def _callee(node: Any, nodes: Any) -> list[Any]:
    if isinstance(node, nodes.Getattr) and node.ctx == "load" and node.attr in STR_METHODS:
        return ["method", _expression(node.node, nodes), node.attr]
    return _expression(node, nodes)


# ---------------------------------------------------------------------------------------
# Running a plan (no jinja2)


def render_plan(plan: Any, names: Mapping[str, Any]) -> str:
    """The text a plan makes with these names, as jinja2 renders its text; Unplanned where
    the plan (damaged, or a value of another type) cannot say."""
    out: list[str] = []
    try:
        _run(plan, names, out, 0)
    except Unplanned:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as exc:
        raise Unplanned(str(exc)) from None
    return "".join(out)


def _run(plan: Any, names: Mapping[str, Any], out: list[str], depth: int) -> None:
    if not isinstance(plan, list) or depth > _MAX_DEPTH:
        raise Unplanned("not a plan")
    for step in plan:
        if isinstance(step, str):
            out.append(step)
        elif step[0] == "=":
            out.append(str(_value(step[1], names, depth + 1)))
        elif step[0] == "if":
            _, test, then, otherwise = step
            _run(then if _value(test, names, depth + 1) else otherwise, names, out, depth + 1)
        else:
            raise Unplanned("not a step")


def _value(node: Any, names: Mapping[str, Any], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise Unplanned("nested too deep")
    kind = node[0]
    if kind == "const":
        if not isinstance(node[1], _CONSTANTS):
            raise Unplanned("not a constant")
        return node[1]
    if kind == "name":
        if node[1] not in NAMES:
            raise Unplanned("not a rule text's name")
        return names[node[1]]
    if kind == "call":
        function = _function(node[1], names, depth + 1)
        return function(*[_value(arg, names, depth + 1) for arg in node[2]])
    if kind == "filter":
        return _filter(node[1], _value(node[2], names, depth + 1),
                       [_value(arg, names, depth + 1) for arg in node[3]])
    if kind == "compare":
        left = _value(node[1], names, depth + 1)
        for op, right_node in node[2]:  # chained like Python's (and jinja2's) comparisons
            right = _value(right_node, names, depth + 1)
            if not _COMPARE[op](left, right):
                return False
            left = right
        return True
    if kind == "not":
        return not _value(node[1], names, depth + 1)
    if kind == "and":
        return _value(node[1], names, depth + 1) and _value(node[2], names, depth + 1)
    if kind == "or":
        return _value(node[1], names, depth + 1) or _value(node[2], names, depth + 1)
    raise Unplanned("not an expression")


def _function(node: Any, names: Mapping[str, Any], depth: int) -> Callable[..., Any]:
    if node[0] == "method":
        target = _value(node[1], names, depth + 1)
        if not isinstance(target, str) or node[2] not in STR_METHODS:
            raise Unplanned("a method of something other than text")
        return getattr(target, node[2])
    function = _value(node, names, depth)
    if not callable(function):
        raise Unplanned("not callable")
    return function


def _filter(name: str, value: Any, args: list[Any]) -> str:
    # As jinja2's filters do without autoescaping (do_upper, do_lower, do_replace).
    if name == "upper" and not args:
        return str(value).upper()
    if name == "lower" and not args:
        return str(value).lower()
    if name == "replace" and len(args) == 2:
        return str(value).replace(str(args[0]), str(args[1]), -1)
    raise Unplanned(f"filter {name}")
