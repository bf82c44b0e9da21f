"""Small helpers shared by the report modules: attribute access, rates, ordering, periods."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DECIMALS",
    "NONE_LABEL",
    "attr",
    "doc_order",
    "is_blank",
    "label",
    "per_10k",
    "period_of",
    "sort_docs",
    "year_of",
]

DECIMALS = 4  # rates are rounded so that CSV output is stable and readable
NONE_LABEL = "(none)"
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def attr(obj: Any, key: str, default: Any = None) -> Any:
    """``obj.key`` or ``obj[key]``: frameworks and levels may be objects or plain mappings."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def is_blank(value: Any) -> bool:
    """None, NaN, NA or an all-space string."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def label(value: Any) -> str:
    """A metadata value as a grouping label; blanks become ``(none)``."""
    return NONE_LABEL if is_blank(value) else str(value).strip()


def per_10k(count: Any, chars: Any) -> Any:
    """Occurrences per 10,000 normalized characters (0 where there is no text), rounded."""
    count_arr = np.asarray(count, dtype=float)
    chars_arr = np.asarray(chars, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(chars_arr > 0, count_arr / np.where(chars_arr > 0, chars_arr, 1.0) * 10_000, 0.0)
    out = np.round(rate, DECIMALS)
    return float(out) if out.ndim == 0 else out


def year_of(date: Any) -> int | None:
    """The year of an ISO date ``YYYY[-MM[-DD]]``; None when there is none."""
    if is_blank(date):
        return None
    m = _DATE.match(str(date).strip())
    return int(m.group(1)) if m else None


def period_of(date: Any, kind: str) -> str | None:
    """``YYYY``, ``YYYYQn`` or ``YYYY-MM`` for a date; None when the date is not that precise."""
    if is_blank(date):
        return None
    m = _DATE.match(str(date).strip())
    if not m:
        return None
    year, month = m.group(1), m.group(2)
    if kind == "year":
        return year
    if month is None or not 1 <= int(month) <= 12:
        return None
    if kind == "quarter":
        return f"{year}Q{(int(month) - 1) // 3 + 1}"
    if kind == "month":
        return f"{year}-{int(month):02d}"
    raise ValueError(f"The 'kind' parameter of period_of must be year, quarter or month; got {kind!r}")


def doc_order(documents: pd.DataFrame) -> dict[str, int]:
    """Position of each document in corpus order (the order ingestion produced)."""
    return {str(d): i for i, d in enumerate(documents["doc"].tolist())} if "doc" in documents else {}


def sort_docs(frame: pd.DataFrame, order: Mapping[str, int], by: Iterable[str] = (), ascending: Any = True):
    """Sort ``frame`` by corpus order of ``doc`` first, then by the other columns."""
    if frame.empty:
        return frame.reset_index(drop=True)
    big = len(order)
    key = frame["doc"].map(lambda d: order.get(str(d), big))
    tmp = frame.assign(_doc_pos=key)
    cols = ["_doc_pos", "doc", *by]
    asc = [True, True, *(ascending if isinstance(ascending, list) else [ascending] * len(list(by)))]
    tmp = tmp.sort_values(cols, ascending=asc, kind="mergesort")
    return tmp.drop(columns="_doc_pos").reset_index(drop=True)
