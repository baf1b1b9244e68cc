"""Sanitising: secrets never leave sldiag; serials, accounts, hostnames and IPs on request.

The rules are data (rules/redaction.yaml). Every replacement happens inside a line, so line
numbers, and with them every piece of evidence, stay valid. Counts are kept by class; the
values themselves are never recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ..reading.lines import SparseLines
from .rules import OPTIONAL_CLASSES, BlockRule, OptionalRule, SecretRule, load_redaction_rules


@dataclass
class Sanitizer:
    """Applies the secret rules (always) and the optional classes asked for."""

    classes: frozenset[str] = frozenset()
    counts: Counter = field(default_factory=Counter)
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    _in_block: BlockRule | None = None

    def __post_init__(self) -> None:
        unknown = set(self.classes) - set(OPTIONAL_CLASSES)
        if unknown:
            raise ValueError(f"unknown redaction class: {', '.join(sorted(unknown))} "
                             f"(choose from {', '.join(OPTIONAL_CLASSES)})")
        self.rules = load_redaction_rules()

    def start(self) -> None:
        """A new capture: no block (certificate, key) is open."""
        self._in_block = None

    def lines(self, lines: Sequence[str]) -> Sequence[str]:
        """Sanitise a capture's lines in place of order; blocks may span lines."""
        self._in_block = None
        if isinstance(lines, SparseLines):
            return self._sparse_lines(lines)
        if self.classes:
            self.learn("\n".join(lines))
        return [self.line(text) for text in lines]

    def _sparse_lines(self, lines: SparseLines) -> SparseLines:
        indexes = lines.indexes()
        if self.classes:
            self.learn("\n".join(lines.kept[i] for i in indexes))
        out: list[str] = []
        previous = -1
        for index in indexes:
            if index != previous + 1:
                self._in_block = None  # a block's end may lie in the lines not read
            out.append(self.line(lines.kept[index]))
            previous = index
        return lines.with_texts(out)

    def line(self, text: str) -> str:
        rules = self.rules
        if self._in_block is not None:
            if self._in_block.end.search(text):
                self._in_block = None
            elif text.strip():
                self.counts[self._in_block.cls] += 1
                return re.sub(r"\S.*", f"<removed:{self._in_block.cls}>", text, count=1)
        elif rules.prefilter.search(text):
            for block in rules.blocks:
                if block.start.search(text):
                    self._in_block = block
                    break
            for rule in rules.secrets:
                if any(k in text for k in rule.keywords):
                    text = self._apply(rule, text)
        if self.classes:
            text = self._replace_known(text)
        return text

    def knows_secret(self, text: str) -> bool:
        """Whether a secret rule recognises this line (no counting, no state)."""
        if not self.rules.prefilter.search(text):
            return False
        return any(any(k in text for k in rule.keywords) and rule.regex.search(text)
                   for rule in self.rules.secrets)

    def _apply(self, rule: SecretRule, text: str) -> str:
        """Every match in the line (a command may be echoed twice, an archive line may hold
        a command and a log line another), left to right, in one pass."""
        groups = [g for g in ("secret", "secret2") if g in rule.regex.groupindex]

        def replace(match: re.Match[str]) -> str:
            whole, base = match.group(0), match.start()
            for name in reversed(groups):
                start, end = match.span(name)
                if start < 0 or end <= start or whole[start - base:].startswith("<removed:"):
                    continue
                whole = f"{whole[:start - base]}<removed:{rule.cls}>{whole[end - base:]}"
                self.counts[rule.cls] += 1
            return whole

        return rule.regex.sub(replace, text)

    def learn(self, text: str) -> None:
        """Find the values of the optional classes (so each maps to one placeholder)."""
        for cls in sorted(self.classes):
            rule = self.rules.optional[cls]
            table = self.mapping.setdefault(cls, {})
            for regex in rule.regexes:
                for m in regex.finditer(text):
                    value = m.group("value")
                    if value and value not in table:
                        table[value] = self._placeholder(rule, len(table) + 1)

    @staticmethod
    def _placeholder(rule: OptionalRule, n: int) -> str:
        if rule.placeholder == "IP":  # keep it an address: the benchmarking range 198.18/15
            return f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"
        return rule.placeholder.format(n=n)

    def _replace_known(self, text: str) -> str:
        for cls in sorted(self.classes):
            table = self.mapping.get(cls)
            if not table:
                continue
            pattern = _alternation(tuple(sorted(table, key=len, reverse=True)), cls == "ips")

            def placeholder(m: re.Match[str], t: dict[str, str] = table) -> str:
                return t[m.group(0)]

            text, n = pattern.subn(placeholder, text)
            self.counts[cls] += n
        return text

    def name(self, text: str) -> str:
        """A file name (or a message naming one) with the optional classes asked for: the
        IP addresses it holds, and the hostnames, serials and accounts the captures showed,
        in any case (`sw-acc-12_showtech.txt` names SW-ACC-12)."""
        if not self.classes:
            return text
        if "ips" in self.classes:
            rule = self.rules.optional["ips"]
            table = self.mapping.setdefault("ips", {})
            for regex in rule.regexes:
                for m in regex.finditer(text):
                    value = m.group("value")
                    if value and value not in table:
                        table[value] = self._placeholder(rule, len(table) + 1)
        for cls in sorted(self.classes):
            known = self.mapping.get(cls)
            if known:
                lowered = {value.lower(): placeholder for value, placeholder in known.items()}
                pattern = _name_alternation(tuple(sorted(lowered, key=len, reverse=True)))

                def placeholder(m: re.Match[str], t: dict[str, str] = lowered) -> str:
                    return t[m.group(0).lower()]

                text, n = pattern.subn(placeholder, text)
                self.counts[cls] += n
        return text

    def report(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


@cache
def _alternation(values: tuple[str, ...], ip: bool) -> re.Pattern[str]:
    body = "|".join(re.escape(v) for v in values)
    if ip:
        return re.compile(rf"(?<![\d.])(?:{body})(?![\d.])")
    return re.compile(rf"(?<![\w.-])(?:{body})(?![\w-])")


@cache
def _name_alternation(values: tuple[str, ...]) -> re.Pattern[str]:
    """Hostnames inside a file name, in any case: `_`, `-` and `.` separate words there."""
    body = "|".join(re.escape(v) for v in values)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])", re.IGNORECASE)


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
