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
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parsing import REJECTED_OUTPUT  # what a device prints for a command it refuses

# Line 1 of a capture sldiag collected, then one line per collection gap; `analyze` reads
# them (sections.collection_header) and splits the capture on the device's prompt only.
from .sections import COLLECTED_PREFIX, GAP_PREFIX

# Every command sldiag may send. Read-only by construction: show commands, plus the
# terminal settings netmiko needs for a clean session. The plan (parsers/collection.yaml)
# chooses among them; it cannot add to them.
ALLOWED_COMMANDS = frozenset({
    "terminal length 0", "terminal width 511",
    "show version", "show clock", "show clock detail", "show running-config",
    "show license all", "show license status", "show license summary", "show license usage",
    "show license udi", "show license eventlog 7", "show license eventlog",
    "show license tech support", "show license history message",
    "show call-home profile all", "show logging", "show inventory", "show switch",
})
# What netmiko itself types around them: `enable` (and the secret at its Password: prompt)
# only when an enable secret is given, `exit` to leave the session. Nothing else is written.
SESSION_COMMANDS = frozenset({"enable", "exit"})
# Only so many lines of an output are looked at for a refusal (a log can quote one later).
_REFUSAL_LINES = 3


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


@dataclass(frozen=True)
class Need:
    """Something the diagnosis needs, and the commands that can give it, best first."""

    name: str
    commands: tuple[str, ...]
    optional: bool = False   # refused everywhere is expected on some platforms: no gap


@dataclass(frozen=True)
class Plan:
    first: str
    common: tuple[Need, ...]
    plans: dict[str, tuple[Need, ...]]

    def for_mode(self, mode: str) -> tuple[Need, ...]:
        return self.common + self.plans.get(mode, self.plans["default"])


_PLAN: Plan | None = None


def load_plan(path: Path | None = None) -> Plan:
    """parsers/collection.yaml, checked: every command must be allow-listed."""
    global _PLAN
    if path is None and _PLAN is not None:
        return _PLAN
    from .resources import DataError, data_dir, load_yaml

    path = path or data_dir("parsers") / "collection.yaml"
    data = load_yaml(path)

    def needs(entries: Any, where: str) -> tuple[Need, ...]:
        if not isinstance(entries, list) or not entries:
            raise DataError(f"{path}: {where}: a list of needs is expected")
        out = []
        for i, entry in enumerate(entries, 1):
            if (not isinstance(entry, dict) or not isinstance(entry.get("need"), str)
                    or not isinstance(entry.get("commands"), list) or not entry["commands"]):
                raise DataError(f"{path}: {where} #{i}: 'need' and 'commands' are required")
            for command in entry["commands"]:
                if command not in ALLOWED_COMMANDS:
                    raise DataError(f"{path}: {where} #{i}: '{command}' is not in sldiag's "
                                    "allow-list of read-only commands")
            out.append(Need(entry["need"], tuple(entry["commands"]),
                            bool(entry.get("optional", False))))
        return tuple(out)

    if not isinstance(data, dict) or data.get("first") not in ALLOWED_COMMANDS:
        raise DataError(f"{path}: 'first' must be an allow-listed command")
    plans = data.get("plans")
    if not isinstance(plans, dict) or "default" not in plans:
        raise DataError(f"{path}: 'plans' must have a 'default' plan")
    plan = Plan(data["first"], needs(data.get("common"), "common"),
                {mode: needs(entries, f"plans.{mode}") for mode, entries in plans.items()})
    if path == data_dir("parsers") / "collection.yaml":
        _PLAN = plan
    return plan


def mode_of(show_version: str) -> str:
    """The licensing generation show version shows, as `analyze` would read it."""
    from .capture import clean_text
    from .engine import licensing_mode
    from .parsing import extract_facts
    from .pipeline import Knowledge
    from .sections import split_capture

    knowledge = _knowledge(Knowledge)
    capture = clean_text("show version", f"X#show version\n{show_version}\nX#\n")
    facts, _ = extract_facts(split_capture(capture, knowledge.catalog)[0], capture.lines,
                             knowledge.catalog)
    return licensing_mode(facts, knowledge.modes)


def plan_for(show_version: str) -> list[str]:
    """Every command the plan may send after show version (the preferred forms first)."""
    seen: dict[str, None] = {}
    for need in load_plan().for_mode(mode_of(show_version)):
        seen.update(dict.fromkeys(need.commands))
    return list(seen)


def refused(output: str) -> bool:
    """Whether the device refused the command (% Invalid input, authorization failed)."""
    head = "\n".join(output.lstrip("\n").split("\n", _REFUSAL_LINES)[:_REFUSAL_LINES])
    return REJECTED_OUTPUT.search(head) is not None


@dataclass
class DeviceCapture:
    """What one device printed, in the session-log form `sldiag analyze` reads."""

    name: str
    prompt: str
    outputs: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)   # needs no command answered

    def text(self) -> str:
        import json
        from datetime import UTC, datetime

        header = {"device": self.name, "prompt": self.prompt,
                  "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        lines = [COLLECTED_PREFIX + json.dumps(header, ensure_ascii=False)]
        lines += [GAP_PREFIX + gap for gap in self.gaps]
        for command, output in self.outputs:
            lines.append(f"{self.prompt}{command}")
            if output:
                lines.append(output.rstrip("\n"))
        lines.append(self.prompt)
        return "\n".join(lines) + "\n"


def collect_from(connection: Any, name: str, read_timeout: float = 60.0,
                 plan: Plan | None = None) -> DeviceCapture:
    """Run the plan on an open netmiko connection (enable mode if a secret was given): each
    need's commands in order until one is accepted."""
    plan = plan or load_plan()
    prompt = connection.find_prompt().strip()
    capture = DeviceCapture(name=name, prompt=prompt)
    answered: set[str] = set()

    def ask(command: str) -> bool:
        output = send_allowed(connection, command, read_timeout)
        capture.outputs.append((command, output))
        if refused(output):
            capture.rejected.append(command)  # recorded in the capture, not asked again
            return False
        answered.add(command)
        return True

    version = plan.first
    mode = mode_of(capture.outputs[-1][1]) if ask(version) else "unknown"
    for need in plan.for_mode(mode):
        for command in need.commands:
            if command in answered or (command not in capture.rejected and ask(command)):
                break
        else:
            if not need.optional:
                tried = ", ".join(need.commands)
                capture.gaps.append(f"{need.name}: no answer (refused: {tried})")
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
    if isinstance(exc, (nx.NetmikoTimeoutException, TimeoutError)):
        return "timeout connecting to the device"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"{type(exc).__name__}: {first}"


# ---------------------------------------------------------------------------------------
# Nornir: the fleet engine.

# The only platforms sldiag connects to, whatever an inventory says: SSH to IOS and IOS-XE
# (netmiko device types; `ios`/`iosxe` are the names NAPALM and Scrapli inventories use).
# Telnet or another platform's driver would send the password in clear, or set-up commands
# outside the allow-list, before sldiag could refuse anything.
# Names are compared in lower case with '-' read as '_' (NetBox slugs such as `cisco-ios-xe`).
PLATFORMS = {"cisco_xe": "cisco_xe", "cisco_ios": "cisco_ios", "ios": "cisco_xe",
             "iosxe": "cisco_xe", "ios_xe": "cisco_xe", "cisco_ios_xe": "cisco_xe",
             "cisco_iosxe": "cisco_xe"}
# Connection extras an inventory may set: timeouts and how to authenticate. Anything else
# (host-key checks, device type, SSH config, session logs, sockets) is sldiag's to decide.
INVENTORY_EXTRAS = frozenset({
    "conn_timeout", "auth_timeout", "banner_timeout", "blocking_timeout", "timeout",
    "session_timeout", "keepalive", "global_delay_factor", "fast_cli", "read_timeout_override",
    "use_keys", "key_file", "passphrase", "allow_agent", "secret", "disabled_algorithms",
})
# Capture file names: bounded, and never the collection log's.
_NAME_CHARS = 64
_RESERVED_NAMES = frozenset({"collection", "con", "prn", "aux", "nul"})


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


def connection_for(host: Any, options: CollectOptions) -> tuple[Any, list[str]]:
    """The netmiko connection options sldiag allows for ``host``, and the inventory extras it
    ignored. Raises CollectError, before any connection, for a platform other than SSH to
    IOS/IOS-XE or an entry without an address."""
    from nornir.core.inventory import ConnectionOptions

    params = host.get_connection_parameters("netmiko")
    given = params.platform or "cisco_xe"
    platform = PLATFORMS.get(str(given).strip().lower().replace("-", "_"))
    if platform is None:
        raise CollectError(f"platform '{given}' refused: sldiag connects only over SSH to "
                           "IOS/IOS-XE (cisco_xe, cisco_ios, ios, iosxe); nothing was sent")
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


def collect_licensing(task: Any, options: CollectOptions | None = None) -> Any:
    """Nornir task: collect the licensing commands from ``task.host`` and analyse them.

    Returns a nornir Result whose ``result`` is a dict: ``capture`` (the file written, if an
    output folder was given), ``rejected`` (commands the device refused), ``gaps`` (needs no
    command answered) and ``devices`` (the analysis, in the JSON report's device form).
    Usable in a team's own Nornir scripts::

        from sldiag.collect import collect_licensing
        results = nr.run(task=collect_licensing)

    The host's platform and connection extras are checked here, before any connection:
    only SSH to IOS/IOS-XE, host keys checked as sldiag's options say.
    """
    from nornir.core.task import Result

    options = options or CollectOptions()
    allowed, _ = connection_for(task.host, options)
    task.host.connection_options["netmiko"] = allowed
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
        stem = options.capture_names.get(task.host.name) or capture_stem(task.host.name)
        written = options.output_dir / f"{stem}.log"
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
                                          "rejected": capture.rejected, "gaps": capture.gaps,
                                          "devices": devices, "text": text})


_KNOWLEDGE: Any = None
_KNOWLEDGE_LOCK = threading.Lock()


def _knowledge(cls: Any) -> Any:
    global _KNOWLEDGE
    with _KNOWLEDGE_LOCK:
        if _KNOWLEDGE is None:
            _KNOWLEDGE = cls.load()
    return _KNOWLEDGE


def _digest(name: str) -> str:
    import hashlib

    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def capture_stem(name: str) -> str:
    """A file name (without .log) for an inventory name: the name itself when it is a safe
    file name (letters of any script, digits, '_', '.', '-'), else a readable form of it and
    a hash of the whole name, so two names never share a file."""
    import unicodedata

    normal = unicodedata.normalize("NFC", name)
    kept = "".join(c if (c.isalnum() or c in "_.-") and c.isprintable() else "_"
                   for c in normal[:4 * _NAME_CHARS]).strip(".")
    if (kept == name and 0 < len(kept) <= _NAME_CHARS
            and kept.casefold() not in _RESERVED_NAMES):
        return kept
    return f"{kept[:_NAME_CHARS] or 'device'}-{_digest(name)}"


def capture_stems(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Unique file stems for a fleet (also case-insensitively: some file systems fold case),
    and one note per name whose file is not named as it is."""
    stems: dict[str, str] = {}
    owners: dict[str, str] = {}
    notes = []
    for name in sorted(names):
        stem = capture_stem(name)
        if stem.casefold() in owners:
            other = owners[stem.casefold()]
            stem = f"{stem[:_NAME_CHARS]}-{_digest(name)}"
            notes.append(f"{name}: saved as {stem}.log (its name would share {other}'s file)")
        elif stem != name:
            notes.append(f"{name}: saved as {stem}.log (the name is not a file name as it is)")
        owners[stem.casefold()] = name
        stems[name] = stem
    return stems, notes


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


def build_nornir(hosts: list[dict[str, Any]] | None = None, inventory: Path | None = None,
                 nornir_config: Path | None = None, workers: int = 10,
                 username: str | None = None, password: str | None = None,
                 secret: str | None = None) -> Any:
    """A Nornir object from --host entries, a SimpleInventory file, or a Nornir config.

    Entries that cannot be used (duplicate names, not a mapping, an unknown group) are left
    out, each with one line in :func:`inventory_problems`; the rest are collected."""
    import logging

    from nornir import InitNornir
    from nornir.core.plugins.connections import ConnectionPluginRegister

    ConnectionPluginRegister.auto_register()  # netmiko's plugin, also without InitNornir
    # Nornir logs failed tasks with tracebacks, paramiko its own errors; sldiag reports a
    # one-line reason instead.
    for logger in ("nornir", "paramiko", "netmiko"):
        log = logging.getLogger(logger)
        log.addHandler(logging.NullHandler())
        log.propagate = False
    problems: list[str] = []
    if nornir_config is not None:
        nr = InitNornir(config_file=str(nornir_config),
                        runner={"plugin": "threaded", "options": {"num_workers": workers}})
    else:
        if inventory is not None:
            loaded = load_simple_inventory(inventory, problems)
        else:
            loaded = _inventory_from_hosts(hosts or [], problems)
        nr = _nornir(loaded, workers)
    for host in nr.inventory.hosts.values():
        host.username = host.username or username
        host.password = host.password or password
        if secret and not host.get("secret"):
            host.data["secret"] = secret
    nr.config.user_defined["sldiag_problems"] = problems
    return nr


def inventory_problems(nr: Any) -> list[str]:
    """The inventory entries build_nornir left out, one line each."""
    return list(nr.config.user_defined.get("sldiag_problems", []))


def _nornir(inventory: Any, workers: int) -> Any:
    from nornir.core import Nornir
    from nornir.core.configuration import Config
    from nornir.plugins.runners import ThreadedRunner

    config = Config(runner={"plugin": "threaded", "options": {"num_workers": workers}},
                    logging={"enabled": False})
    return Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=workers),
                  config=config)


def _inventory_from_hosts(hosts: list[dict[str, Any]], problems: list[str]) -> Any:
    from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory

    inventory_hosts = Hosts()
    for entry in hosts:
        name = entry.get("name") or entry["hostname"]
        if name in inventory_hosts:
            problems.append(f"{name}: named twice (the first one is collected)")
            continue
        inventory_hosts[name] = Host(name=name, hostname=entry["hostname"],
                                     port=entry.get("port"), platform="cisco_xe")
    return Inventory(hosts=inventory_hosts, groups=Groups(), defaults=Defaults())


def _yaml_entries(path: Path, problems: list[str]) -> list[tuple[str, int, Any]]:
    """(name, line, value) of each top-level entry of a SimpleInventory file, duplicates
    reported (the first kept); a file that is not a mapping raises CollectError."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CollectError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})"
                           ) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return []
        if not isinstance(root, yaml.MappingNode):
            raise CollectError(f"{path}: not a mapping of names to entries")
        entries, seen = [], {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            name = loader.construct_object(key_node, deep=True)
            if not isinstance(name, str | int) or isinstance(name, bool):
                problems.append(f"{path.name}:{line}: entry name {name!r} is not a name")
                continue
            name = str(name)
            if name in seen:
                problems.append(f"{path.name}:{line}: {name}: named twice (the entry at line "
                                f"{seen[name]} is collected)")
                continue
            seen[name] = line
            entries.append((name, line, loader.construct_object(value_node, deep=True)))
        return entries
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CollectError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
                           ) from None
    finally:
        loader.dispose()


_ENTRY_TYPES = {"hostname": str, "port": int, "username": str, "password": str,
                "platform": str, "groups": list, "data": dict, "connection_options": dict}


def _entry_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "not a mapping of settings"
    for key, kind in _ENTRY_TYPES.items():
        if value.get(key) is not None and (not isinstance(value[key], kind)
                                           or isinstance(value[key], bool)):
            return f"'{key}' should be a {kind.__name__}"
    for name, options in (value.get("connection_options") or {}).items():
        if not isinstance(options, dict) or not isinstance(options.get("extras") or {}, dict):
            return f"connection_options.{name} is not a mapping"
    return None


def load_simple_inventory(hosts_file: Path, problems: list[str]) -> Any:
    """A Nornir SimpleInventory (hosts.yaml, with groups.yaml and defaults.yaml beside it),
    read entry by entry: a bad entry is one line in ``problems``, not a failed fleet."""
    from nornir.core.inventory import Defaults, Group, Groups, Host, Hosts, Inventory, ParentGroups
    from nornir.plugins.inventory.simple import _get_defaults, _get_inventory_element

    folder = hosts_file.parent
    defaults = Defaults()
    if (folder / "defaults.yaml").exists():
        data = {name: value for name, _, value in _yaml_entries(folder / "defaults.yaml",
                                                                 problems)}
        problem = _entry_problem(data)
        if problem:
            raise CollectError(f"{folder / 'defaults.yaml'}: {problem}")
        defaults = _get_defaults(data)
    groups = Groups()
    if (folder / "groups.yaml").exists():
        for name, line, value in _yaml_entries(folder / "groups.yaml", problems):
            value = {} if value is None else value
            problem = _entry_problem(value)
            if problem:
                problems.append(f"groups.yaml:{line}: group {name}: {problem} (left out)")
                continue
            groups[name] = _get_inventory_element(Group, value, name, defaults)
    hosts = Hosts()
    for name, line, value in _yaml_entries(hosts_file, problems):
        value = {} if value is None else value
        problem = _entry_problem(value)
        missing = [g for g in (value.get("groups") or []) if g not in groups] if not problem else []
        if missing:
            problem = f"unknown group {', '.join(map(str, missing))}"
        if problem:
            problems.append(f"{hosts_file.name}:{line}: {name}: {problem} (not collected)")
            continue
        # Checked here too, to name the file and line; connection_for checks again (values
        # a group or the defaults give, inventories sldiag did not read itself).
        problem = ((address_problem(value["hostname"]) if value.get("hostname") else None)
                   or username_problem(value.get("username")))
        if problem:
            problems.append(f"{hosts_file.name}:{line}: {name}: {problem} (not collected)")
            continue
        hosts[name] = _get_inventory_element(Host, value, name, defaults)
    for group in groups.values():
        parents = [g for g in group.groups if g in groups]
        group.groups = ParentGroups([groups[g] for g in parents])
    for host in hosts.values():
        host.groups = ParentGroups([groups[g] for g in host.groups])
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)


def parse_host(text: str) -> dict[str, Any]:
    """'10.0.0.5', 'sw1.example.net:2222', 'name=10.0.0.5:22' -> a host entry; ValueError
    (one line) for a port that is not a number."""
    name = None
    if "=" in text:
        name, text = text.split("=", 1)
    host, port = text.strip(), None
    if host.count(":") == 1:
        host, port_text = host.split(":")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"'{text}': port '{port_text}' is not a TCP port number")
        port = int(port_text)
    if not host:
        raise ValueError(f"'{text}': no host name or address")
    problem = address_problem(host)
    if problem:
        raise ValueError(f"'{text}': {problem}")
    default = host if port is None else f"{host}:{port}"
    return {"name": (name or "").strip() or default, "hostname": host, "port": port}


def read_host_list(path: Path, problems: list[str] | None = None) -> list[dict[str, Any]]:
    """A plain text file of hosts, one per line; # starts a comment. A bad line is one
    line in ``problems`` (raised when none is given)."""
    hosts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            hosts.append(parse_host(line))
        except ValueError as exc:
            if problems is None:
                raise
            problems.append(f"{path.name}:{number}: {exc} (not collected)")
    return hosts


@dataclass
class FleetOutcome:
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> task result
    failed: dict[str, str] = field(default_factory=dict)                # name -> reason
    left_out: list[str] = field(default_factory=list)  # inventory entries that were unusable
    notes: list[str] = field(default_factory=list)     # options ignored, capture names changed


def run_fleet(nr: Any, options: CollectOptions,
              on_done: Callable[[str, bool], None] | None = None) -> FleetOutcome:
    """Run collect_licensing on every host; one device's failure never stops the others.

    Hosts sldiag must not connect to (another platform, no address) are refused before the
    run; inventory extras it ignores and capture names it had to change are noted."""
    import dataclasses

    outcome = FleetOutcome(left_out=inventory_problems(nr))
    refused = []
    for name, host in nr.inventory.hosts.items():
        try:
            _, ignored = connection_for(host, options)
        except CollectError as exc:
            outcome.failed[name] = str(exc)
            refused.append(name)
            continue
        if ignored:
            outcome.notes.append(f"{name}: inventory connection options ignored: "
                                 f"{', '.join(ignored)} (host keys, transport and SSH "
                                 "config are set by sldiag's options)")
    stems, name_notes = capture_stems(list(nr.inventory.hosts))
    outcome.notes += name_notes
    options = dataclasses.replace(options, capture_names=stems)
    usable = nr.filter(filter_func=lambda host: host.name not in refused)
    if on_done:
        for name in refused:
            on_done(name, False)
    processors = [_Progress(on_done)] if on_done else []
    aggregated = usable.with_processors(processors).run(
        task=collect_licensing, options=options, name="sldiag collect")
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
    usable.close_connections(on_good=True, on_failed=True)
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
