"""Atomic file writes: a temporary file in the target's folder, then ``os.replace``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "remove_stale_temps", "safe_join"]


def atomic_write(target: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)``, then flush the finished file to disk and move it over ``target``."""

    def fill(fd: int, tmp: Path) -> None:
        os.close(fd)
        write(tmp)

    return _replace(Path(target), fill)


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """``data`` written through the temporary file's own descriptor: reopening it with ``O_TRUNC``
    would make ext4 start writing it out at close (``auto_da_alloc``), 2.3× the CPU."""

    def fill(fd: int, tmp: Path) -> None:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    return _replace(Path(target), fill)


def _replace(target: Path, fill: Callable[[int, Path], None]) -> Path:
    """``fill(fd, tmp)`` a new temporary file next to ``target`` (it closes ``fd``), then rename it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        fill(fd, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(target: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(target, text.encode(encoding))


def safe_join(root: str | Path, *parts: str) -> Path:
    """``root/parts`` — refusing any result outside ``root`` (output paths never escape --out)."""
    root_path = Path(root).resolve()
    path = root_path.joinpath(*parts).resolve()
    if path != root_path and root_path not in path.parents:
        raise ValueError(f"output path {path} escapes {root_path}")
    return path


_OUTPUT_STEMS = ("nqpf.duckdb.", "report", "summary", "tables.xlsx.", "tables_")


def remove_stale_temps(folder: str | Path) -> int:
    """Delete the temporary files of our own outputs that a killed run left in ``folder``.

    Only ``.NAME.….tmp`` files of the outputs ``nqpf run`` writes are touched (in ``folder`` and its
    ``tables/``), never other programs' files, even when ``--out`` is a shared folder.
    """
    removed = 0
    root = Path(folder)
    for where, any_name in ((root, False), (root / "tables", True)):
        if not where.is_dir():
            continue
        for path in where.glob(".*.tmp*"):
            name = path.name[1:]
            if path.is_file() and (any_name or name.startswith(_OUTPUT_STEMS)):
                path.unlink(missing_ok=True)
                removed += 1
    return removed
