"""Script and width normalization that keeps the map to the original characters.

Traditional → simplified uses the official OpenCC ``t2s`` config (never ``tw2sp``, which rewrites
劳动资料 as 劳动数据 and 核心技术 as 内核技术). OpenCC keeps words apart that Mainland policy text
treats as one (高品质发展 vs 高质量发展), so a small phrase map follows it.
"""

from __future__ import annotations

import re
from functools import cache

from .offsets import CharTable, MappedText

__all__ = ["PHRASES", "normalize", "normalize_text"]

# Hong Kong / Taiwan wording that no OpenCC config fixes, as simplified after t2s → Mainland usage.
# Phrases only: bare 品质 and 资料 keep their meaning (劳动资料 must survive). A phrase must not also
# occur across a word boundary of Mainland text: 营运 (经营运行), 数位 (多数位于) and 软体 (软体动物)
# are left out for that reason.
PHRASES: dict[str, str] = {
    "高品质发展": "高质量发展",
    "高品质特征": "高质量特征",
    "品质强国": "质量强国",
    "资讯科技": "信息科技",
    "资讯技术": "信息技术",
    "电子资讯": "电子信息",
    "资讯": "信息",
    "网路": "网络",
    "商业航太": "商业航天",
    "航太": "航天",
    "回圈": "循环",
    "智慧网联": "智能网联",
    "人工智慧": "人工智能",
    "数位化": "数字化",
    "数位经济": "数字经济",
    "晶片": "芯片",
    "演算法": "算法",
    "云端运算": "云计算",
    "机械人": "机器人",
    "永续发展": "可持续发展",
    "高水准": "高水平",
    "宣导": "倡导",
    "透过": "通过",
    "蒸气机": "蒸汽机",
}

# 著 is the particle 着 (随著, 意味著, 著力) except in these words.
_ZHU_KEEP = (
    "显著", "著名", "著作", "著称", "著述", "专著", "名著", "原著", "论著", "卓著", "昭著",
    "土著", "著录", "编著", "著者", "合著", "巨著", "遗著", "译著", "著书", "鸿篇巨著", "著有",
)  # fmt: skip

# Hong Kong character forms that OpenCC t2s leaves as they are.
_HK_CHARS = CharTable(str.maketrans({"衞": "卫", "衛": "卫", "綫": "线"}))

_FULLWIDTH = CharTable(
    {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
    | {0x3000: 0x20, 0xFF0E: 0x2E}  # ideographic space; full-width full stop inside numbers
)


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _phrase_rx() -> re.Pattern[str]:
    """Kept 著-words, then phrases (longest first), then 著: one alternation of plain literals, which
    the regex engine scans for by their first characters instead of trying every position."""
    keep = sorted(_ZHU_KEEP, key=len, reverse=True)
    phrases = sorted(PHRASES, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in [*keep, *phrases, "著"]))


@cache
def _phrase_table() -> dict[str, str]:
    table = {w: w for w in _ZHU_KEEP}
    for phrase, repl in PHRASES.items():
        table.setdefault(phrase, repl)
    table.setdefault("著", "着")
    return table


def _phrase_repl(m: re.Match[str]) -> str:
    return _phrase_table()[m.group()]


def _to_simplified(mapped: MappedText) -> MappedText:
    text = mapped.text
    out = _converter().convert(text)
    # t2s is not idempotent for a few chains (薴 → 苧 → 苎): convert to a fixed point (a text that
    # came back unchanged is one already)
    for _ in range(3 if out != text else 0):
        again = _converter().convert(out)
        if again == out:
            break
        out = again
    if len(out) == len(text):
        return mapped.replace_aligned(out)
    # OpenCC changed a length somewhere (rare multi-character phrase mappings): convert line by
    # line and, where a line changed length, map that line as one block.
    edits = []
    pos = 0
    for line in text.splitlines(keepends=True):
        new = _converter().convert(line)
        if new != line:
            edits.append((pos, pos + len(line), new))
        pos += len(line)
    return mapped.edit(edits)


def normalize(mapped: MappedText) -> MappedText:
    """Full-width letters/digits → ASCII, traditional → simplified, HK/TW wording → Mainland."""
    mapped = mapped.translate(_FULLWIDTH)
    mapped = _to_simplified(mapped).translate(_HK_CHARS)
    return mapped.sub(_phrase_rx(), _phrase_repl)


def normalize_text(text: str) -> str:
    """Normalized form of a standalone string (a query, a ``--text`` argument, a gold sentence)."""
    return normalize(MappedText.identity(text)).text
