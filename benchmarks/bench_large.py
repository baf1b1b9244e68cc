#!/usr/bin/env python3
"""Large show tech captures: wall time, MB/s and peak RSS of `sldiag analyze`, next to the
time `grep -c -E 'SMART_LIC|CALL_HOME|show license'` takes on the same file.

The generated capture is realistic in shape: a long logging buffer, a running-config with
thousands of interfaces, interface counters, and the licensing sections at the start, middle
or end. Usage: python benchmarks/bench_large.py [--sizes 10 100] [--where start|middle|end]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSING = (ROOT / "samples" / "01-product-already-registered.showtech.txt").read_text()


def filler_blocks(host: str):
    """Endless realistic show-tech sections licensing never needs."""
    n = 0
    while True:
        n += 1
        yield "\n------------------ show interfaces ------------------\n\n"
        for i in range(1, 49):
            yield (f"GigabitEthernet{n % 9 + 1}/0/{i} is up, line protocol is up (connected)\n"
                   f"  Hardware is Gigabit Ethernet, address is 70b3.172a.{i:04x} "
                   f"(bia 70b3.172a.{i:04x})\n"
                   f"  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n"
                   f"     {n * 1000 + i} packets input, {n * 64000 + i} bytes, 0 no buffer\n"
                   f"     {n * 900 + i} packets output, {n * 51000 + i} bytes, 0 underruns\n")
        yield "\n------------------ show logging ------------------\n\n"
        for i in range(200):
            yield (f"*Mar  1 00:{i % 60:02d}:{i % 60:02d}.{i:03d}: %LINK-3-UPDOWN: Interface "
                   f"GigabitEthernet1/0/{i % 48 + 1}, changed state to up\n")
        yield "\n------------------ show running-config ------------------\n\n"
        for i in range(1, 200):
            yield (f"interface GigabitEthernet{n % 9 + 1}/0/{i}\n description user port {i}\n"
                   f" switchport access vlan {i % 40 + 10}\n switchport mode access\n"
                   f" spanning-tree portfast\n!\n")


def generate(path: Path, megabytes: int, where: str) -> None:
    target = megabytes * 1_000_000
    body = LICENSING.split("\n", 1)[1]  # without the first prompt line
    with open(path, "w", encoding="utf-8") as out:
        out.write("SW-ACC-12#show tech-support\n")
        written = 0
        placed = False
        if where == "start":
            out.write(body)
            placed = True
        for block in filler_blocks("SW-ACC-12"):
            if not placed and where == "middle" and written >= target // 2:
                out.write(body)
                placed = True
            out.write(block)
            written += len(block)
            if written >= target:
                break
        if not placed:
            out.write(body)
        out.write("SW-ACC-12#\n")


def measure(path: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    subprocess.run(["grep", "-c", "-E", "SMART_LIC|CALL_HOME|show license", str(path)],
                   capture_output=True)
    grep = time.perf_counter() - start
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "sldiag", "analyze", "--format", "json",
                           str(path)], capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, largest child so far
    return wall, grep, max(peak, before)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100], help="MB")
    parser.add_argument("--where", choices=["start", "middle", "end"], default="middle")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.sizes:
            path = Path(tmp) / f"showtech-{megabytes}MB.txt"
            generate(path, megabytes, args.where)
            subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL)  # into the page cache
            wall, grep, peak_kib = measure(path)
            size = path.stat().st_size / 1e6
            print(f"{size:7.1f} MB (licensing at the {args.where}): sldiag {wall:6.2f} s "
                  f"({size / wall:5.1f} MB/s, peak RSS {peak_kib / 1024:6.0f} MB); "
                  f"grep {grep:5.2f} s; "
                  f"ratio {wall / grep:5.1f}x (target 10x)", flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
