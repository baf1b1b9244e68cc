"""Capture reading: decoding, clean-up that keeps the original line numbers, bad input."""

from __future__ import annotations

import gzip

import pytest

from sldiag.base.errors import InputError
from sldiag.reading.lines import clean_text
from sldiag.reading.read import read_whole as read_capture


def test_crlf_ansi_backspace_more_are_cleaned_and_lines_keep_their_numbers():
    raw = ("SW1#show license status\r\n"
           "\x1b[1mSmart Licensing is ENABLED\x1b[0m\r\n"
           " --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bRegistration:\r\n"
           " --More--   Status: REGISTERED\r\n"
           "<--- More --->\r\n")
    capture = clean_text("x.txt", raw)
    assert capture.lines == ["SW1#show license status", "Smart Licensing is ENABLED",
                             "Registration:", "  Status: REGISTERED", ""]
    assert capture.cleaned["crlf"] == 5
    assert capture.cleaned["ansi"] == 2
    assert capture.cleaned["more-prompt"] == 2


def test_carriage_return_redraw_keeps_last_text():
    assert clean_text("x", "Registration:\nold text\r  Status: REGISTERED\n").lines == [
        "Registration:", "  Status: REGISTERED"]


def test_exec_timestamp_headers_are_blanked_but_remembered():
    capture = clean_text("x", "Load for five secs: 1%/0%; one minute: 0%\n"
                              "Time source is NTP, 10:45:23.029 UTC Thu Nov 18 2021\nrest\n")
    assert capture.lines == ["", "", "rest"]
    assert capture.timestamp_headers[1] == (2, "Time source is NTP, 10:45:23.029 UTC Thu Nov 18 2021")


def test_gzip_and_utf16_and_bom(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"SW1#show clock\n*10:00:00.000 UTC Mon Jan 1 2024\n"))
    assert read_capture(str(tmp_path / "a.txt.gz")).lines[0] == "SW1#show clock"
    (tmp_path / "b.txt").write_bytes("SW1#show clock\n".encode("utf-16"))
    assert read_capture(str(tmp_path / "b.txt")).lines == ["SW1#show clock"]
    (tmp_path / "c.txt").write_bytes(b"\xef\xbb\xbfSW1#show clock\n")
    assert read_capture(str(tmp_path / "c.txt")).lines == ["SW1#show clock"]


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"  \n\n \t\n", "file is empty"),
    (b"\x00\x01\x02\x03binary", "binary file"),
    (b"ok line\n" + b"caf\xe9\n" * 30, "x.txt:2: not valid UTF-8 (byte 0xe9, 30 lines)"),
    (b"\x1f\x8b\x08\x00\x00\x00", "gzip data is truncated or corrupt"),
])
def test_bad_input_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_capture(str(path))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_capture(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_capture(str(tmp_path))


def test_explicit_encoding(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"hostname caf\xe9\n")
    assert read_capture(str(path), encoding="latin-1").lines == ["hostname caf\u00e9"]


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "x.txt"
    data = b"SW1#show license status\r\n --More-- Smart Licensing is ENABLED\r\n"
    path.write_bytes(data)
    read_capture(str(path))
    assert path.read_bytes() == data


def test_a_few_undecodable_bytes_are_replaced_and_noted_not_fatal(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"SW1#show license status\nSmart Account: Caf\xe9 SA\n" + b"ok\n" * 10)
    capture = read_capture(str(path))
    assert capture.lines[1] == "Smart Account: Caf\ufffd SA"
    assert capture.notes == [(2, "bytes that are not valid UTF-8 were replaced by U+FFFD")]


def test_a_console_log_with_stray_nuls_and_bells_is_text(tmp_path):
    path = tmp_path / "console.log"
    path.write_bytes(b"\x00\x00*Oct 22 16:06:08.270: %SMART_LIC-5-EVAL_START: Entering "
                     b"evaluation period\x07\n" + b"line of boot output\n" * 20)
    capture = read_capture(str(path))
    assert capture.lines[0].startswith("*Oct 22 16:06:08.270: %SMART_LIC-5-EVAL_START")


def test_mostly_control_bytes_or_a_binary_signature_is_binary(tmp_path):
    for content in (b"\x00" * 200 + b"text", b"\x7fELF\x02\x01\x01 mostly text\n" * 10):
        path = tmp_path / "x.bin.txt"
        path.write_bytes(content)
        with pytest.raises(InputError, match="binary file"):
            read_capture(str(path))


def test_a_paste_indented_as_a_block_is_dedented_keeping_relative_indentation():
    capture = clean_text("x", "    Registration:\n      Status: REGISTERED\n\n    Done\n")
    assert capture.lines == ["Registration:", "  Status: REGISTERED", "", "Done"]
    assert capture.indent == "    "
    # One line in the first column: nothing is removed.
    assert clean_text("x", "  a\nb\n").lines == ["  a", "b"]
