"""Where per-file work runs: in this process, in local worker processes, or on a Dask cluster.

Each executor maps a function over batches with one *shared* value (the lexicons and manifests,
or the fitted linker) that a worker receives once, not once per batch, and yields the results in
the order of the batches, keeping only a few batches in flight, so memory is bounded by the batch
size and not by the corpus. The calling process stays the only writer of the store and the cache.

Worker processes are forked where the platform allows it (they inherit the loaded lexicons and
segmenters instead of rebuilding them) and die with their parent. Dask workers build their state
once from the shared value; without a scheduler address a ``LocalCluster`` is started on loopback
(``127.0.0.1``, no dashboard), which needs no network.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import InputError, NqpfError

__all__ = [
    "Background",
    "DaskExecutor",
    "EngineOptions",
    "Executor",
    "InlineExecutor",
    "PoolExecutor",
    "forget_built_state",
    "open_executor",
    "release_free_memory",
    "shared_state",
]

ENGINES = ("local", "dask")

Work = Callable[[Any, Any], Any]  # fn(shared, batch) -> result


@dataclass(frozen=True)
class EngineOptions:
    """How to run the per-file work.

    ``workers`` None means every core; ``min_parallel_bytes`` is the input size below which work
    stays in this process (starting workers costs more than it saves); ``batch_bytes`` and
    ``batch_files`` bound one batch of files sent to a worker.
    """

    workers: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    min_parallel_bytes: int = 256 * 1024
    batch_bytes: int = 256 * 1024
    batch_files: int = 32

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"The 'engine' option must be one of {ENGINES}; got {self.engine!r}")
        if self.workers is not None and (not isinstance(self.workers, int) or self.workers < 1):
            raise ValueError(f"The 'workers' option must be an int >= 1; got {self.workers!r}")

    @property
    def n_workers(self) -> int:
        return self.workers if self.workers is not None else (os.cpu_count() or 1)


# --------------------------------------------------------------------------- worker side


_SHARED: dict[Any, Any] = {}  # in a worker: the shared value in use, by token
_BUILT: dict[str, Any] = {}  # state built from a shared value, by key, kept for the process's life


def shared_state(key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per process for ``key`` (a worker builds its tagger once, not per batch)."""
    if key not in _BUILT:
        _BUILT.clear()  # one configuration at a time: an old one is garbage
        _BUILT[key] = build()
    return _BUILT[key]


@dataclass(frozen=True)
class _Failure:
    """An exception raised in a worker, carried back as plain data (not every exception pickles)."""

    kind: str
    message: str
    path: str = ""
    detail: str = ""
    place: str | None = None
    trace: str = ""

    @classmethod
    def of(cls, exc: BaseException) -> _Failure:
        trace = traceback.format_exc()
        if isinstance(exc, InputError):
            return cls("input", str(exc), exc.path, exc.detail, exc.place, trace)
        return cls(type(exc).__name__, str(exc), trace=trace)

    def error(self) -> Exception:
        if self.kind == "input":
            return InputError(self.path, self.detail, self.place)
        return NqpfError(f"a worker failed: {self.kind}: {self.message}")


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent dies (a killed run leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        return


def forget_built_state() -> None:
    """Drop what :func:`shared_state` built in this process: after an inline pass, the main process's
    tagger and linker (their segmenters' dictionaries, automata and caches) are not needed again."""
    _BUILT.clear()


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Thousands of per-file results, dropped once the corpus tables hold their rows, leave the heap full
    of holes that numpy's large arrays, mapped apart, never reuse (100 MB corpus: 140 MB of them).
    Dask's workers trim the same way.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        return


@dataclass(frozen=True)
class _ByFile:
    """A shared value that workers read once from a file (the pool already runs, so it cannot be inherited)."""

    token: int
    path: str


def _as_child() -> None:
    """What every process we start does first: end with its parent, leave Ctrl-C to the parent."""
    import signal

    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Forked children must not touch (and so copy) the parent's objects when collecting."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _attempt(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or its exception as a :class:`_Failure` (not every exception pickles)."""
    try:
        return fn(*args)
    except Exception as exc:
        return _Failure.of(exc)


def _init_worker(token: int, shared: Any) -> None:
    _as_child()
    _SHARED[token] = shared


def _resolve(ref: int | _ByFile) -> Any:
    token = ref.token if isinstance(ref, _ByFile) else ref
    if token not in _SHARED:
        import pickle

        assert isinstance(ref, _ByFile)
        _SHARED.clear()  # a new shared value: the old one, and what was built from it, are garbage
        _BUILT.clear()
        with open(ref.path, "rb") as fh:
            _SHARED[token] = pickle.load(fh)
    return _SHARED[token]


def _pool_call(fn: Work, ref: int | _ByFile, batch: Any) -> Any:
    return _attempt(lambda: fn(_resolve(ref), batch))


def _dask_call(fn: Work, shared: Any, batch: Any) -> Any:
    return _attempt(fn, shared, batch)


def _checked(result: Any) -> Any:
    if isinstance(result, _Failure):
        raise result.error() from RuntimeError(f"in the worker:\n{result.trace}")
    return result


# --------------------------------------------------------------------------- executors


class Executor(Protocol):
    workers: int
    inherits: bool  # whether workers start from this process's memory (build shared state first)

    def map(self, fn: Work, shared: Any, batches: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Everything in this process (one worker, or too little work to share)."""

    workers = 1
    inherits = True  # state built in this process is what the work uses

    def map(self, fn: Work, shared: Any, batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            yield fn(shared, batch)

    def close(self) -> None:
        return None


def _mp_context():  # type: ignore[no-untyped-def]
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(
        "fork" if sys.platform.startswith("linux") and "fork" in methods else "spawn"
    )


class PoolExecutor:
    """Local worker processes, started on the first :meth:`map` and kept for the next ones.

    The first map's shared value is inherited (fork) or sent once per worker (spawn); a later map's
    value is written to a temporary file that each worker reads once.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None
        self._first = 0
        self._tokens = iter(range(1, sys.maxsize))
        self.inherits = _mp_context().get_start_method() == "fork"  # workers start with our state

    def _start(self, token: int, shared: Any) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(token, shared)
        )
        self._first = token
        with _frozen_heap():
            self._pool.submit(int).result()  # start every worker now, while the heap is frozen
        self.inherits = False  # from now on, workers exist: a new shared value goes by file

    def map(self, fn: Work, shared: Any, batches: Iterable[Any]) -> Iterator[Any]:
        token = next(self._tokens)
        ref: int | _ByFile = token
        path = None
        if self._pool is None:
            self._start(token, shared)
        else:
            import pickle
            import tempfile

            fd, path = tempfile.mkstemp(prefix="nqpf-shared-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(shared, fh, protocol=pickle.HIGHEST_PROTOCOL)
            ref = _ByFile(token, path)
        try:
            yield from _windowed(
                lambda b: self._pool.submit(_pool_call, fn, ref, b), batches, 2 * self.workers
            )
        except BaseException:
            self.close()
            raise
        finally:
            if path is not None:
                os.unlink(path)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Batches as Dask tasks on a scheduler at ``address``, or on a new loopback ``LocalCluster``."""

    def __init__(self, address: str | None, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise NqpfError("--engine dask needs Dask: pip install 'nqpf_text[dask]'") from None

        self._cluster: Any = None
        if address:
            self._client = Client(address, set_as_default=False)
        else:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
                death_timeout=20,  # workers of a killed run give up on its scheduler and exit
            )
            self._client = Client(self._cluster, set_as_default=False)
        found = len(self._client.scheduler_info().get("workers", {}))
        self.workers = found or workers
        self.inherits = False

    def map(self, fn: Work, shared: Any, batches: Iterable[Any]) -> Iterator[Any]:
        ref = self._client.scatter(shared, broadcast=True, hash=False)
        try:
            yield from _windowed(
                lambda b: self._client.submit(_dask_call, fn, ref, b, pure=False), batches, 2 * self.workers
            )
        finally:
            ref.release()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _windowed(submit: Callable[[Any], Any], batches: Iterable[Any], window: int) -> Iterator[Any]:
    """Results in batch order with at most ``window`` batches submitted and not yet consumed."""
    pending: deque[Any] = deque()
    source = iter(batches)
    try:
        for batch in source:
            pending.append(submit(batch))
            if len(pending) >= window:
                yield _checked(pending.popleft().result())
        while pending:
            yield _checked(pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()


def _background_call(
    conn: Any, nice: int, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    _as_child()
    if nice:
        os.nice(nice)
    conn.send(_attempt(lambda: fn(*args, **kwargs)))
    conn.close()


class Background:
    """``fn(*args, **kwargs)`` in a forked child while this process goes on with other work.

    The child starts from this process's memory, so big arguments (the corpus tables) are not
    pickled on the way in; only the result comes back, through a pipe. Where processes cannot be
    forked, or ``parallel`` is False (one worker asked for), the call runs here and now. ``nice``
    lowers the child's priority: work that only has to be done by the end (the store) then leaves
    the cores to the work the end waits for.
    :meth:`result` returns the value or raises the child's error; :meth:`cancel` ends a child
    whose result is no longer wanted.
    """

    def __init__(
        self, fn: Callable[..., Any], *args: Any, parallel: bool = True, nice: int = 0, **kwargs: Any
    ) -> None:
        self._proc: Any = None
        self._value: Any = None
        context = _mp_context()
        if not parallel or context.get_start_method() != "fork":
            self._value = fn(*args, **kwargs)
            release_free_memory()  # what the call freed, before the next step takes as much again
            return
        self._conn, child = context.Pipe(duplex=False)
        self._proc = context.Process(
            target=_background_call, args=(child, nice, fn, args, kwargs), daemon=True
        )
        with _frozen_heap():
            self._proc.start()
        child.close()

    def result(self) -> Any:
        if self._proc is None:
            return self._value
        try:
            value = self._conn.recv()
        except EOFError:
            self._proc.join()
            raise NqpfError(
                f"a background process ended without a result (exit code {self._proc.exitcode})"
            ) from None
        finally:
            self._conn.close()
        self._proc.join()
        self._proc = None
        self._value = _checked(value)
        return self._value

    def cancel(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._conn.close()
            self._proc = None


def open_executor(options: EngineOptions, *, input_bytes: int) -> Executor:
    """The executor ``options`` ask for (inline when there is one worker or little input)."""
    if options.engine == "dask":
        return DaskExecutor(options.scheduler, options.n_workers)
    if options.n_workers <= 1 or input_bytes < options.min_parallel_bytes:
        return InlineExecutor()
    return PoolExecutor(options.n_workers)
