"""Read one input file into text: plain text, Word and text-layer PDF, as users hold their speeches."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .decode import decode_bytes

__all__ = ["SUFFIXES", "TEXT_SUFFIXES", "Source", "read_source"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


@dataclass
class Source:
    """The decoded text of a file and how it was obtained."""

    text: str
    encoding: str
    sha256: str
    damage: list[tuple[int, str]] = field(default_factory=list)  # (byte offset, message)


def _read_bytes(path: Path) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError as err:
        kind = "dangling symbolic link" if path.is_symlink() else "file not found"
        raise InputError(path, f"cannot read: {kind}") from err
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from err
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "cannot read: not a regular file")
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from err


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _docx_text(path: Path, data: bytes) -> str:
    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several types for damaged packages
        raise InputError(path, f"not a readable .docx file ({type(err).__name__})") from err
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf_text(path: Path, data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF (a password is needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InputError(path, f"not a readable PDF ({type(err).__name__}: {err})") from err
    except Exception as err:  # encrypted files without the crypto extra, broken streams
        raise InputError(path, f"not a readable PDF ({type(err).__name__})") from err
    if not any(p.strip() for p in pages):
        raise InputError(path, "PDF has no text layer (scanned images?); OCR it first")
    return "\n\n".join(pages)


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read and decode ``path``; raise :class:`InputError` when it cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    data = _read_bytes(path)
    digest = _sha256(data)
    if suffix == ".docx":
        text = _docx_text(path, data)
        encoding = "docx"
    elif suffix == ".pdf":
        text = _pdf_text(path, data)
        encoding = "pdf"
    else:
        decoded = decode_bytes(data, path)
        return Source(decoded.text, decoded.encoding, digest, decoded.damage)
    if not text.strip():
        raise InputError(path, f"no text in this {suffix} file")
    return Source(text, encoding, digest)
