from __future__ import annotations

from pathlib import Path

import pytest

from nqpf_text.lexicon import Lexicon
from nqpf_text.tag import Tagger

REGIONS = """\
lexicon: regions
version: t
category: region
exclude: [北京时间, 东北亚]
org_suffixes: [大学, 日报]
entries:
  - {id: macro.west, name: 西部, level: macro, terms: [西部, 西部地区], context: {not_after_place: true}}
  - {id: macro.central, name: 中部, level: macro, terms: [中部], context: {not_after_place: true}}
  - {id: macro.east, name: 东部, level: macro, terms: [东部], context: {not_after_place: true}}
  - {id: combo.cw, name: 中西部, terms: [中西部], expands: [macro.central, macro.west]}
  - {id: "330000", name: 浙江省, level: province, parent: macro.east, terms: [浙江省, 浙江]}
  - {id: "360000", name: 江西省, level: province, parent: macro.central, terms: [江西省, 江西]}
  - {id: "110000", name: 北京市, level: province, parent: macro.east, terms: [北京市, 北京]}
  - {id: "370000", name: 山东省, level: province, parent: macro.east, terms: [山东省, 山东]}
  - {id: "320000", name: 江苏省, level: province, parent: macro.east, terms: [江苏省, 江苏]}
  - {id: "320100", name: 南京市, level: city, parent: "320000", terms: [南京市, 南京]}
  - {id: "150000", name: 内蒙古自治区, level: province, parent: macro.west, terms: [内蒙古自治区, 内蒙古]}
"""
DIMS = """\
lexicon: dimensions
version: t
category: dimension
entries:
  - {id: tech, terms: [科技, 科技创新]}
  - {id: labor, terms: [科技人才, 人才]}
  - {id: objects, terms: [{term: 数据要素, multi: true}]}
  - {id: means, terms: [{term: 数据要素, multi: true}, {pattern: "新型?生产工具"}]}
"""


@pytest.fixture(scope="module")
def tagger(tmp_path_factory) -> Tagger:
    folder: Path = tmp_path_factory.mktemp("lex")
    (folder / "r.yaml").write_text(REGIONS, encoding="utf-8")
    (folder / "d.yaml").write_text(DIMS, encoding="utf-8")
    return Tagger([Lexicon.from_yaml(folder / "r.yaml"), Lexicon.from_yaml(folder / "d.yaml")], backend="jieba")


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
