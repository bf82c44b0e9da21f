"""Property tests: layout repair + normalization on generated mixed-script text keep a sound offset map."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nqpf_text.ingest import read_text
from nqpf_text.normalize import normalize_text

# Characters whose simplified form does not depend on their neighbours (no phrase-map or 著 context).
SAFE_HAN = "發展質產勞動新科技創業區國发展质产劳动新科技创业区国经济长三角数据"
WIDE = "ＡＢｃ１２３"
ARTIFACTS = ["①", "[1]", "［2］", "〔3〕", "— 45 —", "— 106", "—", "\uf06c", "29", "”2，", "刘 志 迎", "  "]

safe_piece = st.one_of(
    st.text(alphabet=SAFE_HAN, min_size=1, max_size=30),
    st.text(alphabet="abcXYZ019", min_size=1, max_size=6),
    st.sampled_from(["，", "。", "、", "：", " ", "\n", "\n\n", "\r\n", " \n", WIDE, "2.55 %", "1 月 31 日"]),
)
any_piece = st.one_of(safe_piece, st.sampled_from(ARTIFACTS), st.text(max_size=8))


def _check_maps(raw: str) -> list:
    docs = read_text(raw)
    for doc in docs:
        starts, ends = doc.mapped.starts, doc.mapped.ends
        assert len(starts) == len(doc.text) == len(ends)
        if len(starts):
            assert starts.min() >= 0 and ends.max() <= len(raw)
            assert (starts <= ends).all()
            assert (np.diff(starts) >= 0).all() and (np.diff(ends) >= 0).all()
        for footnote in doc.footnotes:
            assert 0 <= footnote.start <= len(doc.text)
            assert raw[footnote.raw_start : footnote.raw_end] == footnote.marker
    return docs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_piece, max_size=60).map("".join))
def test_any_text_repairs_without_error_and_maps_stay_sound(raw: str) -> None:
    _check_maps(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(safe_piece, min_size=1, max_size=80).map("".join))
def test_every_han_character_maps_to_the_raw_character_it_came_from(raw: str) -> None:
    for doc in _check_maps(raw):
        for i, ch in enumerate(doc.text):
            if "\u4e00" <= ch <= "\u9fff":
                source = doc.raw[doc.mapped.starts[i] : doc.mapped.ends[i]]
                assert normalize_text(source) == ch


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=SAFE_HAN + "，", min_size=10, max_size=40), min_size=6, max_size=20))
def test_hard_wrapped_paragraphs_lose_no_character(paragraphs: list[str]) -> None:
    """Wrap at 18 columns with doubled blank lines: joining gives back every character, in order."""
    lines = []
    for para in paragraphs:
        para = para + "。"
        chunks = [para[i : i + 18] for i in range(0, len(para), 18)]
        for chunk in chunks:
            lines += [chunk, ""]
    raw = "\n".join(lines)
    (doc,) = read_text(raw)
    assert doc.text.replace("\n", "") == normalize_text("".join(p + "。" for p in paragraphs))
