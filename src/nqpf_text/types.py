"""Plain records passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .offsets import MappedText

__all__ = [
    "Document",
    "Footnote",
    "IndicatorLink",
    "Issue",
    "Mention",
    "Sentence",
    "Skipped",
    "Span",
    "Statement",
]


@dataclass(frozen=True)
class Skipped:
    """An input file (or part of one) that was not processed, and why."""

    file: str
    reason: str


@dataclass(frozen=True)
class Issue:
    """Damage found in an input that was still processed (a bad byte, an unmatched manifest entry)."""

    file: str
    place: str
    message: str


@dataclass(frozen=True)
class Footnote:
    """A footnote or reference marker taken out of the body text, kept with its position."""

    marker: str
    start: int  # position in the normalized text where the marker stood
    raw_start: int
    raw_end: int
    text: str = ""


@dataclass(frozen=True)
class Span:
    """A paragraph or sentence: ``text[start:end]`` of its document."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence(Span):
    paragraph: int = 0
    boilerplate: bool = False


@dataclass(eq=False)
class Document:
    """One document: normalized text, the map back to its source file, and metadata.

    ``doc`` is the contract's document name: the path as given, plus ``#N`` for the N-th piece of a
    compilation. ``mapped`` maps ``text`` to character offsets in ``raw`` (the decoded source file).
    """

    doc: str
    source: str
    mapped: MappedText
    raw: str
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    sha256: str = ""
    line_start: int = 1
    line_end: int = 1
    footnotes: list[Footnote] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.mapped.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.mapped.raw_span(start, end)


@dataclass(frozen=True)
class Mention:
    """A lexicon entry found in a document (``text == document.text[start:end]``)."""

    doc: str
    start: int
    end: int
    text: str
    category: str
    id: str
    name: str = ""
    term: str = ""
    group: str | None = None
    role: str | None = None
    province: str | None = None
    macro: str | None = None
    lexicon: str = ""
    sentence: int = -1
    boilerplate: bool = False
    extra: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "id": self.id,
            "name": self.name,
        }
        for key in ("group", "role", "province", "macro"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["term"] = self.term
        out["lexicon"] = self.lexicon
        out["sentence"] = self.sentence
        out["boilerplate"] = self.boilerplate
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class IndicatorLink:
    indicator: str
    score: float
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] = ()  # offsets of the evidence terms in the document text


@dataclass(frozen=True)
class Statement:
    """A sentence with the indicators it links to, best first."""

    doc: str
    statement: int
    start: int
    end: int
    text: str
    links: tuple[IndicatorLink, ...]
    boilerplate: bool = False
