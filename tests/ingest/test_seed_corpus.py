"""Acceptance checks of issue 2 on the seed corpus (../shared/corpus)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from nqpf_text.ingest import IngestResult, read_corpus
from nqpf_text.normalize import normalize_text

pytestmark = pytest.mark.shared

F001, F003, F004 = "001_e0edea38aaf4c3b6.txt", "003_3a580b7466794832.txt", "004_0a4ddf0e5c2a5237.txt"

# Byline lines of 001 found by the research notes (../shared/research/corpus-001.md §2–3): the 70
# bylined piece starts plus the two co-interviewee lines of piece 6.
BYLINE_STARTS = [
    441, 1022, 1385, 1648, 1900, 2161, 2364, 2666, 2830, 3085, 3197, 3435, 3657, 3944, 4292, 4489, 4582,
    4806, 4872, 5057, 5336, 5541, 5640, 5765, 5921, 6016, 6137, 6252, 6359, 6441, 6556, 6659, 6764, 6844,
    6928, 7012, 7094, 7170, 7451, 7544, 7821, 7914, 8039, 8123, 8586, 9569, 10577, 11378, 12357, 13230,
    14434, 15204, 15323, 15446, 15553, 15697, 15835, 16009, 16145, 16309, 16453, 16578, 16705, 16837,
    17685, 17886, 18073, 18377, 18566, 18767,
]  # fmt: skip
CO_INTERVIEWEES = [1024, 1026]
UNBYLINED_STARTS = [1, 123, 324, 743, 7248, 7608, 17335]
PAGE_LINE = re.compile(r"^[\s—–\-]*\d{1,4}[\s—–\-]*$|^[\s—–\-]+$")
TERMS = [
    "新质生产力", "劳动者", "劳动资料", "劳动对象", "战略性新兴产业", "未来产业", "产业链", "人工智能",
    "科技创新", "高质量发展", "全要素生产率", "数字经济", "基础研究", "现代化产业体系", "生产关系",
    "新能源", "研发", "东北", "黑龙江", "长三角", "创新", "数据",
]  # fmt: skip


def _docs(result: IngestResult, name: str) -> list:
    return [d for d in result.documents if d.source.endswith(name)]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_001_is_split_and_every_byline_starts_a_document(seed_ingest: IngestResult) -> None:
    docs = _docs(seed_ingest, F001)
    assert len(docs) >= 70
    starts = {d.line_start for d in docs}
    assert set(BYLINE_STARTS) <= starts
    assert set(UNBYLINED_STARTS) <= starts
    assert [d.doc.rsplit("#", 1)[1] for d in docs] == [str(n) for n in range(1, len(docs) + 1)]
    assert [d.line_start for d in docs] == sorted(starts)


def test_bylines_are_found_by_detection_alone(corpus_dir: Path, tmp_path: Path) -> None:
    """A renamed copy with edited bytes has no manifest entry: bylines alone split it."""
    raw = (corpus_dir / F001).read_text(encoding="utf-8")
    copy = tmp_path / "compilation.txt"
    copy.write_text(raw + "\n", encoding="utf-8")
    result = read_corpus(tmp_path)
    starts = {d.line_start for d in result.documents}
    assert set(BYLINE_STARTS) <= starts
    assert len(result.documents) >= 70


def test_no_page_numbers_bylines_or_blank_runs_in_bodies(seed_ingest: IngestResult, corpus_dir: Path) -> None:
    raw_lines = (corpus_dir / F001).read_text(encoding="utf-8").split("\n")
    bylines = {_squeeze(raw_lines[n - 1]) for n in BYLINE_STARTS + CO_INTERVIEWEES}
    for doc in seed_ingest.documents:
        assert "\n\n" not in doc.text, doc.doc
        assert doc.text == doc.text.strip()
        for para in doc.text.split("\n"):
            assert not PAGE_LINE.match(para), (doc.doc, para)
            assert _squeeze(para) not in bylines, (doc.doc, para)


def test_head_term_count_on_normalized_001(seed_ingest: IngestResult) -> None:
    count = sum(d.text.count("新质生产力") for d in _docs(seed_ingest, F001))
    assert abs(count - 1841) <= 0.01 * 1841, count


def test_004_is_simplified_and_uses_mainland_wording(seed_ingest: IngestResult) -> None:
    (doc,) = _docs(seed_ingest, F004)
    assert not set("質產勞動資") & set(doc.text)
    assert "高品质发展" not in doc.text
    assert doc.text.count("高质量发展") >= 19  # 10 written so, 9 from 高品質發展
    assert "品质" in doc.text  # bare 品质 keeps its meaning
    assert [f.marker for f in doc.footnotes] == ["1", "2", "3"]
    assert doc.footnotes[2].text.startswith("全要素生產率(TFP)")
    assert "发展阶段" in doc.text  # the sentence cut by the footnote block rejoins
    assert 0 < doc.meta["appendix_start"] < len(doc.text)
    assert doc.text[doc.meta["appendix_start"] :].startswith("附表一")


def test_003_is_split_with_titles_and_bios_out_of_the_body(seed_ingest: IngestResult) -> None:
    docs = _docs(seed_ingest, F003)
    assert [d.line_start for d in docs] == [3, 20, 409, 714, 1121, 1425]
    assert [d.meta["author"] for d in docs[1:]] == ["赵剑波", "苏楠", "刘志迎", "渠慎宁", "陈萍"]
    body = "".join(d.text for d in docs)
    for dropped in (
        "作者简介",
        "基金项目",
        "苏 楠",
        "刘志迎\n",
        "区域经济评论2024年第2期",
        "加快发展新质生产力\n",
    ):
        assert dropped not in body
    assert "品质更优" in docs[1].text and "商业业态发生了革命性变革" in docs[3].text
    assert "产业组织" in docs[1].text  # the running header no longer splits it


@pytest.mark.parametrize("name", ["000_9abb05fa9ab056bd.txt", F001, "002_1227176c72786622.txt", F003, F004])
def test_term_spans_map_back_to_the_raw_text(seed_ingest: IngestResult, name: str) -> None:
    found = []
    for doc in _docs(seed_ingest, name):
        for term in TERMS:
            found += [(doc, m.start(), m.end(), term) for m in re.finditer(term, doc.text)]
    assert len(found) >= 100
    for doc, start, end, term in random.Random(2).sample(found, min(200, len(found))):
        raw_start, raw_end = doc.raw_span(start, end)
        assert normalize_text(_squeeze(doc.raw[raw_start:raw_end])) == term


def test_metadata_of_the_seed_documents(seed_ingest: IngestResult) -> None:
    frame = seed_ingest.documents_frame()
    assert seed_ingest.skipped == [] and seed_ingest.issues == []
    by_line = frame[frame["source"].str.endswith(F001)].set_index("line_start")
    assert by_line.loc[441, "date"] == "2024-03-01" and not by_line.loc[441, "date_inferred"]
    assert by_line.loc[123, "date"] == "2013-09-30" and by_line.loc[123, "kind"] == "speech excerpt"
    assert (by_line.loc[[6659, 6764, 6844, 6928, 7012, 7094, 7170], "focal_region"] == "320100").all()
    assert by_line.loc[15204:16705, "focal_region"].eq("621000").sum() == 12
    assert by_line.loc[16837, "focal_region"] == "230000"
    assert by_line.loc[1648, "date_inferred"] and by_line.loc[1648, "date_cue"]
    assert set(frame["kind"].dropna()) >= {"speech excerpt", "news report", "interview", "academic paper"}


def test_reingesting_is_idempotent(seed_ingest: IngestResult, corpus_dir: Path) -> None:
    again = read_corpus(corpus_dir)
    assert again.documents_frame().equals(seed_ingest.documents_frame())
    assert again.footnotes_frame().equals(seed_ingest.footnotes_frame())
