"""Linking real documents from ../shared: offsets hold and the reports address most indicators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nqpf_text.link import Framework, IndicatorLinker, attention_matrix, never_addressed
from nqpf_text.normalize import normalize_text
from nqpf_text.offsets import MappedText
from nqpf_text.segment import segment_document
from nqpf_text.types import Document

pytestmark = pytest.mark.shared


def _documents(folder: Path, pattern: str) -> list[Document]:
    docs = []
    for path in sorted(folder.glob(pattern)):
        text = normalize_text(re.sub(r"[ \t\u3000]+", "", path.read_text(encoding="utf-8")))
        docs.append(segment_document(Document(path.name, str(path), MappedText.identity(text), text)))
    return docs


@pytest.fixture(scope="module")
def reports(external_dir: Path) -> list[Document]:
    docs = _documents(external_dir / "gwr2025", "*.txt") + _documents(external_dir / "national", "*.txt")
    assert len(docs) >= 30
    return docs


def test_government_reports_link_with_exact_evidence(reports: list[Document]) -> None:
    fw = Framework.load("hqe21")
    linker = IndicatorLinker(fw).fit()
    statements = linker.link_documents(reports)
    by_doc = {d.doc: d for d in reports}
    for st in statements:
        text = by_doc[st.doc].text
        assert text[st.start : st.end] == st.text
        for link in st.links:
            assert 0.0 <= link.score <= 1.0
            for term, (s, e) in zip(link.evidence, link.spans, strict=True):
                assert text[s:e] == term
    # Work reports set targets for energy, carbon, R&D and forests: a linker that misses them is broken.
    missing = set(never_addressed(statements, fw)["id"])
    assert len(missing) <= 3, missing
    assert not {"E3.1", "E3.4", "T1.1", "Q1.3", "T2.2"} & missing
    share = attention_matrix(statements, reports, framework=fw, level="first")
    assert (share.sum(axis=1) > 0).all()
    # the national report's energy-intensity target is found with its own words as evidence
    national = [st for st in statements if st.doc.startswith("2024") and "单位国内生产总值能耗" in st.text]
    assert national and national[0].links[0].indicator == "E3.1"


def test_seed_paper_statements_link_to_their_own_framework(corpus_dir: Path) -> None:
    (doc,) = _documents(corpus_dir, "000_*.txt")
    linker = IndicatorLinker("elements5").fit()
    statements = linker.link_document(doc)
    linked = {link.indicator for st in statements for link in st.links}
    assert linked == {"labor", "means", "objects", "tech", "org"}
