"""One worker, two worker processes and a Dask cluster on loopback give the same outputs, byte for byte,
and the same tables as the all-in-memory path (every document ingested, then tagged and linked)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nqpf_text.engine import EngineOptions
from nqpf_text.pipeline import build_tables, collect_tables, ingest, run

pytest.importorskip("distributed")


def _in_memory(corpus: Path | None):
    """The reference: every document in memory (the pipeline before streaming)."""
    from nqpf_text.link import Framework, IndicatorLinker
    from nqpf_text.tag import Tagger

    docs, result = ingest(corpus)
    linker = IndicatorLinker(Framework.load("hqe21")).fit()
    return build_tables(docs, skipped=result.skipped, issues=result.issues, tagger=Tagger(), linker=linker)


def _streamed(corpus: Path | None, options: EngineOptions):
    from nqpf_text.lexicon import load_lexicons
    from nqpf_text.link import Framework

    collected = collect_tables(
        corpus, lexicons=load_lexicons(), framework=Framework.load("hqe21"), options=options
    )
    return collected.tables


def _assert_same_tables(a, b) -> None:
    for name, frame in a.store_tables().items():
        other = b.store_tables()[name]
        assert list(frame.columns) == list(other.columns), name
        assert list(frame.dtypes) == list(other.dtypes), name
        pd.testing.assert_frame_equal(frame, other, check_exact=True, obj=name)


def _assert_same_outputs(folders: list[Path], digests, store) -> None:
    first = digests(folders[0])
    assert "tables/indicator_links.csv" in first and "summary.md" in first
    reference = store(folders[0])
    for folder in folders[1:]:
        assert digests(folder) == first, folder.name
        for name, frame in store(folder).items():
            pd.testing.assert_frame_equal(
                frame, reference[name], check_exact=True, obj=f"{folder.name}:{name}"
            )


def test_streaming_equals_in_memory_on_the_demo(spread):
    reference = _in_memory(None)
    assert len(reference.links) and len(reference.mentions)
    _assert_same_tables(_streamed(None, EngineOptions(workers=1)), reference)
    _assert_same_tables(_streamed(None, spread()), reference)


def test_boilerplate_across_files_in_batches_and_workers(boilerplate_corpus, spread):
    reference = _in_memory(boilerplate_corpus)
    flagged = reference.sentences[reference.sentences["boilerplate"]]
    assert len(flagged) == 4 and flagged["doc"].nunique() == 4  # the shared sentence, once per file
    assert reference.mentions["boilerplate"].any() or reference.links["boilerplate"].any()
    _assert_same_tables(_streamed(boilerplate_corpus, spread()), reference)


def test_workers_1_2_and_dask_write_identical_outputs_on_the_demo(tmp_path, spread, digests, store):
    outs = [tmp_path / name for name in ("w1", "w2", "dask")]
    run(None, outs[0], cache=False, options=EngineOptions(workers=1))
    run(None, outs[1], cache=False, options=spread())
    run(None, outs[2], cache=False, options=spread("dask"))
    _assert_same_outputs(outs, digests, store)


@pytest.mark.shared
@pytest.mark.slow
def test_workers_1_2_and_dask_write_identical_outputs_on_the_corpus(
    corpus_dir, tmp_path, spread, digests, store
):
    outs = [tmp_path / name for name in ("w1", "w2", "dask")]
    summaries = [
        run(corpus_dir, outs[0], cache=False, options=EngineOptions(workers=1)),
        run(corpus_dir, outs[1], cache=False, options=spread()),
        run(corpus_dir, outs[2], cache=False, options=spread("dask")),
    ]
    assert len({s.documents for s in summaries}) == 1 and summaries[0].documents > 50
    sentences = summaries[0].tables.sentences
    assert sentences["boilerplate"].any()  # the cross-document step had something to do
    _assert_same_outputs(outs, digests, store)
