"""``MappedText.edit`` builds its maps with whole-array operations; they equal the maps built edit by
edit (the plain form below), for any sorted, non-overlapping edits on any map."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.offsets import MappedText


def _plain_edit(m: MappedText, edits: list[tuple[int, int, str]]) -> tuple[str, np.ndarray, np.ndarray]:
    pieces, starts, ends, pos = [], [], [], 0
    for start, end, repl in edits:
        if start > pos:
            pieces.append(m.text[pos:start])
            starts.append(m.starts[pos:start])
            ends.append(m.ends[pos:start])
        if repl:
            pieces.append(repl)
            if end - start == len(repl):
                starts.append(m.starts[start:end])
                ends.append(m.ends[start:end])
            else:
                if end > start:
                    s, e = int(m.starts[start]), int(m.ends[end - 1])
                else:
                    s = e = m._anchor(start)
                starts.append(np.full(len(repl), s, dtype=np.int64))
                ends.append(np.full(len(repl), e, dtype=np.int64))
        pos = end
    pieces.append(m.text[pos:])
    starts.append(m.starts[pos:])
    ends.append(m.ends[pos:])
    return "".join(pieces), np.concatenate(starts), np.concatenate(ends)


@st.composite
def mapped_and_edits(draw):
    text = draw(st.text(alphabet="ab中\n", max_size=20))
    base = MappedText.identity(text, offset=draw(st.integers(0, 5)))
    if text and draw(st.booleans()):  # a map that is not the identity: a first edit merged spans
        cut = draw(st.integers(0, len(text) - 1))
        base = base.edit([(cut, min(len(text), cut + 2), draw(st.sampled_from(["", "x", "xyz"])))])
    n = len(base.text)
    points = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    edits = []
    for start, end in zip(points[::2], points[1::2], strict=False):
        edits.append((start, end, draw(st.sampled_from(["", "q", "qq", "qqq", "\n"]))))
    return base, edits


@settings(max_examples=500, deadline=None)
@given(mapped_and_edits())
def test_edit_maps_equal_the_edit_by_edit_maps(case):
    base, edits = case
    out = base.edit(edits)
    text, starts, ends = _plain_edit(base, edits)
    assert out.text == text
    assert out.starts.tolist() == starts.tolist()
    assert out.ends.tolist() == ends.tolist()
    assert out.starts.dtype == out.ends.dtype == np.int64
