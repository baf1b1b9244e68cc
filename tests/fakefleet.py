"""Fake IOS-XE switches over real SSH (FakeNOS) whose answers are our samples."""

from __future__ import annotations

import socket
from pathlib import Path

import yaml

from sldiag.model.catalog import load_catalog
from sldiag.reading.read import read_whole as read_capture
from sldiag.reading.sections import split_capture

from .conftest import SAMPLES

USER, PASSWORD = "netops", "fake-pw-Kq3"


def outputs_of(sample: str, reject_missing: bool = False) -> dict[str, str]:
    """What a fake switch answers to each command sldiag sends, from one of our samples.

    Commands the sample does not show answer with nothing, or are rejected
    (% Invalid input) when ``reject_missing``."""
    from sldiag.collecting.allowlist import ALLOWED_COMMANDS

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


def serve_forever(sock: socket.socket, handle) -> None:
    """Accept connections on ``sock`` in a thread, each handled in a thread of its own, until
    the socket is closed."""
    import threading

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()


class Recorder:
    """A TCP listener that records every connection and every byte it receives; it can
    answer like a telnet server (IAC negotiation, a login prompt) or an HTTP server."""

    def __init__(self, behaviour: str = "telnet") -> None:
        import threading

        self.behaviour = behaviour
        self.connections = 0
        self.received = bytearray()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._lock = threading.Lock()
        serve_forever(self.sock, self._talk)

    def _talk(self, conn: socket.socket) -> None:
        with self._lock:
            self.connections += 1
        conn.settimeout(5)
        try:
            if self.behaviour == "telnet":
                conn.sendall(b"\xff\xfb\x01\xff\xfb\x03\r\nUser Access Verification\r\n\r\nUsername: ")
            elif self.behaviour == "http":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nServer: x\r\n\r\n")
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                with self._lock:
                    self.received += data
                if self.behaviour == "telnet" and b"\n" in data:
                    conn.sendall(b"Password: ")
                if self.behaviour == "http":
                    break  # a bad request: the web server hangs up
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


class JumpHost:
    """A second SSH server (paramiko) that accepts one user's key and forwards `direct-tcpip`
    channels (what `ssh -W` and ProxyJump open) to 127.0.0.1 only: a bastion on loopback."""

    def __init__(self, folder: Path) -> None:

        import paramiko

        self.host_key = paramiko.RSAKey.generate(2048)
        self.user_key = paramiko.RSAKey.generate(2048)
        self.user_key_file = folder / "jump_user_key"
        self.user_key.write_private_key_file(str(self.user_key_file))
        self.user_key_file.chmod(0o600)
        self.forwarded: list[tuple[str, int]] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        serve_forever(self.sock, self._session)

    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.get_name()} {self.host_key.get_base64()}\n"

    def _session(self, conn: socket.socket) -> None:
        import threading

        import paramiko

        jump = self

        class Server(paramiko.ServerInterface):
            def get_allowed_auths(self, username):
                return "publickey"

            def check_auth_publickey(self, username, key):
                ok = username == "jumper" and key.get_base64() == jump.user_key.get_base64()
                return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

            def check_channel_request(self, kind, chanid):
                return paramiko.OPEN_SUCCEEDED if kind == "direct-tcpip" else \
                    paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

            def check_channel_direct_tcpip_request(self, chanid, origin, destination):
                if destination[0] not in ("127.0.0.1", "localhost"):
                    return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
                jump.forwarded.append((destination[0], destination[1]))
                self.destination = destination
                return paramiko.OPEN_SUCCEEDED

        transport = paramiko.Transport(conn)
        transport.add_server_key(self.host_key)
        server = Server()
        try:
            transport.start_server(server=server)
            channel = transport.accept(20)
            if channel is None:
                return
            target = socket.create_connection(("127.0.0.1", server.destination[1]))
        except Exception:
            transport.close()
            return

        def pump(read, write, close):
            try:
                while True:
                    data = read(65536)
                    if not data:
                        break
                    write(data)
            except Exception:
                pass
            finally:
                close()

        threading.Thread(target=pump, args=(channel.recv, target.sendall,
                                            lambda: target.shutdown(socket.SHUT_WR)),
                         daemon=True).start()
        pump(target.recv, channel.sendall, channel.close)
        transport.close()

    def close(self) -> None:
        self.sock.close()
