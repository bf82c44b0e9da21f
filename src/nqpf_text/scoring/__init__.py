"""Scoring: entropy weights, entropy-TOPSIS, Dagum Gini decomposition and growth summaries.

Each module is a pure numerical kernel plus a thin driver that takes a validated ``Panel`` and returns
a frozen result with ``to_dict()`` (JSON-ready, no NaN) and ``to_frame()`` (pandas).
"""

from __future__ import annotations

from .dagum import DagumPeriod, DagumResult, dagum, dagum_decompose
from .entropy import (
    DEFAULT_SHIFT,
    EntropyResult,
    TopsisResult,
    entropy_only,
    entropy_topsis,
    entropy_weights,
    topsis,
)
from .framework import Framework, load_directions, load_framework, parse_directions
from .growth import GrowthResult, annual_growth, growth
from .panel import FilledCell, Panel, load_panel, parse_number, read_table

__all__ = [
    "DEFAULT_SHIFT",
    "DagumPeriod",
    "DagumResult",
    "EntropyResult",
    "FilledCell",
    "Framework",
    "GrowthResult",
    "Panel",
    "TopsisResult",
    "annual_growth",
    "dagum",
    "dagum_decompose",
    "entropy_only",
    "entropy_topsis",
    "entropy_weights",
    "growth",
    "load_directions",
    "load_framework",
    "load_panel",
    "parse_directions",
    "parse_number",
    "read_table",
    "topsis",
]
