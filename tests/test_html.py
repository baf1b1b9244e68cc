"""The HTML report as a person sees it: self-contained, and rendered by a real browser."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from .conftest import run_cli

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)


def _report(tmp_path, *captures: str):
    out = tmp_path / "report.html"
    proc = run_cli("analyze", "--format", "html", "-o", str(out), *captures)
    assert proc.returncode in (0, 1), proc.stderr
    return out


def test_html_is_self_contained(tmp_path):
    text = _report(tmp_path, "samples").read_text()
    assert '<meta name="viewport"' in text
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)=', text)
    assert "@import" not in text and "url(" not in text
    assert "@media print" in text


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_html_renders_findings_and_evidence_in_chromium(tmp_path):
    report = _report(tmp_path, "samples/state-healthy-and-authorization-expired.two-devices.log",
                     "samples/03-clock-offset.session.log")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         report.as_uri()], capture_output=True, timeout=120)
    dom = html.unescape(proc.stdout.decode())
    assert "Fleet summary" in dom
    for text in ("SW-ACC-21", "SW-ACC-22",
                 "Authorization expired: no successful communication with Cisco for over 90 days",
                 "Scenario #3: Registration refused: the device clock is outside CSSM's tolerance",
                 "Status: AUTHORIZATION EXPIRED on May 30 13:07:02 2019 UTC",
                 "offset beyond the allowed tolerance limit",
                 "license smart renew auth"):
        assert text in dom, text
    # Cited lines are marked, and next steps give commands as blocks of their own.
    assert re.search(r'class="hit"><span class="ln">\s*\d+ &gt; ', proc.stdout.decode())
    assert '<pre class="cli"><code>clock calendar-valid</code></pre>' in dom
