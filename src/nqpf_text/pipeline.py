"""The whole job: ingest → normalize → segment → tag → link → store → reports.

Pure stages are called from here in order; this module owns no text logic of its own. Every
function returns pandas DataFrames so that notebooks can stop at any stage.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .offsets import MappedText
from .types import Document, Issue, Mention, Skipped, Statement

__all__ = [
    "CorpusTables",
    "RunSummary",
    "documents_from_inputs",
    "ingest",
    "link_frame",
    "mention_frame",
    "prepare",
    "run",
    "text_document",
]

Progress = Callable[[str, int, int], None]


@dataclass
class CorpusTables:
    """Everything a report needs, as DataFrames (plus the lexicons and framework used)."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    footnotes: pd.DataFrame
    mentions: pd.DataFrame
    links: pd.DataFrame
    skipped: pd.DataFrame
    issues: pd.DataFrame
    lexicons: list[Any] = field(default_factory=list)
    framework: Any = None

    def store_tables(self) -> dict[str, pd.DataFrame]:
        return {
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "sentences": self.sentences,
            "footnotes": self.footnotes,
            "skipped": self.skipped,
            "warnings": self.issues,
            "mentions": self.mentions,
            "links": self.links,
        }


@dataclass(frozen=True)
class RunSummary:
    out: Path
    documents: int
    skipped: list[Skipped]
    issues: list[Issue]
    written: list[Path]
    tables: CorpusTables

    def lines(self) -> list[str]:
        out = [f"documents processed: {self.documents}", f"skipped: {len(self.skipped)}"]
        out += [f"  {s.file}: {s.reason}" for s in self.skipped]
        if self.issues:
            out.append(f"warnings: {len(self.issues)}")
            out += [f"  {i.file}:{i.place}: {i.message}" for i in self.issues[:20]]
            if len(self.issues) > 20:
                out.append(f"  … {len(self.issues) - 20} more in the store's warnings table")
        out.append(f"outputs written to {self.out}: {len(self.written)} files")
        return out


def _noop(stage: str, done: int, total: int) -> None:
    return None


def text_document(text: str, doc: str = "-") -> Document:
    """A document from a string (``--text``): normalized, segmented, mapped to the string itself."""
    from .normalize import normalize
    from .segment import segment_document

    return segment_document(
        Document(doc=doc, source=doc, mapped=normalize(MappedText.identity(text)), raw=text)
    )


def prepare(documents: list[Document], *, boilerplate_min_docs: int = 3) -> list[Document]:
    """Sentences, paragraphs and boilerplate flags for ingested documents."""
    from .segment import flag_boilerplate, segment_document

    for doc in documents:
        segment_document(doc)
    flag_boilerplate(documents, min_docs=boilerplate_min_docs)
    return documents


def ingest(
    corpus: str | Path | None = None, *, manifest: str | Path | None = None
) -> tuple[list[Document], Any]:
    """Read a corpus folder or file (default: the demo corpus) into prepared documents."""
    from .ingest import read_corpus
    from .resources import demo_corpus

    label = "demo" if corpus is None else None
    result = read_corpus(corpus or demo_corpus(), manifest=Path(manifest) if manifest else None, label=label)
    prepare(result.documents)
    return result.documents, result


def documents_from_inputs(
    files: Sequence[str], text: str | None
) -> tuple[list[Document], list[Skipped], list[Issue]]:
    """Documents for ``nqpf tag``/``nqpf link``: each FILE (or folder) as given, and ``--text``."""
    from .errors import InputError
    from .ingest import read_corpus, read_file

    docs: list[Document] = []
    skipped: list[Skipped] = []
    issues: list[Issue] = []
    for name in files:
        path = Path(name)
        if path.is_dir():
            result = read_corpus(path)
            docs += result.documents
            skipped += result.skipped
            issues += result.issues
            continue
        try:
            found, found_issues = read_file(path, name=name)
        except InputError as exc:
            skipped.append(Skipped(name, exc.detail))
            continue
        docs += found
        issues += found_issues
    if text is not None:
        docs.append(text_document(text))
    prepare([d for d in docs if not d.sentences])
    return docs, skipped, issues


def mention_frame(documents: Sequence[Document], mentions: Sequence[Sequence[Mention]]) -> pd.DataFrame:
    """Mentions of all documents, with offsets into the original file alongside the normalized ones."""
    from .tag import mentions_frame

    frames = []
    for doc, found in zip(documents, mentions, strict=True):
        frame = mentions_frame(found)
        if len(frame):
            rs, re_ = doc.mapped.raw_spans(frame["start"].to_numpy(), frame["end"].to_numpy())
            frame["raw_start"], frame["raw_end"] = rs, re_
        else:
            frame["raw_start"], frame["raw_end"] = pd.Series(dtype="int64"), pd.Series(dtype="int64")
        frames.append(frame)
    if not frames:
        return mentions_frame([]).assign(raw_start=pd.Series(dtype="int64"), raw_end=pd.Series(dtype="int64"))
    return pd.concat(frames, ignore_index=True)


def link_frame(statements: Iterable[Statement]) -> pd.DataFrame:
    """One row per (statement, indicator) link, best first within a statement."""
    rows = []
    for st in statements:
        for rank, link in enumerate(st.links, start=1):
            rows.append(
                {
                    "doc": st.doc,
                    "statement": st.statement,
                    "start": st.start,
                    "end": st.end,
                    "text": st.text,
                    "indicator": link.indicator,
                    "score": round(float(link.score), 6),
                    "evidence": "、".join(link.evidence),
                    "rank": rank,
                    "boilerplate": st.boilerplate,
                }
            )
    columns = [
        "doc",
        "statement",
        "start",
        "end",
        "text",
        "indicator",
        "score",
        "evidence",
        "rank",
        "boilerplate",
    ]
    return pd.DataFrame(rows, columns=columns)


def _documents_frame(documents: Sequence[Document]) -> pd.DataFrame:
    meta_cols = [
        "title",
        "date",
        "date_inferred",
        "date_cue",
        "author",
        "affiliation",
        "outlet",
        "kind",
        "focal_region",
    ]
    rows = []
    for d in documents:
        row: dict[str, Any] = {"doc": d.doc, "source": d.source}
        row.update({c: d.meta.get(c) for c in meta_cols})
        row["date_inferred"] = bool(row["date_inferred"])
        for key in sorted(set(d.meta) - set(meta_cols)):
            value = d.meta[key]
            row[f"meta_{key}"] = (
                value if isinstance(value, str | int | float | bool) or value is None else str(value)
            )
        row.update(
            encoding=d.encoding,
            sha256=d.sha256,
            line_start=d.line_start,
            line_end=d.line_end,
            chars=len(d.text),
            text=d.text,
        )
        rows.append(row)
    base = ["doc", "source", *meta_cols, "encoding", "sha256", "line_start", "line_end", "chars", "text"]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=base)
    extra = sorted(c for c in frame.columns if c not in base)
    return frame[base + extra]


def _structure_frames(documents: Sequence[Document]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    paragraphs, sentences, footnotes = [], [], []
    for d in documents:
        text = d.text
        for p in d.paragraphs:
            rs, re_ = d.raw_span(p.start, p.end)
            paragraphs.append((d.doc, p.index, p.start, p.end, rs, re_, text[p.start : p.end]))
        for s in d.sentences:
            rs, re_ = d.raw_span(s.start, s.end)
            sentences.append(
                (d.doc, s.index, s.paragraph, s.start, s.end, rs, re_, text[s.start : s.end], s.boilerplate)
            )
        for i, f in enumerate(d.footnotes):
            footnotes.append((d.doc, i, f.marker, f.start, f.raw_start, f.raw_end, f.text))
    return (
        pd.DataFrame(
            paragraphs, columns=["doc", "paragraph", "start", "end", "raw_start", "raw_end", "text"]
        ),
        pd.DataFrame(
            sentences,
            columns=[
                "doc",
                "sentence",
                "paragraph",
                "start",
                "end",
                "raw_start",
                "raw_end",
                "text",
                "boilerplate",
            ],
        ),
        pd.DataFrame(
            footnotes, columns=["doc", "footnote", "marker", "start", "raw_start", "raw_end", "text"]
        ),
    )


def build_tables(
    documents: list[Document],
    *,
    skipped: Sequence[Skipped] = (),
    issues: Sequence[Issue] = (),
    tagger: Any = None,
    linker: Any = None,
    progress: Progress = _noop,
) -> CorpusTables:
    """Tag and link prepared documents and collect every table."""
    mentions = []
    for i, doc in enumerate(documents, start=1):
        mentions.append(tagger.tag_document(doc) if tagger is not None else [])
        progress("tag", i, len(documents))
    statements: list[Statement] = []
    if linker is not None:
        for i, doc in enumerate(documents, start=1):
            statements += linker.link_document(doc)
            progress("link", i, len(documents))
    paragraphs, sentences, footnotes = _structure_frames(documents)
    return CorpusTables(
        documents=_documents_frame(documents),
        paragraphs=paragraphs,
        sentences=sentences,
        footnotes=footnotes,
        mentions=mention_frame(documents, mentions),
        links=link_frame(statements),
        skipped=pd.DataFrame([(s.file, s.reason) for s in skipped], columns=["file", "reason"]),
        issues=pd.DataFrame(
            [(i.file, i.place, i.message) for i in issues], columns=["file", "place", "message"]
        ),
        lexicons=list(getattr(tagger, "lexicons", [])),
        framework=getattr(linker, "framework", None),
    )


def stderr_progress(stage: str, done: int, total: int) -> None:
    """A one-line progress bar on stderr (redrawn in place)."""
    if total <= 0 or not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r{stage:>6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(
    corpus: str | Path | None = None,
    out: str | Path | None = None,
    *,
    framework: str = "hqe21",
    lexicons: Sequence[str] = (),
    manifest: str | Path | None = None,
    panel: str | Path | None = None,
    progress: Progress = _noop,
) -> RunSummary:
    """Run every stage on a corpus folder and write the store and the reports to ``out``."""
    from .atomic import remove_stale_temps
    from .link import Framework, IndicatorLinker
    from .report import build_tables as report_tables
    from .report import write_reports
    from .store import STORE_NAME, write_store
    from .tag import Tagger

    out_path = Path(out) if out is not None else Path("reports")
    remove_stale_temps(out_path)
    documents, result = ingest(corpus, manifest=manifest)
    tagger = Tagger(extra_lexicons=lexicons)
    linker = IndicatorLinker(Framework.load(framework)).fit([d.text for d in documents])
    tables = build_tables(
        documents,
        skipped=result.skipped,
        issues=result.issues,
        tagger=tagger,
        linker=linker,
        progress=progress,
    )
    meta = {
        "lexicons": tagger.versions,
        "framework": framework,
        "corpus": "demo" if corpus is None else str(corpus),
    }
    written = [write_store(out_path / STORE_NAME, tables.store_tables(), meta=meta)]
    panel_frame = None
    if panel is not None:
        panel_frame = Path(panel)
    report = report_tables(tables, panel=panel_frame)
    written += write_reports(report, out_path, ct=tables, progress=progress)
    return RunSummary(out_path, len(documents), list(result.skipped), list(result.issues), written, tables)
