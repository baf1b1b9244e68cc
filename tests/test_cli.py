"""The command line as users meet it: exit codes, the JSON contract, bad input, outputs."""

from __future__ import annotations

import gzip
import json
import os

import jsonschema
import pytest

from .conftest import ROOT, SAMPLES, run_cli

# The contract of the README, written out independently of the code that produces it.
CONTRACT = {
    "type": "object",
    "required": ["schema_version", "devices"],
    "properties": {
        "schema_version": {"const": "1"},
        "devices": {"type": "array", "items": {
            "type": "object",
            "required": ["hostname", "also_seen_as", "source", "licensing", "findings", "fix",
                         "worst_severity", "platform", "release", "serial", "next_deadline"],
            "properties": {
                "worst_severity": {"enum": ["critical", "error", "warning", "info", None]},
                "platform": {"type": ["string", "null"]},
                "release": {"type": ["string", "null"]},
                "serial": {"type": ["string", "null"]},
                "next_deadline": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["kind", "date", "days", "at_least"],
                    "properties": {
                        "kind": {"enum": ["next_ack", "communication", "registration_expiry",
                                          "evaluation_end"]},
                        "date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T"},
                        "days": {"type": ["integer", "null"]},
                        "at_least": {"type": "boolean"}}}]},
                "fix": {"type": "array", "items": {"type": "string"}},
                "hostname": {"type": ["string", "null"]},
                "also_seen_as": {"type": "array", "items": {"type": "string"}},
                "source": {"type": "string"},
                "clock": {"type": ["object", "null"], "required": ["time", "source", "exact"],
                          "properties": {"exact": {"type": "boolean"}}},
                "licensing": {
                    "type": "object",
                    "required": ["mode", "registration_status", "authorization_status",
                                 "transport", "trust_code_installed", "last_ack_received"],
                    "properties": {
                        "mode": {"enum": ["smart-licensing", "smart-licensing-using-policy",
                                          "not-smart-licensing", "unknown"]},
                        "mode_marker": {"type": ["object", "null"],
                                        "required": ["file", "line", "text"]},
                        "registration_status": {"type": ["string", "null"]},
                        "authorization_status": {"type": ["string", "null"]},
                        "transport": {"type": ["string", "null"], "pattern": "^[a-z0-9 _-]+$"},
                        "trust_code_installed": {"type": ["boolean", "null"]},
                        "last_ack_received": {"type": ["string", "null"], "format": "date-time"},
                    },
                },
                "findings": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id", "scenario", "severity", "title", "evidence", "next_steps"],
                    "properties": {
                        "id": {"type": "string"},
                        "scenario": {"type": ["integer", "null"], "minimum": 1, "maximum": 9},
                        "severity": {"enum": ["critical", "error", "warning", "info"]},
                        "title": {"type": "string"},
                        "evidence": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["file", "line", "text"],
                            "properties": {"file": {"type": "string"},
                                           "line": {"type": "integer", "minimum": 1},
                                           "text": {"type": "string"}}}},
                        "next_steps": {"type": "array", "items": {"type": "string"}},
                    },
                }},
            },
        }},
    },
}


def _json(*args: str) -> tuple[dict, int]:
    proc = run_cli("analyze", "--format", "json", *args)
    assert proc.stderr == b"", proc.stderr
    return json.loads(proc.stdout), proc.returncode


def test_json_contract_on_every_sample():
    for sample in sorted(SAMPLES.iterdir()):
        doc, code = _json(str(sample.relative_to(ROOT)))
        jsonschema.validate(doc, CONTRACT)
        assert code in (0, 1)


def test_json_values_of_a_failing_switch():
    doc, code = _json("samples/05-call-home-http-failed.showtech.txt.gz")
    assert code == 1
    (device,) = doc["devices"]
    assert device["hostname"] == "SW-ACC-12"
    assert device["source"] == "samples/05-call-home-http-failed.showtech.txt.gz"
    # The mode is cited by the line that told it: the registration status, a legacy marker.
    marker = device["licensing"].pop("mode_marker")
    lines = gzip.decompress((SAMPLES / "05-call-home-http-failed.showtech.txt.gz").read_bytes()
                            ).decode().splitlines()
    assert marker["text"] == lines[marker["line"] - 1] == "  Status: REGISTERED"
    assert lines[marker["line"] - 2] == "Registration:"
    assert device["licensing"] == {
        "mode": "smart-licensing", "registration_status": "REGISTERED",
        "authorization_status": "OUT OF COMPLIANCE", "transport": "callhome",
        "trust_code_installed": None, "last_ack_received": None}
    # The cause leads (it is what to fix), the scenario follows as its consequence; then the
    # advice for this release (info).
    cause, finding, *advice = device["findings"]
    assert sorted(f["id"] for f in advice) == ["sl-release-advisory", "sl-upgrade-to-using-policy"]
    assert {f["severity"] for f in advice} == {"info"}
    assert (finding["id"], finding["scenario"], finding["severity"]) == (
        "sl-scenario-05-call-home-http-failed", 5, "error")
    texts = [e["text"].strip() for e in finding["evidence"]]
    assert "Failure reason: Fail to send out Call Home HTTP message." in texts
    assert "Last Communication Attempt: FAILED on Aug 02 14:26:23 2018 UTC" in texts
    # The cause is in the configuration: named first in the next steps, its line quoted.
    assert cause["id"] == "sl-caveat-no-dns" and finding["causes"] == ["sl-caveat-no-dns"]
    assert cause["consequences"] == ["sl-scenario-05-call-home-http-failed"]
    assert cause["severity"] == "error"
    assert finding["next_steps"][0].startswith("Cause found: The switch cannot resolve tools.cisco.com")
    assert "no ip domain lookup" in texts
    assert device["verdict"].startswith("ERROR - The switch cannot resolve tools.cisco.com")
    assert device["verdict"].endswith("(the cause of: Scenario #5: Cisco not reachable: "
                                      "\"Fail to send out Call Home HTTP message\")")


def test_exit_status_zero_when_healthy():
    proc = run_cli("analyze", "rules/examples/sl-agent-dereg-failed/negative-healthy-registered-authorized.txt")
    assert proc.returncode == 0, proc.stdout.decode()
    assert (b"Verdict: OK: REGISTERED / AUTHORIZED, authorization renews 2019-10-17 08:20:06 UTC, "
            b"registration expires 2020-03-03 10:06:21 UTC") in proc.stdout


def test_text_report_cites_file_line_and_next_steps():
    proc = run_cli("analyze", "samples/03-clock-offset.session.log")
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "== SW-ACC-12  (samples/03-clock-offset.session.log)" in out
    # The cause first, the scenario it explains after it.
    assert ("Verdict: ERROR - The device clock is not trusted or not synchronised (no NTP, no "
            "clock calendar-valid) (the cause of: Scenario #3: Registration refused") in out
    line = next(n for n, t in enumerate((SAMPLES / "03-clock-offset.session.log").read_text()
                                        .splitlines(), 1) if "offset beyond" in t)
    assert f"samples/03-clock-offset.session.log:{line}:" in out
    assert "`clock calendar-valid`" in out


def test_stdin_and_folder_inputs():
    data = (SAMPLES / "09-data-signature.session.log").read_bytes()
    proc = run_cli("analyze", "--format", "json", "-", stdin=data)
    doc = json.loads(proc.stdout)
    assert doc["devices"][0]["source"] == "<stdin>"
    assert doc["devices"][0]["findings"][0]["scenario"] == 9
    doc, _ = _json("samples")
    assert len(doc["devices"]) == len(list(SAMPLES.iterdir())) + 1  # one file holds two switches


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.write_bytes(b""), "file is empty"),
    (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00"), "binary file"),
    (lambda p: p.write_bytes(b"Smart Licensing is ENABLED\n" + b"\xff\xfe\xfa oops\n" * 25),
     "not valid UTF-8"),
    (lambda p: p.write_bytes(gzip.compress(b"x" * 100)[:15]), "gzip data is truncated"),
    (lambda p: p.mkdir(), "directory holds no capture files"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, message):
    path = tmp_path / "capture.txt"
    make(path)
    proc = run_cli("analyze", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.count("\n") == 1 and err.startswith("sldiag: ") and message in err, err
    assert "Traceback" not in err


def test_usage_errors_are_one_line():
    proc = run_cli("analyze", "--format", "yaml", "samples")
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1


def test_one_bad_input_among_good_ones(tmp_path):
    proc = run_cli("analyze", "samples/09-data-signature.session.log", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert b"Scenario #9" in proc.stdout
    assert proc.stderr.decode().strip().endswith("nope: no such file")


def test_output_file_is_written_atomically_and_inputs_are_protected(tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("analyze", "--format", "json", "-o", str(out), "samples/02-try-again.session.log")
    assert proc.returncode == 1 and proc.stdout == b""
    assert json.loads(out.read_text())["devices"][0]["hostname"] == "DC1-AGG-01"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left behind
    victim = tmp_path / "capture.txt"
    original = (SAMPLES / "02-try-again.session.log").read_bytes()
    victim.write_bytes(original)
    proc = run_cli("analyze", "-o", str(victim), str(victim))
    assert proc.returncode == 2 and victim.read_bytes() == original


def test_rules_commands():
    listing = run_cli("rules", "list")
    assert listing.returncode == 0
    assert b"sl-scenario-07-waiting-for-reply" in listing.stdout
    tested = run_cli("rules", "test")
    assert tested.returncode == 0
    assert b" 0 failed" in tested.stdout


def test_broken_rule_folder_is_a_clear_error(tmp_path):
    (tmp_path / "x.yaml").write_text("id: x\nversion: 1\n")
    proc = run_cli("analyze", "--rules", str(tmp_path), "samples/02-try-again.session.log")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and "x.yaml" in err


def test_offline_path_imports_no_network_libraries():
    code = ("import sys, runpy; sys.argv=['sldiag','analyze','samples']\n"
            "try:\n    runpy.run_module('sldiag', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "bad=[m for m in ('netmiko','paramiko','cryptography','nornir') if m in sys.modules]\n"
            "sys.stderr.write('LOADED:'+','.join(bad))\n")
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                          env={**os.environ}, timeout=120)
    assert proc.stderr.decode().endswith("LOADED:"), proc.stderr.decode()[-300:]


def test_every_command_is_found_where_the_group_looks_for_it():
    """Commands are imported on demand (cli/group.py): each one the modules define is in the
    map, under the module that defines it, and a fresh `sldiag CMD --help` finds it."""
    import subprocess
    import sys

    from sldiag.cli.group import _Commands, cli

    names = cli.list_commands(None)  # type: ignore[arg-type]  # imports every module
    assert sorted(names) == sorted(_Commands.MODULES)
    for name in names:
        defined_in = cli.commands[name].callback.__module__.rsplit(".", 1)[-1]  # type: ignore[union-attr]
        assert _Commands.MODULES[name] == defined_in, name
    code = ("import sys; from sldiag.cli import main; sys.argv = ['sldiag', sys.argv[1], '-h']\n"
            "main()")
    for name in names:
        done = subprocess.run([sys.executable, "-c", code, name], capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0 and f"Usage: sldiag {name}" in done.stdout, done.stderr


def test_a_small_capture_loads_only_what_its_analysis_needs():
    """No streaming reader, archive support or other command for one small capture, and no
    jinja2 for a JSON report, once the cache is filled (each costs milliseconds a run)."""
    import subprocess
    import sys

    code = ("import sys; from sldiag.cli import main\n"
            "sys.argv = ['sldiag', 'analyze', '--format', 'json', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "names = ('sldiag.reading.scanner', 'sldiag.reading.finders', 'tarfile', "
            "'zipfile', 'gzip', 'sldiag.cli.delivery', 'sldiag.cli.inspect', 'jinja2')\n"
            "sys.stderr.write('LOADED:' + ','.join(n for n in names if n in sys.modules))\n")
    for _ in range(2):  # the first run fills the cache (validating the rules loads more)
        proc = subprocess.run([sys.executable, "-c", code,
                               str(SAMPLES / "02-try-again.session.log")],
                              capture_output=True, cwd=ROOT, timeout=120)
    assert proc.stderr.decode().endswith("LOADED:"), proc.stderr.decode()[-300:]


def test_several_devices_start_with_a_summary_table():
    proc = run_cli("analyze", "samples/state-healthy-and-authorization-expired.two-devices.log",
                   env={**os.environ, "COLUMNS": "120"})
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "Smart Licensing diagnosis - sldiag 0.1.0 - 2 devices"
    assert lines[1] == "ERROR 1   OK 1"
    assert lines[2].split() == ["SEVERITY", "DEVICE", "FILE", "STATE", "VERDICT"]
    # worst first: the broken switch before the healthy one, whatever the file order
    assert lines[3].split()[:2] == ["ERROR", "SW-ACC-22"]
    assert "REGISTERED/AUTHORIZATIO" in lines[3]
    # the verdict after the SEVERITY column does not say ERROR again
    assert "  Scenario #5" in lines[3] and "ERROR - " not in lines[3]
    assert lines[4].split()[:2] == ["OK", "SW-ACC-21"]


@pytest.mark.parametrize("columns", [80, 120])
def test_summary_fits_the_terminal_and_tells_files_apart(columns):
    env = {**os.environ, "COLUMNS": str(columns)}
    proc = run_cli("analyze", "samples/", env=env)
    table = proc.stdout.decode().split("\n\n")[0].splitlines()[2:]
    assert all(len(line) <= columns for line in table)
    rows = [line for line in table[1:] if "SW-ACC-12" in line]
    assert len(rows) >= 6 and len(set(rows)) == len(rows)  # one name, told apart by FILE
    assert ("STATE" in table[0]) is (columns >= 120)


def test_own_template(tmp_path):
    template = tmp_path / "ticket.txt.j2"
    template.write_text("{% for r in results %}{{ r.hostname }}: {{ verdict(r) }}\n"
                        "{% for f in r.findings %}- {{ f.rule_id }} ({{ f.evidence | length }} lines)\n"
                        "{% endfor %}{% endfor %}")
    proc = run_cli("analyze", "--template", str(template), "samples/09-data-signature.session.log")
    out = proc.stdout.decode()
    assert out.startswith("SW-ACC-12: ERROR - Scenario #9:")
    assert "- sl-scenario-09-data-signature-mismatch (" in out


def test_markdown_report():
    proc = run_cli("analyze", "--format", "md", "samples/state-healthy-and-authorization-expired.two-devices.log")
    out = proc.stdout.decode()
    assert out.startswith("# Smart Licensing diagnosis")
    assert "| Severity | Device | State | Verdict |" in out
    assert "## SW-ACC-22" in out and "`license smart renew auth`" in out
    # the cited line, marked, with its own two-space indent
    assert ">    93    Status: AUTHORIZATION EXPIRED on May 30 13:07:02 2019 UTC" in out


def test_jobs_give_the_same_report_in_the_same_order(tmp_path):
    import shutil

    for n in range(3):
        for sample in SAMPLES.iterdir():
            shutil.copy(sample, tmp_path / f"{n}-{sample.name}")
    one = run_cli("analyze", "--format", "json", "--jobs", "1", str(tmp_path))
    two = run_cli("analyze", "--format", "json", "--jobs", "2", str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    devices = json.loads(two.stdout)["devices"]
    assert len(devices) == 3 * (len(list(SAMPLES.iterdir())) + 1)
    assert [d["source"] for d in devices] == sorted(d["source"] for d in devices)
    text = run_cli("analyze", "--jobs", "2", str(tmp_path)).stdout.decode()
    counts = text.splitlines()[1]  # counts by verdict under the title, then the table
    assert sum(int(n) for n in counts.split()[1::2]) == len(devices)


def test_fix_prints_the_configuration_of_each_device(tmp_path):
    proc = run_cli("fix", "samples/07-waiting-for-reply.bare.txt",
                   "samples/slup-healthy.bare.txt")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    # One block: the healthy device has nothing to change.
    assert lines.count("configure terminal") == 1 and lines.count("end") == 1
    start, end = lines.index("configure terminal"), lines.index("end")
    assert lines[start + 2:start + 4] == ["crypto pki trustpoint SLA-TrustPoint",
                                          " revocation-check none"]
    assert "show license status" in lines[end:]
    assert "write memory" not in [line.strip() for line in lines]  # saving is left to the user
    # The JSON report carries the same lines.
    doc, _ = _json("samples/07-waiting-for-reply.bare.txt")
    assert doc["devices"][0]["fix"] == lines


def test_fix_on_a_healthy_device_and_on_bad_input(tmp_path):
    proc = run_cli("fix", "samples/slup-healthy.bare.txt")
    assert proc.returncode == 0 and proc.stdout == b""
    assert b"no configuration to change in 1 device" in proc.stderr
    proc = run_cli("fix", str(tmp_path / "missing.txt"))
    assert proc.returncode == 2
    assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_small_things_a_fleet_user_meets(tmp_path):
    # One error for a bad encoding, before any file is read.
    proc = run_cli("analyze", "--encoding", "nope", "samples/")
    assert proc.returncode == 2 and len(proc.stderr.decode().strip().splitlines()) == 1
    # UTF-16 without a byte-order mark: refused with the hint that reads it.
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("SW1#show license status\nSmart Licensing is ENABLED\n".encode("utf-16-le"))
    proc = run_cli("analyze", str(u16))
    assert proc.returncode == 2 and b"try --encoding utf-16-le" in proc.stderr
    assert run_cli("analyze", "--encoding", "utf-16-le", str(u16)).returncode in (0, 1)
    # --summary where the format has none: refused, not ignored.
    proc = run_cli("analyze", "--summary", "--format", "json", "samples/")
    assert proc.returncode == 2 and b"--summary" in proc.stderr
    # A path given twice (and inside a folder given too) is analysed once.
    doc, _ = _json("samples/07-waiting-for-reply.bare.txt", "samples/07-waiting-for-reply.bare.txt")
    assert len(doc["devices"]) == 1


def test_rules_show_and_parse_one_command():
    proc = run_cli("rules", "show", "sl-scenario-07-waiting-for-reply")
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "revocation-check none" in text and "fires" in text and "silent" in text
    assert run_cli("rules", "show", "no-such-rule").returncode == 2
    proc = run_cli("parse", "--command", "SHOW CLOCK", "samples/03-clock-offset.session.log")
    (device,) = json.loads(proc.stdout)["devices"]
    assert list(device["facts"]) == ["clock"] and [c["command"] for c in device["commands"]] == [
        "show clock"]
    assert run_cli("parse", "--command", "show nothing", "samples/03-clock-offset.session.log"
                   ).returncode == 2
