#!/usr/bin/env python3
"""Compose the captures sldiag ships: rule examples (rules/examples/) and samples (samples/).

The captures are ours: realistic legacy Smart Licensing outputs (IOS-XE 16.9 - 17.3.1) built
from the layouts real switches print and the failure texts of the TAC guide, in the forms
engineers save (terminal session logs, show tech, bare output, CRLF with --More--, .gz,
several devices in one file). Run it after changing a building block:

    python tools/compose_captures.py            # rewrite every file
    python tools/compose_captures.py --check    # exit 1 if a file is out of date
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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
                   ntp: str = "ntp server 10.10.20.1", revocation: str = "crl") -> str:
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
        "interface GigabitEthernet0/0", " vrf forwarding Mgmt-vrf", " ip address 10.10.20.31 255.255.255.0",
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


def rule_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    sw = SW
    ex["common/healthy-registered-authorized.txt"] = legacy_session(
        sw, "healthy", "09:02:11.428 UTC Wed Oct 02 2019",
        logs=[log("*Sep 17 08:20:07.311 UTC", "SMART_LIC-6-AUTH_RENEW_SUCCESS",
                  "Authorization renewal with the Cisco Smart Software Manager or satellite. "
                  "State=Authorized for udi PID:C9300-48P,SN:FOC2224X0AB")])
    ex["common/evaluation-mode.txt"] = show_license_status(sw, STATES["evaluation"])
    ex["common/using-policy-status.txt"] = session("SW-DIST-02", [("show license status", SLUP_STATUS)])
    ex["scenario-01/positive-product-already-registered.txt"] = legacy_session(
        sw, "scenario-01", "*14:30:02.123 EST Mon Oct 22 2018",
        logs=[log("*Oct 22 14:25:31.555 EST", "SMART_LIC-3-AGENT_REG_FAILED",
                  "Smart Agent for Licensing Registration with the Cisco Smart Software Manager "
                  "or satellite failed: Product Already Registered")])
    ex["scenario-01/positive-sudi-already-registered.txt"] = registration_block(
        STATES["scenario-01-sudi"].reg, indent_reason=False) + "\n"
    ex["scenario-01/positive-consumption-force-flag.txt"] = session(
        "core-sw1", [("sh lic status", show_license_status(sw, STATES["scenario-01-consumption"]))])
    ex["scenario-02/positive-try-again.txt"] = legacy_session(
        sw, "scenario-02", "15:58:40.002 EST Wed Oct 24 2018")
    ex["scenario-03/positive-clock-offset.txt"] = legacy_session(
        sw, "scenario-03", "*17:56:02.541 EST Sun Nov 11 2018")
    ex["scenario-03/positive-not-yet-valid-log.txt"] = session(sw.hostname, [
        ("show license status", show_license_status(sw, STATES["evaluation"]).replace(
            "Status: UNREGISTERED", "Status: REGISTERING - REGISTRATION IN PROGRESS")),
        ("show logging | include PKI", log(
            "*Nov 11 17:55:46.010 EST", "PKI-3-CERTIFICATE_INVALID_NOT_YET_VALID",
            "Certificate chain validation has failed.  The certificate (SN: 3D7A1F0B65C2) is not "
            "yet valid   Validity period starts on 2018-12-12:43Z"))])
    ex["scenario-04/positive-transport-not-available.txt"] = legacy_session(
        sw, "scenario-04", "21:45:12.880 CST Sat Mar 09 2019")
    ex["scenario-04/positive-logs-only.txt"] = "\n".join([
        log("*Mar  9 21:42:02.331 CST", "CALL_HOME-3-CALL_HOME_FAILED_TO_ENABLE",
            "Failed to enable call-home from Smart Agent for Licensing: The command failed to "
            "enable smart call home due to an existing active user profile. If you are using a "
            "user profile other than CiscoTAC-1 profile to send data to SCH server in Cisco, "
            "enter reporting smart-licensing-data under profile mode to configure that profile "
            "for smart licensing."),
        log("*Mar  9 21:42:02.335 CST", "SMART_LIC-3-AGENT_REG_FAILED",
            "Smart Agent for Licensing Registration with the Cisco Smart Software Manager or "
            "satellite failed: Communication transport not available."),
        log("*Mar  9 21:42:02.336 CST", "SMART_LIC-3-COMM_FAILED",
            "Communications failure with the Cisco Smart Software Manager or satellite: "
            "Communication transport not available."),
    ]) + "\n"
    ex["scenario-05/positive-http-message-failed.txt"] = legacy_session(
        sw, "scenario-05", "14:27:30.117 UTC Thu Aug 02 2018")
    ex["scenario-05/positive-logs-only.txt"] = session(sw.hostname, [
        ("show logging | include SMART_LIC|CALL_HOME", "\n".join([
            log("Aug  2 14:26:23.019 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
                "Fail to send out Smart Licensing message to: "
                "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 205 : Request Aborted)",
                seq=4711),
            log("Aug  2 14:26:23.020 UTC", "SMART_LIC-3-COMM_FAILED",
                "Communications failure with the Cisco Smart Software Manager or satellite: "
                "Fail to send out Call Home HTTP message.", seq=4712),
            log("Aug  2 14:26:23.021 UTC", "SMART_LIC-3-AUTH_RENEW_FAILED",
                "Authorization renewal with the Cisco Smart Software Manager or satellite: "
                "Communication message send error for udi PID:C9300-48P,SN:FOC2224X0AB", seq=4713),
        ]))])
    ex["scenario-05/negative-old-log-now-healthy.txt"] = legacy_session(
        sw, "healthy", "09:02:11.428 UTC Wed Oct 02 2019",
        logs=[log("*Sep 16 23:10:02.700 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
                  "Fail to send out Smart Licensing message to: "
                  "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 207 : Connection time out)"),
              log("*Sep 17 08:20:07.311 UTC", "SMART_LIC-6-AUTH_RENEW_SUCCESS",
                  "Authorization renewal with the Cisco Smart Software Manager or satellite. "
                  "State=Authorized for udi PID:C9300-48P,SN:FOC2224X0AB")])
    ex["scenario-06/positive-eventlog.txt"] = session(sw.hostname, [
        ("show license all", show_license_all(sw, STATES["scenario-06"])),
        ("show license eventlog 2", show_license_eventlog([
            "2019-12-03 10:14:51.118 UTC SAEVT_REGISTER idToken=\"MjQ5Y2YxN2...\"",
            "2019-12-03 10:14:58.402 UTC SAEVT_DEREGISTER_STATUS msgStatus=\"LS_INVALID_DATA\" "
            "error=\"Missing Id cert serial number field; Missing signing cert serial number "
            "field; Signed data and certificate does not match\""]))])
    ex["scenario-07/positive-waiting-for-reply.txt"] = legacy_session(
        sw, "scenario-07", "14:40:02.300 UTC Thu Aug 02 2018",
        logs=[log("Aug  2 14:34:56.811 UTC", "PKI-3-CRL_FETCH_FAIL",
                  "CRL fetch for trustpoint SLA-TrustPoint failed"),
              "Reason : Failed to select socket. Timeout : 5 (Connection timed out)"])
    ex["scenario-07/positive-guide-scenario-8-snip.txt"] = (
        authorization_block(STATES["scenario-07"].auth) + "\n\n"
        + log("*Aug  2 14:34:52.102 UTC", "SMART_LIC-3-OUT_OF_COMPLIANCE",
              "One or more entitlements are out of compliance.") + "\n")
    ex["scenario-08/positive-out-of-compliance.txt"] = legacy_session(
        sw, "scenario-08", "10:15:00.000 UTC Tue Sep 17 2019",
        logs=[log("*Sep 17 08:20:07.404 UTC", "SMART_LIC-3-OUT_OF_COMPLIANCE",
                  "One or more entitlements are out of compliance.")])
    ex["scenario-08/positive-show-version-only.txt"] = session(
        "SW-ACC-07", [("show version", show_version(Switch("SW-ACC-07", version="16.09.03"),
                                                     "REGISTERED/OUT OF COMPLIANCE"))])
    ex["scenario-09/positive-data-signature.txt"] = legacy_session(
        sw, "scenario-09", "09:20:11.006 EDT Thu Mar 12 2020",
        logs=[log("*Mar 12 09:17:45.981 EDT", "SMART_LIC-3-AUTH_RENEW_FAILED",
                  "Authorization renewal with the Cisco Smart Software Manager (CSSM) : Error "
                  "received from Smart Software Manager: Data and signature do not match for udi "
                  "PID:C9300-48P,SN:FOC2224X0AB")])
    ex["state-evaluation-expired/positive-eval-expired.txt"] = legacy_session(
        sw, "eval-expired", "08:00:12.000 UTC Mon Jul 06 2020")
    ex["state-evaluation-expired/positive-show-version.txt"] = session(
        "Switch", [("show version", show_version(Switch("Switch", pid="C9500-24Y4C",
                                                        serial="CAT2136L3NG", version="17.03.01"),
                                                 "UNREGISTERED/EVAL EXPIRED"))])
    ex["state-registration-in-progress/positive-in-progress.txt"] = show_license_status(
        sw, STATES["in-progress"])
    ex["state-registration-failed/positive-unknown-reason.txt"] = legacy_session(
        sw, "registration-failed-other", "07:45:00.000 UTC Mon May 20 2019")
    ex["state-out-of-compliance/positive-ooc-transport.txt"] = show_license_status(
        sw, STATES["ooc-transport"])
    ex["state-authorization-expired/positive-authorization-expired.txt"] = legacy_session(
        sw, "auth-expired", "13:30:00.000 UTC Sat Jun 01 2019")
    ex["state-communication-failing/positive-renewal-failing.txt"] = show_license_status(
        sw, STATES["renewal-failing"])
    ex["state-smart-licensing-disabled/positive-disabled.txt"] = session(
        sw.hostname, [("show license all", show_license_all(sw, STATES["disabled"]))])
    ex["state-not-smart-licensing/positive-rtu-show-license.txt"] = session(
        "c3850-old", [("show license", classic_show_license())])
    ex["capture-license-command-rejected/positive-invalid-input.txt"] = session("c3850-old", [
        ("show license all", "                      ^\n% Invalid input detected at '^' marker.\n"),
        ("show license status", "                      ^\n% Invalid input detected at '^' marker.\n")])
    ex["capture-license-command-rejected/negative-classic-answered.txt"] = session("c3850-old", [
        ("show license all", "                      ^\n% Invalid input detected at '^' marker.\n"),
        ("show license", classic_show_license())])
    refused = "                      ^\n% Invalid input detected at '^' marker.\n"
    ex["capture-license-command-rejected/negative-collected-by-sldiag.txt"] = collected(
        "c3850-old", "c3850-old#", [("show license all", refused), ("show license status", refused)])
    ex["capture-no-licensing-output/positive-interfaces-only.txt"] = session(
        sw.hostname, [("show interfaces status", show_interfaces_status())])
    return ex


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


def samples() -> dict[str, str | bytes]:
    """One capture per scenario and state, in the different forms engineers save."""
    out: dict[str, str | bytes] = {}
    sw = SW

    def tech(host_sw: Switch, key: str, clock: str, logs: list[str], header: bool = True,
             config: str = "") -> str:
        st = STATES[key]
        return show_tech(host_sw.hostname, [
            ("show clock", show_clock(clock)),
            ("show version", show_version(host_sw, version_line(st))),
            ("show running-config", config or running_config(host_sw)),
            ("show logging", show_logging(logs)),
            ("show license all", show_license_all(host_sw, st)),
            ("show license udi", show_license_udi(host_sw)),
        ], header=header)

    out["01-product-already-registered.showtech.txt"] = tech(
        sw, "scenario-01", "14:30:02.123 EST Mon Oct 22 2018",
        [log("*Oct 22 14:25:31.555 EST", "SMART_LIC-3-AGENT_REG_FAILED",
             "Smart Agent for Licensing Registration with the Cisco Smart Software Manager or "
             "satellite failed: Product Already Registered")])
    sw2 = Switch("DC1-AGG-01", pid="C9500-24Y4C", serial="CAT2136L3NG", version="16.12.04",
                 model_line="C9500 24Y4C", tag_model="C9500-24Y4C")
    out["02-try-again.session.log"] = session(sw2.hostname, [
        ("term len 0", ""), ("sh ver", show_version(sw2, version_line(STATES["scenario-02"]))),
        ("sh clock", show_clock("15:58:40.002 EST Wed Oct 24 2018")),
        ("sh lic all", show_license_all(sw2, STATES["scenario-02"]))])
    out["03-clock-offset.session.log"] = session(sw.hostname, [
        ("show clock", show_clock("*17:56:02.541 EST Sun Nov 11 2018")),
        ("show running-config", running_config(sw, ntp="")),
        ("show license status", show_license_status(sw, STATES["scenario-03"])),
        ("show logging | i PKI|SMART", log(
            "*Nov 11 17:55:46.010 EST", "PKI-3-CERTIFICATE_INVALID_NOT_YET_VALID",
            "Certificate chain validation has failed.  The certificate (SN: 3D7A1F0B65C2) is not "
            "yet valid   Validity period starts on 2018-12-12:43Z"))])
    # The same switch the next morning, after the fix the report gave (NTP, then register):
    # `sldiag diff` of the two shows scenario #3 resolved and the state change.
    fixed = LicenseState(
        [("Status", "REGISTERED"), *SA, ("Export-Controlled Functionality", "ALLOWED"),
         ("Initial Registration", "SUCCEEDED on Nov 12 09:05:31 2018 EST"),
         ("Last Renewal Attempt", "None"), ("Next Renewal Attempt", "May 11 09:05:30 2019 EST"),
         ("Registration Expires", "Nov 12 09:00:12 2019 EST")],
        [("Status", "AUTHORIZED on Nov 12 09:05:40 2018 EST"),
         ("Last Communication Attempt", "SUCCEEDED on Nov 12 09:05:40 2018 EST"),
         ("Next Communication Attempt", "Dec 12 09:05:39 2018 EST"),
         ("Communication Deadline", "Feb 10 09:00:17 2019 EST")])
    out["03-clock-offset.fixed.session.log"] = session(sw.hostname, [
        ("show clock", show_clock("09:12:40.118 EST Mon Nov 12 2018")),
        ("show running-config", running_config(sw)),
        ("show license status", show_license_status(sw, fixed))])
    out["04-transport-not-available.crlf-more.txt"] = crlf_with_more(legacy_session(
        sw, "scenario-04", "21:45:12.880 CST Sat Mar 09 2019",
        extra=[("show running-config | section call-home", CALL_HOME_CUSTOM_NO_SL + "\n")], logs=[
            log("*Mar  9 21:42:02.331 CST", "CALL_HOME-3-CALL_HOME_FAILED_TO_ENABLE",
                "Failed to enable call-home from Smart Agent for Licensing: The command failed to "
                "enable smart call home due to an existing active user profile."),
            log("*Mar  9 21:42:02.335 CST", "SMART_LIC-3-AGENT_REG_FAILED",
                "Smart Agent for Licensing Registration with the Cisco Smart Software Manager or "
                "satellite failed: Communication transport not available.")]))
    out["05-call-home-http-failed.showtech.txt.gz"] = gzip.compress(tech(
        sw, "scenario-05", "14:27:30.117 UTC Thu Aug 02 2018", config=running_config(sw, dns="no ip domain lookup"),
        logs=[log("Aug  2 14:26:23.019 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
             "Fail to send out Smart Licensing message to: "
             "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 205 : Request Aborted)"),
         log("Aug  2 14:26:23.020 UTC", "SMART_LIC-3-COMM_FAILED",
             "Communications failure with the Cisco Smart Software Manager or satellite: "
             "Fail to send out Call Home HTTP message.")]).encode(), mtime=0)
    out["06-onprem-certificate.session.log"] = session(sw.hostname, [
        ("show running-config", running_config(sw, CALL_HOME_ONPREM_IP)),
        ("show license all", show_license_all(sw, STATES["scenario-06"])),
        ("show license eventlog 2", show_license_eventlog([
            "2019-12-03 10:14:51.118 UTC SAEVT_REGISTER idToken=\"MjQ5Y2YxN2...\"",
            "2019-12-03 10:14:58.402 UTC SAEVT_DEREGISTER_STATUS msgStatus=\"LS_INVALID_DATA\" "
            "error=\"Missing Id cert serial number field; Missing signing cert serial number "
            "field; Signed data and certificate does not match\""]))])
    out["07-waiting-for-reply.bare.txt"] = show_license_all(sw, STATES["scenario-07"])
    out["08-out-of-compliance.session.log"] = legacy_session(
        Switch("SW-ACC-31", serial="FOC2301Y0ZZ", members=3, extra_serials=["FOC2301Y1AA", "FOC2301Y1AB"]),
        "scenario-08", "10:15:00.000 UTC Tue Sep 17 2019",
        logs=[log("*Sep 17 08:20:07.404 UTC", "SMART_LIC-3-OUT_OF_COMPLIANCE",
                  "One or more entitlements are out of compliance.")])
    out["09-data-signature.session.log"] = legacy_session(
        sw, "scenario-09", "09:20:11.006 EDT Thu Mar 12 2020")
    out["state-evaluation.bare.txt"] = show_license_summary(sw, STATES["evaluation"])
    out["state-evaluation-expired.showtech.txt"] = tech(
        Switch("Switch", pid="C9500-24Y4C", serial="CAT2136L3NG", version="17.03.01",
               model_line="C9500 24Y4C", tag_model="C9500-24Y4C"),
        "eval-expired", "08:00:12.000 UTC Mon Jul 06 2020",
        [log("*Jun 18 03:12:40.000 UTC", "SMART_LIC-3-EVAL_EXPIRED", "Evaluation period expired")],
        header=False)
    out["state-registration-in-progress.session.log"] = session(
        sw.hostname, [("show license status", show_license_status(sw, STATES["in-progress"]))])
    out["state-healthy-and-authorization-expired.two-devices.log"] = (
        legacy_session(Switch("SW-ACC-21", serial="FOC2224X1CD"), "healthy",
                       "09:02:11.428 UTC Wed Oct 02 2019")
        + legacy_session(Switch("SW-ACC-22", serial="FOC2224X1CE"), "auth-expired",
                         "13:30:00.000 UTC Sat Jun 01 2019"))
    out["state-smart-licensing-disabled.session.log"] = session(
        "lab-3850", [("show license status", show_license_status(sw, STATES["disabled"]))])
    # Smart Licensing Using Policy (17.3.2 and later).
    sw17 = SW17
    now = "Mar 01 09:30:02 2024 UTC"
    cslu = Slup(transport="cslu", account="<none>", virtual_account="<none>", last_ack="<none>",
                last_push="<none>", trust="<none>", policy=CISCO_DEFAULT_POLICY,
                next_ack_deadline="May 29 22:52:03 2024 UTC")
    out["slup-cslu-unreachable.showtech.txt"] = show_tech(sw17.hostname, [
        ("show clock", show_clock("09:30:02.118 UTC Fri Mar 1 2024")),
        ("show version", show_version(sw17, "Smart Licensing Using Policy")),
        ("show logging", show_logging([log(
            "*Mar  1 08:01:13.441 UTC", "SMART_LIC-3-COMM_FAILED",
            "Communications failure with the Cisco Smart License Utility (CSLU) : Unable to "
            "resolve server hostname/domain name")])),
        ("show license tech support", slup_tech_support(
            cslu, sw17, now, [comm_block("Trust Establishment"), comm_block("Usage Reporting"),
                              comm_block("Hello Message", 96, 96, "NO REPLY", "Mar 01 09:12:31 2024 UTC")],
            level="INDIRECT", acked=0, available=57, overall_trust="No ID", ntp="False")),
    ])
    out["slup-trust-missing.session.log"] = session(sw17.hostname, [
        ("terminal length 0", ""), ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("sh lic status", slup_status(Slup(account="<none>", virtual_account="<none>",
                                            last_ack="<none>", last_push="<none>", trust="<none>")))])
    out["slup-ack-overdue.crlf-more.txt"] = crlf_with_more(session(sw17.hostname, [
        ("show clock", "10:05:44.000 UTC Mon Apr 15 2024\n"),
        ("show license all", "Smart Licensing Status\n======================\n\n"
         "Smart Licensing is ENABLED\n\n" + slup_status(Slup()) + "\nAgent Version\n=============\n"
         "Smart Agent for Licensing: 5.4.12_rel/27\n")]))
    out["slup-healthy.bare.txt"] = slup_status(Slup(proxy=("proxy.corp.example", "8080")))
    out["slup-transport-off.session.log.gz"] = gzip.compress(session(sw17.hostname, [
        ("show license status", slup_status(Slup(
            transport="Transport Off", last_ack="Nov 20 10:12:00 2023 UTC",
            next_ack_deadline="Mar 20 10:12:00 2024 UTC", last_push="<none>", trust="<none>")))]).encode(),
        mtime=0)
    out["state-no-licensing-output.session.log"] = session(
        sw.hostname, [("show interfaces status", show_interfaces_status())])
    return out


# ---------------------------------------------------------------------------------------
# Smart Licensing Using Policy (17.3.2 and later) building blocks.

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


def slup_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    host = SW17.hostname
    now = "Mar 01 09:30:02 2024 UTC"
    ex["slup/healthy-smart-tech-support.txt"] = session(host, [
        ("show license tech support", slup_tech_support(Slup(), SW17, now, HEALTHY_COMM))])
    tech = slup_tech_support(Slup(), SW17, now, HEALTHY_COMM)
    refused = "                         ^\n% Invalid input detected at '^' marker.\n"
    ex["capture-collection-gap/positive-eventlog-refused.txt"] = collected(
        "access-17", f"{host}#", [("show license tech support", tech),
                                  ("show license eventlog 7", refused),
                                  ("show license eventlog", refused)],
        gaps=["licensing event log: no answer (refused: show license eventlog 7, "
              "show license eventlog)"])
    ex["capture-collection-gap/negative-fallback-answered.txt"] = collected(
        "access-17", f"{host}#", [("show license tech support", refused),
                                  ("show license status", refused),
                                  ("show license all", tech)])
    # A device printing a forged prompt and another device's output inside its own.
    ex["capture-collection-gap/negative-forged-prompt-in-output.txt"] = collected(
        "access-17", f"{host}#", [("show license tech support", tech),
                                  ("show logging", "Syslog logging: enabled\nCORE-RTR-1#show license status\n"
                                   + slup_status(Slup()))])
    ex["slup/healthy-cslu-status.txt"] = session(host, [("show license status", slup_status(Slup(
        transport="cslu", cslu_address="http://10.20.30.40:8182/cslu/v1/pi",
        trust=[("Active: PID:C9300-24P,SN:FOC2410X1AB", "Jan 09 15:41:02 2024 UTC")])))])
    ex["slup/healthy-default-policy-no-interval.txt"] = session(host, [("show license status", slup_status(Slup(
        policy=CISCO_DEFAULT_POLICY, interval="0 (no reporting)", proxy=("proxy.corp.example", "8080"))))])
    never = Slup(account="<none>", virtual_account="<none>", last_ack="<none>", last_push="<none>",
                 trust="<none>")
    ex["slup/trust-missing-smart.txt"] = session(host, [
        ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("show license status", slup_status(never))])
    ex["slup/cslu-hello-no-reply.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(transport="cslu", account="<none>", virtual_account="<none>", last_ack="<none>",
             last_push="<none>", trust="<none>", policy=CISCO_DEFAULT_POLICY,
             next_ack_deadline="May 29 22:52:03 2024 UTC"),
        SW17, now, [comm_block("Trust Establishment"), comm_block("Usage Reporting"),
                    comm_block("Hello Message", 96, 96, "NO REPLY", "Mar 01 09:12:31 2024 UTC")],
        level="INDIRECT", acked=0, available=57, overall_trust="No ID", ntp="False"))])
    ex["slup/cslu-dns-log.txt"] = session(host, [
        ("show license status", slup_status(Slup(transport="cslu", last_ack="<none>", last_push="<none>",
                                                 account="<none>", virtual_account="<none>", trust="<none>",
                                                 policy=CISCO_DEFAULT_POLICY))),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 08:01:13.441 UTC", "SMART_LIC-3-COMM_FAILED",
            "Communications failure with the Cisco Smart License Utility (CSLU) : Unable to resolve "
            "server hostname/domain name"))])
    ex["slup/ack-overdue.txt"] = session(host, [
        ("show clock", "10:05:44.000 UTC Mon Apr 15 2024\n"),
        ("show license status", slup_status(Slup()))])
    ex["slup/interval-zero-customer-policy.txt"] = session(host, [
        ("show license status", slup_status(Slup(interval="0 (no reporting)")))])
    ex["slup/transport-off.txt"] = session(host, [("show license status", slup_status(Slup(
        transport="Transport Off", last_ack="<none>", last_push="<none>", trust="<none>",
        account="<none>", virtual_account="<none>")))])
    ex["slup/wrong-smart-url.txt"] = session(host, [("show license status", slup_status(Slup(
        url="https://tools.cisco.com/its/service/oddce/services/DDCEService", last_ack="<none>",
        last_push="<none>", trust="<none>")))])
    ex["slup/callhome-after-upgrade.txt"] = session(host, [("show license status", slup_status(Slup(
        transport="Callhome", last_ack="<none>", last_push="<none>", trust="<none>",
        account="<none>", virtual_account="<none>", policy=CISCO_DEFAULT_POLICY)))])
    ex["slup/onprem-down-rev.txt"] = session(host, [
        ("show license status", slup_status(Slup(transport="cslu",
                                                 cslu_address="https://ssm-onprem.corp.example/cslu/v1/pi/ACME-1",
                                                 last_ack="<none>", last_push="<none>", trust="<none>"))),
        ("show logging | include SMART_LIC", "\n".join([
            log("*Feb 20 11:02:40.118 UTC", "SMART_LIC-4-REPORTING_NOT_SUPPORTED",
                "Smart Agent for Licensing CSSM OnPrem is down rev and does not support the enhanced "
                "policy and usage reporting mode."),
            log("*Feb 20 11:02:40.120 UTC", "SMART_LIC-3-COMM_FAILED",
                "Communications failure with the Cisco Smart Software Manager (CSSM) : Received empty "
                "response from server")]))])
    ex["slup/trust-install-failed.txt"] = session(host, [
        ("license smart trust idtoken NzY4ZWFhMjktZGE3... all", ""),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 09:01:55.871 UTC", "SMART_LIC-3-TRUST_CODE_INSTALL_FAILED",
            "The install of a new licensing trust code has failed on PID:C9300-24P,SN:FOC2410X1AB: "
            "Trust code already installed."))])
    ex["slup/instance-not-valid.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(last_ack="Oct 02 10:00:00 2023 UTC", next_ack_deadline="Dec 01 10:00:00 2023 UTC"),
        SW17, now, [comm_block("Trust Establishment", 1, 0, "OK", "Sep 01 10:00:00 2023 UTC"),
                    comm_block("Usage Reporting", 40, 31, "INVALID STATUS CODE", "Mar 01 07:56:12 2024 UTC",
                               '{"product_instance_identifier":["The identity for the instance '
                               '5f1c9d2e-0b7a-4e8c-9c1e-2a6f0d3b4c5e is not valid.Please re-register '
                               'the instance."]}')]))])
    ex["slup/backend-try-again.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(), SW17, now, HEALTHY_COMM[:1] + [
            comm_block("Usage Reporting", 6, 1, "OK_TRY_AGAIN", "Mar 01 07:56:12 2024 UTC",
                       "Server error occurred: LS_LICENGINE_FAIL_TO_CONNECT")]))])
    ex["slup/build-request-error.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(transport="cslu", cslu_address="http://10.20.30.40:8182/cslu/v1/pi"), SW17, now,
        HEALTHY_COMM[:3] + [comm_block("Authorization Request", 3, 3, "BUILD REQUEST ERROR",
                                       "Mar 01 08:40:10 2024 UTC", "Null pointer Error")]))])
    ex["slup/report-backlog.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(last_ack="Nov 02 10:00:00 2023 UTC", next_ack_deadline="Jan 01 10:00:00 2024 UTC"),
        SW17, now, HEALTHY_COMM[:1] + [comm_block("Usage Reporting", 140, 120, "<none>",
                                                  "Mar 01 07:56:12 2024 UTC", "Communications failure",
                                                  last_success="Nov 02 09:56:12 2023 UTC")],
        available=1387, acked=402))])
    ex["slup/root-ca-change-16-12.txt"] = session("SW-CORE-02", [
        ("show version", show_version(Switch("SW-CORE-02", version="16.12.04"), "REGISTERED/AUTHORIZED")),
        ("show license status", show_license_status(SW, STATES["scenario-05"])),
        ("show logging | include CALL_HOME", log(
            "Feb 14 06:10:22.301 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
            "Fail to send out Smart Licensing message to: "
            "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 205 : Request Aborted)"))])
    ex["slup/root-ca-2018-not-affected-yet.txt"] = session("SW-CORE-02", [
        ("show clock", "06:30:00.000 UTC Thu Aug 02 2018\n"),
        ("show version", show_version(Switch("SW-CORE-02", version="16.09.02"), "REGISTERED/AUTHORIZED")),
        ("show logging | include CALL_HOME", log(
            "Aug  2 06:10:22.301 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
            "Fail to send out Smart Licensing message to: "
            "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 205 : Request Aborted)"))])
    ex["slup/trust-no-reply.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(account="<none>", virtual_account="<none>", last_ack="<none>", last_push="<none>",
             trust="<none>"),
        SW17, now, [comm_block("Trust Establishment", 4, 4, "NO REPLY", "Mar 01 09:02:40 2024 UTC"),
                    comm_block("Usage Reporting")], acked=0, available=9, overall_trust="No ID"))])
    ex["slup/reservation-carried-over.txt"] = session(host, [("show license all", (
        "Smart Licensing Status\n======================\n\nSmart Licensing is ENABLED\n\n"
        + slup_status(Slup(transport="Transport Off", last_ack="<none>", last_push="<none>", trust="<none>"))
        + "\nAgent Version\n=============\nSmart Agent for Licensing: 5.4.12_rel/27\n\n"
        "Reservation Info\n================\nLicense reservation: ENABLED\n\nOverall status:\n"
        "  Active: PID:C9300-24P,SN:FOC2410X1AB\n      Reservation status: SPECIFIC INSTALLED on "
        "Jun 14 10:02:11 2021 UTC\n"))])
    ex["slup/crl-fetch-failing.txt"] = session(host, [
        ("show license status", slup_status(Slup())),
        ("show logging | include PKI", "\n".join([
            log("*Mar  1 07:56:19.430 UTC", "PKI-3-CRL_FETCH_FAIL",
                "CRL fetch for trustpoint SLA-TrustPoint failed"),
            "Reason : Failed to select socket. Timeout : 5 (Connection timed out)"]))])
    ex["slup/authorization-code-failed.txt"] = session("SW-DIST-9X", [
        ("show version", show_version(Switch("SW-DIST-9X", pid="C9300X-24Y", serial="FOC2533L1AA",
                                              version="17.09.04a"), "Smart Licensing Using Policy")),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 09:14:03.551 UTC", "SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
            "The install of a new licensing authorization code has failed on PID:C9300X-24Y,"
            "SN:FOC2533L1AA: The authorization code is for a different product instance."))])
    ex["slup/communication-failing-log.txt"] = session(host, [
        ("show license status", slup_status(Slup())),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 07:56:14.017 UTC", "SMART_LIC-3-COMM_FAILED",
            "Communications failure with the Cisco Smart Software Manager (CSSM) : Communications failure"))])
    ex["slup/stack-partial-trust.txt"] = session(host, [("show license status", slup_status(Slup(trust=[
        ("Active: PID:C9300-24P,SN:FOC2410X1AB", "Jan 09 15:41:02 2024 UTC"),
        ("Standby: PID:C9300-24P,SN:FOC2410X1AC", "Jan 09 15:41:02 2024 UTC"),
        ("Member: PID:C9300-24P,SN:FOC2410X1AD", "")])))])
    return ex


# ---------------------------------------------------------------------------------------
# Configuration caveats (TAC guide, Considerations and Caveats).

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


def caveat_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    sw = SW

    def with_config(config: str, *more: tuple[str, str], key: str = "healthy") -> str:
        return session(sw.hostname, [
            ("show clock", "09:02:11.428 UTC Wed Oct 02 2019\n"),
            ("show running-config", config),
            ("show license status", show_license_status(sw, STATES[key])), *more])

    ex["caveats/healthy-config.txt"] = with_config(running_config(sw))
    ex["caveats/call-home-service-off.txt"] = with_config(
        running_config(sw, service_call_home=False), key="scenario-04")
    ex["caveats/no-profile-for-licensing.txt"] = with_config(
        running_config(sw, CALL_HOME_CUSTOM_NO_SL), key="scenario-04")
    ex["caveats/two-active-profiles.txt"] = with_config(running_config(sw, CALL_HOME_TWO_ACTIVE))
    ex["caveats/onprem-url-wrong-case.txt"] = with_config(
        running_config(sw, CALL_HOME_ONPREM_LOWERCASE), key="scenario-05")
    ex["caveats/plain-http-url.txt"] = with_config(running_config(sw, CALL_HOME_PLAIN_HTTP))
    ex["caveats/no-dns.txt"] = with_config(running_config(sw, dns="no ip domain lookup"), key="scenario-05")
    ex["caveats/dns-in-vrf-only.txt"] = with_config(
        running_config(sw, dns="ip name-server vrf Mgmt-vrf 10.10.20.5"), key="scenario-05")
    ex["caveats/dns-in-vrf-with-source.txt"] = with_config(running_config(
        sw, dns="ip name-server vrf Mgmt-vrf 10.10.20.5",
        extra="ip http client source-interface GigabitEthernet0/0"))
    ex["caveats/no-ntp.txt"] = with_config(running_config(sw, ntp=""), key="scenario-03")
    ex["caveats/calendar-valid-without-ntp.txt"] = with_config(
        running_config(sw, ntp="clock calendar-valid"))
    ex["caveats/crl-check-failing.txt"] = with_config(
        running_config(sw), ("show logging | include PKI", "\n".join([
            log("Aug  2 14:34:56.811 UTC", "PKI-3-CRL_FETCH_FAIL",
                "CRL fetch for trustpoint SLA-TrustPoint failed"),
            "Reason : Failed to select socket. Timeout : 5 (Connection timed out)"])),
        key="scenario-07")
    ex["caveats/ip-url-identity-check.txt"] = with_config(
        running_config(sw, CALL_HOME_ONPREM_IP), key="scenario-06")
    ex["caveats/ip-url-identity-check-off.txt"] = with_config(running_config(
        sw, CALL_HOME_ONPREM_IP.replace(" contact-email-addr netops@corp.example",
                                        " contact-email-addr netops@corp.example\n no http secure server-identity-check")))
    ex["caveats/config-not-saved.txt"] = with_config(
        running_config(sw), ("show logging | include CONFIG|NOCONFIG", "\n".join([
            log("*Mar  4 10:11:53.201 UTC", "PKI-4-NOCONFIGAUTOSAVE",
                'Configuration was modified.  Issue "write memory" to save new IOS PKI configuration'),
            log("*Mar  4 10:11:55.874 UTC", "SMART_LIC-4-CONFIG_NOT_SAVED",
                "Smart Licensing configuration has not been saved")])))
    ex["caveats/proxy-intercepting.txt"] = with_config(
        running_config(sw, CALL_HOME_PROXY), ("show logging | include CALL_HOME", log(
            "Aug  2 14:26:23.019 UTC", "CALL_HOME-5-SL_MESSAGE_FAILED",
            "Fail to send out Smart Licensing message to: "
            "https://tools.cisco.com/its/service/oddce/services/DDCEService (ERR 205 : Request Aborted)")),
        key="scenario-05")
    ex["deadlines/communication-deadline-in-15-days.txt"] = legacy_session(
        sw, "healthy", "08:00:00.000 UTC Sun Dec 1 2019")
    ex["deadlines/communication-deadline-passed.txt"] = legacy_session(
        sw, "healthy", "08:00:00.000 UTC Fri Dec 20 2019")
    ex["deadlines/registration-expires-soon.txt"] = session(sw.hostname, [
        ("show clock", "08:00:00.000 UTC Thu Feb 20 2020\n"),
        ("show license status", show_license_status(sw, LicenseState(
            [("Status", "REGISTERED"), *SA, ("Export-Controlled Functionality", "ALLOWED"),
             ("Initial Registration", "SUCCEEDED on Mar 04 10:11:52 2019 UTC"),
             ("Last Renewal Attempt", "FAILED on Feb 19 10:11:51 2020 UTC"),
             ("Failure reason", "Fail to send out Call Home HTTP message."),
             ("Next Renewal Attempt", "Feb 21 10:11:51 2020 UTC"),
             ("Registration Expires", "Mar 03 10:06:21 2020 UTC")],
            [("Status", "AUTHORIZED on Feb 10 08:20:07 2020 UTC"),
             ("Last Communication Attempt", "SUCCEEDED on Feb 10 08:20:07 2020 UTC"),
             ("Next Communication Attempt", "Mar 11 08:20:06 2020 UTC"),
             ("Communication Deadline", "May 10 08:14:35 2020 UTC")])))])
    stack = Switch("SW-ACC-31", serial="FOC2301Y0ZZ", members=3,
                   extra_serials=["FOC2301Y1AA", "FOC2301Y1AB"])
    ex["platform/stack-of-three-out-of-compliance.txt"] = session(stack.hostname, [
        ("show version", show_version(stack, "REGISTERED/OUT OF COMPLIANCE")),
        ("show license all", show_license_all(stack, STATES["scenario-08"]))])
    sup = Switch("DC-CORE-01", pid="C9407R", serial="FXS2119Q2U7", version="16.12.04",
                 model_line="C9400", tag_model="C9400")
    ex["platform/c9400-dual-supervisor.txt"] = session(sup.hostname, [
        ("show inventory", "\n".join([
            'NAME: "Chassis", DESCR: "Cisco Catalyst 9400 Series 7 Slot Chassis"',
            "PID: C9407R            , VID: V01  , SN: FXS2119Q2U7", "",
            'NAME: "Slot 3 Supervisor", DESCR: "Cisco Catalyst 9400 Series Supervisor 1 Module"',
            "PID: C9400-SUP-1       , VID: V02  , SN: JAE21300AAA", "",
            'NAME: "Slot 4 Supervisor", DESCR: "Cisco Catalyst 9400 Series Supervisor 1 Module"',
            "PID: C9400-SUP-1       , VID: V02  , SN: JAE21300AAB", ""])),
        ("show license status", show_license_status(sup, STATES["healthy"]))])
    hp = Switch("DC-SPINE-01", pid="C9500-32C", serial="CAT2231L0AA", version="16.12.02",
                model_line="C9500 32C", tag_model="C9500-32C")
    ex["platform/c9500-32c-16-12-2.txt"] = session(hp.hostname, [
        ("show version", show_version(hp, "REGISTERED/AUTHORIZED")),
        ("show license summary", show_license_summary(hp, STATES["healthy"]))])
    hp4 = Switch("DC-SPINE-01", pid="C9500-32C", serial="CAT2231L0AA", version="16.12.04",
                 model_line="C9500 32C", tag_model="C9500-32C")
    ex["platform/c9500-32c-16-12-4.txt"] = session(hp4.hostname, [
        ("show version", show_version(hp4, "REGISTERED/AUTHORIZED"))])
    old = Switch("c3850-bldg2", pid="WS-C3850-48P", serial="FOC1934X0AA", version="16.09.03",
                 model_line="C3850 48P", tag_model="C3850-48")
    ex["platform/c3850-upgraded-out-of-compliance.txt"] = session(old.hostname, [
        ("show version", show_version(old, "REGISTERED/OUT OF COMPLIANCE")),
        ("show license status", show_license_status(old, STATES["scenario-08"]))])
    ex["caveats/profile-status-inactive.txt"] = session(sw.hostname, [
        ("show call-home profile all", (ROOT / "parsers/tests/cisco_ios_show_call-home_profile_all/"
                                        "cisco_ios_show_call-home_profile_all_two_profiles.raw").read_text()),
        ("show license status", show_license_status(sw, STATES["scenario-04"]))])
    return ex


def log_examples() -> dict[str, str | bytes]:
    """Conditions seen only in logs, calibrations (a failure followed by its success), and
    the remaining layouts of the knowledge base's newer rules."""
    ex: dict[str, str | bytes] = {}
    host = SW17.hostname

    def logs(*lines: str) -> str:
        return session(host, [("show logging | include SMART_LIC|CALL_HOME|PKI", "\n".join(lines))])

    ex["logs/policy-install-failed.txt"] = logs(log(
        "*Mar  1 08:12:40.551 UTC", "SMART_LIC-3-POLICY_INSTALL_FAILED",
        "The installation of a new licensing policy has failed: Signature verification failed."))
    ex["logs/policy-install-failed-then-installed.txt"] = logs(
        log("*Mar  1 08:12:40.551 UTC", "SMART_LIC-3-POLICY_INSTALL_FAILED",
            "The installation of a new licensing policy has failed: Signature verification failed."),
        log("*Mar  1 08:44:02.118 UTC", "SMART_LIC-6-POLICY_INSTALL_SUCCESS",
            "A new licensing policy was successfully installed."))
    ex["logs/platform-error.txt"] = logs(log(
        "*Mar  1 04:02:11.003 UTC", "SMART_LIC-2-PLATFORM_ERROR",
        "Smart Licensing has encountered a platform error: trusted store read failed"))
    ex["logs/config-out-of-sync.txt"] = logs(log(
        "*Mar  1 04:05:40.118 UTC", "SMART_LIC-3-CONFIG_OUT_OF_SYNC",
        "Trusted Store Enable flag not in sync with System Configuration, TS Enabled Config "
        "Disabled"))
    ex["logs/hot-standby-out-of-sync.txt"] = logs(log(
        "*Mar  1 04:07:12.442 UTC", "SMART_LIC-3-HOT_STANDBY_OUT_OF_SYNC",
        "Smart Licensing agent on hot standby is out of sync with active Smart Licensing agent"))
    ex["logs/dereg-failed.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", log(
            "*Jun  3 11:20:07.331 UTC", "SMART_LIC-3-AGENT_DEREG_FAILED",
            "Smart Agent for Licensing DeRegistration with the Cisco Smart Software Manager or "
            "satellite failed: Fail to send out Call Home HTTP message."))])
    ex["logs/invalid-tag.txt"] = session("SW-CORE-95", [
        ("show logging | include SMART_LIC", log(
            "*Jan 20 10:44:02.117 UTC", "SMART_LIC-3-INVALID_TAG",
            "The entitlement tag is invalid: regid.2018-02.com.cisco.C9500_32C_NW_Advantage,"
            "1.0_2d2d8c2e-4c8f-4a0b-8d2e-1f2e3d4c5b6a"))])
    ex["logs/bad-notif.txt"] = logs(log(
        "*Mar  1 04:10:55.901 UTC", "SMART_LIC-3-BAD_NOTIF", "A bad notification type was "
        "specified: 37"))
    renew_fail = log("*Sep 18 08:20:11.402 UTC", "CALL_HOME-3-HTTP_REQUEST_FAILED",
                     "Call-Home HTTP request failed (ERR 207 : Connection time out)")
    ex["logs/call-home-http-request-failed.txt"] = session(SW.hostname, [
        ("show logging | include CALL_HOME|SMART_LIC", renew_fail)])
    ex["logs/call-home-http-failed-then-renewed.txt"] = session(SW.hostname, [
        ("show logging | include CALL_HOME|SMART_LIC", "\n".join([
            renew_fail,
            log("*Sep 18 09:20:14.005 UTC", "SMART_LIC-6-AUTH_RENEW_SUCCESS",
                "Authorization renewal with the Cisco Smart Software Manager or satellite. "
                "State=Authorized for udi PID:C9300-48P,SN:FOC2224X0AB")]))])
    ex["logs/certificate-expired.txt"] = session(SW.hostname, [
        ("show logging | include PKI", log(
            "*Feb 12 10:02:33.118 UTC", "PKI-3-CERTIFICATE_INVALID_EXPIRED",
            "Certificate chain validation has failed.  The certificate (SN: 3C2A9F00D1) has "
            "expired.    Validity period ended on 2020-02-10T11:05:22Z"))])
    ex["logs/certificate-revoked.txt"] = session(SW.hostname, [
        ("show logging | include PKI", log(
            "*Feb 12 10:02:33.118 UTC", "PKI-3-CERTIFICATE_REVOKED",
            "Certificate chain validation has failed.  The certificate (SN: 7F11C2) is revoked"))])
    fail = log("*Mar  1 05:00:03.774 UTC", "PKI-4-TRUSTPOOL_DOWNLOAD_FAIL",
               "Trustpool download requires 4.5MB of free space in flash:, 1.2MB available")
    ex["logs/trustpool-download-failed.txt"] = logs(fail)
    ex["logs/trustpool-download-failed-then-succeeded.txt"] = logs(fail, log(
        "*Mar  2 05:00:09.301 UTC", "PKI-6-TRUSTPOOL_DOWNLOAD_SUCCESS",
        "Trustpool Download is successful"))
    warning = log("*Feb 20 10:06:21.003 UTC", "SMART_LIC-3-ID_CERT_EXPIRED_WARNING",
                  "This device's registration will expire in 12 days.")
    ex["logs/id-cert-expiry-warning.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", warning)])
    ex["logs/id-cert-expired.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", "\n".join([warning, log(
            "*Mar  3 10:06:22.118 UTC", "SMART_LIC-3-ID_CERT_EXPIRED",
            "Registration period has expired. The device is no longer registered.")]))])
    ex["logs/id-cert-renew-failed.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", log(
            "*Aug 31 10:11:55.402 UTC", "SMART_LIC-3-ID_CERT_RENEW_FAILED",
            "Identity certificate renewal failed: Fail to send out Call Home HTTP message."))])
    ex["logs/id-cert-warning-then-renewed.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", "\n".join([
            log("*Aug 31 10:11:55.402 UTC", "SMART_LIC-3-ID_CERT_RENEW_FAILED",
                "Identity certificate renewal failed: Fail to send out Call Home HTTP message."),
            warning,
            log("*Feb 21 08:30:02.551 UTC", "SMART_LIC-6-ID_CERT_RENEW_SUCCESS",
                "Identity certificate renewal successful.")]))])

    soon = log("*Mar  1 08:00:02.118 UTC", "SMART_LIC-6-REPORTING_REQUIRED",
               "A Usage report acknowledgement will be required in 5 days.")
    ex["logs/reporting-required-in-days.txt"] = logs(
        log("*Feb 20 08:00:02.118 UTC", "SMART_LIC-6-REPORTING_REQUIRED",
            "A Usage report acknowledgement will be required in 14 days."), soon)
    ex["logs/reporting-required-then-reset.txt"] = logs(soon, log(
        "*Mar  2 08:00:02.118 UTC", "SMART_LIC-6-REPORTING_REQUIRED",
        "A Usage report acknowledgement will be required in 89 days."))

    # Calibrations: the same condition on a device that demonstrably works, or nearly not.
    clock = ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n")
    acked = dict(last_ack="Feb 20 08:00:14 2024 UTC", next_ack_deadline="May 20 08:00:14 2024 UTC",
                 last_push="Feb 20 07:56:12 2024 UTC")
    ex["slup/transport-off-acked-in-time.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(transport="Transport Off", trust="<none>", **acked)))])
    ex["slup/transport-off-deadline-near.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(transport="Transport Off", trust="<none>", last_ack="Dec 12 08:00:14 2023 UTC",
             next_ack_deadline="Mar 11 08:00:14 2024 UTC", last_push="<none>")))])
    ex["slup/never-acked-window-open.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(account="<none>", virtual_account="<none>", last_ack="<none>", last_push="<none>",
             next_ack_deadline="Feb 24 09:00:00 2025 UTC",
             trust=[("Active: PID:C9300-24P,SN:FOC2410X1AB", "Feb 28 15:41:02 2024 UTC")])))])
    ex["slup/never-acked-deadline-near.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(account="<none>", virtual_account="<none>", last_ack="<none>", last_push="<none>",
             next_ack_deadline="Mar 15 09:00:00 2024 UTC",
             trust=[("Active: PID:C9300-24P,SN:FOC2410X1AB", "Feb 28 15:41:02 2024 UTC")])))])
    ex["slup/smart-url-gateway-acked.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(url="https://licgw.corp.example/licservice/license", **acked)))])
    ex["slup/callhome-acked.txt"] = session(host, [clock, ("show license status", slup_status(
        Slup(transport="Callhome", trust="<none>", **acked)))])
    ex["slup/cslu-outage-recent-ack.txt"] = session(host, [("show license tech support", slup_tech_support(
        Slup(transport="cslu", cslu_address="http://10.20.30.40:8182/cslu/v1/pi",
             trust=[("Active: PID:C9300-24P,SN:FOC2410X1AB", "Jan 09 15:41:02 2024 UTC")], **acked),
        SW17, "Mar 01 09:30:02 2024 UTC",
        [comm_block("Usage Reporting", 9, 0, "OK_POLL", "Feb 20 07:56:12 2024 UTC"),
         comm_block("Hello Message", 40, 3, "NO REPLY", "Mar 01 09:12:31 2024 UTC",
                    last_success="Feb 28 09:12:31 2024 UTC")], level="INDIRECT"))])
    ex["caveats/no-ntp-but-renewing.txt"] = session(SW.hostname, [
        ("show clock", "*09:02:11.428 UTC Wed Oct 02 2019\n"),
        ("show license status", show_license_status(SW, STATES["healthy"]))])
    ex["caveats/config-saved-after.txt"] = session(SW.hostname, [
        ("show logging | include PKI|SMART_LIC", "\n".join([
            log("*Mar  4 10:11:50.118 UTC", "PKI-4-NOCONFIGAUTOSAVE",
                'Configuration was modified.  Issue "write memory" to save new IOS PKI configuration'),
            log("*Mar  4 10:11:53.551 UTC", "PKI-6-CONFIGAUTOSAVE",
                "Running configuration saved to NVRAM")]))])
    ex["state-communication-failing/deadline-near.txt"] = session(SW.hostname, [
        ("show clock", "09:02:11.428 UTC Fri Dec 06 2019\n"),
        ("show license status", show_license_status(SW, STATES["renewal-failing"]))])

    # Reservations (legacy SLR).
    reserved = LicenseState(
        [("Status", "REGISTERED - SPECIFIC LICENSE RESERVATION"),
         ("Export-Controlled Functionality", "ALLOWED"),
         ("Initial Registration", "SUCCEEDED on Jun 14 10:02:11 2019 UTC")],
        [("Status", "AUTHORIZED - RESERVED on Jun 14 10:02:11 2019 UTC")],
        usage_status="AUTHORIZED - RESERVED")
    ex["common/reservation-slr.txt"] = session(SW.hostname, [
        ("show clock", "09:02:11.428 UTC Wed Oct 02 2019\n"),
        ("show license status", show_license_status(SW, reserved).replace(
            "Smart Licensing is ENABLED\n", "Smart Licensing is ENABLED\nLicense Reservation is ENABLED\n", 1))])
    requested = LicenseState(
        [("Status", "UNREGISTERED - SPECIFIC LICENSE RESERVATION IN PROGRESS"),
         ("Export-Controlled Functionality", "NOT ALLOWED")],
        [("Status", "EVAL MODE"),
         ("Evaluation Period Remaining", "61 days, 2 hours, 8 minutes, 0 seconds")],
        usage_status="EVAL MODE")
    ex["common/reservation-requested.txt"] = session(SW.hostname, [
        ("show license status", show_license_status(SW, requested).replace(
            "Smart Licensing is ENABLED\n", "Smart Licensing is ENABLED\nLicense Reservation is ENABLED\n", 1))])

    ex["caveats/hostname-is-pid.txt"] = session("C9300-48P", [
        ("show version", show_version(Switch("C9300-48P"), "REGISTERED/AUTHORIZED")),
        ("show license status", show_license_status(Switch("C9300-48P"), STATES["healthy"]))])
    stack = Switch("SW-ACC-33", serial="FOC2301Y0ZY", members=3,
                   extra_serials=["FOC2301Y1AC", "FOC2301Y1AD"])
    ex["platform/stack-of-three-counts-agree.txt"] = session(stack.hostname, [
        ("show version", show_version(stack, "REGISTERED/AUTHORIZED")),
        ("show license all", show_license_all(stack, STATES["healthy"]))])

    # Using Policy: what comes back, and what the upgrade leaves.
    ex["slup/reports-not-acknowledged.txt"] = session(host, [
        ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("show license status", slup_status(Slup(
            transport="cslu", cslu_address="http://10.20.30.40:8182/cslu/v1/pi",
            last_ack="Dec 04 08:00:14 2023 UTC", next_ack_deadline="Mar 03 08:00:14 2024 UTC",
            last_push="Feb 20 07:56:12 2024 UTC",
            trust=[("Active: PID:C9300-24P,SN:FOC2410X1AB", "Jan 09 15:41:02 2024 UTC")])))])
    ex["slup/push-hours-ago-waiting.txt"] = session(host, [
        ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("show license status", slup_status(Slup(
            last_ack="Jan 31 08:00:14 2024 UTC", next_ack_deadline="Mar 31 08:00:14 2024 UTC",
            last_push="Mar 01 07:56:12 2024 UTC")))])
    never = dict(account="<none>", virtual_account="<none>", last_ack="<none>",
                 last_push="<none>", trust="<none>", policy=CISCO_DEFAULT_POLICY)
    ex["slup/cslu-default-never-reported.txt"] = session(host, [
        ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("show license status", slup_status(Slup(
            transport="cslu", next_ack_deadline="Mar 20 09:00:00 2024 UTC", **never)))])
    ex["slup/cslu-local-host-entry.txt"] = session(host, [
        ("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
        ("show running-config | include ^ip host|^license", "ip host cslu-local 10.20.30.40\n"
         "license smart transport cslu"),
        ("show license status", slup_status(Slup(
            transport="cslu", next_ack_deadline="Mar 20 09:00:00 2024 UTC", **never)))])
    ex["slup/trust-install-account-mismatch.txt"] = session(host, [
        ("show logging | include SMART_LIC", log(
            "*Mar  1 09:01:55.871 UTC", "SMART_LIC-3-TRUST_CODE_INSTALL_FAILED",
            "The install of a new licensing trust code has failed on PID:C9300-24P,"
            "SN:FOC2410X1AB: Smart Account or Virtual Account mismatch."))])
    ex["slup/trust-install-timestamp.txt"] = session(host, [
        ("show clock", "*00:12:40.118 UTC Mon Jan 2 2006\n"),
        ("show logging | include SMART_LIC", log(
            "*Jan  2 00:11:55.871 UTC", "SMART_LIC-3-TRUST_CODE_INSTALL_FAILED",
            "The install of a new licensing trust code has failed on PID:C9300-24P,"
            "SN:FOC2410X1AB: Timestamp is not in sync with CSSM."))])
    sw1733 = Switch("SW-DIST-07", pid="C9500-24Y4C", serial="CAT2136L3AA", version="17.03.03",
                    model_line="C9500 24Y4C", tag_model="C9500")
    ex["slup/fn72323-smart-transport-17-3-3.txt"] = session(sw1733.hostname, [
        ("show clock", "08:10:02.118 UTC Wed Mar 1 2023\n"),
        ("show version", show_version(sw1733, "Registration Not Applicable/Not Applicable")),
        ("show license tech support", slup_tech_support(
            Slup(last_ack="Dec 01 08:00:14 2022 UTC", next_ack_deadline="Mar 01 08:00:14 2023 UTC",
                 last_push="Feb 27 07:56:12 2023 UTC"),
            sw1733, "Mar 01 08:10:02 2023 UTC",
            [comm_block("Trust Establishment", 1, 0, "OK", "Jun 09 15:41:02 2022 UTC"),
             comm_block("Usage Reporting", 21, 9, "NO REPLY", "Feb 27 07:56:12 2023 UTC",
                        "Communications failure", last_success="Dec 01 07:56:12 2022 UTC")]))])
    ex["slup/fn72323-release-acked-since.txt"] = session(sw1733.hostname, [
        ("show version", show_version(sw1733, "Registration Not Applicable/Not Applicable")),
        ("show license status", slup_status(Slup(
            last_ack="Feb 27 08:00:14 2023 UTC", next_ack_deadline="Apr 28 08:00:14 2023 UTC",
            last_push="Feb 27 07:56:12 2023 UTC")))])
    return ex


def write_all(check: bool) -> int:
    targets = {ROOT / "rules" / "examples" / k: v for k, v in rule_examples().items()}
    targets.update({ROOT / "rules" / "examples" / k: v for k, v in slup_examples().items()})
    targets.update({ROOT / "rules" / "examples" / k: v for k, v in caveat_examples().items()})
    targets.update({ROOT / "rules" / "examples" / k: v for k, v in log_examples().items()})
    targets.update({ROOT / "samples" / k: v for k, v in samples().items()})
    stale = 0
    for path, content in sorted(targets.items()):
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
    return 1 if check and stale else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    sys.exit(write_all(parser.parse_args().check))
