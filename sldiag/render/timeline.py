"""The deadlines of a fleet as an inline SVG, for the HTML dashboard: one row per device,
soonest deadline first, each row a link to its device and marked for the page's filter."""

from __future__ import annotations

from collections.abc import Callable

from ..model.results import Deadline, DeviceResult
from ..model.values import human
from .road import Shown, assemble, show
from .views import days_text, device_heading, verdict_class

_TIMELINE_KINDS = {"next ACK deadline": "#b45309", "communication deadline": "#b91c1c",
                   "registration expires": "#1d4ed8", "evaluation ends": "#7c3aed"}
ROW_HEIGHT = 22
TOP = 58


def _legend_and_axis(x: Callable[[int], float], low: int, high: int, height: int,
                     label_w: int) -> list[str]:
    out = []
    legend_x = label_w
    for kind, colour in _TIMELINE_KINDS.items():
        out.append(f'<circle cx="{legend_x + 6}" cy="14" r="5" fill="{colour}"/>'
                   f'<text x="{legend_x + 16}" y="18" font-size="12">{show(kind, "html")}</text>')
        legend_x += 30 + 7 * len(kind)
    step = next(s for s in (7, 14, 30, 60, 90, 180, 365) if (high - low) / s <= 12)
    tick = (low // step) * step
    out.append('<g class="axis">')
    while tick <= high:
        if tick >= low:
            out.append(f'<line class="grid" x1="{x(tick):.1f}" y1="{TOP - 8}" x2="{x(tick):.1f}" '
                       f'y2="{height - 24}" stroke="#e5e7eb"/>'
                       f'<text class="tick" x="{x(tick):.1f}" y="{height - 8}" font-size="11" '
                       f'text-anchor="middle" fill="#6b7280">{tick:+d} d</text>')
        tick += step
    out.append(f'<line class="today" x1="{x(0):.1f}" y1="{TOP - 14}" x2="{x(0):.1f}" '
               f'y2="{height - 24}" stroke="#111827" stroke-width="2"/>'
               f'<text x="{x(0):.1f}" y="{TOP - 18}" font-size="12" font-weight="bold" '
               'text-anchor="middle">today</text></g>')
    return out


def _row(row: tuple[int, str, int, str, list[Deadline]], y: int, x: Callable[[int], float],
         label_w: int, end: int) -> list[str]:
    """One device: its name (a link to it) and a dot per deadline, a passed one ringed."""
    soonest, name, number, klass, marks = row
    mid = ROW_HEIGHT / 2
    shown = name if len(name) <= 28 else name[:27] + "\u2026"
    overdue = " overdue" if soonest < 0 else ""
    out = [f'<g class="tl-row{overdue}" data-class="{klass}" data-days="{soonest}" '
           f'data-device="device-{number}" data-name="{show(name, "html")}" '
           f'transform="translate(0,{y})">'
           f'<a href="#device-{number}"><text x="{label_w - 8}" y="{mid + 4:.1f}" '
           f'font-size="12" text-anchor="end" class="sev-{klass}">{show(shown, "html")}'
           f'</text></a><line class="lane" x1="{label_w}" y1="{mid:.1f}" '
           f'x2="{end}" y2="{mid:.1f}" stroke="#f3f4f6"/>']
    for d in marks:
        colour = _TIMELINE_KINDS[d.what]
        late = d.days is not None and d.days < 0
        tip = f"{name}: {d.what} {human(d.when)} ({days_text(d.days, d.at_least)})"
        ring = ' stroke="#111827" stroke-width="2"' if late else ""
        out.append(f'<circle class="deadline{" overdue" if late else ""}" '
                   f'cx="{x(d.days or 0):.1f}" cy="{mid:.1f}" r="{7 if late else 6}" '
                   f'fill="{colour}"{ring}><title>{show(tip, "html")}</title></circle>')
    out.append("</g>")
    return out


def undated(results: list[DeviceResult]) -> list[tuple[int, DeviceResult, str]]:
    """The devices the timeline cannot place: (their number in the report, the device, why)."""
    out = []
    for n, r in enumerate(results, 1):
        if not any(d.days is not None for d in r.state.deadlines):
            why = ("no clock in the capture" if r.reference_time is None and r.state.deadlines
                   else "no dated deadline in the capture")
            out.append((n, r, why))
    return out


def timeline_svg(results: list[DeviceResult], width: int = 1000) -> Shown:
    """The deadlines of every device as an inline SVG: one row per device, the soonest (most
    overdue) deadline first, days from each device's own clock on the x axis, today marked.
    Each row links to its device and carries ``data-days`` (days to its next deadline) and
    ``data-class`` (its verdict) for the page's filter; a passed deadline is ``overdue``.
    Empty when no device has a dated deadline."""
    rows = []
    for n, r in enumerate(results, 1):
        marks = [d for d in r.state.deadlines if d.days is not None]
        if marks:
            soonest = min(d.days for d in marks if d.days is not None)
            rows.append((soonest, device_heading(r), n, verdict_class(r), marks))
    if not rows:
        return assemble([], "html")
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    days = [d.days for *_, marks in rows for d in marks if d.days is not None]
    low = max(-365, min(-14, min(days) - 7))
    high = min(1100, max(30, max(days) + 7))
    label_w, right = 200, 20
    plot = width - label_w - right
    height = TOP + ROW_HEIGHT * len(rows) + 30

    def x(day: int) -> float:
        day = min(max(day, low), high)
        return label_w + plot * (day - low) / (high - low)

    out = [f'<svg class="timeline" id="timeline-svg" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'data-top="{TOP}" data-row="{ROW_HEIGHT}" '
           'aria-label="Deadlines per device, soonest first, in days from each device\'s clock">']
    out += _legend_and_axis(x, low, high, height, label_w)
    for n, row in enumerate(rows):
        out += _row(row, TOP + n * ROW_HEIGHT, x, label_w, width - right)
    out.append("</svg>")
    return assemble(out, "html")
