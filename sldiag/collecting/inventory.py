"""Inventories: hosts from the command line or a hosts file, a Nornir SimpleInventory read
entry by entry (a bad entry is one line, not a failed fleet), or any inventory plugin through a
Nornir config; a Nornir object built from them with sldiag's runner. Only Nornir's public
inventory classes are used."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .checks import CollectError, address_problem, username_problem


def build_nornir(hosts: list[dict[str, Any]] | None = None, inventory: Path | None = None,
                 nornir_config: Path | None = None, workers: int = 10,
                 username: str | None = None, password: str | None = None,
                 secret: str | None = None) -> Any:
    """A Nornir object from --host entries, a SimpleInventory file, or a Nornir config.

    Entries that cannot be used (duplicate names, not a mapping, an unknown group) are left
    out, each with one line in :func:`inventory_problems`; the rest are collected."""

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
    from nornir.core.configuration import Config, LoggingConfig, RunnerConfig
    from nornir.plugins.runners import ThreadedRunner

    config = Config(runner=RunnerConfig(plugin="threaded", options={"num_workers": workers}),
                    logging=LoggingConfig(enabled=False))
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
        entries: list[tuple[str, int, Any]] = []
        seen: dict[str, int] = {}
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

    folder = hosts_file.parent
    defaults = Defaults()
    if (folder / "defaults.yaml").exists():
        data = {name: value for name, _, value in _yaml_entries(folder / "defaults.yaml",
                                                                 problems)}
        problem = _entry_problem(data)
        if problem:
            raise CollectError(f"{folder / 'defaults.yaml'}: {problem}")
        defaults = Defaults(**_settings(data), data=data.get("data"))
    groups = Groups()
    if (folder / "groups.yaml").exists():
        for name, line, value in _yaml_entries(folder / "groups.yaml", problems):
            value = {} if value is None else value
            problem = _entry_problem(value)
            if problem:
                problems.append(f"groups.yaml:{line}: group {name}: {problem} (left out)")
                continue
            groups[name] = Group(name=name, **_settings(value), data=value.get("data"),
                                groups=value.get("groups"), defaults=defaults)
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
        hosts[name] = Host(name=name, **_settings(value), data=value.get("data"),
                          groups=value.get("groups"), defaults=defaults)
    # Until here an entry's groups are the names it listed: now the groups themselves.
    for group in groups.values():
        named: list[Any] = list(group.groups or [])
        group.groups = ParentGroups([groups[g] for g in named if g in groups])
    for host in hosts.values():
        listed: list[Any] = list(host.groups or [])
        host.groups = ParentGroups([groups[g] for g in listed])
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


def _settings(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's connection settings, as Nornir's public inventory classes take them (the
    groups' names are replaced by the groups once all are read)."""
    from nornir.core.inventory import ConnectionOptions

    options = {name: ConnectionOptions(hostname=c.get("hostname"), port=c.get("port"),
                                       username=c.get("username"), password=c.get("password"),
                                       platform=c.get("platform"), extras=c.get("extras"))
               for name, c in (entry.get("connection_options") or {}).items()}
    return {"hostname": entry.get("hostname"), "port": entry.get("port"),
            "username": entry.get("username"), "password": entry.get("password"),
            "platform": entry.get("platform"), "connection_options": options}
