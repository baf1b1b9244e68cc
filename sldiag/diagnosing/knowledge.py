"""The knowledge of rules/, loaded and checked: rules (with their examples beside them),
licensing modes, positive verdicts and the TAC guide's flowchart, each file against its own
schema (rules/schema.json), conditions compiled once.

A broken file raises DataError naming the file and the field. Validated documents are cached
(by the SHA-256 of the files, see base/resources.py) so that an ordinary run parses no YAML
and imports no schema validator.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import DataError
from ..base.resources import data_dir, fingerprint, load_yaml, read_cache, write_cache
from ..model import facts as fm
from ..model.catalog import Catalog, load_catalog
from .conditions import Condition, Where, compile_condition
from .messages import add_plans
from .releases import Advisory
from .textplans import PLAN_FORMAT, plan_of

SEVERITIES = ("critical", "error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# Knowledge files in rules/ that are not rules, and the schema definition of each.
DATA_FILES = {"flowchart.yaml": "flowchart", "modes.yaml": "modes",
              "verdicts.yaml": "verdicts", "redaction.yaml": "redaction",
              "releases.yaml": "releases"}
EXAMPLES_DIR = "examples"
_EXAMPLE = re.compile(r"^(?P<kind>positive|negative)-[\w.-]+?(?:\.(?P<severity>critical|error|"
                      r"warning|info))?\.txt$")


@dataclass(frozen=True)
class Calibration:
    """A condition under which the rule's finding has another severity ("silent": none)."""

    when: Condition
    severity: str
    because: str


@dataclass(frozen=True)
class Example:
    path: Path
    positive: bool
    severity: str | None = None   # the severity a positive example's finding must have


@dataclass(frozen=True)
class Step:
    """A next step, offered only where its guard holds: the licensing modes it applies to,
    and a condition on the facts (a release, a platform, what the agent supports)."""

    text: str
    modes: tuple[str, ...] | None = None
    when: Condition | None = None


@dataclass
class Rule:
    id: str
    version: int
    title: str
    scenario: int | None
    category: str
    severity: str
    when: Condition
    evidence: list[str]
    explanation: str
    steps: list[Step]
    references: dict[str, Any]
    supersedes: list[str]
    causes: list[str]
    settle_with: list[str]
    modes: list[str] | None
    file: Path
    calibrate: list[Calibration] = field(default_factory=list)
    fix: dict[str, Any] | None = None  # configure / verify / expect (rules/schema.json)

    @property
    def next_steps(self) -> list[str]:
        """The texts of every step, guarded or not."""
        return [step.text for step in self.steps]

    def examples(self) -> list[Example]:
        """The captures in examples/<id>/ beside the rule: ``positive-<name>[.<severity>].txt``
        must make it fire (with that severity), ``negative-<name>.txt`` must not."""
        return rule_examples(self.file.parent / EXAMPLES_DIR / self.id)

    @property
    def positive(self) -> list[Path]:
        return [e.path for e in self.examples() if e.positive]

    @property
    def negative(self) -> list[Path]:
        return [e.path for e in self.examples() if not e.positive]


def rule_examples(folder: Path) -> list[Example]:
    found = []
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        m = _EXAMPLE.match(path.name)
        if m:
            found.append(Example(path, m["kind"] == "positive", m["severity"]))
    return found


@dataclass(frozen=True)
class Stage:
    stage: str
    label: str
    modes: list[str]
    when: Condition
    path: list[str]
    locates: bool = True   # false: the stage only says which flowchart applies (not shown)


@dataclass(frozen=True)
class Verdict:
    modes: list[str]
    when: Condition
    text: str


@dataclass
class Knowledge:
    catalog: Catalog
    rules: list[Rule]
    flowchart: list[Stage] = field(default_factory=list)
    modes: list[tuple[str, Condition]] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    mode_labels: dict[str, str] = field(default_factory=dict)
    advisories: list[Advisory] = field(default_factory=list)

    @classmethod
    def load(cls, extra_rule_dirs: list[Path] | None = None) -> Knowledge:
        documents = load_documents(extra_rule_dirs)
        return cls(load_catalog(), documents.rules(), documents.flowchart(),
                   documents.modes(), documents.verdicts(), documents.mode_labels(),
                   documents.advisories())


_SHARED: Knowledge | None = None
_SHARED_LOCK = threading.Lock()


def shared_knowledge() -> Knowledge:
    """The shipped knowledge, loaded once per process (collection threads share it)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Knowledge.load()
    return _SHARED


# ---------------------------------------------------------------------------------------
# Loading and checking


def rule_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            raise DataError(f"{d}: rules folder not found")
        files.extend(sorted(p for p in d.glob("*.yaml")
                            if not p.name.startswith("_") and p.name not in DATA_FILES))
    return files


@dataclass
class Documents:
    """The validated documents of every knowledge file, ready to compile."""

    rule_docs: list[tuple[Path, dict[str, Any]]]
    data_docs: dict[str, tuple[Path, dict[str, Any]]]
    checked: bool          # validated in this run (regexes checked while compiling)

    def rules(self) -> list[Rule]:
        return [_rule(doc, file, self.checked) for file, doc in self.rule_docs]

    def modes(self) -> list[tuple[str, Condition]]:
        path, doc = self.data_docs["modes"]
        return [(str(e["mode"]), compile_condition(e["when"], Where(path, f"modes/{i}/when"),
                                                   validate=self.checked))
                for i, e in enumerate(doc["modes"])]

    def mode_labels(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.data_docs["modes"][1]["labels"].items()}

    def advisories(self) -> list[Advisory]:
        return [Advisory.from_doc(e) for e in self.data_docs["releases"][1]["advisories"]]

    def verdicts(self) -> list[Verdict]:
        path, doc = self.data_docs["verdicts"]
        return [Verdict(list(e["modes"]), compile_condition(
            e["when"], Where(path, f"verdicts/{i}/when"), allow_findings=True,
            validate=self.checked), str(e["text"])) for i, e in enumerate(doc["verdicts"])]

    def flowchart(self) -> list[Stage]:
        path, doc = self.data_docs["flowchart"]
        return [Stage(e["stage"], e["label"], list(e["modes"]), compile_condition(
            e["when"], Where(path, f"stages/{i}/when"), allow_findings=True,
            validate=self.checked), [str(p) for p in e["path"]], bool(e.get("locates", True)))
                for i, e in enumerate(doc["stages"])]


def load_documents(extra_dirs: list[Path] | None = None, use_cache: bool = True) -> Documents:
    base = data_dir("rules")
    dirs = [base, *(extra_dirs or [])]
    files = rule_files(dirs)
    data_files = {kind: base / name for name, kind in DATA_FILES.items()}
    schema_path = base / "schema.json"
    sources = [schema_path, *files, *data_files.values()]
    cache_name = f"rules-{fingerprint(sources, f'text plans {PLAN_FORMAT}')}.marshal"
    cached = read_cache(cache_name) if use_cache else None
    if isinstance(cached, dict) and len(cached.get("rules", [])) == len(files):
        if isinstance(cached.get("plans"), dict):
            add_plans(cached["plans"])
        return Documents(list(zip(files, cached["rules"], strict=True)),
                         {k: (data_files[k], cached["data"][k]) for k in data_files}, False)
    rule_docs = [load_yaml(f) for f in files]
    data_docs = {kind: load_yaml(path) for kind, path in data_files.items()}
    validate(rule_docs, files, data_docs, data_files, schema_path)
    documents = Documents(list(zip(files, rule_docs, strict=True)),
                          {k: (data_files[k], data_docs[k]) for k in data_files}, True)
    # Compiling checks every condition and text: only what passed is cached.
    documents.rules(), documents.modes(), documents.verdicts(), documents.flowchart()
    plans: dict[str, Any] = {}
    for file, doc in documents.rule_docs:
        _check_texts(doc, file, plans)
    for i, entry in enumerate(data_docs["verdicts"]["verdicts"]):
        _check_template(entry["text"], data_files["verdicts"], f"verdicts/{i}/text", plans)
    add_plans(plans)
    if use_cache:
        write_cache(cache_name, {"rules": rule_docs, "data": data_docs, "plans": plans})
    return documents


def load_rules(extra_dirs: list[Path] | None = None, use_cache: bool = True) -> list[Rule]:
    return load_documents(extra_dirs, use_cache).rules()


def _rule(doc: dict[str, Any], file: Path, validate: bool) -> Rule:
    causes = doc.get("causes") or {}
    return Rule(
        id=doc["id"], version=doc["version"], title=doc["title"],
        scenario=doc.get("scenario"), category=doc["category"], severity=doc["severity"],
        when=compile_condition(doc["when"], Where(file, "when"), validate=validate),
        evidence=list(doc.get("evidence", [])), explanation=doc["explanation"],
        steps=[_step(s, file, i, validate) for i, s in enumerate(doc["next_steps"])],
        references=dict(doc["references"]),
        supersedes=list(doc.get("supersedes", [])), causes=list(causes.get("rules", [])),
        settle_with=list(causes.get("settle_with", [])), modes=doc.get("modes"), file=file,
        calibrate=[Calibration(compile_condition(step["when"], Where(file, f"calibrate/{i}/when"),
                                                 validate=validate),
                               step["severity"], step["because"])
                   for i, step in enumerate(doc.get("calibrate") or [])],
        fix=doc.get("fix"))


def _step(doc: str | dict[str, Any], file: Path, index: int, validate: bool) -> Step:
    if isinstance(doc, str):
        return Step(doc)
    modes = tuple(doc["modes"]) if doc.get("modes") else None
    when = (compile_condition(doc["when"], Where(file, f"next_steps/{index}/when"),
                              validate=validate) if "when" in doc else None)
    return Step(doc["text"], modes, when)


def validate(rule_docs: list[Any], files: list[Path], data_docs: dict[str, Any],
             data_files: dict[str, Path], schema_path: Path) -> None:
    import json

    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))

    def check(doc: Any, file: Path, kind: str) -> None:
        if not isinstance(doc, dict):
            raise DataError(f"{file}: the file must hold one mapping")
        validator = jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"})
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            error = _most_specific(errors)
            where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
            raise DataError(f"{file}: field '{where}': {error.message}")

    for kind, doc in data_docs.items():
        check(doc, data_files[kind], kind)
    seen: dict[str, Path] = {}
    for doc, file in zip(rule_docs, files, strict=True):
        check(doc, file, "rule")
        if doc["id"] in seen:
            raise DataError(
                f"{file}: field 'id': '{doc['id']}' is already used by {seen[doc['id']]}")
        if file.stem != doc["id"]:
            raise DataError(f"{file}: field 'id': '{doc['id']}' must match the file name")
        seen[doc["id"]] = file
        for i, path in enumerate(doc.get("evidence", [])):
            if not fm.is_known_path(path):
                raise DataError(f"{file}: field 'evidence/{i}': unknown fact '{path}'")
        examples = rule_examples(file.parent / EXAMPLES_DIR / doc["id"])
        for kind, wanted in (("positive", True), ("negative", False)):
            if not any(e.positive is wanted for e in examples):
                raise DataError(f"{file}: no {kind} example in "
                                f"{EXAMPLES_DIR}/{doc['id']}/ ({kind}-<name>.txt)")
    for doc, file in zip(rule_docs, files, strict=True):
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


def _check_texts(doc: dict[str, Any], file: Path, plans: dict[str, Any]) -> None:
    for i, step in enumerate(doc.get("calibrate") or []):
        _check_template(step["because"], file, f"calibrate/{i}/because", plans)
    steps = [s if isinstance(s, str) else s["text"] for s in doc["next_steps"]]
    for i, text in enumerate([doc["explanation"], *steps]):
        _check_template(text, file, "explanation" if i == 0 else f"next_steps/{i - 1}", plans)
    for part in ("configure", "verify"):
        for i, text in enumerate((doc.get("fix") or {}).get(part, [])):
            _check_template(text, file, f"fix/{part}/{i}", plans)


def _check_template(text: str, file: Path, where: str, plans: dict[str, Any]) -> None:
    """A text jinja2 compiles, and its plan (``plans``) where it is a template that has one."""
    from .messages import compile_message, is_template

    try:
        compile_message(text)
    except Exception as exc:  # jinja2's TemplateSyntaxError; kept generic to avoid the import
        raise DataError(f"{file}: field '{where}': invalid template ({exc})") from None
    plan = plan_of(text) if is_template(text) else None
    if plan is not None:
        plans[text] = plan
