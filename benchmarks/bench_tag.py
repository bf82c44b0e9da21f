"""Tagging throughput on the whole corpus against jieba.lcut on the same text, in the same run.

    python benchmarks/bench_tag.py [--corpus ../shared/corpus] [--repeat 3]

Prints chars/s of: jieba.lcut (the baseline), the tagger (raw-string matching plus the word-boundary
checks it needs, which segment only the sentences holding a short candidate), and the matching step
alone; and the ratios to the baseline. Machines are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def best_of(repeat: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import jieba

    from nqpf_text.pipeline import ingest
    from nqpf_text.tag import Tagger

    docs, _ = ingest(args.corpus)
    texts = [d.text for d in docs]
    chars = sum(map(len, texts))
    tagger = Tagger()
    tagger.match(texts[0])  # warm: segmenter dictionary, automaton
    jieba.setLogLevel(60)
    jieba.initialize()
    index = tagger._index  # the matching step alone: Aho-Corasick + overlap policy

    rows = [
        ("jieba.lcut (baseline)", best_of(args.repeat, lambda: [jieba.lcut(t) for t in texts])),
        (
            f"tagger.match ({tagger._segmenter.backend_} boundaries)",
            best_of(args.repeat, lambda: [tagger.match(t) for t in texts]),
        ),
        ("term matching alone", best_of(args.repeat, lambda: [index.find(t) for t in texts])),
    ]
    base = rows[0][1]
    print(f"corpus: {len(texts)} documents, {chars:,} characters; best of {args.repeat}")
    print(f"{'stage':<40} {'seconds':>9} {'chars/s':>12} {'× jieba':>8}")
    for name, secs in rows:
        print(f"{name:<40} {secs:>9.3f} {chars / secs:>12,.0f} {base / secs:>8.1f}")


if __name__ == "__main__":
    main()
