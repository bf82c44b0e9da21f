"""Load a long panel (one row per unit and time) from CSV/XLSX or a DataFrame, with explicit data policies.

Policies, each raising one ``InputError`` line naming file, row and column:
- encoding: UTF-8 (with or without BOM), else GB18030 (a superset of GBK);
- numbers: plain decimals and exponents; full-width digits (NFKC), U+2212 minus and strict thousand
  grouping (``1,234.5``) are accepted; anything else (``12%``, ``1,5``, ``3万``, ``inf``) is non-numeric;
- missing cells (empty, NA, NaN, null, -, —, ..) are an error unless ``impute="linear"`` fills them
  within each unit's time series (Stata ``ipolate … , epolate``), and every filled cell is reported;
- duplicate unit-time rows, empty unit/time/group cells and fewer than ``min_rows`` rows are errors;
- columns that are neither unit, time, a known indicator, an extra nor ignored are errors (listed),
  except text-only columns (names, region labels), which are skipped with a warning.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError, NqpfWarning

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FilledCell", "Panel", "load_panel", "parse_number", "read_table", "time_order"]

MISSING_TOKENS = frozenset(
    {"", "na", "n/a", "nan", "null", "none", "-", "--", "—", "——", "..", "...", "#n/a"}
)
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGRAL_FLOAT = re.compile(r"^(-?\d+)\.0+$")
_EMPTY_LABELS = frozenset({"", "nan", "none", "null"})
_LIST_MAX = 8


@dataclass(frozen=True)
class FilledCell:
    """One cell that ``impute="linear"`` filled, so the report can say what was invented."""

    unit: str
    time: str
    indicator: str
    value: float
    how: str  # "interpolated" or "extrapolated"


@dataclass(frozen=True, eq=False)
class Panel:
    """A validated long panel: string unit/time per row, a float matrix, no missing cells."""

    unit: np.ndarray
    time: np.ndarray
    values: np.ndarray
    indicators: tuple[str, ...]
    source: str = "<panel>"
    unit_col: str = "unit"
    time_col: str = "time"
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    filled: tuple[FilledCell, ...] = ()

    def __len__(self) -> int:
        return len(self.unit)

    def times(self) -> tuple[str, ...]:
        """Distinct times in chronological order."""
        return time_order(self.time)

    def column(self, name: str) -> np.ndarray:
        """One indicator's values."""
        return self.values[:, self.indicators.index(name)]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame({self.unit_col: self.unit, self.time_col: self.time})
        for name, col in self.extra.items():
            frame[name] = col
        for j, name in enumerate(self.indicators):
            frame[name] = self.values[:, j]
        return frame


def time_order(times: Sequence[str] | np.ndarray) -> tuple[str, ...]:
    """Distinct times sorted numerically when all are numbers (2014 < 2015 < 20150), else as text."""
    distinct = list(dict.fromkeys(str(t) for t in times))
    try:
        return tuple(sorted(distinct, key=float))
    except ValueError:
        return tuple(sorted(distinct))


def parse_number(text: object) -> float | None:
    """One cell → float, ``None`` when missing; ``ValueError`` when it is not a number under our policy."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            raise ValueError(text)
        return value
    s = unicodedata.normalize("NFKC", str(text)).strip().replace("−", "-")
    if s.lower() in MISSING_TOKENS:
        return None
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise ValueError(text)
    value = float(s)
    if not math.isfinite(value):  # 1e400 overflows to inf
        raise ValueError(text)
    return value


def _decode(data: bytes, path: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "cannot decode as UTF-8 or GBK/GB18030")


def _header(text: str, sep: str, path: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text[:65536]), delimiter=sep), [])  # the header row only
    names = [h.replace("\ufeff", "").strip() for h in first]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(path, f"column {name!r} appears twice in the header", "row 1")
        seen.add(name)
    return names


def _read_csv(path: Path) -> pd.DataFrame:
    import pandas as pd

    text = _decode(path.read_bytes(), str(path))
    first_line = text.split("\n", 1)[0]
    sep = (
        "\t"
        if path.suffix.lower() in {".tsv", ".tab"} or ("," not in first_line and "\t" in first_line)
        else ","
    )
    names = _header(text, sep, str(path))
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=True
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(path, f"cannot parse CSV: {' '.join(str(exc).split())}") from None
    frame.columns = names
    return frame


def _read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import pandas as pd

    try:
        frame = pd.read_excel(
            path, sheet_name=0 if sheet is None else sheet, dtype=str, keep_default_na=False
        )
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read workbook: {exc}") from None
    except Exception as exc:  # openpyxl raises its own types for damaged files
        raise InputError(path, f"cannot read workbook: {type(exc).__name__}: {exc}") from None
    names = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    dup = [n for n in names if re.search(r"\.\d+$", n) and n.rsplit(".", 1)[0] in names]
    if dup:
        raise InputError(path, f"column {dup[0].rsplit('.', 1)[0]!r} appears twice in the header", "row 1")
    frame.columns = names
    return frame


def read_table(
    source: str | Path | pd.DataFrame, *, sheet: str | int | None = None
) -> tuple[pd.DataFrame, str]:
    """A table of strings plus a name for messages; ``.xlsx``/``.xlsm`` via openpyxl, anything else as CSV."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame.astype(object).where(frame.notna(), "").astype(str), "<DataFrame>"
    path = Path(source)
    if not path.is_file():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, sheet), str(path)
    if suffix in {".xls", ".dta", ".parquet", ".json"}:
        raise InputError(path, f"unsupported panel format {suffix!r}; save it as .csv or .xlsx")
    return _read_csv(path), str(path)


def _labels(frame: pd.DataFrame, col: str, name: str, what: str) -> np.ndarray:
    """Unit/time/group labels as clean strings (``2014.0`` → ``2014``); empty cells are errors."""
    raw = frame[col].astype(str).map(lambda s: unicodedata.normalize("NFKC", s).strip())
    raw = raw.str.replace(_INTEGRAL_FLOAT, r"\1", regex=True)
    empty = np.flatnonzero(raw.str.lower().isin(_EMPTY_LABELS).to_numpy())
    if len(empty):
        raise InputError(name, f"empty {what} cell", f"row {empty[0] + 2}, column {col}")
    return raw.to_numpy(dtype=object)


def _numeric(frame: pd.DataFrame, col: str, name: str) -> np.ndarray:
    """Fast path with pandas, then our policy cell by cell for whatever pandas did not take."""
    import pandas as pd

    text = frame[col].astype(str)
    values = np.array(pd.to_numeric(text, errors="coerce"), dtype=float)
    for i in np.flatnonzero(~np.isfinite(values)):
        try:
            parsed = parse_number(text.iat[i])
        except ValueError:
            raise InputError(name, f"not a number: {text.iat[i]!r}", f"row {i + 2}, column {col}") from None
        values[i] = np.nan if parsed is None else parsed
    return values


def _check_columns(cols: list[str], wanted: Sequence[str], name: str) -> None:
    missing = [c for c in wanted if c not in cols]
    if missing:
        raise InputError(
            name, f"column(s) not found: {', '.join(missing)}; columns are: {', '.join(cols)}", "row 1"
        )


def _is_label_column(frame: pd.DataFrame, col: str) -> bool:
    """Text in every filled cell (names, region labels): a label column, never an indicator."""
    cells = [v for v in frame[col].astype(str) if v.strip().lower() not in MISSING_TOKENS]
    for v in cells:
        try:
            parse_number(v)
        except ValueError:
            continue
        return False
    return bool(cells)


def _choose_indicators(
    frame: pd.DataFrame,
    reserved: set[str],
    indicators: Sequence[str] | None,
    known: Sequence[str] | None,
    name: str,
) -> list[str]:
    cols = list(frame.columns)
    if indicators is not None:
        _check_columns(cols, indicators, name)
        chosen = list(indicators)
    else:
        rest = [c for c in cols if c not in reserved]
        if known is not None:
            unknown = [c for c in rest if c not in set(known)]
            labels = [c for c in unknown if _is_label_column(frame, c)]
            if labels:
                warnings.warn(
                    f"{name}: ignoring text column(s) {', '.join(labels)} (labels, not indicators)",
                    NqpfWarning,
                    stacklevel=3,
                )
                unknown = [c for c in unknown if c not in labels]
            if unknown:
                raise InputError(
                    name,
                    f"unknown indicator column(s): {', '.join(unknown)} "
                    "(not in the framework or --directions; drop them or pass --ignore)",
                    "row 1",
                )
            chosen = [k for k in known if k in rest]
        else:
            chosen = rest
    if not chosen:
        raise InputError(name, "no indicator columns to score", "row 1")
    return chosen


def _check_duplicates(unit: np.ndarray, time: np.ndarray, name: str) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(unit, time, strict=True)):
        if key in seen:
            raise InputError(
                name,
                f"duplicate unit-time row: unit {key[0]!r} time {key[1]!r} (also row {seen[key] + 2})",
                f"row {i + 2}",
            )
        seen[key] = i


def _missing_message(unit: np.ndarray, time: np.ndarray, indicators: list[str], holes: np.ndarray) -> str:
    rows, cols = np.nonzero(holes)
    shown = [
        f"unit {unit[r]} time {time[r]} {indicators[c]}"
        for r, c in zip(rows[:_LIST_MAX], cols[:_LIST_MAX], strict=True)
    ]
    more = f" and {len(rows) - _LIST_MAX} more" if len(rows) > _LIST_MAX else ""
    return f"{len(rows)} missing cell(s): {'; '.join(shown)}{more}; pass impute='linear' (--impute linear) to fill them"


def _time_positions(time: np.ndarray) -> dict[str, float]:
    order = time_order(time)
    try:
        return {t: float(t) for t in order}
    except ValueError:
        return {t: float(i) for i, t in enumerate(order)}


def _impute_linear(
    unit: np.ndarray, time: np.ndarray, values: np.ndarray, indicators: list[str], name: str
) -> tuple[FilledCell, ...]:
    """Fill holes in place along each unit's time axis: interpolate inside, extrapolate at the ends."""
    pos = np.array([_time_positions(time)[t] for t in time])
    filled: list[FilledCell] = []
    holes_rows = np.flatnonzero(np.isnan(values).any(axis=1))
    for u in dict.fromkeys(unit[holes_rows]):
        rows = np.flatnonzero(unit == u)
        rows = rows[np.argsort(pos[rows], kind="stable")]
        x = pos[rows]
        for j in np.flatnonzero(np.isnan(values[rows]).any(axis=0)):
            y = values[rows, j]
            ok = ~np.isnan(y)
            if ok.sum() < 2:
                raise InputError(
                    name,
                    f"cannot impute unit {u!r} {indicators[j]}: fewer than 2 observed values in its time series",
                )
            xo, yo = x[ok], y[ok]
            for k in np.flatnonzero(~ok):
                if xo[0] < x[k] < xo[-1]:
                    v, how = float(np.interp(x[k], xo, yo)), "interpolated"
                else:
                    a, b = (0, 1) if x[k] < xo[0] else (-2, -1)
                    v = float(yo[a] + (yo[b] - yo[a]) * (x[k] - xo[a]) / (xo[b] - xo[a]))
                    how = "extrapolated"
                values[rows[k], j] = v
                filled.append(FilledCell(str(u), str(time[rows[k]]), indicators[j], v, how))
    return tuple(filled)


def load_panel(
    source: str | Path | pd.DataFrame,
    *,
    unit: str,
    time: str | None,
    indicators: Sequence[str] | None = None,
    known: Sequence[str] | None = None,
    extra: Sequence[str] = (),
    ignore: Sequence[str] = (),
    impute: str | None = None,
    sheet: str | int | None = None,
    min_rows: int = 2,
) -> Panel:
    """Read and validate a long panel.

    ``indicators`` names the value columns outright (other columns are left alone); otherwise every
    column but unit, time, ``extra`` and ``ignore`` is an indicator, and with ``known`` given any
    column outside it is an error. ``time=None`` makes one cross-section labelled ``"all"``.
    """
    if impute not in (None, "none", "linear"):
        raise InputError("impute", f"must be 'linear' or None; got {impute!r}")
    frame, name = read_table(source, sheet=sheet)
    cols = list(frame.columns)
    _check_columns(cols, [unit, *([time] if time else []), *extra], name)
    reserved = {unit, *([time] if time else []), *extra, *ignore}
    chosen = _choose_indicators(frame, reserved, indicators, known, name)
    if len(frame) < min_rows:
        raise InputError(name, f"needs at least {min_rows} data rows; got {len(frame)}")
    units = _labels(frame, unit, name, "unit")
    times = _labels(frame, time, name, "time") if time else np.full(len(frame), "all", dtype=object)
    _check_duplicates(units, times, name)
    extras = {c: _labels(frame, c, name, c) for c in extra}
    values = np.column_stack([_numeric(frame, c, name) for c in chosen])
    holes = np.isnan(values)
    filled: tuple[FilledCell, ...] = ()
    if holes.any():
        if impute != "linear":
            raise InputError(name, _missing_message(units, times, chosen, holes))
        filled = _impute_linear(units, times, values, chosen, name)
    return Panel(units, times, values, tuple(chosen), name, unit, time or "time", extras, filled)
