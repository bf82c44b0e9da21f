"""Framework files: the shipped ones match the contract, and bad files fail with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqpf_text.errors import InputError
from nqpf_text.link import Framework, IndicatorLinker, framework_names

# The contract's hqe21 table: id, 二级, 三级, measure, direction.
CONTRACT_HQE21 = """
T1.1|创新投入|研发经费投入|规模以上工业企业R&D经费/GDP|+
T1.2|创新投入|教育经费投入|教育支出/地方一般预算支出|+
T2.1|创新产出|新产品销售收入|规上工业企业新产品销售收入|+
T2.2|创新产出|技术成果转化能力|技术市场成交额|+
T2.3|创新产出|高价值专利占比|国内发明专利申请授权量|+
T3.1|数智化水平|人工智能企业|人工智能企业数量|+
T3.2|数智化水平|互联网接入端口数|互联网接入端口个数|+
T3.3|数智化水平|移动电话普及率|移动电话普及率|+
E1.1|产业升级|产业结构高级化|第三产业增加值/第二产业增加值|+
E2.1|经济效能|劳动生产率|GDP/就业人员数|+
E2.2|经济效能|资本生产率|GDP/资本存量|+
E3.1|节能减排|能源强度|能源消费量/GDP|-
E3.2|节能减排|用水强度|工业用水量/GDP|-
E3.3|节能减排|硫排放强度|二氧化硫排放量/GDP|-
E3.4|节能减排|碳排放强度|二氧化碳排放量/GDP|-
Q1.1|绿色发展|环境保护力度|环境保护支出/公共财政支出|+
Q1.2|绿色发展|城市绿化水平|建成区绿化覆盖率|+
Q1.3|绿色发展|碳汇能力|森林覆盖率|+
Q2.1|人力资本|教育规模|人均受教育年限|+
Q2.2|人力资本|教育结构|高等教育人数占比|+
Q2.3|人力资本|科研能力|规上工业企业R&D人员全时当量|+
"""

GOOD = """\
framework: mini
version: "1"
levels:
  - id: A
    name: 甲
    children:
      - {id: A1, name: 甲一}
indicators:
  - id: A1.1
    parent: A1
    name: 能源强度
    direction: "-"
    cues:
      - {term: 能耗, weight: 0.9}
      - {pattern: "单位.{0,4}能耗", weight: 1.0}
"""


def test_shipped_frameworks_load() -> None:
    assert {"hqe21", "elements5"} <= set(framework_names())
    for name in ("hqe21", "elements5"):
        fw = Framework.load(name)
        assert fw.name == name
        assert all(leaf.cues for leaf in fw.indicators)


def test_hqe21_matches_contract_table() -> None:
    fw = Framework.load("hqe21")
    rows = [line.split("|") for line in CONTRACT_HQE21.strip().splitlines()]
    assert fw.ids == [r[0] for r in rows]
    for iid, second, third, measure, direction in rows:
        leaf = fw.indicator(iid)
        assert (leaf.name, leaf.measure, leaf.direction) == (third, measure, direction)
        assert fw.label(fw.group_of(iid, "second")) == second
        assert fw.group_of(iid, "second") == iid.split(".")[0]
        assert fw.group_of(iid, "first") == iid[0]
    assert [fw.label(x) for x in fw.level_ids("first")] == ["高科技", "高效能", "高质量"]


def test_elements5_leaves_are_contract_dimensions() -> None:
    fw = Framework.load("elements5")
    assert fw.ids == ["labor", "means", "objects", "tech", "org"]
    for leaf in fw.indicators:
        assert leaf.components, leaf.id
        assert all(c["id"].startswith(leaf.id + ".") for c in leaf.components)


def test_user_framework_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(GOOD, encoding="utf-8")
    fw = Framework.load(path)
    assert fw.directions == {"A1.1": "-"}
    (st,) = IndicatorLinker(fw).link("单位产值能耗下降。")
    assert st.links[0].indicator == "A1.1"


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("weight: 0.9}", "weight: 1.5}", 14, "weight must be a number in (0, 1]"),
        ('"单位.{0,4}能耗"', '"单位(能耗"', 15, "invalid regular expression"),
        ("    parent: A1\n", "    parent: B9\n", 10, "parent 'B9' is not a level node"),
        ('    direction: "-"\n', "    direction: down\n", 12, "direction must be"),
        ("    name: 能源强度\n", "    name: 能源强度\n    weights: 2\n", 12, "unknown key 'weights'"),
        (
            "      - {term: 能耗, weight: 0.9}\n",
            "      - {weight: 0.9}\n",
            14,
            "exactly one of 'term' or 'pattern'",
        ),
        ("indicators:\n", "indicators: [\n", 9, "invalid YAML"),
    ],
)
def test_invalid_framework_names_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in GOOD
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        Framework.load(path)
    err = info.value
    assert err.path == str(path)
    assert message in err.detail
    assert err.place == f"line {line}", str(err)
    assert str(err).startswith(f"{path}:line {line}: ")


def test_duplicate_leaf_id_is_located(tmp_path: Path) -> None:
    text = GOOD + "  - id: A1.1\n    parent: A1\n    name: 重复\n    cues: [能源]\n"
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"line 16: duplicate id 'A1.1'"):
        Framework.load(path)


def test_unknown_framework_name() -> None:
    with pytest.raises(InputError, match="unknown framework"):
        Framework.load("no_such_framework")
