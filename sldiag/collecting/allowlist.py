"""Every command sldiag may send, per platform: the security boundary, in code on purpose.

The collection plan (parsers/collection.yaml) chooses among these; no data can add to them,
and a platform without an entry here cannot be collected from. :func:`send_allowed` is the
one place a command is written to a device.
"""

from __future__ import annotations

from typing import Any

# Read-only by construction: show commands, plus the terminal settings netmiko needs for a
# clean session.
_IOS_SHOW = frozenset({
    "terminal length 0", "terminal width 511",
    "show version", "show clock", "show clock detail", "show running-config",
    "show license all", "show license status", "show license summary", "show license usage",
    "show license udi", "show license eventlog 7", "show license eventlog",
    "show license tech support", "show license history message",
    "show call-home profile all", "show logging", "show inventory", "show switch",
    "show processes cpu sorted",
})
ALLOWED_BY_PLATFORM: dict[str, frozenset[str]] = {"cisco_xe": _IOS_SHOW, "cisco_ios": _IOS_SHOW}
# Every command of every platform (what a plan may name at all).
ALLOWED_COMMANDS = frozenset().union(*ALLOWED_BY_PLATFORM.values())
# What netmiko itself types around them: `enable` (and the secret at its Password: prompt)
# only when an enable secret is given, `exit` to leave the session. Nothing else is written.
SESSION_COMMANDS = frozenset({"enable", "exit"})


class CommandRefused(Exception):
    """A command outside the allow-list; raised before anything is sent."""


def allowed(platform: str, command: str) -> bool:
    return command in ALLOWED_BY_PLATFORM.get(platform, frozenset())


def send_allowed(connection: Any, command: str, read_timeout: float,
                 platform: str = "cisco_xe") -> str:
    """The one place a command is sent to a device."""
    if not allowed(platform, command):
        raise CommandRefused(f"'{command}' is not an allow-listed read-only command")
    output: str = connection.send_command(command, read_timeout=read_timeout,
                                          strip_prompt=True, strip_command=True)
    return output
