#!/usr/bin/env python3
"""Large show tech captures: wall time, MB/s and peak RSS of `sldiag analyze`, next to the
time `grep -c -E 'SMART_LIC|CALL_HOME|show license'` takes on the same file, and next to a
floor: the least a Python tool does to answer the same question (start, read every byte in
8 MB chunks, find the three literals with Hyperscan, count the lines before them).

The generated capture is realistic in shape: a long logging buffer, a running-config with
thousands of interfaces, interface counters, and the licensing sections at the start, middle
or end. Usage: python benchmarks/bench_large.py [--sizes 10 100] [--where start|middle|end]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSING = (ROOT / "samples" / "01-product-already-registered.showtech.txt").read_text()


def running_config(interfaces: int) -> str:
    """One running-config of a large stack: thousands of interfaces, a few global lines."""
    out = ["\n------------------ show running-config ------------------\n\n",
           "Building configuration...\n\nCurrent configuration : 912345 bytes\n!\n",
           "version 16.12\nhostname SW-ACC-12\n!\n"]
    for i in range(interfaces):
        member, port = i // 48 % 9 + 1, i % 48 + 1
        name = (f"GigabitEthernet{member}/0/{port}" if i < 432
                else f"Vlan{i - 431}")
        out.append(f"interface {name}\n description user port {i} -> closet {i % 17}\n"
                   f" switchport access vlan {i % 40 + 10}\n switchport mode access\n"
                   f" spanning-tree portfast\n ip dhcp snooping limit rate 15\n!\n")
    out.append("line vty 0 4\n transport input ssh\n!\nend\n\n")
    return "".join(out)


def filler_blocks():
    """Endless realistic show-tech sections licensing never needs, each as long as a busy
    9-member stack prints it: interface counters, a long logging buffer, and tables whose
    lines hold '#', '>' and dashed rules (MAC and BGP tables), which look like prompts and
    delimiters to a quick search."""
    n = 0
    while True:
        n += 1
        yield "\n------------------ show interfaces ------------------\n\n"
        for i in range(432):
            member, port = i // 48 + 1, i % 48 + 1
            yield (f"GigabitEthernet{member}/0/{port} is up, line protocol is up (connected)\n"
                   f"  Hardware is Gigabit Ethernet, address is 70b3.172a.{i:04x} "
                   f"(bia 70b3.172a.{i:04x})\n"
                   f"  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,\n"
                   f"     {n * 1000 + i} packets input, {n * 64000 + i} bytes, 0 no buffer\n"
                   f"     {n * 900 + i} packets output, {n * 51000 + i} bytes, 0 underruns\n")
        yield "\n------------------ show logging ------------------\n\n"
        for i in range(2000):
            yield (f"*Mar  1 00:{i % 60:02d}:{i % 60:02d}.{i % 1000:03d}: %LINK-3-UPDOWN: "
                   f"Interface GigabitEthernet1/0/{i % 48 + 1}, changed state to up\n")
        yield ("\n------------------ show platform software fed switch active matm macTable "
               "------------------\n\nVLAN   MAC              Type  Seq#   EC_Bi  Flags  "
               "machandle        ports\n" + "-" * 90 + "\n")
        for i in range(500):
            yield (f"{i % 40 + 10:>6}   70b3.172a.{i:04x}   0x1  {i:>5}      0      0  "
                   f"0x7f3b4c8e{i:04x}   GigabitEthernet{i // 48 % 9 + 1}/0/{i % 48 + 1}\n")
        yield ("\n------------------ show ip bgp ------------------\n\n"
               "     Network          Next Hop            Metric LocPrf Weight Path\n")
        for i in range(300):
            yield (f" *>  10.{n % 250}.{i % 250}.0/24     10.1.1.{i % 250 + 1}  0    100      "
                   f"0 65001 i\n")


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
        config = running_config(4000)
        out.write(config)
        written += len(config)
        for block in filler_blocks():
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


# The command users run: the `sldiag` script beside this Python, else the module.
_SCRIPT = Path(sys.executable).parent / "sldiag"
SLDIAG = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "sldiag"]
# As an installed package runs: Python's bytecode written (this machine's shell turns it off).
BYTECODE_WRITTEN = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def findings_of(path: Path) -> tuple[list[list[str]], float, int]:
    """Finding ids per device, wall time and peak RSS (KiB) of one `sldiag analyze` run."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([*SLDIAG, "analyze", "--format", "json", str(path)],
                                stdout=out, stderr=subprocess.PIPE, cwd=ROOT,
                                env=BYTECODE_WRITTEN)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"sldiag failed ({code}): {proc.stderr.read().decode()}")
        proc.stderr.close()
        out.seek(0)
        devices = json.load(out)["devices"]
    return [[f["id"] for f in d["findings"]] for d in devices], wall, usage.ru_maxrss


def grep_time(path: Path) -> float:
    """Median of three runs of the grep that only reads the file."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(["grep", "-c", "-E", "SMART_LIC|CALL_HOME|show license", str(path)],
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


FLOOR = """
import sys, hyperscan
db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
db.compile(expressions=[b"SMART_LIC", b"CALL_HOME", b"show license"], ids=[0, 1, 2],
           elements=3)
lines, found = 0, []
with open(sys.argv[1], "rb") as fh:
    while chunk := fh.read(8 << 20):
        db.scan(chunk, match_event_handler=lambda i, f, to, fl, ctx: found.append((lines, to)))
        lines += chunk.count(b"\\n")
print(len(found), lines)
"""


def floor_time(path: Path) -> float:
    """Median of three runs of the floor (see the module's docstring)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR, str(path)], capture_output=True,
                       check=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100], help="MB")
    parser.add_argument("--where", choices=["start", "middle", "end"], default="middle")
    parser.add_argument("--dir", help="where to write the generated captures (default: a "
                        "temporary folder)")
    args = parser.parse_args()
    expected, _, _ = findings_of(ROOT / "samples" / "01-product-already-registered.showtech.txt")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for megabytes in args.sizes:
            path = Path(tmp) / f"showtech-{megabytes}MB.txt"
            generate(path, megabytes, args.where)
            subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL)  # into the page cache
            grep = grep_time(path)
            floor = floor_time(path)
            runs = [findings_of(path) for _ in range(3)]  # a median, as grep's and the floor's
            found = runs[0][0]
            wall = sorted(run[1] for run in runs)[1]
            peak_kib = max(run[2] for run in runs)
            size = path.stat().st_size / 1e6
            same = "same findings as the sample alone" if found == expected else \
                f"FINDINGS DIFFER: {found} vs {expected}"
            print(f"{size:7.1f} MB (licensing at the {args.where}): sldiag {wall:6.2f} s "
                  f"({size / wall:6.1f} MB/s, peak RSS {peak_kib / 1024:5.0f} MB); "
                  f"grep {grep:5.3f} s, ratio {wall / grep:4.1f}x; floor {floor:5.3f} s, "
                  f"ratio {wall / floor:4.1f}x; {same}",
                  flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
