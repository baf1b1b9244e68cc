"""The deadlines of a fleet as an inline SVG, for the HTML dashboard."""

from __future__ import annotations

from ..model.results import DeviceResult
from ..model.values import human
from .road import Shown, assemble, show
from .views import days_text, device_heading, verdict_class, worst_first

_TIMELINE_KINDS = {"next ACK deadline": "#b45309", "communication deadline": "#b91c1c",
                   "registration expires": "#1d4ed8", "evaluation ends": "#7c3aed"}


def timeline_svg(results: list[DeviceResult], width: int = 1000) -> Shown:
    """The deadlines of every device as an inline SVG: one row per device (worst first), days
    from each device's own clock on the x axis, today marked. Empty when no device has one."""
    rows = []
    for r in worst_first(results):
        marks = [d for d in r.state.deadlines if d.days is not None]
        if marks:
            rows.append((device_heading(r), verdict_class(r), marks))
    if not rows:
        return assemble([], "html")
    days = [d.days for _, _, marks in rows for d in marks if d.days is not None]
    low = max(-365, min(-14, min(days) - 7))
    high = min(1100, max(30, max(days) + 7))
    label_w, right, top, row_h = 200, 20, 58, 22
    plot = width - label_w - right
    height = top + row_h * len(rows) + 30

    def x(day: int) -> float:
        day = min(max(day, low), high)
        return label_w + plot * (day - low) / (high - low)

    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="Deadlines per device, in days from each device\'s clock">']
    legend_x = label_w
    for kind, colour in _TIMELINE_KINDS.items():
        out.append(f'<circle cx="{legend_x + 6}" cy="14" r="5" fill="{colour}"/>'
                   f'<text x="{legend_x + 16}" y="18" font-size="12">{show(kind, "html")}</text>')
        legend_x += 30 + 7 * len(kind)
    step = next(s for s in (7, 14, 30, 60, 90, 180, 365) if (high - low) / s <= 12)
    tick = (low // step) * step
    while tick <= high:
        if tick >= low:
            out.append(f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" '
                       f'y2="{height - 24}" stroke="#e5e7eb"/>'
                       f'<text x="{x(tick):.1f}" y="{height - 8}" font-size="11" '
                       f'text-anchor="middle" fill="#6b7280">{tick:+d} d</text>')
        tick += step
    out.append(f'<line class="today" x1="{x(0):.1f}" y1="{top - 14}" x2="{x(0):.1f}" '
               f'y2="{height - 24}" stroke="#111827" stroke-width="2"/>'
               f'<text x="{x(0):.1f}" y="{top - 18}" font-size="12" font-weight="bold" '
               'text-anchor="middle">today</text>')
    for n, (name, klass, marks) in enumerate(rows):
        y = top + n * row_h + row_h / 2
        shown = name if len(name) <= 28 else name[:27] + "\u2026"
        out.append(f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="12" '
                   f'text-anchor="end" class="sev-{klass}">{show(shown, "html")}</text>'
                   f'<line x1="{label_w}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   'stroke="#f3f4f6"/>')
        for d in marks:
            colour = _TIMELINE_KINDS[d.what]
            tip = f"{name}: {d.what} {human(d.when)} ({days_text(d.days, d.at_least)})"
            out.append(f'<circle class="deadline" cx="{x(d.days or 0):.1f}" cy="{y:.1f}" r="6" '
                       f'fill="{colour}"><title>{show(tip, "html")}</title></circle>')
    out.append("</svg>")
    return assemble(out, "html")
