"""Text from captures and file names, made safe for each output.

A capture is untrusted input: a control character in it (C1 `\\x9b` is a terminal's CSI) could
drive the terminal that shows the report, a bidi override (U+202E) could make a quoted line
read differently from what the switch printed, and `<img onerror=...>` or a backtick could
escape a Markdown report. Every format shows such characters visibly (`\\x9b`, `<U+202E>`)
and escapes what its own syntax gives meaning to.
"""

from __future__ import annotations

import re

# What a terminal or a renderer would act on rather than show: C0 controls but tab and
# newline, DEL, C1 controls, bidi embeddings/overrides/isolates and marks, zero-width and
# invisible characters, BOM, line/paragraph separators, lone surrogates (a name no encoding
# can write).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb]")
_INVISIBLE_LINE = re.compile(_INVISIBLE.pattern[:-1] + "\n]")


def _show(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def visible(text: object) -> str:
    """The text with every invisible or terminal-driving character shown as an escape
    (newlines kept: reports wrap long sentences)."""
    value = str(text)
    return _INVISIBLE.sub(_show, value) if _INVISIBLE.search(value) else value


def visible_line(text: object) -> str:
    """Like :func:`visible`, for text that must stay on one line (a file name in a message)."""
    value = str(text)
    return _INVISIBLE_LINE.sub(_show, value) if _INVISIBLE_LINE.search(value) else value


def json_safe(data: str) -> str:
    """A JSON document whose strings show the invisible characters as \\u escapes (still the
    same JSON values, but no raw C1 or bidi control reaches a terminal or an editor)."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", data)


class Safe(str):
    """Text already escaped for the format it is written into."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~&])")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_text(text: object) -> Safe:
    """Text for a Markdown paragraph or table cell: no HTML, no emphasis, no links, no code,
    no table column break; what it says stays what it shows."""
    if isinstance(text, Safe):
        return text
    value = visible(text).replace("\r", " ").replace("\n", " ")
    return Safe(_MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(1), "\\" + m.group(1)),
                                value))


def md_code(text: object) -> Safe:
    """An inline code span that no backtick in the text can close early."""
    value = visible(text).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return Safe(f"{fence}{pad}{value}{pad}{fence}")


_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_.:-]{0,40}>")


def prose_parts(text: str) -> list[tuple[str, str]]:
    """A sentence as prose and commands (`...`), every character kept (for inline code)."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: no command to mark
        return [("text", text)]
    return [("cli" if n % 2 else "text", piece) for n, piece in enumerate(pieces) if piece]


def md_prose(text: object) -> Safe:
    """A sentence for Markdown whose commands (`...`) and placeholders (<TOKEN>) are code
    spans: every renderer shows them as written (a bare <TOKEN> reads as an HTML tag)."""
    out = []
    for kind, piece in prose_parts(str(text)):
        if kind == "cli":
            out.append(md_code(piece))
            continue
        last = 0
        for m in _PLACEHOLDER.finditer(piece):
            out.append(md_text(piece[last:m.start()]))
            out.append(md_code(m.group(0)))
            last = m.end()
        out.append(md_text(piece[last:]))
    return Safe("".join(out))


def md_fence(lines: list[str]) -> tuple[str, str]:
    """The opening and closing fences of a code block holding these lines."""
    longest = max((len(run) for line in lines for run in re.findall(r"`{3,}|~{3,}", line)),
                  default=0)
    fence = "`" * max(3, longest + 1)
    return fence, fence


def display_name(name: str) -> str:
    """A file name as reports and messages show it: bytes that are not UTF-8 (a name read
    with Python's surrogate escapes) as \\xNN, invisible characters escaped."""
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        name = _ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xdc00:02x}", name)
    return visible_line(name)


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


QUOTE_LIMIT = 1000  # characters of one line a report quotes


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A quoted line, cut when it is longer than any device prints (a report must not carry a
    16 MB line, nor let one hide the rest)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... (cut: longer than {limit} characters)"


def html_text(text: object) -> str:
    """Text for HTML (an element's content or a quoted attribute): markup escaped, invisible
    characters shown."""
    from markupsafe import escape

    return str(escape(visible(text)))
