"""The main process's memory-saving paths give exactly the frames of the plain ones."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.pipeline import _shared

# a fresh string object per value (as unpickled files give), so sharing them is observable
_TEXT = st.one_of(st.none(), st.sampled_from(["北京", "新质生产力", "", "x"]).map(lambda s: "".join(list(s))))


@st.composite
def _frames(draw: st.DrawFn) -> list[pd.DataFrame]:
    out = []
    for _ in range(draw(st.integers(1, 5))):
        n = draw(st.integers(0, 4))
        frame = pd.DataFrame(
            {
                "doc": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
                "start": draw(st.lists(st.integers(0, 99), min_size=n, max_size=n)),
                "group": draw(st.lists(_TEXT, min_size=n, max_size=n)),
                "flag": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
            }
        )
        if draw(st.booleans()):  # a file whose text column came out as plain objects
            frame["group"] = frame["group"].astype(object)
        out.append(frame)
    return out


@settings(max_examples=60, deadline=None)
@given(_frames())
def test_shared_strings_change_no_value(frames: list[pd.DataFrame]) -> None:
    whole = pd.concat(frames, ignore_index=True)
    expected = whole.copy(deep=True)
    got = _shared(whole)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for col in got.columns:
        if got[col].dtype == object:  # equal strings are one object
            seen: dict[str, int] = {}
            assert all(seen.setdefault(v, id(v)) == id(v) for v in got[col] if isinstance(v, str))
