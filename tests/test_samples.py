"""The bundled samples (what `make demo` shows): each must give the diagnosis it was composed
for. The table is written from the scenario each sample depicts, not from sldiag's output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sldiag.capture import read_capture
from sldiag.pipeline import analyse_capture

from .conftest import ROOT, SAMPLES

# sample -> [(hostname, the finding ids expected for that device)]
EXPECTED = {
    "01-product-already-registered.showtech.txt": [
        ("SW-ACC-12", {"sl-scenario-01-product-already-registered", "sl-state-evaluation"})],
    "02-try-again.session.log": [
        ("DC1-AGG-01", {"sl-scenario-02-request-not-processed", "sl-state-evaluation"})],
    # The cause in the configuration is found beside the scenario (issue: causes first).
    "03-clock-offset.session.log": [
        ("SW-ACC-12", {"sl-scenario-03-clock-offset", "sl-state-evaluation", "sl-caveat-clock-untrusted"})],
    "04-transport-not-available.crlf-more.txt": [
        ("SW-ACC-12", {"sl-scenario-04-transport-not-available", "sl-state-evaluation",
                       "sl-caveat-no-profile-for-licensing"})],
    "05-call-home-http-failed.showtech.txt.gz": [
        ("SW-ACC-12", {"sl-scenario-05-call-home-http-failed", "sl-caveat-no-dns"})],
    "06-onprem-certificate.session.log": [
        ("SW-ACC-12", {"sl-scenario-06-onprem-certificate-mismatch", "sl-state-evaluation",
                       "sl-caveat-ip-url-identity-check"})],
    "07-waiting-for-reply.bare.txt": [(None, {"sl-scenario-07-waiting-for-reply"})],
    # A stack of three: the consumption per member explains the shortage.
    "08-out-of-compliance.session.log": [
        ("SW-ACC-31", {"sl-scenario-08-out-of-compliance", "sl-consumption-stack"})],
    "09-data-signature.session.log": [("SW-ACC-12", {"sl-scenario-09-data-signature-mismatch"})],
    "state-evaluation.bare.txt": [(None, {"sl-state-evaluation"})],
    "state-evaluation-expired.showtech.txt": [("Switch", {"sl-state-evaluation-expired"})],
    "state-registration-in-progress.session.log": [
        ("SW-ACC-12", {"sl-state-registration-in-progress", "sl-state-evaluation"})],
    "state-healthy-and-authorization-expired.two-devices.log": [
        ("SW-ACC-21", {"sl-state-registered-authorized"}),
        ("SW-ACC-22", {"sl-state-authorization-expired", "sl-scenario-05-call-home-http-failed"})],
    "state-smart-licensing-disabled.session.log": [
        ("lab-3850", {"sl-state-smart-licensing-disabled"})],
    "state-no-licensing-output.session.log": [("SW-ACC-12", {"sl-capture-no-licensing-output"})],
    # Smart Licensing Using Policy
    "slup-cslu-unreachable.showtech.txt": [
        ("SW-ACC-41", {"sl-state-using-policy", "slup-cslu-unreachable", "slup-usage-never-acknowledged"})],
    "slup-trust-missing.session.log": [
        ("SW-ACC-41", {"sl-state-using-policy", "slup-trust-code-missing", "slup-usage-never-acknowledged"})],
    "slup-ack-overdue.crlf-more.txt": [("SW-ACC-41", {"sl-state-using-policy", "slup-ack-overdue"})],
    "slup-healthy.bare.txt": [(None, {"sl-state-using-policy"})],
    "slup-transport-off.session.log.gz": [("SW-ACC-41", {"sl-state-using-policy", "slup-transport-off"})],
}


def test_every_sample_is_in_the_table():
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_diagnosis(name, knowledge):
    results = analyse_capture(read_capture(str(SAMPLES / name)), knowledge)
    got = [(r.hostname, {f.rule_id for f in r.findings}) for r in results]
    assert got == EXPECTED[name]
    for result in results:
        assert result.gaps == [], [g.to_json() for g in result.gaps]


def test_samples_and_examples_are_up_to_date():
    """The committed captures are what tools/compose_captures.py makes."""
    proc = subprocess.run([sys.executable, "tools/compose_captures.py", "--check"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout.decode()
