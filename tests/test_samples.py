"""The bundled samples (what `make demo` shows): each must give the diagnosis it was composed
for. The table is written from the scenario each sample depicts, not from sldiag's output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sldiag.analysis.run import analyse_capture
from sldiag.reading.read import read_whole as read_capture

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
    # The same switch after the fix (NTP configured, registered): what `sldiag diff` compares.
    "03-clock-offset.fixed.session.log": [("SW-ACC-12", {"sl-state-registered-authorized"})],
    "04-transport-not-available.crlf-more.txt": [
        ("SW-ACC-12", {"sl-scenario-04-transport-not-available", "sl-state-evaluation",
                       "sl-caveat-no-profile-for-licensing"})],
    "05-call-home-http-failed.showtech.txt.gz": [
        ("SW-ACC-12", {"sl-scenario-05-call-home-http-failed", "sl-caveat-no-dns"})],
    "06-onprem-certificate.session.log": [
        ("SW-ACC-12", {"sl-scenario-06-onprem-certificate-mismatch", "sl-state-evaluation",
                       "sl-caveat-ip-url-identity-check"})],
    # The TAC guide prints this very snip for Scenario #7 and #8; only the log (CRL_FETCH_FAIL
    # or OUT_OF_COMPLIANCE) or the trustpoint's revocation-check tells them apart, and a bare
    # `show license all` has neither: both stand.
    "07-waiting-for-reply.bare.txt": [(None, {"sl-scenario-07-waiting-for-reply",
                                              "sl-scenario-08-out-of-compliance"})],
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
    # No CSLU address (the switch looks for cslu-local), Hello unanswered, never reported,
    # the clock not synced with NTP.
    "slup-cslu-unreachable.showtech.txt": [
        ("SW-ACC-41", {"sl-state-using-policy", "slup-cslu-default-discovery", "slup-cslu-unreachable",
                       "slup-usage-never-acknowledged", "sl-caveat-clock-untrusted"})],
    "slup-trust-missing.session.log": [
        ("SW-ACC-41", {"sl-state-using-policy", "slup-trust-code-missing", "slup-usage-never-acknowledged"})],
    "slup-ack-overdue.crlf-more.txt": [("SW-ACC-41", {"sl-state-using-policy", "slup-ack-overdue"})],
    "slup-healthy.bare.txt": [(None, {"sl-state-using-policy"})],
    "slup-transport-off.session.log.gz": [("SW-ACC-41", {"sl-state-using-policy", "slup-transport-off"})],
}


# Every switch on Smart Licensing before 17.3.2 is told what the upgrade changes for it; one
# whose show version names a release of rules/releases.yaml gets that advisory too (the
# samples' 16.12.04, 16.12.01 and 16.9.x are all before FN72323's fix, 16.12.6).
UPGRADE_ADVICE = "sl-upgrade-to-using-policy"
RELEASE_ADVISORY = "sl-release-advisory"
LEGACY = {name for name in EXPECTED if not name.startswith(("slup-", "state-no-licensing",
                                                            "state-smart-licensing-disabled"))}
WITH_SHOW_VERSION = {"01-product-already-registered.showtech.txt", "02-try-again.session.log",
                     "05-call-home-http-failed.showtech.txt.gz",
                     "state-evaluation-expired.showtech.txt"}


def _expected(name: str) -> list[tuple[str | None, set[str]]]:
    extra = ({UPGRADE_ADVICE} if name in LEGACY else set()) | (
        {RELEASE_ADVISORY} if name in WITH_SHOW_VERSION else set())
    return [(host, ids | extra) for host, ids in EXPECTED[name]]


def test_every_sample_is_in_the_table():
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_diagnosis(name, knowledge):
    results = analyse_capture(read_capture(str(SAMPLES / name)), knowledge)
    got = [(r.hostname, {f.rule_id for f in r.findings}) for r in results]
    assert got == _expected(name)
    for result in results:
        assert result.gaps == [], [g.to_json() for g in result.gaps]


def test_samples_and_examples_are_up_to_date():
    """The committed captures are what tools/compose_captures.py makes."""
    proc = subprocess.run([sys.executable, "tools/compose_captures.py", "--check"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout.decode()


# Where each sample stands on the TAC guide's flowchart (read from the guide's chart).
FLOWCHART = {
    "01-product-already-registered.showtech.txt": "token-registration",
    "04-transport-not-available.crlf-more.txt": "not-configured",
    "05-call-home-http-failed.showtech.txt.gz": "l3-dns-reachability",
    "07-waiting-for-reply.bare.txt": "l3-dns-reachability",
    "08-out-of-compliance.session.log": "out-of-compliance",
    "state-smart-licensing-disabled.session.log": "not-configured",
    "state-evaluation.bare.txt": "token-registration",
    "slup-healthy.bare.txt": "smart-licensing-using-policy",
    "state-no-licensing-output.session.log": None,
}


@pytest.mark.parametrize("name", sorted(FLOWCHART))
def test_flowchart_stage(name, knowledge):
    (result,) = analyse_capture(read_capture(str(SAMPLES / name)), knowledge)
    assert (result.flowchart.stage if result.flowchart else None) == FLOWCHART[name]
    if result.flowchart:
        assert result.flowchart.path


# Scenario samples whose cause is in the configuration: the cause is named first and the
# configuration line it rests on is part of the scenario's evidence.
CAUSES = {
    "03-clock-offset.session.log": ("sl-scenario-03-clock-offset", "*17:56:02.541 EST Sun Nov 11 2018"),
    "04-transport-not-available.crlf-more.txt": ("sl-scenario-04-transport-not-available", "no active"),
    "05-call-home-http-failed.showtech.txt.gz": ("sl-scenario-05-call-home-http-failed", "no ip domain lookup"),
    "06-onprem-certificate.session.log": ("sl-scenario-06-onprem-certificate-mismatch", "no http secure server-identity-check"),
}


@pytest.mark.parametrize("name", sorted(CAUSES))
def test_scenario_names_its_cause_from_the_config(name, knowledge):
    scenario, line_text = CAUSES[name]
    (result,) = analyse_capture(read_capture(str(SAMPLES / name)), knowledge)
    (finding,) = [f for f in result.findings if f.rule_id == scenario]
    assert finding.causes, finding.next_steps
    assert finding.next_steps[0].startswith("Cause found: ")
    if name.startswith("06"):
        # The cause is an absence: the identity check is still on for an IP-address URL.
        assert "https://10.10.30.8/" in " ".join(e["text"] for e in finding.evidence)
    else:
        assert line_text in [e["text"].strip() for e in finding.evidence]


def test_missing_configuration_says_what_to_collect(knowledge):
    (result,) = analyse_capture(read_capture(str(SAMPLES / "07-waiting-for-reply.bare.txt")), knowledge)
    (finding,) = [f for f in result.findings if f.rule_id == "sl-scenario-07-waiting-for-reply"]
    assert finding.causes == []
    assert "collect `show running-config | section crypto pki trustpoint SLA-TrustPoint`" in finding.next_steps[0]
