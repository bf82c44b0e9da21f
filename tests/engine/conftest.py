"""Helpers for the engine tests: output digests, store tables, small corpora, engine options."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from nqpf_text.engine import EngineOptions
from nqpf_text.resources import demo_corpus

# Sentences made up for these tests (no corpus text): one recurs in every file, so it is boilerplate.
SHARED_SENTENCE = "各地研发经费投入和科技创新数据以统计部门最终公布为准。"
FILE_BODIES = [
    "江苏加快培育新质生产力，推动人工智能和集成电路产业集群发展。{s}南京将加大基础研究投入。",
    "广东提出建设粤港澳大湾区国际科技创新中心，研发经费投入强度继续提高。{s}",
    "{s}四川成渝地区双城经济圈建设提速，单位地区生产总值能耗下降百分之三。",
    "浙江发展数字经济，培育专精特新企业和高技能人才。{s}杭州推进低空经济试点。",
]


def _digests(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".md") and ".nqpf-cache" not in path.parts:
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _store(path: Path) -> dict[str, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(path / "nqpf.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {n: con.execute(f'SELECT * FROM "{n}"').df() for n in sorted(names)}
    finally:
        con.close()


@pytest.fixture(scope="session")
def digests() -> Callable[[Path], dict[str, str]]:
    """SHA-256 of every CSV and Markdown output under a folder, by relative path."""
    return _digests


@pytest.fixture(scope="session")
def store() -> Callable[[Path], dict[str, pd.DataFrame]]:
    """Every table of ``folder/nqpf.duckdb``."""
    return _store


@pytest.fixture(scope="session")
def spread() -> Callable[..., EngineOptions]:
    """Options that make even a small corpus go through the engine in many small batches."""

    def make(engine: str = "local", workers: int = 2) -> EngineOptions:
        return EngineOptions(
            workers=workers, engine=engine, min_parallel_bytes=0, batch_bytes=1, batch_files=1
        )

    return make


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo corpus."""
    target = tmp_path / "demo"
    shutil.copytree(demo_corpus(), target)
    return target


@pytest.fixture
def boilerplate_corpus(tmp_path: Path) -> Path:
    """Four small files sharing one sentence (flagged as boilerplate: it is in three or more)."""
    folder = tmp_path / "bp"
    folder.mkdir()
    for i, body in enumerate(FILE_BODIES):
        (folder / f"doc{i}.txt").write_text(body.format(s=SHARED_SENTENCE) + "\n", encoding="utf-8")
    return folder
