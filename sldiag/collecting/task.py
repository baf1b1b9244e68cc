"""The Nornir task that collects one device and analyses it: usable in a team's own Nornir
scripts."""

from __future__ import annotations

from typing import Any

from ..render.road import show_lines, write_lines
from ..sanitizing.sanitizer import Sanitizer
from .connection import CollectOptions, connection_for, save_host_key
from .names import capture_stem
from .plan import collect_from


def collect_licensing(task: Any, options: CollectOptions | None = None) -> Any:
    """Nornir task: collect the licensing commands from ``task.host`` and analyse them.

    Returns a nornir Result whose ``result`` is a dict: ``capture`` (the file written, if an
    output folder was given), ``rejected`` (commands the device refused), ``gaps`` (needs no
    command answered) and ``devices`` (the analysis, in the JSON report's device form).
    Usable in a team's own Nornir scripts::

        from sldiag.collecting.task import collect_licensing
        results = nr.run(task=collect_licensing)

    The host's platform and connection extras are checked here, before any connection:
    only SSH to IOS/IOS-XE, host keys checked as sldiag's options say.
    """
    from nornir.core.task import Result

    options = options or CollectOptions()
    allowed, _ = connection_for(task.host, options)
    task.host.connection_options["netmiko"] = allowed
    connection = task.host.get_connection("netmiko", task.nornir.config)
    try:
        if task.host.get("secret") or connection.secret:
            connection.enable()
        capture = collect_from(connection, task.host.name, options.read_timeout,
                               platform=allowed.platform)
    finally:
        save_host_key(connection, options)
    lines = _written_lines(capture.text(), options.show_secrets)
    written = None
    if options.output_dir is not None:
        stem = options.capture_names.get(task.host.name) or capture_stem(task.host.name)
        written = options.output_dir / f"{stem}.log"
        write_lines(written, show_lines(lines), mode=0o600)  # a capture describes the network
    devices: list[dict[str, Any]] = []
    if options.analyse:
        from ..analysis.run import analyse_capture
        from ..diagnosing.knowledge import shared_knowledge
        from ..reading.lines import clean_text
        from ..render.documents import report_document

        name = str(written) if written else f"{task.host.name} (live)"
        results = analyse_capture(clean_text(name, "\n".join(lines) + "\n"),
                                  shared_knowledge(), Sanitizer(), with_text=False)
        devices = report_document(results)["devices"]
    return Result(host=task.host, result={"capture": str(written) if written else None,
                                          "rejected": capture.rejected, "gaps": capture.gaps,
                                          "devices": devices, "text": "\n".join(lines) + "\n"})


def _written_lines(text: str, show_secrets: bool) -> list[str]:
    """The capture as it is written: sanitised by the bundle's sanitiser (our rules, netconan
    on the configuration) unless --show-secrets."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if show_secrets:
        return lines
    from ..analysis.run import config_ranges
    from ..diagnosing.knowledge import shared_knowledge
    from ..reading.lines import clean_text
    from ..reading.sections import split_capture
    from ..sanitizing.captures import sanitised_lines

    try:
        devices = split_capture(clean_text("capture", text), shared_knowledge().catalog)
        config = config_ranges(devices)
    except Exception:  # noqa: BLE001 - a capture cut short: every line is still sanitised
        config = []
    return list(sanitised_lines(lines, config, Sanitizer()))
