"""Read files and folders into :class:`Document` records: decode → layout repair → split → normalize.

Per file: decode the bytes, map every character to the raw text (``MappedText.identity``), mark the
layout (page numbers, headers, footnote blocks, bylines…), join lines into paragraphs, cut the file
into pieces, and normalize each piece. Metadata comes from the file name, a ``.json`` sidecar, the
layout (bylines, attributions, bios), and the manifest, which wins.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ..offsets import MappedText
from ..types import Document, Footnote, Issue, Skipped
from .filenames import meta_from_name, meta_from_sidecar, region_from_text
from .layout import Mark, analyse, assemble, scan_lines
from .manifest import FileEntry, Manifest, load_manifest
from .readers import SUFFIXES, read_source
from .split import plan_pieces

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DOCUMENT_COLUMNS",
    "CorpusPlan",
    "FileOutcome",
    "FileTask",
    "IngestResult",
    "plan_corpus",
    "read_corpus",
    "read_file",
    "read_task",
    "read_text",
]

DOCUMENT_COLUMNS = [
    "doc",
    "source",
    "piece",
    "title",
    "date",
    "date_inferred",
    "date_cue",
    "year",
    "author",
    "affiliation",
    "outlet",
    "kind",
    "focal_region",
    "encoding",
    "sha256",
    "line_start",
    "line_end",
    "chars",
    "text",
    "extra",
]
_MAIN_FIELDS = set(DOCUMENT_COLUMNS)
_MANIFEST_NAMES = {"manifest.yaml", "manifest.yml"}
_MARKDOWN = re.compile(r"^#{1,6}[ \t]+|^[ \t]*(?:[-*+]|>)[ \t]+|\*\*|__", re.M)
# (?<!\d)(20\d{2}|19\d{2})年…, with the lookbehind after the first digit so the scan skips to 1 and 2
# ^(?:摘\s*要|关键词|参考文献) in multi-line mode, with the line-start test after the first character
_ACADEMIC_HEADING = re.compile(r"摘(?<=^摘)\s*要|关(?<=^关)键词|参(?<=^参)考文献", re.M)
_FULL_DATE = re.compile(r"(2(?<!\d2)0\d{2}|1(?<!\d1)9\d{2})年(\d{1,2})月(?:(\d{1,2})日)?")


@dataclass
class IngestResult:
    """Documents read from a corpus, the files skipped (with why) and damage found on the way."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def documents_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [_document_row(d) for d in self.documents]
        return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)

    def skipped_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([(s.file, s.reason) for s in self.skipped], columns=["file", "reason"])

    def issues_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [(i.file, i.place, i.message) for i in self.issues], columns=["file", "place", "message"]
        )

    def footnotes_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            (d.doc, f.marker, f.start, f.raw_start, f.raw_end, f.text)
            for d in self.documents
            for f in d.footnotes
        ]
        return pd.DataFrame(rows, columns=["doc", "marker", "start", "raw_start", "raw_end", "text"])


def _document_row(d: Document) -> dict[str, Any]:
    row: dict[str, Any] = {
        "doc": d.doc,
        "source": d.source,
        "encoding": d.encoding,
        "sha256": d.sha256,
        "line_start": d.line_start,
        "line_end": d.line_end,
        "chars": len(d.text),
        "text": d.text,
    }
    for key in (
        "piece",
        "title",
        "date",
        "date_inferred",
        "date_cue",
        "year",
        "author",
        "affiliation",
        "outlet",
        "kind",
        "focal_region",
    ):
        row[key] = d.meta.get(key)
    extra = {k: v for k, v in d.meta.items() if k not in _MAIN_FIELDS}
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""
    return row


# --------------------------------------------------------------------------- one file


@dataclass
class _Context:
    manifests: list[Manifest]
    hits: list[tuple[int, int]] = field(default_factory=list)  # (manifest, entry) pairs matched

    def entry(self, sha256: str, rel: str) -> FileEntry | None:
        for mi, manifest in enumerate(self.manifests):
            found = manifest.lookup(sha256, rel)
            if found is not None:
                self.hits.append((mi, found.index))
                return found
        return None


def _shipped_manifest() -> Manifest | None:
    from ..resources import manifest_path

    path = manifest_path()
    if not path.is_file():
        return None
    return load_manifest(path, None, warn_unmatched=False)


def _infer_date(text: str) -> tuple[str, str] | None:
    """Latest full date mentioned: a piece is not older than the events it reports."""
    best: tuple[tuple[int, int, int], str] | None = None
    for m in _FULL_DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if not 1 <= mo <= 12 or d > 31:
            continue
        key = (y, mo, d)
        if best is None or key > best[0]:
            best = (key, m.group(0))
    if best is None:
        return None
    (y, mo, d), cue = best
    iso = f"{y}-{mo:02d}" + (f"-{d:02d}" if d else "")
    return iso, f"latest date in the text: {cue}"


def _opening_date(text: str) -> str | None:
    """A delivery date opening the text (2025年1月19日在…会议上)."""
    for para in text.split("\n", 6)[:6]:
        m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:在|于|$)", para)
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def _appendix(meta: dict[str, Any], lines: list[Any], norm: MappedText) -> None:
    """Where an appendix (flagged in the manifest by its first raw line) starts in the text."""
    first = meta.get("appendix_from_line")
    if isinstance(first, int) and 1 <= first <= len(lines) and len(norm):
        pos = int(np.searchsorted(norm.starts, lines[first - 1].start, side="left"))
        if pos < len(norm):
            meta["appendix_start"] = pos


def _finish_meta(meta: dict[str, Any], text: str, footnotes: list[Footnote]) -> None:
    if "date" not in meta:
        opening = _opening_date(text)
        if opening:
            meta["date"], meta["date_inferred"] = opening, False
        else:
            inferred = _infer_date(text)
            if inferred:
                meta["date"], meta["date_cue"] = inferred
                meta["date_inferred"] = True
    elif meta["date"] and "date_inferred" not in meta:
        meta["date_inferred"] = False
    if meta.get("date") and not meta.get("year"):
        meta["year"] = int(str(meta["date"])[:4])
    if not meta.get("focal_region") and meta.get("outlet") and re.search(r"[日晚]报$", str(meta["outlet"])):
        region = region_from_text(str(meta["outlet"]))
        if region:
            meta["focal_region"] = region
    if "title" not in meta:
        first = text.split("\n", 1)
        if len(first) == 2 and len(first[0]) <= 50 and not re.search(r"[。！？；]$", first[0]):
            meta["title"] = first[0]
    if not meta.get("kind"):
        refs = sum(1 for f in footnotes if f.marker.startswith(("[", "［", "〔")))
        if refs >= 5 or _ACADEMIC_HEADING.search(text):
            meta["kind"] = "academic paper"


def _trim(mapped: MappedText) -> MappedText:
    text = mapped.text
    left = len(text) - len(text.lstrip())
    right = len(text.rstrip())
    return mapped.slice(left, max(left, right))


def _footnotes(marks: list[Mark], mapped: MappedText) -> list[Footnote]:
    out = []
    for mk in marks:
        pos = int(np.searchsorted(mapped.starts, mk.raw_end, side="left")) if len(mapped) else 0
        out.append(Footnote(mk.marker, pos, mk.raw_start, mk.raw_end, mk.text))
    return out


def _file_documents(path: Path, name: str, rel: str, context: _Context) -> tuple[list[Document], list[Issue]]:
    src = read_source(path)
    issues = [Issue(name, f"byte {offset}", message) for offset, message in src.damage]
    base: dict[str, Any] = dict(meta_from_name(path))
    try:
        base.update(meta_from_sidecar(path))
    except InputError as err:
        issues.append(Issue(err.path, err.place or "", err.detail))
    entry = context.entry(src.sha256, rel)
    docs = _documents(
        src.text,
        name,
        encoding=src.encoding,
        sha256=src.sha256,
        entry=entry,
        base=base,
        markdown=path.suffix.lower() == ".md",
        issues=issues,
    )
    if not docs:
        raise InputError(path, "no body text left after layout repair")
    return docs, issues


def _documents(
    raw: str,
    name: str,
    *,
    encoding: str,
    sha256: str,
    entry: FileEntry | None,
    base: dict[str, Any],
    markdown: bool,
    issues: list[Issue],
) -> list[Document]:
    """The documents of one decoded text: layout, pieces, repair, normalization, metadata."""
    from ..normalize import normalize

    lines = scan_lines(raw)
    info = analyse(lines)
    pieces, plan_issues = plan_pieces(lines, info, entry, name)
    issues.extend(plan_issues)
    if not pieces:
        return []
    base = dict(base)
    if info.journal:
        base.setdefault("outlet", info.journal.get("outlet"))
        base["issue"] = f"{info.journal.get('year')}年第{info.journal.get('issue')}期"
    if info.headers:
        base["running_headers"] = "；".join(info.headers)

    firsts = [next(k for k in range(p.first, len(lines)) if lines[k].kind == "text") for p in pieces]
    repaired = assemble(raw, lines, info, breaks=set(firsts))
    mapped = repaired.mapped
    if markdown:
        mapped = mapped.sub(_MARKDOWN, "")
    cut = [int(np.searchsorted(mapped.starts, lines[k].content_start, side="left")) for k in firsts]
    cut.append(len(mapped))
    raw_bounds = [lines[p.first].start for p in pieces] + [len(raw)]

    docs: list[Document] = []
    for n, piece in enumerate(pieces):
        body = _trim(mapped.slice(cut[n], cut[n + 1]))
        if not body.text:
            issues.append(
                Issue(name, f"line {piece.line_start}", "piece has no body text after repair; left out")
            )
            continue
        norm = normalize(body)
        lo, hi = raw_bounds[n], raw_bounds[n + 1]
        meta = dict(base)
        if entry is not None:
            meta.update(entry.meta)
        meta.update(piece.meta)
        _appendix(meta, lines, norm)
        notes = _footnotes([mk for mk in repaired.marks if lo <= mk.raw_start < hi], norm)
        _finish_meta(meta, norm.text, notes)
        docs.append(
            Document(
                doc=name,
                source=name,
                mapped=norm,
                raw=raw,
                meta=meta,
                encoding=encoding,
                sha256=sha256,
                line_start=piece.line_start,
                line_end=piece.line_end,
                footnotes=notes,
            )
        )
    if len(docs) > 1:
        for k, d in enumerate(docs, start=1):
            d.doc = f"{name}#{k}"
            d.meta["piece"] = k
    return docs


def read_text(text: str, *, name: str = "-") -> list[Document]:
    """Documents of a text given directly (``--text``, a notebook string): same repair, no file metadata."""
    import hashlib

    issues: list[Issue] = []
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _documents(
        text, name, encoding="utf-8", sha256=digest, entry=None, base={}, markdown=False, issues=issues
    )


def read_file(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    manifest: str | os.PathLike[str] | None = None,
) -> tuple[list[Document], list[Issue]]:
    """Documents of one file (several for a compilation); raise :class:`InputError` if unusable."""
    path_obj = Path(path)
    manifests = []
    if manifest is not None:
        manifests.append(load_manifest(manifest, path_obj.parent, warn_unmatched=False))
    shipped = _shipped_manifest()
    if shipped is not None:
        manifests.append(shipped)
    return _file_documents(path_obj, name or str(path), path_obj.name, _Context(manifests))


# --------------------------------------------------------------------------- folders


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _walk(root: Path, recursive: bool) -> list[Path]:
    """Relative paths of the directory entries under ``root`` (not directories), sorted."""
    found: list[Path] = []
    if recursive:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            base = Path(dirpath).relative_to(root)
            found.extend(base / f for f in filenames)  # symbolic links to folders are not followed
    else:
        found = [Path(e.name) for e in os.scandir(root) if not e.is_dir(follow_symlinks=False)]
    return sorted((p for p in found if not _is_hidden(p)), key=lambda p: p.as_posix())


def _is_sidecar(root: Path, rel: Path) -> bool:
    if rel.suffix.lower() != ".json":
        return False
    return any((root / rel.with_suffix(s)).exists() for s in SUFFIXES)


@dataclass(frozen=True)
class FileTask:
    """One supported file of a corpus: where it is, its document name, and its manifest path."""

    order: int  # position among the corpus entries (sorted relative paths)
    path: Path
    name: str
    rel: str


@dataclass
class FileOutcome:
    """What reading one file gave: its documents and issues, or why it was skipped."""

    task: FileTask
    documents: list[Document] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: Skipped | None = None
    matched: tuple[tuple[int, int], ...] = ()  # (manifest, entry) pairs the file matched


@dataclass
class CorpusPlan:
    """The files of a corpus in reading order, the manifests consulted, and files refused up front.

    Files can be read in any order or in other processes (:func:`read_task`); :meth:`finish`
    restores the single-process result from their outcomes.
    """

    tasks: list[FileTask]
    context: _Context
    skipped: list[tuple[int, Skipped]]  # (order, why) for unsupported files
    local_manifest: Path | None = None

    @property
    def manifest_files(self) -> list[Path]:
        """Every manifest consulted (their contents decide each file's metadata)."""
        return [m.source for m in self.context.manifests]

    def mark(self, matched: Iterable[tuple[int, int]]) -> None:
        """Record manifest entries that a file read elsewhere matched."""
        for mi, index in matched:
            self.context.manifests[mi].entries[index].matched = True

    def manifest_issues(self) -> list[Issue]:
        """Entries of the corpus's own manifest that matched no file (after every file is marked)."""
        if self.local_manifest is None:
            return []
        return self.context.manifests[0].unmatched_issues()

    def finish(self, outcomes: Iterable[FileOutcome]) -> IngestResult:
        """The :func:`read_corpus` result from the outcomes of every task, in any order."""
        events: list[tuple[int, FileOutcome | Skipped]] = list(self.skipped)
        for outcome in outcomes:
            self.mark(outcome.matched)
            events.append((outcome.task.order, outcome))
        result = IngestResult()
        for _, event in sorted(events, key=lambda e: e[0]):
            if isinstance(event, Skipped):
                result.skipped.append(event)
            elif event.skipped is not None:
                result.skipped.append(event.skipped)
            else:
                result.documents.extend(event.documents)
                result.issues.extend(event.issues)
        result.issues.extend(self.manifest_issues())
        return result


def plan_corpus(
    path: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
    recursive: bool = True,
    label: str | None = None,
) -> CorpusPlan:
    """The files :func:`read_corpus` would read, without reading them (same arguments, same errors)."""
    root = Path(path)
    given = label if label is not None else str(path)
    if not root.exists():
        raise InputError(given, "corpus folder not found")
    single = root.is_file()
    if single:
        rels = [Path(root.name)]
        root = root.parent
    else:
        rels = _walk(root, recursive)
    local = (
        Path(manifest)
        if manifest is not None
        else next((root / n for n in _MANIFEST_NAMES if (root / n).is_file()), None)
    )
    manifests: list[Manifest] = []
    if local is not None:
        manifests.append(load_manifest(local, root))
    shipped = _shipped_manifest()
    if shipped is not None and not (local is not None and local.resolve() == shipped.source.resolve()):
        manifests.append(shipped)

    plan = CorpusPlan([], _Context(manifests), [], local)
    for order, rel in enumerate(rels):
        if rel.as_posix() in _MANIFEST_NAMES or _is_sidecar(root, rel):
            continue
        name = _readable_name(given if single else os.path.join(given, str(rel)))
        if rel.suffix.lower() not in SUFFIXES:
            plan.skipped.append(
                (order, Skipped(name, f"unsupported file type ({rel.suffix or 'no extension'})"))
            )
            continue
        if _leaves_root(root, rel):
            plan.skipped.append((order, Skipped(name, "symbolic link to a file outside the corpus folder")))
            continue
        plan.tasks.append(FileTask(order, root / rel, name, _readable_name(rel.as_posix())))
    return plan


def _leaves_root(root: Path, rel: Path) -> bool:
    """Does a link (or a link in its path) lead out of the corpus folder? Such files are not read."""
    try:
        target = (root / rel).resolve()
    except (OSError, RuntimeError):  # a link loop: reading it will say so
        return False
    base = root.resolve()
    return target != base and base not in target.parents


def _readable_name(name: str) -> str:
    """A file name as text: names that are not UTF-8 (GBK names from a Windows zip) arrive with
    surrogate escapes, which no store or report can hold; read their bytes as GB18030 instead."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def read_task(task: FileTask, context: _Context) -> FileOutcome:
    """Read one planned file; an unusable file gives an outcome with ``skipped`` set, not an error."""
    recorder = _Context(context.manifests)
    readable = _readable_name(str(task.path)) == str(task.path)
    renamed = (
        [] if readable else [Issue(task.name, "name", "file name is not UTF-8; shown as read in GB18030")]
    )
    try:
        docs, issues = _file_documents(task.path, task.name, task.rel, recorder)
        issues = renamed + list(issues)
    except InputError as err:
        place = f" ({err.place})" if err.place else ""
        return FileOutcome(task, skipped=Skipped(task.name, err.detail + place), matched=tuple(recorder.hits))
    return FileOutcome(task, docs, issues, matched=tuple(recorder.hits))


def read_corpus(
    path: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
    recursive: bool = True,
    label: str | None = None,
) -> IngestResult:
    """Read every supported file under ``path`` (or ``path`` itself); bad files are skipped, not fatal.

    The manifest is ``manifest`` if given, else ``path/manifest.yaml`` if present; the shipped manifest
    (curated seed corpus) is always consulted after it. A manifest that cannot be read, or with a path
    leaving the corpus root, raises :class:`InputError`. ``label`` replaces the folder's path at the
    start of document names (the demo corpus is named ``demo/…`` wherever it is installed).
    """
    plan = plan_corpus(path, manifest=manifest, recursive=recursive, label=label)
    return plan.finish(read_task(task, plan.context) for task in plan.tasks)
