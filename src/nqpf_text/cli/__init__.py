"""The ``nqpf`` command: parse, call the library, print. Heavy imports happen inside commands."""

from __future__ import annotations

import typer

from ._common import DEBUG

app = typer.Typer(
    name="nqpf",
    help="Evidence from Chinese policy text on 新质生产力: tag, link, score, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
) -> None:
    DEBUG["on"] = debug


def _register() -> None:
    from . import corpus, lexicon, report, score, text  # noqa: F401  (each module adds its commands to ``app``)


_register()


def main() -> None:
    app()
