"""The n-gram counter's aggregation (keys packed into few sort words) against a plain dictionary."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.report.candidates import _reduce

_KEY = st.one_of(st.integers(0, 3), st.integers(0, 2**40))  # few bits, and too many for one word


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_KEY, _KEY, _KEY, st.integers(0, 9), st.integers(-5, 5)), min_size=1, max_size=40))
def test_reduce_matches_plain_grouping(rows):
    cols = [np.asarray(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    keys, (total,), (low,) = _reduce(cols[:3], [cols[3]], [cols[4]])
    expect: dict[tuple[int, ...], tuple[int, int]] = {}
    for *key, s, m in rows:
        t, lo = expect.get(tuple(key), (0, m))
        expect[tuple(key)] = (t + s, min(lo, m))
    got = list(zip(*[k.tolist() for k in keys], strict=True))
    assert got == sorted(expect)  # sorted by the keys
    assert [(t, lo) for t, lo in zip(total.tolist(), low.tolist(), strict=True)] == [expect[g] for g in got]
    again = _reduce(keys, [total], [low], presorted=True)  # already grouped: unchanged
    assert [k.tolist() for k in again[0]] == [k.tolist() for k in keys]
    assert again[1][0].tolist() == total.tolist()
