"""Shared helpers: the repository layout, the shipped knowledge, running the CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Before sldiag is imported: importing its command line reads the cache of compiled patterns.
os.environ["SLDIAG_CACHE_DIR"] = tempfile.mkdtemp(prefix="sldiag-tests-cache-")
atexit.register(shutil.rmtree, os.environ["SLDIAG_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "outputs"


@pytest.fixture(scope="session")
def knowledge():
    from sldiag.diagnosing.knowledge import Knowledge

    return Knowledge.load()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Tests must not depend on (or fill) the user's cache of validated rules.
    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sldiag", *args], input=stdin,
                          capture_output=True, cwd=ROOT, env=env, timeout=120)


def analyse_text(text: str, knowledge, name: str = "capture.txt"):
    from sldiag.analysis.run import analyse_capture
    from sldiag.reading.lines import clean_text

    return analyse_capture(clean_text(name, text), knowledge)
