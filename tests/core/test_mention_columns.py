"""The mentions frame is built from column arrays straight into pandas blocks; it must equal the
frame pandas' own constructor makes from the same mentions, column by column, dtype by dtype."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nqpf_text.ingest import read_file
from nqpf_text.lexicon import Lexicon
from nqpf_text.pipeline import mention_frame, prepare
from nqpf_text.tag import MENTION_COLUMNS, Tagger, columns_frame, mention_columns, mentions_frame
from nqpf_text.types import Mention

TEXT = "浙江省科技創新和人才，中西部地區的數據要素市場。\r\n南京市的新型生產工具；北京時間八點，江蘇南部。"
NUMBERS = {"start", "end", "sentence", "boilerplate"}


@pytest.fixture(scope="module")
def tagger(toy_lexicons: list[Path]) -> Tagger:
    return Tagger([Lexicon.from_yaml(p) for p in toy_lexicons], backend="jieba")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list:
    folder = tmp_path_factory.mktemp("mentions")
    docs = []
    for i, text in enumerate([TEXT, "没有任何词条。", TEXT[::-1] + TEXT]):
        path = folder / f"{i}.txt"
        path.write_text(text, encoding="utf-8")
        docs += read_file(path)[0]
    return prepare(docs)


def reference_frame(mentions: list[Mention]) -> pd.DataFrame:
    """The frame as pandas' constructor makes it: one Series per column, text columns ``object``."""

    def series(name: str) -> pd.Series:
        values = [getattr(m, name) for m in mentions]
        return pd.Series(values) if name in NUMBERS else pd.Series(values, dtype=object)

    return pd.DataFrame({name: series(name) for name in MENTION_COLUMNS}, columns=list(MENTION_COLUMNS))


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.dtypes.to_dict() == expected.dtypes.to_dict()
    assert list(got.columns) == list(expected.columns)
    for name in got.columns:  # None stays None (not NaN), strings stay str
        assert [type(v) for v in got[name].tolist()] == [type(v) for v in expected[name].tolist()]


def test_frame_equals_the_constructors(tagger, documents):
    mentions = [m for d in documents for m in tagger.tag_document(d)]
    assert len({m.id for m in mentions}) > 5
    assert {m.role for m in mentions} >= {None, "place"}
    frame = mentions_frame(mentions)
    assert_same(frame, reference_frame(mentions))
    assert frame["doc"].dtype == object and frame["group"].dtype == object  # never pandas' str
    assert frame["start"].dtype == np.int64 and frame["boilerplate"].dtype == bool
    assert isinstance(frame.index, pd.RangeIndex) and frame.index.equals(pd.RangeIndex(len(mentions)))


def test_empty_frame_is_all_object():
    frame = mentions_frame([])
    assert list(frame.columns) == list(MENTION_COLUMNS)
    assert (
        all(dtype == np.dtype(object) for dtype in frame.dtypes)
        and isinstance(frame.index, pd.RangeIndex)
        and not len(frame)
    )
    assert_same(frame, reference_frame([]))


def test_text_and_term_share_their_strings(tagger, documents):
    columns = mention_columns(tagger.tag_document(documents[0]))
    assert len(columns["text"]) and all(a is b for a, b in zip(columns["text"], columns["term"], strict=True))


def test_columns_frame_takes_arrays_as_they_are():
    columns = {
        "a": np.array(["x", None], dtype=object),
        "b": np.array([1, 2], dtype=np.int64),
        "c": np.array([True, False]),
        "d": np.array(["y", "z"], dtype=object),
        "e": np.array([3, 4], dtype=np.int64),
    }
    frame = columns_frame(columns)
    assert list(frame.columns) == list("abcde")
    assert frame.dtypes.tolist() == [object, np.int64, bool, object, np.int64]
    assert frame["a"].tolist() == ["x", None] and frame["e"].tolist() == [3, 4]
    assert frame._mgr.nblocks == 3  # one block per dtype, as the constructor consolidates
    columns["b"][0] = 99  # the frame's blocks are stacked copies, not the caller's arrays
    assert frame["b"].tolist() == [1, 2]
    frame.columns.name = "renamed"  # in place: no other frame's labels may change with it
    assert columns_frame(columns).columns.name is None


def test_mention_frame_maps_offsets_to_the_raw_file(tagger, documents):
    found = [tagger.tag_document(d) for d in documents]
    frame = mention_frame(documents, found)
    mentions = [m for f in found for m in f]
    assert_same(frame.drop(columns=["raw_start", "raw_end"]), reference_frame(mentions))
    spans = [d.raw_span(m.start, m.end) for d, f in zip(documents, found, strict=True) for m in f]
    assert list(zip(frame["raw_start"], frame["raw_end"], strict=True)) == spans
    assert spans != [(m.start, m.end) for m in mentions]  # the texts were normalized: offsets moved
    assert frame["raw_start"].dtype == np.int64 and frame["raw_end"].dtype == np.int64
    empty = mention_frame(documents[1:2], found[1:2])
    assert not found[1] and list(empty.columns) == list(frame.columns)
    both = pd.concat([frame, frame], ignore_index=True)
    assert both.dtypes.to_dict() == frame.dtypes.to_dict()
