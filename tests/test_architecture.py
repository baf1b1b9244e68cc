"""The house as docs/architecture.md draws it: packages that import only those before them,
no import cycle, modules and functions of a readable size, platforms named by every command."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from .conftest import ROOT

SLDIAG = ROOT / "sldiag"
# Each package may import the ones before it (and itself), never one after it.
LAYERS = ["base", "model", "reading", "sanitizing", "parsing", "diagnosing", "analysis",
          "render", "bundle", "collecting", "attach", "cli"]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every sldiag module a file imports, at the top or inside a function."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if not target.startswith("sldiag"):
            continue
        for alias in node.names:
            candidate = f"{target}.{alias.name}"
            as_file = ROOT / (candidate.replace(".", "/") + ".py")
            as_package = ROOT / candidate.replace(".", "/") / "__init__.py"
            found.add(candidate if as_file.exists() or as_package.exists() else target)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in SLDIAG.rglob("*.py")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_packages_import_only_those_before_them():
    wrong = []
    for module, targets in _graph().items():
        mine = _layer(module)
        for target in targets:
            theirs = _layer(target)
            if mine and theirs and LAYERS.index(theirs) > LAYERS.index(mine):
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif not state.get(nxt):
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if not state.get(node):
            visit(node, [node])
    assert cycles == []


def test_modules_and_functions_stay_readable():
    too_long = []
    for path in sorted(SLDIAG.rglob("*.py")):
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}: {node.name} {length} lines")
    assert too_long == []


def test_every_command_names_its_platforms():
    index = yaml.safe_load((ROOT / "parsers" / "index.yaml").read_text())
    platforms = yaml.safe_load((ROOT / "parsers" / "platforms.yaml").read_text())["platforms"]
    for entry in index["commands"]:
        assert entry.get("platforms"), entry["command"]
        assert set(entry["platforms"]) <= set(platforms), entry["command"]
    plan = yaml.safe_load((ROOT / "parsers" / "collection.yaml").read_text())
    assert plan["platforms"] and set(plan["platforms"]) <= set(platforms)


def test_the_layers_named_are_the_packages_there_are():
    packages = {p.name for p in SLDIAG.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(LAYERS) - {"attach"}
