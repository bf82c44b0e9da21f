"""The demo corpus that ships with the project ingests on a fresh clone (no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

from nqpf_text.ingest import read_corpus


def test_demo_corpus(demo_dir: Path) -> None:
    result = read_corpus(demo_dir)
    assert result.skipped == [] and result.issues == []
    frame = result.documents_frame()
    assert 6 <= frame["source"].nunique() <= 10
    names = [Path(d).name for d in frame["doc"]]
    compilation = [n for n in names if "#" in n]
    assert [n.rsplit("#", 1)[1] for n in compilation] == ["1", "2"]
    by_name = dict(zip(names, result.documents, strict=True))
    two = [by_name[n] for n in compilation]
    assert two[0].meta["author"] == "李明远" and two[1].meta["outlet"] == "安徽日报"
    assert "— 12" not in two[0].text and "基础研究投入" in two[0].text
    gbk = [d for d in result.documents if d.encoding == "gbk"]
    assert len(gbk) == 1 and "成渝地区双城经济圈" in gbk[0].text
    hk = next(d for d in result.documents if d.meta.get("focal_region") == "810000")
    assert "新质生产力" in hk.text and "高质量发展" in hk.text and "質" not in hk.text
    assert "產" in hk.raw  # the raw text stays traditional
    news = next(d for d in result.documents if d.meta.get("date") == "2024-09-12")
    assert news.meta["title"].startswith("东北地区") and news.meta["focal_region"] == "macro.northeast"
    assert frame["focal_region"].notna().sum() >= 6
    assert frame.equals(read_corpus(demo_dir).documents_frame())
