"""``nqpf report KIND``: one report without the rest of ``nqpf run``'s outputs."""

from __future__ import annotations

from typing import Any

import typer

from . import app
from ._common import guarded


@app.command()
def report(
    kind: str = typer.Argument(..., help="coverage | regions | indicators | beside"),
    corpus: str = typer.Option(None, "--corpus", help="Corpus folder (default: the demo corpus)."),
    out: str = typer.Option("reports", "--out", help="Output folder."),
    framework: str = typer.Option("hqe21", "--framework", help="Indicator framework for linking."),
    lexicon: list[str] = typer.Option([], "--lexicon", help="An extra lexicon YAML (repeatable)."),
    manifest: str = typer.Option(None, "--manifest", help="Corpus manifest YAML."),
    panel: str = typer.Option(None, "--panel", help="Province panel CSV/XLSX (for the 'beside' report)."),
) -> None:
    """Write one report: report_KIND.html, summary_KIND.md, tables_KIND.xlsx and its CSV tables."""

    def work() -> Any:
        from ..pipeline import write_report

        return write_report(
            kind, corpus, out, framework=framework, lexicons=lexicon, manifest=manifest, panel=panel
        )

    written = guarded(work)
    typer.echo(f"nqpf: {len(written)} files written to {out}", err=True)
