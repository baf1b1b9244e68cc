"""Every example output of the README is what sldiag prints: each ```console block's
`$ sldiag ...` command is run (at 100 columns) and its output compared, line by line. A line
"..." stands for any number of lines; a line ending in "..." for any line starting so."""

from __future__ import annotations

import os
import re
import shlex

import pytest

from .conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in re.finditer(r"^( *)```console\n(.*?)^\1```$", README, re.M | re.S):
        indent = len(block.group(1))
        lines = [line[indent:] for line in block.group(2).splitlines()]
        command, expected = None, []
        for line in lines:
            if line.startswith("$ "):
                if command:
                    found.append((command, expected))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command:
            found.append((command, expected))
    return found


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` against ``actual`` with the README's elisions."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(_matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0].rstrip()
    ok = line.startswith(head[:-3]) if head.endswith("...") else line == head.rstrip()
    return ok and _matches(rest, actual[1:])


def test_the_readme_has_examples():
    commands = [command for command, _ in _examples()]
    assert any(c.startswith("sldiag analyze") for c in commands)
    assert any(c.startswith("sldiag diff") for c in commands)
    assert any(c.startswith("sldiag fix") for c in commands)


@pytest.mark.parametrize("command, expected", _examples(), ids=lambda v: str(v)[:60])
def test_an_example_prints_what_the_readme_shows(command, expected):
    argv = shlex.split(command)
    assert argv[0] == "sldiag"
    proc = run_cli(*argv[1:], env={**os.environ, "COLUMNS": "100"})
    actual = proc.stdout.decode().splitlines()
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    assert _matches(expected, actual), "\n".join(actual[:40])
