from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nqpf_text.normalize import normalize
from nqpf_text.offsets import MappedText

MIXED = st.text(
    alphabet=st.sampled_from(
        list("新質生產力发展勞動資料高品質著顯\n \u3000ＡＢ１２３abc12，。、“”①［］[]—\ue06c网路資訊")
    ),
    max_size=200,
)


def test_edit_maps_replacements_to_their_source():
    m = MappedText.identity("ab\ncd")
    out = m.edit([(2, 3, "")]).edit([(0, 0, ">")])
    assert out.text == ">abcd"
    assert out.raw_span(1, 5) == (0, 5)
    assert out.raw_span(0, 1) == (0, 0)  # inserted: empty span where it was inserted


def test_edit_rejects_overlapping_edits():
    with pytest.raises(ValueError, match="sorted and non-overlapping"):
        MappedText.identity("abcdef").edit([(2, 4, "x"), (3, 5, "y")])


def test_sub_with_longer_replacement_maps_every_char_to_whole_source():
    m = MappedText.identity("xAy").sub("A", "BBB")
    assert m.text == "xBBBy"
    assert [m.raw_span(i, i + 1) for i in range(1, 4)] == [(1, 2)] * 3


@given(MIXED)
def test_normalize_never_raises_and_keeps_maps_monotonic(text):
    out = normalize(MappedText.identity(text))
    assert len(out.starts) == len(out.text) == len(out.ends)
    assert np.all(np.diff(out.starts) >= 0)
    assert np.all(out.starts <= out.ends)
    assert np.all((out.starts >= 0) & (out.ends <= len(text)))


@given(MIXED)
def test_normalize_is_idempotent(text):
    once = normalize(MappedText.identity(text)).text
    assert normalize(MappedText.identity(once)).text == once


CHARWISE = st.text(
    alphabet=st.sampled_from(list("新質生產力发展勞動資料\n \u3000ＡＢ１２３abc12，。、“”①［］[]—")),
    max_size=200,
)


@given(CHARWISE, st.data())
def test_raw_spans_cover_the_source_of_each_normalized_span(text, data):
    out = normalize(MappedText.identity(text))
    if not out.text:
        return
    start = data.draw(st.integers(0, len(out.text) - 1))
    end = data.draw(st.integers(start + 1, len(out.text)))
    rs, re_ = out.raw_span(start, end)
    assert 0 <= rs <= re_ <= len(text)
    # without context-dependent phrases, the normalized span is the normalization of its raw span
    assert normalize(MappedText.identity(text[rs:re_])).text == out.text[start:end]


def test_phrase_map_spans_point_at_the_whole_phrase():
    out = normalize(MappedText.identity("建设網路強國"))
    assert out.text == "建设网络强国"
    assert out.raw_span(2, 4) == (2, 4)


def test_stale_temps_of_our_outputs_only_are_removed(tmp_path):
    from nqpf_text.atomic import remove_stale_temps

    (tmp_path / "tables").mkdir()
    ours = [
        tmp_path / ".report.html.x1.tmp",
        tmp_path / ".nqpf.duckdb.42.tmp",
        tmp_path / "tables" / ".a.csv.z.tmp",
    ]
    theirs = [tmp_path / ".editor-swap.tmp", tmp_path / "notes.tmp", tmp_path / "sub" / ".report.html.q.tmp"]
    (tmp_path / "sub").mkdir()
    for path in ours + theirs:
        path.write_text("x")
    assert remove_stale_temps(tmp_path) == 3
    assert not any(p.exists() for p in ours) and all(p.exists() for p in theirs)
