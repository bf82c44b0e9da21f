"""Reports: keyword coverage, regional emphasis, indicator mapping, text beside numbers.

``build_tables(ct)`` turns the corpus tables (documents, sentences, mentions, links …) into report
tables (pure, DataFrames in and out); ``write_reports(tables, out_dir)`` writes them as CSV,
XLSX, a Stata panel, a self-contained HTML page and a Markdown summary.
"""

from __future__ import annotations

from .focal import FocalRule
from .regions import RegionCatalog
from .tables import CorpusLike, build_tables, candidate_table
from .write import REPORT_KINDS, write_reports

__all__ = [
    "REPORT_KINDS",
    "CorpusLike",
    "FocalRule",
    "RegionCatalog",
    "build_tables",
    "candidate_table",
    "write_reports",
]
