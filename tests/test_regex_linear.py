"""Every regular expression in sldiag/, rules/ and parsers/ (and the ntc-templates the index
uses) runs in linear time on any line: adversarial lines of 100 KB (tests/regexes.py) cost at
most RATIO times what a normal line of the same length costs, and four times the length never
costs much more than four times the time (a quadratic pattern costs sixteen)."""

from __future__ import annotations

import time

import pytest

from .regexes import LINE_BYTES, adversarial_lines, all_patterns, normal_line

PATTERNS = list({(p.regex.pattern, p.regex.flags, p.anchored): p for p in all_patterns()}
                .values())
RATIO = 1000            # adversarial / normal line of the same length
FLOOR_SECONDS = 2e-4    # a normal line's time, at least this (reading 100 KB costs about it)
SCALING = 10.0          # time(4x length) / time(length): linear is 4, quadratic 16 (noise margin)


def _time(run, line: str) -> float:
    start = time.perf_counter()
    run(line)
    return time.perf_counter() - start


def test_every_place_patterns_live_is_covered():
    where = {p.where.split(":")[0].split(".py")[0] for p in PATTERNS}
    assert any(w.startswith("sldiag/") for w in where)
    assert "rules/redaction" in {w.rsplit(".", 1)[0] for w in where}
    assert any(w.endswith(".textfsm") for w in where)
    assert len(PATTERNS) > 400


@pytest.mark.parametrize("chunk", range(8))
def test_patterns_run_in_linear_time(chunk):
    normal = normal_line()
    slow = []
    for pattern in PATTERNS[chunk::8]:
        run = pattern.regex.match if pattern.anchored else pattern.regex.search
        base = max(_time(run, normal), FLOOR_SECONDS)
        for line in adversarial_lines(pattern.regex, LINE_BYTES):
            spent = _time(run, line)
            if spent > RATIO * base:
                slow.append((pattern.where, round(spent / base), line[:40]))
                break
            if spent > 0.02:  # long enough to measure: check how it grows
                # A quarter of the line with the same ending: cut short, a line of colons
                # ending in ':' matches at once where the whole line (ending otherwise) has to
                # be scanned, a difference of shape, not of length.
                quarter = line[: len(line) // 4 - 16] + line[-16:]
                # Interleaved, best of five each: a busy machine (other tests' threads) slows
                # one run, not the best of several taken side by side.
                small, again = 1.0, 1.0
                for _ in range(5):
                    small = min(small, _time(run, quarter))
                    again = min(again, _time(run, line))
                small = max(small, 1e-6)
                if again / small > SCALING:
                    slow.append((pattern.where, f"x{again / small:.1f} for 4x length",
                                 line[:40]))
                    break
    assert slow == []
