"""Malformed captures: each gets its clean outcome, never a traceback."""

from __future__ import annotations

import os

import pytest

from .conftest import ROOT, run_cli

FOLDER = ROOT / "tests" / "data" / "malformed"
# file -> (exit status, text on stderr for errors / in the report otherwise)
EXPECTED = {
    "01-empty.txt": (2, "file is empty"),
    "02-only-blank-lines.txt": (2, "file is empty"),
    "03-nul-bytes.txt": (2, "binary file, not a text capture"),
    "04-elf-binary.bin.txt": (2, "binary file, not a text capture"),
    "05-png-image.txt": (2, "binary file, not a text capture"),
    # A few bytes that are not UTF-8 are replaced and noted as parse gaps; a file where many
    # lines hold them is in another encoding (33).
    "06-latin1.txt": (0, "Parse gaps: 1 line(s) not understood"),
    "07-invalid-utf8-middle.txt": (0, "Parse gaps: 2 line(s) not understood"),
    "08-truncated-gzip.txt.gz": (2, "gzip data is truncated or corrupt"),
    "09-corrupt-gzip.txt.gz": (2, "gzip data is truncated or corrupt"),
    # A capture cut short is analysed for what it holds; the verdict says what was not judged.
    "10-truncated-show-license-all.txt": (1, "not judged: the rest of 'show license all'"),
    "11-truncated-mid-line.txt": (0, "not judged: the rest of 'show license all'"),
    "12-utf16-bom.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "13-utf8-bom.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "14-crlf.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "15-ansi-colours.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "16-more-residue.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "17-backspaces.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "18-no-licensing-at-all.txt": (0, "Verdict: NOT DIAGNOSED: no licensing output in the capture"),
    # A mail about a switch is no device output: refused like any unrelated file.
    "19-random-prose.txt": (2, "holds no device output sldiag recognises"),
    "20-only-prompts.txt": (0, "Verdict: NOT DIAGNOSED: no licensing output in the capture"),
    "21-garbled-license-all.txt": (0, "Parse gaps: 5 line(s) not understood"),
    "22-duplicated-lines.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "23-shuffled-blocks.txt": (0, "not judged: the rest of 'show license all'"),
    # A 2 MB line: its first megabyte is read, and the limit is said on stderr and in the report.
    "24-very-long-line.txt": (0, "Verdict: NOT DIAGNOSED: no licensing output in the capture",
                              "24-very-long-line.txt:2: a line longer than 1 MB"),
    "25-bare-cr-redraws.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "26-tabs-instead-of-spaces.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "27-command-rejected.txt": (1, "The switch rejected a licensing command"),
    "28-impossible-dates.txt": (0, "Parse gaps: 2 line(s) not understood"),
    "29-unknown-timezone.txt": (0, "Parse gaps: 9 line(s) not understood"),
    "30-control-characters.txt": (0, "Verdict: OK: REGISTERED / AUTHORIZED"),
    "31-show-tech-cut-after-delimiter.txt": (0, "not judged: the rest of 'show license all'"),
    "32-mixed-encodings.txt": (0, "Parse gaps: 3 line(s) not understood"),
    "33-latin1-throughout.txt": (2, "33-latin1-throughout.txt:4: not valid UTF-8 (byte 0xe9, 40 lines)"),
}


def test_folder_and_table_agree():
    assert len(EXPECTED) >= 30
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_capture(name):
    status, text, *limit = EXPECTED[name]
    proc = run_cli("analyze", str(FOLDER / name))
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert proc.returncode == status, (out[-500:], err)
    assert "Traceback" not in err + out
    if status == 2:
        assert err.count("\n") == 1 and text in err, err
    elif limit:
        assert text in out and limit[0] in out, out[-500:]
        assert err.count("\n") == 1 and f"limit reached: {FOLDER}/{limit[0]}" in err, err
    else:
        assert text in out and err == ""


def test_folder_run_skips_bad_files_with_warnings_and_analyses_the_rest(tmp_path):
    import shutil

    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(ROOT / "samples" / "09-data-signature.session.log", folder / "good.log")
    shutil.copy(FOLDER / "03-nul-bytes.txt", folder / "junk.txt")
    (folder / "loop").symlink_to(folder / "loop")          # a symlink loop
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)              # a directory loop: not followed
    os.mkfifo(folder / "pipe")                              # a special file: never opened
    unreadable = folder / "secret.txt"
    unreadable.write_text("SW1#show license status\n")
    unreadable.chmod(0)
    proc = run_cli("analyze", str(folder))
    err = proc.stderr.decode()
    assert proc.returncode == 1  # findings in good.log; skipped files only warn
    assert b"Scenario #9" in proc.stdout
    assert "warning: skipped" in err and "junk.txt: binary file" in err
    assert "pipe: not a regular file" in err and "loop: a broken or looping link" in err
    if os.geteuid() != 0:  # root reads anything
        assert "secret.txt: permission denied" in err
    assert "Traceback" not in err
