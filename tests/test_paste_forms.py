"""What engineers paste, in every form generated here from one composed session: indented
with no-break spaces or tabs, quoted with "> ", blank lines lost, CRLF, and cut after any
line. Nothing that holds device output is refused; what was read is judged; the cut is
said in the verdict; the line a file stops inside is not read."""

from __future__ import annotations

import pytest

from sldiag.analysis.run import analyse_capture
from sldiag.reading.read import decode_capture
from sldiag.render.documents import report_document
from sldiag.sanitizing.sanitizer import Sanitizer

from .conftest import SAMPLES

SESSION = (SAMPLES / "08-out-of-compliance.session.log").read_text().splitlines()
# The bare show license all of the session (its prompt line and the next command left out).
OUTPUT = SESSION[SESSION.index("SW-ACC-31#show license all") + 1:]
OUTPUT = OUTPUT[:next(n for n, line in enumerate(OUTPUT) if line.startswith("SW-ACC-31#"))]
LOUD = {"critical", "error", "warning"}


def _indent_with(pad: str):
    return lambda lines: [pad * (len(x) - len(x.lstrip(" "))) + x.lstrip(" ") for x in lines]


FORMS = {
    "as-printed": lambda lines: lines,
    "no-break-spaces": _indent_with("\u00a0"),
    "no-break-spaces-everywhere": lambda lines: [x.replace(" ", "\u00a0") for x in lines],
    "tabs": lambda lines: ["\t" + x.lstrip() if x.startswith("  ") else x for x in lines],
    "blank-lines-lost": lambda lines: [x for x in lines if x.strip()],
    "mail-quoted": lambda lines: [f"> {x}".rstrip() for x in lines],
    "indented-block-crlf": lambda lines: [f"    {x}\r" for x in lines],
    "zero-width-joiners": lambda lines: [x.replace(": ", ":\u200b ") for x in lines],
}
# From the first line that makes the output recognisable to the whole output.
CUTS = range(4, len(OUTPUT) + 1)


def _analyse(lines: list[str], newline_at_end: bool = True):
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    capture = decode_capture("paste.txt", text.encode("utf-8"))
    (device,) = report_document(analyse_capture(capture, _analyse.knowledge,
                                                Sanitizer()))["devices"]
    return device


@pytest.fixture(autouse=True)
def _knowledge(knowledge):
    _analyse.knowledge = knowledge  # type: ignore[attr-defined]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_cut_of_every_form_is_read(form):
    transform = FORMS[form]
    for cut in CUTS:
        kept = OUTPUT[:cut]
        device = _analyse(transform(kept))
        assert device["licensing"]["mode"] == "smart-licensing", (form, cut)
        quoted = [e["text"] for f in device["findings"] if f["severity"] in LOUD
                  for e in f["evidence"]]
        if any("OUT OF COMPLIANCE on" in line for line in kept):
            assert any("OUT OF COMPLIANCE" in q for q in quoted), (form, cut, device["verdict"])
        whole = any(line.startswith("Smart Agent for Licensing:") for line in kept)
        assert ("not judged: the rest of 'show license all'" in device["verdict"]) != whole, (
            form, cut, device["verdict"])


def test_a_line_the_file_stops_inside_is_not_read():
    at = next(n for n, line in enumerate(OUTPUT) if "Status: OUT OF COMPLIANCE" in line)
    cut_line = OUTPUT[at][:OUTPUT[at].index("OUT OF") + 6]      # "  Status: OUT OF"
    device = _analyse(OUTPUT[:at] + [cut_line], newline_at_end=False)
    assert device["licensing"]["authorization_status"] is None
    assert device["verdict"].endswith(f"after line {at})"), device["verdict"]


def test_the_cut_is_a_gap_naming_the_part_cut(knowledge):
    at = next(n for n, line in enumerate(OUTPUT) if line.strip().startswith("Count:"))
    capture = decode_capture("paste.txt", ("\n".join(OUTPUT[:at + 1]) + "\n").encode())
    (result,) = analyse_capture(capture, knowledge, Sanitizer())
    (gap,) = [g for g in result.gaps if g.command == "show license all"]
    assert gap.line == at + 1 and "Count:" in gap.text
    assert "in 'License Usage'" in gap.reason and "not judged" in gap.reason
