"""Precision, recall and F1 of the tagger against annotated sentences (gold JSONL)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["evaluate_tags", "prf", "read_gold"]


def read_gold(path: str | Path, *, required: tuple[str, ...] = ("text",)) -> list[dict[str, Any]]:
    """Gold records, one JSON object per line; a bad line is an error naming its number."""
    path = Path(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"invalid JSON: {exc.msg}", f"line {number}") from None
        if not isinstance(record, dict) or any(k not in record for k in required):
            raise InputError(path, f"each line must be an object with {list(required)}", f"line {number}")
        record["_line"] = number
        records.append(record)
    if not records:
        raise InputError(path, "no gold records")
    return records


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate_tags(gold_path: str | Path, tagger: Any) -> dict[str, Any]:
    """Score exact (start, end, category, id) matches, per category annotated in each record.

    A record lists the categories it annotates fully (``categories``); predictions of other
    categories in that record are not counted, so gold files can cover one category each.
    """
    counts: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    for record in read_gold(gold_path, required=("text", "mentions")):
        cats = set(record.get("categories") or {m["category"] for m in record["mentions"]})
        gold = {
            (m["start"], m["end"], m["category"], str(m["id"]))
            for m in record["mentions"]
            if m["category"] in cats
        }
        pred = {
            (m.start, m.end, m.category, m.id) for m in tagger.tag_text(record["text"]) if m.category in cats
        }
        for cat in cats:
            c = counts.setdefault(cat, Counter())
            g = {x for x in gold if x[2] == cat}
            p = {x for x in pred if x[2] == cat}
            c["tp"] += len(g & p)
            c["fp"] += len(p - g)
            c["fn"] += len(g - p)
        if gold != pred:
            errors.append(
                {
                    "line": record["_line"],
                    "text": record["text"],
                    "missing": sorted(gold - pred),
                    "extra": sorted(pred - gold),
                }
            )
    per = {cat: prf(c["tp"], c["fp"], c["fn"]) for cat, c in sorted(counts.items())}
    total = Counter()
    for c in counts.values():
        total.update(c)
    return {"micro": prf(total["tp"], total["fp"], total["fn"]), "categories": per, "errors": errors}
