"""Find lexicon entries in normalized text: dimensions, industries, regions, and user lexicons.

Terms are searched as raw strings (Aho-Corasick), so segmentation can never hide one. The
segmenter is consulted only to *reject* short, ambiguous candidates that cut through a word
(中部 in 集中部署), and only on the sentences where such a candidate occurs.

Speed: what a matched string may stand for is worked out once per term when the tagger is built
(:class:`_Plan`), candidates are plain tuples taken in leftmost-longest order, and a candidate is
checked (context, word boundaries) only when no longer match already covers it; a mention's fields
that depend on the entry alone are computed once per entry and role.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import regex

from .errors import InputError
from .lexicon import CONTEXT_WINDOW, Entry, Lexicon, TermRule, load_lexicons
from .match import TermIndex, required_literals
from .segment import Segmenter, split_sentences
from .types import Document, Mention, Sentence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["Tagger", "kwic_lookup", "lexicon_stats", "mentions_frame"]

PATTERN_TIMEOUT = 2.0  # seconds one lexicon regex may spend on one document
MAX_SEGMENT_SPAN = 400  # longer sentences are segmented in a window around the candidate

_Template = dict[str, Any]  # a mention's fields in order, those of its entry and role filled in
_Kept = tuple[tuple[int, str], ...]  # (claim number, role) of the claims a match keeps


@dataclass(frozen=True, slots=True)
class _Claim:
    """What a matched string stands for: an entry through one of its rules, or an exclusion."""

    lexicon: int
    entry: Entry | None
    rule: TermRule | None


@dataclass(frozen=True, slots=True)
class _Check:
    """How one claim is checked at a match, read off its rule once."""

    key: int  # the claim's number in ``Tagger._claims``
    rule: TermRule | None  # None: an exclusion, always kept
    context: bool  # the rule has context conditions
    suffixes: tuple[str, ...]  # org suffixes of its lexicon: role "org" when one follows the match
    boundary: bool  # a "place" match must fall on word boundaries
    start_only: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything the tagger does with one matched string (a term, or one regex's matches)."""

    checks: tuple[_Check, ...]
    fixed: _Kept | None  # the kept claims when no check can drop one or change its role
    place: bool  # a claim names a province or city (for ``not_after_place``)
    probes: tuple[int, ...] = ()  # regexes (numbers in ``Tagger._patterns``) that need this string


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
        self._claims: list[_Claim] = []
        by_term: dict[str, list[_Claim]] = {}
        patterns: list[tuple[regex.Pattern[str], _Claim]] = []
        self._org_suffixes: dict[int, tuple[str, ...]] = {}
        for li, lex in enumerate(self.lexicons):
            self._org_suffixes[li] = tuple(sorted(lex.org_suffixes, key=len, reverse=True))
            for term in lex.exclude:
                by_term.setdefault(term, []).append(_Claim(li, None, None))
            for entry in lex:
                self._entries.setdefault(entry.id, entry)
                for rule in entry.terms:
                    claim = _Claim(li, entry, rule)
                    if rule.term is not None:
                        by_term.setdefault(rule.term, []).append(claim)
                    elif rule.pattern is not None:
                        try:
                            rx = regex.compile(rule.pattern)
                        except regex.error as exc:
                            raise InputError(
                                lex.path,
                                f"pattern {rule.pattern!r} does not compile: {exc}",
                                f"line {rule.line}",
                            ) from None
                        patterns.append((rx, claim))
        self._places = frozenset(
            e.id
            for lex in self.lexicons
            if lex.category == "region"
            for e in lex
            if e.level in ("province", "city")
        )
        self._patterns: list[tuple[regex.Pattern[str], _Claim, _Plan, tuple[str, ...] | None]] = [
            (rx, claim, self._plan([claim]), required_literals(rx.pattern)) for rx, claim in patterns
        ]
        # A regex runs only on texts holding one of its required literals; the literals ride in the
        # term automaton (a literal that is no term has a plan that keeps nothing).
        probes: dict[str, list[int]] = {}
        for i, (*_, literals) in enumerate(self._patterns):
            for literal in literals or ():
                probes.setdefault(literal, []).append(i)
        self._index: TermIndex[_Plan] = TermIndex(
            (string, self._plan(by_term.get(string, ()), probes.get(string, ())))
            for string in {**dict.fromkeys(by_term), **dict.fromkeys(probes)}
        )
        self._recipes: dict[_Kept, tuple[_Template, ...]] = {}
        self._segmenter = Segmenter(self.user_words, backend=backend)

    def _plan(self, claims: Sequence[_Claim], probes: Sequence[int] = ()) -> _Plan:
        checks = []
        for claim in claims:
            key = len(self._claims)
            self._claims.append(claim)
            rule = claim.rule
            context = rule is not None and bool(
                rule.followed_by
                or rule.not_followed_by
                or rule.preceded_by
                or rule.not_preceded_by
                or rule.not_after_place
            )
            suffixes = self._org_suffixes.get(claim.lexicon, ()) if rule is not None else ()
            boundary = rule is not None and rule.needs_boundary
            checks.append(_Check(key, rule, context, suffixes, boundary, bool(rule and rule.start_only)))
        fixed = None
        if not any(c.context or c.suffixes or c.boundary for c in checks):
            fixed = tuple((c.key, "" if c.rule is None else "place") for c in checks)
        place = any(c.entry is not None and c.entry.id in self._places for c in claims)
        return _Plan(tuple(checks), fixed, place, tuple(probes))

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

    def _pattern_hits(
        self, text: str, source: str, found: list[tuple[int, int, str, tuple[_Plan]]]
    ) -> list[tuple[int, int, str, tuple[_Plan]]]:
        hits = []
        present = {i for h in found for i in h[3][0].probes}
        for i, (rx, claim, plan, literals) in enumerate(self._patterns):
            if literals is not None and i not in present:
                continue  # every match holds one of its literals, and none occurs
            try:
                for m in rx.finditer(text, timeout=PATTERN_TIMEOUT):
                    start, end = m.span()
                    if end > start:
                        hits.append((start, end, m.group(0), (plan,)))
            except TimeoutError:
                lex = self.lexicons[claim.lexicon]
                raise InputError(
                    lex.path,
                    f"pattern {claim.rule.pattern!r} took over {PATTERN_TIMEOUT:g} s on {source}; refused",  # type: ignore[union-attr]
                    f"line {claim.rule.line}",  # type: ignore[union-attr]
                ) from None
        return hits

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
        """:meth:`match`, each mention made with its ``doc`` and the sentence of ``placed`` it starts in.

        Candidates come sorted by ``(start, -end)``; one that starts inside the last kept match is
        dropped unchecked (leftmost-longest), any other is kept when one of its claims passes its
        checks. Equal spans (a term and a regex matching the same string) pool their claims.
        """
        found = self._index.occurrences(text)
        pooled = False
        if self._patterns:
            extra = self._pattern_hits(text, source, found)
            for hit in extra:  # after the equal-span hits already in place, as a stable sort would
                bisect.insort_right(found, hit, key=_start_longest)
            pooled = bool(extra)
        mentions: list[Mention] = []
        if not found:
            return mentions
        recipes = self._recipes
        starts = [s.start for s in placed] if placed else None
        scan: _Scan | None = None
        last_end = -1
        i, n = 0, len(found)
        while i < n:
            start, end, term, (plan,) = found[i]
            i += 1
            if start < last_end:
                continue
            kept = plan.fixed
            if kept is None:
                if scan is None:
                    scan = _Scan(text, found, sentences, placed, self._segmenter)
                kept = self._kept(plan, start, end, scan)
            if pooled:
                while i < n and found[i][0] == start and found[i][1] == end:
                    other = found[i][3][0]
                    i += 1
                    if other.fixed is not None:
                        kept += other.fixed
                    else:
                        if scan is None:
                            scan = _Scan(text, found, sentences, placed, self._segmenter)
                        kept += self._kept(other, start, end, scan)
            if not kept:
                continue
            last_end = end
            recipe = recipes.get(kept)
            if recipe is None:
                recipe = recipes[kept] = self._recipe(kept)
            if not recipe:
                continue
            sentence, boilerplate = -1, False
            if starts is not None:
                k = bisect.bisect_right(starts, start) - 1
                if k >= 0:
                    sentence, boilerplate = placed[k].index, placed[k].boilerplate
            for template in recipe:
                values = template.copy()  # every field, in order; the entry's already filled in
                values["doc"] = doc
                values["start"] = start
                values["end"] = end
                values["text"] = values["term"] = term  # an exact match: equal to text[start:end]
                values["sentence"] = sentence
                values["boilerplate"] = boilerplate
                mentions.append(_new_mention(values))
        return mentions

    def _kept(self, plan: _Plan, start: int, end: int, scan: _Scan) -> _Kept:
        """The claims of ``plan`` that hold at ``text[start:end]``, each with its role."""
        text = scan.text
        kept = []
        for check in plan.checks:
            rule = check.rule
            if rule is None:
                kept.append((check.key, ""))
                continue
            if check.context and not scan.context_ok(start, end, rule):
                continue
            role = "org" if check.suffixes and text.startswith(check.suffixes, end) else "place"
            if role == "place" and check.boundary and not scan.on_boundaries(start, end, check.start_only):
                continue
            kept.append((check.key, role))
        return tuple(kept)

    def _recipe(self, kept: _Kept) -> tuple[_Template, ...]:
        """The mentions a match with these claims makes: the top-priority claims of each lexicon,
        expanded (``expands``), each target once."""
        pairs = [(self._claims[key], role) for key, role in kept]
        if len(pairs) == 1:  # the common case: one entry, nothing to rank or expand
            claim, role = pairs[0]
            if claim.entry is not None and not claim.entry.expands:
                return (self._template(claim.entry, claim.entry, role),)
        by_lex: dict[int, list[tuple[_Claim, str]]] = {}
        for claim, role in pairs:
            if claim.entry is not None:
                by_lex.setdefault(claim.lexicon, []).append((claim, role))
        out: list[_Template] = []
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
                    if key not in emitted:
                        emitted.add(key)
                        out.append(self._template(target, entry, role))
        return tuple(out)

    def _template(self, target: Entry, matched: Entry, role: str) -> _Template:
        province = macro = None
        is_region = target.category == "region"
        if is_region and target.level == "city":
            province = target.parent
            parent = self._entries.get(province or "")
            macro = parent.parent if parent is not None else None
        elif is_region and target.level == "province":
            province, macro = target.id, target.parent
        return {
            "doc": "",
            "start": 0,
            "end": 0,
            "text": "",
            "category": target.category,
            "id": target.id,
            "name": target.name,
            "term": "",
            "group": target.group if target.category == "industry" else None,
            "role": role if is_region else None,
            "province": province,
            "macro": macro,
            "lexicon": matched.lexicon,
            "sentence": -1,
            "boilerplate": False,
            "extra": (),
        }

    # -- documents --------------------------------------------------------------------------

    def tag_text(self, text: str, *, doc: str = "-") -> list[Mention]:
        """Tag a standalone string (normalized first, so traditional script tags the same)."""
        from .normalize import normalize_text

        return self._match(normalize_text(text), None, doc, doc)

    def tag_document(self, document: Document) -> list[Mention]:
        return self._match(document.text, None, document.doc, document.doc, document.sentences)

    def pipe(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Mention]]]:
        for document in documents:
            yield document, self.tag_document(document)


def _start_longest(hit: tuple[int, int, str, tuple[_Plan]]) -> tuple[int, int]:
    return hit[0], -hit[1]


class _Scan:
    """What the checks of one text need beyond the matched string, made when first asked for:
    sentence spans, word boundaries (one segmentation per sentence), ends of place names."""

    __slots__ = ("_place_ends", "bounds", "found", "segmenter", "spans", "starts", "text")

    def __init__(
        self,
        text: str,
        found: list[tuple[int, int, str, tuple[_Plan]]],
        sentences: Sequence[tuple[int, int]] | None,
        placed: Sequence[Sentence],
        segmenter: Segmenter,
    ) -> None:
        self.text = text
        self.found = found
        if sentences is None and placed:
            sentences = [(s.start, s.end) for s in placed]
        self.spans = list(sentences) if sentences else None
        self.starts: list[int] = []
        self.bounds: dict[tuple[int, int], set[int]] = {}
        self.segmenter = segmenter
        self._place_ends: set[int] | None = None

    def context_ok(self, start: int, end: int, rule: TermRule) -> bool:
        """The rule's context conditions, on at most ``CONTEXT_WINDOW`` characters each side."""
        text = self.text
        after = end + CONTEXT_WINDOW
        before = max(0, start - CONTEXT_WINDOW)
        if rule.followed_by and not text.startswith(rule.followed_by, end, after):
            return False
        if rule.not_followed_by and text.startswith(rule.not_followed_by, end, after):
            return False
        if rule.preceded_by and not text.endswith(rule.preceded_by, before, start):
            return False
        if rule.not_preceded_by and text.endswith(rule.not_preceded_by, before, start):
            return False
        if rule.not_after_place:
            if self._place_ends is None:
                self._place_ends = {h[1] for h in self.found if h[3][0].place}
            return start not in self._place_ends
        return True

    def on_boundaries(self, start: int, end: int, start_only: bool) -> bool:
        """Do ``start`` and ``end`` fall on word boundaries of the sentence around them?"""
        text = self.text
        if self.spans is None:
            self.spans = split_sentences(text) or [(0, len(text))]
        if not self.starts:
            self.starts = [s for s, _ in self.spans]
        lo, hi = self.spans[max(0, bisect.bisect_right(self.starts, start) - 1)]
        if not (lo <= start and end <= hi) or hi - lo > MAX_SEGMENT_SPAN:
            lo, hi = max(0, start - 40), min(len(text), end + 40)
        # Only the stretch between the punctuation marks around the candidate is segmented: the
        # same boundaries there as segmenting text[lo:hi] whole (see _CLAUSE_MARK).
        before = _CLAUSE_MARK_BACK.search(text, lo, start)
        after = _CLAUSE_MARK.search(text, end, hi)
        lo = before.end() if before is not None else lo
        hi = after.start() if after is not None else hi
        if start == lo and (start_only or end == hi):
            return True  # the stretch's own ends are boundaries
        bounds = self.bounds.get((lo, hi))
        if bounds is None:
            bounds = self.bounds[(lo, hi)] = self.segmenter.boundaries(text[lo:hi])
        return start - lo in bounds and (start_only or end - lo in bounds)


# Characters that jieba and rjieba always cut on both sides, whatever the dictionary: both split a
# text into runs of "han" characters (CJK ideographs, ASCII letters and digits, +#&._%-), segment
# each run on its own, and make every other character a token of its own (whitespace excepted:
# "\r\n" stays one token, so no whitespace is listed). Segmenting the stretch between two of these
# marks alone therefore gives exactly the boundaries that segmenting a longer text around it gives.
_CLAUSE_MARKS = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—,;:!?()[]\"'"
_CLAUSE_MARK = regex.compile("[" + regex.escape(_CLAUSE_MARKS) + "]")
_CLAUSE_MARK_BACK = regex.compile("(?r)[" + regex.escape(_CLAUSE_MARKS) + "]")


_MENTION_FIELDS = (
    "doc", "start", "end", "text", "category", "id", "name", "term", "group", "role", "province", "macro",
    "lexicon", "sentence", "boilerplate", "extra",
)  # fmt: skip
_MENTION_DEFAULTS = {"sentence": -1, "boilerplate": False, "extra": ()}


def _plain_mention_class() -> bool:
    """Is :class:`Mention` still the plain frozen dataclass ``_new_mention`` fills directly?"""
    found = fields(Mention)
    return (
        tuple(f.name for f in found) == _MENTION_FIELDS
        and all(f.default == _MENTION_DEFAULTS[f.name] for f in found if f.name in _MENTION_DEFAULTS)
        and not hasattr(Mention, "__post_init__")
        and not hasattr(Mention, "__slots__")
    )


if _plain_mention_class():
    _object_new = object.__new__
    _object_setattr = object.__setattr__

    def _new_mention(values: dict[str, Any]) -> Mention:
        """``Mention(**values)`` at a third of the cost: a frozen dataclass's ``__init__`` sets each of
        its 16 fields through ``object.__setattr__``; here the instance dict is set once."""
        mention = _object_new(Mention)
        _object_setattr(mention, "__dict__", values)
        return mention

else:  # pragma: no cover - Mention changed shape: take the ordinary constructor

    def _new_mention(values: dict[str, Any]) -> Mention:
        return Mention(**values)


MENTION_COLUMNS = (
    "doc", "start", "end", "text", "category", "id", "name", "group", "role", "province", "macro",
    "term", "lexicon", "sentence", "boilerplate",
)  # fmt: skip


# The dtype of each column when there are mentions (with none, every column is ``object``).
_COLUMN_DTYPES: dict[str, Any] = {
    name: "int64" if name in ("start", "end", "sentence") else "bool" if name == "boilerplate" else object
    for name in MENTION_COLUMNS
}


def mention_columns(mentions: Iterable[Mention]) -> dict[str, np.ndarray]:
    """Each of :data:`MENTION_COLUMNS` as one array, of the dtype it has in :func:`mentions_frame`.

    Text columns are ``object`` with ``None`` for a missing value, whatever the rows hold, so frames
    made per file and per corpus have the same dtypes and concatenate without changes; offsets and
    sentence numbers are ``int64``, ``boilerplate`` is ``bool``. With no mentions every column is
    ``object``, as pandas makes a column of no values.
    """
    import numpy as np

    rows = list(map(attrgetter(*MENTION_COLUMNS), mentions))
    columns = zip(*rows, strict=True) if rows else [()] * len(MENTION_COLUMNS)
    return {
        name: np.fromiter(values, _COLUMN_DTYPES[name] if rows else object, count=len(rows))
        for name, values in zip(MENTION_COLUMNS, columns, strict=True)
    }


def columns_frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """``pd.DataFrame(columns)`` at a fraction of the cost, the arrays' dtypes kept as they are.

    The constructor checks, aligns and infers each column (an ``object`` array of strings would
    become ``str``); that costs more per file than tagging it. Here the arrays, of one length and
    already of their final numpy dtypes, are stacked into one block per dtype, the layout the
    constructor would give them.
    """
    import numpy as np
    import pandas as pd
    from pandas.api.internals import create_dataframe_from_blocks

    arrays = list(columns.values())
    by_dtype: dict[np.dtype, list[int]] = {}
    for i, values in enumerate(arrays):
        by_dtype.setdefault(values.dtype, []).append(i)
    blocks = [(np.stack([arrays[i] for i in at]), np.array(at, dtype=np.intp)) for at in by_dtype.values()]
    length = len(arrays[0]) if arrays else 0
    # A copy of the shared index (cheap): an index's name can be set in place.
    return create_dataframe_from_blocks(blocks, pd.RangeIndex(length), _column_index(tuple(columns)).copy())


@functools.cache
def _column_index(names: tuple[str, ...]) -> pd.Index:
    """Column labels, built once per set of names (building infers their dtype, each time)."""
    import pandas as pd

    return pd.Index(list(names))


def mentions_frame(mentions: Iterable[Mention]) -> pd.DataFrame:
    """Mentions as a DataFrame (one row each, contract fields first; dtypes: :func:`mention_columns`)."""
    return columns_frame(mention_columns(mentions))


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
