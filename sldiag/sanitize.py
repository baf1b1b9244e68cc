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
from typing import Any

from . import regexcache
from .capture import SparseLines
from .resources import DataError, data_dir, load_yaml_cached

OPTIONAL_CLASSES = ("serials", "accounts", "hostnames", "ips")
NETCONAN_SALT = "sldiag"  # fixed: the same secret always gets the same substitute


@dataclass
class _SecretRule:
    cls: str
    keywords: tuple[str, ...]
    regex: re.Pattern[str]


@dataclass
class _BlockRule:
    cls: str
    start: re.Pattern[str]
    end: re.Pattern[str]


@dataclass
class _OptionalRule:
    cls: str
    placeholder: str
    regexes: list[re.Pattern[str]]


@dataclass
class RedactionRules:
    secrets: list[_SecretRule]
    blocks: list[_BlockRule]
    optional: dict[str, _OptionalRule]
    prefilter: re.Pattern[str]


_ABBREVIATION = re.compile(r"\{([a-z][a-z0-9-]*):(\d+)\}")


def expand_abbreviations(pattern: str) -> str:
    """`{password:4}` in a rule's regex: the word or any abbreviation IOS accepts from its
    first 4 letters on (pass, passw, ..., password), as a whole word."""
    def expand(m: re.Match[str]) -> str:
        word, least = m.group(1), int(m.group(2))
        tail = ""
        for ch in reversed(word[least:]):
            tail = f"(?:{re.escape(ch)}{tail})?"
        return f"(?:{re.escape(word[:least])}{tail}(?![\\w-]))"

    return _ABBREVIATION.sub(expand, pattern)


@cache
def load_redaction_rules() -> RedactionRules:
    path = data_dir("rules") / "redaction.yaml"
    doc: Any = load_yaml_cached(path)
    try:
        secrets = [_SecretRule(r["class"], tuple(r["keywords"]),
                               regexcache.compile(expand_abbreviations(r["regex"])))
                   for r in doc["secrets"]]
        blocks = [_BlockRule(b["class"], regexcache.compile(b["start"]),
                             regexcache.compile(b["end"]))
                  for b in doc["blocks"]]
        optional = {name: _OptionalRule(name, o["placeholder"],
                                        [regexcache.compile(x, re.MULTILINE) for x in o["regexes"]])
                    for name, o in doc["optional"].items()}
    except (KeyError, TypeError, re.error) as exc:
        raise DataError(f"{path}: invalid redaction rule ({type(exc).__name__}: {exc})") from None
    # Block starts: the words their patterns begin with (a certificate, a key, a table).
    words = sorted({k for r in secrets for k in r.keywords}
                   | {w for b in doc["blocks"] for w in b.get("keywords", [])})
    prefilter = regexcache.compile("|".join(re.escape(w) for w in words))
    return RedactionRules(secrets, blocks, optional, prefilter)


@dataclass
class Sanitizer:
    """Applies the secret rules (always) and the optional classes asked for."""

    classes: frozenset[str] = frozenset()
    counts: Counter = field(default_factory=Counter)
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    _in_block: _BlockRule | None = None

    def __post_init__(self) -> None:
        unknown = set(self.classes) - set(OPTIONAL_CLASSES)
        if unknown:
            raise ValueError(f"unknown redaction class: {', '.join(sorted(unknown))} "
                             f"(choose from {', '.join(OPTIONAL_CLASSES)})")
        self.rules = load_redaction_rules()

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

    def _apply(self, rule: _SecretRule, text: str) -> str:
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
    def _placeholder(rule: _OptionalRule, n: int) -> str:
        if rule.placeholder == "IP":  # keep it an address: the benchmarking range 198.18/15
            return f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"
        return rule.placeholder.format(n=n)

    def _replace_known(self, text: str) -> str:
        for cls in sorted(self.classes):
            table = self.mapping.get(cls)
            if not table:
                continue
            pattern = _alternation(tuple(sorted(table, key=len, reverse=True)), cls == "ips")
            text, n = pattern.subn(lambda m, t=table: t[m.group(0)], text)
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
            table = self.mapping.get(cls)
            if table:
                lowered = {value.lower(): placeholder for value, placeholder in table.items()}
                pattern = _name_alternation(tuple(sorted(lowered, key=len, reverse=True)))
                text, n = pattern.subn(lambda m, t=lowered: t[m.group(0).lower()], text)
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


# Every password and community regex of netconan needs one of these words in the line (the
# tests check this against netconan's own lists): other lines are left as they are, unread by
# netconan, which costs 100 us a line (minutes for a configuration of a million interfaces).
NETCONAN_WORDS = re.compile(r"pass|secret|key|auth|hostname|shared|wpa|hex|md5|community|snmp|"
                            r"ssh-|syscon|trap-group|\$[19]\$", re.IGNORECASE)


def netconan_lines(lines: list[str]) -> list[str]:
    """netconan's password anonymisation, line for line (same number of lines back), for
    the lines it could change. A line netconan cannot handle (it raises on some hashes it
    tries to re-create) is left to our own rules."""
    wanted = [i for i, line in enumerate(lines) if NETCONAN_WORDS.search(line)]
    if not wanted:
        return list(lines)
    out = list(lines)
    for i, text in zip(wanted, netconan_all([lines[i] for i in wanted]), strict=True):
        out[i] = text
    return out


def netconan_all(lines: list[str]) -> list[str]:
    """netconan over every line given."""
    try:
        from netconan.anonymize_files import FileAnonymizer
    except ImportError:  # pragma: no cover - a dependency; without it our own rules remain
        return list(lines)
    import io
    import logging

    def run(chunk: list[str]) -> list[str]:
        out = io.StringIO()
        FileAnonymizer(anon_pwd=True, anon_ip=False, salt=NETCONAN_SALT).anonymize_io(
            io.StringIO("\n".join(chunk) + "\n"), out)
        result = out.getvalue().split("\n")[: len(chunk)]
        return result if len(result) == len(chunk) else list(chunk)

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # netconan warns on the root logger about scrubbed lines
    try:
        try:
            return run(lines)
        except Exception:  # noqa: BLE001 - netconan's own failure on odd input: line by line
            out = []
            for line in lines:
                try:
                    out += run([line])
                except Exception:  # noqa: BLE001
                    out.append(line)
            return out
    finally:
        logging.disable(previous)
