"""Zero leaks: every kind of secret (tests/secretgen.py, 130+ kinds) in every form it takes
(configuration, typed at a prompt, CFGLOG syslog, archive log, show outputs), in a session
log and a show tech, small and large (read streaming), through every report format, with and
without --redact, and in the TAC bundle."""

from __future__ import annotations

import io
import zipfile

import pytest

from sldiag.analysis.run import analyse_paths
from sldiag.bundle.build import build_bundle
from sldiag.render.formats import render

from .conftest import run_cli
from .secretgen import (
    FORMS,
    KINDS,
    all_values,
    generated,
    generated_session,
    leaked,
    plant,
    session_log,
    show_tech,
)

PLANTED = plant()
VALUES = all_values(PLANTED)


def _leaks(data: bytes | str) -> list[str]:
    blob = data.encode() if isinstance(data, str) else data
    return sorted({kind for kind, value in VALUES if value.encode() in blob})


@pytest.fixture(scope="module")
def captures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("secrets")
    session = folder / "planted.session.log"
    session.write_text(session_log(PLANTED))
    tech = folder / "planted.showtech.txt"
    tech.write_text(show_tech(PLANTED))
    return session, tech


def test_the_generator_plants_what_it_says():
    assert len(KINDS) >= 100
    assert len(VALUES) >= 120
    forms = {form for p in PLANTED for form in FORMS if p.texts[form]}
    assert forms == set(FORMS)
    text = session_log(PLANTED)
    # Every secret is really in the capture (or the test would prove nothing).
    assert [kind for kind, value in VALUES if value not in text] == []
    # Spaces inside a value, where the grammar allows them.
    assert any(" " in " ".join(p.values[:2]) and p.kind.spaces for p in PLANTED)


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
@pytest.mark.parametrize("redact", ["", "serials,accounts,hostnames,ips"])
def test_no_secret_in_any_report(captures, fmt, redact):
    for capture in captures:
        args = ["analyze", "-v", "--format", fmt, str(capture)]
        if redact:
            args += ["--redact", redact]
        proc = run_cli(*args)
        assert proc.returncode in (0, 1), proc.stderr
        assert _leaks(proc.stdout + proc.stderr) == []


def test_the_licensing_state_is_still_read(captures):
    proc = run_cli("analyze", "--format", "json", str(captures[0]))
    assert b'"registration_status": "REGISTERED"' in proc.stdout


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("redact", [frozenset(), frozenset({"hostnames", "ips"})])
def test_no_secret_in_the_bundle(captures, knowledge, redact, full):
    bundle = build_bundle([str(c) for c in captures], knowledge, redact, full_captures=full)
    data = bundle.zip_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            assert _leaks(zf.read(name)) == [], name
    if full:  # every line carried: the sanitiser removed every value
        assert sum(bundle.redactions.values()) >= len(VALUES)


def test_no_secret_when_read_streaming(captures, knowledge, tmp_path):
    """A capture large enough to be read in chunks: the same secrets, the same result."""
    big = tmp_path / "planted-big.log"
    big.write_text(session_log(PLANTED, filler_lines=20_000))
    analysis = analyse_paths([str(big)], knowledge, large_bytes=64 * 1024)
    assert analysis.errors == []
    for fmt in ("text", "json", "md", "html"):
        assert _leaks(render(analysis.results, fmt, verbose=True)) == [], fmt
    bundle = build_bundle([str(big)], knowledge, large_bytes=64 * 1024)
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as zf:
        for name in zf.namelist():
            assert _leaks(zf.read(name)) == [], name
    bundle.close()


def test_secrets_in_every_form_one_by_one(knowledge):
    """Each kind alone, in each of its forms, as the only content: nothing depends on what
    surrounds it (a block, a section, the order of the rules)."""
    from sldiag.reading.lines import clean_text
    from sldiag.sanitizing.sanitizer import Sanitizer

    leaks = []
    for planted in PLANTED:
        for form in FORMS:
            if not planted.texts[form]:
                continue
            text = "\n".join(planted.texts[form]) + "\n"
            out = "\n".join(Sanitizer().lines(clean_text("x", text).lines))
            if any(v in out for v in planted.values):
                leaks.append((planted.kind.name, form, text))
    assert leaks == []


# -- generated variants: any case, any abbreviation, any place a command stands, wrapped -----

GENERATED = generated()


@pytest.fixture(scope="module")
def generated_capture(tmp_path_factory):
    path = tmp_path_factory.mktemp("generated") / "variants.session.log"
    path.write_text(generated_session(GENERATED))
    return path


def test_the_generator_makes_every_variant(generated_capture):
    text = generated_capture.read_text()
    with_values = [p for p in GENERATED if p.values]
    assert len(with_values) >= 150
    # Every value is in the capture (a wrapped one in pieces: the leak check looks at pieces).
    assert leaked(with_values, text) == sorted({p.kind.name for p in with_values})
    commands = [p for p in with_values if p.kind.command]
    for form in ("echo", "cfglog", "archive", "diff", "scrolled", "wrapped"):
        assert all(p.texts[form] for p in commands), form
    # Each command in six spellings: as written, upper, title, mixed case, abbreviated, both.
    assert all(len(p.texts["echo"]) == 6 for p in commands)
    assert any("SNMP-S COM" in line for p in commands for line in p.texts["echo"])
    assert any(line.endswith(f"#$ {p.values[0]}") or "#$" in line
               for p in commands for line in p.texts["scrolled"])
    assert any(len(line) == 80 for p in commands for line in p.texts["wrapped"])


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_no_generated_secret_in_any_report(generated_capture, fmt):
    proc = run_cli("analyze", "-v", "--format", fmt, str(generated_capture))
    assert proc.returncode in (0, 1), proc.stderr
    assert leaked(GENERATED, proc.stdout + proc.stderr) == []


def test_no_generated_secret_in_parse(generated_capture):
    proc = run_cli("parse", str(generated_capture))
    assert proc.returncode == 0, proc.stderr
    assert leaked(GENERATED, proc.stdout + proc.stderr) == []


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("redact", [frozenset(), frozenset({"serials", "accounts", "hostnames",
                                                           "ips"})])
def test_no_generated_secret_in_a_bundle(generated_capture, knowledge, redact, full):
    bundle = build_bundle([str(generated_capture)], knowledge, redact, full_captures=full)
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as zf:
        for name in zf.namelist():
            assert leaked(GENERATED, zf.read(name)) == [], name


def test_no_generated_secret_in_a_collected_capture(generated_capture):
    """What `sldiag collect` writes of a device's outputs (the same sanitiser as a bundle's,
    netconan included)."""
    from sldiag.collecting.task import _written_lines

    written = "\n".join(_written_lines(generated_capture.read_text(), show_secrets=False))
    assert leaked(GENERATED, written) == []
    assert "Smart Licensing is ENABLED" in written  # what licensing needs is still there


def test_no_generated_secret_when_read_streaming(generated_capture, knowledge):
    analysis = analyse_paths([str(generated_capture)], knowledge, large_bytes=4096)
    for fmt in ("text", "json", "md", "html"):
        assert leaked(GENERATED, str(render(analysis.results, fmt, verbose=True))) == [], fmt
    for full in (False, True):
        bundle = build_bundle([str(generated_capture)], knowledge, large_bytes=4096,
                              full_captures=full)
        with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as zf:
            for name in zf.namelist():
                assert leaked(GENERATED, zf.read(name)) == [], name
        bundle.close()
