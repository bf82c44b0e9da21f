"""Multi-pattern search on raw strings, independent of word segmentation.

An Aho-Corasick automaton finds every occurrence of every term in one pass; overlap is then
resolved by an explicit policy (leftmost-longest), so a dictionary term is never hidden by how a
segmenter happened to cut the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

__all__ = ["Hit", "TermIndex", "leftmost_longest"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    term: str
    payloads: tuple[T, ...]


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
            self._automaton.add_word(term, (term, tuple(payloads)))
        self._size = len(table)
        if table:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def __contains__(self, term: str) -> bool:
        return term in self._automaton

    def iter_all(self, text: str) -> Iterator[Hit[T]]:
        """Every occurrence of every term, overlapping ones included, ordered by end offset."""
        if not self._size:
            return
        for end_index, (term, payloads) in self._automaton.iter(text):
            end = end_index + 1
            yield Hit(end - len(term), end, term, payloads)

    def find_all(self, text: str) -> list[Hit[T]]:
        return sorted(self.iter_all(text), key=lambda h: (h.start, -h.end))

    def find(self, text: str) -> list[Hit[T]]:
        """Leftmost-longest, non-overlapping occurrences."""
        return leftmost_longest(self.find_all(text))


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
