"""``nqpf score``: entropy-TOPSIS, entropy weights, Dagum Gini decomposition and growth tables.

Thin adapters: parse options, load the panel, call ``nqpf_text.scoring``, print or write the result.
Warnings (constant indicators, filled cells) go to stderr; machine output to stdout or ``--out``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from . import app
from ._common import echo_json, fail, guarded

score_app = typer.Typer(
    help="Composite indices and inequality: entropy-TOPSIS, entropy weights, Dagum Gini, growth.",
    no_args_is_help=True,
)
app.add_typer(score_app, name="score")

FORMATS = ("json", "csv", "xlsx", "dta")

_PANEL = typer.Argument(..., help="Long panel (.csv in UTF-8/GBK, or .xlsx): one row per unit and time.")
_UNIT = typer.Option(..., "--unit", help="Column naming the unit (province, city…).")
_TIME = typer.Option(None, "--time", help="Column naming the period (year).")
_FORMAT = typer.Option("json", "--format", help="json | csv | xlsx | dta (xlsx and dta need --out).")
_OUT = typer.Option(None, "--out", help="Write to this file instead of stdout.")
_IMPUTE = typer.Option(
    "none", "--impute", help="none (missing cells are an error) | linear (within each unit's time series)."
)
_SHEET = typer.Option(None, "--sheet", help="Worksheet of an .xlsx panel (default: the first).")
_IGNORE = typer.Option([], "--ignore", help="Column to leave out of scoring (repeatable).")
_FRAMEWORK = typer.Option(
    None, "--framework", help="Framework name or YAML path giving directions and dimensions (default hqe21)."
)
_DIRECTIONS = typer.Option(
    None, "--directions", help='Directions "id=+,id=-" or a YAML/JSON file; overrides the framework.'
)
_SHIFT = typer.Option(0.0001, "--shift", help="Constant added before the logarithm; 0 means 0·ln 0 = 0.")
_BY_TIME = typer.Option(False, "--by-time", help="Standardize and weight each period separately.")


def _check_format(fmt: str, out: Path | None) -> None:
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if fmt in ("xlsx", "dta") and out is None:
        raise fail(f"--format {fmt} writes a binary file: give --out PATH")


def _run(func: Callable[[], Any]) -> Any:
    """Call the library, relaying its warnings to stderr as one line each."""
    from ..errors import NqpfWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NqpfWarning)
        result = guarded(func)
    for w in caught:
        if issubclass(w.category, NqpfWarning):
            typer.echo(f"nqpf: warning: {w.message}", err=True)
    return result


def _report_filled(filled: tuple) -> None:
    if not filled:
        return
    shown = "; ".join(f"{c.unit} {c.time} {c.indicator}={c.value:.6g} ({c.how})" for c in filled[:10])
    more = f" and {len(filled) - 10} more" if len(filled) > 10 else ""
    typer.echo(f"nqpf: filled {len(filled)} missing cell(s) by linear imputation: {shown}{more}", err=True)


def _stata_names(frame: Any) -> Any:
    """Stata variable names: letters, digits and _ (Unicode allowed in format 118), at most 32 characters."""
    seen: set[str] = set()
    names = []
    for col in frame.columns:
        name = re.sub(r"\W", "_", str(col))[:32] or "v"
        if name[0].isdigit():
            name = f"v{name}"[:32]
        while name in seen:
            name = f"{name[:29]}_{len(seen)}"
        seen.add(name)
        names.append(name)
    out = frame.copy()
    out.columns = names
    return out


def _emit(fmt: str, out: Path | None, data: Any, frames: dict[str, Any]) -> None:
    """Write JSON, or the frames: csv (the first table), xlsx (one sheet per table), dta (the first table).

    Files go through a temporary file and a rename, so an interrupted run never leaves half a file.
    """
    import json

    from ..atomic import atomic_write, atomic_write_text

    if fmt == "json":
        if out is None:
            echo_json(data)
        else:
            atomic_write_text(out, json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1) + "\n")
        return
    main = next(iter(frames.values()))
    if fmt == "csv":
        if out is None:
            typer.echo(main.to_csv(index=False), nl=False)
        else:
            atomic_write(out, lambda tmp: main.to_csv(tmp, index=False, encoding="utf-8-sig"))
    elif fmt == "xlsx":
        import pandas as pd

        def write_xlsx(tmp: Path) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for sheet, frame in frames.items():
                    frame.to_excel(writer, sheet_name=sheet[:31], index=False)

        atomic_write(out, write_xlsx)  # type: ignore[arg-type]
    else:
        atomic_write(out, lambda tmp: _stata_names(main).to_stata(tmp, write_index=False, version=118))  # type: ignore[arg-type]
    if out is not None:
        typer.echo(f"nqpf: wrote {out}", err=True)


def _directions_and_known(
    framework: str | None, directions: str | None
) -> tuple[Any, dict[str, str], list[str]]:
    from ..scoring import load_framework, parse_directions

    extra = parse_directions(directions) if directions else {}
    fw = load_framework(framework or "hqe21") if (framework or not extra) else None
    known = list(fw.directions) if fw else []
    known += [k for k in extra if k not in known]
    return fw, extra, known


def _load(panel: Path, unit: str, time: str | None, impute: str, sheet: str | None, **kw: Any) -> Any:
    from ..scoring import load_panel

    return load_panel(
        panel, unit=unit, time=time, impute=None if impute == "none" else impute, sheet=sheet, **kw
    )


@score_app.command("entropy-topsis")
def entropy_topsis_cmd(
    panel: Path = _PANEL,
    unit: str = _UNIT,
    time: str = _TIME,
    framework: str = _FRAMEWORK,
    directions: str = _DIRECTIONS,
    by_time: bool = _BY_TIME,
    shift: float = _SHIFT,
    impute: str = _IMPUTE,
    ignore: list[str] = _IGNORE,
    sheet: str = _SHEET,
    fmt: str = _FORMAT,
    out: Path = _OUT,
) -> None:
    """Entropy-weighted TOPSIS scores (D+, D−, C, rank) for every unit-time row, with sub-indices."""
    _check_format(fmt, out)

    def work() -> Any:
        from ..scoring import entropy_topsis

        fw, extra, known = _directions_and_known(framework, directions)
        data = _load(panel, unit, time, impute, sheet, known=known, ignore=ignore)
        return entropy_topsis(data, extra, framework=fw, shift=shift, by_time=by_time)

    result = _run(work)
    _report_filled(result.filled)
    frames = {"scores": result.to_frame(), "weights": result.entropy.to_frame()}
    if result.dimensions:
        frames["dimensions"] = result.dimensions_frame()
    _emit(fmt, out, result.to_dict(), frames)


@score_app.command("entropy")
def entropy_cmd(
    panel: Path = _PANEL,
    unit: str = _UNIT,
    time: str = _TIME,
    framework: str = _FRAMEWORK,
    directions: str = _DIRECTIONS,
    by_time: bool = _BY_TIME,
    shift: float = _SHIFT,
    impute: str = _IMPUTE,
    ignore: list[str] = _IGNORE,
    sheet: str = _SHEET,
    fmt: str = _FORMAT,
    out: Path = _OUT,
) -> None:
    """Entropy values, divergences and weights only."""
    _check_format(fmt, out)

    def work() -> Any:
        from ..scoring import entropy_only

        fw, extra, known = _directions_and_known(framework, directions)
        data = _load(panel, unit, time, impute, sheet, known=known, ignore=ignore)
        return data.filled, entropy_only(data, extra, framework=fw, shift=shift, by_time=by_time)

    filled, result = _run(work)
    _report_filled(filled)
    _emit(fmt, out, result.to_dict(), {"weights": result.to_frame()})


@score_app.command("dagum")
def dagum_cmd(
    panel: Path = _PANEL,
    unit: str = _UNIT,
    group: str = typer.Option(..., "--group", help="Column naming each unit's group (region)."),
    time: str = _TIME,
    value: str = typer.Option(..., "--value", help="Column holding the (non-negative) value."),
    bootstrap: int = typer.Option(
        0, "--bootstrap", help="Bootstrap replicates for 95% percentile intervals."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed for --bootstrap (reported in the output)."),
    impute: str = _IMPUTE,
    sheet: str = _SHEET,
    fmt: str = _FORMAT,
    out: Path = _OUT,
) -> None:
    """Dagum Gini decomposition per period: G, Gw, Gnb, Gt, shares, within- and between-group Gini."""
    _check_format(fmt, out)

    def work() -> Any:
        from ..scoring import dagum

        data = _load(panel, unit, time, impute, sheet, indicators=[value], extra=[group])
        return dagum(data, group=group, value=value, bootstrap=bootstrap, seed=seed)

    result = _run(work)
    _report_filled(result.filled)
    _emit(fmt, out, result.to_dict(), {"dagum": result.to_frame()})


@score_app.command("growth")
def growth_cmd(
    panel: Path = _PANEL,
    unit: str = _UNIT,
    time: str = typer.Option(..., "--time", help="Column naming the period (year)."),
    value: str = typer.Option(..., "--value", help="Column holding the index."),
    group: str = typer.Option(None, "--group", help="Column naming each unit's group, for group means."),
    impute: str = _IMPUTE,
    sheet: str = _SHEET,
    fmt: str = _FORMAT,
    out: Path = _OUT,
) -> None:
    """Average annual growth per unit, group means and the national mean per period (Table 2 layout)."""
    _check_format(fmt, out)

    def work() -> Any:
        from ..scoring import growth

        data = _load(panel, unit, time, impute, sheet, indicators=[value], extra=[group] if group else [])
        return growth(data, value=value, group=group)

    result = _run(work)
    _report_filled(result.filled)
    _emit(fmt, out, result.to_dict(), {"growth": result.to_frame()})
