from __future__ import annotations

from nqpf_text.pipeline import text_document
from nqpf_text.segment import Segmenter, flag_boilerplate, split_sentences


def test_sentences_end_at_punctuation_and_paragraphs():
    text = "第一句。第二句！“引号。”后面\n新段落；最后"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句！", "“引号。”", "后面", "新段落；", "最后"]


def test_segmenter_keeps_user_words_whole_and_has_its_own_state():
    seg = Segmenter(["新质生产力"], backend="jieba")
    assert "新质生产力" in seg.cut("发展新质生产力")
    plain = Segmenter(backend="jieba")
    assert "新质生产力" not in plain.cut("发展新质生产力")  # no leak between instances


def test_boilerplate_flags_sentences_repeated_in_three_documents():
    shared = "新质生产力是创新起主导作用的先进生产力质态。"
    docs = [text_document(f"{shared}第{i}篇的独有内容在这里。", doc=f"d{i}") for i in range(3)]
    docs.append(text_document("只有一篇的内容不算样板。", doc="d3"))
    assert flag_boilerplate(docs) == 3
    assert [s.boilerplate for s in docs[0].sentences] == [True, False]
    assert not any(s.boilerplate for s in docs[3].sentences)
