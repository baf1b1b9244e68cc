"""Uploading to a TAC case, against a local HTTPS server with a CA made for the test."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sldiag.attach import UploadError, upload

from .conftest import SAMPLES, run_cli

trustme = pytest.importorskip("trustme")
CASE, TOKEN = "694123456", "tok-9f8e7d6c5b4a-never-shown"


class _Server:
    """Stores what a correct PUT sends; answers with the statuses queued in `script`."""

    def __init__(self, tmp_path: Path):
        self.ca = trustme.CA()
        self.ca_file = tmp_path / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self.script: list[int] = []
        self.stored: dict[str, str] = {}
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_PUT(self):  # noqa: N802 - http.server's name
                outer.requests += 1
                expected = "Basic " + base64.b64encode(f"{CASE}:{TOKEN}".encode()).decode()
                length = int(self.headers.get("Content-Length", "0"))
                digest, left = hashlib.sha256(), length
                while left:
                    chunk = self.rfile.read(min(65536, left))
                    if not chunk:
                        break
                    digest.update(chunk)
                    left -= len(chunk)
                status = outer.script.pop(0) if outer.script else 201
                if self.headers.get("Authorization") != expected:
                    status = 401
                if status == 201:
                    outer.stored[self.path] = digest.hexdigest()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/home/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path):
    srv = _Server(tmp_path)
    yield srv
    srv.close()


@pytest.fixture
def bundle_file(tmp_path) -> Path:
    path = tmp_path / "case bundle.zip"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))  # not a multiple of any buffer size
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_upload_stores_the_exact_bytes(server, bundle_file):
    status = upload(bundle_file, CASE, TOKEN, url=server.url, ca_file=server.ca_file, backoff=0)
    assert status == 201
    assert server.stored == {"/home/case%20bundle.zip": _sha(bundle_file)}


def test_wrong_token_is_a_clear_error(server, bundle_file):
    with pytest.raises(UploadError) as info:
        upload(bundle_file, CASE, "wrong", url=server.url, ca_file=server.ca_file, backoff=0)
    assert "HTTP 401" in str(info.value) and "token" in str(info.value)
    assert f"the bundle stays at {bundle_file}" in str(info.value)
    assert server.requests == 1  # no retry on refused credentials
    assert bundle_file.exists()


def test_server_error_is_retried(server, bundle_file):
    server.script = [503, 503]
    assert upload(bundle_file, CASE, TOKEN, url=server.url, ca_file=server.ca_file,
                  backoff=0) == 201
    assert server.requests == 3
    assert list(server.stored.values()) == [_sha(bundle_file)]


def test_connection_refused(bundle_file, tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(UploadError) as info:
        upload(bundle_file, CASE, TOKEN, url=f"https://127.0.0.1:{port}/home/", retries=2,
               backoff=0)
    assert "connection refused" in str(info.value)
    assert f"the bundle stays at {bundle_file}" in str(info.value)


def test_untrusted_certificate_is_refused(server, bundle_file):
    with pytest.raises(UploadError, match="TLS certificate not trusted"):
        upload(bundle_file, CASE, TOKEN, url=server.url, backoff=0)  # no --ca-file
    assert server.stored == {}


def test_plain_http_is_refused(bundle_file):
    with pytest.raises(UploadError, match="only https://"):
        upload(bundle_file, CASE, TOKEN, url="http://127.0.0.1:9/home/")


def test_cli_attach_never_shows_the_token(server, tmp_path):
    bundle = tmp_path / "b.zip"
    made = run_cli("bundle", str(SAMPLES / "02-try-again.session.log"), "-o", str(bundle))
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "SLDIAG_CXD_TOKEN": TOKEN, "SLDIAG_UPLOAD_BACKOFF": "0"}
    ok = run_cli("attach", str(bundle), "--case", CASE, "--url", server.url,
                 "--ca-file", str(server.ca_file), env=env)
    assert ok.returncode == 0, ok.stderr
    assert list(server.stored.values()) == [_sha(bundle)]
    bad = run_cli("attach", str(bundle), "--case", CASE, "--url", server.url,
                  "--ca-file", str(server.ca_file), env={**env, "SLDIAG_CXD_TOKEN": "nope"})
    assert bad.returncode == 2 and bad.stderr.decode().count("\n") == 1
    for proc in (ok, bad):
        assert TOKEN.encode() not in proc.stdout + proc.stderr
    dry = run_cli("attach", str(bundle), "--case", CASE, "--dry-run", env=env)
    assert dry.returncode == 0 and b"would PUT" in dry.stdout and TOKEN.encode() not in dry.stdout


def test_analyze_attach_case_in_one_go(server, tmp_path):
    target = tmp_path / "sldiag-case.zip"
    env = {**os.environ, "SLDIAG_CXD_TOKEN": TOKEN, "SLDIAG_UPLOAD_BACKOFF": "0"}
    proc = run_cli("analyze", str(SAMPLES / "09-data-signature.session.log"),
                   "--attach-case", CASE, "--bundle-output", str(target),
                   "--cxd-url", server.url, "--ca-file", str(server.ca_file), env=env)
    assert proc.returncode == 1, proc.stderr  # findings, and the upload went through
    assert b"Scenario #9" in proc.stdout
    assert list(server.stored.values()) == [_sha(target)]


def test_no_token_without_a_terminal(tmp_path):
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(b"PK")
    env = {k: v for k, v in os.environ.items() if k != "SLDIAG_CXD_TOKEN"}
    proc = run_cli("attach", str(bundle), "--case", CASE, env=env, stdin=b"")
    assert proc.returncode == 2 and b"SLDIAG_CXD_TOKEN" in proc.stderr
