"""The fast paths of bundles and the sanitiser give what the plain paths give: the prefilter
as one trie against the alternation it replaces, blank lines passed over (one by one, or a run
at once) against the line-by-line sanitiser, lines a bundle does not carry never cleaned but
counted in runs against cleaned then blanked."""

from __future__ import annotations

import re
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sldiag.base.errors import InputError
from sldiag.reading.decode import chunks_ahead, read_chunk
from sldiag.reading.lines import Blanks
from sldiag.reading.read import iter_carried_lines, iter_clean_lines
from sldiag.sanitizing.carry import RangeCursor, merge
from sldiag.sanitizing.rules import load_redaction_rules, prefilter_pattern
from sldiag.sanitizing.sanitizer import MAX_WRAPPED_LINES, WRAP_WIDTHS, Sanitizer, _continues

WORDS = ["k", "key-s", "sec", "secret", "pas", "password", "user", "username", "~token",
         "-key", "://", "~passw", "cr", "crypto"]


def _alternation(words: list[str]) -> re.Pattern[str]:
    """The prefilter as it was: one lookbehind and literal per keyword."""
    def keyword(word: str) -> str:
        if word.startswith("~"):
            return re.escape(word[1:])
        if word[:1].isalnum():
            return rf"(?<![a-z0-9]){re.escape(word)}"
        return re.escape(word)
    return re.compile("|".join(keyword(w) for w in words))


TEXT = st.text(alphabet="kesycrtpaswordun-:/ 0~.", max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_the_trie_prefilter_finds_what_the_alternation_finds(text):
    trie = re.compile(prefilter_pattern(WORDS))
    assert bool(trie.search(text)) == bool(_alternation(WORDS).search(text))


def test_the_shipped_prefilter_against_its_alternation():
    rules = load_redaction_rules()
    import yaml

    from sldiag.base.resources import data_dir

    doc = yaml.safe_load((data_dir("rules") / "redaction.yaml").read_text())
    words = sorted({str(k).lower() for r in doc["secrets"] for k in r["keywords"]}
                   | {str(w).lower() for b in doc["blocks"] for w in b.get("keywords", [])})
    old = _alternation(words)
    for line in ["  5 minute input rate 0 bits/sec, 0 packets/sec", " username admin secret 9 x",
                 "crypto isakmp key K address 1.1.1.1", "snmp-server community S RO",
                 "http://user:pw@host/x", "msec timer", "apikey=abc", "tunnel key 5"]:
        assert bool(rules.prefilter.search(line.lower())) == bool(old.search(line.lower())), line


def _plain_stream(sanitizer: Sanitizer, lines: list[str]) -> list[str]:
    """Sanitizer.stream without its blank-line fast path (as it was)."""
    out: list[str] = []
    group: list[str] = []
    for line in lines:
        if group and not _continues(line):
            out += sanitizer._group(group)
            group = []
        group.append(line)
        if len(line) not in WRAP_WIDTHS or len(group) >= MAX_WRAPPED_LINES:
            out += sanitizer._group(group)
            group = []
    out += sanitizer._group(group)
    return out


LINES = st.lists(st.sampled_from([
    "", "", "", " username admin password 0 hunter2", "crypto isakmp key SECRETKEY address 0.0.0.0",
    "-----BEGIN RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA3x", "-----END RSA PRIVATE KEY-----",
    "Keyring      Hostname/Address                            Preshared Key",
    "default      10.1.1.1                                    s3cr3t",
    "x" * 80, "snmp-server community PUBLIC RO", "interface Gi1/0/1", " description up"]),
    max_size=30)


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_blank_lines_passed_over_give_the_same_sanitised_text(lines):
    fast, plain = Sanitizer(), Sanitizer()
    fast.start()
    plain.start()
    assert list(fast.stream(lines)) == _plain_stream(plain, lines)
    assert fast.counts == plain.counts


def _runs(lines: list[str]) -> list[str | Blanks]:
    """The lines with each run of empty ones as one Blanks."""
    out: list[str | Blanks] = []
    for line in lines:
        if line == "" and out and isinstance(out[-1], Blanks):
            out[-1] = Blanks(out[-1] + 1)
        else:
            out.append(Blanks(1) if line == "" else line)
    return out


def _expanded(items: list[str | Blanks]) -> list[str]:
    return [line for item in items
            for line in ([""] * item if isinstance(item, Blanks) else [item])]


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_runs_of_blank_lines_give_the_same_sanitised_text(lines):
    fast, plain = Sanitizer(), Sanitizer()
    fast.start()
    plain.start()
    assert _expanded(list(fast.stream(_runs(lines)))) == _plain_stream(plain, lines)
    assert fast.counts == plain.counts


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=6),
       st.sampled_from([64, 97, 1 << 20]))
def test_lines_not_carried_are_never_cleaned_but_counted(tmp_path_factory, spans, chunk):
    path = tmp_path_factory.mktemp("c") / "capture.txt"
    path.write_bytes(b"".join(b"SW1#show x %d\x1b[0m\r\n  line\tof\xc2\xa0output\n" % i
                              for i in range(40)) + b"last line, no newline")
    merged = merge([(a, a + n) for a, n in spans])
    plain = list(iter_clean_lines(str(path)))
    inside = RangeCursor(merged)
    blanked = [line if i in inside else "" for i, line in enumerate(plain)]
    fast = list(iter_carried_lines(str(path), merged, chunk_bytes=chunk))
    assert _expanded(fast) == blanked
    # Lines not carried never come one by one: a Blanks never follows a Blanks.
    assert not any(isinstance(a, Blanks) and isinstance(b, Blanks)
                   for a, b in zip(fast, fast[1:], strict=False))


class _Disk:
    """A stream that records its reads: never two at once, none after close."""

    def __init__(self, data: bytes, fail_at: int | None = None, delay: float = 0.0) -> None:
        self.data, self.at, self.fail_at, self.delay = data, 0, fail_at, delay
        self.reading = 0
        self.overlapped = False
        self.closed = False
        self.read_after_close = False
        self.reads = 0
        self.lock = threading.Lock()

    def read(self, size: int = -1) -> bytes:
        with self.lock:
            self.reading += 1
            self.overlapped |= self.reading > 1
            self.read_after_close |= self.closed
        try:
            self.reads += 1
            if self.fail_at is not None and self.reads >= self.fail_at:
                raise OSError(5, "Input/output error")
            time.sleep(self.delay)
            size = len(self.data) - self.at if size < 0 else size
            part = self.data[self.at:self.at + min(size, 7)]   # short reads, as pipes give
            self.at += len(part)
            return part
        finally:
            with self.lock:
                self.reading -= 1

    def close(self) -> None:
        self.closed = True


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.integers(1, 40))
def test_chunks_read_ahead_are_the_chunks_read_one_by_one(data, size):
    plain, disk = _Disk(data), _Disk(data)
    expected = []
    while chunk := read_chunk("x", plain, size):
        expected.append(chunk)
    assert list(chunks_ahead("x", disk, size)) == [*expected, b""]
    assert not disk.overlapped


def test_a_read_error_is_raised_where_its_chunk_is_asked_for():

    disk = _Disk(b"abcdefghijklmnopqrstuvwxyz" * 4, fail_at=5)   # the 5th read of 7 bytes
    chunks = chunks_ahead("cap.txt", disk, 14)                    # two reads a chunk
    assert next(chunks) == b"abcdefghijklmn"
    assert next(chunks) == b"opqrstuvwxyzab"
    with pytest.raises(InputError, match=r"^cap\.txt: cannot read \(Input/output error\)$"):
        next(chunks)


def test_closing_the_chunks_waits_for_the_read_under_way():
    disk = _Disk(b"x" * 100, delay=0.05)
    chunks = chunks_ahead("x", disk, 7)
    assert next(chunks) == b"x" * 7           # the next read is under way in a thread
    chunks.close()
    assert disk.reading == 0                  # done before close() returned
    reads = disk.reads
    disk.close()
    assert disk.reads == reads and not disk.read_after_close and not disk.overlapped


def test_each_chunk_comes_with_what_its_thread_made_of_it():
    from sldiag.reading.decode import prepared_ahead

    disk = _Disk(b"0123456789" * 10)
    made = list(prepared_ahead("x", disk, 14, lambda chunk: (
        bytes(reversed(chunk)), threading.current_thread().name)))
    assert [chunk for chunk, _ in made] == [(b"0123456789" * 10)[i:i + 14]
                                            for i in range(0, 100, 14)] + [b""]
    for chunk, prepared in made[:-1]:
        assert prepared == (bytes(reversed(chunk)), "sldiag-read-ahead")
    assert made[-1] == (b"", None)


def test_a_failed_preparation_is_raised_where_its_chunk_is_asked_for():
    from sldiag.reading.decode import prepared_ahead

    def prepare(chunk: bytes) -> int:
        if chunk.startswith(b"c"):
            raise ValueError("cannot prepare")
        return len(chunk)

    chunks = prepared_ahead("x", _Disk(b"a" * 7 + b"b" * 7 + b"c" * 7), 7, prepare)
    assert next(chunks) == (b"a" * 7, 7)
    assert next(chunks) == (b"b" * 7, 7)
    with pytest.raises(ValueError, match="cannot prepare"):
        next(chunks)


def test_reading_and_preparing_ahead_hold_a_bounded_number_of_chunks():
    from sldiag.reading.decode import CHUNKS_ALIVE_PREPARED, prepared_ahead

    disk = _Disk(b"x" * 7 * 40)
    prepared: list[int] = []
    chunks = prepared_ahead("x", disk, 7, lambda chunk: prepared.append(1) or len(chunk))
    taken = 0
    try:
        for _ in range(5):
            next(chunks)
            taken += 1
            time.sleep(0.05)  # a slow caller: the threads run ahead as far as they may
            # The caller's chunk, one prepared (or being prepared), one read: no more.
            assert disk.reads <= taken - 1 + CHUNKS_ALIVE_PREPARED
            assert disk.reads >= taken + 1  # and they did run ahead
    finally:
        chunks.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("sldiag-read-ahead")]
    assert not disk.overlapped


def test_chunks_given_first_are_prepared_before_the_streams():
    from sldiag.reading.decode import prepared_ahead

    made = list(prepared_ahead("x", _Disk(b"efghij"), 4, lambda chunk: chunk.upper(),
                               [b"ab", b"cd"]))
    assert made == [(b"ab", b"AB"), (b"cd", b"CD"), (b"efgh", b"EFGH"), (b"ij", b"IJ"),
                    (b"", None)]


def test_closing_waits_for_the_preparation_under_way():
    from sldiag.reading.decode import prepared_ahead

    busy = threading.Event()
    done: list[bytes] = []

    def prepare(chunk: bytes) -> None:
        busy.set()
        time.sleep(0.1)
        done.append(chunk)

    disk = _Disk(b"y" * 70)
    chunks = prepared_ahead("x", disk, 7, prepare, [b"head"])
    assert next(chunks) == (b"head", None)
    busy.clear()
    assert busy.wait(5)  # the next chunk is being prepared
    chunks.close()
    assert done[-1] == b"y" * 7 and not [t for t in threading.enumerate()
                                         if t.name.startswith("sldiag-read-ahead")]
    disk.close()
    assert not disk.read_after_close


def test_the_quick_handoff_lasts_only_while_the_reader_searches():
    import sys

    from sldiag.reading.decode import quick_handoff

    before = sys.getswitchinterval()
    with quick_handoff():
        assert sys.getswitchinterval() == min(before, 0.0005)
    assert sys.getswitchinterval() == before
    with pytest.raises(InputError), quick_handoff():
        raise InputError("cap.txt: cannot read")
    assert sys.getswitchinterval() == before


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=60))
def test_control_characters_are_deleted_as_the_pattern_deletes_them(text):
    """clean_line deletes control characters with str.translate (fifty times faster on a
    line of them than re.sub, which makes a match of each): the same characters."""
    from sldiag.reading.lines import _CONTROL, _CONTROL_DELETED

    assert text.translate(_CONTROL_DELETED) == _CONTROL.sub("", text)
