"""Layout repair, one artifact class at a time, on small texts in the shapes PDF extraction produces."""

from __future__ import annotations

from nqpf_text.ingest import repair


def _wrap(text: str, width: int = 16, doubled: bool = True) -> str:
    """Hard-wrap paragraphs at ``width`` characters, with a blank line after each line as in the seeds."""
    out = []
    for para in text.split("\n"):
        chunks = [para[i : i + width] for i in range(0, len(para), width)]
        chunks[-1] += " "
        for chunk in chunks:
            out.append(chunk)
            if doubled:
                out.append("")
    return "\n".join(out)


BODY = (
    "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章。"
    "\n要及时将科技创新成果应用到具体产业和产业链上，改造提升传统产业，培育壮大新兴产业，布局建设未来产业。"
    "\n以新促质，方能行稳致远。"
)


def test_hard_wraps_join_into_paragraphs() -> None:
    raw = _wrap(BODY)
    out = repair(raw)
    assert out.mapped.text == BODY
    assert "新质生产力" in out.mapped.text.split("\n")[0]


def test_wraps_without_doubling_and_short_last_lines() -> None:
    raw = _wrap(BODY, doubled=False).replace(" \n", "\n")  # no trailing-space signal at all
    assert repair(raw).mapped.text == BODY


def test_paragraph_per_line_text_is_left_as_it_is() -> None:
    text = (
        "一、总体要求\n"
        + "坚持创新驱动发展，加快形成新质生产力，推动经济实现质的有效提升和量的合理增长。" * 3
    )
    raw = text.replace("\n", "\r\n") + "\r\n\r\n\r\n"
    assert repair(raw).mapped.text == text


def test_page_numbers_in_both_forms_are_removed_and_the_sentence_rejoins() -> None:
    raw = _wrap(BODY)
    lines = raw.split("\n")
    one_line = ["", " ", "", "— 45 — ", ""]
    split = ["", " ", "— 106 ", "", "— ", "", " "]
    lines[6:6] = split
    lines[2:2] = one_line
    raw = "\n".join(lines)
    text = repair(raw).mapped.text
    assert text == BODY
    assert "45" not in text and "106" not in text and "—" not in text


def test_page_start_space_inside_a_word() -> None:
    raw = _wrap(BODY)
    lines = raw.split("\n")
    lines[2] = " " + lines[2]  # a new page starts in the middle of 新质生产力
    lines[8] = " " + lines[8]
    assert repair("\n".join(lines)).mapped.text == BODY


def test_stray_spaces_around_digits_and_punctuation() -> None:
    raw = "中共中央政治局 1 月 31 日下午进行集体学习。研发投入强度达到 2.55 %， 比上年提高。\n"
    text = repair(raw).mapped.text
    assert text == "中共中央政治局1月31日下午进行集体学习。研发投入强度达到2.55%，比上年提高。"


def test_letter_spaced_names_and_full_width_forms() -> None:
    raw = "刘 志 迎\n人工智能以ＣｈａｔＧＰＴ为代表，５Ｇ基站占比４．２％，ＧＤＰ增长。\n"
    text = repair(raw).mapped.text
    assert text.split("\n") == ["刘志迎", "人工智能以ChatGPT为代表，5G基站占比4.2%，GDP增长。"]
    assert "，" in text and "。" in text  # CJK punctuation stays full width


def test_private_use_bullets_are_dropped() -> None:
    raw = "\uf06c 要以科技创新推动产业创新。\n\uf06c 发展新质生产力要因地制宜。\n"
    assert repair(raw).mapped.text == "要以科技创新推动产业创新。\n发展新质生产力要因地制宜。"


def test_running_header_cutting_a_sentence_is_removed() -> None:
    lines = _wrap(BODY).split("\n")
    header = "加快发展新质生产力"
    out = [
        " " + header,
        "",
        *lines[:4],
        header,
        " " + lines[4],
        *lines[5:10],
        header,
        " " + lines[10],
        *lines[11:],
    ]
    assert repair("\n".join(out)).mapped.text == BODY


def test_footnote_markers_become_records() -> None:
    raw = (
        "习近平总书记强调“中国式现代化关键在科技现代化”①，首次提出“新质生产力”[1]，"
        "要求“加快形成新质生产力”［2］，并指出“整合科技创新资源”〔3〕。\n"
    )
    out = repair(raw)
    assert out.mapped.text == (
        "习近平总书记强调“中国式现代化关键在科技现代化”，首次提出“新质生产力”，要求“加快形成新质生产力”，并指出“整合科技创新资源”。"
    )
    assert [m.marker for m in out.marks] == ["①", "[1]", "［2］", "〔3〕"]
    for mark in out.marks:
        assert raw[mark.raw_start : mark.raw_end] == mark.marker


def test_list_enumerators_and_reference_entries_stay() -> None:
    raw = "主要任务：①加强基础研究；②培育新兴产业。\n[1] 张三.新质生产力研究[J].经济研究,2024.\n"
    out = repair(raw)
    assert "①加强" in out.mapped.text and "\n[1]张三" in out.mapped.text
    assert out.marks == []


def test_footnote_block_inside_a_sentence_moves_out() -> None:
    body = "在每一次工业革命浪潮中率先抢占制高点的经济体，往往能够最终胜出，人工智能被认为是第四次工业革命的重要象征和前奏2。随后中国经济步入较高阶的发展阶段，不少领域的技术已接近世界前沿水平。"
    lines = _wrap(body, width=20).split("\n")
    block = [
        " " * 50,
        "2",
        " 人民网（2024），人工智能将成为第四次工业革命的标准，http://example.org/a",
        "",
        "/n1/2024.html ",
    ]
    k = len(lines) - 4
    raw = "\n".join([*lines[:k], *block, " " + lines[k], *lines[k + 1 :]])
    out = repair(raw)
    assert out.mapped.text == body.replace("前奏2。", "前奏。")
    (mark,) = out.marks
    assert mark.marker == "2"
    assert mark.text.startswith("人民网（2024）") and mark.text.endswith("/n1/2024.html")


def test_every_character_maps_back_inside_the_raw_text() -> None:
    raw = _wrap(BODY) + "\n— 7 —\n"
    out = repair(raw).mapped
    assert len(out.starts) == len(out.text)
    assert (out.starts[1:] >= out.starts[:-1]).all()
    for i, ch in enumerate(out.text):
        if ch != "\n":
            assert raw[out.starts[i] : out.ends[i]] == ch
