"""rules/releases.yaml: which releases an advisory names, and the release that fixes it."""

from __future__ import annotations

import pytest

from sldiag.diagnosing.releases import Advisory

FN72578 = Advisory.from_doc({
    "id": "FN72578", "title": "RUM reports pile up", "source": "x",
    "affected": ["17.3.2a", "17.3.3-17.3.6", "17.4.1", "17.5.1", "17.6.1-17.6.4", "17.7.1"],
    "fixed": ["17.3.7", "17.6.5", "17.9.1"]})
HP = Advisory.from_doc({
    "id": "CSCvp30661", "title": "C9500 HP tags", "source": "x", "platforms": "^C9500-(32C|24Y4C)",
    "affected": ["16.12.1-16.12.2"], "fixed": ["16.12.3a"]})


@pytest.mark.parametrize("software, affected", [
    ("17.06.03", True), ("17.6.3", True), ("17.06.04", True), ("17.6.4a", True),
    ("17.06.05", False), ("17.03.02a", True), ("17.3.2", False), ("17.3.6b", True),
    ("17.3.7", False), ("17.9.4a", False), ("17.4.1", True),
    # A train named alone is every release of it: 17.6 holds fixed releases too.
    ("17.6", False), ("17.6.20210303", False),
    ("16.12.4", False), ("15.2(7)E3", False), ("garbage", False),
])
def test_affected_releases(software, affected):
    assert FN72578.affects(software, "C9300-48P") is affected


def test_a_platform_pattern_must_match():
    assert HP.affects("16.12.2", "C9500-32C")
    assert HP.affects("16.12.2a", "C9500-24Y4C")  # a build of a bound's release
    assert not HP.affects("16.12.2", "C9300-48P")
    assert not HP.affects("16.12.2", None)
    assert not HP.affects("16.12.3a", "C9500-32C")


@pytest.mark.parametrize("software, fix", [
    ("17.3.4", "17.3.7"), ("17.6.1", "17.6.5"), ("17.4.1", "17.6.5"), ("17.7.1", "17.9.1")])
def test_the_fix_offered_is_in_the_train_else_the_next(software, fix):
    assert FN72578.fixed_for(software) == fix
