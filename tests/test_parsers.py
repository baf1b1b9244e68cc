"""Templates against their ntc-templates style fixtures: parsers/tests/<template>/<case>.raw
with the expected records in <case>.yml, written by reading the raw output."""

from __future__ import annotations

from pathlib import Path

import pytest
import textfsm
import yaml

from sldiag.model.catalog import TemplateSpec
from sldiag.parsing.extract import run_template

PARSERS = Path(__file__).resolve().parent.parent / "parsers"
TEMPLATES = sorted((PARSERS / "templates").glob("*.textfsm"))
FIXTURES = sorted((PARSERS / "tests").glob("*/*.raw"))


def test_every_template_has_fixtures():
    missing = [t.stem for t in TEMPLATES if not list((PARSERS / "tests" / t.stem).glob("*.raw"))]
    assert missing == []


def _value_name(line: str) -> str:
    words = line.split()
    options = {"Filldown", "Key", "Required", "List", "Fillup"}
    return words[2] if set(words[1].split(",")) <= options else words[1]


def test_every_template_follows_ntc_conventions():
    # Upper-case Values, a Start state, and (except catch-all config templates) Error on
    # unknown lines, so the templates could be contributed to ntc-templates.
    for template in TEMPLATES:
        text = template.read_text()
        names = [_value_name(line) for line in text.splitlines() if line.startswith("Value ")]
        assert names and all(n == n.upper() for n in names), template.name
        assert "\nStart\n" in text, template.name


@pytest.mark.parametrize("raw", FIXTURES, ids=lambda p: p.stem)
def test_template_fixture_plain_textfsm(raw: Path):
    """Plain TextFSM, as ntc-templates' own test harness would run it."""
    template = PARSERS / "templates" / f"{raw.parent.name}.textfsm"
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    with open(template) as fh:
        fsm = textfsm.TextFSM(fh)
    rows = fsm.ParseTextToDicts(raw.read_text())
    assert [{k.lower(): v for k, v in row.items()} for row in rows] == expected


@pytest.mark.parametrize("raw", FIXTURES, ids=lambda p: p.stem)
def test_template_fixture_tracked_parser_agrees(raw: Path):
    """sldiag's tolerant parser gives the same records, and knows each value's line."""
    template = PARSERS / "templates" / f"{raw.parent.name}.textfsm"
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    lines = raw.read_text().splitlines()
    spec = TemplateSpec("t", template, {}, {}, {}, None)
    records, errors = run_template(spec, list(enumerate(lines, start=1)))
    assert errors == []
    assert [{k.lower(): v for k, v in r.values.items()} for r in records] == expected
    for record in records:
        for name, numbers in record.lines.items():
            value = record.values[name]
            parts = value if isinstance(value, list) else [value] * len(numbers)
            assert all(str(v) in lines[n - 1] for v, n in zip(parts, numbers, strict=True)), (name, numbers)


def test_unexpected_line_is_a_gap_not_a_failure():
    template = PARSERS / "templates" / "cisco_ios_show_license_all.textfsm"
    spec = TemplateSpec("t", template, {}, {}, {}, None)
    lines = ["Registration:", "  Status: REGISTERED", "%%% garbage from a flaky terminal %%%",
             "License Authorization:", "  Status: AUTHORIZED on Feb 02 07:15:44 2020 UTC"]
    records, errors = run_template(spec, list(enumerate(lines, start=1)))
    assert errors == [3]
    values = records[0].values
    assert values["REGISTRATION_STATUS"] == "REGISTERED"
    assert values["AUTHORIZATION_STATUS"] == "AUTHORIZED"
    assert records[0].lines["AUTHORIZATION_STATUS"] == [5]
