"""Property-based tests: whatever bytes come in, the only failure is a clean InputError.

CI runs a small example budget; `make fuzz` runs the same properties with a large one
(HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sldiag.analysis.run import analyse_capture  # noqa: E402
from sldiag.base.errors import InputError  # noqa: E402
from sldiag.diagnosing.knowledge import Knowledge  # noqa: E402
from sldiag.reading import read  # noqa: E402
from sldiag.reading.lines import clean_text  # noqa: E402
from sldiag.reading.read import read_whole as read_capture  # noqa: E402
from sldiag.render.documents import report_document as to_json_document  # noqa: E402
from sldiag.sanitizing.sanitizer import Sanitizer  # noqa: E402

from .conftest import ROOT  # noqa: E402

settings.register_profile("ci", max_examples=40, deadline=timedelta(seconds=10),
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=3000, deadline=timedelta(seconds=20),
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

KNOWLEDGE = Knowledge.load()
SAMPLE_TEXTS = [p.read_bytes() for p in sorted((ROOT / "samples").iterdir())
                if not p.name.endswith(".gz")]
SAMPLE_TEXTS += [p.read_bytes() for p in sorted((ROOT / "rules" / "examples").rglob("*.txt"))][:40]
RESIDUE = [b"\r\n", b"\x1b[1;31m", b"\x1b[0m", b"\x08", b" --More-- ", b"\x00", b"\r",
           b"<--- More --->", b"\xff", b"\t", b"%SMART_LIC-3-COMM_FAILED: ", b"SW9#show license all\n",
           b"------------------ show license status ------------------\n"]


def analyse_bytes(tmp_path_factory, data: bytes) -> None:
    """The end-to-end property: a report, or one clean InputError; and the streaming reader
    of large captures (forced here, with small chunks) comes to the same outcome."""
    path = tmp_path_factory.mktemp("p") / "capture.txt"
    path.write_bytes(data)
    whole = outcome(lambda: read_capture(str(path)))
    chunk = 1 + len(data) % 97
    streamed = outcome(lambda: read.read_capture(str(path), KNOWLEDGE.catalog,
                                                      large_bytes=0, chunk_bytes=chunk))
    assert streamed == whole


def outcome(read) -> str:
    try:
        capture = read()
        results = analyse_capture(capture, KNOWLEDGE, Sanitizer())
    except InputError as exc:  # truncation is found while sectioning
        assert "\n" not in str(exc)
        return f"error: {exc}"
    for result in results:
        for finding in result.findings:
            assert finding.evidence
    return json.dumps([to_json_document(results)] + [r.facts.to_json() for r in results],
                      sort_keys=True, default=str)


@given(st.binary(max_size=4096))
def test_random_bytes(tmp_path_factory, data):
    analyse_bytes(tmp_path_factory, data)


@given(st.sampled_from(SAMPLE_TEXTS), st.integers(min_value=0, max_value=200_000))
def test_truncated_samples(tmp_path_factory, text, cut):
    analyse_bytes(tmp_path_factory, text[: cut % (len(text) + 1)])


@given(st.sampled_from(SAMPLE_TEXTS), st.randoms(use_true_random=False))
def test_shuffled_and_duplicated_lines(tmp_path_factory, text, rnd):
    lines = text.split(b"\n")
    rnd.shuffle(lines)
    extra = [rnd.choice(lines) for _ in range(rnd.randint(0, 20))]
    analyse_bytes(tmp_path_factory, b"\n".join(lines + extra))


@given(st.sampled_from(SAMPLE_TEXTS),
       st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(RESIDUE)), max_size=30))
def test_terminal_residue_anywhere(tmp_path_factory, text, insertions):
    data = bytearray(text)
    for position, piece in insertions:
        at = position % (len(data) + 1)
        data[at:at] = piece
    analyse_bytes(tmp_path_factory, bytes(data))


@given(st.sampled_from(SAMPLE_TEXTS), st.sampled_from(["utf-16", "utf-16-le", "latin-1", "cp1252"]),
       st.integers(min_value=0))
def test_other_and_mixed_encodings(tmp_path_factory, text, encoding, split):
    decoded = text.decode("utf-8")
    at = split % (len(decoded) + 1)
    try:
        whole = decoded.encode(encoding)
        mixed = decoded[:at].encode("utf-8") + decoded[at:].encode(encoding, errors="replace")
    except UnicodeEncodeError:
        return
    analyse_bytes(tmp_path_factory, whole)
    analyse_bytes(tmp_path_factory, mixed)


@given(st.lists(st.text(max_size=200), max_size=60))
def test_every_template_survives_any_lines(lines):
    from sldiag.parsing.extract import run_template

    numbered = list(enumerate(lines, start=1))
    for specs in KNOWLEDGE.catalog.templates_for.values():
        for spec in specs:
            records, errors = run_template(spec, numbered)
            assert all(1 <= n <= len(lines) for n in errors)
    for scope in KNOWLEDGE.catalog.line_scopes:
        run_template(scope.template, numbered)


def test_a_five_megabyte_line_is_read_quickly(tmp_path):
    # One huge line in the middle of a capture: no quadratic regex, no crash.
    line = b"x" * 2_500_000 + b" %SMART_LIC-3-COMM_FAILED: " + b"y" * 2_500_000
    data = b"SW1#show logging\n" + line + b"\nSW1#show license status\nSmart Licensing is ENABLED\nSW1#\n"
    path = tmp_path / "big-line.txt"
    path.write_bytes(data)
    start = time.perf_counter()
    results = analyse_capture(read_capture(str(path)), KNOWLEDGE, Sanitizer())
    assert time.perf_counter() - start < 20
    assert results and results[0].hostname == "SW1"


def test_clean_text_keeps_one_entry_per_line():
    @given(st.text(max_size=2000))
    def check(text):
        capture = clean_text("x", text)
        expected = text.split("\n")
        if text.endswith("\n"):
            expected.pop()
        assert len(capture.lines) == len(expected)

    check()


def test_residue_inside_a_log_tag_reads_the_same_streaming(tmp_path_factory):
    """An ANSI escape between '%' and the tag hid the line from the streaming reader's byte
    search (found by test_terminal_residue_anywhere)."""
    data = (b"\x08SW-ACC-12#\r\nshow logging | include CALL_HOME|SMART_LIC\n"
            b"*Sep 18 08:20:11.402 UTC: %\x1b[1;31mCALL_HOME-3-HTTP_REQUEST_FAILED: Call-Home "
            b"HTTP request failed (ERR 207 : Connection time out)\n"
            b"*Sep 18 09:20:14.005 UTC: %SMART_LIC-6-AUTH_RENEW_SUCCESS: Authorization renewal "
            b"with the Cisco Smart Software Manager or satellite. State=Authorized for udi "
            b"PID:C9300-48P,SN:FOC2224X0AB\nSW-ACC-12#\n")
    analyse_bytes(tmp_path_factory, data)
    assert "(2 log messages)" in outcome(lambda: read.read_capture(
        str(_write(tmp_path_factory, data)), KNOWLEDGE.catalog, large_bytes=0, chunk_bytes=7))


def _write(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("r") / "capture.txt"
    path.write_bytes(data)
    return path
