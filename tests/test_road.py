"""One road out: every string sldiag writes reaches its destination through
render.road.show(), and the sinks refuse anything else (issue "One way through the house")."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from sldiag.analysis.run import analyse_capture
from sldiag.bundle.archive import Bundle
from sldiag.reading.lines import clean_text
from sldiag.render.formats import FORMATS, render
from sldiag.render.road import (
    ESCAPES,
    Shown,
    ShownLines,
    assemble,
    require,
    show,
    show_lines,
    write_lines,
    write_text,
)

from .conftest import ROOT, SAMPLES

SLDIAG = ROOT / "sldiag"
# The only places that may write to a stream or a file, each for the reason given.
WRITERS = {
    "sldiag/render/road.py": "the sinks of report, log and capture files",
    "sldiag/cli/common.py": "the sinks of stdout and stderr",
    "sldiag/bundle/archive.py": "the zip and the spool of a bundle's large members",
    "sldiag/base/files.py": "atomic writing (called by the sinks)",
    "sldiag/base/resources.py": "the private cache of parsed data",
    "sldiag/reading/inputs.py": "standard input copied once to a private file (input)",
    "sldiag/cli/collect.py": "the collection table (rich), each cell text from the road",
}


def test_shown_text_is_made_by_the_road_only():
    with pytest.raises(TypeError):
        Shown("<b>x</b>", "html")
    with pytest.raises(TypeError):
        ShownLines(["password 0 x"])
    made = show("<b>x</b>", "html")
    assert isinstance(made, Shown) and made == "&lt;b&gt;x&lt;/b&gt;"
    # Any string operation gives back plain text, which no sink takes.
    assert type(made + "") is str and type(made.upper()) is str and type(made[1:]) is str


def test_every_sink_refuses_text_that_skipped_the_road(tmp_path):
    from sldiag.cli.common import emit

    for sink in (lambda t: require(t, "x"), lambda t: emit(t, None),
                 lambda t: write_text(tmp_path / "r.txt", t),
                 lambda t: Bundle().add("report.md", t)):
        with pytest.raises(TypeError, match="render.road.show"):
            sink("plain text")
    with pytest.raises(TypeError, match="show_lines"):
        write_lines(tmp_path / "c.log", ["a line"])
    with pytest.raises(TypeError, match="show_lines"):
        Bundle().add_lines("captures/c.log", ["a line"])
    assert not (tmp_path / "r.txt").exists() and not (tmp_path / "c.log").exists()
    write_lines(tmp_path / "c.log", show_lines(["a\rb", "c\nd"]))
    assert (tmp_path / "c.log").read_text() == "ab\nc d\n"


def _writes(tree: ast.AST) -> list[int]:
    """Lines that write to a stream or a file: print, click.echo, sys.std*.write, open() for
    writing, Path.write_text/write_bytes, write_atomically/replace_atomically."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        method = isinstance(func, ast.Attribute)
        if name in {"print", "echo", "write_atomically", "replace_atomically", "writestr"} or \
                (method and name in {"write_text", "write_bytes"}) or name == "write" and isinstance(func, ast.Attribute) and \
                "std" in ast.unparse(func.value) or name == "open" and any(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                    and set(a.value) & set("wax") for a in node.args[1:2]):
            found.append(node.lineno)
    return found


def test_no_module_writes_but_the_sinks():
    """Make the other roads impossible, not discouraged: a write anywhere else fails here."""
    offenders = []
    for path in sorted(SLDIAG.rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if relative in WRITERS or relative.startswith("sldiag/collecting/"):
            continue
        lines = _writes(ast.parse(path.read_text()))
        offenders += [f"{relative}:{n}" for n in lines]
    assert offenders == []
    # Collection writes its captures and log through the road's sinks too.
    for path in sorted((SLDIAG / "collecting").rglob("*.py")):
        assert _writes(ast.parse(path.read_text())) == [], path


HOSTILE = ["<img src=x onerror=alert(7)>", "a|b|c", "`code`", "\x1b[31mred\x1b[0m",
           "\u202eevil", "*bold* _em_ [l](x)", "\x9b2J", "line\nbreak"]


@pytest.mark.parametrize("destination", sorted(ESCAPES))
def test_each_destination_escapes_what_its_syntax_gives_meaning_to(destination):
    for text in HOSTILE:
        shown = str(show(text, destination))
        assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown \
            or destination == "capture", (destination, shown)
        if destination == "html":
            assert "<img" not in shown
        if destination in ("md", "md-prose"):
            assert "<img" not in shown and "|" not in shown.replace("\\|", "")
        if destination == "json":
            assert json.loads(shown) == text
        if destination in ("line", "capture"):
            assert "\n" not in shown


def test_a_hostile_device_name_is_escaped_in_every_format(knowledge):
    name = "a|<img src=x onerror=alert(7)>|`b`\x1b[2J\u202e.log"
    text = (SAMPLES / "08-out-of-compliance.session.log").read_text()
    results = analyse_capture(clean_text(name, text), knowledge)
    for fmt in FORMATS:
        out = str(render(results, fmt))
        assert "\x1b" not in out and "\u202e" not in out, fmt
        if fmt == "html":
            assert "<img src=x" not in out, fmt
        if fmt == "md":  # inside a code span a tag is text; outside, it must be escaped
            assert "<img src=x" not in _outside_code(out), fmt
        if fmt == "md":
            # No table row gains a cell from a name: every row of a table has its columns.
            for table in _tables(out):
                assert len({_cells(row) for row in table}) == 1, table


def _outside_code(markdown: str) -> str:
    """The Markdown less its code spans and fenced blocks (where nothing is markup)."""
    import re

    markdown = re.sub(r"(?ms)^(`{3,}|~{3,}).*?^\1", "", markdown)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", markdown)


def _tables(markdown: str) -> list[list[str]]:
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _cells(row: str) -> int:
    """Cells of a GFM table row: pipes not escaped, code spans do not protect them."""
    return row.replace("\\|", "").count("|")


def test_assemble_is_only_used_by_renderers():
    users = []
    for path in sorted(SLDIAG.rglob("*.py")):
        if "assemble(" in path.read_text() and "def assemble(" not in path.read_text():
            users.append(str(path.relative_to(SLDIAG).parent))
    assert set(users) <= {"render", "collecting"}, users


def test_unknown_lines_are_quoted_withheld(knowledge):
    text = ("SW1#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: REGISTERED\n  Frobnication Token: sekrit-4711\n"
            "  hunter2-in-a-form-no-rule-knows\n\nLicense Authorization:\n"
            "  Status: AUTHORIZED on Feb 02 07:15:44 2020 UTC\nSW1#\n")
    (result,) = analyse_capture(clean_text("c.txt", text), knowledge)
    for fmt in FORMATS:
        out = str(render([result], fmt, verbose=True))
        assert "sekrit" not in out and "hunter2" not in out, fmt
    assert {g.line for g in result.gaps} == {6, 7}
    assert all("withheld" in g.text for g in result.gaps)


def test_sink_lists_are_real_modules():
    for relative in WRITERS:
        assert Path(ROOT / relative).is_file(), relative
    assert assemble(["x"], "text") == "x"
