"""Sanitising: secrets never leave sldiag; serials, accounts, hostnames and IPs on request.

The rules are data (rules/redaction.yaml), read on the IOS command grammar: any case, any
abbreviation, wherever a command stands. What no pattern can see is withheld here: every word
of an echo scrolled off to the left, a secret's tail a terminal wrapped onto the next line,
private keys in any wrapping, long key-like blobs. Every replacement happens inside a line,
so line numbers, and with them every piece of evidence, stay valid. Counts are kept by class;
the values themselves are never recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..reading.lines import Blanks, SparseLines
from .known import KnownValues
from .rules import OPTIONAL_CLASSES, BlockRule, SecretRule, load_redaction_rules

# A stream of lines, or of lines and runs of empty ones (a bundle's capture): what goes in
# comes out.
Line = TypeVar("Line", str, str | Blanks)

# A terminal hard-wraps a long line at its width: a line of exactly these many columns may go
# on in the next one (and a secret with it).
WRAP_WIDTHS = frozenset({79, 80, 132})
MAX_WRAPPED_LINES = 64   # one logical line read over at most this many physical ones
# An echo of a command longer than the terminal, scrolled: `SW1(config)#$nity X RO`. What
# follows the `$` is the command's end, its keywords maybe gone: all of it is withheld.
_SCROLLED = re.compile(r"^((?:\[[^\]\n]{4,40}\]\s*)?[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}"
                       r"(?:\([^()\s]{1,40}\))?[#>]\$).")
# A line of `show archive config differences`: the command behind the `+`/`-`.
_DIFF_SIGN = re.compile(r"^\s*[+-](?=\s*[A-Za-z])")
# Key material: a long run of base64 letters, wherever it is; a key, a token or a signature
# mixes digits and both cases throughout, a path or a word does not (see _is_blob).
_BLOB = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}")
_PLACEHOLDER = "<removed:{}>"


@dataclass
class Sanitizer:
    """Applies the secret rules (always) and the optional classes asked for."""

    classes: frozenset[str] = frozenset()
    counts: Counter[str] = field(default_factory=Counter)
    known: KnownValues = field(default_factory=KnownValues)
    _in_block: BlockRule | None = None

    def __post_init__(self) -> None:
        unknown = set(self.classes) - set(OPTIONAL_CLASSES)
        if unknown:
            raise ValueError(f"unknown redaction class: {', '.join(sorted(unknown))} "
                             f"(choose from {', '.join(OPTIONAL_CLASSES)})")
        self.rules = load_redaction_rules()

    @property
    def mapping(self) -> dict[str, dict[str, str]]:
        return self.known.tables

    def start(self) -> None:
        """A new capture: no block (certificate, key) is open."""
        self._in_block = None

    # -- a capture's lines ----------------------------------------------------------------

    def lines(self, lines: Sequence[str]) -> Sequence[str]:
        """Sanitise a capture's lines in order; blocks and wrapped lines may span lines."""
        self.start()
        if isinstance(lines, SparseLines):
            return self._sparse_lines(lines)
        if self.classes:
            self.learn("\n".join(lines))
        return list(self.stream(lines))

    def _sparse_lines(self, lines: SparseLines) -> SparseLines:
        indexes = lines.indexes()
        if self.classes:
            self.learn("\n".join(lines.kept[i] for i in indexes))
        out: list[str] = []
        run: list[str] = []
        previous = -2
        for index in indexes:
            if index != previous + 1 and run:
                out += self.stream(run)  # a block's end may lie in the lines not read
                run = []
                self.start()
            run.append(lines.kept[index])
            previous = index
        out += self.stream(run)
        return lines.with_texts(out)

    def stream(self, lines: Iterable[Line]) -> Iterator[Line]:
        """Every line sanitised, reading ahead over the lines a terminal wrapped: a line of a
        wrap width goes on in the next one, and a secret may cross the wrap. A run of empty
        lines (:class:`Blanks`) is passed on whole, but inside a block a key may span,
        where each empty line is read as one."""
        group: list[str] = []
        for line in lines:
            if isinstance(line, Blanks):
                left = int(line)
                while left and self._in_block is not None:
                    yield from self._group(group)
                    group = []
                    yield from self._group([""])
                    left -= 1
                if left:
                    yield from self._group(group)
                    group = []
                    yield Blanks(left)
                continue
            if not line and self._in_block is None:
                # An empty line (most of a bundle's large show tech: lines not carried) ends
                # any wrap and holds nothing: as line("") would give it, without the work.
                if group:
                    yield from self._group(group)
                    group = []
                yield line
                continue
            if group and not _continues(line):
                yield from self._group(group)
                group = []
            group.append(line)
            if len(line) not in WRAP_WIDTHS or len(group) >= MAX_WRAPPED_LINES:
                yield from self._group(group)
                group = []
        yield from self._group(group)

    def _group(self, group: list[str]) -> list[str]:
        if len(group) > 1:
            group = self._unwrap(group)
        return [self.line(text) for text in group]

    def _unwrap(self, group: list[str]) -> list[str]:
        """The lines of one wrapped line, with every secret found in the whole removed from
        each part it covers (the keyword may be on one line, the value on the next ones)."""
        joined = "".join(group)
        lowered = joined.lower()
        starts = [0]
        for part in group:
            starts.append(starts[-1] + len(part))
        cuts: list[list[tuple[int, int, str]]] = [[] for _ in group]
        for rule in self.rules.secrets:
            if not any(k in lowered for k in rule.keywords):
                continue
            for m in rule.regex.finditer(joined):
                for name in rule.groups():
                    start, end = m.span(name)
                    if start < 0 or end <= start:
                        continue
                    self.counts[rule.cls] += 1
                    for k in range(len(group)):
                        a, b = max(start, starts[k]), min(end, starts[k + 1])
                        if a < b:
                            cuts[k].append((a - starts[k], b - starts[k], rule.cls))
        return [_cut(part, spans) for part, spans in zip(group, cuts, strict=True)]

    # -- one line --------------------------------------------------------------------------

    def line(self, text: str) -> str:
        if self._in_block is not None:
            end = self._in_block.end.search(text)
            if end:
                self._in_block = None
                before = text[:end.start()]
                if before.strip():  # key material before the end marker, on its line
                    self.counts["pki-private-key"] += 1
                    before = re.sub(r"\S.*", _PLACEHOLDER.format("pki-private-key"), before,
                                    count=1)
                text = before + self._secrets(text[end.start():])
            elif text.strip():
                self.counts[self._in_block.cls] += 1
                return re.sub(r"\S.*", _PLACEHOLDER.format(self._in_block.cls), text, count=1)
        else:
            text = self._secrets(text)
        if self.classes:
            text = self.known.replace(text, self.counts)
        return text

    def _secrets(self, text: str) -> str:
        scrolled = _SCROLLED.match(text)
        if scrolled:
            self.counts["scrolled-command"] += 1
            return scrolled.group(1) + _PLACEHOLDER.format("scrolled-command")
        sign = _DIFF_SIGN.match(text)
        if sign:  # read the command behind `+`/`-` as the command it is
            return sign.group(0) + self._secrets(" " + text[sign.end():])[1:]
        lowered = text.lower()
        if self.rules.prefilter.search(lowered):
            text = self._blocks(text)
            for rule in self.rules.secrets:
                if any(k in lowered for k in rule.keywords):
                    text = self._apply(rule, text)
        if len(text) >= 40 and _BLOB.search(text):
            text = _BLOB.sub(self._blob, text)
        return text

    def _blob(self, m: re.Match[str]) -> str:
        if not _is_blob(m.group(0)):
            return m.group(0)
        self.counts["key-material"] += 1
        return _PLACEHOLDER.format("key-material")

    def _blocks(self, text: str) -> str:
        """A key or certificate block starting on this line: removed to its end (on this line,
        as a one-line or JSON-escaped key is, else on a later one)."""
        for block in self.rules.blocks:
            start = block.start.search(text)
            if not start:
                continue
            end = block.end.search(text, start.end())
            if end is not None:
                self.counts[block.cls] += 1
                return (text[:start.end()] + _PLACEHOLDER.format(block.cls)
                        + text[end.start():])
            self._in_block = block
            break
        return text

    def knows_secret(self, text: str) -> bool:
        """Whether a secret rule recognises this line (no counting, no state)."""
        lowered = text.lower()
        if not self.rules.prefilter.search(lowered):
            return False
        return any(any(k in lowered for k in rule.keywords) and rule.regex.search(text)
                   for rule in self.rules.secrets)

    def _apply(self, rule: SecretRule, text: str) -> str:
        """Every match in the line (a command may be echoed twice, an archive line may hold
        a command and a log line another), left to right, in one pass."""
        groups = rule.groups()

        def replace(match: re.Match[str]) -> str:
            whole, base = match.group(0), match.start()
            for name in reversed(groups):
                start, end = match.span(name)
                if start < 0 or end <= start or whole[start - base:].startswith("<removed:"):
                    continue
                whole = f"{whole[:start - base]}{_PLACEHOLDER.format(rule.cls)}" \
                        f"{whole[end - base:]}"
                self.counts[rule.cls] += 1
            return whole

        return rule.regex.sub(replace, text)

    # -- the optional classes -------------------------------------------------------------

    def learn(self, text: str) -> None:
        """Find the values of the optional classes (so each maps to one placeholder)."""
        for cls in sorted(self.classes):
            rule = self.rules.optional[cls]
            for regex in rule.regexes:
                for m in regex.finditer(text):
                    value = (m.group("value") or "").strip()
                    if value:
                        self.known.add(cls, value, rule)

    def name(self, text: str) -> str:
        """A file name (or a message naming one) with the optional classes asked for: the
        IP addresses it holds, and the hostnames, serials and accounts the captures showed,
        in any case (`sw-acc-12_showtech.txt` names SW-ACC-12)."""
        if not self.classes:
            return text
        if "ips" in self.classes:
            rule = self.rules.optional["ips"]
            for regex in rule.regexes:
                for m in regex.finditer(text):
                    self.known.add("ips", m.group("value"), rule)
        return self.known.replace(text, self.counts, in_name=True)

    def report(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


# A line that starts a line of its own (indented, a prompt, a log message) does not continue
# the one before it, whatever that one's width.
_STARTS_A_LINE = re.compile(r"\s|[*%!]|[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}(?:\([^()\s]{1,40}\))?[#>]")


def _is_blob(run: str) -> bool:
    """Whether a run of base64 letters is key material: digits, capitals and small letters,
    each at least once in every 16 characters on average (random base64 has them far more
    often; a URL path, a hostname or a hex string does not)."""
    need = max(3, len(run) // 16)
    return (sum(c.isdigit() for c in run) >= need and sum(c.isupper() for c in run) >= need
            and sum(c.islower() for c in run) >= need)


def _continues(line: str) -> bool:
    return bool(line) and _STARTS_A_LINE.match(line) is None


def _cut(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each span replaced by a placeholder of its class (overlaps merged)."""
    if not spans:
        return text
    out, at = [], 0
    for start, end, cls in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        out += [text[at:start], _PLACEHOLDER.format(cls)]
        at = end
    out.append(text[at:])
    return "".join(out)


# A line sldiag could not read is quoted by its label only ("Frobnication Level:"): its value
# may be a secret in a form no rule knows. A label is a few words, none naming a credential.
_LABEL = re.compile(r"^(\s*[A-Za-z][A-Za-z()/_.-]*(?: [A-Za-z(][A-Za-z0-9()/_.-]*){0,5}\s*:)"
                    r"\s*\S")
_CREDENTIAL_WORDS = re.compile(r"pass|secret|key|communit|token|auth|cred|pwd|psk|cert|priv",
                               re.IGNORECASE)
WITHHELD = "<value withheld>"


def withheld(text: str) -> str:
    """A line whose content sldiag cannot vouch for, as reports may quote it: its label and
    "<value withheld>", else "<line withheld>" (file and line say where it is)."""
    m = _LABEL.match(text)
    if m and not _CREDENTIAL_WORDS.search(m.group(1)):
        return f"{m.group(1)} {WITHHELD}"
    if not text.strip():
        return text
    return "<line withheld>"
