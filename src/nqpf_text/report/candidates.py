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
_ASCII_SPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() removes


def _pos_table(words: set[str]) -> dict[str, str]:
    """jieba's dictionary tags of ``words`` (``word freq tag`` lines of its dict.txt): the entries of
    ``jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab`` that a lookup can ask for, read
    line by line without building a POS tokenizer or holding the whole table."""
    table: dict[str, str] = {}
    for raw in _jieba_lines("dict.txt"):
        line = raw.strip(_ASCII_SPACE)
        if line:
            word, _, tag = line.split(" ")
            if word in words:
                table[word] = tag
    return table


def _jieba_lines(name: str) -> Any:
    """Lines of a file of the jieba package (found without importing it), decoded as UTF-8."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    with open(path, encoding="utf-8", newline="\n") as fh:
        yield from fh


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
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Frequent noun phrases near existing lexicon terms that no lexicon has (see module doc).

    ``sentences`` without a ``text`` column have theirs cut from the ``documents``' texts a few
    thousand at a time (offsets ``start``, ``end``).
    """
    from ..segment import Segmenter, reference_idf

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
    known = {t for t, o in owners.items() if o[2] not in ("region", "exclude")}
    counter = _GramCounter(max_tokens, known, cohesion)
    counter.count(sents, seg.cut, documents)
    grams, adjacent = counter.result(min_count, min_docs)
    pos = _pos_table({t for g in grams for t in g})
    place_auto = _automaton({p for p in places if len(p) >= 2})
    pool = {
        g: c
        for g, (c, _) in grams.items()
        if "".join(g) not in owners and _shape_ok(g, pos) and not _found_in(place_auto, "".join(g))
    }  # counts, documents, length and cohesion are checked by the counter
    table, median = reference_idf()  # jieba's general-language IDF, as the linker weighs
    term_auto = _automaton(
        {t for t, o in owners.items() if len(t) >= 2 and o[2] not in ("region", "exclude")}
    )
    out = []
    for gram, count in pool.items():
        relation, near = _relation(gram, adjacent(gram), _found_in(term_auto, "".join(gram)), count)
        if relation is None:
            continue
        lex, rid, _ = owners.get(near, ("", "", ""))
        out.append(
            {
                "term": "".join(gram),
                "count": count,
                "documents": grams[gram][1],
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


# --------------------------------------------------------------------------- n-gram counting
# Tokens become integer ids and the n-grams of a few thousand sentences at a time are counted with
# numpy sorts; only the aggregates (one row per distinct n-gram) are kept between chunks, so memory
# follows the vocabulary of n-grams, not the length of the corpus.

_CHUNK_TOKENS = 1 << 17  # tokens counted together (the peak: their arrays, ~150 bytes a token)
_ID_BATCH = 1 << 18  # tokens given ids together
_MAX_CHARS = 12  # longest candidate
_POS_BITS = 20  # first occurrence key: run << 22 | (n - 1) << 20 | position in the run


def _texts(sents: pd.DataFrame, documents: pd.DataFrame | None, size: int = 4096) -> Any:
    """(position, text) of the sentences, a slice at a time (no list of every text at once); texts
    cut from the documents' where the sentences come without theirs."""
    from ..pipeline import document_texts, with_texts

    texts: dict[str, str] = {}
    if "text" not in sents:
        if documents is None:
            raise ValueError("sentences without a text column need the documents' texts")
        texts = document_texts(documents)
    for begin in range(0, len(sents), size):
        part = sents.iloc[begin : begin + size]
        if "text" not in part:
            part = with_texts(part, texts)
        yield from enumerate(part["text"].tolist(), start=begin)


def _copy(text: Any) -> str:
    """A new string object for the segmenter: reading a string as UTF-8 (as rjieba does) leaves a
    UTF-8 copy inside it, which the sentences table would carry for the rest of the run."""
    return str(text).encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def _reduce(
    keys: list[Any], sums: list[Any], mins: list[Any], *, presorted: bool = False
) -> tuple[list[Any], list[Any], list[Any]]:
    """Rows with equal ``keys`` merged: ``sums`` added, ``mins`` their minimum; sorted by the keys
    (``presorted``: they already are, only equal neighbours are merged)."""
    import numpy as np

    if not len(keys[0]):
        return keys, sums, mins
    if presorted:
        words, order = keys, None
    else:
        words = _packed(keys)
        order = np.argsort(words[0]) if len(words) == 1 else np.lexsort(words[::-1])
    change = np.zeros(len(keys[0]), dtype=bool)
    change[0] = True
    for w in words:
        ws = w if order is None else w[order]
        change[1:] |= ws[1:] != ws[:-1]
    starts = np.flatnonzero(change)
    if order is None:
        return (
            [k[starts] for k in keys],
            [np.add.reduceat(s, starts) for s in sums],
            [np.minimum.reduceat(m, starts) for m in mins],
        )
    first = order[starts]
    return (
        [k[first] for k in keys],
        [np.add.reduceat(s[order], starts) for s in sums],
        [np.minimum.reduceat(m[order], starts) for m in mins],
    )


def _packed(keys: list[Any]) -> list[Any]:
    """Non-negative integer key columns packed into as few int64 columns as keep their
    lexicographic order (one sort pass instead of one per key); the keys themselves otherwise."""
    import numpy as np

    if any(k.min() < 0 for k in keys):
        return keys
    words: list[Any] = []
    used = 63
    for k in keys:
        bits = max(int(k.max()).bit_length(), 1)
        if used + bits <= 63:
            words[-1] = (words[-1] << bits) | k.astype(np.int64)
            used += bits
        else:
            words.append(k.astype(np.int64))
            used = bits
    return words


class _Table:
    """Aggregated rows (key columns, sum columns, min columns), merged lazily as chunks arrive."""

    def __init__(self) -> None:
        self.parts: list[tuple[list[Any], list[Any], list[Any]]] = []
        self.merged = 0  # rows of the first part after the last merge
        self.pending = 0

    def add(self, keys: list[Any], sums: list[Any], mins: list[Any]) -> None:
        self.parts.append((keys, sums, mins))
        self.pending += len(keys[0])
        if self.pending > max(self.merged, 1 << 17):
            self.merge()

    def merge(self) -> tuple[list[Any], list[Any], list[Any]]:
        import numpy as np

        if self.pending:  # rows added since the last merge: reduce everything together
            width = [len(x) for x in self.parts[0]] if self.parts else [0, 0, 0]
            cols = [
                [np.concatenate([part[group][i] for part in self.parts]) for i in range(width[group])]
                for group in range(3)
            ]
            self.parts = [_reduce(*cols)] if self.parts else []
        self.merged = len(self.parts[0][0][0]) if self.parts else 0
        self.pending = 0
        return self.parts[0] if self.parts else ([], [], [])


class _GramCounter:
    """Counts, documents, first occurrence and known neighbours of every n-gram of 1–``max_tokens``
    Chinese-only tokens (runs of such tokens within one sentence)."""

    def __init__(self, max_tokens: int, known: set[str], cohesion: float) -> None:
        self.max_tokens = max_tokens
        self.cohesion = cohesion
        self.known = known
        self.vocab: dict[str, int] = {}
        self.words: list[str] = []
        self.flags = bytearray()  # per token id: 1 Chinese-only, 2 a known term next to which grams sit
        self.grams = [_Table() for _ in range(max_tokens)]
        self.sides = [_Table() for _ in range(max_tokens)]
        self.runs = 0

    def count(self, sents: pd.DataFrame, cut: Any, documents: pd.DataFrame | None = None) -> None:
        docs = pd.factorize(sents["doc"].astype(str))[0]
        order = None
        if len(docs) and (pd.Series(docs).diff().fillna(0) < 0).any():
            import numpy as np

            order = np.argsort(docs, kind="stable")  # every document's sentences together
        if order is not None:
            sents, docs = sents.iloc[order], docs[order]
        ids: list[Any] = []  # token ids, a batch of tokens at a time
        pending: list[str] = []  # tokens not yet given ids
        chunk_tokens = begin = 0  # the chunk: sentences begin..k
        lengths: list[int] = []
        last = bytearray(len(docs))  # 1: the last sentence of its document (a byte, not an int object)
        if len(docs):
            last[-1] = 1
            for k in (docs[1:] != docs[:-1]).nonzero()[0].tolist():
                last[k] = 1
        for k, text in _texts(sents, documents):
            tokens = cut(_copy(text))
            pending += tokens
            lengths.append(len(tokens))
            chunk_tokens += len(tokens)
            if len(pending) >= _ID_BATCH:
                ids.append(self._intern(pending))
                pending = []
            if last[k] and chunk_tokens >= _CHUNK_TOKENS:
                self._chunk(self._ids(ids, pending), lengths, docs[begin : k + 1])
                ids, pending, lengths, chunk_tokens, begin = [], [], [], 0, k + 1
        if lengths:
            self._chunk(self._ids(ids, pending), lengths, docs[begin:])

    def _intern(self, tokens: list[str]) -> Any:
        """Ids of ``tokens``, new words numbered in order of first occurrence: the words of a batch are
        hashed in C (pandas) and only its distinct words go through the vocabulary."""
        import numpy as np

        codes, uniques = pd.factorize(np.asarray(tokens, dtype=object))
        vocab = self.vocab
        known = np.fromiter(
            (vocab.setdefault(w, len(vocab)) for w in uniques.tolist()), dtype=np.int32, count=len(uniques)
        )
        return known[codes]

    def _ids(self, done: list[Any], pending: list[str]) -> Any:
        import numpy as np

        parts = [*done, self._intern(pending)] if pending else done
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)

    def lengths(self) -> Any:
        import numpy as np

        return np.fromiter((len(w) for w in self.words), dtype=np.int64, count=len(self.words))

    def _update_flags(self) -> Any:
        import numpy as np

        new = list(self.vocab)[len(self.words) :]
        self.words += new
        self.flags += bytes((1 if _CJK.match(w) else 0) | (2 if w in self.known else 0) for w in new)
        return np.frombuffer(bytes(self.flags), dtype=np.uint8)

    def _chunk(self, id_list: Any, lengths: list[int], sent_docs: Any) -> None:
        import numpy as np

        flags = self._update_flags()
        ids = np.asarray(id_list, dtype=np.int32)
        n_tok = len(ids)
        if not n_tok:
            return
        tok_flags = flags[ids]
        cjk = (tok_flags & 1).astype(bool)
        known = (flags & 2).astype(bool)  # by token id
        sent_start = np.zeros(n_tok, dtype=bool)
        starts = np.cumsum([0, *lengths[:-1]])
        sent_start[starts[np.asarray(lengths) > 0]] = True
        prev_cjk = np.concatenate([[False], cjk[:-1]])
        new_run = cjk & (sent_start | ~prev_cjk)
        run_no = np.cumsum(new_run) - 1
        run = np.where(cjk, run_no, -1).astype(np.int64)
        first_pos = np.flatnonzero(new_run)
        in_run = (
            np.arange(n_tok) - first_pos[np.maximum(run_no, 0)] if len(first_pos) else np.zeros(n_tok, int)
        )
        doc = np.repeat(np.asarray(sent_docs, dtype=np.int64), lengths)
        for n in range(1, self.max_tokens + 1):
            m = n_tok - n + 1
            if m <= 0:
                break
            at = np.flatnonzero((run[:m] >= 0) & (run[n - 1 : n - 1 + m] == run[:m]))
            if not len(at):
                continue
            keys = [ids[at + k] for k in range(n)]
            first = (
                (run[at] + self.runs) << 22
                | (n - 1) << _POS_BITS
                | np.minimum(in_run[at], (1 << _POS_BITS) - 1)
            )
            has_left = in_run[at] > 0
            left = np.where(has_left, ids[np.maximum(at - 1, 0)], 0)
            has_left &= known[left]
            right_at = np.minimum(at + n, n_tok - 1)
            has_right = (at + n < n_tok) & (run[right_at] == run[at])
            right = ids[right_at]
            has_right &= known[right]
            ones = np.ones(len(at), dtype=np.int64)
            beside = (has_left | has_right).astype(np.int64)
            pairs, (pair_n, pair_beside), (pair_first,) = _reduce([*keys, doc[at]], [ones, beside], [first])
            per_doc = [pair_n, np.ones(len(pair_n), np.int64), pair_beside]
            per_gram = _reduce(pairs[:-1], per_doc, [pair_first], presorted=True)  # sorted by gram, doc
            self.grams[n - 1].add(*per_gram)  # a document is in one chunk
            side_keys = [np.concatenate([k[has_left], k[has_right]]) for k in keys]
            side_keys.append(np.concatenate([left[has_left], right[has_right]]).astype(np.int32))
            if len(side_keys[0]):
                self.sides[n - 1].add(*_reduce(side_keys, [np.ones(len(side_keys[0]), np.int64)], []))
        self.runs += int(run_no[-1]) + 1 if len(first_pos) else 0

    def result(self, min_count: int, min_docs: int) -> tuple[dict[tuple[str, ...], tuple[int, int]], Any]:
        """Grams with ``min_count`` occurrences in ``min_docs`` documents, in order of first occurrence,
        as gram → (count, documents); and a function giving a gram's neighbour statistics."""
        import numpy as np

        words = self.words
        sizes = self.lengths()
        found: list[tuple[int, tuple[str, ...], int, int]] = []
        beside: dict[tuple[str, ...], int] = {}
        unigram = np.zeros(len(words), dtype=np.int64)
        for n, table in enumerate(self.grams, start=1):
            if not table.parts:
                continue
            keys, (count, docs, near), (first,) = table.merge()
            if n == 1:
                unigram[keys[0]] = count
            chars = sum(sizes[k] for k in keys)
            wanted = (count >= min_count) & (docs >= min_docs) & (chars >= 2) & (chars <= _MAX_CHARS)
            if n > 1:  # cohesive: at least ``cohesion`` of its rarest token's count
                wanted &= count >= self.cohesion * np.min([unigram[k] for k in keys], axis=0)
            keep = np.flatnonzero(wanted)
            cols = [k[keep].tolist() for k in keys]
            for j, row in enumerate(zip(*cols, strict=True)):
                gram = tuple(words[i] for i in row)
                i = keep[j]
                found.append((int(first[i]), gram, int(count[i]), int(docs[i])))
                beside[gram] = int(near[i])
            table.parts = []
        found.sort(key=lambda f: f[0])
        grams = {gram: (count, docs) for _, gram, count, docs in found}
        sides = self._sides(grams)

        def adjacent(gram: tuple[str, ...]) -> dict[str, Any]:
            return {"adj": sides.get(gram, Counter()), "adj_n": beside.get(gram, 0)}

        return grams, adjacent

    def _sides(self, grams: dict[tuple[str, ...], Any]) -> dict[tuple[str, ...], Counter[str]]:
        words = self.words
        out: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        for table in self.sides:
            if not table.parts:
                continue
            keys, (count,), _ = table.merge()
            for *row, nb, c in zip(*[k.tolist() for k in keys], count.tolist(), strict=True):
                gram = tuple(words[i] for i in row)
                if gram in grams:
                    out[gram][words[nb]] += c
            table.parts = []
        return out


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
