"""Panel loading: encodings, number policy, and one located error per data-policy case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from nqpf_text.errors import InputError, NqpfWarning
from nqpf_text.scoring import load_panel, parse_number
from nqpf_text.scoring.panel import time_order

HEADER = "unit,time,a,b\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", 1.5),
        (" 2 ", 2.0),
        ("-3e-2", -0.03),
        ("１２.５", 12.5),  # full-width digits
        ("−4", -4.0),  # U+2212 minus
        ("1,234.5", 1234.5),  # strict thousand grouping
        ("12,345,678", 12345678.0),
        ("", None),
        ("NA", None),
        ("—", None),
        ("..", None),
    ],
)
def test_parse_number_accepts_policy(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["12%", "1,5", "3万", "inf", "1_000", "0x1A", "abc", "1,23"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_bom_and_gbk_and_grouping(tmp_path: Path) -> None:
    text = '单位,年份,a,b\n北京,2014,"1,200",０.５\n上海,2014,800,0.25\n'
    for enc in ("utf-8-sig", "gbk"):
        panel = load_panel(write(tmp_path, text, enc), unit="单位", time="年份")
        assert list(panel.unit) == ["北京", "上海"]
        np.testing.assert_allclose(panel.values, [[1200, 0.5], [800, 0.25]])


def test_tab_separated(tmp_path: Path) -> None:
    panel = load_panel(write(tmp_path, "unit\ttime\ta\nx\t1\t2\ny\t1\t3\n"), unit="unit", time="time")
    assert panel.indicators == ("a",)


def test_integral_float_labels_become_integers(tmp_path: Path) -> None:
    panel = load_panel(
        write(tmp_path, HEADER + "110000.0,2014.0,1,2\n320000,2015,3,4\n"), unit="unit", time="time"
    )
    assert list(panel.unit) == ["110000", "320000"] and list(panel.time) == ["2014", "2015"]


def test_non_numeric_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,1,1,2\ny,1,abc,3\n")
    with pytest.raises(InputError, match=r"p\.csv:row 3, column a: not a number: 'abc'"):
        load_panel(path, unit="unit", time="time")


def test_duplicate_rows(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,1,1,2\ny,1,2,3\nx,1,5,6\n")
    with pytest.raises(InputError, match=r"row 4: duplicate unit-time row: unit 'x' time '1' \(also row 2\)"):
        load_panel(path, unit="unit", time="time")


def test_missing_cells_listed(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,1,,2\ny,1,2,NA\n")
    with pytest.raises(
        InputError, match=r"2 missing cell\(s\): unit x time 1 a; unit y time 1 b; .*--impute linear"
    ):
        load_panel(path, unit="unit", time="time")


def test_impute_linear_interpolates_and_extrapolates(tmp_path: Path) -> None:
    body = "x,2014,1,10\nx,2015,,\nx,2016,3,30\nx,2018,7,\ny,2014,,1\ny,2015,5,2\ny,2016,6,3\ny,2018,8,5\n"
    panel = load_panel(write(tmp_path, HEADER + body), unit="unit", time="time", impute="linear")
    got = {(c.unit, c.time, c.indicator): (round(c.value, 12), c.how) for c in panel.filled}
    assert got == {
        ("x", "2015", "a"): (2.0, "interpolated"),
        ("x", "2015", "b"): (20.0, "interpolated"),
        ("x", "2018", "b"): (50.0, "extrapolated"),  # slope 10 per year from 2014 and 2016 → 50 in 2018
        ("y", "2014", "a"): (4.0, "extrapolated"),
    }
    assert not np.isnan(panel.values).any()


def test_impute_needs_two_points(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,1,,2\nx,2,,3\ny,1,1,1\ny,2,2,2\n")
    with pytest.raises(InputError, match="cannot impute unit 'x' a: fewer than 2 observed values"):
        load_panel(path, unit="unit", time="time", impute="linear")


def test_unknown_columns_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "unit,time,a,b,c,d\nx,1,1,2,3,4\ny,1,2,3,4,5\n")
    with pytest.raises(InputError, match=r"unknown indicator column\(s\): c, d"):
        load_panel(path, unit="unit", time="time", known=["a", "b"])
    panel = load_panel(path, unit="unit", time="time", known=["b", "a"], ignore=["c", "d"])
    assert panel.indicators == ("b", "a")  # framework order


def test_text_columns_are_labels_not_unknown_indicators(tmp_path: Path) -> None:
    path = write(tmp_path, "unit,region,time,a,b\nx,东部,1,1,2\ny,,1,2,3\n")
    with pytest.warns(NqpfWarning, match=r"ignoring text column\(s\) region \(labels, not indicators\)"):
        panel = load_panel(path, unit="unit", time="time", known=["a", "b"])
    assert panel.indicators == ("a", "b")


def test_fewer_than_two_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs at least 2 data rows; got 1"):
        load_panel(write(tmp_path, HEADER + "x,1,1,2\n"), unit="unit", time="time")


def test_missing_column_and_empty_label(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,1,1,2\n,1,2,3\n")
    with pytest.raises(InputError, match=r"column\(s\) not found: year"):
        load_panel(path, unit="unit", time="year")
    with pytest.raises(InputError, match=r"row 3, column unit: empty unit cell"):
        load_panel(path, unit="unit", time="time")


def test_duplicate_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="column 'a' appears twice"):
        load_panel(write(tmp_path, "unit,time,a,a\nx,1,1,2\ny,1,2,3\n"), unit="unit", time="time")


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"unit,time,a\n\xff\xfe\xfa,1,2\n")
    with pytest.raises(InputError, match="cannot decode"):
        load_panel(path, unit="unit", time="time")


def test_xlsx_long_panel(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["unit", "time", "a", "b"])
    ws.append(["110000", 2014, 0.5, "1,000"])
    ws.append([320000, 2014, 1.5, None])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="unit 320000 time 2014 b"):
        load_panel(path, unit="unit", time="time")
    wb.active["D3"] = "x"
    wb.save(path)
    with pytest.raises(InputError, match=r"row 3, column b: not a number: 'x'"):
        load_panel(path, unit="unit", time="time")
    wb.active["D3"] = 2000
    wb.save(path)
    panel = load_panel(path, unit="unit", time="time")
    assert list(panel.unit) == ["110000", "320000"]
    np.testing.assert_allclose(panel.values, [[0.5, 1000], [1.5, 2000]])


def test_dataframe_input_and_time_order() -> None:
    frame = pd.DataFrame({"u": ["a", "b", "a"], "t": [2015, 2014, 2014], "x": [1.0, np.nan, 3.0]})
    with pytest.raises(InputError, match="unit b time 2014 x"):
        load_panel(frame, unit="u", time="t")
    assert time_order(["2015", "2014", "999"]) == ("999", "2014", "2015")
    assert time_order(["2015Q2", "2015Q1"]) == ("2015Q1", "2015Q2")
