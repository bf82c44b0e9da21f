"""Candidate terms not in any lexicon, to help users grow their lexicons.

Method, kept simple enough to explain in one paragraph of a methods section:
1. Non-boilerplate sentences are segmented with every lexicon term as a user word, so known terms
   stay whole. Runs of Chinese-only tokens give word n-grams of 1–3 tokens.
2. An n-gram is kept when it is not a known term, occurs ``min_count`` times in ``min_docs``
   documents, looks like a noun phrase (jieba's dictionary tags: it does not start with a verb,
   adverb, preposition, pronoun or numeral and ends on a noun-like word), contains no place name,
   and — for several tokens — is cohesive: its count is at least ``cohesion`` of its rarest token's.
3. It must sit near an existing (non-place) term: it *contains* one as one of several tokens
   (生成式 + 人工智能), or is *adjacent* to one in at least 30% of its occurrences. A single token
   must be a new word (unknown to jieba's dictionary) or have three characters or more: a
   dictionary word of two characters is vocabulary, not a term.
4. Candidates are ranked by a TF-IDF score: corpus count × inverse document frequency from the
   general-language IDF table shipped with jieba (unknown strings: mean of their tokens, the table's
   median for unknown tokens), so frequent but specific phrases rise above generic words.
A candidate swallowed by a longer one with ≥ 80% of its count is dropped (生成式 under 生成式人工智能).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

import pandas as pd

from ._common import attr

__all__ = ["CANDIDATE_COLUMNS", "candidate_terms"]

CANDIDATE_COLUMNS = [
    "term", "count", "documents", "score", "relation", "near", "near_lexicon", "near_id", "tokens",
]  # fmt: skip
_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
_BAD_FIRST = {"v", "d", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "m", "q", "f", "ad", "y", "e"}
_NOUNISH = {"n", "nz", "nt", "ng", "vn", "an", "j", "l", "b", "nrt", "nr", "x"}
_FUNCTION = {"c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "r", "m", "q", "d"}
_FUNCTION_CHARS = frozenset("为即以之其及与和对在把被将从向于由按并而或等的了")
# Verbs and adverbs of policy prose that jieba's dictionary tags as nouns.
_STOP_WORDS = (
    "大力 加快 推动 推进 发展 积极 着力 持续 全面 深入 进一步 不断 加强 提升 促进 建设 实现 坚持 支持 培育 "
    "打造 构建 形成 完善 强化 统筹 重点 主要 相关 一批 我国 我们 全国 全省 全市 各地 各类 方面 领域 工作 "
    "问题 重要 作用 能力 水平 体系 方式 过程 一些 这些 其中 同时 目前 当前 今年 去年 明年 近年来 新的 更加 "
    "更好 有效 大力发展 大力支持 大力推进 积极发展 加快发展"
)
_STOP = frozenset(_STOP_WORDS.split(" "))


@cache
def _pos_table() -> dict[str, str]:
    import jieba
    import jieba.posseg

    return jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab


@cache
def _idf_table() -> tuple[dict[str, float], float]:
    import jieba.analyse

    model = jieba.analyse.default_tfidf
    return model.idf_freq, float(model.median_idf)


def _known_terms(lexicons: Sequence[Any]) -> tuple[dict[str, tuple[str, str, str]], set[str]]:
    """Known term → (lexicon, id, category) of its first owner; and the place terms."""
    owners: dict[str, tuple[str, str, str]] = {}
    places: set[str] = set()
    for lex in lexicons:
        lex_name = str(attr(lex, "name"))
        for term in attr(lex, "exclude", ()) or ():
            owners.setdefault(term, (lex_name, "", "exclude"))
        for entry in lex:
            category = str(attr(entry, "category") or attr(lex, "category"))
            for rule in attr(entry, "terms", ()) or ():
                term = attr(rule, "term")
                if not term:
                    continue
                owners.setdefault(term, (lex_name, str(attr(entry, "id")), category))
                if category == "region":
                    places.add(term)
    return owners, places


def _automaton(words: set[str]) -> Any:
    """An Aho-Corasick automaton over ``words`` (None when there are none)."""
    import ahocorasick

    if not words:
        return None
    auto = ahocorasick.Automaton()
    for word in sorted(words):
        auto.add_word(word, word)
    auto.make_automaton()
    return auto


def _found_in(auto: Any, text: str) -> list[str]:
    return [] if auto is None else [w for _, w in auto.iter(text)]


def _add_tagged(owners: dict[str, tuple[str, str, str]], mentions: pd.DataFrame) -> None:
    """Strings the tagger matched (pattern hits included) are known terms too."""
    if mentions.empty or "text" not in mentions:
        return
    cols = ["text", "lexicon", "id", "category"]
    found = mentions.reindex(columns=cols).dropna(subset=["text"]).drop_duplicates("text")
    for text, lex, rid, cat in found.itertuples(index=False):
        owners.setdefault(str(text), (str(lex), str(rid), str(cat)))


def _runs(tokens: list[str]) -> list[list[str]]:
    runs, cur = [], []
    for tok in tokens:
        if _CJK.match(tok):
            cur.append(tok)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _shape_ok(gram: tuple[str, ...], pos: dict[str, str]) -> bool:
    if any(t in _STOP or pos.get(t) in _FUNCTION for t in gram):
        return False
    if len(gram) == 1:  # a dictionary word of two characters is vocabulary, not a new term
        word = gram[0]
        if len(word) == 2 and (word in pos or word[0] in _FUNCTION_CHARS):
            return False
        return pos.get(word, "x") in _NOUNISH
    if len(gram[0]) == 1 or len(gram[-1]) == 1:
        return False
    return pos.get(gram[0], "x") not in _BAD_FIRST and pos.get(gram[-1], "x") in _NOUNISH


def _idf(gram: tuple[str, ...], table: dict[str, float], median: float) -> float:
    whole = "".join(gram)
    if whole in table:
        return table[whole]
    return sum(table.get(t, median) for t in gram) / len(gram)


def candidate_terms(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    lexicons: Sequence[Any],
    *,
    top: int = 150,
    min_count: int = 3,
    min_docs: int | None = None,
    cohesion: float = 0.3,
    max_tokens: int = 3,
) -> pd.DataFrame:
    """Frequent noun phrases near existing lexicon terms that no lexicon has (see module doc)."""
    from ..segment import Segmenter

    owners, places = _known_terms(lexicons)
    if sentences.empty or top <= 0:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    sents = sentences
    if "boilerplate" in sents:
        sents = sents[~sents["boilerplate"].fillna(False).astype(bool)]
    n_docs = sents["doc"].nunique()
    min_docs = min_docs if min_docs is not None else (2 if n_docs >= 2 else 1)
    seg = Segmenter(sorted(owners), backend="auto")
    _add_tagged(owners, mentions)
    rows = [
        (str(d), int(s), _runs(seg.cut(str(t))))
        for d, s, t in zip(sents["doc"], sents["sentence"], sents["text"], strict=True)
    ]
    counts: Counter[tuple[str, ...]] = Counter()
    docs: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for doc, _, runs in rows:
        for run in runs:
            for n in range(1, max_tokens + 1):
                for i in range(len(run) - n + 1):
                    gram = tuple(run[i : i + n])
                    counts[gram] += 1
                    docs[gram].add(doc)
    pos = _pos_table()
    place_auto = _automaton({p for p in places if len(p) >= 2})
    pool = {
        g: c
        for g, c in counts.items()
        if c >= min_count
        and len(docs[g]) >= min_docs
        and "".join(g) not in owners
        and 2 <= len("".join(g)) <= 12
        and _shape_ok(g, pos)
        and not _found_in(place_auto, "".join(g))
        and (len(g) == 1 or c >= cohesion * min(counts[(t,)] for t in g))
    }
    stats = _near_stats(pool, rows, owners, max_tokens)
    table, median = _idf_table()
    term_auto = _automaton(
        {t for t, o in owners.items() if len(t) >= 2 and o[2] not in ("region", "exclude")}
    )
    out = []
    for gram, count in pool.items():
        relation, near = _relation(gram, stats[gram], _found_in(term_auto, "".join(gram)), count)
        if relation is None:
            continue
        lex, rid, _ = owners.get(near, ("", "", ""))
        out.append(
            {
                "term": "".join(gram),
                "count": count,
                "documents": len(docs[gram]),
                "score": round(count * _idf(gram, table, median), 2),
                "relation": relation,
                "near": near,
                "near_lexicon": lex,
                "near_id": rid,
                "tokens": " ".join(gram),
            }
        )
    frame = pd.DataFrame(out, columns=CANDIDATE_COLUMNS)
    frame = frame.sort_values(["score", "count", "term"], ascending=[False, False, True], kind="mergesort")
    frame = _drop_swallowed(frame.head(top * 3))
    return frame.head(top).reset_index(drop=True)


def _near_stats(pool: dict, rows: list, owners: dict, max_tokens: int) -> dict[tuple, dict]:
    """For each pooled gram: how often, and next to which known terms, it occurs beside one."""
    stats: dict[tuple, dict] = {g: {"adj": Counter(), "adj_n": 0} for g in pool}
    for _, _, runs in rows:
        for run in runs:
            for n in range(1, max_tokens + 1):
                for i in range(len(run) - n + 1):
                    gram = tuple(run[i : i + n])
                    st = stats.get(gram)
                    if st is None:
                        continue
                    side = [
                        t for t in (run[i - 1] if i else None, run[i + n] if i + n < len(run) else None) if t
                    ]
                    known = [t for t in side if t in owners and owners[t][2] not in ("region", "exclude")]
                    if known:
                        st["adj_n"] += 1
                        st["adj"].update(known)
    return stats


def _top(counter: Counter[str]) -> str:
    return min(counter, key=lambda t: (-counter[t], t)) if counter else ""


def _relation(gram: tuple[str, ...], st: dict, inside: list[str], count: int) -> tuple[str | None, str]:
    if inside and len(gram) > 1:
        return "contains", max(inside, key=lambda t: (len(t), t))
    if st["adj_n"] >= 0.3 * count:
        return "adjacent", _top(st["adj"])
    return None, ""


def _drop_swallowed(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    terms = dict(zip(frame["term"], frame["count"], strict=True))
    keep = []
    for term, count in terms.items():
        swallowed = any(o != term and term in o and c >= 0.8 * count for o, c in terms.items())
        keep.append(not swallowed)
    return frame[keep]
