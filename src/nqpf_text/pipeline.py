"""The whole job: ingest → normalize → segment → tag → link → store → reports.

Pure stages are called from here in order; this module owns no text logic of its own. Every
function returns pandas DataFrames so that notebooks can stop at any stage.

``run`` streams files through the stages in batches (in worker processes or on Dask, see
:mod:`nqpf_text.engine`) and keeps only table rows, never a file's text or offset maps once its
rows exist. One pass does every per-file stage, linking included (the linker's IDF is a fixed
reference table, so a file's links depend on nothing else in the corpus); only the boilerplate flags
(a sentence repeated in several documents) wait for every file, and they are applied to rows, not
recomputed. Per-file results are cached (:mod:`nqpf_text.cache`), so a second run reads what did not
change, and adding a file to a corpus processes that file alone.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .offsets import MappedText
from .types import Document, Issue, Mention, Skipped, Statement

if TYPE_CHECKING:
    from .cache import ResultCache
    from .engine import EngineOptions, Executor
    from .ingest.corpus import CorpusPlan, FileTask
    from .link import IndicatorLinker

__all__ = [
    "Collected",
    "CorpusTables",
    "RunSummary",
    "collect_tables",
    "document_texts",
    "documents_from_inputs",
    "ingest",
    "mention_arrays",
    "mention_frame",
    "prepare",
    "run",
    "text_document",
    "with_texts",
]

Progress = Callable[[str, int, int], None]

_META_COLS = [
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
_DOC_BASE = ["doc", "source", *_META_COLS, "encoding", "sha256", "line_start", "line_end", "chars", "text"]
_PARAGRAPH_COLS = ["doc", "paragraph", "start", "end", "raw_start", "raw_end", "text"]
_SENTENCE_COLS = [
    "doc",
    "sentence",
    "paragraph",
    "start",
    "end",
    "raw_start",
    "raw_end",
    "text",
    "boilerplate",
]
_FOOTNOTE_COLS = ["doc", "footnote", "marker", "start", "raw_start", "raw_end", "text"]
_LINK_COLS = [
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
BOILERPLATE_MIN_DOCS = 3  # a sentence in this many documents is boilerplate (segment.flag_boilerplate)
BOILERPLATE_MIN_CHARS = 12  # … if it has at least this many characters besides punctuation and spaces
STORE_CHUNK = 100_000  # paragraphs or sentences whose texts are cut and stored at a time


class CorpusTables:
    """Everything a report needs, as DataFrames (plus the lexicons and framework used).

    The paragraphs and sentences may come without their texts (``paragraph_spans``,
    ``sentence_spans``: offsets only); ``paragraphs`` and ``sentences`` cut the texts from the
    documents' texts when first asked for. A corpus's texts would otherwise be held three times, and
    no report table but the candidate terms reads a sentence's text.
    """

    def __init__(
        self,
        documents: pd.DataFrame,
        paragraphs: pd.DataFrame,
        sentences: pd.DataFrame,
        footnotes: pd.DataFrame,
        mentions: pd.DataFrame,
        links: pd.DataFrame,
        skipped: pd.DataFrame,
        issues: pd.DataFrame,
        lexicons: list[Any] | None = None,
        framework: Any = None,
    ) -> None:
        self.documents = documents
        self.paragraph_spans = paragraphs
        self.sentence_spans = sentences
        self.footnotes = footnotes
        self.mentions = mentions
        self.links = links
        self.skipped = skipped
        self.issues = issues
        self.lexicons = list(lexicons or [])
        self.framework = framework
        self._texts: dict[str, pd.DataFrame] = {}

    def replace(self, **changes: Any) -> CorpusTables:
        """A copy with some tables changed (keywords as the constructor's), like ``dataclasses.replace``."""
        names = ["documents", "footnotes", "mentions", "links", "skipped", "issues", "lexicons", "framework"]
        kept: dict[str, Any] = {name: getattr(self, name) for name in names}
        kept.update(paragraphs=self.paragraph_spans, sentences=self.sentence_spans)
        return CorpusTables(**{**kept, **changes})

    @property
    def paragraphs(self) -> pd.DataFrame:
        return self._with_texts("paragraphs", self.paragraph_spans)

    @property
    def sentences(self) -> pd.DataFrame:
        return self._with_texts("sentences", self.sentence_spans)

    def _with_texts(self, name: str, spans: pd.DataFrame) -> pd.DataFrame:
        if "text" in spans or (spans.empty and not len(spans.columns)):
            return spans
        if name not in self._texts:
            self._texts[name] = with_texts(spans, self.documents)
        return self._texts[name]

    def store_tables(self, chunk_rows: int | None = None) -> dict[str, Any]:
        """The store's tables; with ``chunk_rows``, paragraphs and sentences as chunks of that many
        rows whose texts are cut one chunk at a time (what ``store.write_store`` takes)."""

        def texts(name: str, spans: pd.DataFrame) -> Any:
            if chunk_rows is None:
                return self._with_texts(name, spans)
            texts = document_texts(self.documents)
            return (
                with_texts(spans.iloc[i : i + chunk_rows], texts)
                for i in range(0, max(len(spans), 1), chunk_rows)
            )

        return {
            "documents": self.documents,
            "paragraphs": texts("paragraphs", self.paragraph_spans),
            "sentences": texts("sentences", self.sentence_spans),
            "footnotes": self.footnotes,
            "skipped": self.skipped,
            "warnings": self.issues,
            "mentions": self.mentions,
            "links": self.links,
        }


def with_texts(spans: pd.DataFrame, documents: pd.DataFrame | Mapping[str, str]) -> pd.DataFrame:
    """Spans (``doc``, ``start``, ``end``) with their ``text`` cut from the documents' normalized
    texts, placed after ``raw_end`` as in the tables the stages make; a frame with texts is kept.

    ``documents``: the documents table, or its doc → text mapping when called slice after slice.
    """
    if "text" in spans:
        return spans
    texts = document_texts(documents) if isinstance(documents, pd.DataFrame) else documents
    cut = [
        texts[d][a:b]
        for d, a, b in zip(spans["doc"].tolist(), spans["start"].tolist(), spans["end"].tolist(), strict=True)
    ]
    out = spans.copy(deep=False)
    at = out.columns.get_loc("raw_end") + 1 if "raw_end" in out else len(out.columns)
    out.insert(at, "text", pd.Series(cut, index=spans.index))
    return out


def document_texts(documents: pd.DataFrame) -> dict[str, str]:
    """doc → normalized text, for :func:`with_texts`."""
    return dict(zip(documents["doc"], documents["text"], strict=True)) if len(documents) else {}


@dataclass(frozen=True)
class RunSummary:
    out: Path
    documents: int
    skipped: list[Skipped]
    issues: list[Issue]
    written: list[Path]
    tables: CorpusTables | None  # None when the outputs were up to date and nothing was read
    stats: dict[str, Any] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"documents processed: {self.documents}", f"skipped: {len(self.skipped)}"]
        out += [f"  {s.file}: {s.reason}" for s in self.skipped]
        if self.issues:
            out.append(f"warnings: {len(self.issues)}")
            out += [f"  {i.file}:{i.place}: {i.message}" for i in self.issues[:20]]
            if len(self.issues) > 20:
                out.append(f"  … {len(self.issues) - 20} more in the store's warnings table")
        out += [self.stats[k] for k in ("cache", "outputs") if self.stats.get(k)]
        out.append(f"outputs written to {self.out}: {len(self.written)} files")
        return out


def _noop(stage: str, done: int, total: int) -> None:
    return None


# --------------------------------------------------------------------------- documents in memory


def text_document(text: str, doc: str = "-") -> Document:
    """A document from a string (``--text``): normalized, segmented, mapped to the string itself."""
    from .normalize import normalize
    from .segment import segment_document

    return segment_document(
        Document(doc=doc, source=doc, mapped=normalize(MappedText.identity(text)), raw=text)
    )


def prepare(documents: list[Document], *, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS) -> list[Document]:
    """Sentences, paragraphs and boilerplate flags for ingested documents."""
    from .segment import flag_boilerplate, segment_document

    for doc in documents:
        segment_document(doc)
    flag_boilerplate(documents, min_docs=boilerplate_min_docs, min_chars=BOILERPLATE_MIN_CHARS)
    return documents


def ingest(
    corpus: str | Path | None = None, *, manifest: str | Path | None = None
) -> tuple[list[Document], Any]:
    """Read a corpus folder or file (default: the demo corpus) into prepared documents, all in memory."""
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


# --------------------------------------------------------------------------- rows and frames


def mention_frame(documents: Sequence[Document], mentions: Sequence[Sequence[Mention]]) -> pd.DataFrame:
    """Mentions of all documents, with offsets into the original file alongside the normalized ones.

    Built from column arrays in one step (no per-column Series): per file, that costs less than
    the tagging it follows.
    """
    from .tag import columns_frame

    columns = mention_arrays(documents, mentions)
    return columns_frame(columns) if len(columns["start"]) else _empty_mentions()


def mention_arrays(documents: Sequence[Document], mentions: Sequence[Sequence[Mention]]) -> dict[str, Any]:
    """The columns of :func:`mention_frame` as arrays: what a worker sends and the cache keeps."""
    import numpy as np

    from .tag import mention_columns

    columns = mention_columns(m for found in mentions for m in found)
    starts, ends = columns["start"], columns["end"]
    raw_start, raw_end = np.empty(len(starts), np.int64), np.empty(len(starts), np.int64)
    at = 0
    for doc, found in zip(documents, mentions, strict=True):
        part = slice(at, at + len(found))
        if len(found):
            raw_start[part], raw_end[part] = doc.mapped.raw_spans(starts[part], ends[part])
        at += len(found)
    columns["raw_start"], columns["raw_end"] = raw_start, raw_end
    return columns


def _empty_mentions() -> pd.DataFrame:
    from .tag import mentions_frame

    return mentions_frame([]).assign(raw_start=pd.Series(dtype="int64"), raw_end=pd.Series(dtype="int64"))


def _link_rows(statements: Iterable[Statement]) -> list[tuple[Any, ...]]:
    """One tuple per (statement, indicator) link, best first: every link column but ``boilerplate``."""
    return [
        (
            st.doc,
            st.statement,
            st.start,
            st.end,
            st.text,
            link.indicator,
            round(float(link.score), 6),
            "、".join(link.evidence),
            rank,
        )
        for st in statements
        for rank, link in enumerate(st.links, start=1)
    ]


def _links_from_rows(rows: list[tuple[Any, ...]], boilerplate: Sequence[bool]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame([], columns=_LINK_COLS)
    frame = pd.DataFrame(rows, columns=_LINK_COLS[:-1])
    frame["boilerplate"] = pd.Series(list(boilerplate), dtype=bool)
    return frame


def _document_row(d: Document) -> dict[str, Any]:
    row: dict[str, Any] = {"doc": d.doc, "source": d.source}
    row.update({c: d.meta.get(c) for c in _META_COLS})
    row["date_inferred"] = bool(row["date_inferred"])
    for key in sorted(set(d.meta) - set(_META_COLS)):
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
    return row


def _documents_from_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=_DOC_BASE)
    extra = sorted(c for c in frame.columns if c not in _DOC_BASE)
    return frame[_DOC_BASE + extra]


def _documents_frame(documents: Sequence[Document]) -> pd.DataFrame:
    return _documents_from_rows([_document_row(d) for d in documents])


@dataclass
class _Rows:
    """Rows of the structure tables (sentences flagged later: boilerplate spans documents)."""

    paragraphs: list[tuple[Any, ...]] = field(default_factory=list)
    sentences: list[tuple[Any, ...]] = field(default_factory=list)
    footnotes: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, d: Document) -> None:
        text = d.text
        for p in d.paragraphs:
            rs, re_ = d.raw_span(p.start, p.end)
            self.paragraphs.append((d.doc, p.index, p.start, p.end, rs, re_, text[p.start : p.end]))
        for s in d.sentences:
            rs, re_ = d.raw_span(s.start, s.end)
            self.sentences.append(
                (d.doc, s.index, s.paragraph, s.start, s.end, rs, re_, text[s.start : s.end], s.boilerplate)
            )
        for i, f in enumerate(d.footnotes):
            self.footnotes.append((d.doc, i, f.marker, f.start, f.raw_start, f.raw_end, f.text))


def _structure_frames(documents: Sequence[Document]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = _Rows()
    for d in documents:
        rows.add(d)
    return (
        pd.DataFrame(rows.paragraphs, columns=_PARAGRAPH_COLS),
        pd.DataFrame(rows.sentences, columns=_SENTENCE_COLS),
        pd.DataFrame(rows.footnotes, columns=_FOOTNOTE_COLS),
    )


@dataclass
class _Structure:
    """One file's paragraphs, sentences and footnotes: offsets as integer arrays, texts cut from the
    documents' texts only when the tables are made (a few dozen bytes per sentence until then)."""

    counts: list[tuple[str, int, int]]  # per document: name, paragraphs, sentences
    paragraphs: Any  # (n, 5) int64: paragraph, start, end, raw_start, raw_end
    sentences: Any  # (n, 6) int64: sentence, paragraph, start, end, raw_start, raw_end
    footnotes: list[tuple[Any, ...]]

    @classmethod
    def of(cls, docs: Sequence[Document]) -> _Structure:
        import numpy as np

        counts, paragraphs, sentences, footnotes = [], [], [], []
        for d in docs:
            counts.append((d.doc, len(d.paragraphs), len(d.sentences)))
            paragraphs.append(_spans(d, [(p.index, p.start, p.end) for p in d.paragraphs], 3))
            sentences.append(_spans(d, [(s.index, s.paragraph, s.start, s.end) for s in d.sentences], 4))
            footnotes += [
                (d.doc, i, f.marker, f.start, f.raw_start, f.raw_end, f.text)
                for i, f in enumerate(d.footnotes)
            ]
        empty = np.zeros((0, 5), np.int64), np.zeros((0, 6), np.int64)
        return cls(
            counts,
            np.concatenate(paragraphs) if paragraphs else empty[0],
            np.concatenate(sentences) if sentences else empty[1],
            footnotes,
        )


def _spans(d: Document, rows: list[tuple[int, ...]], width: int) -> Any:
    """Integer rows with the raw span of their last two columns (start, end) appended."""
    import numpy as np

    if not rows:
        return np.zeros((0, width + 2), np.int64)
    arr = np.asarray(rows, dtype=np.int64)
    starts, ends = arr[:, width - 2], arr[:, width - 1]
    if (ends > starts).all():
        raw_start, raw_end = d.mapped.raw_spans(starts, ends)
    else:
        raw_start, raw_end = np.asarray(
            [d.raw_span(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
        ).T
    return np.column_stack([arr, raw_start, raw_end]).astype(np.int64)


def _structure_tables(
    parts: Sequence[_Structure], flags: Sequence[bool]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The paragraphs and sentences (offsets only, see ``CorpusTables``) and footnotes of many files."""
    import numpy as np

    p_doc: list[str] = []
    s_doc: list[str] = []
    footnotes: list[tuple[Any, ...]] = []
    for st in parts:
        for doc, n_para, n_sent in st.counts:
            p_doc += [doc] * n_para
            s_doc += [doc] * n_sent
        footnotes += st.footnotes
    paragraph_cols = [c for c in _PARAGRAPH_COLS if c != "text"]
    sentence_cols = [c for c in _SENTENCE_COLS if c != "text"]
    if p_doc:
        paragraphs = _int_frame([st.paragraphs for st in parts], paragraph_cols[1:])
        paragraphs.insert(0, "doc", p_doc)
    else:
        paragraphs = pd.DataFrame([], columns=paragraph_cols)
    if s_doc:
        sentences = _int_frame([st.sentences for st in parts], sentence_cols[1:7])
        sentences.insert(0, "doc", s_doc)
        sentences["boilerplate"] = np.asarray(flags, dtype=bool)
    else:
        sentences = pd.DataFrame([], columns=sentence_cols)
    return paragraphs, sentences, pd.DataFrame(footnotes, columns=_FOOTNOTE_COLS)


def _int_frame(arrays: Sequence[Any], names: Sequence[str]) -> pd.DataFrame:
    """Integer rows (one array of rows × columns per file) as one frame, built in one copy: through
    a dict of columns it takes a copy per column and another for the frame's block."""
    import numpy as np

    block = np.empty((len(names), sum(len(a) for a in arrays)), dtype=np.int64)
    at = 0
    for a in arrays:
        block[:, at : at + len(a)] = a.T
        at += len(a)
    return pd.DataFrame(block.T, columns=list(names), copy=False)


def _small_frames(skipped: Sequence[Skipped], issues: Sequence[Issue]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.DataFrame([(s.file, s.reason) for s in skipped], columns=["file", "reason"]),
        pd.DataFrame([(i.file, i.place, i.message) for i in issues], columns=["file", "place", "message"]),
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
    """Tag and link prepared documents (all in memory) and collect every table."""
    from .link import statements_frame

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
    skipped_frame, issues_frame = _small_frames(skipped, issues)
    return CorpusTables(
        documents=_documents_frame(documents),
        paragraphs=paragraphs,
        sentences=sentences,
        footnotes=footnotes,
        mentions=mention_frame(documents, mentions),
        links=statements_frame(statements),
        skipped=skipped_frame,
        issues=issues_frame,
        lexicons=list(getattr(tagger, "lexicons", [])),
        framework=getattr(linker, "framework", None),
    )


# --------------------------------------------------------------------------- per-file work (workers)


@dataclass(frozen=True)
class _FileSpec:
    """What every worker needs for ingest → segment → tag → link, sent once."""

    key: str
    context: Any  # the plan's manifests
    lexicons: tuple[Any, ...] | None  # None: no tagging
    framework: Any  # None: no linking
    backend: str = "auto"


@dataclass(frozen=True)
class _FileJob:
    order: int
    task: FileTask
    docs: bytes | None = None  # cached documents: ingestion is skipped
    tag: bool = False
    link: bool = False
    pack: bool = False  # return packed results for the cache
    cached: bool = False  # ``docs`` are in the cache, read just before the job is sent


@dataclass
class _IngestPart:
    """One file's ingestion, as rows: what the cache keeps and the tables are made of."""

    documents: list[dict[str, Any]]
    structure: _Structure
    keys: list[bytes | None]  # per sentence: digest of its boilerplate key, None when too short
    issues: list[Issue]
    skipped: Skipped | None
    matched: tuple[tuple[int, int], ...]


@dataclass
class _FileWork:
    """One file's results, and the same packed for the cache (kind → bytes; ``docs``: the documents
    for a later re-tag). The results travel unpacked: a batch's pickle shares its strings across
    files, where an unpacked cache entry would bring its own copies (+75 MB at 100 MB)."""

    order: int
    ingest: _IngestPart | None = None
    mentions: dict[str, Any] | None = None  # column arrays (mention_arrays)
    links: list[tuple[Any, ...]] | None = None
    packed: dict[str, bytes] = field(default_factory=dict)


def _sentence_keys(d: Document) -> list[bytes | None]:
    import hashlib

    from .segment import sentence_key

    out: list[bytes | None] = []
    for s in d.sentences:
        key = sentence_key(d.text[s.start : s.end])
        out.append(
            hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
            if len(key) >= BOILERPLATE_MIN_CHARS
            else None
        )
    return out


def _pack_docs(docs: Sequence[Document]) -> list[tuple[Any, ...]]:
    """Documents without their raw text, offset maps delta-coded (they compress to almost nothing)."""
    import numpy as np

    out = []
    for d in docs:
        starts = np.diff(d.mapped.starts, prepend=0).astype(np.int32)
        spans = (d.mapped.ends - d.mapped.starts).astype(np.int32)
        out.append(
            (
                d.doc,
                d.source,
                d.text,
                starts,
                spans,
                d.meta,
                d.encoding,
                d.sha256,
                d.line_start,
                d.line_end,
                d.footnotes,
            )
        )
    return out


def _unpack_docs(packed: list[tuple[Any, ...]]) -> list[Document]:
    import numpy as np

    from .segment import segment_document

    docs = []
    for doc, source, text, starts, spans, meta, encoding, sha, line_start, line_end, notes in packed:
        begin = np.cumsum(starts, dtype=np.int64)
        mapped = MappedText(text, begin, begin + spans.astype(np.int64))
        docs.append(
            segment_document(
                Document(doc, source, mapped, "", meta, encoding, sha, line_start, line_end, list(notes))
            )
        )
    return docs


def _file_links(linker: IndicatorLinker, docs: Sequence[Document]) -> list[tuple[Any, ...]]:
    """Link rows of a file's documents (a document without sentences: the linker splits its text)."""
    rows: list[tuple[Any, ...]] = []
    for d in docs:
        if not d.sentences:
            rows += _link_rows(linker.link(d.text, d.doc))
            continue
        text = d.text
        rows += _link_rows(
            linker.link_statements(
                [text[x.start : x.end] for x in d.sentences],
                doc=d.doc,
                starts=[x.start for x in d.sentences],
                indices=[x.index for x in d.sentences],
            )
        )
    return rows


def _worker_tools(spec: _FileSpec) -> tuple[Any, Any]:
    """The tagger and the linker of this process, built once per configuration."""
    from .engine import shared_state

    def build() -> tuple[Any, Any]:
        tagger = linker = None
        if spec.lexicons is not None:
            from .tag import Tagger

            tagger = Tagger(list(spec.lexicons), backend=spec.backend)
        if spec.framework is not None:
            from .link import IndicatorLinker

            linker = IndicatorLinker(spec.framework).fit()
        return tagger, linker

    return shared_state(spec.key, build)


def _work_file(spec: _FileSpec, job: _FileJob) -> _FileWork:
    from .cache import pack, unpack
    from .ingest.corpus import read_task
    from .segment import segment_document

    tagger, linker = _worker_tools(spec)
    work = _FileWork(job.order)
    if job.docs is None:
        outcome = read_task(job.task, spec.context)
        docs = outcome.documents
        keys: list[bytes | None] = []
        for d in docs:
            segment_document(d)
            keys += _sentence_keys(d)
        part = _IngestPart(
            [_document_row(d) for d in docs],
            _Structure.of(docs),
            keys,
            outcome.issues,
            outcome.skipped,
            outcome.matched,
        )
        work.ingest = part
        if job.pack:
            work.packed.update(ingest=pack(part), docs=pack(_pack_docs(docs)))
    else:
        docs = _unpack_docs(unpack(job.docs))
    if job.tag:
        columns = mention_arrays(docs, [tagger.tag_document(d) for d in docs])  # text is term: shared
        work.mentions = columns
        if job.pack:
            work.packed["tag"] = pack(columns)
    if job.link:
        rows = _file_links(linker, docs)
        work.links = rows
        if job.pack:
            work.packed["link"] = pack(rows)
    return work


def _files_batch(spec: _FileSpec, jobs: list[_FileJob]) -> list[_FileWork]:
    return [_work_file(spec, job) for job in jobs]


# --------------------------------------------------------------------------- collecting a corpus


@dataclass
class _FileState:
    task: FileTask
    key: str
    cacheable: bool = True  # False when the file could not be read to hash it: nothing is stored
    ingest: _IngestPart | None = None
    mentions: dict[str, Any] | None = None  # column arrays (mention_arrays)
    links: list[tuple[Any, ...]] | None = None
    flags: list[bool] = field(default_factory=list)


@dataclass
class _Keys:
    """Cache keys: what a per-file result depends on besides the file."""

    ingest: str
    tag: str
    link: str


def _content(path: str | Path) -> str:
    """A file's digest; a fresh random one when it cannot be read (such a key never matches)."""
    import secrets

    from .cache import file_digest

    return file_digest(path) or secrets.token_hex(16)


def _keys(plan: CorpusPlan, lexicons: Sequence[Any] | None, framework: Any, backend: str) -> _Keys:
    import pickle

    from .cache import code_digest, digest
    from .resources import lexicon_dir

    code = code_digest()
    manifests = [_content(m) for m in plan.manifest_files]
    ingest = digest("ingest", code, *manifests, _content(lexicon_dir() / "regions.yaml"))
    lex_parts = [part for lex in lexicons or () for part in (lex.name, _content(lex.path))]
    tag = digest("tag", code, backend, *lex_parts) if lexicons is not None else ""
    if framework is None:
        return _Keys(ingest, tag, "")
    fw_part = _content(framework.path) if framework.path else digest(pickle.dumps(framework))
    return _Keys(ingest, tag, digest("link", code, fw_part))


def _file_state(keys: _Keys, task: FileTask) -> _FileState:
    from .cache import digest, file_digest
    from .ingest.filenames import sidecar_path

    content, side = file_digest(task.path), file_digest(sidecar_path(task.path))
    if content is None or side is None:  # unreadable: read_task will say why; nothing to cache
        return _FileState(task, _content(task.path), cacheable=False)
    return _FileState(task, digest(keys.ingest, task.name, task.rel, str(task.path), content, side))


@dataclass
class Collected:
    """A corpus through every per-file stage: the tables and what the run did."""

    tables: CorpusTables
    skipped: list[Skipped]
    issues: list[Issue]
    documents: int
    stats: dict[str, Any]


def _batches(jobs: Iterable[Any], size: Callable[[Any], int], options: EngineOptions) -> Iterator[list[Any]]:
    batch: list[Any] = []
    total = 0
    for job in jobs:
        batch.append(job)
        total += size(job)
        if total >= options.batch_bytes or len(batch) >= options.batch_files:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


class _Collector:
    """One corpus, file by file: cache look-ups, one pass through the workers, boilerplate flags."""

    def __init__(
        self,
        plan: CorpusPlan,
        *,
        lexicons: Sequence[Any] | None,
        framework: Any,
        options: EngineOptions,
        cache: ResultCache | None,
        backend: str,
        progress: Progress,
    ) -> None:
        from .cache import digest

        self.plan = plan
        self.lexicons = lexicons
        self.framework = framework
        self.options = options
        self.cache = cache
        self.progress = progress
        self.keys = _keys(plan, lexicons, framework, backend)
        self.files = [_file_state(self.keys, task) for task in plan.tasks]
        self.files_by_order = {f.task.order: f for f in self.files}
        self.spec = _FileSpec(
            digest("spec", self.keys.tag, self.keys.link, backend),
            plan.context,
            tuple(lexicons) if lexicons is not None else None,
            framework,
            backend,
        )
        self.executor: Executor | None = None
        self.stats: dict[str, Any] = {"files": len(self.files), "ingested": 0, "tagged": 0, "linked": 0}

    # -- cache ---------------------------------------------------------------------------------------

    def _get(self, kind: str, key: str) -> Any:
        return self.cache.get(kind, key) if self.cache is not None else None

    def _store(self, kind: str, f: _FileState, key: str, work: _FileWork) -> None:
        """Keep a worker's packed result for ``f`` in the cache."""
        packed = work.packed.get(kind)
        if self.cache is not None and f.cacheable and packed is not None:
            self.cache.put_packed(kind, key, packed)

    def _tag_key(self, f: _FileState) -> str:
        from .cache import digest

        return digest(self.keys.tag, f.key)

    def _link_key(self, f: _FileState) -> str:
        from .cache import digest

        return digest(self.keys.link, f.key)

    # -- executors -----------------------------------------------------------------------------------

    def _executor(self, input_bytes: int) -> Executor:
        """Inline for a pass with little input; else the workers (started once, kept for the next pass)."""
        from .engine import InlineExecutor, open_executor

        if self.options.engine == "local" and input_bytes < self.options.min_parallel_bytes:
            return InlineExecutor()
        if self.executor is None:
            self.executor = open_executor(self.options, input_bytes=input_bytes)
        return self.executor

    def close(self) -> None:
        if self.executor is not None:
            self.executor.close()
            self.executor = None
        if self.cache is not None:
            self.cache.close()

    # -- the pass: ingest, segment, tag, link ---------------------------------------------------------

    def _load(self) -> None:
        """Read cached results (what a later run may need is kept even when this one does not read it)."""
        tagging, linking = self.lexicons is not None, self.framework is not None
        for f in self.files:
            f.ingest = self._get("ingest", f.key)
            if f.ingest is not None and tagging:
                f.mentions = self._get("tag", self._tag_key(f))
            if f.ingest is not None and linking:
                f.links = self._get("link", self._link_key(f))
            if self.cache is not None:
                self.cache.keep("docs", f.key)

    def _jobs(self) -> list[_FileJob]:
        tagging, linking = self.lexicons is not None, self.framework is not None
        pack = self.cache is not None
        jobs = []
        for f in self.files:
            want_tag = tagging and f.mentions is None
            want_link = linking and f.links is None
            if f.ingest is not None and not (want_tag or want_link):
                continue
            if f.ingest is not None and self.cache is not None:
                jobs.append(_FileJob(len(jobs), f.task, None, want_tag, want_link, pack, cached=True))
            else:
                jobs.append(_FileJob(len(jobs), f.task, None, tagging, linking, pack))
        return jobs

    def _ready(self, jobs: Iterable[_FileJob]) -> Iterator[_FileJob]:
        """Jobs with their cached documents read in (one batch at a time, not the corpus at once)."""
        from dataclasses import replace

        for job in jobs:
            if not job.cached:
                yield job
                continue
            assert self.cache is not None
            f_key = self.files_by_order[job.task.order].key
            docs = self.cache.get_packed("docs", f_key)
            if docs is None:  # the documents are gone: ingest again, and every later stage with it
                yield replace(
                    job, cached=False, tag=self.lexicons is not None, link=self.framework is not None
                )
            else:
                yield replace(job, docs=docs, cached=False)

    def _pass(self) -> None:
        jobs = self._jobs()
        by_order = {f.task.order: f for f in self.files}
        total = len(jobs)
        if not jobs:
            return
        size = _job_size
        input_bytes = sum(size(j) for j in jobs)
        executor = self._executor(input_bytes)
        if executor.inherits and self.framework is not None:
            from .segment import reference_idf

            reference_idf()  # read once here: forked workers inherit the table
        done = 0
        batches = (list(self._ready(b)) for b in _batches(jobs, size, self.options))
        for results in executor.map(_files_batch, self.spec, batches):
            for work in results:
                f = by_order[jobs[work.order].task.order]
                self._take(f, work)
                done += 1
                self.progress("ingest", done, total)

    def _take(self, f: _FileState, work: _FileWork) -> None:
        if work.ingest is not None:
            f.ingest = work.ingest
            self._store("ingest", f, f.key, work)
            self._store("docs", f, f.key, work)
            self.stats["ingested"] += 1
        if work.mentions is not None:
            f.mentions = work.mentions
            self._store("tag", f, self._tag_key(f), work)
            self.stats["tagged"] += 1
        if work.links is not None:
            f.links = work.links
            self._store("link", f, self._link_key(f), work)
            self.stats["linked"] += 1

    # -- cross-document steps ------------------------------------------------------------------------

    def _flag_boilerplate(self) -> int:
        """Flag sentences whose key recurs in BOILERPLATE_MIN_DOCS documents or more."""
        seen: Counter[bytes] = Counter()
        for f in self.files:
            for _, keys in _doc_groups(f):
                seen.update({k for k in keys if k is not None})
        flagged = 0
        for f in self.files:
            f.flags = []
            for _, keys in _doc_groups(f):
                f.flags += [k is not None and seen[k] >= BOILERPLATE_MIN_DOCS for k in keys]
            flagged += sum(f.flags)
        for f in self.files:  # the keys served their purpose (a digest object per sentence)
            if f.ingest is not None:
                f.ingest.keys = []
        return flagged

    # -- assembly ------------------------------------------------------------------------------------

    def collect(self) -> Collected:
        from .engine import forget_built_state, release_free_memory
        from .segment import reference_idf

        self._load()
        self._pass()
        forget_built_state()
        reference_idf.cache_clear()  # the linkers' IDF table (~40 MB), read before forking the workers
        self.stats["boilerplate"] = self._flag_boilerplate()
        collected = self._assemble()
        release_free_memory()  # the per-file results' holes: the store's and the reports' processes
        return collected  # fork from here, and count every resident page as theirs

    def _assemble(self) -> Collected:
        from .engine import release_free_memory
        from .link import statements_frame

        events: list[tuple[int, Any]] = list(self.plan.skipped)
        doc_rows: list[dict[str, Any]] = []
        parts: list[_Structure] = []
        flags: list[bool] = []
        issues: list[Issue] = []
        for f in self.files:
            part = f.ingest
            assert part is not None
            self.plan.mark(part.matched)
            events.append((f.task.order, f))
        files = [f for f in self.files if f.ingest is not None and f.ingest.skipped is None]
        skipped: list[Skipped] = []
        for _, event in sorted(events, key=lambda e: e[0]):
            if isinstance(event, Skipped):
                skipped.append(event)
                continue
            part = event.ingest
            if part.skipped is not None:
                skipped.append(part.skipped)
                continue
            doc_rows += part.documents
            parts.append(part.structure)
            flags += event.flags
            issues += part.issues
            event.ingest, event.flags = None, []  # each part goes as soon as the whole exists
        issues += self.plan.manifest_issues()
        # The mentions first: their per-file arrays, dropped as they are stacked, leave holes that go
        # back to the system before the structure tables are built.
        mentions = _stacked(files) if self.lexicons is not None else _empty_mentions()
        release_free_memory()
        paragraphs, sentences, footnotes = _structure_tables(parts, flags)
        del parts, flags
        documents = _documents_from_rows(doc_rows)
        n_documents = len(doc_rows)
        del doc_rows
        flagged = _flagged_pairs(sentences)
        if flagged and len(mentions):
            pairs = zip(mentions["doc"], mentions["sentence"], strict=True)
            mentions["boilerplate"] = [p in flagged for p in pairs]
        skipped_frame, issues_frame = _small_frames(skipped, issues)
        tables = CorpusTables(
            documents=documents,
            paragraphs=paragraphs,
            sentences=sentences,
            footnotes=footnotes,
            mentions=mentions,
            links=_links(files, flagged) if self.framework is not None else statements_frame([]),
            skipped=skipped_frame,
            issues=issues_frame,
            lexicons=list(self.lexicons or []),
            framework=self.framework,
        )
        return Collected(tables, skipped, issues, n_documents, self.stats)

    def tables_key(self) -> str:
        """Digest of everything the tables depend on, known before anything is read (file digests,
        lexicon, framework and code versions, refused files)."""
        from .cache import digest

        refused = [f"{order}:{s.file}:{s.reason}" for order, s in self.plan.skipped]
        files = [f.key for f in self.files]
        return digest(self.keys.ingest, self.keys.tag, self.keys.link, *files, *refused)


def _job_size(job: _FileJob) -> int:
    try:
        return job.task.path.stat().st_size
    except OSError:
        return 0


def _doc_groups(f: _FileState) -> Iterator[tuple[str, list[bytes | None]]]:
    """Each document of a file with the boilerplate keys of its sentences."""
    part = f.ingest
    if part is None or part.skipped is not None:
        return
    i = 0
    for doc, _, n in part.structure.counts:
        yield doc, part.keys[i : i + n]
        i += n


def _flagged_pairs(sentences: pd.DataFrame) -> set[tuple[str, int]]:
    flagged = sentences[sentences["boilerplate"]]
    return set(zip(flagged["doc"], flagged["sentence"].astype(int), strict=True))


def _stacked(files: Sequence[_FileState]) -> pd.DataFrame:
    """The files' mention arrays one under another in one frame, as ``pd.concat`` of their frames.

    Each file's arrays go once copied (the peak is the whole plus one file, not the whole twice), and
    equal strings become one object: each file arrives unpickled with its own copies of a few hundred
    names, ids and terms, and over thousands of files those copies outweigh the rows themselves.
    """
    import numpy as np
    from pandas.api.internals import create_dataframe_from_blocks

    sizes = [len(f.mentions["start"]) if f.mentions is not None else 0 for f in files]
    first = next((f.mentions for f, n in zip(files, sizes, strict=True) if n), None)
    if first is None:
        for f in files:
            f.mentions = None
        return _empty_mentions()
    names = list(first)
    by_dtype: dict[np.dtype, list[int]] = {}
    for i, name in enumerate(names):
        by_dtype.setdefault(first[name].dtype, []).append(i)
    blocks = {dtype: np.empty((len(at), sum(sizes)), dtype=dtype) for dtype, at in by_dtype.items()}
    begin = 0
    for f, n in zip(files, sizes, strict=True):
        columns, f.mentions = f.mentions, None
        if n:
            for dtype, at in by_dtype.items():
                for row, i in enumerate(at):
                    blocks[dtype][row, begin : begin + n] = columns[names[i]]
            begin += n
    for values in blocks.get(np.dtype(object), ()):
        codes, uniques = pd.factorize(values)  # a missing value (code -1) keeps its own object
        values[codes >= 0] = np.asarray(uniques, dtype=object)[codes[codes >= 0]]
    placed = [(blocks[dtype], np.array(at, dtype=np.intp)) for dtype, at in by_dtype.items()]
    return create_dataframe_from_blocks(placed, pd.RangeIndex(begin), pd.Index(names))


def _links(files: Sequence[_FileState], flagged: set[tuple[str, int]]) -> pd.DataFrame:
    rows = [row for f in files for row in f.links or ()]
    for f in files:
        f.links = None
    return _links_from_rows(rows, [(r[0], r[1]) in flagged for r in rows])


# --------------------------------------------------------------------------- entry points


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


def collect_tables(
    corpus: str | Path | None = None,
    *,
    manifest: str | Path | None = None,
    lexicons: Sequence[Any] | None = None,
    framework: Any = None,
    options: EngineOptions | None = None,
    cache: ResultCache | None = None,
    backend: str = "auto",
    progress: Progress = _noop,
) -> Collected:
    """Stream a corpus (default: the demo corpus) through ingest → segment → tag → link, in batches.

    ``lexicons`` None skips tagging and ``framework`` None skips linking (``nqpf ingest``). The
    tables are the same for every ``options`` (workers, engine) and whether ``cache`` hits or not.
    """
    collector = _open_collector(corpus, manifest, lexicons, framework, options, cache, backend, progress)
    try:
        return collector.collect()
    finally:
        collector.close()


def _open_collector(
    corpus: str | Path | None,
    manifest: str | Path | None,
    lexicons: Sequence[Any] | None,
    framework: Any,
    options: EngineOptions | None,
    cache: ResultCache | None,
    backend: str,
    progress: Progress,
) -> _Collector:
    from .engine import EngineOptions
    from .ingest.corpus import plan_corpus
    from .resources import demo_corpus

    label = "demo" if corpus is None else None
    plan = plan_corpus(corpus or demo_corpus(), manifest=Path(manifest) if manifest else None, label=label)
    return _Collector(
        plan,
        lexicons=lexicons,
        framework=framework,
        options=options or EngineOptions(),
        cache=cache,
        backend=backend,
        progress=progress,
    )


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory so far, in MB (None where the platform cannot say).

    Linux's ``VmHWM`` first: ``ru_maxrss`` survives ``exec``, so a run started by a big process
    would report that process's size as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _run_key(tables_key: str, meta: dict[str, Any], panel: str | Path | None) -> str:
    import json

    from .cache import digest, package_digest

    panel_part = _content(panel) if panel is not None else ""
    return digest("outputs", package_digest(), tables_key, json.dumps(meta, sort_keys=True), panel_part)


class _Outputs:
    """What the last complete run wrote into ``out``, and from which inputs (``out/.nqpf-run.json``).

    When the inputs are the same and every output file is still the one written, a run reads and
    rewrites nothing: the reports of an unchanged corpus are already there, and the record holds the
    run's summary (documents, skipped files, warnings). A run killed half-way leaves outputs that no
    longer match the record, so the next run writes them again.
    """

    NAME = ".nqpf-run.json"

    def __init__(self, out: Path, key: str) -> None:
        self.out = out
        self.key = key
        self.path = out / self.NAME

    def current(self) -> tuple[list[Path], dict[str, Any]] | None:
        """The outputs and the summary recorded with them, if they are those of a run on the same
        inputs; else None."""
        import json

        from .cache import file_digest

        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files = dict(data["files"])
            summary = dict(data["summary"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if data.get("key") != self.key or not files:
            return None
        paths = [self.out / rel for rel in files]
        if any(file_digest(p) != digest for p, digest in zip(paths, files.values(), strict=True)):
            return None
        return paths, summary

    def record(self, written: Sequence[Path], summary: dict[str, Any]) -> None:
        import json

        from .atomic import atomic_write_text
        from .cache import file_digest

        root = self.out.resolve()
        try:
            files = {Path(p).resolve().relative_to(root).as_posix(): file_digest(p) for p in written}
        except ValueError:
            return  # an output outside the folder: never call these outputs current
        record = {"key": self.key, "files": files, "summary": summary}
        atomic_write_text(self.path, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))


def run(
    corpus: str | Path | None = None,
    out: str | Path | None = None,
    *,
    framework: str = "hqe21",
    lexicons: Sequence[str] = (),
    manifest: str | Path | None = None,
    panel: str | Path | None = None,
    progress: Progress = _noop,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    options: EngineOptions | None = None,
) -> RunSummary:
    """Run every stage on a corpus folder and write the store and the reports to ``out``.

    ``workers`` processes (default: every core) or a Dask ``engine`` (``scheduler`` address, or a
    local cluster on 127.0.0.1) do the per-file work (``options``, if given, says all of that and
    more); results are cached under ``cache_dir`` (default ``out/.nqpf-cache``) unless ``cache`` is
    False. The outputs are the same whichever way the work is done.
    """
    from .atomic import remove_stale_temps
    from .cache import CACHE_DIR, ResultCache
    from .engine import Background, EngineOptions
    from .lexicon import load_lexicons
    from .link import Framework
    from .report import build_tables as report_tables
    from .report import candidate_table, write_reports
    from .store import STORE_NAME, write_store

    started = time.perf_counter()
    options = options or EngineOptions(workers=workers, engine=engine, scheduler=scheduler)
    out_path = Path(out) if out is not None else Path("reports")
    remove_stale_temps(out_path)
    store = ResultCache(Path(cache_dir) if cache_dir is not None else out_path / CACHE_DIR) if cache else None
    loaded = load_lexicons(lexicons)
    meta = {
        "lexicons": {lex.name: lex.version for lex in loaded},
        "framework": framework,
        "corpus": "demo" if corpus is None else str(corpus),
    }
    collector = _open_collector(
        corpus, manifest, loaded, Framework.load(framework), options, store, "auto", progress
    )
    try:
        outputs = (
            _Outputs(out_path, _run_key(collector.tables_key(), meta, panel)) if store is not None else None
        )
        previous = outputs.current() if outputs is not None else None
        if previous is not None:  # an unchanged corpus: nothing to read, nothing to write
            return _up_to_date(out_path, *previous, collector.stats, time.perf_counter() - started)
        collected = collector.collect()
    finally:
        collector.close()
    tables = collected.tables
    seconds = {"collect": time.perf_counter() - started}
    peak = {"collect": _peak_rss_mb()}
    stats = dict(collected.stats, seconds=seconds, peak_rss_mb=peak)
    stats["chars"] = int(tables.documents["chars"].sum()) if len(tables.documents) else 0
    # With more than one worker, the store and the candidate terms are made by processes of their
    # own while this one builds and writes the other reports; the store, which nothing waits for
    # but the end, yields the cores to the others.
    parallel = options.n_workers > 1
    store_job = Background(
        write_store,
        out_path / STORE_NAME,
        tables.store_tables(STORE_CHUNK),
        meta=meta,
        parallel=parallel,
        nice=10,
    )
    candidates = Background(candidate_table, tables, parallel=parallel)
    try:
        report = report_tables(
            tables, panel=Path(panel) if panel is not None else None, candidates=candidates.result
        )
        reports = write_reports(report, out_path, ct=tables, progress=progress, parallel=parallel)
        written = [store_job.result(), *reports]
    finally:
        store_job.cancel()
        candidates.cancel()
    seconds["store and reports"] = time.perf_counter() - started - seconds["collect"]
    if outputs is not None:
        outputs.record(written, _summary_record(collected, stats))
    peak["end"] = _peak_rss_mb()
    if store is not None:
        store.prune(("ingest", "docs", "tag", "link", "df"))  # df: document frequencies of earlier versions
        store.close()
        stats["cache"] = (
            f"cache: {stats['files'] - stats['ingested']} of {stats['files']} files read from "
            f"{store.root} ({stats['ingested']} ingested, {stats['tagged']} tagged, {stats['linked']} linked)"
        )
    return RunSummary(
        out_path, collected.documents, collected.skipped, collected.issues, written, tables, stats
    )


def _summary_record(collected: Collected, stats: dict[str, Any]) -> dict[str, Any]:
    """What a later run on the same inputs reports without reading anything."""
    return {
        "documents": collected.documents,
        "chars": stats["chars"],
        "boilerplate": stats.get("boilerplate", 0),
        "skipped": [[s.file, s.reason] for s in collected.skipped],
        "issues": [[i.file, i.place, i.message] for i in collected.issues],
    }


def _up_to_date(
    out: Path, written: list[Path], summary: dict[str, Any], stats: dict[str, Any], seconds: float
) -> RunSummary:
    """The summary of a run whose outputs were already there: the cache and the corpus are not read."""
    stats = dict(
        stats,
        chars=summary["chars"],
        boilerplate=summary["boilerplate"],
        seconds={"collect": seconds},
        peak_rss_mb={"collect": _peak_rss_mb(), "end": _peak_rss_mb()},
        outputs="store and reports are up to date (same inputs, same code): not rewritten",
        cache=f"cache: not read ({stats['files']} files unchanged since the last run)",
    )
    skipped = [Skipped(*s) for s in summary["skipped"]]
    issues = [Issue(*i) for i in summary["issues"]]
    return RunSummary(out, summary["documents"], skipped, issues, written, None, stats)


def write_report(
    kind: str,
    corpus: str | Path | None = None,
    out: str | Path | None = None,
    *,
    framework: str = "hqe21",
    lexicons: Sequence[str] = (),
    manifest: str | Path | None = None,
    panel: str | Path | None = None,
    options: EngineOptions | None = None,
    progress: Progress = _noop,
) -> list[Path]:
    """One report (``coverage``, ``regions``, ``indicators`` or ``beside``) without the store or the rest."""
    from .lexicon import load_lexicons
    from .link import Framework
    from .report import REPORT_KINDS, write_reports
    from .report import build_tables as report_tables

    if kind not in REPORT_KINDS:
        from .errors import InputError

        raise InputError("KIND", f"unknown report {kind!r}; choose one of {', '.join(REPORT_KINDS)}")
    collected = collect_tables(
        corpus,
        manifest=manifest,
        lexicons=load_lexicons(lexicons),
        framework=Framework.load(framework),
        options=options,
        progress=progress,
    )
    tables = collected.tables
    report = report_tables(tables, panel=Path(panel) if panel is not None else None)
    return write_reports(report, Path(out) if out is not None else Path("reports"), ct=tables, kind=kind)
