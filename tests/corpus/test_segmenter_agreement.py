"""rjieba is used for word-boundary checks when installed: measure how closely it agrees with jieba."""

from __future__ import annotations

import pytest

from nqpf_text.normalize import normalize_text
from nqpf_text.segment import Segmenter

pytest.importorskip("rjieba")


def _boundaries(seg: Segmenter, text: str) -> set[int]:
    return seg.boundaries(text)


@pytest.mark.shared
def test_rjieba_agrees_with_jieba_on_the_corpus(corpus_dir):
    raw = (corpus_dir / "001_e0edea38aaf4c3b6.txt").read_text(encoding="utf-8")
    text = normalize_text("".join(raw.split()))[:120_000]
    words = ["新质生产力", "全要素生产率", "战略性新兴产业", "粤港澳大湾区"]
    ref = _boundaries(Segmenter(words, backend="jieba"), text)
    fast = _boundaries(Segmenter(words, backend="rjieba"), text)
    agree = len(ref & fast)
    precision, recall = agree / len(fast), agree / len(ref)
    print(f"boundary agreement rjieba vs jieba: precision {precision:.4f}, recall {recall:.4f}")
    assert precision > 0.99 and recall > 0.99
