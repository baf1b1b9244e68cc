#!/usr/bin/env python3
"""Hostile shapes: wall time and peak RSS of `sldiag analyze` / `sldiag bundle` on inputs built
to cost as much as possible (the work every input may cause must be bounded).

Each shape is generated into a temporary folder, run in a fresh process (peak RSS from
wait4), and deleted. Usage:
    python benchmarks/bench_hostile.py [--shapes NAME ...] [--gb 1.0] [--keep DIR]
The 1 GB shapes need about 1 GB of free disk each, one at a time.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLDIAG = [sys.executable, "-m", "sldiag"]
LICENSING = (ROOT / "samples" / "01-product-already-registered.showtech.txt").read_text()
MB = 1_000_000


def write_repeated(path: Path, size: int, pieces: Callable[[int], str], head: str = "",
                   tail: str = "") -> None:
    """``head``, then ``pieces(i)`` for i = 0, 1, ... until ``size`` bytes, then ``tail``."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(head)
        written, i = len(head), 0
        batch: list[str] = []
        batch_len = 0
        while written + batch_len < size:
            piece = pieces(i)
            batch.append(piece)
            batch_len += len(piece)
            i += 1
            if batch_len > 4 * MB:
                out.write("".join(batch))
                written += batch_len
                batch, batch_len = [], 0
        out.write("".join(batch))
        out.write(tail)


def shape_prompts(folder: Path, gb: float) -> list[str]:
    """220,000 distinct prompts in 4.3 MB (every prompt a different device)."""
    path = folder / "prompts.log"
    path.write_text("".join(f"SW{i:06d}#show clock\n" for i in range(220_000)))
    return ["analyze", "--format", "json", str(path)]


def shape_many_files(folder: Path, gb: float) -> list[str]:
    """100,000 tiny captures in one folder."""
    sub = folder / "many"
    sub.mkdir()
    text = LICENSING[:400]
    for i in range(100_000):
        (sub / f"c{i:06d}.log").write_text(f"SW{i}#show version\n{text}")
    return ["analyze", "--format", "json", str(sub)]


def shape_single_line_bundle(folder: Path, gb: float) -> list[str]:
    """Bundling a 200 MB single line."""
    path = folder / "line.txt"
    write_repeated(path, 200 * MB, lambda i: "x" * 4096)
    return ["bundle", str(path), "-o", str(folder / "out.zip")]


def shape_gzip_bomb(folder: Path, gb: float) -> list[str]:
    """A small .gz expanding to 1 GB, bundled."""
    path = folder / "bomb.log.gz"
    block = ("SW1#show clock\n*10:00:00.000 UTC Mon Nov 30 2026\n" * 20000).encode()
    with gzip.open(path, "wb", compresslevel=9) as out:
        for _ in range(int(gb * 1000 * MB) // len(block)):
            out.write(block)
    return ["bundle", str(path), "-o", str(folder / "out.zip")]


def interface_blocks(i: int) -> str:
    return (f"interface GigabitEthernet{i // 48 % 9 + 1}/0/{i % 48 + 1}.{i}\n"
            f" description port {i}\n switchport access vlan {i % 40 + 10}\n"
            " switchport mode access\n spanning-tree portfast\n!\n")


def _config_head() -> str:
    return (LICENSING + "\n------------------ show running-config ------------------\n\n"
            "Building configuration...\n\nversion 17.9\nhostname SW-ACC-12\n!\n")


def shape_interfaces_400(folder: Path, gb: float) -> list[str]:
    """A 400 MB show tech whose configuration holds a million interface blocks."""
    path = folder / "interfaces.txt"
    write_repeated(path, 400 * MB, interface_blocks, _config_head(), "end\n")
    return ["analyze", "--format", "json", str(path)]


def shape_interfaces_400_bundle(folder: Path, gb: float) -> list[str]:
    args = shape_interfaces_400(folder, gb)
    return ["bundle", args[-1], "-o", str(folder / "out.zip")]


def _gb_shape(name: str, pieces: Callable[[int], str], head: str = "") -> Callable[
        [Path, float], list[str]]:
    def shape(folder: Path, gb: float) -> list[str]:
        path = folder / f"{name}.txt"
        write_repeated(path, int(gb * 1000 * MB), pieces, head)
        return ["analyze", "--format", "json", str(path)]
    shape.__doc__ = f"1 GB: {name}"
    return shape


SHAPES: dict[str, Callable[[Path, float], list[str]]] = {
    "prompts-220k": shape_prompts,
    "files-100k": shape_many_files,
    "bundle-line-200MB": shape_single_line_bundle,
    "bundle-gzip-bomb": shape_gzip_bomb,
    "interfaces-400MB": shape_interfaces_400,
    "bundle-interfaces-400MB": shape_interfaces_400_bundle,
    "gb-one-line": _gb_shape("one-line", lambda i: "y" * 65536),
    "gb-newlines": _gb_shape("newlines", lambda i: "\n" * 65536),
    "gb-prompts": _gb_shape("prompts", lambda i: f"SW{i % 7}#show clock\n"),
    "gb-distinct-prompts": _gb_shape("distinct-prompts", lambda i: f"H{i}#sh ver\n"),
    "gb-interfaces": _gb_shape("interfaces", interface_blocks, _config_head()),
    "gb-global-config": _gb_shape("global-config", lambda i: (
        f"ip route 10.{i % 250}.{i // 250 % 250}.0 255.255.255.0 192.0.2.{i % 200 + 1} name r{i}\n"
    ), _config_head()),
    "gb-licensing-log": _gb_shape("licensing-log", lambda i: (
        f"*Nov 30 10:{i % 60:02d}:00.000: %SMART_LIC-3-COMM_FAILED: Communications failure "
        f"with the Cisco Smart License Utility (CSLU) : Unable to resolve server hostname {i}\n")),
    "gb-license-all": _gb_shape("license-all", lambda i: (
        f"License Usage\n==============\n\nnetwork-advantage (C9300-48 Network Advantage):\n"
        f"  Description: network-advantage {i}\n  Count: 1\n  Version: 1.0\n"
        "  Status: IN USE\n  Export status: NOT RESTRICTED\n\n"),
        "SW1#show license all\n"),
    "gb-delimiters": _gb_shape("delimiters", lambda i: f"------ show license status {i} ------\n"),
    # Lines of terminal bells after a text head: every byte a search hit.
    "gb-control-lines": _gb_shape("control-lines", lambda i: "x" + "\x07" * 60000 + "\n",
                                  "SW1#show logging\n" + "Log Buffer (8192 bytes):\n" * 4000),
}


def run(args: list[str], timeout: float) -> tuple[float, float, int, str]:
    """Seconds, peak RSS (MB), exit status and stderr of one run (killed after ``timeout``)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(SLDIAG + args, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    if time.perf_counter() - start >= timeout:
        text = f"killed after {timeout:.0f} s\n" + text
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--gb", type=float, default=1.0, help="size of the 1 GB shapes, in GB")
    parser.add_argument("--keep", type=Path, help="generate here and keep the files")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    options = parser.parse_args()
    print(f"{'shape':28} {'seconds':>8} {'peak MB':>8} {'exit':>4}  first stderr line")
    for name in options.shapes:
        folder = Path(tempfile.mkdtemp(prefix=f"sldiag-{name}-", dir=options.keep))
        try:
            args = SHAPES[name](folder, options.gb)
            seconds, peak, code, err = run(args, options.timeout)
            first = next(iter(err.splitlines()), "")
            print(f"{name:28} {seconds:8.1f} {peak:8.0f} {code:>4}  {first[:110]}", flush=True)
        finally:
            if options.keep is None:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
