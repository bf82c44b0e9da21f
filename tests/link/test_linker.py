"""Linker behaviour: acceptance examples, evidence offsets, boilerplate, document views."""

from __future__ import annotations

import pandas as pd
import pytest

from nqpf_text.link import (
    Framework,
    IndicatorLinker,
    attention_matrix,
    never_addressed,
    region_indicator_table,
    rollup,
    statements_frame,
)
from nqpf_text.normalize import normalize_text
from nqpf_text.offsets import MappedText
from nqpf_text.segment import segment_document
from nqpf_text.types import Document, Sentence

TEXT = (
    "今年单位国内生产总值能耗降低2.5%左右。"
    "江苏加大基础研究投入，提高研发经费占GDP比重。"
    "机关党委召开党建工作专题学习会，深入学习贯彻全会精神。"
    "广东森林覆盖率稳定在58%以上，建成区绿化覆盖率达到43%。"
    "新质生产力是创新起主导作用的先进生产力质态。"
)


@pytest.fixture(scope="module")
def hqe21() -> Framework:
    return Framework.load("hqe21")


@pytest.fixture(scope="module")
def linker(hqe21: Framework) -> IndicatorLinker:
    return IndicatorLinker(hqe21).fit()


def _top(linker: IndicatorLinker, text: str) -> list[str]:
    statements = linker.link(normalize_text(text))
    return [link.indicator for st in statements for link in st.links]


def test_acceptance_examples(linker: IndicatorLinker) -> None:
    assert _top(linker, "单位国内生产总值能耗降低2.5%左右")[0] == "E3.1"
    assert _top(linker, "加大基础研究投入，提高研发经费占GDP比重")[0] == "T1.1"
    assert _top(linker, "机关党委召开党建工作专题学习会，组织党员干部集中学习。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("万元地区生产总值消耗的标准煤持续减少。", "E3.1"),
        ("腾出存量用能空间。", "E3.1"),
        ("积极稳妥推进碳达峰碳中和。", "E3.4"),
        ("全社会研究与试验发展经费支出增长8%。", "T1.1"),
        ("推动科技成果就地转化。", "T2.2"),
        ("劳动年龄人口平均受教育年限达到11年。", "Q2.1"),
        ("新建提升口袋公园80个。", "Q1.2"),
    ],
)
def test_paraphrases_without_indicator_names(linker: IndicatorLinker, text: str, expected: str) -> None:
    assert _top(linker, text)[:1] == [expected]


@pytest.mark.parametrize(
    "text",
    ["以全要素生产率大幅提升为核心标志。", "新增国家级专精特新“小巨人”企业120家。", "扎实推进高质量发展。"],
)
def test_slogans_measures_and_honours_link_to_nothing(linker: IndicatorLinker, text: str) -> None:
    assert _top(linker, text) == []


def test_scores_are_calibrated_and_sorted(linker: IndicatorLinker) -> None:
    scores = linker.scores("能耗强度、碳排放强度持续下降，主要污染物排放量减少。")
    assert set(scores) == set(linker.framework_.ids)
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    (st,) = linker.link("能耗强度、碳排放强度持续下降，主要污染物排放量减少。")
    values = [link.score for link in st.links]
    assert values == sorted(values, reverse=True)
    assert {link.indicator for link in st.links} == {"E3.1", "E3.4", "E3.3"}
    assert all(v >= linker.threshold_ for v in values)


def test_top_k_caps_links(hqe21: Framework) -> None:
    text = "研发投入强度提高，发明专利增加，技术合同成交额增长，森林覆盖率提高，碳排放下降。"
    full = IndicatorLinker(hqe21, top_k=5).link(text)[0].links
    one = IndicatorLinker(hqe21, top_k=1).link(text)[0].links
    assert len(full) == 5
    assert [link.indicator for link in one] == [full[0].indicator]


def test_bad_parameters_raise(hqe21: Framework) -> None:
    with pytest.raises(ValueError, match="top_k"):
        IndicatorLinker(hqe21, top_k=0).fit()
    with pytest.raises(ValueError, match="threshold"):
        IndicatorLinker(hqe21, threshold=1.5).fit()


def _document(text: str, doc: str = "a.txt") -> Document:
    return segment_document(Document(doc=doc, source=doc, mapped=MappedText.identity(text), raw=text))


def test_evidence_occurs_at_its_document_offsets(linker: IndicatorLinker) -> None:
    document = _document("前言。\n" + TEXT)
    statements = linker.link_document(document)
    assert statements
    for st in statements:
        assert document.text[st.start : st.end] == st.text
        for link in st.links:
            assert len(link.evidence) == len(link.spans) >= 1
            for term, (s, e) in zip(link.evidence, link.spans, strict=True):
                assert document.text[s:e] == term
                assert st.start <= s < e <= st.end


def test_boilerplate_is_linked_and_flagged(linker: IndicatorLinker) -> None:
    document = _document(TEXT)
    document.sentences = [
        Sentence(s.index, s.start, s.end, s.paragraph, boilerplate=(i == 0))
        for i, s in enumerate(document.sentences)
    ]
    statements = linker.link_document(document)
    flagged = [st for st in statements if st.boilerplate]
    assert [st.statement for st in flagged] == [0]
    assert flagged[0].links[0].indicator == "E3.1"


def test_views(linker: IndicatorLinker, hqe21: Framework) -> None:
    docs = [_document(TEXT, "a.txt"), _document("单位GDP能耗下降3%。森林覆盖率提高。", "b.txt")]
    statements = linker.link_documents(docs)
    frame = statements_frame(statements)
    assert list(frame.columns[:4]) == ["doc", "statement", "start", "end"]
    assert len(frame) == sum(len(st.links) for st in statements)

    share = attention_matrix(statements, docs, framework=hqe21)
    assert list(share.columns) == hqe21.ids
    assert share.loc["b.txt", "E3.1"] == pytest.approx(1 / 2)
    assert share.loc["a.txt", "E3.1"] == pytest.approx(1 / len(docs[0].sentences))
    per10k = attention_matrix(statements, docs, framework=hqe21, measure="per_10k")
    assert per10k.loc["b.txt", "Q1.3"] == pytest.approx(10_000 / len(docs[1].text))

    first = attention_matrix(statements, docs, framework=hqe21, level="first", measure="statements")
    assert list(first.columns) == ["T", "E", "Q"]
    # a.txt: sentence 3 links to Q1.3 and Q1.2 — one statement at the first level
    assert first.loc["a.txt", "Q"] == 1
    second = rollup(statements, hqe21, "second")
    assert second.set_index("id").loc["Q1", "links"] == 3

    missing = never_addressed(statements, hqe21)
    linked = {link.indicator for st in statements for link in st.links}
    assert set(missing["id"]) == set(hqe21.ids) - linked
    assert "T3.3" in set(missing["id"])


def test_region_indicator_table(linker: IndicatorLinker) -> None:
    document = _document(TEXT)
    statements = linker.link_document(document)
    text = document.text
    mentions = pd.DataFrame(
        [
            {"doc": "a.txt", "start": text.index("江苏"), "end": text.index("江苏") + 2, "category": "region",
             "id": "320000", "role": "place"},
            {"doc": "a.txt", "start": text.index("广东"), "end": text.index("广东") + 2, "category": "region",
             "id": "440000", "role": "place"},
            {"doc": "a.txt", "start": text.index("能耗"), "end": text.index("能耗") + 2, "category": "dimension",
             "id": "tech"},
        ]
    )  # fmt: skip
    table = region_indicator_table(statements, mentions)
    pairs = {(r.region, r.indicator) for r in table.itertuples()}
    assert ("320000", "T1.1") in pairs
    assert {("440000", "Q1.3"), ("440000", "Q1.2")} <= pairs
    assert not any(r == "320000" and i.startswith("Q") for r, i in pairs)
    assert "tech" not in set(table["region"])
