"""A live console's residue, generated over a composed session: an echo wrapped at every
position, a log message printed into the middle of any output line, --More-- inside a line.
Each must read as the clean session reads: same licensing state, same findings."""

from __future__ import annotations

import pytest

from sldiag.render.documents import report_document

from .conftest import SAMPLES, analyse_text

SESSION = (SAMPLES / "08-out-of-compliance.session.log").read_text()
PROMPT = "SW-ACC-31#"
LOG = "*Sep 17 09:01:44.052: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/7, changed state to up"


def _summary(text: str, knowledge) -> tuple:
    (device,) = report_document(analyse_text(text, knowledge))["devices"]
    licensing = {k: v for k, v in device["licensing"].items() if k != "mode_marker"}
    return licensing, sorted(f["id"] for f in device["findings"])


@pytest.fixture(scope="module")
def clean(knowledge):
    return _summary(SESSION, knowledge)


def test_an_echo_wrapped_anywhere_is_one_command(clean, knowledge):
    typed = [line[len(PROMPT):] for line in SESSION.splitlines()
             if line.startswith(PROMPT) and line[len(PROMPT):].startswith("show license")]
    assert typed
    for command in typed:
        for at in range(2, len(command) - 1):
            if command[at - 1] == " " or command[at] == " ":
                continue  # a wrap at a blank: the terminal keeps it at the line's end
            wrapped = SESSION.replace(f"{PROMPT}{command}\n",
                                      f"{PROMPT}{command[:at]}\n{command[at:]}\n", 1)
            assert _summary(wrapped, knowledge) == clean, (command, at)


def test_a_log_message_inside_any_output_line_is_taken_out(clean, knowledge):
    lines = SESSION.splitlines()
    start = lines.index(f"{PROMPT}show license all") + 1
    end = next(n for n in range(start, len(lines)) if lines[n].startswith(PROMPT))
    for n in range(start, end):
        line = lines[n]
        if len(line.strip()) < 4:
            continue
        cut = len(line) - len(line.lstrip()) + len(line.strip()) // 2
        if not (line[cut - 1].isalnum() and line[cut].isalnum()):
            continue  # only a word cut in two is rejoined
        glued = [*lines[:n], line[:cut] + LOG, line[cut:], *lines[n + 1:]]
        assert _summary("\n".join(glued) + "\n", knowledge) == clean, line


def test_more_inside_a_line_is_removed(clean, knowledge):
    lines = SESSION.splitlines()
    at = next(n for n, line in enumerate(lines) if "Status: OUT OF COMPLIANCE on" in line)
    line = lines[at]
    lines[at] = line[:12] + " --More-- " + line[12:]
    assert _summary("\n".join(lines) + "\n", knowledge) == clean
