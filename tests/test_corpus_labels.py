"""Every real output of ../shared/corpus and of its incoming/ folder against an expert's label
(labels.yaml beside them): licensing mode, one device per file, the facts the label is sure
of, and the verdict (quiet when healthy; a warning or worse quoting what the label says it
must, when not). Skipped when ../shared is not beside us."""

from __future__ import annotations

import pytest
import yaml

from sldiag.analysis.run import analyse_capture
from sldiag.model import values
from sldiag.reading.read import read_whole as read_capture
from sldiag.render.documents import report_document as to_json_document
from sldiag.sanitizing.sanitizer import Sanitizer

from .conftest import CORPUS

# The labelled folders: the corpus, and the outputs that came in since (same layout).
FOLDERS = [CORPUS.parent, CORPUS.parent / "incoming"]


def _labels(folder):
    path = folder / "labels.yaml"
    if not path.is_file():
        return []
    return [{**label, "folder": folder} for label in yaml.safe_load(path.read_text())]


LABELS = [label for folder in FOLDERS for label in _labels(folder)]
LOUD = {"critical", "error", "warning"}


def _name(label: dict) -> str:
    return f"{label['folder'].name}/{label['file'].split('/')[-1]}"

pytestmark = pytest.mark.skipif(not LABELS, reason="../shared/corpus/labels.yaml not present")


def _device(label: dict, knowledge) -> tuple[dict, object]:
    capture = read_capture(str(label["folder"] / label["file"]))
    results = analyse_capture(capture, knowledge, Sanitizer())
    assert len(results) == 1, [r.hostname for r in results]
    return to_json_document(results)["devices"][0], results[0]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_the_labels_cover_the_corpus(folder):
    if not (folder / "labels.yaml").is_file():
        pytest.skip(f"{folder} not present")
    labelled = {label["file"].split("/")[-1] for label in LABELS if label["folder"] == folder}
    outputs = {p.name for p in (folder / "outputs").glob("*.txt")}
    assert outputs == labelled


@pytest.mark.parametrize("label", LABELS, ids=_name)
def test_mode_agrees_with_the_label(label, knowledge):
    device, _ = _device(label, knowledge)
    assert device["licensing"]["mode"] == label["mode"]


@pytest.mark.parametrize("label", LABELS, ids=_name)
def test_verdict_agrees_with_the_label(label, knowledge):
    device, _ = _device(label, knowledge)
    loud = [f for f in device["findings"] if f["severity"] in LOUD]
    if label["healthy"] is True:
        assert loud == [], device["verdict"]
        assert device["verdict"].startswith(("OK:", "NOT DIAGNOSED:")), device["verdict"]
    elif label["healthy"] is False:
        assert loud, device["verdict"]
        quoted = [e["text"] for f in loud for e in f["evidence"]]
        for text in label["must_mention"]:
            assert any(text.lower() in q.lower() for q in quoted), (text, quoted)


@pytest.mark.parametrize("label", [lab for lab in LABELS if lab["facts"]],
                         ids=_name)
def test_facts_agree_with_the_label(label, knowledge):
    device, result = _device(label, knowledge)
    licensing = device["licensing"]
    for name, expected in label["facts"].items():
        got = licensing[name]
        if name == "last_ack_received":
            if expected == "<none>":
                assert got is None and result.facts.value("usage_reporting.never_acknowledged")
            else:
                when, _ = values.parse_datetime(expected, knowledge.catalog.timezones)
                assert got == when.isoformat(), (got, expected)
        elif isinstance(expected, str) and isinstance(got, str):
            assert got.upper() == expected.upper(), (name, got, expected)
        else:
            assert got == expected, (name, got, expected)
