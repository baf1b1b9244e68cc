"""Large captures read streaming give the same analysis as a whole read, line for line.

The streaming reader is forced on small inputs (``large_bytes=0``) with tiny chunks, so every
chunk boundary case is met, and its result is compared with the whole read's: errors, JSON
report, facts and parse gaps. Both finders (Hyperscan and Python's searches) are checked.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sldiag.analysis.run import analyse_capture, analyse_paths
from sldiag.base.errors import InputError
from sldiag.diagnosing.knowledge import Knowledge
from sldiag.reading import finders as finder_module
from sldiag.reading import lines as lines_module
from sldiag.reading import read, scanner
from sldiag.reading.lines import SparseLines
from sldiag.reading.read import read_whole as read_capture
from sldiag.render.documents import report_document as to_json_document
from sldiag.sanitizing.sanitizer import Sanitizer

from .conftest import ROOT, run_cli

KNOWLEDGE = Knowledge.load()
CORPUS = ROOT.parent / "shared" / "corpus" / "outputs"
OWN_INPUTS = (sorted((ROOT / "samples").iterdir())
              + sorted((ROOT / "rules" / "examples").rglob("*.txt"))
              + sorted((ROOT / "tests" / "data").rglob("*.txt*")))
LICENSING = ROOT / "samples" / "01-product-already-registered.showtech.txt"


def finders() -> list[str]:
    names = ["python"]
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        pass
    else:
        names.append("hyperscan")
    return names


@pytest.fixture(params=finders())
def finder(request, monkeypatch):
    monkeypatch.setenv("SLDIAG_SCANNER", request.param)
    monkeypatch.setattr(finder_module, "_FINDERS", {})
    yield request.param
    finder_module._FINDERS.clear()


def outcome(path: Path, **kwargs) -> tuple:
    analysis = analyse_paths([str(path)], KNOWLEDGE, **kwargs)
    results = analysis.results
    return (analysis.errors,
            json.dumps(to_json_document(results), sort_keys=True, default=str),
            [r.facts.to_json() for r in results],
            [[g.to_json() for g in r.gaps] for r in results])


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096])
def test_streaming_equals_whole_read_on_own_inputs(finder, monkeypatch, chunk):
    monkeypatch.setattr(read, "CHUNK_BYTES", chunk)
    differ = [p.name for p in OWN_INPUTS
              if outcome(p) != outcome(p, large_bytes=0)]
    assert differ == []
    assert len(OWN_INPUTS) > 100


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_streaming_equals_whole_read_on_real_outputs(finder, monkeypatch):
    monkeypatch.setattr(read, "CHUNK_BYTES", 13)
    outputs = sorted(CORPUS.glob("*.txt"))
    assert outputs
    assert [p.name for p in outputs if outcome(p) != outcome(p, large_bytes=0)] == []


RESIDUE_PROMPTS = [
    b"\x1b[K\x1b[1mSW1#show license all\x1b[0m\r\n",
    b" --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08SW1#sh lic status\n",
    b"old junk text here\rSW1#show clock\n",
    b"[2024-01-01 10:00:00] SW1#show license udi\n",
    b"[10:00:01 > x] SW1>show version\n",
    b"SW1(config)#end\n",
    b"SW1>enable\n",
    b"\x07SW1#show running-config | include call-home\n",
    b"   ------------------ show license all ------------------   \r\n",
    b"======show license summary======\n",
    # Residue between '%' and a log tag: the byte search cannot see the tag, cleaning does.
    b"*Sep 18 08:20:11.402 UTC: %\x1b[1;31mCALL_HOME-3-HTTP_REQUEST_FAILED: time out\n",
]


def candidate_lines(finder_name: str, data: bytes, chunk: int) -> set[int]:
    """0-based numbers of the lines a finder proposes, fed ``chunk`` bytes at a time (cut
    at line ends, as the reader does)."""
    scopes = [s.filter.pattern.encode() for s in KNOWLEDGE.catalog.line_scopes]
    finder = (finder_module.HyperscanFinder(scopes) if finder_name == "hyperscan"
              else finder_module.PlainFinder(scopes))
    found: set[int] = set()
    begin = line = 0
    while begin < len(data):
        end = data.find(b"\n", min(begin + chunk, len(data)) - 1) + 1 or len(data)
        for start, _ in finder.candidates(data, begin, end):
            found.add(line + data.count(b"\n", begin, start))
        line += data.count(b"\n", begin, end)
        begin = end
    return found


def test_finders_never_miss_a_marker_or_a_scope_line(finder):
    """Whatever the reader's mode logic, the lines it is offered must include every line
    that sectioning would call a delimiter or prompt, and every line a line scope wants."""
    from sldiag.reading.read import decode_capture
    from sldiag.reading.sections import _find_markers

    inputs = [p.read_bytes() for p in OWN_INPUTS if not p.name.endswith(".gz")]
    inputs += [b"".join(RESIDUE_PROMPTS), b"x\n".join(RESIDUE_PROMPTS)]
    if CORPUS.is_dir():
        inputs += [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))]
    checked = 0
    for data in inputs:
        try:
            capture = decode_capture("x", data)
        except InputError:
            continue
        if data.startswith(b"\xef\xbb\xbf") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        wanted = {m.index for m in _find_markers(capture.lines)}
        wanted |= {i for i, text in enumerate(capture.lines)
                   if any(s.filter.search(text) for s in KNOWLEDGE.catalog.line_scopes)}
        for chunk in (50, 1 << 20):
            assert wanted <= candidate_lines(finder, data, chunk), data[:200]
        checked += len(wanted)
    assert checked > 400


def big_show_tech(path: Path, filler_blocks: int) -> dict[str, int]:
    """The sample show tech with a large running-config and many outputs licensing never
    reads around it (interface counters, log lines, tables with '#' and '>')."""
    body = LICENSING.read_text().split("\n", 1)[1]
    parts = ["SW-ACC-12#show tech-support\n",
             "------------------ show running-config ------------------\n\n",
             "Building configuration...\n\nhostname SW-ACC-12\n!\n"]
    for i in range(400):
        parts.append(f"interface GigabitEthernet1/0/{i}\n description to desk {i} -> closet\n"
                     f" switchport access vlan 10\n ip host evil.example 10.0.0.{i % 250}\n!\n")
    parts.append("call-home\n contact-email-addr netops@example.com\nend\n\n")
    for n in range(filler_blocks):
        parts.append("------------------ show interfaces ------------------\n\n")
        parts += [f"GigabitEthernet1/0/{i} is up, line protocol is up\n     {n} packets input\n"
                  for i in range(48)]
        parts.append("------------------ show ip bgp ------------------\n\n"
                     "VLAN  MAC   Seq#  ports\n" + "-" * 60 + "\n")
        parts += [f" *>  10.{n % 250}.{i}.0/24   10.1.1.1   0 65001 i\n" for i in range(20)]
        if n == filler_blocks // 2:
            parts.append(body)
        parts.append("------------------ show logging ------------------\n\n")
        parts += [f"*Mar  1 00:00:{i:02d}: %LINK-3-UPDOWN: Interface Gi1/0/{i}, changed state "
                  "to up\n" for i in range(30)]
    parts.append("SW-ACC-12#\n")
    text = "".join(parts)
    path.write_text(text)
    lines = text.split("\n")
    return {"lines": len(lines) - 1,
            "smart_lic": next(i for i, t in enumerate(lines, 1) if "%SMART_LIC" in t)}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.data())
def test_a_finder_says_a_range_is_ascii_only_when_it_is(data, draw):
    """The Hyperscan pass finds the first byte that is not ASCII (no bytes.isascii over the
    chunk); Python's searches may answer "maybe not" for a range that is, never the reverse."""
    begin = draw.draw(st.integers(0, len(data)))
    end = draw.draw(st.integers(begin, len(data)))
    scopes = [s.filter.pattern.encode() for s in KNOWLEDGE.catalog.line_scopes]
    for name in finders():
        finder = (finder_module.HyperscanFinder(scopes) if name == "hyperscan"
                  else finder_module.PlainFinder(scopes))
        found, ascii_only = finder.scan(data, begin, end)
        assert found == finder.candidates(data, begin, end)
        if ascii_only:
            assert data[begin:end].isascii(), name
        if name == "hyperscan":
            assert ascii_only == data[begin:end].isascii()


def test_large_show_tech_is_read_in_part_with_true_line_numbers(tmp_path, finder, monkeypatch):
    monkeypatch.setattr(read, "CHUNK_BYTES", 64 * 1024)
    path = tmp_path / "big.txt"
    shape = big_show_tech(path, filler_blocks=400)
    capture = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=256 * 1024)
    assert isinstance(capture.lines, SparseLines)
    assert len(capture.lines) == shape["lines"]
    assert len(capture.lines.kept) < shape["lines"] / 10
    # Interface configuration is passed over; the lines a rule can need are kept.
    assert not any("evil.example" in t for t in capture.lines.kept.values())
    assert capture.lines[shape["smart_lic"] - 1].startswith("*")
    (streamed,) = analyse_capture(capture, KNOWLEDGE, Sanitizer())
    (whole,) = analyse_capture(read_capture(str(path)), KNOWLEDGE, Sanitizer())
    (alone,) = analyse_capture(read_capture(str(LICENSING)), KNOWLEDGE, Sanitizer())
    assert [f.rule_id for f in streamed.findings] == [f.rule_id for f in whole.findings]
    assert {f.rule_id for f in streamed.findings} == {f.rule_id for f in alone.findings}
    assert streamed.facts.to_json() == whole.facts.to_json()
    file_lines = path.read_text().split("\n")
    for finding in streamed.findings:
        for evidence in finding.evidence:
            assert file_lines[evidence["line"] - 1].rstrip() == evidence["text"]


def test_cli_reads_a_capture_over_the_threshold(tmp_path):
    path = tmp_path / "huge.txt"
    big_show_tech(path, filler_blocks=3000)
    assert path.stat().st_size > read.LARGE_CAPTURE_BYTES
    result = run_cli("analyze", "--format", "json", str(path))
    assert result.returncode == 1, result.stderr
    ids = [f["id"] for f in json.loads(result.stdout)["devices"][0]["findings"]]
    assert "sl-scenario-01-product-already-registered" in ids


def test_gzip_is_streamed_and_truncation_is_one_clear_error(tmp_path):
    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=200)
    packed = gzip.compress(path.read_bytes())
    (tmp_path / "big.txt.gz").write_bytes(packed)
    capture = read.read_capture(str(tmp_path / "big.txt.gz"), KNOWLEDGE.catalog,
                                     large_bytes=4096, chunk_bytes=10_000)
    assert isinstance(capture.lines, SparseLines)
    (tmp_path / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match="gzip data is truncated or corrupt") as info:
        read.read_capture(str(tmp_path / "cut.txt.gz"), KNOWLEDGE.catalog,
                               large_bytes=4096, chunk_bytes=10_000)
    assert "\n" not in str(info.value)


def test_bad_bytes_deep_in_a_large_capture_are_gaps_at_their_line(tmp_path):
    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=200)
    data = path.read_bytes().split(b"\n")
    data[5000] += b" caf\xe9"
    data[7000] += b" \xff\xfe"
    path.write_bytes(b"\n".join(data))
    whole = read_capture(str(path))
    streamed = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=4096,
                                      chunk_bytes=3000)
    assert whole.notes == streamed.notes
    assert [n for n, _ in whole.notes] == [5001, 7001]
    assert whole.lines[5000].endswith(" caf\ufffd")


def test_a_large_capture_in_another_encoding_is_refused_naming_its_first_line(tmp_path):
    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=200)
    data = path.read_bytes().split(b"\n")
    for n in range(3000, len(data), 20):
        data[n] += b" caf\xe9"
    path.write_bytes(b"\n".join(data))
    with pytest.raises(InputError) as whole:
        read_capture(str(path))
    with pytest.raises(InputError) as streamed:
        read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=4096,
                               chunk_bytes=3000)
    assert str(streamed.value) == str(whole.value)
    assert f"{path}:3001: not valid UTF-8 (byte 0xe9, " in str(streamed.value)


def test_whitespace_only_large_capture_is_empty(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\n" * 10_000)
    with pytest.raises(InputError, match="file is empty"):
        read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=100)


def test_a_line_longer_than_the_limit_is_read_in_part(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(scanner, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(lines_module, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "long.txt"
    body = LICENSING.read_text()
    path.write_text("x" * 50_000 + "\u00e9" * 10 + "\n" + body)
    capture = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=0,
                                     chunk_bytes=256)
    assert capture.notes[0][0] == 1 and "line longer than" in capture.notes[0][1]
    assert len(capture.lines[0]) <= 1000
    assert capture.lines[1] == body.split("\n")[0]
    (result,) = analyse_capture(capture, KNOWLEDGE, Sanitizer())
    assert "sl-scenario-01-product-already-registered" in {f.rule_id for f in result.findings}


def test_bare_output_beyond_the_preamble_budget_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "PREAMBLE_BYTES", 2000)
    path = tmp_path / "logs.txt"
    path.write_text("".join(f"*Mar  1 00:00:{i % 60:02d}: %LINK-3-UPDOWN: Interface Gi1/0/1, "
                            "changed state to up\n" for i in range(500))
                    + "*Mar  1 00:10:00: %SMART_LIC-3-COMM_FAILED: Communications failure "
                      "with the Cisco Smart License Utility (CSLU) : Unable to resolve "
                      "server hostname/domain name\n")
    capture = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=0)
    assert any("no prompt or show-tech delimiter" in note for _, note in capture.notes)
    assert capture.lines[500].startswith("*Mar  1 00:10:00: %SMART_LIC-3-COMM_FAILED")
    (result,) = analyse_capture(capture, KNOWLEDGE, Sanitizer())
    assert result.facts.rows("syslog")[-1].line == 501
    assert any("bare output from here on was not read" in g.reason for g in result.gaps)


def test_reports_show_only_lines_that_were_read(tmp_path):
    from sldiag.render.views import excerpts, raw_sections

    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=100)
    capture = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=4096)
    (result,) = analyse_capture(capture, KNOWLEDGE, Sanitizer())
    evidence = [e for f in to_json_document([result])["devices"][0]["findings"]
                for e in f["evidence"]]
    shown = [n for _, block in excerpts(result, evidence) for n, _, _ in block]
    assert shown and all(capture.lines.has(n - 1) for n in shown)
    commands = [command for command, _, _ in raw_sections(result)]
    assert "show license all" in commands
    assert "show interfaces" not in commands and "show running-config" not in commands


def test_parallel_runs_match_one_process_with_bad_files_among_good(tmp_path):
    """This process and the workers share the batches (the tail is taken back from the
    queue): whatever the split, results, warnings and their order match one process."""
    import shutil

    for n in range(5):
        for sample in sorted((ROOT / "samples").iterdir()):
            shutil.copy(sample, tmp_path / f"{n}-{sample.name}")
        (tmp_path / f"{n}-zz-binary.txt").write_bytes(b"\x00\x01binary")
    serial = analyse_paths([str(tmp_path)], KNOWLEDGE, jobs=1, with_text=False)
    for jobs in (2, 3):
        parallel = analyse_paths([str(tmp_path)], KNOWLEDGE, jobs=jobs, with_text=False)
        assert parallel.problems.skipped == serial.problems.skipped and len(serial.problems.skipped) == 5
        assert ([json.dumps(to_json_document([r]), default=str) for r in parallel.results]
                == [json.dumps(to_json_document([r]), default=str) for r in serial.results])


def test_facts_survive_pickling_between_processes():
    import pickle

    for path in sorted((ROOT / "samples").iterdir()):
        for result in analyse_paths([str(path)], KNOWLEDGE).results:
            back = pickle.loads(pickle.dumps(result.facts))
            assert back.to_json() == result.facts.to_json()
            assert back.rows("license_usage") == result.facts.rows("license_usage")


def bundle_members(paths: list[str], **kwargs) -> object:
    """What a bundle holds, less the HTML and Markdown reports: those of a capture read in
    part leave out the outputs not read, by design."""
    import io
    import zipfile

    from sldiag.bundle.build import build_bundle

    try:
        bundle = build_bundle(paths, KNOWLEDGE, **kwargs)
    except InputError as exc:
        return f"error: {exc}"
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as zf:
        members = {name: zf.read(name) for name in zf.namelist()
                   if name not in ("report.html", "report.md")}
    manifest = json.loads(members.pop("manifest.json"))
    manifest["files"] = [f for f in manifest["files"] if f["path"] in members]
    bundle.close()
    return members, manifest, bundle.errors, bundle.problems.skipped


@pytest.mark.parametrize("redact", [frozenset(), frozenset({"serials", "accounts",
                                                           "hostnames", "ips"})])
def test_large_captures_bundle_to_the_same_bytes(redact, monkeypatch, tmp_path):
    monkeypatch.setattr(read, "CHUNK_BYTES", 97)
    planted = ROOT / "tests" / "data" / "secrets" / "planted-show-tech.txt"
    # Exec timestamp headers after every prompt, CRLF and a BOM: cleaned the same both ways.
    headed = tmp_path / "headed.log"
    lines = (ROOT / "samples" / "02-try-again.session.log").read_text().split("\n")
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("DC1-AGG-01#"):
            out += ["Load for five secs: 1%/0%; one minute: 0%; five minutes: 0%",
                    "Time source is NTP, 10:45:23.029 UTC Thu Nov 18 2021"]
    headed.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(out).encode())
    inputs = [str(p) for p in OWN_INPUTS if "examples" not in p.parts]
    inputs += [str(planted), str(headed)]
    for path in inputs:
        assert bundle_members([path], redact=redact) == \
            bundle_members([path], redact=redact, large_bytes=0), path
    together = [str(ROOT / "samples"), str(planted)]
    assert bundle_members(together, redact=redact) == \
        bundle_members(together, redact=redact, large_bytes=0)


def test_a_large_capture_is_bundled_from_a_spooled_file(tmp_path):
    from sldiag.bundle.archive import write_bundle
    from sldiag.bundle.build import build_bundle

    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=300)
    text = path.read_text().replace(
        "hostname SW-ACC-12\n", "hostname SW-ACC-12\nenable secret 9 $9$planted.secret.hash\n")
    path.write_text(text)
    bundle = build_bundle([str(path)], KNOWLEDGE, large_bytes=64 * 1024, full_captures=True)
    assert list(bundle.spooled) == ["captures/big.txt"]
    assert "captures/big.txt" not in bundle.files
    output = tmp_path / "case.zip"
    write_bundle(bundle, output)
    assert not bundle.spooled["captures/big.txt"].exists()  # the spool is gone once written
    import zipfile

    with zipfile.ZipFile(output) as zf:
        capture = zf.read("captures/big.txt").decode()
        manifest = json.loads(zf.read("manifest.json"))
    assert "planted.secret.hash" not in capture
    assert capture.count("\n") == len(text.split("\n")) - 1
    assert "%SMART_LIC" in capture and "GigabitEthernet1/0/47 is up" in capture
    sizes = {f["path"]: f["bytes"] for f in manifest["files"]}
    assert sizes["captures/big.txt"] == len(capture.encode())
    # By default a bundle carries the licensing lines only: the same line numbers, blank
    # lines in place of interface counters.
    licensing = build_bundle([str(path)], KNOWLEDGE, large_bytes=64 * 1024)
    lines = licensing.read("captures/big.txt").decode().split("\n")
    assert len(lines) == len(text.split("\n"))
    assert "GigabitEthernet1/0/47 is up" not in "\n".join(lines)
    assert any("%SMART_LIC" in line for line in lines)
    licensing.close()
    ids = {f["id"] for d in json.loads(zipfile.ZipFile(output).read("report.json"))["devices"]
           for f in d["findings"]}
    assert "sl-scenario-01-product-already-registered" in ids


def test_a_secret_block_does_not_run_on_across_lines_not_read():
    """The end of a key block may lie in lines a streaming read passed over: the lines kept
    after the gap are not taken for key material."""
    lines = SparseLines(20, {0: "-----BEGIN RSA PRIVATE KEY-----", 1: "MIIEpAIBAAKCAQEA0planted",
                             10: "  Status: REGISTERED"})
    clean = Sanitizer().lines(lines)
    assert "planted" not in clean[1]
    assert clean[10] == "  Status: REGISTERED"
    assert len(clean) == 20 and clean[5] == ""


def test_a_long_bundle_tells_its_stages_and_how_far_it_is(tmp_path):
    from sldiag.bundle.archive import write_bundle
    from sldiag.bundle.build import build_bundle

    path = tmp_path / "big.txt"
    big_show_tech(path, filler_blocks=300)
    told: list[tuple[str, int, int]] = []
    bundle = build_bundle([str(path)], KNOWLEDGE, large_bytes=64 * 1024,
                          progress=lambda *args: told.append(args))
    write_bundle(bundle, tmp_path / "case.zip", lambda *args: told.append(args))
    stages = [stage for stage, _, _ in told]
    assert stages.index("analysing") < stages.index("writing captures") < \
        stages.index("compressing")
    for stage in ("writing captures", "compressing"):
        seen = [(done, total) for s, done, total in told if s == stage]
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)      # only forward
        assert seen[-1][0] == seen[-1][1] > 0                          # to the end
    assert ("writing captures", path.stat().st_size, path.stat().st_size) in told


def test_the_bar_shows_only_once_the_work_is_long(monkeypatch):
    from sldiag.cli.common import StagedProgress

    with StagedProgress() as update:
        assert update is None                            # not a terminal: no bar at all
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    quick = StagedProgress()
    with quick as update:
        update("writing captures", 5, 10)
        assert quick.bar is None                         # under SHOW_AFTER: nothing shown
    slow = StagedProgress()
    slow.SHOW_AFTER = 0.0
    with slow as update:
        update("compressing", 5, 10)
        assert slow.bar is not None
        assert slow.bar.tasks[0].description == "compressing"
        assert slow.bar.tasks[0].completed == 5


def _read_both_ways(path: Path, large_bytes: int) -> tuple[object, object]:
    """A capture read knowing its size (a small head first) and not knowing it (the whole
    head first, as a gunzipped or transcoded capture is read)."""
    def read_once() -> object:
        try:
            capture = read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=large_bytes,
                                        chunk_bytes=4096)
        except InputError as exc:
            return f"error: {exc}"
        return (capture.indent, list(capture.lines), sorted(capture.notes),
                sorted(capture.cleaned.items()), capture.timestamp_headers, capture.limits)

    sized = read_once()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(read, "_plain_file_size", lambda stream: None)
        unsized = read_once()
    return sized, unsized


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["", "  ", "\t", "> ", " \x1b[0m"]), st.integers(0, 3000),
       st.sampled_from([b"", b"x" * 70_000, b"   indented\n" * 7_000, b"\x00" * 100]),
       st.booleans())
def test_a_large_capture_reads_the_same_from_its_first_bytes(
        tmp_path_factory, indent, unindented_at, first, crlf):
    """A capture known to be large starts streaming after its first 64 KB when they decide
    what the whole head would (a whole first line, a line in the first column); else it
    reads the whole head first, as before. Both give the same capture."""
    body = "".join(f"{indent}SW1#show license status {i}\n{indent}Smart Licensing is ENABLED\n"
                   for i in range(4_000))
    lines = body.splitlines(keepends=True)
    lines.insert(unindented_at % len(lines), "SW1#show clock\n")  # the first column, somewhere
    data = first + "".join(lines).encode()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    path = tmp_path_factory.mktemp("head") / "capture.txt"
    path.write_bytes(data)
    sized, unsized = _read_both_ways(path, 100_000)
    assert sized == unsized


CONFIG_LINES = ["interface GigabitEthernet1/0/{n}", " description desk {n}", " shutdown", "!",
                "call-home", " profile \"CiscoTAC-1\"", "  active", "hostname SW{n}",
                " vrf forwarding Mgmt-vrf", "license smart transport callhome", " --More-- x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CONFIG_LINES), min_size=1, max_size=40), st.integers(1, 120))
@example([" --More-- x", "interface GigabitEthernet1/0/{n}", " shutdown", "!", "call-home"],
         4096)  # a run of blocks right after a line the search offered
def test_a_streamed_configuration_keeps_each_line_it_keeps_at_its_own_number(
        tmp_path_factory, lines, chunk):
    """Interface blocks are passed over, never another line moved: every line a streaming
    read keeps is the line a whole read has at that number (a block counted twice once
    put the lines after it at the wrong numbers, and a call-home line was lost)."""
    text = "SW1#show running-config\nBuilding configuration...\n" + "".join(
        line.format(n=i) + "\n" for i, line in enumerate(lines)) + "end\nSW1#show clock\n"
    path = tmp_path_factory.mktemp("config") / "capture.txt"
    path.write_text(text)
    whole = list(read_capture(str(path)).lines)
    streamed = list(read.read_capture(str(path), KNOWLEDGE.catalog, large_bytes=0,
                                      chunk_bytes=chunk).lines)
    assert len(streamed) == len(whole)
    for number, (kept, line) in enumerate(zip(streamed, whole, strict=True), 1):
        assert kept in ("", line), (number, kept, line)
    # The top-level lines licensing reads are always kept (a child line after an interface
    # is the interface's, and passed over with it).
    for number, line in enumerate(whole, 1):
        if line.startswith(("call-home", "license", "hostname")):
            assert streamed[number - 1] == line, (number, line)


@pytest.mark.parametrize("bound", [5, 10**9])
def test_past_its_hit_bound_hyperscan_leaves_a_chunk_to_pythons_searches(monkeypatch, bound):
    """A line of control characters is a hit for each of them: past MAX_HITS the search
    stops and Python's searches (one a line) offer the lines instead, the same lines."""
    if "hyperscan" not in finders():
        pytest.skip("Hyperscan is not installed here")
    monkeypatch.setattr(finder_module, "MAX_HITS", bound)
    scopes = [s.filter.pattern.encode() for s in KNOWLEDGE.catalog.line_scopes]
    data = b"".join(RESIDUE_PROMPTS) + b"x" + b"\x01" * 5_000 + b"\n" + b"plain\n" \
        + b"*Sep 18 08:20:11 UTC: %SMART_LIC-6-AUTH_RENEW_SUCCESS: ok\n"
    fast = finder_module.HyperscanFinder(scopes).scan(data, 0, len(data))[0]
    plain = finder_module.PlainFinder(scopes).scan(data, 0, len(data))[0]
    control_line = data.index(b"x\x01")
    assert (control_line, finder_module.MARK) in fast and (control_line, finder_module.MARK) in plain
    assert data.index(b"*Sep") in dict(fast)
    if bound == 5:
        assert fast == plain  # the search stopped: Python's searches said it


def test_a_long_line_of_hits_costs_its_length():
    """Line starts are found from the hit before, not from the chunk's start: 200,000 hits
    on one line would otherwise scan it 200,000 times."""
    scopes = [s.filter.pattern.encode() for s in KNOWLEDGE.catalog.line_scopes]
    data = b"head\n" + b"------ sh " * 200_000 + b"\x01" * 200_000 + b"\n"
    import time

    for finder in [finder_module.PlainFinder(scopes)] + (
            [finder_module.HyperscanFinder(scopes)] if "hyperscan" in finders() else []):
        started = time.perf_counter()
        found = finder.scan(data, 0, len(data))[0]
        assert found == [(5, finder_module.MARK)], finder.name
        assert time.perf_counter() - started < 5, finder.name  # quadratic: minutes
