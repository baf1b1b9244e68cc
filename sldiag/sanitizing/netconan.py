"""netconan, the network configuration anonymiser, over the configuration lines that could
hold what it removes."""

from __future__ import annotations

import re

NETCONAN_SALT = "sldiag"  # fixed: the same secret always gets the same substitute
# Every password and community regex of netconan needs one of these words in the line (the
# tests check this against netconan's own lists): other lines are left as they are, unread by
# netconan, which costs 100 us a line (minutes for a configuration of a million interfaces).
NETCONAN_WORDS = re.compile(r"pass|secret|key|auth|hostname|shared|wpa|hex|md5|community|snmp|"
                            r"ssh-|syscon|trap-group|\$[19]\$", re.IGNORECASE)


# netconan's own patterns grow badly with a line's length (a 1 MB line would take hours) and
# its work per line is far above ours: longer lines, and lines once a run has spent its share
# of time in netconan, are left to sldiag's own rules, which are linear.
MAX_NETCONAN_LINE = 4096
NETCONAN_BUDGET_SECONDS = 60.0
_SPENT = [0.0]


def netconan_lines(lines: list[str]) -> list[str]:
    """netconan's password anonymisation, line for line (same number of lines back), for
    the lines it could change. A line netconan cannot handle (it raises on some hashes it
    tries to re-create) is left to our own rules, as are lines over MAX_NETCONAN_LINE and
    every line once the run has spent NETCONAN_BUDGET_SECONDS in netconan."""
    if _SPENT[0] >= NETCONAN_BUDGET_SECONDS:
        return list(lines)
    wanted = [i for i, line in enumerate(lines)
              if len(line) <= MAX_NETCONAN_LINE and NETCONAN_WORDS.search(line)]
    if not wanted:
        return list(lines)
    import time

    started = time.perf_counter()
    out = list(lines)
    for i, text in zip(wanted, netconan_all([lines[i] for i in wanted]), strict=True):
        out[i] = text
    _SPENT[0] += time.perf_counter() - started
    return out


def netconan_all(lines: list[str]) -> list[str]:
    """netconan over every line given."""
    try:
        from netconan.anonymize_files import FileAnonymizer
    except ImportError:  # pragma: no cover - a dependency; without it our own rules remain
        return list(lines)
    import io
    import logging

    def run(chunk: list[str]) -> list[str]:
        out = io.StringIO()
        FileAnonymizer(anon_pwd=True, anon_ip=False, salt=NETCONAN_SALT).anonymize_io(
            io.StringIO("\n".join(chunk) + "\n"), out)
        result = out.getvalue().split("\n")[: len(chunk)]
        return result if len(result) == len(chunk) else list(chunk)

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # netconan warns on the root logger about scrubbed lines
    try:
        try:
            return run(lines)
        except Exception:  # noqa: BLE001 - netconan's own failure on odd input: line by line
            out = []
            for line in lines:
                try:
                    out += run([line])
                except Exception:  # noqa: BLE001
                    out.append(line)
            return out
    finally:
        logging.disable(previous)
