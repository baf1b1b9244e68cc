"""Write every composed capture where it belongs, or check that the committed ones are up to
date."""

from __future__ import annotations

from pathlib import Path

import yaml

from .blocks import ROOT
from .caveats import caveat_examples
from .classic import classic_examples
from .consoles import console_examples
from .legacy import rule_examples
from .logs import log_examples
from .pastes import paste_examples
from .samples import samples
from .slup import slup_examples

USES = Path(__file__).resolve().parent / "uses.yaml"


def targets() -> dict[Path, str | bytes]:
    """Every file the generator owns, and its content."""
    composed: dict[str, str | bytes] = {}
    for category in (rule_examples, slup_examples, caveat_examples, log_examples,
                     paste_examples, console_examples, classic_examples):
        composed.update(category())
    uses = yaml.safe_load(USES.read_text(encoding="utf-8"))
    unused = sorted(set(composed) - set(uses))
    unknown = sorted(set(uses) - set(composed))
    if unused or unknown:
        raise SystemExit(f"uses.yaml and the composed captures disagree: not placed {unused}, "
                         f"not composed {unknown}")
    out: dict[Path, str | bytes] = {}
    for key, places in uses.items():
        for place in places:
            out[ROOT / "rules" / "examples" / place] = composed[key]
    out.update({ROOT / "samples" / name: content for name, content in samples().items()})
    return out


def write_all(check: bool) -> int:
    wanted = targets()
    stale = 0
    for path, content in sorted(wanted.items()):
        data = content if isinstance(content, bytes) else content.encode()
        if path.exists() and path.read_bytes() == data:
            continue
        stale += 1
        if check:
            print(f"out of date: {path.relative_to(ROOT)}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")
    examples = ROOT / "rules" / "examples"
    for path in sorted(examples.rglob("*")):
        if path.is_file() and path not in wanted:
            stale += 1
            print(f"not composed: {path.relative_to(ROOT)}")
    return 1 if check and stale else 0
