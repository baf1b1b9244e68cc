"""Rules: schema validation with clear errors, condition semantics, and every rule's examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from sldiag.analysis.run import analyse_capture
from sldiag.base.errors import DataError
from sldiag.diagnosing.conditions import evaluate
from sldiag.diagnosing.knowledge import Knowledge, load_rules
from sldiag.model import facts as fm
from sldiag.reading.read import read_whole as read_capture

RULES = Path(__file__).resolve().parent.parent / "rules"
ROOT_SAMPLES = RULES.parent / "samples"


def _all_rules():
    return load_rules(use_cache=False)


def test_knowledge_base_covers_the_guide():
    rules = _all_rules()
    scenarios = sorted(r.scenario for r in rules if r.scenario)
    assert scenarios == list(range(1, 10))
    ids = {r.id for r in rules}
    for state in ("sl-state-evaluation", "sl-state-evaluation-expired",
                  "sl-state-registration-in-progress", "sl-state-registered-authorized",
                  "sl-state-out-of-compliance", "sl-state-authorization-expired",
                  "sl-state-smart-licensing-disabled", "sl-capture-no-licensing-output"):
        assert state in ids
    for rule in rules:
        assert rule.positive and rule.negative, rule.id
        assert rule.references["guide"], rule.id
        assert any("`" in step for step in rule.next_steps), f"{rule.id}: no exact CLI"


# The ids of the research notes beside the guide ("B.2 #25", "SLUP scenario S14", "D.2 L10"):
# maintainers trace a rule to them, users cannot follow them.
_NOTE_ID = r"(\b[A-E]\.\d|\bS\d{1,2}\b|\bL\d{1,2}\b|#\d{2}|\bnotes\b|\bSLUP\b)"


def test_references_users_read_are_public(knowledge):
    import re

    for rule in _all_rules():
        shown = [rule.references["guide"], *rule.references.get("documents", [])]
        for text in shown:
            assert not re.search(_NOTE_ID, text), f"{rule.id}: {text!r}"
    # A finding carries what users read, never the research ids.
    path = RULES / "examples" / "slup-report-backlog"
    positive = next(path.glob("positive-*.txt"))
    (result,) = analyse_capture(read_capture(str(positive)), knowledge)
    finding = next(f for f in result.findings if f.rule_id == "slup-report-backlog")
    assert "research" not in finding.references
    assert finding.references["field_notices"] == ["FN72578"]


def _visible(line: str) -> str:
    return line.replace("\u00a0", " ").replace("\u200b", "").expandtabs(8)


@pytest.mark.parametrize("rule", _all_rules(), ids=lambda r: r.id)
def test_rule_fires_on_positive_and_not_on_negative_examples(rule, knowledge):
    for example in rule.positive:
        results = analyse_capture(read_capture(str(example)), knowledge)
        fired = [f for r in results for f in r.findings if f.rule_id == rule.id]
        assert fired, f"did not fire on {example.name}"
        lines = example.read_text(errors="replace").splitlines()
        for evidence in fired[0].evidence:
            # Evidence is real: the cited line of the cited file holds the quoted text (as a
            # terminal shows it: a paste's no-break spaces and tabs are spaces, its quote
            # marks and common indentation not part of the output).
            assert evidence["text"].strip() in _visible(lines[evidence["line"] - 1]), evidence
    for example in rule.negative:
        results = analyse_capture(read_capture(str(example)), knowledge)
        assert not [f for r in results for f in r.findings if f.rule_id == rule.id], \
            f"fired on {example.name}"


def _broken_copy(tmp_path: Path, rule_id: str, edit) -> Path:
    import shutil

    folder = tmp_path / "extra"
    folder.mkdir()
    doc = yaml.safe_load((RULES / f"{rule_id}.yaml").read_text())
    doc["id"] = "zz-" + doc["id"]
    shutil.copytree(RULES / "examples" / rule_id, folder / "examples" / doc["id"])
    edit(doc)
    path = folder / f"{doc['id']}.yaml"
    path.write_text(yaml.safe_dump(doc))
    return folder


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(severity="fatal"), "field 'severity'"),
    (lambda d: d.pop("next_steps"), "'next_steps' is a required property"),
    (lambda d: d.update(when={"fact": "registration.colour", "equals": "x"}),
     "field 'when/fact': unknown fact 'registration.colour'"),
    (lambda d: d.update(when={"fact": "registration.status", "regex": "("}), "field 'when/regex'"),
    (lambda d: d.update(when={"fact": "registration.status", "like": "x"}), "field 'when'"),
    (lambda d: d.update(evidence=["registration.nothing"]), "field 'evidence/0'"),
    (lambda d: d.update(supersedes=["no-such-rule"]), "field 'supersedes/0'"),
    (lambda d: d.update(next_steps=["{{ broken"]), "field 'next_steps/0'"),
    (lambda d: d.update(id="ZZ bad id"), "field 'id'"),
])
def test_broken_rule_names_file_and_field(tmp_path, edit, message):
    folder = _broken_copy(tmp_path, "sl-scenario-01-product-already-registered", edit)
    with pytest.raises(DataError) as info:
        load_rules([folder], use_cache=False)
    assert str(folder) in str(info.value)
    assert message in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "zz-bad.yaml").write_text("id: zz-bad\ntitle: [unclosed\n")
    with pytest.raises(DataError, match=r"zz-bad.yaml:\d+: not valid YAML"):
        load_rules([folder], use_cache=False)


def test_a_new_rule_is_a_file_not_code(tmp_path, knowledge):
    """A user's rule folder extends the knowledge without touching Python."""
    folder = tmp_path / "mine"
    folder.mkdir()
    example = tmp_path / "ex.txt"
    example.write_text("SW9#show license status\nSmart Licensing is ENABLED\n\nRegistration:\n"
                       "  Status: UNREGISTERED - REGISTRATION FAILED\n"
                       "  Failure reason: Token has expired\n\nLicense Authorization:\n"
                       "  Status: EVAL MODE\nSW9#\n")
    (folder / "site-token-expired.yaml").write_text("""
id: site-token-expired
version: 1
title: Registration token expired
category: scenario
severity: error
when: {fact: registration.failure_reason, regex: '(?i)token has expired'}
evidence: [registration.status]
explanation: The token used is past its expiry date in CSSM.
next_steps: ["Create a new token and run `license smart register idtoken <TOKEN>` on {{ hostname }}"]
references: {guide: 'site runbook'}
""")
    examples = folder / "examples" / "site-token-expired"
    examples.mkdir(parents=True)
    (examples / "positive-token-expired.txt").write_text(example.read_text())
    (examples / "negative-healthy.txt").write_text("SW9#show license status\n")
    extended = Knowledge(knowledge.catalog, load_rules([folder], use_cache=False),
                         knowledge.flowchart, knowledge.modes, knowledge.verdicts,
                         knowledge.mode_labels)
    (result,) = analyse_capture(read_capture(str(example)), extended)
    (finding,) = [f for f in result.findings if f.rule_id == "site-token-expired"]
    assert finding.next_steps == [
        "Create a new token and run `license smart register idtoken <TOKEN>` on SW9"]
    assert [e["line"] for e in finding.evidence] == [5, 6]


def test_rule_cache_is_used_and_invalidated(tmp_path, monkeypatch):
    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "extra"
    first = load_rules([])
    assert list((tmp_path / "cache").glob("rules-*.marshal"))
    assert [r.id for r in load_rules([])] == [r.id for r in first]
    folder.mkdir()
    (folder / "zz.yaml").write_text("id: zz\n")
    with pytest.raises(DataError):  # a new file changes the key: validated again
        load_rules([folder])


# ---------------------------------------------------------------------------------------
# Condition semantics

def _facts(**values) -> fm.Facts:
    facts = fm.Facts()
    for n, (path, value) in enumerate(values.items(), start=1):
        facts.set(path.replace("__", "."), fm.Fact(value, "f.txt", n, f"line {n}"))
    return facts


def test_conditions():
    facts = _facts(registration__status="UNREGISTERED - REGISTRATION FAILED",
                   authorization__evaluation_remaining=timedelta(days=12),
                   authorization__communication_deadline=datetime(2020, 5, 9, tzinfo=UTC))
    now = datetime(2020, 5, 1, tzinfo=UTC)
    assert evaluate({"fact": "registration.status", "regex": "FAILED"}, facts, now).matched
    assert evaluate({"fact": "registration.status", "equals": "unregistered - registration failed"},
                    facts, now).matched
    assert not evaluate({"fact": "registration.status", "equals": "UNREGISTERED"}, facts, now).matched
    assert evaluate({"fact": "authorization.evaluation_remaining", "lt": 30}, facts, now).matched
    assert not evaluate({"fact": "authorization.evaluation_remaining", "lt": 10}, facts, now).matched
    deadline = {"fact": "authorization.communication_deadline", "le": 8}
    assert evaluate(deadline, facts, now).matched          # 8 days from the device clock
    assert not evaluate(deadline, facts, None).matched     # no clock, no judgement
    assert evaluate({"fact": "registration.failure_reason", "exists": False}, facts, now).matched
    assert not evaluate({"fact": "registration.failure_reason", "regex": "."}, facts, now).matched
    both = evaluate({"all": [{"fact": "registration.status", "regex": "FAILED"},
                             {"not": {"fact": "registration.expires", "exists": True}}]}, facts, now)
    assert both.matched and [e.line for e in both.evidence] == [1]


def test_rows_condition_quotes_the_matching_rows():
    facts = fm.Facts()
    for n, tag in enumerate(["SMART_LIC-6-AGENT_READY", "SMART_LIC-3-COMM_FAILED",
                             "SMART_LIC-3-COMM_FAILED"], start=1):
        facts.rows("syslog").append(fm.Row({"tag": tag, "message": "x"}, "f.txt", n, f"line {n}"))
    result = evaluate({"rows": "syslog", "match": {"tag": "COMM_FAILED"}}, facts, None)
    assert result.matched and [r.line for r in result.evidence] == [2, 3]
    assert not evaluate({"rows": "syslog", "match": {"tag": "COMM_FAILED"}, "min_count": 3},
                        facts, None).matched


def test_a_rule_without_examples_beside_it_is_refused(tmp_path):
    """Examples live in examples/<rule id>/ beside the rule: a rule with no negative (or no
    positive) example there is not finished, and loading says so, naming the file."""
    folder = _broken_copy(tmp_path, "sl-scenario-01-product-already-registered", lambda d: None)
    for example in (folder / "examples" / "zz-sl-scenario-01-product-already-registered"
                    ).glob("negative-*"):
        example.unlink()
    with pytest.raises(DataError) as info:
        load_rules([folder], use_cache=False)
    assert "zz-sl-scenario-01-product-already-registered.yaml" in str(info.value)
    assert "no negative example in examples/zz-sl-scenario-01-product-already-registered/" \
        in str(info.value)


def _dns_vrf_capture(vrf: str) -> str:
    example = RULES / "examples" / "sl-caveat-dns-vrf" / "positive-dns-in-vrf-only.txt"
    return example.read_text().replace("Mgmt-vrf", vrf)


@pytest.mark.parametrize("vrf", ["OOB", "mgmt_vrf-2", "Mgmt-intf"])
def test_next_steps_use_the_devices_own_names(tmp_path, knowledge, vrf):
    capture = tmp_path / "sw.txt"
    capture.write_text(_dns_vrf_capture(vrf))
    (result,) = analyse_capture(read_capture(str(capture)), knowledge)
    finding = next(f for f in result.findings if f.rule_id == "sl-caveat-dns-vrf")
    steps = "\n".join(finding.next_steps)
    assert f"`call-home`, `vrf {vrf}`" in steps
    assert f"`ping vrf {vrf} tools.cisco.com`" in steps
    assert "Mgmt-vrf" not in steps or vrf == "Mgmt-vrf"
    assert "<VRF" not in steps
    # The value is cited where the device printed it.
    assert any(e["text"] == f"ip name-server vrf {vrf} 10.10.20.5" for e in finding.evidence)
    # What the capture lacks keeps a placeholder naming the command that shows it.
    assert "<INTERFACE_IN_THE_VRF, see show ip vrf interfaces>" in steps


@pytest.mark.parametrize("vrf", ["a`b", "x<y", "$(reboot)", "name;reload"])
def test_a_device_name_unfit_to_paste_stays_a_placeholder(tmp_path, knowledge, vrf):
    capture = tmp_path / "sw.txt"
    capture.write_text(_dns_vrf_capture(vrf))
    (result,) = analyse_capture(read_capture(str(capture)), knowledge)
    finding = next(f for f in result.findings if f.rule_id == "sl-caveat-dns-vrf")
    steps = "\n".join(finding.next_steps)
    assert vrf not in steps
    assert "<VRF, see show vrf>" in steps


_SAMPLE_VALUES = {"VRF": "Mgmt-vrf", "DNS_IP": "192.0.2.53", "NTP_SERVER": "192.0.2.123"}


def _filled(line: str) -> str:
    """A fix line as the engineer completes it: the comment marker gone, each placeholder
    replaced by a value of its kind."""
    import re

    line = line.replace("! fill in: ", "")
    return re.sub(r"<([A-Z_]+)(?:, see [^<>]*)?>",
                  lambda m: "GigabitEthernet0/0" if "INTERFACE" in m[1]
                  else _SAMPLE_VALUES.get(m[1], "example"), line)


def _rules_with_fix():
    return [r for r in _all_rules() if r.fix]


def test_some_rules_carry_a_fix():
    assert {r.id for r in _rules_with_fix()} >= {
        "sl-scenario-07-waiting-for-reply", "sl-caveat-dns-vrf", "sl-caveat-no-dns"}


@pytest.mark.parametrize("rule", _rules_with_fix(), ids=lambda r: r.id)
def test_a_fix_reads_back_as_the_configuration_it_means(rule, knowledge, tmp_path):
    """The configuration a rule writes for a device, read back through sldiag's own reading
    of show running-config, gives the facts the rule expects: a fix that does not parse as
    intended (a typo, a line in the wrong mode) fails here."""
    import re

    from sldiag.render.views import fix_block

    checked = 0
    for example in rule.positive:
        (result,) = [r for r in analyse_capture(read_capture(str(example)), knowledge)
                     if any(f.rule_id == rule.id for f in r.findings)][:1] or [None]
        if result is None:
            continue
        block = fix_block(result)
        finding = next(f for f in result.findings if f.rule_id == rule.id)
        if finding.severity == "info":
            assert block == [] or finding.fix[0] not in block
            continue
        start, end = block.index("configure terminal"), block.index("end")
        # What the engineer fills in, filled in: the whole block must read back.
        config = [_filled(line) for line in block[start + 1:end]
                  if not line.lstrip().startswith("!") or "! fill in: " in line]
        assert config, f"{example.name}: nothing to paste"
        capture = tmp_path / f"{example.stem}.txt"
        capture.write_text("SW-FIX#show running-config\nBuilding configuration...\n\n"
                           "hostname SW-FIX\n!\n" + "\n".join(config) + "\n!\nend\n\nSW-FIX#\n")
        (parsed,) = analyse_capture(read_capture(str(capture)), knowledge)
        for path, pattern in rule.fix["expect"].items():
            value = parsed.facts.value(path)
            values = value if isinstance(value, list) else [value]
            assert any(re.search(pattern, str(v)) for v in values if v is not None), (
                f"{example.name}: {path} read back as {value!r}, not {pattern!r}\n"
                + "\n".join(config))
        checked += 1
    assert checked, f"{rule.id}: no positive example produced a fix to read back"


def _literal_prefix(text: str) -> str:
    return text.split("{", 1)[0][:60]


@pytest.mark.parametrize("rule", [r for r in _all_rules()
                                  if any(s.modes or s.when for s in r.steps)],
                         ids=lambda r: r.id)
def test_no_step_is_offered_outside_its_guard(rule, knowledge):
    """A step guarded by mode, release or platform appears on a device exactly when its guard
    holds there (checked on every example of the rule, where it fires)."""
    from sldiag.diagnosing.engine import clock_context

    guarded = [s for s in rule.steps if s.modes or s.when]
    seen_offered = seen_withheld = 0
    for example in rule.positive:
        for result in analyse_capture(read_capture(str(example)), knowledge):
            finding = next((f for f in result.findings if f.rule_id == rule.id), None)
            if finding is None:
                continue
            ctx = clock_context(result)
            for step in guarded:
                holds = (step.modes is None or result.mode in step.modes) and (
                    step.when is None or step.when.evaluate(ctx).matched)
                prefix = _literal_prefix(step.text)
                offered = [s for s in finding.next_steps if s.startswith(prefix)]
                # Two guarded variants may share a prefix: compare whole texts then.
                same_prefix = [s for s in guarded if _literal_prefix(s.text) == prefix]
                if len(same_prefix) == 1:
                    assert bool(offered) == holds, (example.name, step.text, result.mode)
                seen_offered += holds
                seen_withheld += not holds
    assert seen_offered, f"{rule.id}: no example offers a guarded step"


def test_guards_on_release_and_platform(tmp_path, knowledge):
    """HSECK9 is requested only where it exists; `license smart enable` only where it works."""
    folder = RULES / "examples" / "slup-authorization-code-failed"
    positive = next(folder.glob("positive-*.txt"))
    text = positive.read_text()
    for pid, hsec in (("C9300X-24Y", True), ("C9300-48P", False), ("ISR4431/K9", True)):
        capture = tmp_path / f"{pid.replace('/', '_')}.txt"
        capture.write_text(text.replace("C9300X-24Y", pid))
        (result,) = analyse_capture(read_capture(str(capture)), knowledge)
        finding = next(f for f in result.findings if f.rule_id == "slup-authorization-code-failed")
        steps = "\n".join(finding.next_steps)
        assert ("add hseck9 all" in steps) is hsec, pid
        assert ("add <FEATURE> all" in steps) is not hsec, pid
    disabled = (RULES / "examples" / "sl-state-smart-licensing-disabled" / "positive-disabled.txt")
    for release, offered in (("16.09.05", True), ("17.06.01", False)):
        capture = tmp_path / f"disabled-{release}.txt"
        capture.write_text(f"SW-ACC-12#show version\nCisco IOS XE Software, Version {release}\n"
                           + disabled.read_text())
        (result,) = analyse_capture(read_capture(str(capture)), knowledge)
        steps = "\n".join(s for f in result.findings for s in f.next_steps)
        assert ("`license smart enable`, `end`" in steps) is offered, release


# Placeholders whose value a capture can hold, and the facts that hold it (the rest, a token,
# a file name, a new name, cannot come from a capture).
_DEVICE_VALUES = {
    "VRF": "transport.vrf, config.license_vrf, config.call_home_vrf, config.name_servers@vrf, "
           "config.vrfs@only",
    "INTERFACE": "config.http_client_source_interface, config.call_home_source_interface",
    "INTERFACE_IN_THE_VRF": "config.domain_lookup@source-interface, "
                            "config.http_client_source_interface, config.call_home_source_interface",
    "VRF_INTERFACE": "config.http_client_source_interface, config.call_home_source_interface",
    "PROXY": "config.license_proxy, transport.proxy_address",
    "PORT": "transport.proxy_port",
    "CSLU_IP": "transport.cslu_address@host",
    "NTP_SERVER": "config.ntp_servers",
}


def _placeholders_the_capture_could_fill(knowledge) -> list[str]:
    import re

    from sldiag.diagnosing.messages import pasteable

    misses = []
    for rule in _all_rules():
        for example in rule.positive:
            for result in analyse_capture(read_capture(str(example)), knowledge):
                for finding in result.findings:
                    for step in [*finding.next_steps, *finding.fix]:
                        for name in re.findall(r"<([A-Z_]+)[,>]", step):
                            for spec in _DEVICE_VALUES.get(name, "").split(","):
                                path, _, after = spec.strip().partition("@")
                                if path and pasteable(result.facts.value(path), after or None):
                                    misses.append(f"{example.name}: {finding.rule_id}: <{name}> "
                                                  f"although {path} holds it")
    return sorted(set(misses))


def test_no_placeholder_where_the_capture_holds_the_value(knowledge):
    """The issue's figure: next steps that still carry a placeholder when the capture holds
    the value. Goal: none."""
    assert _placeholders_the_capture_could_fill(knowledge) == []


def test_a_step_shared_by_a_cause_and_its_symptom_is_listed_once(knowledge):
    """Scenario #3 caused by the untrusted clock: NTP is configured under the cause only."""
    (result,) = analyse_capture(read_capture(str(ROOT_SAMPLES / "03-clock-offset.session.log")),
                                knowledge)
    by_id = {f.rule_id: f for f in result.findings}
    cause, symptom = by_id["sl-caveat-clock-untrusted"], by_id["sl-scenario-03-clock-offset"]
    assert symptom.causes == ["sl-caveat-clock-untrusted"]
    everything = [*cause.next_steps, *symptom.next_steps]
    assert sum("`ntp server <NTP_SERVER>`" in step for step in everything) == 1
    assert symptom.next_steps[0].startswith("Cause found: The device clock is not trusted")
