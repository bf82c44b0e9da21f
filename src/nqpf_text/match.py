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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Generic, TypeVar

import ahocorasick

__all__ = ["Hit", "TermIndex", "leftmost_longest", "widen"]

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
