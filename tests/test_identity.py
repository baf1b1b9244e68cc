"""One device per device, whatever its prompts: generated sessions where the prompt changes
(a zero-touch run, `hostname` typed, an HA standby's console, a prompt in another case) are
one device with its other names kept; sessions that hop to another switch, or show two
serial numbers under one name, are two."""

from __future__ import annotations

import pytest

from .conftest import analyse_text

UDI = "UDI: PID:C9300-24P,SN:{serial}\n"


def _udi(prompt: str, serial: str) -> str:
    return f"{prompt}#show license udi\n" + UDI.format(serial=serial)


def _status(prompt: str) -> str:
    return (f"{prompt}#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: REGISTERED\n\nLicense Authorization:\n  Status: AUTHORIZED on "
            "Mar 01 10:00:00 2024 UTC\n")


def _renamed(old: str, new: str, typed: str) -> str:
    return (f"{old}#configure terminal\n"
            "Enter configuration commands, one per line.  End with CNTL/Z.\n"
            f"{old}(config)#{typed} {new}\n{new}(config)#end\n")


BOOT = ("Initializing Hardware ...\n\nSystem Bootstrap, Version 17.9.1r [FC11], RELEASE "
        "SOFTWARE (P)\n\nPress RETURN to get started!\n\n")


def _devices(text: str, knowledge) -> list[tuple[str | None, list[str]]]:
    return [(r.hostname, r.also_seen_as) for r in analyse_text(text, knowledge)]


@pytest.mark.parametrize("typed", ["hostname", "hostn", "HOSTNAME", "host"])
@pytest.mark.parametrize("with_serials", [True, False])
def test_a_device_renamed_mid_session_is_one_device(typed, with_serials, knowledge):
    before = _udi("SW1", "FOC1111A0AA") if with_serials else _status("SW1")
    after = _udi("SW2", "FOC1111A0AA") if with_serials else _status("SW2")
    text = before + _renamed("SW1", "SW2", typed) + after + "SW2#\n"
    assert _devices(text, knowledge) == [("SW2", ["SW1"])]


def test_a_zero_touch_run_is_one_device_named_as_configured(knowledge):
    text = (BOOT + "Switch>enable\n" + _udi("Switch", "FOC2418L0XY")
            + "*Mar  4 08:05:01.100: %SYS-5-CONFIG_P: Configured programmatically by process "
              "DHCP Autoinstall from console as console\n"
            + _status("ACC-ZTP-7") + "ACC-ZTP-7#\n")
    assert _devices(text, knowledge) == [("ACC-ZTP-7", ["Switch"])]


@pytest.mark.parametrize("standby", ["SW-CORE-1-stby", "Router-stby", "sw-core-1-STBY"])
def test_an_ha_standby_console_is_the_same_device(standby, knowledge):
    text = (_status("SW-CORE-1") + "SW-CORE-1#redundancy reload peer\n"
            "Reload peer [confirm]\n\n" + BOOT + f"{standby}>enable\n{standby}#\n")
    assert _devices(text, knowledge) == [("SW-CORE-1", [standby])]


def test_prompts_that_differ_in_case_only_are_one_device(knowledge):
    text = _udi("sw-acc-3", "FOC3333A0AA") + _status("SW-ACC-3") + "SW-ACC-3#\n"
    assert len(_devices(text, knowledge)) == 1


@pytest.mark.parametrize("verb", ["ssh -l admin 10.1.1.2", "telnet 10.1.1.2"])
def test_a_hop_to_another_switch_starts_another_device(verb, knowledge):
    text = _status("SW1") + f"SW1#{verb}\nPassword:\n\n" + _status("SW2") + "SW2#exit\n" \
        + "[Connection to 10.1.1.2 closed by foreign host]\n" + _status("SW1") + "SW1#\n"
    assert _devices(text, knowledge) == [("SW1", []), ("SW2", [])]


def test_two_serials_under_one_name_are_two_devices(knowledge):
    text = (_udi("Switch", "FOC1000A0AA") + "Switch#ssh 10.1.1.9\nPassword:\n\n"
            + _udi("Switch", "FOC2000B0BB") + "Switch#\n")
    results = analyse_text(text, knowledge)
    assert [r.facts.value("udi.sn") for r in results] == ["FOC1000A0AA", "FOC2000B0BB"]


def test_two_named_switches_with_their_own_serials_stay_two(knowledge):
    # No hop is shown (a log of two terminals pasted one after the other): the serials decide.
    text = _udi("SW1", "FOC1000A0AA") + "SW1#\n" + _udi("SW2", "FOC2000B0BB") + "SW2#\n"
    assert _devices(text, knowledge) == [("SW1", []), ("SW2", [])]


def test_two_named_switches_without_serials_stay_two(knowledge):
    # Nothing links them: different names, no factory name, no rename, not one console.
    text = _status("SW1") + "SW1#\n" + _status("SW2") + "SW2#\n"
    assert len(_devices(text, knowledge)) == 2


def test_a_serial_from_show_inventory_joins_parts(knowledge):
    inventory = ('SW9#show inventory\nNAME: "Switch 1", DESCR: "C9300-24P"\n'
                 "PID: C9300-24P         , VID: V02  , SN: FOC9999A0ZZ\n")
    text = (inventory + "SW9#ssh 10.9.9.9\nPassword:\n\n" + _udi("SW9-new", "FOC9999A0ZZ")
            + "SW9-new#\n")
    # A hop was typed, yet both parts show the same serial: one device.
    assert _devices(text, knowledge) == [("SW9-new", ["SW9"])]


def test_two_factory_names_are_not_one_device_for_that(knowledge):
    # "Switch" then "Router": two unconfigured devices, not one renamed.
    text = _status("Switch") + "Switch#\n" + _status("Router") + "Router#\n"
    assert len(_devices(text, knowledge)) == 2
