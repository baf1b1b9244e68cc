"""Sectioning: prompts, show-tech delimiters, bare output, several devices, truncation."""

from __future__ import annotations

from sldiag.reading.lines import clean_text
from sldiag.reading.sections import split_capture

from .conftest import analyse_text


def split(text: str, knowledge):
    return split_capture(clean_text("t.txt", text), knowledge.catalog)


def test_abbreviated_commands_are_recognised(knowledge):
    canonical = knowledge.catalog.canonical_command
    assert canonical("sh lic all") == "show license all"
    assert canonical("sh lic sum") == "show license summary"
    assert canonical("show lic st") == "show license status"
    assert canonical("sh run") == "show running-config"
    assert canonical("sh tech lic") == "show tech-support license"
    assert canonical("show license eventlog 7") == "show license eventlog"
    assert canonical("sh lic u") is None  # usage or udi: IOS itself calls this ambiguous
    assert canonical("s") is None


def test_session_log_with_two_devices(knowledge):
    text = ("SW1#sh clock\n*10:00:00.000 UTC Mon Jan 1 2024\nSW1#\n"
            "SW2#show license status\nSmart Licensing is ENABLED\nSW2#\n"
            "SW1#show version | include Smart\nSmart Licensing Status: REGISTERED/AUTHORIZED\n")
    # Each run of one prompt is a part; the analysis joins the parts of one device.
    parts = split(text, knowledge)
    assert [d.prompt_hostname for d in parts] == ["SW1", "SW2", "SW1"]
    assert [s.command for s in parts[0].sections + parts[2].sections] == [
        "show clock", "show version"]
    assert parts[2].sections[0].filtered is True
    assert parts[1].sections[0].lines == [(5, "Smart Licensing is ENABLED")]
    assert parts[1].sections[0].header_line == 4
    devices = analyse_text(text, knowledge)
    assert [d.hostname for d in devices] == ["SW1", "SW2"]
    assert [o.command for o in devices[0].outputs] == ["show clock", "show version"]


def test_show_tech_delimiters(knowledge):
    text = ("SW1#show tech-support license\n\n"
            "------------------ show clock ------------------\n\n*10:00:00.000 UTC Mon Jan 1 2024\n\n"
            "------------------ show license udi ------------------\n\nUDI: PID:C9300-24P,SN:FOC1\n")
    (device,) = split(text, knowledge)
    assert device.prompt_hostname == "SW1"
    assert [(s.command, s.form) for s in device.sections] == [
        ("show tech-support license", "prompt"), ("show clock", "show-tech"),
        ("show license udi", "show-tech")]


def test_bare_output_recognised_by_content(knowledge):
    text = "Smart Licensing Status\n======================\n\nSmart Licensing is ENABLED\n" \
           "\nAgent Version\n=============\nSmart Agent for Licensing: 4.4.13_rel/116\n"
    (device,) = split(text, knowledge)
    assert [(s.command, s.form) for s in device.sections] == [("show license all", "bare")]


def test_bare_summary_and_status_told_apart(knowledge):
    summary = ("Smart Licensing is ENABLED\n\nRegistration:\n  Status: UNREGISTERED\n\n"
               "License Usage:\n  License                 Entitlement tag               Count Status\n")
    status = "Smart Licensing is ENABLED\n\nUtility:\n  Status: DISABLED\n\nLicense Authorization:\n"
    assert split(summary, knowledge)[0].sections[0].command == "show license summary"
    assert split(status, knowledge)[0].sections[0].command == "show license status"


def test_configuration_mode_prompts_are_not_commands(knowledge):
    text = "SW1#conf t\nSW1(config)#call-home\nSW1(config-call-home)#profile CiscoTAC-1\nSW1#show clock\n" \
           "*10:00:00.000 UTC Mon Jan 1 2024\n"
    (device,) = split(text, knowledge)
    # The configuration lines end "conf t" and start nothing of their own.
    assert [(s.typed, s.command) for s in device.sections] == [
        ("conf t", None), ("show clock", "show clock")]


def test_output_lines_with_hash_are_not_prompts(knowledge):
    text = "SW1#show running-config\nbanner motd #Authorised access only#\n" \
           "snmp-server community x#y RO\nhostname SW1\n"
    (device,) = split(text, knowledge)
    assert len(device.sections) == 1


def test_truncated_capture_is_read_and_the_cut_noted(knowledge):
    text = "SW1#show license all\nSmart Licensing Status\n======================\n\n" \
           "Registration:\n  Status: UNREGIS"
    (device,) = split(text, knowledge)
    cut = device.cut
    assert (cut.command, cut.first_line, cut.last_line, cut.heading) == (
        "show license all", 1, 5, "Registration")
    # The file stops inside line 6: it may be cut ("UNREGIS"), so no template reads it.
    assert cut.unterminated == (6, "  Status: UNREGIS")
    assert all(n != 6 for n, _ in device.sections[0].lines)


def test_output_closed_by_a_prompt_is_not_truncated(knowledge):
    text = "SW1#show license all\nSmart Licensing Status\n=====\n\nRegistration:\n  Status: X\nSW1#\n"
    assert split(text, knowledge)[0].sections[0].command == "show license all"


def test_an_excerpt_is_not_called_truncated(knowledge):
    text = "Registration:\n  Status: UNREGISTERED - REGISTRATION FAILED\n" \
           "  Failure reason: Product Already Registered\n"
    (device,) = split(text, knowledge)
    assert device.sections[0].fragment is True


def test_prompt_with_spaces_and_equals_delimiters(knowledge):
    text = ("SW1#   show clock\n*10:00:00.000 UTC Mon Jan 1 2024\n"
            "================== show license udi ==================\nUDI: PID:C9300-24P,SN:FOC1\n")
    (device,) = split(text, knowledge)
    assert [s.command for s in device.sections] == ["show clock", "show license udi"]
