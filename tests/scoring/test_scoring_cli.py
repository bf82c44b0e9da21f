"""``nqpf score``: exit status and the one-line stderr message for every data-policy case, and outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nqpf_text.cli import app
from nqpf_text.resources import data_path

SEED = str(data_path("seed002_table2_long.csv"))
ET = ["score", "entropy-topsis"]
DIRS = ["--directions", "a=+,b=-,c=+"]
GOOD = "unit,time,a,b,c\nx,2014,1,5,2\ny,2014,2,3,9\nz,2014,4,1,4\nx,2015,2,4,3\ny,2015,3,3,8\nz,2015,5,2,6\n"


DAGUM_SEED = [
    "score",
    "dagum",
    SEED,
    "--unit",
    "province",
    "--group",
    "region",
    "--time",
    "year",
    "--value",
    "nqpf",
]
GROWTH_SEED = [
    "score",
    "growth",
    SEED,
    "--unit",
    "province",
    "--time",
    "year",
    "--value",
    "nqpf",
    "--group",
    "region",
]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def et(path: str, *extra: str, directions: tuple[str, ...] = tuple(DIRS)):
    """``nqpf score entropy-topsis PATH --unit unit --time time --directions … EXTRA``."""
    return run(*ET, path, "--unit", "unit", "--time", "time", *directions, *extra)


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "panel.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def one_error_line(res, pattern: str) -> None:
    assert res.exit_code == 2, res.stdout
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nqpf: error: "), res.stderr
    assert re.search(pattern, lines[0]), lines[0]


@pytest.mark.parametrize("command", ["entropy-topsis", "entropy", "dagum", "growth"])
def test_help(command: str) -> None:
    res = run("score", command, "--help")
    assert res.exit_code == 0 and "--format" in res.stdout


def test_entropy_topsis_json_contract_shape(tmp_path: Path) -> None:
    res = run(*ET, csv_file(tmp_path, GOOD), "--unit", "unit", "--time", "time", *DIRS)
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert list(data)[:4] == ["weights", "entropy", "scores", "dimensions"]
    assert set(data["weights"]) == {"a", "b", "c"} and data["dimensions"] == {}
    row = data["scores"][0]
    assert {"unit", "time", "d_plus", "d_minus", "score", "rank"} <= set(row) and row["time"] == "2014"
    assert sorted(r["rank"] for r in data["scores"] if r["time"] == "2015") == [1, 2, 3]


def test_framework_file_gives_dimensions(tmp_path: Path, hqe21_file: Path, hqe21, make_panel) -> None:
    frame = make_panel(np.random.default_rng(1), 5, 2, 21)
    frame.columns = ["unit", "time", *hqe21.leaves]
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    res = run(*ET, str(path), "--framework", str(hqe21_file), "--unit", "unit", "--time", "time", "--by-time")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data["dimensions"]) >= {"T", "E", "Q"} and data["method"]["standardization"] == "by_time"


def test_missing_cells_error_then_impute(tmp_path: Path) -> None:
    extra_year = "x,2016,3,3,3\ny,2016,4,2,7\nz,2016,6,1,5\n"
    path = csv_file(tmp_path, GOOD.replace("y,2015,3,3,8", "y,2015,,3,8") + extra_year)
    one_error_line(et(path), r"1 missing cell\(s\): unit y time 2015 a")
    res = et(path, "--impute", "linear")
    assert res.exit_code == 0
    assert "filled 1 missing cell(s) by linear imputation: y 2015 a=3 (interpolated)" in res.stderr
    assert json.loads(res.stdout)["imputed"] == [
        {"unit": "y", "time": "2015", "indicator": "a", "value": 3.0, "how": "interpolated"}
    ]
    one_error_line(
        et(csv_file(tmp_path, GOOD.replace("y,2015,3,3,8", "y,2015,,3,8")), "--impute", "linear"),
        "cannot impute unit 'y' a: fewer than 2 observed values",
    )


def test_constant_indicator_warns(tmp_path: Path) -> None:
    constant_b = "unit,time,a,b,c\nx,2014,1,3,2\ny,2014,2,3,9\nz,2014,4,3,4\nx,2015,2,3,3\ny,2015,3,3,8\nz,2015,5,3,6\n"
    path = csv_file(tmp_path, constant_b)
    res = et(path)
    assert res.exit_code == 0
    assert "nqpf: warning: " in res.stderr and "indicator b is constant (all 6 rows); weight 0" in res.stderr
    assert json.loads(res.stdout)["weights"]["b"] == 0.0


def test_non_numeric(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD.replace("z,2015,5", "z,2015,5%"))
    one_error_line(et(path), r"panel\.csv:row 7, column a: not a number: '5%'")


def test_duplicate_rows(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD + "x,2014,9,9,9\n")
    one_error_line(et(path), r"row 8: duplicate unit-time row: unit 'x' time '2014'")


def test_negative_values_allowed_for_topsis_not_for_gini(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD.replace("x,2014,1,", "x,2014,-7,"))
    res = et(path)
    assert res.exit_code == 0 and res.stderr == ""
    dagum_path = csv_file(tmp_path, "unit,g,v\na,r1,1\nb,r1,-2\nc,r2,3\n")
    one_error_line(
        run("score", "dagum", dagum_path, "--unit", "unit", "--group", "g", "--value", "v"),
        r"row 3, column v: negative value -2 \(unit b time all\).*needs values >= 0",
    )


def test_fewer_than_two_rows(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "unit,time,a,b,c\nx,2014,1,2,3\n")
    one_error_line(et(path), "needs at least 2 data rows; got 1")


def test_unknown_columns_listed_and_ignored(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        GOOD.replace("unit,time,a,b,c", "unit,time,a,b,zz").replace("\n", ",0\n").replace("zz,0", "zz,yy"),
    )
    one_error_line(et(path), r"unknown indicator column\(s\): zz, yy")
    res = et(path, "--ignore", "zz", "--ignore", "yy", directions=("--directions", "a=+,b=-"))
    assert res.exit_code == 0, res.stderr


def test_text_label_column_skipped_with_warning(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        GOOD.replace("unit,time,", "unit,name,time,")
        .replace(",2014,", ",甲,2014,")
        .replace(",2015,", ",乙,2015,"),
    )
    res = et(path)
    assert res.exit_code == 0, res.stderr
    assert "nqpf: warning: " in res.stderr and "ignoring text column(s) name" in res.stderr
    assert set(json.loads(res.stdout)["weights"]) == {"a", "b", "c"}


def test_missing_framework_and_bad_options(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD)
    one_error_line(et(path, "--framework", "nosuch", directions=()), "nosuch.yaml: framework file not found")
    one_error_line(et(path, directions=("--directions", "a=up")), 'direction must be "\\+" or "-"')
    one_error_line(et(path, "--format", "xlsx"), "give --out PATH")
    one_error_line(et(path, "--format", "xml"), "--format must be one of")
    one_error_line(et(path, "--impute", "mean"), "impute: must be 'linear'")
    one_error_line(et(path, "--shift", "-1"), "shift: must be a finite number >= 0")
    one_error_line(et(str(tmp_path / "none.csv")), "none.csv: file not found")


def test_gbk_and_bom_input(tmp_path: Path) -> None:
    text = GOOD.replace("unit", "地区")
    for enc in ("gbk", "utf-8-sig"):
        res = run(*ET, csv_file(tmp_path, text, enc), "--unit", "地区", "--time", "time", *DIRS)
        assert res.exit_code == 0, res.stderr


def test_entropy_command(tmp_path: Path) -> None:
    res = run(
        "score", "entropy", csv_file(tmp_path, GOOD), "--unit", "unit", "--time", "time", *DIRS, "--shift=0"
    )
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["method"] == {"standardization": "pooled", "shift": 0.0, "m": 6}
    assert sum(data["weights"].values()) == pytest.approx(1.0)


def test_outputs_csv_xlsx_dta(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD)
    res = et(path, "--format", "csv")
    assert res.exit_code == 0 and res.stdout.startswith("unit,time,d_plus,d_minus,score,rank")
    out = tmp_path / "o.xlsx"
    assert et(path, "--format", "xlsx", "--out", str(out)).exit_code == 0
    assert set(pd.read_excel(out, sheet_name=None)) == {"scores", "weights"}
    dta = tmp_path / "o.dta"
    args = DAGUM_SEED
    assert run(*args, "--format", "dta", "--out", str(dta)).exit_code == 0
    frame = pd.read_stata(dta)
    assert len(frame) == 10 and "between_东部_中部" in frame.columns
    js = tmp_path / "o.json"
    assert run(*args, "--out", str(js)).exit_code == 0
    assert len(json.loads(js.read_text(encoding="utf-8"))) == 10


def test_dagum_json_and_bootstrap(tmp_path: Path) -> None:
    args = DAGUM_SEED
    res = run(*args)
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    first = data[0]
    assert first["time"] == "2014" and set(first["contrib"]) == {"Gw", "Gnb", "Gt"}
    assert first["G"] == pytest.approx(first["Gw"] + first["Gnb"] + first["Gt"], rel=1e-13)
    assert len(first["between"]) == 6 and "东部|中部" in first["between"]
    boot = [json.loads(run(*args, "--bootstrap", "50", "--seed", s).stdout)[0]["ci"] for s in ("3", "3", "4")]
    assert boot[0] == boot[1] != boot[2]


def test_dagum_missing_group_cell(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "unit,g,t,v\na,r1,1,1\nb,,1,2\n")
    one_error_line(
        run("score", "dagum", path, "--unit", "unit", "--group", "g", "--time", "t", "--value", "v"),
        "row 3, column g: empty g cell",
    )


def test_growth_table(tmp_path: Path) -> None:
    args = GROWTH_SEED
    data = json.loads(run(*args).stdout)
    assert [g["name"] for g in data["groups"]] == ["东部", "中部", "西部", "东北"]
    assert data["national"]["values"]["2014"] == pytest.approx(0.1211)
    res = run(*args, "--format", "csv")
    assert res.exit_code == 0 and res.stdout.splitlines()[0].endswith("2023,cagr,cagr_pct")
    unbalanced = csv_file(tmp_path, "u,t,v\na,1,1\na,2,2\nb,1,3\n")
    one_error_line(
        run("score", "growth", unbalanced, "--unit", "u", "--time", "t", "--value", "v"),
        "unbalanced panel: 1 unit-time row",
    )
