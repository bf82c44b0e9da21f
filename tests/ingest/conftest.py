"""Fixtures of the ingestion tests: the seed corpus read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqpf_text.ingest import IngestResult, read_corpus


@pytest.fixture(scope="session")
def seed_ingest(corpus_dir: Path) -> IngestResult:
    return read_corpus(corpus_dir)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "corpus" / "demo"
