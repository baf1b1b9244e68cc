"""Markers: the lines that start a command's output in a capture.

  * show-tech delimiters  ``------------------ show license all ------------------``
  * prompts of a terminal session  ``SW-ACC-12#sh lic all`` (the hostname splits devices)

The prompt's shape comes from the platforms' prompt styles (parsers/platforms.yaml). The
streaming reader of large captures searches raw bytes for lines that may be markers, with
patterns kept here beside the ones they serve: both must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.platforms import PromptStyle, prompt_styles

# A show-tech delimiter: `------------------ show license all ------------------`. Read with
# string operations, not a regex: a line of 50,000 dashes must cost what its length costs.
_DELIMITER_COMMAND = re.compile(r"(?:show|sh)\s", re.IGNORECASE)


@dataclass(frozen=True)
class _Prompt:
    """One prompt style, compiled: optional "[timestamp] " some terminal loggers put first,
    the hostname, a configuration mode, then one of its ending characters."""

    line: re.Pattern[str]
    head: re.Pattern[bytes]           # what stands before the first ending character
    verbs: tuple[str, ...]


def _compile(style: PromptStyle) -> _Prompt:
    ends = re.escape(style.ends)
    line = re.compile(rf"^(?:\[[^\]]{{4,40}}\]\s*)?(?P<host>{style.host})(?P<mode>{style.mode})?"
                      rf"[{ends}]\s*(?P<cmd>\S.*)?$")
    head = re.compile(f"{style.host}(?:{style.mode})?".encode())
    return _Prompt(line, head, style.exec_verbs)


_PROMPTS = [_compile(style) for style in prompt_styles()]
DELIMITER_HINTS = tuple(re.compile(rb + rb"[ \t\f\v]*[Ss][Hh]") for rb in (b"------", b"======"))
# The characters that can end a prompt, as bytes for the streaming reader.
PROMPT_CHARS = tuple(sorted({ch.encode() for style in prompt_styles() for ch in style.ends}))
# Terminal residue that cleaning removes and that can turn a line into a prompt (a CR before
# the LF is only a line end).
_RESIDUE = rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r[^\n]|[Mm]ore"
RESIDUE_RE = re.compile(_RESIDUE)
_END_TEXT = "".join(ch.decode() for ch in PROMPT_CHARS)
_ENDS = b"[" + b"".join(b"\\" + ch if ch in b"]\\^-" else ch for ch in PROMPT_CHARS) + b"]"
# The same as whole-line patterns (Hyperscan, multi-line): a prompt's start, a "[timestamp]"
# line with an ending character, and any line with residue.
PROMPT_LINES = (*(b"^" + p.head.pattern + _ENDS for p in _PROMPTS),
                rb"^\[[^\n]*" + _ENDS, _RESIDUE)


@dataclass
class Marker:
    index: int
    kind: str                     # "delimiter" | "prompt"
    typed: str
    host: str | None
    filtered: bool
    config_command: str = ""      # what was typed at a configuration-mode prompt


class BarePrompts:
    """Whether a prompt with nothing typed after it is one. It is believed for a host that
    typed a command before it, or while no host has typed anything yet (a console that starts
    at "Switch>"); inside another device's session a line such as "ne>" (an output's "<none>"
    cut by a log message) is output. The same in a whole and a streaming read: only what came
    before decides."""

    def __init__(self) -> None:
        self.typed_hosts: set[str] = set()

    def believe(self, marker: Marker) -> bool:
        if marker.kind != "prompt":
            return True
        host = (marker.host or "").lower()
        if marker.typed or marker.config_command:
            self.typed_hosts.add(host)
            return True
        return not self.typed_hosts or host in self.typed_hosts


def has_residue(buf: bytes, start: int, end: int) -> bool:
    """Whether the raw line ``buf[start:end]`` holds terminal residue that cleaning removes
    (so its text may say what its bytes do not)."""
    return RESIDUE_RE.search(buf, start, end) is not None


def may_be_prompt(buf: bytes, start: int, at: int, end: int) -> bool:
    """Whether the raw line ``buf[start:end]``, whose first prompt-ending character is at
    ``at``, can be a prompt once cleaned; False only when :func:`marker_of` would say no."""
    if buf[start:start + 1] == b"[" or RESIDUE_RE.search(buf, start, end):
        return True  # cleaning may change the line (a CR redraws it): look at it whole
    return any(p.head.fullmatch(buf, start, at) is not None for p in _PROMPTS)


def prompt_match(line: str) -> re.Match[str] | None:
    """The line as a prompt of any style (groups host, mode, cmd), else None."""
    for prompt in _PROMPTS:
        m = prompt.line.match(line)
        if m:
            return m
    return None


def marker_of(line: str, index: int) -> Marker | None:
    """The show-tech delimiter or session prompt on a cleaned line, if it is one."""
    if line[:1] in "-=" and line and (command := delimited_command(line)) is not None:
        typed, filtered = strip_filter(command)
        return Marker(index, "delimiter", typed, None, filtered)
    if any(ch in line for ch in _END_TEXT):
        for prompt in _PROMPTS:
            m = prompt.line.match(line)
            if m is None:
                continue
            cmd = (m["cmd"] or "").strip()
            if cmd and not m["mode"] and not _looks_like_exec(cmd, prompt.verbs):
                return None
            configured = ""
            if m["mode"]:
                configured, cmd = cmd, ""  # configuration mode lines are not show output
            typed, filtered = strip_filter(cmd)
            return Marker(index, "prompt", typed, m["host"], filtered, configured)
    return None


def delimited_command(line: str) -> str | None:
    """The command inside a show-tech delimiter line (6 or more '-' or '=' on each side), or
    None."""
    text = line.rstrip()
    body = text.lstrip("-=")
    if len(text) - len(body) < 6:
        return None
    inner = body.rstrip("-=")
    if len(body) - len(inner) < 6:
        return None
    inner = inner.strip()
    return inner if _DELIMITER_COMMAND.match(inner) else None


def strip_filter(cmd: str) -> tuple[str, bool]:
    base, bar, _ = cmd.partition("|")
    return " ".join(base.split()), bool(bar)


def _looks_like_exec(cmd: str, verbs: tuple[str, ...]) -> bool:
    word = cmd.split()[0].lower()
    return len(word) >= 2 and any(verb.startswith(word) for verb in verbs)
