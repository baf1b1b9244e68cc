"""One SSH connection, as sldiag allows it: parameters rebuilt from the inventory just before
it opens (platform, address and extras checked, host keys and SSH config sldiag's own), host
keys remembered on request, and every failure said in one line."""

from __future__ import annotations

import os
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .allowlist import CommandRefused
from .checks import CollectError, address_problem, netmiko_platform, username_problem

# Connection extras an inventory may set: timeouts and how to authenticate. Anything else
# (host-key checks, device type, SSH config, session logs, sockets) is sldiag's to decide.
INVENTORY_EXTRAS = frozenset({
    "conn_timeout", "auth_timeout", "banner_timeout", "blocking_timeout", "timeout",
    "session_timeout", "keepalive", "global_delay_factor", "fast_cli", "read_timeout_override",
    "use_keys", "key_file", "passphrase", "allow_agent", "secret", "disabled_algorithms",
})


@dataclass
class CollectOptions:
    output_dir: Path | None = None
    read_timeout: float = 60.0
    analyse: bool = True
    known_hosts: Path | None = None
    accept_new_host_keys: bool = False
    show_secrets: bool = False   # keep passwords and keys in the captures written
    conn_timeout: float = 10.0
    ssh_config: Path | None = None   # OpenSSH config: ProxyJump / ProxyCommand to reach devices
    capture_names: dict[str, str] = field(default_factory=dict)  # host -> unique file stem


def connection_for(host: Any, options: CollectOptions) -> tuple[Any, list[str]]:
    """The netmiko connection options sldiag allows for ``host``, and the inventory extras it
    ignored. Raises CollectError, before any connection, for a platform other than SSH to
    IOS/IOS-XE or an entry without an address."""
    from nornir.core.inventory import ConnectionOptions

    params = host.get_connection_parameters("netmiko")
    platform = netmiko_platform(params.platform)
    problem = address_problem(params.hostname) or username_problem(params.username)
    if problem:
        raise CollectError(f"{problem}; nothing was connected")
    port = params.port
    if port is not None and (not isinstance(port, int) or isinstance(port, bool)
                             or not 0 < port < 65536):
        raise CollectError(f"port '{port}' is not a TCP port number")
    extras = params.extras if isinstance(params.extras, dict) else {}
    ignored = sorted(str(k) for k in extras if k not in INVENTORY_EXTRAS)
    timeout = options.conn_timeout
    merged: dict[str, Any] = {"conn_timeout": timeout, "auth_timeout": timeout,
                              "banner_timeout": timeout, "fast_cli": True}
    merged.update({k: v for k, v in extras.items() if k in INVENTORY_EXTRAS})
    if host.get("secret"):
        merged.setdefault("secret", host.get("secret"))
    merged.update(host_key_extras(options))   # always last: nothing overrides these
    return ConnectionOptions(hostname=params.hostname, port=port, username=params.username,
                             password=params.password, platform=platform,
                             extras=merged), ignored


_HOST_KEY_LOCK = threading.Lock()


def save_host_key(connection: Any, options: CollectOptions) -> None:
    """With --accept-new-host-keys, remember first-seen keys (like OpenSSH accept-new)."""
    if not options.accept_new_host_keys or options.known_hosts is None:
        return
    client = getattr(connection, "remote_conn_pre", None)
    if client is None:
        return
    with _HOST_KEY_LOCK:
        options.known_hosts.parent.mkdir(parents=True, exist_ok=True)
        import paramiko

        keys = paramiko.HostKeys()
        if options.known_hosts.exists():
            keys.load(str(options.known_hosts))
        for host, entries in client.get_host_keys().items():
            for key_type, key in entries.items():
                known = keys.lookup(host)
                if known is None or key_type not in known:
                    keys.add(host, key_type, key)
        keys.save(str(options.known_hosts))


def default_known_hosts() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sldiag" / "known_hosts"


def host_key_extras(options: CollectOptions) -> dict[str, Any]:
    """What only sldiag's options decide: host keys checked (RejectPolicy unless
    --accept-new-host-keys), both known_hosts files, and the SSH config for jump hosts."""
    known = options.known_hosts or default_known_hosts()
    return {
        "ssh_strict": not options.accept_new_host_keys,
        "system_host_keys": True,                          # ~/.ssh/known_hosts
        "alt_host_keys": True, "alt_key_file": str(known),  # and sldiag's own
        "ssh_config_file": str(options.ssh_config) if options.ssh_config else None,
    }


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def explain_failure(exc: BaseException) -> str:
    """A clear reason for the results table: auth failed, timeout, refused, host key ..."""
    import paramiko
    from netmiko import exceptions as nx

    if isinstance(exc, CollectError | CommandRefused):
        return str(exc)
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain)
    if ("Error reading SSH protocol banner" in text or "Indecipherable protocol" in text
            or "No existing session" in text):
        # ("No existing session": paramiko's other way of saying the greeting never came.)
        if ("No existing session" in text
                or any(isinstance(e, TimeoutError | socket.timeout) for e in chain)):
            return ("timeout waiting for the SSH greeting (the service on this port may not "
                    "be SSH; nothing was sent)")
        return ("not an SSH server on this port (it did not greet with SSH; nothing was "
                "sent)")
    if any(isinstance(e, paramiko.BadHostKeyException) for e in chain):
        return ("host key mismatch: the device's key changed (refused; check it, then update "
                "known_hosts)")
    if any(isinstance(e, ConnectionRefusedError | paramiko.ssh_exception.NoValidConnectionsError)
           for e in chain):
        return "connection refused (nothing listening on the SSH port)"
    if "not found in known_hosts" in text:
        return "unknown host key (not in known_hosts; use --accept-new-host-keys to trust it once)"
    if isinstance(exc, nx.NetmikoAuthenticationException):
        return "authentication failed (username or password refused)"
    if "Connection refused" in text or "[Errno 111]" in text:  # wrapped without a cause
        return "connection refused (nothing listening on the SSH port)"
    if isinstance(exc, nx.ReadTimeout):
        match = re.search(r"Pattern not detected: .*?'(.*?)'", text)
        return "timeout waiting for the device to answer" + (
            f" (after {match.group(1)})" if match else "")
    if ("not resolvable in DNS" in text or "Name or service not known" in text
            or "nodename nor servname" in text
            or any(isinstance(e, socket.gaierror) for e in chain)):
        return "the name does not resolve (DNS: no such host; nothing was sent)"
    if isinstance(exc, (nx.NetmikoTimeoutException, TimeoutError)):
        return "timeout connecting to the device"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"{type(exc).__name__}: {first}"
