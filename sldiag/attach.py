"""Attaching a bundle to a TAC case: HTTPS PUT to Cisco's Customer eXperience Drive (CXD).

``PUT https://cxd.cisco.com/home/<file>`` with Basic authentication (case number, the case's
upload token); 201 means stored. The file is streamed, never read into memory; TLS is always
verified; the token is never printed or logged.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

RETRIABLE = {500, 502, 503, 504}
CASE_NUMBER = re.compile(r"^\d{6,12}$")


class UploadError(Exception):
    """One line for the user; always says where the bundle still is."""


def validate_case(case: str) -> None:
    if not CASE_NUMBER.match(case):
        raise UploadError(f"'{case}' is not a case number (digits only, e.g. 694123456)")


def target_url(url: str, file_name: str) -> str:
    base = url if url.endswith("/") else url + "/"
    return base + quote(file_name)


def describe(path: Path, case: str, url: str) -> str:
    digest = _sha256(path)
    return (f"would PUT {path} ({path.stat().st_size} bytes, sha256 {digest}) to "
            f"{target_url(url, path.name)} as case {case} (token from SLDIAG_CXD_TOKEN or a "
            "prompt; never shown)")


def upload(path: Path, case: str, token: str, url: str = "https://cxd.cisco.com/home/",
           ca_file: Path | None = None, retries: int = 3, timeout: float = 60.0,
           backoff: float | None = None, progress: Callable[[str], None] | None = None) -> int:
    """Upload ``path``; return the HTTP status (201). Raises UploadError on failure."""
    validate_case(case)
    parts = urlsplit(target_url(url, path.name))
    if parts.scheme != "https" or not parts.hostname:
        raise UploadError(f"{url}: only https:// upload URLs are allowed; "
                          f"the bundle stays at {path}")
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    if backoff is None:
        backoff = float(os.environ.get("SLDIAG_UPLOAD_BACKOFF", "2"))
    credentials = base64.b64encode(f"{case}:{token}".encode()).decode("ascii")
    size = path.stat().st_size
    where = f"{parts.hostname}:{parts.port or 443}"
    last = "no attempt made"
    for attempt in range(1, retries + 1):
        connection = http.client.HTTPSConnection(parts.hostname, parts.port or 443,
                                                 timeout=timeout, context=context)
        try:
            with open(path, "rb") as body:
                connection.request("PUT", parts.path, body=body, headers={
                    "Authorization": f"Basic {credentials}",
                    "Content-Length": str(size),
                    "Content-Type": "application/octet-stream",
                })
            response = connection.getresponse()
            response.read()
            status = response.status
        except ssl.SSLCertVerificationError as exc:
            raise UploadError(f"{where}: TLS certificate not trusted ({exc.verify_message}); "
                              f"nothing was sent; the bundle stays at {path}") from None
        except (ConnectionRefusedError, TimeoutError, ConnectionError, OSError) as exc:
            last = _network_reason(exc)
        else:
            if status == 201:
                return status
            if status in (401, 403):
                raise UploadError(
                    f"CXD refused the credentials (HTTP {status}): check the case number "
                    f"{case} and its upload token (tokens expire); the bundle stays at {path}")
            if status not in RETRIABLE:
                raise UploadError(f"CXD answered HTTP {status} {response.reason}; "
                                  f"the bundle stays at {path}")
            last = f"HTTP {status} {response.reason}"
        finally:
            connection.close()
        if attempt < retries:
            delay = backoff * 2 ** (attempt - 1)
            if progress:
                progress(f"upload attempt {attempt} failed ({last}); retrying in {delay:g} s")
            time.sleep(delay)
    raise UploadError(f"upload to {where} failed after {retries} attempts ({last}); "
                      f"the bundle stays at {path}")


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "timed out"
    reason = getattr(exc, "strerror", None)
    return type(exc).__name__ + (f": {reason}" if reason else "")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
