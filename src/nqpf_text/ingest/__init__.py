"""Corpus ingestion: files → decoded text → layout repair → documents with metadata and offset maps.

``read_corpus`` reads a folder (``.txt``/``.md`` in any common Chinese encoding, ``.docx``, text-layer
``.pdf``), skipping unusable files with a reason; ``read_file`` reads one file. Each
:class:`~nqpf_text.types.Document` holds the normalized text mapped to the characters of the decoded
source file.
"""

from __future__ import annotations

from .corpus import DOCUMENT_COLUMNS, IngestResult, read_corpus, read_file, read_text
from .decode import Decoded, decode_bytes
from .layout import repair
from .manifest import Manifest, load_manifest

__all__ = [
    "DOCUMENT_COLUMNS",
    "Decoded",
    "IngestResult",
    "Manifest",
    "decode_bytes",
    "load_manifest",
    "read_corpus",
    "read_file",
    "read_text",
    "repair",
]
