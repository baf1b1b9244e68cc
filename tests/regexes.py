"""Every regular expression sldiag runs on captured text, with how it runs (match or search),
and adversarial lines built for each: long runs of what the pattern repeats, its own words
over and over, and what it anchors on followed by a long tail that almost matches."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import textfsm
import yaml

ROOT = Path(__file__).resolve().parent.parent
LINE_BYTES = 100_000


@dataclass(frozen=True)
class Pattern:
    where: str           # file (and rule) it comes from
    regex: re.Pattern[str]
    anchored: bool       # applied with match (TextFSM) rather than search


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, flags)
    except (re.error, TypeError):
        return None


def _conditions(node, where: str) -> Iterator[Pattern]:
    """Regexes inside rule conditions (fact regex, rows match/unless_later, finding)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("regex", "finding") and isinstance(value, str):
                if (rx := _compile(value)) is not None:
                    yield Pattern(f"{where}:{key}", rx, False)
            elif key in ("match", "unless_later") and isinstance(value, dict):
                for name, text in value.items():
                    if (rx := _compile(text)) is not None:
                        yield Pattern(f"{where}:{key}.{name}", rx, False)
            else:
                yield from _conditions(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from _conditions(item, where)


def all_patterns() -> list[Pattern]:
    found: list[Pattern] = []
    # sldiag's own modules: every compiled pattern at module level.
    import sldiag

    for info in pkgutil.walk_packages(sldiag.__path__, "sldiag."):
        if info.name.split(".")[1] in ("collecting", "attach", "__main__", "cli"):
            continue  # they read no capture text (and import network libraries)
        module = importlib.import_module(info.name)
        where = info.name.replace(".", "/")
        for name, value in vars(module).items():
            values = value if isinstance(value, tuple | list) else (value,)
            for item in values:
                # A pattern, or one held by a small object (a prompt style's compiled forms).
                members = [item]
                if hasattr(item, "__dataclass_fields__") and not isinstance(item, type):
                    members += [getattr(item, f, None) for f in item.__dataclass_fields__]
                for member in members:
                    if isinstance(member, re.Pattern) and isinstance(member.pattern, str):
                        found.append(Pattern(f"{where}.py:{name}", member, False))
    # rules/: conditions of every rule, modes, flowchart, verdicts; redaction patterns.
    from sldiag.sanitizing.rules import expand_abbreviations

    for path in sorted((ROOT / "rules").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        if path.name == "redaction.yaml":
            for rule in doc["secrets"]:
                found.append(Pattern(f"rules/redaction.yaml:{rule['class']}",
                                     re.compile(expand_abbreviations(rule["regex"])), False))
            for block in doc["blocks"]:
                for key in ("start", "end"):
                    found.append(Pattern(f"rules/redaction.yaml:{block['class']}.{key}",
                                         re.compile(block[key]), False))
            for name, rule in doc["optional"].items():
                for rx in rule["regexes"]:
                    found.append(Pattern(f"rules/redaction.yaml:{name}",
                                         re.compile(rx, re.MULTILINE), False))
            continue
        found += list(_conditions(doc, f"rules/{path.name}"))
    # parsers/: the index's detectors, scopes, tiers, row facts; every template rule.
    index = yaml.safe_load((ROOT / "parsers" / "index.yaml").read_text())
    for entry in index["commands"]:
        detect = entry.get("detect") or []
        for det in detect if isinstance(detect, list) else [detect]:
            for key in ("start", "requires"):
                if det.get(key):
                    found.append(Pattern(f"parsers/index.yaml:{entry['command']}.{key}",
                                         re.compile(det[key]), False))
        if entry.get("complete"):
            found.append(Pattern(f"parsers/index.yaml:{entry['command']}.complete",
                                 re.compile(entry["complete"]), False))
    for scope in index.get("line_scopes", []):
        found.append(Pattern(f"parsers/index.yaml:scope.{scope['template']}",
                             re.compile(scope["filter"]), False))
    for name, rx in (index.get("license_tiers") or {}).items():
        found.append(Pattern(f"parsers/index.yaml:tier.{name}", re.compile(rx), False))
    found += list(_conditions(index.get("row_facts") or [], "parsers/index.yaml:row_facts"))
    templates = sorted((ROOT / "parsers" / "templates").glob("*.textfsm"))
    from sldiag.base.resources import ntc_templates_dir

    ntc = {body["file"][4:] for body in index["templates"].values()
           if body["file"].startswith("ntc:")}
    templates += [ntc_templates_dir() / name for name in sorted(ntc)]
    for path in templates:
        with open(path) as fh:
            fsm = textfsm.TextFSM(fh)
        for state, rules in fsm.states.items():
            for n, rule in enumerate(rules):
                found.append(Pattern(f"{path.name}:{state}[{n}]", rule.regex_obj.regex, True))
    return found


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,}")


def _literal_head(pattern: str) -> str:
    """The plain text a pattern starts with (after ^ and optional blanks), roughly."""
    text = pattern
    text = re.sub(r"^\^", "", text)
    text = re.sub(r"^(\\s[*+?]|\s)+", "", text)
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "s":
                out.append(" ")
                i += 2
                while i < len(text) and text[i] in "+*?":
                    i += 1
                continue
            if nxt in "dwSWDb":
                break
            out.append(nxt)
            i += 2
            continue
        if ch in "([{|.*+?^$":
            break
        out.append(ch)
        i += 1
    return "".join(out)


def adversarial_lines(pattern: re.Pattern[str], size: int = LINE_BYTES) -> list[str]:
    """Lines meant to make a backtracking matcher work hard on this pattern."""
    words = list(dict.fromkeys(_WORD.findall(pattern.pattern)))[:8] or ["a"]
    head = _literal_head(pattern.pattern)
    lines = []
    for filler in (" ", "-", "=", "a", ":", "#", "%", ".", "/", "@", "|", "\t", "0", "<", '"'):
        lines.append("x" + filler * size + "!")
        lines.append(head + filler * size + "\x01")
    for word in words:
        unit = word + " "
        lines.append(unit * (size // len(unit)) + "\x01")
        lines.append(head + (word + "  ") * (size // (len(word) + 2)))
        lines.append((head + " ") * (size // (len(head) + 1 or 1)) + word)
    joined = " ".join(words) + " "
    lines.append(joined * (size // len(joined)) + "\x01")
    lines.append(head + " " + ("a " * (size // 2)) + "\x01")
    # A pattern's words between long runs: what a pattern with a run, a lazy middle and
    # another run backtracks on ("------ show " + 50,000 dashes + "x").
    for word in words[:4]:
        for filler in (" ", "-", "=", ".", ":", "\t"):
            half = size // 2
            lines.append(filler * 8 + " " + word + " " + filler * half + "x")
            lines.append(head + filler * half + " " + word + " " + filler * half + "\x01")
    return lines


def normal_line(size: int = LINE_BYTES) -> str:
    unit = "Status: REGISTERED on Mar 13 08:09:24 2024 UTC, 10.1.1.1 GigabitEthernet1/0/1 "
    return (unit * (size // len(unit) + 1))[:size]
