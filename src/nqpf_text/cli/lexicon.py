"""``nqpf lexicon check|stats`` and ``nqpf eval tag|link``."""

from __future__ import annotations

from typing import Any

import typer

from . import app
from ._common import echo_json, fail, guarded

lexicon_app = typer.Typer(help="Check lexicon files and see how their terms are used.", no_args_is_help=True)
eval_app = typer.Typer(help="Precision, recall and F1 against annotated gold files.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")
app.add_typer(eval_app, name="eval")


@lexicon_app.command("check")
def lexicon_check(
    paths: list[str] = typer.Argument(None, help="Lexicon files (default: the shipped ones)."),
    shipped: bool = typer.Option(True, "--shipped/--no-shipped", help="Check the shipped lexicons too."),
) -> None:
    """Report duplicate ids, contested terms, unknown parents, empty terms and bad regexes (file:line)."""

    def work() -> list[str]:
        from ..lexicon import check_lexicons, load_lexicons

        return check_lexicons(load_lexicons(paths or [], shipped=shipped or not paths))

    problems = guarded(work)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise fail(f"{len(problems)} problem(s) in the lexicons")
    typer.echo("lexicons OK", err=True)


@lexicon_app.command("stats")
def lexicon_stats(
    corpus: str = typer.Option(None, "--corpus", help="Count matches in this corpus (default: no counts)."),
    lexicon: list[str] = typer.Option([], "--lexicon", help="An extra lexicon YAML (repeatable)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
) -> None:
    """Terms per entry, and with --corpus how often each term matched (0 = never)."""

    def work() -> Any:
        from ..tag import Tagger, lexicon_stats

        tagger = Tagger(extra_lexicons=lexicon)
        docs = None
        if corpus:
            from ..pipeline import ingest

            docs, _ = ingest(corpus)
        return lexicon_stats(tagger, docs)

    frame = guarded(work)
    if fmt == "json":
        echo_json(frame.to_dict("records"))
    elif fmt == "csv":
        import sys

        frame.to_csv(sys.stdout, index=False)
    else:
        typer.echo(frame.to_string(index=False))


@eval_app.command("tag")
def eval_tag(
    gold: str = typer.Argument(
        ..., help="Gold JSONL: {text, categories, mentions:[{start,end,category,id}]}"
    ),
    lexicon: list[str] = typer.Option([], "--lexicon", help="An extra lexicon YAML (repeatable)."),
    errors: bool = typer.Option(False, "--errors", help="Include the mismatching records."),
) -> None:
    """Precision, recall and F1 of the tagger, micro and per category."""

    def work() -> dict[str, Any]:
        from ..evaluate import evaluate_tags
        from ..tag import Tagger

        return evaluate_tags(gold, Tagger(extra_lexicons=lexicon))

    result = guarded(work)
    if not errors:
        result.pop("errors", None)
    echo_json(result)


@eval_app.command("link")
def eval_link(
    gold: str = typer.Argument(..., help='Gold JSONL: {"text": ..., "indicators": [...]}'),
    framework: str = typer.Option("hqe21", "--framework"),
    top_k: int = typer.Option(3, "--top-k", min=1),
) -> None:
    """Precision, recall and F1 of statement → indicator links, micro and per indicator."""

    def work() -> dict[str, Any]:
        from ..link import Framework, evaluate_links

        return evaluate_links(gold, Framework.load(framework), top_k=top_k)

    echo_json(guarded(work))
