"""The pieces under the pipeline: the corpus task API, executors, the linker fitted from counts, the CLI."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys

import pytest

from nqpf_text.engine import EngineOptions, InlineExecutor, PoolExecutor
from nqpf_text.errors import InputError, NqpfError
from nqpf_text.ingest.corpus import plan_corpus, read_corpus, read_task
from nqpf_text.resources import demo_corpus

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")


def _scale(shared, batch):
    return [shared * x for x in batch]


def _fail(shared, batch):
    if batch == "input":
        raise InputError("lexicon.yaml", "pattern took too long", "line 3")
    raise KeyError(batch)


def test_plan_and_tasks_in_any_order_equal_read_corpus(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(demo_corpus(), root)
    (root / "notes.xlsx").write_bytes(b"PK")
    (root / "empty.txt").write_text("  \n", encoding="utf-8")
    with (root / "manifest.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - path: missing.txt\n    title: 不存在\n")
    expected = read_corpus(root)
    assert any("missing.txt" in i.message for i in expected.issues)
    assert len(expected.skipped) == 2
    plan = plan_corpus(root)
    tasks = list(plan.tasks)
    random.Random(3).shuffle(tasks)
    got = plan_corpus(root).finish(read_task(t, plan.context) for t in tasks)
    assert got.documents_frame().equals(expected.documents_frame())
    assert got.skipped == expected.skipped
    assert got.issues == expected.issues


def test_executors_keep_batch_order_and_send_the_shared_value():
    batches = [[i, i + 1] for i in range(0, 40, 2)]
    expected = [[3 * x for x in b] for b in batches]
    assert list(InlineExecutor().map(_scale, 3, batches)) == expected


@linux_only
def test_worker_processes_keep_order_and_bound_what_is_in_flight():
    pool = PoolExecutor(2)
    pulled = []

    def source():
        for i in range(30):
            pulled.append(i)
            yield [i]

    try:
        results = pool.map(_scale, 5, source())
        first = next(results)
        assert first == [0]
        assert len(pulled) <= 2 * pool.workers + 1  # batches are not all read ahead: memory stays bounded
        assert [r[0] for r in results] == [5 * i for i in range(1, 30)]
        # the same workers, a new shared value (sent by file, not inherited)
        assert list(pool.map(_scale, 7, [[1], [2], [3]])) == [[7], [14], [21]]
    finally:
        pool.close()


@linux_only
def test_worker_errors_arrive_as_our_errors():
    with pytest.raises(InputError) as info:
        list(PoolExecutor(2).map(_fail, None, ["input"]))
    assert (info.value.path, info.value.detail, info.value.place) == (
        "lexicon.yaml",
        "pattern took too long",
        "line 3",
    )
    with pytest.raises(NqpfError, match="KeyError"):
        list(PoolExecutor(2).map(_fail, None, ["other"]))


def test_engine_options_are_checked():
    with pytest.raises(ValueError, match="engine"):
        EngineOptions(engine="spark")
    with pytest.raises(ValueError, match="workers"):
        EngineOptions(workers=0)
    assert EngineOptions(workers=3).n_workers == 3


def test_a_statement_scores_the_same_whatever_the_corpus():
    """The IDF is a reference table: linking one statement alone or among a corpus gives one score."""
    from nqpf_text.link import Framework, IndicatorLinker
    from nqpf_text.pipeline import ingest

    docs, _ = ingest(None)
    linker = IndicatorLinker(Framework.load("hqe21")).fit()
    sentence = "单位国内生产总值能耗下降，研发经费投入强度提高"
    alone = linker.link_statements([sentence])
    among = linker.link_statements([d.text for d in docs] + [sentence])
    assert alone[0].links == among[-1].links
    assert (
        alone[0].links
        and alone[0].links[0].score
        == IndicatorLinker("hqe21").fit().link_statements([sentence])[0].links[0].score
    )


def test_cli_run_takes_engine_options(tmp_path):
    from typer.testing import CliRunner

    from nqpf_text.cli import app

    runner = CliRunner()
    bad = runner.invoke(app, ["run", "--quiet", "--out", str(tmp_path / "x"), "--engine", "spark"])
    assert bad.exit_code == 2 and "engine" in bad.output
    ok = runner.invoke(
        app, ["ingest", str(demo_corpus()), "--out", str(tmp_path / "i"), "--workers", "2", "--no-cache"]
    )
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "i" / "nqpf.duckdb").is_file() and not (tmp_path / "i" / ".nqpf-cache").exists()


NO_NETWORK_POOL = r"""
import sys
def deny(event, args):
    if event.startswith("socket.") or event in ("http.client.connect",):
        raise RuntimeError(f"network use attempted: {event} {args!r}")
sys.addaudithook(deny)
from nqpf_text.engine import EngineOptions
from nqpf_text.pipeline import collect_tables
from nqpf_text.lexicon import load_lexicons
from nqpf_text.link import Framework
options = EngineOptions(workers=2, min_parallel_bytes=0, batch_bytes=1, batch_files=1)
c = collect_tables(None, lexicons=load_lexicons(), framework=Framework.load("hqe21"), options=options)
print(c.documents)
"""


@linux_only
def test_worker_processes_use_no_sockets():
    proc = subprocess.run([sys.executable, "-c", NO_NETWORK_POOL], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.strip()) >= 7
