#!/usr/bin/env python3
"""Collect from 50 fake IOS-XE switches (FakeNOS, real SSH on 127.0.0.1) with 1 and with 25
workers, and print both times. Target: the parallel run at least 10x faster.

The fake switches run in a separate process, so their SSH servers do not compete with the
collector for the interpreter lock. Usage: python benchmarks/bench_collect.py [--devices 50]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakefleet import (  # noqa: E402 - the test helpers build the fake switches
    PASSWORD,
    USER,
    free_ports,
    host_key,
    inventory,
    known_hosts_line,
    nos_file,
    outputs_of,
)


def serve(inv: dict, ready, stop) -> None:
    import logging

    from fakenos import FakeNOS

    logging.disable(logging.WARNING)
    net = FakeNOS(inventory=inv)
    net.start()
    ready.set()
    stop.wait()
    net.stop()


def collect(names_ports: list[tuple[str, int]], workers: int, known: Path, out: Path) -> float:
    from sldiag.collecting.connection import CollectOptions
    from sldiag.collecting.fleet import run_fleet
    from sldiag.collecting.inventory import build_nornir

    options = CollectOptions(output_dir=out, read_timeout=30.0, conn_timeout=20.0,
                             known_hosts=known, analyse=True)
    nr = build_nornir(hosts=[{"name": n, "hostname": "127.0.0.1", "port": p}
                             for n, p in names_ports],
                      workers=workers, username=USER, password=PASSWORD)
    start = time.perf_counter()
    outcome = run_fleet(nr, options)
    elapsed = time.perf_counter() - start
    if outcome.failed:
        reasons = sorted(set(outcome.failed.values()))
        raise SystemExit(f"{len(outcome.failed)} device(s) failed with {workers} workers: "
                         f"{reasons}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 25],
                        help="worker counts to time (the speed-up compares 1 and 25)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key = host_key(folder)
        nos = nos_file(folder, "bench", outputs_of("08-out-of-compliance.session.log"))
        ports = free_ports(args.devices)
        names = [(f"sw{i:03d}", port) for i, port in enumerate(ports)]
        inv = inventory(key, {n: {"port": p, "nos": {"plugin": str(nos)}} for n, p in names})
        known = folder / "known_hosts"
        known.write_text("".join(known_hosts_line(p, key) for _, p in names))
        ready, stop = multiprocessing.Event(), multiprocessing.Event()
        server = multiprocessing.Process(target=serve, args=(inv, ready, stop), daemon=True)
        server.start()
        try:
            if not ready.wait(60):
                raise SystemExit("the fake switches did not start")
            times = {}
            for workers in args.workers:
                out = folder / f"w{workers}"
                out.mkdir()
                times[workers] = collect(names, workers, known, out)
                print(f"{args.devices} devices, --workers {workers:>2}: {times[workers]:6.1f} s",
                      flush=True)
        finally:
            stop.set()
            server.join(30)
    if not {1, 25} <= set(times):
        return 0
    speedup = times[1] / times[25]
    print(f"speed-up with 25 workers: {speedup:.1f}x (target 10x: "
          f"{'ok' if speedup >= 10 else 'MISSED'})")
    return 0 if speedup >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
