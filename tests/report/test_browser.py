"""The HTML report in a real browser (headless Debian Chromium): it renders, no script runs, nothing
is fetched. Each check has a positive control that proves it can fail.

Network: Chromium is pointed at a local "proxy" socket for every scheme and every host name
(``--proxy-server`` plus ``--host-resolver-rules``), so any request, to any host, arrives there as
a connection whose first line names the host. Chromium's own service traffic (update checks, network
time, account probes — all to Google service hosts, with or without a page) is set aside; every
other host counts as the page's. The report must cause none; a control page with one external image
must cause one. The static check in test_write.py covers every host, Google's included.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from nqpf_text.report import write_reports

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TITLE = "nqpf_text report"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if path:
            return path
    message = "headless Chromium not found (Debian package chromium)"
    if os.environ.get("NQPF_REQUIRE_SHARED") == "1":
        pytest.fail(message + " (NQPF_REQUIRE_SHARED=1 forbids skipping)")
    pytest.skip(message)


class _Trap:
    """A TCP listener that records every request sent to it (the browser's only way out).

    Each connection is read on a thread of its own until it sends something or closes: Chromium may open a
    socket to its proxy ahead of need (a preconnect) and close it unused when it exits, which requests
    nothing; a connection held open without a word is recorded as ``<connect>``.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._readers: list[threading.Thread] = []

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            reader = threading.Thread(target=self._read, args=(conn,), daemon=True)
            self._readers.append(reader)
            reader.start()

    def _read(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10.0)
            try:
                data = conn.recv(200)
            except OSError:
                data = b"<connect>"
            if data:
                self.hits.append(data)

    def __enter__(self) -> _Trap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for reader in self._readers:
            reader.join(timeout=12)
        self.sock.close()


_BROWSER_SERVICES = (".google.com", ".googleapis.com", ".gstatic.com", ".gvt1.com", ".googleusercontent.com")


def _host(request: bytes) -> str:
    """The host a proxied request is for: ``CONNECT host:443`` or ``GET http://host/…``."""
    line = request.split(b"\r\n", 1)[0].decode("latin-1")
    m = re.match(r"CONNECT ([^:\s]+)", line) or re.match(r"\w+ \w+://([^/:\s]+)", line)
    return m.group(1).lower() if m else line


def _page_requests(hits: list[bytes]) -> list[str]:
    hosts = [_host(h) for h in hits]
    return [h for h in hosts if not ("." + h).endswith(_BROWSER_SERVICES)]


def _run(page: Path, tmp: Path, *extra: str, port: int | None = None) -> str:
    args = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
    ]
    if port is not None:
        args += [f"--proxy-server=127.0.0.1:{port}", f"--host-resolver-rules=MAP * 127.0.0.1:{port}"]
    args += [*extra, page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


@pytest.fixture(scope="module")
def report(tables, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_reports(tables, out, generated="browser test")
    return out / "report.html"


def _title(dom: str) -> str:
    m = re.search(r"<title>(.*?)</title>", dom, re.S)
    return m.group(1) if m else ""


def test_report_renders_without_running_scripts_or_fetching(report, tmp_path):
    with _Trap() as trap:
        dom = _run(report, tmp_path, "--dump-dom", "--virtual-time-budget=3000", port=trap.port)
    assert _page_requests(trap.hits) == []
    assert dom.count("<svg") >= 3 and dom.count("<table") >= 3  # charts and tables made it into the DOM
    assert "<text" in dom and "庆阳市" in dom  # chart labels are text, CJK included
    assert _title(dom) == TITLE  # the payloads would have renamed the page
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom  # shown as text


def test_controls_prove_the_checks_can_fail(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        f"<html><head><title>{TITLE}</title></head><body>"
        "<script>document.title='PWNED'</script><img src='http://example.com/p.png'></body></html>",
        encoding="utf-8",
    )
    with _Trap() as trap:
        dom = _run(bad, tmp_path, "--dump-dom", "--virtual-time-budget=3000", port=trap.port)
    assert _title(dom) == "PWNED"
    assert _page_requests(trap.hits) == ["example.com"]


def test_screenshot(report, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    _run(report, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars")
    assert shot.is_file() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
