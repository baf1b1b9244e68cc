"""Rules: YAML files in rules/, validated against rules/schema.json, and their conditions.

A condition is data, never Python: ``all``/``any``/``not`` over two kinds of test:

* ``{fact: registration.failure_reason, regex: '...'}`` - a fact compared with ``equals``,
  ``in``, ``regex`` (search), ``exists``, or ``lt``/``le``/``gt``/``ge``. Durations compare
  in days; dates compare as days from the device's clock (negative = in the past).
* ``{rows: syslog, match: {tag: 'SMART_LIC-3-AGENT_REG_FAILED', message: '...'}}`` - some
  row of a collection whose fields all match the regexes (``min_count`` rows at least).

Whatever a condition matched is quoted as evidence, with the facts listed under ``evidence``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import facts as fm
from . import regexcache
from .resources import DataError, data_dir, fingerprint, load_yaml, read_cache, write_cache

SEVERITIES = ("critical", "error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
MAX_ROWS_QUOTED = 5


@dataclass
class Rule:
    id: str
    version: int
    title: str
    scenario: int | None
    category: str
    severity: str
    when: dict[str, Any]
    evidence: list[str]
    explanation: str
    next_steps: list[str]
    references: dict[str, Any]
    supersedes: list[str]
    causes: list[str]
    settle_with: list[str]
    modes: list[str] | None
    positive: list[Path]
    negative: list[Path]
    file: Path
    # [{when, severity, because}]: the first that holds sets the severity ("silent": none).
    calibrate: list[dict[str, Any]] = field(default_factory=list)
    # Positive examples whose finding must have a given severity.
    severities: dict[Path, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, doc: dict[str, Any], file: Path) -> Rule:
        base = file.parent
        severities = {base / p["file"]: p["severity"] for p in doc["examples"]["positive"]
                      if isinstance(p, dict)}
        return cls(
            id=doc["id"], version=doc["version"], title=doc["title"],
            scenario=doc.get("scenario"), category=doc["category"], severity=doc["severity"],
            when=doc["when"], evidence=list(doc.get("evidence", [])),
            explanation=doc["explanation"], next_steps=list(doc["next_steps"]),
            references=dict(doc["references"]), supersedes=list(doc.get("supersedes", [])),
            causes=list((doc.get("causes") or {}).get("rules", [])),
            settle_with=list((doc.get("causes") or {}).get("settle_with", [])),
            modes=doc.get("modes"),
            positive=[base / _example_file(p) for p in doc["examples"]["positive"]],

            negative=[base / p for p in doc["examples"]["negative"]],
            file=file, calibrate=list(doc.get("calibrate") or []), severities=severities)


# ---------------------------------------------------------------------------------------
# Loading and validation


def _example_file(example: str | dict[str, Any]) -> str:
    return example["file"] if isinstance(example, dict) else example


FLOWCHART_FILE = "flowchart.yaml"
# Knowledge files in rules/ that are not rules.
MODES_FILE = "modes.yaml"
VERDICTS_FILE = "verdicts.yaml"
DATA_FILES = {FLOWCHART_FILE, MODES_FILE, VERDICTS_FILE, "redaction.yaml"}


def rule_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            raise DataError(f"{d}: rules folder not found")
        files.extend(sorted(p for p in d.glob("*.yaml")
                            if not p.name.startswith("_") and p.name not in DATA_FILES))
    return files


@dataclass
class Stage:
    stage: str
    label: str
    modes: list[str]
    when: dict[str, Any]
    path: list[str]
    locates: bool = True   # false: the stage only says which flowchart applies (not shown)


def load_modes() -> list[tuple[str, dict[str, Any]]]:
    """rules/modes.yaml: (mode, condition) in the order they are tried."""
    from .resources import load_yaml_cached

    path = data_dir("rules") / MODES_FILE
    doc = load_yaml_cached(path)
    modes = []
    try:
        for i, entry in enumerate(doc["modes"]):
            _check_condition(entry["when"], path, f"modes/{i}/when")
            modes.append((str(entry["mode"]), entry["when"]))
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: invalid mode entry ({exc})") from None
    return modes


@dataclass
class Verdict:
    modes: list[str]
    when: dict[str, Any]
    text: str


def load_verdicts() -> list[Verdict]:
    """rules/verdicts.yaml: what a device with nothing wrong is told."""
    from .resources import load_yaml_cached

    path = data_dir("rules") / VERDICTS_FILE
    doc = load_yaml_cached(path)
    # Compiling the texts to check them costs more than a small analysis: once per change.
    checked = f"verdicts-checked-{fingerprint([path])}.json"
    texts_checked = read_cache(checked) is not None
    verdicts = []
    try:
        for i, entry in enumerate(doc["verdicts"]):
            _check_condition(entry["when"], path, f"verdicts/{i}/when", allow_findings=True)
            if not texts_checked:
                _check_template(entry["text"], path, f"verdicts/{i}/text")
            verdicts.append(Verdict(list(entry["modes"]), entry["when"], str(entry["text"])))
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: invalid verdict entry ({exc})") from None
    if not texts_checked:
        write_cache(checked, True)
    return verdicts


def load_flowchart() -> list[Stage]:
    """rules/flowchart.yaml: the TAC guide's flowchart stages, checked like rules are."""
    from .resources import load_yaml_cached

    path = data_dir("rules") / FLOWCHART_FILE
    doc = load_yaml_cached(path)
    stages = []
    try:
        for i, entry in enumerate(doc["stages"]):
            for key in ("stage", "label", "modes", "when", "path"):
                if key not in entry:
                    raise DataError(f"{path}: field 'stages/{i}/{key}' is missing")
            _check_condition(entry["when"], path, f"stages/{i}/when", allow_findings=True)
            stages.append(Stage(entry["stage"], entry["label"], list(entry["modes"]),
                                entry["when"], [str(p) for p in entry["path"]],
                                bool(entry.get("locates", True))))
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: invalid flowchart ({exc})") from None
    return stages


def load_rules(extra_dirs: list[Path] | None = None, use_cache: bool = True) -> list[Rule]:
    """Load and validate every rule; a broken rule file raises DataError naming file and field.

    Validated documents are cached (keyed by the files' names, sizes and times) so that
    an ordinary run parses no YAML and imports no schema validator.
    """
    dirs = [data_dir("rules"), *(extra_dirs or [])]
    files = rule_files(dirs)
    schema_path = data_dir("rules") / "schema.json"
    cache_name = f"rules-{fingerprint([schema_path, *files])}.json"
    docs = read_cache(cache_name) if use_cache else None
    if not isinstance(docs, list) or len(docs) != len(files):
        docs = [load_yaml(f) for f in files]
        validate_documents(docs, files, schema_path)
        if use_cache:
            write_cache(cache_name, docs)
    rules = [Rule.from_dict(doc, f) for doc, f in zip(docs, files, strict=True)]
    return rules


def validate_documents(docs: list[Any], files: list[Path], schema_path: Path) -> None:
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    seen: dict[str, Path] = {}
    for doc, file in zip(docs, files, strict=True):
        if not isinstance(doc, dict):
            raise DataError(f"{file}: a rule file must hold one mapping (id, title, when, ...)")
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            error = _most_specific(errors)
            where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
            raise DataError(f"{file}: field '{where}': {error.message}")
        if doc["id"] in seen:
            raise DataError(
                f"{file}: field 'id': '{doc['id']}' is already used by {seen[doc['id']]}")
        if file.stem != doc["id"]:
            raise DataError(f"{file}: field 'id': '{doc['id']}' must match the file name")
        seen[doc["id"]] = file
        _check_condition(doc["when"], file, "when")
        for i, step in enumerate(doc.get("calibrate") or []):
            _check_condition(step["when"], file, f"calibrate/{i}/when")
            if step.get("because"):
                _check_template(step["because"], file, f"calibrate/{i}/because")
        for i, path in enumerate(doc.get("evidence", [])):
            if not fm.is_known_path(path):
                raise DataError(f"{file}: field 'evidence/{i}': unknown fact '{path}'")
        for kind in ("positive", "negative"):
            for i, example in enumerate(doc["examples"][kind]):
                example = _example_file(example)
                if not (file.parent / example).is_file():
                    raise DataError(f"{file}: field 'examples/{kind}/{i}': no such file {example}")
        for i, text in enumerate([doc["explanation"], *doc["next_steps"]]):
            _check_template(text, file, "explanation" if i == 0 else f"next_steps/{i - 1}")
    for doc, file in zip(docs, files, strict=True):
        for i, other in enumerate(doc.get("supersedes", [])):
            if other not in seen:
                raise DataError(f"{file}: field 'supersedes/{i}': no rule '{other}'")
        for i, other in enumerate((doc.get("causes") or {}).get("rules", [])):
            if other not in seen:
                raise DataError(f"{file}: field 'causes/rules/{i}': no rule '{other}'")


def _most_specific(errors: list[Any]) -> Any:
    # oneOf failures nest the useful message in their context: pick the deepest one.
    best = errors[0]
    for error in errors:
        for sub in [error, *error.context]:
            if len(sub.absolute_path) > len(best.absolute_path):
                best = sub
    return best


def _check_condition(cond: dict[str, Any], file: Path, where: str,
                     allow_findings: bool = False) -> None:
    for key in ("all", "any"):
        if key in cond:
            for i, sub in enumerate(cond[key]):
                _check_condition(sub, file, f"{where}/{key}/{i}", allow_findings)
            return
    if "not" in cond:
        _check_condition(cond["not"], file, f"{where}/not", allow_findings)
        return
    if "finding" in cond:
        if not allow_findings:
            raise DataError(
                f"{file}: field '{where}/finding': only the flowchart may test findings")
        _check_regex(cond["finding"], file, f"{where}/finding")
        return
    if "fact" in cond:
        if not fm.is_known_path(cond["fact"]):
            raise DataError(f"{file}: field '{where}/fact': unknown fact '{cond['fact']}'")
        if "regex" in cond:
            _check_regex(cond["regex"], file, f"{where}/regex")
        for op in ("lt_fact", "gt_fact", "eq_fact"):
            if op in cond and not fm.is_known_path(cond[op]):
                raise DataError(f"{file}: field '{where}/{op}': unknown fact '{cond[op]}'")
        return
    for key in ("match", "unless_later"):
        for name, pattern in (cond.get(key) or {}).items():
            _check_regex(pattern, file, f"{where}/{key}/{name}")
    fields = set(fm.ROW_FIELDS.get(cond["rows"], ()))
    for key in ("match", "unless_later", "where"):
        for name in cond.get(key) or {}:
            if fields and name not in fields:
                raise DataError(f"{file}: field '{where}/{key}/{name}': rows of "
                                f"{cond['rows']} have no field '{name}'")
    for name, test in (cond.get("where") or {}).items():
        for op in ("after", "before"):
            if op in test and fields and test[op] not in fields:
                raise DataError(f"{file}: field '{where}/where/{name}/{op}': rows of "
                                f"{cond['rows']} have no field '{test[op]}'")


def _check_regex(pattern: str, file: Path, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise DataError(f"{file}: field '{where}': invalid regex ({exc})") from None


def _check_template(text: str, file: Path, where: str) -> None:
    from .messages import compile_message

    try:
        compile_message(text)
    except Exception as exc:  # jinja2's TemplateSyntaxError; kept generic to avoid the import
        raise DataError(f"{file}: field '{where}': invalid template ({exc})") from None


# ---------------------------------------------------------------------------------------
# Evaluation

Evidence = fm.Fact | fm.Row


@dataclass
class Match:
    matched: bool
    evidence: list[Evidence] = field(default_factory=list)


def evaluate(cond: dict[str, Any], facts: fm.Facts, now: datetime | None,
             findings: frozenset[str] = frozenset()) -> Match:
    if "finding" in cond:
        return Match(any(re.search(cond["finding"], f) for f in findings))
    if "all" in cond:
        evidence: list[Evidence] = []
        for sub in cond["all"]:
            result = evaluate(sub, facts, now, findings)
            if not result.matched:
                return Match(False)
            evidence.extend(result.evidence)
        return Match(True, evidence)
    if "any" in cond:
        evidence = []
        matched = False
        for sub in cond["any"]:
            result = evaluate(sub, facts, now, findings)
            if result.matched:
                matched = True
                evidence.extend(result.evidence)
        return Match(matched, evidence)
    if "not" in cond:
        return Match(not evaluate(cond["not"], facts, now, findings).matched)
    if "fact" in cond:
        return _fact_test(cond, facts.get(cond["fact"]), now, facts)
    return _rows_test(cond, facts.rows(cond["rows"]), now)


def _fact_test(cond: dict[str, Any], fact: fm.Fact | None, now: datetime | None,
               facts: fm.Facts) -> Match:
    if "exists" in cond and (fact is not None) != cond["exists"]:
        return Match(False)
    if fact is None:
        # Only "exists: false" can hold for a fact the capture does not show.
        return Match("exists" in cond and not cond["exists"] and len(cond) == 2)
    value = fact.value
    if "equals" in cond and not _equal(value, cond["equals"]):
        return Match(False)
    if "in" in cond and not any(_equal(value, v) for v in cond["in"]):
        return Match(False)
    if "regex" in cond and not re.search(cond["regex"], fm.human(value)):
        return Match(False)
    for op in ("lt", "le", "gt", "ge"):
        if op in cond:
            number = _as_number(value, now)
            if number is None or not _compare(op, number, cond[op]):
                return Match(False)
    for op in ("version_lt", "version_ge"):
        if op in cond:
            have, bound = release(fm.human(value)), release(str(cond[op]))
            if have is None or bound is None or not _compare(op[-2:], have, bound):
                return Match(False)
    quoted = [fact]
    for op in ("lt_fact", "gt_fact"):
        if op in cond:
            other = facts.get(cond[op])
            a = _as_ordered(value, now)
            b = _as_ordered(other.value, now) if other else None
            if a is None or b is None or not _compare(op[:2], a, b):
                return Match(False)
            quoted.append(other)
    if "eq_fact" in cond:
        other = facts.get(cond["eq_fact"])
        if other is None or not _equal(fm.human(value), fm.human(other.value)):
            return Match(False)
        quoted.append(other)
    return Match(True, quoted)


def _equal(value: Any, expected: Any) -> bool:
    if isinstance(value, str) and isinstance(expected, str):
        return value.strip().upper() == expected.strip().upper()
    return value == expected


def _as_number(value: Any, now: datetime | None) -> float | None:
    """Numbers as they are, durations in days, dates in days from the device's clock (none
    without a clock: no deadline is assumed passed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, datetime):
        return None if now is None else (value - now).total_seconds() / 86400
    return None


def _as_ordered(value: Any, now: datetime | None) -> float | None:
    """Like _as_number, but two dates compare with each other even without a clock."""
    if isinstance(value, datetime) and now is None:
        return value.timestamp() / 86400
    return _as_number(value, now)


_RELEASE = re.compile(r"^\s*0*(\d{1,3})\.0*(\d{1,3})(?:\.0*(\d{1,3}))?([a-z]?)")


def release(text: str) -> tuple[int, int, int, str] | None:
    """An IOS-XE release as comparable numbers: '17.03.02a' -> (17, 3, 2, 'a');
    None for what is not one (classic IOS '15.2(7)E3' has no third number)."""
    m = _RELEASE.match(text)
    if m is None or (m[3] is None and "(" in text):
        return None
    return int(m[1]), int(m[2]), int(m[3] or 0), m[4]


def _row_where(row: fm.Row, where: dict[str, dict[str, Any]], now: datetime | None) -> bool:
    """Comparisons on a row's own fields: numbers (dates as days from the device clock) with
    lt/le/gt/ge, and dates with after/before another field of the row (a missing other
    date counts as long ago: "failed after its last success" holds when it never
    succeeded)."""
    for name, test in where.items():
        value = row.get(name)
        for op in ("lt", "le", "gt", "ge"):
            if op in test:
                number = _as_number(value, now)
                if number is None or not _compare(op, number, test[op]):
                    return False
        for op in ("after", "before"):
            if op not in test:
                continue
            other = row.get(test[op])
            if not isinstance(value, datetime):
                return False
            if not isinstance(other, datetime):
                if op == "before":
                    return False
                continue
            if (value > other) != (op == "after") or value == other:
                return False
    return True


def _compare(op: str, a: Any, b: Any) -> bool:
    return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]


def _rows_test(cond: dict[str, Any], rows: list[fm.Row], now: datetime | None = None
               ) -> Match:
    # `match` may be left out: any row of the collection then counts.
    patterns = {name: regexcache.compile(p) for name, p in (cond.get("match") or {}).items()}
    hits = [row for row in rows
            if all(p.search(fm.human(row.get(name))) for name, p in patterns.items())]
    where = cond.get("where")
    if where:
        hits = [row for row in hits if _row_where(row, where, now)]
    later = cond.get("unless_later")
    if later:
        # A failure a later row shows fixed (COMM_RESTORED after COMM_FAILED, a saved
        # configuration after "not saved") no longer counts: log rows are in time order.
        undo = {name: regexcache.compile(p) for name, p in later.items()}
        fixed = [row.line for row in rows
                 if all(p.search(fm.human(row.get(name))) for name, p in undo.items())]
        last_fix = max(fixed, default=0)
        hits = [row for row in hits if row.line > last_fix]
    # Quote the lines of the fields matched on, for a few rows, not fifty identical log lines.
    names = list(patterns)
    quoted: list[Evidence] = [q for row in hits[:MAX_ROWS_QUOTED] for q in row.quote(names)]
    return Match(len(hits) >= cond.get("min_count", 1), quoted)
