"""The interfaces of other libraries sldiag relies on, checked: a release that changes one
fails here, not in a user's analysis. sldiag uses no private member of any of them."""

from __future__ import annotations

import ast
import io
import re

from .conftest import ROOT


def test_textfsm_exposes_what_sldiag_reads_of_a_template():
    import textfsm

    fsm = textfsm.TextFSM(io.StringIO(
        "Value Filldown,Required NAME (\\S+)\nValue List ITEMS ((?P<k>\\w+)=(?P<v>\\w+))\n\n"
        "Start\n  ^name ${NAME} -> Continue\n  ^item ${ITEMS}\n  ^end -> Record\n"
        "  ^. -> Error\n"))
    assert [v.name for v in fsm.values] == ["NAME", "ITEMS"]
    assert set(fsm.values[0].OptionNames()) == {"Filldown", "Required"}
    assert isinstance(fsm.values[1].regex, str) and re.compile(fsm.values[1].regex).groups == 3
    rules = fsm.states["Start"]
    assert [r.line_op for r in rules] == ["Continue", "", "", "Error"]
    assert [r.record_op for r in rules] == ["", "", "Record", ""]
    assert all(r.new_state == "" for r in rules)
    assert rules[0].regex_obj.match("name sw1").group("NAME") == "sw1"


# The one exception, kept to one module: the patterns kept between runs are put back into
# re's own cache (base/compiled.py, which falls back to plain compiling on any other
# Python); test_re_has_what_the_kept_patterns_use pins what it uses. The same module gives
# dataclasses an `exec` that keeps compiled methods (a global of that module, no member);
# test_caches.py::test_dataclasses_compile_through_the_kept_exec pins it.
PRIVATE_ALLOWED = {"compiled.py": {"re"}}


def test_sldiag_uses_no_private_member_of_another_library():
    """`from lib import _x`, `lib._x` or `obj._x()` on another library's objects: none."""
    libraries = {"textfsm", "nornir", "netmiko", "paramiko", "jinja2", "yaml", "click",
                 "rich", "netconan", "hyperscan", "jsonschema", "re", "markupsafe"}
    found = []
    for path in sorted((ROOT / "sldiag").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                root = node.module.split(".")[0]
                if root in libraries and (any(a.name.startswith("_") for a in node.names)
                                          or any(p.startswith("_")
                                                 for p in node.module.split("."))):
                    found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and \
                    not node.attr.startswith("__") and isinstance(node.value, ast.Name) and \
                    node.value.id in libraries - PRIVATE_ALLOWED.get(path.name, set()):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_re_has_what_the_kept_patterns_use():
    """re's cache is a dict keyed by (type, pattern, flags) that re.compile looks in first,
    its bound is an int, and its compiler hands the engine one call of six arguments."""
    import re

    from sldiag.base import compiled

    assert isinstance(re._cache, dict) and isinstance(re._MAXCACHE, int)
    pattern = "sldiag (?P<probe>contract) [0-9]+"
    entry = compiled.kept(pattern, re.IGNORECASE)
    assert entry is not None and len(entry) == 7
    key, restored = compiled.restored(entry)
    assert key == (str, pattern, int(re.IGNORECASE))
    re._cache[key] = restored
    try:
        assert re.compile(pattern, re.IGNORECASE) is restored
    finally:
        del re._cache[key]


def test_nornir_inventory_is_built_from_public_classes():
    from nornir.core.inventory import ConnectionOptions, Defaults, Group, Host, ParentGroups

    group = Group(name="g", platform="ios", connection_options={
        "netmiko": ConnectionOptions(extras={"conn_timeout": 5})}, defaults=Defaults())
    host = Host(name="h", hostname="192.0.2.1", groups=ParentGroups([group]),
                defaults=Defaults(username="u"))
    params = host.get_connection_parameters("netmiko")
    assert (params.hostname, params.platform, params.username) == ("192.0.2.1", "ios", "u")
    assert params.extras == {"conn_timeout": 5}


def test_the_start_up_sha256_is_hashlibs():
    """base/resources.py takes SHA-256 from CPython's own module, not hashlib's OpenSSL."""
    import hashlib

    from sldiag.base.resources import sha256

    for data in (b"", b"abc", bytes(range(256)) * 1000):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    grown = sha256(b"ab")
    grown.update(b"c")
    assert grown.digest() == hashlib.sha256(b"abc").digest()
