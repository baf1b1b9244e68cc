"""The one road out: every string sldiag writes anywhere reaches it through :func:`show`.

What a capture holds was sanitised when it was read (sanitizing/, the same sanitiser for
analyses, bundles, collected captures and `parse`); on the way out each string is escaped for
its destination, since a capture is untrusted input: a control character could drive the
terminal that shows the report, a bidi override could make a quoted line read differently,
`<img onerror=...>` or a `|` could escape a Markdown table, a raw C1 byte could end up in a
JSON string an editor renders.

``show`` returns :class:`Shown`, a string no other code can make (its constructor checks a
token only this module holds; any string operation on it gives back a plain ``str``). The
sinks, standard output, stderr lines, report files, bundle members, collected captures and
collection.log, accept a ``Shown`` and nothing else, so a string that skipped the road cannot
be written: tests/test_road.py checks both the sinks and the escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..base import textsafe
from ..base.files import replace_atomically, write_atomically
from ..reading.lines import Blanks

_TOKEN = object()


class Shown(str):
    """Text escaped for one destination by :func:`show` (or a whole document assembled by a
    renderer from such text)."""

    destination: str

    def __new__(cls, text: str, destination: str, token: object = None) -> Shown:
        if token is not _TOKEN:
            raise TypeError("Shown text is made by render.road.show() only")
        made = super().__new__(cls, text)
        made.destination = destination
        return made

    def __reduce__(self) -> Any:  # pickled as what it is: plain text
        return (str, (str(self),))


def _md_verbatim(value: str) -> str:
    return textsafe.visible(value)


def _label_value(value: str) -> str:
    """An OpenMetrics label value: controls shown, then backslash, quote and newline escaped."""
    shown = textsafe.visible(value)
    return shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _json_string(value: str) -> str:
    import json  # here: a text report needs no JSON

    return textsafe.json_safe(json.dumps(value, ensure_ascii=False))


# How each destination escapes a string. "text": a terminal or a text file (controls shown);
# "line": one line of stderr or collection.log (newlines shown too, a file name's bytes that are
# not UTF-8 as \\xNN); "md": Markdown text or a
# table cell; "md-code": a code span; "md-verbatim": a line inside a code block; "md-prose":
# a sentence whose `commands` and <PLACEHOLDERS> become code spans; "html": HTML text or an
# attribute; "json": a JSON string literal; "capture": a line of a capture file (sanitised
# already; controls are kept as the device printed them, but never a line break);
# "openmetrics": a label value of the OpenMetrics text format.
ESCAPES: dict[str, Callable[[str], str]] = {
    "text": textsafe.visible,
    "line": textsafe.display_name,
    "md": lambda v: str(textsafe.md_text(v)),
    "md-code": lambda v: str(textsafe.md_code(v)),
    "md-verbatim": _md_verbatim,
    "md-prose": lambda v: str(textsafe.md_prose(v)),
    "html": textsafe.html_text,
    "json": _json_string,
    "capture": lambda v: v.replace("\r", "").replace("\n", " "),
    "openmetrics": lambda v: _label_value(v),
}


def show(value: object, destination: str) -> Shown:
    """``value`` as it may be written to ``destination`` (one of ESCAPES)."""
    if isinstance(value, Shown):
        if value.destination == destination:
            return value
        value = str(value)
    escape = ESCAPES[destination]
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    return Shown(escape(value), destination, _TOKEN)


def assemble(parts: Iterable[str], destination: str) -> Shown:
    """A document made of parts that are each Shown for ``destination``, or sldiag's own
    literal text (templates' markup, labels): the renderers' way to join what they wrote.
    A part that is device text must be Shown already; literal parts are the renderer's
    responsibility, which is why only the modules in render/ call this."""
    return Shown("".join(parts), destination, _TOKEN)


def require(text: object, where: str) -> str:
    """What a sink does first: refuse anything that did not come by the road."""
    if not isinstance(text, Shown):
        raise TypeError(f"{where}: only text made by render.road.show() may be written "
                        f"(got {type(text).__name__})")
    return str(text)


class ShownLines:
    """The lines of a capture file on their way out (a bundle member, a collected capture):
    sanitised by the caller's sanitiser, and here made lines (no CR, no line break inside).
    Made by :func:`show_lines` only; the capture writers accept nothing else."""

    def __init__(self, lines: Iterable[str | Blanks], token: object = None) -> None:
        if token is not _TOKEN:
            raise TypeError("ShownLines are made by render.road.show_lines() only")
        self._lines = lines

    def __iter__(self) -> Iterator[str]:
        for line in self.runs():
            if isinstance(line, Blanks):
                yield from [""] * line
            else:
                yield line

    def runs(self) -> Iterator[str | Blanks]:
        """The lines, a run of empty ones as one :class:`Blanks` (for writers that write a
        run at once)."""
        for line in self._lines:
            if isinstance(line, Blanks):
                yield line
                continue
            if "\r" in line or "\n" in line:
                line = line.replace("\r", "").replace("\n", " ")
            yield line


def show_lines(lines: Iterable[str | Blanks]) -> ShownLines:
    """Sanitised capture lines, for a capture file."""
    return ShownLines(lines, _TOKEN)


def require_lines(lines: object, where: str) -> ShownLines:
    if not isinstance(lines, ShownLines):
        raise TypeError(f"{where}: only lines made by render.road.show_lines() may be written "
                        f"(got {type(lines).__name__})")
    return lines


def write_text(path: Path, text: Shown, mode: int | None = None) -> None:
    """A report or log file, written atomically: road text only."""
    write_atomically(path, require(text, str(path)), mode)


def write_lines(path: Path, lines: ShownLines, mode: int | None = None) -> None:
    """A capture file, written atomically: road lines only."""
    with replace_atomically(path, mode) as fh:
        for line in require_lines(lines, str(path)).runs():
            fh.write(b"\n" * line if isinstance(line, Blanks) else line.encode("utf-8") + b"\n")
