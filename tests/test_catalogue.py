"""docs/smart-lic-catalogue.md: every SMART_LIC message of failure or warning meaning has a rule
that matches it, or a reason why not; the rules named there really match the message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "smart-lic-catalogue.md"
NOTES = ROOT.parent / "shared" / "knowledge" / "slup-formats-failures-and-syslog.md"


def _rows() -> list[dict[str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`SMART_LIC-"):
            rows.append({"message": cells[0].strip("`"), "meaning": cells[1],
                         "rules": cells[2], "why": cells[3]})
    return rows


def _tags(node: object) -> list[str]:
    """Every log-tag pattern in a rule's conditions (match and unless_later alike)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tag" and isinstance(value, str):
                found.append(value)
            else:
                found += _tags(value)
    elif isinstance(node, list):
        for item in node:
            found += _tags(item)
    return found


def test_the_table_is_read():
    assert len(_rows()) >= 40


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["message"])
def test_each_message_has_a_rule_that_matches_it_or_a_reason(row):
    assert row["meaning"] in {"failure", "warning", "clears", "notice"}
    rules = [r.strip() for r in row["rules"].split(",") if r.strip()]
    if row["meaning"] in {"failure", "warning"}:
        assert rules or len(row["why"]) > 20, f"{row['message']}: no rule and no reason"
    for rule_id in rules:
        doc = yaml.safe_load((ROOT / "rules" / f"{rule_id}.yaml").read_text(encoding="utf-8"))
        patterns = _tags({"when": doc["when"], "calibrate": doc.get("calibrate")})
        assert any(re.search(p, row["message"]) for p in patterns), (
            f"{rule_id} does not match {row['message']}")


@pytest.mark.skipif(not NOTES.is_file(), reason="../shared/knowledge not present")
def test_no_failure_or_warning_message_of_the_notes_is_left_out():
    listed = {r["message"] for r in _rows()}
    in_notes = set(re.findall(r"SMART_LIC-[0-4]-[A-Z][A-Z_]*[A-Z]\b", NOTES.read_text()))
    assert in_notes - listed == set()
