"""Read one input file into text: plain text, Word and text-layer PDF, as users hold their speeches."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .decode import decode_bytes

__all__ = ["SUFFIXES", "TEXT_SUFFIXES", "Source", "read_source"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}
# Ingestion holds about 40-110 bytes per character of one file (offset maps, sentences, tables), so a
# 200 MB text would need many GB; files over these sizes are skipped with a reason, never read.
MAX_TEXT_MB = 32  # a .txt/.md file (the largest speech compilation we know is under 1 MB)
MAX_PACKAGE_MB = 256  # a .docx/.pdf file, images included; also the unpacked size of a .docx
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_DOCX = (
    (b"PK", None),
    (b"\xd0\xcf\x11\xe0", "an old binary Word .doc"),
    (b"{\\rtf", "RTF"),
    (b"%PDF", "a PDF"),
)


@dataclass
class Source:
    """The decoded text of a file and how it was obtained."""

    text: str
    encoding: str
    sha256: str
    damage: list[tuple[int, str]] = field(default_factory=list)  # (byte offset, message)


def _limit_mb(suffix: str) -> float:
    """Size limit of one input file; ``NQPF_MAX_FILE_MB`` raises (or lowers) it for every format."""
    given = os.environ.get("NQPF_MAX_FILE_MB", "").strip()
    try:
        return float(given) if given else (MAX_TEXT_MB if suffix in TEXT_SUFFIXES else MAX_PACKAGE_MB)
    except ValueError:
        raise InputError("NQPF_MAX_FILE_MB", f"must be a number of megabytes; got {given!r}") from None


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
    limit = _limit_mb(path.suffix.lower())
    if st.st_size > limit * 2**20:
        raise InputError(
            path,
            f"file is {st.st_size / 2**20:,.0f} MB, over the {limit:g} MB limit for one input file; "
            "split it into smaller files (or set NQPF_MAX_FILE_MB)",
        )
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from err


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _check_docx_package(path: Path, data: bytes) -> None:
    """Name what a .docx really is when it is not a ZIP package, and refuse ZIP bombs."""
    import io
    import zipfile

    if data.lstrip()[:1] == b"<":
        raise InputError(path, "not a .docx file: it holds HTML/XML text (a web page saved as .docx?)")
    for magic, what in _NOT_DOCX:
        if data.startswith(magic):
            if what is None:
                break
            raise InputError(path, f"not a .docx file: it holds {what}")
    else:
        raise InputError(path, "not a .docx file (no ZIP package)")
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputError(path, f"not a readable .docx file ({type(err).__name__})") from err
    limit = _limit_mb(".docx")
    if unpacked > limit * 2**20:
        raise InputError(path, f".docx unpacks to {unpacked / 2**20:,.0f} MB, over the {limit:g} MB limit")


def _docx_text(path: Path, data: bytes) -> str:
    import io

    import docx

    _check_docx_package(path, data)
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


def _scrub_surrogates(text: str) -> str:
    """Join surrogate pairs and replace lone surrogates (a PDF's ToUnicode map can produce them),
    which no later stage can encode."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


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
    clean = _scrub_surrogates(text)
    damage = []
    if clean != text:
        bad = clean.count("\ufffd") - text.count("\ufffd")
        damage.append(
            (0, f"{bad} character(s) of the {suffix} text were invalid Unicode; replaced with U+FFFD")
        )
    return Source(clean, encoding, digest, damage)
