"""The typed facts model: what a capture says about one device, each value with provenance.

Every scalar is a :class:`Fact` (value + file + 1-based line + the line's text). Groups are
dataclasses whose fields declare a *kind* (``str``, ``int``, ``datetime``, ``duration``,
``bool``); parsers/index.yaml maps template values onto dotted paths such as
``registration.failure_reason`` and the builder converts text to the declared kind.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .textsafe import clip


@dataclass(frozen=True)
class Fact:
    value: Any
    file: str
    line: int
    text: str
    raw: str = ""  # the value as printed, when conversion changed it (dates, durations)

    def evidence(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": clip(self.text)}

    def to_json(self) -> dict[str, Any]:
        return {"value": json_value(self.value), "raw": self.raw or None, **self.evidence()}


class _Kind:
    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


def fact_field(kind: str = "str") -> Any:
    """Declare a fact of a group: its kind says how printed text becomes its value."""
    return _Kind(kind)


class Group:
    """The facts of one kind (registration, transport, ...). Every declared fact reads as
    None until set; the instance holds only the facts set (cheap to build, copy and pickle).
    Plain classes rather than dataclasses: a dozen dataclasses cost more to define at
    import than a whole small analysis takes."""

    KINDS: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.KINDS = {name: value.kind for name, value in vars(cls).items()
                     if isinstance(value, _Kind)}
        for name in cls.KINDS:
            setattr(cls, name, None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)!r})"


class SmartLicensing(Group):
    status: Fact | None = fact_field()            # ENABLED / DISABLED
    using_policy: Fact | None = fact_field()      # "Smart Licensing Using Policy: Status"
    reporting_mode: Fact | None = fact_field()
    reservation: Fact | None = fact_field()      # "License reservation: ENABLED|DISABLED"
    agent_version: Fact | None = fact_field()


class Registration(Group):
    status: Fact | None = fact_field()
    smart_account: Fact | None = fact_field()
    virtual_account: Fact | None = fact_field()
    export_controlled: Fact | None = fact_field()
    initial_result: Fact | None = fact_field()
    initial_date: Fact | None = fact_field("datetime")
    failure_reason: Fact | None = fact_field()
    next_attempt: Fact | None = fact_field("datetime")
    last_renewal_result: Fact | None = fact_field()
    last_renewal_date: Fact | None = fact_field("datetime")
    next_renewal: Fact | None = fact_field("datetime")
    expires: Fact | None = fact_field("datetime")


class Authorization(Group):
    status: Fact | None = fact_field()
    status_date: Fact | None = fact_field("datetime")
    evaluation_remaining: Fact | None = fact_field("duration")
    last_communication_result: Fact | None = fact_field()
    last_communication_date: Fact | None = fact_field("datetime")
    failure_reason: Fact | None = fact_field()
    next_communication: Fact | None = fact_field("datetime")
    communication_deadline: Fact | None = fact_field("datetime")


class Account(Group):
    """Smart Licensing Using Policy: the account CSSM last reported (no registration)."""

    smart_account: Fact | None = fact_field()
    virtual_account: Fact | None = fact_field()
    as_of: Fact | None = fact_field("datetime")


class Transport(Group):
    type: Fact | None = fact_field()
    url: Fact | None = fact_field()
    cslu_address: Fact | None = fact_field()
    proxy_address: Fact | None = fact_field()
    proxy_port: Fact | None = fact_field()
    server_identity_check: Fact | None = fact_field()
    vrf: Fact | None = fact_field()
    trust_point: Fact | None = fact_field()
    ip_mode: Fact | None = fact_field()


class Policy(Group):
    in_use: Fact | None = fact_field()
    name: Fact | None = fact_field()
    ack_required: Fact | None = fact_field()
    perpetual_reporting_frequency: Fact | None = fact_field("int")
    subscription_reporting_frequency: Fact | None = fact_field("int")


class UsageReporting(Group):
    last_ack_received: Fact | None = fact_field("datetime")
    never_acknowledged: Fact | None = fact_field("bool")  # "Last ACK received: <none>"
    next_ack_deadline: Fact | None = fact_field("datetime")
    reporting_interval: Fact | None = fact_field("int")   # days; 0 = no periodic reporting
    next_report_push: Fact | None = fact_field("datetime")
    last_report_push: Fact | None = fact_field("datetime")


class Trust(Group):
    code: Fact | None = fact_field()          # single-line form: a date, or NOT INSTALLED
    members: Fact | None = fact_field("list")  # "Active: PID:..,SN:.." listed under the block
    installed: Fact | None = fact_field("list")  # their "INSTALLED on" dates
    overall: Fact | None = fact_field()       # tech support "Overall Trust: No ID | INSTALLED (2)"
    units_without_code: Fact | None = fact_field("int")  # derived: members minus INSTALLED dates


class AgentState(Group):
    """show license tech support: how the Smart Agent itself sees its communication."""

    communication_level: Fact | None = fact_field()  # DIRECT / INDIRECT
    overall_state: Fact | None = fact_field()        # "Device configured for Offline transport"
    state: Fact | None = fact_field()                # "authorized", ...
    enforcement_state: Fact | None = fact_field()    # "Device Enforcement State: NOT APPLICABLE"
    product_analytics: Fact | None = fact_field()    # AVAILABLE / NOT AVAILABLE
    product_analytics_reason: Fact | None = fact_field()


class Reports(Group):
    """Usage Report Summary (RUM reports)."""

    total: Fact | None = fact_field("int")
    acknowledged: Fact | None = fact_field("int")
    waiting_for_ack: Fact | None = fact_field("int")
    available_to_report: Fact | None = fact_field("int")


class Udi(Group):
    pid: Fact | None = fact_field()
    sn: Fact | None = fact_field()
    ha_units: Fact | None = fact_field("list")  # "Active:PID:..,SN:..", one per stack member


class Version(Group):
    software: Fact | None = fact_field()
    platform: Fact | None = fact_field()
    serial: Fact | None = fact_field()
    hostname: Fact | None = fact_field()
    smart_licensing_status: Fact | None = fact_field()  # "REGISTERED/AUTHORIZED", ...


class Platform(Group):
    """Derived from the stack and license tables (counts the rules compare)."""

    units: Fact | None = fact_field("int")            # switches in the stack / SVL pair
    network_licenses: Fact | None = fact_field("int")  # count in use, network tier
    dna_licenses: Fact | None = fact_field("int")      # count in use, DNA tier


class Clock(Group):
    time: Fact | None = fact_field("datetime")
    authoritative: Fact | None = fact_field("bool")
    agent_time: Fact | None = fact_field("datetime")  # tech support "Current time:"
    ntp_synced: Fact | None = fact_field("bool")      # tech support "Clock sync-ed with NTP:"
    source: Fact | None = fact_field()   # show clock detail: "NTP", "user configuration", "none"


class Ntp(Group):
    """show ntp status / show ntp associations."""

    enabled: Fact | None = fact_field("bool")        # False: "%NTP is not enabled."
    synchronized: Fact | None = fact_field("bool")   # "Clock is synchronized" / a '*' peer
    stratum: Fact | None = fact_field("int")
    reference: Fact | None = fact_field()


class CallHome(Group):
    """show call-home / show call-home detail / show call-home smart-licensing."""

    enabled: Fact | None = fact_field("bool")                   # "call home feature : enable"
    smart_licensing_messages: Fact | None = fact_field("bool")  # "Smart licensing messages:"
    smart_licensing_profile: Fact | None = fact_field()         # the profile named beside it
    smart_licensing_profile_status: Fact | None = fact_field()  # ACTIVE / INACTIVE
    destination_urls: Fact | None = fact_field("list")          # "Destination URL(s):"
    http_proxy: Fact | None = fact_field()
    vrf: Fact | None = fact_field()
    source_interface: Fact | None = fact_field()
    server_identity_check: Fact | None = fact_field("bool")


class Classic(Group):
    """Pre-Smart licensing (Right-To-Use, PAK, Cisco Software Licensing)."""

    feature: Fact | None = fact_field()   # first "Index N Feature:" of classic `show license`
    status: Fact | None = fact_field()    # classic `show license status` layout seen


class Config(Group):
    """What the running configuration sets for licensing (show running-config)."""

    hostname: Fact | None = fact_field()
    service_call_home: Fact | None = fact_field("bool")
    domain_lookup: Fact | None = fact_field()            # the line: "no ip domain lookup", ...
    name_servers: Fact | None = fact_field("list")       # "10.1.1.1", "vrf Mgmt-vrf 10.1.1.1"
    ip_hosts: Fact | None = fact_field("list")           # "tools.cisco.com 72.163.4.38"
    http_client_source_interface: Fact | None = fact_field()
    ntp_servers: Fact | None = fact_field("list")
    clock_calendar_valid: Fact | None = fact_field("bool")
    clock_timezone: Fact | None = fact_field()
    sla_revocation_check: Fact | None = fact_field()     # in crypto pki trustpoint SLA-TrustPoint
    license_transport: Fact | None = fact_field()
    license_urls: Fact | None = fact_field("list")
    license_boot_level: Fact | None = fact_field()
    vrfs: Fact | None = fact_field("list")
    call_home: Fact | None = fact_field("bool")          # a call-home block is present
    contact_email: Fact | None = fact_field()
    call_home_vrf: Fact | None = fact_field()
    call_home_source_interface: Fact | None = fact_field()
    call_home_http_proxy: Fact | None = fact_field()
    server_identity_check: Fact | None = fact_field("bool")


class Device(Group):
    """Facts about the capture itself rather than the switch."""

    first_line: Fact | None = fact_field()
    commands: Fact | None = fact_field()          # list of commands found
    license_commands: Fact | None = fact_field()  # the licensing ones among them
    rejected_license_command: Fact | None = fact_field()  # "% Invalid input" to a licensing command
    full_config: Fact | None = fact_field("bool")  # an unfiltered show running-config is present
    collected_by_sldiag: Fact | None = fact_field("bool")  # sldiag collect wrote this capture


@dataclass
class Row:
    """One entry of a collection (a license in use, a syslog message, an event)."""

    values: dict[str, Any]
    file: str
    line: int
    text: str
    field_lines: dict[str, tuple[int, str]] = field(default_factory=dict)  # field -> line, text

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def quote(self, names: list[str]) -> list[Fact]:
        """The lines the named fields were read from (the row's own line if none is known)."""
        quoted = [Fact(self.values.get(n), self.file, *self.field_lines[n])
                  for n in names if n in self.field_lines]
        return quoted or [Fact(None, self.file, self.line, self.text)]

    def evidence(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": clip(self.text)}

    def to_json(self) -> dict[str, Any]:
        return {**{k: json_value(v) for k, v in self.values.items()}, **self.evidence()}


# The fields of each collection's rows (parsers/index.yaml maps template values onto them;
# rules match on them).
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "license_usage": ("name", "tag", "count", "status"),
    "syslog": ("sequence", "clock_mark", "timestamp", "facility", "severity", "mnemonic",
               "message", "tag"),
    "eventlog": ("timestamp", "event", "details"),
    "authorizations": ("role", "pid", "sn", "status"),
    "call_home_profiles": ("name", "active", "reporting", "transport", "destinations"),
    "stack_members": ("switch", "model", "version", "role", "state"),
    "inventory": ("name", "description", "pid", "serial"),
    "call_home_status": ("name", "status", "mode", "reporting_data", "transport_method",
                         "http_addresses"),
    "message_history": ("message", "entries"),
    "rum_reports": ("report_id", "state", "flag", "feature"),
    "comm_stats": ("message", "total", "success", "fail", "ongoing_overall",
                   "ongoing_communication", "last_response", "last_response_date",
                   "failure_reason", "last_success", "last_failure"),
}

# Kinds of the row fields; anything not listed is a string.
ROW_KINDS: dict[str, dict[str, str]] = {
    "license_usage": {"count": "int"},
    "syslog": {"timestamp": "datetime", "severity": "int"},
    "eventlog": {"timestamp": "datetime"},
    "authorizations": {},
    "call_home_profiles": {"destinations": "list"},
    "stack_members": {},
    "inventory": {},
    "call_home_status": {"http_addresses": "list"},
    "message_history": {"entries": "list"},
    "rum_reports": {},
    "comm_stats": {"total": "int", "success": "int", "fail": "int", "ongoing_overall": "int",
                   "ongoing_communication": "int", "last_response_date": "datetime",
                   "last_success": "datetime", "last_failure": "datetime"},
    "collection_gaps": {},   # what sldiag collect could not read (need, commands refused)
}


@dataclass
class Facts:
    smart_licensing: SmartLicensing = field(default_factory=SmartLicensing)
    registration: Registration = field(default_factory=Registration)
    authorization: Authorization = field(default_factory=Authorization)
    account: Account = field(default_factory=Account)
    transport: Transport = field(default_factory=Transport)
    policy: Policy = field(default_factory=Policy)
    usage_reporting: UsageReporting = field(default_factory=UsageReporting)
    trust: Trust = field(default_factory=Trust)
    agent: AgentState = field(default_factory=AgentState)
    reports: Reports = field(default_factory=Reports)
    udi: Udi = field(default_factory=Udi)
    version: Version = field(default_factory=Version)
    platform: Platform = field(default_factory=Platform)
    clock: Clock = field(default_factory=Clock)
    ntp: Ntp = field(default_factory=Ntp)
    call_home: CallHome = field(default_factory=CallHome)
    config: Config = field(default_factory=Config)
    classic: Classic = field(default_factory=Classic)
    device: Device = field(default_factory=Device)
    license_usage: list[Row] = field(default_factory=list)
    syslog: list[Row] = field(default_factory=list)
    eventlog: list[Row] = field(default_factory=list)
    comm_stats: list[Row] = field(default_factory=list)
    authorizations: list[Row] = field(default_factory=list)
    message_history: list[Row] = field(default_factory=list)
    rum_reports: list[Row] = field(default_factory=list)
    call_home_profiles: list[Row] = field(default_factory=list)   # from the configuration
    call_home_status: list[Row] = field(default_factory=list)     # show call-home profile all
    stack_members: list[Row] = field(default_factory=list)  # show version table, show switch
    inventory: list[Row] = field(default_factory=list)
    collection_gaps: list[Row] = field(default_factory=list)  # sldiag collect's header

    def get(self, path: str) -> Fact | None:
        if path not in FACT_KINDS:  # the table of every known path, built once below
            raise KeyError(path)
        group, _, name = path.partition(".")
        return getattr(getattr(self, group), name)

    def set(self, path: str, fact: Fact) -> None:
        group, _, name = path.partition(".")
        setattr(getattr(self, group), name, fact)

    def value(self, path: str) -> Any:
        fact = self.get(path)
        return None if fact is None else fact.value

    def rows(self, collection: str) -> list[Row]:
        if collection not in ROW_KINDS:
            raise KeyError(collection)
        return getattr(self, collection)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as the facts set and the rows, in tuples: results cross from worker
        processes by the thousand, and the dataclasses of every group (mostly unset) made
        that the costliest part of a parallel run."""
        scalars = []
        rows = {}
        for kind, member in vars(self).items():
            if isinstance(member, list):
                if member:
                    rows[kind] = [(r.values, r.file, r.line, r.text, r.field_lines)
                                  for r in member]
                continue
            for name, fact in vars(member).items():
                if fact is not None:
                    scalars.append((kind, name, fact.value, fact.file, fact.line, fact.text,
                                    fact.raw))
        return _rebuild_facts, (scalars, rows)

    def is_empty(self) -> bool:
        """No fact about the switch was found (the capture's own `device` facts aside)."""
        for kind, member in vars(self).items():
            if isinstance(member, list):
                if member:
                    return False
            elif kind != "device" and any(v is not None for v in vars(member).values()):
                return False
        return True

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            obj = getattr(self, f.name)
            if isinstance(obj, list):
                out[f.name] = [row.to_json() for row in obj]
            else:
                values = {name: getattr(obj, name) for name in obj.KINDS}
                out[f.name] = {k: None if v is None else v.to_json() for k, v in values.items()}
        return out


def _rebuild_facts(scalars: list[tuple[Any, ...]],
                   rows: dict[str, list[tuple[Any, ...]]]) -> Facts:
    facts = Facts()
    for group, name, *fields in scalars:
        setattr(getattr(facts, group), name, Fact(*fields))
    for kind, entries in rows.items():
        setattr(facts, kind, [Row(*entry) for entry in entries])
    return facts


def _kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for group in dataclasses.fields(Facts):
        if group.name in ROW_KINDS:
            continue
        for name, kind in group.default_factory.KINDS.items():  # type: ignore[union-attr]
            kinds[f"{group.name}.{name}"] = kind
    return kinds


FACT_KINDS: dict[str, str] = _kinds()


def is_known_path(path: str) -> bool:
    return path in FACT_KINDS


# ---------------------------------------------------------------------------------------
# Conversions from printed text to typed values.

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE = re.compile(
    r"^(?:(?P<y1>\d{4})\s+)?(?P<mon>[A-Za-z]{3})\w*\s+(?P<day>\d{1,2})\s+"
    r"(?:(?P<y2>\d{4})\s+)?(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<frac>\d+))?"
    r"(?:\s+(?P<y4>\d{4}))?(?:\s+(?P<tz>[A-Za-z][A-Za-z0-9+\-]*))?(?:\s+(?P<y3>\d{4}))?\s*$")
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[ T](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<frac>\d+))?(?:\s*(?P<tz>[A-Za-z][A-Za-z0-9+\-]*))?\s*$")
# (?<!\d): a search never starts inside a run of digits (linear on a line of digits).
_DURATION_PART = re.compile(r"(?<!\d)(\d++)\s*(day|hour|minute|second)s?", re.IGNORECASE)


class ConversionError(ValueError):
    pass


def parse_datetime(text: str, zones: dict[str, float], year_hint: int | None = None,
                   ) -> tuple[datetime, str | None]:
    """Parse an IOS date ("Oct 22 14:25:31 2018 EST", "2021-11-17 03:31:32.920 UTC", ...).

    Returns the timezone-aware datetime and a warning when the zone had to be assumed.
    """
    text = text.strip()
    m = _DATE.match(text)
    if m:
        month = _MONTHS.get(m["mon"].lower())
        if month is None:
            raise ConversionError(f"unknown month in {text!r}")
        year_text = m["y1"] or m["y2"] or m["y3"] or m["y4"]
        if year_text is None and year_hint is None:
            raise ConversionError(f"no year in {text!r}")
        year = int(year_text) if year_text else int(year_hint)  # type: ignore[arg-type]
        day, tzname = int(m["day"]), m["tz"]
    else:
        m = _ISO.match(text)
        if not m:
            raise ConversionError(f"not a date: {text!r}")
        year, month, day, tzname = int(m["y"]), int(m["mo"]), int(m["d"]), m["tz"]
    micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    warning = None
    if tzname is None:
        offset = 0.0
        warning = f"no time zone printed in {text!r}; assumed UTC"
    elif tzname.upper() in zones:
        offset = zones[tzname.upper()]
    else:
        offset = 0.0
        warning = f"unknown time zone {tzname!r} in {text!r}; assumed UTC"
    try:
        value = datetime(year, month, day, int(m["h"]), int(m["m"]), int(m["s"]), micro,
                         tzinfo=timezone(timedelta(hours=offset)))
    except ValueError as exc:
        raise ConversionError(f"impossible date {text!r}: {exc}") from None
    return value, warning


def parse_duration(text: str) -> timedelta:
    """'65 days, 18 hours, 43 minutes, 0 seconds' -> timedelta."""
    parts = _DURATION_PART.findall(text)
    if not parts:
        raise ConversionError(f"not a duration: {text!r}")
    total = timedelta()
    for number, unit in parts:
        total += timedelta(**{unit.lower() + "s": int(number)})
    return total


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def human(value: Any) -> str:
    """How a fact value reads in a sentence."""
    if isinstance(value, timedelta):
        days, rest = divmod(int(value.total_seconds()), 86400)
        hours = rest // 3600
        return f"{days} days {hours} hours" if hours else f"{days} days"
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if not offset:
            return value.strftime("%Y-%m-%d %H:%M:%S UTC")
        return value.strftime("%Y-%m-%d %H:%M:%S UTC%z")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
