"""``nqpf tag``, ``nqpf link`` and ``nqpf kwic``: look inside documents."""

from __future__ import annotations

import sys
from typing import Any

import typer

from . import app
from ._common import EXIT_PARTIAL, echo_json, echo_jsonl, fail, guarded

FILES = typer.Argument(None, help="Text, Markdown, Word or PDF files, or folders of them.")
TEXT = typer.Option(None, "--text", help="Tag this string as one document named '-'.")
LEXICON = typer.Option([], "--lexicon", help="An extra lexicon YAML (repeatable).")


def _inputs(files: list[str] | None, text: str | None) -> tuple[list[Any], list[Any]]:
    from ..pipeline import documents_from_inputs

    if not files and text is None:
        raise fail("give FILE arguments or --text")
    if text is not None and any("\ud800" <= ch <= "\udfff" for ch in text):
        bad = next(i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff")
        raise fail(
            f"--text:character {bad}: not valid UTF-8 (bytes the shell could not decode); pass a UTF-8 file"
        )
    docs, skipped, issues = documents_from_inputs(files or [], text)
    for s in skipped:
        typer.echo(f"nqpf: skipped: {s.file}: {s.reason}", err=True)
    for i in issues:
        typer.echo(f"nqpf: warning: {i.file}:{i.place}: {i.message}", err=True)
    return docs, skipped


@app.command()
def tag(
    files: list[str] = FILES,
    text: str = TEXT,
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | csv"),
    offsets: str = typer.Option("normalized", "--offsets", help="normalized | raw (original input text)"),
    lexicon: list[str] = LEXICON,
    category: list[str] = typer.Option([], "--category", help="Only these categories (repeatable)."),
) -> None:
    """Mentions of dimensions, industries and regions, one JSON object per line, in text order."""
    if fmt not in ("jsonl", "csv"):
        raise fail(f"--format must be jsonl or csv; got {fmt!r}")
    if offsets not in ("normalized", "raw"):
        raise fail(f"--offsets must be normalized or raw; got {offsets!r}")

    def work() -> list[Any]:
        from ..tag import Tagger

        docs, skipped = _inputs(files, text)
        tagger = Tagger(extra_lexicons=lexicon)
        rows = []
        for doc in docs:
            for m in tagger.tag_document(doc):
                if category and m.category not in category:
                    continue
                row = m.to_dict()
                rs, re_ = doc.raw_span(m.start, m.end)
                if offsets == "raw":
                    row.update(
                        start=rs,
                        end=re_,
                        text=doc.raw[rs:re_],
                        normalized_start=m.start,
                        normalized_end=m.end,
                    )
                else:
                    row.update(raw_start=rs, raw_end=re_)
                rows.append(row)
        return [rows, skipped]

    rows, skipped = guarded(work)
    if fmt == "jsonl":
        echo_jsonl(rows)
    else:
        import pandas as pd

        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
    if skipped:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def link(
    files: list[str] = FILES,
    text: str = TEXT,
    framework: str = typer.Option("hqe21", "--framework", help="hqe21 | elements5 | a framework YAML path"),
    fmt: str = typer.Option("json", "--format", help="json | csv"),
    top_k: int = typer.Option(3, "--top-k", min=1, help="At most this many indicators per statement."),
) -> None:
    """Statements (sentences) linked to indicators of a framework, with evidence terms."""
    if fmt not in ("json", "csv"):
        raise fail(f"--format must be json or csv; got {fmt!r}")

    def work() -> list[Any]:
        from ..link import Framework, IndicatorLinker

        docs, skipped = _inputs(files, text)
        linker = IndicatorLinker(Framework.load(framework), top_k=top_k).fit()
        out = []
        for doc in docs:
            for st in linker.link_document(doc):
                out.append(
                    {
                        "doc": st.doc,
                        "statement": st.statement,
                        "start": st.start,
                        "end": st.end,
                        "text": st.text,
                        "boilerplate": st.boilerplate,
                        "links": [
                            {
                                "indicator": lk.indicator,
                                "score": round(float(lk.score), 6),
                                "evidence": list(lk.evidence),
                                "evidence_spans": [list(s) for s in lk.spans],
                            }
                            for lk in st.links
                        ],
                    }
                )
        return [out, skipped]

    out, skipped = guarded(work)
    if fmt == "json":
        echo_json(out)
    else:
        import pandas as pd

        rows = [
            {k: st[k] for k in ("doc", "statement", "start", "end", "text")}
            | {
                "indicator": lk["indicator"],
                "score": lk["score"],
                "evidence": "、".join(lk["evidence"]),
                "rank": r,
            }
            for st in out
            for r, lk in enumerate(st["links"], start=1)
        ]
        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
    if skipped:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def kwic(
    query: str = typer.Argument(
        ..., help="A term (searched as written) or a lexicon entry id (e.g. 320100, tech)."
    ),
    corpus: str = typer.Option(None, "--corpus", help="Corpus folder (default: the demo corpus)."),
    window: int = typer.Option(20, "--window", min=1, help="Characters of context on each side."),
    fmt: str = typer.Option("table", "--format", help="table | csv | jsonl"),
    lexicon: list[str] = LEXICON,
) -> None:
    """Keyword in context across the corpus, with document metadata."""
    if fmt not in ("table", "csv", "jsonl"):
        raise fail(f"--format must be table, csv or jsonl; got {fmt!r}")

    def work() -> Any:
        from ..pipeline import ingest
        from ..tag import Tagger, kwic_lookup

        docs, _ = ingest(corpus)
        return kwic_lookup(docs, query, tagger=Tagger(extra_lexicons=lexicon), window=window)

    frame = guarded(work)
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "jsonl":
        echo_jsonl(frame.to_dict("records"))
    else:
        for row in frame.itertuples():
            typer.echo(f"{row.doc}\t{row.left:>{window}}【{row.match}】{row.right}")
        typer.echo(f"{len(frame)} hits", err=True)
