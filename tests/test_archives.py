"""Folders as engineers keep them: archives of captures read like folders, everything not
analysed named once with its reason, prose never a device."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile

import pytest

from sldiag.analysis.run import analyse_paths
from sldiag.reading.archives import archive_members

from .conftest import SAMPLES, run_cli

CAPTURE = (SAMPLES / "07-waiting-for-reply.bare.txt").read_bytes()
HEALTHY = (SAMPLES / "slup-healthy.bare.txt").read_bytes()


def _zip(path, members: dict[str, bytes], links: dict[str, str] | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)


def _tgz(path, members: dict[str, bytes], links: dict[str, str] | None = None) -> None:
    with tarfile.open(path, "w:gz") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            t.addfile(info)


@pytest.mark.parametrize("maker, suffix", [(_zip, ".zip"), (_tgz, ".tar.gz"), (_tgz, ".tgz")])
def test_an_archive_is_read_like_a_folder(tmp_path, maker, suffix, knowledge):
    archive = tmp_path / f"case{suffix}"
    maker(archive, {"captures/sw1.txt": CAPTURE, "captures/sw2.txt": HEALTHY,
                    "captures/inner.zip": b"PK\x03\x04", "../escape.txt": CAPTURE,
                    "/etc/absolute.txt": CAPTURE, "captures/screen.png": b"\x89PNG"},
          links={"captures/passwd": "/etc/passwd"})
    analysis = analyse_paths([str(archive)], knowledge, with_text=False)
    sources = sorted(r.source for r in analysis.results)
    assert sources == [f"{archive}:captures/sw1.txt", f"{archive}:captures/sw2.txt"]
    skipped = analysis.problems.skipped
    reasons = {line.rsplit(": ", 1)[-1] for line in skipped}
    assert "an archive inside an archive (not opened)" in reasons
    assert "a link inside the archive (not followed)" in reasons
    assert "a path outside the archive (not extracted)" in reasons
    assert "a picture, not a capture (not read)" in reasons
    assert len(skipped) == 5  # each once
    assert analysis.errors == []


def test_an_archive_bomb_is_one_skipped_member(tmp_path, monkeypatch):
    import sldiag.reading.archives as archives

    monkeypatch.setattr(archives, "GZIP_FREE_BYTES", 1 << 20)
    archive = tmp_path / "bomb.zip"
    _zip(archive, {"a.txt": CAPTURE, "zeros.txt": b"\0" * (8 << 20), "b.txt": HEALTHY})
    members = list(archive_members(str(archive), "bomb.zip"))
    assert members[0].path is not None
    assert "decompression bomb" in (members[1].skipped or "")
    assert members[1].path is None
    # The budget is spent: what follows is not extracted either.
    assert members[2].path is None and members[2].skipped


def test_archives_named_or_in_a_folder(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    proc = run_cli("analyze", str(tmp_path / "broken.zip"))
    assert proc.returncode == 2
    assert len(proc.stderr.decode().strip().splitlines()) == 1
    assert b"not a readable zip archive" in proc.stderr
    # In a folder: one skipped input, the rest analysed.
    (tmp_path / "sw1.txt").write_bytes(CAPTURE)
    _zip(tmp_path / "more.zip", {"sw2.txt": HEALTHY})
    proc = run_cli("analyze", "--format", "json", str(tmp_path))
    doc = json.loads(proc.stdout)
    assert sorted(os.path.basename(d["source"]) for d in doc["devices"]) == [
        "more.zip:sw2.txt", "sw1.txt"]
    assert [line for line in doc["inputs"]["skipped"] if "broken.zip" in line]
    # An empty archive in a folder is named too.
    _zip(tmp_path / "nothing.zip", {})
    proc = run_cli("analyze", "--format", "json", str(tmp_path))
    assert [line for line in json.loads(proc.stdout)["inputs"]["skipped"]
            if line.endswith("nothing.zip: an archive holding no file")]
    # An archive with nothing to read, named: refused.
    _zip(tmp_path / "empty.zip", {"notes.pdf": b"%PDF"})
    proc = run_cli("analyze", str(tmp_path / "empty.zip"))
    assert proc.returncode == 2 and b"archive holds no capture files" in proc.stderr


def test_everything_in_a_folder_not_analysed_is_named_once(tmp_path):
    (tmp_path / "sw1.txt").write_bytes(CAPTURE)
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "screen.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "README.md").write_text(
        "# Case 123\n\nRun show license all on each switch and save it here.\n"
        "- show license status\n- show running-config\n\nSW1#show license all\n")
    (tmp_path / "collection.log").write_text("# sldiag collection log\nsw1: saved as sw1.txt\n")
    proc = run_cli("analyze", "--format", "json", str(tmp_path))
    doc = json.loads(proc.stdout)
    assert [os.path.basename(d["source"]) for d in doc["devices"]] == ["sw1.txt"]
    skipped = doc["inputs"]["skipped"]
    assert sorted(os.path.basename(line.split(":")[0]) for line in skipped) == [
        "README.md", "report.pdf", "screen.png"]  # collection.log: sldiag's own, quietly
    for line in skipped:
        assert proc.stderr.decode().count(line) == 1


@pytest.mark.parametrize("text", [
    "Hello team,\n\nplease run show license all and show license status.\nThanks.\n",
    "## Steps\n1. show license all\n2. show license udi\n```\nSW1#show license all\n```\n",
])
def test_prose_named_directly_is_refused(tmp_path, text):
    note = tmp_path / "note.txt"
    note.write_text(text)
    proc = run_cli("analyze", str(note))
    assert proc.returncode == 2
    assert b"holds no device output" in proc.stderr


def test_device_output_without_a_template_is_still_device_output(tmp_path):
    table = tmp_path / "ports.txt"
    table.write_text("SW1#show interfaces status\n"
                     "Port      Name  Status       Vlan  Duplex  Speed Type\n"
                     "Gi1/0/1         connected    1     a-full  a-1000 10/100/1000BaseTX\n")
    proc = run_cli("analyze", str(table))
    assert proc.returncode in (0, 1), proc.stderr
    assert b"SW1" in proc.stdout


def test_an_archive_declaring_too_many_entries_is_not_opened(tmp_path, monkeypatch):
    import sldiag.reading.archives as archives

    monkeypatch.setattr(archives, "MAX_ARCHIVE_ENTRIES", 10)
    archive = tmp_path / "many.zip"
    _zip(archive, {f"sw{i}.txt": CAPTURE for i in range(11)})
    assert archives.zip_entries(str(archive)) == 11
    with pytest.raises(ValueError, match="11 entries"):
        list(archive_members(str(archive), "many.zip"))
    _zip(tmp_path / "ten.zip", {f"sw{i}.txt": CAPTURE for i in range(10)})
    assert len([m for m in archive_members(str(tmp_path / "ten.zip"), "ten.zip") if m.path]) == 10


@pytest.mark.parametrize("maker, suffix", [(_zip, ".zip"), (_tgz, ".tgz")])
def test_an_archive_is_read_up_to_the_runs_number_of_files(tmp_path, monkeypatch, maker, suffix):
    import sldiag.reading.archives as archives

    monkeypatch.setattr(archives, "MAX_FILES_PER_RUN", 3)
    archive = tmp_path / f"many{suffix}"
    maker(archive, {f"sw{i}.txt": CAPTURE for i in range(6)})
    members = list(archive_members(str(archive), "many"))
    assert [m.path is not None for m in members] == [True, True, True, False]
    assert members[-1].skipped == archives.TOO_MANY_MEMBERS
