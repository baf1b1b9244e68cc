#!/usr/bin/env python3
"""Time `sldiag analyze` on a small capture, whole process, and print the median.

Budget (issue "Offline analysis end to end"): median under 0.5 s on the project's 2-core
machines. Usage: python benchmarks/bench_small.py [CAPTURE] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "samples" / "08-out-of-compliance.session.log"
BUDGET_SECONDS = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    command = [sys.executable, "-m", "sldiag", "analyze", args.capture]
    subprocess.run(command, capture_output=True, cwd=ROOT)  # warm the page and rule caches
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            print(proc.stderr.decode(), file=sys.stderr)
            return 2
    size = os.path.getsize(args.capture)
    median = statistics.median(times)
    print(f"sldiag analyze {Path(args.capture).name} ({size} bytes), {args.runs} runs: "
          f"median {median:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"(budget {BUDGET_SECONDS} s: {'ok' if median <= BUDGET_SECONDS else 'OVER'})")
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
