"""spaCy integration: the tagger as a registered pipeline component, DocBin export, displaCy view.

There is no offline trained Chinese pipeline, so the component runs in ``spacy.blank("zh")`` with
the jieba segmenter. Mentions come from the same engine as ``nqpf tag`` (raw-string matching on
the text), then snap to spaCy tokens: a term is never lost because jieba cut through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from .lexicon import load_lexicons
from .tag import Tagger

__all__ = ["SPANS_KEY", "NqpfTaggerComponent", "blank_pipeline", "export_docbin", "render_mentions"]

SPANS_KEY = "nqpf"


class NqpfTaggerComponent:
    """Writes every mention to ``doc.spans["nqpf"]`` and the non-overlapping ones to ``doc.ents``.

    Span labels are ``CATEGORY:ID`` (``region:320100``) so a span keeps both without extensions.
    """

    def __init__(self, nlp: Language, name: str, lexicons: list[str], shipped: bool, backend: str) -> None:
        self.name = name
        self.tagger = Tagger(load_lexicons(lexicons, shipped=shipped), backend=backend)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for m in self.tagger.match(doc.text):
            span = doc.char_span(m.start, m.end, label=f"{m.category}:{m.id}", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        ents: list[Span] = []
        last_end = -1
        for span in sorted(spans, key=lambda s: (s.start, -s.end)):
            if span.start >= last_end:
                ents.append(span)
                last_end = span.end
        doc.ents = ents
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(
    "nqpf_tagger",
    default_config={"lexicons": [], "shipped": True, "backend": "auto"},
    assigns=["doc.ents", "doc.spans"],
)
def make_nqpf_tagger(
    nlp: Language, name: str, lexicons: list[str], shipped: bool, backend: str
) -> NqpfTaggerComponent:
    return NqpfTaggerComponent(nlp, name, lexicons, shipped, backend)


def blank_pipeline(
    *, lexicons: list[str] | None = None, shipped: bool = True, backend: str = "auto"
) -> Language:
    """``spacy.blank("zh")`` with the jieba segmenter and the ``nqpf_tagger`` component."""
    import logging

    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe(
        "nqpf_tagger", config={"lexicons": list(lexicons or []), "shipped": shipped, "backend": backend}
    )
    return nlp


def export_docbin(texts: Iterable[tuple[str, str]], path: str | Path, *, nlp: Language | None = None) -> Path:
    """Tag ``(doc_name, normalized_text)`` pairs and save them as a spaCy DocBin."""
    from .atomic import atomic_write_bytes

    nlp = nlp or blank_pipeline()
    names, bodies = zip(*texts, strict=True) if texts else ((), ())
    bin_ = DocBin(store_user_data=True)
    for name, doc in zip(names, nlp.pipe(bodies), strict=True):
        doc.user_data["nqpf_doc"] = name
        bin_.add(doc)
    return atomic_write_bytes(path, bin_.to_bytes())


def render_mentions(doc: Doc, *, page: bool = True) -> str:
    """displaCy HTML of one document's mentions (its ``doc.spans["nqpf"]``)."""
    from spacy import displacy

    options: dict[str, Any] = {"spans_key": SPANS_KEY}
    return displacy.render(doc, style="span", options=options, page=page, jupyter=False)
