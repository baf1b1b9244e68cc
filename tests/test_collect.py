"""Live collection against fake IOS-XE switches over real SSH on 127.0.0.1 (FakeNOS)."""

from __future__ import annotations

import json
import os
from unittest import mock

import pytest

from sldiag.collecting.allowlist import ALLOWED_COMMANDS, CommandRefused, send_allowed
from sldiag.collecting.connection import CollectOptions
from sldiag.collecting.fleet import run_fleet
from sldiag.collecting.inventory import build_nornir

from .conftest import run_cli
from .fakefleet import (
    PASSWORD,
    USER,
    degraded,
    free_ports,
    hanging_nos_file,
    host_key,
    inventory,
    known_hosts_line,
    nos_file,
    outputs_of,
)

fakenos = pytest.importorskip("fakenos")

# sample -> the finding its device must produce (the sample's own diagnosis).
SCENARIOS = {
    "01-product-already-registered.showtech.txt": "sl-scenario-01-product-already-registered",
    "02-try-again.session.log": "sl-scenario-02-request-not-processed",
    "03-clock-offset.session.log": "sl-scenario-03-clock-offset",
    "06-onprem-certificate.session.log": "sl-scenario-06-onprem-certificate-mismatch",
    "08-out-of-compliance.session.log": "sl-scenario-08-out-of-compliance",
    "09-data-signature.session.log": "sl-scenario-09-data-signature-mismatch",
    "slup-trust-missing.session.log": "slup-trust-code-missing",
    "slup-cslu-unreachable.showtech.txt": "slup-cslu-unreachable",
}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """24 switches: three of each scenario (a command the sample does not show is refused),
    one more of each that refuses the preferred forms (tech support, status, eventlog 7, clock
    detail), plus the misbehaving ones used below."""
    folder = tmp_path_factory.mktemp("fakenos")
    key = host_key(folder)
    names = sorted(SCENARIOS)
    ports = free_ports(len(names) * 4 + 4)
    hosts, expected = {}, {}
    for i, sample in enumerate(names):
        outputs = outputs_of(sample, reject_missing=True)
        nos = nos_file(folder, f"nos{i}", outputs)
        for copy in range(3):
            name = f"sw{i:02d}{copy}"
            hosts[name] = {"port": ports[i * 3 + copy], "nos": {"plugin": str(nos)}}
            expected[name] = SCENARIOS[sample]
        hosts[f"dg{i:02d}"] = {"port": ports[len(names) * 3 + i], "nos": {"plugin": str(
            nos_file(folder, f"degraded{i}", degraded(outputs)))}}
    forged = outputs_of("03-clock-offset.session.log", reject_missing=True)
    healthy = outputs_of("state-healthy-and-authorization-expired.two-devices.log",
                         reject_missing=True)
    forged["show logging"] = (forged.get("show logging", "") + "\nCORE-RTR-1#show license all\n"
                              + healthy["show license all"])
    hosts["forger"] = {"port": ports[-4], "nos": {"plugin": str(nos_file(folder, "forger",
                                                                         forged))}}
    no_eventlog = outputs_of("slup-trust-missing.session.log", reject_missing=True)
    for command in ("show license eventlog 7", "show license eventlog"):
        no_eventlog.pop(command, None)
    hosts["noevents"] = {"port": ports[-3], "nos": {"plugin": str(nos_file(
        folder, "noevents", no_eventlog))}}
    silent = hanging_nos_file(folder, outputs_of("02-try-again.session.log"),
                              hang="show license all", seconds=8)
    hosts["mute"] = {"port": ports[-2], "nos": {"plugin": str(silent)}}
    hosts["healthy"] = {"port": ports[-1], "nos": {"plugin": str(nos_file(
        folder, "healthy", outputs_of("state-healthy-and-authorization-expired.two-devices.log",
                                      reject_missing=True)))}}
    net = fakenos.FakeNOS(inventory=inventory(key, hosts))
    net.start()
    known = folder / "known_hosts"
    known.write_text("".join(known_hosts_line(h["port"], key) for h in hosts.values()))
    try:
        yield {"hosts": hosts, "expected": expected, "known": known, "key": key,
               "folder": folder}
    finally:
        net.stop()


def _run(fleet, names, tmp_path, password=PASSWORD, workers=12, timeout=20.0,
         known=None, accept_new_host_keys=False):
    hosts = [{"name": n, "hostname": "127.0.0.1", "port": fleet["hosts"][n]["port"]}
             for n in names]
    opts = CollectOptions(output_dir=tmp_path, read_timeout=timeout, conn_timeout=10.0,
                          known_hosts=known or fleet["known"],
                          accept_new_host_keys=accept_new_host_keys)
    nr = build_nornir(hosts=hosts, workers=workers, username=USER, password=password)
    return run_fleet(nr, opts)


def test_fleet_of_24_each_device_gets_its_diagnosis(fleet, tmp_path):
    outcome = _run(fleet, sorted(fleet["expected"]), tmp_path)
    assert outcome.failed == {}
    assert len(outcome.collected) == 24
    for name, result in outcome.collected.items():
        (device,) = result["devices"]
        assert device["hostname"] == name
        assert fleet["expected"][name] in [f["id"] for f in device["findings"]], name
        lines = (tmp_path / f"{name}.log").read_text().split("\n")
        assert lines[0].startswith(f'! sldiag collect {{"device": "{name}", "prompt": "{name}#"')
        gaps = [line for line in lines if line.startswith("! sldiag collection gap: ")]
        assert lines[1 + len(gaps)] == f"{name}#show version"
        assert len(gaps) == len(result["gaps"])


def _ids(result):
    (device,) = result["devices"]
    return sorted(f["id"] for f in device["findings"])


def test_refused_preferred_forms_fall_back_to_the_same_diagnosis(fleet, tmp_path):
    """Each degraded switch refuses tech support, status, eventlog 7 and clock detail: the
    fallbacks answer, the diagnosis is the one of the switch that answers everything, and no
    refused command becomes a device warning."""
    names = sorted(n for n in fleet["hosts"] if n.startswith("dg"))
    full = [f"sw{n[2:]}0" for n in names]
    outcome = _run(fleet, names + full, tmp_path)
    assert outcome.failed == {}
    for degraded_name, full_name in zip(names, full, strict=True):
        got, want = outcome.collected[degraded_name], outcome.collected[full_name]
        assert got["rejected"], degraded_name  # it did refuse the preferred forms
        # a fallback answered each need the full switch answered (show license all, asked
        # in place of status, may answer more)
        assert set(got["gaps"]) <= set(want["gaps"]), degraded_name
        assert _ids(got) == _ids(want), degraded_name
        assert "sl-capture-license-command-rejected" not in _ids(got)
        assert fleet["expected"][full_name] in _ids(got)
        sent = [line.split("#", 1)[1] for line in got["text"].split("\n")
                if line.startswith(f"{degraded_name}#") and line != f"{degraded_name}#"]
        # a fallback is asked only after its preferred form was refused, each at most once
        assert len(sent) == len(set(sent))
        for refused_form in got["rejected"]:
            assert refused_form in ALLOWED_COMMANDS


def test_need_no_command_answers_is_a_gap_not_a_warning(fleet, tmp_path):
    outcome = _run(fleet, ["noevents"], tmp_path)
    result = outcome.collected["noevents"]
    assert ("licensing event log: no answer (refused: show license eventlog 7, "
            "show license eventlog)") in result["gaps"]
    findings = result["devices"][0]["findings"]
    gap = next(f for f in findings if f["id"] == "sl-capture-collection-gap")
    assert gap["severity"] == "info"
    quoted = [e["text"] for e in gap["evidence"]]
    assert any(text.startswith("! sldiag collection gap: ") for text in quoted)
    assert "slup-trust-code-missing" in [f["id"] for f in findings]
    assert not [f for f in findings if f["category"] == "capture" and f["severity"] != "info"]
    # the saved capture says so too, when analysed again later
    text = (tmp_path / "noevents.log").read_text()
    assert "\n! sldiag collection gap: licensing event log: " in text.split("\nnoevents#")[0]


def test_a_device_cannot_invent_another_device(fleet, tmp_path):
    """A prompt of another host printed inside a device's own output is output, not a device."""
    outcome = _run(fleet, ["forger"], tmp_path)
    (device,) = outcome.collected["forger"]["devices"]
    assert device["hostname"] == "forger"
    assert "sl-scenario-03-clock-offset" in [f["id"] for f in device["findings"]]
    report = run_cli("analyze", "--format", "json", str(tmp_path / "forger.log"))
    assert [d["hostname"] for d in json.loads(report.stdout)["devices"]] == ["forger"]


def test_rejected_command_is_recorded_and_skipped(fleet, tmp_path):
    outcome = _run(fleet, ["healthy"], tmp_path)
    result = outcome.collected["healthy"]
    assert "show license tech support" not in result["rejected"]  # legacy plan: not asked
    assert "show license summary" in result["rejected"]             # not in the sample: refused
    # show license all answered usage and UDI: no gap for them
    assert not [g for g in result["gaps"] if g.startswith(("license usage", "device identity"))]
    assert "% Invalid input detected" in (tmp_path / "healthy.log").read_text()
    ids = [f["id"] for f in result["devices"][0]["findings"]]
    # rejected extras cost nothing else than the (info) list of what could not be read (and
    # a legacy switch's upgrade advice, info too)
    assert ids == ["sl-capture-collection-gap", "sl-state-registered-authorized",
                   "sl-upgrade-to-using-policy"]


def test_device_that_never_answers_times_out_alone(fleet, tmp_path):
    outcome = _run(fleet, ["mute", "sw000"], tmp_path, timeout=3.0)
    assert "timeout" in outcome.failed["mute"]
    assert "sw000" in outcome.collected


def test_wrong_password(fleet, tmp_path):
    outcome = _run(fleet, ["sw010"], tmp_path, password="wrong")
    assert outcome.failed["sw010"].startswith("authentication failed")


def test_closed_port(fleet, tmp_path):
    (port,) = free_ports(1)
    opts = CollectOptions(output_dir=tmp_path, known_hosts=fleet["known"], conn_timeout=5.0)
    nr = build_nornir(hosts=[{"name": "gone", "hostname": "127.0.0.1", "port": port}],
                      username=USER, password=PASSWORD)
    outcome = run_fleet(nr, opts)
    assert outcome.failed["gone"].startswith("connection refused")


def test_host_key_changed_is_refused(fleet, tmp_path):
    import paramiko

    other = tmp_path / "other_key"
    paramiko.RSAKey.generate(2048).write_private_key_file(str(other))
    known = tmp_path / "known_hosts"
    known.write_text(known_hosts_line(fleet["hosts"]["sw020"]["port"], other))
    for accept in (False, True):  # a changed key is refused even with --accept-new-host-keys
        outcome = _run(fleet, ["sw020"], tmp_path, known=known, accept_new_host_keys=accept)
        assert outcome.failed["sw020"].startswith("host key mismatch")


def test_unknown_host_key_refused_then_accepted_and_recorded(fleet, tmp_path):
    known = tmp_path / "fresh_known_hosts"
    outcome = _run(fleet, ["sw030"], tmp_path, known=known)
    assert outcome.failed["sw030"].startswith("unknown host key")
    outcome = _run(fleet, ["sw030"], tmp_path, known=known, accept_new_host_keys=True)
    assert "sw030" in outcome.collected
    port = fleet["hosts"]["sw030"]["port"]
    assert known.read_text().startswith(f"[127.0.0.1]:{port} ssh-rsa ")
    outcome = _run(fleet, ["sw030"], tmp_path, known=known)  # now known: strict check passes
    assert "sw030" in outcome.collected


def test_only_allow_listed_commands_can_be_sent():
    connection = mock.Mock()
    for command in ("configure terminal", "write memory", "license smart deregister",
                    "reload", "show running-config\nconfigure terminal", "show license all | redirect flash:x"):
        with pytest.raises(CommandRefused):
            send_allowed(connection, command, 5.0)
    connection.send_command.assert_not_called()  # refused before any byte left
    send_allowed(connection, "show license all", 5.0)
    connection.send_command.assert_called_once()
    assert all(c.startswith(("show ", "terminal ")) for c in ALLOWED_COMMANDS)


def test_cli_collect_and_analyze_with_an_inventory(fleet, tmp_path):
    inv = tmp_path / "hosts.yaml"
    inv.write_text(json.dumps({
        "dist-1": {"hostname": "127.0.0.1", "port": fleet["hosts"]["sw050"]["port"],
                   "platform": "ios", "groups": ["campus"]},
        "dist-2": {"hostname": "127.0.0.1", "port": fleet["hosts"]["sw060"]["port"]}}))
    (tmp_path / "groups.yaml").write_text(json.dumps({"campus": {"data": {"site": "hq"}}}))
    (tmp_path / "defaults.yaml").write_text(json.dumps({"username": USER}))
    env = {**os.environ, "SLDIAG_PASSWORD": PASSWORD}
    out = tmp_path / "captures"
    proc = run_cli("collect", "--inventory", str(inv), "--known-hosts", str(fleet["known"]),
                   "-o", str(out), env=env)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert sorted(p.name for p in out.iterdir()) == ["collection.log", "dist-1.log", "dist-2.log"]
    assert PASSWORD.encode() not in proc.stdout + proc.stderr
    report = run_cli("analyze", "--format", "json", "--inventory", str(inv),
                     "--known-hosts", str(fleet["known"]), env=env)
    devices = json.loads(report.stdout)["devices"]
    # Hostnames come from the switches' prompts; the captures are named after the inventory.
    assert sorted(d["hostname"] for d in devices) == ["sw050", "sw060"]
    assert sorted(d["source"].rsplit("/", 1)[-1] for d in devices) == ["dist-1.log", "dist-2.log"]
    assert report.returncode == 1  # findings, all devices reached


def test_cli_unreachable_device_is_named_and_exit_is_nonzero(fleet, tmp_path):
    (port,) = free_ports(1)
    env = {**os.environ, "SLDIAG_PASSWORD": PASSWORD}
    proc = run_cli("analyze", "--host", f"good=127.0.0.1:{fleet['hosts']['sw070']['port']}",
                   "--host", f"gone=127.0.0.1:{port}", "--known-hosts", str(fleet["known"]),
                   "--username", USER, env=env)
    assert proc.returncode == 2
    assert b"gone: connection refused" in proc.stderr
    assert b"== sw070  (" in proc.stdout and b"/good.log)" in proc.stdout
    # The captures went to a temporary folder: said, with how to keep them.
    assert b"removed when sldiag ends" in proc.stderr and b"--captures DIR" in proc.stderr


def test_cli_nornir_config_and_hosts_file(fleet, tmp_path):
    """Any Nornir inventory plugin through a Nornir config file; and a plain host list."""
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text(json.dumps({"core-a": {"hostname": "127.0.0.1", "port": fleet["hosts"]["sw001"]["port"],
                                            "username": USER, "password": PASSWORD}}))
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"inventory": {"plugin": "SimpleInventory",
                                                "options": {"host_file": str(hosts)}}}))
    out = tmp_path / "via-config"
    proc = run_cli("collect", "--nornir-config", str(config), "--known-hosts", str(fleet["known"]),
                   "-o", str(out), env={k: v for k, v in os.environ.items() if k != "SLDIAG_PASSWORD"},
                   stdin=b"")
    assert proc.returncode == 0, proc.stderr.decode()[-1500:]
    assert (out / "core-a.log").is_file()
    listing = tmp_path / "switches.txt"
    listing.write_text(f"# access layer\n127.0.0.1:{fleet['hosts']['sw011']['port']}\n\n"
                       f"edge=127.0.0.1:{fleet['hosts']['sw021']['port']}  # closet 2\n")
    out = tmp_path / "via-list"
    proc = run_cli("collect", "--hosts-file", str(listing), "--username", USER,
                   "--known-hosts", str(fleet["known"]), "-o", str(out),
                   env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    assert proc.returncode == 0, proc.stderr.decode()[-1500:]
    from sldiag.collecting.names import capture_stem

    port = fleet["hosts"]["sw011"]["port"]
    stem = capture_stem(f"127.0.0.1:{port}")
    assert stem.startswith(f"127.0.0.1_{port}-")  # readable, and unique (':' is not kept)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["collection.log", f"{stem}.log", "edge.log"])


def test_plan_follows_the_licensing_generation():
    from sldiag.collecting.plan import plan_for

    policy = plan_for("Cisco IOS XE Software, Version 17.09.04a\n"
                      "Smart Licensing Status: Smart Licensing Using Policy\n")
    legacy = plan_for("Cisco IOS XE Software, Version 16.12.04\n"
                      "Smart Licensing Status: UNREGISTERED/EVAL MODE\n")
    assert policy.index("show license tech support") < policy.index("show license all")
    assert legacy.index("show license all") < legacy.index("show license tech support")
    assert policy.index("show license eventlog 7") < policy.index("show license eventlog")
    assert set(policy) <= ALLOWED_COMMANDS and set(legacy) <= ALLOWED_COMMANDS


def test_a_plan_naming_a_command_outside_the_allow_list_is_refused(tmp_path):
    from sldiag.base.errors import DataError
    from sldiag.collecting.plan import load_plan

    plan = tmp_path / "collection.yaml"
    plan.write_text("platforms: [cisco_xe]\n"
                    "first: show version\ncommon: [{need: x, commands: [show clock]}]\n"
                    "plans:\n  default: [{need: y, commands: [show license all, "
                    "'configure terminal']}]\n")
    with pytest.raises(DataError, match="'configure terminal' is not in sldiag's allow-list"):
        load_plan(plan)


def test_platforms_are_data_but_the_allow_list_is_code(tmp_path, monkeypatch):
    """A plan names its platforms; one the data does not know, or one without an allow-list
    in sldiag's code, is refused when the plan loads: data cannot widen what is sent."""
    from sldiag.base.errors import DataError
    from sldiag.collecting import allowlist
    from sldiag.collecting.plan import load_plan
    from sldiag.model.platforms import PLATFORMS, platform_named

    plan = tmp_path / "collection.yaml"
    body = ("first: show version\ncommon: [{need: x, commands: [show clock]}]\n"
            "plans:\n  default: [{need: y, commands: [show license all]}]\n")
    plan.write_text("platforms: [junos]\n" + body)
    with pytest.raises(DataError, match="platform 'junos' is not in parsers/platforms.yaml"):
        load_plan(plan)
    monkeypatch.setattr(allowlist, "ALLOWED_BY_PLATFORM", {"cisco_xe": allowlist._IOS_SHOW})
    monkeypatch.setattr("sldiag.collecting.plan.ALLOWED_BY_PLATFORM",
                        {"cisco_xe": allowlist._IOS_SHOW})
    plan.write_text("platforms: [cisco_xe, cisco_ios]\n" + body)
    with pytest.raises(DataError, match="platform 'cisco_ios' has no allow-list"):
        load_plan(plan)
    # Every platform of the data has its allow-list, and the shipped plan loads.
    assert set(PLATFORMS) <= set(allowlist.ALLOWED_BY_PLATFORM.keys()) | {"cisco_ios"}
    assert platform_named("Cisco-IOS-XE").name == "cisco_xe"
    assert platform_named(None).name == "cisco_xe" and platform_named("junos") is None


def test_cli_hosts_without_a_username_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if k != "SLDIAG_USERNAME"}
    proc = run_cli("collect", "--host", "127.0.0.1:1", "-o", "/tmp/never-written", env=env,
                   stdin=b"")
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1
    assert b"no SSH username" in proc.stderr
    assert not os.path.exists("/tmp/never-written")  # nothing created for a refused command


# -- read-only by construction, whatever the inventory says ----------------------------------

def _inventory_files(folder, hosts, groups=None, defaults=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yaml").write_text(hosts if isinstance(hosts, str) else json.dumps(hosts))
    (folder / "groups.yaml").write_text(json.dumps(groups or {}))
    (folder / "defaults.yaml").write_text(json.dumps(defaults or {"username": USER}))
    return folder / "hosts.yaml"


def test_platform_names_of_ios_xe_are_accepted_and_nothing_else():
    from nornir.core.inventory import Host

    from sldiag.collecting.checks import CollectError
    from sldiag.collecting.connection import connection_for

    options = CollectOptions()
    for given, used in (("cisco_xe", "cisco_xe"), ("ios", "cisco_xe"), ("IOSXE", "cisco_xe"),
                        ("cisco-ios-xe", "cisco_xe"), ("cisco_ios", "cisco_ios"), (None, "cisco_xe")):
        allowed, _ = connection_for(Host(name="h", hostname="192.0.2.1", platform=given), options)
        assert allowed.platform == used, given
        assert allowed.extras["ssh_strict"] is True and allowed.extras["system_host_keys"] is True
    for given in ("cisco_ios_telnet", "cisco_xe_telnet", "telnet", "cisco_wlc_ssh", "hp_procurve",
                  "linux", "autodetect", "cisco_ios_serial", "generic"):
        with pytest.raises(CollectError, match="refused"):
            connection_for(Host(name="h", hostname="192.0.2.1", platform=given), options)


def test_other_platforms_and_telnet_are_refused_before_connecting(tmp_path):
    from .fakefleet import Recorder

    recorder = Recorder("telnet")
    port = recorder.port
    try:
        inv = _inventory_files(tmp_path / "inv", {
            "tel": {"hostname": "127.0.0.1", "port": port, "platform": "cisco_ios_telnet"},
            "wlc": {"hostname": "127.0.0.1", "port": port, "platform": "cisco_wlc_ssh"},
            "hp": {"hostname": "127.0.0.1", "port": port, "platform": "hp_procurve"},
            "junos": {"hostname": "127.0.0.1", "port": port, "platform": "juniper_junos"},
            "conn-opt": {"hostname": "127.0.0.1", "port": port, "connection_options": {
                "netmiko": {"platform": "cisco_xe_telnet"}}},
            "by-group": {"hostname": "127.0.0.1", "port": port, "groups": ["old"]},
        }, groups={"old": {"platform": "cisco_ios_telnet"}})
        proc = run_cli("collect", "--inventory", str(inv), "-o", str(tmp_path / "out"),
                       env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    finally:
        recorder.close()
    err = proc.stderr.decode()
    assert proc.returncode == 2
    for name, platform in (("tel", "cisco_ios_telnet"), ("wlc", "cisco_wlc_ssh"),
                           ("hp", "hp_procurve"), ("junos", "juniper_junos"),
                           ("conn-opt", "cisco_xe_telnet"), ("by-group", "cisco_ios_telnet")):
        lines = [line for line in err.splitlines() if line.startswith(f"sldiag: {name}: ")]
        assert lines == [f"sldiag: {name}: platform '{platform}' refused: sldiag connects only "
                         "over SSH to IOS/IOS-XE (cisco_xe, cisco_ios, ios, iosxe); nothing was "
                         "sent"], err
    assert recorder.connections == 0 and not recorder.received  # not a byte, not a SYN
    assert "Traceback" not in err


def test_extras_cannot_turn_ssh_into_telnet_and_no_password_reaches_a_telnet_port(tmp_path):
    from .fakefleet import Recorder

    recorder = Recorder("telnet")
    try:
        inv = _inventory_files(tmp_path / "inv", {"sneaky": {
            "hostname": "127.0.0.1", "port": recorder.port, "platform": "cisco_xe",
            "connection_options": {"netmiko": {"extras": {
                "device_type": "cisco_ios_telnet", "session_log": str(tmp_path / "s.log")}}}}})
        proc = run_cli("collect", "--inventory", str(inv), "-o", str(tmp_path / "out"),
                       "--timeout", "5", env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    finally:
        recorder.close()
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "sldiag: sneaky: not an SSH server on this port" in err, err
    assert "inventory connection options ignored: device_type, session_log" in err
    assert recorder.received.startswith(b"SSH-2.0-")  # spoke SSH, the device type was ignored
    assert PASSWORD.encode() not in bytes(recorder.received)
    assert USER.encode() not in bytes(recorder.received)
    assert not (tmp_path / "s.log").exists()
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("sldiag: ")]) == 2


def test_inventory_extras_cannot_disable_host_key_checks(fleet, tmp_path):
    inv = _inventory_files(tmp_path / "inv", {"sw040": {
        "hostname": "127.0.0.1", "port": fleet["hosts"]["sw040"]["port"],
        "connection_options": {"netmiko": {"extras": {
            "ssh_strict": False, "system_host_keys": False, "alt_host_keys": False,
            "conn_timeout": 15}}}}})
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    proc = run_cli("collect", "--inventory", str(inv), "--known-hosts", str(empty),
                   "-o", str(tmp_path / "out"), env={**os.environ, "SLDIAG_PASSWORD": PASSWORD,
                                                     "HOME": str(tmp_path)})
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "sldiag: sw040: unknown host key" in err
    assert "ignored: alt_host_keys, ssh_strict, system_host_keys" in err  # conn_timeout is fine
    assert not (tmp_path / "out" / "sw040.log").exists()


def test_every_byte_written_to_the_channel_is_an_allow_listed_command(fleet, tmp_path,
                                                                       monkeypatch):
    import paramiko

    sent = bytearray()
    original = paramiko.Channel.send  # sendall and every write end here

    def recording(self, data):
        count = original(self, data)
        if not self.transport.server_mode:  # the fake switches run in this process too
            raw = data.encode() if isinstance(data, str) else bytes(data)
            sent.extend(raw[:count])
        return count

    monkeypatch.setattr(paramiko.Channel, "send", recording)
    outcome = _run(fleet, ["dg03", "sw050", "noevents"], tmp_path, workers=3)
    assert sorted(outcome.collected) == ["dg03", "noevents", "sw050"]
    lines = [line.strip() for line in sent.decode().replace("\r", "\n").split("\n")]
    commands = [line for line in lines if line]
    assert commands, "nothing recorded: the test would prove nothing"
    from sldiag.collecting.allowlist import SESSION_COMMANDS

    assert set(commands) <= ALLOWED_COMMANDS | {"exit"}, set(commands) - ALLOWED_COMMANDS
    assert "exit" in SESSION_COMMANDS
    assert "show license all" in commands and "show license eventlog" in commands  # fallbacks
    assert PASSWORD not in sent.decode()


def test_capture_names_are_unique_bounded_and_readable(fleet, tmp_path):
    names = ["sw/1", "sw_1", "collection", "x[/]", "a" * 300, "交换机-1", "交换机/1", "SW-A",
             "sw-a", "..", "bad\x1b[31mname"]
    ports = [fleet["hosts"][f"sw0{i % 8}0"]["port"] for i in range(len(names))]
    hosts_yaml = "".join(f"{json.dumps(n)}: {{hostname: 127.0.0.1, port: {p}}}\n"
                         for n, p in zip(names, ports, strict=True))
    inv = _inventory_files(tmp_path / "inv", hosts_yaml)
    out = tmp_path / "out"
    proc = run_cli("collect", "--inventory", str(inv), "--known-hosts", str(fleet["known"]),
                   "-o", str(out), env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    err = proc.stderr.decode()
    assert proc.returncode == 0, err[-2000:]
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == len(names) + 1 and "collection.log" in files
    assert "sw_1.log" in files and "交换机-1.log" in files and "SW-A.log" in files
    assert all(len(f.encode()) <= 120 for f in files)
    assert any(f.startswith("交换机_1-") for f in files)  # non-ASCII kept readable
    for name in ("sw/1", "collection", "sw-a", "x[/]"):
        assert f"sldiag: {name}: saved as " in err, name
    assert "x[/]" in err and "\x1b" not in err  # shown as text, never as markup or escapes
    log = (out / "collection.log").read_text()
    collected = [line for line in log.splitlines() if ": collected " in line]
    assert len(collected) == len(names)
    assert len({line.split(": collected ", 1)[1] for line in collected}) == len(names)


def test_a_listener_that_is_not_ssh_is_one_line(tmp_path):
    from .fakefleet import Recorder

    for behaviour, expected in (("http", "not an SSH server on this port"),
                                ("silent", "timeout waiting for the SSH greeting")):
        recorder = Recorder(behaviour)
        try:
            proc = run_cli("collect", "--host", f"web=127.0.0.1:{recorder.port}", "--username",
                           USER, "--timeout", "3", "-o", str(tmp_path / behaviour),
                           env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
        finally:
            recorder.close()
        err = proc.stderr.decode()
        assert proc.returncode == 2
        assert f"sldiag: web: {expected}" in err, err
        assert "Traceback" not in err and "Exception (client)" not in err, err
        assert PASSWORD.encode() not in bytes(recorder.received)


def test_bad_inventory_entries_are_one_line_each_and_the_rest_is_collected(fleet, tmp_path):
    good = fleet["hosts"]["sw070"]["port"]
    hosts_yaml = (f"good: {{hostname: 127.0.0.1, port: {good}}}\n"
                  f"twice: {{hostname: 127.0.0.1, port: {good}}}\n"
                  f"twice: {{hostname: 192.0.2.1, port: 22}}\n"
                  "noaddress: {port: 22}\n"
                  "badport: {hostname: 127.0.0.1, port: ssh}\n"
                  "alist: [1, 2]\n"
                  "lost: {hostname: 127.0.0.1, groups: [nowhere]}\n"
                  "weird: {hostname: 127.0.0.1, platform: arista_eos}\n")
    inv = _inventory_files(tmp_path / "inv", hosts_yaml)
    proc = run_cli("collect", "--inventory", str(inv), "--known-hosts", str(fleet["known"]),
                   "-o", str(tmp_path / "out"), env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    err = proc.stderr.decode()
    assert proc.returncode == 2
    expected = {
        "twice": "hosts.yaml:3: twice: named twice (the entry at line 2 is collected)",
        "noaddress": "noaddress: no hostname or address in the inventory entry",
        "badport": "hosts.yaml:5: badport: 'port' should be a int (not collected)",
        "alist": "hosts.yaml:6: alist: not a mapping of settings (not collected)",
        "lost": "hosts.yaml:7: lost: unknown group nowhere (not collected)",
        "weird": "weird: platform 'arista_eos' refused",
    }
    for name, text in expected.items():
        assert sum(text in line for line in err.splitlines()) == 1, (name, err)
    assert (tmp_path / "out" / "good.log").is_file() and (tmp_path / "out" / "twice.log").is_file()
    assert "Traceback" not in err
    log = (tmp_path / "out" / "collection.log").read_text()
    assert log.startswith("# sldiag collection log (sldiag ")
    assert "left out: hosts.yaml:3: twice: named twice" in log
    # a duplicate alone is enough for exit status 2, though every device was collected
    only_twice = _inventory_files(tmp_path / "inv2", hosts_yaml.split("noaddress")[0])
    again = run_cli("collect", "--inventory", str(only_twice), "--known-hosts", str(fleet["known"]),
                    "-o", str(tmp_path / "out2"), env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    assert again.returncode == 2, again.stderr.decode()[-1000:]
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == [
        "collection.log", "good.log", "twice.log"]


def test_devices_behind_a_jump_host_through_an_ssh_config(fleet, tmp_path):
    import shutil

    from .fakefleet import JumpHost

    if shutil.which("ssh") is None:
        pytest.skip("no OpenSSH client (ProxyJump runs `ssh -W`)")
    jump = JumpHost(tmp_path)
    try:
        jump_known = tmp_path / "jump_known_hosts"
        jump_known.write_text(jump.known_hosts_line())
        port = fleet["hosts"]["sw070"]["port"]
        config = tmp_path / "ssh_config"
        config.write_text(
            "Host bastion\n"
            f"  HostName 127.0.0.1\n  Port {jump.port}\n  User jumper\n"
            f"  IdentityFile {jump.user_key_file}\n  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {jump_known}\n  StrictHostKeyChecking yes\n"
            "  BatchMode yes\n"
            "Host closet-*\n"
            f"  HostName 127.0.0.1\n  Port {port}\n  ProxyJump bastion\n")
        proc = run_cli("collect", "--host", "closet-7", "--username", USER,
                       "--ssh-config", str(config), "--known-hosts", str(fleet["known"]),
                       "-o", str(tmp_path / "out"), env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    finally:
        jump.close()
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert jump.forwarded == [("127.0.0.1", port)]  # it went through the bastion
    text = (tmp_path / "out" / "closet-7.log").read_text()
    assert "#show license" in text


def test_host_lists_name_bad_lines_and_duplicates_one_line_each(tmp_path):
    from sldiag.collecting.inventory import inventory_problems, read_host_list

    listing = tmp_path / "switches.txt"
    listing.write_text("a=192.0.2.1\nb=192.0.2.2:ssh\na=192.0.2.3\n=:\n192.0.2.4:2222\n")
    problems: list[str] = []
    hosts = read_host_list(listing, problems)
    assert problems == [
        "switches.txt:2: '192.0.2.2:ssh': port 'ssh' is not a TCP port number (not collected)",
        "switches.txt:4: ':': port '' is not a TCP port number (not collected)"]
    nr = build_nornir(hosts=hosts, username=USER, password=PASSWORD)
    assert sorted(nr.inventory.hosts) == ["192.0.2.4:2222", "a"]
    assert inventory_problems(nr) == ["a: named twice (the first one is collected)"]
    assert nr.inventory.hosts["a"].hostname == "192.0.2.1"


def test_diff_of_two_collections_of_the_same_fleet(fleet, tmp_path):
    inv = _inventory_files(tmp_path / "inv", {
        name: {"hostname": "127.0.0.1", "port": fleet["hosts"][name]["port"]}
        for name in ("sw000", "sw030", "dg01")})
    env = {**os.environ, "SLDIAG_PASSWORD": PASSWORD}
    for run in ("monday", "tuesday"):
        proc = run_cli("collect", "--inventory", str(inv), "--known-hosts", str(fleet["known"]),
                       "-o", str(tmp_path / run), env=env)
        assert proc.returncode == 0, proc.stderr.decode()[-1000:]
    proc = run_cli("diff", "--format", "json", str(tmp_path / "monday"), str(tmp_path / "tuesday"))
    assert proc.returncode == 0, proc.stderr.decode()
    devices = json.loads(proc.stdout)["devices"]
    assert sorted(d["hostname"] for d in devices) == ["dg01", "sw000", "sw030"]
    assert {d["status"] for d in devices} == {"unchanged"}
    assert b"collection.log" not in proc.stderr  # sldiag's own log: passed over quietly


# Characters that could split an argument, start an option, or mean something to a shell or
# to ssh's own expansion, each put at the start, middle and end of an otherwise good name.
_HOSTILE = [" ", "\t", "\n", "\r", "\x00", "\x1b", "'", '"', "`", "$", "$(", ";", "&", "|",
            "<", ">", "(", ")", "*", "?", "[", "]", "{", "}", "!", "#", "~", "\\", "%", "=",
            ",", "@", "/", ":", "\u00a0", "\u202e", "-o", " -oProxyCommand=x"]


def _hostile_hosts():
    for bad in _HOSTILE:
        if bad == "-o":  # an option only where it starts a word
            yield from ("-osw1", "sw1.-olab", "-o10.0.0.1")
            continue
        yield from (f"{bad}sw1", f"sw{bad}1", f"sw1{bad}", f"sw1.{bad}lab", f"{bad}10.0.0.1")
    yield from ("-sw1", "sw1.-x", "-oProxyCommand=touch x", "", "a" * 254, "x." * 127 + "x",
                "a" * 64 + ".lab", "10.0.0.256", "1.2.3", "fe80::1%eth0;x", "[::1]", "::1%",
                "sw1..lab", ".sw1")


def test_inventory_hosts_must_be_a_dns_name_or_an_ip_literal():
    from sldiag.collecting.checks import address_problem

    for good in ("sw1", "SW-ACC-12.lab.example.net", "sw1.", "a_b-c", "192.0.2.1", "::1",
                 "2001:db8::7", "fe80::1%eth0", "x" * 63 + ".lab", "1sw.example"):
        assert address_problem(good) is None, good
    hostile = list(_hostile_hosts())
    assert len(hostile) > 200
    for bad in hostile:
        problem = address_problem(bad)
        assert problem is not None, bad
        assert "\n" not in problem and "\x1b" not in problem and len(problem) < 200, problem


def test_usernames_that_a_proxy_command_could_expand_are_refused():
    from sldiag.collecting.checks import username_problem

    for good in (None, "", "admin", "netops.ro", "svc-sldiag", "j_doe@corp"):
        assert username_problem(good) is None, good
    for bad in _HOSTILE:
        if bad in {"=", ",", "@", "/", ":", "-o"}:
            continue  # harmless in a user name
        for form in (f"{bad}admin", f"ad{bad}min", f"admin{bad}"):
            assert username_problem(form) is not None, repr(form)


def test_an_inventory_cannot_run_a_command_through_a_jump_host_config(tmp_path):
    """The attack: a hostname that netmiko would put into `ssh -F cfg -W {host}:{port} jump`
    (or a ProxyCommand's %h). Nothing is connected, nothing runs, one line names the entry."""
    marker = tmp_path / "PWNED"
    config = tmp_path / "ssh_config"
    config.write_text("Host bastion\n  HostName 127.0.0.1\n  Port 9\n"
                      "Host closet-*\n  ProxyJump bastion\n"
                      "Host lab-*\n  ProxyCommand sh -c 'exec nc %h %p'\n")
    payloads = {
        "jump": f'closet-7:22 -oProxyCommand="touch {marker}" x',
        "cmd": f"lab-1;touch {marker}",
        "subst": f"lab-$(touch {marker})",
        "tick": f"lab-`touch {marker}`",
        "opt": f"-oProxyCommand=touch {marker}",
    }
    hosts_yaml = "".join(f"{name}: {json.dumps({'hostname': host, 'port': 22})}\n"
                         for name, host in payloads.items()) + "viagroup: {groups: [g]}\n"
    inv = _inventory_files(tmp_path / "inv", hosts_yaml,
                           groups={"g": {"hostname": f"closet-1 -oProxyCommand=touch {marker}"}})
    proc = run_cli("collect", "--inventory", str(inv), "--ssh-config", str(config),
                   "--timeout", "3", "-o", str(tmp_path / "out"),
                   env={**os.environ, "SLDIAG_PASSWORD": PASSWORD})
    err = proc.stderr.decode()
    assert not marker.exists(), err
    assert proc.returncode == 2
    for line_number, name in enumerate(payloads, 1):
        lines = [line for line in err.splitlines() if f" {name}: host " in line]
        assert len(lines) == 1 and f"hosts.yaml:{line_number}: {name}: host " in lines[0], err
        assert "is not a DNS name or an IP address" in lines[0]
    assert sum("viagroup: host " in line and "nothing was connected" in line
               for line in err.splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_hosts_file_line_that_is_not_a_host_is_one_line_and_never_used(tmp_path):
    from sldiag.collecting.inventory import read_host_list

    listing = tmp_path / "switches.txt"
    listing.write_text("sw-c 127.0.0.1:42002\nsw-d=-oProxyCommand=x\ngood=192.0.2.9\n")
    problems: list[str] = []
    hosts = read_host_list(listing, problems)
    assert [h["name"] for h in hosts] == ["good"]
    assert [p.split(":", 2)[:2] for p in problems] == [["switches.txt", "1"],
                                                        ["switches.txt", "2"]]
    assert all("is not a DNS name or an IP address" in p for p in problems), problems


def test_a_name_that_does_not_resolve_is_said_so():
    import socket

    import netmiko

    from sldiag.collecting.connection import explain_failure

    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror:  # raised inside the handler, as netmiko does
            raise netmiko.NetmikoTimeoutException(  # noqa: B904
                "DNS failure--the hostname you provided was not resolvable in DNS: sw-typo:22")
    except netmiko.NetmikoTimeoutException as exc:
        reason = explain_failure(exc)
    assert reason.startswith("the name does not resolve")
    assert explain_failure(netmiko.NetmikoTimeoutException("TCP connection to device failed.")
                           ) == "timeout connecting to the device"


def test_an_interrupted_run_records_what_finished(tmp_path, monkeypatch):
    """Ctrl-C during a fleet run: the devices that finished are in collection.log, the rest
    are named as interrupted."""
    from nornir.core.task import Result

    import sldiag.collecting.fleet as fleet_module
    from sldiag.collecting.connection import CollectOptions
    from sldiag.collecting.fleet import collection_log, run_fleet
    from sldiag.collecting.inventory import build_nornir, parse_host

    def fake_collect(task, options):
        if task.host.name == "sw-b":
            raise KeyboardInterrupt
        return Result(host=task.host, result={"capture": "sw-a.log", "rejected": [], "gaps": []})

    monkeypatch.setattr(fleet_module, "collect_licensing", fake_collect)
    nr = build_nornir(hosts=[parse_host("sw-a"), parse_host("sw-b"), parse_host("sw-c")],
                      workers=1, username="u", password="p")
    outcome = run_fleet(nr, CollectOptions(output_dir=tmp_path))
    assert outcome.interrupted
    # What finished is recorded (a device already running when Ctrl-C came may finish too).
    assert "sw-a" in outcome.collected and "sw-b" not in outcome.collected
    assert outcome.failed["sw-b"].startswith("interrupted")
    log = collection_log(outcome)
    assert "sw-a: collected sw-a.log" in log and any("interrupted (Ctrl-C)" in n for n in log)


def test_a_password_is_asked_only_for_devices_without_one(monkeypatch):
    import click

    from sldiag.cli import collect as collect_cli
    from sldiag.collecting.inventory import build_nornir, parse_host

    asked = []
    monkeypatch.setattr(click, "prompt", lambda text, **kw: asked.append(text) or "typed")
    monkeypatch.setattr(collect_cli.sys.stdin, "isatty", lambda: True)
    nr = build_nornir(hosts=[parse_host("sw-a"), parse_host("sw-b")], username="u", password="inv")
    collect_cli._ask_missing_passwords(nr)
    assert asked == []  # the inventory gave one: no prompt
    nr = build_nornir(hosts=[parse_host("sw-a"), parse_host("sw-b")], username="u")
    collect_cli._ask_missing_passwords(nr)
    assert len(asked) == 1 and all(h.password == "typed" for h in nr.inventory.hosts.values())
