"""Fake IOS-XE switches over real SSH (FakeNOS) whose answers are our samples."""

from __future__ import annotations

import socket
from pathlib import Path

import yaml

from sldiag.capture import read_capture
from sldiag.catalog import load_catalog
from sldiag.sections import split_capture

from .conftest import SAMPLES

USER, PASSWORD = "netops", "fake-pw-Kq3"


def outputs_of(sample: str, reject_missing: bool = False) -> dict[str, str]:
    """What a fake switch answers to each command sldiag sends, from one of our samples.

    Commands the sample does not show answer with nothing, or are rejected
    (% Invalid input) when ``reject_missing``."""
    from sldiag.collect import ALLOWED_COMMANDS

    catalog = load_catalog()
    capture = read_capture(str(SAMPLES / sample))
    device = split_capture(capture, catalog)[0]
    shown: dict[str, str] = {}
    for section in device.sections:
        if section.command and section.command.startswith("show"):
            shown.setdefault(section.command, "\n".join(t for _, t in section.lines).strip("\n"))
    outputs = {}
    for command in sorted(ALLOWED_COMMANDS):
        if not command.startswith("show"):
            continue
        canonical = catalog.canonical_command(command)
        if canonical in shown:
            outputs[command] = shown[canonical]
        elif not reject_missing:
            outputs[command] = ""
    return outputs


# The preferred forms a switch of another release or privilege refuses, and the fallback that
# then answers with the same content (parsers/collection.yaml).
DEGRADE = {
    "show license tech support": "show license all",
    "show license status": "show license all",
    "show license eventlog 7": "show license eventlog",
    "show clock detail": "show clock",
}


def degraded(outputs: dict[str, str]) -> dict[str, str]:
    """A switch that refuses the preferred forms: what they showed, a fallback shows."""
    out = dict(outputs)
    for preferred, fallback in DEGRADE.items():
        if preferred in out:
            text = out.pop(preferred)
            if fallback == "show license all" and "show license all" not in outputs:
                # the blocks tech support / status print are the ones show license all prints
                out[fallback] = (out.get(fallback, "") + "\n" + text).strip("\n")
            else:
                out.setdefault(fallback, text)
    return out


def nos_file(folder: Path, name: str, outputs: dict[str, str], silent: tuple[str, ...] = ()) -> Path:
    commands = {
        "enable": {"output": None, "new_prompt": "{base_prompt}#", "help": "enable",
                   "prompt": "{base_prompt}>"},
        "terminal length 0": {"output": "", "help": "paging"},
        "terminal width 511": {"output": "", "help": "width"},
        "_default_": {"output": "% Invalid input detected at '^' marker.", "help": "unknown"},
        "exit": {"output": True, "help": "close"},
    }
    for command, text in outputs.items():
        commands[command] = {"output": text, "help": command}
    for command in silent:
        commands[command] = {"output": None, "help": "never answers"}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "initial_prompt": "{base_prompt}#",
                                    "commands": commands}))
    return path


def free_ports(n: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def host_key(folder: Path) -> Path:
    """A fresh host key for this run (FakeNOS's built-in key is public)."""
    import paramiko

    path = folder / "ssh_host_rsa_key"
    paramiko.RSAKey.generate(2048).write_private_key_file(str(path))
    return path


def known_hosts_line(port: int, key_file: Path) -> str:
    import paramiko

    key = paramiko.RSAKey.from_private_key_file(str(key_file))
    return f"[127.0.0.1]:{port} {key.get_name()} {key.get_base64()}\n"


def inventory(key_file: Path, hosts: dict[str, dict]) -> dict:
    return {
        "default": {
            "username": USER, "password": PASSWORD,
            "server": {"plugin": "ParamikoSshServer",
                       "configuration": {"address": "127.0.0.1", "ssh_key_file": str(key_file),
                                         "timeout": 1}},
            "shell": {"plugin": "CMDShell", "configuration": {}},
        },
        "hosts": hosts,
    }


def hanging_nos_file(folder: Path, outputs: dict[str, str], hang: str, seconds: float) -> Path:
    """A switch whose answer to `hang` never comes in time (a Python NOS for FakeNOS)."""
    import json

    path = folder / "hanging_nos.py"
    path.write_text(f"""
import json, time
from fakenos.plugins.nos.platforms_py.base_template import BaseDevice

NAME = "hanging"
INITIAL_PROMPT = "{{base_prompt}}#"
DEVICE_NAME = "Hanging"


class Hanging(BaseDevice):
    def hang(self, base_prompt, current_prompt, command):
        time.sleep({seconds!r})
        return ""


commands = {{"terminal length 0": {{"output": "", "help": "paging"}},
            "terminal width 511": {{"output": "", "help": "width"}},
            "_default_": {{"output": "% Invalid input detected at '^' marker.", "help": "unknown"}}}}
for command, text in json.loads({json.dumps(json.dumps(outputs))}).items():
    commands[command] = {{"output": text, "help": command}}
commands[{hang!r}] = {{"output": Hanging.hang, "help": "never answers in time"}}
""")
    return path
