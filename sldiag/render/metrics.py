"""The OpenMetrics text format (for node_exporter's textfile collector, Prometheus): per
device, the days to each dated deadline, findings per severity, the worst severity, and an
info metric with mode, transport and state. Every label value is device text, escaped by the
road's "openmetrics" destination."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnosing.knowledge import SEVERITIES
from ..model.problems import Problems
from ..model.results import DeviceResult
from .road import Shown, assemble, show
from .views import DEADLINE_KINDS, identity_json

# Worst severity as a number alerts can compare: higher is worse, 0 for no finding.
SEVERITY_LEVEL = {"info": 1, "warning": 2, "error": 3, "critical": 4}

_FAMILIES = [
    ("sldiag_deadline_days", "gauge",
     "Days from the device's clock to a licensing deadline (negative: passed)"),
    ("sldiag_findings", "gauge", "Findings of the device, per severity"),
    ("sldiag_worst_severity", "gauge",
     "Worst finding of the device: 0 none, 1 info, 2 warning, 3 error, 4 critical"),
    ("sldiag_licensing", "info", "Licensing mode, transport and state of the device"),
    ("sldiag_inputs_not_analysed", "gauge",
     "Inputs of the run not analysed or analysed only in part"),
]


def _labels(pairs: list[tuple[str, object]]) -> str:
    shown = (f'{name}="{show("" if value is None else value, "openmetrics")}"'
             for name, value in pairs)
    return "{" + ",".join(shown) + "}"


def _device(result: DeviceResult) -> list[tuple[str, object]]:
    ident = identity_json(result)
    return [("hostname", result.hostname or ""), ("serial", ident["serial"] or ""),
            ("source", result.source)]


def _samples(results: list[DeviceResult], problems: Problems) -> Iterator[tuple[str, str]]:
    """(family, sample line) pairs."""
    for result in results:
        device = _device(result)
        for deadline in result.state.deadlines:
            if deadline.days is None:
                continue  # not dated against a clock: no number to give
            kind = DEADLINE_KINDS.get(deadline.what, deadline.what)
            yield "sldiag_deadline_days", (
                f"sldiag_deadline_days{_labels([*device, ('kind', kind)])} {deadline.days}")
        counts = {severity: 0 for severity in SEVERITIES}
        for finding in result.findings:
            counts[finding.severity] += 1
        for severity in SEVERITIES:
            yield "sldiag_findings", (
                f"sldiag_findings{_labels([*device, ('severity', severity)])} {counts[severity]}")
        worst = result.findings[0].severity if result.findings else None
        yield "sldiag_worst_severity", (
            f"sldiag_worst_severity{_labels(device)} {SEVERITY_LEVEL.get(worst or '', 0)}")
        state = result.state
        status = (state.registration_status or state.authorization_status
                  or ("using policy" if state.using_policy else "unknown"))
        yield "sldiag_licensing", (
            "sldiag_licensing_info" + _labels([*device, ("mode", result.mode),
                                               ("transport", state.transport or ""),
                                               ("state", status)]) + " 1")
    yield "sldiag_inputs_not_analysed", f"sldiag_inputs_not_analysed {problems.count()}"


def render_openmetrics(results: list[DeviceResult], problems: Problems) -> Shown:
    """One family after the other (the format wants each family's samples together)."""
    by_family: dict[str, list[str]] = {name: [] for name, _, _ in _FAMILIES}
    for family, line in _samples(results, problems):
        by_family[family].append(line)
    out: list[str] = []
    for name, kind, helptext in _FAMILIES:
        out += [f"# TYPE {name} {kind}", f"# HELP {name} {helptext}.", *by_family[name]]
    out.append("# EOF")
    return assemble("\n".join(out) + "\n", "openmetrics")
