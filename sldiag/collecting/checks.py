"""What an inventory may say: a platform sldiag knows (SSH to IOS/IOS-XE only), a host that is
a DNS name or an IP literal, a username with nothing a shell or an SSH config could read as
more than a name. Checked before any connection; anything else is one line naming the entry,
and that device is never connected to."""

from __future__ import annotations

import re
from typing import Any

from ..model.platforms import PLATFORMS, platform_named


class CollectError(Exception):
    """Why a device could not be collected, in one line (auth failed, timeout, ...)."""


# A host name as DNS writes it: labels of letters, digits, '-' and '_' (seen in lab names),
# none starting with '-'. Anything else (spaces, quotes, option-like text) could become an
# argument of the `ssh -W host:port` command netmiko builds for a jump host, or be expanded
# into a ProxyCommand (%h): it is refused, never quoted or escaped.
_DNS_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})")
_SCOPE_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_USERNAME_UNSAFE = frozenset(" \t\n\r\x0b\x0c'\"`$;&|<>()*?[]{}!#~\\%")


def address_problem(value: Any) -> str | None:
    """Why an inventory's host is not a DNS name or an IP literal (None when it is one)."""
    import ipaddress

    if not isinstance(value, str) or not value:
        return "no hostname or address in the inventory entry"
    shown = repr(value[:80])
    address, percent, scope = value.partition("%")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if ip is not None:
        if percent and (ip.version != 6 or not _SCOPE_ID.fullmatch(scope)):
            return f"host {shown} is not an IP address (bad zone)"
        return None
    name = value[:-1] if value.endswith(".") else value
    labels = name.split(".")
    if (len(value) > 253 or not name
            or not all(_DNS_LABEL.fullmatch(label) for label in labels)
            or labels[-1].isdigit()):
        return (f"host {shown} is not a DNS name or an IP address (letters, digits, '-', "
                "'_' and dots only)")
    return None


def username_problem(value: Any) -> str | None:
    """Why a username could not be used safely (control characters, spaces, shell
    characters that an SSH config's ProxyCommand %r would expand); None when it can."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return "username is not text"
    if (len(value) > 128 or not value.isprintable()
            or any(c in _USERNAME_UNSAFE for c in value)):
        return ("username refused (control characters, spaces, quotes or shell characters "
                "are not accepted)")
    return None


def netmiko_platform(given: Any) -> str:
    """The netmiko driver for an inventory's platform (any alias, any case, NetBox slugs;
    none: the default); CollectError before any connection for one sldiag does not take."""
    platform = platform_named(given)
    if platform is None:
        # The names, and the short aliases NAPALM and Scrapli inventories use.
        names = ", ".join([*PLATFORMS, *(a for p in PLATFORMS.values() for a in p.aliases[:2])])
        raise CollectError(f"platform '{given}' refused: sldiag connects only over SSH to "
                           f"IOS/IOS-XE ({names}); nothing was sent")
    return platform.name
