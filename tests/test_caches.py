"""What sldiag keeps between runs (compiled patterns, TextFSM templates as read, compiled
templates) changes nothing but speed: the same reports with or without it, a damaged cache
is passed over, and nothing of a capture ever gets into it."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sldiag.base import compiled

from .conftest import ROOT
from .secretgen import generated, generated_session, leaked

SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.is_file())

# Patterns of every shape the engine has: groups named and not, flags inline and given,
# bytes, possessive and atomic parts, look-arounds, back-references, Unicode classes.
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^(?P<host>[A-Za-z0-9][\w.-]{0,62})(?P<mode>\(config[^)]*\))?#\s*(?P<cmd>.*)$", 0),
    (r"(?i)smart\s+licensing\s+(?:is\s+)?(ENABLED|DISABLED)", 0),
    (r"^\s*Status:\s+(\S+(?:\s+\S+)*?)\s*$", re.MULTILINE),
    (r"(?<![\w-])(?:pas(?:s(?:w(?:o(?:r(?:d)?)?)?)?)?(?![\w-]))\s++\S+", re.IGNORECASE),
    (r"(?>a|ab)c|(\d)\1", 0),
    (r"[\u00a0\u2000-\u200a]+|\bé\w*", re.UNICODE),
    (rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r[^\n]|[Mm]ore", 0),
    (r"x*", re.DEBUG & 0),
]
SUBJECTS = ["SW1(config-if)# interface Gi1/0/1", "Smart Licensing is ENABLED",
            "  Status: REGISTERED on Jan 1", "username a password 7 0822455D0A16", "abc 11",
            "\u2003éclair", "a\rb--More--", ""]


@pytest.mark.parametrize("pattern,flags", PATTERNS)
def test_a_kept_pattern_matches_as_the_compiled_one(pattern, flags):
    entry = marshal.loads(marshal.dumps(compiled.kept(pattern, flags)))  # as kept
    key, restored = compiled.restored(entry)
    fresh = re.compile(pattern, flags)
    assert key == (type(pattern), pattern, flags)
    assert (restored.pattern, restored.flags, restored.groups, restored.groupindex) == (
        fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)
    for subject in SUBJECTS:
        text = subject.encode("utf-8") if isinstance(pattern, bytes) else subject
        found = [m.span() + m.groups() for m in restored.finditer(text)]
        assert found == [m.span() + m.groups() for m in fresh.finditer(text)], subject


def test_a_damaged_entry_is_refused_not_run():
    entry = compiled.kept(r"(a+)+b", 0)
    assert entry is not None
    damaged = [list(entry) for _ in range(5)]
    damaged[0][3] = [0xFFFF] * 8                         # words the engine cannot run
    damaged[1][3] = "not a program"
    damaged[2][0] = 42                                   # not a pattern
    damaged[3] = entry[:3]                               # cut short
    damaged[4][3] = [-1, 2 ** 70]                        # not words at all
    for bad in damaged:
        with pytest.raises((TypeError, ValueError, RuntimeError, OverflowError)):
            compiled.restored(bad)


def _run(cache: Path | None, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SLDIAG_CACHE_DIR"}
    # A folder others may write is never used: that is how a run goes without the cache.
    env["SLDIAG_CACHE_DIR"] = str(cache) if cache else "/tmp"
    return subprocess.run([sys.executable, "-m", "sldiag", *args], capture_output=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_reports_are_the_same_with_and_without_the_cache(tmp_path, fmt):
    cache = tmp_path / "cache"
    args = ("analyze", "--format", fmt, *map(str, SAMPLES))
    without = _run(None, *args)
    assert without.returncode == 1, without.stderr
    first = _run(cache, *args)                          # fills the cache
    kinds = {p.name.split("-")[0] for p in cache.iterdir()}
    assert {"regex", "textfsm", "rules", "jinja", "methods"} <= kinds
    second = _run(cache, *args)                         # reads it
    assert first.stdout == without.stdout
    assert second.stdout == without.stdout


def test_a_damaged_cache_costs_only_speed(tmp_path):
    cache = tmp_path / "cache"
    sample = str(ROOT / "samples" / "08-out-of-compliance.session.log")
    good = _run(cache, "analyze", sample)
    for path in cache.iterdir():
        if path.name.startswith("regex-"):
            entries = [list(entry) for entry in marshal.loads(path.read_bytes())]
            for entry in entries:
                entry[3] = [0xFFFF] * 8
            path.write_bytes(marshal.dumps(entries))
        else:
            path.write_bytes(b"\x00garbage")
    damaged = _run(cache, "analyze", sample)
    assert damaged.returncode == good.returncode
    assert damaged.stdout == good.stdout
    assert damaged.stderr == b""


def test_nothing_of_a_capture_gets_into_the_cache(tmp_path):
    planted = generated()
    capture = tmp_path / "secrets.session.log"
    capture.write_text(generated_session(planted))
    cache = tmp_path / "cache"
    for args in (("analyze", "-v", "--format", "html"), ("parse",),
                 ("bundle", "--full-captures", "-o", str(tmp_path / "b.zip"))):
        proc = _run(cache, *args, str(capture))
        assert proc.returncode in (0, 1), proc.stderr
    kept = b"".join(p.read_bytes() for p in cache.iterdir())
    assert leaked(planted, kept) == []
    assert b"SW-SEC-01" not in kept                      # not even the hostname


def test_a_template_read_from_the_cache_parses_as_textfsm_read_it(monkeypatch):
    import yaml

    from sldiag.parsing.fsm import Template

    parsers = ROOT / "parsers"
    fixtures = sorted((parsers / "tests").glob("*/*.raw"))
    templates = {raw.parent.name: parsers / "templates" / f"{raw.parent.name}.textfsm"
                 for raw in fixtures}
    for path in templates.values():
        Template(path)                                   # read by TextFSM, then kept
    import textfsm

    monkeypatch.setattr(textfsm, "TextFSM", None)        # from now on only the cache
    read = {name: Template(path) for name, path in templates.items()}
    for raw in fixtures:
        expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
        records, refused = read[raw.parent.name].parse(
            list(enumerate(raw.read_text().splitlines(), start=1)))
        assert refused == []
        assert [{k.lower(): v for k, v in r.values.items()} for r in records] == expected, raw


def test_a_template_kept_in_a_shape_it_cannot_have_is_read_again(monkeypatch, tmp_path):
    from sldiag.parsing.fsm import Template

    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    path = ROOT / "parsers" / "templates" / "cisco_ios_show_clock.textfsm"
    expected = Template(path).states
    (kept,) = (tmp_path / "cache").glob("textfsm-*.marshal")
    kept.write_bytes(marshal.dumps({"values": [[1]], "states": {"Start": [["(", 2]]}}))
    assert {k: [(r.match.pattern, r.line_op) for r in v] for k, v in Template(path).states.items()} \
        == {k: [(r.match.pattern, r.line_op) for r in v] for k, v in expected.items()}


def test_a_kept_method_is_compiled_as_exec_compiles_its_text():
    # dataclasses' methods carry evaluated annotations; this test module's
    # `from __future__ import annotations` must not leak into what exec_kept compiles.
    source = "def __init__(self, a: _type_a) -> _return_type:\n  self.a = a\n"
    namespace: dict = {}
    compiled.exec_kept(source, {"_type_a": int, "_return_type": None}, namespace)
    assert namespace["__init__"].__annotations__ == {"a": int, "return": None}
    assert namespace["__init__"].__code__.co_filename == "<string>"
    plain: dict = {}
    exec(source, {"_type_a": int, "_return_type": None}, plain)  # noqa: S102 - the reference
    assert namespace["__init__"].__code__.co_code == plain["__init__"].__code__.co_code
    assert compiled._methods[source] is compiled._methods[source]  # kept: compiled once
    with pytest.raises(TypeError):
        compiled.exec_kept(source)                     # never this module's namespace


def test_dataclasses_compile_through_the_kept_exec():
    """What makes the methods kept: dataclasses calls its module's `exec` (3.11-3.13)."""
    import dataclasses

    compiled.warm()
    assert dataclasses.exec is compiled.exec_kept  # type: ignore[attr-defined]

    @dataclasses.dataclass(frozen=True)
    class Probe:
        sldiag_contract_probe: int
        other: str = "x"

    assert any("sldiag_contract_probe" in source for source in compiled._methods)
    probe = Probe(1)
    assert probe == Probe(1, "x") and hash(probe) == hash(Probe(1))
    assert repr(probe).endswith("Probe(sldiag_contract_probe=1, other='x')")
    with pytest.raises(dataclasses.FrozenInstanceError):
        probe.other = "y"  # type: ignore[misc]


def test_classes_are_the_same_with_kept_methods(tmp_path):
    """Every class of sldiag's, made with and without the kept methods: same signature,
    same annotations, same methods' code."""
    code = """
import dataclasses, inspect, json, sys
from sldiag.base import compiled
compiled.warm()
import sldiag.cli, sldiag.analysis.run, sldiag.bundle.build, sldiag.render.formats
compiled.remember()
classes = [c for m in list(sys.modules.values()) if (m.__name__ or "").startswith("sldiag")
           for c in vars(m).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
           and c.__module__ == m.__name__]
out = {}
for c in classes:
    out[f"{c.__module__}.{c.__qualname__}"] = [
        str(inspect.signature(c)), repr(c.__init__.__annotations__),
        [(n, f.__code__.co_code.hex()) for n, f in sorted(vars(c).items())
         if inspect.isfunction(f) and f.__code__.co_filename == "<string>"]]
print(json.dumps(out, sort_keys=True))
"""
    env = {k: v for k, v in os.environ.items() if k != "SLDIAG_CACHE_DIR"}
    runs = []
    for cache in ("/tmp", str(tmp_path / "c"), str(tmp_path / "c")):  # none, filled, read
        env["SLDIAG_CACHE_DIR"] = cache
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert len(runs[0]) > 50
    assert any(path.name.startswith("methods-") for path in (tmp_path / "c").iterdir())
    assert runs[0] == runs[1] == runs[2]


def test_a_kept_hyperscan_database_finds_what_a_compiled_one_finds(tmp_path, monkeypatch):
    hyperscan = pytest.importorskip("hyperscan")  # installed wherever wheels exist (Linux x86)
    from sldiag.reading import finders

    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    expressions = [rb"^[A-Za-z][\w.-]*[#>]", rb"%SMART_LIC-\d-", rb"------ *show"]
    text = (b"SW1#show license all\n------ show version\nnothing\n"
            b"*Jan 1: %SMART_LIC-3-AUTH_RENEW_FAILED: x\nSW1>\n")

    def hits(db) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        db.scan(text, match_event_handler=lambda ident, _f, to, _fl, _c: found.append((ident, to)))
        return found

    compiled_db = finders._hyperscan_database(expressions)      # compiled, then kept
    (kept,) = (tmp_path / "cache").glob("hyperscan-*.db")
    loaded = finders._hyperscan_database(expressions)           # loaded from the cache
    assert hits(loaded) == hits(compiled_db) and len(hits(compiled_db)) == 4  # 2 prompts
    other = finders._hyperscan_database(expressions[:2])        # other patterns, other file
    assert len(list((tmp_path / "cache").glob("hyperscan-*.db"))) == 2
    assert len(hits(other)) == 3
    good = kept.read_bytes()
    for damaged in (b"\x00" * 64, good[:-7], good[:100] + bytes(8) + good[108:]):
        kept.write_bytes(damaged)                               # refused by Hyperscan: compiled
        assert hits(finders._hyperscan_database(expressions)) == hits(compiled_db)
        assert kept.read_bytes() == good                         # and kept again
    assert hyperscan.loadb(good, mode=hyperscan.HS_MODE_BLOCK) is not None


def test_a_files_digest_is_kept_until_the_file_changes(tmp_path, monkeypatch):
    import types

    from sldiag.base import resources

    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(resources._Digests, "_loaded", None)
    later = types.SimpleNamespace(time_ns=lambda: os.stat(tmp_path).st_ctime_ns + 10**10)
    monkeypatch.setattr(resources, "time", later)        # every file's times are settled
    rule = tmp_path / "r.yaml"
    rule.write_text("id: a\n")
    other = tmp_path / "s.yaml"
    other.write_text("id: s\n")
    first = resources.fingerprint([rule, other])
    assert (tmp_path / "cache" / "digests.marshal").is_file()

    monkeypatch.setattr(resources._Digests, "_loaded", None)  # as a new run: read back
    read_bytes = Path.read_bytes

    def unread(self: Path) -> bytes:
        assert self not in (rule, other), f"{self} read again"
        return read_bytes(self)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", unread)
        assert resources.fingerprint([rule, other]) == first

    before = rule.stat()
    rule.write_text("id: b\n")                            # same size, same modification time
    os.utime(rule, ns=(before.st_atime_ns, before.st_mtime_ns))
    changed = resources.fingerprint([rule, other])
    assert changed != first
    assert changed == resources.fingerprint([rule, other])
    rule.write_text("id: a\n")
    assert resources.fingerprint([rule, other]) == first  # the content, not the history


def test_a_file_changed_just_now_is_hashed_every_time(tmp_path, monkeypatch):
    from sldiag.base import resources

    monkeypatch.setenv("SLDIAG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(resources._Digests, "_loaded", None)
    rule = tmp_path / "r.yaml"
    rule.write_text("id: a\n")
    resources.fingerprint([rule])
    assert str(rule) not in resources._Digests.loaded().known
