"""What engineers paste rather than save: a web forum post (no-break spaces for the
indentation, blank lines lost, the output cut where the poster stopped copying), a mail
quoted with "> "."""

from __future__ import annotations

from .blocks import STATES, SW, LicenseState, show_license_all


def web_paste(text: str) -> str:
    """As a web page hands it back: indentation in no-break spaces, blank lines gone."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        body = line.lstrip(" ")
        out.append("\u00a0" * (len(line) - len(body)) + body)
    return "\n".join(out) + "\n"


def cut_after(text: str, last: str) -> str:
    """The text up to and including the first line that starts with ``last`` (stripped)."""
    kept = []
    for line in text.split("\n"):
        kept.append(line)
        if line.strip().startswith(last):
            break
    return "\n".join(kept) + "\n"


def quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.rstrip("\n").split("\n")) + "\n"


def paste_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    ooc = STATES["scenario-08"]
    whole = show_license_all(SW, ooc)
    # Cut inside License Usage: the state is all there, the entitlements are not.
    ex["pastes/forum-ooc-cut-in-usage.txt"] = web_paste(cut_after(whole, "Count:"))
    # The poster kept the status line only: no attempt line, so no claim about it.
    status_only = LicenseState(ooc.reg, ooc.auth[:1], usage_status=ooc.usage_status)
    ex["pastes/forum-ooc-status-only.txt"] = web_paste(
        cut_after(show_license_all(SW, status_only), "Description:"))
    ex["pastes/mail-quoted-ooc.txt"] = quoted(whole)
    return ex
