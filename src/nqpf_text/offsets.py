"""Text that remembers where every character came from.

Every stage that changes text (layout repair, width folding, OpenCC, the phrase map) goes through
:class:`MappedText`, so any span of the final text maps back to the characters of the original file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["CharTable", "Edit", "MappedText"]

Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` by a string (``""`` deletes, ``start == end`` inserts)."""


class CharTable:
    """A one-to-one character table for :meth:`MappedText.translate` that skips text it cannot change.

    ``str.translate`` with a dict costs a lookup per character even when no character is in the table
    (the common case: width folding of plain simplified text); one regex scan over the table's keys
    finds that out at C speed, and a text with hits is rewritten match by match.
    """

    def __init__(self, table: dict[int, int | str]) -> None:
        self.table = dict(table)
        self._chars = {chr(k): chr(v) if isinstance(v, int) else v for k, v in self.table.items()}
        if any(len(v) != 1 for v in self._chars.values()):
            raise ValueError("CharTable takes only one-to-one tables")
        keys = "".join(re.escape(k) for k in sorted(self._chars))
        self.rx = re.compile(f"[{keys}]") if keys else None

    def apply(self, text: str) -> str:
        """``text.translate(self.table)``, without touching a text that holds no key."""
        if self.rx is None or self.rx.search(text) is None:
            return text
        chars = self._chars
        return self.rx.sub(lambda m: chars[m.group()], text)


@dataclass(frozen=True, eq=False)
class MappedText:
    """``text`` plus, for each character ``i``, the original span ``[starts[i], ends[i])``.

    Inserted characters get an empty original span at the place they were inserted. The maps are
    monotonic (non-decreasing), which is what makes span lookups well defined.
    """

    text: str
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> MappedText:
        idx = np.arange(offset, offset + len(text), dtype=np.int64)
        return cls(text, idx, idx + 1)

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalized ``text[start:end]``."""
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span [{start}, {end}) outside text of length {n}")
        if start == end:
            pos = int(self.starts[start]) if start < n else (int(self.ends[-1]) if n else 0)
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def raw_spans(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`raw_span` for non-empty spans."""
        return self.starts[starts], self.ends[np.asarray(ends) - 1]

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def edit(self, edits: Iterable[Edit]) -> MappedText:
        """Apply sorted, non-overlapping edits in one pass.

        A replacement of the same length maps character by character (OpenCC, width folding); any
        other replacement maps every new character to the whole original span it replaced.
        """
        text = self.text
        pieces: list[str] = []
        # the new maps, run by run, flat: length, first index into starts, into ends, step (1 or 0)
        runs: list[int] = []
        inserted: list[tuple[int, int, int]] = []  # (new offset, length, anchor) of pure insertions
        pos = out = 0
        for start, end, repl in edits:
            if start < pos or end < start or end > len(text):
                raise ValueError(
                    f"edits must be sorted and non-overlapping; got ({start}, {end}) after {pos}"
                )
            if start > pos:
                pieces.append(text[pos:start])
                runs += (start - pos, pos, pos, 1)
                out += start - pos
            if repl:
                pieces.append(repl)
                size = len(repl)
                if end - start == size:
                    runs += (size, start, start, 1)
                elif end > start:
                    runs += (size, start, end - 1, 0)
                else:
                    runs += (size, 0, 0, 0)
                    inserted.append((out, size, self._anchor(start)))
                out += size
            pos = end
        if not pieces and pos == 0:
            return self
        pieces.append(text[pos:])
        runs += (len(text) - pos, pos, pos, 1)
        starts, ends = self._runs(runs, out + len(text) - pos)
        for at, size, anchor in inserted:
            starts[at : at + size] = anchor
            ends[at : at + size] = anchor
        return MappedText("".join(pieces), starts, ends)

    def _runs(self, runs: list[int], total: int) -> tuple[np.ndarray, np.ndarray]:
        """The new maps from runs of (length, first start index, first end index, step), built with a
        few whole-array operations instead of one small array per edit."""
        spec = np.array(runs, dtype=np.int64).reshape(-1, 4)
        sizes, first_s, first_e, step = spec.T
        offsets = np.cumsum(sizes) - sizes
        steps = np.repeat(step, sizes) * np.arange(total, dtype=np.int64)
        idx_s = np.repeat(first_s - step * offsets, sizes) + steps
        idx_e = np.repeat(first_e - step * offsets, sizes) + steps
        if not len(self.starts):  # only insertions into an empty text: every value is an anchor
            return np.zeros(total, np.int64), np.zeros(total, np.int64)
        return self.starts[idx_s], self.ends[idx_e]

    def sub(self, pattern: re.Pattern[str] | str, repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """``re.sub`` that keeps the map."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        func = repl if callable(repl) else (lambda m: m.expand(repl))
        edits = []
        for m in rx.finditer(self.text):
            new = func(m)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.edit(edits) if edits else self

    def translate(self, table: dict[int, str | int | None] | CharTable) -> MappedText:
        """``str.translate`` for one-to-one tables (keeps length, so the map is unchanged)."""
        if isinstance(table, CharTable):
            new = table.apply(self.text)
            return self if new is self.text else MappedText(new, self.starts, self.ends)
        new = self.text.translate(table)
        if len(new) != len(self.text):
            raise ValueError("translate() takes only one-to-one tables")
        return MappedText(new, self.starts, self.ends)

    def replace_aligned(self, new: str) -> MappedText:
        """Swap in a same-length converted text (e.g. OpenCC t2s, which is character aligned)."""
        if len(new) != len(self.text):
            raise ValueError("replace_aligned() needs a text of the same length")
        return MappedText(new, self.starts, self.ends)

    def _anchor(self, i: int) -> int:
        if i < len(self.text):
            return int(self.starts[i])
        return int(self.ends[-1]) if len(self.text) else 0
