"""The DuckDB store: the only module that writes SQL.

A store is written whole into a temporary file next to its target and renamed into place, so a
run killed half-way leaves the previous store intact, never a truncated one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["STORE_NAME", "TABLES", "export_jsonl", "read_table", "write_store"]

STORE_NAME = "nqpf.duckdb"
# DuckDB's buffer while writing. Each table is committed and checkpointed on its own: rows of an open
# transaction stay in memory whatever this limit says (100 MB corpus: +520 MB in one transaction,
# about +200 MB table by table). The temporary file, renamed into place at the end, keeps the store whole.
MEMORY_LIMIT = "128MB"
TEXT_CHUNK = 1 << 22  # characters of text handed to DuckDB at once (see _pieces)
_LONG_TEXT = 256  # characters from which a text is copied before DuckDB reads it
TABLES = (
    "documents", "paragraphs", "sentences", "footnotes", "skipped", "warnings", "mentions", "links", "meta",
)  # fmt: skip


def _connect(path: Path, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    import duckdb

    return duckdb.connect(str(path), read_only=read_only)


def write_store(
    path: str | Path,
    tables: Mapping[str, pd.DataFrame | Iterable[pd.DataFrame]],
    *,
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Write every table to a temporary file, then rename it over ``path``.

    A table may come as an iterable of frames with the same columns (chunks): one is in memory at a
    time.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove(tmp)
    con = _connect(tmp)
    try:
        con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
        for name, frame in tables.items():
            _create(con, name, frame)
            con.execute("CHECKPOINT")
        meta_rows = pd.DataFrame(
            sorted(
                (str(k), json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in (meta or {}).items()
            ),
            columns=["key", "value"],
        )
        _create(con, "meta", meta_rows)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    con.close()
    os.replace(tmp, path)
    tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return path


def _remove(tmp: Path) -> None:
    """A temporary store and its write-ahead log."""
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _create(con: Any, name: str, frames: pd.DataFrame | Iterable[pd.DataFrame]) -> None:
    if not name.isidentifier():
        raise ValueError(f"table name must be an identifier; got {name!r}")
    statement = f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame'
    insert = f'INSERT INTO "{name}" SELECT * FROM _frame'
    for frame in [frames] if isinstance(frames, pd.DataFrame) else frames:
        frame = _storable(frame)
        for piece in _pieces(frame):
            if piece is not frame and statement != insert:  # types from the whole frame, not a slice
                _run(con, statement + " LIMIT 0", frame)
                statement = insert
            _run(con, statement, piece)
            statement = insert
    if statement != insert:
        raise ValueError(f"table {name!r} came as no frames at all")


def _run(con: Any, statement: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    try:
        con.execute(statement)
    finally:
        con.unregister("_frame")


def _pieces(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The frame in slices of about ``TEXT_CHUNK`` characters of ``text``, long texts copied.

    DuckDB reads a Python string as UTF-8, and CPython keeps that UTF-8 inside the string for the rest
    of its life: stored as they are, the documents' texts would be held a second time (100 MB corpus:
    +100 MB) by the run, or by the storing process's copy-on-write pages. A copy goes with its slice;
    short texts (mentions, most sentences) are not worth the copying.
    """
    texts = frame["text"].tolist() if "text" in frame.columns else []
    sizes = [len(t) if type(t) is str else 0 for t in texts]
    if not any(size >= _LONG_TEXT for size in sizes):
        yield frame
        return
    begin = 0
    while begin < len(texts):
        end, chars = begin, 0
        while end < len(texts) and (end == begin or chars + sizes[end] <= TEXT_CHUNK):
            chars += sizes[end]
            end += 1
        piece = frame.iloc[begin:end].copy(deep=False)
        copies = [
            _copied(t) if size >= _LONG_TEXT else t
            for t, size in zip(texts[begin:end], sizes[begin:end], strict=True)
        ]
        piece["text"] = pd.Series(copies, index=piece.index, dtype=frame["text"].dtype)
        yield piece
        begin = end


def _copied(text: str) -> str:
    """A new string object equal to ``text``."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding lists or dicts go in as JSON text; all-None columns as text.

    Only converted columns are new: the frame itself is not copied (a corpus's tables are big).
    """
    out = frame
    for col in frame.columns:
        series = frame[col]
        if series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) == "string":
            continue  # plain text (checked in C): nothing to convert
        if series.map(lambda v: isinstance(v, list | tuple | dict)).any():
            converted = series.map(lambda v: v if v is None else json.dumps(v, ensure_ascii=False))
        elif series.isna().all():
            converted = series.astype("string")
        else:
            continue
        if out is frame:
            out = frame.copy(deep=False)  # copy-on-write: the caller's frame never changes
        out[col] = converted
    return out


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """One table of a store as a DataFrame."""
    if table not in TABLES and not table.isidentifier():
        raise ValueError(f"unknown table {table!r}")
    con = _connect(Path(path), read_only=True)
    try:
        return con.execute(f'SELECT * FROM "{table}"').df()
    finally:
        con.close()


def export_jsonl(frame: pd.DataFrame, target: str | Path) -> Path:
    """Rows as JSON lines (UTF-8, keys in column order), written atomically."""
    from .atomic import atomic_write_text

    lines: Iterable[str] = (
        json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False)
        for row in frame.to_dict("records")
    )
    return atomic_write_text(target, "".join(line + "\n" for line in lines))


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
