"""Rule texts run as plans (no jinja2) say exactly what jinja2 says, or are left to jinja2."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from datetime import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment

from sldiag.diagnosing import messages
from sldiag.diagnosing.textplans import Unplanned, plan_of, render_plan
from sldiag.model.facts import Facts
from sldiag.model.results import Clock

from .conftest import CORPUS, ROOT, SAMPLES

JINJA = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


def shipped_texts() -> list[str]:
    """Every templated text of the shipped rules and verdicts, read from the YAML itself."""
    texts: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, str) and messages.is_template(node):
            texts.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in glob.glob(str(ROOT / "rules" / "*.yaml")):
        with open(path, encoding="utf-8") as fh:
            collect(yaml.safe_load(fh))
    return sorted(texts)


def both_ways(text: str, facts: Facts, hostname: str | None, clock: Clock | None
              ) -> tuple[tuple[str, set[str]], tuple[str, set[str]]]:
    """The text and the facts it used, rendered by its plan and by jinja2."""
    saved = dict(messages._PLANS)
    try:
        messages._PLANS.clear()
        used_jinja: set[str] = set()
        by_jinja = messages.render_text(text, facts, hostname, clock, used_jinja)
        plan = plan_of(text)
        assert plan is not None, text
        messages._PLANS[text] = plan
        used_plan: set[str] = set()
        by_plan = messages.render_text(text, facts, hostname, clock, used_plan)
    finally:
        messages._PLANS.clear()
        messages._PLANS.update(saved)
    return (by_plan, used_plan), (by_jinja, used_jinja)


def test_every_shipped_template_has_a_plan():
    texts = shipped_texts()
    assert len(texts) > 50  # the rules' next steps and explanations that name facts
    unplanned = [t[:80] for t in texts if plan_of(t) is None]
    assert not unplanned, f"rendered by jinja2 in every run (extend textplans.py): {unplanned}"


def test_every_shipped_template_says_the_same_over_every_sample(knowledge):
    from sldiag.analysis.run import analyse_paths

    samples = sorted(str(p) for p in SAMPLES.iterdir() if p.is_file())
    results = analyse_paths(samples, knowledge).results
    assert len(results) >= len(samples) - 1
    texts = shipped_texts()
    compared = 0
    for result in results:
        for text in texts:
            planned, rendered = both_ways(text, result.facts, result.hostname,
                                          result.reference_time)
            assert planned == rendered, (result.source, text)
            compared += 1
    assert compared == len(results) * len(texts)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_every_shipped_template_says_the_same_over_real_outputs(knowledge):
    from sldiag.analysis.run import analyse_paths

    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    results = analyse_paths(files, knowledge).results
    assert len(results) >= 50
    texts = shipped_texts()
    for result in results:
        for text in texts:
            planned, rendered = both_ways(text, result.facts, result.hostname,
                                          result.reference_time)
            assert planned == rendered, (result.source, text)


def test_an_empty_device_says_the_same():
    for text in shipped_texts():
        planned, rendered = both_ways(text, Facts(), None, None)
        assert planned == rendered, text


def test_a_json_analysis_imports_no_jinja2():
    # JSON for automation has no template; its findings' texts run as plans.
    code = ("import sys; from sldiag.cli import main; sys.argv = ['sldiag', 'analyze', "
            f"'--format', 'json', {str(SAMPLES / '08-out-of-compliance.session.log')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('jinja2' in sys.modules, file=sys.stderr)")
    for _ in range(2):  # the first run fills the cache, the second reads it
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
        findings = json.loads(done.stdout)["devices"][0]["findings"]
        texts = [f["explanation"] for f in findings] + [s for f in findings
                                                        for s in f["next_steps"]]
        assert any("3 network and 3 DNA licenses" in t for t in texts)  # a stack of three
        assert not any("{{" in t or "{%" in t for t in texts)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


@pytest.mark.parametrize("text", [
    "{% for x in [1] %}{{ x }}{% endfor %}",          # loops
    "{{ fact('a') if hostname else 'b' }}",           # conditional expressions
    "{{ other }}",                                    # a name rule texts are not given
    "{{ hostname | e }}",                             # another filter
    "{{ hostname.__class__ }}",                       # attributes
    "{{ hostname.format(1) }}",                       # a method the plans do not call
    "{{ fact(path='x') }}",                           # keyword arguments
    "{{ 1 + 2 }}",                                    # arithmetic
    "{% set x = 1 %}{{ x }}",                         # assignments
])
def test_what_plans_do_not_cover_is_left_to_jinja2(text):
    assert plan_of(text) is None


@pytest.mark.parametrize("plan", [
    "text", [["=", ["name", "os"]]], [["=", ["const", {"a": 1}]]], [["bogus"]],
    [["=", ["call", ["method", ["const", "x"], "format"], []]]],
    [["=", ["call", ["method", ["const", 3], "upper"], []]]], [["if"]],
    [["=", ["filter", "e", ["const", "x"], []]]], [["=", ["call", ["const", "x"], []]]],
    [["=", ["compare", ["const", 1], [["lt", ["const", 2]]]]]],
    [["if", ["const", True], [["=", ["nope"]]], []]],
])
def test_a_damaged_plan_is_refused(plan):
    with pytest.raises(Unplanned):
        render_plan(plan, {"hostname": "h", "fact": str})


def test_a_damaged_kept_plan_only_costs_speed():
    text = "On {{ hostname }}: {{ fact('registration.status', 'not shown') | upper }}"
    saved = dict(messages._PLANS)
    try:
        messages._PLANS.clear()
        expected = messages.render_text(text, Facts(), "SW1", None)
        messages.add_plans({text: [["=", ["call", ["name", "nope"], []]]]})
        assert messages.render_text(text, Facts(), "SW1", None) == expected
    finally:
        messages._PLANS.clear()
        messages._PLANS.update(saved)
    assert expected == "On SW1: NOT SHOWN"


# Texts made from the grammar plans cover, with values of every shape a fact takes.
WORDS = st.text(alphabet="abcXYZ -_.{}%#'\n", max_size=12)
VALUES = st.one_of(st.none(), WORDS, st.integers(-5, 5), st.lists(WORDS, max_size=3),
                   st.just(datetime(2026, 1, 2, 3, 4, 5)))


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@st.composite
def expressions(draw, depth: int = 0) -> str:
    leaf = draw(st.sampled_from(["call", "name", "const", "days"]))
    if depth < 2 and draw(st.booleans()):
        kind = draw(st.sampled_from(["filter", "method", "compare", "not", "and", "or"]))
        inner = draw(expressions(depth + 1))
        other = draw(expressions(depth + 1))
        return {
            "filter": f"({inner}) | {draw(st.sampled_from(['upper', 'lower']))}"
            if draw(st.booleans()) else f"({inner}) | replace({_quoted(draw(WORDS))}, 'x')",
            "method": f"({inner}).upper().startswith({_quoted(draw(WORDS))})",
            "compare": f"({inner}) {draw(st.sampled_from(['==', '!=', 'in', 'not in']))} "
                       f"({other})",
            "not": f"not ({inner})", "and": f"({inner}) and ({other})",
            "or": f"({inner}) or ({other})",
        }[kind]
    path = draw(st.sampled_from(["a.b", "c.d", "e.f"]))
    return {
        "call": f"fact('{path}'" + (f", {_quoted(draw(WORDS))})" if draw(st.booleans())
                                    else ")"),
        "name": draw(st.sampled_from(["hostname", "clock_source"])),
        "const": _quoted(draw(WORDS)),
        "days": f"days_left('{path}')",
    }[leaf]


@st.composite
def templates(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "print", "if"]))
        if kind == "text":
            parts.append(draw(st.text(alphabet="ab \n.-", max_size=8)))
        elif kind == "print":
            parts.append("{{ " + draw(expressions()) + " }}")
        else:
            parts.append("{% if " + draw(expressions()) + " %}A{{ " + draw(expressions())
                         + " }}" + draw(st.sampled_from(["", "{% elif hostname %}B",
                                                         "{% else %}C"])) + "{% endif %}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(templates(), st.dictionaries(st.sampled_from(["a.b", "c.d", "e.f"]), VALUES),
       st.one_of(st.none(), WORDS))
def test_generated_templates_say_what_jinja2_says(text, values, hostname):
    plan = plan_of(text)
    assert plan is not None, text
    names = {"hostname": hostname or "<hostname>", "clock_source": "NTP",
             "fact": lambda path, default="unknown": default if values.get(path) is None
             else str(values[path]),
             "days_left": lambda path: "-3" if isinstance(values.get(path), datetime)
             else "an unknown number of"}
    try:
        expected: str | type[Exception] = JINJA.from_string(text).render(**names)
    except Exception as exc:  # noqa: BLE001 - "in" on an int: both must fail
        expected = type(exc)
    try:
        got: str | type[Exception] = render_plan(plan, names)
    except Unplanned:
        got = expected if isinstance(expected, type) else "UNPLANNED"
    assert got == expected, text
