"""Rule examples of conditions seen only in logs, and calibrations (a failure followed by its
success)."""

from __future__ import annotations

from .blocks import (
    CISCO_DEFAULT_POLICY,
    STATES,
    SW,
    SW17,
    LicenseState,
    Slup,
    Switch,
    comm_block,
    log,
    session,
    show_license_all,
    show_license_status,
    show_version,
    slup_status,
    slup_tech_support,
)


def logs(*lines: str) -> str:
    return session(SW17.hostname, [("show logging | include SMART_LIC|CALL_HOME|PKI", "\n".join(lines))])


def _log_examples_1(ex: dict[str, str | bytes]) -> None:
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


def _log_examples_2(ex: dict[str, str | bytes]) -> None:
    host = SW17.hostname
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


def _log_examples_3(ex: dict[str, str | bytes]) -> None:
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


def _log_examples_4(ex: dict[str, str | bytes]) -> None:
    host = SW17.hostname
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


def _log_examples_5(ex: dict[str, str | bytes]) -> None:
    # Every SMART_LIC message of failure or warning meaning has its rule (docs/smart-lic-catalogue.md).
    failed = log("*Oct 14 02:12:40.551 UTC", "SMART_LIC-3-ENTITLEMENT_RENEW_FAILED",
                 "Entitlement authorization with Cisco licensing cloud failed: Communication "
                 "message send error")
    ex["logs/entitlement-renew-failed.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", failed)])
    ex["logs/entitlement-renew-failed-then-renewed.txt"] = session(SW.hostname, [
        ("show logging | include SMART_LIC", "\n".join([failed, log(
            "*Oct 14 03:12:41.118 UTC", "SMART_LIC-6-AUTH_RENEW_SUCCESS",
            "Authorization renewal with the Cisco Smart Software Manager or satellite. "
            "State=Authorized for udi PID:C9300-48P,SN:FOC2224X0AB")]))])
    removed = log("*Mar  1 09:14:03.551 UTC", "SMART_LIC-6-AUTHORIZATION_REMOVED",
                  "A licensing authorization code has been removed from PID:C9300X-24Y,SN:FOC2533L1AA")
    ex["logs/authorization-removed.txt"] = logs(removed)
    ex["logs/authorization-removed-then-installed.txt"] = logs(removed, log(
        "*Mar  1 10:02:44.004 UTC", "SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS",
        "A new licensing authorization code was successfully installed on PID:C9300X-24Y,"
        "SN:FOC2533L1AA"))


def log_examples() -> dict[str, str | bytes]:
    """Conditions seen only in logs, calibrations (a failure followed by its success), and
    the remaining layouts of the knowledge base's newer rules."""
    ex: dict[str, str | bytes] = {}
    _log_examples_1(ex)
    _log_examples_2(ex)
    _log_examples_3(ex)
    _log_examples_4(ex)
    _log_examples_5(ex)
    return ex
