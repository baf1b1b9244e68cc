"""Hostile and odd input: bounded work, one bad file never stops a run, folder walks that stay
in the folder and skip what is not device output, any file name, output permissions,
standard input read once, --redact in file names, collected captures kept private."""

from __future__ import annotations

import gzip
import json
import os
import stat
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from sldiag.analysis.run import analyse_paths
from sldiag.base import limits
from sldiag.base.files import write_atomically
from sldiag.bundle.build import build_bundle
from sldiag.diagnosing.knowledge import Knowledge
from sldiag.reading import finders, read, scanner, sections
from sldiag.render.documents import report_document as to_json_document
from sldiag.render.formats import render

from .conftest import SAMPLES, run_cli

KNOWLEDGE = Knowledge.load()
SAMPLE = SAMPLES / "09-data-signature.session.log"  # SW-ACC-12, Scenario #9
HEALTHY = SAMPLES / "state-healthy-and-authorization-expired.two-devices.log"


def stderr_lines(proc) -> list[str]:
    return proc.stderr.decode().splitlines()


# -- limits -----------------------------------------------------------------------------------

def test_prompts_of_more_hosts_than_the_limit_are_not_split_further(tmp_path):
    text = SAMPLE.read_text()
    extra = "".join(f"H{i:04d}#show clock\n*10:00:00.000 UTC Mon Nov 30 2026\n"
                    for i in range(limits.MAX_DEVICES_PER_FILE + 40))
    path = tmp_path / "many-hosts.log"
    path.write_text(extra + text)  # the sample's own device comes after the limit
    proc = run_cli("analyze", "--format", "json", str(path))
    document = json.loads(proc.stdout)
    assert len(document["devices"]) == limits.MAX_DEVICES_PER_FILE
    (limit,) = document["inputs"]["limits"]
    first_over = 2 * limits.MAX_DEVICES_PER_FILE + 1  # the prompt line of host number 257
    assert limit.startswith(f"{path}:{first_over}: prompts of more than 256 hosts")
    assert stderr_lines(proc) == [f"sldiag: limit reached: {limit}"]


@pytest.mark.parametrize("large_bytes", [None, 0])
def test_markers_past_the_limit_are_read_as_output(tmp_path, monkeypatch, large_bytes):
    monkeypatch.setattr(sections, "MAX_MARKERS_PER_FILE", 5)
    monkeypatch.setattr(scanner, "MAX_MARKERS_PER_FILE", 5)
    monkeypatch.setattr(finders, "_FINDERS", {})
    path = tmp_path / "prompts.log"
    path.write_text(SAMPLE.read_text() + "SW-ACC-12#show clock\n" * 20)
    kwargs = {} if large_bytes is None else {"large_bytes": large_bytes}
    analysis = analyse_paths([str(path)], KNOWLEDGE, **kwargs)
    assert len(analysis.problems.limits) == 1 and "more than 5 prompts" in analysis.problems.limits[0]
    (result,) = analysis.results

    def sections_of(capture_path: Path) -> list:
        capture = read.read_capture(str(capture_path), KNOWLEDGE.catalog, **kwargs)
        (device,) = sections.split_capture(capture, KNOWLEDGE.catalog)
        return device.sections

    alone = [s.typed for s in sections_of(SAMPLE)]
    assert len(alone) == 3  # the sample has 4 prompts: 3 commands and the last bare prompt
    assert [s.typed for s in sections_of(path)] == alone + ["show clock"]  # the 5th prompt
    assert [o.typed for o in result.outputs] == alone + ["show clock"]
    last = len(SAMPLE.read_text().splitlines()) + 20
    assert sections_of(path)[-1].lines[-1] == (last, "SW-ACC-12#show clock")
    assert "sl-scenario-09-data-signature-mismatch" in [f.rule_id for f in result.findings]


def test_streaming_keeps_at_most_the_budget_and_the_latest_log_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "MAX_KEPT_LINES", 60)
    lines = [f"*Nov 30 10:{i // 60 % 60:02d}:{i % 60:02d}.000: %SMART_LIC-3-COMM_FAILED: "
             f"Communications failure with the Cisco Smart License Utility (CSLU) : attempt {i}"
             for i in range(500)]
    path = tmp_path / "syslog.log"
    path.write_text("SW1#show logging\n" + "\n".join(lines) + "\n")
    analysis = analyse_paths([str(path)], KNOWLEDGE, large_bytes=0)
    assert len(analysis.problems.limits) == 1 and "more than 60 lines" in analysis.problems.limits[0]
    (result,) = analysis.results
    kept = [row.line for row in result.facts.syslog]
    assert 0 < len(kept) <= 60
    assert max(kept) == 501  # the last log line is always read


def test_many_lines_in_few_bytes_are_read_streaming(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_WHOLE_READ_LINES", 10)
    read_streaming = []
    real = scanner.Scanner.run

    def spy(self, *args):
        read_streaming.append(self.name)
        return real(self, *args)

    monkeypatch.setattr(scanner.Scanner, "run", spy)
    whole = analyse_paths([str(SAMPLE)], KNOWLEDGE, large_bytes=10**9)
    assert read_streaming == [str(SAMPLE)]
    monkeypatch.setattr(read, "MAX_WHOLE_READ_LINES", 10**9)
    really_whole = analyse_paths([str(SAMPLE)], KNOWLEDGE)
    assert to_json_document(whole.results) == to_json_document(really_whole.results)


def _bomb(path: Path, megabytes: int) -> None:
    block = b"SW1#show clock\n*10:00:00.000 UTC Mon Nov 30 2026\n" * 20_000
    with gzip.open(path, "wb", compresslevel=1) as out:
        for _ in range(megabytes * 2**20 // len(block) + 1):
            out.write(block)


def test_gzip_bomb_is_refused_by_analyze_and_bundle(tmp_path):
    bomb = tmp_path / "bomb.log.gz"
    _bomb(bomb, 80)  # about 0.5 MB expanding to 80 MB: more than 100x past 64 MB
    assert bomb.stat().st_size < 2**20
    proc = run_cli("analyze", str(bomb))
    assert proc.returncode == 2
    (line,) = stderr_lines(proc)
    assert "gzip data expands more than 100 times" in line and "decompression bomb" in line
    spool = tmp_path / "tmp"
    spool.mkdir()
    proc = run_cli("bundle", str(bomb), "-o", str(tmp_path / "out.zip"),
                   env={**os.environ, "TMPDIR": str(spool)})
    assert proc.returncode == 2 and "decompression bomb" in proc.stderr.decode()
    assert not (tmp_path / "out.zip").exists() and list(spool.iterdir()) == []


def test_a_real_compressed_capture_is_not_a_bomb(tmp_path):
    packed = tmp_path / "sample.log.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    proc = run_cli("analyze", str(packed))
    assert proc.returncode == 1 and b"Scenario #9" in proc.stdout


def test_files_past_max_files_are_listed_not_read(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    for i in range(5):
        (folder / f"sw{i}.log").write_text(SAMPLE.read_text())
    proc = run_cli("analyze", "--format", "json", "--max-files", "3", str(folder))
    document = json.loads(proc.stdout)
    assert [d["source"] for d in document["devices"]] == [f"{folder}/sw{i}.log" for i in range(3)]
    (limit,) = document["inputs"]["limits"]
    assert limit.startswith(f"{folder}/sw3.log: more than 3 files")
    assert f"sldiag: limit reached: {limit}" in stderr_lines(proc)
    proc = run_cli("bundle", "--max-files", "3", str(folder), "-o", str(tmp_path / "b.zip"))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        captures = sorted(n for n in zf.namelist() if n.startswith("captures/"))
    assert captures == [f"captures/sw{i}.log" for i in range(3)]
    assert manifest["inputs"]["limits"] == [limit]


# -- one bad file never stops a run -----------------------------------------------------------

@pytest.mark.parametrize("jobs", [1, 2])
def test_an_internal_error_stays_with_its_file(tmp_path, monkeypatch, jobs):
    import sldiag.analysis.one as pipeline

    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("a.log", "b-crash.log", "c.log"):
        (folder / name).write_text(SAMPLE.read_text())
    real = pipeline._analyse

    def crash_on_b(capture, *args):
        if "crash" in capture.name:
            raise RecursionError("maximum recursion depth exceeded: password 0 s3cret")
        return real(capture, *args)

    monkeypatch.setattr(pipeline, "_analyse", crash_on_b)
    analysis = analyse_paths([str(folder / "a.log"), str(folder / "b-crash.log"),
                              str(folder / "c.log")], KNOWLEDGE, jobs=jobs)
    assert [r.source for r in analysis.results] == [str(folder / "a.log"),
                                                   str(folder / "c.log")]
    (error,) = analysis.errors
    assert error.startswith(f"{folder}/b-crash.log: internal error (RecursionError)")
    assert "s3cret" not in error  # the exception's text is never shown


def test_problems_are_listed_in_every_format(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "good.log").write_text(SAMPLE.read_text())
    (folder / "junk.txt").write_bytes(b"\x00\x01\x02" * 1000)
    analysis = analyse_paths([str(folder)], KNOWLEDGE)
    (skipped,) = analysis.problems.skipped
    assert skipped == f"{folder}/junk.txt: binary file, not a text capture"
    for fmt in ("text", "md", "html"):
        out = render(analysis.results, fmt, problems=analysis.problems)
        assert "junk.txt" in out and "binary file, not a text capture" in out, fmt
    document = json.loads(render(analysis.results, "json", problems=analysis.problems))
    assert document["inputs"] == {"errors": [], "skipped": [skipped], "limits": []}


# -- folder walks -----------------------------------------------------------------------------

def test_links_out_of_the_folder_are_skipped_links_inside_are_read(tmp_path):
    outside = tmp_path / "credentials.txt"
    outside.write_text("SW9#show running-config\nusername admin password 0 hunter2\n")
    folder = tmp_path / "case"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "sw.log").write_text(SAMPLE.read_text())
    (folder / "creds.log").symlink_to(outside)
    (folder / "same.log").symlink_to(folder / "sub" / "sw.log")
    proc = run_cli("analyze", "--format", "json", str(folder))
    document = json.loads(proc.stdout)
    # A link inside the folder is read, once: it is the same file as the one it points to.
    assert sorted(d["source"] for d in document["devices"]) == [f"{folder}/same.log"]
    assert document["inputs"]["skipped"] == [
        f"{folder}/creds.log: a link to a file outside the folder (not followed)"]
    assert b"SW9" not in proc.stdout


def test_own_reports_and_notes_in_the_folder_are_skipped(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "sw.log").write_text(HEALTHY.read_text())
    for fmt, suffix in (("text", "txt"), ("md", "md"), ("html", "html"), ("json", "json")):
        proc = run_cli("analyze", "--format", fmt, "-o", str(folder / f"report.{suffix}"),
                       str(folder / "sw.log"))
        assert proc.returncode == 1
    (folder / "README.md").write_text("# Case 694512345\n\nThe stack stopped reporting on "
                                      "Monday.\nCustomer contact: NOC, ext 4411.\n")
    (folder / "notes.txt").write_text("to check: clock, DNS, proxy\n")
    proc = run_cli("analyze", "--format", "json", str(folder))
    document = json.loads(proc.stdout)
    assert [d["hostname"] for d in document["devices"]] == ["SW-ACC-21", "SW-ACC-22"]
    assert sorted(document["inputs"]["skipped"]) == [
        f"{folder}/README.md: holds no device output sldiag recognises",
        f"{folder}/notes.txt: holds no device output sldiag recognises",
        f"{folder}/report.html: an sldiag HTML report",
        f"{folder}/report.json: a JSON document, not device output",
        f"{folder}/report.md: an sldiag Markdown report",
        f"{folder}/report.txt: an sldiag text report",
    ]
    # Named explicitly, a file that is not prose is analysed whatever it holds; the README,
    # written by a person, is refused (one line).
    proc = run_cli("analyze", "--format", "json", str(folder / "notes.txt"))
    assert json.loads(proc.stdout)["devices"][0]["verdict"].startswith("NOT DIAGNOSED")
    proc = run_cli("analyze", "--format", "json", str(folder / "README.md"))
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().strip().endswith("README.md: holds no device output sldiag recognises")


NAMES = ["caf\udce9-latin1.log",         # bytes that are not UTF-8
         "esc\x1b[31m-red.log",          # a terminal escape
         "bidi-\u202egol.txt",           # a right-to-left override
         "line\nbreak.log",              # a newline
         "back`tick <b>x<b>.log",       # Markdown and HTML syntax
         "\u65e5\u672c-switch.log"]      # readable non-ASCII


def test_any_file_name_in_every_format(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    for name in NAMES:
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        with open(path, "wb") as out:
            out.write(SAMPLE.read_bytes())
    for fmt in ("text", "md", "html", "json"):
        proc = run_cli("analyze", "--format", fmt, str(folder))
        assert proc.returncode == 1, proc.stderr
        out = proc.stdout.decode("utf-8")
        assert "\x1b" not in out and "\u202e" not in out, fmt
        if fmt == "json":
            sources = sorted(d["source"] for d in json.loads(out)["devices"])
            assert sources == sorted(f"{folder}/{name}" for name in (
                "caf\\xe9-latin1.log", "esc\\x1b[31m-red.log", "bidi-<U+202E>gol.txt",
                "line\\x0abreak.log", "back`tick <b>x<b>.log", "\u65e5\u672c-switch.log"))
        else:
            assert "caf\\xe9-latin1.log" in out and "\u65e5\u672c-switch.log" in out, fmt
    proc = run_cli("bundle", str(folder), "-o", str(tmp_path / "b.zip"))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        members = zf.namelist()
    assert sum(m.startswith("captures/") for m in members) == len(NAMES)
    assert not any("\x1b" in m or "\n" in m or "\u202e" in m for m in members)


# -- outputs ----------------------------------------------------------------------------------

def test_atomic_writes_keep_the_permissions_of_the_file_they_replace(tmp_path):
    private = tmp_path / "report.txt"
    private.write_text("old")
    private.chmod(0o600)
    write_atomically(private, "new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "new"
    fresh = tmp_path / "fresh.txt"
    umask = os.umask(0o022)
    try:
        write_atomically(fresh, "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    proc = run_cli("analyze", "-o", str(private), str(SAMPLE))
    assert proc.returncode == 1 and stat.S_IMODE(private.stat().st_mode) == 0o600


def test_standard_input_is_read_once_for_the_analysis_and_the_bundle(tmp_path):
    bundle = tmp_path / "case.zip"
    proc = run_cli("analyze", "-", "--attach-case", "694512345", "--bundle-output",
                   str(bundle), "--cxd-url", "https://127.0.0.1:9/", stdin=SAMPLE.read_bytes(),
                   env={**os.environ, "SLDIAG_CXD_TOKEN": "t0ken-not-real"})
    assert b"Scenario #9" in proc.stdout  # analysed
    with zipfile.ZipFile(bundle) as zf:      # and bundled from the same bytes
        text = zf.read("captures/stdin.txt").decode()
        report = json.loads(zf.read("report.json"))
    assert "SW-ACC-12#show license all" in text
    assert report["devices"][0]["source"] == "captures/stdin.txt"
    assert proc.returncode == 2 and "127.0.0.1" in proc.stderr.decode()  # nothing listens


def test_redacted_names_hide_hostnames_and_addresses(tmp_path):
    named = tmp_path / "sw-acc-12_10.20.30.40_showtech.log"
    named.write_text(SAMPLE.read_text())
    proc = run_cli("analyze", "--format", "json", "--redact", "hostnames,ips", str(named))
    out = proc.stdout.decode()
    assert "10.20.30.40" not in out and "sw-acc-12" not in out.lower()
    source = json.loads(out)["devices"][0]["source"]
    assert source.endswith("_showtech.log") and "HOST-1" in source
    bundle = build_bundle([str(named)], KNOWLEDGE, frozenset({"hostnames", "ips"}))
    assert not any("10.20.30.40" in n or "acc-12" in n.lower() for n in bundle.names())
    for name in bundle.names():
        assert b"10.20.30.40" not in bundle.read(name), name
        assert b"sw-acc-12" not in bundle.read(name).lower(), name
    bundle.close()


def test_collected_captures_are_private_and_sanitised(tmp_path):
    from sldiag.collecting.connection import CollectOptions
    from sldiag.collecting.task import collect_licensing

    class FakeConnection:
        secret = ""
        remote_conn_pre = None

        def find_prompt(self):
            return "SW1#"

        def send_command(self, command, **_):
            if command == "show running-config":
                return ("hostname SW1\nusername admin privilege 15 secret 0 Sup3r-s3cret\n"
                        "snmp-server community pr1vate-c0mm RO\n")
            if command == "show version":
                return "Cisco IOS XE Software, Version 17.09.04a\nSW1 uptime is 3 weeks"
            return ""

    from nornir.core.inventory import Host

    class FakeHost(Host):
        def get_connection(self, *_):
            return FakeConnection()

    host = FakeHost(name="SW1", hostname="192.0.2.1", platform="cisco_xe")
    task = SimpleNamespace(host=host, nornir=SimpleNamespace(config=None))
    for show_secrets in (False, True):
        folder = tmp_path / str(show_secrets)
        folder.mkdir()
        result = collect_licensing(task, CollectOptions(output_dir=folder, analyse=False,
                                                        show_secrets=show_secrets))
        written = folder / "SW1.log"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        text = written.read_text()
        assert text == result.result["text"]
        assert ("Sup3r-s3cret" in text) is show_secrets
        assert ("pr1vate-c0mm" in text) is show_secrets
        assert "SW1#show running-config" in text


def _deep_folder(top: Path, levels: int) -> None:
    """``levels`` nested folders under ``top``, made relative to each other (no path is ever
    longer than the system allows)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("deep.log", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write(SAMPLE.read_text())
    finally:
        os.close(fd)


def _remove_deep(top: Path) -> None:
    """Remove a folder too deep for a recursive removal, bottom up."""
    fds = [os.open(top, os.O_RDONLY)]
    while "d" in os.listdir(fds[-1]):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    for parent, child in zip(reversed(fds[:-1]), reversed(fds[1:]), strict=True):
        for name in os.listdir(child):
            os.unlink(name, dir_fd=child)
        os.close(child)
        os.rmdir("d", dir_fd=parent)
    os.close(fds[0])


def test_a_folder_too_deep_is_one_problem_and_the_rest_is_analysed(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    (case / "sw.log").write_text(SAMPLE.read_text())
    deep = case / "deep"
    deep.mkdir()
    _deep_folder(deep, 3000)
    try:
        analysis = analyse_paths([str(case)], KNOWLEDGE)
        proc = run_cli("analyze", "--format", "json", str(case))
    finally:
        _remove_deep(deep)
    assert [r.source for r in analysis.results] == [str(case / "sw.log")]
    (problem,) = analysis.problems.skipped
    assert "more than 64 levels deep (not walked)" in problem
    assert proc.returncode == 1, proc.stderr
    assert "internal error" not in proc.stderr.decode()
    assert json.loads(proc.stdout)["inputs"]["skipped"] == [problem]


def test_redact_accounts_learns_every_form_and_replaces_any_case(tmp_path):
    capture = tmp_path / "acct.log"
    capture.write_text(
        "SW9#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
        "  Status: REGISTERED\n  Smart Account: Globex Corp\n  Virtual Account: Lab East\n"
        "\nAccount Information:\n  Smart Account Name: Initech Holdings As of Mar 01 2024\n"
        "SW9#show license eventlog\n"
        '2024-03-01 08:00:00.000 UTC SAEVT_TAG smart_account="Umbrella Labs" note\n'
        "SW9#show logging\n*Mar  1 08:00:01: %SMART_LIC-6-AGENT_READY: globex corp, "
        "GLOBEX CORP, lab east, initech holdings, umbrella labs\nSW9#\n")
    proc = run_cli("analyze", "--format", "html", "--redact", "accounts", str(capture))
    out = proc.stdout.decode().lower()
    for name in ("globex corp", "lab east", "initech holdings", "umbrella labs"):
        assert name not in out, name
    assert "account-1" in out


def test_licensing_log_lines_are_bounded_the_latest_kept(tmp_path):
    """Each licensing log line becomes a row every rule may read: past MAX_KEPT_LOG_LINES the
    latest are kept, and the limit is one line on stderr."""
    from sldiag.base.limits import MAX_KEPT_LOG_LINES

    count = MAX_KEPT_LOG_LINES + 5000
    capture = tmp_path / "logs.txt"
    capture.write_text("".join(
        f"*Nov 30 10:{i % 60:02d}:00.000: %SMART_LIC-3-COMM_FAILED: Communications failure "
        f"with the Cisco Smart License Utility (CSLU) : attempt {i}\n" for i in range(count)))
    proc = run_cli("parse", str(capture))
    (device,) = json.loads(proc.stdout)["devices"]
    rows = device["rows"]["syslog"]
    assert len(rows) == MAX_KEPT_LOG_LINES
    assert rows[-1]["line"] == count and rows[-1]["text"].endswith(f"attempt {count - 1}")
    assert proc.stderr.decode().count("licensing log lines: the latest") == 1


def test_parse_gaps_are_listed_up_to_a_bound_then_counted(knowledge):
    from sldiag.base.limits import MAX_PARSE_GAPS

    from .conftest import analyse_text

    garbage = "".join(f"zz{i} not a line of this output\n" for i in range(MAX_PARSE_GAPS + 500))
    text = ("SW1#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
            "  Status: REGISTERED\n" + garbage + "SW1#\n")
    (result,) = analyse_text(text, knowledge)
    assert len(result.gaps) == MAX_PARSE_GAPS + 1
    assert result.gaps[-1].reason.startswith("and 500 more lines no template expects")
    assert result.facts.value("registration.status") == "REGISTERED"
