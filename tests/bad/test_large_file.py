"""A 200 MB single-line text file: skipped by its size before it is read, while an 8 MB single-line file
beside it is ingested whole.

Measured before the size limit existed: ingestion holds about 40-110 bytes per character of one
file, so 60 MB of Chinese took 20 s and 1.9 GB, and 200 MB would need several GB and minutes. The
peak memory of the run with the 200 MB file is compared with the same run without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SENTENCE = "北京推动科技创新和产业创新深度融合，培育人工智能等未来产业。"
PEAK = """
import json, resource, sys
from nqpf_text.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _single_line(path: Path, megabytes: int) -> int:
    """Write one line of repeated sentences, ``megabytes`` MB or a little more; return its characters."""
    block = (SENTENCE * 4096).encode("utf-8")
    repeats = -(-megabytes * 2**20 // len(block))
    with open(path, "wb") as fh:
        for _ in range(repeats):
            fh.write(block)
    return repeats * 4096 * len(SENTENCE)


def _ingest(corpus: Path, out: Path) -> tuple[dict, str]:
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, "ingest", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


@pytest.mark.slow
def test_200_mb_single_line_file_is_skipped_unread_and_the_rest_is_ingested(
    make_corpus, read_store, good_docs, tmp_path
):
    corpus = make_corpus()
    chars = _single_line(corpus / "eight_mb.txt", 8)
    baseline, _ = _ingest(corpus, tmp_path / "before")
    assert baseline["code"] == 0

    _single_line(corpus / "huge.txt", 200)
    size_mb = (corpus / "huge.txt").stat().st_size / 2**20
    assert 200 <= size_mb < 201
    result, stderr = _ingest(corpus, tmp_path / "out")
    line = [ln for ln in stderr.splitlines() if "huge.txt" in ln]
    assert line == [
        f"nqpf: skipped: {corpus}/huge.txt: file is 200 MB, over the 32 MB limit for one input file; "
        "split it into smaller files (or set NQPF_MAX_FILE_MB)"
    ]
    assert result["code"] == 3
    store = read_store(tmp_path / "out")
    assert set(store.documents) == good_docs(corpus) | {f"{corpus}/eight_mb.txt"}
    assert store.documents[f"{corpus}/eight_mb.txt"]["chars"] == chars  # the long line, whole
    assert store.skipped[f"{corpus}/huge.txt"].startswith("file is 200 MB")
    assert result["peak_kb"] - baseline["peak_kb"] < 100 * 1024  # the 200 MB were never read
