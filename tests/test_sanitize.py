"""Secrets never leave sldiag: planted in a capture, absent from every output and bundle."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from sldiag.bundle.build import build_bundle
from sldiag.sanitizing.sanitizer import Sanitizer

from .conftest import CORPUS, ROOT, run_cli

PLANTED = ROOT / "tests" / "data" / "secrets" / "planted-show-tech.txt"
# Every secret planted in the capture, by kind (written from the file, one per kind or more).
SECRETS = {
    "enable secret type 9": "PlantedEnableHashValue0001",
    "enable password type 0": "PlantedEnablePw02",
    "username secret type 8": "PlantedUserHash0003",
    "username password type 7": "0PLANTED4A1B2C3D04",
    "config-key password-encrypt": "PlantedConfigKey05",
    "TACACS+ server key": "PLANTEDTACACS06",
    "RADIUS server key": "PlantedRadiusKey07",
    "key-chain key-string": "PlantedKeyString08",
    "ISAKMP pre-shared key": "PlantedIsakmpPsk09",
    "IKEv2 pre-shared key": "PlantedIkev2Psk10",
    "PKI certificate blob": "PLANTEDCERT11",
    "OSPF MD5 key": "PlantedOspfKey12",
    "BGP neighbor password": "PlantedBgpPass13",
    "NTP authentication key": "PlantedNtpKey14",
    "SNMP community": "PlantedCommunity15",
    "SNMPv3 auth key": "PlantedSnmpAuth16",
    "SNMPv3 priv key": "PlantedSnmpPriv17",
    "SNMP trap community": "PlantedTrapComm18",
    "call-home proxy user": "PlantedProxyUser19",
    "call-home proxy password": "PlantedProxyPass20",
    "line password type 7": "PLANTEDVTY21",
    "license smart trust idtoken": "PlantedTrustToken22",
    "license smart register idtoken": "PlantedRegisterToken23",
    "Using-Policy proxy username": "PlantedSlupProxyUser24",
    "Using-Policy proxy password": "PlantedSlupProxyPass25",
    "eventlog idToken": "PlantedEventToken26",
    "PKI private key": "PlantedPrivateKeyMaterial27",
    "HSRP key-string": "PlantedHsrpKey28",
    "WPA pre-shared key": "PlantedWpaPsk29",
}


def _leaks(data: bytes) -> list[str]:
    return [kind for kind, value in SECRETS.items() if value.encode() in data]


def test_the_corpus_really_holds_the_secrets():
    assert len(SECRETS) >= 15
    assert _leaks(PLANTED.read_bytes()) == list(SECRETS)


def test_bundle_holds_no_secret(knowledge):
    # Every line carried (--full-captures): the sanitiser's own counts are what is checked.
    bundle = build_bundle([str(PLANTED)], knowledge, full_captures=True)
    data = bundle.zip_bytes()
    assert _leaks(data) == []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            assert _leaks(zf.read(name)) == [], name
    # The manifest counts by class and never holds a value.
    manifest = json.loads(bundle.files["manifest.json"])
    assert manifest["redacted"]["licensing-id-token"] == 3
    assert manifest["redacted"]["proxy-credentials"] == 4
    # Our own rules now know the WPA pre-shared key netconan used to be the only one to find.
    assert manifest["redacted"]["wireless-psk"] == 1
    assert sum(manifest["redacted"].values()) >= len(SECRETS)


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_reports_hold_no_secret(fmt):
    proc = run_cli("analyze", "--format", fmt, "-v", str(PLANTED.relative_to(ROOT)))
    assert proc.returncode in (0, 1), proc.stderr
    assert _leaks(proc.stdout + proc.stderr) == []


def test_show_secrets_keeps_them_when_asked():
    proc = run_cli("analyze", "--show-secrets", "--format", "html", str(PLANTED.relative_to(ROOT)))
    assert "Using-Policy proxy username" in _leaks(proc.stdout)


def test_line_numbers_survive_redaction():
    lines = PLANTED.read_text().splitlines()
    clean = Sanitizer().lines(lines)
    assert len(clean) == len(lines)
    assert clean[18] == "enable password <removed:enable-secret>"


def test_bundles_are_deterministic(knowledge, tmp_path):
    first = build_bundle([str(PLANTED), str(ROOT / "samples")], knowledge).zip_bytes()
    second = build_bundle([str(PLANTED), str(ROOT / "samples")], knowledge).zip_bytes()
    assert first == second


def test_manifest_hashes_every_file(knowledge):
    import hashlib

    bundle = build_bundle([str(ROOT / "samples" / "02-try-again.session.log")], knowledge)
    manifest = json.loads(bundle.files["manifest.json"])
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == set(bundle.files) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(bundle.files[name]).hexdigest() == digest
    assert {"id": "sl-scenario-02-request-not-processed", "version": 1} in manifest["rules"]
    assert set(bundle.files) >= {"report.html", "report.md", "report.json", "facts.json",
                                 "captures/02-try-again.session.log"}


def test_optional_classes_are_replaced_consistently(knowledge):
    paths = [str(ROOT / "samples" / "08-out-of-compliance.session.log"),
             str(ROOT / "samples" / "01-product-already-registered.showtech.txt")]
    bundle = build_bundle(paths, knowledge, frozenset({"serials", "accounts", "hostnames", "ips"}))
    everything = b"".join(bundle.files.values())
    for value in (b"FOC2301Y0ZZ", b"FOC2224X0AB", b"ACME Networks Inc.", b"Campus-LAN",
                  b"SW-ACC-31", b"SW-ACC-12", b"10.10.20.31"):
        assert value not in everything, value
    capture = bundle.files["captures/08-out-of-compliance.session.log"].decode()
    report = json.loads(bundle.files["report.json"])
    # One switch, one placeholder: the capture and the report agree.
    assert report["devices"][0]["hostname"] in capture
    assert report["devices"][0]["hostname"].startswith("HOST-")
    assert "UDI: PID:C9300-48P,SN:SERIAL-" in capture
    manifest = json.loads(bundle.files["manifest.json"])
    assert manifest["redacted"]["serials"] > 0 and manifest["redacted"]["hostnames"] > 0


def test_bundle_cli_writes_atomically(tmp_path):
    out = tmp_path / "case.zip"
    proc = run_cli("bundle", "samples/09-data-signature.session.log", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.zip"]
    bad = run_cli("bundle", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.zip"))
    assert bad.returncode == 2 and not (tmp_path / "x.zip").exists()
    assert bad.stderr.decode().count("\n") == 1


def test_unknown_redaction_class_is_a_usage_error():
    proc = run_cli("analyze", "--redact", "passwords", "samples/02-try-again.session.log")
    assert proc.returncode == 2 and b"unknown class passwords" in proc.stderr


def test_analyze_redact_classes_in_the_report():
    proc = run_cli("analyze", "--format", "json", "--redact", "serials,hostnames",
                   "samples/08-out-of-compliance.session.log")
    doc = json.loads(proc.stdout)
    (device,) = doc["devices"]
    assert device["hostname"] == "HOST-1"
    assert b"FOC2301Y0ZZ" not in proc.stdout and b"SW-ACC-31" not in proc.stdout
    assert any("SN:SERIAL-" in e["text"] for f in device["findings"] for e in f["evidence"])


def test_netconan_reads_only_the_configuration(knowledge, monkeypatch):
    """netconan anonymises configurations and is slow (about 0.3 ms a line): a large show
    tech must not pass its logs and counters through it."""
    import sldiag.sanitizing.captures as bundle_module

    seen: list[str] = []
    real = bundle_module.netconan_lines

    def spy(lines):
        seen.extend(lines)
        return real(lines)

    monkeypatch.setattr(bundle_module, "netconan_lines", spy)
    path = ROOT / "samples" / "01-product-already-registered.showtech.txt"
    build_bundle([str(path)], knowledge)
    text = path.read_text()
    config = text.split("------------------ show running-config ------------------")[1]
    config = config.split("------------------ show")[0]
    assert seen and all(line in config for line in seen if line.strip())
    assert not any("show license" in line or "Smart Licensing Status" in line for line in seen)


def test_netconan_prefilter_changes_nothing_netconan_would_change():
    """netconan_lines hands netconan only the lines holding one of NETCONAN_WORDS; netconan's
    own answer over every line must be the same, on every planted secret form and on every
    configuration line we have (samples, rule examples, real outputs)."""
    from sldiag.sanitizing.netconan import NETCONAN_WORDS, netconan_all, netconan_lines

    from .secretgen import plant, session_log, show_tech

    planted = plant()
    lines = session_log(planted).splitlines() + show_tech(planted).splitlines()
    for folder in (ROOT / "samples", ROOT / "rules" / "examples", CORPUS):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix not in {".gz", ".yaml", ".yml", ".json"}:
                    lines += path.read_text(errors="replace").splitlines()
    assert len(lines) > 5000
    assert netconan_lines(lines) == netconan_all(lines)
    # and the prefilter does leave most lines alone
    assert sum(1 for line in lines if NETCONAN_WORDS.search(line)) < len(lines) / 2
