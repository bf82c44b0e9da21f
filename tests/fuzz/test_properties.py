"""Property and fuzz tests: decoding, layout repair, normalization and matching never raise on any
input, keep every offset inside the text, and keep the raw↔normalized map monotonic.

Example counts are modest (the whole module runs in a few seconds); the strategies mix arbitrary
Unicode with the characters the stages treat specially (wraps, page numbers, footnote markers,
full-width forms, traditional characters, the phrase map).
"""

from __future__ import annotations

import codecs
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nqpf_text.errors import InputError
from nqpf_text.ingest import decode_bytes, read_text, repair
from nqpf_text.match import TermIndex, leftmost_longest
from nqpf_text.normalize import PHRASES, normalize, normalize_text
from nqpf_text.offsets import MappedText

FAST = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

SPECIAL = [
    "\n", "\n\n", "\r\n", " ", "\u3000", "。", "，", "“", "”", "—", "— 12 —", "①", "[1]", "［2］", "〔3〕",
    "\uf06c", "１２３", "ＡＢｃ", "發展", "質量", "著", "顯著", "資訊", "數位", "晶片", "衞", "綫",
    "新质生产力", "科技创新", "北京", "江苏", "\ufffd", "\x00", "\u200b", "\ufeff", "é", "𠀀",
    *PHRASES, *[normalize_text(p) for p in ("資訊科技", "人工智慧", "高品質發展")],
]  # fmt: skip
piece = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(SPECIAL),
    st.text(alphabet="發展新質生產力國科技創業區经济长三角數據著顯", min_size=1, max_size=10),
)
texts = st.lists(piece, max_size=25).map("".join)


def assert_sound_map(mapped: MappedText, raw_len: int) -> None:
    """One span per character, inside the raw text, never running backwards."""
    starts, ends = mapped.starts, mapped.ends
    assert len(starts) == len(ends) == len(mapped.text)
    if len(starts):
        assert starts.min() >= 0 and ends.max() <= raw_len
        assert (starts <= ends).all()
        assert (np.diff(starts) >= 0).all() and (np.diff(ends) >= 0).all()


@FAST
@given(st.binary(max_size=600))
def test_decode_bytes_never_raises_anything_but_input_error(data):
    try:
        decoded = decode_bytes(data, "x.txt")
    except InputError as err:
        assert str(err).startswith("x.txt") and "\n" not in str(err)
        return
    assert decoded.text and "\x00" not in decoded.text
    assert all(0 <= offset <= len(data) for offset, _ in decoded.damage)


prose = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"), max_size=12),
        st.sampled_from([p for p in SPECIAL if p not in ("\x00", "\ufeff")]),
    ),
    max_size=25,
).map("".join)
BOMS = {
    "utf-8": b"",
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


@FAST
@given(prose, st.sampled_from(sorted(BOMS)))
def test_utf8_and_marked_utf16_text_decodes_back_exactly(text, codec):
    if not text.strip(" \t\r\n\u3000\u200b"):
        return
    data = BOMS[codec] + text.encode(codec.replace("-sig", ""))
    if codec == "utf-8" and not text.strip(" \t\r\n"):
        return
    try:
        decoded = decode_bytes(data, "x.txt")
    except InputError as err:  # only text that is nothing but blanks may be refused
        assert "whitespace" in str(err) or "empty" in str(err), err
        return
    assert decoded.text == text and decoded.damage == []


SIMPLIFIED = (
    "发展新质生产力要因地制宜江苏加快建设现代化产业体系研发投入强度持续提高北京推动科技创新和深度融合"
)


@FAST
@given(st.text(alphabet=SIMPLIFIED + "，。、：；（）“”0123456789 \n", min_size=24, max_size=200))
def test_simplified_prose_in_gbk_decodes_back_exactly(text):
    if sum("\u4e00" <= ch <= "\u9fff" for ch in text) < 12:
        return  # a handful of characters can be valid in several codecs; files are longer
    decoded = decode_bytes(text.encode("gbk"), "x.txt")
    assert decoded.text == text and decoded.encoding in ("gbk", "gb18030")


@FAST
@given(texts)
def test_layout_repair_never_raises_and_maps_into_the_raw_text(raw):
    repaired = repair(raw)
    assert_sound_map(repaired.mapped, len(raw))
    for mark in repaired.marks:
        assert 0 <= mark.raw_start <= mark.raw_end <= len(raw)


@FAST
@given(texts)
def test_normalization_keeps_a_monotonic_map_and_is_idempotent(raw):
    mapped = normalize(MappedText.identity(raw))
    assert_sound_map(mapped, len(raw))
    assert normalize_text(mapped.text) == mapped.text


@pytest.mark.parametrize(
    "text", ["经营运行", "国营运输企业", "加强运营运维", "营运营运", "大多数位于", "软体动物"]
)
def test_phrase_map_leaves_mainland_words_alone(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == text


def test_opencc_chains_are_followed_to_a_fixed_point():
    """t2s maps 薴 → 苧 and 苧 → 苎 (the one chain found by scanning every CJK character)."""
    assert normalize_text("薴") == normalize_text("苧") == "苎"


@FAST
@given(texts)
def test_documents_of_any_text_have_sound_maps(raw):
    for doc in read_text(raw):
        assert_sound_map(doc.mapped, len(raw))
        assert doc.text.strip() == doc.text and doc.text


TERMS = ["新质生产力", "生产力", "科技", "科技创新", "创新", "北京", "京津冀", "数据", "数据要素", "a", "ab"]


@FAST
@given(st.lists(st.one_of(st.sampled_from(TERMS), piece), max_size=20).map("".join))
def test_term_index_finds_exactly_the_occurrences(text):
    index = TermIndex((t, t) for t in TERMS)
    hits = index.find_all(text)
    expected = sorted(
        (i, i + len(t)) for t in TERMS for i in range(len(text) - len(t) + 1) if text.startswith(t, i)
    )
    assert sorted((h.start, h.end) for h in hits) == expected
    for hit in hits:
        assert text[hit.start : hit.end] == hit.term == hit.payloads[0]
    kept = leftmost_longest(hits)
    assert all(a.end <= b.start for a, b in itertools.pairwise(kept))


TOY = """\
lexicon: toy
version: t
category: dimension
org_suffixes: [大学]
entries:
  - {id: tech, terms: [科技, 科技创新, 创新]}
  - {id: labor, terms: [人才, 科技人才]}
  - {id: objects, terms: [{term: 数据要素, multi: true}]}
  - {id: means, terms: [{term: 数据要素, multi: true}], patterns: ['新型?生产工具']}
  - {id: org, terms: [{term: 链主, boundary: true}, 产业链]}
"""


@pytest.fixture(scope="module")
def tagger(tmp_path_factory):
    from nqpf_text.lexicon import Lexicon
    from nqpf_text.tag import Tagger

    path = tmp_path_factory.mktemp("toy") / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return Tagger([Lexicon.from_yaml(path)])


WORDS = [
    "科技",
    "科技创新",
    "科技人才",
    "人才",
    "数据要素",
    "新型生产工具",
    "生产工具",
    "链主",
    "产业链",
    "大学",
]


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.one_of(st.sampled_from(WORDS), piece), max_size=20).map("".join))
def test_tagger_mentions_are_spans_of_the_text_in_order(tagger, raw):
    text = normalize_text(raw)
    mentions = tagger.match(text)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    spans = sorted({(m.start, m.end) for m in mentions})
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # leftmost-longest: no overlaps
    if "科技创新" in text:
        assert any(
            m.text in ("科技创新", "科技人才") or "科技创新" in text[m.start : m.end + 2] for m in mentions
        )
