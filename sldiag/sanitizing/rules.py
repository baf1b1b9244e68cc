"""The redaction rules of rules/redaction.yaml, compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml_cached

OPTIONAL_CLASSES = ("serials", "accounts", "hostnames", "ips")


@dataclass
class SecretRule:
    cls: str
    keywords: tuple[str, ...]          # in lower case; one must be in the lowered line
    regex: re.Pattern[str]             # matched ignoring case

    def groups(self) -> tuple[str, ...]:
        return tuple(g for g in ("secret", "secret2", "secret3") if g in self.regex.groupindex)


@dataclass
class BlockRule:
    cls: str
    start: re.Pattern[str]
    end: re.Pattern[str]


@dataclass
class OptionalRule:
    cls: str
    placeholder: str
    regexes: list[re.Pattern[str]]


@dataclass
class RedactionRules:
    secrets: list[SecretRule]
    blocks: list[BlockRule]
    optional: dict[str, OptionalRule]
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
        # IOS reads commands in any case: so does every rule.
        secrets = [SecretRule(r["class"], tuple(str(k).lower().lstrip("~") for k in r["keywords"]),
                              re.compile(expand_abbreviations(r["regex"]), re.IGNORECASE))
                   for r in doc["secrets"]]
        blocks = [BlockRule(b["class"], re.compile(b["start"], re.IGNORECASE),
                            re.compile(b["end"], re.IGNORECASE))
                  for b in doc["blocks"]]
        optional = {name: OptionalRule(name, o["placeholder"],
                                       [re.compile(x, re.MULTILINE) for x in o["regexes"]])
                    for name, o in doc["optional"].items()}
    except (KeyError, TypeError, re.error) as exc:
        raise DataError(f"{path}: invalid redaction rule ({type(exc).__name__}: {exc})") from None
    # One search per line finds whether any rule may apply: a keyword at the start of a word
    # (or anywhere, written `~word`), block starts included (a certificate, a key, a table).
    words = sorted({str(k).lower() for r in doc["secrets"] for k in r["keywords"]}
                   | {str(w).lower() for b in doc["blocks"] for w in b.get("keywords", [])})
    prefilter = re.compile(prefilter_pattern(words))
    return RedactionRules(secrets, blocks, optional, prefilter)


def prefilter_pattern(words: list[str]) -> str:
    """One search for any keyword: those that must start a word share one lookbehind and a
    trie of their letters (Python's re tries an alternation branch by branch at every
    position: 14 times slower on a show tech); the others follow as literals."""
    starting = [w for w in words if not w.startswith("~") and w[:1].isalnum()]
    anywhere = [re.escape(w[1:] if w.startswith("~") else w) for w in words
                if w not in starting]
    parts = ([rf"(?<![a-z0-9]){_trie(starting)}"] if starting else []) + anywhere
    return "|".join(parts)


def _trie(words: list[str]) -> str:
    """A regex matching any of ``words`` (literal), factored by common prefixes: linear."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
