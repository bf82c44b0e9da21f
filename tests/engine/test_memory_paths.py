"""The main process's memory-saving paths give exactly the frames of the plain ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nqpf_text.pipeline import _empty_mentions, _FileState, _stacked
from nqpf_text.tag import columns_frame

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


def _arrays(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A file's mentions as a worker sends them: numpy arrays, text columns ``object``."""
    return {c: frame[c].to_numpy(dtype=object if c in ("doc", "group") else None) for c in frame.columns}


@settings(max_examples=80, deadline=None)
@given(_frames())
def test_stacked_files_equal_their_concat_share_strings_and_let_go(frames: list[pd.DataFrame]) -> None:
    arrays = [_arrays(f) for f in frames]
    whole = [columns_frame(a) for a in arrays if len(a["start"])]
    assume(whole)
    expected = pd.concat(whole, ignore_index=True)
    files = [_FileState(task=None, key=str(i), mentions=a) for i, a in enumerate(arrays)]  # type: ignore[arg-type]
    del arrays, whole
    got = _stacked(files)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert all(f.mentions is None for f in files)
    for col in got.columns:
        if got[col].dtype == object:  # equal strings are one object
            seen: dict[str, int] = {}
            assert all(seen.setdefault(v, id(v)) == id(v) for v in got[col] if isinstance(v, str))


def test_stacked_files_without_mentions_give_the_empty_table() -> None:
    files = [_FileState(task=None, key="0", mentions=None)]  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(_stacked(files), _empty_mentions())


@pytest.fixture(scope="module")
def demo_tables():
    from nqpf_text.lexicon import load_lexicons
    from nqpf_text.link import Framework
    from nqpf_text.pipeline import collect_tables

    return collect_tables(lexicons=load_lexicons(), framework=Framework.load("hqe21")).tables


def test_streamed_tables_hold_offsets_and_cut_texts_on_demand(demo_tables):
    assert "text" not in demo_tables.sentence_spans and "text" not in demo_tables.paragraph_spans
    texts = dict(zip(demo_tables.documents["doc"], demo_tables.documents["text"], strict=True))
    for frame in (demo_tables.sentences, demo_tables.paragraphs):
        assert list(frame.columns).index("text") == list(frame.columns).index("raw_end") + 1
        cut = [texts[d][a:b] for d, a, b in zip(frame["doc"], frame["start"], frame["end"], strict=True)]
        assert frame["text"].tolist() == cut and any(cut)
    assert demo_tables.sentences is demo_tables.sentences  # cut once


@pytest.mark.parametrize("chunk_rows", [1, 7, 10**6])
def test_store_from_chunks_equals_store_from_whole_tables(demo_tables, tmp_path, store, chunk_rows):
    from nqpf_text.store import write_store

    write_store(tmp_path / "whole" / "nqpf.duckdb", demo_tables.store_tables())
    write_store(tmp_path / "chunks" / "nqpf.duckdb", demo_tables.store_tables(chunk_rows))
    whole, chunks = store(tmp_path / "whole"), store(tmp_path / "chunks")
    assert list(whole) == list(chunks) and len(whole["sentences"]) > 7
    for name, frame in whole.items():
        pd.testing.assert_frame_equal(chunks[name], frame, check_exact=True, obj=name)


def test_a_table_given_as_no_chunks_is_an_error(tmp_path):
    from nqpf_text.store import write_store

    with pytest.raises(ValueError, match="'sentences' came as no frames"):
        write_store(tmp_path / "nqpf.duckdb", {"sentences": iter([])})
    assert not list(tmp_path.iterdir())  # neither the store nor its temporary file


def test_candidate_terms_cut_texts_as_they_go(demo_tables):
    from nqpf_text.report import candidate_table
    from nqpf_text.report.candidates import candidate_terms

    with_texts = candidate_terms(demo_tables.sentences, demo_tables.mentions, demo_tables.lexicons)
    assert len(with_texts)
    pd.testing.assert_frame_equal(candidate_table(demo_tables), with_texts, check_exact=True)
    with pytest.raises(ValueError, match="need the documents' texts"):
        candidate_terms(demo_tables.sentence_spans, demo_tables.mentions, demo_tables.lexicons)


def test_storing_texts_leaves_no_utf8_copy_inside_them(demo_tables, tmp_path):
    """DuckDB reads strings as UTF-8, which CPython would keep inside each string object."""
    import sys

    import duckdb

    from nqpf_text.store import write_store

    texts = demo_tables.documents["text"].tolist()
    sizes = [sys.getsizeof(t) for t in texts]
    write_store(tmp_path / "nqpf.duckdb", {"documents": demo_tables.documents})
    assert [sys.getsizeof(t) for t in texts] == sizes
    sample = "".join(["新质生产力"] * 3)  # the check can fail: a string DuckDB read grows
    before = sys.getsizeof(sample)
    duckdb.connect().execute("SELECT ?", [sample]).fetchall()
    assert sys.getsizeof(sample) > before


@pytest.mark.parametrize("text_chunk", [1, 50, 10**9])
def test_store_in_text_slices_equals_store_in_one(tmp_path, store, monkeypatch, text_chunk):
    import nqpf_text.store as store_module

    frame = pd.DataFrame(
        {
            "doc": ["a", "b", "c", "d", "e"],
            "text": ["新质生产力" * 9, None, "", "劳动者" * 30, "x"],
            "author": [None, None, None, "某某", None],  # all missing in the first slices only
            "year": [2023, 2024, 2024, 2025, 2025],
        }
    )
    store_module.write_store(tmp_path / "one" / "nqpf.duckdb", {"documents": frame})
    monkeypatch.setattr(store_module, "TEXT_CHUNK", text_chunk)
    store_module.write_store(tmp_path / "sliced" / "nqpf.duckdb", {"documents": frame})
    one, sliced = store(tmp_path / "one"), store(tmp_path / "sliced")
    pd.testing.assert_frame_equal(sliced["documents"], one["documents"], check_exact=True)
    assert one["documents"]["author"].tolist()[3] == "某某"


def test_an_inline_pass_leaves_no_tagger_or_linker_behind(demo_tables):
    """The main process's tools (segmenter dictionaries, automata) go once the pass is over."""
    from nqpf_text import engine
    from nqpf_text.engine import EngineOptions
    from nqpf_text.lexicon import load_lexicons
    from nqpf_text.link import Framework
    from nqpf_text.pipeline import collect_tables

    collect_tables(
        lexicons=load_lexicons(), framework=Framework.load("hqe21"), options=EngineOptions(workers=1)
    )
    assert not engine._BUILT
