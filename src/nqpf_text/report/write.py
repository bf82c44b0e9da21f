"""Write the report files atomically: CSV (UTF-8 with BOM), one XLSX, a Stata panel, HTML, Markdown.

Same tables → same bytes for every file but ``report.html``, whose single generation timestamp is
taken from ``generated``, else ``SOURCE_DATE_EPOCH``, else the clock. The workbook gets fixed
document properties and fixed ZIP entry times; the ``.dta`` file a fixed time stamp.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..atomic import atomic_write, atomic_write_bytes, atomic_write_text, safe_join
from .html import render_html
from .markdown import render_markdown

__all__ = [
    "FIXED_TIME",
    "REPORT_KINDS",
    "generation_time",
    "write_csv",
    "write_dta",
    "write_reports",
    "write_xlsx",
    "xlsx_bytes",
]

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_XLSX_CELL_LIMIT = 32_767
_XLSX_ROW_LIMIT = 1_048_575  # data rows below the header
_STATA_TABLE = "region_year_panel"


def generation_time(generated: str | datetime | None = None) -> str:
    """The report's timestamp: given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else now (UTC)."""
    if isinstance(generated, datetime):
        return generated.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if generated:
        return str(generated)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a BOM so Excel opens CJK text correctly; ``\\n`` line ends; blanks for missing values."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write_bytes(path, csv_bytes(frame))


def _sheet_names(names: Sequence[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, no []:*?/\\, unique."""
    out: list[str] = []
    for name in names:
        clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
        base, k = clean, 2
        while clean in out:
            suffix = f"~{k}"
            clean, k = base[: 31 - len(suffix)] + suffix, k + 1
        out.append(clean)
    return out


def _xlsx_value(value: Any) -> Any:
    """A cell value openpyxl stores as data: strings never become formulas, control characters go."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, str):
        value = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
        if len(value) > _XLSX_CELL_LIMIT:
            value = value[: _XLSX_CELL_LIMIT - 1] + "…"
    return value


# Surrogates and U+FFFE/U+FFFF: not characters of XML 1.0 (lxml refused them; they are dropped).
_NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
# openpyxl's ILLEGAL_CHARACTERS_RE and _NOT_XML in one class.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXACT = 10**15  # integers that print the same with str() and "%.16g"
_ROWS_PER_WRITE = 4096


class _Unsupported(Exception):
    """A value the direct sheet writer has no rule for (dates, decimals): openpyxl writes the book."""


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, deterministic bytes (fixed properties and ZIP times).

    openpyxl writes the package (workbook, styles, properties, one empty sheet per table with its
    frozen header); the rows of each sheet are then written here as SpreadsheetML, the way
    openpyxl's write-only mode writes them (inline strings, ASCII with character references), at a
    fraction of the cost of a cell object per value. Tables with values of other types (dates,
    decimals) go through openpyxl cell by cell.
    """
    names = _sheet_names(list(tables))
    try:
        return _normalize_zip(_skeleton(names, slow=None), _sheet_rows(tables))
    except _Unsupported:
        return _normalize_zip(_skeleton(names, slow=tables), {})


def _skeleton(names: list[str], slow: dict[str, pd.DataFrame] | None) -> bytes:
    """The workbook from openpyxl: empty sheets, or (``slow``) every row written by openpyxl."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for i, sheet_name in enumerate(names):
        ws = wb.create_sheet(sheet_name)
        ws.freeze_panes = "A2"
        if slow is not None:
            table_name, frame = list(slow.items())[i]
            for row in _rows(table_name, frame):
                ws.append([_xlsx_cell(ws, v) for v in row])
    props = wb.properties
    props.creator = "nqpf_text"
    props.lastModifiedBy = "nqpf_text"
    props.created = props.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(table_name: str, frame: pd.DataFrame) -> Iterator[Sequence[Any]]:
    """The header, the row-limit note when the table is too long, the data rows (openpyxl path)."""
    yield [str(c) for c in frame.columns]
    if len(frame) > _XLSX_ROW_LIMIT:  # Excel's limit; the CSV file has every row
        yield [_limit_note(table_name)]
        frame = frame.head(_XLSX_ROW_LIMIT - 1)
    yield from frame.itertuples(index=False)


def _limit_note(table_name: str) -> str:
    return f"… first {_XLSX_ROW_LIMIT - 1:,} rows; tables/{table_name}.csv has all of them"


def _xlsx_cell(ws: Any, value: Any) -> Any:
    """A cell's value, or a cell typed as text when the string would otherwise become a formula."""
    value = _xlsx_value(value)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import TYPE_STRING

        cell = WriteOnlyCell(ws, value)
        cell.data_type = TYPE_STRING  # text, not a formula
        return cell
    return value


# --------------------------------------------------------------------------- direct sheet rows


def _sheet_rows(tables: dict[str, pd.DataFrame]) -> dict[str, Callable[[], Iterator[bytes]]]:
    """Sheet part name → a function streaming that sheet's ``<row>`` elements as bytes."""
    return {
        f"xl/worksheets/sheet{i}.xml": partial(_row_stream, name, frame)
        for i, (name, frame) in enumerate(tables.items(), start=1)
    }


def _row_stream(table_name: str, frame: pd.DataFrame) -> Iterator[bytes]:
    """The rows of one sheet, a block at a time (memory follows a block, not the table)."""
    head = [[_text_xml(_xlsx_value(str(c))) for c in frame.columns]]
    if len(frame) > _XLSX_ROW_LIMIT:  # Excel's limit; the CSV file has every row
        frame = frame.head(_XLSX_ROW_LIMIT - 1)
        head.append([_text_xml(_limit_note(table_name))])
    letters = [_column_letter(j) for j in range(max(frame.shape[1], 1))]
    yield _rows_xml(head, 1, letters)
    columns = [frame.iloc[:, j] for j in range(frame.shape[1])]
    first = len(head) + 1
    for begin in range(0, len(frame) if columns else 0, _ROWS_PER_WRITE):
        block = [_column_xml(col.iloc[begin : begin + _ROWS_PER_WRITE]) for col in columns]
        yield _rows_xml(zip(*block, strict=True), first + begin, letters)


def _rows_xml(rows: Iterable[Sequence[str]], first: int, letters: list[str]) -> bytes:
    """``<row>`` elements of cells given as the text after their reference (empty: no cell)."""
    parts = []
    for r, cells in enumerate(rows, start=first):
        parts.append(f'<row r="{r}">')
        parts += [f'<c r="{letters[j]}{r}"{tail}' for j, tail in enumerate(cells) if tail]
        parts.append("</row>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


def _column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_xml(column: pd.Series) -> list[str]:
    """Each value's cell after its reference (``' t="n"><v>3</v></c>'``); "" for no cell."""
    values = column.tolist()
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"  # not Int64 (pd.NA)
    if kind == "i":
        return [f' t="n"><v>{v}</v></c>' if -_EXACT < v < _EXACT else _cell_xml(v) for v in values]
    if kind == "f":
        return [f' t="n"><v>{v:.16g}</v></c>' if v - v == 0 else _cell_xml(v) for v in values]
    texts: dict[str, str] = {}  # text columns repeat their values (ids, names, paths)
    out = []
    for v in values:
        if type(v) is str:
            cell = texts.get(v)
            if cell is None:
                cell = texts[v] = _text_xml(_clean_text(v))
            out.append(cell)
        else:
            out.append(_cell_xml(v))
    return out


def _cell_xml(value: Any) -> str:
    """One value as openpyxl's write-only mode writes it ("": no cell)."""
    kind = type(value)
    if kind is str:
        return _text_xml(_clean_text(value))
    if kind is float:
        if value != value:
            return ""
        return f' t="n"><v>{format(value, ".16g") if value - value == 0 else ""}</v></c>'
    if kind is int:
        return f' t="n"><v>{value:.16g}</v></c>'
    if kind is bool:
        return f' t="b"><v>{int(value)}</v></c>'
    if value is None:
        return ""
    plain = _xlsx_value(value)
    if type(plain) in (str, float, int, bool) or plain is None:
        return _cell_xml(plain)
    raise _Unsupported(type(value).__name__)


def _clean_text(text: str) -> str:
    """``_xlsx_value`` of a string, with one scan when there is nothing to remove."""
    if _BAD_CHARS.search(text):
        text = _BAD_CHARS.sub("", text)
    return text if len(text) <= _XLSX_CELL_LIMIT else text[: _XLSX_CELL_LIMIT - 1] + "…"


def _text_xml(text: str) -> str:
    """A string cell: inline text (never a formula), an error code as an error, "" as an empty cell."""
    if not text:
        return ' t="inlineStr"></c>'
    if text in _ERROR_CODES:
        return f' t="e"><v>{text}</v></c>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return f' t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_EMPTY_SHEET = b"<sheetData></sheetData>"


def _normalize_zip(data: bytes, sheets: dict[str, Callable[[], Iterator[bytes]]]) -> bytes:
    """The same archive with every entry time fixed, core.xml's clock stamps pinned, and the rows of
    ``sheets`` streamed into their empty ``<sheetData>``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _pin_core(payload)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            rows = sheets.get(info.filename)
            if rows is None:
                dst.writestr(entry, payload)
                continue
            before, after = payload.split(_EMPTY_SHEET)
            with dst.open(entry, "w") as fh:
                fh.write(before + b"<sheetData>")
                for chunk in rows():
                    fh.write(chunk)
                fh.write(b"</sheetData>" + after)
    return out.getvalue()


def _pin_core(payload: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", payload
    )


def write_xlsx(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    return atomic_write_bytes(path, xlsx_bytes(tables))


def dta_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The region-year panel with Stata-friendly types (strings for ids, no missing strings)."""
    frame = panel.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: "" if v is None or v != v else str(v))
        elif frame[col].dtype == bool:
            frame[col] = frame[col].astype("int8")
    return frame


def write_dta(panel: pd.DataFrame, path: str | Path) -> Path:
    """Stata 14+ ``.dta`` (version 118, Unicode names) of the region-year panel."""
    labels = {
        "region": "region id (GB/T 2260 code, macro.*, zone.*)",
        "year": "year of the documents",
        "count": "place mentions of the region itself",
        "per_10k": "count per 10,000 characters of the year's documents",
        "documents": "documents of the year mentioning the region",
        "count_rollup": "mentions incl. its cities (and provinces, for macro regions)",
        "per_10k_rollup": "count_rollup per 10,000 characters",
    }

    def write(tmp: Path) -> None:
        frame = dta_frame(panel)
        frame.to_stata(
            tmp,
            write_index=False,
            version=118,
            time_stamp=FIXED_TIME,
            data_label="nqpf_text region-year panel",
            variable_labels={k: v for k, v in labels.items() if k in frame.columns},
        )

    return atomic_write(path, write)


# ``nqpf report KIND``: the tables and page sections of one report (overview, notes and inputs always).
REPORT_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "coverage": (
        ("keyword_coverage", "document_coverage", "dead_entries", "candidate_terms"),
        ("coverage",),
    ),
    "regions": (
        ("documents", "region_mentions", "region_year_panel", "region_time", "region_by_author",
         "region_by_outlet", "region_by_kind", "macro_shares", "focal_regions"),
        ("documents", "regions"),
    ),
    "indicators": (
        ("indicator_links", "indicator_summary", "indicator_rollup", "indicator_documents",
         "doc_indicator_matrix", "doc_indicator_matrix_second", "doc_indicator_matrix_first",
         "region_indicator"),
        ("indicators",),
    ),
    "beside": (("beside_weights", "beside_regions", "beside_correlation"), ("beside",)),
}  # fmt: skip
_ALWAYS = ("overview", "skipped", "issues", "notes")


def _select(tables: dict[str, pd.DataFrame], kind: str | None) -> tuple[dict[str, pd.DataFrame], Any, str]:
    """Tables to write, page sections, and the file-name suffix for one report kind (all when None)."""
    if kind is None:
        return tables, None, ""
    if kind not in REPORT_KINDS:
        from ..errors import InputError

        raise InputError("KIND", f"unknown report {kind!r}; choose one of {', '.join(REPORT_KINDS)}")
    names, sections = REPORT_KINDS[kind]
    chosen = {n: t for n, t in tables.items() if n in names or n in _ALWAYS}
    return chosen, ("overview", *sections, "inputs"), f"_{kind}"


def _table_file(out: Path, name: str) -> Path:
    """``out/tables/NAME``; a table name that would lead outside ``out`` (``../x``) is refused."""
    safe_join(out, "tables", name)
    return out / "tables" / name


def write_reports(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    ct: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
    generated: str | datetime | None = None,
    title: str = "nqpf_text report",
    kind: str | None = None,
    parallel: bool = False,
) -> list[Path]:
    """Write ``tables/*.csv``, ``tables/region_year_panel.dta``, ``tables.xlsx``, ``report.html`` and
    ``summary.md`` into ``out_dir``; return the paths written, in that order.

    ``kind`` (one of ``REPORT_KINDS``) writes one report only: its tables, and ``report_KIND.html``,
    ``summary_KIND.md``, ``tables_KIND.xlsx`` beside the full ones. ``ct`` (the corpus tables) is
    accepted for callers that pass it; every number and string the reports show is in ``tables``.
    ``parallel``: the workbook (the slowest file) is written by a second process meanwhile.
    """
    from ..engine import Background

    del ct
    out = Path(out_dir)
    chosen, sections, suffix = _select(tables, kind)
    tick = progress or (lambda stage, done, total: None)
    total = len(chosen) + 4
    files = [_table_file(out, f"{name}.csv") for name in chosen]  # a bad name fails before any write
    workbook = Background(write_xlsx, chosen, out / f"tables{suffix}.xlsx", parallel=parallel)
    written: list[Path] = []
    try:
        for i, (file, frame) in enumerate(zip(files, chosen.values(), strict=True), start=1):
            written.append(write_csv(frame, file))
            tick("write", i, total)
        if _STATA_TABLE in chosen:
            written.append(write_dta(chosen[_STATA_TABLE], out / "tables" / f"{_STATA_TABLE}.dta"))
        page = render_html(tables, generated=generation_time(generated), title=title, sections=sections)
    except BaseException:
        workbook.cancel()
        raise
    written.append(workbook.result())
    tick("write", len(chosen) + 2, total)
    written.append(atomic_write_text(out / f"report{suffix}.html", page))
    tick("write", len(chosen) + 3, total)
    summary = out / f"summary{suffix}.md"
    relative = [p.relative_to(out).as_posix() for p in [*written, summary]]
    written.append(atomic_write_text(summary, render_markdown(tables, relative, sections)))
    tick("write", total, total)
    return written
