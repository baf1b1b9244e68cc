"""sldiag's facts against the expected results other parsers ship beside the corpus outputs
(genieparser's ``.expected.py``, ntc-templates' ``.expected.yml``), on every field both
describe. A field is compared when the mapping below says which sldiag fact or row holds it.
Where the two disagree and sldiag is right (or both read the same text differently), the
difference is listed in ACCEPTED with the reason; the test fails on any other difference,
and also when an accepted difference no longer occurs (the list must stay true).
Skipped when ../shared/corpus is not beside the project."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import yaml

from sldiag.analysis.run import analyse_capture
from sldiag.model import facts as fm
from sldiag.model import values
from sldiag.reading.read import read_whole as read_capture
from sldiag.sanitizing.sanitizer import Sanitizer

from .conftest import CORPUS

EXPECTED_FILES = sorted(CORPUS.glob("*.expected.py")) + sorted(CORPUS.glob("*.expected.yml")) \
    if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not EXPECTED_FILES, reason="../shared/corpus not present")

MISSING = object()  # sldiag does not model this field: not compared
EMPTY = {"", "<none>", "<empty>", "none", "not configured", "not yet set up", "n/a",
         "no past history", "no past import history"}

# (output file, dotted field of the other parser): why the values differ.
ACCEPTED: dict[tuple[str, str], str] = {
    # genieparser's regex keeps the comma of "PID:C9300-24UX,SN:..." in the PID.
    ("genie__show_license_authorization__1", "overall status.active.pid"):
        "genieparser keeps the comma after the PID ('C9300-24UX,'); the PID is C9300-24UX",
}
# genieparser reads the "Telemetry Reporting:" block that follows "Hello Message:" into
# hello_message (all zero and <none>); the Hello Message block itself prints the counters
# sldiag reads, e.g. tech support 1: "Attempts: Total=210, Success=0, Fail=210",
# "Last Response: NO REPLY on Dec 02 10:12:31 2023 PDT".
for _stem, _fields in {
        "genie__show_license_tech_support__1": ("attempts", "last_response", "last_failure_time"),
        "genie__show_license_tech_support__2": ("attempts", "last_response", "last_failure_time"),
        "genie__show_license_tech_support__13": ("attempts", "last_response", "last_success_time"),
        "genie__show_license_tech_support__15": ("attempts", "last_response", "last_failure_time"),
}.items():
    for _field in _fields:
        ACCEPTED[(_stem, f"communication_statistics.hello_message.{_field}")] = (
            "genieparser takes the Telemetry Reporting block after Hello Message for it")


def _load(path) -> Any:
    if path.suffix == ".yml":
        return yaml.safe_load(path.read_text())["parsed_sample"]
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path}: no expected_output")


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        out = []
        for key, sub in value.items():
            out += _flat(sub, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list):
        out = []
        for n, sub in enumerate(value):
            out += _flat(sub, f"{prefix}[{n}]")
        return out
    return [(prefix, value)]


# --- how sldiag holds a field ----------------------------------------------------------------

Getter = Callable[[fm.Facts, re.Match[str]], Any]


def fact(path: str) -> Getter:
    def get(facts: fm.Facts, _m: re.Match[str]) -> Any:
        return facts.value(path)
    return get


def first_fact(*paths: str) -> Getter:
    def get(facts: fm.Facts, m: re.Match[str]) -> Any:
        for path in paths:
            value = fact(path)(facts, m)
            if value is not None:
                return value
        return None
    return get


def account(facts: fm.Facts, m: re.Match[str]) -> Any:
    name = facts.get("account.smart_account")
    if name is None:
        return fact("registration.smart_account")(facts, m)
    as_of = facts.get("account.as_of")
    return f"{name.value} As of {as_of.raw or as_of.value}" if as_of else name.value


def list_item(path: str, group: int = 1) -> Getter:
    """The n-th entry of a list fact, n being the position of the matched key among the
    keys the other parser used (dict order = printed order)."""
    def get(facts: fm.Facts, m: re.Match[str]) -> Any:
        values = facts.value(path) or []
        n = ROLE_ORDER.get(m.group(group), -1)
        return values[n] if 0 <= n < len(values) else None
    return get


ROLE_ORDER = {"active": 0, "standby": 1, "member": 2, "member2": 3, "member3": 4}


def ha_unit(part: str) -> Getter:
    def get(facts: fm.Facts, m: re.Match[str]) -> Any:
        unit = list_item("udi.ha_units")(facts, m)
        if unit is None:
            return None
        found = re.search(rf"{part.upper()}:([^,\s]+)", unit)
        return found.group(1) if found else None
    return get


def trust_info(facts: fm.Facts, m: re.Match[str]) -> Any:
    when = list_item("trust.installed")(facts, m)
    return None if when is None else f"INSTALLED on {when}"


def row(collection: str, key_field: str, field: str, key: Callable[[str], str] = str,
        compose: Callable[[fm.Row], Any] | None = None) -> Getter:
    def get(facts: fm.Facts, m: re.Match[str]) -> Any:
        wanted = key(m.group(1)).lower()
        for r in facts.rows(collection):
            if values.human(r.get(key_field)).strip().lower() == wanted:
                return compose(r) if compose else r.get(field)
        return None
    return get


def nth_row(collection: str, field: str) -> Getter:
    def get(facts: fm.Facts, m: re.Match[str]) -> Any:
        rows = facts.rows(collection)
        n = int(m.group(1)) - 1
        return rows[n].get(field) if 0 <= n < len(rows) else None
    return get


def comm(field: str) -> Getter:
    def compose(r: fm.Row) -> Any:
        if field == "attempts":
            return f"Total={r.get('total')}, Success={r.get('success')}, Fail={r.get('fail')}"
        if field == "last_response":  # as printed: "OK_POLL on Jan 10 20:31:24 2022 UTC"
            where = r.field_lines.get("last_response")
            return where[1].split(":", 1)[1].strip() if where else r.get("last_response")
        return r.get(field)
    return row("comm_stats", "message", field, key=lambda k: k.replace("_", " "),
               compose=compose)


def history(facts: fm.Facts, m: re.Match[str]) -> Any:
    name = m.group(1).replace("_", " ").lower()
    for r in facts.message_history:
        if (r.get("message") or "").lower() == name:
            entries = r.get("entries") or []
            return entries[0] if len(entries) == 1 else entries
    return None


def event(facts: fm.Facts, m: re.Match[str]) -> Any:
    n = int(m.group(1))
    rows = facts.eventlog
    return f"{rows[n].get('event')} {rows[n].get('details')}" if n < len(rows) else None


def rum(field: str) -> Getter:
    return row("rum_reports", "report_id", field)


_STATUS = r"(?:smart_licensing_status\.)?"
FIELDS: list[tuple[str, Getter]] = [
    (rf"^{_STATUS}account_information\.smart_account$", account),
    (rf"^{_STATUS}account_information\.virtual_account$",
     first_fact("account.virtual_account", "registration.virtual_account")),
    (rf"^{_STATUS}smart_licensing_using_policy\.status$", fact("smart_licensing.using_policy")),
    (rf"^{_STATUS}smart_licensing_using_policy\.reporting_mode$",
     fact("smart_licensing.reporting_mode")),
    (rf"^{_STATUS}transport\.type$", fact("transport.type")),
    (rf"^{_STATUS}transport\.url$", fact("transport.url")),
    (rf"^{_STATUS}transport\.cslu_address$", fact("transport.cslu_address")),
    (rf"^{_STATUS}transport\.proxy\.address$", fact("transport.proxy_address")),
    (rf"^{_STATUS}transport\.proxy\.port$", fact("transport.proxy_port")),
    (rf"^{_STATUS}transport\.server_identity_check$", fact("transport.server_identity_check")),
    (rf"^{_STATUS}transport\.vrf$", fact("transport.vrf")),
    (rf"^{_STATUS}transport\.ip_mode$", fact("transport.ip_mode")),
    (rf"^{_STATUS}transport\.trust_point$", fact("transport.trust_point")),
    (rf"^{_STATUS}policy\.policy_in_use$", fact("policy.in_use")),
    (rf"^{_STATUS}policy\.policy_name$", fact("policy.name")),
    (rf"^{_STATUS}policy\.reporting_ack_required$", fact("policy.ack_required")),
    (rf"^{_STATUS}policy\.unenforced_non_export_perpetual_attributes\.reporting_frequency_days$",
     fact("policy.perpetual_reporting_frequency")),
    (rf"^{_STATUS}policy\.unenforced_non_export_subscription_attributes\.reporting_frequency_days$",
     fact("policy.subscription_reporting_frequency")),
    (rf"^{_STATUS}usage_reporting\.last_ack_received$", fact("usage_reporting.last_ack_received")),
    (rf"^{_STATUS}usage_reporting\.next_ack_deadline$", fact("usage_reporting.next_ack_deadline")),
    (rf"^{_STATUS}usage_reporting\.next_report_push$", fact("usage_reporting.next_report_push")),
    (rf"^{_STATUS}usage_reporting\.last_report_push$", fact("usage_reporting.last_report_push")),
    (rf"^{_STATUS}usage_reporting\.reporting_push_interval$",
     fact("usage_reporting.reporting_interval")),
    # sldiag reads "Trust Code Installed: <none>" as NOT INSTALLED.
    (rf"^{_STATUS}trust_code_installed$",
     lambda f, m: None if f.value("trust.code") == "NOT INSTALLED" else f.value("trust.code")),
    (rf"^{_STATUS}trust_code_installed\.(\w+)\.info$", trust_info),
    (r"^(?:product_information\.udi|udi_details)\.pid$", fact("udi.pid")),
    (r"^(?:product_information\.udi|udi_details)\.sn$", fact("udi.sn")),
    (r"^(?:product_information\.)?ha_udi_list\.(\w+)\.pid$", ha_unit("pid")),
    (r"^(?:product_information\.)?ha_udi_list\.(\w+)\.sn$", ha_unit("sn")),
    (r"^agent_version\.smart_agent_for_licensing$", fact("smart_licensing.agent_version")),
    (r"^usage_report_summary\.total$", fact("reports.total")),
    (r"^usage_report_summary\.total_acknowledged_received$", fact("reports.acknowledged")),
    (r"^usage_report_summary\.waiting_for_ack$", fact("reports.waiting_for_ack")),
    (r"^usage_report_summary\.available_to_report$", fact("reports.available_to_report")),
    (r"^communication_statistics\.communication_level_allowed$",
     fact("agent.communication_level")),
    (r"^communication_statistics\.overall_state$", fact("agent.overall_state")),
    (r"^communication_statistics\.(\w+)\.attempts$", comm("attempts")),
    (r"^communication_statistics\.(\w+)\.last_response$", comm("last_response")),
    (r"^communication_statistics\.(\w+)\.failure_reason$", comm("failure_reason")),
    (r"^communication_statistics\.(\w+)\.last_success_time$", comm("last_success")),
    (r"^communication_statistics\.(\w+)\.last_failure_time$", comm("last_failure")),
    (r"^other_info\.agent_state$", fact("agent.state")),
    (r"^other_info\.overall_trust$", fact("trust.overall")),
    (r"^other_info\.clock_synced_with_ntp$", fact("clock.ntp_synced")),
    (r"^upcoming_scheduled_jobs\.current_time$", fact("clock.agent_time")),
    (r"^license_usage\.handle\.(\d+)\.license$", row("license_usage", "_", "name")),
    (r"^license_usage\.license_name\.\S+ \((.+)\):\.count$", row("license_usage", "tag", "count")),
    (r"^license_usage\.license_name\.\S+ \((.+)\):\.status$", row("license_usage", "tag", "status")),
    (r"^license_usage\.(?!handle\.)(.+)\.license$", row("license_usage", "tag", "name")),
    (r"^license_usage\.(?!handle\.)(.+)\.entitlement$", row("license_usage", "tag", "tag")),
    (r"^license_usage\.(?!handle\.)(.+)\.count$", row("license_usage", "tag", "count")),
    (r"^license_usage\.(?!handle\.)(.+)\.status$", row("license_usage", "tag", "status")),
    (r"^license_name\.\S+ \((.+)\):\.count$", row("license_usage", "tag", "count")),
    (r"^license_name\.\S+ \((.+)\):\.status$", row("license_usage", "tag", "status")),
    (r"^license_authorization\.status$", fact("authorization.status")),
    (r"^version\.version$", fact("version.software")),
    (r"^version\.hostname$", fact("version.hostname")),
    (r"^version\.smart_licensing_status$", fact("version.smart_licensing_status")),
    (r"^version\.chassis$", fact("version.platform")),
    (r"^current_call_home_settings\.call_home_feature$", fact("call_home.enabled")),
    (r"^settings\.current_call_home_settings\.call_home_feature$", fact("call_home.enabled")),
    (r"^current_call_home_settings\.smart_licensing_msg$",
     fact("call_home.smart_licensing_messages")),
    (r"^settings\.current_call_home_settings\.smart_licensing_messages\.mode$",
     fact("call_home.smart_licensing_messages")),
    (r"^(?:settings\.)?current_call_home_settings\.http_proxy$", fact("call_home.http_proxy")),
    (r"^current_call_home_settings\.vrf_for_msg$", fact("call_home.vrf")),
    (r"^settings\.current_call_home_settings\.vrf_for_call_home_messages$",
     fact("call_home.vrf")),
    (r"^(?:settings\.)?current_call_home_settings\.source_interface$",
     fact("call_home.source_interface")),
    (r"^current_call_home_settings\.http_secure\.server_identity_check$",
     fact("call_home.server_identity_check")),
    (r"^settings\.current_call_home_settings\.server_identity_check$",
     fact("call_home.server_identity_check")),
    (r"^smart_licensing_settings\.smart_license_messages$",
     fact("call_home.smart_licensing_messages")),
    (r"^smart_licensing_settings\.profile$", fact("call_home.smart_licensing_profile")),
    (r"^smart_licensing_settings\.status$", fact("call_home.smart_licensing_profile_status")),
    (r"^smart_licensing_settings\.destination_url$",
     lambda f, m: (f.value("call_home.destination_urls") or [None])[0]),
    (r"^profile\.name\.(.+)\.status$", row("call_home_status", "name", "status")),
    (r"^profile\.name\.(.+)\.transport_method$",
     row("call_home_status", "name", "transport_method")),
    (r"^profile\.name\.(.+)\.reporting_data$", row("call_home_status", "name", "reporting_data")),
    (r"^profile\.name\.(.+)\.mode$", row("call_home_status", "name", "mode")),
    (r"^settings\.profiles\.(.+)\.status$", row("call_home_status", "name", "status")),
    (r"^settings\.profiles\.(.+)\.transport_method$",
     row("call_home_status", "name", "transport_method")),
    (r"^settings\.profiles\.(.+)\.reporting_Data$",
     row("call_home_status", "name", "reporting_data")),
    (r"^smart_license_usage_reports\.(\d+)\.state$", rum("state")),
    (r"^smart_license_usage_reports\.(\d+)\.flag$", rum("flag")),
    (r"^smart_license_usage_reports\.(\d+)\.feature_name$", rum("feature")),
    (r"^report_id\.(\d+)\.state$", rum("state")),
    (r"^report_id\.(\d+)\.feature_name$", rum("feature")),
    (r"^overall status\.(\w+)\.pid$", row("authorizations", "role", "pid")),
    (r"^overall status\.(\w+)\.sn$", row("authorizations", "role", "sn")),
    (r"^message_history\.(\w+)$", history),
    (r"^event_log\[(\d+)\]\.log_message$", event),
    (r"^licenses\.(1)\.feature$", fact("classic.feature")),
    # ntc-templates' flat records (show license status, show license)
    (r"^\[0\]\.smart_acct$", fact("account.smart_account")),
    (r"^\[0\]\.virt_acct$", fact("account.virtual_account")),
    (r"^\[0\]\.transport_type$", fact("transport.type")),
    (r"^\[0\]\.url$", fact("transport.url")),
    (r"^\[0\]\.proxy_address$", fact("transport.proxy_address")),
    (r"^\[0\]\.proxy_port$", fact("transport.proxy_port")),
    (r"^\[0\]\.vrf$", fact("transport.vrf")),
    (r"^\[0\]\.last_ack_received$", fact("usage_reporting.last_ack_received")),
    (r"^\[0\]\.next_ack_deadline$", fact("usage_reporting.next_ack_deadline")),
    (r"^\[0\]\.next_rpt_push$", fact("usage_reporting.next_report_push")),
    (r"^\[0\]\.last_rpt_push$", fact("usage_reporting.last_report_push")),
    (r"^\[0\]\.rpt_push_interval$", fact("usage_reporting.reporting_interval")),
    (r"^\[0\]\.sl_enabled$", fact("smart_licensing.using_policy")),
    (r"^\[0\]\.feature$", fact("classic.feature")),
]
_COMPILED = [(re.compile(pattern), getter) for pattern, getter in FIELDS]
# Tech-support handles are rows in order: "license_usage.handle.3" is the n-th handle printed.
_HANDLE = re.compile(r"^license_usage\.handle\.(\d+)\.(license|entitlement_tag|count|status)$")
_HANDLE_FIELD = {"license": "name", "entitlement_tag": "tag", "count": "count", "status": "status"}


def ours(facts: fm.Facts, field: str, handles: list[str]) -> Any:
    m = _HANDLE.match(field)
    if m:
        n = handles.index(m.group(1)) if m.group(1) in handles else -1
        rows = facts.license_usage
        return rows[n].get(_HANDLE_FIELD[m.group(2)]) if 0 <= n < len(rows) else None
    for pattern, getter in _COMPILED:
        m = pattern.match(field)
        if m:
            return getter(facts, m)
    return MISSING


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        text = " ".join(value.split())
        return None if text.lower() in EMPTY else text
    if isinstance(value, list):
        return [_norm(v) for v in value] or None
    return value


_ZONES: dict[str, float] = {}


def same(theirs: Any, mine: Any) -> bool:
    theirs, mine = _norm(theirs), _norm(mine)
    if theirs is None or mine is None:
        return theirs is None and mine is None
    if isinstance(mine, bool):
        return str(theirs).lower() in ({"true", "enable", "enabled", "yes"} if mine
                                       else {"false", "disable", "disabled", "no"})
    if isinstance(mine, int | float) or isinstance(theirs, int):
        lead = re.match(r"^\s*(\d+)", str(theirs))
        return lead is not None and int(lead.group(1)) == int(mine)
    if isinstance(mine, datetime):
        try:
            when, _ = values.parse_datetime(str(theirs), _ZONES, mine.year)
        except fm.ConversionError:
            return False
        return abs((when - mine).total_seconds()) < 1
    a, b = str(theirs), str(mine)
    if a.lower() == b.lower():
        return True
    # The agent's internal state number after a status ("IN USE(15)").
    return re.sub(r"\(\d+\)$", "", a).lower() == b.lower()


def compare_all(knowledge) -> tuple[list[tuple[str, str, Any, Any]], int]:
    _ZONES.update(knowledge.catalog.timezones)
    differences, compared = [], 0
    for expected_path in EXPECTED_FILES:
        stem = expected_path.name.split(".expected")[0]
        capture = read_capture(str(CORPUS / f"{stem}.txt"))
        (result,) = analyse_capture(capture, knowledge, Sanitizer())
        expected = _load(expected_path)
        flat = _flat(expected)
        handles = list(expected.get("license_usage", {}).get("handle", {})
                        if isinstance(expected, dict) else {})
        handles = [str(h) for h in handles]
        for field, theirs in flat:
            mine = ours(result.facts, field, handles)
            if mine is MISSING:
                continue
            compared += 1
            if not same(theirs, mine):
                differences.append((stem, field, theirs, mine))
    return differences, compared


def test_facts_agree_with_the_other_parsers_on_every_field_both_describe(knowledge):
    differences, compared = compare_all(knowledge)
    assert compared >= 600, compared  # the mapping covers the licensing fields
    unexplained = [d for d in differences if (d[0], d[1]) not in ACCEPTED]
    assert unexplained == [], "\n".join(f"{s} {f}: theirs={t!r} ours={o!r}"
                                        for s, f, t, o in unexplained)
    stale = set(ACCEPTED) - {(d[0], d[1]) for d in differences}
    assert stale == set(), f"accepted differences that no longer occur: {sorted(stale)}"
    agreed = 1 - len(differences) / compared
    assert agreed >= 0.97, agreed
