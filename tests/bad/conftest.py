"""Helpers of the bad-input suite, as fixtures: run ``nqpf`` in-process, build corpora, read the store.

Every case drives the command a user would run and checks three things: the one stderr line that
names the file (and the place in it), the exit status, and that the good inputs beside the bad one
still reached the store or the output.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nqpf_text.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
GOOD = ("good_a.txt", "good_b.txt")


@dataclass(frozen=True)
class Run:
    """What one ``nqpf`` invocation left: exit status, stdout, stderr lines."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()

    def line(self, needle: str) -> str:
        """The single stderr line containing ``needle`` (a file name): one line, no traceback."""
        found = [ln for ln in self.lines if needle in ln]
        assert len(found) == 1, f"expected one line naming {needle!r}:\n{self.stderr}"
        return found[0]


@pytest.fixture(scope="session")
def bad_dir() -> Path:
    return FIXTURES


@pytest.fixture
def nqpf() -> Callable[..., Run]:
    """``nqpf(*args)`` through the Typer app; a Python traceback or stray exception fails the test."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Run:
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"nqpf {args} raised {result.exception!r}\n{result.stderr}")
        assert "Traceback" not in result.stderr, result.stderr
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def nqpf_process() -> Callable[..., Run]:
    """``nqpf(*args)`` in a subprocess, for cases that could hang (a FIFO opened for reading waits for
    a writer forever): a hang fails the test with its arguments instead of stopping the suite."""
    import subprocess
    import sys

    def invoke(*args: str | Path) -> Run:
        argv = [sys.executable, "-m", "nqpf_text.cli", *map(str, args)]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"nqpf {' '.join(map(str, args))} hung (blocked on an input?)")
        assert "Traceback" not in proc.stderr, proc.stderr
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return invoke


@pytest.fixture
def make_corpus(tmp_path: Path, bad_dir: Path) -> Callable[..., Path]:
    """A corpus folder holding the two good files plus the given extras.

    Extras are fixture names under ``files/`` or ``(name, bytes)`` pairs; ``manifest`` is a fixture
    name under ``manifests/`` copied to ``manifest.yaml``.
    """

    def make(*extras: str | tuple[str, bytes], manifest: str | None = None) -> Path:
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        for name in GOOD:
            shutil.copy(bad_dir / "corpus" / name, corpus / name)
        for extra in extras:
            if isinstance(extra, tuple):
                (corpus / extra[0]).write_bytes(extra[1])
            else:
                shutil.copy(bad_dir / "files" / extra, corpus / extra)
        if manifest is not None:
            shutil.copy(bad_dir / "manifests" / manifest, corpus / "manifest.yaml")
        return corpus

    return make


@dataclass(frozen=True)
class Store:
    """The tables of ``nqpf.duckdb`` a bad-input case looks at."""

    documents: dict[str, dict]
    skipped: dict[str, str]
    warnings: list[tuple[str, str, str]]


@pytest.fixture
def read_store() -> Callable[[Path], Store]:
    def read(out: Path) -> Store:
        import duckdb

        con = duckdb.connect(str(out / "nqpf.duckdb"), read_only=True)
        try:
            docs = con.execute("select * from documents").df().to_dict("records")
            skipped = con.execute("select file, reason from skipped").fetchall()
            warnings = con.execute("select file, place, message from warnings").fetchall()
        finally:
            con.close()
        return Store({d["doc"]: d for d in docs}, dict(skipped), [tuple(w) for w in warnings])

    return read


@pytest.fixture
def good_docs() -> Callable[[Path], set[str]]:
    """Document names the good files of a corpus get (``CORPUS/good_a.txt`` …)."""
    return lambda corpus: {f"{corpus}/{name}" for name in GOOD}


@pytest.fixture(scope="session")
def good_text(bad_dir: Path) -> dict[str, str]:
    return {name: (bad_dir / "corpus" / name).read_text(encoding="utf-8").strip() for name in GOOD}
