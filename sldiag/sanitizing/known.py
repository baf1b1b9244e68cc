"""The values of the classes a user asks to redact (serials, accounts, hostnames, addresses),
learned from the captures and replaced in any case, in time linear in the text: a value is
found by looking its words up, never by a pattern made of every value learned."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .rules import OptionalRule

_IPV4 = re.compile(r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}"
                   r"(?![\d.])")
# A name a hostname or serial could be (hostnames may hold dots: each dotted prefix is tried).
_TOKEN = re.compile(r"[\w.-]+")
# Inside a file name, `_` separates words too.
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.-]+")
_WORD = re.compile(r"\w+")


@dataclass
class KnownValues:
    """Every learned value and its placeholder, indexed for lookup."""

    exact: dict[str, tuple[str, str]] = field(default_factory=dict)   # lower -> (cls, ph)
    ips: dict[str, str] = field(default_factory=dict)                 # address -> ph
    phrases: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    # ^ first word (lower) -> [(value lower, cls, placeholder)], longest first: values with
    # spaces (account names)
    tables: dict[str, dict[str, str]] = field(default_factory=dict)   # cls -> value -> ph
    seen: set[tuple[str, str]] = field(default_factory=set)           # (cls, value lower)

    def add(self, cls: str, value: str, rule: OptionalRule) -> None:
        """Learn a value (the same value in another case is the same value)."""
        key = (cls, value if cls == "ips" else value.lower())
        if key in self.seen:
            return
        self.seen.add(key)
        table = self.tables.setdefault(cls, {})
        placeholder = _placeholder(rule, len(table) + 1)
        table[value] = placeholder
        if cls == "ips":
            self.ips[value] = placeholder
        elif " " in value.strip() or not _TOKEN.fullmatch(value):
            first = _WORD.search(value.lower())
            if first:
                entries = self.phrases.setdefault(first.group(0), [])
                entries.append((value.lower(), cls, placeholder))
                entries.sort(key=lambda e: -len(e[0]))
        else:
            self.exact.setdefault(value.lower(), (cls, placeholder))

    def replace(self, text: str, counts: Counter[str], in_name: bool = False) -> str:
        """Every learned value in ``text`` (any case) by its placeholder."""
        edits: list[tuple[int, int, str, str]] = []
        if self.ips:
            edits += [(m.start(), m.end(), "ips", self.ips[m.group(0)])
                      for m in _IPV4.finditer(text) if m.group(0) in self.ips]
        if self.exact:
            edits += self._exact(text, in_name)
        if self.phrases:
            edits += self._phrases(text)
        if not edits:
            return text
        out, at = [], 0
        for start, end, cls, placeholder in sorted(edits):
            if start < at:
                continue  # inside a value already replaced
            out += [text[at:start], placeholder]
            counts[cls] += 1
            at = end
        out.append(text[at:])
        return "".join(out)

    def _exact(self, text: str, in_name: bool) -> list[tuple[int, int, str, str]]:
        edits = []
        lowered = text.lower()
        for m in (_NAME_TOKEN if in_name else _TOKEN).finditer(lowered):
            token, start = m.group(0), m.start()
            while token:
                hit = self.exact.get(token)
                if hit is not None:
                    edits.append((start, start + len(token), *hit))
                    break
                cut = max(token.rfind("."), token.rfind("-") if in_name else -1)
                token = token[:cut] if cut > 0 else ""
        return edits

    def _phrases(self, text: str) -> list[tuple[int, int, str, str]]:
        edits = []
        lowered = text.lower()
        for m in _WORD.finditer(lowered):
            for value, cls, placeholder in self.phrases.get(m.group(0), ()):
                end = m.start() + len(value)
                if lowered.startswith(value, m.start()) and (
                        end == len(text) or not text[end].isalnum()):
                    edits.append((m.start(), end, cls, placeholder))
                    break
        return edits


def _placeholder(rule: OptionalRule, n: int) -> str:
    if rule.placeholder == "IP":  # keep it an address: the benchmarking range 198.18/15
        return f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"
    return rule.placeholder.format(n=n)
