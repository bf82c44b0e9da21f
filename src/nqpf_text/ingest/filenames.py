"""Metadata a user's file names and sidecar files already carry (year, issuing region, kind, title, date).

`2025年广东省政府工作报告.txt` says the year, the issuing province and the kind of document; news
items often come with a `.json` sidecar (title, date, outlet). Region ids come from the shipped regions
lexicon, so file names and tagging agree on codes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["meta_from_name", "meta_from_sidecar", "normalize_date", "region_names", "sidecar_path"]

_KINDS = (
    ("政府工作报告", "government work report"),
    ("政府工作報告", "government work report"),
    ("施政报告", "policy address"),
    ("施政報告", "policy address"),
    ("财政预算案", "budget speech"),
    ("財政預算案", "budget speech"),
)
_ASCII_REGIONS = {"hk": "810000", "hongkong": "810000", "macau": "820000", "macao": "820000"}
_YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YMD_RX = re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


@cache
def region_names() -> tuple[tuple[str, str], ...]:
    """(surface form, region id) for provinces and prefecture-level cities, longest forms first."""
    import yaml

    from ..resources import lexicon_dir

    path = lexicon_dir() / "regions.yaml"
    pairs: dict[str, str] = {}
    # our own file: libyaml's safe loader when it is there (5x faster than pure Python)
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    reader = loader(path.read_text(encoding="utf-8"))
    try:
        data = reader.get_single_data() or {}
    finally:
        reader.dispose()
    for entry in data.get("entries", []):
        if entry.get("level") not in {"province", "city"}:
            continue
        rid = str(entry["id"])
        forms = [entry.get("name", ""), *entry.get("terms", [])]
        for form in forms:
            term = form.get("term", "") if isinstance(form, dict) else str(form)
            if len(term) >= 2:
                pairs.setdefault(term, rid)
    return tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))


@cache
def _region_index() -> tuple[dict[str, str], tuple[int, ...]]:
    """Surface form → region id, and the form lengths, longest first."""
    forms = dict(region_names())
    return forms, tuple(sorted({len(term) for term in forms}, reverse=True))


def region_from_text(text: str) -> str | None:
    """Region id of the longest province or city name in ``text`` (earliest on ties).

    Looks up every substring of each name length instead of searching for every name.
    """
    forms, lengths = _region_index()
    for size in lengths:
        for pos in range(len(text) - size + 1):
            rid = forms.get(text[pos : pos + size])
            if rid is not None:
                return rid
    return None


def meta_from_name(path: Path) -> dict[str, Any]:
    """Year, date, issuing region and kind read off a file name."""
    stem = path.stem
    meta: dict[str, Any] = {}
    ymd = _YMD_RX.search(stem)
    if ymd:
        meta["date"] = "-".join(ymd.groups())
        meta["year"] = int(ymd.group(1))
    year = _YEAR_RX.search(stem)
    if year:
        meta["year"] = int(year.group(1))
    region = region_from_text(stem)
    if region is None:
        tokens = re.split(r"[^a-z]+", stem.lower())
        region = next((_ASCII_REGIONS[t] for t in tokens if t in _ASCII_REGIONS), None)
    if region is not None:
        meta["focal_region"] = region
    for word, kind in _KINDS:
        if word in stem:
            meta["kind"] = kind
            meta.setdefault("title", stem)
            break
    return meta


def normalize_date(value: Any) -> str | None:
    """ISO ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY``) from the date forms found in sidecars and manifests."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    m = re.match(r"^(\d{4})(?:[-/.年](\d{1,2}))?(?:[-/.月](\d{1,2}))?日?(?:[T\s].*)?$", text)
    if m:
        parts = [m.group(1)] + [f"{int(g):02d}" for g in m.groups()[1:] if g]
        return "-".join(parts)
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def sidecar_path(path: Path) -> Path:
    return path.with_suffix(".json")


def meta_from_sidecar(path: Path) -> dict[str, Any]:
    """Title, date, outlet and kind from ``<name>.json`` next to a text file (absent → empty)."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(side, f"unreadable metadata sidecar ({type(err).__name__}: {err})") from err
    if not isinstance(data, dict):
        raise InputError(side, "metadata sidecar is not a JSON object")
    meta: dict[str, Any] = {}
    for key in ("title", "author", "speaker", "affiliation", "outlet", "kind"):
        if isinstance(data.get(key), str) and data[key].strip():
            meta["author" if key == "speaker" else key] = data[key].strip()
    when = normalize_date(data.get("date"))
    if when:
        meta["date"] = when
        meta["year"] = int(when[:4])
    genre = str(data.get("genre", ""))
    if genre and "kind" not in meta and re.search(r"news|新闻|新聞", genre, re.I):
        meta["kind"] = "news report"
    if genre and "outlet" not in meta:
        outlet = re.search(r"[\u4e00-\u9fff]{2,}", genre)
        if outlet:
            meta["outlet"] = outlet.group()
    if data.get("original_url"):
        meta["url"] = str(data["original_url"])
    return meta
