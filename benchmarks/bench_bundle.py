#!/usr/bin/env python3
"""Bundles against zipping: `sldiag bundle` of a large capture next to `gzip -6` of the same
file, runs alternated, median of three each; the ratio is what it measures.

Two shapes of 100 MB: the realistic show tech of bench_large.py (licensing in the middle) and
a running-config of 700,000 interface blocks. Usage: python benchmarks/bench_bundle.py
[--megabytes 100] [--full-captures]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_large  # noqa: E402 - the generators live beside this script

ROOT = Path(__file__).resolve().parent.parent


def interface_blocks(path: Path, megabytes: int) -> None:
    blocks = megabytes * 1_000_000 // 172
    config = bench_large.running_config(blocks).split("\n", 3)[3]
    path.write_text("SW-ACC-12#show running-config\n" + config
                    + "SW-ACC-12#show license status\nSmart Licensing is ENABLED\n\n"
                    "Registration:\n  Status: REGISTERED\nSW-ACC-12#\n")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT,
                   env=bench_large.BYTECODE_WRITTEN)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--full-captures", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        shapes = {"realistic show tech": Path(folder) / "showtech.txt",
                  "700k interface blocks": Path(folder) / "interfaces.txt"}
        bench_large.generate(shapes["realistic show tech"], args.megabytes, "middle")
        interface_blocks(shapes["700k interface blocks"], args.megabytes)
        extra = ["--full-captures"] if args.full_captures else []
        for label, path in shapes.items():
            bundle, gzip = [], []
            for _ in range(3):
                gzip.append(timed(["sh", "-c", f"gzip -6 -c '{path}' > /dev/null"]))
                bundle.append(timed([sys.executable, "-m", "sldiag", "bundle", *extra,
                                     str(path), "-o", str(Path(folder) / "b.zip")]))
            b, g = statistics.median(bundle), statistics.median(gzip)
            size = path.stat().st_size / 1e6
            print(f"{label} ({size:.0f} MB){' --full-captures' if extra else ''}: "
                  f"bundle {b:.2f} s, gzip -6 {g:.2f} s, ratio {b / g:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
