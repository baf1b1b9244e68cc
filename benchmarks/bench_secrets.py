#!/usr/bin/env python3
"""The costs the secrets issue bounds, each as a ratio from paired whole-process runs:

* a bundle (default, and --full-captures) of a capture whose configuration holds one line of
  1 MB (`snmp-server community a a a ...`, the shape that made netconan quadratic), against
  `sldiag analyze` of the same capture (target: within 20x);
* `sldiag analyze --redact ips` of a capture with 16,000 distinct addresses, against the same
  analysis without --redact (target: within 3x).

Usage: python benchmarks/bench_secrets.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "01-product-already-registered.showtech.txt"


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(f"{command}: exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sldiag = [sys.executable, "-m", "sldiag"]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        text = SAMPLE.read_text()
        long_line = "snmp-server community " + " ".join(["a"] * 500_000) + " RO"
        one_mb = base / "one-mb-line.txt"
        one_mb.write_text(text.replace("hostname SW-ACC-12\n",
                                       f"hostname SW-ACC-12\n{long_line}\n"))
        addresses = base / "addresses.txt"
        hosts = "".join(f"ip host h{n} 10.{n // 65536}.{n // 256 % 256}.{n % 256}\n"
                        for n in range(16_000))
        addresses.write_text(text.replace("hostname SW-ACC-12\n", f"hostname SW-ACC-12\n{hosts}"))
        analyze = timed([*sldiag, "analyze", "--format", "json", str(one_mb)], args.runs)
        bundle = timed([*sldiag, "bundle", str(one_mb), "-o", str(base / "b.zip")], args.runs)
        full = timed([*sldiag, "bundle", "--full-captures", str(one_mb), "-o",
                      str(base / "f.zip")], args.runs)
        print(f"1 MB configuration line: analyze {analyze:.2f} s, bundle {bundle:.2f} s "
              f"({bundle / analyze:.1f}x), bundle --full-captures {full:.2f} s "
              f"({full / analyze:.1f}x); target 20x")
        plain = timed([*sldiag, "analyze", "--format", "json", str(addresses)], args.runs)
        redacted = timed([*sldiag, "analyze", "--format", "json", "--redact", "ips",
                          str(addresses)], args.runs)
        print(f"16,000 addresses: analyze {plain:.2f} s, --redact ips {redacted:.2f} s "
              f"({redacted / plain:.1f}x); target 3x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
