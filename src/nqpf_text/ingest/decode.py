"""Bytes → text with the encoding detected, because users' reports come in every Chinese encoding.

Order of checks: byte-order marks, binary content, strict UTF-8, UTF-8 with a few damaged bytes
(decoded with U+FFFD, each damage reported with its byte offset), then the legacy Chinese codecs
(GBK/GB18030, Big5) scored on how Chinese the result looks, with charset-normalizer as the tie-break.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..errors import InputError

__all__ = ["Decoded", "decode_bytes"]

# Frequent characters in Chinese prose, simplified and traditional forms; text decoded with the wrong
# legacy codec hits them rarely, so their share separates GBK from Big5 readings of the same bytes.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从"
    "业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
    "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位"
    "入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放"
    "决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受"
    "联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离"
    "华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复"
    "容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号"
    "率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红"
    "细引听该铁价严這個為來們時會對發說動種當開與關間樣還實從經進過產後機體點現長將業學麼頭見問題黨決"
    "戰國歲覽條將數據資質勞區團導處務當變應試議論設計統總線鐵電話讓運達選歷雖認識規劃強積極參與縣報聲"
)
_BINARY_CTRL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CTRL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])  # the bytes _BINARY_CTRL finds
_NOT_BLANK = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")
_UTF8_REPORT_LIMIT = 20
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


@dataclass
class Decoded:
    """Decoded text, the codec that produced it, and damage found on the way (byte offset, message)."""

    text: str
    encoding: str
    damage: list[tuple[int, str]] = field(default_factory=list)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return name, len(bom)
    return None


def _plausible(text: str) -> float:
    """Share of characters that are printable text (CJK, ASCII, common punctuation)."""
    if not text:
        return 0.0
    bad = len(_BINARY_CTRL.findall(text))
    odd = sum(1 for ch in text if _odd_char(ch))
    return 1.0 - (bad + odd) / len(text)


def _odd_char(ch: str) -> bool:
    cp = ord(ch)
    if cp < 0x80:
        return False
    return not (
        0x4E00 <= cp <= 0x9FFF  # CJK unified
        or 0x3000 <= cp <= 0x303F  # CJK punctuation
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x2000 <= cp <= 0x206F  # general punctuation
        or 0x2460 <= cp <= 0x24FF  # circled numbers
        or 0x00A0 <= cp <= 0x024F  # Latin-1, Latin extended
        or 0x3400 <= cp <= 0x4DBF  # CJK extension A
        or 0x2100 <= cp <= 0x22FF  # letterlike, arrows, maths
        or 0x2500 <= cp <= 0x25FF  # box drawing, shapes
        or 0xE000 <= cp <= 0xF8FF  # private use (bullet glyphs from Word/PDF)
    )


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes sit on one parity and the decoded text reads as text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    candidates = []
    if odd > 4 * max(even, 1) or (even == 0 and odd):
        candidates.append("utf-16-le")
    if even > 4 * max(odd, 1) or (odd == 0 and even):
        candidates.append("utf-16-be")
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible(text) > 0.95:
            return name
    return None


def _control_bytes(sample: bytes) -> int:
    """How many bytes of ``sample`` are control characters (what ``_BINARY_CTRL`` finds in its
    Latin-1 reading), counted by deleting them at C speed."""
    return len(sample) - len(sample.translate(None, _CTRL_BYTES))


def _is_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    return _control_bytes(sample) > max(8, len(sample) // 20)


def _utf8_damage(data: bytes) -> list[tuple[int, str]]:
    """Byte offsets of invalid UTF-8 sequences (stops counting after a limit)."""
    damage: list[tuple[int, str]] = []
    pos = 0
    while pos < len(data) and len(damage) <= _UTF8_REPORT_LIMIT:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as err:
            where = pos + err.start
            kind = "truncated UTF-8 sequence" if err.reason == "unexpected end of data" else err.reason
            damage.append((where, f"invalid UTF-8 ({kind}), replaced with U+FFFD"))
            pos = pos + max(err.end, err.start + 1)
    return damage


def _chinese_score(text: str) -> float:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return _plausible(text)
    return sum(1 for ch in han if ch in _COMMON) / len(han) * _plausible(text)


def _first_decoding(data: bytes, names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        try:
            return name, data.decode(name)
        except UnicodeDecodeError:
            continue
    return None


def _legacy(data: bytes) -> Decoded | None:
    """GB (GBK, else GB18030) versus Big5 (Big5, CP950, HKSCS): keep the reading that looks Chinese."""
    scored: list[tuple[float, str, str]] = []
    for family in (("gbk", "gb18030"), ("big5", "cp950", "big5hkscs")):
        found = _first_decoding(data, family)
        if found is not None:
            scored.append((_chinese_score(found[1]), found[0], found[1]))
    if len(data) % 2 == 0:  # UTF-16 of pure CJK text has no NUL byte to give it away
        for name in ("utf-16-le", "utf-16-be"):
            found = _first_decoding(data, (name,))
            if found is not None:
                scored.append((_chinese_score(found[1]) - 0.1, name, found[1]))
    if not scored:
        return _normalizer(data)
    scored.sort(key=lambda s: -s[0])
    best = scored[0]
    if len(scored) > 1 and scored[1][0] > best[0] - 0.05:
        guess = _normalizer(data)
        if guess is not None and guess.encoding in {label for _, label, _ in scored}:
            return guess
    if best[0] < 0.2:
        return None
    return Decoded(best[2], best[1])


def _chinese_instead(utf8_text: str, data: bytes) -> Decoded | None:
    """A short GBK/Big5 text can read as (nearly) valid UTF-8 by chance (业 is D2 B5, i.e. ҵ): when the
    UTF-8 reading has no Chinese character at all and a legacy reading is clearly Chinese, take that."""
    if data.isascii() or _HAN.search(utf8_text) or _plausible(utf8_text[:65536]) >= 0.5:
        return None
    legacy = _legacy(data)
    if legacy is None or len(_HAN.findall(legacy.text[:65536])) < 2:
        return None
    return legacy if _chinese_score(legacy.text[:65536]) >= 0.5 else None


def _normalizer(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    name = codecs.lookup(match.encoding).name
    label = {"gb18030": "gb18030", "gbk": "gbk", "big5": "big5", "cp950": "cp950"}.get(name, name)
    return Decoded(str(match), label)


def _nul_bytes(data: bytes, path: object) -> tuple[bytes, list[tuple[int, str]]]:
    """Text with a few stray NUL bytes, or NUL padding left by an interrupted download: the bytes
    without the padding, and the damage to report; dense NULs or control characters mean binary."""
    body = data.rstrip(b"\x00")
    trailing = len(data) - len(body)
    inner = body.count(b"\x00")
    sample = body[:65536].replace(b"\x00", b"")
    ctrl = _control_bytes(sample)
    if inner > max(2, len(body) // 1000) or ctrl > len(sample) // 1000:
        raise InputError(path, "binary file (NUL bytes), not text")
    damage = [(m.start(), "NUL byte, replaced with U+FFFD") for m in re.finditer(b"\x00", body)]
    if trailing:
        damage.append(
            (len(body), f"{trailing} NUL byte(s) pad the end of the file (an interrupted download?); dropped")
        )
    return body, damage[: _UTF8_REPORT_LIMIT + 1]


def _mixed(data: bytes) -> Decoded | None:
    """UTF-8 with whole lines in GBK/GB18030 or Big5 (text pasted together from several sources)."""
    parts: list[str] = []
    damage: list[tuple[int, str]] = []
    utf8_wide = 0
    pos = 0
    for line in data.splitlines(keepends=True):
        try:
            text = line.decode("utf-8")
            utf8_wide += len(line) - len(text)
        except UnicodeDecodeError:
            readings = [
                found
                for family in (("gbk", "gb18030"), ("big5", "cp950"))
                if (found := _first_decoding(line, family)) is not None
            ]
            if not readings:
                return None
            name, text = max(readings, key=lambda r: _chinese_score(r[1]))
            if _chinese_score(text) < 0.5:
                return None
            damage.append(
                (pos, f"line in {name.upper()}, not UTF-8 like the rest of the file; decoded as {name}")
            )
        parts.append(text)
        pos += len(line)
    if not damage or utf8_wide < 8:
        return None
    labels = sorted({message.rsplit(" ", 1)[-1] for _, message in damage})
    return Decoded("".join(parts), "+".join(["utf-8", *labels]), damage)


def decode_bytes(data: bytes, path: object = "<bytes>") -> Decoded:
    """Decode a text file's bytes; raise :class:`InputError` for empty or binary content."""
    if not _NOT_BLANK.search(data):  # nothing but blanks, NULs and byte-order-mark bytes
        if data and not data.strip(b"\x00"):
            raise InputError(path, "file holds only NUL bytes (an interrupted download?)")
        raise InputError(path, "empty file" if not data else "file holds only whitespace")
    bom = _bom(data)
    if bom is not None:
        name, size = bom
        try:
            text = data[size:].decode(name)
        except UnicodeDecodeError as err:
            raise InputError(
                path, f"invalid {name} after its byte-order mark", f"byte {size + err.start}"
            ) from err
        label = "utf-8-sig" if name == "utf-8" else name
        if not text.strip():
            raise InputError(path, "file holds only whitespace")
        return Decoded(text, label)
    if b"\x00" in data:
        name = _utf16_guess(data)
        if name is not None:
            return Decoded(data.decode(name), name)
        data, nul_damage = _nul_bytes(data, path)
        found = _decode_text(data, path, nul_checked=True)
        text = found.text.replace("\x00", "\ufffd")
        return Decoded(text, found.encoding, sorted(nul_damage + found.damage))
    return _decode_text(data, path)


def _decode_text(data: bytes, path: object, *, nul_checked: bool = False) -> Decoded:
    """Bytes without a byte-order mark: UTF-8, damaged UTF-8, mixed lines, or a legacy codec."""
    if not nul_checked and _is_binary(data):
        raise InputError(path, "binary file (control characters), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _chinese_instead(text, data) or Decoded(text, "utf-8")
    mixed = _mixed(data)
    if mixed is not None:
        return mixed
    damage = _utf8_damage(data)
    if damage and len(damage) <= max(3, len(data) // 2000) and len(damage) <= _UTF8_REPORT_LIMIT:
        text = data.decode("utf-8", errors="replace")
        return _chinese_instead(text, data) or Decoded(text, "utf-8", damage)
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    if damage:
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8", damage)
    raise InputError(path, "cannot detect the text encoding")
