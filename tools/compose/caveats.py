"""Rule examples of the configuration caveats."""

from __future__ import annotations

from .blocks import (
    CALL_HOME_CUSTOM_NO_SL,
    CALL_HOME_ONPREM_IP,
    CALL_HOME_ONPREM_LOWERCASE,
    CALL_HOME_PLAIN_HTTP,
    CALL_HOME_PROXY,
    CALL_HOME_TWO_ACTIVE,
    ROOT,
    SA,
    STATES,
    SW,
    LicenseState,
    Switch,
    legacy_session,
    log,
    running_config,
    session,
    show_license_all,
    show_license_status,
    show_license_summary,
    show_version,
)


def show_call_home_profile(transport: str, addresses: str) -> str:
    """show call-home profile all with its one profile, CiscoTAC-1, reporting licensing."""
    return ("Profile Name: CiscoTAC-1\n    Profile status: ACTIVE\n"
            "    Profile mode: Full Reporting\n"
            "    Reporting Data: Smart Call Home, Smart Licensing\n"
            "    Preferred Message Format: xml\n    Message Size Limit: 3145728 Bytes\n"
            f"    Transport Method: {transport}\n{addresses}")


def with_config(config: str, *more: tuple[str, str], key: str = "healthy") -> str:
    return session(SW.hostname, [
        ("show clock", "09:02:11.428 UTC Wed Oct 02 2019\n"),
        ("show running-config", config),
        ("show license status", show_license_status(SW, STATES[key])), *more])


def _caveat_examples_1(ex: dict[str, str | bytes]) -> None:
    sw = SW
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
    # DNS sourced from the management port; the HTTP client is not.
    ex["caveats/dns-lookup-from-mgmt-port.txt"] = with_config(running_config(
        sw, dns="ip name-server 10.10.20.5\nip domain lookup source-interface GigabitEthernet0/0"),
        key="scenario-05")
    ex["caveats/dns-in-vrf-with-source.txt"] = with_config(running_config(
        sw, dns="ip name-server vrf Mgmt-vrf 10.10.20.5",
        extra="ip http client source-interface GigabitEthernet0/0"))
    ex["caveats/licensing-profile-email-only.txt"] = session(sw.hostname, [
        ("show license status", show_license_status(sw, STATES["scenario-04"])),
        ("show call-home profile all", show_call_home_profile(
            "email", "    Email address(es): callhome@cisco.com\n"))])
    ex["caveats/licensing-profile-http-and-email.txt"] = session(sw.hostname, [
        ("show license status", show_license_status(sw, STATES["healthy"])),
        ("show call-home profile all", show_call_home_profile(
            "http and email", "    Email address(es): callhome@cisco.com\n    HTTP address(es): "
            "https://tools.cisco.com/its/service/oddce/services/DDCEService\n"))])
    ex["caveats/no-ntp.txt"] = with_config(running_config(sw, ntp=""), key="scenario-03")
    # A configuration alone (a backup): nothing shows the clock itself.
    ex["caveats/no-ntp-config-only.txt"] = running_config(sw, ntp="")
    # No name server configured, the management interface addressed by DHCP.
    ex["caveats/dns-from-dhcp.txt"] = with_config(running_config(
        sw, dns="", mgmt_address="ip address dhcp"))
    ex["caveats/calendar-valid-without-ntp.txt"] = with_config(
        running_config(sw, ntp="clock calendar-valid"))
    ex["caveats/crl-with-fallback.txt"] = with_config(
        running_config(sw, revocation="crl none"), ("show logging | include PKI", log(
            "Aug  2 14:34:56.811 UTC", "PKI-3-CRL_FETCH_FAIL",
            "CRL fetch for trustpoint SLA-TrustPoint failed")))
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


def _caveat_examples_2(ex: dict[str, str | bytes]) -> None:
    sw = SW
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


def _caveat_examples_3(ex: dict[str, str | bytes]) -> None:
    sw = SW
    ex["caveats/profile-status-inactive.txt"] = session(sw.hostname, [
        ("show call-home profile all", (ROOT / "parsers/tests/cisco_ios_show_call-home_profile_all/"
                                        "cisco_ios_show_call-home_profile_all_two_profiles.raw").read_text()),
        ("show license status", show_license_status(sw, STATES["scenario-04"]))])


def _release_examples(ex: dict[str, str | bytes]) -> None:
    """rules/releases.yaml: a release inside an advisory's range, outside, a whole train."""
    slup = "Registration Not Applicable/Not Applicable"
    for name, sw, status in (
        ("releases/17-6-3-fn72578.txt", Switch("SW-ACC-63", version="17.06.03"), slup),
        ("releases/c9500-hp-16-12-2.txt", Switch("SW-CORE-01", pid="C9500-32C", version="16.12.02",
                                                 model_line="C9500 32C", tag_model="C9500"),
         "REGISTERED/AUTHORIZED"),
        ("releases/17-9-4a-fixed.txt", Switch("SW-ACC-94", version="17.09.04a"), slup),
        ("releases/c9300-16-12-2.txt", Switch("SW-ACC-22", version="16.12.02"),
         "REGISTERED/AUTHORIZED"),
    ):
        ex[name] = session(sw.hostname, [("show version", show_version(sw, status))])
    # A configuration's "version 17.3" is any 17.3 release: not all of them are affected.
    ex["releases/train-17-3-only.txt"] = session("SW-ACC-73", [(
        "show running-config | include ^version|^hostname", "version 17.3\nhostname SW-ACC-73")])


def caveat_examples() -> dict[str, str | bytes]:
    ex: dict[str, str | bytes] = {}
    _caveat_examples_1(ex)
    _caveat_examples_2(ex)
    _caveat_examples_3(ex)
    _release_examples(ex)
    return ex
