"""Whole-run guarantees: no network, deterministic bytes, crash safety, read-only home."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nqpf_text.resources import demo_corpus

NO_NETWORK = r"""
import sys
def deny(event, args):
    if event.startswith("socket.") or event in ("http.client.connect",):
        raise RuntimeError(f"network use attempted: {event} {args!r}")
sys.addaudithook(deny)
from nqpf_text.pipeline import run
summary = run(sys.argv[1], sys.argv[2])
print(summary.documents)
"""


def nqpf(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nqpf_text.cli", *args], capture_output=True, text=True, env=env, **kw
    )


def digests(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".md", ".dta", ".xlsx"):
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_full_pipeline_runs_with_sockets_forbidden(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(demo_corpus()), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.strip()) >= 6
    assert (tmp_path / "out" / "report.html").is_file()


def test_outputs_are_identical_across_runs_and_hash_seeds(tmp_path):
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = nqpf("run", "--quiet", "--out", str(tmp_path / seed), env=env)
        assert proc.returncode == 0, proc.stderr[-2000:]
    first, second = digests(tmp_path / "0"), digests(tmp_path / "12345")
    assert first and first == second
    html = [(tmp_path / s / "report.html").read_text(encoding="utf-8").splitlines() for s in ("0", "12345")]
    differing = [a for a, b in zip(*html, strict=True) if a != b]
    assert len(differing) <= 1  # at most the generation timestamp


def _complete(out: Path) -> None:
    """Every output parses: CSVs have a header and rows of its width, the store opens."""
    import duckdb

    for path in (out / "tables").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows and all(len(r) == len(rows[0]) for r in rows), path
    con = duckdb.connect(str(out / "nqpf.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
    con.close()
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


@pytest.mark.shared
@pytest.mark.slow
def test_a_killed_run_leaves_no_truncated_output_and_the_next_run_completes(tmp_path, corpus_dir):
    out = tmp_path / "out"
    proc = nqpf("run", "--quiet", "--corpus", str(corpus_dir), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    _complete(out)
    before = digests(out)
    for delay in (0.5, 1.5, 3.0):
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nqpf_text.cli",
                "run",
                "--quiet",
                "--corpus",
                str(corpus_dir),
                "--out",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        # whatever the killed run reached, every output is either the old one or a whole new one
        assert digests(out) == before
    proc = nqpf("run", "--quiet", "--corpus", str(corpus_dir), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    _complete(out)
    assert digests(out) == before


JIEBA_CUT = (
    "from nqpf_text.segment import Segmenter; print('/'.join(Segmenter(backend='jieba').cut('南京市发展')))"
)


def test_read_only_home_degrades_to_no_cache_with_a_warning(tmp_path):
    home = tmp_path / "home"
    (home / ".cache").mkdir(parents=True)
    # the cache folder's path is taken by a file (as root, a read-only mode would not stop writes)
    (home / ".cache" / "nqpf_text").write_text("not a folder", encoding="utf-8")
    home.chmod(0o500)
    env = {k: v for k, v in os.environ.items() if k not in ("NQPF_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), TMPDIR=str(home / ".cache" / "nqpf_text"))
    try:
        proc = subprocess.run([sys.executable, "-c", JIEBA_CUT], capture_output=True, text=True, env=env)
    finally:
        home.chmod(0o700)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "南京市/发展"
    assert "no writable cache directory" in proc.stderr
    assert "Traceback" not in proc.stderr
