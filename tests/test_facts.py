"""Facts: typed values with provenance, on our captures and on real outputs (../shared/corpus)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sldiag.analysis.run import analyse_capture
from sldiag.model.values import ConversionError, parse_datetime, parse_duration
from sldiag.reading.read import read_whole as read_capture

from .conftest import CORPUS, ROOT, analyse_text

ZONES = {"UTC": 0.0, "EST": -5.0, "CET": 1.0}


def test_dates_in_every_printed_form():
    assert parse_datetime("Oct 22 14:25:31 2018 EST", ZONES)[0] == datetime(
        2018, 10, 22, 14, 25, 31, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_datetime("Mar 13 08:09:24 2024 UTC", ZONES)[0] == datetime(
        2024, 3, 13, 8, 9, 24, tzinfo=UTC)
    assert parse_datetime("2021-11-17 03:31:32.920 UTC", ZONES)[0].microsecond == 920000
    assert parse_datetime("Jul 26 2018 09:24:09.123 UTC", ZONES)[0].year == 2018
    assert parse_datetime("Mar  9 21:42:02.335 CET", ZONES, year_hint=2019)[0].utcoffset() \
        == timedelta(hours=1)
    value, warning = parse_datetime("Jan 14 16:40:02 2019 XYZT", ZONES)
    assert value.utcoffset() == timedelta(0) and "unknown time zone" in warning
    with pytest.raises(ConversionError):
        parse_datetime("Mar  9 21:42:02", ZONES)  # no year and nothing to infer it from
    with pytest.raises(ConversionError):
        parse_datetime("Feb 31 10:00:00 2020 UTC", ZONES)


def test_durations():
    assert parse_duration("65 days, 18 hours, 43 minutes, 0 seconds") == timedelta(
        days=65, hours=18, minutes=43)
    with pytest.raises(ConversionError):
        parse_duration("soon")


def test_facts_carry_file_line_and_text(knowledge):
    path = ROOT / "rules/examples/sl-scenario-01-product-already-registered/positive-product-already-registered.txt"
    (result,) = analyse_capture(read_capture(str(path)), knowledge)
    reason = result.facts.get("registration.failure_reason")
    lines = path.read_text().splitlines()
    assert reason.value == "Product Already Registered"
    assert lines[reason.line - 1] == reason.text
    assert "Failure reason: Product Already Registered" in reason.text
    when = result.facts.value("registration.initial_date")
    assert when == datetime(2018, 10, 22, 14, 25, 31, tzinfo=timezone(timedelta(hours=-5)))
    clock = result.facts.get("clock.time")
    assert clock.value.hour == 14 and result.facts.value("clock.authoritative") is False
    assert result.hostname == "SW-ACC-12"
    (log,) = result.facts.syslog
    assert log.get("tag") == "SMART_LIC-3-AGENT_REG_FAILED"
    assert log.get("timestamp").year == 2018  # year taken from show clock
    assert lines[log.line - 1].startswith("*Oct 22 14:25:31.555 EST")


def test_later_output_wins(knowledge):
    text = ("SW1#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: UNREGISTERED\n\nLicense Authorization:\n  Status: EVAL MODE\n"
            "SW1#license smart register idtoken abc\nSW1#show license status\n"
            "Smart Licensing is ENABLED\n\nRegistration:\n  Status: REGISTERED\n\n"
            "License Authorization:\n  Status: AUTHORIZED on Feb 02 07:15:44 2020 UTC\nSW1#\n")
    (result,) = analyse_text(text, knowledge)
    assert result.facts.value("registration.status") == "REGISTERED"
    assert result.facts.get("registration.status").line == 14


def test_unknown_lines_become_gaps_and_parsing_goes_on(knowledge):
    text = ("SW1#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: REGISTERED\n  Frobnication Level: 11\n\nLicense Authorization:\n"
            "  Status: AUTHORIZED on Feb 02 07:15:44 2020 UTC\nSW1#\n")
    (result,) = analyse_text(text, knowledge)
    # Quoted by its label: the value of a line sldiag cannot read may be a secret in a form no
    # rule knows (issue "Secrets kept in by construction"), so it is withheld.
    assert [(g.line, g.text.strip()) for g in result.gaps] == [
        (6, "Frobnication Level: <value withheld>")]
    assert "value withheld" in result.gaps[0].reason
    assert result.facts.value("authorization.status") == "AUTHORIZED"


# ---------------------------------------------------------------------------------------
# Real outputs from public projects, when ../shared/corpus is present (CI has it).

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


def _expected(name: str) -> dict:
    text = (CORPUS / name).read_text()
    return ast.literal_eval(text.split("=", 1)[1].strip())


def _analyse(name: str, knowledge):
    return analyse_capture(read_capture(str(CORPUS / name)), knowledge)


@needs_corpus
def test_corpus_every_output_is_read_without_crash(knowledge):
    from sldiag.base.errors import InputError

    count = 0
    for path in sorted(CORPUS.glob("*.txt")):
        try:
            results = analyse_capture(read_capture(str(path)), knowledge)
        except InputError as exc:  # allowed, but must be a clean one-line message
            pytest.fail(f"{path.name}: {exc}")
        assert results, path.name
        count += 1
    assert count >= 50


@needs_corpus
@pytest.mark.parametrize("name", ["genie__show_license_all__3", "genie__show_license_status__2"])
def test_corpus_legacy_registered_agrees_with_genie(name, knowledge):
    (result,) = _analyse(f"{name}.txt", knowledge)
    expected = _expected(f"{name}.expected.py")
    status = expected.get("smart_licensing_status", expected)
    f = result.facts
    assert result.mode == "smart-licensing"
    assert f.value("registration.smart_account") == status["account_information"]["smart_account"]
    assert f.value("registration.virtual_account") == status["account_information"]["virtual_account"]
    assert f.value("transport.type") == status["transport"]["type"]
    # What the output says and genie does not keep: read from the output itself.
    assert f.value("registration.status") == "REGISTERED"
    assert f.value("authorization.status") == "AUTHORIZED"
    assert f.value("authorization.communication_deadline") == datetime(
        2024, 6, 11, 8, 5, 2, tzinfo=UTC)
    # Healthy, and told what 17.3.2 (Using Policy) will change for it.
    assert [x.rule_id for x in result.findings] == ["sl-state-registered-authorized",
                                                    "sl-upgrade-to-using-policy"]
    if "product_information" in expected:
        assert f.value("udi.pid") == expected["product_information"]["udi"]["pid"]
        assert f.value("udi.sn") == expected["product_information"]["udi"]["sn"]
        assert f.value("smart_licensing.agent_version") == \
            expected["agent_version"]["smart_agent_for_licensing"]


@needs_corpus
@pytest.mark.parametrize("name", ["genie__show_version__2", "genie__show_version__3",
                                  "genie__show_version__4", "genie__show_version__5"])
def test_corpus_show_version_licensing_line(name, knowledge):
    (result,) = _analyse(f"{name}.txt", knowledge)
    expected = _expected(f"{name}.expected.py")
    version = expected.get("version", expected)
    line = result.facts.value("version.smart_licensing_status")
    if "smart_licensing_status" in version:
        assert line == version["smart_licensing_status"]
    slup = line and ("Using Policy" in line or line.startswith("Registration Not Applicable"))
    assert result.mode == ("smart-licensing-using-policy" if slup else "smart-licensing")


@needs_corpus
def test_corpus_modes_are_never_guessed(knowledge):
    expect = {
        "genie__show_license__1.txt": "not-smart-licensing",
        "ntc__show_license__1.txt": "not-smart-licensing",
        "muninn__show_license_status_classicIOS__1.txt": "not-smart-licensing",
        "genie__show_license_all__1.txt": "smart-licensing-using-policy",
        "genie__show_license_status__1.txt": "smart-licensing-using-policy",
        "ntc__show_license_status__3.txt": "smart-licensing-using-policy",
        "genie__show_license_usage__1.txt": "smart-licensing-using-policy",
        "genie__show_license_summary__1.txt": "smart-licensing-using-policy",
        "genie__show_license_tech_support__1.txt": "smart-licensing-using-policy",
        "genie__show_call-home_profile_all__1.txt": "unknown",
    }
    for name, mode in expect.items():
        (result,) = _analyse(name, knowledge)
        assert result.mode == mode, name


@needs_corpus
def test_corpus_healthy_and_slup_outputs_raise_no_legacy_failure(knowledge):
    """No legacy scenario rule fires on real outputs, none of which shows #1-#7 or #9."""
    for path in sorted(CORPUS.glob("*.txt")):
        for result in analyse_capture(read_capture(str(path)), knowledge):
            fired = [f.rule_id for f in result.findings if f.scenario]
            assert fired == [], path.name


@needs_corpus
def test_corpus_boot_log_events(knowledge):
    (result,) = _analyse("bootlog-c9300l-1731__syslog_licensing_extract__1.txt", knowledge)
    tags = [r.get("tag") for r in result.facts.syslog]
    assert "SMART_LIC-5-EVAL_START" in tags
    assert "PKI-2-NON_AUTHORITATIVE_CLOCK" in tags
    assert all(r.line > 0 and r.text for r in result.facts.syslog)


# What each Using-Policy capture shows, from MANIFEST.tsv's descriptions (not from sldiag).
SLUP_HEALTHY = ["genie__show_license_all__1", "genie__show_license_all__2",
                "genie__show_license_status__1", "genie__show_license_tech_support__10",
                "genie__show_license_tech_support__17", "genie__show_license_tech_support__3",
                "genie__show_license_tech_support__5", "ntc__show_license_status__3",
                "ntc__show_license_status__4", "genie__show_license_summary__1",
                "genie__show_license_usage__1", "genie__show_version__5"]
SLUP_FAILING = {
    # CSLU with empty address (cslu-local discovery), Hello NO REPLY, never reported, NTP off
    "genie__show_license_tech_support__1": {"slup-cslu-default-discovery", "slup-cslu-unreachable",
                                            "sl-caveat-clock-untrusted"},
    "genie__show_license_tech_support__2": {"slup-cslu-default-discovery", "slup-cslu-unreachable",
                                            "sl-caveat-clock-untrusted"},
    # CSLU address configured, Hello NO REPLY, never reported (NTP synced)
    "genie__show_license_tech_support__11": {"slup-cslu-unreachable"},
    # never ACKed, and the deadline is before the agent's "Current time"
    "genie__show_license_tech_support__15": {"slup-cslu-default-discovery", "slup-cslu-unreachable",
                                             "slup-ack-overdue", "sl-caveat-clock-untrusted"},
    # ACK received earlier, Hello NO REPLY later (and not since)
    "genie__show_license_tech_support__18": {"slup-cslu-unreachable"},
    # Authorization Request BUILD REQUEST ERROR / Null pointer Error
    "genie__show_license_tech_support__13": {"slup-agent-build-request-error"},
    # Smart transport configured, no trust; the agent says "Offline" until trust exists (not
    # transport off); the first-report window is open; 6 has no time source
    "genie__show_license_tech_support__6": {"slup-trust-code-missing", "sl-caveat-clock-untrusted"},
    "genie__show_license_tech_support__8": {"slup-trust-code-missing"},
}


@needs_corpus
@pytest.mark.parametrize("name", SLUP_HEALTHY)
def test_corpus_healthy_using_policy_is_quiet(name, knowledge):
    (result,) = _analyse(f"{name}.txt", knowledge)
    assert result.mode == "smart-licensing-using-policy"
    assert [f.rule_id for f in result.findings if f.severity != "info"] == []
    assert result.gaps == []


@needs_corpus
@pytest.mark.parametrize("name", sorted(SLUP_FAILING))
def test_corpus_failing_using_policy_gets_its_finding(name, knowledge):
    (result,) = _analyse(f"{name}.txt", knowledge)
    got = {f.rule_id for f in result.findings if f.severity != "info"}
    assert got == SLUP_FAILING[name]
    lines = (CORPUS / f"{name}.txt").read_text(errors="replace").splitlines()
    for finding in result.findings:
        for evidence in finding.evidence:
            assert lines[evidence["line"] - 1].rstrip("\r").rstrip() == evidence["text"].rstrip()


@needs_corpus
def test_corpus_using_policy_json_fields(knowledge):
    (healthy,) = _analyse("genie__show_license_all__1.txt", knowledge)
    assert healthy.licensing_json()["transport"] == "smart"
    assert healthy.licensing_json()["trust_code_installed"] is True
    assert healthy.licensing_json()["last_ack_received"].startswith("2023-12-18T11:05:11")
    (cslu,) = _analyse("genie__show_license_tech_support__1.txt", knowledge)
    assert cslu.licensing_json()["transport"] == "cslu"
    assert cslu.licensing_json()["trust_code_installed"] is False
    assert cslu.licensing_json()["last_ack_received"] is None
    (single,) = _analyse("genie__show_license_tech_support__5.txt", knowledge)
    assert single.licensing_json()["trust_code_installed"] is True


def test_agent_6_layout_and_benign_values_stay_quiet(knowledge):
    """Agent 6.x: trust code type lines, "Valid on" on the INSTALLED line, an epoch-zero
    "Expired on" (not an expiry), Product Analytics NOT AVAILABLE: all read, none a finding."""
    path = ROOT / "tests" / "data" / "slup-agent-6-show-license-all.txt"
    (result,) = analyse_capture(read_capture(str(path)), knowledge)
    f = result.facts
    assert result.gaps == []
    assert result.mode == "smart-licensing-using-policy"
    assert f.value("trust.installed") == ["Apr 23 15:28:43 2025 IST"]
    assert result.licensing_json()["trust_code_installed"] is True
    assert f.value("transport.ip_mode") == "IPv4 ONLY"
    assert f.value("transport.trust_point") == "SLA-TrustPoint"
    assert f.value("agent.enforcement_state") == "NOT APPLICABLE"
    assert f.value("agent.product_analytics") == "NOT AVAILABLE"
    assert f.value("usage_reporting.reporting_interval") == 0
    assert f.value("usage_reporting.last_ack_received").utcoffset().total_seconds() == 5.5 * 3600
    assert [x.rule_id for x in result.findings] == ["sl-state-using-policy"]


def test_parallel_analyses_do_not_share_parser_state(knowledge):
    """Fleet collection analyses devices in threads: each must get its own results."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["02-try-again.session.log", "08-out-of-compliance.session.log",
             "09-data-signature.session.log", "slup-trust-missing.session.log"] * 12
    expected = {n: [f.rule_id for r in analyse_capture(read_capture(str(ROOT / "samples" / n)),
                                                        knowledge) for f in r.findings]
                for n in set(names)}

    def run(name):
        results = analyse_capture(read_capture(str(ROOT / "samples" / name)), knowledge)
        return name, [f.rule_id for r in results for f in r.findings]

    with ThreadPoolExecutor(max_workers=16) as pool:
        for name, got in pool.map(run, names):
            assert got == expected[name], name


def test_a_refused_command_is_a_fact_not_a_parse_gap(knowledge):
    from .conftest import analyse_text

    text = ("SW-ACC-41#show license summary\n"
            "                         ^\n% Invalid input detected at '^' marker.\n\n"
            "SW-ACC-41#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: UNREGISTERED\n\nSW-ACC-41#\n")
    (result,) = analyse_text(text, knowledge)
    assert result.gaps == []
    assert result.facts.value("device.rejected_license_command") == "show license summary"
