"""Word segmentation, sentences and paragraphs, and boilerplate flags.

Each :class:`Segmenter` owns its tokenizer (never jieba's module-wide ``jieba.dt``), so lexicon
words added for one run cannot leak into another. jieba is the reference; rjieba (the same
dictionary and algorithm in Rust, ~20× faster) is used when installed and asked for.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from itertools import accumulate
from pathlib import Path

from .errors import NqpfWarning
from .types import Document, Sentence, Span

__all__ = [
    "Segmenter",
    "cache_dir",
    "flag_boilerplate",
    "segment_document",
    "sentence_key",
    "split_paragraphs",
    "split_sentences",
]

_SENT_END = re.compile(r"[^\n。！？!?；;]*(?:[。！？!?；;]+[”’」』）)\"']*|\n|$)")
_KEY_DROP = re.compile(r"[\s\W_]+")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines of the repaired text (ingestion leaves one paragraph per line)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        pos = end + 1
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences end at 。！？!?；; (with any closing quotes) or at a paragraph break."""
    spans = []
    for m in _SENT_END.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def segment_document(doc: Document) -> Document:
    """Fill ``doc.paragraphs`` and ``doc.sentences`` (sentences never cross a paragraph)."""
    text = doc.text
    paragraphs = [Span(i, s, e) for i, (s, e) in enumerate(split_paragraphs(text))]
    sentences: list[Sentence] = []
    for para in paragraphs:
        for s, e in split_sentences(text[para.start : para.end]):
            sentences.append(Sentence(len(sentences), para.start + s, para.start + e, para.index))
    doc.paragraphs = paragraphs
    doc.sentences = sentences
    return doc


def sentence_key(sentence: str) -> str:
    """What two copies of a sentence share after punctuation and spacing are ignored."""
    return _KEY_DROP.sub("", sentence)


def flag_boilerplate(docs: Sequence[Document], *, min_docs: int = 3, min_chars: int = 12) -> int:
    """Flag (not delete) sentences that recur in ``min_docs`` or more documents; return how many."""
    seen: Counter[str] = Counter()
    keys: list[list[str]] = []
    for doc in docs:
        doc_keys = [sentence_key(doc.text[s.start : s.end]) for s in doc.sentences]
        keys.append(doc_keys)
        seen.update({k for k in doc_keys if len(k) >= min_chars})
    flagged = 0
    for doc, doc_keys in zip(docs, keys, strict=True):
        new = []
        for sent, key in zip(doc.sentences, doc_keys, strict=True):
            is_bp = seen.get(key, 0) >= min_docs
            flagged += is_bp
            new.append(Sentence(sent.index, sent.start, sent.end, sent.paragraph, is_bp) if is_bp else sent)
        doc.sentences = new
    return flagged


@cache
def reference_idf() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF table and its median (for words it lacks), as ``jieba.analyse``
    has them; read from the file directly, since importing ``jieba.analyse`` builds a POS tokenizer."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    table: dict[str, float] = {}
    with open(Path(spec.origin).parent / "analyse" / "idf.txt", encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().partition(" ")
            if word:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


@cache
def cache_dir() -> Path | None:
    """A writable cache folder for the tool, or None (with a warning) when there is none."""
    candidates = []
    if os.environ.get("NQPF_CACHE_DIR"):
        candidates.append(Path(os.environ["NQPF_CACHE_DIR"]))
    if os.environ.get("XDG_CACHE_HOME"):
        candidates.append(Path(os.environ["XDG_CACHE_HOME"]) / "nqpf_text")
    candidates.append(Path.home() / ".cache" / "nqpf_text")
    for path in candidates:
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return path
        except OSError:
            continue
    warnings.warn(
        "no writable cache directory (tried "
        + ", ".join(map(str, candidates))
        + "); jieba will start without a cache",
        NqpfWarning,
        stacklevel=2,
    )
    return None


class Segmenter:
    """Word segmenter with its own dictionary state.

    Parameters
    ----------
    user_words : iterable of str
        Words that must stay whole (every lexicon term is passed here).
    backend : {"auto", "jieba", "rjieba"}
        ``auto`` takes rjieba when it is installed, else jieba.
    hmm : bool
        jieba's HMM for unknown words (jieba backend only).
    """

    _BACKENDS = ("auto", "jieba", "rjieba")

    def __init__(self, user_words: Iterable[str] = (), *, backend: str = "jieba", hmm: bool = True) -> None:
        if backend not in self._BACKENDS:
            raise ValueError(
                f"The 'backend' parameter of Segmenter must be one of {self._BACKENDS}; got {backend!r}"
            )
        self.user_words = tuple(dict.fromkeys(w for w in user_words if w and not w.isspace()))
        self.backend = backend
        self.hmm = hmm
        self._impl = None
        self._cut: Callable[[str], list[str]] | None = None

    @property
    def backend_(self) -> str:
        if self.backend != "auto":
            return self.backend
        try:
            import rjieba  # noqa: F401
        except ImportError:
            return "jieba"
        return "rjieba"

    def _tokenizer(self):  # type: ignore[no-untyped-def]
        if self._impl is None:
            self._impl = (
                _build_rjieba(self.user_words) if self.backend_ == "rjieba" else _build_jieba(self.user_words)
            )
        return self._impl

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` for every token, offsets into ``text``."""
        impl = self._tokenizer()
        if self.backend_ == "rjieba":
            return [(w, s, e) for w, s, e in impl.tokenize(text)]
        return list(impl.tokenize(text, HMM=self.hmm))

    def cut(self, text: str) -> list[str]:
        cut = self._cut
        if cut is None:  # resolved once: the backend, its tokenizer and the bound method to call
            impl = self._tokenizer()
            cut = self._cut = impl.cut if self.backend_ == "rjieba" else partial(impl.lcut, HMM=self.hmm)
        return cut(text)

    def boundaries(self, text: str) -> set[int]:
        """Offsets where a token starts or ends."""
        out = set(accumulate(map(len, self.cut(text)), initial=0))
        out.add(len(text))
        return out


def _build_jieba(user_words: Sequence[str]):  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    folder = cache_dir()
    if folder is not None:
        tok.tmp_dir = str(folder)
    else:
        logging.getLogger("jieba").setLevel(logging.CRITICAL)  # its failed cache dump is not an error for us
    tok.initialize()
    for word in user_words:
        tok.add_word(word)
    return tok


def _build_rjieba(user_words: Sequence[str]):  # type: ignore[no-untyped-def]
    import rjieba

    tok = rjieba.Jieba()
    for word in user_words:
        tok.add_word(word, None, None)
    return tok
