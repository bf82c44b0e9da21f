"""Layout repair for text extracted from PDFs, keeping the map to the original characters.

PDF text arrives as hard-wrapped lines (often with a blank line after each), page numbers and running
headers in the middle of sentences, page-start spaces, stray spaces around digits, letter-spaced names,
footnote markers and footnote blocks. Terms split by a wrap are invisible to counting, so lines are
joined back into paragraphs first. Every change is an edit on :class:`MappedText`.

The work is line-based (one pass over the lines, then one edit pass and a few whole-text regexes), so
it stays linear in the size of the file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from ..offsets import CharTable, MappedText

__all__ = [
    "HAN",
    "LayoutInfo",
    "Line",
    "Mark",
    "Repaired",
    "analyse",
    "assemble",
    "display_width",
    "is_heading",
    "paragraph_starts",
    "repair",
    "scan_lines",
]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_CJK = HAN + _CJK_PUNCT
_SP = " \t\u3000\u00a0\u2002\u2003\u2009\u200b"
_END = set("。！？!?；;…")  # a line ending here may end a paragraph
_CLOSERS = set("”’」』）)】》〕")
_MID = set("，、,（(《“‘「『【〔—-/")  # a line ending here continues

_PAGE_RX = re.compile(
    r"^[\s]*(?:[—–\-－]{1,2}[\s]*\d{1,4}[\s]*[—–\-－]{0,2}|[—–\-－]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)[\s]*$"
)
_BARE_NUMBER_RX = re.compile(r"^\s*\d{1,4}\s*$")
_JOURNAL_HEADER_RX = re.compile(
    rf"^\s*(?P<outlet>[{HAN}A-Za-z]{{2,20}})\s*(?P<year>\d{{4}})\s*年\s*第\s*(?P<issue>\d{{1,2}})\s*期\s*$"
)
_RULE_RX = re.compile(r"^(?:[ \t\u3000]{10,}|\s*[_—─\-=]{8,}\s*)$")
_NOTE_NUMBER_RX = re.compile(r"^\s*(?P<n>\d{1,2}|[\u2460-\u2473])\s*$")
_URL_ONLY_RX = re.compile(r"^\s*(?:https?://|www\.|mailto:)\S+\s*$")
_HEADING_RX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|第[一二三四五六七八九十百\d]{1,4}[章节部分篇]"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}[.．、](?!\d)"
    r"|\d{1,2}\)\s"
    r"|[一二三四五六七八九十]{1,3}\s*$"
    r"|(?:一、)?(?:引言|引\s*言|结语|结\s*语|结论|前言|摘\s*要|关键词|参考文献|编者按|Abstract)"
    r"|附[表录][一二三四五六七八九十\d]*\s*(?:[：:]|$)"
    r")"
)
_BULLET_RX = re.compile(r"^\s*[\ue000-\uf8ff●•■◆▪►√]")
_ASCII_RX = re.compile(r"[\x00-\x7f]")
_MID_END_RX = re.compile(rf"[{HAN}A-Za-z0-9，、“（《]")
_WORD_CHAR_RX = re.compile(rf"[{HAN}A-Za-z0-9]")


def display_width(text: str) -> int:
    """Printed width: ASCII counts one column, everything else two (how PDF columns are filled)."""
    return 2 * len(text) - len(_ASCII_RX.findall(text))


def is_heading(body: str) -> bool:
    return bool(_HEADING_RX.match(body))


@dataclass
class Line:
    """One raw line: where it is and what layout role it has.

    ``kind`` is ``text`` for body lines and otherwise names why the line is not body text
    (``blank``, ``page``, ``header``, ``note``, ``byline``, ``dateline``, ``title``, ``bio``, ``fund``).
    """

    no: int
    start: int
    lead: int
    body: str
    trail: bool
    kind: str = "text"
    width: int = 0  # display_width(body), measured for all lines at once by scan_lines

    @property
    def content_start(self) -> int:
        return self.start + self.lead

    @property
    def content_end(self) -> int:
        return self.start + self.lead + len(self.body)


@dataclass
class LayoutInfo:
    """What the analysis found about a file's layout."""

    wrapped: bool
    doubled: bool
    width: np.ndarray  # local column width (display columns) per line
    notes: dict[str, str] = field(default_factory=dict)  # footnote number → footnote text
    note_at: dict[str, int] = field(default_factory=dict)  # footnote number → raw offset of its block
    headers: list[str] = field(default_factory=list)
    journal: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mark:
    """A footnote or reference marker removed from the body (raw span; text when the note was found)."""

    marker: str
    raw_start: int
    raw_end: int
    text: str = ""


@dataclass
class Repaired:
    mapped: MappedText
    marks: list[Mark]


# --------------------------------------------------------------------------- lines


def scan_lines(raw: str) -> list[Line]:
    """Split ``raw`` into lines with their offsets (any line break convention) and display widths."""
    lines: list[Line] = []
    bounds: list[int] = []  # body start and end of every line, for the widths
    pos = 0
    for no, chunk in enumerate(raw.splitlines(keepends=True), start=1):
        content = chunk.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        body = content.strip()
        lead = len(content) - len(content.lstrip()) if body else len(content)
        trail = bool(body) and content != content.rstrip()
        lines.append(Line(no, pos, lead, body, trail, "text" if body else "blank"))
        bounds += (pos + lead, pos + lead + len(body))
        pos += len(chunk)
    for ln, width in zip(lines, _widths(raw, bounds), strict=True):
        ln.width = width
    return lines


def _widths(raw: str, bounds: list[int]) -> list[int]:
    """:func:`display_width` of every ``raw[start:end]`` (flat start, end pairs) from one pass that
    finds the ASCII characters of the whole text."""
    spans = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    sizes = spans[:, 1] - spans[:, 0]
    if raw.isascii():
        return sizes.tolist()
    codes = np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ascii_at = np.flatnonzero(codes < 0x80)
    found = np.searchsorted(ascii_at, spans[:, 1]) - np.searchsorted(ascii_at, spans[:, 0])
    return (2 * sizes - found).tolist()


def _text_indices(lines: list[Line]) -> list[int]:
    return [i for i, ln in enumerate(lines) if ln.kind == "text"]


def _local_width(lines: list[Line], idx: list[int]) -> np.ndarray:
    widths = np.zeros(len(lines), dtype=np.int64)
    if not idx:
        return widths
    w = np.array([lines[i].width for i in idx], dtype=np.int64)
    half = 6
    padded = np.pad(w, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    widths[np.array(idx)] = windows.max(axis=1)
    return widths


def _is_wrapped(lines: list[Line], idx: list[int]) -> bool:
    """Hard-wrapped text: many full lines stop mid-sentence (a paragraph-per-line file does not)."""
    long = [lines[i] for i in idx if lines[i].width >= 20]
    if len(long) < 5:
        return False
    widths = sorted(ln.width for ln in long)
    if widths[len(widths) // 2] > 130:  # paragraphs on one line each, not a printed column
        return False
    mid = sum(1 for ln in long if _MID_END_RX.match(ln.body[-1]))
    return mid / len(long) >= 0.3


def _is_doubled(lines: list[Line], idx: list[int]) -> bool:
    """Blank-line doubling: most text lines are followed by exactly one blank line."""
    if len(idx) < 4:
        return False
    followed = sum(1 for i in idx if i + 1 < len(lines) and lines[i + 1].kind == "blank")
    return followed / len(idx) >= 0.5


def _mark_pages(lines: list[Line], wrapped: bool) -> None:
    for ln in lines:
        if ln.kind != "text":
            continue
        if _PAGE_RX.match(ln.body) or (wrapped and _BARE_NUMBER_RX.match(ln.body)):
            ln.kind = "page"


def _prev_text(lines: list[Line], i: int) -> Line | None:
    for j in range(i - 1, -1, -1):
        if lines[j].kind == "text":
            return lines[j]
    return None


def _ends_sentence(body: str) -> bool:
    if not body:
        return False
    last = body[-1]
    if last in _END:
        return True
    return last in _CLOSERS and len(body) > 1 and body[-2] in _END


def _mark_headers(lines: list[Line], info: LayoutInfo) -> None:
    """Running headers: a journal header line, or a short line repeated ≥3 times that cuts a sentence."""
    for ln in lines:
        if ln.kind == "text":
            m = _JOURNAL_HEADER_RX.match(ln.body)
            if m:
                ln.kind = "header"
                info.journal.setdefault("outlet", m.group("outlet"))
                info.journal.setdefault("year", m.group("year"))
                info.journal.setdefault("issue", m.group("issue"))
    short: dict[str, list[int]] = {}  # body → its text lines (marking one body leaves the others)
    for i, ln in enumerate(lines):
        if ln.kind == "text" and len(ln.body) <= 30:
            short.setdefault(ln.body, []).append(i)
    for body, where in short.items():
        if len(where) < 3 or len(re.findall(f"[{HAN}]", body)) < 4 or re.search(r"[，、。；！？：,;]", body):
            continue
        if not any(lines[i].trail for i in where) and any(_at_page_break(lines, i) for i in where):
            for i in where:
                lines[i].kind = "header"
            info.headers.append(body)


def _at_page_break(lines: list[Line], i: int) -> bool:
    """The line cuts a sentence right before a page-start (indented) line."""
    prev = _prev_text(lines, i)
    if prev is None:
        return False
    nxt = next((lines[k] for k in range(i + 1, len(lines)) if lines[k].kind == "text"), None)
    cut = not _ends_sentence(prev.body) and prev.body[-1] not in _CLOSERS
    return cut and nxt is not None and nxt.lead > 0


def _mark_note_blocks(lines: list[Line], info: LayoutInfo) -> None:
    """Footnote blocks set mid-page: a rule line, then numbered notes, until the next page starts."""
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        raw_rule = ln.kind in {"blank", "text"} and ln.lead >= 10 and not ln.body
        if not (raw_rule or (ln.kind == "text" and _RULE_RX.match(ln.body))):
            i += 1
            continue
        j = i + 1
        while j < n and lines[j].kind == "blank" and not lines[j].lead >= 10:
            j += 1
        if j >= n or lines[j].kind != "text" or not _NOTE_NUMBER_RX.match(lines[j].body):
            i += 1
            continue
        i = _consume_notes(lines, i, j, info)


def _consume_notes(lines: list[Line], rule: int, j: int, info: LayoutInfo) -> int:
    lines[rule].kind = "note"
    current: str | None = None
    texts: dict[str, list[str]] = {}
    after_number = False
    k = j
    while k < len(lines) and k - j < 60:
        ln = lines[k]
        if ln.kind == "blank":
            k += 1
            continue
        if ln.kind != "text":
            break
        m = _NOTE_NUMBER_RX.match(ln.body)
        if m:
            current = _note_key(m.group("n"))
            texts.setdefault(current, [])
            info.note_at.setdefault(current, lines[rule].start)
            ln.kind = "note"
            after_number = True
            k += 1
            continue
        if ln.lead and not after_number:
            break  # a new page starts: the sentence the block interrupted goes on
        if current is not None:
            if not (_URL_ONLY_RX.match(ln.body) and ln.body in "".join(texts[current])):
                texts[current].append(ln.body)
            ln.kind = "note"
        after_number = False
        k += 1
    for key, parts in texts.items():
        info.notes[key] = _join_parts(parts)
    return k


def _note_key(marker: str) -> str:
    if "\u2460" <= marker <= "\u2473":
        return str(ord(marker) - 0x2460 + 1)
    return str(int(marker))


def _join_parts(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def analyse(lines: list[Line]) -> LayoutInfo:
    """Find the file's layout (wrapped or not) and mark page numbers, headers and footnote blocks."""
    idx = _text_indices(lines)
    wrapped = _is_wrapped(lines, idx)
    info = LayoutInfo(wrapped=wrapped, doubled=_is_doubled(lines, idx), width=np.zeros(0))
    if wrapped:
        _mark_note_blocks(lines, info)
    _mark_pages(lines, wrapped)
    if wrapped:
        _mark_headers(lines, info)
    info.width = _local_width(lines, _text_indices(lines))
    return info


# --------------------------------------------------------------------------- joining


def _short(width: int, column: int, slack: int) -> bool:
    return width <= column - slack


def _breaks(a: Line, b: Line, column: int, blank_between: bool, info: LayoutInfo, head: Line) -> bool:
    """Does a paragraph end between text lines ``a`` and ``b``? (``head`` opened ``a``'s paragraph)"""
    if not info.wrapped:
        return True
    if blank_between and not info.doubled:
        return True
    last = a.body[-1]
    if last in _MID:
        return False
    if is_heading(b.body) or _BULLET_RX.match(b.body):
        return True
    wa = a.width
    if a.trail:
        # a trailing space ends paragraphs, headings and bylines; inside a full body line that
        # stops on a character (通过新质生产␠/力…) it is noise
        latin = last.isascii() and last.isalnum()  # proportional type: Latin lines vary in width
        full = not _short(wa, column, int(column * 0.25) if latin else 4)
        mid_word = bool(_WORD_CHAR_RX.match(last)) and full
        return not (mid_word and (head is not a or latin) and not is_heading(head.body))
    if _ends_sentence(a.body) or last in "：:":
        return _short(wa, column, 4)
    if _short(wa, column, int(column * 0.4)):
        # a short line without final punctuation: a heading, unless table cells follow
        return not (_short(b.width, column, int(column * 0.4)) and not is_heading(b.body))
    return False


def _join(a: Line, b: Line) -> tuple[int, str]:
    """How to join wrapped lines: (characters of ``a`` to drop at its end, separator)."""
    x, y = a.body[-1], b.body[0]
    if x == "-" and len(a.body) > 1 and a.body[-2].isalpha() and a.body[-2].isascii() and y.islower():
        return 1, ""  # de-hyphenate an English word wrap
    if x.isascii() and x.isalnum() and y.isascii() and y.isalnum():
        return 0, " "
    if x in ",.;:" and y.isascii() and y.isalpha():
        return 0, " "
    return 0, ""


def paragraph_starts(lines: list[Line], info: LayoutInfo) -> set[int]:
    """Indices of the text lines that open a paragraph (the first text line always does)."""
    idx = _text_indices(lines)
    if not info.wrapped:  # every text line is a paragraph of its own
        return set(idx)
    starts = set(idx[:1])
    head = lines[idx[0]] if idx else None
    for p, q in itertools.pairwise(idx):
        blank = q > p + 1 and any(lines[k].kind == "blank" for k in range(p + 1, q))
        column = int(info.width[p]) if len(info.width) else 0
        if _breaks(lines[p], lines[q], column, blank, info, head):  # type: ignore[arg-type]
            starts.add(q)
            head = lines[q]
    return starts


def assemble(raw: str, lines: list[Line], info: LayoutInfo, breaks: set[int] | None = None) -> Repaired:
    """Join text lines into paragraphs (one ``\\n`` between paragraphs) and apply inline repairs.

    ``breaks`` are extra line indices that must open a paragraph (piece starts).
    """
    idx = _text_indices(lines)
    if not idx:
        return Repaired(MappedText.identity(""), [])
    starts = paragraph_starts(lines, info) | (breaks or set())
    edits: list[tuple[int, int, str]] = [(0, lines[idx[0]].content_start, "")]
    for p, q in itertools.pairwise(idx):
        a, b = lines[p], lines[q]
        drop, sep = (0, "\n") if q in starts else _join(a, b)
        edits.append((a.content_end - drop, b.content_start, sep))
    edits.append((lines[idx[-1]].content_end, len(raw), ""))
    edits = [e for e in edits if raw[e[0] : e[1]] != e[2]]
    mapped = MappedText.identity(raw).edit(edits)
    return _inline(mapped, info)


# --------------------------------------------------------------------------- inline repairs

_FOLD = CharTable(
    {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
    | {0xFF05: 0x25, 0xFF06: 0x26, 0xFF0B: 0x2B}  # ％ ＆ ＋
)
# The regexes below start by consuming a character from a class (a lookbehind, if any, comes after it
# and looks back over that character too): the regex engine then skips to candidate characters at C
# speed instead of trying every position. tests/ingest/test_fast_paths.py checks each against
# its plain form (lookbehind first), which gives the same matches.
_FULLSTOP_IN_NUMBER = re.compile(r"．(?:(?<=[0-9]．)(?=[0-9])|(?<=[A-Za-z]．)(?=[A-Za-z\s]))")
_PUA = re.compile(rf"[\ue000-\uf8ff][{_SP}]*")
# footnote markers: circled numbers, [1] ［1］ 〔1〕, and a note number glued after a closing quote
# (the closing quote is consumed as well, so every alternative starts on a character of one small
# class; the note number is then group 1). The first character decides which alternative can match.
_CIRCLED = "\u2460-\u2473"
_CLOSERS_RX = "”」』）)"
_MARKER = re.compile(
    rf"[{_CIRCLED}\[［〔{_CLOSERS_RX}](?:"
    rf"(?<=[{_CIRCLED}])"
    r"|(?<=\[)\d{1,3}(?:[ ]?[-–—,，、][ ]?\d{1,3})*\]"
    r"|(?<=［)\d{1,3}(?:[-–—,，、]\d{1,3})*］"
    r"|(?<=〔)\d{1,3}(?:[-–—,，、]\d{1,3})*〕"
    rf"|(?<=[{_CLOSERS_RX}])(\d{{1,2}})(?=[，。；、：！？\n]|$))"
)
_SPACE_RULES = [
    re.compile(rf"[{_SP}](?<=[{_CJK}][{_SP}])[{_SP}]*(?=[0-9A-Za-z%(\[])"),
    re.compile(rf"[{_SP}](?<=[0-9A-Za-z%)\]][{_SP}])[{_SP}]*(?=[{_CJK}])"),
    re.compile(rf"[{_SP}](?<=[0-9][{_SP}])[{_SP}]*(?=[%‰℃])"),
    re.compile(rf"[{_SP}][{_SP}]*(?=[{_CJK_PUNCT}])"),
    re.compile(rf"[{_SP}](?<=[{_CJK_PUNCT}][{_SP}])[{_SP}]*"),
]
_LETTER_SPACED = re.compile(rf"(?<![{HAN}])[{HAN}](?:[{_SP}]{{1,2}}[{HAN}]){{1,3}}(?![{HAN}])")
_HAN_THEN_SPACE = re.compile(rf"[{_SP}](?<=[{HAN}][{_SP}])")
_HAN_GAP = re.compile(rf"[{_SP}](?<=[{HAN}][{_SP}])[{_SP}]*(?=[{HAN}])")
_EDGE_SPACE = re.compile(rf"[{_SP}](?:(?<=^[{_SP}])[{_SP}]*|[{_SP}]*$)", re.M)
_MULTI_SPACE = re.compile(rf"[{_SP}][{_SP}]+")
_SPACE_CLASS = re.compile(rf"[{_SP}]")
_BLANK_LINES = re.compile(r"\n\n+")


def letter_spaced(text: str) -> Iterator[re.Match[str]]:
    """``_LETTER_SPACED.finditer(text)``, trying only where a match can start: a Han character followed
    by a space (found at C speed), instead of at every Han character."""
    pos = 0
    for gap in _HAN_THEN_SPACE.finditer(text):
        start = gap.start() - 1
        if start < pos:
            continue
        m = _LETTER_SPACED.match(text, start)
        if m is not None:
            pos = m.end()
            yield m


def _marker_kind(marker: str) -> str:
    """Which kind of footnote marker a marker is (by its first character)."""
    first = marker[0]
    if "\u2460" <= first <= "\u2473":
        return "circled"
    return {"[": "square", "［": "wide", "〔": "tortoise"}.get(first, "sup")


def find_markers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every footnote-marker candidate, left to right, never overlapping.

    A match can only end on a digit or a bracket, never on a closing quote, so consuming the quote
    before a glued note number cannot swallow the end of the previous marker.
    """
    found = []
    for m in _MARKER.finditer(text):
        if m.group(1) is not None:
            found.append((m.start(1), m.end(1), "sup"))
        else:
            found.append((m.start(), m.end(), _marker_kind(m.group())))
    return found


def _marker_kept(text: str, start: int, end: int, kind: str) -> bool:
    """List enumerators (①加强…；②…) and reference-list entries ([1] 作者…) are not markers."""
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if kind == "circled":
        return (before in "\n：:；;。，、 " or before.isspace()) and bool(re.match(rf"[{HAN}]", after))
    return before == "\n"


def _remove_markers(mapped: MappedText, info: LayoutInfo) -> tuple[MappedText, list[Mark]]:
    text = mapped.text
    marks: list[Mark] = []
    edits: list[tuple[int, int, str]] = []
    for start, end, kind in find_markers(text):
        if _marker_kept(text, start, end, kind):
            continue
        rs, re_ = mapped.raw_span(start, end)
        marker = text[start:end]
        key = _note_key(marker) if kind == "circled" else (marker if kind == "sup" else "")
        marks.append(Mark(marker, rs, re_, info.notes.get(key, "") if key else ""))
        edits.append((start, end, ""))
    found = {_note_key(mk.marker) if "\u2460" <= mk.marker[0] <= "\u2473" else mk.marker for mk in marks}
    taken = {mk.raw_start for mk in marks}
    for key, note in info.notes.items():
        if key in found:
            continue
        hit = _numbered_marker(mapped, key, info.note_at.get(key), taken)
        if hit is not None:
            rs, re_ = mapped.raw_span(*hit)
            marks.append(Mark(key, rs, re_, note))
            edits.append((hit[0], hit[1], ""))
            taken.add(rs)
    edits.sort()
    merged: list[tuple[int, int, str]] = []
    for e in edits:
        if merged and e[0] < merged[-1][1]:
            continue
        merged.append(e)
    marks.sort(key=lambda mk: mk.raw_start)
    return mapped.edit(merged), marks


def _numbered_marker(
    mapped: MappedText, key: str, block_at: int | None, taken: set[int]
) -> tuple[int, int] | None:
    """A glued note number (前奏2。) standing before its footnote block, nearest first."""
    if not key.isdigit():
        return None
    rx = re.compile(rf"(?<=[^\d\s.,%:/\-]){key}(?=[，。；、：！？\n]|$)")
    hits = [m for m in rx.finditer(mapped.text)]
    best = None
    for m in hits:
        rs = int(mapped.starts[m.start()])
        if rs in taken:
            continue
        if block_at is not None and rs > block_at:
            break
        best = (m.start(), m.end())
    return best


def _inline(mapped: MappedText, info: LayoutInfo) -> Repaired:
    mapped = mapped.translate(_FOLD)
    mapped = mapped.sub(_FULLSTOP_IN_NUMBER, ".")
    mapped = mapped.sub(_PUA, "")
    mapped, marks = _remove_markers(mapped, info)
    for rx in _SPACE_RULES:
        mapped = mapped.sub(rx, "")
    # delete only the spaces of a letter-spaced name, so each character keeps its own raw span
    mapped = mapped.edit(
        (m.start() + sp.start(), m.start() + sp.end(), "")
        for m in letter_spaced(mapped.text)
        for sp in _SPACE_CLASS.finditer(m.group())
    )
    if info.wrapped:
        mapped = mapped.sub(_HAN_GAP, "")
    mapped = mapped.sub(_EDGE_SPACE, "")
    mapped = mapped.sub(_MULTI_SPACE, " ")
    mapped = mapped.sub(_BLANK_LINES, "\n")
    return Repaired(mapped, marks)


def repair(raw: str) -> Repaired:
    """Layout repair of a whole text with no splitting (one document)."""
    lines = scan_lines(raw)
    info = analyse(lines)
    return assemble(raw, lines, info)
