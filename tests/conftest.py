"""Shared fixtures. Tests marked ``shared`` read ../shared; without it they skip, unless
NQPF_REQUIRE_SHARED=1 (set by .ci/run), which turns that skip into a failure."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NQPF_SHARED", ROOT.parent / "shared"))


def _require_shared() -> Path:
    if SHARED.is_dir() and (SHARED / "corpus").is_dir():
        return SHARED
    message = f"../shared not found at {SHARED}"
    if os.environ.get("NQPF_REQUIRE_SHARED") == "1":
        pytest.fail(message + " (NQPF_REQUIRE_SHARED=1 forbids skipping)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def external_dir(shared_dir: Path) -> Path:
    return shared_dir / "external"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test marked ``shared`` gets the check even if it forgot to ask for the fixture.
    for item in items:
        if item.get_closest_marker("shared") and "shared_dir" not in getattr(item, "fixturenames", ()):
            item.fixturenames.append("shared_dir")


# --------------------------------------------------------------------------- PDFs written by hand


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
