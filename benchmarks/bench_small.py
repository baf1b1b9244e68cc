#!/usr/bin/env python3
"""Time `sldiag analyze` on a small capture, whole process, against `python -c 'import yaml,
click'`, in alternation, and print the medians and their ratio.

Python's bytecode is written (as an installed package has it) and sldiag's cache lives in a
fresh folder: the first run fills it (printed as "first run"), the timed runs use it.
Budget (issue "Offline analysis end to end"): median under 0.5 s on the project's 2-core
machines. Usage: python benchmarks/bench_small.py [CAPTURE] [--runs N] [--format FMT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "samples" / "08-out-of-compliance.session.log"
BUDGET_SECONDS = 0.5
FLOOR = [sys.executable, "-c", "import yaml, click"]


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed: {proc.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--format", default="text")
    args = parser.parse_args()
    # The command users run: the `sldiag` script installed beside this Python (python -m
    # sldiag adds runpy's few milliseconds), else the module.
    script = Path(sys.executable).parent / "sldiag"
    entry = [str(script)] if script.is_file() else [sys.executable, "-m", "sldiag"]
    command = [*entry, "analyze", "--format", args.format, args.capture]
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["SLDIAG_CACHE_DIR"] = str(Path(cache) / "sldiag")
        first = _timed(command, env)
        _timed(FLOOR, env)
        ours, floor = [], []
        for _ in range(args.runs):
            ours.append(_timed(command, env))
            floor.append(_timed(FLOOR, env))
    size = os.path.getsize(args.capture)
    median, base = statistics.median(ours), statistics.median(floor)
    print(f"sldiag analyze --format {args.format} {Path(args.capture).name} ({size} bytes), "
          f"{args.runs} runs: median {median:.3f} s (min {min(ours):.3f}, max {max(ours):.3f}); "
          f"first run, empty cache: {first:.3f} s")
    print(f"python -c 'import yaml, click': median {base:.3f} s; ratio {median / base:.2f}x "
          f"(budget {BUDGET_SECONDS} s: {'ok' if median <= BUDGET_SECONDS else 'OVER'})")
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
