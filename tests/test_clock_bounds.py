"""No clock in the capture, yet its own dates prove one: the latest date the device printed
as past is the earliest its clock can read. A deadline before that bound has passed ("at
least N days"), one after it is unknown; the bound used is said, and its line quoted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sldiag.render.documents import report_document

from .conftest import analyse_text


def _usage(last_ack: str, deadline: str, next_push: str, last_push: str = "<none>",
           interval: int = 30) -> str:
    return ("Smart Licensing Using Policy:\n  Status: ENABLED\n\nUsage Reporting:\n"
            f"  Last ACK received: {last_ack}\n  Next ACK deadline: {deadline}\n"
            f"  Reporting push interval: {interval}  days\n  Next ACK push check: <none>\n"
            f"  Next report push: {next_push}\n  Last report push: {last_push}\n"
            "  Last report file write: <none>\n")


def _one(text: str, knowledge):
    (result,) = analyse_text(text, knowledge)
    (device,) = report_document([result])["devices"]
    return result, device


def test_a_next_push_proves_an_ack_deadline_passed(knowledge):
    text = _usage("Sep 21 09:12:41 2024 UTC", "Nov 20 09:12:41 2024 UTC",
                  "Mar 03 09:08:36 2025 UTC")
    result, device = _one(text, knowledge)
    # The next push is at most one 30-day interval after the last: the clock read at least
    # Feb 01 2025 09:08:36, 73 days after the deadline.
    assert device["clock"]["exact"] is False
    assert device["clock"]["time"].startswith("2025-02-01T09:08:36")
    assert "Next report push" in device["clock"]["source"]
    (overdue,) = [f for f in device["findings"] if f["id"] == "slup-ack-overdue"]
    assert "at least 73 days" in overdue["explanation"]
    assert any(e["text"].strip().startswith("Next report push:") for e in overdue["evidence"])
    (deadline,) = result.state.deadlines
    assert (deadline.days, deadline.at_least) == (-73, True)


def test_a_deadline_after_the_bound_is_unknown_not_near(knowledge):
    # The bound proves Feb 01 2025; the deadline (Feb 20) may be near or long past.
    text = _usage("Dec 22 09:12:41 2024 UTC", "Feb 20 09:12:41 2025 UTC",
                  "Mar 03 09:08:36 2025 UTC")
    result, device = _one(text, knowledge)
    ids = {f["id"] for f in device["findings"]}
    assert "slup-ack-overdue" not in ids
    assert not any("soon" in f["title"].lower() or "near" in f["title"].lower()
                   for f in device["findings"] if f["severity"] != "info"), ids
    assert result.state.deadlines[0].days is None


@pytest.mark.parametrize("proof, line, expected", [
    ("last report push", "  Last report push: Jan 30 10:00:00 2025 UTC",
     datetime(2025, 1, 30, 10, tzinfo=UTC)),
    ("last ACK", None, datetime(2024, 9, 21, 9, 12, 41, tzinfo=UTC)),
    ("a log message", "*Jan 31 2025 11:00:00.000 UTC: %SMART_LIC-6-REPORTING_REQUIRED: "
     "A Usage report acknowledgement will be required in 60 days.",
     datetime(2025, 1, 31, 11, tzinfo=UTC)),
])
def test_each_kind_of_proof_sets_the_bound(proof, line, expected, knowledge):
    text = _usage("Sep 21 09:12:41 2024 UTC", "Nov 20 09:12:41 2024 UTC", "<none>")
    if line and line.startswith("  Last report push"):
        text = text.replace("  Last report push: <none>", line)
    elif line:
        text += "\n" + line + "\n"
    result, _ = _one(text, knowledge)
    clock = result.reference_time
    assert clock is not None and not clock.exact, proof
    assert clock.when.replace(tzinfo=clock.when.tzinfo or UTC) == expected, proof


def test_a_clock_shown_wins_over_any_bound(knowledge):
    text = ("SW1#show clock\n10:00:00.000 UTC Mon Nov 18 2024\nSW1#show license status\n"
            + _usage("Sep 21 09:12:41 2024 UTC", "Nov 20 09:12:41 2024 UTC",
                     "Mar 03 09:08:36 2025 UTC") + "SW1#\n")
    result, device = _one(text, knowledge)
    assert device["clock"]["exact"] is True
    assert "slup-ack-overdue" not in {f["id"] for f in device["findings"]}
    assert result.state.deadlines[0].days == 1  # 1 day 23 hours ahead


def test_no_date_no_bound(knowledge):
    result, device = _one("Smart Licensing Using Policy:\n  Status: ENABLED\n", knowledge)
    assert result.reference_time is None and device["clock"] is None
