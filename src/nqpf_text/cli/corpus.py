"""``nqpf ingest`` and ``nqpf run``: whole corpora in, store and reports out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from . import app
from ._common import EXIT_PARTIAL, guarded


def _report_problems(skipped: list[Any], issues: list[Any]) -> None:
    for s in skipped:
        typer.echo(f"nqpf: skipped: {s.file}: {s.reason}", err=True)
    for i in issues:
        typer.echo(f"nqpf: warning: {i.file}:{i.place}: {i.message}", err=True)


def _workers_option() -> Any:
    return typer.Option(None, "--workers", min=1, help="Worker processes (default: every core).")


def _engine_option() -> Any:
    return typer.Option("local", "--engine", help="local (worker processes) or dask.")


def _scheduler_option() -> Any:
    return typer.Option(
        None, "--scheduler", help="Dask scheduler address (default: a local cluster on 127.0.0.1)."
    )


def _no_cache_option() -> Any:
    return typer.Option(False, "--no-cache", help="Process every file again; read and write no cache.")


def _cache_dir_option() -> Any:
    return typer.Option(None, "--cache-dir", help="Folder of per-file results (default: OUT/.nqpf-cache).")


def _cache(out: str, no_cache: bool, cache_dir: str | None) -> Any:
    from ..cache import CACHE_DIR, ResultCache

    if no_cache:
        return None
    return ResultCache(Path(cache_dir) if cache_dir else Path(out) / CACHE_DIR)


@app.command()
def ingest(
    corpus: str = typer.Argument(..., help="Folder of .txt/.md/.docx/.pdf files (or one file)."),
    out: str = typer.Option(..., "--out", help="Folder for nqpf.duckdb."),
    manifest: str = typer.Option(
        None, "--manifest", help="Corpus manifest YAML (default: the folder's manifest.yaml)."
    ),
    jsonl: bool = typer.Option(False, "--jsonl", help="Also export documents.jsonl and sentences.jsonl."),
    workers: int = _workers_option(),
    engine: str = _engine_option(),
    scheduler: str = _scheduler_option(),
    no_cache: bool = _no_cache_option(),
    cache_dir: str = _cache_dir_option(),
) -> None:
    """Read, repair, split and normalize a corpus into a DuckDB store."""

    def work() -> Any:
        from ..atomic import remove_stale_temps
        from ..engine import EngineOptions
        from ..pipeline import STORE_CHUNK, collect_tables
        from ..store import STORE_NAME, export_jsonl, write_store

        options = EngineOptions(workers=workers, engine=engine, scheduler=scheduler)
        remove_stale_temps(out)
        collected = collect_tables(
            corpus, manifest=manifest, options=options, cache=_cache(out, no_cache, cache_dir)
        )
        tables = collected.tables
        stored = tables.store_tables(STORE_CHUNK)
        for name in ("mentions", "links"):
            stored.pop(name)
        write_store(Path(out) / STORE_NAME, stored, meta={"corpus": corpus, "stage": "ingest"})
        if jsonl:
            export_jsonl(tables.documents, Path(out) / "documents.jsonl")
            export_jsonl(tables.sentences, Path(out) / "sentences.jsonl")
        return collected

    collected = guarded(work)
    _report_problems(collected.skipped, collected.issues)
    typer.echo(
        f"nqpf: {collected.documents} documents from {corpus} into {Path(out) / 'nqpf.duckdb'}; "
        f"{len(collected.skipped)} skipped",
        err=True,
    )
    if collected.skipped:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def run(
    corpus: str = typer.Option(
        None, "--corpus", help="Corpus folder (default: the demo corpus shipped with nqpf)."
    ),
    out: str = typer.Option("reports", "--out", help="Output folder."),
    framework: str = typer.Option("hqe21", "--framework", help="Indicator framework for linking."),
    lexicon: list[str] = typer.Option([], "--lexicon", help="An extra lexicon YAML (repeatable)."),
    manifest: str = typer.Option(None, "--manifest", help="Corpus manifest YAML."),
    panel: str = typer.Option(None, "--panel", help="Province panel CSV/XLSX to set beside the text."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars."),
    workers: int = _workers_option(),
    engine: str = _engine_option(),
    scheduler: str = _scheduler_option(),
    no_cache: bool = _no_cache_option(),
    cache_dir: str = _cache_dir_option(),
) -> None:
    """The whole pipeline: ingest → normalize → segment → tag → link → store → reports.

    Files are processed in parallel (--workers, or a Dask cluster with --engine dask) and their
    results cached in OUT/.nqpf-cache: a second run reads what did not change, and an edited
    lexicon re-tags without re-reading the corpus.
    """

    def work() -> Any:
        from ..pipeline import run as run_pipeline
        from ..pipeline import stderr_progress

        return run_pipeline(
            corpus,
            out,
            framework=framework,
            lexicons=lexicon,
            manifest=manifest,
            panel=panel,
            progress=(lambda *a: None) if quiet else stderr_progress,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            cache=not no_cache,
            cache_dir=cache_dir,
        )

    summary = guarded(work)
    for line in summary.lines():
        typer.echo(f"nqpf: {line}", err=True)
    if summary.skipped:
        raise typer.Exit(EXIT_PARTIAL)
