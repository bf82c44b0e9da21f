"""Where the shipped data lives: inside the installed package, or at the checkout root when editable."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["data_path", "demo_corpus", "lexicon_dir", "manifest_path"]

_PKG = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.exists():
            return path
    return candidates[0]


@cache
def lexicon_dir() -> Path:
    """Folder of the shipped YAML lexicons (``frameworks/`` inside it)."""
    return _first_existing(_PKG / "lexicons", _PKG.parents[1] / "lexicons")


@cache
def demo_corpus() -> Path:
    """The demo corpus that ``nqpf run`` uses when no ``--corpus`` is given."""
    return _first_existing(_PKG / "corpus" / "demo", _PKG.parents[1] / "corpus" / "demo")


@cache
def manifest_path() -> Path:
    return _first_existing(_PKG / "corpus" / "manifest.yaml", _PKG.parents[1] / "corpus" / "manifest.yaml")


def data_path(name: str) -> Path:
    """A file shipped in ``nqpf_text/data`` (sample panels)."""
    return _PKG / "data" / name
