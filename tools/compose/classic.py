"""Traditional licensing as routers and pre-16.9 switches show it: show version's license
lines and technology-package table, and a virtual router's console as it boots with an
evaluation license or with none."""

from __future__ import annotations

from .blocks import COPYRIGHT, log, session


def router_show_version(hostname: str, version: str, train: str, packages: list[tuple[str, ...]],
                        license_lines: tuple[str, str] | None = None,
                        pid: str = "ISR4331/K9", serial: str = "FDO2149A0QZ") -> str:
    """A router's show version: `License Type/Level` lines (ASR1000) or a table of
    technology packages (ISR4000)."""
    major, minor, maint = version.split(".")
    lines = [
        f"Cisco IOS XE Software, Version {version}",
        f"Cisco IOS Software [{train}], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
        f"Version {int(major)}.{int(minor)}.{maint.lstrip('0') or '0'}, RELEASE SOFTWARE (fc1)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2017 by Cisco Systems, Inc.",
        "Compiled Tue 01-Aug-17 21:18 by mcpre", "",
        COPYRIGHT.format(year=2017), "",
        "ROM: IOS-XE ROMMON", "",
        f"{hostname} uptime is 21 weeks, 4 days, 1 hour, 2 minutes",
        "System returned to ROM by reload", "",
    ]
    if license_lines is not None:
        lines += [f"License Type: {license_lines[0]}", f"License Level: {license_lines[1]}",
                  f"Next reload license Level: {license_lines[1]}", ""]
    if packages:
        lines += [
            "Technology Package License Information:", "",
            "-" * 65,
            "Technology    Technology-package           Technology-package",
            "              Current       Type           Next reboot",
            "-" * 66,
            *(f"{t:<17}{c:<17}{ty:<17}{n}" for t, c, ty, n in packages), "",
        ]
    lines += [f"cisco {pid} (1RU) processor with 1687137K/6147K bytes of memory.",
              f"Processor board ID {serial}", "4 Gigabit Ethernet interfaces",
              "32768K bytes of non-volatile configuration memory.",
              "4194304K bytes of physical memory.", "",
              "Configuration register is 0x2102"]
    return "\n".join(lines) + "\n"


def csr_console(level: str, license_name: str, kbps: int, eula: bool) -> str:
    """A virtual router's console: the boot level set (an evaluation needs its agreement
    accepted), a reload, and what it logs as it comes back."""
    before = [("configure terminal", ""), (f"license boot level {level}", "")]
    text = session("Router", before, trailing_prompt=False).replace(
        "Router#license boot level", "Router(config)#license boot level")
    if eula:
        text += ("% use 'write' command to make license boot config take effect on next boot\n"
                 + log("*Jul 18 19:08:12.085", "LICENSE-6-EULA_ACCEPTED",
                       f"EULA for feature {license_name} 1.0 has been accepted. "
                       "UDI=CSR1000V:9QX41TZ7AAB; StoreIndex=0:Built-In License Storage") + "\n")
    text += "Router(config)#end\nRouter#write memory\nBuilding configuration...\n[OK]\nRouter#reload\n"
    text += "Proceed with reload? [confirm]\n\n"
    boot = [
        log("*Jul 18 19:10:51.476", "SMART_LIC-6-AGENT_READY",
            "Smart Agent for Licensing is initialized"),
        log("*Jul 18 19:10:51.684", "IOS_LICENSE_IMAGE_APPLICATION-6-LICENSE_LEVEL",
            f"Module name = csr1000v Next reboot level = {level} and License = {license_name}"),
        log("*Jul 18 19:10:52.557", "VXE_THROUGHPUT-6-LEVEL",
            f"Throughput level has been set to {kbps} kbps"),
    ]
    if kbps <= 100:
        boot.append(log("*Jul 18 19:10:52.560", "VXE_THROUGHPUT-2-LOW_THROUGHPUT",
                        f"CSR throughput set to low default level {kbps}kbps, system performance "
                        "can be severely impacted.Please install a valid license"))
    text += "\n".join(boot) + "\n\nRouter>enable\nRouter#show platform hardware throughput level\n"
    text += f"The current throughput level is {kbps} kb/s\nRouter#\n"
    return text


def classic_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    ex["classic/isr-right-to-use.txt"] = session("BR-RTR-11", [("show version", router_show_version(
        "BR-RTR-11", "16.05.02", "Everest",
        [("appxk9", "appxk9", "RightToUse", "appxk9"), ("uck9", "None", "None", "None"),
         ("securityk9", "securityk9", "RightToUse", "securityk9"),
         ("ipbase", "ipbasek9", "Permanent", "ipbasek9")]))])
    ex["classic/isr-evaluation.txt"] = session("BR-RTR-12", [("show version", router_show_version(
        "BR-RTR-12", "16.05.02", "Everest",
        [("appxk9", "None", "None", "None"),
         ("securityk9", "securityk9", "EvalRightToUse", "securityk9"),
         ("ipbase", "ipbasek9", "Permanent", "ipbasek9")]))])
    ex["classic/asr-no-valid-license.txt"] = session("LAB-ASR-1", [("show version", router_show_version(
        "LAB-ASR-1", "16.08.01", "Fuji", [], ("Default. No valid license found.", "ipbase"),
        pid="ASR1001-X", serial="FXS2140Q2LM"))])
    ex["classic/csr-evaluation-console.txt"] = csr_console("standard", "prem_eval", 50000, True)
    ex["classic/csr-unlicensed-console.txt"] = csr_console("ax", "No valid license found", 100,
                                                           False)
    return ex
