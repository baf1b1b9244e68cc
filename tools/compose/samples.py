"""The samples the README's demo runs on: one capture per scenario and state, in the forms
engineers save."""

from __future__ import annotations

import gzip

from .blocks import (
    CALL_HOME_CUSTOM_NO_SL,
    CALL_HOME_ONPREM_IP,
    CISCO_DEFAULT_POLICY,
    SA,
    STATES,
    SW,
    SW17,
    LicenseState,
    Slup,
    Switch,
    comm_block,
    crlf_with_more,
    legacy_session,
    log,
    running_config,
    session,
    show_clock,
    show_interfaces_status,
    show_license_all,
    show_license_eventlog,
    show_license_status,
    show_license_summary,
    show_license_udi,
    show_logging,
    show_tech,
    show_version,
    slup_status,
    slup_tech_support,
    version_line,
)


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


def _samples_1(out: dict[str, str | bytes]) -> None:
    sw = SW
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


def _samples_2(out: dict[str, str | bytes]) -> None:
    sw = SW
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


def _samples_3(out: dict[str, str | bytes]) -> None:
    sw = SW
    out["state-no-licensing-output.session.log"] = session(
        sw.hostname, [("show interfaces status", show_interfaces_status())])


def samples() -> dict[str, str | bytes]:
    """One capture per scenario and state, in the different forms engineers save."""
    out: dict[str, str | bytes] = {}
    _samples_1(out)
    _samples_2(out)
    _samples_3(out)
    return out
