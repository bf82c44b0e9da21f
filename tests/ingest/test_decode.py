"""Encoding detection: every encoding users' files come in, and the bad inputs that must be refused."""

from __future__ import annotations

import codecs

import pytest

from nqpf_text.errors import InputError
from nqpf_text.ingest import decode_bytes

SIMPLIFIED = (
    "发展新质生产力是推动高质量发展的内在要求。广东省2024年研发投入强度约为3.5%，专利授权量持续增长。\n"
)
TRADITIONAL = "發展新質生產力是推動高質量發展的內在要求。香港特區政府加快建設國際創新科技中心。\n"


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8"),
        (SIMPLIFIED, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gbk"),
        (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL, TRADITIONAL.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_encodings_are_detected(text: str, data: bytes, expected: str) -> None:
    decoded = decode_bytes(data, "x.txt")
    assert decoded.text == text
    assert decoded.encoding == expected
    assert decoded.damage == []


def test_gb18030_only_characters() -> None:
    text = "新质生产力𠀀研究：" * 5  # U+20000 exists in GB18030, not in GBK
    decoded = decode_bytes(text.encode("gb18030"), "x.txt")
    assert decoded.text == text
    assert decoded.encoding == "gb18030"


def test_truncated_utf8_is_decoded_with_its_byte_offset() -> None:
    data = SIMPLIFIED.encode("utf-8")
    cut = data[:40] + data[41:]  # drop one byte inside a three-byte character
    decoded = decode_bytes(cut, "x.txt")
    assert decoded.encoding == "utf-8"
    assert "\ufffd" in decoded.text
    assert [offset for offset, _ in decoded.damage] == [39]
    ending = decode_bytes(data[:-2], "x.txt")  # the file stops inside the last character
    assert ending.damage[0][0] == len(data) - 4
    assert "truncated" in ending.damage[0][1]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \r\n\t\n", "whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data, "bad.txt")
    assert reason in str(err.value)
    assert str(err.value).startswith("bad.txt")
