"""One error type for bad input, so the CLI can print one line and the library never prints."""

from __future__ import annotations

__all__ = ["InputError", "NqpfError", "NqpfWarning"]


class NqpfError(Exception):
    """Base class of the errors this package raises on purpose."""


class InputError(NqpfError, ValueError):
    """Bad input, located: ``where: what; got what`` on one line.

    ``path`` is the file at fault, ``place`` the line, byte offset, row or field within it.
    """

    def __init__(self, path: object, detail: str, place: str | None = None) -> None:
        self.path = str(path)
        self.place = place
        self.detail = " ".join(str(detail).split())
        where = f"{self.path}:{place}" if place else self.path
        super().__init__(f"{where}: {self.detail}")


class NqpfWarning(UserWarning):
    """Suspicious but usable input (a constant indicator, an unmatched manifest entry…)."""
