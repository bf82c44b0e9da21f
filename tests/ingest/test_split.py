"""Compilation splitting on texts written for the test: bylines, attributions, bios, dropped titles."""

from __future__ import annotations

from pathlib import Path

from nqpf_text.ingest import read_file


def _wrap(paragraphs: list[str], width: int = 20) -> list[str]:
    out: list[str] = []
    for para in paragraphs:
        chunks = [para[i : i + width] for i in range(0, len(para), width)]
        chunks[-1] += " "
        for chunk in chunks:
            out += [chunk, ""]
    return out


P1 = [
    "新质生产力是创新起主导作用的先进生产力质态，东北老工业基地应当改造提升装备制造等传统产业。",
    "沈阳、大连、哈尔滨等地的研发经费投入强度稳步提高，但与东部沿海地区相比仍有差距。",
]
P2 = [
    "合肥在新型显示、集成电路和新能源汽车领域形成了产业集群，这是以科技创新引领产业创新的写照。",
    "安徽应发挥量子信息等领域的科教资源优势，建设一批概念验证中心和中试基地。",
]
P3 = ["南京聚焦软件和信息服务、新能源汽车等产业，推动创新链产业链资金链人才链深度融合。"]


def _compilation(tmp_path: Path) -> tuple[Path, list[int]]:
    lines = [" 东北大学工商管理学院 李明远 ", "", " ", "", *_wrap(P1)]
    lines += [" — 12", "", "— ", "", " 安徽日报评论员 ", "", " ", "", *_wrap(P2)]
    lines += [" 南京日报评论员 ", "", "2024 年 2 月 19 日 ", "", *_wrap(P3)]
    path = tmp_path / "汇编.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    starts = [n for n, line in enumerate(lines, start=1) if line.strip().endswith(("李明远", "评论员"))]
    return path, starts


def test_bylines_split_a_compilation(tmp_path: Path) -> None:
    path, starts = _compilation(tmp_path)
    docs, issues = read_file(path)
    assert issues == []
    assert [d.doc for d in docs] == [f"{path}#{n}" for n in (1, 2, 3)]
    assert [d.text for d in docs] == ["\n".join(P1), "\n".join(P2), "\n".join(P3)]
    assert docs[0].meta["author"] == "李明远"
    assert docs[0].meta["affiliation"] == "东北大学工商管理学院"
    assert docs[1].meta["outlet"] == "安徽日报"
    assert docs[2].meta["date"] == "2024-02-19"
    assert docs[2].meta["date_inferred"] is False
    assert [d.line_start for d in docs] == starts
    for d in docs:
        start, end = d.raw_span(0, len(d.text))
        assert d.raw[start:end].replace(" ", "").replace("\n", "").startswith(d.text[:10])


def test_a_single_article_is_not_split(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\n".join(_wrap(["加快发展新质生产力", *P1, *P2])), encoding="utf-8")
    docs, _ = read_file(path)
    assert len(docs) == 1
    assert docs[0].doc == str(path)


def test_quotation_attributions_end_pieces(tmp_path: Path) -> None:
    quote1 = "科技创新能够催生新产业、新模式、新动能，是发展新质生产力的核心要素。"
    quote2 = "绿色发展是高质量发展的底色，新质生产力本身就是绿色生产力。"
    lines = [
        *_wrap([quote1]),
        "  ——2024 年 1 月 31 日，习近平在二十届中央政治",
        "",
        "局第十一次集体学习时的讲话 ",
        "",
        " ",
        *_wrap([quote2]),
        "  ——2021 年 4 月 22 日，习近平在“领导人气候峰会”",
        "",
        "上的讲话 ",
        "",
        *_wrap([*P3]),
    ]
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, _ = read_file(path)
    assert [d.text for d in docs] == [quote1, quote2, P3[0]]
    assert docs[0].meta["date"] == "2024-01-31" and docs[0].meta["kind"] == "speech excerpt"
    assert docs[1].meta["title"] == "“领导人气候峰会”上的讲话"
    assert all("——" not in d.text for d in docs)


def test_journal_title_and_byline_dropped_mid_sentence(tmp_path: Path) -> None:
    body = P1[0] + P1[1] + P2[0]
    wrapped = _wrap([body], width=22)
    k = 6
    lines = [
        *wrapped[:k],
        "以科技创新培育新质生产力",
        "",
        "刘 志 迎",
        "",
        "29",
        "",
        "区域经济评论 2024年第2期",
        "",
        " " + wrapped[k],
        *wrapped[k + 1 :],
        "作者简介：刘志迎，男，中国科学技术大学管理学院教授（合肥",
        "",
        "230041）。",
        "",
        *_wrap(P3, width=22),
    ]
    path = tmp_path / "journal.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, _ = read_file(path)
    assert [d.text for d in docs] == [body, P3[0]]
    meta = docs[0].meta
    assert meta["title"] == "以科技创新培育新质生产力"
    assert meta["author"] == "刘志迎"
    assert meta["affiliation"] == "中国科学技术大学管理学院教授"
    assert meta["outlet"] == "区域经济评论" and meta["issue"] == "2024年第2期"
