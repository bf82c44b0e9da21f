"""Find lexicon entries in normalized text: dimensions, industries, regions, and user lexicons.

Terms are searched as raw strings (Aho-Corasick), so segmentation can never hide one. The
segmenter is consulted only to *reject* short, ambiguous candidates that cut through a word
(中部 in 集中部署), and only on the sentences where such a candidate occurs.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from .errors import InputError
from .lexicon import CONTEXT_WINDOW, Entry, Lexicon, TermRule, load_lexicons
from .match import Hit, TermIndex, leftmost_longest
from .segment import Segmenter, split_sentences
from .types import Document, Mention, Sentence

__all__ = ["Tagger", "kwic_lookup", "lexicon_stats", "mentions_frame"]

PATTERN_TIMEOUT = 2.0  # seconds one lexicon regex may spend on one document
MAX_SEGMENT_SPAN = 400  # longer sentences are segmented in a window around the candidate


@dataclass(frozen=True, slots=True)
class _Claim:
    """What a matched string stands for: an entry through one of its rules, or an exclusion."""

    lexicon: int
    entry: Entry | None
    rule: TermRule | None


class Tagger:
    """Tag documents with the entries of a set of lexicons.

    Parameters
    ----------
    lexicons : sequence of Lexicon, optional
        Defaults to the shipped lexicons.
    extra_lexicons : iterable of paths
        User lexicon files added to (or replacing, by name) the shipped ones.
    backend : {"auto", "jieba", "rjieba"}
        Segmenter used for word-boundary checks.
    """

    def __init__(
        self,
        lexicons: Sequence[Lexicon] | None = None,
        *,
        extra_lexicons: Iterable[str] = (),
        backend: str = "auto",
    ) -> None:
        self.lexicons = list(lexicons) if lexicons is not None else load_lexicons(extra_lexicons)
        self.backend = backend
        self._entries: dict[str, Entry] = {}
        claims: list[tuple[str, _Claim]] = []
        self._patterns: list[tuple[regex.Pattern[str], _Claim]] = []
        self._org_suffixes: dict[int, tuple[str, ...]] = {}
        for li, lex in enumerate(self.lexicons):
            self._org_suffixes[li] = tuple(sorted(lex.org_suffixes, key=len, reverse=True))
            for term in lex.exclude:
                claims.append((term, _Claim(li, None, None)))
            for entry in lex:
                self._entries.setdefault(entry.id, entry)
                for rule in entry.terms:
                    claim = _Claim(li, entry, rule)
                    if rule.term is not None:
                        claims.append((rule.term, claim))
                    elif rule.pattern is not None:
                        try:
                            self._patterns.append((regex.compile(rule.pattern), claim))
                        except regex.error as exc:
                            raise InputError(
                                lex.path,
                                f"pattern {rule.pattern!r} does not compile: {exc}",
                                f"line {rule.line}",
                            ) from None
        self._index: TermIndex[_Claim] = TermIndex(claims)
        self._places = frozenset(
            e.id
            for lex in self.lexicons
            if lex.category == "region"
            for e in lex
            if e.level in ("province", "city")
        )
        self._segmenter = Segmenter(self.user_words, backend=backend)

    @property
    def user_words(self) -> list[str]:
        """Every plain term, for the segmenter's dictionary."""
        return sorted({term for lex in self.lexicons for term, _, _ in lex.terms()})

    @property
    def versions(self) -> dict[str, str]:
        return {lex.name: lex.version for lex in self.lexicons}

    def entry(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    # -- matching ---------------------------------------------------------------------------

    def _pattern_hits(self, text: str, source: str) -> list[Hit[_Claim]]:
        hits = []
        for rx, claim in self._patterns:
            try:
                for m in rx.finditer(text, timeout=PATTERN_TIMEOUT):
                    if m.end() > m.start():
                        hits.append(Hit(m.start(), m.end(), m.group(0), (claim,)))
            except TimeoutError:
                lex = self.lexicons[claim.lexicon]
                raise InputError(
                    lex.path,
                    f"pattern {claim.rule.pattern!r} took over {PATTERN_TIMEOUT:g} s on {source}; refused",  # type: ignore[union-attr]
                    f"line {claim.rule.line}",  # type: ignore[union-attr]
                ) from None
        return hits

    def _org_role(self, text: str, end: int, li: int) -> bool:
        suffixes = self._org_suffixes.get(li, ())
        return bool(suffixes) and text.startswith(suffixes, end)

    def _context_ok(self, text: str, hit: Hit[_Claim], rule: TermRule, place_ends: set[int]) -> bool:
        after = text[hit.end : hit.end + CONTEXT_WINDOW]
        before = text[max(0, hit.start - CONTEXT_WINDOW) : hit.start]
        if rule.followed_by and not after.startswith(rule.followed_by):
            return False
        if rule.not_followed_by and after.startswith(rule.not_followed_by):
            return False
        if rule.preceded_by and not before.endswith(rule.preceded_by):
            return False
        if rule.not_preceded_by and before.endswith(rule.not_preceded_by):
            return False
        return not (rule.not_after_place and hit.start in place_ends)

    def match(
        self, text: str, *, sentences: Sequence[tuple[int, int]] | None = None, source: str = "-"
    ) -> list[Mention]:
        """Mentions in ``text`` (already normalized), in text order."""
        return self._match(text, sentences, source)

    def _match(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]] | None,
        source: str,
        doc: str = "",
        placed: Sequence[Sentence] = (),
    ) -> list[Mention]:
        """:meth:`match`, each mention made with its ``doc`` and the sentence of ``placed`` it starts in."""
        raw_hits = self._index.find_all(text)
        if self._patterns:
            raw_hits = sorted([*raw_hits, *self._pattern_hits(text, source)], key=lambda h: (h.start, -h.end))
        place_ends = {
            h.end for h in raw_hits for c in h.payloads if c.entry is not None and c.entry.id in self._places
        }
        sent_spans = list(sentences) if sentences is not None else None
        sent_starts: list[int] = []
        boundary_cache: dict[tuple[int, int], set[int]] = {}

        def on_boundaries(start: int, end: int, start_only: bool) -> bool:
            """Do ``start`` and ``end`` fall on word boundaries of the sentence around them?"""
            nonlocal sent_spans
            if sent_spans is None:
                sent_spans = split_sentences(text) or [(0, len(text))]
            if not sent_starts:
                sent_starts.extend(s for s, _ in sent_spans)
            i = max(0, bisect.bisect_right(sent_starts, start) - 1)
            lo, hi = sent_spans[i]
            if not (lo <= start and end <= hi) or hi - lo > MAX_SEGMENT_SPAN:
                lo, hi = max(0, start - 40), min(len(text), end + 40)
            if (lo, hi) not in boundary_cache:
                boundary_cache[(lo, hi)] = {lo + b for b in self._segmenter.boundaries(text[lo:hi])}
            bounds = boundary_cache[(lo, hi)]
            return start in bounds and (start_only or end in bounds)

        valid: list[Hit[tuple[_Claim, str]]] = []
        for hit in raw_hits:
            kept = []
            for claim in hit.payloads:
                rule = claim.rule
                if rule is None:
                    kept.append((claim, ""))
                    continue
                if not self._context_ok(text, hit, rule, place_ends):
                    continue
                role = "org" if self._org_role(text, hit.end, claim.lexicon) else "place"
                if (
                    role == "place"
                    and rule.needs_boundary
                    and not on_boundaries(hit.start, hit.end, rule.start_only)
                ):
                    continue
                kept.append((claim, role))
            if kept:
                valid.append(Hit(hit.start, hit.end, hit.term, tuple(kept)))
        merged = _merge_same_span(valid)
        mentions: list[Mention] = []
        starts = [s.start for s in placed]
        for hit in leftmost_longest(merged):
            where: dict[str, Any] = {"doc": doc}
            i = bisect.bisect_right(starts, hit.start) - 1
            if i >= 0:
                where.update(sentence=placed[i].index, boilerplate=placed[i].boilerplate)
            mentions.extend(self._emit(text, hit, where))
        return mentions

    def _emit(self, text: str, hit: Hit[tuple[_Claim, str]], where: dict[str, Any]) -> Iterator[Mention]:
        if len(hit.payloads) == 1:  # the common case: one entry, nothing to rank or expand
            claim, role = hit.payloads[0]
            if claim.entry is not None and not claim.entry.expands:
                yield self._mention(text, hit, claim.entry, claim.entry, role, where)
                return
        claims = [(c, role) for c, role in hit.payloads if c.entry is not None]
        by_lex: dict[int, list[tuple[_Claim, str]]] = {}
        for claim, role in claims:
            by_lex.setdefault(claim.lexicon, []).append((claim, role))
        emitted: set[tuple[str, str]] = set()
        for li in sorted(by_lex):
            group = by_lex[li]
            top = max(c.rule.priority for c, _ in group)  # type: ignore[union-attr]
            for claim, role in group:
                if claim.rule.priority != top:  # type: ignore[union-attr]
                    continue
                entry = claim.entry
                assert entry is not None
                targets = [self._entries.get(t, entry) for t in entry.expands] if entry.expands else [entry]
                for target in targets:
                    key = (target.category, target.id)
                    if key in emitted:
                        continue
                    emitted.add(key)
                    yield self._mention(text, hit, target, entry, role, where)

    def _mention(
        self, text: str, hit: Hit[Any], target: Entry, matched: Entry, role: str, where: dict[str, Any]
    ) -> Mention:
        province = macro = None
        is_region = target.category == "region"
        if is_region and target.level == "city":
            province = target.parent
            parent = self._entries.get(province or "")
            macro = parent.parent if parent is not None else None
        elif is_region and target.level == "province":
            province, macro = target.id, target.parent
        return Mention(
            **where,
            start=hit.start,
            end=hit.end,
            text=text[hit.start : hit.end],
            category=target.category,
            id=target.id,
            name=target.name,
            term=hit.term,
            group=target.group if target.category == "industry" else None,
            role=role if is_region else None,
            province=province,
            macro=macro,
            lexicon=matched.lexicon,
        )

    # -- documents --------------------------------------------------------------------------

    def tag_text(self, text: str, *, doc: str = "-") -> list[Mention]:
        """Tag a standalone string (normalized first, so traditional script tags the same)."""
        from .normalize import normalize_text

        return [_with_doc(m, doc) for m in self.match(normalize_text(text), source=doc)]

    def tag_document(self, document: Document) -> list[Mention]:
        sentences = document.sentences
        spans = [(s.start, s.end) for s in sentences] if sentences else None
        return self._match(document.text, spans, document.doc, document.doc, sentences)

    def pipe(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Mention]]]:
        for document in documents:
            yield document, self.tag_document(document)


def _merge_same_span(hits: list[Hit[Any]]) -> list[Hit[Any]]:
    out: list[Hit[Any]] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and out[-1].start == hit.start and out[-1].end == hit.end:
            prev = out[-1]
            out[-1] = Hit(prev.start, prev.end, prev.term, prev.payloads + hit.payloads)
        else:
            out.append(hit)
    return out


def _with_doc(m: Mention, doc: str) -> Mention:
    from dataclasses import replace

    return replace(m, doc=doc)


def _place_in_sentence(m: Mention, sentences: Sequence[Sentence]) -> Mention:
    if not sentences:
        return m
    from dataclasses import replace

    starts = [s.start for s in sentences]
    i = bisect.bisect_right(starts, m.start) - 1
    if i < 0:
        return m
    sent = sentences[i]
    return replace(m, sentence=sent.index, boilerplate=sent.boilerplate)


def mentions_frame(mentions: Iterable[Mention]):  # type: ignore[no-untyped-def]
    """Mentions as a DataFrame (one row each, contract fields first)."""
    import pandas as pd

    columns = [
        "doc", "start", "end", "text", "category", "id", "name", "group", "role", "province", "macro",
        "term", "lexicon", "sentence", "boilerplate",
    ]  # fmt: skip
    rows = [{c: getattr(m, c) for c in columns} for m in mentions]
    return pd.DataFrame(rows, columns=columns)


def kwic_lookup(documents: Iterable[Document], query: str, *, tagger: Tagger, window: int = 20):  # type: ignore[no-untyped-def]
    """Keyword in context: mentions of an entry id, or every occurrence of a term, with metadata.

    An entry id (``320100``, ``tech``) finds the tagger's mentions of it, so 南京 inside 南京市
    and 南京日报 count as the tagger counts them; any other query is searched as a string in the
    normalized text.
    """
    import pandas as pd

    from .normalize import normalize_text

    if window < 1:
        raise ValueError(f"The 'window' parameter of kwic_lookup must be >= 1; got {window!r}")
    is_id = tagger.entry(query) is not None
    needle = normalize_text(query)
    rows = []
    for doc in documents:
        text = doc.text
        if is_id:
            spans = [(m.start, m.end) for m in tagger.tag_document(doc) if m.id == query]
        else:
            spans, pos = [], text.find(needle)
            while needle and pos >= 0:
                spans.append((pos, pos + len(needle)))
                pos = text.find(needle, pos + len(needle))
        for start, end in spans:
            rs, re_ = doc.raw_span(start, end)
            rows.append(
                {
                    "doc": doc.doc,
                    "start": start,
                    "end": end,
                    "raw_start": rs,
                    "raw_end": re_,
                    "left": text[max(0, start - window) : start].replace("\n", " "),
                    "match": text[start:end],
                    "right": text[end : end + window].replace("\n", " "),
                    "title": doc.meta.get("title"),
                    "date": doc.meta.get("date"),
                    "author": doc.meta.get("author"),
                    "outlet": doc.meta.get("outlet"),
                }
            )
    columns = [
        "doc",
        "start",
        "end",
        "raw_start",
        "raw_end",
        "left",
        "match",
        "right",
        "title",
        "date",
        "author",
        "outlet",
    ]
    return pd.DataFrame(rows, columns=columns)


def lexicon_stats(tagger: Tagger, documents: Iterable[Document] | None = None):  # type: ignore[no-untyped-def]
    """One row per term: its entry, how many terms the entry has, and (with documents) its matches."""
    import pandas as pd

    counts: dict[tuple[str, str, str], int] = {}
    if documents is not None:
        for doc in documents:
            for m in tagger.tag_document(doc):
                key = (m.lexicon, m.id, m.term)
                counts[key] = counts.get(key, 0) + 1
    rows = []
    for lex in tagger.lexicons:
        for entry in lex:
            n_terms = sum(r.term is not None for r in entry.terms)
            for rule in entry.terms:
                label = rule.term if rule.term is not None else f"/{rule.pattern}/"
                row = {
                    "lexicon": lex.name,
                    "id": entry.id,
                    "name": entry.name,
                    "entry_terms": n_terms,
                    "term": label,
                }
                if documents is not None:
                    row["matches"] = (
                        sum(
                            n
                            for (lx, eid, term), n in counts.items()
                            if lx == lex.name and eid == entry.id and term == label
                        )
                        if rule.term is not None
                        else sum(
                            n for (lx, eid, _), n in counts.items() if lx == lex.name and eid == entry.id
                        )
                    )
                rows.append(row)
    return pd.DataFrame(rows)
