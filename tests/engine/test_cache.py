"""Incremental runs: what is read back, what is redone, and that the outputs never depend on it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from nqpf_text.cache import CACHE_DIR, ResultCache
from nqpf_text.engine import EngineOptions
from nqpf_text.lexicon import load_lexicons
from nqpf_text.link import Framework
from nqpf_text.pipeline import collect_tables, run

USER_LEXICON = """\
lexicon: watch
version: "1"
category: concept
entries:
  - id: w.lowalt
    name: 低空经济
    terms: [低空经济]
"""
ONE_WORKER = EngineOptions(workers=1)


def _collect(corpus: Path, cache_root: Path | None, lexicon: Path | None = None):
    extra = [lexicon] if lexicon is not None else []
    cache = ResultCache(cache_root) if cache_root is not None else None
    collected = collect_tables(
        corpus,
        lexicons=load_lexicons(extra),
        framework=Framework.load("hqe21"),
        options=ONE_WORKER,
        cache=cache,
    )
    return collected, cache


def _same(a, b) -> None:
    for name, frame in a.tables.store_tables().items():
        pd.testing.assert_frame_equal(frame, b.tables.store_tables()[name], check_exact=True, obj=name)


def _sql(root: Path, statement: str, *args: object) -> list[tuple]:
    """A statement on the cache's SQLite file, from a connection of the test's own."""
    with closing(sqlite3.connect(root / ResultCache.FILE, isolation_level=None)) as con:
        return con.execute(statement, args).fetchall()


def _keys(root: Path, kind: str) -> list[str]:
    return [key for (key,) in _sql(root, "SELECT key FROM entries WHERE kind = ? ORDER BY key", kind)]


def test_a_second_run_reads_every_file_from_the_cache(demo_copy, tmp_path, digests):
    out = tmp_path / "out"
    first = run(demo_copy, out, options=ONE_WORKER)
    assert (out / CACHE_DIR).is_dir()
    files = first.stats["files"]
    assert first.stats["ingested"] == files == 7 and first.stats["linked"] == files
    written = digests(out)
    for path in out.rglob("*.csv"):
        path.unlink()
    again = run(demo_copy, out, options=ONE_WORKER)
    assert (again.stats["ingested"], again.stats["tagged"], again.stats["linked"]) == (0, 0, 0)
    assert "7 of 7 files read" in again.stats["cache"]
    assert "outputs" not in again.stats  # outputs were missing: written again
    assert digests(out) == written


def test_up_to_date_outputs_are_not_rewritten_and_damaged_ones_are(demo_copy, tmp_path, digests):
    out = tmp_path / "out"
    first = run(demo_copy, out, options=ONE_WORKER)
    stamps = {p: p.stat().st_mtime_ns for p in first.written}
    again = run(demo_copy, out, options=ONE_WORKER)
    assert "up to date" in again.stats["outputs"]
    assert sorted(again.written) == sorted(first.written)
    # the summary comes from the record: nothing was read, not even the cache
    assert (again.documents, again.skipped, again.issues) == (first.documents, first.skipped, first.issues)
    assert again.tables is None and again.stats["chars"] == first.stats["chars"] > 0
    assert "not read" in again.stats["cache"]
    shutil.rmtree(out / CACHE_DIR)  # proof: with no cache at all, the outputs are still current
    assert "up to date" in run(demo_copy, out, options=ONE_WORKER).stats["outputs"]
    assert {p: p.stat().st_mtime_ns for p in again.written} == stamps
    written = digests(out)
    (out / "summary.md").write_text("edited by hand\n", encoding="utf-8")
    third = run(demo_copy, out, options=ONE_WORKER)
    assert "outputs" not in third.stats
    assert digests(out) == written


def test_an_edited_lexicon_retags_without_reingesting_or_relinking(demo_copy, tmp_path):
    lexicon = tmp_path / "watch.yaml"
    lexicon.write_text(USER_LEXICON, encoding="utf-8")
    root = tmp_path / "cache"
    first, _ = _collect(demo_copy, root, lexicon)
    assert set(first.tables.mentions.loc[first.tables.mentions["lexicon"] == "watch", "term"]) == {"低空经济"}
    lexicon.write_text(USER_LEXICON.replace("[低空经济]", "[低空经济, 新质生产力]"), encoding="utf-8")
    second, cache = _collect(demo_copy, root, lexicon)
    stats = second.stats
    assert stats["ingested"] == 0 and stats["linked"] == 0
    assert stats["tagged"] == stats["files"]
    assert {"低空经济", "新质生产力"} <= set(
        second.tables.mentions["term"][second.tables.mentions["lexicon"] == "watch"]
    )
    cold, _ = _collect(demo_copy, None, lexicon)
    _same(second, cold)
    cache.prune(["tag"])
    assert len(_keys(root, "tag")) == stats["files"]  # the old lexicon's results are gone


def test_one_edited_file_is_the_only_one_read_again(demo_copy, tmp_path):
    root = tmp_path / "cache"
    _collect(demo_copy, root)
    target = demo_copy / "06_2024年浙江省数字经济观察.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n宁波加快发展海洋经济。\n", encoding="utf-8")
    second, _ = _collect(demo_copy, root)
    # links depend on the file alone (a reference IDF), so the other files' links are read back too
    assert (second.stats["ingested"], second.stats["tagged"], second.stats["linked"]) == (1, 1, 1)
    _same(second, _collect(demo_copy, None)[0])


def test_damaged_or_unsigned_entries_are_recomputed(demo_copy, tmp_path):
    import pickle
    import zlib

    root = tmp_path / "cache"
    first, _ = _collect(demo_copy, root)
    entries = _keys(root, "ingest")
    assert entries
    _sql(
        root, "UPDATE entries SET data = substr(data, 1, length(data) - 7) WHERE key = ?", entries[0]
    )  # torn
    foreign = zlib.compress(pickle.dumps({"not": "ours"}))
    for key in entries[1:]:  # a pickle we did not sign
        _sql(root, "UPDATE entries SET data = ? WHERE key = ?", b"NQPF-CACHE-1\n" + bytes(32) + foreign, key)
    second, _ = _collect(demo_copy, root)
    assert second.stats["ingested"] == len(entries)
    _same(first, second)


@pytest.mark.parametrize("kind", ["tag", "link"])
def test_a_missing_stage_entry_is_redone_alone(demo_copy, tmp_path, kind):
    root = tmp_path / "cache"
    first, _ = _collect(demo_copy, root)
    _sql(root, "DELETE FROM entries WHERE kind = ?", kind)
    second, _ = _collect(demo_copy, root)
    redone = {"tag": "tagged", "link": "linked"}[kind]
    assert second.stats["ingested"] == 0 and second.stats[redone] == second.stats["files"]
    _same(first, second)


def test_retagging_without_the_cached_documents_ingests_again(demo_copy, tmp_path):
    root = tmp_path / "cache"
    first, _ = _collect(demo_copy, root)
    _sql(root, "DELETE FROM entries WHERE kind IN ('tag', 'docs')")
    second, _ = _collect(demo_copy, root)
    assert second.stats["ingested"] == second.stats["tagged"] == second.stats["files"]
    _same(first, second)


def test_a_cache_file_that_is_no_database_is_replaced_and_old_entry_folders_go(demo_copy, tmp_path):
    root = tmp_path / "cache"
    first, _ = _collect(demo_copy, root)
    assert not (root / (ResultCache.FILE + "-wal")).exists()  # closed with the pass: its log merged
    (root / ResultCache.FILE).write_bytes(b"not a database" * 100)
    (root / "tag" / "ab").mkdir(parents=True)  # a file per entry, as earlier versions kept them
    (root / "tag" / "ab" / "abcdef").write_bytes(b"old")
    second, cache = _collect(demo_copy, root)
    assert second.stats["ingested"] == second.stats["files"]  # nothing readable: everything redone
    _same(first, second)
    cache.prune(["ingest", "docs", "tag", "link"])
    assert not (root / "tag").exists()
    third, _ = _collect(demo_copy, root)
    assert third.stats["ingested"] == third.stats["tagged"] == 0  # the new file serves
