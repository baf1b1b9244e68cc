"""Rule examples of Smart Licensing before 17.3.2: the TAC guide's scenarios and states."""

from __future__ import annotations

from .blocks import (
    SLUP_STATUS,
    STATES,
    SW,
    Switch,
    authorization_block,
    classic_show_license,
    collected,
    legacy_session,
    log,
    registration_block,
    session,
    show_interfaces_status,
    show_license_all,
    show_license_eventlog,
    show_license_status,
    show_version,
)


def _rule_examples_1(ex: dict[str, str | bytes]) -> None:
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


def _rule_examples_2(ex: dict[str, str | bytes]) -> None:
    sw = SW
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
    # The guide's Scenario #8 output on a switch whose trustpoint checks no CRL, with no CRL
    # error logged: not #7, and #8's advice applies.
    ex["scenario-08/waiting-for-reply-crl-off.txt"] = session(sw.hostname, [
        ("show license status", show_license_status(sw, STATES["scenario-07"])),
        ("show running-config | section crypto pki trustpoint SLA-TrustPoint",
         "crypto pki trustpoint SLA-TrustPoint\n enrollment pkcs12\n revocation-check none\n"),
        ("show logging | include SMART_LIC|PKI", log(
            "*Aug  2 14:34:52.102 UTC", "SMART_LIC-3-OUT_OF_COMPLIANCE",
            "One or more entitlements are out of compliance."))])
    ex["scenario-08/positive-out-of-compliance.txt"] = legacy_session(
        sw, "scenario-08", "10:15:00.000 UTC Tue Sep 17 2019",
        logs=[log("*Sep 17 08:20:07.404 UTC", "SMART_LIC-3-OUT_OF_COMPLIANCE",
                  "One or more entitlements are out of compliance.")])
    ex["scenario-08/positive-show-version-only.txt"] = session(
        "SW-ACC-07", [("show version", show_version(Switch("SW-ACC-07", version="16.09.03"),
                                                     "REGISTERED/OUT OF COMPLIANCE"))])


def _rule_examples_3(ex: dict[str, str | bytes]) -> None:
    sw = SW
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


def rule_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    _rule_examples_1(ex)
    _rule_examples_2(ex)
    _rule_examples_3(ex)
    return ex
