"""What every command shares: one-line errors, JSON on stdout, and the --debug switch."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import typer

T = TypeVar("T")

DEBUG = {"on": False}

EXIT_INPUT = 2  # bad input: nothing (or not everything) could be used
EXIT_PARTIAL = 3  # finished, but some inputs were skipped


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    typer.echo(f"nqpf: error: {message}", err=True)
    return typer.Exit(code)


def guarded(func: Callable[[], T]) -> T:
    """Run library code; turn our errors (and unexpected ones) into one stderr line and an exit code."""
    from ..errors import NqpfError

    try:
        return func()
    except typer.Exit:
        raise
    except NqpfError as exc:
        if DEBUG["on"]:
            traceback.print_exc()
        raise fail(str(exc)) from None
    except (OSError, ValueError, KeyError) as exc:
        if DEBUG["on"]:
            traceback.print_exc()
        raise fail(f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # a bug of ours: still one line, the traceback on request
        if DEBUG["on"]:
            traceback.print_exc()
        raise fail(
            f"internal error {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1
        ) from None


def echo_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, allow_nan=False))
    sys.stdout.write("\n")


def echo_jsonl(rows: Any) -> None:
    write = sys.stdout.write
    for row in rows:
        write(json.dumps(row, ensure_ascii=False, allow_nan=False))
        write("\n")
