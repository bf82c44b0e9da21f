"""The fast paths of the reports against plain implementations: n-gram counting of candidate terms,
and the workbook's cap at Excel's row limit."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.report import candidates, write

TOKENS = ["数字", "经济", "产业", "新质", "生产力", "AI", "，", "2024", "链"]
KNOWN = {"经济", "生产力"}


def _plain(sentences: list[tuple[int, list[str]]], max_tokens: int = 3) -> tuple[dict, dict, dict]:
    """Counts, documents and known neighbours of every n-gram, in order of first occurrence."""
    counts: Counter = Counter()
    docs: dict = defaultdict(set)
    near: dict = defaultdict(lambda: [0, Counter()])
    for doc, tokens in sentences:
        runs, cur = [], []
        for tok in tokens:
            if candidates._CJK.match(tok):
                cur.append(tok)
            elif cur:
                runs, cur = [*runs, cur], []
        runs += [cur] if cur else []
        for run in runs:
            for n in range(1, max_tokens + 1):
                for i in range(len(run) - n + 1):
                    gram = tuple(run[i : i + n])
                    counts[gram] += 1
                    docs[gram].add(doc)
                    side = [
                        t for t in (run[i - 1] if i else None, run[i + n] if i + n < len(run) else None) if t
                    ]
                    known = [t for t in side if t in KNOWN]
                    if known:
                        near[gram][0] += 1
                        near[gram][1].update(known)
    return counts, docs, near


sentence = st.tuples(st.integers(0, 3), st.lists(st.sampled_from(TOKENS), max_size=12))


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, max_size=25), st.integers(1, 2), st.integers(1, 12))
def test_gram_counter_matches_plain_counting(sentences, min_count, chunk):
    sentences = sorted(sentences, key=lambda s: s[0])  # a document's sentences together
    frame = pd.DataFrame(
        {"doc": [f"d{d}" for d, _ in sentences], "text": [" ".join(t) for _, t in sentences]}
    )
    old = candidates._CHUNK_TOKENS
    candidates._CHUNK_TOKENS = chunk  # many chunks: the merging is exercised
    try:
        counter = candidates._GramCounter(3, KNOWN, cohesion=0.0)
        counter.count(frame, lambda text: [t for t in text.split(" ") if t])
        grams, adjacent = counter.result(min_count, 1)
    finally:
        candidates._CHUNK_TOKENS = old
    counts, docs, near = _plain([(f"d{d}", t) for d, t in sentences])
    expected = [g for g in counts if counts[g] >= min_count and 2 <= len("".join(g)) <= 12]
    assert list(grams) == expected  # first-occurrence order decides ties of the ranking
    for gram in expected:
        assert grams[gram] == (counts[gram], len(docs[gram]))
        stats = adjacent(gram)
        assert stats["adj_n"] == near[gram][0]
        assert stats["adj"] == near[gram][1]


def test_xlsx_caps_a_sheet_at_the_row_limit(monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr(write, "_XLSX_ROW_LIMIT", 5)
    frame = pd.DataFrame({"n": range(12)})
    ws = load_workbook(io.BytesIO(write.xlsx_bytes({"big": frame, "small": frame.head(3)})))
    rows = [[c.value for c in r] for r in ws["big"].iter_rows()]
    assert len(rows) == 1 + 5  # header, the note, four data rows: 5 rows below the header
    assert rows[0] == ["n"] and "tables/big.csv" in rows[1][0]
    assert [r[0] for r in rows[2:]] == [0, 1, 2, 3]
    assert [[c.value for c in r] for r in ws["small"].iter_rows()] == [["n"], [0], [1], [2]]
