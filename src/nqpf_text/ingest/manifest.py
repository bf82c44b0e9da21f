"""Corpus manifest: curated metadata for files (and the pieces of compilations), matched by SHA-256.

Matching on the hash of the bytes means a renamed or moved file keeps its metadata, and an edited
file does not silently inherit metadata written for another text. Manifest values override what
detection finds. Format::

    manifest: 1
    files:
      - sha256: <64 hex digits>          # or `path:` alone (relative to the corpus root)
        path: 001_e0edea38aaf4c3b6.txt    # optional; must stay inside the corpus root
        title: ...                        # any document field: title, date, date_inferred, date_cue,
        kind: compilation                 #   author, affiliation, outlet, kind, focal_region, year
        split: manual                     # auto (detect), manual (the pieces below), none (one document)
        drop: [{lines: [64, 64], role: title}]     # raw lines that are not body text
        pieces:
          - line: 1                       # raw line (1-based) where the piece starts
            cue: 中共中央政治局            # optional: the start of that line, checked on load
            title: ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import Issue
from .filenames import normalize_date

__all__ = ["FileEntry", "Manifest", "PieceEntry", "load_manifest"]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class PieceEntry:
    line: int
    meta: dict[str, Any]
    cue: str | None = None
    drop: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class FileEntry:
    index: int
    sha256: str | None
    path: str | None
    meta: dict[str, Any]
    pieces: list[PieceEntry] | None = None
    drop: list[tuple[int, int, str]] = field(default_factory=list)
    split: str = "auto"  # auto: detect pieces; manual: the `pieces` list; none: one document
    matched: bool = False


@dataclass
class Manifest:
    source: Path
    entries: list[FileEntry]
    warn_unmatched: bool = True

    def lookup(self, sha256: str, rel: str) -> FileEntry | None:
        for entry in self.entries:
            if entry.sha256 == sha256 or (entry.sha256 is None and entry.path == rel):
                entry.matched = True
                return entry
        return None

    def unmatched_issues(self) -> list[Issue]:
        """Entries no file used: a duplicate of an earlier entry says so, others match no file."""
        if not self.warn_unmatched:
            return []
        first: dict[tuple[str, str], int] = {}
        issues = []
        for e in self.entries:
            key = ("sha256", e.sha256) if e.sha256 is not None else ("path", str(e.path))
            earlier = first.setdefault(key, e.index)
            if e.matched:
                continue
            if earlier != e.index:
                message = f"manifest entry {key[1]} duplicates files[{earlier}] (same {key[0]}); only the first is used"
            else:
                message = (
                    f"manifest entry {e.path or e.sha256} matches no file in the corpus (sha256 {e.sha256})"
                )
            issues.append(Issue(str(self.source), f"files[{e.index}]", message))
        return issues


def _year(value: Any, where: str, source: Path) -> int:
    whole_float = isinstance(value, float) and value.is_integer()
    digits = isinstance(value, int | str) and not isinstance(value, bool) and str(value).strip().isdigit()
    if not (whole_float or digits):
        raise InputError(source, f"year must be a whole number, got {value!r}", f"{where}.year")
    return int(value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | date)


def _clean_meta(raw: dict[str, Any], where: str, source: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, value in raw.items():
        if key in {"sha256", "path", "pieces", "drop", "line", "cue", "split"}:
            continue
        if not (_scalar(value) or (isinstance(value, list) and all(_scalar(v) for v in value))):
            raise InputError(
                source,
                f"{key} must be a string, a number or a list of them, got a {type(value).__name__}",
                f"{where}.{key}",
            )
        if key == "date" and value is None:
            meta["date"] = None  # curated: the text gives no date (do not infer one)
        elif key == "date":
            iso = normalize_date(value)
            if iso is None:
                raise InputError(source, f"unreadable date {value!r}", f"{where}.date")
            meta["date"] = iso
        elif key == "focal_region":
            meta[key] = None if value is None else str(value)
        elif key == "year":
            meta[key] = _year(value, where, source)
        elif key == "date_inferred":
            meta[key] = bool(value)
        elif isinstance(value, date):
            meta[key] = value.isoformat()
        elif isinstance(value, list):
            meta[key] = "、".join(str(v) for v in value)
        else:
            meta[key] = value
    if meta.get("date") and "year" not in meta:
        meta["year"] = int(meta["date"][:4])
    return meta


def _drops(raw: Any, where: str, source: Path) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    if raw is not None and not isinstance(raw, list):
        raise InputError(source, "drop must be a list of {lines: [first, last], role: ...}", f"{where}.drop")
    for k, item in enumerate(raw or []):
        try:
            first, last = (int(x) for x in item["lines"])
            role = str(item.get("role", "title"))
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(
                source, "drop needs {lines: [first, last], role: ...}", f"{where}.drop[{k}]"
            ) from err
        out.append((first, last, role))
    return out


def _inside(root: Path, rel: str) -> bool:
    target = Path(rel)
    if target.is_absolute():
        return False
    resolved = (root / target).resolve()
    base = root.resolve()
    return resolved == base or base in resolved.parents


def _entry(index: int, raw: Any, source: Path, root: Path | None) -> FileEntry:
    where = f"files[{index}]"
    if not isinstance(raw, dict):
        raise InputError(source, "each file entry must be a mapping", where)
    sha = raw.get("sha256")
    sha = str(sha).lower() if sha is not None else None
    if sha is not None and not _HEX64.match(sha):
        raise InputError(
            source, f"sha256 must be 64 hex digits, got {raw.get('sha256')!r}", f"{where}.sha256"
        )
    rel = raw.get("path")
    rel = str(rel) if rel is not None else None
    if rel is not None and root is not None and not _inside(root, rel):
        raise InputError(source, f"path {rel!r} leaves the corpus root; refused", f"{where}.path")
    if sha is None and rel is None:
        raise InputError(source, "a file entry needs sha256 or path", where)
    pieces = None
    if raw.get("pieces") is not None:
        if not isinstance(raw["pieces"], list):
            raise InputError(source, "pieces must be a list of {line: N, ...}", f"{where}.pieces")
        pieces = []
        for k, p in enumerate(raw["pieces"]):
            pwhere = f"{where}.pieces[{k}]"
            if not isinstance(p, dict) or not isinstance(p.get("line"), int) or p["line"] < 1:
                raise InputError(source, "a piece needs `line`, a raw line number ≥ 1", pwhere)
            cue = p.get("cue")
            pieces.append(
                PieceEntry(
                    int(p["line"]),
                    _clean_meta(p, pwhere, source),
                    str(cue) if cue else None,
                    _drops(p.get("drop"), pwhere, source),
                )
            )
        pieces.sort(key=lambda pe: pe.line)
    split = str(raw.get("split", "manual" if pieces is not None else "auto"))
    if split not in {"auto", "manual", "none"}:
        raise InputError(source, f"split must be auto, manual or none, got {split!r}", f"{where}.split")
    if split == "manual" and pieces is None:
        raise InputError(source, "split: manual needs a `pieces` list", where)
    return FileEntry(
        index,
        sha,
        rel,
        _clean_meta(raw, where, source),
        pieces,
        _drops(raw.get("drop"), where, source),
        split,
    )


@lru_cache(maxsize=8)
def _read_yaml(path: str, mtime_ns: int) -> Any:
    """Parsed manifest, cached per file version (the shipped manifest is read for every file)."""
    import yaml

    from ..lexicon import MAX_ALIAS_EXPANSION, _expanded_size

    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None and "*" in text and _expanded_size(node, {}) > MAX_ALIAS_EXPANSION:
        raise InputError(path, f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes; refused")
    return yaml.safe_load(text) or {}


def load_manifest(
    path: str | Path, root: str | Path | None = None, *, warn_unmatched: bool = True
) -> Manifest:
    """Read a manifest; raise :class:`InputError` for bad YAML, bad fields or paths outside ``root``."""
    import yaml

    path = Path(path)
    try:
        data = _read_yaml(str(path), path.stat().st_mtime_ns)
    except OSError as err:
        raise InputError(path, f"cannot read manifest: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise InputError(path, f"manifest is not UTF-8 text ({err.reason})", f"byte {err.start}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else None
        raise InputError(path, f"invalid YAML: {getattr(err, 'problem', err)}", place) from err
    if not isinstance(data, dict) or not isinstance(data.get("files", []), list):
        raise InputError(path, "a manifest is a mapping with a `files` list")
    root_path = Path(root) if root is not None else None
    entries = [_entry(i, raw, path, root_path) for i, raw in enumerate(data.get("files") or [])]
    return Manifest(path, entries, warn_unmatched)
