"""What engineers paste besides full `show license` outputs: show version alone, syslog in
every prefix a server or ticket adds, console logs with noise, call-home and NTP outputs,
routers and Catalyst 9800 controllers. Each composed capture (tests/data/layouts) is read
with the right mode and facts, without parse gaps, and judged from what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from sldiag.analysis.run import analyse_capture
from sldiag.reading.read import read_whole as read_capture
from sldiag.render.documents import report_document as to_json_document
from sldiag.sanitizing.sanitizer import Sanitizer

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"


def _device(name: str, knowledge):
    (result,) = analyse_capture(read_capture(str(LAYOUTS / name)), knowledge, Sanitizer())
    return result, to_json_document([result])["devices"][0]


def _loud(device: dict) -> dict[str, str]:
    return {f["id"]: f["severity"] for f in device["findings"]
            if f["severity"] in {"critical", "error", "warning"}}


def test_show_version_alone_gives_both_halves_and_the_state(knowledge):
    result, device = _device("show-version-eval-expired-only.txt", knowledge)
    assert device["licensing"]["mode"] == "smart-licensing"
    assert device["licensing"]["registration_status"] == "UNREGISTERED"
    assert device["licensing"]["authorization_status"] == "EVAL EXPIRED"
    (finding,) = [f for f in device["findings"] if f["id"] == "sl-state-evaluation-expired"]
    assert finding["severity"] == "error"
    assert [e["line"] for e in finding["evidence"]] == [7]  # the Smart Licensing Status line
    assert result.gaps == []


@pytest.mark.parametrize("name", ["syslog-server-cslu.log", "syslog-rfc5424-cslu.log"])
def test_syslog_alone_gives_mode_transport_and_the_failure(name, knowledge):
    result, device = _device(name, knowledge)
    assert device["licensing"]["mode"] == "smart-licensing-using-policy"  # "(CSLU)"
    assert device["licensing"]["transport"] == "cslu"
    assert "slup-cslu-unreachable" in _loud(device)
    quoted = [e["text"] for f in device["findings"] for e in f["evidence"]]
    assert any("Unable to resolve server hostname" in q for q in quoted)
    assert result.gaps == []


def test_log_lines_quoted_in_a_ticket(knowledge):
    _, device = _device("ticket-quoted-log-lines.txt", knowledge)
    assert device["licensing"]["mode"] == "smart-licensing"  # AUTH_RENEW exists only there
    assert device["licensing"]["transport"] == "callhome"
    assert _loud(device).get("sl-scenario-05-call-home-http-failed") == "error"


def test_console_boot_log_with_nuls_controls_stray_bytes_and_indentation(knowledge):
    result, device = _device("console-boot-noise.log", knowledge)
    assert device["licensing"]["mode"] == "smart-licensing"
    assert "sl-state-evaluation" in _loud(device)
    # The one line with bytes that are not UTF-8 is a gap, not a rejected file.
    assert [(g.line, g.reason) for g in result.gaps] == [
        (4, "bytes that are not valid UTF-8 were replaced by U+FFFD")]
    # One leading space on every line was removed: the log lines start with their stamp.
    assert result.facts.syslog[0].text.startswith("*Oct 22 16:06:08.270:")


def test_call_home_ntp_and_clock_detail_feed_the_causes(knowledge):
    result, device = _device("call-home-and-ntp.txt", knowledge)
    facts = result.facts
    assert facts.value("call_home.enabled") is True
    assert facts.value("call_home.smart_licensing_messages") is True
    assert facts.value("call_home.smart_licensing_profile_status") == "INACTIVE"
    assert facts.value("ntp.enabled") is False
    assert facts.value("clock.source") == "no time source"
    assert facts.value("clock.authoritative") is False
    loud = _loud(device)
    assert loud["sl-caveat-no-profile-for-licensing"] == "error"
    assert loud["sl-caveat-clock-untrusted"] == "warning"
    assert "sl-state-communication-failing" not in loud  # scenario #4 says it better
    scenario = next(f for f in device["findings"] if f["scenario"] == 4)
    assert scenario["causes"] == ["sl-caveat-no-profile-for-licensing"]
    assert device["verdict"].startswith("ERROR - No active call-home profile carries")
    assert result.gaps == []


def test_catalyst_9800_ha_pair(knowledge):
    result, device = _device("c9800-ha-show-license-all.txt", knowledge)
    lic = device["licensing"]
    assert (lic["mode"], lic["transport"], lic["trust_code_installed"]) == (
        "smart-licensing-using-policy", "smart", True)
    assert lic["last_ack_received"] == "2024-02-29T23:10:02+00:00"
    assert result.facts.value("udi.pid") == "C9800-40-K9"
    assert result.facts.value("udi.sn") == "TTM2411011A"
    assert len(result.facts.value("udi.ha_units")) == 2
    assert _loud(device) == {}
    assert device["verdict"] == ("OK: usage acknowledged 2024-02-29 23:10:02 UTC, next ACK due "
                                 "2024-04-29 23:10:02 UTC")
    assert result.gaps == []


def test_router_legacy_summary_with_lower_case_entitlement_tag(knowledge):
    result, device = _device("isr4451-legacy-summary.txt", knowledge)
    lic = device["licensing"]
    assert (lic["mode"], lic["registration_status"], lic["authorization_status"]) == (
        "smart-licensing", "REGISTERED", "AUTHORIZED")
    tags = [r.get("tag") for r in result.facts.license_usage]
    assert tags == ["ISR_4400_Application", "ISR_4400_Security", "ISR_4451_2G_Performance"]
    assert _loud(device) == {}
    assert result.gaps == []


def test_router_using_policy_with_an_hsec_authorization(knowledge):
    result, device = _device("c8300-slup-hsec-authorization.txt", knowledge)
    assert device["licensing"]["mode"] == "smart-licensing-using-policy"
    statuses = [(r.get("role"), r.get("status")) for r in result.facts.authorizations]
    assert statuses == [("Active", "SMART AUTHORIZATION INSTALLED")]
    assert "hseck9" in [r.get("name") for r in result.facts.license_usage]
    assert _loud(device) == {}
    assert result.gaps == []


def test_without_a_clock_the_capture_s_own_dates_bound_it_and_the_report_says_so(knowledge):
    from sldiag.render.formats import render

    text = (LAYOUTS / "c9800-ha-show-license-all.txt").read_text()
    # The same controller, its ACK deadline long past, and no clock of any kind: its last ACK
    # (Feb 29 2024) proves the clock read at least that, four years after the deadline.
    text = text.replace("Apr 29 23:10:02 2024", "Apr 29 23:10:02 2020").replace(
        "Time source is NTP, 10:22:41.118 UTC Fri Mar 1 2024\n", "")
    from sldiag.reading.lines import clean_text

    (result,) = analyse_capture(clean_text("no-clock.txt", text), knowledge, Sanitizer())
    clock = result.reference_time
    assert clock is not None and not clock.exact and clock.source.startswith("Last ACK received")
    assert "slup-ack-overdue" in {f.rule_id for f in result.findings}
    assert to_json_document([result])["devices"][0]["clock"]["exact"] is False
    assert "Clock: not in the capture; at least 2024-02-29" in render([result], "text")
