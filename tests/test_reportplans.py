"""The text and Markdown reports run as plans (no jinja2) say exactly what jinja2 says, or are
left to jinja2."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sldiag.model.problems import Problems
from sldiag.render import formats, reportplans
from sldiag.render.environment import environment, finalize_for
from sldiag.render.planrunner import Unplanned, compile_plan
from sldiag.render.reportplans import plan_of

from .conftest import CORPUS, ROOT, SAMPLES

OPTIONS = [{}, {"verbose": True}, {"min_severity": "error"}, {"summary_only": True},
           {"colour": True, "width": 60}]


def _both_ways(results, problems: Problems, fmt: str, options: dict) -> tuple[str, str]:
    """The report by its plan (which must have made it) and by jinja2."""
    report = formats.ReportOptions(**options)
    made: list[bool] = []
    planned = reportplans.render_planned

    def watched(*args):
        text = planned(*args)
        made.append(text is not None)
        return text

    reportplans.render_planned = watched
    try:
        by_plan = str(formats.render_template(results, problems, report, fmt))
        reportplans.render_planned = lambda *args: None
        by_jinja = str(formats.render_template(results, problems, report, fmt))
    finally:
        reportplans.render_planned = planned
    assert made == [True], f"{fmt} {options}: the plan left the report to jinja2"
    return by_plan, by_jinja


@pytest.fixture(scope="module")
def sample_results(knowledge):
    from sldiag.analysis.run import analyse_paths

    samples = sorted(str(p) for p in SAMPLES.iterdir() if p.is_file())
    analysis = analyse_paths(samples, knowledge)
    assert len(analysis.results) >= len(samples) - 1
    return analysis.results


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_every_planned_template_has_a_plan(fmt):
    source = (reportplans.TEMPLATES / formats.SHIPPED_TEMPLATES[fmt]).read_text("utf-8")
    assert plan_of(source, environment(fmt)) is not None


def test_html_is_left_to_jinja2():
    # Autoescaping: Markup changes what ~, filters and every output do.
    source = (reportplans.TEMPLATES / formats.SHIPPED_TEMPLATES["html"]).read_text("utf-8")
    assert plan_of(source, environment("html")) is None
    assert reportplans.report_plan("html", formats.SHIPPED_TEMPLATES["html"]) is None


@pytest.mark.parametrize("fmt", ["text", "md"])
@pytest.mark.parametrize("options", OPTIONS)
def test_every_sample_says_the_same(sample_results, fmt, options):
    for result in sample_results:
        planned, rendered = _both_ways([result], Problems(), fmt, options)
        assert planned == rendered, (result.source, fmt, options)
    planned, rendered = _both_ways(sample_results, Problems(), fmt, options)
    assert planned == rendered
    # The samples' findings are in it (the summary: their counts).
    assert ("ERROR" if options.get("summary_only") else "Scenario #") in planned


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_a_fleet_with_input_problems_says_the_same(sample_results, fmt):
    problems = Problems()
    problems.errors.append("missing.txt: no such file")
    problems.skipped.append("photo.jpg: not text")
    problems.limits.append("huge.txt: over 1,000,000 lines")
    planned, rendered = _both_ways(sample_results[:3], problems, fmt, {"verbose": True})
    assert planned == rendered
    assert "photo.jpg" in planned


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
@pytest.mark.parametrize("fmt", ["text", "md"])
def test_every_real_output_says_the_same(knowledge, fmt):
    from sldiag.analysis.run import analyse_paths

    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    results = analyse_paths(files, knowledge).results
    assert len(results) >= 50
    for result in results:
        planned, rendered = _both_ways([result], Problems(), fmt, {"verbose": True})
        assert planned == rendered, result.source


def test_a_text_analysis_imports_no_jinja2():
    code = ("import sys; from sldiag.cli import main; sys.argv = ['sldiag', 'analyze', "
            f"{str(SAMPLES / '08-out-of-compliance.session.log')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('jinja2' in sys.modules, file=sys.stderr)")
    for _ in range(2):  # the first run makes the plan (with jinja2), the second reads it
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
        assert "Verdict:" in done.stdout and "Scenario #" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


def test_a_damaged_kept_plan_only_costs_speed(sample_results, tmp_path, monkeypatch):
    from sldiag.base import resources

    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    report = formats.ReportOptions()
    reportplans.report_plan.cache_clear()
    try:
        expected = str(formats.render_template(sample_results, Problems(), report, "text"))
        kept = list((tmp_path / "cache").rglob("report-plan-text-*.marshal"))
        assert len(kept) == 1
        for damage in ([["=", ["nope"]]], [["for", ["name", 3], ["const", 1], []]],
                       [["=", ["name", "os"]]], "not a plan", [["if"]]):
            resources.write_cache(kept[0].name, {"plan": damage})
            reportplans.report_plan.cache_clear()
            assert str(formats.render_template(sample_results, Problems(), report,
                                               "text")) == expected
    finally:
        reportplans.report_plan.cache_clear()


@pytest.mark.parametrize("source", [
    "{% for x in xs %}{{ x }}{% else %}none{% endfor %}",         # a loop's else
    "{% for x in xs if x %}{{ x }}{% endfor %}",                   # a loop's filter
    "{% macro m() %}x{% endmacro %}{{ m() }}",                     # macros
    "{{ xs[1:] }}",                                                # slices
    "{{ a is defined }}",                                          # tests
    "{{ a | e }}",                                                 # a filter plans lack
    "{% set a, b = xs %}{{ a }}",                                  # unpacking sets
    "{{ ('s' if a) | upper }}",                                    # an Undefined used
    "{% include 'other.j2' %}",                                    # other templates
    "{% for x in xs %}[{{ q }}]{% set q = 2 %}{% endfor %}",       # read before its set
    "{% for a in xs %}{% for b in xs %}{{ q }}{% endfor %}{% set q = 1 %}{% endfor %}",
    "{% if a %}{% set q = 1 %}{% endif %}{{ q }}",                 # set in one branch only
    "{{ q }}{% set q = 1 %}",
])
def test_what_plans_do_not_cover_is_left_to_jinja2(source):
    assert plan_of(source, environment("text")) is None


def test_a_missing_name_or_attribute_stops_the_plan():
    # jinja2 would print an Undefined (or fail): the plan never guesses which.
    for source in ("{{ nowhere }}", "{{ a.nowhere }}", "{{ xs[7] }}", "{{ loop.index }}",
                   "{% for x in xs %}{{ loop.cycle }}{% endfor %}"):
        step = compile_plan(plan_of(source, environment("text")), finalize_for("text"))
        with pytest.raises(Unplanned):
            step({"a": "x", "xs": ["a"]}, [])


# ---------------------------------------------------------------------------------------
# Generated templates over the grammar plans cover, against jinja2 with the text report's
# options (trim_blocks, lstrip_blocks, the road's finalize).


@dataclass
class Thing:
    name: str
    count: int
    tags: list[str]


WORDS = st.text(alphabet="ab -\n%<", max_size=8)
NAMES = {"a": WORDS, "n": st.integers(-2, 3), "xs": st.lists(WORDS, max_size=3),
         "pairs": st.lists(st.tuples(WORDS, st.one_of(st.integers(0, 2), WORDS)), max_size=3),
         "d": st.fixed_dictionaries({"k": WORDS, "n": st.integers(0, 3)}),
         "thing": st.builds(Thing, WORDS, st.integers(0, 3), st.lists(WORDS, max_size=2))}
LEAVES = ["a", "n", "xs", "pairs", "d", "thing", "d.k", "d['n']", "thing.name", "thing.tags",
          "pairs[0][1]", "xs | length", "xs | join(', ')", "xs | map('upper') | join('-')",
          "pairs | map(attribute=1) | list", "pairs | selectattr(1) | list | length",
          "'%3d' | format(n)", "a | wordwrap(3)", "a | indent(2)", "a | trim",
          "a | capitalize", "'x'", "3", "none", "true", "f(a)", "(a, n)", "[n, 1]"]


@st.composite
def expressions(draw, depth: int = 0, extra: tuple[str, ...] = ()) -> str:
    if depth >= 2 or draw(st.booleans()):
        return draw(st.sampled_from([*LEAVES, *extra]))
    inner = draw(expressions(depth + 1, extra))
    other = draw(expressions(depth + 1, extra))
    return draw(st.sampled_from([
        f"({inner}) ~ ({other})", f"({inner}) | upper", f"not ({inner})",
        f"({inner}) and ({other})", f"({inner}) or ({other})", f"({inner}) - 1",
        f"({inner}) if ({other}) else 'z'",
        f"({inner}) {draw(st.sampled_from(['==', '!=', '<', '>=', 'in', 'not in']))} "
        f"({other})"]))


@st.composite
def blocks(draw, depth: int = 0, extra: tuple[str, ...] = ()) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["text", "print", "maybe", "if", "for", "set"]
                                    if depth < 2 else ["text", "print", "maybe"]))
        test = draw(expressions(0, extra))
        if kind == "text":
            parts.append(draw(st.text(alphabet="ab \n", max_size=6)))
        elif kind == "print":
            parts.append("{{ (" + test + ") }}")
        elif kind == "maybe":
            parts.append("{{ 's' if (" + test + ") }}")
        elif kind == "if":
            parts.append(f"{{% if ({test}) %}}\n{draw(blocks(depth + 1, extra))}"
                         + draw(st.sampled_from(["", "{% elif n %}B\n", "{% else %}\n  C"]))
                         + "{% endif %}\n")
        elif kind == "for":
            head = draw(st.sampled_from(["x in xs", "x in a", "k, v in pairs",
                                         "x in thing.tags"]))
            names = ("x", "loop.index", "loop.first", "loop.last") if "k" not in head \
                else ("k", "v", "loop.index", "loop.last")
            parts.append(f"{{% for {head} %}}\n{draw(blocks(depth + 1, extra + names))}"
                         "{% endfor %}\n")
        else:
            parts.append(f"{{% set s{depth} = ({test}) %}}{{{{ s{depth} }}}}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(blocks(), st.fixed_dictionaries(NAMES))
def test_generated_templates_say_what_jinja2_says(source, names):
    env = environment("text")
    names["f"] = lambda value: f"<{value}>"
    plan = plan_of(source, env)
    assert plan is not None, source
    try:
        expected: str | type[Exception] = env.from_string(source).render(**names)
    except Exception as exc:  # noqa: BLE001 - a comparison of text with a number: both fail
        expected = type(exc)
    out: list[str] = []
    try:
        compile_plan(plan, finalize_for("text"))(dict(names), out)
        got: str | type[Exception] = "".join(out)
    except Unplanned:
        return  # left to jinja2: the report is what jinja2 says
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected, source
