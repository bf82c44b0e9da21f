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


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def _stream(data: bytes, head: bytes = b"") -> bytes:
    return b"<< %s/Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream"


def text_pdf(text: str, to_unicode: bytes | None = None) -> bytes:
    """A one-page PDF whose text layer says ``text`` (ASCII), optionally with a ToUnicode map."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s >>" % (
        b" /ToUnicode 6 0 R" if to_unicode else b""
    )
    objects = [
        *_CATALOG,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")),
        font,
    ]
    if to_unicode:
        objects.append(_stream(to_unicode))
    return _pdf(objects)


def image_pdf() -> bytes:
    """A one-page PDF holding a picture and no text (a scan)."""
    pixels = bytes([200, 30, 30] * 16)
    return _pdf(
        [
            *_CATALOG,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"q 200 0 0 200 72 500 cm /Im1 Do Q"),
            _stream(
                pixels,
                b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceRGB /BitsPerComponent 8 ",
            ),
        ]
    )


@pytest.fixture(scope="session")
def pdfs() -> dict[str, Callable[..., bytes]]:
    """PDF builders, generated at test time: text layer, image only, ToUnicode map."""
    return {"text": text_pdf, "image": image_pdf}
