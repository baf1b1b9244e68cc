"""Live collection: read-only show commands from switches, one or a whole fleet, over SSH.

Only :data:`ALLOWED_COMMANDS` can ever reach a device: :func:`send_allowed` is the one place
commands are sent, and it refuses anything else before a byte leaves. Fleets run on Nornir
(threaded runner, netmiko connection plugin, any inventory plugin); sldiag's collect-and-analyse
step is the public Nornir task :func:`collect_licensing`. Nothing here is imported by
``sldiag analyze`` on saved captures.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parsing import REJECTED_OUTPUT  # what a device prints for a command it refuses

# Every command sldiag may send. Read-only by construction: show commands, plus the
# terminal settings netmiko needs for a clean session.
ALLOWED_COMMANDS = frozenset({
    "terminal length 0", "terminal width 511",
    "show version", "show clock", "show running-config",
    "show license all", "show license status", "show license summary", "show license usage",
    "show license udi", "show license eventlog 7", "show license tech support",
    "show license history message", "show call-home profile all", "show logging",
    "show inventory", "show switch",
})
# What is collected, by licensing generation (decided from show version).
PLAN_COMMON = ["show clock", "show running-config", "show call-home profile all", "show switch",
               "show inventory"]
PLAN_LEGACY = ["show license all", "show license status", "show license summary",
               "show license usage", "show license udi", "show license eventlog 7",
               "show logging"]
PLAN_POLICY = ["show license tech support", "show license status", "show license usage",
               "show license udi", "show license eventlog 7", "show license history message",
               "show logging"]


class CommandRefused(Exception):
    """A command outside the allow-list; raised before anything is sent."""


class CollectError(Exception):
    """Why a device could not be collected, in one line (auth failed, timeout, ...)."""


def send_allowed(connection: Any, command: str, read_timeout: float) -> str:
    """The one place a command is sent to a device."""
    if command not in ALLOWED_COMMANDS:
        raise CommandRefused(f"'{command}' is not an allow-listed read-only command")
    return connection.send_command(command, read_timeout=read_timeout, strip_prompt=True,
                                   strip_command=True)


def plan_for(show_version: str) -> list[str]:
    """The commands to run, by generation: read from show version as `analyze` would."""
    from .capture import clean_text
    from .engine import licensing_mode
    from .parsing import extract_facts
    from .pipeline import Knowledge
    from .sections import split_capture

    knowledge = _knowledge(Knowledge)
    capture = clean_text("show version", f"X#show version\n{show_version}\nX#\n")
    facts, _ = extract_facts(split_capture(capture, knowledge.catalog)[0], capture.lines,
                             knowledge.catalog)
    policy = licensing_mode(facts, knowledge.modes) == "smart-licensing-using-policy"
    return PLAN_COMMON + (PLAN_POLICY if policy else PLAN_LEGACY)


@dataclass
class DeviceCapture:
    """What one device printed, in the session-log form `sldiag analyze` reads."""

    name: str
    prompt: str
    outputs: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = []
        for command, output in self.outputs:
            lines.append(f"{self.prompt}{command}")
            if output:
                lines.append(output.rstrip("\n"))
        lines.append(self.prompt)
        return "\n".join(lines) + "\n"


def collect_from(connection: Any, name: str, read_timeout: float = 60.0) -> DeviceCapture:
    """Run the plan on an open netmiko connection (enable mode if a secret was given)."""
    prompt = connection.find_prompt()
    capture = DeviceCapture(name=name, prompt=prompt)
    version = send_allowed(connection, "show version", read_timeout)
    capture.outputs.append(("show version", version))
    for command in plan_for(version):
        output = send_allowed(connection, command, read_timeout)
        capture.outputs.append((command, output))
        if REJECTED_OUTPUT.search(output):
            capture.rejected.append(command)  # recorded in the capture, and skipped
    return capture


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

    chain = _chain(exc)
    if any(isinstance(e, paramiko.BadHostKeyException) for e in chain):
        return ("host key mismatch: the device's key changed (refused; check it, then update "
                "known_hosts)")
    if any(isinstance(e, ConnectionRefusedError | paramiko.ssh_exception.NoValidConnectionsError)
           for e in chain):
        return "connection refused (nothing listening on the SSH port)"
    text = " ".join(str(e) for e in chain)
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
    if isinstance(exc, (nx.NetmikoTimeoutException, TimeoutError)):
        return "timeout connecting to the device"
    if isinstance(exc, CommandRefused):
        return str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"{type(exc).__name__}: {first}"


# ---------------------------------------------------------------------------------------
# Nornir: the fleet engine.

@dataclass
class CollectOptions:
    output_dir: Path | None = None
    read_timeout: float = 60.0
    analyse: bool = True
    known_hosts: Path | None = None
    accept_new_host_keys: bool = False
    show_secrets: bool = False   # keep passwords and keys in the captures written


def collect_licensing(task: Any, options: CollectOptions | None = None) -> Any:
    """Nornir task: collect the licensing commands from ``task.host`` and analyse them.

    Returns a nornir Result whose ``result`` is a dict: ``capture`` (the file written, if an
    output folder was given), ``rejected`` (commands the device refused), and ``devices`` (the
    analysis, in the JSON report's device form). Usable in a team's own Nornir scripts::

        from sldiag.collect import collect_licensing
        results = nr.run(task=collect_licensing)
    """
    from nornir.core.task import Result

    options = options or CollectOptions()
    connection = task.host.get_connection("netmiko", task.nornir.config)
    try:
        if task.host.get("secret") or connection.secret:
            connection.enable()
        capture = collect_from(connection, task.host.name, options.read_timeout)
    finally:
        _save_host_key(connection, options)
    text = capture.text()
    if not options.show_secrets:  # a running-config holds them; nothing sldiag writes does
        from .sanitize import Sanitizer

        text = "\n".join(Sanitizer().lines(text.split("\n")))
    written = None
    if options.output_dir is not None:
        written = options.output_dir / f"{_safe_name(task.host.name)}.log"
        from .report import write_atomically

        write_atomically(written, text, mode=0o600)  # a capture describes the network
    devices: list[dict[str, Any]] = []
    if options.analyse:
        from .capture import clean_text
        from .pipeline import Knowledge, analyse_capture
        from .report import to_json_document
        from .sanitize import Sanitizer

        name = str(written) if written else f"{task.host.name} (live)"
        results = analyse_capture(clean_text(name, text), _knowledge(Knowledge), Sanitizer())
        devices = to_json_document(results)["devices"]
    return Result(host=task.host, result={"capture": str(written) if written else None,
                                          "rejected": capture.rejected, "devices": devices,
                                          "text": text})


_KNOWLEDGE: Any = None
_KNOWLEDGE_LOCK = threading.Lock()


def _knowledge(cls: Any) -> Any:
    global _KNOWLEDGE
    with _KNOWLEDGE_LOCK:
        if _KNOWLEDGE is None:
            _KNOWLEDGE = cls.load()
    return _KNOWLEDGE


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "device"


_HOST_KEY_LOCK = threading.Lock()


def _save_host_key(connection: Any, options: CollectOptions) -> None:
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
                if keys.lookup(host) is None or key_type not in keys.lookup(host):
                    keys.add(host, key_type, key)
        keys.save(str(options.known_hosts))


def default_known_hosts() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sldiag" / "known_hosts"


def netmiko_extras(options: CollectOptions, conn_timeout: float) -> dict[str, Any]:
    """Connection options for Nornir's netmiko plugin: host keys checked by default."""
    known = options.known_hosts or default_known_hosts()
    return {
        "ssh_strict": not options.accept_new_host_keys,   # RejectPolicy unless accept-new
        "system_host_keys": True,                          # ~/.ssh/known_hosts
        "alt_host_keys": True, "alt_key_file": str(known),  # and sldiag's own
        "conn_timeout": conn_timeout, "auth_timeout": conn_timeout,
        "banner_timeout": conn_timeout, "fast_cli": True,
    }


def build_nornir(hosts: list[dict[str, Any]] | None = None, inventory: Path | None = None,
                 nornir_config: Path | None = None, workers: int = 10,
                 username: str | None = None, password: str | None = None,
                 secret: str | None = None, extras: dict[str, Any] | None = None) -> Any:
    """A Nornir object from --host entries, a SimpleInventory file, or a Nornir config."""
    import logging

    from nornir import InitNornir
    from nornir.core.inventory import ConnectionOptions
    from nornir.core.plugins.connections import ConnectionPluginRegister

    ConnectionPluginRegister.auto_register()  # netmiko's plugin, also without InitNornir
    # Nornir logs failed tasks with tracebacks; sldiag reports a one-line reason instead.
    nornir_log = logging.getLogger("nornir")
    nornir_log.addHandler(logging.NullHandler())
    nornir_log.propagate = False
    if nornir_config is not None:
        nr = InitNornir(config_file=str(nornir_config),
                        runner={"plugin": "threaded", "options": {"num_workers": workers}})
    elif inventory is not None:
        folder = inventory.parent
        nr = InitNornir(
            runner={"plugin": "threaded", "options": {"num_workers": workers}},
            inventory={"plugin": "SimpleInventory", "options": {
                "host_file": str(inventory),
                "group_file": str(folder / "groups.yaml"),
                "defaults_file": str(folder / "defaults.yaml")}},
            logging={"enabled": False})
    else:
        nr = _nornir_from_hosts(hosts or [], workers)
    for host in nr.inventory.hosts.values():
        host.username = host.username or username
        host.password = host.password or password
        if secret and not host.get("secret"):
            host.data["secret"] = secret
        host.platform = host.platform or "cisco_xe"
        current = host.connection_options.get("netmiko")
        merged = {**(extras or {}), **((current.extras or {}) if current else {})}
        if host.get("secret"):
            merged.setdefault("secret", host.get("secret"))
        host.connection_options["netmiko"] = ConnectionOptions(
            hostname=current.hostname if current else None,
            port=current.port if current else None,
            username=current.username if current else None,
            password=current.password if current else None,
            platform=(current.platform if current and current.platform else
                      {"ios": "cisco_xe", "iosxe": "cisco_xe"}.get(host.platform, host.platform)),
            extras=merged)
    return nr


def _nornir_from_hosts(hosts: list[dict[str, Any]], workers: int) -> Any:
    from nornir.core import Nornir
    from nornir.core.configuration import Config
    from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
    from nornir.plugins.runners import ThreadedRunner

    inventory_hosts = Hosts()
    for entry in hosts:
        name = entry.get("name") or entry["hostname"]
        inventory_hosts[name] = Host(name=name, hostname=entry["hostname"],
                                     port=entry.get("port"), platform="cisco_xe")
    config = Config(runner={"plugin": "threaded", "options": {"num_workers": workers}},
                    logging={"enabled": False})
    return Nornir(inventory=Inventory(hosts=inventory_hosts, groups=Groups(),
                                      defaults=Defaults()),
                  runner=ThreadedRunner(num_workers=workers), config=config)


def parse_host(text: str) -> dict[str, Any]:
    """'10.0.0.5', 'sw1.example.net:2222', 'name=10.0.0.5:22' -> a host entry."""
    name = None
    if "=" in text:
        name, text = text.split("=", 1)
    host, port = text, None
    if text.count(":") == 1:
        host, port_text = text.split(":")
        port = int(port_text)
    default = host if port is None else f"{host}:{port}"
    return {"name": name or default, "hostname": host, "port": port}


def read_host_list(path: Path) -> list[dict[str, Any]]:
    """A plain text file of hosts, one per line; # starts a comment."""
    hosts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            hosts.append(parse_host(line))
    return hosts


@dataclass
class FleetOutcome:
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> task result
    failed: dict[str, str] = field(default_factory=dict)                # name -> reason


def run_fleet(nr: Any, options: CollectOptions,
              on_done: Callable[[str, bool], None] | None = None) -> FleetOutcome:
    """Run collect_licensing on every host; one device's failure never stops the others."""
    processors = [_Progress(on_done)] if on_done else []
    aggregated = nr.with_processors(processors).run(task=collect_licensing, options=options,
                                                    name="sldiag collect")
    outcome = FleetOutcome()
    for name, multi in sorted(aggregated.items()):
        if multi.failed:
            exc = next((r.exception for r in multi if r.exception), None)
            if os.environ.get("SLDIAG_DEBUG") and exc is not None:
                import traceback

                traceback.print_exception(exc)
            outcome.failed[name] = explain_failure(exc) if exc else "failed"
        else:
            outcome.collected[name] = multi[0].result
    # Close every connection: the threads are done with them.
    nr.close_connections(on_good=True, on_failed=True)
    return outcome


class _Progress:
    """A Nornir processor that reports each finished host (drives the progress bar)."""

    def __init__(self, on_done: Callable[[str, bool], None] | None):
        self.on_done = on_done

    def task_started(self, task: Any) -> None: ...
    def task_completed(self, task: Any, result: Any) -> None: ...
    def task_instance_started(self, task: Any, host: Any) -> None: ...
    def subtask_instance_started(self, task: Any, host: Any) -> None: ...
    def subtask_instance_completed(self, task: Any, host: Any, result: Any) -> None: ...

    def task_instance_completed(self, task: Any, host: Any, result: Any) -> None:
        if self.on_done:
            self.on_done(host.name, not result.failed)
