"""Reports for a fleet: the summary, the state line, colour, Markdown code, diff and parse."""

from __future__ import annotations

import json
import os
import re
import shutil

from .conftest import SAMPLES, run_cli

HEALTHY = "samples/state-healthy-and-authorization-expired.two-devices.log"


def _fleet(tmp_path, count: int):
    """A folder of ``count`` captures: our samples, over and over, under their own names."""
    folder = tmp_path / "fleet"
    folder.mkdir()
    samples = sorted(p for p in SAMPLES.iterdir())
    for n in range(count):
        sample = samples[n % len(samples)]
        shutil.copy(sample, folder / f"{n:03d}-{sample.name}")
    return folder


def test_summary_of_120_captures_fits_100_columns_and_140_lines(tmp_path):
    folder = _fleet(tmp_path, 120)
    proc = run_cli("analyze", "--summary", str(folder), env={**os.environ, "COLUMNS": "100"})
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    devices = int(re.match(r"Smart Licensing diagnosis - sldiag \S+ - (\d+) devices", lines[0])[1])
    assert devices >= 120
    assert len(lines) <= 140
    assert max(len(line) for line in lines) <= 100
    counts = dict(zip(lines[1].split()[::2], map(int, lines[1].split()[1::2]), strict=True))
    assert sum(counts.values()) == devices
    table = lines[3:3 + devices]
    order = ["CRITICAL", "ERROR", "WARNING", "OK", "UNKNOWN"]
    ranks = [order.index(line.split()[0]) for line in table]
    assert ranks == sorted(ranks)  # worst first
    assert sum(1 for line in table if line.split()[0] == "ERROR") == counts.get("ERROR", 0)
    # narrower terminal, still no line wider than it
    narrow = run_cli("analyze", "--summary", str(folder), env={**os.environ, "COLUMNS": "72"})
    assert max(len(line) for line in narrow.stdout.decode().splitlines()) <= 72


def test_full_report_length_per_device_healthy_versus_broken():
    healthy = run_cli("analyze", "samples/slup-healthy.bare.txt").stdout.decode()
    broken = run_cli("analyze", "samples/03-clock-offset.session.log").stdout.decode()
    # A healthy device: header, state, clock, verdict and its one info finding - no flowchart.
    assert "Flowchart:" not in healthy
    assert len(healthy.splitlines()) < len(broken.splitlines())
    assert "Flowchart:" in broken


def test_state_line_for_using_policy_and_legacy():
    slup = run_cli("analyze", "samples/slup-ack-overdue.crlf-more.txt").stdout.decode()
    state = next(line for line in slup.splitlines() if line.strip().startswith("State:"))
    assert re.search(r"Using Policy: transport smart, trust code installed, last ACK 2024-01-10 "
                     r"08:00:14 UTC, next ACK deadline 2024-03-10 08:00:14 UTC \(\d+ days ago\)",
                     state), state
    legacy = run_cli("analyze", HEALTHY).stdout.decode()
    states = [line.strip() for line in legacy.splitlines() if line.strip().startswith("State:")]
    assert any("Registration: REGISTERED (expires 2020-03-03" in s and "Authorization: AUTHORIZED"
               in s and "communication deadline 2019-12-16" in s for s in states), states


def test_unnamed_device_header_does_not_repeat_its_path():
    out = run_cli("analyze", "samples/slup-healthy.bare.txt").stdout.decode()
    header = next(line for line in out.splitlines() if line.startswith("== "))
    assert header == "== (unnamed device)  (samples/slup-healthy.bare.txt)"


def test_min_severity_limits_the_detail_not_the_verdict():
    full = run_cli("analyze", "samples/03-clock-offset.session.log").stdout.decode()
    limited = run_cli("analyze", "--min-severity", "error",
                      "samples/03-clock-offset.session.log").stdout.decode()
    verdict = [line for line in full.splitlines() if "Verdict:" in line]
    assert verdict == [line for line in limited.splitlines() if "Verdict:" in line]
    assert "[WARNING]" in full and "[WARNING]" not in limited
    assert "[ERROR]" in limited
    assert "finding(s) below error not shown" in limited


def test_colour_only_on_a_terminal_and_never_with_no_color():
    import pty
    import subprocess
    import sys

    def run(env):
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "sldiag", "analyze", HEALTHY],
                                stdout=follower, stderr=subprocess.PIPE, env=env,
                                cwd=SAMPLES.parent)
        os.close(follower)
        data = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        proc.wait(60)
        os.close(leader)
        return data

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    assert b"\x1b[1;31m[ERROR]\x1b[0m" in run(env)
    assert b"\x1b[" not in run({**env, "NO_COLOR": "1"})
    assert b"\x1b[" not in run({**env, "TERM": "dumb"})
    assert b"\x1b[" not in run_cli("analyze", HEALTHY, env=env).stdout  # a pipe


def test_markdown_shows_commands_and_placeholders_as_code():
    out = run_cli("analyze", "--format", "md", "samples/slup-trust-missing.session.log",
                  "samples/01-product-already-registered.showtech.txt").stdout.decode()
    assert "`license smart trust idtoken <TOKEN> all force`" in out
    outside_code = re.sub(r"(`+)(?:(?!\1).)*?\1", "", out.replace("\n", " "))
    outside_code = re.sub(r"```.*?```", "", outside_code)
    assert "<TOKEN>" not in outside_code and "&lt;TOKEN&gt;" not in outside_code


def test_diff_of_the_scenario_3_fix(tmp_path):
    before, after = "samples/03-clock-offset.session.log", "samples/03-clock-offset.fixed.session.log"
    proc = run_cli("diff", "--format", "json", before, after)
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["schema_version"] == "1"
    (device,) = document["devices"]
    assert device["hostname"] == "SW-ACC-12" and device["status"] == "changed"
    assert "sl-scenario-03-clock-offset" in device["resolved"]
    assert "sl-caveat-clock-untrusted" in device["resolved"]
    assert device["appeared"] == ["sl-state-registered-authorized"]
    changes = {c["fact"]: (c["before"], c["after"]) for c in device["facts_changed"]}
    assert changes["registration.status"] == ("REGISTERING - REGISTRATION IN PROGRESS",
                                              "REGISTERED")
    assert changes["authorization.status"] == ("EVAL MODE", "AUTHORIZED")
    text = run_cli("diff", before, after).stdout.decode()
    assert "resolved: sl-scenario-03-clock-offset [error]" in text
    assert "registration.status: REGISTERING - REGISTRATION IN PROGRESS -> REGISTERED" in text
    md = run_cli("diff", "--format", "md", before, after).stdout.decode()
    assert md.startswith("# sldiag diff") and "`sl-scenario-03-clock-offset`" in md
    # the other way round, the scenario appears: exit 1
    back = run_cli("diff", "--format", "json", after, before)
    assert back.returncode == 1
    assert "sl-scenario-03-clock-offset" in json.loads(back.stdout)["devices"][0]["appeared"]


def test_diff_folders_new_gone_and_devices_seen_twice(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    shutil.copy("samples/03-clock-offset.session.log", before / "acc12.log")
    shutil.copy("samples/02-try-again.session.log", before / "agg.log")
    shutil.copy("samples/03-clock-offset.session.log", after / "acc12-old.log")
    shutil.copy("samples/03-clock-offset.fixed.session.log", after / "acc12-new.log")
    shutil.copy("samples/slup-ack-overdue.crlf-more.txt", after / "new.log")
    proc = run_cli("diff", "--format", "json", str(before), str(after))
    document = json.loads(proc.stdout)
    status = {d["hostname"]: d["status"] for d in document["devices"]}
    assert status == {"SW-ACC-12": "changed", "DC1-AGG-01": "gone", "SW-ACC-41": "new"}
    # seen twice after: the later capture (by its clock) is compared, and a note says so
    assert any("SW-ACC-12" in n and "acc12-new.log (the latest)" in n
               for n in document["notes"]), document["notes"]
    assert proc.returncode == 1  # a new device with an error is something new


def test_diff_with_no_device_in_common_is_one_line():
    proc = run_cli("diff", "samples/03-clock-offset.session.log", "samples/slup-healthy.bare.txt")
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().count("\n") == 1 and "no device in common" in proc.stderr.decode()
    missing = run_cli("diff", "samples/nope.txt", "samples/slup-healthy.bare.txt")
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr


def test_parse_prints_facts_per_device_and_command():
    proc = run_cli("parse", "samples/03-clock-offset.session.log", HEALTHY)
    assert proc.returncode == 0
    document = json.loads(proc.stdout)
    assert document["schema_version"] == "1"
    first = document["devices"][0]
    assert first["hostname"] == "SW-ACC-12"
    assert first["facts"]["registration"]["status"]["value"] == "REGISTERING - REGISTRATION IN PROGRESS"
    assert first["facts"]["registration"]["status"]["file"] == "samples/03-clock-offset.session.log"
    status = next(c for c in first["commands"] if c["command"] == "show license status")
    assert "registration.status" in status["facts"]
    assert status["line"] == first["facts"]["registration"]["status"]["line"] - (
        first["facts"]["registration"]["status"]["line"] - status["line"])  # a real line number
    assert status["line"] < first["facts"]["registration"]["status"]["line"]
    logging = next(c for c in first["commands"] if c["command"] == "show logging")
    assert logging["rows"] == {"syslog": len(first["rows"]["syslog"])}
    assert [d["hostname"] for d in document["devices"][1:]] == ["SW-ACC-21", "SW-ACC-22"]
    assert run_cli("parse", "samples/nope.txt").returncode == 2


def test_diff_and_parse_outputs_are_written_atomically_or_refused_in_one_line(tmp_path):
    before, after = "samples/03-clock-offset.session.log", "samples/03-clock-offset.fixed.session.log"
    out = tmp_path / "diff.json"
    assert run_cli("diff", "--format", "json", "-o", str(out), before, after).returncode == 0
    assert json.loads(out.read_text())["devices"][0]["status"] == "changed"
    parsed = tmp_path / "facts.json"
    assert run_cli("parse", "-o", str(parsed), after).returncode == 0
    assert json.loads(parsed.read_text())["devices"][0]["hostname"] == "SW-ACC-12"
    for command in (("diff", before, after), ("parse", after)):
        proc = run_cli(*command, "-o", str(tmp_path / "missing" / "x.json"))
        assert proc.returncode == 2
        assert proc.stderr.decode().count("\n") == 1 and "cannot write" in proc.stderr.decode()


def test_diff_of_a_folder_with_itself_says_each_note_once():
    proc = run_cli("diff", "--format", "json", "samples/", "samples/")
    notes = json.loads(proc.stdout)["notes"]
    hosts = [n.split(": ")[1].split(" is in ")[0] for n in notes if " is in " in n]
    assert len(hosts) == len(set(hosts)) and all(n.startswith("both sides: ") for n in notes)
