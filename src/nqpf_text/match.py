"""Multi-pattern search on raw strings, independent of word segmentation.

An Aho-Corasick automaton finds every occurrence of every term in one pass; overlap is then
resolved by an explicit policy (leftmost-longest), so a dictionary term is never hidden by how a
segmenter happened to cut the text.

The automaton runs over each character's four UTF-32-BE bytes (as a Latin-1 string), not over the
characters: pyahocorasick finds a node's child by a linear scan, and a lexicon of a thousand
Chinese terms gives the root hundreds of children, scanned for most characters of a text. On bytes
no node has more than 256 children and the busy ones have few, which doubles the speed. A match
counts only where it starts and ends on a character's first byte.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, TypeVar

import ahocorasick

__all__ = ["Hit", "TermIndex", "leftmost_longest", "required_literals", "widen"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    term: str
    payloads: tuple[T, ...]


def widen(text: str) -> str:
    """``text`` as the string :class:`TermIndex` searches: four Latin-1 characters per character."""
    return text.encode("utf-32-be", "surrogatepass").decode("latin-1")


class TermIndex(Generic[T]):
    """Exact-string index over many terms; each term carries one or more payloads."""

    def __init__(self, terms: Iterable[tuple[str, T]]) -> None:
        table: dict[str, list[T]] = {}
        for term, payload in terms:
            if not term:
                raise ValueError("empty term")
            table.setdefault(term, []).append(payload)
        self._automaton = ahocorasick.Automaton()
        for term, payloads in table.items():
            self._automaton.add_word(widen(term), (term, tuple(payloads), len(term)))
        self._size = len(table)
        if table:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def __contains__(self, term: str) -> bool:
        return bool(term) and widen(term) in self._automaton

    def iter_all(self, text: str) -> Iterator[Hit[T]]:
        """Every occurrence of every term, overlapping ones included, ordered by end offset."""
        if not self._size:
            return
        for last, (term, payloads, length) in self._automaton.iter(widen(text)):
            if last & 3 == 3:  # ends on a character's last byte (so starts on one's first)
                end = (last + 1) >> 2
                yield Hit(end - length, end, term, payloads)

    def occurrences(self, text: str) -> list[tuple[int, int, str, tuple[T, ...]]]:
        """Every occurrence as plain ``(start, end, term, payloads)`` tuples, sorted by ``(start, -end)``.

        The order of :meth:`find_all` without a :class:`Hit` per occurrence, for hot loops.
        """
        if not self._size:
            return []
        found = [
            (((e + 1) >> 2) - n, (e + 1) >> 2, term, payloads)
            for e, (term, payloads, n) in self._automaton.iter(widen(text))
            if e & 3 == 3
        ]
        found.reverse()  # ends descending; a stable sort on the start alone then puts longer first
        found.sort(key=_START)
        return found

    def find_all(self, text: str) -> list[Hit[T]]:
        return sorted(self.iter_all(text), key=lambda h: (h.start, -h.end))

    def find(self, text: str) -> list[Hit[T]]:
        """Leftmost-longest, non-overlapping occurrences."""
        return leftmost_longest(self.find_all(text))


_START = itemgetter(0)


def leftmost_longest(hits: Sequence[Hit[T]]) -> list[Hit[T]]:
    """Keep the leftmost hit, the longest among those starting there, and drop what overlaps it.

    ``hits`` must be sorted by ``(start, -end)``.
    """
    kept: list[Hit[T]] = []
    last_end = -1
    for hit in hits:
        if hit.start >= last_end:
            kept.append(hit)
            last_end = hit.end
    return kept


# --------------------------------------------------------------------------- regex prefilter


def required_literals(pattern: str, *, ignore_case: bool = False) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains, or None when that is not certain.

    A regex then runs only on texts where the automaton found one of them (an exact prefilter, as
    in RE2's). Read from Python's own parse of the pattern: literal runs (zero-width assertions do not
    break one), groups, alternations and repeats of at least one, keeping the most selective set.
    With ``ignore_case`` a cased letter names nothing (AI may be written ai). Anything ``re`` may not
    read as ``regex`` does (inline flags, fuzzy ``{e<=1}``, POSIX classes, a syntax error or warning)
    gives None, and the pattern is always run.
    """
    from re import _parser  # type: ignore[attr-defined]

    if any(x in pattern for x in ("[:", "[=", "[.")):
        return None  # POSIX classes: a class to ``regex``, a set plus literal characters to ``re``
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parser.parse(pattern)
    except (re.error, Warning, RecursionError, OverflowError):
        return None
    if parsed.state.flags & ~re.UNICODE or any(_unsure(op, av) for op, av in _walk(parsed)):
        return None
    found = _required(list(parsed), ignore_case)
    return tuple(sorted(found)) if found else None


def _required(items: Sequence[tuple[Any, Any]], ignore_case: bool) -> frozenset[str] | None:
    """The most selective set of strings one of which every match of the parsed sequence contains."""
    from re import _parser  # type: ignore[attr-defined]

    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run = ""
    for op, av in items:
        plain = _plain(av[3]) if op is _parser.SUBPATTERN else None
        if op is _parser.LITERAL and not (ignore_case and _cased(chr(av))):
            run += chr(av)
            continue
        if plain is not None and not (ignore_case and any(map(_cased, plain))):
            run += plain
            continue
        if op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            continue  # zero-width: the characters on either side are adjacent in the match
        consider(frozenset([run]) if run else None)
        run = ""
        if op is _parser.SUBPATTERN:
            consider(_required(list(av[3]), ignore_case))
        elif op is _parser.ATOMIC_GROUP:
            consider(_required(list(av), ignore_case))
        elif op is _parser.BRANCH:
            branches = [_required(list(b), ignore_case) for b in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_required(list(av[2]), ignore_case))
        # anything else (classes, back-references) names no string
    consider(frozenset([run]) if run else None)
    return best


def _cased(char: str) -> bool:
    """A character an ignore-case match may meet as another one (letters, not CJK or digits)."""
    return not (char.lower() == char == char.upper() and char.casefold() == char)


def _walk(items: Any) -> Iterator[tuple[Any, Any]]:
    for op, av in items:
        yield op, av
        for sub in _subpatterns(av):
            yield from _walk(sub)


def _subpatterns(av: Any) -> Iterator[Any]:
    from re import _parser  # type: ignore[attr-defined]

    if isinstance(av, _parser.SubPattern):
        yield av
    elif isinstance(av, tuple | list):
        for x in av:
            yield from _subpatterns(x)


def _unsure(op: Any, av: Any) -> bool:
    """A node ``regex`` may read otherwise: a brace read as a literal (fuzzy matching, ``\\p{..}``)
    or a group with inline flags."""
    from re import _parser  # type: ignore[attr-defined]

    if op is _parser.LITERAL:
        return av in (ord("{"), ord("}"))
    if op is _parser.SUBPATTERN:
        return bool(av[1] or av[2])
    return False


def _plain(items: Any) -> str | None:
    """The string a sequence of literal nodes matches, or None."""
    from re import _parser  # type: ignore[attr-defined]

    if not all(op is _parser.LITERAL for op, _ in items):
        return None
    return "".join(chr(av) for _, av in items)
