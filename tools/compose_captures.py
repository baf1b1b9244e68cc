#!/usr/bin/env python3
"""Compose the captures sldiag ships: rule examples (rules/examples/) and samples (samples/).

Run it after changing a building block (tools/compose/):

    python tools/compose_captures.py            # rewrite every file
    python tools/compose_captures.py --check    # exit 1 if a file is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compose.write import write_all  # noqa: E402 - after the path is set

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    sys.exit(write_all(parser.parse_args().check))
