"""Rule examples of Smart Licensing Using Policy (17.3.2 and later)."""

from __future__ import annotations

from .blocks import (
    CISCO_DEFAULT_POLICY,
    HEALTHY_COMM,
    STATES,
    SW,
    SW17,
    Slup,
    Switch,
    collected,
    comm_block,
    log,
    running_config,
    session,
    show_license_status,
    show_version,
    slup_status,
    slup_tech_support,
)


def _slup_examples_1(ex: dict[str, str | bytes]) -> None:
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


def _slup_examples_2(ex: dict[str, str | bytes]) -> None:
    host = SW17.hostname
    now = "Mar 01 09:30:02 2024 UTC"
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
    cpu_head = ("CPU utilization for five seconds: {total}%/2%; one minute: {total}%; five "
                "minutes: {total}%\n PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   "
                "5Min TTY Process \n")
    ex["slup/rum-backlog-cpu.txt"] = session(host, [
        ("show version | include Version", "Cisco IOS XE Software, Version 17.06.03\n"),
        ("show processes cpu sorted", cpu_head.format(total=41) + "\n".join([
            " 611   918273645   412398765       2226 27.91% 26.40% 26.12%   0 SAGetRUMIds      ",
            " 612   201938475   198273645       1018  6.02%  5.87%  5.91%   0 SAUtilRepSave    ",
            " 143     8273645     9182736        901  1.11%  0.98%  0.95%   0 IOSD ipc task    "])
         + "\n")])
    ex["slup/agent-idle-cpu.txt"] = session(host, [
        ("show processes cpu sorted", cpu_head.format(total=6) + "\n".join([
            " 143     8273645     9182736        901  1.11%  0.98%  0.95%   0 IOSD ipc task    ",
            " 611      918273      412398       2226  0.00%  0.01%  0.00%   0 SAGetRUMIds      "])
         + "\n")])
    ex["slup/insufficient-trust-tech-support.txt"] = session(host, [
        ("show license tech support", slup_tech_support(
            Slup(last_ack="<none>", last_push="<none>", trust="<none>"), SW17,
            "Mar 01 09:30:02 2024 UTC", [comm_block("Usage Reporting", 3, 3, "NO REPLY",
                                                    "Mar 01 09:12:31 2024 UTC")],
            overall_state="Insufficient trust for direct communication",
            overall_trust="No ID"))])
    ex["slup/callhome-first-window.txt"] = session(host, [
        ("show clock", "09:30:00.000 UTC Thu Feb 1 2024\n"),
        ("show license status", slup_status(Slup(
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
    # Failed, then forced an hour later: installed, the failure is history.
    ex["slup/trust-install-failed-then-installed.txt"] = session(host, [
        ("show logging | include SMART_LIC", "\n".join([log(
            "*Mar  1 09:01:55.871 UTC", "SMART_LIC-3-TRUST_CODE_INSTALL_FAILED",
            "The install of a new licensing trust code has failed on PID:C9300-24P,SN:FOC2410X1AB: "
            "Trust code already installed."), log(
            "*Mar  1 10:02:13.404 UTC", "SMART_LIC-6-TRUST_CODE_INSTALL_SUCCESS",
            "A new licensing trust code was successfully installed on PID:C9300-24P,"
            "SN:FOC2410X1AB.")]))])
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


def _slup_examples_3(ex: dict[str, str | bytes]) -> None:
    host = SW17.hostname
    now = "Mar 01 09:30:02 2024 UTC"
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


def _slup_examples_4(ex: dict[str, str | bytes]) -> None:
    host = SW17.hostname
    ex["slup/authorization-code-failed.txt"] = session("SW-DIST-9X", [
        ("show version", show_version(Switch("SW-DIST-9X", pid="C9300X-24Y", serial="FOC2533L1AA",
                                              version="17.09.04a"), "Smart Licensing Using Policy")),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 09:14:03.551 UTC", "SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
            "The install of a new licensing authorization code has failed on PID:C9300X-24Y,"
            "SN:FOC2533L1AA: The authorization code is for a different product instance."))])
    ex["slup/authorization-code-failed-then-installed.txt"] = session("SW-DIST-9X", [
        ("show logging | include SMART_LIC", "\n".join([log(
            "*Mar  1 09:14:03.551 UTC", "SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
            "The install of a new licensing authorization code has failed on PID:C9300X-24Y,"
            "SN:FOC2533L1AA: The authorization code is for a different product instance."), log(
            "*Mar  1 11:40:27.118 UTC", "SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS",
            "A licensing authorization code has been installed for PID:C9300X-24Y,"
            "SN:FOC2533L1AA.")]))])
    ex["slup/communication-failing-log.txt"] = session(host, [
        ("show license status", slup_status(Slup())),
        ("show logging | include SMART_LIC", log(
            "*Mar  1 07:56:14.017 UTC", "SMART_LIC-3-COMM_FAILED",
            "Communications failure with the Cisco Smart Software Manager (CSSM) : Communications failure"))])
    ex["slup/stack-partial-trust.txt"] = session(host, [("show license status", slup_status(Slup(trust=[
        ("Active: PID:C9300-24P,SN:FOC2410X1AB", "Jan 09 15:41:02 2024 UTC"),
        ("Standby: PID:C9300-24P,SN:FOC2410X1AC", "Jan 09 15:41:02 2024 UTC"),
        ("Member: PID:C9300-24P,SN:FOC2410X1AD", "")])))])


def _slup_name_examples(ex: dict[str, str | bytes]) -> None:
    """Using Policy: the name it reports to resolved (DNS, a VRF, a proxy) and trusted."""
    host = SW17.hostname
    never = Slup(account="<none>", virtual_account="<none>", last_ack="<none>", last_push="<none>",
                 trust="<none>", next_ack_deadline="May 29 22:52:03 2024 UTC")
    smart = "license smart transport smart\nlicense smart url default"

    def capture(config_extra: str, dns: str, status: Slup, *, logs: str = "") -> str:
        parts = [("show clock", "09:30:02.118 UTC Fri Mar 1 2024\n"),
                 ("show running-config", running_config(SW17, extra=config_extra, dns=dns)),
                 ("show license status", slup_status(status))]
        if logs:
            parts.append(("show logging | include SMART_LIC", logs))
        return session(host, parts)

    unresolved = log("*Mar  1 08:01:13.441 UTC", "SMART_LIC-3-COMM_FAILED",
                     "Communications failure with the Cisco Smart Software Manager (CSSM) : "
                     "Unable to resolve server hostname/domain name")
    ex["slup/no-dns-smart.txt"] = capture(smart, "", never, logs=unresolved)
    ex["slup/no-dns-smart-host-entry.txt"] = capture(
        smart + "\nip host smartreceiver.cisco.com 146.112.59.25", "", never)
    ex["slup/no-dns-smart-proxy.txt"] = capture(
        smart + "\nlicense smart proxy address proxy.corp.example\nlicense smart proxy port 8080", "",
        Slup(proxy=("proxy.corp.example", "8080")))
    ex["slup/no-dns-smart-acked.txt"] = capture(smart, "", Slup())
    in_vrf = "ip name-server vrf Mgmt-vrf 10.10.20.5"
    ex["slup/dns-in-vrf-no-license-vrf.txt"] = capture(smart, in_vrf, never, logs=unresolved)
    ex["slup/dns-in-vrf-license-vrf.txt"] = capture(smart + "\nlicense smart vrf Mgmt-vrf", in_vrf, Slup())
    onprem = "https://10.20.30.41/cslu/v1/pi/ACME-1"
    cslu = f"license smart transport cslu\nlicense smart url cslu {onprem}"
    failing = log("*Mar  1 08:01:13.441 UTC", "SMART_LIC-3-COMM_FAILED",
                  "Communications failure with the Cisco Smart License Utility (CSLU) : "
                  "Communications failure")
    ex["slup/onprem-by-ip-identity-check.txt"] = capture(cslu, "ip name-server 10.10.20.5", Slup(
        transport="cslu", cslu_address=onprem, identity_check="True", last_ack="<none>",
        last_push="<none>", trust="<none>", account="<none>", virtual_account="<none>"), logs=failing)
    ex["slup/onprem-by-ip-no-identity-check.txt"] = capture(
        cslu + "\nno license smart server-identity-check", "ip name-server 10.10.20.5", Slup(
            transport="cslu", cslu_address=onprem, identity_check="False"))


def _hsec_examples(ex: dict[str, str | bytes]) -> None:
    """IPsec configured on a platform where it needs the HSECK9 authorization."""
    def summary(hsec: bool, model: str) -> str:
        rows = [f"  network-advantage       ({model} Network Advan...)       1 IN USE",
                f"  dna-advantage           ({model} DNA Advantage)          1 IN USE"]
        if hsec:
            rows.append("  hseck9                  (DNA_HSEC)                        1 IN USE")
        return "\n".join(["License Usage:",
                          "  License                 Entitlement Tag               Count Status",
                          "  " + "-" * 77, *rows]) + "\n"

    ikev2 = ("crypto ikev2 proposal IKEV2-PROP\n encryption aes-gcm-256\n prf sha384\n group 20\n!\n"
             "crypto ipsec profile IPSEC-PROF\n set ikev2-profile IKEV2-PROF\n!")
    for name, pid, model, hsec in (("slup/ipsec-without-hsec.txt", "C9300X-24Y", "C9300X-24", False),
                                   ("slup/ipsec-with-hsec.txt", "C9300X-24Y", "C9300X-24", True),
                                   ("slup/ipsec-on-c9300.txt", "C9300-48P", "C9300-48", False)):
        sw = Switch("SW-DIST-9X", pid=pid, serial="FOC2533L1AA", version="17.09.04a",
                    model_line=pid.replace("-", " ", 1), tag_model=model)
        ex[name] = session(sw.hostname, [
            ("show version", show_version(sw, "Smart Licensing Using Policy")),
            ("show running-config", running_config(sw, extra=ikev2)),
            ("show license summary", summary(hsec, model))])


def slup_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    _slup_examples_1(ex)
    _slup_examples_2(ex)
    _slup_examples_3(ex)
    _slup_examples_4(ex)
    _slup_name_examples(ex)
    _hsec_examples(ex)
    return ex
