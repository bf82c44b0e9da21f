"""Pipeline speed, memory and scaling on synthetic corpora, against jieba measured in the same run.

    python benchmarks/bench_pipeline.py [--sizes 1,10,100] [--workers 2] [--sample-mb 4]

Each corpus (1, 10, 100 MB of UTF-8 text by default) is built by recombining the clauses of the
sentences of ../shared/corpus and ../shared/external (seeded; whole sentences would repeat so often
that every cache and boilerplate rule would fire), written to a temporary folder that is removed
afterwards. Measured:

- chars/s of each stage on one core, on a sample of the corpus: ingest (decode, layout repair,
  normalize), segment, tag, link; and on the same texts
  ``jieba.lcut`` and a dictionary-counting baseline written the way peer tools do it (a jieba
  tokenizer with ``add_word`` for every lexicon term, then counting the tokens found in a list of
  the terms); ratios tag / baseline and end to end / jieba;
- ``nqpf run`` end to end (store and reports included, interpreter start-up not) with 1 worker and
  with N workers on a cold cache, again on the unchanged corpus, and after one entry of a user
  lexicon changed (re-tag from the cached ingestion);
- peak RSS of the main process and of the largest worker (``getrusage``);
- ``nqpf --help`` start-up time.

Machines differ: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUN_ONE = r"""
import json, resource, sys, time
from nqpf_text.pipeline import run
corpus, out, workers, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
lexicons = [sys.argv[5]] if sys.argv[5] != "-" else []
t0 = time.perf_counter()
summary = run(corpus, out, workers=workers, cache=cache, lexicons=lexicons)
seconds = time.perf_counter() - t0
print(json.dumps({
    "seconds": seconds,
    "phases": summary.stats.get("seconds", {}),
    "documents": summary.documents,
    "chars": summary.stats["chars"],
    "rss_main": summary.stats.get("peak_rss_mb", {}).get("end", 0) * 1024,  # VmHWM: not the launcher's
    "rss_workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "cpu_main": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    "cpu_workers": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
    "peak_rss_mb": summary.stats.get("peak_rss_mb", {}),
    "stats": {k: v for k, v in summary.stats.items() if k not in ("seconds", "peak_rss_mb")},
}))
"""


# --------------------------------------------------------------------------- synthetic corpus


def clauses(shared: Path) -> list[str]:
    """Clauses (text between ，and sentence ends) of every document under corpus/ and external/."""
    from nqpf_text.ingest import read_corpus
    from nqpf_text.segment import split_sentences

    found: list[str] = []
    for folder in (shared / "corpus", shared / "external"):
        for doc in read_corpus(folder).documents:
            for start, end in split_sentences(doc.text):
                sentence = doc.text[start:end].rstrip("。！？；!?;")
                found += [c for c in sentence.split("，") if len(c) >= 4]
    return sorted(set(found))


def build_corpus(folder: Path, megabytes: float, pool: list[str], seed: int = 7) -> tuple[int, int]:
    """Files of 2–40 KB until ``megabytes`` of UTF-8; return (files, bytes)."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    written = files = 0
    while written < target:
        size = rng.randint(2_000, 40_000)
        paragraphs, length = [], 0
        while length < size:
            sentences = []
            for _ in range(rng.randint(2, 6)):
                sentences.append("，".join(rng.choice(pool) for _ in range(rng.randint(1, 4))) + "。")
            paragraph = "".join(sentences)
            paragraphs.append(paragraph)
            length += len(paragraph.encode("utf-8"))
        data = (
            "关于推动新质生产力发展的报告之" + str(files + 1) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        ).encode("utf-8")
        sub = folder / f"part{files // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"synth_{files:06d}.txt").write_bytes(data)
        written += len(data)
        files += 1
    return files, written


# --------------------------------------------------------------------------- one-core stages


def timed(func: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    value = func()
    return value, time.perf_counter() - t0


def stage_rates(corpus: Path, sample_mb: float, baseline_mb: float) -> dict[str, float]:
    """chars/s per stage on one core, plus jieba.lcut and the dictionary-counting baseline."""
    import jieba

    from nqpf_text.ingest.corpus import plan_corpus, read_task
    from nqpf_text.lexicon import load_lexicons
    from nqpf_text.link import Framework, IndicatorLinker
    from nqpf_text.segment import segment_document
    from nqpf_text.tag import Tagger

    plan = plan_corpus(corpus)
    tagger = Tagger(load_lexicons())
    framework = Framework.load("hqe21")
    linker = IndicatorLinker(framework).fit()
    tagger.match("南京市集中部署中部地区")  # build the segmenters outside the timings
    linker.link_statements(["研发经费投入强度提高"])
    spent = dict.fromkeys(("ingest", "segment", "tag", "link"), 0.0)
    docs, total = [], 0
    for task in plan.tasks:
        outcome, s = timed(lambda task=task: read_task(task, plan.context))
        spent["ingest"] += s
        for doc in outcome.documents:
            _, s = timed(lambda doc=doc: segment_document(doc))
            spent["segment"] += s
            _, s = timed(lambda doc=doc: tagger.tag_document(doc))
            spent["tag"] += s
            docs.append(doc)
            total += len(doc.text)
        if total >= sample_mb * 1_000_000 / 3:  # ~3 UTF-8 bytes per character
            break
    for doc in docs:
        texts = [doc.text[x.start : x.end] for x in doc.sentences]
        _, s = timed(lambda doc=doc, texts=texts: linker.link_statements(texts, doc=doc.doc))
        spent["link"] += s
    rates = {k: total / v for k, v in spent.items()}
    rates["pipeline (one core)"] = total / sum(spent.values())

    texts = [d.text for d in docs]
    jieba.setLogLevel(60)
    jieba.initialize()
    rates["jieba.lcut"] = total / best_of(3, lambda: [jieba.lcut(t) for t in texts])
    rates["tag"] = total / min(spent["tag"], best_of(3, lambda: [tagger.tag_document(d) for d in docs]))

    terms = tagger.user_words
    peer = jieba.Tokenizer()
    peer.initialize()
    for term in terms:
        peer.add_word(term)
    sample, n = [], 0
    for t in texts:
        sample.append(t)
        n += len(t)
        if n >= baseline_mb * 1_000_000 / 3:
            break

    def count_in_list() -> list[dict[str, int]]:
        out = []
        for t in sample:
            found: dict[str, int] = {}
            for word in peer.lcut(t):
                if word in terms:  # a list, as peer tools keep their dictionaries
                    found[word] = found.get(word, 0) + 1
            out.append(found)
        return out

    rates["dictionary counting (peers)"] = n / best_of(2, count_in_list)
    return rates


def best_of(repeat: int, func: Callable[[], Any]) -> float:
    """Fewest seconds of ``repeat`` runs (other processes only ever add time)."""
    return min(timed(func)[1] for _ in range(repeat))


# --------------------------------------------------------------------------- whole runs


USER_LEXICON = """\
lexicon: bench_watch
version: "1"
category: concept
entries:
  - id: watch.1
    name: 低空经济
    terms: [低空经济]
"""


def run_once(corpus: Path, out: Path, workers: int, lexicon: Path | None = None) -> dict[str, Any]:
    """``run()`` in a fresh interpreter: seconds inside run(), phases, peak RSS, CPU seconds."""
    proc = subprocess.run(
        [sys.executable, "-c", RUN_ONE, str(corpus), str(out), str(workers), "1", str(lexicon or "-")],
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 3):
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def help_time(repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nqpf_text.cli", "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def python_start(repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--sizes", default="1,10,100", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sample-mb", type=float, default=4.0, help="text measured stage by stage")
    parser.add_argument("--baseline-mb", type=float, default=0.5, help="text for the (slow) peer baseline")
    parser.add_argument("--skip-single", action="store_true", help="no 1-worker run (saves time at 100 MB)")
    args = parser.parse_args()

    shared = Path(args.shared)
    sizes = [float(s) for s in args.sizes.split(",") if s]
    pool = clauses(shared)
    print(f"{len(pool):,} distinct clauses from {shared.name}/corpus and {shared.name}/external", flush=True)
    print(f"nqpf --help: {help_time():.3f} s (python -c pass: {python_start():.3f} s)", flush=True)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    rows = []
    rates: dict[str, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="nqpf-bench-") as tmp:
            corpus = Path(tmp) / "corpus"
            files, nbytes = build_corpus(corpus, size, pool)
            print(f"\n== {size:g} MB: {files} files, {nbytes:,} bytes", flush=True)
            if not rates and (size >= args.sample_mb or size == sizes[-1]):
                rates = stage_rates(corpus, args.sample_mb, args.baseline_mb)
                print_rates(rates)
            lexicon = Path(tmp) / "watch.yaml"
            lexicon.write_text(USER_LEXICON, encoding="utf-8")
            row: dict[str, Any] = {"size": size, "files": files}
            if not args.skip_single:
                row["w1"] = run_once(corpus, Path(tmp) / "out1", 1, lexicon)
                shutil.rmtree(Path(tmp) / "out1")
            row["wn"] = run_once(corpus, Path(tmp) / "outn", args.workers, lexicon)
            row["again"] = run_once(corpus, Path(tmp) / "outn", args.workers, lexicon)
            lexicon.write_text(USER_LEXICON.replace("[低空经济]", "[低空经济, 新质生产力]"), encoding="utf-8")
            row["retag"] = run_once(corpus, Path(tmp) / "outn", args.workers, lexicon)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print_runs(rows, args.workers, rates)


def print_rates(rates: dict[str, float]) -> None:
    jieba_rate = rates["jieba.lcut"]
    print(f"{'stage (one core)':<32} {'chars/s':>12} {'× jieba.lcut':>13}")
    for name, rate in rates.items():
        print(f"{name:<32} {rate:>12,.0f} {rate / jieba_rate:>13.2f}")
    print(
        f"tagging vs dictionary counting: {rates['tag'] / rates['dictionary counting (peers)']:.1f}×",
        flush=True,
    )


def print_runs(rows: list[dict[str, Any]], workers: int, rates: dict[str, float]) -> None:
    jieba_rate = rates["jieba.lcut"]
    print(
        f"\n{'MB':>4} {'chars':>11} {'1w s':>7} {'1w chars/s':>10} {'×jieba':>6} {'text ×jieba':>11} "
        f"{f'{workers}w s':>7} {'speed-up':>8} {'again s':>7} {'×faster':>7} {'re-tag s':>8} "
        f"{'RSS text':>8} {'RSS main':>8} {'RSS 1w':>7} {'RSS wkr':>7}"
    )
    for r in rows:
        wn, again, retag = r["wn"], r["again"], r["retag"]
        chars = wn["chars"]
        w1 = r.get("w1")
        if w1:
            text = chars / w1["phases"]["collect"] / jieba_rate
            one = f"{w1['seconds']:>7.1f} {chars / w1['seconds']:>10,.0f} {chars / w1['seconds'] / jieba_rate:>6.2f} {text:>11.2f}"
            speed = f"{w1['seconds'] / wn['seconds']:>8.2f}"
        else:
            one, speed = " " * 37, " " * 8
        print(
            f"{r['size']:>4g} {chars:>11,} {one} {wn['seconds']:>7.1f} {speed} {again['seconds']:>7.2f} "
            f"{wn['seconds'] / again['seconds']:>7.1f} {retag['seconds']:>8.1f} "
            f"{wn['peak_rss_mb'].get('collect', 0):>7.0f}M {wn['rss_main'] / 1024:>7.0f}M "
            f"{(w1 or {}).get('rss_main', 0) / 1024:>6.0f}M {wn['rss_workers'] / 1024:>6.0f}M"
        )
    print(
        "1w/Nw: cold runs (cache empty) with 1 and N workers; 'text ×jieba': ingest → link only (no store, no"
        " reports) on one core; again: unchanged corpus; re-tag: one lexicon entry edited (re-tag only);"
        " RSS text: main process after ingest → link; RSS main: its peak with store and reports (RSS 1w: the"
        " same with one worker, everything in one process); RSS wkr:"
        " largest child process, a text worker or (N > 1) the store's, the candidate terms' or the"
        " workbook's (all forked: the figure counts pages shared with the main process)."
    )
    for r in rows:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["wn"]["phases"].items())
        print(f"{r['size']:g} MB, {workers} workers: {phases}; worker CPU {r['wn']['cpu_workers']:.0f} s")


if __name__ == "__main__":
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1024:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    main()
