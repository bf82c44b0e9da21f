"""The tagger on the real corpus: script invariance and recall regardless of layout."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from nqpf_text.normalize import normalize_text
from nqpf_text.tag import Tagger

FILES = ["000_9abb05fa9ab056bd.txt", "001_e0edea38aaf4c3b6.txt", "002_1227176c72786622.txt",
         "003_3a580b7466794832.txt", "004_0a4ddf0e5c2a5237.txt"]  # fmt: skip


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def joined(path: Path) -> str:
    """The file with every line break and space removed: the "joined text" the research counts on."""
    return normalize_text("".join(path.read_text(encoding="utf-8").split()))


@pytest.mark.shared
@pytest.mark.parametrize("name", FILES)
def test_traditional_script_tags_the_same(tagger, corpus_dir, name):
    text = joined(corpus_dir / name)[:60_000]
    hk = opencc.OpenCC("s2hk").convert(text)
    simp = [(m.id, m.category) for m in tagger.tag_text(text)]
    trad = [(m.id, m.category) for m in tagger.tag_text(hk)]
    assert simp == trad


def _independent_terms(tagger: Tagger) -> dict[str, set[str]]:
    """Long terms (≥ 4 characters) without context rules that no other term or exclusion contains."""
    strings = {t for lex in tagger.lexicons for t, _, _ in lex.terms()} | {
        x for lex in tagger.lexicons for x in lex.exclude
    }
    out: dict[str, set[str]] = {}
    for lex in tagger.lexicons:
        for term, entry, rule in lex.terms():
            plain = not (rule.followed_by or rule.not_followed_by or rule.preceded_by or rule.not_preceded_by)
            if len(term) >= 4 and plain and not any(term in other and term != other for other in strings):
                out.setdefault(term, set()).add(entry.id)
    return out


@pytest.mark.shared
def test_every_long_term_on_the_joined_text_is_found(tagger, corpus_dir):
    """Each occurrence is tagged, unless a mention that starts further left overlaps it (leftmost-longest)."""
    terms = _independent_terms(tagger)
    assert len(terms) > 200
    checked = tagged = 0
    lost: list[str] = []
    for name in FILES:
        text = joined(corpus_dir / name)
        mentions = tagger.match(text)
        spans = {(m.start, m.end) for m in mentions}
        covered = [0] * (len(text) + 1)
        for m in mentions:
            for i in range(m.start, m.end):
                covered[i] = 1
        for term in terms:
            pos = text.find(term)
            while pos >= 0:
                checked += 1
                if (pos, pos + len(term)) in spans:
                    tagged += 1
                elif not any(covered[pos : pos + len(term)]):
                    lost.append(f"{name}@{pos}:{term}")
                pos = text.find(term, pos + len(term))
    assert checked > 1500
    assert not lost, lost[:10]
    assert tagged >= 0.99 * checked
