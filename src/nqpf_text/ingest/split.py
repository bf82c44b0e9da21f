"""Splitting compilations into documents, and the metadata that sits in bylines, titles and bios.

A compilation (汇编) of speeches and commentaries has no titles left after PDF extraction; its pieces
start at bylines (affiliation + name, "南京日报评论员"), end at quotation attributions
("——2024 年 1 月 31 日，习近平在…讲话") or at author bios (作者简介：…). Journal columns drop titles and
letter-spaced bylines ("刘 志 迎") in the middle of sentences. These lines are metadata, not body text:
they are marked here (``Line.kind``) so layout repair leaves them out and the sentence rejoins.

With a manifest entry that lists pieces, the pieces are taken from it (curated starts, including the
unbylined ones); otherwise they are detected.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..types import Issue
from .layout import HAN, LayoutInfo, Line, is_heading, paragraph_starts
from .manifest import FileEntry

__all__ = ["Piece", "plan_pieces"]

_NAME = rf"[{HAN}]{{2,4}}"
_TITLE_WORDS = (
    "教授|副教授|研究员|副研究员|主任|副主任|书记|副书记|局长|副局长|院长|副院长|所长|校长|副校长|市长|省长|"
    "部长|秘书长|副秘书长|行长|社长|董事长|总经理|经济师|博士|讲师|代表|委员|理事长|会长|主编|处长|科长"
)
_STRONG_END = re.compile(r"(?:全媒体|特约)?(?:评论员|记者|通讯员|网评|评论员文章)$")
_TITLE_NAME = re.compile(rf"(?:{_TITLE_WORDS})(?P<name>{_NAME})$")
_ROLE_NAME = re.compile(rf"(?:评论员|记者|通讯员)(?P<name>{_NAME})$")
_ORG_WORDS = re.compile(
    r"大学|学院|研究院|研究所|研究会|研究中心|中心|党校|委员会|日报|报社|新华社|人民网|局|厅|部|办|集团|银行|公司|协会|学会"
)
_NOT_NAME = re.compile(rf"{_TITLE_WORDS}|{_ORG_WORDS.pattern}|[长任员]$")
_ORG_NAME = re.compile(rf"(?:{_ORG_WORDS.pattern})(?P<name>{_NAME})$")
_LETTER_SPACED = re.compile(rf"^[{HAN}](?:[ \u3000]+[{HAN}]){{1,3}}$")
_ATTRIBUTION = re.compile(r"^——\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?\s*[，,]")
_DATELINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?$")
_BIO = re.compile(r"^\*?\s*(?:作者简介|作者單位|作者单位|通讯作者|作者簡介)\s*[:：]")
_FUND = re.compile(r"^\*?\s*(?:基金项目|基金項目|项目基金)\s*[:：]")
_CREDIT = re.compile(r"^(?:责任编辑|責任編輯|责编|校对|审核)\s*[:：\s]")
_EDITOR_NOTE = re.compile(r"^编者按|^編者按")
_NO_BYLINE = re.compile(r"[。“”：:；;！？!?…《》\d]")
_SENTENCE_PUNCT = re.compile(r"[，。；：！？、,;:!?]")


@dataclass
class Piece:
    """One document of a file: its first line index and the metadata found for it."""

    first: int
    meta: dict[str, Any] = field(default_factory=dict)
    line_start: int = 1
    line_end: int = 1


# --------------------------------------------------------------------------- bylines


def _byline_shape(body: str) -> bool:
    limit = 27 if re.search(r"（.+）|\(.+\)", body) else 24
    return len(body) <= limit and not _NO_BYLINE.search(body) and not is_heading(body)


def _byline_strength(ln: Line) -> int:
    """2 = clearly a byline, 1 = a byline if the file has clear ones, 0 = not a byline."""
    body = ln.body
    if not _byline_shape(body):
        return 0
    if _STRONG_END.search(body) or _LETTER_SPACED.match(body) or _TITLE_NAME.search(body):
        return 2
    if _ROLE_NAME.search(body):
        return 2
    tokens = [t.strip("，、,") for t in body.split() if t.strip("，、,")]
    if (
        len(tokens) >= 2
        and re.fullmatch(_NAME, tokens[-1])
        and all(re.fullmatch(rf"[{HAN}（）()、]+", t) for t in tokens)
    ):
        return 2
    if all(_ORG_NAME.search(t) for t in tokens) and (len(tokens) >= 2 or ln.lead or ln.trail):
        return 2
    parts = [p for p in re.split(r"[\s，、,]+", body) if p]
    if len(parts) >= 2 and all(re.fullmatch(_NAME, p) and not _NOT_NAME.search(p) for p in parts):
        return 2  # a list of names: 尹西明，陈劲，王华峰
    if re.fullmatch(_NAME, body) and (ln.lead or ln.trail):
        return 1
    if re.fullmatch(rf"[{HAN}]{{5,6}}", body) and ln.lead and ln.trail:
        return 1  # two names printed without a separator
    if _ORG_WORDS.search(body) and (ln.lead or ln.trail) and len(tokens) == 1 and len(body) >= 6:
        return 1
    return 0


def _prev_content(lines: list[Line], i: int) -> Line | None:
    for j in range(i - 1, -1, -1):
        if lines[j].kind not in {"blank", "note"}:
            return lines[j]
    return None


def _after_boundary(lines: list[Line], i: int, byline_ids: set[int]) -> bool:
    """The line before ends a sentence, or is a page number, header, byline, bio or file start."""
    prev = _prev_content(lines, i)
    if prev is None or prev.kind in {
        "page",
        "header",
        "bio",
        "fund",
        "byline",
        "dateline",
        "attribution",
        "credit",
    }:
        return True
    if id(prev) in byline_ids:
        return True
    body = prev.body
    return body[-1] in "。！？!?”" or body.endswith("。 ")


def _detect_bylines(lines: list[Line], width: np.ndarray) -> list[int]:
    """Indices of byline lines (shape + position + evidence of names), clear ones required.

    A byline is shorter than the column, unless it is set apart by a page-start space and a
    trailing space as in PDF compilations.
    """
    strong: list[int] = []
    weak: list[int] = []
    ids: set[int] = set()
    for i, ln in enumerate(lines):
        if ln.kind != "text":
            continue
        if len(width) and ln.width > width[i] - 4 and not (ln.lead and ln.trail):
            continue
        s = _byline_strength(ln)
        if s and _after_boundary(lines, i, ids):
            (strong if s == 2 else weak).append(i)
            ids.add(id(ln))
    if len(strong) < 2:
        return []
    return sorted(strong + weak)


def _split_name(token: str) -> tuple[str, str | None]:
    """(affiliation part, person name) of one byline token such as 庆阳市教育局局长刘小银."""
    if re.fullmatch(_NAME, token) and not _ORG_WORDS.search(token):
        return "", token
    for rx in (_ROLE_NAME, _TITLE_NAME, _ORG_NAME):
        m = rx.search(token)
        if m and m.start("name") > 0 and not _NOT_NAME.search(m.group("name")):
            return token[: m.start("name")], m.group("name")
    return token, None


def _parse_byline(bodies: list[str]) -> dict[str, Any]:
    """Author(s), affiliation and outlet from byline lines (best effort; the manifest corrects)."""
    authors: list[str] = []
    affiliations: list[str] = []
    outlet = None
    for body in bodies:
        text = body.strip()
        if _LETTER_SPACED.match(text):
            authors.append(re.sub(r"\s+", "", text))
            continue
        m = _STRONG_END.search(text)
        if m:
            authors.append(text)
            head = text[: m.start()]
            if head:
                outlet = outlet or (
                    head + "网" if text.endswith("网评") and not head.endswith("网") else head
                )
            continue
        tokens = [t for t in re.split(r"[\s，,]+", text) if t]
        for token in tokens:
            aff, name = _split_name(token)
            if name:
                authors.append(name)
            role = _ROLE_NAME.search(token)
            if role and aff:
                outlet = outlet or re.sub(r"(?:全媒体|特约)?(?:评论员|记者)$", "", aff)
            if aff:
                affiliations.append(aff)
    meta: dict[str, Any] = {}
    if authors:
        meta["author"] = "、".join(dict.fromkeys(authors))
    if affiliations:
        meta["affiliation"] = "；".join(dict.fromkeys(affiliations))
    if outlet:
        meta["outlet"] = outlet
        meta["kind"] = "commentary"
    return meta


# --------------------------------------------------------------------------- other marks


def _paragraph_of(lines: list[Line], i: int, starts: set[int]) -> list[int]:
    """Text line indices of the paragraph that starts at ``i``."""
    out = [i]
    for j in range(i + 1, len(lines)):
        if lines[j].kind != "text":
            if lines[j].kind in {"blank", "page", "header", "note"}:
                continue
            break
        if j in starts:
            break
        out.append(j)
    return out


def _mark_attributions(lines: list[Line], starts: set[int]) -> dict[int, dict[str, Any]]:
    """Quotation attributions (——date，speaker在occasion): metadata of the quotation before them."""
    found: dict[int, dict[str, Any]] = {}
    for i, ln in enumerate(lines):
        if ln.kind != "text" or i not in starts:
            continue
        m = _ATTRIBUTION.match(ln.body)
        if not m:
            continue
        para = _paragraph_of(lines, i, starts)[:4]
        text = re.sub(r"\s+", "", "".join(lines[k].body for k in para))
        for k in para:
            lines[k].kind = "attribution"
        date = f"{m.group('y')}-{int(m.group('m')):02d}" + (
            f"-{int(m.group('d')):02d}" if m.group("d") else ""
        )
        rest = text.split("，", 1)[1] if "，" in text else text
        who = re.match(rf"(?P<who>[{HAN}]{{2,4}}?)在(?P<occasion>.+)$", rest)
        meta: dict[str, Any] = {"date": date, "date_inferred": False, "kind": "speech excerpt"}
        if who:
            meta["author"] = who.group("who")
            meta["title"] = who.group("occasion")
        found[i] = meta
    return found


def _mark_blocks(lines: list[Line], starts: set[int]) -> dict[int, dict[str, Any]]:
    """Author bios, funding notes and editor credits: out of the body, into metadata."""
    found: dict[int, dict[str, Any]] = {}
    for i, ln in enumerate(lines):
        if ln.kind != "text" or i not in starts:
            continue
        for rx, kind in ((_BIO, "bio"), (_FUND, "fund"), (_CREDIT, "credit")):
            if rx.match(ln.body):
                para = _paragraph_of(lines, i, starts)
                text = "".join(lines[k].body for k in para)
                for k in para:
                    lines[k].kind = kind
                found[i] = {kind: text}
                break
    return found


def _bio_meta(text: str) -> dict[str, Any]:
    body = re.sub(r"^\*?\s*[^:：]+[:：]", "", text).strip("。 ")
    parts = [p for p in re.split(r"[，,]", body) if p]
    meta: dict[str, Any] = {}
    if parts and re.fullmatch(_NAME, parts[0]):
        meta["author"] = parts[0]
        parts = parts[1:]
    if parts and parts[0] in {"男", "女"}:
        parts = parts[1:]
    if parts:
        meta["affiliation"] = re.sub(r"（[^）]*\d{6}[^）]*）$", "", parts[0])
    return meta


def _mark_title_blocks(lines: list[Line]) -> dict[int, dict[str, Any]]:
    """Title lines + letter-spaced byline dropped by the PDF, at a piece start or mid-sentence."""
    found: dict[int, dict[str, Any]] = {}
    for i, ln in enumerate(lines):
        if ln.kind != "text" or not _LETTER_SPACED.match(ln.body) or is_heading(ln.body):
            continue
        titles: list[int] = []
        j = i - 1
        while j >= 0 and len(titles) < 2:
            prev = lines[j]
            if prev.kind in {"blank", "page", "header", "note"}:
                j -= 1
                continue
            if prev.kind != "text" or _SENTENCE_PUNCT.search(prev.body) or len(prev.body) > 40:
                break
            titles.insert(0, j)
            j -= 1
        ln.kind = "byline"
        for k in titles:
            lines[k].kind = "title"
        first = titles[0] if titles else i
        meta: dict[str, Any] = {"author": re.sub(r"\s+", "", ln.body)}
        if titles:
            meta["title"] = _title_text([lines[k].body for k in titles])
        found[first] = meta
    return found


def _title_text(bodies: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(bodies)).strip().rstrip("*＊")


def _mark_datelines(lines: list[Line], after: list[int]) -> dict[int, str]:
    """A bare date right after a byline is the piece's printed date."""
    found: dict[int, str] = {}
    for i in after:
        j = i + 1
        while j < len(lines) and lines[j].kind in {"blank", "byline"}:
            j += 1
        if j < len(lines) and lines[j].kind == "text":
            m = _DATELINE.match(lines[j].body)
            if m:
                lines[j].kind = "dateline"
                found[i] = f"{m.group('y')}-{int(m.group('m')):02d}" + (
                    f"-{int(m.group('d')):02d}" if m.group("d") else ""
                )
    return found


# --------------------------------------------------------------------------- planning


def _groups(indices: list[int], lines: list[Line]) -> list[list[int]]:
    """Consecutive byline lines (only blank lines between) form one group."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and all(
            lines[k].kind == "blank" or lines[k].body == "" for k in range(groups[-1][-1] + 1, i)
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _apply_drops(lines: list[Line], drops: list[tuple[int, int, str]]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for first, last, role in drops:
        idx = [k for k in range(first - 1, min(last, len(lines))) if lines[k].kind == "text"]
        if not idx:
            continue
        for k in idx:
            lines[k].kind = (
                role if role in {"title", "byline", "bio", "fund", "credit", "dateline"} else "dropped"
            )
        text = _title_text([lines[k].body for k in idx])
        if role == "title":
            found[idx[0]] = {"title": text}
        elif role == "byline":
            found[idx[0]] = _parse_byline([lines[k].body for k in idx])
        elif role == "bio":
            found[idx[0]] = _bio_meta(text)
    return found


def _first_text(lines: list[Line], start: int, stop: int) -> int | None:
    for k in range(start, stop):
        if lines[k].kind == "text":
            return k
    return None


def _merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key in {"bio", "fund", "credit"}:
            target.setdefault(key, value)
            if key == "bio":
                for k, v in _bio_meta(value).items():
                    target.setdefault(k, v)
            continue
        target.setdefault(key, value)


def plan_pieces(
    lines: list[Line], info: LayoutInfo, entry: FileEntry | None, source: str
) -> tuple[list[Piece], list[Issue]]:
    """Decide where documents start in a file and collect the metadata found in its layout."""
    issues: list[Issue] = []
    events: dict[int, dict[str, Any]] = {}
    manual = entry is not None and entry.split == "manual" and entry.pieces
    if entry is not None:
        events.update(_apply_drops(lines, entry.drop))
        for pe in entry.pieces or []:
            events.update(_apply_drops(lines, pe.drop))
    starts_par = paragraph_starts(lines, info)
    title_events = _mark_title_blocks(lines)
    block_events = _mark_blocks(lines, starts_par)
    attributions = _mark_attributions(lines, starts_par)
    single = entry is not None and entry.split == "none"
    bylines = [] if single else _detect_bylines(lines, info.width)
    if manual:
        allowed = {pe.line - 1 for pe in entry.pieces}  # type: ignore[union-attr]
        candidates = set(bylines)
        bylines = [i for i in bylines if _at_listed_start(lines, i, allowed, candidates)]
    groups = _groups(bylines, lines)
    for g in groups:
        for k in g:
            lines[k].kind = "byline"
    datelines = _mark_datelines(lines, [g[-1] for g in groups])

    byline_events = {g[0]: _parse_byline([lines[k].body for k in g]) for g in groups}
    for g in groups:
        if g[-1] in datelines:
            byline_events[g[0]].update(date=datelines[g[-1]], date_inferred=False)

    if manual:
        firsts = []
        for pe in entry.pieces:  # type: ignore[union-attr]
            idx = pe.line - 1
            if idx >= len(lines):
                issues.append(
                    Issue(source, f"line {pe.line}", "manifest piece starts after the end of the file")
                )
                continue
            if pe.cue and not lines[idx].body.replace(" ", "").startswith(pe.cue.replace(" ", "")):
                issues.append(
                    Issue(source, f"line {pe.line}", f"manifest cue {pe.cue!r} not found at this line")
                )
            firsts.append(idx)
    elif single:
        firsts = [0]
    else:
        firsts = _detected_starts(lines, groups, title_events, block_events, attributions, starts_par)

    pieces = _build(
        lines, sorted(set(firsts)), [events, title_events, byline_events, block_events], attributions
    )
    if manual:
        by_line = {pe.line - 1: pe for pe in entry.pieces}  # type: ignore[union-attr]
        for piece in pieces:
            pe = by_line.get(piece.first)
            if pe is not None:
                piece.meta.update(pe.meta)
    return pieces, issues


def _at_listed_start(lines: list[Line], i: int, allowed: set[int], candidates: set[int]) -> bool:
    """In manifest mode a byline counts only at a listed start (or right after other byline lines)."""
    for a in allowed:
        if a <= i <= a + 8 and all(
            k in candidates or lines[k].kind in {"blank", "page", "header"} for k in range(a, i)
        ):
            return True
    return False


def _detected_starts(
    lines: list[Line],
    groups: list[list[int]],
    titles: dict[int, dict[str, Any]],
    blocks: dict[int, dict[str, Any]],
    attributions: dict[int, dict[str, Any]],
    starts_par: set[int],
) -> list[int]:
    first = _first_text(lines, 0, len(lines))
    firsts: list[int] = [] if first is None else [0]
    for g in groups:
        firsts.append(g[0])
    for i in titles:
        if _after_boundary(lines, i, set()):
            firsts.append(i)
    ends = [i for i in blocks if lines[i].kind in {"bio", "fund"}] + list(attributions)
    for i in ends:
        nxt = _next_content(lines, i)
        if nxt is not None:
            firsts.append(nxt)
    for i, ln in enumerate(lines):
        if ln.kind == "text" and i in starts_par and _EDITOR_NOTE.match(ln.body):
            firsts.append(i)
            nxt = next((k for k in sorted(starts_par) if k > i and lines[k].kind == "text"), None)
            if nxt is not None:
                firsts.append(nxt)
    return firsts


def _next_content(lines: list[Line], i: int) -> int | None:
    """First line after the block at ``i`` that is body text or a new title/byline."""
    kind = lines[i].kind
    j = i + 1
    while j < len(lines) and lines[j].kind in {
        kind,
        "blank",
        "page",
        "header",
        "note",
        "bio",
        "fund",
        "credit",
    }:
        j += 1
    return j if j < len(lines) else None


def _build(
    lines: list[Line],
    firsts: list[int],
    event_maps: list[dict[int, dict[str, Any]]],
    attributions: dict[int, dict[str, Any]],
) -> list[Piece]:
    pieces: list[Piece] = []
    bounds = [*firsts, len(lines)]
    for a, b in itertools.pairwise(bounds):
        if _first_text(lines, a, b) is None:
            continue
        meta: dict[str, Any] = {}
        for i in range(a, b):
            for events in event_maps:
                if i in events:
                    _merge(meta, events[i])
            if i in attributions:
                _merge(meta, attributions[i])
        content = [k for k in range(a, b) if lines[k].kind not in {"blank", "page", "header", "note"}]
        pieces.append(Piece(a, meta, lines[content[0]].no, lines[content[-1]].no))
    return pieces
