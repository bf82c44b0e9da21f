"""Incremental runs: per-file results kept on disk, keyed by everything that produced them.

A key is a digest of the inputs of one stage for one file: the file's bytes (and sidecar), its name,
the manifests, the code of the package, and the lexicons (tagging) or framework (linking). A key that
is found is a result that would be computed again identically, so an unchanged corpus is read back
instead of processed, and an edited lexicon re-tags from the cached ingestion.

Entries are compressed pickles signed with a per-user secret (kept in the user cache folder), so an
entry is read only if this user's nqpf wrote it: a shared output folder cannot smuggle in a pickle.
They are rows of one SQLite file, each committed on its own; anything unreadable is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import sqlite3
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_DIR",
    "ResultCache",
    "code_digest",
    "digest",
    "file_digest",
    "pack",
    "package_digest",
    "unpack",
]

CACHE_DIR = ".nqpf-cache"
_MAGIC = b"NQPF-CACHE-1\n"
_SIG = 32  # bytes of HMAC-SHA256
_EXCLUDED_CODE = ("cli", "report", "scoring")  # code that never changes a per-file result


def digest(*parts: str | bytes) -> str:
    """Hex digest of a sequence of parts (length-prefixed, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = (
            part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        )  # file paths keep their bytes
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes; ``"-"`` if there is no such file; None if it cannot be read or is not
    a regular file (a FIFO or a device is never opened: reading it could block forever)."""
    import stat

    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return "-"
    except OSError:
        return None
    return h.hexdigest()


_LIBRARIES = (
    "jieba", "rjieba", "opencc", "scikit-learn", "numpy", "pandas", "pyahocorasick", "regex", "scipy",
    "openpyxl", "duckdb",
)  # fmt: skip


def _code(exclude: tuple[str, ...]) -> str:
    from importlib import metadata

    root = Path(__file__).resolve().parent
    parts: list[str | bytes] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in exclude:
            continue
        parts += [rel.as_posix(), path.read_bytes()]
    for dist in _LIBRARIES:
        try:
            parts += [dist, metadata.version(dist)]
        except metadata.PackageNotFoundError:
            parts += [dist, "-"]
    return digest(*parts)


@cache
def code_digest() -> str:
    """The code that makes per-file results (not the CLI, reports or scoring) and the library versions."""
    return _code(_EXCLUDED_CODE)


@cache
def package_digest() -> str:
    """All of the package's code and the library versions: what turns tables into reports too."""
    return _code(())


def pack(value: Any) -> bytes:
    """A value as compressed pickle bytes (done where the value is made, e.g. in a worker)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> Any:
    return pickle.loads(zlib.decompress(data))


@cache
def _secret() -> bytes:
    """This user's signing key, created on first use; a fresh one per process if there is nowhere to keep it."""
    from .segment import cache_dir

    folder = cache_dir()
    if folder is None:
        return secrets.token_bytes(32)
    path = folder / "result-cache.key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    data = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()[:32] if path.stat().st_size == 32 else data
    except OSError:
        return data
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data


class ResultCache:
    """Signed, compressed result entries, rows (kind, key, bytes) of one SQLite file ``root/entries.sqlite``.

    One file, not a file per entry: creating a file cost ~0.5 ms of kernel time here, and a 100 MB corpus
    has 18,660 entries (an insert: ~0.1 ms). Every entry read or written in a run is remembered;
    :meth:`prune` then removes the others (results of edited files or old lexicon versions), so the cache
    holds one run's worth. Only the process that made the cache uses it (workers send it bytes).
    """

    FILE = "entries.sqlite"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0
        self._used: set[tuple[str, str]] = set()
        self._con: sqlite3.Connection | None = None
        self._broken = False

    def _db(self) -> sqlite3.Connection | None:
        """The connection, opened on first use; a file that is not a cache of ours is replaced."""
        if self._con is None and not self._broken:
            try:
                self._con = _open_db(self.root / self.FILE)
            except sqlite3.OperationalError:  # locked, unwritable: no cache this run, nothing lost
                self._broken = True
            except sqlite3.DatabaseError:  # not a database, or a damaged one: start a new one
                _remove_db(self.root / self.FILE)
                try:
                    self._con = _open_db(self.root / self.FILE)
                except (OSError, sqlite3.Error):
                    self._broken = True
            except OSError:
                self._broken = True
        return self._con

    def get_packed(self, kind: str, key: str) -> bytes | None:
        """The packed bytes stored under ``kind/key`` if present, whole and signed by us; else None."""
        con, row = self._db(), None
        if con is not None:
            with contextlib.suppress(sqlite3.Error):  # unreadable: a miss
                row = con.execute(
                    "SELECT data FROM entries WHERE kind = ? AND key = ?", (kind, key)
                ).fetchone()
        if row is None:
            self.misses += 1
            return None
        data = bytes(row[0])
        head = len(_MAGIC)
        body = data[head + _SIG :]
        sig = hmac.new(_secret(), key.encode() + body, hashlib.sha256).digest()
        if data[:head] != _MAGIC or not hmac.compare_digest(data[head : head + _SIG], sig):
            self.misses += 1
            return None
        self._used.add((kind, key))
        self.hits += 1
        return body

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``kind/key``, or None when absent, damaged or not signed by us."""
        body = self.get_packed(kind, key)
        if body is None:
            return None
        try:
            return unpack(body)
        except Exception:
            self.hits -= 1
            self.misses += 1
            return None

    def keep(self, kind: str, key: str) -> None:
        """Spare ``kind/key`` from :meth:`prune` although this run did not need it."""
        self._used.add((kind, key))

    def put_packed(self, kind: str, key: str, packed: bytes) -> None:
        """Store bytes made by :func:`pack` (one transaction: a reader sees the old entry or the new one)."""
        con = self._db()
        if con is None:
            return
        sig = hmac.new(_secret(), key.encode() + packed, hashlib.sha256).digest()
        try:
            con.execute(
                "INSERT OR REPLACE INTO entries (kind, key, data) VALUES (?, ?, ?)",
                (kind, key, _MAGIC + sig + packed),
            )
        except sqlite3.Error:
            return  # a full or read-only disk costs speed next time, not this run
        self._used.add((kind, key))

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_packed(kind, key, pack(value))

    def prune(self, kinds: Iterable[str]) -> int:
        """Delete the entries of ``kinds`` that this run neither read nor wrote; return how many.

        Folders named after ``kinds`` (a file per entry, as earlier versions kept them) go too.
        """
        kinds = list(kinds)
        for kind in kinds:
            shutil.rmtree(self.root / kind, ignore_errors=True)
        con = self._db()
        if con is None:
            return 0
        try:
            con.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT)")
            con.execute("DELETE FROM used")
            con.executemany("INSERT INTO used VALUES (?, ?)", sorted(self._used))
            marks = ", ".join("?" * len(kinds))
            removed = con.execute(
                f"DELETE FROM entries WHERE kind IN ({marks}) AND (kind, key) NOT IN (SELECT kind, key FROM used)",
                kinds,
            ).rowcount
        except sqlite3.Error:
            return 0
        return removed

    def close(self) -> None:
        """Close the file (its write-ahead log merged into it); a later call opens it again."""
        if self._con is not None:
            self._con.close()
            self._con = None


def _open_db(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode with a write-ahead log (a commit is a few writes, no sync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(
            "CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, data BLOB, PRIMARY KEY (kind, key))"
            " WITHOUT ROWID"
        )
    except BaseException:
        con.close()
        raise
    return con


def _remove_db(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
