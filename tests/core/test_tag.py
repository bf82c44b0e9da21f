from __future__ import annotations

from pathlib import Path

import pytest

from nqpf_text.lexicon import Lexicon
from nqpf_text.tag import Tagger


@pytest.fixture(scope="module")
def tagger(toy_lexicons: list[Path]) -> Tagger:
    return Tagger([Lexicon.from_yaml(p) for p in toy_lexicons], backend="jieba")


def ids(tagger: Tagger, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in tagger.tag_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("浙江西部", [("浙江", "330000")]),
        ("集中部署", []),
        ("北京时间八点", []),
        ("东北亚合作", []),
        ("山东部分地区", [("山东", "370000")]),
        ("江苏南部", [("江苏", "320000")]),
        ("内蒙古东部地区", [("内蒙古", "150000")]),
        ("中西部地区", [("中西部", "macro.central"), ("中西部", "macro.west")]),
        ("科技人才队伍", [("科技人才", "labor")]),
        ("科技创新和人才", [("科技创新", "tech"), ("人才", "labor")]),
        ("数据要素市场", [("数据要素", "objects"), ("数据要素", "means")]),
        ("新型生产工具", [("新型生产工具", "means")]),
    ],
)
def test_traps(tagger, text, expected):
    assert ids(tagger, text) == expected


def test_org_role_and_rollups(tagger):
    found = tagger.tag_text("北京大学和南京日报，南京市发展")
    assert [(m.text, m.role) for m in found] == [("北京", "org"), ("南京", "org"), ("南京市", "place")]
    assert (found[2].province, found[2].macro) == ("320000", "macro.east")


def test_offsets_index_normalized_text_and_traditional_tags_the_same(tagger):
    simp = tagger.tag_text("江西省科技创新")
    trad = tagger.tag_text("江西省科技創新")
    assert [(m.start, m.end, m.id) for m in simp] == [(m.start, m.end, m.id) for m in trad]
    assert all(m.text == "江西省科技创新"[m.start : m.end] for m in trad)
