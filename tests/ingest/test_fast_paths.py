"""The fast forms of the layout and normalization regexes find exactly what their plain forms find.

The plain forms below are the patterns as first written (lookbehind first, named alternatives); the
module's forms are rewritten so the regex engine can skip to candidate characters. Same input → same
match spans (and the same replacement for the phrase map), on text drawn from the characters each
pattern looks at.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text import normalize as norm
from nqpf_text.ingest import filenames
from nqpf_text.ingest import layout as lay
from nqpf_text.offsets import CharTable

HAN = lay.HAN
SP = " \t\u3000\u00a0\u2002\u2003\u2009\u200b"
CJK = lay._CJK
CJK_PUNCT = lay._CJK_PUNCT

PLAIN = {
    "_FULLSTOP_IN_NUMBER": re.compile(r"(?<=[0-9])．(?=[0-9])|(?<=[A-Za-z])．(?=[A-Za-z\s])"),
    "_HAN_GAP": re.compile(rf"(?<=[{HAN}])[{SP}]+(?=[{HAN}])"),
    "_EDGE_SPACE": re.compile(rf"^[{SP}]+|[{SP}]+$", re.M),
    "_MULTI_SPACE": re.compile(rf"[{SP}]{{2,}}"),
    "_BLANK_LINES": re.compile(r"\n{2,}"),
}
PLAIN_MARKER = re.compile(
    r"(?P<circled>[\u2460-\u2473])"
    r"|(?P<square>\[\d{1,3}(?:[ ]?[-–—,，、][ ]?\d{1,3})*\])"
    r"|(?P<wide>［\d{1,3}(?:[-–—,，、]\d{1,3})*］)"
    r"|(?P<tortoise>〔\d{1,3}(?:[-–—,，、]\d{1,3})*〕)"
    r"|(?<=[”」』）)])(?P<sup>\d{1,2})(?=[，。；、：！？\n]|$)"
)
PLAIN_SPACE_RULES = [
    re.compile(rf"(?<=[{CJK}])[{SP}]+(?=[0-9A-Za-z%(\[])"),
    re.compile(rf"(?<=[0-9A-Za-z%)\]])[{SP}]+(?=[{CJK}])"),
    re.compile(rf"(?<=[0-9])[{SP}]+(?=[%‰℃])"),
    re.compile(rf"[{SP}]+(?=[{CJK_PUNCT}])"),
    re.compile(rf"(?<=[{CJK_PUNCT}])[{SP}]+"),
]

# every character class the patterns test, a few of each, plus characters none of them names
ALPHABET = list(
    SP
    + "\n\r中国力發\uf900"  # Han
    + "，。；、：！？（）“”」』)]%‰℃—…·"  # punctuation and closers
    + "0123456789٣aZx.．-–,"  # digits (one non-ASCII), letters, separators
    + "①⑳[]［］〔〕"  # marker brackets
    + "\ue000\ufffd~"
)
# snippets that come close to a match (a letter or digit before ．, a closer before a digit, …)
SNIPPETS = [
    "a．",
    "1．",
    "．2",
    "．b",
    "[1",
    "［2］",
    "〔3, 4〕",
    "”1",
    "）12",
    "中 ",
    " 国",
    "\n ",
    "  ",
    "[1]”2",
]
TEXT = st.lists(st.sampled_from(ALPHABET + SNIPPETS), max_size=40).map("".join)


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_rewritten_layout_regexes_match_their_plain_forms(text):
    for name, plain in PLAIN.items():
        assert _spans(getattr(lay, name), text) == _spans(plain, text), name
    for k, (fast, plain) in enumerate(zip(lay._SPACE_RULES, PLAIN_SPACE_RULES, strict=True)):
        assert _spans(fast, text) == _spans(plain, text), f"_SPACE_RULES[{k}]"


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_markers_and_letter_spacing_are_found_as_by_the_plain_patterns(text):
    plain = [(m.start(), m.end(), m.lastgroup) for m in PLAIN_MARKER.finditer(text)]
    assert lay.find_markers(text) == plain
    assert [m.span() for m in lay.letter_spaced(text)] == _spans(lay._LETTER_SPACED, text)


def _plain_phrase_sub(text: str) -> str:
    keep = "|".join(sorted(norm._ZHU_KEEP, key=len, reverse=True))
    phrases = "|".join(re.escape(p) for p in sorted(norm.PHRASES, key=len, reverse=True))
    rx = re.compile(f"(?P<keep>{keep})|(?P<phrase>{phrases})|(?P<zhu>著)")

    def repl(m: re.Match[str]) -> str:
        if m.group("keep"):
            return m.group(0)
        if m.group("phrase"):
            return norm.PHRASES[m.group("phrase")]
        return "着"

    return rx.sub(repl, text)


PHRASE_TEXT = st.lists(
    st.sampled_from([*norm.PHRASES, *norm._ZHU_KEEP, "著", "高", "资", "网", "品质", "，", "数", "位"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PHRASE_TEXT)
def test_phrase_alternation_rewrites_like_the_named_groups(text):
    assert norm._phrase_rx().sub(norm._phrase_repl, text) == _plain_phrase_sub(text)


@given(st.text(alphabet=st.sampled_from(list("ａＺ０９％＋＆．\u3000中a1 衞衛綫")), max_size=40))
def test_char_table_equals_str_translate(text):
    for table in (lay._FOLD, norm._FULLWIDTH, norm._HK_CHARS):
        assert table.apply(text) == text.translate(table.table)


def test_char_table_refuses_tables_that_change_length():
    try:
        CharTable({ord("a"): "bc"})
    except ValueError:
        return
    raise AssertionError("a one-to-two table was accepted")


PLAIN_FULL_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})年(\d{1,2})月(?:(\d{1,2})日)?")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "2", "9", "0", "20", "19", "2024", "1999", "年", "月", "日", "x"]), max_size=30
    )
)
def test_full_date_pattern_matches_like_its_plain_form(parts):
    from nqpf_text.ingest import corpus

    text = "".join(parts)
    fast = [(m.span(), m.groups()) for m in corpus._FULL_DATE.finditer(text)]
    assert fast == [(m.span(), m.groups()) for m in PLAIN_FULL_DATE.finditer(text)]


def _plain_region(text: str) -> str | None:
    best = None
    for term, rid in filenames.region_names():
        pos = text.find(term)
        if pos >= 0 and (best is None or (-len(term), pos, rid) < best):
            best = (-len(term), pos, rid)
    return best[2] if best else None


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_region_from_text_finds_the_longest_earliest_name(data):
    names = [term for term, _ in filenames.region_names()]
    parts = data.draw(
        st.lists(st.sampled_from([*names[:40], *names[-40:], "省", "市", "年", "报告"]), max_size=6)
    )
    text = "".join(parts)
    assert filenames.region_from_text(text) == _plain_region(text)


LINE_TEXT = st.lists(
    st.sampled_from(
        ["中文", "ab", " ", "\u3000", "\n", "\r\n", "\r", "\x0b", "\x85", "\u2028", "𠀀", "é", "\ud800"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(LINE_TEXT)
def test_line_widths_measured_at_once_equal_display_width(text):
    lines = lay.scan_lines(text)
    assert [ln.width for ln in lines] == [lay.display_width(ln.body) for ln in lines]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["摘", "要", " ", "\n", "关键词", "参考文献", "关", "x"]), max_size=20))
def test_academic_heading_pattern_matches_like_its_plain_form(parts):
    from nqpf_text.ingest import corpus

    text = "".join(parts)
    plain = re.compile(r"^(?:摘\s*要|关键词|参考文献)", re.M)
    assert _spans(corpus._ACADEMIC_HEADING, text) == _spans(plain, text)


@given(st.binary(max_size=300))
def test_control_bytes_and_blank_test_agree_with_their_plain_forms(data):
    from nqpf_text.ingest import decode

    assert decode._control_bytes(data) == len(decode._BINARY_CTRL.findall(data.decode("latin-1")))
    blank = not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")
    assert (decode._NOT_BLANK.search(data) is None) == blank
