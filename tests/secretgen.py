"""A generator of planted secrets: every form a secret takes on an IOS-XE device.

Each kind is a configuration command that holds a secret (with the parent block it lives in),
and the generator writes it in every form a capture can show it: the running configuration,
the command typed at a configuration-mode prompt (a session log), the %PARSER-5-CFGLOG_LOGGEDCMD
syslog message, `show archive log config all`, and the show outputs that print it. Values are
unique markers (``PLNT<n>...``), some with spaces where the grammar allows them, so a test can
look for every word of every secret in whatever sldiag writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

HOST = "SW-SEC-01"


@dataclass
class Kind:
    name: str
    command: str                       # with {s} (and {s2}) where the secret(s) go
    parent: str | None = None          # the block the command lives in, if any
    mode: str = "config"               # the prompt's mode when typed under the parent
    spaces: bool = False               # the value may hold spaces (to the end of the line)
    show: list[str] = field(default_factory=list)  # show output lines, same placeholders
    exec_only: bool = False            # typed at the exec prompt, never in the configuration
    value_chars: str = "alnum"         # alnum | hex | hash | url


KINDS: list[Kind] = [
    # -- enable and local users
    Kind("enable secret 9", "enable secret 9 $9${s}", value_chars="hash"),
    Kind("enable secret 8", "enable secret 8 $8${s}", value_chars="hash"),
    Kind("enable secret 5", "enable secret 5 $1${s}", value_chars="hash"),
    Kind("enable secret 0", "enable secret 0 {s}"),
    Kind("enable secret plain", "enable secret {s}"),
    Kind("enable secret level", "enable secret level 15 5 $1${s}", value_chars="hash"),
    Kind("enable password 7", "enable password 7 {s}", value_chars="hex"),
    Kind("enable password plain spaces", "enable password {s}", spaces=True),
    Kind("enable algorithm-type", "enable algorithm-type scrypt secret {s}"),
    Kind("username secret 9", "username admin privilege 15 secret 9 $9${s}", value_chars="hash"),
    Kind("username secret 5", "username ops secret 5 $1${s}", value_chars="hash"),
    Kind("username password 7", "username old password 7 {s}", value_chars="hex"),
    Kind("username password 0 spaces", "username u password 0 {s}", spaces=True),
    Kind("username password plain", "username netops password {s}", spaces=True),
    Kind("username algorithm-type", "username svc privilege 15 algorithm-type sha256 secret {s}"),
    Kind("username view secret", "username ro view monitor secret 0 {s}"),
    Kind("key config-key", "key config-key password-encrypt {s}"),
    # -- lines
    Kind("line vty password 7", "password 7 {s}", parent="line vty 0 4", mode="config-line",
         value_chars="hex"),
    Kind("line con password", "password {s}", parent="line con 0", mode="config-line",
         spaces=True),
    Kind("line aux password 0", "password 0 {s}", parent="line aux 0", mode="config-line"),
    # -- SNMP
    Kind("snmp community RO", "snmp-server community {s} RO",
         show=["Community name: {s}", "Community Index: {s}"]),
    Kind("snmp community RW acl", "snmp-server community {s} RW 99",
         show=["Community name: {s}"]),
    Kind("snmp community view", "snmp-server community {s} view all RO"),
    Kind("snmp host v2c", "snmp-server host 192.0.2.50 version 2c {s}"),
    Kind("snmp host traps", "snmp-server host 192.0.2.51 traps {s}"),
    Kind("snmp host vrf informs", "snmp-server host 192.0.2.52 vrf Mgmt-vrf informs version 2c {s}"),
    Kind("snmp user sha aes", "snmp-server user u1 g1 v3 auth sha {s} priv aes 128 {s2}"),
    Kind("snmp user md5 des", "snmp-server user u2 g1 v3 auth md5 {s} priv des {s2}"),
    Kind("snmp user sha only", "snmp-server user u3 g1 v3 auth sha {s}"),
    Kind("snmp user sha256 aes256", "snmp-server user u4 g2 v3 auth sha-2 256 {s} priv aes 256 {s2} access 10"),
    Kind("snmp user encrypted", "snmp-server user u5 g2 v3 encrypted auth sha {s} priv aes 128 {s2}",
         value_chars="hex"),
    # -- AAA
    Kind("tacacs-server host key", "tacacs-server host 192.0.2.10 key 7 {s}", value_chars="hex"),
    Kind("tacacs-server key", "tacacs-server key {s}", spaces=True),
    Kind("radius-server host key", "radius-server host 192.0.2.11 auth-port 1812 acct-port 1813 key {s}"),
    Kind("radius-server key 7", "radius-server key 7 {s}", value_chars="hex"),
    Kind("tacacs server key 7", "key 7 {s}", parent="tacacs server ISE-1",
         mode="config-server-tacacs", value_chars="hex"),
    Kind("tacacs server key 0 spaces", "key 0 {s}", parent="tacacs server ISE-2",
         mode="config-server-tacacs", spaces=True),
    Kind("radius server key", "key {s}", parent="radius server RAD-1", mode="config-radius-server",
         spaces=True),
    Kind("radius server pac key", "pac key {s}", parent="radius server RAD-2",
         mode="config-radius-server"),
    Kind("dynamic-author client server-key", "client 192.0.2.20 server-key {s}",
         parent="aaa server radius dynamic-author", mode="config-locsvr-da-radius"),
    Kind("dynamic-author client vrf server-key", "client 192.0.2.21 vrf Mgmt-vrf server-key 7 {s}",
         parent="aaa server radius dynamic-author", mode="config-locsvr-da-radius",
         value_chars="hex"),
    Kind("dynamic-author server-key", "server-key {s}", parent="aaa server radius dynamic-author",
         mode="config-locsvr-da-radius"),
    Kind("server-private radius", "server-private 192.0.2.22 key {s}",
         parent="aaa group server radius RADGRP", mode="config-sg-radius"),
    Kind("server-private tacacs", "server-private 192.0.2.23 key 7 {s}",
         parent="aaa group server tacacs+ TACGRP", mode="config-sg-tacacs+", value_chars="hex"),
    Kind("ldap bind password", "bind authenticated dn cn=svc,dc=corp password 7 {s}",
         parent="ldap server LDAP-1", mode="config-ldap-server", value_chars="hex"),
    Kind("dot1x credentials password", "password 0 {s}", parent="dot1x credentials SUPP",
         mode="config-dot1x-creden"),
    # -- NTP and key chains
    Kind("ntp authentication-key md5", "ntp authentication-key 1 md5 {s} 7", value_chars="hex"),
    Kind("ntp authentication-key sha", "ntp authentication-key 2 hmac-sha2-256 {s}"),
    Kind("key chain key-string 7", "key-string 7 {s}", parent="key chain KC1\n key 1",
         mode="config-keychain-key", value_chars="hex"),
    Kind("key chain key-string plain", "key-string {s}", parent="key chain KC2\n key 10",
         mode="config-keychain-key", spaces=True),
    Kind("macsec key chain key-string", "key-string {s} cryptographic-algorithm aes-128-cmac",
         parent="key chain MKA macsec\n key 01", mode="config-keychain-key", value_chars="hex"),
    # -- VPN
    Kind("isakmp key address", "crypto isakmp key {s} address 203.0.113.5"),
    Kind("isakmp key 6 hostname", "crypto isakmp key 6 {s} hostname peer.example"),
    Kind("isakmp client group key", "key {s}", parent="crypto isakmp client configuration group EZ",
         mode="isakmp-group"),
    Kind("keyring pre-shared-key", "pre-shared-key address 203.0.113.6 key {s}",
         parent="crypto keyring KR1", mode="conf-keyring"),
    Kind("ikev2 keyring address key", "pre-shared-key address 203.0.113.20 key {s}",
         parent="crypto ikev2 keyring K2\n peer P1", mode="config-ikev2-keyring-peer"),
    Kind("ikev2 keyring pre-shared-key", "pre-shared-key {s}",
         parent="crypto ikev2 keyring K3\n peer P2", mode="config-ikev2-keyring-peer", spaces=True),
    Kind("ikev2 keyring local", "pre-shared-key local {s}",
         parent="crypto ikev2 keyring K4\n peer P3", mode="config-ikev2-keyring-peer"),
    Kind("ikev2 keyring remote 6", "pre-shared-key remote 6 {s}",
         parent="crypto ikev2 keyring K5\n peer P4", mode="config-ikev2-keyring-peer"),
    Kind("ikev2 profile local psk", "authentication local pre-share key {s}",
         parent="crypto ikev2 profile PR1", mode="config-ikev2-profile"),
    Kind("ezvpn group key", "group EZ key {s}", parent="crypto ipsec client ezvpn EZC",
         mode="config-crypto-ezvpn"),
    Kind("tunnel key", "tunnel key {s}", parent="interface Tunnel10", mode="config-if",
         value_chars="digits"),
    Kind("nhrp authentication", "ip nhrp authentication {s}", parent="interface Tunnel20",
         mode="config-if"),
    Kind("l2tp tunnel password", "l2tp tunnel password 7 {s}", parent="vpdn-group L2",
         mode="config-vpdn", value_chars="hex"),
    # -- routing
    Kind("ospf authentication-key", "ip ospf authentication-key {s}", parent="interface Vlan10",
         mode="config-if"),
    Kind("ospf authentication-key 7", "ip ospf authentication-key 7 {s}", parent="interface Vlan11",
         mode="config-if", value_chars="hex"),
    Kind("ospf message-digest-key", "ip ospf message-digest-key 1 md5 {s}", parent="interface Vlan12",
         mode="config-if"),
    Kind("ospf message-digest-key 7", "ip ospf message-digest-key 2 md5 7 {s}",
         parent="interface Vlan13", mode="config-if", value_chars="hex"),
    Kind("ospf virtual-link md5", "area 1 virtual-link 10.0.0.2 message-digest-key 1 md5 {s}",
         parent="router ospf 1", mode="config-router"),
    Kind("ospf virtual-link auth key", "area 1 virtual-link 10.0.0.3 authentication-key {s}",
         parent="router ospf 2", mode="config-router"),
    Kind("ospf area auth key", "area 0 authentication-key {s}", parent="router ospf 3",
         mode="config-router"),
    Kind("ospfv3 ipsec", "ipv6 ospf authentication ipsec spi 256 sha1 {s}",
         parent="interface Vlan14", mode="config-if", value_chars="hex"),
    Kind("ospfv3 encryption", "ipv6 ospf encryption ipsec spi 300 esp aes-cbc 128 {s} sha1 {s2}",
         parent="interface Vlan15", mode="config-if", value_chars="hex"),
    Kind("ospfv3 authentication", "ospfv3 authentication ipsec spi 400 sha1 {s}",
         parent="interface Vlan16", mode="config-if", value_chars="hex"),
    Kind("bgp neighbor password", "neighbor 192.0.2.30 password {s}", parent="router bgp 65001",
         mode="config-router", spaces=True),
    Kind("bgp neighbor password 7", "neighbor 192.0.2.31 password 7 {s}", parent="router bgp 65002",
         mode="config-router", value_chars="hex"),
    Kind("bgp peer-group password", "neighbor PG password 0 {s}", parent="router bgp 65003",
         mode="config-router"),
    Kind("eigrp named hmac", "authentication mode hmac-sha-256 {s}",
         parent="router eigrp NAMED\n address-family ipv4 unicast autonomous-system 10\n af-interface Vlan20",
         mode="config-router-af-interface"),
    Kind("eigrp named hmac 7", "authentication mode hmac-sha-256 7 {s}",
         parent="router eigrp NAMED2\n address-family ipv4 unicast autonomous-system 11\n af-interface default",
         mode="config-router-af-interface", value_chars="hex"),
    Kind("isis password", "isis password {s}", parent="interface Vlan21", mode="config-if"),
    Kind("isis area-password", "area-password {s}", parent="router isis", mode="config-router"),
    Kind("isis domain-password", "domain-password {s}", parent="router isis CORE",
         mode="config-router"),
    Kind("hsrp md5 key-string", "standby 1 authentication md5 key-string {s}",
         parent="interface Vlan22", mode="config-if"),
    Kind("hsrp md5 key-string 7", "standby 2 authentication md5 key-string 7 {s}",
         parent="interface Vlan23", mode="config-if", value_chars="hex"),
    Kind("hsrp text", "standby 3 authentication {s}", parent="interface Vlan24", mode="config-if"),
    Kind("hsrp text keyword", "standby 4 authentication text {s}", parent="interface Vlan25",
         mode="config-if"),
    Kind("vrrp text", "vrrp 1 authentication text {s}", parent="interface Vlan26", mode="config-if"),
    Kind("vrrp md5 key-string", "vrrp 2 authentication md5 key-string {s}", parent="interface Vlan27",
         mode="config-if"),
    Kind("glbp text", "glbp 1 authentication text {s}", parent="interface Vlan28", mode="config-if"),
    Kind("rip authentication key", "ip rip authentication key-chain RIPKC",
         parent="interface Vlan29", mode="config-if"),  # a name, not a secret: control
    # -- PPP, wireless, EEM, files
    Kind("ppp chap password", "ppp chap password 7 {s}", parent="interface Dialer1",
         mode="config-if", value_chars="hex"),
    Kind("ppp chap password plain", "ppp chap password {s}", parent="interface Dialer2",
         mode="config-if"),
    Kind("ppp pap sent-username", "ppp pap sent-username dialuser password 0 {s}",
         parent="interface Dialer3", mode="config-if"),
    Kind("dot11 wpa-psk", "wpa-psk ascii 0 {s}", parent="dot11 ssid GUEST", mode="config-ssid"),
    Kind("9800 wlan psk set-key", "security wpa psk set-key ascii 0 {s}", parent="wlan CORP 1 CORP",
         mode="config-wlan", show=["PSK: {s}"]),
    Kind("9800 ap mgmtuser", "mgmtuser username apadmin password 0 {s} secret 0 {s2}",
         parent="ap profile default-ap-profile", mode="config-ap-profile"),
    Kind("eem environment password", "event manager environment _ssh_password {s}"),
    Kind("eem environment pass", "event manager environment PASS {s}"),
    Kind("ip ftp password", "ip ftp password {s}"),
    Kind("ip ftp password 7", "ip ftp password 7 {s}", value_chars="hex"),
    Kind("ip http client password", "ip http client password {s}"),
    Kind("sip credentials", "credentials username 5001 password 0 {s} realm corp",
         parent="sip-ua", mode="config-sip-ua"),
    # -- URLs with credentials
    Kind("archive path ftp", "path ftp://backup:{s}@192.0.2.60/configs/$h", parent="archive",
         mode="config-archive", value_chars="url"),
    Kind("boot system ftp", "boot system ftp://img:{s}@192.0.2.61/cat9k.bin", value_chars="url"),
    Kind("call-home destination url", "destination address http https://ch:{s}@192.0.2.62/Transportgateway/services/DeviceRequestHandler",
         parent='call-home\n profile "ONPREM"', mode="cfg-call-home-profile", value_chars="url",
         show=["HTTP address(es): https://ch:{s}@192.0.2.62/Transportgateway/services/DeviceRequestHandler"]),
    Kind("call-home http-proxy credentials", "http-proxy 192.0.2.63 port 3128 username pxuser{s} password 0 {s2}",
         parent="call-home", mode="cfg-call-home"),
    Kind("license smart url", "license smart url https://lic:{s}@onprem.example/SmartTransport",
         value_chars="url",
         show=["  URL: https://lic:{s}@onprem.example/SmartTransport"]),
    Kind("license smart url cslu", "license smart url cslu http://cs:{s}@192.0.2.64:8182/cslu/v1/pi",
         value_chars="url", show=["  Cslu address: http://cs:{s}@192.0.2.64:8182/cslu/v1/pi"]),
    Kind("license smart proxy url", "license smart proxy address http://px:{s}@proxy.example",
         value_chars="url", show=["    Address: http://px:{s}@proxy.example"]),
    Kind("pki enrollment url", "enrollment url http://ca:{s}@ca.example:80",
         parent="crypto pki trustpoint CA1", mode="ca-trustpoint", value_chars="url"),
    Kind("copy ftp", "copy ftp://u:{s}@192.0.2.65/big.bin flash:", exec_only=True,
         value_chars="url"),
    Kind("copy scp", "copy scp://u2:{s}@192.0.2.66/run.cfg running-config", exec_only=True,
         value_chars="url"),
    # -- Smart Licensing
    Kind("register idtoken", "license smart register idtoken {s}", exec_only=True,
         show=['SAEVT_REGISTER eventSource="INFRA_SL" idToken="{s}"']),
    Kind("register idtoken force", "license smart register idtoken {s} force", exec_only=True),
    Kind("trust idtoken all force", "license smart trust idtoken {s} all force", exec_only=True),
    Kind("trust idtoken local", "license smart trust idtoken {s} local", exec_only=True),
    Kind("abbreviated register", "lic smart reg idt {s}", exec_only=True),
    Kind("abbreviated trust", "licen sma tru idto {s} all", exec_only=True),
    Kind("slup proxy username", "", show=["    Username: {s}", "    Password: {s2}"]),
    Kind("eventlog idToken", "", show=['2024-03-01 08:00:00.000 UTC SAEVT_TRUST idToken="{s}"']),
    # -- PKI exports and imports (exec)
    Kind("pki export password", "crypto pki export TP1 pem terminal password {s}", exec_only=True),
    Kind("pki export pkcs12", "crypto pki export TP2 pkcs12 flash:tp2.p12 password {s}",
         exec_only=True),
    Kind("pki import password", "crypto pki import TP3 pkcs12 flash:tp3.p12 password {s}",
         exec_only=True),
    Kind("key export passphrase", "crypto key export rsa K1 pem terminal 3des {s}", exec_only=True),
    Kind("key import passphrase", "crypto key import rsa K2 pem terminal {s}", exec_only=True),
    # -- typed in short: IOS accepts any unambiguous abbreviation
    Kind("abbreviated enable secret", "ena sec 0 {s}", exec_only=True),
    Kind("abbreviated username password", "usern bob pass 0 {s}", exec_only=True, spaces=True),
    Kind("abbreviated snmp community", "snmp-s comm {s} RO", exec_only=True),
    Kind("abbreviated tacacs key", "tacacs-s host 192.0.2.12 key {s}", exec_only=True),
    Kind("abbreviated key-string", "key-s 7 {s}", exec_only=True, value_chars="hex"),
    Kind("abbreviated pre-shared-key", "pre-sh local {s}", exec_only=True),
    Kind("abbreviated isakmp key", "cry isa key {s} address 203.0.113.7", exec_only=True),
    Kind("abbreviated line password", "pass 7 {s}", exec_only=True, value_chars="hex"),
    # -- show outputs only
    Kind("show snmp community", "", show=["Community name: {s}", "Community Index: {s}",
                                          "Community SecurityName: {s}"]),
    Kind("show crypto isakmp key", "", show=["Keyring      Hostname/Address      Preshared Key",
                                             "default      203.0.113.9           {s}", ""]),
]

# Forms a secret can take, by whether the kind has a configuration command.
FORMS = ("config", "echo", "cfglog", "archive", "show")


def _value(rng: random.Random, n: int, part: int, chars: str) -> str:
    letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    tail = "".join(rng.choice(letters) for _ in range(6))
    if chars == "hex":
        return f"0{n:03d}{part}FA" + "".join(rng.choice("0123456789ABCDEF") for _ in range(10))
    if chars == "digits":
        return f"9{n:03d}{part}" + "".join(rng.choice("0123456789") for _ in range(4))
    if chars == "hash":
        return f"PLNT{n:03d}{part}x{tail}/a.Z$q{tail}"
    if chars == "url":
        return f"PLNT{n:03d}{part}u{tail}"
    return f"PLNT{n:03d}{part}{tail}"


@dataclass
class Planted:
    kind: Kind
    values: list[str]          # every word that must not appear in any output
    texts: dict[str, list[str]]  # form -> lines


def plant(seed: int = 7) -> list[Planted]:
    """Every kind with its values and its lines in every form it can take."""
    rng = random.Random(seed)
    out = []
    for n, kind in enumerate(KINDS, 1):
        first = [_value(rng, n, 1, kind.value_chars)]
        if kind.spaces:
            first = [first[0], _value(rng, n, 3, kind.value_chars)]
        second = _value(rng, n, 2, kind.value_chars)
        s = " ".join(first)
        words = first + ([second] if "{s2}" in kind.command or any("{s2}" in x for x in kind.show)
                         else [])
        if "{s}" not in kind.command and not kind.show:
            words = []  # a control case: nothing secret in it
        command = kind.command.format(s=s, s2=second)
        texts: dict[str, list[str]] = {f: [] for f in FORMS}
        if command:
            parents = kind.parent.split("\n") if kind.parent else []
            if not kind.exec_only:
                texts["config"] = [*parents, (" " * len(parents)) + command]
                modes = ["config"] + [kind.mode] * len(parents)
                texts["echo"] = [f"{HOST}(config)#{p.strip()}" if i == 0 else
                                 f"{HOST}({modes[i]})#{p.strip()}" for i, p in enumerate(parents)]
                texts["echo"].append(f"{HOST}({modes[-1]})#{command}")
            else:
                texts["echo"] = [f"{HOST}#{command}"]
            texts["cfglog"] = [f"*Mar  1 10:{n % 60:02d}:00.118 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: "
                               f"User:admin  logged command:{command}"]
            texts["archive"] = [f"{n:6d}    {n % 7 + 1:2d}        admin@vty0     |{' ' * len(parents)}{command}"]
        texts["show"] = [line.format(s=s, s2=second) for line in kind.show]
        out.append(Planted(kind, words, texts))
    return out


def session_log(planted: list[Planted], filler_lines: int = 0) -> str:
    """A session log with every form: configuration typed, show running-config, show logging,
    show archive log config all, and the show outputs, around a licensing status that must
    still be read."""
    lines = [f"{HOST}#terminal length 0", f"{HOST}#show clock", "09:30:02.118 UTC Fri Mar 1 2024"]
    lines.append(f"{HOST}#configure terminal")
    lines.append("Enter configuration commands, one per line.  End with CNTL/Z.")
    for p in planted:
        lines += [t for t in p.texts["echo"] if "(config" in t]
    lines.append(f"{HOST}(config)#end")
    for p in planted:
        lines += [t for t in p.texts["echo"] if "(config" not in t]
    lines += [f"{HOST}#show running-config", "Building configuration...", "",
              "Current configuration : 48211 bytes", "!", f"hostname {HOST}", "!",
              "service call-home", "!"]
    for p in planted:
        if p.texts["config"]:
            lines += p.texts["config"] + ["!"]
    lines += ["call-home", ' profile "CiscoTAC-1"', "  active", "  destination transport-method http",
              "!", "end", ""]
    lines += [f"{HOST}#show logging", "Syslog logging: enabled (0 messages dropped)", "",
              "Log Buffer (102400 bytes):", ""]
    for p in planted:
        lines += p.texts["cfglog"]
    lines += [f"{HOST}#show archive log config all",
              " idx   sess           user@line      Logged command"]
    for p in planted:
        lines += p.texts["archive"]
    for p in planted:
        if p.texts["show"]:
            lines += [f"{HOST}#show snmp community" if "Community" in p.texts["show"][0] else
                      f"{HOST}#show license all"] + p.texts["show"]
    lines += [f"{HOST}#show license status", *LICENSE_STATUS.splitlines()]
    lines += [f"filler line {n} of a busy switch's output" for n in range(filler_lines)]
    lines.append(f"{HOST}#")
    return "\n".join(lines) + "\n"


LICENSE_STATUS = """\
Smart Licensing is ENABLED

Registration:
  Status: REGISTERED
  Smart Account: ACME Networks Inc.
  Virtual Account: Campus-LAN
  Export-Controlled Functionality: ALLOWED
  Initial Registration: SUCCEEDED on Jan 04 10:11:52 2024 UTC
  Registration Expires: Jan 03 10:06:21 2025 UTC

License Authorization:
  Status: AUTHORIZED on Feb 20 10:12:01 2024 UTC
  Last Communication Attempt: SUCCEEDED on Feb 20 10:12:01 2024 UTC
  Next Communication Attempt: Mar 21 10:12:01 2024 UTC
  Communication Deadline: May 20 10:06:27 2024 UTC
"""


def all_values(planted: list[Planted]) -> list[tuple[str, str]]:
    return [(p.kind.name, v) for p in planted for v in p.values]


def show_tech(planted: list[Planted]) -> str:
    """The same forms in a show tech (delimited sections)."""
    def section(command: str, lines: list[str]) -> list[str]:
        return ["", f"------------------ {command} ------------------", "", *lines, ""]

    out = [f"{HOST}#show tech-support", ""]
    config = [f"hostname {HOST}", "!"]
    for p in planted:
        if p.texts["config"]:
            config += p.texts["config"] + ["!"]
    out += section("show clock", ["09:30:02.118 UTC Fri Mar 1 2024"])
    out += section("show running-config", ["Building configuration...", "", *config, "end"])
    out += section("show logging", [t for p in planted for t in p.texts["cfglog"]])
    out += section("show archive log config all",
                   [" idx   sess           user@line      Logged command",
                    *[t for p in planted for t in p.texts["archive"]]])
    out += section("show snmp community", [t for p in planted for t in p.texts["show"]])
    out += section("show license status", LICENSE_STATUS.splitlines())
    out.append(f"{HOST}#")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# Variants no list of forms would hold: every kind's command in any case, in the shortest
# abbreviations IOS accepts, at every place a command stands (an archive's diff, a scrolled
# echo), hard-wrapped at 80 columns; and kinds of secret that only show outputs, exec commands
# or key files take.

# The shortest prefix IOS accepts for a keyword (where the mode leaves no ambiguity).
ABBREVIATIONS = {
    "enable": "ena", "secret": "sec", "password": "pas", "username": "usern",
    "community": "com", "snmp-server": "snmp-s", "tacacs-server": "tacacs-",
    "radius-server": "radius-", "key-string": "key-s", "pre-shared-key": "pre-s",
    "isakmp": "isa", "crypto": "cry", "license": "lic", "smart": "sm", "register": "reg",
    "trust": "tru", "idtoken": "idt", "server-key": "server-k", "neighbor": "nei",
    "authentication-key": "authentication-k", "message-digest-key": "message-d",
    "standby": "stan", "export": "exp", "import": "imp", "terminal": "ter",
    "privilege": "priv", "version": "ver", "address": "add", "host": "ho",
}
# Keywords that may be cut to one letter where they start a command in their block.
FIRST_WORD = {"key": "k"}


def _keywords(command: str, values: list[str]) -> list[tuple[int, int]]:
    """Spans of the command's words that are not (part of) a secret value."""
    spans, at = [], 0
    for word in command.split(" "):
        start = command.index(word, at) if word else at
        at = start + len(word)
        if word and not any(v in word or word in v for v in values):
            spans.append((start, at))
    return spans


def _recased(command: str, values: list[str], style: str, rng: random.Random) -> str:
    out = list(command)
    for start, end in _keywords(command, values):
        word = command[start:end]
        if style == "upper":
            new = word.upper()
        elif style == "title":
            new = word[:1].upper() + word[1:]
        else:
            new = "".join(c.upper() if rng.random() < 0.5 else c for c in word)
        out[start:end] = new
    return "".join(out)


def _abbreviated(command: str, values: list[str]) -> str:
    words = command.split(" ")
    out = []
    for n, word in enumerate(words):
        if any(v in word or word in v for v in values):
            out.append(word)
        elif n == 0 and word in FIRST_WORD:
            out.append(FIRST_WORD[word])
        else:
            out.append(ABBREVIATIONS.get(word, word))
    return " ".join(out)


def _wrapped(line: str, width: int = 80) -> list[str]:
    """A line as a terminal of ``width`` columns hard-wraps it."""
    return [line[i:i + width] for i in range(0, len(line), width)] or [line]


EXTRA_KINDS: list[Kind] = [
    # PKI exec pass phrases, any form of export and import
    Kind("pki export pem 3des", "crypto pki export TP4 pem terminal 3des {s}", exec_only=True),
    Kind("pki export pem url aes", "crypto pki export TP5 pem url flash:tp5 aes {s}",
         exec_only=True),
    Kind("key import pem url", "crypto key import rsa K3 pem url flash:k3 {s}", exec_only=True),
    Kind("ca export pem", "crypto ca export TP6 pem terminal des {s}", exec_only=True),
    # call-home mail server credentials (no scheme)
    Kind("call-home mail-server", "mail-server smtp:{s}@mail.example priority 1",
         parent="call-home", mode="cfg-call-home", value_chars="url"),
    # SNMPv3 users with more words before v3, a very long community
    Kind("snmp user remote vrf", "snmp-server user u6 g3 remote 192.0.2.80 udp-port 162 vrf "
         "Mgmt-vrf v3 auth sha {s} priv aes 128 {s2}"),
    Kind("snmp community 600", "snmp-server community {s} RO", value_chars="long"),
    # show outputs that print communities and keys in columns
    Kind("show snmp host", "", show=["Notification host: 192.0.2.90 udp-port: 162 type: trap",
                                     "user: {s}  security model: v2c"]),
    Kind("show snmp group", "", show=["groupname: {s}                             "
                                      "security model:v2c"]),
    Kind("show isakmp key wide", "", show=["Keyring               Hostname/Address"
                                           "                            Preshared Key",
                                           "default               203.0.113.10"
                                           "                                {s}", ""]),
    # tokens in the forms other tools print them
    Kind("json idToken", "", show=['{{"idToken":"{s}","expires":"2025-01-01"}}']),
    Kind("id_token env", "", show=["id_token={s}"]),
    Kind("Token label", "", show=["Token: {s}"]),
    # private keys in any wrapping
    Kind("pem one line", "", show=["-----BEGIN RSA PRIVATE KEY----- {s} -----END RSA PRIVATE "
                                   "KEY-----"], value_chars="blob"),
    Kind("pem json", "", show=['{{"key": "-----BEGIN PRIVATE KEY-----\\n{s}\\n-----END PRIVATE '
                               'KEY-----\\n"}}'], value_chars="blob"),
    Kind("rfc4716 private", "", show=["---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
                                      'Comment: "rsa-key-20240301"', "{s}",
                                      "---- END SSH2 ENCRYPTED PRIVATE KEY ----"],
         value_chars="blob"),
    Kind("putty private", "", show=["PuTTY-User-Key-File-3: ssh-rsa", "Encryption: none",
                                    "Comment: rsa-key", "Public-Lines: 1", "AAAAB3NzaC1yc2E",
                                    "Private-Lines: 1", "{s}", "Private-MAC: {s2}"],
         value_chars="blob"),
]


def _long_value(rng: random.Random, n: int, part: int, chars: str) -> str | None:
    letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    if chars == "long":
        return f"PLNT{n:03d}{part}" + "".join(rng.choice(letters) for _ in range(600))
    if chars == "blob":
        return f"PLNT{n:03d}{part}" + "".join(rng.choice(letters + "+/") for _ in range(120))
    return None


def generated(seed: int = 11) -> list[Planted]:
    """Every kind (the listed ones and EXTRA_KINDS) in every variant: the command in each case
    style and abbreviated, typed at a prompt, logged, in an archive's diff (`+`/`-`), scrolled
    off to the left of an echo (`#$`), and hard-wrapped at 80 columns."""
    rng = random.Random(seed)
    out = []
    base = plant(seed)
    kinds = list(KINDS) + EXTRA_KINDS
    for n, kind in enumerate(kinds, 1):
        values = [_long_value(rng, n, 1, kind.value_chars) or _value(rng, n, 1, kind.value_chars)]
        if kind.spaces:
            values.append(_value(rng, n, 3, kind.value_chars))
        second = _long_value(rng, n, 2, kind.value_chars) or _value(rng, n, 2, kind.value_chars)
        s = " ".join(values)
        command = kind.command.format(s=s, s2=second)
        uses_second = "{s2}" in kind.command or any("{s2}" in x for x in kind.show)
        words = values + ([second] if uses_second else [])
        if "{s}" not in kind.command and not kind.show:
            words = []
        texts: dict[str, list[str]] = {f: [] for f in GENERATED_FORMS}
        texts["show"] = [line.format(s=s, s2=second) for line in kind.show]
        if command:
            _command_forms(texts, kind, command, words, n, rng)
            if words:
                # A value long enough to cross the 80th column, hard-wrapped there.
                long = values[0] + "".join(rng.choice("abcdefgh23456789") for _ in range(70))
                wrapped = kind.command.format(s=" ".join([long, *values[1:]]), s2=second)
                parents = kind.parent.split("\n") if kind.parent else []
                texts["wrapped"] = [*parents, *_wrapped(" " * len(parents) + wrapped)]
                words = [*words, long]
        out.append(Planted(kind, words, texts))
    assert len(base) == len(KINDS)
    return out


GENERATED_FORMS = ("config", "echo", "cfglog", "archive", "diff", "scrolled", "wrapped",
                   "show")


def _command_forms(texts: dict[str, list[str]], kind: Kind, command: str, words: list[str],
                   n: int, rng: random.Random) -> None:
    variants = [command, _recased(command, words, "upper", rng),
                _recased(command, words, "title", rng), _recased(command, words, "mixed", rng),
                _abbreviated(command, words),
                _recased(_abbreviated(command, words), words, "upper", rng)]
    parents = kind.parent.split("\n") if kind.parent else []
    indent = " " * len(parents)
    prompt = f"{HOST}({kind.mode})#" if parents or not kind.exec_only else f"{HOST}#"
    for v in variants:
        if not kind.exec_only:
            texts["config"] += [*parents, indent + v]
        texts["echo"].append(prompt + v)
        texts["cfglog"].append(f"*Mar  1 10:{n % 60:02d}:00.118 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: "
                               f"User:admin  logged command:{v}")
        texts["archive"].append(f"{n:6d}    {n % 7 + 1:2d}        admin@vty0     |{indent}{v}")
        texts["diff"] += [f"{sign}{indent}{v}" for sign in "+-"]
        # A command longer than the terminal scrolls: its echo starts with '$' and shows the
        # last columns only (the keyword may be gone).
        tail = v[-max(12, len(v) // 2):]
        texts["scrolled"].append(f"{prompt}${tail}")


def generated_session(planted: list[Planted]) -> str:
    """A session log holding every generated form, around a licensing status."""
    lines = [f"{HOST}#terminal length 0", f"{HOST}#show clock", "09:30:02.118 UTC Fri Mar 1 2024",
             f"{HOST}#configure terminal"]
    for p in planted:
        lines += p.texts["echo"] + p.texts["scrolled"]
    lines.append(f"{HOST}(config)#end")
    lines += [f"{HOST}#show running-config", "Building configuration...", "",
              "Current configuration : 48211 bytes", "!", f"hostname {HOST}", "!"]
    for p in planted:
        lines += p.texts["config"] + (["!"] if p.texts["config"] else [])
        lines += p.texts["wrapped"] + (["!"] if p.texts["wrapped"] else [])
    lines += ["end", "", f"{HOST}#show logging", "Log Buffer (102400 bytes):", ""]
    lines += [t for p in planted for t in p.texts["cfglog"]]
    lines += [f"{HOST}#show archive log config all"]
    lines += [t for p in planted for t in p.texts["archive"]]
    lines += [f"{HOST}#show archive config differences flash:a.cfg system:running-config"]
    lines += [t for p in planted for t in p.texts["diff"]]
    for p in planted:
        if p.texts["show"]:
            lines += [f"{HOST}#show snmp host"] + p.texts["show"]
    lines += [f"{HOST}#show license status", *LICENSE_STATUS.splitlines(), f"{HOST}#"]
    return "\n".join(lines) + "\n"


def leaked(planted: list[Planted], data: bytes | str, window: int = 10) -> list[str]:
    """The kinds any part of whose values (windows of ``window`` characters, so that the tail
    of a value a wrap or a cut left behind counts) appears in ``data``."""
    blob = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    found = []
    for p in planted:
        for value in p.values:
            pieces = {value[i:i + window] for i in range(0, max(1, len(value) - window + 1), 4)}
            if any(piece in blob for piece in pieces if len(piece) == window or piece == value):
                found.append(p.kind.name)
                break
    return sorted(set(found))
