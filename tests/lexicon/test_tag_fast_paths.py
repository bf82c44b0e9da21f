"""The tagger's fast paths against plain versions of the same rules.

- ``Tagger.match`` against a reference tagger written the direct way: every occurrence found with
  ``str.find``, every claim checked on every occurrence, word boundaries from segmenting the whole
  sentence, then leftmost-longest (the fast tagger checks only uncovered candidates, segments only
  the stretch between punctuation marks, and builds mentions from templates);
- the stretch rule itself (segmenting between clause marks = segmenting the whole text), for
  both backends;
- the required literals that let a lexicon regex be skipped (never skip a text it matches);
- the Aho-Corasick index over UTF-32 bytes (same occurrences as a plain search, any characters).
"""

from __future__ import annotations

import bisect
import pickle
from dataclasses import replace
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nqpf_text.lexicon import CONTEXT_WINDOW, Lexicon, load_lexicons
from nqpf_text.match import TermIndex
from nqpf_text.match import required_literals as _required_literals
from nqpf_text.segment import Segmenter, split_sentences
from nqpf_text.tag import _CLAUSE_MARKS, MAX_SEGMENT_SPAN, Tagger, _new_mention
from nqpf_text.types import Mention

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TOY = """\
lexicon: toy_regions
version: t
category: region
org_suffixes: [大学, 日报]
exclude: [北京时间, 东北亚]
entries:
  - {id: "110000", name: 北京, level: province, parent: macro.east, terms: [北京, 北京市]}
  - {id: "320000", name: 江苏, level: province, parent: macro.east, terms: [江苏]}
  - {id: "320100", name: 南京, level: city, parent: "320000", terms: [南京]}
  - {id: "360000", name: 江西, level: province, parent: macro.central, terms: [江西]}
  - {id: macro.east, name: 东部, level: macro, terms: [东部, {term: 东部地区, priority: 1}]}
  - {id: macro.central, name: 中部, level: macro, terms: [中部]}
  - {id: macro.northeast, name: 东北, level: macro, terms: [东北]}
  - id: macro.cw
    name: 中西部
    level: macro
    expands: [macro.central, macro.west]
    terms: [中西部]
  - {id: macro.west, name: 西部, level: macro, terms: [{term: 西部, context: {not_followed_by: [方向]}}]}
  - id: "220200"
    name: 吉林市
    level: city
    parent: "220000"
    patterns: ['吉林(?=[、和与及]长春)']
  - {id: "220000", name: 吉林, level: province, parent: macro.northeast, terms: [吉林]}
  - {id: zone.yrd, name: 长三角, level: zone, terms: [长三角, {term: 三角, context: {preceded_by: [长]}}]}
  - {id: "510000", name: 四川, level: province, terms: [{term: 川, boundary: true, context: {not_after_place: true}}]}
"""

TOY_DIMS = """\
lexicon: toy_dims
version: t
category: dimension
entries:
  - {id: tech, terms: [科技, 科技创新, {term: 技术, multi: true}]}
  - {id: labor, terms: [人才, 科技人才, {term: 技术, multi: true}]}
  - {id: objects, terms: [数据要素, {term: 要素, boundary: true}]}
  - {id: means, patterns: ['新(?:型|的)?生产工具']}
  - {id: org, terms: [产业链, {term: 链主, boundary: false}]}
"""

PIECES = [
    "北京", "北京市", "北京时间", "北京大学", "南京日报", "江苏", "南京", "江西", "浙江西部", "东部",
    "东部地区", "山东部分", "中部", "集中部署", "中西部", "东北", "东北亚", "西部方向", "吉林", "、",
    "长春", "长三角", "三角", "四川", "川", "科技", "科技创新", "科技人才", "人才", "技术", "数据要素",
    "要素", "新型生产工具", "生产工具", "，", "。", "；", "\n", "“", "”", "（", "）", " ", "\r\n", "的",
    "发展", "和", "与", "AI", "5G", "R&D", "𠀀", "a", "科", "术", "京", "部", "署", "省", "产业链", "链主", "主",
]  # fmt: skip


@pytest.fixture(scope="module")
def toy_tagger(tmp_path_factory: pytest.TempPathFactory) -> Tagger:
    folder = tmp_path_factory.mktemp("lex")
    (folder / "regions.yaml").write_text(TOY, encoding="utf-8")
    (folder / "dims.yaml").write_text(TOY_DIMS, encoding="utf-8")
    return Tagger([Lexicon.from_yaml(folder / "regions.yaml"), Lexicon.from_yaml(folder / "dims.yaml")])


@pytest.fixture(scope="module")
def shipped_tagger() -> Tagger:
    return Tagger(load_lexicons())


# --------------------------------------------------------------------------- reference tagger


def occurrences(text: str, term: str) -> list[int]:
    found, pos = [], text.find(term)
    while pos >= 0:
        found.append(pos)
        pos = text.find(term, pos + 1)
    return found


def reference_match(tagger: Tagger, text: str) -> list[Mention]:
    """The tagging rules applied the direct way (see the module docstring)."""
    seg = tagger._segmenter
    claims: dict[tuple[int, int], list[tuple[int, Any, Any]]] = {}  # span -> (lexicon, entry, rule)
    for li, lex in enumerate(tagger.lexicons):
        terms: dict[str, list[tuple[int, Any, Any]]] = {}
        for term in lex.exclude:
            terms.setdefault(term, []).append((li, None, None))
        for entry in lex:
            for rule in entry.terms:
                if rule.term is not None:
                    terms.setdefault(rule.term, []).append((li, entry, rule))
        for term, owners in terms.items():
            for pos in occurrences(text, term):
                claims.setdefault((pos, pos + len(term)), []).extend(owners)
    for li, lex in enumerate(tagger.lexicons):  # regexes after every term, in lexicon order
        for entry in lex:
            for rule in entry.terms:
                if rule.pattern is not None:
                    for m in regex.finditer(rule.pattern, text):
                        if m.end() > m.start():
                            claims.setdefault(m.span(), []).append((li, entry, rule))
    places = {
        e.id
        for lex in tagger.lexicons
        if lex.category == "region"
        for e in lex
        if e.level in ("province", "city")
    }
    place_ends = {
        end for (_, end), owners in claims.items() for _, e, _ in owners if e is not None and e.id in places
    }
    sentences = split_sentences(text) or [(0, len(text))]

    def on_boundaries(start: int, end: int, start_only: bool) -> bool:
        lo, hi = sentences[max(0, bisect.bisect_right([s for s, _ in sentences], start) - 1)]
        if not (lo <= start and end <= hi) or hi - lo > MAX_SEGMENT_SPAN:
            lo, hi = max(0, start - 40), min(len(text), end + 40)
        bounds = {lo + b for b in seg.boundaries(text[lo:hi])}
        return start in bounds and (start_only or end in bounds)

    def holds(start: int, end: int, li: int, rule: Any) -> str | None:
        after, before = text[end : end + CONTEXT_WINDOW], text[max(0, start - CONTEXT_WINDOW) : start]
        if rule.followed_by and not after.startswith(rule.followed_by):
            return None
        if rule.not_followed_by and after.startswith(rule.not_followed_by):
            return None
        if rule.preceded_by and not before.endswith(rule.preceded_by):
            return None
        if rule.not_preceded_by and before.endswith(rule.not_preceded_by):
            return None
        if rule.not_after_place and start in place_ends:
            return None
        suffixes = tuple(tagger.lexicons[li].org_suffixes)
        role = "org" if suffixes and text.startswith(suffixes, end) else "place"
        if role == "place" and rule.needs_boundary and not on_boundaries(start, end, rule.start_only):
            return None
        return role

    mentions: list[Mention] = []
    last_end = -1
    for start, end in sorted(claims, key=lambda s: (s[0], -s[1])):
        kept = []
        for li, entry, rule in claims[(start, end)]:
            role = "" if rule is None else holds(start, end, li, rule)
            if role is not None:
                kept.append((li, entry, rule, role))
        if not kept or start < last_end:
            continue
        last_end = end
        mentions += reference_emit(tagger, text, start, end, kept)
    return mentions


def reference_emit(tagger: Tagger, text: str, start: int, end: int, kept: list[Any]) -> list[Mention]:
    by_lex: dict[int, list[Any]] = {}
    for li, entry, rule, role in kept:
        if entry is not None:
            by_lex.setdefault(li, []).append((entry, rule, role))
    out, seen = [], set()
    for li in sorted(by_lex):
        top = max(rule.priority for _, rule, _ in by_lex[li])
        for entry, rule, role in by_lex[li]:
            if rule.priority != top:
                continue
            for target in [tagger.entry(t) or entry for t in entry.expands] or [entry]:
                if (target.category, target.id) in seen:
                    continue
                seen.add((target.category, target.id))
                province = macro = None
                if target.category == "region" and target.level == "city":
                    province = target.parent
                    parent = tagger.entry(province or "")
                    macro = parent.parent if parent is not None else None
                elif target.category == "region" and target.level == "province":
                    province, macro = target.id, target.parent
                out.append(
                    Mention(
                        doc="",
                        start=start,
                        end=end,
                        text=text[start:end],
                        category=target.category,
                        id=target.id,
                        name=target.name,
                        term=text[start:end],
                        group=target.group if target.category == "industry" else None,
                        role=role if target.category == "region" else None,
                        province=province,
                        macro=macro,
                        lexicon=entry.lexicon,
                    )
                )
    return out


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_toy_tagger_matches_the_reference(toy_tagger: Tagger, text: str) -> None:
    assert toy_tagger.match(text) == reference_match(toy_tagger, text)


def test_toy_cases_cover_every_rule(toy_tagger: Tagger) -> None:
    """The strategy above can reach each kind of decision (so the comparison means something)."""
    text = "北京时间，北京大学在北京；江苏南京、浙江西部与中西部，集中部署吉林、长春，川的要素，科技人才和技术，新型生产工具。"
    found = {(m.id, m.role) for m in toy_tagger.match(text)}
    assert ("110000", "org") in found and ("110000", "place") in found  # org suffix, exclusion
    assert {"macro.central", "macro.west", "220200", "tech", "labor", "means"} <= {i for i, _ in found}
    assert "360000" not in {i for i, _ in found}  # 江西 inside 浙江西部: word boundary
    # a candidate at the start of a clause still needs its end on a word boundary
    assert [m.id for m in toy_tagger.match("。中部署。江西省，中部。")] == ["macro.central"]
    assert [m.text for m in toy_tagger.match("产业链主")] == ["产业链"]  # overlap by one character
    assert toy_tagger.match(text) == reference_match(toy_tagger, text)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_shipped_tagger_matches_the_reference(shipped_tagger: Tagger, data: st.DataObject) -> None:
    words = shipped_tagger.user_words
    fillers = ["，", "。", "、", "的", "和", "部署", "集中", "方向", "行业", "产业", "大学", "\n", "市"]
    parts = data.draw(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(fillers)), max_size=30))
    text = "".join(parts)
    assert shipped_tagger.match(text) == reference_match(shipped_tagger, text)


def test_mentions_of_documents_carry_their_sentence(shipped_tagger: Tagger) -> None:
    from nqpf_text.ingest import read_text
    from nqpf_text.segment import segment_document

    doc = segment_document(read_text("北京发展新质生产力。\n南京市推动科技创新，江苏集中部署。")[0])
    tagged = shipped_tagger.tag_document(doc)
    starts = [s.start for s in doc.sentences]
    expected = [
        replace(m, doc=doc.doc, sentence=doc.sentences[bisect.bisect_right(starts, m.start) - 1].index)
        for m in reference_match(shipped_tagger, doc.text)
    ]
    assert tagged == expected and {m.sentence for m in tagged} == {0, 1}


def test_fast_mention_is_an_ordinary_mention() -> None:
    values = {
        "doc": "d", "start": 1, "end": 3, "text": "南京", "category": "region", "id": "320100", "name": "南京",
        "term": "南京", "group": None, "role": "place", "province": "320000", "macro": "macro.east",
        "lexicon": "regions", "sentence": 2, "boilerplate": True, "extra": (),
    }  # fmt: skip
    fast, plain = _new_mention(dict(values)), Mention(**values)
    assert fast == plain and hash(fast) == hash(plain) and vars(fast) == vars(plain)
    assert list(vars(fast)) == list(vars(plain))
    assert pickle.dumps(fast) == pickle.dumps(plain)
    with pytest.raises(AttributeError):
        fast.start = 5  # type: ignore[misc]


# --------------------------------------------------------------------------- segmentation stretches

SEG_PIECES = [
    "新质生产力",
    "集中部署",
    "中部地区",
    "江西",
    "浙江",
    "发展",
    "R&D",
    "5G",
    "AI",
    "3.5%",
    "a-b",
    "的",
    "了",
]
MARKS = list(_CLAUSE_MARKS)


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_clause_marks_cut_the_same_as_the_whole_text(backend: str) -> None:
    seg = Segmenter(["新质生产力", "中部地区"], backend=backend)

    @settings(max_examples=120, deadline=None, derandomize=True)
    @given(
        st.lists(
            st.one_of(st.sampled_from(SEG_PIECES), st.sampled_from([*MARKS, " ", "\r\n", "\n"])), max_size=20
        )
    )
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        whole = seg.boundaries(text)
        stitched, lo = {0, len(text)}, 0
        for i, ch in enumerate([*text, None]):
            if ch is None or ch in _CLAUSE_MARKS:
                stitched |= {lo + b for b in seg.boundaries(text[lo:i])}
                lo = i + 1
        assert whole == stitched

    check()


def test_clause_marks_are_never_inside_a_word() -> None:
    """Each mark is outside jieba's "han" class (so it is a token of its own, whatever the words
    around it), and rjieba cuts it alone between characters that form words with their neighbours."""
    import jieba

    neighbours = ["目", "的", "标", "中", "国", "a", "1", "R", "&", "%", "-", "."]
    seg = Segmenter(backend="rjieba")
    for mark in _CLAUSE_MARKS:
        assert not mark.isspace() and not jieba.re_han_default.match(mark)
        for left in neighbours:
            for right in neighbours:
                assert mark in seg.cut(left + mark + right), (left, mark, right)


# --------------------------------------------------------------------------- required literals

ATOMS = [
    "中",
    "国",
    "a",
    "b",
    "[ab]",
    ".",
    "\\d",
    "(?:中|国)",
    "(?:ab|b)",
    "(?=a)",
    "(?<!b)",
    "\\b",
    "a?",
    "b*",
    "(?:中国)+",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6).map("".join),
    st.lists(st.sampled_from(["中", "国", "a", "b", "1", " ", "中国"]), max_size=12).map("".join),
)
def test_required_literals_never_skip_a_match(pattern: str, text: str) -> None:
    literals = _required_literals(pattern)
    if literals is None:
        return
    for m in regex.finditer(pattern, text):
        if m.end() > m.start():
            assert any(lit in text for lit in literals), (pattern, text, literals)


@pytest.mark.parametrize(
    "pattern",
    ["[[:alpha:]]x", "[a[:digit:]]x", "(?i)abc", "a(?i:b)c", "(?:ab){e<=1}", "\\p{Han}中", "(?r)ab"],
)
def test_required_literals_refuse_what_re_reads_otherwise(pattern: str) -> None:
    assert _required_literals(pattern) is None


def test_required_literals_of_shipped_patterns(shipped_tagger: Tagger) -> None:
    patterns = [rx.pattern for rx, *_ in shipped_tagger._patterns]
    found = {p: _required_literals(p) for p in patterns}
    assert found["(?<![A-Za-z])AI(?![A-Za-z+＋])"] == ("AI",)
    assert sum(v is not None for v in found.values()) >= len(patterns) - 1


# --------------------------------------------------------------------------- UTF-32 index

INDEX_TERMS = ["中国", "国", "中", "a", "ab", "b", "𠀀", "𠀀中", "\x00", "A\x00", "\u4e00", "\u4e01\u4e00"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(st.sampled_from(INDEX_TERMS), st.characters(blacklist_categories=("Cs",))), max_size=15
    ).map("".join)
)
def test_index_finds_exactly_the_occurrences_of_any_characters(text: str) -> None:
    index = TermIndex((t, i) for i, t in enumerate(INDEX_TERMS))
    expected = sorted(
        ((p, p + len(t), t, (i,)) for i, t in enumerate(INDEX_TERMS) for p in occurrences(text, t)),
        key=lambda h: (h[0], -h[1]),
    )
    assert index.occurrences(text) == expected
    assert [(h.start, h.end, h.term, h.payloads) for h in index.find_all(text)] == expected
    assert sorted((h.start, h.end) for h in index.iter_all(text)) == sorted((s, e) for s, e, *_ in expected)
