"""rules/ and parsers/ ship inside the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


def test_wheel_contains_rules_and_parsers(tmp_path):
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    (wheel,) = tmp_path.glob("sldiag-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sldiag/rules/schema.json" in names
    assert "sldiag/rules/sl-scenario-07-waiting-for-reply.yaml" in names
    assert "sldiag/rules/examples/sl-agent-dereg-failed/negative-healthy-registered-authorized.txt" in names
    assert "sldiag/parsers/index.yaml" in names
    assert "sldiag/parsers/templates/cisco_ios_show_license_all.textfsm" in names
    assert "sldiag/render/templates/report.txt.j2" in names
