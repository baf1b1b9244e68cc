"""Building blocks: the output of one command, as real switches print it, and the forms
engineers save (session logs, show tech, bare output, CRLF with --More--)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------------------
# Building blocks: the output of one command.

COPYRIGHT = """\
Cisco IOS-XE software, Copyright (c) 2005-{year} by cisco Systems, Inc.
All rights reserved.  Certain components of Cisco IOS-XE software are
licensed under the GNU General Public License ("GPL") Version 2.0.  The
software code licensed under GPL Version 2.0 is free software that comes
with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such
GPL code under the terms of GPL Version 2.0.  For more details, see the
documentation or "License Notice" file accompanying the IOS-XE software,
or the applicable URL provided on the flyer accompanying the IOS-XE
software."""

TRAINS = {"16.9": ("Fuji", 2018), "16.12": ("Gibraltar", 2019), "17.3": ("Amsterdam", 2020)}


@dataclass
class Switch:
    hostname: str
    pid: str = "C9300-48P"
    serial: str = "FOC2224X0AB"
    version: str = "16.12.04"
    model_line: str = "C9300 48P"
    tag_model: str = "C9300-48"
    members: int = 1
    extra_serials: list[str] = field(default_factory=list)

    @property
    def short_version(self) -> str:
        major, minor, patch = self.version.split(".")
        return f"{int(major)}.{int(minor)}.{int(patch[:2])}{patch[2:]}"

    @property
    def train(self) -> tuple[str, int]:
        major, minor, _ = self.version.split(".")
        return TRAINS.get(f"{int(major)}.{int(minor)}", ("Gibraltar", 2019))


def show_version(sw: Switch, sl_status: str, uptime: str = "6 weeks, 2 days, 3 hours, 11 minutes",
                 ) -> str:
    train, year = sw.train
    lines = [
        f"Cisco IOS XE Software, Version {sw.version}",
        f"Cisco IOS Software [{train}], Catalyst L3 Switch Software (CAT9K_IOSXE), "
        f"Version {sw.short_version}, RELEASE SOFTWARE (fc5)",
        "Technical Support: http://www.cisco.com/techsupport",
        f"Copyright (c) 1986-{year} by Cisco Systems, Inc.",
        f"Compiled Thu 21-Nov-{str(year)[2:]} 03:40 by mcpre",
        "",
        "",
        COPYRIGHT.format(year=year),
        "",
        "",
        "ROM: IOS-XE ROMMON",
        f"BOOTLDR: System Bootstrap, Version {sw.short_version}r, RELEASE SOFTWARE (P)",
        "",
        f"{sw.hostname} uptime is {uptime}",
        f"Uptime for this control processor is {uptime}",
        "System returned to ROM by Reload Command",
        "System image file is \"flash:packages.conf\"",
        "Last reload reason: Reload Command",
        "",
        "",
        "Technology Package License Information:",
        "",
        "------------------------------------------------------------------------------",
        "Technology-package                                     Technology-package",
        "Current                        Type                       Next reboot",
        "------------------------------------------------------------------------------",
        "network-advantage      Smart License                    network-advantage",
        "dna-advantage          Subscription Smart License       dna-advantage",
        "AIR License Level: AIR DNA Advantage",
        "Next reload AIR license Level: AIR DNA Advantage",
        "",
        "",
        f"Smart Licensing Status: {sl_status}",
        "",
        f"cisco {sw.pid} (X86) processor with 1419044K/6147K bytes of memory.",
        f"Processor board ID {sw.serial}",
        "2048K bytes of non-volatile configuration memory.",
        "8388608K bytes of physical memory.",
        "1638400K bytes of Crash Files at crashinfo:.",
        "11264000K bytes of Flash at flash:.",
        "",
        "Base Ethernet MAC Address          : 70:b3:17:2a:41:00",
        "Motherboard Assembly Number        : 73-17954-06",
        f"Motherboard Serial Number          : {sw.serial}",
        "Model Revision Number              : B0",
        "Motherboard Revision Number        : A0",
        f"Model Number                       : {sw.pid}",
        f"System Serial Number               : {sw.serial}",
        "",
        "",
        "Switch Ports Model              SW Version        SW Image              Mode",
        "------ ----- -----              ----------        ----------            ----",
    ]
    for n in range(sw.members):
        star = "*" if n == 0 else " "
        lines.append(f"{star}    {n + 1} 65    {sw.pid:<18} {sw.version:<17} CAT9K_IOSXE           INSTALL")
    lines += ["", "", "Configuration register is 0x102", ""]
    return "\n".join(lines)


def show_clock(text: str) -> str:
    return text + "\n"


def registration_block(reg: list[tuple[str, str]], indent_reason: bool = True) -> str:
    out = ["Registration:"]
    for key, value in reg:
        pad = "    " if key == "Failure reason" and indent_reason else "  "
        out.append(f"{pad}{key}: {value}")
    return "\n".join(out)


def authorization_block(auth: list[tuple[str, str]]) -> str:
    out = ["License Authorization: "]
    for key, value in auth:
        pad = "    " if key == "Failure reason" else "  "
        out.append(f"{pad}{key}: {value}")
    return "\n".join(out)


def usage_entries(sw: Switch, status: str) -> str:
    blocks = []
    for level in ("DNA Advantage", "Network Advantage"):
        blocks.append("\n".join([
            f"{sw.model_line} {level} ({sw.tag_model} {level}):",
            f"  Description: {sw.tag_model} {level}",
            f"  Count: {sw.members}",
            "  Version: 1.0",
            f"  Status: {status}",
            "  Export status: NOT RESTRICTED",
        ]))
    return "\n\n".join(blocks)


COMMON_BLOCKS = """\
Export Authorization Key:
  Features Authorized:
    <none>

Utility:
  Status: DISABLED

Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED

Transport:
  Type: {transport}"""


@dataclass
class LicenseState:
    reg: list[tuple[str, str]]
    auth: list[tuple[str, str]]
    usage_status: str = "AUTHORIZED"
    transport: str = "Callhome"
    enabled: bool = True


def show_license_all(sw: Switch, st: LicenseState) -> str:
    if not st.enabled:
        return ("Smart Licensing Status\n======================\n\n"
                "Smart Licensing is DISABLED\n")
    parts = [
        "Smart Licensing Status\n======================\n",
        "Smart Licensing is ENABLED\n",
        registration_block(st.reg) + "\n",
        authorization_block(st.auth) + "\n",
        COMMON_BLOCKS.format(transport=st.transport) + "\n",
        "License Usage\n==============\n",
        usage_entries(sw, st.usage_status) + "\n",
        "Product Information\n===================",
        f"UDI: PID:{sw.pid},SN:{sw.serial}\n",
    ]
    if sw.members > 1:
        parts[-1] = parts[-1].rstrip("\n")
        members = [f"    Active:PID:{sw.pid},SN:{sw.serial}"]
        members += [f"    Member:PID:{sw.pid},SN:{s}" for s in sw.extra_serials]
        parts.append("HA UDI List:\n" + "\n".join(members) + "\n")
    parts += [
        "Agent Version\n=============",
        "Smart Agent for Licensing: 4.4.13_rel/116",
        "Component Versions: SA:(1_3_dev)1.0.15, SI:(dev22)1.2.1, CH:(rel5)1.0.3, PK:(dev18)1.0.3\n",
        "Reservation Info\n================",
        "License reservation: DISABLED\n",
    ]
    return "\n".join(parts)


def show_license_status(sw: Switch, st: LicenseState) -> str:
    if not st.enabled:
        return "Smart Licensing is DISABLED\n"
    return "\n".join([
        "Smart Licensing is ENABLED\n",
        "Utility:\n  Status: DISABLED\n",
        "Data Privacy:\n  Sending Hostname: yes\n    Callhome hostname privacy: DISABLED\n"
        "    Smart Licensing hostname privacy: DISABLED\n  Version privacy: DISABLED\n",
        f"Transport:\n  Type: {st.transport}\n",
        registration_block(st.reg) + "\n",
        authorization_block(st.auth) + "\n",
        "Export Authorization Key:\n  Features Authorized:\n    <none>\n",
    ])


def show_license_summary(sw: Switch, st: LicenseState) -> str:
    reg = [kv for kv in st.reg if kv[0] in {"Status", "Smart Account", "Virtual Account",
                                            "Export-Controlled Functionality",
                                            "Last Renewal Attempt", "Next Renewal Attempt"}]
    auth = [kv for kv in st.auth if kv[0] in {"Status", "Last Communication Attempt",
                                              "Next Communication Attempt",
                                              "Evaluation Period Remaining"}]
    rows = []
    for level, short in (("Network Advantage", "Network Advan..."), ("DNA Advantage", "DNA Advantage")):
        name = f"{sw.model_line} {level}"[:22] + ("..." if len(f"{sw.model_line} {level}") > 22 else "")
        rows.append(f"  {name:<24}({sw.tag_model} {short}){'':<6}{sw.members:>3} {st.usage_status}")
    return "\n".join([
        "Smart Licensing is ENABLED\n",
        registration_block(reg) + "\n",
        authorization_block(auth) + "\n",
        "License Usage:",
        "  License                 Entitlement tag               Count Status",
        "  -----------------------------------------------------------------------------",
        *rows, "",
    ])


def show_license_udi(sw: Switch) -> str:
    return f"UDI: PID:{sw.pid},SN:{sw.serial}\n"


def show_logging(messages: list[str], buffered: int = 8192) -> str:
    head = [
        "Syslog logging: enabled (0 messages dropped, 2 messages rate-limited, 0 flushes, "
        "0 overruns, xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        "    Console logging: disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level debugging, {len(messages) + 41} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        "    Trap logging: level informational, 47 message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        f"Log Buffer ({buffered} bytes):",
        "",
    ]
    return "\n".join(head + messages) + "\n"


def running_config(sw: Switch, call_home: str = "", extra: str = "", *,
                   service_call_home: bool = True, dns: str = "ip name-server 10.10.20.5",
                   ntp: str = "ntp server 10.10.20.1", revocation: str = "crl",
                   mgmt_address: str = "ip address 10.10.20.31 255.255.255.0") -> str:
    lines = [
        "Building configuration...", "", "Current configuration : 9817 bytes", "!",
        "! Last configuration change at 10:02:11 UTC Mon Oct 22 2018", "!",
        f"version {sw.short_version.rsplit('.', 1)[0]}",
        "service timestamps debug datetime msec", "service timestamps log datetime msec",
        "service call-home" if service_call_home else "no service call-home",
        "platform punt-keepalive disable-kernel-core",
        "!", f"hostname {sw.hostname}", "!", "vrf definition Mgmt-vrf", " !",
        " address-family ipv4", " exit-address-family", "!",
        "no aaa new-model", "switch 1 provision " + sw.pid.lower(), "!",
        *dns.split("\n"), "ip domain name corp.example", "!",
        "crypto pki trustpoint SLA-TrustPoint", " enrollment pkcs12",
        f" revocation-check {revocation}", "!",
        "license boot level network-advantage addon dna-advantage", "!",
        "interface GigabitEthernet0/0", " vrf forwarding Mgmt-vrf", f" {mgmt_address}",
        " negotiation auto", "!", "interface GigabitEthernet1/0/1", "!",
        "interface Vlan1", " no ip address", " shutdown", "!",
        *extra.rstrip().split("\n"),
        *(call_home.rstrip() or DEFAULT_CALL_HOME).split("\n"),
        "!", *ntp.split("\n"), "!",
        "line con 0", " stopbits 1", "line vty 0 4", " login", " transport input ssh",
        "!", "end",
    ]
    return "\n".join(line for line in lines if line) + "\n"


DEFAULT_CALL_HOME = """\
call-home
 ! If contact email address in call-home is configured as sch-smart-licensing@cisco.com
 ! the email address configured in Cisco Smart License Portal will be used as contact email address to send SCH notifications.
 contact-email-addr sch-smart-licensing@cisco.com
 profile "CiscoTAC-1"
  active
  destination transport-method http
  no destination transport-method email"""


def show_interfaces_status() -> str:
    rows = ["Port         Name               Status       Vlan       Duplex  Speed Type"]
    for n in range(1, 13):
        state = "connected" if n % 3 else "notconnect"
        rows.append(f"Gi1/0/{n:<6}                    {state:<12} 1            a-full a-1000 10/100/1000BaseTX")
    return "\n".join(rows) + "\n"


def show_license_eventlog(events: list[str]) -> str:
    return "\n **** Event Log ****\n" + "\n".join(events) + "\n"


def classic_show_license() -> str:
    return """\
Index 1 Feature: ipservicesk9
        Period left: Life time
        License Type: Permanent
        License State: Active, In Use
        License Count: Non-Counted
        License Priority: Medium
Index 2 Feature: ipbasek9
        Period left: Life time
        License Type: Permanent
        License State: Active, Not in Use
        License Count: Non-Counted
        License Priority: Medium
Index 3 Feature: lanbasek9
        Period left: Not Activated
        Period Used: 0  minute  0  second
        License Type: EvalRightToUse
        License State: Not in Use, EULA not accepted
        License Count: Non-Counted
        License Priority: None
"""


# ---------------------------------------------------------------------------------------
# Capture forms.


def session(host: str, commands: list[tuple[str, str]], trailing_prompt: bool = True,
            console: dict[int, list[str]] | None = None) -> str:
    """A terminal session log: prompt + command, output, ... Console messages may be
    inserted after the n-th command (console[n])."""
    out: list[str] = []
    for n, (typed, output) in enumerate(commands):
        out.append(f"{host}#{typed}")
        if output:
            out.append(output.rstrip("\n"))
        for message in (console or {}).get(n, []):
            out.append(message)
    if trailing_prompt:
        out.append(f"{host}#")
    return "\n".join(out) + "\n"


def collected(device: str, prompt: str, commands: list[tuple[str, str]],
              gaps: list[str] = ()) -> str:
    """A capture as `sldiag collect` writes it: its header line, its gaps, the session."""
    import json

    header = json.dumps({"device": device, "prompt": prompt, "at": "2024-03-01T09:30:05Z"})
    lines = [f"! sldiag collect {header}"] + [f"! sldiag collection gap: {g}" for g in gaps]
    return "\n".join(lines) + "\n" + session(prompt.rstrip("#>"), commands)


def show_tech(host: str, commands: list[tuple[str, str]], header: bool = True) -> str:
    out = [f"{host}#show tech-support license", ""] if header else []
    for command, output in commands:
        out += ["", f"------------------ {command} ------------------", "", output.rstrip("\n"), ""]
    if header:
        out += ["", f"{host}#"]
    return "\n".join(out) + "\n"


def crlf_with_more(text: str, every: int = 23) -> bytes:
    """What a terminal without `terminal length 0` logs: --More-- residue and CRLF."""
    lines = text.split("\n")
    out = []
    for n, line in enumerate(lines):
        if n and n % every == 0 and line:
            if (n // every) % 2:
                line = " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10 + line
            else:
                line = " --More-- " + line
        out.append(line)
    return "\r\n".join(out).encode()


# ---------------------------------------------------------------------------------------
# License states (Registration and License Authorization blocks), one per scenario.

SA = [("Smart Account", "ACME Networks Inc."), ("Virtual Account", "Campus-LAN")]


def registered(year: int = 2019) -> list[tuple[str, str]]:
    return [("Status", "REGISTERED"), *SA, ("Export-Controlled Functionality", "ALLOWED"),
            ("Initial Registration", f"SUCCEEDED on Mar 04 10:11:52 {year} UTC"),
            ("Last Renewal Attempt", "None"),
            ("Next Renewal Attempt", f"Aug 31 10:11:51 {year} UTC"),
            ("Registration Expires", f"Mar 03 10:06:21 {year + 1} UTC")]


def authorized(year: int = 2019) -> list[tuple[str, str]]:
    return [("Status", f"AUTHORIZED on Sep 17 08:20:07 {year} UTC"),
            ("Last Communication Attempt", f"SUCCEEDED on Sep 17 08:20:07 {year} UTC"),
            ("Next Communication Attempt", f"Oct 17 08:20:06 {year} UTC"),
            ("Communication Deadline", f"Dec 16 08:14:35 {year} UTC")]


def unregistered_failed(reason: str, when: str, nxt: str, status: str = "UNREGISTERED - REGISTRATION FAILED"
                        ) -> list[tuple[str, str]]:
    return [("Status", status), ("Export-Controlled Functionality", "NOT ALLOWED"),
            ("Initial Registration", f"FAILED on {when}"), ("Failure reason", reason),
            ("Next Registration Attempt", nxt)]


EVAL = [("Status", "EVAL MODE"),
        ("Evaluation Period Remaining", "65 days, 18 hours, 43 minutes, 0 seconds")]

STATES: dict[str, LicenseState] = {
    "healthy": LicenseState(registered(), authorized()),
    "evaluation": LicenseState([("Status", "UNREGISTERED"), ("Export-Controlled Functionality", "NOT ALLOWED")],
                               EVAL, usage_status="EVAL MODE"),
    "scenario-01": LicenseState(
        unregistered_failed("Product Already Registered", "Oct 22 14:25:31 2018 EST",
                            "Oct 22 14:45:34 2018 EST"), EVAL, usage_status="EVAL MODE"),
    "scenario-01-sudi": LicenseState(
        unregistered_failed(
            "The product 'regid.2017-03.com.cisco.C9300,v1_3b9b1c3e-9e5a-4d4b-9a0b-1d2e3f4a5b6c' and "
            "sudi containing udi Serial Number:FOC2224X0AB,udi Pid:C9300-48P has already been registered.",
            "Nov 05 09:02:13 2018 UTC", "Nov 05 09:19:45 2018 UTC"), EVAL, usage_status="EVAL MODE"),
    "scenario-01-consumption": LicenseState(
        unregistered_failed("Existing Product Instance has Consumption and Force Flag is False",
                            "Jan 14 16:40:02 2019 CET", "Jan 14 16:57:31 2019 CET"),
        EVAL, usage_status="EVAL MODE"),
    "scenario-02": LicenseState(
        unregistered_failed("Your request could not be processed right now. Please try again",
                            "Oct 24 15:55:26 2018 EST", "Oct 24 16:12:15 2018 EST",
                            status="REGISTERING - REGISTRATION IN PROGRESS"),
        EVAL, usage_status="EVAL MODE"),
    "scenario-03": LicenseState(
        unregistered_failed(
            "{\"timestamp\":[\"The device date '1526135268653' is offset beyond the allowed "
            "tolerance limit.\"]}", "Nov 11 17:55:46 2018 EST", "Nov 11 18:12:17 2018 EST",
            status="REGISTERING - REGISTRATION IN PROGRESS"),
        EVAL, usage_status="EVAL MODE"),
    "scenario-04": LicenseState(
        unregistered_failed("Communication transport not available.", "Mar 09 21:42:02 2019 CST",
                            "Mar 09 21:58:41 2019 CST"), EVAL, usage_status="EVAL MODE"),
    "scenario-05": LicenseState(
        registered(2018)[:1] + SA + [("Export-Controlled Functionality", "ALLOWED"),
                                     ("Initial Registration", "SUCCEEDED on Apr 27 09:21:35 2018 UTC"),
                                     ("Last Renewal Attempt", "None"),
                                     ("Next Renewal Attempt", "Oct 24 09:21:34 2018 UTC"),
                                     ("Registration Expires", "Apr 27 09:16:02 2019 UTC")],
        [("Status", "OUT OF COMPLIANCE on Jul 26 09:24:09 2018 UTC"),
         ("Last Communication Attempt", "FAILED on Aug 02 14:26:23 2018 UTC"),
         ("Failure reason", "Fail to send out Call Home HTTP message."),
         ("Next Communication Attempt", "Aug 02 14:26:53 2018 UTC"),
         ("Communication Deadline", "Oct 25 09:21:38 2018 UTC")], usage_status="OUT OF COMPLIANCE"),
    "scenario-06": LicenseState(
        [("Status", "UNREGISTERED"), ("Smart Account", "Example Account"),
         ("Export-Controlled Functionality", "ALLOWED")],
        [("Status", "EVAL MODE"),
         ("Evaluation Period Remaining", "65 days, 18 hours, 43 minutes, 0 seconds")],
        usage_status="EVAL MODE"),
    "scenario-07": LicenseState(
        registered(2018)[:1] + SA + [("Export-Controlled Functionality", "ALLOWED"),
                                     ("Initial Registration", "SUCCEEDED on Apr 27 09:21:35 2018 UTC"),
                                     ("Last Renewal Attempt", "None"),
                                     ("Next Renewal Attempt", "Oct 24 09:21:34 2018 UTC"),
                                     ("Registration Expires", "Apr 27 09:16:02 2019 UTC")],
        [("Status", "OUT OF COMPLIANCE on Jul 26 09:24:09 2018 UTC"),
         ("Last Communication Attempt", "PENDING on Aug 02 14:34:51 2018 UTC"),
         ("Failure reason", "Waiting for reply"),
         ("Next Communication Attempt", "Aug 02 14:53:58 2018 UTC"),
         ("Communication Deadline", "Oct 25 09:21:39 2018 UTC")], usage_status="OUT OF COMPLIANCE"),
    "scenario-08": LicenseState(
        registered(2019),
        [("Status", "OUT OF COMPLIANCE on Sep 17 08:20:07 2019 UTC"),
         ("Last Communication Attempt", "SUCCEEDED on Sep 17 08:20:07 2019 UTC"),
         ("Next Communication Attempt", "Sep 17 20:20:07 2019 UTC"),
         ("Communication Deadline", "Dec 16 08:14:35 2019 UTC")], usage_status="OUT OF COMPLIANCE"),
    "scenario-09": LicenseState(
        [("Status", "REGISTERED"), *SA, ("Export-Controlled Functionality", "ALLOWED"),
         ("Initial Registration", "SUCCEEDED on Feb 10 11:02:44 2020 EDT"),
         ("Last Renewal Attempt", "None"), ("Next Renewal Attempt", "Aug 08 11:02:43 2020 EDT"),
         ("Registration Expires", "Feb 09 10:57:15 2021 EDT")],
        [("Status", "AUTHORIZED on Mar 12 09:17:45 2020 EDT"),
         ("Last Communication Attempt", "FAILED on Mar 12 09:17:45 2020 EDT"),
         ("Failure reason", "Data and signature do not match"),
         ("Next Communication Attempt", "Mar 12 09:18:15 2020 EDT"),
         ("Communication Deadline", "May 09 21:22:43 2020 EDT")]),
    "eval-expired": LicenseState(
        [("Status", "UNREGISTERED"), ("Export-Controlled Functionality", "NOT ALLOWED")],
        [("Status", "EVAL EXPIRED on Jun 18 03:12:40 2020 UTC")], usage_status="EVAL EXPIRED"),
    "in-progress": LicenseState(
        [("Status", "REGISTERING - REGISTRATION IN PROGRESS"),
         ("Export-Controlled Functionality", "NOT ALLOWED"),
         ("Initial Registration", "First Attempt Pending")],
        EVAL, usage_status="EVAL MODE"),
    "registration-failed-other": LicenseState(
        unregistered_failed("Invalid registration token; the token has expired or was revoked.",
                            "May 20 07:41:18 2019 UTC", "May 20 07:58:02 2019 UTC"),
        EVAL, usage_status="EVAL MODE"),
    "auth-expired": LicenseState(
        [("Status", "REGISTERED"), *SA, ("Export-Controlled Functionality", "ALLOWED"),
         ("Initial Registration", "SUCCEEDED on Nov 02 13:05:10 2018 UTC"),
         ("Last Renewal Attempt", "FAILED on Jun 01 13:05:09 2019 UTC"),
         ("Failure reason", "Fail to send out Call Home HTTP message."),
         ("Next Renewal Attempt", "Jun 01 14:05:40 2019 UTC"),
         ("Registration Expires", "Nov 02 12:59:33 2019 UTC")],
        [("Status", "AUTHORIZATION EXPIRED on May 30 13:07:02 2019 UTC"),
         ("Last Communication Attempt", "FAILED on Jun 01 13:05:11 2019 UTC"),
         ("Failure reason", "Fail to send out Call Home HTTP message."),
         ("Next Communication Attempt", "Jun 01 14:05:42 2019 UTC"),
         ("Communication Deadline", "May 30 13:07:02 2019 UTC")], usage_status="AUTHORIZATION EXPIRED"),
    "renewal-failing": LicenseState(
        registered(2019),
        [("Status", "AUTHORIZED on Sep 17 08:20:07 2019 UTC"),
         ("Last Communication Attempt", "FAILED on Oct 17 08:20:09 2019 UTC"),
         ("Failure reason", "Received empty response from server"),
         ("Next Communication Attempt", "Oct 17 09:20:09 2019 UTC"),
         ("Communication Deadline", "Dec 16 08:14:35 2019 UTC")]),
    "ooc-transport": LicenseState(
        registered(2019),
        [("Status", "OUT OF COMPLIANCE on Sep 17 08:20:07 2019 UTC"),
         ("Last Communication Attempt", "FAILED on Sep 18 08:20:11 2019 UTC"),
         ("Failure reason", "Communication transport not available."),
         ("Next Communication Attempt", "Sep 18 09:20:11 2019 UTC"),
         ("Communication Deadline", "Dec 16 08:14:35 2019 UTC")], usage_status="OUT OF COMPLIANCE"),
    "disabled": LicenseState([], [], enabled=False),
}


def version_line(st: LicenseState) -> str:
    if not st.enabled:
        return "UNREGISTERED/No Licenses in Use"
    reg = dict(st.reg).get("Status", "UNREGISTERED").split(" - ")[0]
    auth = dict(st.auth).get("Status", "EVAL MODE").split(" on ")[0]
    return f"{reg}/{auth}"


def log(stamp: str, tag: str, text: str, seq: int | None = None) -> str:
    prefix = f"{seq:06d}: " if seq is not None else ""
    return f"{prefix}{stamp}: %{tag}: {text}"


# ---------------------------------------------------------------------------------------
# The files.

SW = Switch("SW-ACC-12")


def legacy_session(sw: Switch, key: str, clock: str, logs: list[str] | None = None,
                   typed_all: str = "show license all", extra: list[tuple[str, str]] | None = None,
                   ) -> str:
    st = STATES[key]
    commands = [("terminal length 0", ""), ("show clock", show_clock(clock)),
                (typed_all, show_license_all(sw, st))]
    commands += extra or []
    if logs:
        commands.append(("show logging | include SMART_LIC|CALL_HOME|PKI", "\n".join(logs)))
    return session(sw.hostname, commands)



SLUP_STATUS = """\
Utility:
  Status: DISABLED

Smart Licensing Using Policy:
  Status: ENABLED

Account Information:
  Smart Account: ACME Networks Inc. As of Apr 03 09:12:41 2023 UTC
  Virtual Account: Campus-LAN

Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED

Transport:
  Type: Smart
  URL: https://smartreceiver.cisco.com/licservice/license
  Proxy:
    Not Configured
  VRF:
    Not Configured

Policy:
  Policy in use: Installed On Apr 03 09:12:41 2023 UTC
  Policy name: SLE Policy
  Reporting ACK required: yes (Customer Policy)

Usage Reporting:
  Last ACK received: Apr 03 09:12:41 2023 UTC
  Next ACK deadline: Jun 02 09:12:41 2023 UTC
  Reporting push interval: 30  days
  Next ACK push check: <none>
  Next report push: May 03 09:08:36 2023 UTC
  Last report push: Apr 03 09:08:36 2023 UTC
  Last report file write: <none>

Trust Code Installed: Mar 21 11:40:05 2023 UTC
"""



SMART_URL = "https://smartreceiver.cisco.com/licservice/license"
CISCO_DEFAULT_POLICY = """\
Policy:
  Policy in use: Merged from multiple sources.
  Reporting ACK required: yes (CISCO default)
  Unenforced/Non-Export Perpetual Attributes:
    First report requirement (days): 365 (CISCO default)
    Reporting frequency (days): 0 (CISCO default)
    Report on change (days): 90 (CISCO default)
  Unenforced/Non-Export Subscription Attributes:
    First report requirement (days): 90 (CISCO default)
    Reporting frequency (days): 90 (CISCO default)
    Report on change (days): 90 (CISCO default)
  Enforced (Perpetual/Subscription) License Attributes:
    First report requirement (days): 0 (CISCO default)
    Reporting frequency (days): 0 (CISCO default)
    Report on change (days): 0 (CISCO default)
  Export (Perpetual/Subscription) License Attributes:
    First report requirement (days): 0 (CISCO default)
    Reporting frequency (days): 0 (CISCO default)
    Report on change (days): 0 (CISCO default)"""
CUSTOMER_POLICY = """\
Policy:
  Policy in use: Installed On Jan 10 08:00:14 2024 UTC
  Policy name: SLE Policy
  Reporting ACK required: yes (Customer Policy)
  Unenforced/Non-Export Perpetual Attributes:
    First report requirement (days): 30 (Customer Policy)
    Reporting frequency (days): 60 (Customer Policy)
    Report on change (days): 60 (Customer Policy)
  Unenforced/Non-Export Subscription Attributes:
    First report requirement (days): 120 (Customer Policy)
    Reporting frequency (days): 111 (Customer Policy)
    Report on change (days): 111 (Customer Policy)"""


@dataclass
class Slup:
    transport: str = "Smart"
    url: str = SMART_URL
    cslu_address: str = "<empty>"
    proxy: tuple[str, str] | None = None
    policy: str = CUSTOMER_POLICY
    account: str = "ACME Networks Inc. As of Jan 10 08:00:14 2024 UTC"
    virtual_account: str = "Campus-LAN"
    last_ack: str = "Jan 10 08:00:14 2024 UTC"
    next_ack_deadline: str = "Mar 10 08:00:14 2024 UTC"
    interval: str = "30  days"
    last_push: str = "Jan 10 07:56:12 2024 UTC"
    trust: list[tuple[str, str]] | str = "Jan 09 15:41:02 2024 UTC"
    identity_check: str | None = None   # "Server Identity Check:" (agents that print it)


def slup_transport(sl: Slup) -> str:
    lines = ["Transport:", f"  Type: {sl.transport}"]
    if sl.transport == "Smart":
        lines.append(f"  URL: {sl.url}")
    elif sl.transport == "cslu":
        lines.append(f"  Cslu address: {sl.cslu_address}")
    if sl.transport in {"Smart", "cslu"}:
        if sl.proxy:
            lines += ["  Proxy:", f"    Address: {sl.proxy[0]}", f"    Port: {sl.proxy[1]}",
                      "    Username: <empty>", "    Password: <empty>"]
        else:
            lines += ["  Proxy:", "    Not Configured"]
        if sl.identity_check is not None:
            lines.append(f"  Server Identity Check: {sl.identity_check}")
        lines += ["  VRF:", "    Not Configured"]
    return "\n".join(lines)


def slup_trust(sl: Slup) -> str:
    if isinstance(sl.trust, str):
        return f"Trust Code Installed: {sl.trust}"
    lines = ["Trust Code Installed:"]
    for member, when in sl.trust:
        lines.append(f"  {member}")
        lines.append(f"    INSTALLED on {when}" if when else "    <none>")
    return "\n".join(lines)


def slup_status(sl: Slup) -> str:
    return "\n\n".join([
        "Utility:\n  Status: DISABLED",
        "Smart Licensing Using Policy:\n  Status: ENABLED",
        f"Account Information:\n  Smart Account: {sl.account}\n  Virtual Account: {sl.virtual_account}",
        "Data Privacy:\n  Sending Hostname: yes\n    Callhome hostname privacy: DISABLED\n"
        "    Smart Licensing hostname privacy: DISABLED\n  Version privacy: DISABLED",
        slup_transport(sl),
        "Miscellaneous:\n  Custom Id: <empty>",
        sl.policy,
        "\n".join(["Usage Reporting:", f"  Last ACK received: {sl.last_ack}",
                   f"  Next ACK deadline: {sl.next_ack_deadline}",
                   f"  Reporting push interval: {sl.interval}",
                   "  Next ACK push check: <none>",
                   "  Next report push: Feb 09 07:56:12 2024 UTC" if sl.interval != "0 (no reporting)"
                   else "  Next report push: <none>",
                   f"  Last report push: {sl.last_push}", "  Last report file write: <none>"]),
        slup_trust(sl), "",
    ])


def comm_block(name: str, total: int = 0, fail: int = 0, response: str = "<none>",
               when: str = "", reason: str = "<none>", last_success: str | None = None) -> str:
    ok = total - fail
    last = f"{response} on {when}" if when else response
    success = last_success or (when if ok and when else "<none>")
    return "\n".join([
        f"{name}:",
        f"  Attempts: Total={total}, Success={ok}, Fail={fail}  Ongoing Failure: Overall={fail} "
        f"Communication={fail}",
        f"  Last Response: {last}",
        f"    Failure Reason: {reason}",
        f"  Last Success Time: {success}",
        f"  Last Failure Time: {when if fail and when else '<none>'}",
    ])


def slup_tech_support(sl: Slup, sw: Switch, now: str, comm: list[str], level: str = "DIRECT",
                      overall_state: str = "<empty>", available: int = 4, acked: int = 120,
                      overall_trust: str = "INSTALLED (1)", ntp: str = "True") -> str:
    status = slup_status(sl)
    return "\n".join([
        "Smart Licensing Tech Support info", "",
        "Smart Licensing Status", "======================", "",
        "Smart Licensing is ENABLED", "",
        "Export Authorization Key:\n  Features Authorized:\n    <none>", "",
        status.replace("\n\n" + slup_trust(sl), ""),
        "License Usage", "=============",
        "Handle: 1", "  License: network-advantage",
        "  Entitlement Tag: regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53",
        f"  Description: {sw.tag_model} Network Advantage", "  Count: 1", "  Version: 1.0",
        "  Status: IN USE(15)", "  Export status: NOT RESTRICTED",
        "  Feature Name: network-advantage", "  Enforcement type: NOT ENFORCED",
        "  License type: Perpetual", "",
        "Product Information", "===================", f"UDI: PID:{sw.pid},SN:{sw.serial}", "",
        "Agent Version", "=============", "Smart Agent for Licensing: 5.4.12_rel/27", "",
        "Upcoming Scheduled Jobs", "=======================", f"Current time: {now}",
        "Daily: Mar 02 02:00:11 2024 UTC (16 hours, 30 minutes, 9 seconds remaining)", "",
        "Communication Statistics:", "=======================",
        f"Communication Level Allowed: {level}", f"Overall State: {overall_state}",
        *comm, "",
        "License Certificates", "====================", "Production Cert: True", "",
        "Usage Report Summary:", "=====================",
        f"Total: {available + acked},  Purged: 0(0)",
        f"Total Acknowledged Received: {acked},  Waiting for Ack: 0(0)",
        f"Available to Report: {available}  Collecting Data: 1",
        f"Maximum Display: {available}  In Storage: 0,  MIA: 0(0)", "Report Module Status: Ready", "",
        slup_trust(sl), "",
        "Other Info", "==========", "Agent State: authorized", f"Overall Trust: {overall_trust}",
        f"Clock sync-ed with NTP: {ntp}", "",
    ])


SW17 = Switch("SW-ACC-41", pid="C9300-24P", serial="FOC2410X1AB", version="17.09.04a",
              model_line="C9300 24P", tag_model="C9300-24")
HEALTHY_COMM = [comm_block("Trust Establishment", 1, 0, "OK", "Jan 09 15:41:02 2024 UTC"),
                comm_block("Usage Reporting", 5, 0, "OK_POLL", "Jan 10 07:56:12 2024 UTC"),
                comm_block("Result Polling", 5, 0, "OK", "Jan 10 08:00:14 2024 UTC"),
                comm_block("Authorization Request", 1, 0, "NO DATA TO PROCESS", "Jan 09 15:41:05 2024 UTC")]



CALL_HOME_CUSTOM_NO_SL = """\
call-home
 contact-email-addr netops@corp.example
 profile "CiscoTAC-1"
  no active
  destination transport-method http
  no destination transport-method email
 profile "NOC-Reports"
  active
  destination transport-method http
  destination address http https://noc.corp.example/callhome"""
CALL_HOME_TWO_ACTIVE = """\
call-home
 contact-email-addr netops@corp.example
 profile "CiscoTAC-1"
  active
  destination transport-method http
  no destination transport-method email
 profile "SSM-OnPrem"
  active
  reporting smart-licensing-data
  destination transport-method http
  destination address http https://ssm.corp.example/Transportgateway/services/DeviceRequestHandler"""
CALL_HOME_ONPREM_LOWERCASE = """\
call-home
 contact-email-addr netops@corp.example
 profile "CiscoTAC-1"
  active
  reporting smart-licensing-data
  destination transport-method http
  no destination transport-method email
  destination address http https://ssm.corp.example/transportgateway/services/devicerequesthandler"""
CALL_HOME_PLAIN_HTTP = """\
call-home
 contact-email-addr netops@corp.example
 profile "CiscoTAC-1"
  active
  destination transport-method http
  no destination transport-method email
  destination address http http://tools.cisco.com/its/service/oddce/services/DDCEService"""
CALL_HOME_ONPREM_IP = """\
call-home
 contact-email-addr netops@corp.example
 profile "CiscoTAC-1"
  active
  destination transport-method http
  no destination transport-method email
  destination address http https://10.10.30.8/Transportgateway/services/DeviceRequestHandler"""
CALL_HOME_PROXY = """\
call-home
 contact-email-addr netops@corp.example
 http-proxy "proxy.corp.example" port 8080
 profile "CiscoTAC-1"
  active
  destination transport-method http
  no destination transport-method email"""


