"""Toy lexicons for the tagger tests: small, written here, independent of the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def toy_lexicons(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("toy_lexicons")
    paths = [folder / "regions.yaml", folder / "dimensions.yaml"]
    paths[0].write_text(REGIONS, encoding="utf-8")
    paths[1].write_text(DIMS, encoding="utf-8")
    return paths
