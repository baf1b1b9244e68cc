"""The HTML report as a person sees it: self-contained, and rendered by a real browser."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from .conftest import run_cli

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)


def _report(tmp_path, *captures: str):
    out = tmp_path / "report.html"
    proc = run_cli("analyze", "--format", "html", "-o", str(out), *captures)
    assert proc.returncode in (0, 1), proc.stderr
    return out


def test_html_is_self_contained(tmp_path):
    text = _report(tmp_path, "samples").read_text()
    assert '<meta name="viewport"' in text
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)=', text)
    assert "@import" not in text and "url(" not in text
    assert "@media print" in text


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_html_renders_findings_and_evidence_in_chromium(tmp_path):
    report = _report(tmp_path, "samples/state-healthy-and-authorization-expired.two-devices.log",
                     "samples/03-clock-offset.session.log")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         report.as_uri()], capture_output=True, timeout=120)
    dom = html.unescape(proc.stdout.decode())
    assert "Fleet summary" in dom
    for text in ("SW-ACC-21", "SW-ACC-22",
                 "Authorization expired: no successful communication with Cisco for over 90 days",
                 "Scenario #3: Registration refused: the device clock is outside CSSM's tolerance",
                 "Status: AUTHORIZATION EXPIRED on May 30 13:07:02 2019 UTC",
                 "offset beyond the allowed tolerance limit",
                 "license smart renew auth"):
        assert text in dom, text
    # Cited lines are marked, and next steps give commands inline, in the sentence.
    assert re.search(r'class="hit"><span class="ln">\s*\d+ &gt; ', proc.stdout.decode())
    assert re.search(r'<li>[^\n]*? and trust it: <code class="cli">clock calendar-valid</code></li>', dom)
    assert '<pre class="cli">' not in dom


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixels of a non-interlaced 8-bit PNG (Chromium's)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[i:i + 3]) for i in range(0, stride, channels))
        rows[-1] = list(rows[-1])
        previous = line
    return width, height, rows


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_fleet_dashboard_and_deadline_timeline_in_chromium(tmp_path):
    """A screenshot of the dashboard: the counts, the table worst first, and the timeline's
    deadline dots (one colour per kind) and its 'today' line are on the page as drawn."""
    report = _report(tmp_path, "samples/state-healthy-and-authorization-expired.two-devices.log",
                     "samples/slup-ack-overdue.crlf-more.txt",
                     "samples/01-product-already-registered.showtech.txt")
    text = report.read_text()
    # The dashboard comes first: cards, then the sortable table (worst first), then the timeline.
    assert text.index('class="cards"') < text.index('id="fleet-table"') < text.index("<svg")
    table = text[text.index('id="fleet-table"'):text.index("</table>", text.index('id="fleet-table"'))]
    assert table.index("SW-ACC-41") < table.index("SW-ACC-21")  # ERROR before OK
    # two registered switches (communication deadline, registration expiry), one ACK deadline,
    # one evaluation end (its clock + the evaluation remaining)
    assert text.count('<circle class="deadline') == 2 * 2 + 1 + 1
    # the two passed ones (SW-ACC-22's communication deadline, SW-ACC-41's ACK) are ringed
    assert text.count('<circle class="deadline overdue"') == 2
    shot = tmp_path / "dashboard.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1300,1400",
         f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120)
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1300, 1400)
    seen = {pixel for row in rows for pixel in row}

    def near(rgb: str) -> bool:
        want = bytes.fromhex(rgb)
        return any(all(abs(p[i] - want[i]) <= 6 for i in range(3)) for p in seen)

    # the card borders / badges and every kind of deadline dot drawn with its colour
    for colour in ("b3261e", "1f7a3a",                      # ERROR and OK cards
                   "b45309", "b91c1c", "1d4ed8", "7c3aed"):  # ACK, communication, expiry, eval
        assert near(colour), colour
    # the 'today' line: a vertical run of the ink colour (#111827) in the timeline
    dark = bytes.fromhex("111827")
    columns = {}
    for y, row in enumerate(rows):
        for x, p in enumerate(row):
            if all(abs(p[i] - dark[i]) <= 6 for i in range(3)):
                columns.setdefault(x, []).append(y)
    assert any(len(ys) >= 60 for ys in columns.values())


def _dom(tmp_path, report, fragment: str = "") -> str:
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri() + fragment],
        capture_output=True, timeout=120)
    return proc.stdout.decode()


def _fleet(tmp_path, count: int):
    """``count`` captures of switches named SW-0001..., from three samples (a failing legacy
    switch, an overdue Using-Policy switch, a pair of which one is healthy)."""
    from .conftest import SAMPLES

    kinds = [("09-data-signature.session.log", "SW-ACC-12"),
             ("slup-ack-overdue.crlf-more.txt", "SW-ACC-41"),
             ("state-healthy-and-authorization-expired.two-devices.log", "SW-ACC-21")]
    folder = tmp_path / "fleet"
    folder.mkdir()
    for n in range(count):
        name, host = kinds[n % len(kinds)]
        data = (SAMPLES / name).read_bytes().replace(host.encode(), f"SW-{n:04d}".encode())
        (folder / f"sw-{n:04d}-{name}").write_bytes(data)
    return folder


def test_dashboard_timeline_is_ordered_and_marked(tmp_path):
    report = _report(tmp_path, "samples")
    text = report.read_text()
    rows = re.findall(r'<g class="tl-row( overdue)?" data-class="(\w+)" data-days="(-?\d+)"', text)
    days = [int(d) for _, _, d in rows]
    assert days == sorted(days) and days[0] < 0
    assert all((mark == " overdue") == (int(d) < 0) for mark, _, d in rows)
    # rows link to their device; devices the timeline cannot place are listed beside it
    assert re.search(r'<g class="tl-row[^>]*data-device="device-\d+"[^>]*><a href="#device-\d+">', text)
    assert 'id="undated"' in text and "no licensing output" not in text.split('id="undated"')[1][:50]
    # details collapsed, dashboard first, dark mode
    assert text.index('id="fleet"') < text.index('id="timeline"') < text.index('class="device"')
    assert "<details open><summary><h2>" not in text
    assert "prefers-color-scheme: dark" in text


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_cards_filter_and_sort_from_the_address_in_chromium(tmp_path):
    report = _report(tmp_path, "samples")
    # A card is a link to the filtered view: error rows only, in the table and the timeline.
    assert 'href="#class=error"' in report.read_text()
    dom = _dom(tmp_path, report, "#class=error")
    rows = re.findall(r'<tr data-class="(\w+)"([^>]*)>', dom)
    assert rows and all((klass == "error") != ("hidden" in rest) for klass, rest in rows)
    timeline = re.findall(r'<g class="tl-row[^"]*" data-class="(\w+)"([^>]*)>', dom)
    assert timeline and all((klass == "error") != ("display: none" in rest)
                            for klass, rest in timeline)
    assert re.search(r'<a class="card error active"', dom)
    # Text filter and sort by the next-deadline column (index 3), soonest first.
    dom = _dom(tmp_path, report, "#q=SW-ACC-41&sort=3")
    visible = re.findall(r'<tr data-class="\w+" data-device="device-\d+">(.*?)</tr>', dom, re.S)
    assert visible and all("SW-ACC-41" in row for row in visible)
    order = [int(x) for x in re.findall(r'<tr data-class[^>]*>.*?</td>\s*<td>.*?</td>\s*<td>.*?</td>\s*'
                                        r'<td data-sort="(-?\d+)"', dom, re.S)]
    assert order == sorted(order)
    # A link to a device opens its details.
    dom = _dom(tmp_path, report, "#device-2")
    assert re.search(r'<section class="device" id="device-2"[^>]*>\s*<details open="">', dom)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_a_fleet_of_300_opens_on_its_dashboard(tmp_path):
    folder = _fleet(tmp_path, 300)
    report = _report(tmp_path, str(folder))
    text = report.read_text()
    assert text.count('<section class="device"') == 300 + 100  # the pair sample is two devices
    assert text.count('<g class="tl-row') == 400
    # The page opens on the dashboard: the table and timeline scroll in their own boxes.
    assert 'class="table-wrap scroll"' in text and 'id="timeline-wrap"' in text
    shot = tmp_path / "fleet.png"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1300,16000",
         f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=180)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", proc.stderr[-300:]
    import struct

    assert struct.unpack(">II", data[16:24]) == (1300, 16000)
