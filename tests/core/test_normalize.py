from __future__ import annotations

import pytest

from nqpf_text.normalize import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("高品質發展", "高质量发展"),
        ("勞動資料", "劳动资料"),  # tw2sp would give 劳动数据
        ("關鍵核心技術", "关键核心技术"),  # tw2sp would give 内核技术
        ("隨著", "随着"),
        ("顯著", "显著"),
        ("著名", "著名"),
        ("商業航太", "商业航天"),
        ("網路強國", "网络强国"),
        ("電子資訊", "电子信息"),
        ("ＣｈａｔＧＰＴ和５Ｇ", "ChatGPT和5G"),
        ("品質", "品质"),  # never bare 品质 → 质量
        ("高效能", "高效能"),
    ],
)
def test_phrases(raw, expected):
    assert normalize_text(raw) == expected


def test_cjk_punctuation_stays_full_width():
    assert normalize_text("发展，提升。（一）％") == "发展，提升。（一）％"
