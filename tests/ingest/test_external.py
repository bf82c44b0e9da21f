"""Metadata from file names and sidecars on real documents of the shapes users bring (../shared/external)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nqpf_text.ingest import read_corpus

pytestmark = pytest.mark.shared

PROVINCES = {
    "北京市": "110000", "天津市": "120000", "河北省": "130000", "山西省": "140000", "内蒙古自治区": "150000",
    "辽宁省": "210000", "吉林省": "220000", "黑龙江省": "230000", "上海市": "310000", "江苏省": "320000",
    "浙江省": "330000", "安徽省": "340000", "福建省": "350000", "江西省": "360000", "山东省": "370000",
    "河南省": "410000", "湖北省": "420000", "湖南省": "430000", "广东省": "440000", "广西": "450000",
    "海南省": "460000", "重庆市": "500000", "四川省": "510000", "贵州省": "520000", "云南省": "530000",
    "西藏": "540000", "陕西省": "610000", "甘肃省": "620000", "青海省": "630000", "宁夏": "640000",
    "新疆": "650000",
}  # fmt: skip


def test_all_31_work_reports_carry_year_and_province(external_dir: Path) -> None:
    result = read_corpus(external_dir / "gwr2025")
    assert result.skipped == []
    frame = result.documents_frame()
    assert len(frame) == 31  # no report is mistaken for a compilation
    for _, row in frame.iterrows():
        name = Path(row["doc"]).name
        province = name.removeprefix("2025年").removesuffix("政府工作报告.txt")
        assert row["year"] == 2025, name
        assert row["focal_region"] == PROVINCES[province], name
        assert row["kind"] == "government work report"
        assert row["date"].startswith("2025-01"), name  # delivery date on the report's opening lines


@pytest.mark.parametrize("folder", ["news", "hk"])
def test_sidecars_give_title_and_date(external_dir: Path, folder: str) -> None:
    import json

    result = read_corpus(external_dir / folder)
    assert result.skipped == []
    frame = result.documents_frame().set_index("doc")
    sidecars = sorted((external_dir / folder).glob("*.json"))
    assert len(sidecars) == len(frame)
    for side in sidecars:
        meta = json.loads(side.read_text(encoding="utf-8"))
        row = frame.loc[str(side.with_suffix(".txt"))]
        assert row["title"] == meta["title"]
        assert row["date"][:4] in meta["date"] and row["date_inferred"] == False  # noqa: E712
        assert row["kind"] == "news report"
    if folder == "hk":
        assert (frame["focal_region"] == "810000").all()
        assert not any("產" in t or "質" in t for t in frame["text"])
