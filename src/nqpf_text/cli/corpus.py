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


@app.command()
def ingest(
    corpus: str = typer.Argument(..., help="Folder of .txt/.md/.docx/.pdf files (or one file)."),
    out: str = typer.Option(..., "--out", help="Folder for nqpf.duckdb."),
    manifest: str = typer.Option(
        None, "--manifest", help="Corpus manifest YAML (default: the folder's manifest.yaml)."
    ),
    jsonl: bool = typer.Option(False, "--jsonl", help="Also export documents.jsonl and sentences.jsonl."),
) -> None:
    """Read, repair, split and normalize a corpus into a DuckDB store."""

    def work() -> Any:
        from ..pipeline import build_tables, ingest
        from ..store import STORE_NAME, export_jsonl, write_store

        docs, result = ingest(corpus, manifest=manifest)
        tables = build_tables(docs, skipped=result.skipped, issues=result.issues)
        stored = tables.store_tables()
        for name in ("mentions", "links"):
            stored.pop(name)
        write_store(Path(out) / STORE_NAME, stored, meta={"corpus": corpus, "stage": "ingest"})
        if jsonl:
            export_jsonl(tables.documents, Path(out) / "documents.jsonl")
            export_jsonl(tables.sentences, Path(out) / "sentences.jsonl")
        return result, len(docs)

    result, n = guarded(work)
    _report_problems(result.skipped, result.issues)
    typer.echo(
        f"nqpf: {n} documents from {corpus} into {Path(out) / 'nqpf.duckdb'}; {len(result.skipped)} skipped",
        err=True,
    )
    if result.skipped:
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
) -> None:
    """The whole pipeline: ingest → normalize → segment → tag → link → store → reports."""

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
        )

    summary = guarded(work)
    for line in summary.lines():
        typer.echo(f"nqpf: {line}", err=True)
    if summary.skipped:
        raise typer.Exit(EXIT_PARTIAL)
