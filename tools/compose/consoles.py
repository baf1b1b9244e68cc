"""Console logs as a terminal on the console port records them: a boot from ROMMON to the
first prompt, a zero-touch provisioning run whose prompt changes as the switch is
configured, an HA pair whose standby boots on the same console, and the residue of a live
console (an echo split across lines, a log message glued into an output line, --More--)."""

from __future__ import annotations

from .blocks import COPYRIGHT, log

BOOT_BANNER = """\
Initializing Hardware ...

System Bootstrap, Version {rommon}, RELEASE SOFTWARE (P)
Compiled Thu 02-Feb-23 11:18:05 by rel

Current ROMMON image : Primary
Last reset cause     : PowerOn
{pid} platform with 8388608 Kbytes of main memory

boot: attempting to boot from [flash:packages.conf]
boot: reading file packages.conf
###############################################################################

              Restricted Rights Legend

Use, duplication, or disclosure by the Government is
subject to restrictions as set forth in subparagraph
(c) of the Commercial Computer Software - Restricted
Rights clause at FAR sec. 52.227-19 and subparagraph
(c) (1) (ii) of the Rights in Technical Data and Computer
Software clause at DFARS sec. 252.227-7013.

           Cisco Systems, Inc.
           170 West Tasman Drive
           San Jose, California 95134-1706


{software}
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Wed 26-Jul-23 10:21 by mcpre


This software version supports only Smart Licensing as the software licensing mechanism.

{copyright}

FIPS: Flash Key Check : Key Not Found, FIPS Mode Not Enabled
cisco {pid} (X86) processor with 1338934K/6147K bytes of memory.
Processor board ID {serial}
2048K bytes of non-volatile configuration memory.
8388608K bytes of physical memory.
1638400K bytes of Crash Files at crashinfo:.
11264000K bytes of Flash at flash:.

Base Ethernet MAC Address          : 70:1f:53:9a:41:00
Motherboard Assembly Number        : 73-18271-03
Motherboard Serial Number          : {serial}
Model Revision Number              : B0
Model Number                       : {pid}
System Serial Number               : {serial}

Press RETURN to get started!

"""


def software_line(version: str) -> str:
    return (f"Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), "
            f"Version {version}, RELEASE SOFTWARE (fc5)")


def boot_log(pid: str = "C9300-24P", serial: str = "FOC2418L0XY", version: str = "17.9.4",
             messages: list[str] | None = None) -> str:
    """A switch booting to its first prompt, and what it logs as it comes up."""
    banner = BOOT_BANNER.format(rommon="17.9.1r [FC11]", pid=pid, serial=serial,
                                software=software_line(version),
                                copyright=COPYRIGHT.format(year=2023))
    restart = [log("*Mar  4 08:01:12.351", "SYS-5-RESTART", "System restarted --"),
               software_line(version),
               "Technical Support: http://www.cisco.com/techsupport",
               "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
               "Compiled Wed 26-Jul-23 10:21 by mcpre"]
    return banner + "\n".join(restart + (messages or [])) + "\n"


def console_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    ex["consoles/boot-clock-not-yet-set.txt"] = boot_log(messages=[
        log("*Mar  4 08:01:14.002", "PKI-2-NON_AUTHORITATIVE_CLOCK",
            "PKI functions can not be initialized until an authoritative time source, like "
            "NTP, can be obtained."),
        log("*Mar  4 08:01:19.640", "CRYPTO_ENGINE-5-KEY_ADDITION",
            "A key named TP-self-signed-1804201811 has been generated or imported by pki-ssh")])
    ex["consoles/ztp-hostname-matched-udi.txt"] = boot_log(messages=[
        log("*Mar  4 08:03:40.512", "SYS-5-CONFIG_P",
            "Configured programmatically by process DHCP Autoinstall from console as console"),
        log("*Mar  4 08:03:41.007", "SMART_LIC-6-HOSTNAME_MATCHED_UDI",
            "The host name has been changed to match a field in the device UDI: C9300-24P")])
    not_saved = log("*Mar  4 08:01:19.702", "PKI-4-NOCONFIGAUTOSAVE",
                    'Configuration was modified.  Issue "write memory" to save new IOS PKI '
                    "configuration")
    # The HTTPS server's self-signed trustpoint, made at boot: not licensing's to save.
    ex["consoles/self-signed-key-not-saved.txt"] = boot_log(messages=[
        log("*Mar  4 08:01:19.640", "CRYPTO_ENGINE-5-KEY_ADDITION",
            "A key named TP-self-signed-1804201811 has been generated or imported by pki-ssh"),
        not_saved])
    # Registration's own key pair (the TAC guide's registration log).
    ex["consoles/registration-key-not-saved.txt"] = boot_log(messages=[
        log("*Mar  4 09:12:40.118", "CRYPTO_ENGINE-5-KEY_ADDITION",
            "A key named SLA-KeyPair has been generated or imported by crypto-engine"),
        not_saved.replace("08:01:19.702", "09:12:40.301")])
    return ex
