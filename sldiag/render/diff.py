"""The comparison of two analyses (analysis/compare.py), as text, Markdown or JSON."""

from __future__ import annotations

from ..analysis.compare import Diff
from ..model.results import DeviceResult
from .road import Shown, assemble, show
from .views import verdict


def render_diff(diff: Diff, fmt: str) -> Shown:
    """text, md or json; every name, fact value and note through the road."""
    if fmt == "json":
        from .documents import render_json

        return render_json(diff.to_json())
    md = fmt == "md"
    text, code = ("md", "md-code") if md else ("text", "text")
    counts: dict[str, int] = {}
    for d in diff.devices:
        counts[d.status] = counts.get(d.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    out: list[str] = [("# " if md else "") + f"sldiag diff - {len(diff.devices)} device"
                      f"{'s' if len(diff.devices) != 1 else ''}: {summary}", ""]

    def title(rule_id: str, result: DeviceResult | None) -> str:
        for f in (result.findings if result else []):
            if f.rule_id == rule_id:
                return f"{show(rule_id, code)} [{f.severity}] {show(f.label, text)}"
        return show(rule_id, code)

    bullet = "- " if md else "   "
    for d in diff.devices:
        name = show(d.hostname or "(unnamed device)", text)
        out.append(f"## {name}: {d.status}" if md else f"== {name}: {d.status}")
        if md:
            out.append("")
        out += [f"{bullet}resolved: {title(rule_id, d.before)}" for rule_id in d.resolved]
        out += [f"{bullet}appeared: {title(rule_id, d.after)}" for rule_id in d.appeared]
        for change in d.facts_changed:
            was, now = (show("(not shown)" if v is None else v, text)
                        for v in (change["before"], change["after"]))
            out.append(f"{bullet}{show(change['fact'], code)}: {was} -> {now}")
        if d.after is not None and d.status != "gone":
            out.append(f"{bullet}verdict now: {show(verdict(d.after), text)}")
        out.append("")
    out += [f"{'- ' if md else ''}note: {show(note, text)}" for note in diff.notes]
    return assemble(["\n".join(out).rstrip("\n"), "\n"], text)
