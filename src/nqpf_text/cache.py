"""Incremental runs: per-file results kept on disk, keyed by everything that produced them.

A key is a digest of the inputs of one stage for one file: the file's bytes (and sidecar), its name,
the manifests, the code of the package, and the lexicons (tagging) or framework (linking). A key that
is found is a result that would be computed again identically, so an unchanged corpus is read back
instead of processed, and an edited lexicon re-tags from the cached ingestion.

Entries are compressed pickles signed with a per-user secret (kept in the user cache folder), so an
entry is read only if this user's nqpf wrote it: a shared output folder cannot smuggle in a pickle.
Each entry is written atomically; anything unreadable is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
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
    """Signed, compressed result entries under ``root/<kind>/<key[:2]>/<key>``.

    Every entry read or written in a run is remembered; :meth:`prune` then removes the others
    (results of edited files or old lexicon versions), so the cache holds one run's worth.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0
        self._used: set[Path] = set()

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get_packed(self, kind: str, key: str) -> bytes | None:
        """The packed bytes stored under ``kind/key`` if present, whole and signed by us; else None."""
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        head = len(_MAGIC)
        body = data[head + _SIG :]
        sig = hmac.new(_secret(), key.encode() + body, hashlib.sha256).digest()
        if data[:head] != _MAGIC or not hmac.compare_digest(data[head : head + _SIG], sig):
            self.misses += 1
            return None
        self._used.add(path)
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
        self._used.add(self._path(kind, key))

    def put_packed(self, kind: str, key: str, packed: bytes) -> None:
        """Store bytes made by :func:`pack` (atomically: a reader sees the old entry or the new one)."""
        from .atomic import atomic_write_bytes

        path = self._path(kind, key)
        sig = hmac.new(_secret(), key.encode() + packed, hashlib.sha256).digest()
        try:
            atomic_write_bytes(path, _MAGIC + sig + packed, durable=False)
        except OSError:
            return  # a full or read-only disk costs speed next time, not this run
        self._used.add(path)

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_packed(kind, key, pack(value))

    def prune(self, kinds: Iterable[str]) -> int:
        """Delete the entries of ``kinds`` that this run neither read nor wrote; return how many."""
        removed = 0
        for kind in kinds:
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for path in folder.glob("*/*"):
                if path not in self._used and path.is_file():
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
