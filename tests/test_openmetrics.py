"""--format openmetrics: what Prometheus (node_exporter's textfile collector) scrapes, parsed
by prometheus_client's own OpenMetrics parser."""

from __future__ import annotations

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from .conftest import run_cli


def _families(*args: str) -> dict:
    proc = run_cli("analyze", "--format", "openmetrics", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return {f.name: f for f in text_string_to_metric_families(proc.stdout.decode())}


def test_samples_scrape():
    families = _families("samples/")
    assert set(families) == {"sldiag_deadline_days", "sldiag_findings", "sldiag_worst_severity",
                             "sldiag_licensing", "sldiag_inputs_not_analysed"}
    # The two-device sample: SW-ACC-22's communication deadline passed 3 days ago.
    days = {(s.labels["hostname"], s.labels["kind"]): s.value
            for s in families["sldiag_deadline_days"].samples}
    assert days[("SW-ACC-22", "communication")] == -3
    worst = {s.labels["source"]: s.value for s in families["sldiag_worst_severity"].samples}
    assert worst["samples/05-call-home-http-failed.showtech.txt.gz"] == 3   # error
    assert worst["samples/slup-healthy.bare.txt"] == 1                      # info only
    info = [s for s in families["sldiag_licensing"].samples
            if s.labels["source"] == "samples/slup-healthy.bare.txt"]
    assert info[0].labels["mode"] == "smart-licensing-using-policy"
    # Every device has one sample per severity.
    per_device = {}
    for s in families["sldiag_findings"].samples:
        per_device.setdefault((s.labels["source"], s.labels["hostname"]), set()).add(
            s.labels["severity"])
    assert all(v == {"critical", "error", "warning", "info"} for v in per_device.values())


def test_device_text_in_labels_is_escaped(tmp_path):
    capture = tmp_path / 'sw"1\\x.txt'
    capture.write_text('SW-"A"#show license status\nSmart Licensing is ENABLED\n\n'
                       "Registration:\n  Status: UNREGISTERED\n")
    families = _families(str(capture))
    (sample,) = families["sldiag_worst_severity"].samples
    assert sample.labels["source"] == str(capture)
