#!/usr/bin/env python3
"""An archive of 1,000 captures: `sldiag analyze DIR` with 1 and 2 jobs, against separate
`sldiag analyze FILE` runs (timed on a sample of them and scaled to the whole archive).

Targets: 2 jobs at least 1.7x faster than 1; one run over the folder at least 20x faster than
1,000 separate runs. Usage: python benchmarks/bench_archive.py [--captures 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--separate-sample", type=int, default=30)
    args = parser.parse_args()
    sldiag = [sys.executable, "-m", "sldiag", "analyze", "--format", "json"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = [p for p in sorted((ROOT / "samples").iterdir()) if p.suffix in {".log", ".txt"}]
        files = []
        for n, src in zip(range(args.captures), itertools.cycle(sources)):
            target = folder / f"{n:05d}-{src.name}"
            shutil.copy(src, target)
            files.append(target)
        size = sum(f.stat().st_size for f in files)
        timed(sldiag + ["--jobs", "1", str(folder)])  # warm caches
        # Alternated, so that a machine whose speed drifts (shared hosts do) weighs on both.
        ones, twos = [], []
        for _ in range(args.repeat):
            ones.append(timed(sldiag + ["--jobs", "1", str(folder)]))
            twos.append(timed(sldiag + ["--jobs", "2", str(folder)]))
        one, two = statistics.median(ones), statistics.median(twos)
        sample = files[: args.separate_sample]
        each = statistics.median(timed(sldiag + [str(f)]) for f in sample)
    separate = each * args.captures
    print(f"{args.captures} captures, {size / 1e6:.1f} MB")
    print(f"  one run, --jobs 1: {one:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ones)})")
    print(f"  one run, --jobs 2: {two:6.2f} s  ({one / two:.2f}x; target 1.7x; runs: "
          f"{', '.join(f'{t:.2f}' for t in twos)})")
    print(f"  {args.captures} separate runs: {separate:6.1f} s (median {each:.3f} s each, "
          f"over {len(sample)}) -> one run is {separate / two:.0f}x faster (target 20x)")
    return 0 if one / two >= 1.7 and separate / two >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
