"""Running a report plan (reportplans.py): the plan compiled once per process into closures,
with jinja2's semantics for what plans hold: ``environment.getattr``/``getitem``, the filters
the shipped templates use as jinja2 3.1 writes them without autoescaping, ``str(finalize(v))``
for every ``{{ }}``, a ``for`` body's own names. Where jinja2 would make an Undefined, a plan
stops (``Unplanned``) and jinja2 renders the report."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

Scope = dict[str, Any]
Value = Callable[[Scope], Any]
Step = Callable[[Scope, list[str]], None]

CONSTANTS = (str, int, float, bool, type(None))
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge,
    "lt": operator.lt, "lteq": operator.le, "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
# jinja2's arithmetic nodes and the operator module's function for each.
BINARY = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "truediv",
          "FloorDiv": "floordiv", "Mod": "mod"}
UNARY = {"Neg": "neg", "Pos": "pos", "Not": "not_"}


class Unplanned(Exception):
    """The plan cannot say what jinja2 would: jinja2 renders the report."""


def compile_plan(plan: Any, finalize: Callable[[Any], Any]) -> Step:
    """A step that writes the report to ``out``; Unplanned for a damaged plan."""
    return _Compiler(finalize, filter_table()).block(plan)


class _Compiler:
    def __init__(self, finalize: Callable[[Any], Any],
                 filters: dict[str, Callable[..., Any]]) -> None:
        self.finalize = finalize
        self.filters = filters

    def block(self, plan: Any) -> Step:
        if not isinstance(plan, list):
            raise Unplanned("not a plan")
        steps = [self.step(s) for s in plan]

        def run(scope: Scope, out: list[str]) -> None:
            for step in steps:
                step(scope, out)
        return run

    def step(self, node: Any) -> Step:
        if isinstance(node, str):
            return lambda scope, out: out.append(node)
        kind = node[0]
        if kind == "=":
            return self.output(self.value(node[1]))
        if kind == "if":
            test, then, otherwise = self.value(node[1]), self.block(node[2]), self.block(node[3])
            return lambda scope, out: (then if test(scope) else otherwise)(scope, out)
        if kind == "set":
            name, value = _text(node[1]), self.value(node[2])
            return lambda scope, out: scope.__setitem__(name, value(scope))
        if kind == "for":
            return _loop(node[1], self.value(node[2]), self.block(node[3]))
        raise Unplanned("not a step")

    def output(self, value: Value) -> Step:
        finalize = self.finalize
        return lambda scope, out: out.append(str(finalize(value(scope))))

    def value(self, node: Any) -> Value:
        kind = node[0]
        if kind == "const":
            constant = node[1]
            if not isinstance(constant, CONSTANTS):
                raise Unplanned("not a constant")
            return lambda scope: constant
        if kind == "name":
            return _name(_text(node[1]))
        if kind == "attr":
            target, attribute = self.value(node[1]), _text(node[2])
            return lambda scope: getattr_(target(scope), attribute)
        if kind == "item":
            target, key = self.value(node[1]), self.value(node[2])
            return lambda scope: getitem(target(scope), key(scope))
        if kind in ("call", "filter"):
            return self.call(node)
        if kind == "cond":
            test, then = self.value(node[1]), self.value(node[2])
            otherwise = (lambda scope: "") if node[3] is None else self.value(node[3])
            return lambda scope: then(scope) if test(scope) else otherwise(scope)
        if kind == "compare":
            return _chain(self.value(node[1]),
                          [(COMPARE[op], self.value(right)) for op, right in node[2]])
        return self.operation(node)

    def operation(self, node: Any) -> Value:
        kind = node[0]
        if kind in ("and", "or"):
            left, right = self.value(node[1]), self.value(node[2])
            if kind == "and":
                return lambda scope: left(scope) and right(scope)
            return lambda scope: left(scope) or right(scope)
        if kind == "binary" and node[1] in BINARY.values():
            function, left, right = getattr(operator, node[1]), self.value(node[2]), \
                self.value(node[3])
            return lambda scope: function(left(scope), right(scope))
        if kind == "unary" and node[1] in UNARY.values():
            unary, operand = getattr(operator, node[1]), self.value(node[2])
            return lambda scope: unary(operand(scope))
        if kind in ("concat", "tuple", "list"):
            parts = [self.value(part) for part in node[1]]
            if kind == "concat":  # jinja2's str_join
                return lambda scope: "".join([str(part(scope)) for part in parts])
            made = tuple if kind == "tuple" else list
            return lambda scope: made([part(scope) for part in parts])
        raise Unplanned("not an expression")

    def call(self, node: Any) -> Value:
        args = [self.value(a) for a in node[-2]]
        keywords = [(_text(k), self.value(v)) for k, v in node[-1]]
        if node[0] == "filter":
            function = self.filters.get(node[1])
            if function is None:
                raise Unplanned(f"filter {node[1]}")
            subject = self.value(node[2])
            return lambda scope: function(subject(scope), *[a(scope) for a in args],
                                          **{k: v(scope) for k, v in keywords})
        callee = self.value(node[1])

        def call(scope: Scope) -> Any:
            function = callee(scope)
            if getattr(function, "jinja_pass_arg", None) is not None:
                raise Unplanned("a function that wants jinja2's context")
            try:
                return function(*[a(scope) for a in args], **{k: v(scope) for k, v in keywords})
            except StopIteration:  # jinja2 makes an Undefined of it
                raise Unplanned("StopIteration") from None
        return call


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Unplanned("not a name")
    return value


def _name(name: str) -> Value:
    def get(scope: Scope) -> Any:
        try:
            return scope[name]
        except KeyError:  # jinja2 would give an Undefined
            raise Unplanned(name) from None
    return get


def _chain(left: Value, rights: list[tuple[Callable[[Any, Any], Any], Value]]) -> Value:
    def compare(scope: Scope) -> Any:  # chained as Python's (and jinja2's) comparisons
        value = left(scope)
        for op, right in rights:
            other = right(scope)
            if not op(value, other):
                return False
            value = other
        return True
    return compare


class _Loop:
    """What a plan's ``loop`` offers of jinja2's LoopContext (anything else: Unplanned)."""

    __slots__ = ("index0", "length")

    def __init__(self, index0: int, length: int) -> None:
        self.index0 = index0
        self.length = length

    index = property(lambda self: self.index0 + 1)
    first = property(lambda self: self.index0 == 0)
    last = property(lambda self: self.index0 == self.length - 1)
    revindex = property(lambda self: self.length - self.index0)
    revindex0 = property(lambda self: self.length - self.index0 - 1)


def _loop(target: Any, iterable: Value, body: Step) -> Step:
    if target[0] == "name":
        names = [_text(target[1])]
    elif target[0] == "unpack":
        names = [_text(name) for name in target[1]]
    else:
        raise Unplanned("a loop target")
    unpack = target[0] == "unpack"

    def run(scope: Scope, out: list[str]) -> None:
        items = list(iterable(scope))
        for index, item in enumerate(items):
            inner = dict(scope)  # what the body sets stays in the body
            values = tuple(item) if unpack else (item,)
            if len(values) != len(names):
                raise Unplanned("unpacking")
            inner.update(zip(names, values, strict=True))
            inner["loop"] = _Loop(index, len(items))
            body(inner, out)
    return run


# jinja2's lookups and filters, as jinja2 3.1 does them without autoescaping


def getattr_(obj: Any, attribute: str) -> Any:
    """environment.getattr: the attribute, else the item, else (Undefined) Unplanned."""
    try:
        return getattr(obj, attribute)
    except AttributeError:
        pass
    try:
        return obj[attribute]
    except (TypeError, LookupError, AttributeError):
        raise Unplanned(f"no {attribute}") from None


def getitem(obj: Any, key: Any) -> Any:
    """environment.getitem: the item, else a text key's attribute, else Unplanned."""
    try:
        return obj[key]
    except (AttributeError, TypeError, LookupError):
        if isinstance(key, str):
            try:
                return getattr(obj, key)
            except AttributeError:
                pass
        raise Unplanned(f"no {key!r}") from None


def _soft_str(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _attrgetter(attribute: Any) -> Callable[[Any], Any]:
    if attribute is None:
        parts: list[Any] = []
    elif isinstance(attribute, str):
        parts = [int(p) if p.isdigit() else p for p in attribute.split(".")]
    else:
        parts = [attribute]

    def get(item: Any) -> Any:
        for part in parts:
            item = getitem(item, part)
        return item
    return get


def _trim(value: Any, chars: str | None = None) -> str:
    return _soft_str(value).strip(chars)


def _wordwrap(s: str, width: int = 79, break_long_words: bool = True,
              wrapstring: str | None = None, break_on_hyphens: bool = True) -> str:
    import textwrap

    wrapstring = "\n" if wrapstring is None else wrapstring
    return wrapstring.join(
        wrapstring.join(textwrap.wrap(line, width=width, expand_tabs=False,
                                      replace_whitespace=False,
                                      break_long_words=break_long_words,
                                      break_on_hyphens=break_on_hyphens))
        for line in s.splitlines())


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    if hasattr(s, "__html__"):
        raise Unplanned("Markup")
    indention = width if isinstance(width, str) else " " * width
    s += "\n"  # jinja2's own quirk, for splitlines
    if blank:
        rv = ("\n" + indention).join(s.splitlines())
    else:
        lines = s.splitlines()
        rv = lines.pop(0)
        if lines:
            rv += "\n" + "\n".join(indention + line if line else line for line in lines)
    return indention + rv if first else rv


def _join(value: Any, d: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        value = map(_attrgetter(attribute), value)
    return str(d).join(map(str, value))


def _map(value: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
    if value:
        if not args and "attribute" in kwargs and len(kwargs) == 1:
            function = _attrgetter(kwargs["attribute"])
        elif args and args[0] in filter_table():
            named, rest = filter_table()[args[0]], args[1:]

            def function(item: Any) -> Any:
                return named(item, *rest, **kwargs)
        else:
            raise Unplanned("map")
        for item in value:
            yield function(item)


def _selectattr(value: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
    if value:
        if len(args) != 1 or kwargs:
            raise Unplanned("selectattr with a test")
        get = _attrgetter(args[0])
        for item in value:
            if get(item):
                yield item


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise Unplanned("format")
    return _soft_str(value) % (kwargs or args)


@cache
def filter_table() -> dict[str, Callable[..., Any]]:
    """The filters a plan may use: jinja2's that the shipped templates use, and sldiag's."""
    from .environment import sldiag_filters

    return {"length": len, "count": len, "list": list,
            "upper": lambda s: _soft_str(s).upper(), "lower": lambda s: _soft_str(s).lower(),
            "capitalize": lambda s: _soft_str(s).capitalize(), "trim": _trim,
            "wordwrap": _wordwrap, "indent": _indent, "join": _join, "map": _map,
            "selectattr": _selectattr, "format": _format, **sldiag_filters()}
