"""The workbook's rows are written directly as SpreadsheetML: the same bytes as openpyxl writing
every cell, well-formed XML whatever the text, and values read back as written."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.etree import ElementTree

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.report import write
from nqpf_text.report.write import xlsx_bytes

HOSTILE = [
    "=SUM(A1:A2)", "=", "#N/A", "#DIV/0!", "", " padded ", "\u3000全角空格", "a & b < c > d \"q\" 'a'",
    "line\r\nbreak\ttab", "bell\x07\x1f", "surrogate\ud800", "\ufffe\uffff", "emoji 😀", "中文",
    "x" * 40_000, "]]>", "&amp;",
]  # fmt: skip


def _openpyxl_path(tables: dict[str, pd.DataFrame]) -> bytes:
    """The workbook as openpyxl writes it cell by cell (the reference)."""
    names = write._sheet_names(list(tables))
    return write._normalize_zip(write._skeleton(names, slow=tables), {})


def _frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "text": HOSTILE,
            "int": range(n),
            "big": [10**17 + i for i in range(n)],
            "float": [0.1 * i if i % 3 else float("nan") for i in range(n)],
            "edge": [float("inf"), float("-inf"), -0.0, 1e-300, 1e300, *([None] * (n - 5))],
            "flag": [i % 2 == 0 for i in range(n)],
            "mixed": [None, True, 3, 2.5, "s", pd.NA, *(["t"] * (n - 6))],
            "nullable": pd.array([1, None, *range(n - 2)], dtype="Int64"),
        }
    )


def test_same_bytes_as_openpyxl_cell_by_cell():
    tables = {"hostile": _frame(), "empty": pd.DataFrame(), "no_rows": pd.DataFrame(columns=["a"])}
    assert xlsx_bytes(tables) == _openpyxl_path(tables)


def test_sheets_are_well_formed_and_read_back():
    from openpyxl import load_workbook

    data = xlsx_bytes({"hostile": _frame()})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(z.read(name))  # raises on malformed XML
    ws = load_workbook(io.BytesIO(data))["hostile"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    texts = [r[0] for r in rows]
    assert texts[0] == "=SUM(A1:A2)" and ws["A2"].data_type == "s"  # text, never a formula
    assert texts[7] == "a & b < c > d \"q\" 'a'" and texts[8] == "line\r\nbreak\ttab"
    assert texts[9] == "bell" and texts[10] == "surrogate" and texts[13] == "中文"
    assert texts[6] == "\u3000全角空格" and texts[5] == " padded "
    assert len(texts[14]) == 32_767 and texts[14].endswith("…")
    assert [r[3] for r in rows[:3]] == [None, 0.1, 0.2]
    assert rows[0][5] is True and rows[1][5] is False
    assert rows[0][2] == 10**17 and isinstance(rows[0][1], int)
    back = pd.read_excel(io.BytesIO(data), sheet_name="hostile")
    assert list(back.columns) == list(_frame().columns)
    assert back["int"].tolist() == list(range(len(HOSTILE)))


def test_dates_fall_back_to_openpyxl():
    tables = {"t": pd.DataFrame({"when": [datetime(2024, 1, 2), None], "n": [1, 2]})}
    assert xlsx_bytes(tables) == _openpyxl_path(tables)


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_VALUES, _VALUES, st.integers(-(2**62), 2**62), st.floats()), max_size=8))
def test_property_same_bytes(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "i", "f"])
    tables = {"t": frame, "u": frame.head(2)}
    assert xlsx_bytes(tables) == _openpyxl_path(tables)
